//! A validated rubric: what `load` produces and `eval` consumes.

use super::expr::Condition;
use crate::evidence::Key;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Rubric {
    pub name: String,
    pub version: String,
    pub description: String,
    pub source: Option<String>,
    /// The verdict vocabulary, best first (`open`, `partial`, `closed`), when the rubric has one.
    pub scale: Vec<String>,
    /// Verdict of the whole release by the fraction of the maximum it scores.
    pub verdicts: Vec<Band>,
    /// Grade bands by percentage of the maximum, best first.
    pub grades: Vec<Grade>,
    pub dimensions: Vec<Dimension>,
    /// Cumulative tiers, from the first reached to the highest (MOF: Class III → II → I).
    pub classes: Vec<Class>,
}

/// How a dimension turns its criteria into a score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Select {
    /// Every passing criterion adds its points.
    All,
    /// The criteria are alternatives, best first: the first that passes gives its points and
    /// verdict (`open` 1, `partial` 0.5, else the default verdict).
    First,
}

#[derive(Clone, Debug)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    pub description: String,
    pub select: Select,
    /// With `select = "first"`: the verdict when no criterion passes.
    pub default_verdict: Option<String>,
    /// With `select = "all"`: verdict by the fraction of the dimension's maximum scored.
    pub verdicts: Vec<Band>,
    pub criteria: Vec<Criterion>,
}

/// `min` is a fraction of the maximum (0–1); bands are kept sorted best first.
#[derive(Clone, Debug, PartialEq)]
pub struct Band {
    pub min: f64,
    pub verdict: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    /// Percentage of the maximum (0–100).
    pub min: f64,
    pub grade: String,
}

#[derive(Clone, Debug)]
pub enum Rule {
    When(Condition),
    /// A fact the Hub does not publish: the criterion is always `unknown`, and says why.
    Unavailable(Arc<str>),
}

#[derive(Clone, Debug)]
pub struct Criterion {
    // Texts are shared with every result that reports the criterion (a ranking holds
    // thousands of results).
    pub id: Arc<str>,
    pub description: Arc<str>,
    pub points: f64,
    pub rule: Rule,
    /// With `select = "first"`: the verdict this alternative gives.
    pub verdict: Option<Arc<str>>,
    /// When this holds for a passing criterion, the pass is marked conditional (MOF: an open
    /// license that is not the right kind for the component).
    pub conditional: Option<Condition>,
    /// Where the rule comes from, or why it is scored this way.
    pub note: Option<Arc<str>>,
}

#[derive(Clone, Debug)]
pub struct Class {
    pub id: String,
    pub name: String,
    /// Criteria this class adds to the classes before it.
    pub requires: Vec<String>,
}

impl Rubric {
    pub fn max_points(&self) -> f64 {
        self.dimensions.iter().map(Dimension::max_points).sum()
    }

    /// Every evidence key the rubric's conditions read.
    pub fn evidence_keys(&self) -> Vec<Key> {
        let mut keys: Vec<Key> = Vec::new();
        for c in self.dimensions.iter().flat_map(|d| &d.criteria) {
            let conditions = [
                match &c.rule {
                    Rule::When(condition) => Some(condition),
                    Rule::Unavailable(_) => None,
                },
                c.conditional.as_ref(),
            ];
            for condition in conditions.into_iter().flatten() {
                for key in condition.keys() {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
        }
        keys
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.dimensions
            .iter()
            .flat_map(|d| &d.criteria)
            .find(|c| &*c.id == id)
    }
}

impl Dimension {
    pub fn max_points(&self) -> f64 {
        match self.select {
            Select::All => self.criteria.iter().map(|c| c.points).sum(),
            Select::First => self.criteria.iter().map(|c| c.points).fold(0.0, f64::max),
        }
    }
}

/// The verdict of `fraction` under `bands` (sorted best first).
pub fn band_verdict(bands: &[Band], fraction: f64) -> Option<&str> {
    bands
        .iter()
        .find(|b| fraction + 1e-9 >= b.min)
        .map(|b| b.verdict.as_str())
}
