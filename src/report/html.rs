//! `--format html`: one self-contained page — no external script, style, font or image — with a
//! sortable table of the models (plain HTML without JavaScript; a small inline script sorts by
//! the clicked header), a chart of the scores per dimension in inline SVG, and each model
//! expandable (`<details>`) to its evidence, with links to the files on the Hub at the audited
//! commit. A Content-Security-Policy meta allows inline script and style only.
//!
//! Every model-supplied string goes through [`crate::text::sanitize::html`] (text and attribute values alike);
//! the script and the style sheet are constants that no model string reaches.
//!
//! [`crate::text::sanitize::html`]: crate::text::sanitize::html

use super::{
    Column, Report, commercial_use_text, dimension_columns, error_line, links, rubrics,
    short_revision,
};
use crate::evidence::{Provenance, Value};
use crate::rubric::Status;
use crate::scorecard::Scorecard;
use crate::text::points_text;
use crate::text::sanitize::{html as esc, html_escape};
use std::fmt::Write as _;

const CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; \
                   base-uri 'none'; form-action 'none'";

const STYLE: &str = r#"
:root{color-scheme:light dark;--fg:#1f2328;--bg:#fff;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;--pass:#1a7f37;--fail:#cf222e;--unknown:#9a6700}
@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--line:#3d444d;--head:#151b23;--pass:#3fb950;--fail:#f85149;--unknown:#d29922}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:75rem;padding:1rem;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;margin:.25rem 0}
h2{font-size:1.2rem;margin-top:1.5rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
a{color:inherit}
.meta,.hint,small{color:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:var(--head)}
.num{text-align:right;white-space:nowrap}
table.sortable th{cursor:pointer;white-space:nowrap}
table.sortable th[aria-sort=ascending]::after{content:" \25B2"}
table.sortable th[aria-sort=descending]::after{content:" \25BC"}
.pass{color:var(--pass)}.fail{color:var(--fail)}.unknown{color:var(--unknown)}
.error{color:var(--fail)}.warning{color:var(--unknown)}.info{color:var(--muted)}
.status{font-weight:600;white-space:nowrap}
table.kv th{width:30%;font-weight:600}
details{border:1px solid var(--line);border-radius:6px;margin:.5rem 0;padding:.25rem .75rem}
summary{cursor:pointer;font-weight:600;padding:.25rem 0}
ul.ev{margin:0;padding-left:1rem}
code{font-size:.9em;overflow-wrap:anywhere}
td{overflow-wrap:break-word}
svg.chart{max-width:48rem;display:block;overflow:visible}
svg.chart text{fill:var(--fg);font:13px system-ui,sans-serif}
svg.chart .track{fill:var(--head);stroke:var(--line)}
@media (max-width:40rem){body{padding:.5rem;font-size:14px}th,td{padding:.25rem .3rem}}
"#;

const SCRIPT: &str = r#"
(function () {
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      th.tabIndex = 0;
      function key(row) {
        var cell = row.cells[col];
        return cell.getAttribute("data-sort") || cell.textContent;
      }
      function sort() {
        var numeric = th.classList.contains("num");
        var now = th.getAttribute("aria-sort");
        // Numbers sort high to low first, text A to Z.
        var asc = numeric ? now === "descending" : now !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), r;
          if (numeric) {
            x = parseFloat(x); y = parseFloat(y);
            r = (isNaN(x) ? -Infinity : x) - (isNaN(y) ? -Infinity : y);
            if (isNaN(r)) r = 0;
          } else {
            r = x.localeCompare(y);
          }
          return asc ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      }
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
      });
    });
  });
})();
"#;

/// Colours of the dimensions in the chart (Okabe–Ito, readable by colour-blind readers), cycled.
const PALETTE: &[&str] = &[
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
];

pub fn render(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut page = String::new();
    document(report, &mut page).expect("writing to a String cannot fail");
    out.write_all(page.as_bytes())
}

