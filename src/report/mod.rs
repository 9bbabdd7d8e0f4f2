//! Rendering scorecards. Renderers never decide anything: every number and verdict comes from
//! the scorecard.

pub mod json;
pub mod sanitize;
pub mod table;

use crate::scorecard::Scorecard;
use serde::Serialize;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable scorecards (default on a terminal).
    Table,
    /// One JSON document: {"schema": "openness/v1", "scorecards": [...], "errors": [...]}.
    Json,
}

/// A model that could not be audited.
#[derive(Clone, Debug, Serialize)]
pub struct ModelError {
    pub model: String,
    pub code: String,
    pub message: String,
}

/// What a renderer renders.
#[derive(Debug)]
pub struct Report<'a> {
    pub scorecards: &'a [Scorecard],
    pub errors: &'a [ModelError],
    /// Show every criterion with its points and evidence.
    pub explain: bool,
    /// Width to fit tables into, when known.
    pub width: Option<u16>,
}

pub fn render(
    format: Format,
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => table::render(report, out),
        Format::Json => json::render(report, out),
    }
}
