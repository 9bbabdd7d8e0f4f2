//! What the Hub answered, recorded beside the Hugging Face cache so a second run can reuse it:
//! the commit `main` pointed to (and the model info's ETag), the related lookups (datasets,
//! base models, branches). Files need no record: the cache keeps them by commit, and a commit
//! never changes.
//!
//! A record is reused online while it is younger than the freshness window
//! ([`crate::limits::METADATA_FRESHNESS`]) and only for the endpoint and credentials that made it
//! (a token's answers never answer for a run without it); `--refresh` ignores them; `--offline`
//! reads them whatever their age. Records live in each repository's `.openness/` folder, which
//! `huggingface_hub` and `hf-hub` ignore.

use super::cache::HubCache;
use super::settings::HubSettings;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Which kind of repository a record is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepoKind {
    Model,
    Dataset,
}

/// Reads and writes records for one run.
#[derive(Clone, Debug)]
pub struct Records {
    root: PathBuf,
    /// The endpoint and the credentials in use; a record made under another scope is not reused.
    scope: String,
    max_age: Duration,
    /// `--refresh`: nothing is reused online (records are still written).
    refresh: bool,
    offline: bool,
}

/// A record as stored.
#[derive(Serialize, serde::Deserialize)]
struct Stored<T> {
    /// Seconds since the Unix epoch.
    fetched: u64,
    scope: String,
    body: T,
}

/// A record read back, and whether it may answer without asking the Hub.
#[derive(Debug)]
pub struct Recorded<T> {
    pub body: T,
    /// Fresh and made under this run's scope (or offline, where any record is used).
    pub reusable: bool,
}

impl Records {
    pub fn new(settings: &HubSettings, refresh: bool) -> Records {
        Records {
            root: settings.cache_dir.clone(),
            scope: scope(settings),
            max_age: crate::limits::METADATA_FRESHNESS,
            refresh,
            offline: settings.offline,
        }
    }

    /// Sets the freshness window (tests, and callers with their own policy).
    pub fn with_max_age(mut self, max_age: Duration) -> Records {
        self.max_age = max_age;
        self
    }

    pub fn offline(&self) -> bool {
        self.offline
    }

    /// `--refresh`: nothing recorded answers without asking.
    pub fn refresh(&self) -> bool {
        self.refresh
    }

    /// The Hugging Face hub cache the records live in.
    pub fn cache_root(&self) -> PathBuf {
        self.root.clone()
    }

    fn path(&self, kind: RepoKind, id: &str, name: &str) -> Option<PathBuf> {
        let cache = match kind {
            RepoKind::Model => HubCache::new(self.root.clone()),
            RepoKind::Dataset => HubCache::datasets(self.root.clone()),
        };
        cache.record_path(id, name)
    }

    /// The record `name` of repository `id`, when there is one for this scope (offline: any).
    pub fn read<T: DeserializeOwned>(
        &self,
        kind: RepoKind,
        id: &str,
        name: &str,
    ) -> Option<Recorded<T>> {
        let path = self.path(kind, id, name)?;
        let bytes = fs_err::read(path).ok()?;
        let stored: Stored<T> = serde_json::from_slice(&bytes).ok()?;
        if self.offline {
            return Some(Recorded {
                body: stored.body,
                reusable: true,
            });
        }
        if stored.scope != self.scope {
            return None;
        }
        let age = now().saturating_sub(stored.fetched);
        Some(Recorded {
            body: stored.body,
            reusable: !self.refresh && age <= self.max_age.as_secs(),
        })
    }

    /// Records `body` as what the Hub answered now. Best effort: a read-only or full cache never
    /// fails an audit.
    pub fn write<T: Serialize>(&self, kind: RepoKind, id: &str, name: &str, body: &T) {
        if self.offline {
            return;
        }
        let Some(path) = self.path(kind, id, name) else {
            return;
        };
        let stored = Stored {
            fetched: now(),
            scope: self.scope.clone(),
            body,
        };
        if let Ok(bytes) = serde_json::to_vec(&stored) {
            let _ = super::cache::write_file_atomic(&path, &bytes);
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The endpoint and a fingerprint of the credentials (the first 16 hex digits of the token's
/// SHA-256, never the token).
fn scope(settings: &HubSettings) -> String {
    let who = match &settings.token {
        Some(token) => {
            let digest = ring::digest::digest(&ring::digest::SHA256, token.expose().as_bytes());
            let hex: String = digest.as_ref()[..8]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            format!("token:{hex}")
        }
        None => "anonymous".to_owned(),
    };
    format!("{} {who}", settings.endpoint.as_str().trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::SettingsOverrides;

    fn settings(dir: &std::path::Path, token: Option<&str>, offline: bool) -> HubSettings {
        let overrides = SettingsOverrides {
            endpoint: Some("http://127.0.0.1:9".into()),
            token: token.map(str::to_owned),
            cache_dir: Some(dir.to_path_buf()),
            offline,
            ..Default::default()
        };
        HubSettings::resolve(&overrides, &|_| None).unwrap()
    }

    #[test]
    fn records_answer_only_their_scope_within_the_window() {
        let dir = tempfile::tempdir().unwrap();
        let anonymous = Records::new(&settings(dir.path(), None, false), false);
        anonymous.write(RepoKind::Dataset, "o/d", "lookup", &"missing");
        let again = anonymous.read::<String>(RepoKind::Dataset, "o/d", "lookup");
        assert!(again.is_some_and(|r| r.reusable && r.body == "missing"));
        assert!(
            dir.path()
                .join("datasets--o--d/.openness/lookup.json")
                .is_file()
        );
        let with_token = Records::new(&settings(dir.path(), Some("hf_x"), false), false);
        assert!(
            with_token
                .read::<String>(RepoKind::Dataset, "o/d", "lookup")
                .is_none()
        );
        let refresh = Records::new(&settings(dir.path(), None, false), true);
        assert!(
            !refresh
                .read::<String>(RepoKind::Dataset, "o/d", "lookup")
                .unwrap()
                .reusable
        );
        let stale = anonymous.clone().with_max_age(Duration::ZERO);
        std::thread::sleep(Duration::from_millis(1100));
        assert!(
            !stale
                .read::<String>(RepoKind::Dataset, "o/d", "lookup")
                .unwrap()
                .reusable
        );
        let offline = Records::new(&settings(dir.path(), Some("hf_x"), true), false);
        assert!(
            offline
                .read::<String>(RepoKind::Dataset, "o/d", "lookup")
                .unwrap()
                .reusable
        );
        let text = fs_err::read_to_string(dir.path().join("datasets--o--d/.openness/lookup.json"))
            .unwrap();
        assert!(!text.contains("hf_x"));
    }
}
