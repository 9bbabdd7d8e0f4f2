//! Rendering the verdict of `openness check`: `table`, `json`, `sarif`, `junit`. Every format
//! shows the same [`Verdict`]; none decides anything.

use super::short_revision;
use crate::policy::{ModelVerdict, Outcome, Verdict};
use crate::text::points_text;
use crate::text::sanitize::terminal;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// Output formats of `openness check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// The verdict per model and every problem, for people (the default).
    Table,
    /// One JSON document: {"schema": "openness/check/v1", "verdict": …, "models": [...]}.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning: one result per problem, at the line naming the model.
    Sarif,
    /// JUnit XML: one test suite per model, one test case per rule.
    Junit,
}

impl CheckFormat {
    /// The format a file name implies: `.sarif` / `.sarif.json`, `.xml`, `.json`; else none.
    pub fn from_path(path: &Path) -> Option<CheckFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        Some(
            if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
                CheckFormat::Sarif
            } else if name.ends_with(".xml") {
                CheckFormat::Junit
            } else if name.ends_with(".json") {
                CheckFormat::Json
            } else if name.ends_with(".txt") {
                CheckFormat::Table
            } else {
                return None;
            },
        )
    }
}

pub const SCHEMA: &str = "openness/check/v1";

pub fn render(
    format: CheckFormat,
    verdict: &Verdict,
    width: Option<u16>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        CheckFormat::Table => table(verdict, width, out),
        CheckFormat::Json => {
            let text = serde_json::to_string_pretty(&document(verdict)).expect("JSON serializes");
            writeln!(out, "{text}")
        }
        CheckFormat::Sarif => super::sarif::render(verdict, out),
        CheckFormat::Junit => super::junit::render(verdict, out),
    }
}

/// The `json` document.
pub fn document(verdict: &Verdict) -> serde_json::Value {
    let (failed, warned, passed) = verdict.counts();
    json!({
        "schema": SCHEMA,
        "generator": { "name": "openness", "version": env!("CARGO_PKG_VERSION") },
        "verdict": verdict.overall.as_str(),
        "exit_code": verdict.overall.exit_code(),
        "policy": verdict.policy,
        "rubric": verdict.rubric,
        "summary": { "models": verdict.models.len(), "failed": failed, "warned": warned, "passed": passed },
        "models": verdict.models,
        "notes": verdict.notes,
    })
}

/// One line: the verdict and the counts.
pub fn summary(verdict: &Verdict) -> String {
    let (failed, warned, _) = verdict.counts();
    let total = verdict.models.len();
    let models = |n: usize| if n == 1 { "model" } else { "models" };
    let head = match verdict.overall {
        crate::policy::Overall::Pass => format!(
            "PASS: {total} {} meet{} {}",
            models(total),
            if total == 1 { "s" } else { "" },
            verdict.policy
        ),
        crate::policy::Overall::Fail => format!(
            "FAIL: {failed} of {total} {} fail{} {}",
            models(total),
            if failed == 1 { "s" } else { "" },
            verdict.policy
        ),
        crate::policy::Overall::Incomplete => {
            let unfetched = verdict.models.iter().filter(|m| m.error.is_some()).count();
            format!(
                "INCOMPLETE: {unfetched} of {total} {} could not be fetched, and {} fails what cannot be checked (unknown = \"deny\")",
                models(total),
                verdict.policy
            )
        }
    };
    let warnings = warned + verdict.notes.len();
    if warnings > 0 {
        format!(
            "{head} ({warnings} warning{})",
            if warnings == 1 { "" } else { "s" }
        )
    } else {
        head
    }
}

/// The model as shown: `id@short-revision`.
pub fn model_label(model: &ModelVerdict) -> String {
    match &model.revision {
        Some(rev) => format!("{}@{}", model.id, short_revision(rev, 7)),
        None => model.id.clone(),
    }
}

/// `file:line` of where a model is named, when known.
pub fn where_named(model: &ModelVerdict) -> Option<String> {
    model
        .locations
        .first()
        .map(|l| format!("{}:{}", l.file, l.line))
}

fn table(verdict: &Verdict, width: Option<u16>, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "openness check — {} (rubric {})",
        summary(verdict),
        verdict.rubric
    )?;
    if verdict.models.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    let mut t = super::check::new_table(width);
    t.set_header([
        "Model", "Revision", "License", "Score", "Result", "Named at",
    ]);
    for model in &verdict.models {
        let score = match (model.score, model.max) {
            (Some(s), Some(m)) => format!("{} / {}", points_text(s), points_text(m)),
            _ => "—".to_owned(),
        };
        t.add_row(vec![
            Cell::new(terminal(&model.id)),
            Cell::new(
                model
                    .revision
                    .as_deref()
                    .map_or("—".to_owned(), |r| short_revision(r, 7)),
            ),
            Cell::new(terminal(model.license.as_deref().unwrap_or(
                if model.error.is_some() {
                    "—"
                } else {
                    "unknown"
                },
            ))),
            Cell::new(score).set_alignment(CellAlignment::Right),
            Cell::new(result_text(model)),
            Cell::new(where_named(model).unwrap_or_default()),
        ]);
    }
    // Model ids are never wrapped: other columns give way.
    if let Some(column) = t.column_mut(0) {
        column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
    }
    writeln!(out, "{t}")?;

    let mut problems = Vec::new();
    for model in &verdict.models {
        for check in &model.checks {
            let shown = match check.outcome {
                Outcome::Fail => "fail",
                Outcome::Warn => "warn",
                Outcome::Waived => "waived",
                Outcome::Allowed => "allowed",
                Outcome::Pass => continue,
            };
            let mut line = format!(
                "  {shown:<7} {}  {}: {}",
                terminal(&model_label(model)),
                check.name(),
                terminal(&check.message)
            );
            if let Some(reason) = &check.waived {
                line.push_str(&format!(" — waived: {}", terminal(reason)));
            }
            problems.push(line);
        }
    }
    if !problems.is_empty() {
        writeln!(out, "\nProblems:")?;
        for line in problems {
            writeln!(out, "{line}")?;
        }
    }
    if !verdict.notes.is_empty() {
        writeln!(out, "\nPolicy:")?;
        for note in &verdict.notes {
            writeln!(
                out,
                "  {:<7} {}: {} ({}:{})",
                note.outcome.as_str(),
                note.rule,
                terminal(&note.message),
                note.location.file,
                note.location.line
            )?;
        }
    }
    let unlocked: Vec<&str> = verdict
        .models
        .iter()
        .filter(|m| m.locked == Some(false) && m.error.is_none())
        .map(|m| m.id.as_str())
        .collect();
    if !unlocked.is_empty() {
        writeln!(
            out,
            "\nNot in the lock file yet (run `openness check --update-lock` to record them): {}",
            terminal(&unlocked.join(", "))
        )?;
    }
    Ok(())
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

fn result_text(model: &ModelVerdict) -> String {
    let count = |o: Outcome| model.checks.iter().filter(|c| c.outcome == o).count();
    let mut text = match model.outcome {
        Outcome::Fail => format!("FAIL ({})", count(Outcome::Fail)),
        Outcome::Warn => format!("warn ({})", count(Outcome::Warn)),
        Outcome::Waived | Outcome::Allowed | Outcome::Pass => "pass".to_owned(),
    };
    if count(Outcome::Waived) > 0 {
        text.push_str(&format!(", {} waived", count(Outcome::Waived)));
    }
    text
}
