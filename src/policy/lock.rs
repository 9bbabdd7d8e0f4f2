//! `openness.lock`: what `openness check --update-lock` recorded about each model, so a later
//! `check` can say what changed upstream. Deterministic TOML: models sorted by id, keys in a
//! fixed order, no timestamps — the same facts give the same bytes, and a diff of the file in a
//! pull request shows exactly what moved.

use super::snapshot::Snapshot;
use serde::{Deserialize, Serialize};

/// The format version written in the file.
pub const VERSION: u32 = 1;

const HEADER: &str = "# openness.lock: written by `openness check --update-lock`. Commit it; do not edit it by hand.\n# Each [[model]] records what was audited: the commit, the license and the hash of each license\n# text, the gate, and the score. `openness check` reports what changed since.\n\n";

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lock {
    pub version: u32,
    #[serde(default, rename = "model")]
    pub models: Vec<Snapshot>,
}

/// A lock file this version cannot read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LockError {
    #[error(
        "{file} is not a valid lock file ({detail}); delete it and run `openness check --update-lock`"
    )]
    Invalid { file: String, detail: String },
    #[error(
        "{file} has version {found}, this openness reads version {VERSION}; run `openness check --update-lock`"
    )]
    Version { file: String, found: u32 },
}

impl Lock {
    /// Reads a lock file; `file` names it in the error.
    pub fn parse(file: &str, text: &str) -> Result<Lock, LockError> {
        let lock: Lock = toml::from_str(text).map_err(|e| LockError::Invalid {
            file: file.to_owned(),
            detail: e.to_string().trim().to_owned(),
        })?;
        if lock.version != VERSION {
            return Err(LockError::Version {
                file: file.to_owned(),
                found: lock.version,
            });
        }
        Ok(lock)
    }

    /// The recorded entry of a model (ids compare case-insensitively, as on the Hub).
    pub fn get(&self, id: &str) -> Option<&Snapshot> {
        self.models.iter().find(|m| m.id.eq_ignore_ascii_case(id))
    }

    /// The lock after a run: `fresh` records replace the old ones; models in `keep` (checked but
    /// not fetched this time) keep their old record; models no longer checked are dropped.
    pub fn updated(old: Option<&Lock>, fresh: Vec<Snapshot>, keep: &[String]) -> Lock {
        let mut models = fresh;
        if let Some(old) = old {
            for id in keep {
                if let Some(previous) = old.get(id)
                    && !models.iter().any(|m| m.id.eq_ignore_ascii_case(id))
                {
                    models.push(previous.clone());
                }
            }
        }
        models.sort_by_key(|m| m.id.to_ascii_lowercase());
        models.dedup_by(|a, b| a.id.eq_ignore_ascii_case(&b.id));
        Lock {
            version: VERSION,
            models,
        }
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut sorted = self.clone();
        sorted.models.sort_by_key(|m| m.id.to_ascii_lowercase());
        for model in &mut sorted.models {
            model.license_files.sort_by(|a, b| a.path.cmp(&b.path));
        }
        let body = toml::to_string(&sorted).expect("a lock serializes");
        format!("{HEADER}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::snapshot::LicenseFile;
    use std::collections::BTreeMap;

    fn snapshot(id: &str) -> Snapshot {
        Snapshot {
            id: id.to_owned(),
            revision: Some("0".repeat(40)),
            license: Some("mit".to_owned()),
            declared: vec!["mit".to_owned()],
            gate: Some("none".to_owned()),
            weights_published: Some(true),
            weight_formats: vec!["safetensors".to_owned()],
            data: None,
            rubric: "default 1.1.0".to_owned(),
            score: 55.5,
            max: 100.0,
            dimensions: BTreeMap::from([("weights".to_owned(), 25.0)]),
            license_files: vec![LicenseFile {
                path: "LICENSE".to_owned(),
                sha256: Some("ab".repeat(32)),
                blob: None,
            }],
        }
    }

    #[test]
    fn round_trips_sorted_and_deterministic() {
        let lock = Lock::updated(None, vec![snapshot("z/last"), snapshot("A/first")], &[]);
        let text = lock.render();
        assert!(text.starts_with("# openness.lock"));
        assert!(text.find("A/first").unwrap() < text.find("z/last").unwrap());
        assert!(text.contains("[[model.license-files]]"), "{text}");
        let back = Lock::parse("openness.lock", &text).unwrap();
        assert_eq!(back, lock);
        assert_eq!(back.render(), text);
        assert!(back.get("a/FIRST").is_some());
    }

    #[test]
    fn keeps_models_that_could_not_be_fetched_and_drops_the_rest() {
        let old = Lock::updated(
            None,
            vec![snapshot("a/x"), snapshot("b/y"), snapshot("c/z")],
            &[],
        );
        let mut newer = snapshot("a/x");
        newer.score = 10.0;
        let lock = Lock::updated(Some(&old), vec![newer], &["b/y".to_owned()]);
        let ids: Vec<&str> = lock.models.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["a/x", "b/y"]);
        assert_eq!(lock.models[0].score, 10.0);
    }

    #[test]
    fn rejects_what_it_did_not_write() {
        assert_eq!(
            Lock::parse("openness.lock", "version = 2\n").unwrap_err(),
            LockError::Version {
                file: "openness.lock".to_owned(),
                found: 2
            }
        );
        let err = Lock::parse("openness.lock", "version = 1\n[[model]]\nid = 3\n").unwrap_err();
        assert!(err.to_string().contains("not a valid lock file"), "{err}");
    }
}