fn document(report: &Report<'_>, h: &mut String) -> std::fmt::Result {
    let dims = dimension_columns(report.scorecards);
    writeln!(h, "<!DOCTYPE html>")?;
    writeln!(h, "<html lang=\"en\">")?;
    writeln!(h, "<head>")?;
    writeln!(h, "<meta charset=\"utf-8\">")?;
    writeln!(
        h,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
    )?;
    writeln!(
        h,
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
    )?;
    writeln!(
        h,
        "<meta name=\"generator\" content=\"openness {}\">",
        env!("CARGO_PKG_VERSION")
    )?;
    writeln!(h, "<title>Openness report</title>")?;
    writeln!(h, "<style>{STYLE}</style>")?;
    writeln!(h, "</head>")?;
    writeln!(h, "<body>")?;
    writeln!(h, "<header>")?;
    writeln!(h, "<h1>Openness report</h1>")?;
    let count = report.scorecards.len();
    let rubrics: Vec<String> = rubrics(report.scorecards).iter().map(|r| esc(r)).collect();
    write!(
        h,
        "<p class=\"meta\">{count} model{} audited",
        if count == 1 { "" } else { "s" }
    )?;
    if !report.errors.is_empty() {
        write!(h, ", {} could not be", report.errors.len())?;
    }
    if !rubrics.is_empty() {
        write!(h, " · rubric {}", rubrics.join(", "))?;
    }
    writeln!(h, " · openness {}</p>", env!("CARGO_PKG_VERSION"))?;
    writeln!(h, "</header>")?;
    writeln!(h, "<main>")?;

    if !report.scorecards.is_empty() {
        scores_table(report, &dims, h)?;
        chart(report, &dims, h)?;
        writeln!(h, "<section id=\"evidence\">")?;
        writeln!(h, "<h2>Evidence</h2>")?;
        for (i, card) in report.scorecards.iter().enumerate() {
            details(i + 1, card, h)?;
        }
        writeln!(h, "</section>")?;
    }
    if !report.errors.is_empty() {
        writeln!(h, "<section id=\"errors\">")?;
        writeln!(h, "<h2>Could not audit</h2>")?;
        writeln!(h, "<ul>")?;
        for error in report.errors {
            writeln!(
                h,
                "<li>{} (<code>{}</code>)</li>",
                esc(&error_line(error)),
                esc(&error.code)
            )?;
        }
        writeln!(h, "</ul>")?;
        writeln!(h, "</section>")?;
    }
    writeln!(h, "</main>")?;
    writeln!(
        h,
        "<footer><p class=\"meta\">Scores are points earned / available; a criterion is \
         <span class=\"unknown\">unknown</span> when the release does not let us establish the \
         facts it needs. Category: open, restricted, non-commercial or unknown. Gate: none, auto \
         (access granted on request) or manual (approved by the publisher).</p></footer>"
    )?;
    writeln!(h, "<script>{SCRIPT}</script>")?;
    writeln!(h, "</body>")?;
    writeln!(h, "</html>")
}

