//! Findings: things an audit noticed that a reader should know, each with a stable code.
//!
//! Codes are kebab-case, never renamed once released, and documented in `docs/codes.md`
//! (a test checks that every code here has a section there).

use super::provenance::Provenance;
use crate::hub::{Gate, Lookup, Unreadable};
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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
    WeightsEuDisallowed = "weights-eu-disallowed", Warning, "The access gate refuses every user in the European Union.";
    RepoPrivate = "repo-private", Warning, "The repository is private.";
    RepoDisabled = "repo-disabled", Error, "The repository is disabled and its files cannot be downloaded.";
    FilesUnreadable = "files-unreadable", Info, "Some files could not be read (gated without an accepted token, missing, or failed).";
    FileTooLarge = "file-too-large", Warning, "A text file was larger than the download cap; only its beginning was read.";
    FileNotUtf8 = "file-not-utf8", Warning, "A text file was not valid UTF-8; invalid bytes were replaced.";
    LicenseFilesCapped = "license-files-capped", Warning, "The repository has more license-like files than an audit reads; the first ones were read, the rest left out.";
    EvidenceCapped = "evidence-capped", Warning, "An evidence list or value was longer than a report keeps; its first items (or bytes) were kept.";
    FindingsCapped = "findings-capped", Warning, "The model had more findings than a report keeps; the most severe were kept.";
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
    ListingCapped = "listing-capped", Warning, "The repository lists more files than the audit keeps (100,000); the files past the cap were not read.";
    LookupFailed = "lookup-failed", Warning, "A related lookup (a named dataset or its card, the branches, a base model) failed after its retries; the facts it decides are unknown (retrying may help).";
    CodeRepoMissing = "code-repo-missing", Warning, "A code repository the card links does not exist on GitHub (404): a dead link.";
    CodeRepoMoved = "code-repo-moved", Info, "A code repository the card links has moved or been renamed; it was read under its new name.";
    CodeRepoArchived = "code-repo-archived", Info, "A code repository the card links is archived by its owner (read-only, no longer maintained).";
    CodeHostQuota = "code-host-quota", Warning, "GitHub's API quota ran out: the linked repositories not yet read are unknown until it resets (set GITHUB_TOKEN).";
    CodeHostUnread = "code-host-unread", Warning, "A linked code repository could not be read (network, server, or not in the cache offline); its facts are unknown.";
    CodeLicenseMismatch = "code-license-mismatch", Warning, "The code license the release states (LICENSE-CODE or the card) differs from the license file of its code repository.";
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
    fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.default_severity(),
            message: message.into(),
            evidence: Vec::new(),
        }
    }

    /// Adds where the finding was noticed.
    pub fn with_evidence(mut self, provenance: Provenance) -> Self {
        self.evidence.push(provenance);
        self
    }

    fn with_all(mut self, provenance: impl IntoIterator<Item = Provenance>) -> Self {
        self.evidence.extend(provenance);
        self
    }
}

// One constructor per finding, beside its code: this is the one place to read every message.

/// The release's repository and files.
impl Finding {
    pub fn weights_missing() -> Finding {
        Finding::new(
            Code::WeightsMissing,
            "no weight file in the repository listing",
        )
        .with_evidence(Provenance::api("siblings"))
    }

    pub fn weights_gated(gate: Gate) -> Finding {
        let wait = if gate == Gate::Manual {
            " and wait for approval"
        } else {
            ""
        };
        Finding::new(
            Code::WeightsGated,
            format!(
                "downloads are gated ({}): users must accept the publisher's conditions{wait}",
                gate.as_str()
            ),
        )
        .with_evidence(Provenance::api("gated"))
    }

    pub fn weights_eu_disallowed(at: Provenance) -> Finding {
        Finding::new(
            Code::WeightsEuDisallowed,
            "the gate refuses every user in the European Union (extra_gated_eu_disallowed: true): nobody in the EU can download the weights, whatever the license allows",
        )
        .with_evidence(at)
    }

