//! Scoring: (evidence, rubric) → assessment. Pure.
//!
//! Unknown facts are carried through as bounds: a score "at least" (unknowns fail) and "at most"
//! (unknowns pass). A verdict, grade or class is only stated when both bounds agree; otherwise
//! it is `unknown` — never a guess.

use super::model::{Rubric, Rule, Select, band_verdict};
use crate::evidence::{Evidence, Fact, Key, Provenance, Value};
use serde::{Serialize, Serializer};
use std::sync::Arc;

/// Whether a criterion's condition (or a policy rule) held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Fail,
    /// The condition depends on a fact that could not be established.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

/// One evidence key a criterion read, with the fact (absent when unknown): shared with the
/// scorecard's evidence, serialised as `{key, value, provenance}`.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceRef {
    pub key: Key,
    pub fact: Option<Arc<Fact>>,
}

impl EvidenceRef {
    pub fn value(&self) -> Option<&Value> {
        self.fact.as_ref().map(|f| &f.value)
    }

    pub fn provenance(&self) -> &[Provenance] {
        self.fact.as_ref().map_or(&[], |f| &f.provenance)
    }
}

/// How a verdict was reached, from the facts it cites: `declared` (metadata fields and API
/// facts), `read` (recognised in the card or another file), `inferred` (from a related
/// repository, a derivation, or from absence: nothing found where it was looked for). The
/// weakest cited fact decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    Declared,
    Read,
    Inferred,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Declared => "declared",
            Basis::Read => "read",
            Basis::Inferred => "inferred",
        }
    }

    /// The basis of a decided criterion. A closed verdict whose every cited fact is empty,
    /// false or `none` rests on absence, so it is inferred.
    fn of(evidence: &[EvidenceRef], verdict: Option<&str>, status: Status) -> Option<Basis> {
        if status == Status::Unknown || evidence.is_empty() {
            return None;
        }
        let known: Vec<&Fact> = evidence.iter().filter_map(|e| e.fact.as_deref()).collect();
        let absent = |v: &Value| match v {
            Value::Bool(b) => !b,
            Value::List(items) => items.is_empty(),
            Value::Str(s) => s == "none" || s.is_empty(),
            Value::Int(n) => *n == 0,
            _ => false,
        };
        if status == Status::Pass
            && verdict == Some("closed")
            && known.iter().all(|f| absent(&f.value))
        {
            return Some(Basis::Inferred);
        }
        let mut basis = Basis::Declared;
        for fact in &known {
            for p in &fact.provenance {
                let this = match p {
                    // Knowledge-base properties of a license add no doubt of their own.
                    Provenance::Api { .. } | Provenance::Knowledge { .. } => Basis::Declared,
                    Provenance::File { .. } => Basis::Read,
                    // A linked repository's files and tree are read; its metadata is declared.
                    Provenance::Repository { path: Some(_), .. } => Basis::Read,
                    Provenance::Repository { path: None, .. } => Basis::Declared,
                    Provenance::Related { .. } | Provenance::Derived { .. } => Basis::Inferred,
                };
                basis = basis.max(this);
            }
        }
        Some(basis)
    }
}

#[derive(Clone, Debug)]
pub struct CriterionResult {
    pub id: Arc<str>,
    pub description: Arc<str>,
    pub status: Status,
    /// Points earned (with select = "first", only the selected alternative earns).
    pub points: f64,
    pub max: f64,
    pub verdict: Option<Arc<str>>,
    /// Passed, but under the rubric's `conditional` rule (e.g. MOF type-appropriateness).
    pub conditional: bool,
    pub condition: Option<Arc<str>>,
    /// Why the criterion cannot be decided from what the Hub publishes.
    pub unavailable: Option<Arc<str>>,
    pub evidence: Vec<EvidenceRef>,
    /// How the status was reached; absent while it is unknown.
    pub basis: Option<Basis>,
    pub note: Option<Arc<str>>,
}