fn scores_table(report: &Report<'_>, dims: &[Column], h: &mut String) -> std::fmt::Result {
    writeln!(h, "<section id=\"scores\">")?;
    writeln!(h, "<h2>Scores</h2>")?;
    writeln!(
        h,
        "<p class=\"hint\">Select a column heading to sort; select a rank for the evidence.</p>"
    )?;
    writeln!(h, "<div class=\"scroll\">")?;
    writeln!(h, "<table class=\"sortable\" id=\"scores-table\">")?;
    write!(
        h,
        "<thead><tr><th scope=\"col\" class=\"num\">#</th><th scope=\"col\">Model</th>\
         <th scope=\"col\" class=\"num\">Score</th>"
    )?;
    for dim in dims {
        write!(h, "<th scope=\"col\" class=\"num\">{}</th>", esc(&dim.name))?;
    }
    writeln!(
        h,
        "<th scope=\"col\">License id</th><th scope=\"col\">Category</th>\
         <th scope=\"col\">Commercial use</th><th scope=\"col\">Gate</th></tr></thead>"
    )?;
    writeln!(h, "<tbody>")?;
    for (i, card) in report.scorecards.iter().enumerate() {
        let n = i + 1;
        write!(
            h,
            "<tr><td class=\"num\" data-sort=\"{n}\"><a href=\"#model-{n}\">{n}</a></td>"
        )?;
        write!(
            h,
            "<td data-sort=\"{}\">{}</td>",
            esc(&card.model),
            model_link(card)
        )?;
        write!(
            h,
            "<td class=\"num\" data-sort=\"{}\">{} / {}</td>",
            points_text(card.score),
            points_text(card.score),
            points_text(card.max)
        )?;
        for dim in dims {
            match card.dimensions.iter().find(|d| d.id == dim.id) {
                Some(d) => {
                    let unknown = if d.unknown > 0 {
                        format!(
                            " <span class=\"unknown\" title=\"{} undecided\">?</span>",
                            d.unknown
                        )
                    } else {
                        String::new()
                    };
                    write!(
                        h,
                        "<td class=\"num\" data-sort=\"{}\">{} / {}{unknown}</td>",
                        points_text(d.score),
                        points_text(d.score),
                        points_text(d.max)
                    )?;
                }
                None => write!(h, "<td class=\"num\" data-sort=\"\">–</td>")?,
            }
        }
        let license = &card.license;
        let title = license
            .name
            .as_deref()
            .map(|name| format!(" title=\"license_name: {}\"", esc(name)))
            .unwrap_or_default();
        let id = match (&license.id, license.declared.is_empty()) {
            (Some(id), _) => esc(id),
            (None, false) => format!("{} (not recognised)", esc(&license.declared.join(", "))),
            (None, true) => "none declared".to_owned(),
        };
        writeln!(
            h,
            "<td{title}>{id}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(license.category.as_deref().unwrap_or("unknown")),
            esc(&commercial_use_text(card)),
            esc(card.gate.as_deref().unwrap_or("unknown"))
        )?;
    }
    writeln!(h, "</tbody>")?;
    writeln!(h, "</table>")?;
    writeln!(h, "</div>")?;
    writeln!(h, "</section>")
}

/// Stacked horizontal bars, one per model: each dimension's points as a segment, on a track as
/// long as the model's maximum; a legend of the dimensions under them. Horizontal positions are
/// percentages of the chart's width, so the bars fill a phone or a desktop and the text keeps
/// its size.
fn chart(report: &Report<'_>, dims: &[Column], h: &mut String) -> std::fmt::Result {
    const ROW: f64 = 44.0;
    const BAR: f64 = 16.0;
    const LEGEND_ROW: f64 = 22.0;
    const LEGEND_COLUMNS: usize = 3;
    let top_max = report
        .scorecards
        .iter()
        .map(|c| c.max)
        .fold(0.0_f64, f64::max);
    let percent = |points: f64| {
        if top_max > 0.0 {
            points / top_max * 100.0
        } else {
            0.0
        }
    };
    let legend_rows = dims.len().div_ceil(LEGEND_COLUMNS);
    let bars_height = ROW * report.scorecards.len() as f64;
    let height = bars_height + 8.0 + LEGEND_ROW * legend_rows as f64;

    writeln!(h, "<section id=\"chart\">")?;
    writeln!(h, "<h2>Scores by dimension</h2>")?;
    writeln!(
        h,
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" \
         height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title\">"
    )?;
    writeln!(
        h,
        "<title id=\"chart-title\">Points per dimension for each model</title>"
    )?;
    for (i, card) in report.scorecards.iter().enumerate() {
        let y = ROW * i as f64;
        writeln!(
            h,
            "<text x=\"0\" y=\"{}\">{}. {} — {} / {}</text>",
            y + 14.0,
            i + 1,
            esc(&card.model),
            points_text(card.score),
            points_text(card.max)
        )?;
        let bar_y = y + 20.0;
        writeln!(
            h,
            "<rect class=\"track\" x=\"0\" y=\"{bar_y}\" width=\"{}%\" height=\"{BAR}\"/>",
            fmt_len(percent(card.max))
        )?;
        let mut x = 0.0;
        for (j, col) in dims.iter().enumerate() {
            let Some(d) = card.dimensions.iter().find(|d| d.id == col.id) else {
                continue;
            };
            let w = percent(d.score);
            if w > 0.0 {
                writeln!(
                    h,
                    "<rect x=\"{}%\" y=\"{bar_y}\" width=\"{}%\" height=\"{BAR}\" fill=\"{}\">\
                     <title>{}: {} / {}</title></rect>",
                    fmt_len(x),
                    fmt_len(w),
                    PALETTE[j % PALETTE.len()],
                    esc(&d.name),
                    points_text(d.score),
                    points_text(d.max)
                )?;
            }
            x += w;
        }
    }
    for (j, col) in dims.iter().enumerate() {
        let x = (j % LEGEND_COLUMNS) as f64 * (100.0 / LEGEND_COLUMNS as f64);
        let y = bars_height + 8.0 + LEGEND_ROW * (j / LEGEND_COLUMNS) as f64;
        writeln!(
            h,
            "<svg x=\"{}%\" y=\"{y}\" overflow=\"visible\"><rect width=\"12\" height=\"12\" \
             fill=\"{}\"/><text x=\"17\" y=\"11\">{}</text></svg>",
            fmt_len(x),
            PALETTE[j % PALETTE.len()],
            esc(&col.name)
        )?;
    }
    writeln!(h, "</svg>")?;
    writeln!(h, "</section>")
}

