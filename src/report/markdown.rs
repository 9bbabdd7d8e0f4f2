//! `--format markdown`: a GitHub-flavoured Markdown table, one row per model in report order,
//! ready to paste into an article; a short legend under it; the models that could not be audited
//! after. With `--explain`, a section per model after them: every criterion with its status,
//! points and evidence. Every model-supplied string goes through
//! [`crate::text::sanitize::markdown`].
//!
//! [`crate::text::sanitize::markdown`]: crate::text::sanitize::markdown

use super::{
    Report, commercial_use_text, dimension_columns, error_line, links, rubrics, short_revision,
};
use crate::text::points_text;
use crate::text::sanitize::markdown as md;
use std::io::Write;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    if !report.scorecards.is_empty() {
        table(report, out)?;
        writeln!(out)?;
        legend(report, out)?;
        bases(report, out)?;
        unknowns(report, out)?;
        if report.explain {
            for card in report.scorecards {
                explain(card, out)?;
            }
        }
    }
    if !report.errors.is_empty() {
        if !report.scorecards.is_empty() {
            writeln!(out)?;
        }
        writeln!(out, "**Could not audit**")?;
        writeln!(out)?;
        for error in report.errors {
            writeln!(out, "- {} ({})", md(&error_line(error)), md(&error.code))?;
        }
    }
    Ok(())
}

