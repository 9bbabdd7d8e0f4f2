//! `--format table`: one scorecard per model, for people. Every model-supplied string goes
//! through [`crate::text::sanitize::terminal`] first. Tables fit `Report::width` (long cells wrap) and, with
//! `Report::color`, statuses and severities are coloured; the renderer itself never looks at the
//! terminal (the command line decides both).
//!
//! [`crate::text::sanitize::terminal`]: crate::text::sanitize::terminal

use super::Report;
use crate::evidence::Value;
use crate::evidence::findings::Severity;
use crate::evidence::keys;
use crate::licenses::properties::PROPERTIES;
use crate::rubric::Status;
use crate::scorecard::Scorecard;
use crate::text::points_text as points;
use crate::text::sanitize::terminal;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Cell, CellAlignment, Color, ColumnConstraint, ContentArrangement, Table, Width};
use std::io::Write;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    if report.ranking {
        ranking(report, out)?;
    }
    if !report.ranking || report.explain {
        for (i, card) in report.scorecards.iter().enumerate() {
            if i > 0 || report.ranking {
                writeln!(out)?;
            }
            scorecard(card, report, out)?;
        }
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

/// One row per model, in ranking order: position, model, score, each dimension, downloads when
/// asked, license, gate. No word is cut in two: a table too narrow for them wraps at spaces.
fn ranking(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let dims = super::dimension_columns(report.scorecards);
    let mut header = vec!["#".to_owned(), "Model".to_owned(), "Score".to_owned()];
    header.extend(dims.iter().map(|d| terminal(&d.name)));
    if report.downloads {
        header.push("Downloads".to_owned());
    }
    header.extend(["License", "Commercial", "Gate"].map(str::to_owned));
    let mut rows: Vec<Vec<(String, bool)>> = Vec::new();
    for (i, card) in report.scorecards.iter().enumerate() {
        let mut row = vec![
            ((i + 1).to_string(), true),
            (terminal(&card.model), false),
            (
                format!("{} / {}", points(card.score), points(card.max)),
                true,
            ),
        ];
        for dim in &dims {
            let text = card
                .dimensions
                .iter()
                .find(|d| d.id == dim.id)
                .map(|d| match &d.verdict {
                    Some(v) => format!("{} {}", points(d.score), terminal(v)),
                    None => points(d.score),
                })
                .unwrap_or_default();
            row.push((text, true));
        }
        if report.downloads {
            let downloads = card.downloads.map_or("unknown".to_owned(), |n| {
                crate::text::group_digits(i64::try_from(n).unwrap_or(i64::MAX))
            });
            row.push((downloads, true));
        }
        row.push((
            terminal(card.license.id.as_deref().unwrap_or("unknown")),
            false,
        ));
        row.push((super::commercial_use_text(card), false));
        row.push((terminal(card.gate.as_deref().unwrap_or("unknown")), false));
        rows.push(row);
    }
    let mut table = new_table(report);
    table.set_header(header.clone());
    for row in &rows {
        table.add_row(row.iter().map(|(text, right)| {
            let cell = Cell::new(text);
            if *right {
                cell.set_alignment(CellAlignment::Right)
            } else {
                cell
            }
        }));
    }
    let mut texts = vec![header];
    texts.extend(
        rows.into_iter()
            .map(|row| row.into_iter().map(|(text, _)| text).collect()),
    );
    // Only the commercial-use phrase wraps; ids, scores and numbers stay whole, even when
    // that makes the table wider than the terminal.
    let commercial = texts[0].len() - 2;
    keep_whole(&mut table, &texts, &[commercial]);
    writeln!(out, "{table}")
}

/// Each column at least as wide as its longest cell, or its longest word for the columns in
/// `wrapping` (header included): comfy-table then wraps those at spaces and cuts nothing.
fn keep_whole(table: &mut Table, rows: &[Vec<String>], wrapping: &[usize]) {
    let columns = rows.first().map_or(0, Vec::len);
    for index in 0..columns {
        let longest = rows
            .iter()
            .filter_map(|row| row.get(index))
            .flat_map(|text| {
                if wrapping.contains(&index) {
                    text.split_whitespace().collect::<Vec<_>>()
                } else {
                    vec![text.as_str()]
                }
            })
            .map(|word| word.chars().count())
            .max()
            .unwrap_or(0);
        if let Some(column) = table.column_mut(index) {
            let bound = u16::try_from(longest.min(80)).unwrap_or(80);
            column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(with_padding(
                bound,
            ))));
        }
    }
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
            None if card.classes.iter().any(|c| c.status == "undetermined") => {
                "none proven (unknown facts decide the next class)".to_owned()
            }
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
        row.push(Cell::new(if dim.alternatives {
            String::new()
        } else {
            format!("{met} of {}", dim.criteria.len())
        }));
        row.push(colored(
            Cell::new(if dim.unknown == 0 {
                String::new()
            } else {
                dim.unknown.to_string()
            }),
            Color::Yellow,
            report,
        ));
        table.add_row(row);
    }
    writeln!(out, "{table}")?;

    license_block(card, report.width, out)?;

    if report.explain {
        for dim in &card.dimensions {
            let how = match (&dim.verdict, dim.basis) {
                (Some(verdict), Some(basis)) => {
                    format!(", {} ({})", terminal(verdict), basis.as_str())
                }
                (Some(verdict), None) => format!(", {}", terminal(verdict)),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {} — {} / {}{how}",
                terminal(&dim.name),
                points(dim.score),
                points(dim.max)
            )?;
            let mut table = new_table(report);
            table.set_header(vec!["", "Points", "Criterion", "Evidence"]);
            let mut longest_url = 0;
            for c in &dim.criteria {
                let mark = match c.status {
                    Status::Pass if c.conditional => "✔ pass (conditional)",
                    Status::Pass => "✔ pass",
                    Status::Fail => "✘ fail",
                    Status::Unknown => "? unknown",
                };
                let mark = match c.basis {
                    Some(basis) => format!("{mark}\n  {}", basis.as_str()),
                    None => mark.to_owned(),
                };
                let evidence: Vec<String> = c
                    .evidence
                    .iter()
                    .map(|e| {
                        let value = match (e.value(), card.unknown_facts.get(&e.key)) {
                            (Some(value), _) => show(value),
                            (None, Some(why)) => format!("unknown — {}", terminal(why)),
                            (None, None) => "unknown".to_owned(),
                        };
                        let from: Vec<String> = e
                            .provenance()
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
                longest_url = longest_url.max(longest_url_in(&evidence));
                table.add_row(vec![
                    colored(Cell::new(mark), status_color(c.status), report),
                    Cell::new(format!("{} / {}", points(c.points), points(c.max)))
                        .set_alignment(CellAlignment::Right),
                    Cell::new(terminal(&c.description)),
                    Cell::new(evidence.join("\n")),
                ]);
            }
            // A URL is never cut in two: the evidence column is at least as wide as the longest.
            // Bounded so the other columns keep room: a URL longer than that may still wrap.
            let room = report.width.map_or(u16::MAX, |w| w.saturating_sub(44));
            let longest_url = longest_url.min(room);
            if longest_url > 0
                && let Some(column) = table.column_mut(3)
            {
                column.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(with_padding(
                    longest_url,
                ))));
            }
            writeln!(out, "{table}")?;
        }
        unscored_evidence(
            card,
            &mut Wrapped {
                out: &mut *out,
                width: report.width,
            },
        )?;
    }

    if !card.findings.is_empty() {
        let out = &mut Wrapped {
            out: &mut *out,
            width: report.width,
        };
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

fn license_block(card: &Scorecard, width: Option<u16>, out: &mut dyn Write) -> std::io::Result<()> {
    let out = &mut Wrapped { out, width };
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
    if let Some((expression, resolution)) = &l.expression {
        writeln!(
            out,
            "  expression  {} → {}",
            terminal(expression),
            terminal(resolution)
        )?;
    }
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
            crate::text::group_digits(*n),
            why("user-threshold")
        )?;
    }
    if !l.policies.is_empty() {
        writeln!(out, "  policies    {}", terminal(&l.policies.join(", ")))?;
    }
    let mut duties = Vec::new();
    for def in PROPERTIES {
        if let Some(label) = def.duty_label
            && prop(def.name()) == Some(&Value::Bool(true))
        {
            duties.push(label);
        }
    }
    if !duties.is_empty() {
        writeln!(out, "  duties      {}", duties.join(", "))?;
    }
    if let Some(Value::Str(inherited)) =
        card.fact(keys::LINEAGE_INHERITED_LICENSE).map(|f| &f.value)
        && inherited != "none"
    {
        let drift = card
            .fact(keys::LINEAGE_LICENSE_DRIFT)
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
    let eu = card
        .fact(keys::ACCESS_EU_DISALLOWED)
        .is_some_and(|f| f.value == Value::Bool(true));
    let eu = if eu {
        "; refuses every user in the EU"
    } else {
        ""
    };
    writeln!(out, "  gate        {}{eu}", terminal(gate))?;
    Ok(())
}