/// SVG lengths with at most two decimals.
fn fmt_len(value: f64) -> String {
    points_text(value)
}

/// The model id linked to its Hub page, with a line-break opportunity after the `/`.
fn model_link(card: &Scorecard) -> String {
    let name = esc(&card.model).replacen('/', "/<wbr>", 1);
    match links::model_page(card) {
        Some(url) => format!("<a href=\"{}\">{name}</a>", html_escape(&url)),
        None => name,
    }
}

fn details(n: usize, card: &Scorecard, h: &mut String) -> std::fmt::Result {
    writeln!(h, "<details id=\"model-{n}\">")?;
    writeln!(
        h,
        "<summary>{n}. {} — {} / {}</summary>",
        esc(&card.model),
        points_text(card.score),
        points_text(card.max)
    )?;
    write!(h, "<p>{}", model_link(card))?;
    if let Some(revision) = &card.revision {
        let text = esc(&short_revision(revision, 12));
        match links::revision_page(card) {
            Some(url) => write!(
                h,
                " at commit <a href=\"{}\" title=\"{}\"><code>{text}</code></a>",
                html_escape(&url),
                esc(revision)
            )?,
            None => write!(h, " at commit <code>{text}</code>")?,
        }
    }
    if let Some(requested) = &card.requested {
        write!(h, " (requested as {})", esc(requested))?;
    }
    writeln!(
        h,
        " · read from {} <code>{}</code> · rubric {} {}</p>",
        esc(card.source.kind),
        esc(&card.source.location),
        esc(&card.rubric.name),
        esc(&card.rubric.version)
    )?;

    license(card, h)?;

    for dim in &card.dimensions {
        let how = match (&dim.verdict, dim.basis) {
            (Some(verdict), Some(basis)) => format!(", {} ({})", esc(verdict), basis.as_str()),
            (Some(verdict), None) => format!(", {}", esc(verdict)),
            _ => String::new(),
        };
        writeln!(
            h,
            "<h3>{} — {} / {}{how}</h3>",
            esc(&dim.name),
            points_text(dim.score),
            points_text(dim.max)
        )?;
        writeln!(h, "<div class=\"scroll\"><table>")?;
        writeln!(
            h,
            "<thead><tr><th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Points</th>\
             <th scope=\"col\">Criterion</th><th scope=\"col\">Evidence</th></tr></thead>"
        )?;
        writeln!(h, "<tbody>")?;
        for c in &dim.criteria {
            let status = match c.status {
                Status::Pass => "pass",
                Status::Fail => "fail",
                Status::Unknown => "unknown",
            };
            let basis = c
                .basis
                .map(|b| format!("<br><small>{}</small>", b.as_str()))
                .unwrap_or_default();
            write!(
                h,
                "<tr><td class=\"status {status}\">{status}{basis}</td><td class=\"num\">{} / {}</td>\
                 <td>{}<br><small><code>{}</code></small>",
                points_text(c.points),
                points_text(c.max),
                esc(&c.description),
                esc(c
                    .condition
                    .as_deref()
                    .or(c.unavailable.as_deref().map(|_| "not published on the Hub"))
                    .unwrap_or(""))
            )?;
            if let Some(note) = &c.note {
                write!(h, "<br><small>{}</small>", esc(note))?;
            }
            write!(h, "</td><td><ul class=\"ev\">")?;
            for e in &c.evidence {
                let value = e.value().map_or_else(
                    || "<span class=\"unknown\">unknown</span>".to_owned(),
                    |v| format!("<code>{}</code>", esc(&v.to_string())),
                );
                write!(h, "<li><code>{}</code> = {value}", esc(e.key.name()))?;
                if !e.provenance().is_empty() {
                    let from: Vec<String> =
                        e.provenance().iter().map(|p| provenance(card, p)).collect();
                    write!(h, " <small>({})</small>", from.join("; "))?;
                }
                write!(h, "</li>")?;
            }
            writeln!(h, "</ul></td></tr>")?;
        }
        writeln!(h, "</tbody>")?;
        writeln!(h, "</table></div>")?;
    }

    if !card.findings.is_empty() {
        writeln!(h, "<h3>Findings</h3>")?;
        writeln!(h, "<ul>")?;
        for f in &card.findings {
            let severity = f.severity.to_string();
            writeln!(
                h,
                "<li><span class=\"status {severity}\">{severity}</span> <code>{}</code>: {}</li>",
                f.code,
                esc(&f.message)
            )?;
        }
        writeln!(h, "</ul>")?;
    }
    writeln!(h, "</details>")
}

