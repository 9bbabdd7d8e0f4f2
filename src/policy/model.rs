//! A checked policy: what [`super::load`] produces and [`super::evaluate`] reads.

use super::Rule;
use super::date::Date;
use super::license::LicenseSpec;
use crate::hub::RepoId;
use crate::rubric::Rubric;
use serde::Serialize;

/// A line of a file that names something (a model, an exception): where SARIF results and
/// GitHub annotations point.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// As given (the policy path on the command line, or a scanned file under the scan root).
    pub file: String,
    /// 1-based.
    pub line: usize,
}

/// `deny` / `warn` / `allow`: what a fact the audit could not establish (`unknown`), or a change
/// since the lock (`[policy.changes]`), does to the verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Fails the check.
    Deny,
    /// Reported; does not fail the check.
    Warn,
    /// Accepted (shown, never a warning).
    Allow,
}

impl Mode {
    pub fn parse(text: &str) -> Option<Mode> {
        match text {
            "deny" => Some(Mode::Deny),
            "warn" => Some(Mode::Warn),
            "allow" => Some(Mode::Allow),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Deny => "deny",
            Mode::Warn => "warn",
            Mode::Allow => "allow",
        }
    }
}

/// One `[[models]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelSpec {
    /// A Hub repo id (`org/name`).
    pub id: RepoId,
    /// A branch, tag or commit to audit instead of the default branch.
    pub revision: Option<String>,
    pub reason: Option<String>,
    pub purpose: Option<String>,
    /// The line of its `id`.
    pub location: Location,
}

/// `[policy.changes]`: what each kind of change since `openness.lock` does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Changes {
    pub license_changed: Mode,
    pub revision_changed: Mode,
    pub score_dropped: Mode,
    pub model_gone: Mode,
    pub gate_added: Mode,
}

impl Default for Changes {
    fn default() -> Changes {
        Changes {
            license_changed: Mode::Deny,
            revision_changed: Mode::Warn,
            score_dropped: Mode::Warn,
            model_gone: Mode::Deny,
            gate_added: Mode::Deny,
        }
    }
}

impl Changes {
    /// The mode for a change rule (`None` for rules that are not about changes).
    pub fn mode(&self, rule: Rule) -> Option<Mode> {
        match rule {
            Rule::LicenseChanged => Some(self.license_changed),
            Rule::RevisionChanged => Some(self.revision_changed),
            Rule::ScoreDropped => Some(self.score_dropped),
            Rule::ModelGone => Some(self.model_gone),
            Rule::GateAdded => Some(self.gate_added),
            _ => None,
        }
    }
}

/// One `[[exceptions]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Exception {
    pub model: String,
    /// Only this commit (a sha or its prefix of 7+ characters) or this pinned revision.
    pub revision: Option<String>,
    /// The rules it waives; empty: every rule about the model.
    pub rules: Vec<Rule>,
    pub reason: String,
    /// The last day it applies (UTC).
    pub expires: Option<Date>,
    pub location: Location,
}

impl Exception {
    /// Expired once `today` is after `expires`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|last| today > last)
    }
}

/// The checked `openness.toml`.
#[derive(Clone, Debug)]
pub struct Policy {
    /// The file as named in messages and SARIF (`openness.toml`).
    pub file: String,
    pub models: Vec<ModelSpec>,
    /// `rubric` as written (a built-in name or a path).
    pub rubric_name: String,
    pub rubric: Rubric,
    pub min_score: Option<f64>,
    pub min_class: Option<String>,
    /// `[policy.min-verdict]`: dimension id → the worst verdict accepted, in file order.
    pub min_verdicts: Vec<(String, String)>,
    pub allow: Vec<LicenseSpec>,
    /// The line of each `allow` entry (same order), for `allow-unused`.
    pub allow_locations: Vec<Location>,
    /// `unused-allow`: what an `allow` entry that matched no model does (default warn).
    pub unused_allow: Mode,
    pub deny: Vec<LicenseSpec>,
    pub deny_noncommercial: bool,
    pub deny_use_restrictions: bool,
    pub deny_user_threshold: bool,
    pub deny_gated: bool,
    pub deny_eu_disallowed: bool,
    pub deny_license_drift: bool,
    pub unknown: Mode,
    pub changes: Changes,
    pub exceptions: Vec<Exception>,
}

impl Policy {
    /// A policy with no rules over `rubric` (for tests and building by hand).
    pub fn new(file: &str, rubric: Rubric) -> Policy {
        Policy {
            file: file.to_owned(),
            models: Vec::new(),
            rubric_name: rubric.name.clone(),
            rubric,
            min_score: None,
            min_class: None,
            min_verdicts: Vec::new(),
            allow: Vec::new(),
            allow_locations: Vec::new(),
            unused_allow: Mode::Warn,
            deny: Vec::new(),
            deny_noncommercial: false,
            deny_use_restrictions: false,
            deny_user_threshold: false,
            deny_gated: false,
            deny_eu_disallowed: false,
            deny_license_drift: false,
            unknown: Mode::Deny,
            changes: Changes::default(),
            exceptions: Vec::new(),
        }
    }

    /// The verdict order of a dimension, best first: the rubric's scale, else its bands.
    pub fn verdict_order(&self, dimension: &str) -> Vec<String> {
        if !self.rubric.scale.is_empty() {
            return self.rubric.scale.clone();
        }
        let Some(dim) = self.rubric.dimensions.iter().find(|d| d.id == dimension) else {
            return Vec::new();
        };
        let mut order: Vec<String> = Vec::new();
        let from_bands = dim.verdicts.iter().map(|b| b.verdict.clone());
        let from_criteria = dim
            .criteria
            .iter()
            .filter_map(|c| c.verdict.as_deref().map(str::to_owned));
        for v in from_bands
            .chain(from_criteria)
            .chain(dim.default_verdict.clone())
        {
            if !order.contains(&v) {
                order.push(v);
            }
        }
        order
    }
}
