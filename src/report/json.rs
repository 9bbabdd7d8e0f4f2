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
    error_values(report.errors)
}

fn error_values(errors: &[super::ModelError]) -> Value {
    let errors: Vec<ErrorV1<'_>> = errors.iter().map(ErrorV1::from).collect();
    serde_json::to_value(errors).expect("errors serialize")
}

/// Writes the document one scorecard at a time, so a ranking of thousands of models never holds
/// the whole document in memory.
pub fn render(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    render_values(report.scorecards.iter().map(scorecard), report.errors, out)
}

/// The document from scorecards already turned into JSON values (see [`super::packed`]).
pub fn render_values(
    scorecards: impl Iterator<Item = Value>,
    errors: &[super::ModelError],
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let generator = serde_json::to_value(GENERATOR).expect("the generator serializes");
    writeln!(out, "{{")?;
    writeln!(out, "  \"errors\": {},", indented(&error_values(errors), 2))?;
    writeln!(out, "  \"generator\": {},", indented(&generator, 2))?;
    writeln!(out, "  \"schema\": {},", Value::from(SCHEMA))?;
    let mut scorecards = scorecards.peekable();
    if scorecards.peek().is_none() {
        writeln!(out, "  \"scorecards\": []")?;
    } else {
        writeln!(out, "  \"scorecards\": [")?;
        while let Some(card) = scorecards.next() {
            let separator = if scorecards.peek().is_some() { "," } else { "" };
            writeln!(out, "    {}{separator}", indented(&card, 4))?;
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
