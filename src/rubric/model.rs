//! A validated rubric: what `load` produces and `eval` consumes.

use super::expr::Condition;

#[derive(Clone, Debug)]
pub struct Rubric {
    pub name: String,
    pub version: String,
    pub description: String,
    pub source: Option<String>,
    pub dimensions: Vec<Dimension>,
}

#[derive(Clone, Debug)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    pub description: String,
    pub criteria: Vec<Criterion>,
}

#[derive(Clone, Debug)]
pub struct Criterion {
    pub id: String,
    pub description: String,
    pub points: f64,
    pub condition: Condition,
    /// Where the rule comes from, or why it is scored this way.
    pub note: Option<String>,
}

impl Rubric {
    pub fn max_points(&self) -> f64 {
        self.dimensions.iter().map(Dimension::max_points).sum()
    }
}

impl Dimension {
    pub fn max_points(&self) -> f64 {
        self.criteria.iter().map(|c| c.points).sum()
    }
}
