//! The verdict ([`super::verdict`]), decided once: (scorecards, policy, lock, today) → [`Verdict`]. Pure — no I/O, no
//! clock; every renderer shows this verdict and the exit code comes from it alone.
//!
//! Each rule the policy enables is checked on each model: `pass`, `fail`, or `unknown` when the
//! audit could not establish what the rule reads. The policy turns that status into an outcome:
//! a failure fails; an unknown fails, warns or is allowed per `unknown`; a change since the lock
//! fails, warns or is allowed per `[policy.changes]`; an exception waives a failure or a warning.

use super::lock::Lock;
use super::model::{Mode, Policy};
use super::snapshot::{Change, compare};
use super::verdict::{ModelInput, ModelVerdict, Note, Outcome, Overall, Status, Verdict, check};
use super::{Date, Rule};
use crate::evidence::findings::Severity;
use crate::licenses::KnowledgeBase;

/// Decides. `today` dates exceptions; `kb` gives the terms of inherited licenses.
pub fn evaluate(
    policy: &Policy,
    lock: Option<&Lock>,
    models: &[ModelInput],
    today: Date,
    kb: &KnowledgeBase,
) -> Verdict {
    let mut used = vec![false; policy.exceptions.len()];
    let mut verdicts = Vec::new();
    for input in models {
        let mut verdict = judge(policy, lock, input, kb);
        for check in &mut verdict.checks {
            if !matches!(check.outcome, Outcome::Fail | Outcome::Warn) {
                continue;
            }
            let found = policy.exceptions.iter().position(|e| {
                !e.expired(today)
                    && (e.rules.is_empty() || e.rules.contains(&check.rule))
                    && exception_matches(e, input, &verdict.repo, verdict.revision.as_deref())
            });
            if let Some(i) = found {
                used[i] = true;
                check.outcome = Outcome::Waived;
                check.exception = Some(i);
                check.waived = Some(policy.exceptions[i].reason.clone());
            }
        }
        verdict.outcome = verdict
            .checks
            .iter()
            .map(|c| c.outcome)
            .max()
            .unwrap_or(Outcome::Pass);
        verdicts.push(verdict);
    }

    let mut notes = Vec::new();
    for (i, exception) in policy.exceptions.iter().enumerate() {
        let scope = match &exception.revision {
            Some(rev) => format!("{}@{rev}", exception.model),
            None => exception.model.clone(),
        };
        let rules = if exception.rules.is_empty() {
            "every rule".to_owned()
        } else {
            exception
                .rules
                .iter()
                .map(|r| r.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        if exception.expired(today) {
            notes.push(Note {
                rule: Rule::ExceptionExpired,
                outcome: Outcome::Warn,
                message: format!(
                    "the exception for {scope} ({rules}) expired on {}; it no longer waives anything: renew it with a new `expires`, or remove it",
                    exception.expires.map(|d| d.to_string()).unwrap_or_default()
                ),
                location: exception.location.clone(),
            });
        } else if !used[i] {
            notes.push(Note {
                rule: Rule::ExceptionUnused,
                outcome: Outcome::Warn,
                message: format!(
                    "the exception for {scope} ({rules}) matches no failing check; remove it so it cannot hide a future failure"
                ),
                location: exception.location.clone(),
            });
        }
    }

    notes.extend(unused_allow(policy, models, kb));

    let failed = |fetch: bool| {
        verdicts.iter().any(|m| {
            m.checks
                .iter()
                .any(|c| c.outcome == Outcome::Fail && (c.rule == Rule::FetchFailed) == fetch)
        })
    };
    let note_failed = notes.iter().any(|n| n.outcome == Outcome::Fail);
    let overall = if failed(false) || note_failed {
        Overall::Fail
    } else if failed(true) {
        Overall::Incomplete
    } else {
        Overall::Pass
    };
    Verdict {
        overall,
        policy: policy.file.clone(),
        rubric: format!("{} {}", policy.rubric.name, policy.rubric.version),
        models: verdicts,
        notes,
    }
}

/// `allow-unused`: each `allow` entry that names the license of no model checked, as
/// `unused-allow` says (warn by default). Said only when every model's license is known: an
/// entry may be for the model that could not be read.
fn unused_allow(policy: &Policy, models: &[ModelInput], kb: &KnowledgeBase) -> Vec<Note> {
    if policy.unused_allow == Mode::Allow || policy.allow.is_empty() {
        return Vec::new();
    }
    let mut terms = Vec::new();
    for input in models {
        let Ok(audited) = &input.result else {
            return Vec::new();
        };
        match super::license::model_terms(&audited.scorecard, kb) {
            Some(t) => terms.extend(t),
            None => return Vec::new(),
        }
    }
    policy
        .allow
        .iter()
        .zip(&policy.allow_locations)
        .filter(|(spec, _)| !terms.iter().any(|t| t.mentions(spec, kb)))
        .map(|(spec, location)| Note {
            rule: Rule::AllowUnused,
            outcome: Outcome::of(policy.unused_allow),
            message: format!(
                "`{}` in `allow` matches the license of no model checked; remove it so it cannot let a future model in unnoticed",
                spec.text
            ),
            location: location.clone(),
        })
        .collect()
}

fn exception_matches(
    e: &super::Exception,
    input: &ModelInput,
    repo: &Option<String>,
    revision: Option<&str>,
) -> bool {
    let model = e.model.eq_ignore_ascii_case(&input.id)
        || repo
            .as_deref()
            .is_some_and(|r| e.model.eq_ignore_ascii_case(r));
    let revision_ok = match &e.revision {
        None => true,
        Some(wanted) => {
            input.revision.as_deref() == Some(wanted.as_str())
                || (wanted.len() >= 7
                    && revision.is_some_and(|sha| sha.starts_with(&wanted.to_ascii_lowercase())))
        }
    };
    model && revision_ok
}

/// Every check on one model, before exceptions.
fn judge(
    policy: &Policy,
    lock: Option<&Lock>,
    input: &ModelInput,
    kb: &KnowledgeBase,
) -> ModelVerdict {
    let locked = lock.and_then(|l| l.get(&input.id));
    let mut verdict = ModelVerdict {
        id: input.id.clone(),
        repo: None,
        revision: input.revision.clone(),
        locations: input.locations.clone(),
        outcome: Outcome::Pass,
        score: None,
        max: None,
        license: None,
        locked: lock.map(|_| locked.is_some()),
        checks: Vec::new(),
        changes: Vec::new(),
        findings: Vec::new(),
        error: None,
    };
    let audited = match &input.result {
        Ok(audited) => audited,
        Err(error) => {
            let gone = error.gone;
            verdict.checks.push(match locked {
                // The lock says it was there: a change, judged by [policy.changes].
                Some(_) if gone => {
                    let mut c = check(
                        Rule::ModelGone,
                        Status::Fail,
                        format!("openness.lock records it, but now: {}", error.message),
                        Mode::Deny,
                    );
                    c.outcome = Outcome::of(policy.changes.model_gone);
                    c
                }
                // Not there, and never recorded: a misspelt id or a model that went away before
                // it was locked. An answer, not a failure to get one: it fails, whatever
                // `unknown` says, and retrying cannot help.
                None if gone => check(
                    Rule::ModelNotFound,
                    Status::Fail,
                    error.message.clone(),
                    Mode::Deny,
                ),
                _ => check(
                    Rule::FetchFailed,
                    Status::Unknown,
                    error.message.clone(),
                    policy.unknown,
                ),
            });
            verdict.error = Some(error.clone());
            return verdict;
        }
    };
    let card = &audited.scorecard;
    verdict.repo = (!card.model.eq_ignore_ascii_case(&input.id)).then(|| card.model.clone());
    verdict.revision = card.revision.clone().or(verdict.revision);
    verdict.score = Some(card.score);
    verdict.max = Some(card.max);
    verdict.license = card.license.id.clone();
    verdict.findings = card
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .cloned()
        .collect();

    let mut checks = super::rules::rule_checks(policy, card, kb);
    if let Some(before) = locked {
        let changes = compare(before, &audited.snapshot);
        for rule in [
            Rule::LicenseChanged,
            Rule::RevisionChanged,
            Rule::ScoreDropped,
            Rule::GateAdded,
        ] {
            let mode = policy.changes.mode(rule).unwrap_or(Mode::Deny);
            let relevant: Vec<&Change> = changes
                .iter()
                .filter(|c| c.change.and_then(|k| k.rule()) == Some(rule))
                .collect();
            if relevant.is_empty() {
                checks.push(check(
                    rule,
                    Status::Pass,
                    "unchanged since openness.lock".to_owned(),
                    mode,
                ));
            } else {
                let text: Vec<String> = relevant.iter().map(|c| c.describe()).collect();
                let mut c = check(
                    rule,
                    Status::Fail,
                    format!("since openness.lock: {}", text.join("; ")),
                    mode,
                );
                c.outcome = Outcome::of(mode);
                checks.push(c);
            }
        }
        checks.push(check(
            Rule::ModelGone,
            Status::Pass,
            "still on the Hub".to_owned(),
            Mode::Deny,
        ));
        verdict.changes = changes;
    }
    verdict.checks = checks;
    verdict
}

#[cfg(test)]
#[path = "eval_tests.rs"]
mod tests;
