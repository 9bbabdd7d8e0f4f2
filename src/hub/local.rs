//! Reading a release from a folder on disk: a downloaded model, or a snapshot in the Hugging
//! Face cache (which is then read like the cache, with its recorded metadata when present).
//! What a folder and a cache snapshot share — the listing, sizes, parameter counts — is in
//! [`super::folder`].

use super::cache::HubCache;
use super::error::HubError;
use super::folder::{info_from_listing, list_folder};
use super::model_ref::RepoId;
use super::release::{Origin, Release, ReleaseFile, files_to_read, text_cap};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Reads `path` as a release.
pub fn read_folder(path: &Path, max_text_bytes: u64) -> Result<Release, HubError> {
    let name = path.display().to_string();
    if let Some((cache_root, id, sha)) = cache_snapshot(path)
        && let Ok(id) = RepoId::parse(&id)
    {
        let cache = HubCache::new(cache_root);
        if let Ok(release) =
            super::fetch::fetch_cached(&cache, &id, Some(&sha), max_text_bytes, true)
        {
            return Ok(release);
        }
    }
    let listing = list_folder(path, path, &name)?;
    let info = info_from_listing(path, listing);
    let paths: Vec<&str> = info
        .siblings
        .iter()
        .flatten()
        .map(|s| s.path.as_str())
        .collect();
    let mut files = Vec::new();
    let chosen = files_to_read(&paths, None);
    for file in &chosen {
        let cap = text_cap(file, &chosen, max_text_bytes);
        files.push(read_text(path, file, cap, &name)?);
    }
    let id = fs_err::canonicalize(path)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| name.clone());
    Ok(Release {
        id,
        revision: None,
        origin: Origin::Local {
            path: path.to_path_buf(),
        },
        info,
        has_api_metadata: false,
        files,
        related: Default::default(),
        retrieval: Default::default(),
    })
}

/// `…/models--{owner}--{name}/snapshots/{sha}` → (cache root, `owner/name`, sha).
fn cache_snapshot(path: &Path) -> Option<(PathBuf, String, String)> {
    let path = fs_err::canonicalize(path).ok()?;
    let sha = path.file_name()?.to_str()?.to_owned();
    let snapshots = path.parent()?;
    if snapshots.file_name()? != "snapshots" || !super::api::is_sha(&sha) {
        return None;
    }
    let repo_dir = snapshots.parent()?;
    let folder = repo_dir.file_name()?.to_str()?;
    let id = folder.strip_prefix("models--")?.replacen("--", "/", 1);
    Some((repo_dir.parent()?.to_path_buf(), id, sha))
}

fn read_text(root: &Path, path: &str, cap: u64, model: &str) -> Result<ReleaseFile, HubError> {
    let full = root.join(path);
    let file = fs_err::File::open(&full).map_err(|e| HubError::LocalIo {
        model: model.to_owned(),
        path: full.clone(),
        detail: e.to_string(),
    })?;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| HubError::LocalIo {
            model: model.to_owned(),
            path: full.clone(),
            detail: e.to_string(),
        })?;
    let truncated = bytes.len() as u64 > cap;
    bytes.truncate(cap as usize);
    Ok(ReleaseFile::from_bytes(path, &bytes, truncated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_safetensors_parameters_from_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let header = br#"{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"__metadata__":{"format":"pt"}}"#;
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(&[0u8; 24]);
        fs_err::write(dir.path().join("model.safetensors"), bytes).unwrap();
        fs_err::write(
            dir.path().join("README.md"),
            "---\nlicense: mit\n---\n# Hi\n",
        )
        .unwrap();
        let release = read_folder(dir.path(), 1024).unwrap();
        assert_eq!(release.info.parameters, Some(6));
        assert_eq!(release.files.len(), 1);
        assert!(!release.has_api_metadata);
    }
}
