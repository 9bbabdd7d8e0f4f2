//! Where a fact came from: an API field, a file and line at the audited commit, another
//! repository's metadata, a knowledge-base clause, or a derivation.

use serde::Serialize;
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
