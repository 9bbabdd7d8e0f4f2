//! `--format json`: one document `{"schema": "openness/v1", "scorecards": [...], "errors": [...]}`,
//! in the shapes of [`super::wire`]. Keys are sorted and there are no timestamps, so the same
//! inputs give byte-identical output.

use super::Report;
use super::wire::{ErrorV1, GENERATOR, SCHEMA, ScorecardV1};
use serde_json::Value;

/// One scorecard as a JSON value (sorted keys: serde_json's map is ordered).
pub fn scorecard(card: &crate::scorecard::Scorecard) -> Value {
    serde_json::to_value(ScorecardV1::from(card)).expect("scorecards serialize")
}

/// The errors of a report as a JSON value.
pub fn errors(report: &Report<'_>) -> Value {
    let errors: Vec<ErrorV1<'_>> = report.errors.iter().map(ErrorV1::from).collect();
    serde_json::to_value(errors).expect("errors serialize")
}

/// Writes the document one scorecard at a time, so a ranking of thousands of models never holds
/// the whole document in memory.
pub fn render(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let generator = serde_json::to_value(GENERATOR).expect("the generator serializes");
    writeln!(out, "{{")?;
    writeln!(out, "  \"errors\": {},", indented(&errors(report), 2))?;
    writeln!(out, "  \"generator\": {},", indented(&generator, 2))?;
    writeln!(out, "  \"schema\": {},", Value::from(SCHEMA))?;
    if report.scorecards.is_empty() {
        writeln!(out, "  \"scorecards\": []")?;
    } else {
        writeln!(out, "  \"scorecards\": [")?;
        for (i, card) in report.scorecards.iter().enumerate() {
            let separator = if i + 1 < report.scorecards.len() {
                ","
            } else {
                ""
            };
            writeln!(out, "    {}{separator}", indented(&scorecard(card), 4))?;
        }
        writeln!(out, "  ]")?;
    }
    writeln!(out, "}}")
}

/// A value pretty-printed as if nested `depth` spaces deep (its first line is not indented).
fn indented(value: &Value, depth: usize) -> String {
    let text = serde_json::to_string_pretty(value).expect("JSON values serialize");
    text.replace('\n', &format!("\n{}", " ".repeat(depth)))
}
