//! `--format table`: one scorecard per model, for people. Every model-supplied string goes
//! through [`sanitize::terminal`] first. Tables fit `Report::width` (long cells wrap) and, with
//! `Report::color`, statuses and severities are coloured; the renderer itself never looks at the
//! terminal (the command line decides both).
//!
//! [`sanitize::terminal`]: super::sanitize::terminal

use super::Report;
use super::sanitize::terminal;
use crate::evidence::Value;
use crate::findings::Severity;
use crate::rubric::Status;
use crate::scorecard::Scorecard;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table};
use std::io::Write;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    for (i, card) in report.scorecards.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        scorecard(card, report, out)?;
    }
    if !report.errors.is_empty() {
        if !report.scorecards.is_empty() {
            writeln!(out)?;
        }
        writeln!(out, "Could not audit:")?;
        for error in report.errors {
            writeln!(out, "  error  {}", terminal(&error.message))?;
        }
    }
    Ok(())
}

fn new_table(report: &Report<'_>) -> Table {
    let mut table = Table::new();
    table
        .load_style(UTF8_FULL_CONDENSED.with_rounded_corners())
        .set_content_arrangement(ContentArrangement::Dynamic)
        .force_no_tty();
    if let Some(width) = report.width {
        table.set_width(width);
    }
    if report.color {
        table.enforce_styling();
    }
    table
}

fn status_color(status: Status) -> Color {
    match status {
        Status::Pass => Color::Green,
        Status::Fail => Color::Red,
        Status::Unknown => Color::Yellow,
    }
}

/// ANSI SGR foreground codes for text written outside a table.
fn severity_sgr(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Info => "36",
    }
}

/// `text` in colour `sgr` when colour is on.
fn paint(text: &str, sgr: &str, color: bool) -> String {
    if color {
        format!("\u{1b}[{sgr}m{text}\u{1b}[0m")
    } else {
        text.to_owned()
    }
}

/// A cell coloured when colour is on.
fn colored(cell: Cell, color: Color, report: &Report<'_>) -> Cell {
    if report.color { cell.fg(color) } else { cell }
}

