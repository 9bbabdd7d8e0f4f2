//! `openness check --format table`: the summary, one row per model, the problems under it.

use super::{model_label, summary, where_named};
use crate::policy::{ModelVerdict, Outcome, Verdict};
use crate::report::{new_table, short_revision};
use crate::text::points_text;
use crate::text::sanitize::terminal;
use comfy_table::{Cell, CellAlignment};
use std::io::Write;

/// The verdict for people: the summary line, one row per model, then every problem.
pub fn render(verdict: &Verdict, width: Option<u16>, out: &mut dyn Write) -> std::io::Result<()> {
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
    let mut t = new_table(width);
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