    pub fn repo_private() -> Finding {
        Finding::new(Code::RepoPrivate, "the repository is private")
            .with_evidence(Provenance::api("private"))
    }

    pub fn repo_disabled() -> Finding {
        Finding::new(Code::RepoDisabled, "the repository is disabled")
            .with_evidence(Provenance::api("disabled"))
    }

    pub fn file_too_large(path: &str) -> Finding {
        Finding::new(
            Code::FileTooLarge,
            format!("{path} is larger than the download cap; only its beginning was read"),
        )
        .with_evidence(Provenance::file(path, None))
    }

    /// `read` license-like files read, `left_out` more in the listing.
    pub fn license_files_capped(read: usize, left_out: usize) -> Finding {
        Finding::new(
            Code::LicenseFilesCapped,
            format!(
                "the repository lists {} license-like files; the audit read {read} (the license, notice and policy files by name first) and left {left_out} out",
                read + left_out
            ),
        )
        .with_evidence(Provenance::api("siblings"))
    }

    /// Evidence `key` held `total` items (or, for one value, `total` bytes) and the report keeps
    /// `kept`.
    pub fn evidence_capped(key: &str, what: &str, total: usize, kept: usize) -> Finding {
        Finding::new(
            Code::EvidenceCapped,
            format!("`{key}` had {total} {what}; the report keeps the first {kept}"),
        )
    }

    /// `dropped` findings left out past the per-model cap.
    pub fn findings_capped(kept: usize, dropped: usize) -> Finding {
        Finding::new(
            Code::FindingsCapped,
            format!(
                "{} findings; the report keeps the {kept} most severe and leaves {dropped} out",
                kept + dropped
            ),
        )
    }

    pub fn file_not_utf8(path: &str) -> Finding {
        Finding::new(Code::FileNotUtf8, format!("{path} is not valid UTF-8"))
            .with_evidence(Provenance::file(path, None))
    }

    /// `files`: each file that could not be read, with why.
    pub fn files_unreadable(files: &[(&str, &Unreadable)]) -> Finding {
        let listed: Vec<String> = files
            .iter()
            .map(|(path, why)| {
                let why = match why {
                    Unreadable::Gated => {
                        "gated: accept the conditions on the model page and pass a token".to_owned()
                    }
                    Unreadable::Missing => "listed but not found".to_owned(),
                    Unreadable::NotCached => "not in the local cache".to_owned(),
                    Unreadable::Refused { status } => format!("refused with HTTP {status}"),
                };
                format!("{path} ({why})")
            })
            .collect();
        Finding::new(
            Code::FilesUnreadable,
            format!("not read: {}", listed.join(", ")),
        )
    }

    pub fn listing_capped(kept: usize, dropped: u64) -> Finding {
        Finding::new(
            Code::ListingCapped,
            format!(
                "the repository lists {} files; the first {kept} were read and the facts that count files may be incomplete",
                kept as u64 + dropped
            ),
        )
        .with_evidence(Provenance::api("siblings"))
    }

    pub fn card_missing() -> Finding {
        Finding::new(
            Code::CardMissing,
            "the repository has no README.md model card",
        )
    }

    pub fn front_matter_invalid(error: &str) -> Finding {
        Finding::new(
            Code::FrontMatterInvalid,
            format!("README.md front matter: {error}"),
        )
        .with_evidence(Provenance::file("README.md", Some(1)))
    }

    /// A field of the Hub's answer with the wrong type.
    pub fn api_field_invalid(field: &str, expected: &str) -> Finding {
        Finding::new(
            Code::ApiFieldInvalid,
            format!("the Hub's `{field}` field is not {expected}; it was ignored"),
        )
        .with_evidence(Provenance::api(field))
    }

