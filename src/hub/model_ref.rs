//! What the user named: a Hub repo id (optionally `@revision`), a Hub URL, or a folder on disk.

use reqwest::Url;
use std::fmt;
use std::path::{Path, PathBuf};

/// A validated Hub repository id: `owner/name`, or a legacy single-segment id such as `gpt2`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RepoId(String);

/// Why a text is not a Hub repo id.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidId {
    #[error("a repo id has at most one `/` (owner/name)")]
    TooManySegments,
    #[error("empty owner or name")]
    Empty,
    #[error("a name is at most 96 characters")]
    TooLong,
    #[error("only letters, digits, `-`, `_` and `.` are allowed")]
    Character,
    #[error("a name cannot start or end with `-` or `.`")]
    Edge,
    #[error("`--` and `..` are not allowed in a name")]
    DoubleSeparator,
}

/// Why a text is not a revision.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidRevision {
    #[error("empty revision after `@`")]
    Empty,
    #[error("a revision has no spaces or control characters")]
    Characters,
    #[error("a revision cannot contain `.` or `..` path parts")]
    PathParts,
}

/// Why `MODEL` names no model: each message quotes what was given and says what to pass.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ModelRefError {
    #[error("empty model name")]
    Empty,
    #[error("`{input}` is not a Hub repo id ({reason}) nor a folder")]
    NotAnId { input: String, reason: InvalidId },
    #[error("`{input}`: {reason}")]
    Revision {
        input: String,
        reason: InvalidRevision,
    },
    #[error("`{input}` is not a folder (pass a Hub id like org/name, or an existing folder)")]
    NotAFolder { input: String },
    #[error("`{input}` is not a valid URL: {detail}")]
    Url { input: String, detail: String },
    #[error("`{input}` is not on the configured Hub ({endpoint}); pass the repo id instead")]
    ForeignUrl { input: String, endpoint: String },
    #[error("`{input}` is not a model page")]
    NotAModelPage { input: String },
    #[error("`{input}` does not name a model")]
    NoModel { input: String },
    #[error("`{input}`: {reason}")]
    UrlId { input: String, reason: InvalidId },
}

