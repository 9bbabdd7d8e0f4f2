//! Reading one linked repository — metadata, tree, root README and license files — once per run,
//! through the disk cache (docs/code-host.md):
//!
//! 1. an entry younger than the freshness window is used as it is: no request;
//! 2. an older one is revalidated: the metadata and the tree are asked with `If-None-Match`
//!    (a `304` costs no quota), and the files are downloaded again only when the tree changed;
//! 3. without an entry: `GET /repos/{o}/{r}` (a moved repository answers `301`, followed), then
//!    `GET /repos/{o}/{r}/git/trees/{branch}?recursive=1`, then the README and license files from
//!    the raw host (no quota) — at most three API calls per repository;
//! 4. when the quota is spent or GitHub fails, a stale entry is still used (its facts are as of
//!    its date); without one the repository is unread and its facts unknown.
//!
//! Offline, only the cache is read, whatever its age.

use super::cache::{Found, RepoCache, State};
use super::client::{Counts, GhError, GithubClient};
use super::quota::Exhausted;
use super::settings::GithubSettings;
use super::{RepoFile, RepoLookup, RepoRef, RepoSnapshot, TreeEntry, Unread, now_secs};
use crate::hub::model_ref::{encode_path, encode_segment};
use reqwest::StatusCode;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Largest repository-metadata answer read.
const MAX_REPO_JSON: u64 = 1024 * 1024;
/// Largest tree answer read (GitHub cuts recursive trees at 7 MB).
const MAX_TREE_JSON: u64 = 16 * 1024 * 1024;
/// Tree entries kept.
const MAX_TREE_ENTRIES: usize = 200_000;
/// Largest README and license texts read.
const MAX_README: u64 = 1024 * 1024;
const MAX_LICENSE: u64 = 256 * 1024;
/// Root license files read per repository.
const MAX_LICENSE_FILES: usize = 4;

#[derive(Clone, Debug)]
enum Mode {
    Online(GithubClient),
    /// `--offline`: the disk cache only.
    Offline,
}

type Cells = Arc<Mutex<HashMap<String, Arc<OnceCell<RepoLookup>>>>>;

/// The code host for one run: every distinct repository is read once, even when many models of
/// a batch link it and are audited concurrently. Cloning shares the run's state.
#[derive(Clone, Debug)]
pub struct CodeHost {
    mode: Mode,
    cache: RepoCache,
    max_age: u64,
    cells: Cells,
    /// Repositories left unread because the quota was spent.
    quota_unread: Arc<Mutex<BTreeSet<String>>>,
    with_token: bool,
}

/// What the run should say once when the quota ran out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuotaNotice {
    pub reset: Option<u64>,
    pub with_token: bool,
    /// Repositories whose facts are unknown because of it.
    pub unread: usize,
}

impl CodeHost {
    /// The code host for these settings, or `None` when it is turned off.
    pub fn new(
        settings: &GithubSettings,
        offline: bool,
    ) -> Result<Option<CodeHost>, crate::hub::client::ClientError> {
        if !settings.enabled {
            return Ok(None);
        }
        let mode = if offline {
            Mode::Offline
        } else {
            Mode::Online(GithubClient::new(settings.clone())?)
        };
        Ok(Some(CodeHost {
            mode,
            cache: RepoCache::new(settings.cache_dir.clone()),
            max_age: settings.max_age.as_secs(),
            cells: Arc::default(),
            quota_unread: Arc::default(),
            with_token: settings.token.is_some(),
        }))
    }

    /// Requests sent so far (zero offline).
    pub fn counts(&self) -> Counts {
        match &self.mode {
            Mode::Online(client) => client.counts(),
            Mode::Offline => Counts::default(),
        }
    }

    /// Set when the quota ran out during this run and left repositories unread.
    pub fn quota_notice(&self) -> Option<QuotaNotice> {
        let unread = self
            .quota_unread
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .len();
        let Mode::Online(client) = &self.mode else {
            return None;
        };
        let exhausted = client.exhausted();
        (unread > 0).then(|| QuotaNotice {
            reset: exhausted.and_then(|e| e.reset),
            with_token: self.with_token,
            unread,
        })
    }

    /// The hosts that stopped being tried during this run, each with the failure that stopped them.
    pub fn unreachable(&self) -> Vec<(&'static str, String)> {
        match &self.mode {
            Mode::Online(client) => client.unreachable(),
            Mode::Offline => Vec::new(),
        }
    }

    /// What the host has for `repo`, read at most once per run.
    pub async fn lookup(&self, repo: &RepoRef) -> RepoLookup {
        let cell = {
            let mut cells = self.cells.lock().unwrap_or_else(|e| e.into_inner());
            Arc::clone(cells.entry(repo.key()).or_default())
        };
        cell.get_or_init(|| self.read(repo)).await.clone()
    }