    /// A card metadata key with the wrong type, in the Hub's `cardData` or the README's front
    /// matter.
    pub fn metadata_key_invalid(
        in_front_matter: bool,
        key: &str,
        expected: &str,
        at: Provenance,
    ) -> Finding {
        let (code, what) = if in_front_matter {
            (Code::FrontMatterInvalid, "README.md front matter")
        } else {
            (Code::ApiFieldInvalid, "card metadata")
        };
        Finding::new(
            code,
            format!("{what} `{key}` is not {expected}; it was ignored"),
        )
        .with_evidence(at)
    }
}

/// The license, as declared and as its texts say.
impl Finding {
    pub fn license_undeclared() -> Finding {
        Finding::new(
            Code::LicenseUndeclared,
            "the card metadata declares no license",
        )
    }

    pub fn license_ids_conflict(ids: &[String], at: Option<Provenance>) -> Finding {
        Finding::new(
            Code::LicenseConflictingDeclarations,
            format!(
                "the card metadata declares several licenses: {}",
                ids.join(", ")
            ),
        )
        .with_all(at)
    }

    /// `license: apache-2.0` with `license_name: yi-license`.
    pub fn license_name_conflicts(
        declared: &str,
        name: &str,
        named: (&str, &str),
        at: impl IntoIterator<Item = Provenance>,
    ) -> Finding {
        let (named_id, named_title) = named;
        Finding::new(
            Code::LicenseConflictingDeclarations,
            format!(
                "the card declares `license: {declared}` but `license_name: {name}` names `{named_id}` ({named_title})"
            ),
        )
        .with_all(at)
    }

    pub fn license_id_unknown(id: &str, at: Provenance) -> Finding {
        Finding::new(
            Code::LicenseUnknownId,
            format!("declared license `{id}` is not in the knowledge base"),
        )
        .with_evidence(at)
    }

    pub fn license_name_unknown(name: &str, at: Provenance) -> Finding {
        Finding::new(
            Code::LicenseUnknownId,
            format!("license_name `{name}` is not in the knowledge base"),
        )
        .with_evidence(at)
    }

    /// `closest`: the nearest standard text and its similarity, when near enough to name.
    pub fn license_unrecognized(path: &str, closest: Option<(&str, f32)>) -> Finding {
        let closest = closest
            .map(|(id, score)| format!(" (closest standard text: {id} at {:.0} %)", score * 100.0))
            .unwrap_or_default();
        Finding::new(
            Code::LicenseUnrecognized,
            format!("{path} matches no known license{closest}"),
        )
        .with_evidence(Provenance::file(path, None))
    }

    /// The card declares `declared`, but `file` is the text of `text` (id, title).
    pub fn license_mismatch(
        declared: &str,
        file: &str,
        text: (&str, &str),
        at: impl IntoIterator<Item = Provenance>,
    ) -> Finding {
        let (text_id, text_title) = text;
        Finding::new(
            Code::LicenseMismatch,
            format!(
                "the card declares `{declared}` but {file} is the text of `{text_id}` ({text_title}); the text is what recipients receive, so it is used"
            ),
        )
        .with_all(at)
    }

    /// The card declares `declared` (id, revision, effective date), but `file` holds the
    /// earlier revision `text` (id, effective date).
    pub fn license_older_revision(
        declared: (&str, &str, &str),
        file: &str,
        text: (&str, &str),
        at: impl IntoIterator<Item = Provenance>,
    ) -> Finding {
        let (declared_id, revision, effective) = declared;
        let (text_id, text_effective) = text;
        Finding::new(
            Code::LicenseOlderRevision,
            format!(
                "the card declares `{declared_id}` ({revision}, effective {effective}) but {file} is the earlier revision `{text_id}` (effective {text_effective}); its terms are used"
            ),
        )
        .with_all(at)
    }

    pub fn license_text_missing(at: Provenance) -> Finding {
        Finding::new(
            Code::LicenseTextMissing,
            "the card declares `license: other` but no license text could be recognised and no known license is named",
        )
        .with_evidence(at)
    }

