//! Scoring: (evidence, rubric) → assessment. Pure.

use super::model::Rubric;
use crate::evidence::{Evidence, Provenance, Value};
use serde::{Serialize, Serializer};

/// Whether a criterion's condition held.
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

/// One evidence key a criterion read, with its value (absent when unknown) and provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvidenceRef {
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<Provenance>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CriterionResult {
    pub id: String,
    pub description: String,
    pub status: Status,
    #[serde(serialize_with = "points")]
    pub points: f64,
    #[serde(serialize_with = "points")]
    pub max: f64,
    pub condition: String,
    pub evidence: Vec<EvidenceRef>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DimensionResult {
    pub id: String,
    pub name: String,
    #[serde(serialize_with = "points")]
    pub score: f64,
    #[serde(serialize_with = "points")]
    pub max: f64,
    /// Criteria whose condition could not be decided.
    pub unknown: usize,
    pub criteria: Vec<CriterionResult>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RubricRef {
    pub name: String,
    pub version: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct Assessment {
    pub rubric: RubricRef,
    #[serde(serialize_with = "points")]
    pub score: f64,
    #[serde(serialize_with = "points")]
    pub max: f64,
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

pub fn evaluate(rubric: &Rubric, ev: &Evidence) -> Assessment {
    let mut dimensions = Vec::with_capacity(rubric.dimensions.len());
    for dim in &rubric.dimensions {
        let mut criteria = Vec::with_capacity(dim.criteria.len());
        let mut score = 0.0;
        let mut unknown = 0;
        for criterion in &dim.criteria {
            let status = match criterion.condition.eval(ev) {
                Some(true) => Status::Pass,
                Some(false) => Status::Fail,
                None => Status::Unknown,
            };
            let earned = if status == Status::Pass {
                criterion.points
            } else {
                0.0
            };
            score += earned;
            unknown += usize::from(status == Status::Unknown);
            let evidence = criterion
                .condition
                .keys()
                .into_iter()
                .map(|key| {
                    let fact = ev.get(key);
                    EvidenceRef {
                        key: key.to_owned(),
                        value: fact.map(|f| f.value.clone()),
                        provenance: fact.map(|f| f.provenance.clone()).unwrap_or_default(),
                    }
                })
                .collect();
            criteria.push(CriterionResult {
                id: criterion.id.clone(),
                description: criterion.description.clone(),
                status,
                points: earned,
                max: criterion.points,
                condition: criterion.condition.source.clone(),
                evidence,
                note: criterion.note.clone(),
            });
        }
        dimensions.push(DimensionResult {
            id: dim.id.clone(),
            name: dim.name.clone(),
            score,
            max: dim.max_points(),
            unknown,
            criteria,
        });
    }
    Assessment {
        rubric: RubricRef {
            name: rubric.name.clone(),
            version: rubric.version.clone(),
        },
        score: dimensions.iter().map(|d| d.score).sum(),
        max: rubric.max_points(),
        dimensions,
    }
}
