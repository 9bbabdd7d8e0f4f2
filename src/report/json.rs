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

pub fn render(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(&document(report)).expect("JSON values serialize");
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}
