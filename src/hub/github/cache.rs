//! The disk cache of repositories read from GitHub: one JSON file per repository as linked,
//! `<dir>/<owner>/<name>.json` in lower case (GitHub names are case-insensitive), beside the
//! Hugging Face hub cache (docs/code-host.md). It keeps what the evidence reads — metadata, file
//! tree, root README and license texts — with the ETags that let a stale entry be revalidated
//! for free (GitHub does not count a `304` against the quota).

use super::{RepoFile, RepoRef, RepoSnapshot, TreeEntry};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Bumped when the layout changes; other versions are ignored (and overwritten).
const VERSION: u32 = 1;

/// One cached repository.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub version: u32,
    /// When the host was last asked (seconds since the epoch).
    pub fetched_at: u64,
    pub state: State,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum State {
    Found(Box<Found>),
    /// The host said it does not have it.
    Missing,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub full_name: String,
    pub default_branch: String,
    pub archived: bool,
    pub fork: bool,
    /// ETag of the repository's metadata answer.
    pub repo_etag: Option<String>,
    /// ETag of the tree answer.
    pub tree_etag: Option<String>,
    pub sha: Option<String>,
    pub tree_truncated: bool,
    /// `[path, size]`, size `null` when the host did not give it.
    pub tree: Vec<(String, Option<u64>)>,
    pub readme: Option<CachedFile>,
    pub licenses: Vec<CachedFile>,
    pub unreadable: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedFile {
    pub path: String,
    pub text: String,
    pub truncated: bool,
}

impl From<&RepoFile> for CachedFile {
    fn from(f: &RepoFile) -> Self {
        CachedFile {
            path: f.path.clone(),
            text: f.text.clone(),
            truncated: f.truncated,
        }
    }
}

impl From<&CachedFile> for RepoFile {
    fn from(f: &CachedFile) -> Self {
        RepoFile {
            path: f.path.clone(),
            text: f.text.clone(),
            truncated: f.truncated,
        }
    }
}

impl Found {
    pub fn from_snapshot(
        s: &RepoSnapshot,
        repo_etag: Option<String>,
        tree_etag: Option<String>,
    ) -> Found {
        Found {
            full_name: s.repo.full_name(),
            default_branch: s.default_branch.clone(),
            archived: s.archived,
            fork: s.fork,
            repo_etag,
            tree_etag,
            sha: s.sha.clone(),
            tree_truncated: s.tree_truncated,
            tree: s.tree.iter().map(|e| (e.path.clone(), e.size)).collect(),
            readme: s.readme.as_ref().map(CachedFile::from),
            licenses: s.licenses.iter().map(CachedFile::from).collect(),
            unreadable: s.unreadable.clone(),
        }
    }

    /// The snapshot this entry holds, for the repository `asked`.
    pub fn snapshot(&self, asked: &RepoRef, fetched_at: u64) -> Option<RepoSnapshot> {
        Some(RepoSnapshot {
            asked: asked.clone(),
            repo: RepoRef::parse(&self.full_name)?,
            default_branch: self.default_branch.clone(),
            archived: self.archived,
            fork: self.fork,
            sha: self.sha.clone(),
            tree: self
                .tree
                .iter()
                .map(|(path, size)| TreeEntry {
                    path: path.clone(),
                    size: *size,
                })
                .collect(),
            tree_truncated: self.tree_truncated,
            readme: self.readme.as_ref().map(RepoFile::from),
            licenses: self.licenses.iter().map(RepoFile::from).collect(),
            unreadable: self.unreadable.clone(),
            fetched_at,
        })
    }
}

#[derive(Clone, Debug)]
pub struct RepoCache {
    root: PathBuf,
}

impl RepoCache {
    pub fn new(root: PathBuf) -> RepoCache {
        RepoCache { root }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `RepoRef` only admits GitHub's name characters, so this stays inside `root`.
    fn path(&self, repo: &RepoRef) -> PathBuf {
        self.root
            .join(repo.owner.to_ascii_lowercase())
            .join(format!("{}.json", repo.name.to_ascii_lowercase()))
    }

    /// The cached entry, when there is a readable one of this version.
    pub fn read(&self, repo: &RepoRef) -> Option<Entry> {
        let bytes = fs_err::read(self.path(repo)).ok()?;
        let entry: Entry = serde_json::from_slice(&bytes).ok()?;
        (entry.version == VERSION).then_some(entry)
    }

    /// Stores an entry; best effort (a read-only or full disk only costs a request next time).
    pub fn write(&self, repo: &RepoRef, fetched_at: u64, state: State) -> std::io::Result<()> {
        let entry = Entry {
            version: VERSION,
            fetched_at,
            state,
        };
        let path = self.path(repo);
        let dir = path.parent().expect("an entry has a folder");
        fs_err::create_dir_all(dir)?;
        let tmp = dir.join(format!(
            ".{}.{}.tmp",
            repo.name.to_ascii_lowercase(),
            std::process::id()
        ));
        {
            let mut file = fs_err::File::create(&tmp)?;
            file.write_all(&serde_json::to_vec(&entry).map_err(std::io::Error::other)?)?;
        }
        fs_err::rename(&tmp, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_by_case_insensitive_name() {
        let dir = tempfile::tempdir().unwrap();
        let cache = RepoCache::new(dir.path().to_path_buf());
        let asked = RepoRef::new("AllenAI", "OLMo").unwrap();
        let snapshot = RepoSnapshot {
            asked: asked.clone(),
            repo: RepoRef::new("allenai", "OLMo").unwrap(),
            default_branch: "main".into(),
            archived: false,
            fork: false,
            sha: Some("abc".into()),
            tree: vec![TreeEntry {
                path: "scripts/train.py".into(),
                size: Some(10),
            }],
            tree_truncated: false,
            readme: Some(RepoFile {
                path: "README.md".into(),
                text: "# OLMo".into(),
                truncated: false,
            }),
            licenses: vec![],
            unreadable: vec![],
            fetched_at: 5,
        };
        let found = Found::from_snapshot(&snapshot, Some("W/\"1\"".into()), None);
        cache
            .write(&asked, 5, State::Found(Box::new(found)))
            .unwrap();
        let again = RepoRef::new("allenai", "olmo").unwrap();
        let entry = cache.read(&again).unwrap();
        assert_eq!(entry.fetched_at, 5);
        let State::Found(found) = entry.state else {
            panic!("found")
        };
        assert_eq!(found.repo_etag.as_deref(), Some("W/\"1\""));
        assert_eq!(found.snapshot(&asked, 5).unwrap(), snapshot);
        cache
            .write(&RepoRef::new("x", "y").unwrap(), 7, State::Missing)
            .unwrap();
        assert_eq!(
            cache.read(&RepoRef::new("x", "y").unwrap()).unwrap().state,
            State::Missing
        );
        fs_err::write(dir.path().join("x").join("y.json"), b"{not json").unwrap();
        assert!(cache.read(&RepoRef::new("x", "y").unwrap()).is_none());
    }
}
