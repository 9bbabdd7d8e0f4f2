//! Loading a rubric: TOML text → checked [`Rubric`], every problem reported with its line and
//! column. Unknown keys are errors, and so is a condition naming an unknown evidence key.

use super::expr::Condition;
use super::model::{Criterion, Dimension, Rubric};
use serde::Deserialize;
use std::fmt;
use toml::Spanned;

/// One problem in a rubric file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source line, for display under the message.
    pub snippet: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if !self.snippet.is_empty() {
            write!(
                f,
                "\n  | {}\n  | {}^",
                self.snippet,
                " ".repeat(self.column.saturating_sub(1))
            )?;
        }
        Ok(())
    }
}

/// All the problems of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    rubric: RawMeta,
    dimensions: Vec<RawDimension>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    name: String,
    version: String,
    description: String,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDimension {
    id: Spanned<String>,
    name: String,
    #[serde(default)]
    description: String,
    criteria: Vec<RawCriterion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    id: Spanned<String>,
    description: String,
    points: Spanned<f64>,
    when: Spanned<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Locates byte offsets in the source.
struct SourceMap<'a> {
    file: &'a str,
    text: &'a str,
}

impl SourceMap<'_> {
    fn diagnostic(&self, offset: usize, message: String) -> Diagnostic {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..offset].chars().count() + 1;
        let snippet = self.text[line_start..]
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        Diagnostic {
            file: self.file.to_owned(),
            line,
            column,
            message,
            snippet,
        }
    }

    /// Offset of the first character inside a TOML string literal that starts at `offset`.
    fn string_content_start(&self, offset: usize) -> usize {
        let rest = &self.text[offset.min(self.text.len())..];
        if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
            let after = offset + 3;
            if self.text[after..].starts_with('\n') {
                after + 1
            } else {
                after
            }
        } else {
            offset + 1
        }
    }
}

/// Parses and checks a rubric. `file` names it in diagnostics.
pub fn load(file: &str, text: &str) -> Result<Rubric, LoadError> {
    let map = SourceMap { file, text };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        LoadError {
            diagnostics: vec![map.diagnostic(offset, e.message().trim().to_owned())],
        }
    })?;

    let mut diagnostics = Vec::new();
    let mut dimension_ids = std::collections::BTreeSet::new();
    let mut criterion_ids = std::collections::BTreeSet::new();
    let mut dimensions = Vec::new();
    if raw.dimensions.is_empty() {
        diagnostics
            .push(map.diagnostic(0, "a rubric needs at least one [[dimensions]] table".into()));
    }
    for raw_dim in raw.dimensions {
        let id = raw_dim.id.get_ref().clone();
        check_id(
            &map,
            &raw_dim.id,
            "dimension",
            &mut dimension_ids,
            &mut diagnostics,
        );
        if raw_dim.criteria.is_empty() {
            diagnostics.push(map.diagnostic(
                raw_dim.id.span().start,
                format!("dimension `{id}` has no criteria"),
            ));
        }
        let mut criteria = Vec::new();
        for raw_crit in raw_dim.criteria {
            check_id(
                &map,
                &raw_crit.id,
                "criterion",
                &mut criterion_ids,
                &mut diagnostics,
            );
            let points = *raw_crit.points.get_ref();
            if !points.is_finite() || points < 0.0 {
                diagnostics.push(map.diagnostic(
                    raw_crit.points.span().start,
                    "points must be a number of at least 0".into(),
                ));
            }
            let condition = match Condition::parse(raw_crit.when.get_ref()) {
                Ok(condition) => Some(condition),
                Err(e) => {
                    let base = map.string_content_start(raw_crit.when.span().start);
                    diagnostics.push(map.diagnostic(base + e.span.start, e.message));
                    None
                }
            };
            if let Some(condition) = condition {
                criteria.push(Criterion {
                    id: raw_crit.id.into_inner(),
                    description: raw_crit.description,
                    points,
                    condition,
                    note: raw_crit.note,
                });
            }
        }
        dimensions.push(Dimension {
            id,
            name: raw_dim.name,
            description: raw_dim.description,
            criteria,
        });
    }
    if !diagnostics.is_empty() {
        return Err(LoadError { diagnostics });
    }
    Ok(Rubric {
        name: raw.rubric.name,
        version: raw.rubric.version,
        description: raw.rubric.description,
        source: raw.rubric.source,
        dimensions,
    })
}

fn check_id(
    map: &SourceMap<'_>,
    id: &Spanned<String>,
    what: &str,
    seen: &mut std::collections::BTreeSet<String>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let value = id.get_ref();
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-');
    if !valid {
        diagnostics.push(map.diagnostic(
            id.span().start,
            format!("{what} id `{value}` must be kebab-case (a-z, 0-9, -)"),
        ));
    }
    if !seen.insert(value.clone()) {
        diagnostics.push(map.diagnostic(id.span().start, format!("duplicate {what} id `{value}`")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
[rubric]
name = "tiny"
version = "1"
description = "test"

[[dimensions]]
id = "weights"
name = "Weights"

[[dimensions.criteria]]
id = "published"
description = "weights are published"
points = 5
when = "weights.published"
"#;

    #[test]
    fn loads_a_valid_rubric() {
        let rubric = load("tiny.toml", VALID).unwrap();
        assert_eq!(rubric.max_points(), 5.0);
    }

    #[test]
    fn reports_unknown_keys_and_evidence_with_position() {
        let err = load("bad.toml", &VALID.replace("points = 5", "pionts = 5")).unwrap_err();
        assert_eq!(err.diagnostics[0].line, 14, "{err}");
        assert!(err.to_string().contains("pionts"), "{err}");
        let err = load(
            "bad.toml",
            &VALID.replace("weights.published\"", "weights.publishd\""),
        )
        .unwrap_err();
        let d = &err.diagnostics[0];
        assert_eq!((d.line, d.column), (15, 9), "{err}");
        assert!(d.message.contains("unknown evidence key"));
    }
}
