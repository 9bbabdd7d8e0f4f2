//! Findings: things an audit noticed that a reader should know, each with a stable code.
//!
//! Codes are kebab-case, never renamed once released, and documented in `docs/codes.md`
//! (a test checks that every code here has a section there).

use crate::evidence::Provenance;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

macro_rules! codes {
    ($( $variant:ident = $code:literal, $severity:ident, $doc:literal; )*) => {
        /// Every finding code the tool can emit.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $( $variant ),* }

        impl Code {
            pub const ALL: &'static [Code] = &[ $( Code::$variant ),* ];

            pub fn as_str(self) -> &'static str {
                match self { $( Code::$variant => $code ),* }
            }

            /// The severity this code has unless the finding says otherwise.
            pub fn default_severity(self) -> Severity {
                match self { $( Code::$variant => Severity::$severity ),* }
            }

            /// One-line description, used for `--explain` and SARIF rule help.
            pub fn description(self) -> &'static str {
                match self { $( Code::$variant => $doc ),* }
            }
        }
    };
}

codes! {
    WeightsMissing = "weights-missing", Warning, "No weight file was found in the repository listing.";
    WeightsGated = "weights-gated", Warning, "Downloading the release requires accepting an access gate.";
    RepoPrivate = "repo-private", Warning, "The repository is private.";
    RepoDisabled = "repo-disabled", Error, "The repository is disabled and its files cannot be downloaded.";
    FilesUnreadable = "files-unreadable", Info, "Some files could not be read (gated without an accepted token, missing, or failed).";
    FileTooLarge = "file-too-large", Warning, "A text file was larger than the download cap; only its beginning was read.";
    FileNotUtf8 = "file-not-utf8", Warning, "A text file was not valid UTF-8; invalid bytes were replaced.";
    CardMissing = "card-missing", Warning, "The repository has no model card (README.md).";
    FrontMatterInvalid = "front-matter-invalid", Warning, "The model card's YAML front matter could not be parsed.";
    ApiFieldInvalid = "api-field-invalid", Warning, "A field of the Hub's response had an unexpected type and was ignored.";
    LicenseUndeclared = "license-undeclared", Warning, "The release declares no license in its card metadata.";
    LicenseUnknownId = "license-unknown-id", Warning, "The declared license id is not in the knowledge base.";
    LicenseConflictingDeclarations = "license-conflicting-declarations", Warning, "The card metadata declares several different licenses.";
    LicenseMismatch = "license-mismatch", Warning, "The declared license contradicts the license file's text.";
    LicenseOlderRevision = "license-older-revision", Warning, "The license file is an older revision of the license than the declared id names.";
    LicenseTextMissing = "license-text-missing", Warning, "The card declares `license: other` but ships no license text and names no known license.";
    LicenseUnrecognized = "license-unrecognized", Warning, "A license file's text matches no known license.";
    UsePolicyMissing = "use-policy-missing", Warning, "The license incorporates an acceptable-use policy the repository does not ship.";
    LicenseDrift = "license-drift", Warning, "The release declares a license more permissive than a base model's license allows.";
    LineageCycle = "lineage-cycle", Warning, "The base_model declarations form a cycle.";
    AncestorUnavailable = "ancestor-unavailable", Warning, "A base model could not be read (missing, gated, disabled or failed); the terms it passes down are unknown.";
    LineageTooDeep = "lineage-too-deep", Info, "The base-model chain was longer than the audit follows.";
    DatasetMissing = "dataset-missing", Info, "A dataset the release names is not on the Hub (404).";
    LookupFailed = "lookup-failed", Warning, "A lookup of a named dataset failed after its retries; the facts it decides are unknown (retrying may help).";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One finding on one model.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Provenance>,
}

impl Finding {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.default_severity(),
            message: message.into(),
            evidence: Vec::new(),
        }
    }

    pub fn with_evidence(mut self, provenance: Provenance) -> Self {
        self.evidence.push(provenance);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(seen.insert(s), "duplicate code {s}");
            assert!(
                s.chars()
                    .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
                "{s}"
            );
        }
    }
}

#[cfg(test)]
mod docs_tests {
    use super::Code;

    #[test]
    fn every_code_is_documented() {
        let docs = include_str!("../docs/codes.md");
        for code in Code::ALL {
            assert!(
                docs.contains(&format!("## {}\n", code.as_str())),
                "docs/codes.md has no section for `{code}`"
            );
        }
    }
}