#[derive(Clone, Debug)]
pub struct DimensionResult {
    pub id: String,
    pub name: String,
    pub score: f64,
    /// The score if every unknown criterion passed.
    pub score_if_known: f64,
    pub max: f64,
    /// Verdict in the rubric's vocabulary, or `unknown` when unknown facts could change it.
    pub verdict: Option<String>,
    /// How the verdict was reached: the selected alternative's basis (the weakest of the
    /// criteria that count, for a checklist); absent while the verdict is unknown.
    pub basis: Option<Basis>,
    /// Criteria whose condition could not be decided.
    pub unknown: usize,
    /// The criteria are alternatives (select = "first"), not a checklist.
    pub alternatives: bool,
    pub criteria: Vec<CriterionResult>,
}

#[derive(Clone, Debug)]
pub struct RubricRef {
    pub name: String,
    pub version: String,
}

/// Where a release stands on one class (tier) of the rubric.
#[derive(Clone, Debug)]
pub struct ClassResult {
    pub id: String,
    pub name: String,
    /// Percentage of the class's (cumulative) requirements met, 0 when an earlier class is unmet.
    pub progress: f64,
    /// The progress if every unknown criterion passed.
    pub progress_if_known: f64,
    /// `qualified`, `in-progress`, `not-met`, or `undetermined` (unknown facts decide it).
    pub status: &'static str,
    /// Some counted criterion passed only conditionally.
    pub conditional: bool,
    /// Required criteria not met, and those unknown.
    pub missing: Vec<String>,
    pub unknown: Vec<String>,
}

/// The class reached: the highest class qualified.
#[derive(Clone, Debug)]
pub struct ClassReached {
    pub id: String,
    pub name: String,
    pub conditional: bool,
}

#[derive(Clone, Debug)]
pub struct Assessment {
    pub rubric: RubricRef,
    pub score: f64,
    pub score_if_known: f64,
    pub max: f64,
    /// Score as a percentage of the maximum.
    pub percent: f64,
    pub verdict: Option<String>,
    pub grade: Option<String>,
    /// The class reached, or null when none (only for rubrics with classes).
    pub class: Option<Option<ClassReached>>,
    pub classes: Vec<ClassResult>,
    pub dimensions: Vec<DimensionResult>,
}

/// Whole numbers as integers, others rounded to 0.01: stable, readable JSON.
pub fn points<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        s.serialize_i64(rounded as i64)
    } else {
        s.serialize_f64(rounded)
    }
}

const UNKNOWN: &str = "unknown";

pub fn evaluate(rubric: &Rubric, ev: &Evidence) -> Assessment {
    let dimensions: Vec<DimensionResult> = rubric
        .dimensions
        .iter()
        .map(|dim| evaluate_dimension(dim, ev))
        .collect();
    let score: f64 = dimensions.iter().map(|d| d.score).sum();
    let score_if_known: f64 = dimensions.iter().map(|d| d.score_if_known).sum();
    let max = rubric.max_points();
    let fraction = |s: f64| if max > 0.0 { s / max } else { 0.0 };
    let verdict = agreed(
        band_verdict(&rubric.verdicts, fraction(score)),
        band_verdict(&rubric.verdicts, fraction(score_if_known)),
    );
    let grade_of = |s: f64| {
        rubric
            .grades
            .iter()
            .find(|g| fraction(s) * 100.0 + 1e-9 >= g.min)
            .map(|g| g.grade.as_str())
    };
    let grade = agreed(grade_of(score), grade_of(score_if_known));
    let classes = evaluate_classes(rubric, &dimensions);
    let class = (!rubric.classes.is_empty()).then(|| {
        classes
            .iter()
            .rev()
            .find(|c| c.status == "qualified")
            .map(|c| ClassReached {
                id: c.id.clone(),
                name: c.name.clone(),
                conditional: c.conditional,
            })
    });
    Assessment {
        rubric: RubricRef {
            name: rubric.name.clone(),
            version: rubric.version.clone(),
        },
        score,
        score_if_known,
        max,
        percent: fraction(score) * 100.0,
        verdict,
        grade,
        class,
        classes,
        dimensions,
    }
}

