//! Evidence: typed facts about a release, each with the provenance that established it.
//!
//! Everything here is a pure function of what the `hub` module fetched; no I/O.

pub mod base_model;
pub mod card;
pub mod checkpoints;
pub mod code;
pub mod code_owner;
pub mod collect;
pub mod compute;
pub mod data;
pub mod frontmatter;
pub mod keys;
pub mod lineage;
pub mod paper_roles;
pub mod papers;
pub mod recognition;
pub mod release_files;
pub mod topics;
pub mod value;
pub mod weights;

pub use collect::collect;
pub use keys::Key;
pub use value::{Value, ValueType};

use crate::findings::Finding;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Where a fact came from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum Provenance {
    /// A field of the Hub's model-info response (`cardData.license`, `tags`, `siblings`, …).
    Api { field: String },
    /// A file of the release, at the revision the scorecard names.
    File {
        path: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
    },
    /// A field of another repository's Hub metadata: a dataset the card names
    /// (`datasets/org/name`) or a base model (`org/name`).
    Related { repo: String, field: String },
    /// A property looked up in the license knowledge base, with the clause that justifies it.
    Knowledge { license: String, why: Arc<str> },
    /// Computed from other facts.
    Derived { note: String },
}

impl Provenance {
    pub fn api(field: &str) -> Self {
        Provenance::Api {
            field: field.to_owned(),
        }
    }

    pub fn file(path: &str, line: Option<u32>) -> Self {
        Provenance::File {
            path: path.to_owned(),
            line,
        }
    }

    pub fn related(repo: impl Into<String>, field: &str) -> Self {
        Provenance::Related {
            repo: repo.into(),
            field: field.to_owned(),
        }
    }

    pub fn derived(note: impl Into<String>) -> Self {
        Provenance::Derived { note: note.into() }
    }
}

impl std::fmt::Display for Provenance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Provenance::Api { field } => write!(f, "API {field}"),
            Provenance::File {
                path,
                line: Some(line),
            } => write!(f, "{path}:{line}"),
            Provenance::File { path, line: None } => write!(f, "{path}"),
            Provenance::Related { repo, field } => write!(f, "API {repo} {field}"),
            Provenance::Knowledge { license, why } => write!(f, "license {license}: {why}"),
            Provenance::Derived { note } => write!(f, "{note}"),
        }
    }
}

/// One established fact.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fact {
    pub value: Value,
    pub provenance: Vec<Provenance>,
}

/// What a license file of the release is for, from its name (`license-roles` in
/// `data/recognition.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextRole {
    /// The model's license (`LICENSE`, `LICENSE-MODEL`, `LICENSE.md`…).
    Model,
    /// The code's license (`LICENSE-CODE`).
    Code,
    /// An acceptable-use policy (`USE_POLICY.md`…).
    Policy,
    /// Third-party notices (`NOTICE`).
    Notice,
}

/// A license file and what its text was recognised as.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicenseText {
    pub path: String,
    pub role: TextRole,
    pub recognition: crate::licenses::detect::Recognition,
}

/// The facts about one release, keyed by evidence key (see [`keys::KEYS`]), plus the findings
/// noticed while establishing them. A key that could not be established is absent.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Evidence {
    /// Shared, so the scorecard and every criterion that cites a fact point at one copy.
    facts: BTreeMap<Key, Arc<Fact>>,
    #[serde(skip)]
    pub findings: Vec<Finding>,
    /// What each license file was recognised as (kept beside the keyed facts: a file may hold
    /// several licenses).
    #[serde(skip)]
    pub license_texts: Vec<LicenseText>,
}

impl Evidence {
    /// Records a fact, replacing any earlier value of the key.
    ///
    /// # Panics
    /// In debug builds, when `value` has the wrong type for `key`: a programming error, caught
    /// by the test suite.
    pub fn set(&mut self, key: Key, value: impl Into<Value>, provenance: Provenance) {
        self.set_from(key, value, vec![provenance]);
    }

    /// Records a fact established by several sources.
    pub fn set_from(&mut self, key: Key, value: impl Into<Value>, provenance: Vec<Provenance>) {
        let value = value.into();
        debug_assert!(
            key.value_type() == value.value_type(),
            "evidence key {key} takes {:?}, not {value:?}",
            key.value_type()
        );
        self.facts.insert(key, Arc::new(Fact { value, provenance }));
    }

    pub fn get(&self, key: Key) -> Option<&Fact> {
        self.facts.get(&key).map(|fact| &**fact)
    }

    /// The fact itself, shared (no copy).
    pub fn shared(&self, key: Key) -> Option<Arc<Fact>> {
        self.facts.get(&key).cloned()
    }

    pub fn value(&self, key: Key) -> Option<&Value> {
        self.facts.get(&key).map(|fact| &fact.value)
    }

    pub fn str(&self, key: Key) -> Option<&str> {
        match self.value(key) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn list(&self, key: Key) -> &[String] {
        match self.value(key) {
            Some(Value::List(items)) => items,
            _ => &[],
        }
    }

    pub fn bool(&self, key: Key) -> Option<bool> {
        match self.value(key) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Key, &Arc<Fact>)> {
        self.facts.iter().map(|(k, v)| (*k, v))
    }

    pub fn remove(&mut self, key: Key) -> Option<Arc<Fact>> {
        self.facts.remove(&key)
    }
}