    async fn read(&self, repo: &RepoRef) -> RepoLookup {
        let cached = self.cache.read(repo);
        let client = match &self.mode {
            Mode::Offline => {
                return match cached {
                    Some(entry) => from_entry(repo, &entry.state, entry.fetched_at),
                    None => RepoLookup::Unread(Unread::NotCached),
                };
            }
            Mode::Online(client) => client,
        };
        let now = now_secs();
        if let Some(entry) = &cached
            && now.saturating_sub(entry.fetched_at) < self.max_age
        {
            return from_entry(repo, &entry.state, entry.fetched_at);
        }
        let prior = cached.as_ref().and_then(|e| match &e.state {
            State::Found(found) => Some(&**found),
            State::Missing => None,
        });
        match self.fetch(client, repo, prior, now).await {
            Ok(Fetched::Missing) => {
                let _ = self.cache.write(repo, now, State::Missing);
                RepoLookup::Missing
            }
            Ok(Fetched::Found(snapshot, found)) => {
                let _ = self.cache.write(repo, now, State::Found(found));
                RepoLookup::Found(Arc::from(snapshot))
            }
            Err(e) => match cached {
                // Stale facts, with their date, beat unknown ones.
                Some(entry) => from_entry(repo, &entry.state, entry.fetched_at),
                None => {
                    let unread = match e {
                        GhError::Quota(Exhausted { reset }) => {
                            self.quota_unread
                                .lock()
                                .unwrap_or_else(|e| e.into_inner())
                                .insert(repo.key());
                            Unread::Quota {
                                reset,
                                with_token: self.with_token,
                            }
                        }
                        GhError::Failed(detail) => Unread::Failed(detail),
                    };
                    RepoLookup::Unread(unread)
                }
            },
        }
    }

    async fn fetch(
        &self,
        client: &GithubClient,
        asked: &RepoRef,
        prior: Option<&Found>,
        now: u64,
    ) -> Result<Fetched, GhError> {
        // Its two calls (metadata, tree) are set aside first: a repository is read whole or not at
        // all. (A redirect or a retry takes one more, if the quota allows.)
        let mut claim = client.claim(2).await?;
        // The repository: exists, moved, archived, default branch.
        let path = format!(
            "/repos/{}/{}",
            encode_segment(&asked.owner),
            encode_segment(&asked.name)
        );
        let response = client
            .api(
                &path,
                prior.and_then(|p| p.repo_etag.as_deref()),
                MAX_REPO_JSON,
                &mut claim,
            )
            .await?;
        let meta = match response.status {
            StatusCode::NOT_MODIFIED => match prior {
                Some(p) => Meta {
                    full_name: p.full_name.clone(),
                    default_branch: p.default_branch.clone(),
                    archived: p.archived,
                    fork: p.fork,
                    etag: p.repo_etag.clone(),
                },
                None => return Err(GhError::Failed("304 to an unconditional request".into())),
            },
            status if status.is_success() => {
                if response.truncated {
                    return Err(GhError::Failed("repository metadata too large".into()));
                }
                Meta::parse(&response.body, response.header("etag"))?
            }
            StatusCode::NOT_FOUND
            | StatusCode::GONE
            | StatusCode::UNAVAILABLE_FOR_LEGAL_REASONS => {
                return Ok(Fetched::Missing);
            }
            status => return Err(GhError::Failed(format!("HTTP {}", status.as_u16()))),
        };
        let repo = RepoRef::parse(&meta.full_name).ok_or_else(|| {
            GhError::Failed("the repository's full_name is not owner/name".into())
        })?;

        // The tree of the default branch.
        let same_branch = prior.filter(|p| {
            p.full_name.eq_ignore_ascii_case(&meta.full_name)
                && p.default_branch == meta.default_branch
        });
        let path = format!(
            "/repos/{}/{}/git/trees/{}?recursive=1",
            encode_segment(&repo.owner),
            encode_segment(&repo.name),
            encode_path(&meta.default_branch)
        );
        let response = client
            .api(
                &path,
                same_branch.and_then(|p| p.tree_etag.as_deref()),
                MAX_TREE_JSON,
                &mut claim,
            )
            .await?;
        drop(claim);
        let tree = match response.status {
            StatusCode::NOT_MODIFIED => match same_branch {
                Some(p) => Tree {
                    sha: p.sha.clone(),
                    entries: p
                        .tree
                        .iter()
                        .map(|(path, size)| TreeEntry {
                            path: path.clone(),
                            size: *size,
                        })
                        .collect(),
                    truncated: p.tree_truncated,
                    etag: p.tree_etag.clone(),
                },
                None => return Err(GhError::Failed("304 to an unconditional request".into())),
            },
            status if status.is_success() => {
                if response.truncated {
                    return Err(GhError::Failed("file tree too large".into()));
                }
                Tree::parse(&response.body, response.header("etag"))?
            }
            // An empty repository has no tree (GitHub: 409 "Git Repository is empty").
            StatusCode::NOT_FOUND | StatusCode::CONFLICT => Tree::default(),
            status => return Err(GhError::Failed(format!("HTTP {}", status.as_u16()))),
        };

        // The root README and license files, from the raw host; again only when the tree moved.
        let unchanged = same_branch.filter(|p| p.sha.is_some() && p.sha == tree.sha);
        let (readme, licenses, unreadable) = match unchanged {
            Some(p) => (
                p.readme.as_ref().map(RepoFile::from),
                p.licenses.iter().map(RepoFile::from).collect(),
                p.unreadable.clone(),
            ),
            None => read_root_files(client, &repo, &meta.default_branch, &tree.entries).await,
        };
        let snapshot = RepoSnapshot {
            asked: asked.clone(),
            repo,
            default_branch: meta.default_branch,
            archived: meta.archived,
            fork: meta.fork,
            sha: tree.sha,
            tree: tree.entries,
            tree_truncated: tree.truncated,
            readme,
            licenses,
            unreadable,
            fetched_at: now,
        };
        let found = Found::from_snapshot(&snapshot, meta.etag, tree.etag);
        Ok(Fetched::Found(Box::new(snapshot), Box::new(found)))
    }
}

