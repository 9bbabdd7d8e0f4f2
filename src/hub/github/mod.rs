//! GitHub, the code host the cards link: the repositories' metadata (`GET /repos/{o}/{r}`), file
//! tree (`GET /repos/{o}/{r}/git/trees/{branch}?recursive=1`), and root README and license files
//! (from the raw host, which has no API quota). docs/code-host.md describes the requests, the
//! quota discipline and the disk cache.
//!
//! Separate from the Hub client on purpose: it has its own token (`GITHUB_TOKEN` / `GH_TOKEN`),
//! sent only to the API origin; the Hugging Face token is not even in scope here.

pub mod cache;
pub mod client;
pub mod quota;
pub mod read;
pub mod settings;

pub use read::CodeHost;
pub use settings::GithubSettings;

use std::sync::Arc;

/// A repository on the code host, `owner/name` as a card links it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RepoRef {
    pub owner: String,
    pub name: String,
}

impl RepoRef {
    /// `https://github.com/owner/name` (the form `code.repositories` holds; `www.`, a trailing
    /// `.git`, `/tree/...` and a pip-style `@commit` are accepted) → the repository. `None` for
    /// another host, or a name GitHub would not accept (which also keeps it a safe path on disk).
    pub fn from_url(url: &str) -> Option<RepoRef> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let rest = rest.strip_prefix("www.").unwrap_or(rest);
        let rest = rest.strip_prefix("github.com/")?;
        let mut segments = rest.split('/');
        let owner = segments.next()?;
        let name = segments.next()?;
        let name = name.split('@').next().unwrap_or(name);
        let name = name.strip_suffix(".git").unwrap_or(name);
        RepoRef::new(owner, name)
    }

    /// From an `owner/name` pair, when both are names GitHub would accept.
    pub fn new(owner: &str, name: &str) -> Option<RepoRef> {
        let owner_ok = !owner.is_empty()
            && owner.len() <= 39
            && owner
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let name_ok = !name.is_empty()
            && name.len() <= 100
            && name != "."
            && name != ".."
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
        (owner_ok && name_ok).then(|| RepoRef {
            owner: owner.to_owned(),
            name: name.to_owned(),
        })
    }

    /// `owner/name` from the API's `full_name`.
    pub fn parse(full_name: &str) -> Option<RepoRef> {
        let (owner, name) = full_name.split_once('/')?;
        RepoRef::new(owner, name)
    }

    pub fn full_name(&self) -> String {
        format!("{}/{}", self.owner, self.name)
    }

    /// The repository's web address, the name it is known by in evidence.
    pub fn url(&self) -> String {
        format!("https://github.com/{}/{}", self.owner, self.name)
    }

    /// GitHub names are case-insensitive: one key per repository.
    pub fn key(&self) -> String {
        self.full_name().to_ascii_lowercase()
    }
}

impl std::fmt::Display for RepoRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.owner, self.name)
    }
}

/// One file of the repository's tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TreeEntry {
    pub path: String,
    /// `None` when the host did not say (a blob too large for the stand-in's snapshot).
    pub size: Option<u64>,
}

/// A root file read from the raw host.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoFile {
    pub path: String,
    pub text: String,
    /// Longer than the cap: `text` is its beginning.
    pub truncated: bool,
}

/// What was read of one repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoSnapshot {
    /// The repository as linked.
    pub asked: RepoRef,
    /// Its name now (`full_name`): differs from `asked` when it was moved or renamed.
    pub repo: RepoRef,
    pub default_branch: String,
    pub archived: bool,
    pub fork: bool,
    /// The id the trees endpoint names for the branch head (GitHub: the root tree object of that
    /// commit; the stand-in: the commit). It pins the snapshot every fact was read at.
    pub sha: Option<String>,
    pub tree: Vec<TreeEntry>,
    /// The host cut the tree (over 100 000 entries or 7 MB on GitHub): paths may be missing.
    pub tree_truncated: bool,
    /// The root README, when there is one and it could be read.
    pub readme: Option<RepoFile>,
    /// Root license files (LICENSE, LICENCE, COPYING, CODE_LICENSE, …) that could be read.
    pub licenses: Vec<RepoFile>,
    /// Root files chosen but not downloadable (the raw host refused or failed).
    pub unreadable: Vec<String>,
    /// When it was read from the host (seconds since the epoch).
    pub fetched_at: u64,
}

impl RepoSnapshot {
    pub fn moved(&self) -> bool {
        self.asked.key() != self.repo.key()
    }
}

/// Why a repository's facts are unknown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unread {
    /// The API quota is spent (or down to its reserve) until this time (seconds since the
    /// epoch, when the host said).
    Quota {
        reset: Option<u64>,
        with_token: bool,
    },
    /// Network or server failure after the retries, or an answer that is not what GitHub sends.
    Failed(String),
    /// Offline, and not in the disk cache.
    NotCached,
}

/// What looking up a linked repository found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RepoLookup {
    Found(Arc<RepoSnapshot>),
    /// The host does not have it (404, or 451 unavailable for legal reasons).
    Missing,
    Unread(Unread),
}

/// A repository the card links, and what was found there.
#[derive(Clone, Debug)]
pub struct LinkedRepo {
    /// The link as `code.repositories` holds it.
    pub url: String,
    pub lookup: RepoLookup,
}

/// `HH:MM UTC` for a time in seconds since the epoch.
pub fn clock_utc(epoch_secs: u64) -> String {
    let day = epoch_secs % 86_400;
    format!("{:02}:{:02} UTC", day / 3600, (day % 3600) / 60)
}

/// Seconds since the epoch, now.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_links_and_names() {
        let r = RepoRef::from_url("https://github.com/allenai/OLMo").unwrap();
        assert_eq!(r.full_name(), "allenai/OLMo");
        assert_eq!(r.key(), "allenai/olmo");
        assert_eq!(
            RepoRef::from_url("https://www.github.com/huggingface/transformers.git@831bc25")
                .unwrap()
                .full_name(),
            "huggingface/transformers"
        );
        assert!(RepoRef::from_url("https://gitlab.com/a/b").is_none());
        assert!(RepoRef::from_url("https://github.com/a/..").is_none());
        assert!(
            RepoRef::from_url("https://github.com/kingoflolz/mesh-transformer-jax}}").is_none()
        );
        assert!(RepoRef::from_url("https://github.com/a%2F/b").is_none());
        assert_eq!(clock_utc(1_700_000_000), "22:13 UTC");
    }
}
