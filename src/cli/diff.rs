//! `openness diff MODEL@REV_A MODEL@REV_B` (or `MODEL --since REV`): what changed in openness
//! between two revisions — the comparison `openness check` makes against `openness.lock`.

use super::exit::{Errors, Exit, WithExit};
use super::sink::Sink;
use super::{GlobalArgs, ScoringArgs};
use clap::Args;
use openness::diff;
use openness::report::diff::{self as render, DiffFormat};
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
    /// Output format (default: json for a -o file ending in .json, table for .txt, else table).
    #[arg(long, short, value_enum)]
    pub format: Option<DiffFormat>,
    /// Write the comparison to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

pub fn run(args: &DiffArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let format = super::output::format_for(
        args.format,
        args.output.as_deref(),
        DiffFormat::from_path,
        "*.txt or *.json",
        DiffFormat::Table,
        DiffFormat::Table,
    )?;
    let auditor = args.scoring.auditor(global)?;
    let sides = diff::sides(
        &auditor,
        &args.from,
        args.to.as_deref(),
        args.since.as_deref(),
    )
    .exit(Exit::Usage)?;
    let comparison = super::runtime()
        .block_on(diff::compare(&auditor, sides))
        .map_err(|errors| Errors(errors.into_iter().map(anyhow::Error::new).collect()))
        .exit(Exit::Fetch)?;
    let width = super::output::terminal_width(args.output.as_deref());
    let (a, b) = (&comparison.before, &comparison.after);
    Sink::new(args.output.as_deref())
        .write_with(|out| render::render(format, a, b, &comparison.rows, width, out))?;
    Ok(Exit::Success)
}
