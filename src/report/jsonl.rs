//! `--format jsonl`: one scorecard per line (the same object as in `json`'s `scorecards`,
//! compact), then one `{"error": {...}}` line per model that could not be audited.

use super::{Report, json};
use std::io::Write;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    render_values(
        report.scorecards.iter().map(json::scorecard),
        report.errors,
        out,
    )
}

/// The lines from scorecards already turned into JSON values (see [`super::packed`]).
pub fn render_values(
    scorecards: impl Iterator<Item = serde_json::Value>,
    errors: &[super::ModelError],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for card in scorecards {
        let line = serde_json::to_string(&card).expect("JSON values serialize");
        writeln!(out, "{line}")?;
    }
    for error in errors {
        let error = super::wire::ErrorV1::from(error);
        let line = serde_json::to_string(&serde_json::json!({ "error": error }))
            .expect("JSON values serialize");
        writeln!(out, "{line}")?;
    }
    Ok(())
}