    /// `license` incorporates the policy `policy` (id, title), which is not shipped.
    pub fn use_policy_missing(license: &str, policy: (&str, &str)) -> Finding {
        let (policy_id, policy_title) = policy;
        Finding::new(
            Code::UsePolicyMissing,
            format!(
                "`{license}` incorporates the {policy_title} (`{policy_id}`), which the repository does not ship"
            ),
        )
        .with_evidence(Provenance::Knowledge {
            license: license.to_owned(),
            why: format!("incorporates `{policy_id}`").into(),
        })
    }
}

/// Lineage and the repositories around the release.
impl Finding {
    /// The release declares `own`, but base model `base` is under `inherited`, for `reasons`.
    pub fn license_drift(
        own: &str,
        base: &str,
        inherited: &str,
        reasons: &[String],
        at: impl IntoIterator<Item = Provenance>,
    ) -> Finding {
        Finding::new(
            Code::LicenseDrift,
            format!(
                "declares {own} but base model `{base}` is under {inherited}, which still applies: {}",
                reasons.join("; ")
            ),
        )
        .with_all(at)
    }

    pub fn lineage_cycle(cycle: &[String]) -> Finding {
        Finding::new(
            Code::LineageCycle,
            format!("the base models form a cycle: {}", cycle.join(" → ")),
        )
        .with_evidence(Provenance::related(
            cycle[cycle.len().saturating_sub(2)].clone(),
            "cardData.base_model",
        ))
    }

    /// A base model whose lookup gave no metadata; `None` when it was found.
    pub fn ancestor_unavailable(id: &str, child: &str, lookup: &Lookup) -> Option<Finding> {
        let why = match lookup {
            Lookup::Found(_) | Lookup::NotCached => return None,
            Lookup::Missing => "is not on the Hub (404, or private)".to_owned(),
            Lookup::Gated => "is gated and its metadata could not be read".to_owned(),
            Lookup::Disabled => "is disabled on the Hub".to_owned(),
            Lookup::Failed(why) => {
                return Some(lookup_failed(
                    &format!("base model `{id}` (of `{child}`)"),
                    why,
                    "the terms it passes down are unknown",
                    format!("GET /api/models/{id}"),
                ));
            }
        };
        Some(
            Finding::new(
                Code::AncestorUnavailable,
                format!(
                    "base model `{id}` (of `{child}`) {why}; the terms it passes down are unknown"
                ),
            )
            .with_evidence(Provenance::derived(format!("GET /api/models/{id}"))),
        )
    }

    pub fn ancestor_invalid(value: &str, child: &str) -> Finding {
        Finding::new(
            Code::AncestorUnavailable,
            format!("base model `{value}` (of `{child}`) is not a Hub model id"),
        )
        .with_evidence(Provenance::related(child, "cardData.base_model"))
    }

    pub fn lineage_too_deep(followed: usize) -> Finding {
        Finding::new(
            Code::LineageTooDeep,
            format!("the base-model chain was followed for {followed} ancestors and stopped there"),
        )
    }

    pub fn dataset_missing(id: &str) -> Finding {
        Finding::new(
            Code::DatasetMissing,
            format!("dataset `{id}` named by the release is not on the Hub (404)"),
        )
        .with_evidence(Provenance::derived(format!("GET /api/datasets/{id}: 404")))
    }

    pub fn dataset_lookup_failed(id: &str, why: &str) -> Finding {
        lookup_failed(
            &format!("dataset `{id}`"),
            why,
            "the data criteria that need it are unknown",
            format!("GET /api/datasets/{id}"),
        )
    }

    pub fn dataset_card_lookup_failed(id: &str, why: &str) -> Finding {
        lookup_failed(
            &format!("the card of dataset `{id}`"),
            why,
            "whether it documents the data is unknown",
            format!("GET /datasets/{id}/resolve/…/README.md"),
        )
    }