/// The value both bounds give, `unknown` when they differ, nothing when neither gives one.
fn agreed(low: Option<&str>, high: Option<&str>) -> Option<String> {
    match (low, high) {
        (None, None) => None,
        (Some(a), Some(b)) if a == b => Some(a.to_owned()),
        _ => Some(UNKNOWN.to_owned()),
    }
}

fn evaluate_dimension(dim: &super::model::Dimension, ev: &Evidence) -> DimensionResult {
    let mut criteria: Vec<CriterionResult> = dim
        .criteria
        .iter()
        .map(|c| evaluate_criterion(c, ev))
        .collect();
    let unknown = criteria
        .iter()
        .filter(|c| c.status == Status::Unknown)
        .count();
    let (score, score_if_known, verdict) = match dim.select {
        Select::All => {
            for c in &mut criteria {
                c.points = if c.status == Status::Pass { c.max } else { 0.0 };
            }
            let score: f64 = criteria.iter().map(|c| c.points).sum();
            let upper: f64 = score
                + criteria
                    .iter()
                    .filter(|c| c.status == Status::Unknown)
                    .map(|c| c.max)
                    .sum::<f64>();
            let max = dim.max_points();
            let fraction = |s: f64| if max > 0.0 { s / max } else { 0.0 };
            let verdict = agreed(
                band_verdict(&dim.verdicts, fraction(score)),
                band_verdict(&dim.verdicts, fraction(upper)),
            );
            (score, upper, verdict)
        }
        Select::First => {
            // Lower bound: the first alternative that passes. Upper bound: the first that passes
            // or might (unknown).
            let low = criteria.iter().position(|c| c.status == Status::Pass);
            let high = criteria.iter().position(|c| c.status != Status::Fail);
            let verdict_of = |i: Option<usize>| {
                i.and_then(|i| dim.criteria[i].verdict.clone())
                    .or_else(|| dim.default_verdict.as_deref().map(Arc::from))
            };
            let (low_verdict, high_verdict) = (verdict_of(low), verdict_of(high));
            let verdict = agreed(low_verdict.as_deref(), high_verdict.as_deref());
            let score = low.map_or(0.0, |i| criteria[i].max);
            let upper = high.map_or(0.0, |i| criteria[i].max);
            for (i, c) in criteria.iter_mut().enumerate() {
                c.points = if Some(i) == low { c.max } else { 0.0 };
            }
            (score, upper, verdict)
        }
    };
    let basis = if verdict.as_deref() == Some(UNKNOWN) {
        None
    } else if dim.select == Select::First {
        criteria
            .iter()
            .find(|c| c.status == Status::Pass)
            .and_then(|c| c.basis)
            .or_else(|| criteria.iter().filter_map(|c| c.basis).max())
    } else {
        criteria.iter().filter_map(|c| c.basis).max()
    };
    DimensionResult {
        id: dim.id.clone(),
        name: dim.name.clone(),
        score,
        score_if_known,
        max: dim.max_points(),
        verdict,
        basis,
        unknown,
        alternatives: dim.select == Select::First,
        criteria,
    }
}

