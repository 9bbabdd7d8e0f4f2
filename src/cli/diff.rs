//! `openness diff MODEL@REV_A MODEL@REV_B` (or `MODEL --since REV`): what changed in openness
//! between two revisions — the comparison `openness check` makes against `openness.lock`.

use super::{Exit, GlobalArgs};
use clap::Args;
use openness::audit::{Auditor, score};
use openness::licenses::KnowledgeBase;
use openness::policy::{Snapshot, snapshot};
use openness::report::diff::{self, DiffFormat};
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
    /// Rubric the scores are compared under: a built-in name or a path.
    #[arg(long, default_value = "default", value_name = "NAME|PATH")]
    pub rubric: String,
    /// Output format (default: json for a -o file ending in .json, else table).
    #[arg(long, short, value_enum)]
    pub format: Option<DiffFormat>,
    /// Write the comparison to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The id part of `MODEL[@REV]`.
fn model_id(spec: &str) -> &str {
    spec.split_once('@').map_or(spec, |(id, _)| id)
}

pub fn run(args: &DiffArgs, global: &GlobalArgs) -> Exit {
    let (from, to) = match (&args.since, &args.to) {
        (Some(rev), to) => {
            if args.from.contains('@') {
                super::error("with --since REV, name the model without @REVISION");
                return Exit::Usage;
            }
            (
                format!("{}@{rev}", args.from),
                to.clone().unwrap_or_else(|| args.from.clone()),
            )
        }
        (None, Some(to)) => (args.from.clone(), to.clone()),
        (None, None) => {
            super::error(
                "name two revisions: `openness diff MODEL@REV_A MODEL@REV_B`, or `openness diff MODEL --since REV`",
            );
            return Exit::Usage;
        }
    };
    let settings = match super::settings(global) {
        Ok(settings) => settings,
        Err(exit) => return exit,
    };
    let rubric = match openness::rubric::resolve(&args.rubric) {
        Ok(rubric) => rubric,
        Err(e) => {
            super::error(&e.to_string());
            return Exit::Usage;
        }
    };
    let auditor = match Auditor::new(settings, rubric.clone()) {
        Ok(auditor) => auditor,
        Err(e) => {
            super::error(&e);
            return Exit::Fetch;
        }
    };
    let kb = KnowledgeBase::embedded();
    let releases = super::check::fetch_all(&auditor, vec![from.clone(), to.clone()]);
    let mut snapshots: Vec<Snapshot> = Vec::new();
    let mut failed = false;
    for (input, release) in [&from, &to].into_iter().zip(releases) {
        match release {
            Ok(release) => {
                let card = score(input, &release, &rubric, kb);
                snapshots.push(Snapshot::of(model_id(input), &release, &card));
            }
            Err(e) => {
                super::error(&terminal(&e.to_string()));
                failed = true;
            }
        }
    }
    if failed {
        return Exit::Fetch;
    }
    let (a, b) = (&snapshots[0], &snapshots[1]);
    let rows = snapshot::rows(a, b);
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
    diff::render(format, a, b, &rows, width, &mut buffer).expect("rendering to memory");
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
