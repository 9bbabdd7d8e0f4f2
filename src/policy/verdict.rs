//! What the policy decides, as data: the outcome of each rule on each model, the verdict per
//! model and overall. [`super::eval`] fills it in, [`super::rules`] contributes the checks the
//! scorecard alone decides, and every renderer reads it.

use super::Rule;
use super::model::{Location, Mode};
use super::snapshot::{Change, Snapshot};
use crate::evidence::findings::Finding;
use crate::hub::HubError;
use crate::scorecard::Scorecard;
use serde::Serialize;

/// What a rule found on a model: the same pass / fail / unknown as a rubric criterion (unknown:
/// what the rule reads could not be established).
pub use crate::rubric::Status;

/// What the policy makes of a status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Pass,
    /// Not a pass, but the policy accepts it (`unknown = "allow"`, a change set to `allow`).
    Allowed,
    /// Waived by an `[[exceptions]]` entry.
    Waived,
    /// Reported; does not fail the check.
    Warn,
    /// Fails the check.
    Fail,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Allowed => "allowed",
            Outcome::Waived => "waived",
            Outcome::Warn => "warn",
            Outcome::Fail => "fail",
        }
    }

    /// The outcome a policy mode gives to what is not a plain pass.
    pub fn of(mode: Mode) -> Outcome {
        match mode {
            Mode::Deny => Outcome::Fail,
            Mode::Warn => Outcome::Warn,
            Mode::Allow => Outcome::Allowed,
        }
    }
}

/// One rule on one model.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub rule: Rule,
    /// The dimension, for `min-verdict`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    pub status: Status,
    pub outcome: Outcome,
    pub message: String,
    /// The `[[exceptions]]` entry that waived it (an index into the policy's exceptions).
    #[serde(skip)]
    pub exception: Option<usize>,
    /// Its reason, when waived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waived: Option<String>,
}

impl Check {
    /// `rule`, or `rule (subject)`: a stable name per model (a JUnit test case).
    pub fn name(&self) -> String {
        match &self.subject {
            Some(subject) => format!("{} ({subject})", self.rule),
            None => self.rule.as_str().to_owned(),
        }
    }
}

/// A model that could not be fetched.
#[derive(Clone, Debug, Serialize)]
pub struct FetchError {
    /// The error code (`repo-not-found`, `rate-limited`…; docs/output-formats.md).
    pub code: String,
    pub message: String,
    /// The Hub says the repository is not there (not found, disabled): an answer, not a
    /// failure to get one. Decided from the error's type, never from its code.
    #[serde(skip)]
    pub gone: bool,
}

impl From<&HubError> for FetchError {
    fn from(error: &HubError) -> FetchError {
        FetchError {
            code: error.code().to_owned(),
            message: error.to_string(),
            gone: matches!(
                error,
                HubError::RepoNotFound { .. } | HubError::Disabled { .. }
            ),
        }
    }
}

/// One model to judge: as listed (or discovered), with what the audit made of it.
#[derive(Clone, Debug)]
pub struct ModelInput {
    /// As listed in the policy (or found by `--scan`).
    pub id: String,
    /// The revision asked for (`revision` pin, or the locked commit with `--locked`).
    pub revision: Option<String>,
    /// Where it is named: its `[[models]]` line, and the source lines `--scan` found.
    pub locations: Vec<Location>,
    pub result: Result<Audited, FetchError>,
}

/// An audited model: its scorecard and the record the lock would keep.
#[derive(Clone, Debug)]
pub struct Audited {
    pub scorecard: Scorecard,
    pub snapshot: Snapshot,
}

/// The verdict on one model.
#[derive(Clone, Debug, Serialize)]
pub struct ModelVerdict {
    /// As listed.
    pub id: String,
    /// The repository audited, when it differs from `id` (renamed on the Hub).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    /// The commit audited.
    pub revision: Option<String>,
    pub locations: Vec<Location>,
    /// The worst outcome of its checks.
    pub outcome: Outcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The knowledge-base id of its license.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// With a lock: whether the lock records this model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locked: Option<bool>,
    pub checks: Vec<Check>,
    /// Every difference from the lock's record, judged or informational.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// The audit's findings of warning severity and above.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<FetchError>,
}

/// Something about the policy itself: an exception that matched nothing or expired.
#[derive(Clone, Debug, Serialize)]
pub struct Note {
    pub rule: Rule,
    pub outcome: Outcome,
    pub message: String,
    pub location: Location,
}

/// The overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Overall {
    /// Every check passed (or warned, was allowed or waived).
    Pass,
    /// Some check failed.
    Fail,
    /// Nothing failed, but some model could not be fetched and the policy fails unknowns.
    Incomplete,
}

impl Overall {
    pub fn as_str(self) -> &'static str {
        match self {
            Overall::Pass => "pass",
            Overall::Fail => "fail",
            Overall::Incomplete => "incomplete",
        }
    }

    /// The exit code: 0 pass, 1 policy failed, 3 could not fetch (docs/exit-codes.md).
    pub fn exit_code(self) -> u8 {
        match self {
            Overall::Pass => 0,
            Overall::Fail => 1,
            Overall::Incomplete => 3,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    pub overall: Overall,
    /// The policy file, as named.
    pub policy: String,
    /// `name version` of the rubric.
    pub rubric: String,
    pub models: Vec<ModelVerdict>,
    pub notes: Vec<Note>,
}

impl Verdict {
    /// Counts of models by outcome: (failed, warned, passed).
    pub fn counts(&self) -> (usize, usize, usize) {
        let failed = self
            .models
            .iter()
            .filter(|m| m.outcome == Outcome::Fail)
            .count();
        let warned = self
            .models
            .iter()
            .filter(|m| m.outcome == Outcome::Warn)
            .count();
        (failed, warned, self.models.len() - failed - warned)
    }
}

/// A check before exceptions: its outcome from its status (an unknown per `unknown`).
pub fn check(rule: Rule, status: Status, message: String, unknown: Mode) -> Check {
    Check {
        rule,
        subject: None,
        status,
        outcome: match status {
            Status::Pass => Outcome::Pass,
            Status::Fail => Outcome::Fail,
            Status::Unknown => Outcome::of(unknown),
        },
        message,
        exception: None,
        waived: None,
    }
}
