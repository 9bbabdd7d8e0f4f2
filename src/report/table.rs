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
    let upto = if card.score_if_known > card.score {
        format!(
            ", up to {} if the unknown facts were favourable",
            points(card.score_if_known)
        )
    } else {
        String::new()
    };
    writeln!(
        out,
        "  score {} / {} ({}%{upto})  rubric {} {}",
        points(card.score),
        points(card.max),
        points(card.percent),
        terminal(&card.rubric.name),
        terminal(&card.rubric.version)
    )?;
    let mut overall = Vec::new();
    if let Some(verdict) = &card.verdict {
        overall.push(format!("verdict {}", terminal(verdict)));
    }
    if let Some(grade) = &card.grade {
        overall.push(format!("grade {}", terminal(grade)));
    }
    if !overall.is_empty() {
        writeln!(out, "  {}", overall.join(" · "))?;
    }
    if let Some(class) = &card.class {
        let reached = match class {
            Some(c) => format!(
                "{}{}",
                terminal(&c.name),
                if c.conditional { " (conditional)" } else { "" }
            ),
            None => "none".to_owned(),
        };
        let progress: Vec<String> = card
            .classes
            .iter()
            .map(|c| format!("{} {}% {}", terminal(&c.name), points(c.progress), c.status))
            .collect();
        writeln!(out, "  class {reached}  [{}]", progress.join(" · "))?;
    }

    let with_verdicts = card.dimensions.iter().any(|d| d.verdict.is_some());
    let mut table = new_table(report);
    let mut header = vec!["Dimension", "Score"];
    if with_verdicts {
        header.push("Verdict");
    }
    header.extend(["Criteria met", "Unknown"]);
    table.set_header(header);
    for dim in &card.dimensions {
        let met = dim
            .criteria
            .iter()
            .filter(|c| c.status == Status::Pass)
            .count();
        let mut row = vec![
            Cell::new(terminal(&dim.name)),
            Cell::new(format!("{} / {}", points(dim.score), points(dim.max)))
                .set_alignment(CellAlignment::Right),
        ];
        if with_verdicts {
            row.push(Cell::new(
                dim.verdict.as_deref().map(terminal).unwrap_or_default(),
            ));
        }
        row.push(Cell::new(format!("{met} of {}", dim.criteria.len())));
        row.push(Cell::new(if dim.unknown == 0 {
            String::new()
        } else {
            dim.unknown.to_string()
        }));
        table.add_row(row);
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
                    Status::Pass if c.conditional => "✔ pass (conditional)",
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
                let evidence = match &c.unavailable {
                    Some(reason) => vec![format!("not published on the Hub: {}", terminal(reason))],
                    None => evidence,
                };
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
        (Some(id), Some(category)) => format!("{} ({category})", terminal(id)),
        (Some(id), None) => terminal(id),
        _ => "not recognised".to_owned(),
    };
    let resolved = match &l.source {
        Some(source) if source == "text" => format!("{resolved}, from the license text"),
        _ => resolved,
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
    let prop = |key: &str| l.properties.get(key).map(|p| &p.value);
    let why = |key: &str| {
        l.properties
            .get(key)
            .map(|p| terminal(&p.why))
            .unwrap_or_default()
    };
    let commercial = match prop("commercial-use") {
        Some(Value::Str(s)) if s == "conditional" || s == "no" => {
            format!("{s} — {}", why("commercial-use"))
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
    if let Some(Value::Int(n)) = prop("user-threshold")
        && *n > 0
    {
        writeln!(
            out,
            "  threshold   {} — {}",
            group(*n),
            why("user-threshold")
        )?;
    }
    if !l.policies.is_empty() {
        writeln!(out, "  policies    {}", terminal(&l.policies.join(", ")))?;
    }
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
