//! `openness diff MODEL@REV_A MODEL@REV_B` (or `MODEL --since REV`): what changed in openness
//! between two revisions — the comparison `openness check` makes against `openness.lock`.

use super::{Exit, GlobalArgs, ScoringArgs};
use clap::Args;
use openness::diff;
use openness::report::diff::{self as render, DiffFormat};
use openness::text::sanitize::terminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The model before: MODEL@REV_A (or MODEL with --since REV).
    #[arg(value_name = "MODEL@REV_A")]
    pub from: String,
    /// The model after: MODEL@REV_B (default with --since: MODEL's current revision).
    #[arg(value_name = "MODEL@REV_B")]
    pub to: Option<String>,
    /// Compare MODEL at REV with MODEL now.
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    /// Output format (default: json for a -o file ending in .json, else table).
    #[arg(long, short, value_enum)]
    pub format: Option<DiffFormat>,
    /// Write the comparison to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &DiffArgs, global: &GlobalArgs) -> Exit {
    let auditor = match args.scoring.auditor(global) {
        Ok(auditor) => auditor,
        Err(exit) => return exit,
    };
    let sides = match diff::sides(
        &auditor,
        &args.from,
        args.to.as_deref(),
        args.since.as_deref(),
    ) {
        Ok(sides) => sides,
        Err(e) => {
            super::error(&e.to_string());
            return Exit::Usage;
        }
    };
    let comparison = match super::runtime().block_on(diff::compare(&auditor, sides)) {
        Ok(comparison) => comparison,
        Err(errors) => {
            for e in errors {
                super::error(&terminal(&e.to_string()));
            }
            return Exit::Fetch;
        }
    };
    let format = args.format.unwrap_or(
        match args
            .output
            .as_deref()
            .and_then(|p| p.extension())
            .and_then(|e| e.to_str())
        {
            Some("json") => DiffFormat::Json,
            _ => DiffFormat::Table,
        },
    );
    let width = super::output::terminal_width(args.output.as_deref());
    let mut buffer = Vec::new();
    let (a, b) = (&comparison.before, &comparison.after);
    render::render(format, a, b, &comparison.rows, width, &mut buffer)
        .expect("rendering to memory");
    let written = match &args.output {
        Some(path) => std::fs::write(path, &buffer)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => super::output::write_text(&String::from_utf8_lossy(&buffer)),
    };
    match written {
        Ok(()) => Exit::Success,
        Err(e) => {
            super::error(&e);
            Exit::Usage
        }
    }
}