    pub fn branches_lookup_failed(id: &str, why: &str) -> Finding {
        lookup_failed(
            &format!("the branches of `{id}`"),
            why,
            "the checkpoint criteria are unknown",
            format!("GET /api/models/{id}/refs"),
        )
    }
}

/// A related lookup that exhausted its retries: `what` could not be looked up, so `unknown`.
fn lookup_failed(what: &str, why: &str, unknown: &str, request: String) -> Finding {
    Finding::new(
        Code::LookupFailed,
        format!("{what} could not be looked up ({why}); {unknown} — retrying may help"),
    )
    .with_evidence(Provenance::derived(request))
}

/// The code repositories the card links, as read on GitHub (docs/code-host.md).
impl Finding {
    pub fn code_repo_missing(url: &str) -> Finding {
        Finding::new(
            Code::CodeRepoMissing,
            format!("the card links {url}, which GitHub does not have (404): a dead link"),
        )
        .with_evidence(Provenance::repository(url, None, None, None))
    }

    pub fn code_repo_moved(linked: &str, now: &str) -> Finding {
        Finding::new(
            Code::CodeRepoMoved,
            format!("the card links {linked}, which has moved to {now}; read there"),
        )
        .with_evidence(Provenance::repository(now, None, None, None))
    }

    pub fn code_repo_archived(url: &str) -> Finding {
        Finding::new(
            Code::CodeRepoArchived,
            format!("{url} is archived by its owner (read-only, no longer maintained)"),
        )
        .with_evidence(Provenance::repository(url, None, None, None))
    }

    /// The one message for repositories left unread because the quota ran out.
    pub fn code_host_quota(repos: &[String], reset: Option<u64>, with_token: bool) -> Finding {
        Finding::new(
            Code::CodeHostQuota,
            format!(
                "{}; not read: {} — the facts that need {} are unknown",
                quota_message(reset, with_token),
                repos.join(", "),
                if repos.len() == 1 { "it" } else { "them" }
            ),
        )
        .with_all(
            repos
                .iter()
                .map(|r| Provenance::repository(r.as_str(), None, None, None)),
        )
    }

    /// Repositories that could not be read for another reason, each with why.
    pub fn code_host_unread(repos: &[(String, String)]) -> Finding {
        let list: Vec<String> = repos
            .iter()
            .map(|(r, why)| format!("{r} ({why})"))
            .collect();
        Finding::new(
            Code::CodeHostUnread,
            format!(
                "could not read {}; the facts that need {} are unknown — retry, or run once online when offline",
                list.join(", "),
                if repos.len() == 1 { "it" } else { "them" }
            ),
        )
        .with_all(
            repos
                .iter()
                .map(|(r, _)| Provenance::repository(r.as_str(), None, None, None)),
        )
    }

    pub fn code_license_mismatch(
        stated: &str,
        stated_at: Option<Provenance>,
        repo_license: &str,
        repo_at: Option<Provenance>,
    ) -> Finding {
        Finding::new(
            Code::CodeLicenseMismatch,
            format!(
                "the release states the code is under `{stated}`, but its repository's license file is `{repo_license}`"
            ),
        )
        .with_all(stated_at.into_iter().chain(repo_at))
    }
}

/// "GitHub API quota exhausted until 14:05 UTC; set GITHUB_TOKEN": what the run says once, and
/// each scorecard whose facts it left unknown.
pub fn quota_message(reset: Option<u64>, with_token: bool) -> String {
    let until = match reset {
        Some(reset) => format!(" until {}", crate::hub::github::clock_utc(reset)),
        None => String::new(),
    };
    if with_token {
        format!("GitHub API quota exhausted{until} (the token's quota is spent)")
    } else {
        format!("GitHub API quota exhausted{until}; set GITHUB_TOKEN")
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
        let docs = include_str!("../../docs/codes.md");
        for code in Code::ALL {
            assert!(
                docs.contains(&format!("## {}\n", code.as_str())),
                "docs/codes.md has no section for `{code}`"
            );
        }
    }
}