fn table(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let dims = dimension_columns(report.scorecards);
    let mut header = vec!["#".to_owned(), "Model".to_owned(), "Score".to_owned()];
    header.extend(dims.iter().map(|d| md(&d.name)));
    if report.downloads {
        header.push("Downloads".to_owned());
    }
    header.extend(
        ["License id", "Category", "Commercial use", "Gate"]
            .iter()
            .map(|s| (*s).to_owned()),
    );
    let mut align = vec!["--:", ":--", "--:"];
    align.extend(dims.iter().map(|_| "--:"));
    if report.downloads {
        align.push("--:");
    }
    align.extend([":--"; 4]);
    writeln!(out, "| {} |", header.join(" | "))?;
    writeln!(out, "|{}|", align.join("|"))?;

    for (i, card) in report.scorecards.iter().enumerate() {
        let name = match links::model_page(card) {
            Some(url) => format!("[{}]({url})", md(&card.model)),
            None => md(&card.model),
        };
        let revision = card
            .revision
            .as_deref()
            .map(|r| format!(" @ {}", md(&short_revision(r, 7))))
            .unwrap_or_default();
        let mut cells = vec![
            (i + 1).to_string(),
            format!("{name}{revision}"),
            format!("{} / {}", points_text(card.score), points_text(card.max)),
        ];
        for col in &dims {
            cells.push(match card.dimensions.iter().find(|d| d.id == col.id) {
                Some(d) if d.unknown > 0 => format!(
                    "{} / {} ({} ?)",
                    points_text(d.score),
                    points_text(d.max),
                    d.unknown
                ),
                Some(d) => format!("{} / {}", points_text(d.score), points_text(d.max)),
                None => "–".to_owned(),
            });
        }
        if report.downloads {
            cells.push(card.downloads.map_or("unknown".to_owned(), |n| {
                crate::text::group_digits(i64::try_from(n).unwrap_or(i64::MAX))
            }));
        }
        let license = &card.license;
        let id = match (&license.id, license.declared.is_empty()) {
            (Some(id), _) => md(id),
            (None, false) => format!("{} (not recognised)", md(&license.declared.join(", "))),
            (None, true) => "none declared".to_owned(),
        };
        cells.extend([
            id,
            md(license.category.as_deref().unwrap_or("unknown")),
            md(&commercial_use_text(card)),
            md(card.gate.as_deref().unwrap_or("unknown")),
        ]);
        writeln!(out, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// How each dimension's verdict was reached (declared, read, inferred), one line per model, for
/// rubrics that give verdicts.
fn bases(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let lines: Vec<String> = report
        .scorecards
        .iter()
        .filter_map(|card| {
            let parts: Vec<String> = card
                .dimensions
                .iter()
                .filter_map(|d| {
                    let verdict = d.verdict.as_deref()?;
                    let basis = d.basis.map_or("undecided", |b| b.as_str());
                    Some(format!("{} {} ({basis})", md(&d.id), md(verdict)))
                })
                .collect();
            (!parts.is_empty()).then(|| format!("- {}: {}", md(&card.model), parts.join(", ")))
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "**How each verdict was reached** (declared: a metadata field or API fact; read: \
         recognised in the card or a file; inferred: from a related repository or from absence)"
    )?;
    writeln!(out)?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The facts that left criteria unknown, with what would establish them, one line per model.
fn unknowns(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let lines: Vec<String> = report
        .scorecards
        .iter()
        .filter(|card| !card.unknown_facts.is_empty())
        .map(|card| {
            // One line per reason, with the facts it leaves unknown.
            let mut reasons: Vec<(&str, Vec<String>)> = Vec::new();
            for (key, why) in &card.unknown_facts {
                match reasons.iter_mut().find(|(w, _)| w == why) {
                    Some((_, keys)) => keys.push(format!("`{key}`")),
                    None => reasons.push((why, vec![format!("`{key}`")])),
                }
            }
            let parts: Vec<String> = reasons
                .iter()
                .map(|(why, keys)| format!("{} ({})", md(why), keys.join(", ")))
                .collect();
            format!("- {}: {}", md(&card.model), parts.join("; "))
        })
        .collect();
    if lines.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "**Unknown facts, and how to establish them**")?;
    writeln!(out)?;
    for line in lines {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// `--explain`: a heading per model, a table of its criteria per dimension.
fn explain(card: &crate::scorecard::Scorecard, out: &mut dyn Write) -> std::io::Result<()> {
    use crate::rubric::Status;
    writeln!(out)?;
    let revision = card
        .revision
        .as_deref()
        .map(|r| format!(" @ {}", md(&short_revision(r, 7))))
        .unwrap_or_default();
    writeln!(
        out,
        "### {}{revision} — {} / {}",
        md(&card.model),
        points_text(card.score),
        points_text(card.max)
    )?;
    for dim in &card.dimensions {
        writeln!(out)?;
        let verdict = dim
            .verdict
            .as_deref()
            .map(|v| format!(", {}", md(v)))
            .unwrap_or_default();
        writeln!(
            out,
            "**{}** — {} / {}{verdict}",
            md(&dim.name),
            points_text(dim.score),
            points_text(dim.max)
        )?;
        writeln!(out)?;
        writeln!(out, "| Status | Points | Criterion | Evidence |")?;
        writeln!(out, "|:--|--:|:--|:--|")?;
        for c in &dim.criteria {
            let status = match c.status {
                Status::Pass if c.conditional => "pass (conditional)",
                Status::Pass => "pass",
                Status::Fail => "fail",
                Status::Unknown => "unknown",
            };
            let status = match c.basis {
                Some(basis) => format!("{status}, {}", basis.as_str()),
                None => status.to_owned(),
            };
            let evidence = match &c.unavailable {
                Some(reason) => format!("not published on the Hub: {}", md(reason)),
                None => super::evidence_lines(c)
                    .iter()
                    .map(|line| md(line))
                    .collect::<Vec<_>>()
                    .join("<br>"),
            };
            writeln!(
                out,
                "| {status} | {} / {} | {} | {evidence} |",
                points_text(c.points),
                points_text(c.max),
                md(&c.description)
            )?;
        }
    }
    Ok(())
}

fn legend(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let rubrics: Vec<String> = rubrics(report.scorecards).iter().map(|r| md(r)).collect();
    writeln!(
        out,
        "Scores are points earned / available under rubric {} (openness {}), with one column per \
         dimension; `(n ?)` counts the criteria that could not be decided from what the release \
         publishes. License category: open, restricted, non-commercial or unknown. Gate: none, \
         auto (access granted on request) or manual (approved by the publisher). Every point's \
         evidence: `openness audit MODEL --explain`.",
        rubrics.join(", "),
        env!("CARGO_PKG_VERSION")
    )
}
