//! `--format csv`: one row per model, for spreadsheets (RFC 4180: comma-separated, CRLF line
//! ends, fields quoted when needed).
//!
//! Columns: `model`, `revision`, `rubric`, `score`, `max`, one per dimension (its id; the union
//! over the scorecards in first-seen order), `license_declared`, `license_id`,
//! `license_category`, `commercial_use`, `use_restrictions`, `user_threshold`, `gate`,
//! `findings` (codes joined by `;`), `error` (for a model that could not be audited, which has a
//! row with only `model` and `error`). Every model-supplied cell is cleaned of control characters
//! and has a leading `'` when a spreadsheet would run it as a formula.
//!
//! With `--explain`, one row per criterion instead ([`EXPLAIN`]): the model, its dimension and
//! criterion, the status and how it was reached, the points, and the evidence (`key = value
//! (where from)`, joined by `; `) — the long format a pivot table reads.

use super::{Report, dimension_columns, value_text};
use crate::text::points_text;
use crate::text::sanitize::{csv_field, csv_text};
use std::io::Write;

/// The columns before and after the dimensions.
pub const LEADING: &[&str] = &["model", "revision", "rubric", "score", "max"];
pub const TRAILING: &[&str] = &[
    "license_declared",
    "license_id",
    "license_category",
    "commercial_use",
    "use_restrictions",
    "user_threshold",
    "gate",
    "findings",
    "error",
];

/// The columns of `--explain`.
pub const EXPLAIN: &[&str] = &[
    "model",
    "revision",
    "rubric",
    "dimension",
    "criterion",
    "description",
    "status",
    "basis",
    "points",
    "max",
    "evidence",
    "error",
];

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    if report.explain {
        return criteria(report, out);
    }
    let dims = dimension_columns(report.scorecards);
    let mut header: Vec<String> = LEADING.iter().map(|s| (*s).to_owned()).collect();
    header.extend(dims.iter().map(|d| csv_text(&d.id)));
    header.extend(TRAILING.iter().map(|s| (*s).to_owned()));
    row(out, &header)?;

    for card in report.scorecards {
        let prop = |key: &str| {
            card.license
                .property(key)
                .map(|v| csv_text(&value_text(v)))
                .unwrap_or_default()
        };
        let mut cells = vec![
            csv_text(&card.model),
            csv_text(card.revision.as_deref().unwrap_or("")),
            csv_text(&format!("{} {}", card.rubric.name, card.rubric.version)),
            points_text(card.score),
            points_text(card.max),
        ];
        for dim in &dims {
            cells.push(
                card.dimensions
                    .iter()
                    .find(|d| d.id == dim.id)
                    .map(|d| points_text(d.score))
                    .unwrap_or_default(),
            );
        }
        let codes: Vec<&str> = card.findings.iter().map(|f| f.code.as_str()).collect();
        cells.extend([
            csv_text(&card.license.declared.join(";")),
            csv_text(card.license.id.as_deref().unwrap_or("")),
            csv_text(card.license.category.as_deref().unwrap_or("")),
            prop("commercial-use"),
            prop("use-restrictions"),
            prop("user-threshold"),
            csv_text(card.gate.as_deref().unwrap_or("")),
            codes.join(";"),
            String::new(),
        ]);
        row(out, &cells)?;
    }

    let width = header.len();
    for error in report.errors {
        let mut cells = vec![String::new(); width];
        cells[0] = csv_text(&error.model);
        cells[width - 1] = csv_text(&format!("{}: {}", error.code, error.message));
        row(out, &cells)?;
    }
    Ok(())
}

/// `--explain`: one row per criterion of each model.
fn criteria(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let header: Vec<String> = EXPLAIN.iter().map(|s| (*s).to_owned()).collect();
    row(out, &header)?;
    for card in report.scorecards {
        for dim in &card.dimensions {
            for c in &dim.criteria {
                let evidence = match &c.unavailable {
                    Some(reason) => format!("not published on the Hub: {reason}"),
                    None => super::evidence_lines(c).join("; "),
                };
                let cells = vec![
                    csv_text(&card.model),
                    csv_text(card.revision.as_deref().unwrap_or("")),
                    csv_text(&format!("{} {}", card.rubric.name, card.rubric.version)),
                    csv_text(&dim.id),
                    csv_text(&c.id),
                    csv_text(&c.description),
                    c.status.as_str().to_owned(),
                    c.basis.map(|b| b.as_str().to_owned()).unwrap_or_default(),
                    points_text(c.points),
                    points_text(c.max),
                    csv_text(&evidence),
                    String::new(),
                ];
                row(out, &cells)?;
            }
        }
    }
    for error in report.errors {
        let mut cells = vec![String::new(); EXPLAIN.len()];
        cells[0] = csv_text(&error.model);
        cells[EXPLAIN.len() - 1] = csv_text(&format!("{}: {}", error.code, error.message));
        row(out, &cells)?;
    }
    Ok(())
}

fn row(out: &mut dyn Write, cells: &[String]) -> std::io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
    write!(out, "{}\r\n", line.join(","))
}