fn evaluate_criterion(criterion: &super::model::Criterion, ev: &Evidence) -> CriterionResult {
    let (status, condition, unavailable, keys) = match &criterion.rule {
        Rule::When(condition) => {
            let status = match condition.eval(ev) {
                Some(true) => Status::Pass,
                Some(false) => Status::Fail,
                None => Status::Unknown,
            };
            (
                status,
                Some(condition.source.clone()),
                None,
                condition.keys(),
            )
        }
        Rule::Unavailable(reason) => (Status::Unknown, None, Some(reason.clone()), Vec::new()),
    };
    let conditional = status == Status::Pass
        && criterion
            .conditional
            .as_ref()
            .is_some_and(|c| c.eval(ev) == Some(true));
    let mut keys = keys;
    if let Some(c) = &criterion.conditional {
        for key in c.keys() {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    let evidence = keys
        .into_iter()
        .map(|key| EvidenceRef {
            key,
            fact: ev.shared(key),
        })
        .collect::<Vec<_>>();
    let basis = Basis::of(&evidence, criterion.verdict.as_deref(), status);
    CriterionResult {
        id: criterion.id.clone(),
        description: criterion.description.clone(),
        status,
        points: 0.0,
        max: criterion.points,
        verdict: criterion.verdict.clone(),
        conditional,
        condition,
        unavailable,
        evidence,
        basis,
        note: criterion.note.clone(),
    }
}

/// The Model Openness Tool's class rule, generalised: classes are cumulative; a class's progress
/// is the share of its cumulative requirements met, and 0 while an earlier class is unmet.
fn evaluate_classes(rubric: &Rubric, dimensions: &[DimensionResult]) -> Vec<ClassResult> {
    let status_of = |id: &str| {
        dimensions
            .iter()
            .flat_map(|d| &d.criteria)
            .find(|c| &*c.id == id)
            .map(|c| (c.status, c.conditional))
    };
    let mut out = Vec::new();
    let mut required: Vec<&str> = Vec::new();
    let mut earlier_met = true;
    let mut earlier_possible = true;
    for class in &rubric.classes {
        required.extend(class.requires.iter().map(String::as_str));
        let statuses: Vec<(&str, Status, bool)> = required
            .iter()
            .map(|id| {
                let (status, conditional) = status_of(id).unwrap_or((Status::Unknown, false));
                (*id, status, conditional)
            })
            .collect();
        let total = statuses.len() as f64;
        let met = statuses
            .iter()
            .filter(|(_, s, _)| *s == Status::Pass)
            .count() as f64;
        let possible = statuses
            .iter()
            .filter(|(_, s, _)| *s != Status::Fail)
            .count() as f64;
        let progress = if earlier_met && total > 0.0 {
            met / total * 100.0
        } else {
            0.0
        };
        let progress_if_known = if earlier_possible && total > 0.0 {
            possible / total * 100.0
        } else {
            0.0
        };
        let status = if progress >= 100.0 {
            "qualified"
        } else if progress_if_known >= 100.0 {
            "undetermined"
        } else if progress > 0.0 {
            "in-progress"
        } else {
            "not-met"
        };
        out.push(ClassResult {
            id: class.id.clone(),
            name: class.name.clone(),
            progress,
            progress_if_known,
            status,
            conditional: statuses.iter().any(|(_, s, c)| *s == Status::Pass && *c),
            missing: statuses
                .iter()
                .filter(|(_, s, _)| *s == Status::Fail)
                .map(|(id, _, _)| (*id).to_owned())
                .collect(),
            unknown: statuses
                .iter()
                .filter(|(_, s, _)| *s == Status::Unknown)
                .map(|(id, _, _)| (*id).to_owned())
                .collect(),
        });
        earlier_met &= progress >= 100.0;
        earlier_possible &= progress_if_known >= 100.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::keys;

    fn fact(value: Value, provenance: Provenance) -> EvidenceRef {
        EvidenceRef {
            key: keys::CARD_PRESENT,
            fact: Some(Arc::new(Fact {
                value,
                provenance: vec![provenance],
            })),
        }
    }

    #[test]
    fn the_weakest_cited_fact_decides_the_basis() {
        let api = fact(true.into(), Provenance::api("gated"));
        let file = fact(true.into(), Provenance::file("README.md", Some(3)));
        let related = fact(true.into(), Provenance::related("org/base", "gated"));
        let of = |e: &[EvidenceRef]| Basis::of(e, Some("open"), Status::Pass);
        assert_eq!(of(std::slice::from_ref(&api)), Some(Basis::Declared));
        assert_eq!(of(&[api.clone(), file.clone()]), Some(Basis::Read));
        assert_eq!(of(&[file, related]), Some(Basis::Inferred));
        assert_eq!(Basis::of(&[api], Some("open"), Status::Unknown), None);
    }

    #[test]
    fn a_closed_verdict_from_nothing_found_is_inferred() {
        let empty = fact(Value::List(vec![]), Provenance::file("README.md", None));
        assert_eq!(
            Basis::of(std::slice::from_ref(&empty), Some("closed"), Status::Pass),
            Some(Basis::Inferred)
        );
        assert_eq!(
            Basis::of(&[empty], Some("partial"), Status::Fail),
            Some(Basis::Read)
        );
    }
}
