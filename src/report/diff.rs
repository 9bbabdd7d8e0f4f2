//! `openness diff`: what changed in openness between two revisions of a model, as a table or
//! JSON. The rows and changes come from [`crate::policy::snapshot::rows`], the comparison
//! `openness check` makes against `openness.lock`.

use super::short_revision;
use crate::policy::Snapshot;
use crate::policy::snapshot::Change;
use crate::text::sanitize::terminal;
use comfy_table::Cell;
use serde_json::json;
use std::io::Write;

/// Output formats of `openness diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Every compared fact, before and after, with the change it is.
    Table,
    /// {"schema": "openness/diff/v1", "from": {...}, "to": {...}, "changes": [...], "rows": [...]}.
    Json,
}

impl DiffFormat {
    /// The format a file name implies: `.json`, `.txt` (table); else none.
    pub fn from_path(path: &std::path::Path) -> Option<DiffFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".json") {
            Some(DiffFormat::Json)
        } else if name.ends_with(".txt") {
            Some(DiffFormat::Table)
        } else {
            None
        }
    }
}

pub const SCHEMA: &str = "openness/diff/v1";

pub fn render(
    format: DiffFormat,
    from: &Snapshot,
    to: &Snapshot,
    rows: &[Change],
    width: Option<u16>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        DiffFormat::Json => {
            let changes: Vec<&Change> = rows.iter().filter(|r| r.change.is_some()).collect();
            let doc = json!({
                "schema": SCHEMA,
                "generator": { "name": "openness", "version": env!("CARGO_PKG_VERSION") },
                "from": from,
                "to": to,
                "changes": changes,
                "rows": rows,
            });
            let text = serde_json::to_string_pretty(&doc).expect("JSON serializes");
            writeln!(out, "{text}")
        }
        DiffFormat::Table => table(from, to, rows, width, out),
    }
}

fn label(s: &Snapshot) -> String {
    match &s.revision {
        Some(rev) => format!("{}@{}", s.id, short_revision(rev, 7)),
        None => s.id.clone(),
    }
}

fn table(
    from: &Snapshot,
    to: &Snapshot,
    rows: &[Change],
    width: Option<u16>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let changed = rows.iter().filter(|r| r.change.is_some()).count();
    writeln!(
        out,
        "{} → {}: {}",
        terminal(&label(from)),
        terminal(&label(to)),
        match changed {
            0 => "no change in openness".to_owned(),
            1 => "1 change".to_owned(),
            n => format!("{n} changes"),
        }
    )?;
    let mut t = super::new_table(width);
    t.set_header(["", "Before", "After", "Change"]);
    for row in rows {
        t.add_row(vec![
            Cell::new(terminal(&row.what)),
            Cell::new(terminal(&row.before)),
            Cell::new(terminal(&row.after)),
            Cell::new(row.change.map_or("", |c| c.as_str())),
        ]);
    }
    writeln!(out, "{t}")
}
