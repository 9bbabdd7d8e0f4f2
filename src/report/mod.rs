//! Rendering scorecards. Renderers never decide anything: every number and verdict comes from
//! the scorecard. One file per format; [`crate::text::sanitize`] makes model-supplied text safe for
//! each of them and `links` builds the Hub URLs they point to.

pub mod check;
pub mod csv;
pub mod cyclonedx;
pub mod diff;
pub mod html;
pub mod json;
pub mod jsonl;
pub mod junit;
pub mod license;
pub mod links;
pub mod markdown;
pub mod packed;
pub mod rubric;
pub mod sarif;
pub mod table;
pub mod wire;

use crate::evidence::Value;
use crate::scorecard::Scorecard;
use crate::text::group_digits;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};
use serde::Serialize;
use std::path::Path;

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable scorecards (default on a terminal).
    Table,
    /// One JSON document: {"schema": "openness/v1", "scorecards": [...], "errors": [...]}.
    Json,
    /// One scorecard per line (JSON Lines); errors as {"error": {...}} lines after.
    Jsonl,
    /// One row per model: scores per dimension and license facts, for spreadsheets.
    Csv,
    /// A GitHub-flavoured Markdown table with links to each model, ready for an article.
    #[value(alias = "md")]
    Markdown,
    /// One self-contained HTML page: sortable table, chart, evidence per model.
    #[value(alias = "htm")]
    Html,
    /// A CycloneDX 1.6 ML-BOM (JSON).
    #[value(alias = "cdx")]
    Cyclonedx,
    /// SARIF 2.1.0: a result per criterion not met or unknown (and met, with --explain), and
    /// per finding.
    Sarif,
    /// JUnit XML: a test suite per model, a test case per criterion.
    Junit,
}

impl Format {
    /// The format a file name implies: `.md` markdown, `.csv`, `.jsonl`, `.json`, `.html`,
    /// `.cdx.json` CycloneDX, `.sarif` SARIF, `.xml` JUnit, `.txt` table. `None` for any other
    /// name.
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let ends = |suffix: &str| name.ends_with(suffix);
        Some(if ends(".cdx.json") || ends(".bom.json") {
            Format::Cyclonedx
        } else if ends(".sarif") || ends(".sarif.json") {
            Format::Sarif
        } else if ends(".xml") {
            Format::Junit
        } else if ends(".jsonl") || ends(".ndjson") {
            Format::Jsonl
        } else if ends(".json") {
            Format::Json
        } else if ends(".csv") {
            Format::Csv
        } else if ends(".md") || ends(".markdown") {
            Format::Markdown
        } else if ends(".html") || ends(".htm") {
            Format::Html
        } else if ends(".txt") {
            Format::Table
        } else {
            return None;
        })
    }
}

/// A model that could not be audited.
#[derive(Clone, Debug, Serialize)]
pub struct ModelError {
    pub model: String,
    pub code: String,
    pub message: String,
}

/// An error as one line naming the model: its message, which names the model already, or
/// `model: message`.
pub fn error_line(error: &ModelError) -> String {
    if error.message.starts_with(&error.model) {
        error.message.clone()
    } else {
        format!("{}: {}", error.model, error.message)
    }
}

/// What a renderer renders. Scorecards are rendered in the order given (input order for
/// `audit`, ranking order for `rank`); a position column counts in that order.
#[derive(Debug)]
pub struct Report<'a> {
    pub scorecards: &'a [Scorecard],
    pub errors: &'a [ModelError],
    /// Show every criterion with its points and evidence (`table`).
    pub explain: bool,
    /// Width to fit tables into, when known (`table`).
    pub width: Option<u16>,
    /// Colour statuses and severities with ANSI escapes (`table` only; other formats never).
    pub color: bool,
    /// A ranking (`rank`): `table` prints one row per model instead of full scorecards.
    pub ranking: bool,
    /// Show each model's downloads (a ranking by downloads, or filtered by them): a column of
    /// the ranking `table` and `markdown`.
    pub downloads: bool,
}

impl<'a> Report<'a> {
    /// A report with default options: no `--explain`, no width, no colour.
    pub fn new(scorecards: &'a [Scorecard], errors: &'a [ModelError]) -> Report<'a> {
        Report {
            scorecards,
            errors,
            explain: false,
            width: None,
            color: false,
            ranking: false,
            downloads: false,
        }
    }
}