impl RepoId {
    pub fn parse(raw: &str) -> Result<RepoId, InvalidId> {
        let segments: Vec<&str> = raw.split('/').collect();
        if segments.len() > 2 {
            return Err(InvalidId::TooManySegments);
        }
        for segment in &segments {
            validate_segment(segment)?;
        }
        Ok(RepoId(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id with `/` kept, each segment percent-safe by construction.
    pub fn url_path(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RepoId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Hub's own rules for a name segment: letters, digits, `-`, `_`, `.`; not starting with a
/// separator; no `--` or `..`; at most 96 characters.
fn validate_segment(segment: &str) -> Result<(), InvalidId> {
    if segment.is_empty() {
        return Err(InvalidId::Empty);
    }
    if segment.len() > 96 {
        return Err(InvalidId::TooLong);
    }
    if !segment
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(InvalidId::Character);
    }
    if segment.starts_with(['-', '.']) || segment.ends_with(['-', '.']) {
        return Err(InvalidId::Edge);
    }
    if segment.contains("--") || segment.contains("..") {
        return Err(InvalidId::DoubleSeparator);
    }
    Ok(())
}

/// A revision as given (`main`, a tag, a 40-hex sha, `refs/pr/5`).
pub fn validate_revision(raw: &str) -> Result<(), InvalidRevision> {
    if raw.is_empty() {
        return Err(InvalidRevision::Empty);
    }
    if raw.len() > 256 || raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(InvalidRevision::Characters);
    }
    if raw.split('/').any(|part| part == ".." || part == ".") {
        return Err(InvalidRevision::PathParts);
    }
    Ok(())
}

pub use crate::text::percent::{encode_path, encode_segment};

/// One model to audit, as resolved from the command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelRef {
    Hub {
        id: RepoId,
        revision: Option<String>,
    },
    Local {
        path: PathBuf,
    },
}

impl ModelRef {
    /// Parses `MODEL` as given on the command line. `endpoint` is the configured Hub, whose
    /// URLs (and huggingface.co's) are accepted as model names.
    pub fn parse(input: &str, endpoint: &Url) -> Result<ModelRef, ModelRefError> {
        let input = input.trim();
        if input.is_empty() {
            return Err(ModelRefError::Empty);
        }
        if input.starts_with("http://") || input.starts_with("https://") {
            return parse_url(input, endpoint);
        }
        if input.starts_with(['/', '.', '~']) || input.contains('\\') {
            return local(input);
        }
        let (id_part, revision) = match input.rsplit_once('@') {
            Some((id, rev)) => {
                validate_revision(rev).map_err(|reason| ModelRefError::Revision {
                    input: input.to_owned(),
                    reason,
                })?;
                (id, Some(rev.to_owned()))
            }
            None => (input, None),
        };
        match RepoId::parse(id_part) {
            Ok(id) => Ok(ModelRef::Hub { id, revision }),
            Err(_) if Path::new(input).is_dir() => local(input),
            Err(reason) => Err(ModelRefError::NotAnId {
                input: input.to_owned(),
                reason,
            }),
        }
    }

    pub fn display_name(&self) -> String {
        match self {
            ModelRef::Hub {
                id,
                revision: Some(rev),
            } => format!("{id}@{rev}"),
            ModelRef::Hub { id, revision: None } => id.to_string(),
            ModelRef::Local { path } => path.display().to_string(),
        }
    }
}

fn local(input: &str) -> Result<ModelRef, ModelRefError> {
    let expanded = match input.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME").map(|h| Path::new(&h).join(rest)),
        None => None,
    }
    .unwrap_or_else(|| PathBuf::from(input));
    if expanded.is_dir() {
        Ok(ModelRef::Local { path: expanded })
    } else {
        Err(ModelRefError::NotAFolder {
            input: input.to_owned(),
        })
    }
}

fn parse_url(input: &str, endpoint: &Url) -> Result<ModelRef, ModelRefError> {
    let owned = || input.to_owned();
    let url = Url::parse(input).map_err(|e| ModelRefError::Url {
        input: owned(),
        detail: e.to_string(),
    })?;
    let same_origin = |other: &Url| {
        url.scheme() == other.scheme()
            && url.host_str() == other.host_str()
            && url.port_or_known_default() == other.port_or_known_default()
    };
    let hub = Url::parse(super::settings::DEFAULT_ENDPOINT).expect("constant URL");
    if !same_origin(endpoint) && !same_origin(&hub) {
        return Err(ModelRefError::ForeignUrl {
            input: owned(),
            endpoint: endpoint.as_str().trim_end_matches('/').to_owned(),
        });
    }
    let base_path = if same_origin(endpoint) {
        endpoint.path().trim_end_matches('/')
    } else {
        ""
    };
    let rest = url.path().strip_prefix(base_path).unwrap_or(url.path());
    let parts: Vec<&str> = rest.split('/').filter(|p| !p.is_empty()).collect();
    if matches!(parts.first(), Some(&("datasets" | "spaces" | "api"))) {
        return Err(ModelRefError::NotAModelPage { input: owned() });
    }
    let (id, tail) = match parts.as_slice() {
        [owner, name, tail @ ..] if !matches!(*name, "tree" | "blob" | "resolve") => {
            (format!("{owner}/{name}"), tail)
        }
        [name, tail @ ..] => (name.to_string(), tail),
        [] => return Err(ModelRefError::NoModel { input: owned() }),
    };
    let id = RepoId::parse(&id).map_err(|reason| ModelRefError::UrlId {
        input: owned(),
        reason,
    })?;
    let revision = match tail {
        [kind, rev, ..] if matches!(*kind, "tree" | "blob" | "resolve") => {
            let rev = crate::text::percent::decode(rev);
            validate_revision(&rev).map_err(|reason| ModelRefError::Revision {
                input: owned(),
                reason,
            })?;
            Some(rev)
        }
        _ => None,
    };
    Ok(ModelRef::Hub { id, revision })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hub() -> Url {
        Url::parse("https://huggingface.co").unwrap()
    }

    #[test]
    fn parses_ids_revisions_and_urls() {
        assert_eq!(
            ModelRef::parse("Qwen/Qwen2.5-7B-Instruct@main", &hub()).unwrap(),
            ModelRef::Hub {
                id: RepoId::parse("Qwen/Qwen2.5-7B-Instruct").unwrap(),
                revision: Some("main".into())
            }
        );
        assert_eq!(
            ModelRef::parse(
                "https://huggingface.co/meta-llama/Llama-3.1-8B/tree/refs%2Fpr%2F5",
                &hub()
            )
            .unwrap(),
            ModelRef::Hub {
                id: RepoId::parse("meta-llama/Llama-3.1-8B").unwrap(),
                revision: Some("refs/pr/5".into())
            }
        );
        assert_eq!(
            ModelRef::parse("gpt2", &hub()).unwrap(),
            ModelRef::Hub {
                id: RepoId::parse("gpt2").unwrap(),
                revision: None
            }
        );
    }

    #[test]
    fn rejects_traversal_and_foreign_urls() {
        for bad in [
            "../etc",
            "a/../b",
            "a/b/c",
            "a--b/c",
            "https://evil.example/org/name",
            "org/na me",
            "org/name@",
        ] {
            assert!(
                ModelRef::parse(bad, &hub()).is_err(),
                "{bad} should be rejected"
            );
        }
    }
}
