//! The Hugging Face hub cache (`HF_HUB_CACHE`), in the layout `huggingface_hub` and `hf-hub`
//! share: `models--{owner}--{name}/{refs,blobs,snapshots,.no_exist}`. Files are stored by
//! content (ETag) and pinned by commit, so a cached file never needs downloading again.
//!
//! The Hub's model-info JSON has no place in that layout; it is kept beside it, per commit, under
//! `models--{owner}--{name}/.openness/` (other tools ignore unknown folders in a repo folder).

use hf_hub::{Cache, Repo};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug)]
pub struct HubCache {
    root: PathBuf,
    /// `models` or `datasets`: the prefix of the repository folders.
    kind: &'static str,
}

/// What the cache knows about one file at one commit.
#[derive(Debug, PartialEq, Eq)]
pub enum CachedFile {
    Present(Vec<u8>),
    /// Recorded as missing on the Hub at that commit.
    Missing,
    Unknown,
}

impl HubCache {
    pub fn new(root: PathBuf) -> HubCache {
        HubCache {
            root,
            kind: "models",
        }
    }

    /// The same cache, for dataset repositories (`datasets--{owner}--{name}`).
    pub fn datasets(root: PathBuf) -> HubCache {
        HubCache {
            root,
            kind: "datasets",
        }
    }

    /// Where record `name` of repository `id` is kept (`…/.openness/{name}.json`); `None` for a
    /// name that is not a plain file name.
    pub fn record_path(&self, id: &str, name: &str) -> Option<PathBuf> {
        let plain = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        plain.then(|| self.records_dir(id).join(format!("{name}.json")))
    }

    /// `…/.openness/` of repository `id`: what the tool records beside the Hub's own cache.
    fn records_dir(&self, id: &str) -> PathBuf {
        self.repo_dir(id).join(".openness")
    }

    fn read_record_file(&self, id: &str, file: &str) -> Option<Vec<u8>> {
        fs_err::read(self.records_dir(id).join(file)).ok()
    }

    fn write_record_file(&self, id: &str, file: &str, body: &[u8]) -> std::io::Result<()> {
        write_atomic(&self.records_dir(id), file, body)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn repo_dir(&self, id: &str) -> PathBuf {
        match self.kind {
            "datasets" => self
                .root
                .join(Repo::new(id.to_owned(), hf_hub::RepoType::Dataset).folder_name()),
            _ => self.root.join(Repo::model(id.to_owned()).folder_name()),
        }
    }

    /// The commit a revision points to in the cache: a sha is itself (if a snapshot exists);
    /// a branch or tag is read from `refs/`.
    pub fn resolve_revision(&self, id: &str, revision: Option<&str>) -> Option<String> {
        let revision = revision.unwrap_or("main");
        if super::api::is_sha(revision) {
            let dir = self.repo_dir(id);
            let recorded = |name: String| self.records_dir(id).join(name).is_file();
            let known = dir.join("snapshots").join(revision).is_dir()
                || recorded(format!("{revision}.json"))
                || recorded(format!("{revision}.listed.json"));
            return known.then(|| revision.to_owned());
        }
        let path = self.repo_dir(id).join("refs").join(revision);
        let sha = fs_err::read_to_string(path).ok()?.trim().to_owned();
        super::api::is_sha(&sha).then_some(sha)
    }

    /// Records that `revision` (a branch or tag name) points to `sha`.
    pub fn write_ref(&self, id: &str, revision: &str, sha: &str) -> std::io::Result<()> {
        if super::api::is_sha(revision) || revision.split('/').any(|p| p == ".." || p.is_empty()) {
            return Ok(());
        }
        let kind = if self.kind == "datasets" {
            hf_hub::RepoType::Dataset
        } else {
            hf_hub::RepoType::Model
        };
        let cache = Cache::new(self.root.clone());
        cache
            .repo(Repo::with_revision(
                id.to_owned(),
                kind,
                revision.to_owned(),
            ))
            .create_ref(sha)
    }

    pub fn snapshot_dir(&self, id: &str, sha: &str) -> PathBuf {
        self.repo_dir(id).join("snapshots").join(sha)
    }

    pub fn read_model_info(&self, id: &str, sha: &str) -> Option<Vec<u8>> {
        self.read_record_file(id, &format!("{sha}.json"))
    }

    pub fn write_model_info(&self, id: &str, sha: &str, body: &[u8]) -> std::io::Result<()> {
        self.write_record_file(id, &format!("{sha}.json"), body)
    }

    /// The listing item a ranking saw at `sha` (no file sizes), for `--offline` after `rank`.
    pub fn read_listed_info(&self, id: &str, sha: &str) -> Option<Vec<u8>> {
        self.read_record_file(id, &format!("{sha}.listed.json"))
    }

    pub fn write_listed_info(&self, id: &str, sha: &str, body: &[u8]) -> std::io::Result<()> {
        self.write_record_file(id, &format!("{sha}.listed.json"), body)
    }

    pub fn read_file(&self, id: &str, sha: &str, path: &str) -> CachedFile {
        if !safe_relative(path) {
            return CachedFile::Unknown;
        }
        let dir = self.repo_dir(id);
        if let Ok(bytes) = fs_err::read(dir.join("snapshots").join(sha).join(path)) {
            return CachedFile::Present(bytes);
        }
        if dir.join(".no_exist").join(sha).join(path).is_file() {
            return CachedFile::Missing;
        }
        CachedFile::Unknown
    }

    /// The ETag of `path` at another commit this cache holds (the newest such snapshot), so a
    /// download at a new commit can be revalidated with `If-None-Match` instead.
    pub fn previous_etag(&self, id: &str, path: &str) -> Option<String> {
        if !safe_relative(path) {
            return None;
        }
        let snapshots = self.repo_dir(id).join("snapshots");
        let mut found: Option<(std::time::SystemTime, String)> = None;
        for entry in fs_err::read_dir(&snapshots).ok()?.flatten() {
            let link = entry.path().join(path);
            let Ok(target) = fs_err::read_link(&link) else {
                continue;
            };
            let Some(etag) = target.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if !etag.bytes().all(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let modified = fs_err::symlink_metadata(&link)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            if found.as_ref().is_none_or(|(t, _)| modified > *t) {
                found = Some((modified, etag.to_owned()));
            }
        }
        found.map(|(_, etag)| etag)
    }

    /// The content stored under an ETag.
    pub fn read_blob(&self, id: &str, etag: &str) -> Option<Vec<u8>> {
        if etag.is_empty() || !etag.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        fs_err::read(self.repo_dir(id).join("blobs").join(etag)).ok()
    }

    /// Stores a complete file: the blob by its ETag, and a snapshot link to it.
    pub fn write_file(
        &self,
        id: &str,
        sha: &str,
        path: &str,
        etag: &str,
        bytes: &[u8],
    ) -> std::io::Result<()> {
        if !safe_relative(path)
            || etag.is_empty()
            || !etag.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Ok(());
        }
        let dir = self.repo_dir(id);
        let blobs = dir.join("blobs");
        if !blobs.join(etag).is_file() {
            write_atomic(&blobs, etag, bytes)?;
        }
        let link = dir.join("snapshots").join(sha).join(path);
        if link.exists() {
            return Ok(());
        }
        fs_err::create_dir_all(link.parent().expect("snapshot path has a parent"))?;
        link_blob(&blobs.join(etag), &link, path)
    }

    /// Remembers that `path` does not exist at `sha`.
    pub fn write_missing(&self, id: &str, sha: &str, path: &str) -> std::io::Result<()> {
        if !safe_relative(path) {
            return Ok(());
        }
        let marker = self.repo_dir(id).join(".no_exist").join(sha).join(path);
        fs_err::create_dir_all(marker.parent().expect("marker has a parent"))?;
        fs_err::write(marker, b"")
    }
}

/// A repo-relative path that cannot climb out of its folder.
fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with('/')
        && !path.contains('\\')
        && path
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// Writes `path` whole or not at all (a temporary file beside it, renamed into place).
pub fn write_file_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    write_atomic(dir, &name, bytes)
}

fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    fs_err::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    {
        let mut file = fs_err::File::create(&tmp)?;
        file.write_all(bytes)?;
    }
    fs_err::rename(&tmp, dir.join(name))
}

#[cfg(unix)]
fn link_blob(blob: &Path, link: &Path, repo_path: &str) -> std::io::Result<()> {
    // Relative, as huggingface_hub writes them: ../../blobs/<etag> (one more ../ per subfolder).
    let depth = repo_path.matches('/').count();
    let mut target = PathBuf::from("../..");
    for _ in 0..depth {
        target.push("..");
    }
    target.push("blobs");
    target.push(blob.file_name().expect("blob has a name"));
    match fs_err::os::unix::fs::symlink(&target, link) {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

#[cfg(not(unix))]
fn link_blob(blob: &Path, link: &Path, _repo_path: &str) -> std::io::Result<()> {
    fs_err::copy(blob, link).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_files_refs_and_info() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HubCache::new(dir.path().to_path_buf());
        let sha = "0123456789abcdef0123456789abcdef01234567";
        cache.write_ref("org/name", "main", sha).unwrap();
        cache
            .write_file("org/name", sha, "LICENSE", "abc123", b"MIT License")
            .unwrap();
        cache.write_missing("org/name", sha, "NOTICE").unwrap();
        cache.write_model_info("org/name", sha, b"{}").unwrap();
        assert_eq!(
            cache.resolve_revision("org/name", None).as_deref(),
            Some(sha)
        );
        assert_eq!(
            cache.resolve_revision("org/name", Some(sha)).as_deref(),
            Some(sha)
        );
        assert_eq!(
            cache.read_file("org/name", sha, "LICENSE"),
            CachedFile::Present(b"MIT License".to_vec())
        );
        assert_eq!(
            cache.read_file("org/name", sha, "NOTICE"),
            CachedFile::Missing
        );
        assert_eq!(
            cache.read_file("org/name", sha, "README.md"),
            CachedFile::Unknown
        );
        assert_eq!(
            cache.read_file("org/name", sha, "../../etc/passwd"),
            CachedFile::Unknown
        );
        assert!(dir.path().join("models--org--name/blobs/abc123").is_file());
        assert_eq!(cache.read_model_info("org/name", sha).unwrap(), b"{}");
    }
}
