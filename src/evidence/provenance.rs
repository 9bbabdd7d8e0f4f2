//! Where a fact came from: an API field, a file and line at the audited commit, another
//! repository's metadata, a linked code repository (its tree, a file and line), a
//! knowledge-base clause, or a derivation.

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
    /// A code repository the card links, as read on its host: the repository (its web address),
    /// the snapshot read (the id the host's tree answer names), and the path and line in it when
    /// the fact comes from a file or a path of its tree.
    Repository {
        repo: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        commit: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
    },
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

    /// A fact of a linked code repository (`repo` its web address), at the snapshot `commit`,
    /// from `path` (and `line`) when there is one.
    pub fn repository(
        repo: impl Into<String>,
        commit: Option<&str>,
        path: Option<&str>,
        line: Option<u32>,
    ) -> Self {
        Provenance::Repository {
            repo: repo.into(),
            commit: commit.map(str::to_owned),
            path: path.map(str::to_owned),
            line,
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
            Provenance::Repository {
                repo,
                commit,
                path,
                line,
            } => {
                write!(
                    f,
                    "{}",
                    repo.split_once("://").map_or(repo.as_str(), |(_, r)| r)
                )?;
                if let Some(commit) = commit {
                    write!(f, "@{}", &commit[..commit.len().min(12)])?;
                }
                if let Some(path) = path {
                    write!(f, " {path}")?;
                }
                if let Some(line) = line {
                    write!(f, ":{line}")?;
                }
                Ok(())
            }
            Provenance::Knowledge { license, why } => write!(f, "license {license}: {why}"),
            Provenance::Derived { note } => write!(f, "{note}"),
        }
    }
}
