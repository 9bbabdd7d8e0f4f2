//! `--format json`: one document `{"schema": "openness/v1", "scorecards": [...], "errors": [...]}`.
//! Keys are sorted and there are no timestamps, so the same inputs give byte-identical output.

use super::Report;
use serde_json::{Value, json};

pub const SCHEMA: &str = "openness/v1";

pub fn document(report: &Report<'_>) -> Value {
    json!({
        "schema": SCHEMA,
        "generator": { "name": "openness", "version": env!("CARGO_PKG_VERSION") },
        "scorecards": report.scorecards.iter().map(scorecard).collect::<Vec<_>>(),
        "errors": report.errors,
    })
}

/// One scorecard as a JSON value (sorted keys: serde_json's map is ordered).
pub fn scorecard(card: &crate::scorecard::Scorecard) -> Value {
    serde_json::to_value(card).expect("scorecards serialize")
}

/// Writes the document one scorecard at a time, so a ranking of thousands of models never holds
/// the whole document in memory. The bytes are those of `to_string_pretty(&document(report))`.
pub fn render(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let errors = serde_json::to_value(report.errors).expect("errors serialize");
    let generator = json!({ "name": "openness", "version": env!("CARGO_PKG_VERSION") });
    writeln!(out, "{{")?;
    writeln!(out, "  \"errors\": {},", indented(&errors, 2))?;
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