fn license(card: &Scorecard, h: &mut String) -> std::fmt::Result {
    let l = &card.license;
    writeln!(h, "<h3>License</h3>")?;
    writeln!(h, "<div class=\"scroll\"><table class=\"kv\">")?;
    writeln!(h, "<tbody>")?;
    let mut row = |name: &str, value: String| {
        writeln!(h, "<tr><th scope=\"row\">{name}</th><td>{value}</td></tr>")
    };
    let declared = if l.declared.is_empty() {
        "none".to_owned()
    } else {
        esc(&l.declared.join(", "))
    };
    row("declared", declared)?;
    if let Some(name) = &l.name {
        row("license_name", esc(name))?;
    }
    row(
        "recognised as",
        l.id.as_deref().map_or("not recognised".to_owned(), esc),
    )?;
    row("category", esc(l.category.as_deref().unwrap_or("unknown")))?;
    for (key, property) in &l.properties {
        let text = match &property.value {
            Value::Str(s) => esc(s),
            other => esc(&other.to_string()),
        };
        row(&esc(key), text)?;
    }
    if !l.files.is_empty() {
        let files: Vec<String> = l
            .files
            .iter()
            .map(|path| match links::file_url(card, path, None) {
                Some(url) => format!("<a href=\"{}\">{}</a>", html_escape(&url), esc(path)),
                None => esc(path),
            })
            .collect();
        row("files", files.join(", "))?;
    }
    writeln!(h, "</tbody>")?;
    writeln!(h, "</table></div>")
}

/// Where a fact came from, with a link to the file at the audited commit when there is one.
fn provenance(card: &Scorecard, p: &Provenance) -> String {
    match p {
        Provenance::File { path, line } => {
            let text = esc(&p.to_string());
            match links::file_url(card, path, *line) {
                Some(url) => format!("<a href=\"{}\">{text}</a>", html_escape(&url)),
                None => text,
            }
        }
        Provenance::Repository {
            repo,
            path: Some(path),
            line,
            ..
        } if repo.starts_with("https://github.com/") => {
            // The web view of the default branch: the tree id the host names is not a ref.
            let mut url = format!(
                "{repo}/blob/HEAD/{}",
                crate::hub::model_ref::encode_path(path)
            );
            if let Some(line) = line {
                url.push_str(&format!("#L{line}"));
            }
            format!(
                "<a href=\"{}\">{}</a>",
                html_escape(&url),
                esc(&p.to_string())
            )
        }
        other => esc(&other.to_string()),
    }
}
