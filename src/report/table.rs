//! `--format table`: one scorecard per model, for people. Every model-supplied string goes
//! through [`sanitize::terminal`] first.

use super::Report;
use super::sanitize::terminal;
use crate::evidence::Value;
use crate::rubric::Status;
use crate::scorecard::Scorecard;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, ContentArrangement, Table};
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
        .set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = report.width {
        table.set_width(width);
    }
    table
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
        .map(|r| format!(" @ {}", &r[..r.len().min(12)]))
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
            Cell::new(if dim.unknown == 0 {
                String::new()
            } else {
                dim.unknown.to_string()
            }),
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
                    Cell::new(mark),
                    Cell::new(format!("{} / {}", points(c.points), points(c.max)))
                        .set_alignment(CellAlignment::Right),
                    Cell::new(terminal(&c.description)),
                    Cell::new(evidence.join("\n")),
                ]);
            }
            writeln!(out, "{table}")?;
        }
        unscored_evidence(card, out)?;
    }

    if !card.findings.is_empty() {
        writeln!(out, "  findings:")?;
        for f in &card.findings {
            writeln!(
                out,
                "    {:<7} {}: {}",
                f.severity.to_string(),
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
                    group(*n)
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
    if let Some(Value::Str(inherited)) = card
        .evidence
        .get("lineage.inherited-license")
        .map(|f| &f.value)
        && inherited != "none"
    {
        let drift = card
            .evidence
            .get("lineage.license-drift")
            .is_some_and(|f| f.value == Value::Bool(true));
        writeln!(
            out,
            "  inherits    {} from its base models{}",
            terminal(inherited),
            if drift {
                " (the declared license is more permissive: license drift)"
            } else {
                ""
            }
        )?;
    }
    let gate = card.gate.as_deref().unwrap_or("unknown");
    writeln!(out, "  gate        {}", terminal(gate))?;
    Ok(())
}

/// With `--explain`: the lineage and checkpoint facts, which no default criterion reads.
fn unscored_evidence(card: &Scorecard, out: &mut dyn Write) -> std::io::Result<()> {
    let facts: Vec<_> = card
        .evidence
        .iter()
        .filter(|(key, _)| key.starts_with("lineage.") || key.starts_with("checkpoints."))
        .collect();
    if facts.is_empty() {
        return Ok(());
    }
    writeln!(out, "  Lineage and checkpoints")?;
    for (key, fact) in facts {
        let from: Vec<String> = fact
            .provenance
            .iter()
            .map(|p| terminal(&p.to_string()))
            .collect();
        writeln!(
            out,
            "    {key} = {}  ({})",
            show(&fact.value),
            from.join("; ")
        )?;
    }
    Ok(())
}

fn show(value: &Value) -> String {
    terminal(&value.to_string())
}

/// 700000000 → 700,000,000
fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}