fn points(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn scorecard(card: &Scorecard, report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let revision = card
        .revision
        .as_deref()
        .map(|r| format!(" @ {}", terminal(&super::short_revision(r, 12))))
        .unwrap_or_default();
    writeln!(out, "{}{}", terminal(&card.model), revision)?;
    if let Some(requested) = &card.requested {
        writeln!(out, "  requested as {}", terminal(requested))?;
    }
    writeln!(
        out,
        "  score {} / {}  (rubric {} {})",
        points(card.score),
        points(card.max),
        terminal(&card.rubric.name),
        terminal(&card.rubric.version)
    )?;

    let mut table = new_table(report);
    table.set_header(vec!["Dimension", "Score", "Criteria met", "Unknown"]);
    for dim in &card.dimensions {
        let met = dim
            .criteria
            .iter()
            .filter(|c| c.status == Status::Pass)
            .count();
        table.add_row(vec![
            Cell::new(terminal(&dim.name)),
            Cell::new(format!("{} / {}", points(dim.score), points(dim.max)))
                .set_alignment(CellAlignment::Right),
            Cell::new(format!("{met} of {}", dim.criteria.len())),
            colored(
                Cell::new(if dim.unknown == 0 {
                    String::new()
                } else {
                    dim.unknown.to_string()
                }),
                Color::Yellow,
                report,
            ),
        ]);
    }
    writeln!(out, "{table}")?;

    license_block(card, out)?;

    if report.explain {
        for dim in &card.dimensions {
            writeln!(
                out,
                "  {} — {} / {}",
                terminal(&dim.name),
                points(dim.score),
                points(dim.max)
            )?;
            let mut table = new_table(report);
            table.set_header(vec!["", "Points", "Criterion", "Evidence"]);
            for c in &dim.criteria {
                let mark = match c.status {
                    Status::Pass => "✔ pass",
                    Status::Fail => "✘ fail",
                    Status::Unknown => "? unknown",
                };
                let evidence: Vec<String> = c
                    .evidence
                    .iter()
                    .map(|e| {
                        let value = e.value.as_ref().map_or("unknown".to_owned(), show);
                        let from: Vec<String> = e
                            .provenance
                            .iter()
                            .map(|p| terminal(&p.to_string()))
                            .collect();
                        if from.is_empty() {
                            format!("{} = {}", e.key, value)
                        } else {
                            format!("{} = {}  ({})", e.key, value, from.join("; "))
                        }
                    })
                    .collect();
                table.add_row(vec![
                    colored(Cell::new(mark), status_color(c.status), report),
                    Cell::new(format!("{} / {}", points(c.points), points(c.max)))
                        .set_alignment(CellAlignment::Right),
                    Cell::new(terminal(&c.description)),
                    Cell::new(evidence.join("\n")),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }

    if !card.findings.is_empty() {
        writeln!(out, "  findings:")?;
        for f in &card.findings {
            let severity = format!("{:<7}", f.severity.to_string());
            writeln!(
                out,
                "    {} {}: {}",
                paint(&severity, severity_sgr(f.severity), report.color),
                f.code,
                terminal(&f.message)
            )?;
        }
    }
    Ok(())
}

fn license_block(card: &Scorecard, out: &mut dyn Write) -> std::io::Result<()> {
    let l = &card.license;
    let declared = if l.declared.is_empty() {
        "none".to_owned()
    } else {
        terminal(&l.declared.join(", "))
    };
    let resolved = match (&l.id, &l.category) {
        (Some(id), Some(category)) => format!("{} ({})", terminal(id), category),
        (Some(id), None) => terminal(id),
        _ => "not recognised".to_owned(),
    };
    let name = l
        .name
        .as_deref()
        .map(|n| format!(", license_name {}", terminal(n)))
        .unwrap_or_default();
    writeln!(
        out,
        "  license     {resolved}  [declared: {declared}{name}]"
    )?;
    let prop = |key: &str| l.properties.get(key);
    let commercial = match prop("commercial-use") {
        Some(Value::Str(s)) if s == "conditional" => {
            let threshold = match prop("user-threshold") {
                Some(Value::Int(n)) if *n > 0 => format!(
                    " (above {} monthly users a separate license is needed)",
                    super::group_digits(*n)
                ),
                _ => String::new(),
            };
            format!("conditional{threshold}")
        }
        Some(v) => show(v).trim_matches('"').to_owned(),
        None => "unknown".to_owned(),
    };
    writeln!(out, "  commercial  {commercial}")?;
    let restrictions = match (prop("use-restrictions"), prop("use-policy")) {
        (Some(Value::Bool(true)), Some(Value::Bool(true))) => {
            "field-of-use restrictions, in an acceptable-use policy that can change".to_owned()
        }
        (Some(Value::Bool(true)), _) => "field-of-use restrictions".to_owned(),
        (Some(Value::Bool(false)), _) => "none".to_owned(),
        _ => "unknown".to_owned(),
    };
    writeln!(out, "  use         {restrictions}")?;
    let mut duties = Vec::new();
    for (key, label) in [
        ("attribution", "attribution"),
        ("naming", "naming / branding"),
        ("output-restrictions", "limits on using outputs"),
        ("copyleft", "share-alike"),
        ("non-commercial", "non-commercial only"),
        ("research-only", "research only"),
    ] {
        if prop(key) == Some(&Value::Bool(true)) {
            duties.push(label);
        }
    }
    if !duties.is_empty() {
        writeln!(out, "  duties      {}", duties.join(", "))?;
    }
    let gate = card.gate.as_deref().unwrap_or("unknown");
    writeln!(out, "  gate        {}", terminal(gate))?;
    Ok(())
}

fn show(value: &Value) -> String {
    terminal(&value.to_string())
}