/// With `--explain`: the lineage and checkpoint facts, which no default criterion reads.
fn unscored_evidence(card: &Scorecard, out: &mut dyn Write) -> std::io::Result<()> {
    let facts: Vec<_> = card
        .evidence
        .iter()
        .filter(|(key, _)| matches!(key.namespace(), "lineage" | "checkpoints"))
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

/// The length of the longest URL in these lines (bounded: a longer one may wrap).
fn longest_url_in(lines: &[String]) -> u16 {
    let longest = lines
        .iter()
        .flat_map(|l| l.split_whitespace())
        .filter(|word| word.contains("://"))
        .map(|word| word.chars().count())
        .max()
        .unwrap_or(0);
    u16::try_from(longest.min(160)).unwrap_or(160)
}

/// The width a column needs for `content` characters: comfy-table counts its padding too.
fn with_padding(content: u16) -> u16 {
    content + 2
}

/// Writes each line wrapped to `width` at spaces, continuation lines hanging under the text
/// after the label (`  license     …`, `    warning code: …`).
struct Wrapped<'a> {
    out: &'a mut dyn Write,
    width: Option<u16>,
}

impl Write for Wrapped<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        let Some(width) = self.width else {
            return self.out.write_all(buf);
        };
        let text = String::from_utf8_lossy(buf);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.out.write_all(b"\n")?;
            }
            // Under the text after the label: 14 for the license block, 12 for a finding.
            let hanging = if line.starts_with("    ") { 12 } else { 14 };
            let lines = crate::text::wrap::wrap(line, usize::from(width), hanging);
            self.out.write_all(lines.join("\n").as_bytes())?;
        }
        Ok(())
    }

    /// Formats the whole line first: `write!` would otherwise hand it over in pieces.
    fn write_fmt(&mut self, args: std::fmt::Arguments<'_>) -> std::io::Result<()> {
        self.write_all(args.to_string().as_bytes())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

fn show(value: &Value) -> String {
    terminal(&value.to_string())
}