pub fn render(
    format: Format,
    report: &Report<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Table => table::render(report, out),
        Format::Json => json::render(report, out),
        Format::Jsonl => jsonl::render(report, out),
        Format::Csv => csv::render(report, out),
        Format::Markdown => markdown::render(report, out),
        Format::Html => html::render(report, out),
        Format::Cyclonedx => cyclonedx::render(report, out),
        Format::Sarif => sarif::render(report, out),
        Format::Junit => junit::render(report, out),
    }
}

/// A criterion's evidence, one `key = value  (where from; …)` line per fact it read (`unknown`
/// when the fact could not be established). Plain text: each format escapes it.
pub fn evidence_lines(criterion: &crate::rubric::eval::CriterionResult) -> Vec<String> {
    criterion
        .evidence
        .iter()
        .map(|e| {
            let value = e.value().map_or("unknown".to_owned(), |v| v.to_string());
            let from: Vec<String> = e.provenance().iter().map(|p| p.to_string()).collect();
            if from.is_empty() {
                format!("{} = {value}", e.key)
            } else {
                format!("{} = {value}  ({})", e.key, from.join("; "))
            }
        })
        .collect()
}

/// The first `n` characters of a revision (a commit sha), for display.
pub fn short_revision(revision: &str, n: usize) -> String {
    revision.chars().take(n).collect()
}

/// A table in the house style: rounded, fitted to `width` when known, never coloured.
pub fn new_table(width: Option<u16>) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED.with_rounded_corners())
        .set_content_arrangement(ContentArrangement::Dynamic)
        .force_no_tty();
    if let Some(width) = width {
        table.set_width(width);
    }
    table
}

/// A dimension of the rubric(s) in a report: its id and display name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    pub id: String,
    pub name: String,
}

/// The union of the dimensions of every scorecard, in first-seen order (one column each in
/// tabular formats).
pub fn dimension_columns(scorecards: &[Scorecard]) -> Vec<Column> {
    let mut columns: Vec<Column> = Vec::new();
    for card in scorecards {
        for dim in &card.dimensions {
            if !columns.iter().any(|c| c.id == dim.id) {
                columns.push(Column {
                    id: dim.id.clone(),
                    name: dim.name.clone(),
                });
            }
        }
    }
    columns
}

/// The rubrics of a report as `name version`, distinct, in first-seen order.
pub fn rubrics(scorecards: &[Scorecard]) -> Vec<String> {
    let mut seen: Vec<String> = Vec::new();
    for card in scorecards {
        let rubric = format!("{} {}", card.rubric.name, card.rubric.version);
        if !seen.contains(&rubric) {
            seen.push(rubric);
        }
    }
    seen
}

/// A license property's value as plain text: strings unquoted, lists joined with `;`.
pub fn value_text(value: &Value) -> String {
    match value {
        Value::Str(s) => s.clone(),
        Value::List(items) => items.join(";"),
        other => other.to_string(),
    }
}

/// Commercial use as a short phrase: `yes`, `no`, `conditional (over 700,000,000 users)` or
/// `unknown`, from the license properties the scorecard carries.
pub fn commercial_use_text(card: &Scorecard) -> String {
    let prop = |key: &str| card.license.property(key);
    match prop("commercial-use") {
        Some(Value::Str(s)) if s == "conditional" => match prop("user-threshold") {
            Some(Value::Int(n)) if *n > 0 => {
                format!("conditional (over {} users)", group_digits(*n))
            }
            _ => "conditional".to_owned(),
        },
        Some(v) => value_text(v),
        None => "unknown".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_file_names() {
        let f = |name: &str| Format::from_path(Path::new(name));
        assert_eq!(f("r.md"), Some(Format::Markdown));
        assert_eq!(f("r.csv"), Some(Format::Csv));
        assert_eq!(f("r.jsonl"), Some(Format::Jsonl));
        assert_eq!(f("r.json"), Some(Format::Json));
        assert_eq!(f("dir/R.HTML"), Some(Format::Html));
        assert_eq!(f("bom.cdx.json"), Some(Format::Cyclonedx));
        assert_eq!(f("r.txt"), Some(Format::Table));
        assert_eq!(f("x.sarif"), Some(Format::Sarif));
        assert_eq!(f("x.sarif.json"), Some(Format::Sarif));
        assert_eq!(f("x.xml"), Some(Format::Junit));
        assert_eq!(f("r.pdf"), None);
        assert_eq!(f("noext"), None);
    }
}