enum Fetched {
    Found(Box<RepoSnapshot>, Box<Found>),
    Missing,
}

fn from_entry(asked: &RepoRef, state: &State, fetched_at: u64) -> RepoLookup {
    match state {
        State::Missing => RepoLookup::Missing,
        State::Found(found) => match found.snapshot(asked, fetched_at) {
            Some(snapshot) => RepoLookup::Found(Arc::new(snapshot)),
            None => RepoLookup::Unread(Unread::Failed("unreadable cache entry".into())),
        },
    }
}

struct Meta {
    full_name: String,
    default_branch: String,
    archived: bool,
    fork: bool,
    etag: Option<String>,
}

impl Meta {
    fn parse(body: &[u8], etag: Option<&str>) -> Result<Meta, GhError> {
        let value: serde_json::Value = serde_json::from_slice(body)
            .map_err(|_| GhError::Failed("repository metadata is not JSON".into()))?;
        let text = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let full_name = text("full_name")
            .ok_or_else(|| GhError::Failed("repository metadata without full_name".into()))?;
        let default_branch = text("default_branch")
            .filter(|b| !b.is_empty() && b.len() <= 255)
            .ok_or_else(|| GhError::Failed("repository metadata without default_branch".into()))?;
        let flag = |key: &str| value.get(key).and_then(|v| v.as_bool()).unwrap_or(false);
        Ok(Meta {
            full_name,
            default_branch,
            archived: flag("archived"),
            fork: flag("fork"),
            etag: etag.map(str::to_owned),
        })
    }
}

#[derive(Default)]
struct Tree {
    sha: Option<String>,
    entries: Vec<TreeEntry>,
    truncated: bool,
    etag: Option<String>,
}

impl Tree {
    fn parse(body: &[u8], etag: Option<&str>) -> Result<Tree, GhError> {
        let value: serde_json::Value = serde_json::from_slice(body)
            .map_err(|_| GhError::Failed("file tree is not JSON".into()))?;
        let items = value
            .get("tree")
            .and_then(|t| t.as_array())
            .ok_or_else(|| GhError::Failed("file tree without `tree`".into()))?;
        let mut truncated = value
            .get("truncated")
            .and_then(|t| t.as_bool())
            .unwrap_or(false);
        let mut entries = Vec::new();
        for item in items {
            // Blobs only: `tree` entries are folders, `commit` entries submodules.
            if item.get("type").and_then(|t| t.as_str()) != Some("blob") {
                continue;
            }
            let Some(path) = item.get("path").and_then(|p| p.as_str()) else {
                continue;
            };
            if path.is_empty() || path.len() > 4096 {
                continue;
            }
            if entries.len() >= MAX_TREE_ENTRIES {
                truncated = true;
                break;
            }
            entries.push(TreeEntry {
                path: path.to_owned(),
                size: item.get("size").and_then(|s| s.as_u64()),
            });
        }
        Ok(Tree {
            sha: value
                .get("sha")
                .and_then(|s| s.as_str())
                .filter(|s| {
                    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
                })
                .map(str::to_owned),
            entries,
            truncated,
            etag: etag.map(str::to_owned),
        })
    }
}

