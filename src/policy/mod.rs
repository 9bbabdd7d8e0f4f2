//! `openness check`: a product's model dependencies (`openness.toml`), what it accepts, and the
//! verdict.
//!
//! - [`load`] reads `openness.toml` like a rubric: raw spanned TOML → checked [`Policy`], every
//!   problem with `file:line:column` and a snippet.
//! - [`lock`] reads and writes `openness.lock`; [`snapshot`] holds what is recorded per model and
//!   the comparison `check` and `openness diff` share.
//! - [`eval`] decides: (scorecards, policy, lock, today) → [`Verdict`] (the types in
//!   [`verdict`]). Pure; every renderer shows this verdict and the exit code comes from it alone.
//!
//! Policy rule ids are stable kebab-case names, documented in `docs/policy.md` (a test checks
//! each has a section there); they are the SARIF rule ids and JUnit test-case names.

pub mod date;
pub mod eval;
pub mod license;
pub mod load;
pub mod lock;
pub mod model;
mod rules;
pub mod snapshot;
pub mod verdict;

pub use date::Date;
pub use eval::evaluate;
pub use load::load;
pub use lock::Lock;
pub use model::{Exception, Location, Mode, ModelSpec, Policy};
pub use snapshot::{Change, ChangeKind, Snapshot, compare};
pub use verdict::{
    Audited, Check, FetchError, ModelInput, ModelVerdict, Note, Outcome, Overall, Status, Verdict,
};

use std::fmt;

/// What the policy file is called when none is named.
pub const POLICY_FILE: &str = "openness.toml";
/// What the lock file is called, beside the policy file.
pub const LOCK_FILE: &str = "openness.lock";
/// The commented example `openness init` writes (a test loads it).
pub const TEMPLATE: &str = include_str!("template.toml");

macro_rules! rules {
    ($( $variant:ident = $id:literal, $doc:literal; )*) => {
        /// Every rule a check can report on.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule { $( $variant ),* }

        impl Rule {
            pub const ALL: &'static [Rule] = &[ $( Rule::$variant ),* ];

            pub fn as_str(self) -> &'static str {
                match self { $( Rule::$variant => $id ),* }
            }

            /// One line: what a failure of the rule means (SARIF rule text, JUnit, docs).
            pub fn description(self) -> &'static str {
                match self { $( Rule::$variant => $doc ),* }
            }

            pub fn parse(id: &str) -> Option<Rule> {
                Rule::ALL.iter().copied().find(|r| r.as_str() == id)
            }
        }
    };
}

rules! {
    Allow = "allow", "The model's license is not on the policy's `allow` list.";
    Deny = "deny", "The model's license is on the policy's `deny` list.";
    DenyNoncommercial = "deny-noncommercial", "The license does not grant commercial use (non-commercial or research-only).";
    DenyUseRestrictions = "deny-use-restrictions", "The license restricts fields of use (an acceptable-use policy or use restrictions written into it).";
    DenyUserThreshold = "deny-user-threshold", "The license needs another license above a user-count (or revenue) ceiling.";
    DenyGated = "deny-gated", "Downloading the weights requires accepting an access gate on the Hub.";
    DenyEuDisallowed = "deny-eu-disallowed", "The access gate refuses every user in the European Union (extra_gated_eu_disallowed).";
    DenyLicenseDrift = "deny-license-drift", "The model declares a license more permissive than its base model's license allows.";
    MinScore = "min-score", "The model's openness score is below the policy's `min-score`.";
    MinClass = "min-class", "The model does not reach the policy's `min-class`.";
    MinVerdict = "min-verdict", "A dimension's verdict is below the policy's minimum for it.";
    LicenseChanged = "license-changed", "The license (declared id, resolved id or a license file's text) changed since openness.lock.";
    RevisionChanged = "revision-changed", "The model's repository has a new commit since openness.lock.";
    ScoreDropped = "score-dropped", "The model's openness score dropped since openness.lock.";
    ModelGone = "model-gone", "A model recorded in openness.lock is no longer on the Hub (not found or disabled).";
    GateAdded = "gate-added", "The model's weights are behind a (stricter) access gate since openness.lock.";
    ModelNotFound = "model-not-found", "The model is not on the Hub (not found, or disabled): a misspelt id, or a repository deleted, made private or disabled.";
    FetchFailed = "fetch-failed", "The model could not be fetched, so nothing about it could be checked.";
    ExceptionUnused = "exception-unused", "An [[exceptions]] entry matched no failing check.";
    ExceptionExpired = "exception-expired", "An [[exceptions]] entry is past its expiry date and no longer applies.";
    AllowUnused = "allow-unused", "An `allow` entry matched the license of no model checked.";
}

impl Rule {
    /// Rules an `[[exceptions]]` entry may name (every rule about a model, not the notes about
    /// the policy file itself).
    pub fn waivable(self) -> bool {
        !matches!(
            self,
            Rule::ExceptionUnused | Rule::ExceptionExpired | Rule::AllowUnused
        )
    }
}

impl serde::Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_kebab_case_and_distinct_from_finding_codes() {
        let mut seen = std::collections::BTreeSet::new();
        for rule in Rule::ALL {
            let id = rule.as_str();
            assert!(seen.insert(id), "duplicate rule {id}");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            assert_eq!(Rule::parse(id), Some(*rule));
        }
        for code in crate::evidence::findings::Code::ALL {
            assert!(
                !seen.contains(code.as_str()),
                "rule and finding share the SARIF id `{code}`"
            );
        }
    }

    #[test]
    fn every_rule_is_documented() {
        let docs = include_str!("../../docs/policy.md");
        for rule in Rule::ALL {
            assert!(
                docs.contains(&format!("### `{}`\n", rule.as_str())),
                "docs/policy.md has no section for rule `{rule}`"
            );
        }
    }
}