/// The root README (README.md first, then other spellings, translations last).
pub fn readme_path(tree: &[TreeEntry]) -> Option<&str> {
    tree.iter()
        .map(|e| e.path.as_str())
        .filter(|p| !p.contains('/') && p.to_ascii_uppercase().starts_with("README"))
        .min_by_key(|p| {
            let upper = p.to_ascii_uppercase();
            let rank = match upper.as_str() {
                "README.MD" => 0,
                "README" | "README.RST" | "README.TXT" | "README.MARKDOWN" => 1,
                _ => 2,
            };
            (rank, p.len(), p.to_string())
        })
}

/// Root license files: LICENSE, LICENCE, COPYING and their variants, and files naming a license
/// (CODE_LICENSE, MODEL_LICENSE, …); plain ones first.
pub fn license_paths(tree: &[TreeEntry]) -> Vec<&str> {
    let mut paths: Vec<&str> = tree
        .iter()
        .map(|e| e.path.as_str())
        .filter(|p| {
            let upper = p.to_ascii_uppercase();
            !p.contains('/')
                && p.len() <= 100
                && (upper.starts_with("LICENSE")
                    || upper.starts_with("LICENCE")
                    || upper.starts_with("COPYING")
                    || upper.contains("LICENSE")
                    || upper.contains("LICENCE"))
        })
        .collect();
    paths.sort_by_key(|p| {
        let upper = p.to_ascii_uppercase();
        let plain = upper.starts_with("LICENSE")
            || upper.starts_with("LICENCE")
            || upper.starts_with("COPYING");
        (!plain, p.len(), p.to_string())
    });
    paths.truncate(MAX_LICENSE_FILES);
    paths
}

async fn read_root_files(
    client: &GithubClient,
    repo: &RepoRef,
    branch: &str,
    tree: &[TreeEntry],
) -> (Option<RepoFile>, Vec<RepoFile>, Vec<String>) {
    let readme_at = readme_path(tree);
    let mut wanted: Vec<(&str, u64)> = readme_at.map(|p| (p, MAX_README)).into_iter().collect();
    wanted.extend(license_paths(tree).into_iter().map(|p| (p, MAX_LICENSE)));
    let mut readme = None;
    let mut licenses = Vec::new();
    let mut unreadable = Vec::new();
    // A handful of small files from a host without quota: one after the other.
    for (path, cap) in wanted {
        let url = format!(
            "/{}/{}/{}/{}",
            encode_segment(&repo.owner),
            encode_segment(&repo.name),
            encode_path(branch),
            encode_path(path)
        );
        match client.raw(&url, cap).await {
            Ok(response) if response.status.is_success() => {
                let file = RepoFile {
                    path: path.to_owned(),
                    text: crate::text::decode_text(&response.body, response.truncated).0,
                    truncated: response.truncated,
                };
                if Some(path) == readme_at {
                    readme = Some(file);
                } else {
                    licenses.push(file);
                }
            }
            // Listed but not served: nothing to read, nothing failed.
            Ok(response) if response.status == StatusCode::NOT_FOUND => {}
            _ => unreadable.push(path.to_owned()),
        }
    }
    (readme, licenses, unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> Vec<TreeEntry> {
        paths
            .iter()
            .map(|p| TreeEntry {
                path: (*p).to_owned(),
                size: Some(1),
            })
            .collect()
    }

    #[test]
    fn picks_the_root_readme_and_license_files() {
        let t = tree(&[
            "README_CN.md",
            "README.md",
            "docs/README.md",
            "LICENSE-MODEL",
            "LICENSE",
            "CODE_LICENSE",
            "src/LICENSE",
        ]);
        assert_eq!(readme_path(&t), Some("README.md"));
        assert_eq!(
            license_paths(&t),
            vec!["LICENSE", "LICENSE-MODEL", "CODE_LICENSE"]
        );
        assert_eq!(
            readme_path(&tree(&["README_zh.md", "readme.rst"])),
            Some("readme.rst")
        );
    }

    #[test]
    fn trees_keep_blobs_with_sizes() {
        let body = br#"{"sha":"abc123","truncated":false,"tree":[
            {"path":"src","type":"tree"},{"path":"src/a.py","type":"blob","size":5},
            {"path":"big.bin","type":"blob"},{"path":"vendor/x","type":"commit"}]}"#;
        let tree = Tree::parse(body, Some("W/\"e\"")).unwrap();
        assert_eq!(tree.sha.as_deref(), Some("abc123"));
        assert_eq!(tree.entries.len(), 2);
        assert_eq!(tree.entries[1].size, None);
        assert!(Tree::parse(b"[]", None).is_err());
    }
}
