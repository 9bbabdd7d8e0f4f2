//! `openness audit MODEL...`

use super::{Exit, GlobalArgs, output};
use clap::Args;
use openness::audit::Auditor;
use openness::report::Format;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Models: Hub ids (org/name[@revision]), Hub URLs, or local folders.
    #[arg(required = true, value_name = "MODEL")]
    pub models: Vec<String>,
    /// Rubric: a built-in name (default) or a path to a rubric file.
    #[arg(long, default_value = "default", value_name = "NAME|PATH")]
    pub rubric: String,
    /// Minimum similarity (0–1) for a license file to count as a standard SPDX text.
    #[arg(long, value_name = "SIMILARITY", default_value_t = openness::licenses::detect::DEFAULT_THRESHOLD, value_parser = super::license::parse_threshold)]
    pub license_threshold: f32,
    /// Output format (default: from the -o file's extension, else table on a terminal and json
    /// otherwise).
    #[arg(long, short, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Show every criterion with its points and the evidence behind it.
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: &AuditArgs, global: &GlobalArgs) -> Exit {
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
    let auditor = match Auditor::new(settings, rubric) {
        Ok(auditor) => auditor.with_license_threshold(args.license_threshold),
        Err(e) => {
            super::error(&e);
            return Exit::Fetch;
        }
    };
    let outcomes = super::runtime().block_on(auditor.audit_all(&args.models));
    let (scorecards, errors) = output::split_outcomes(outcomes);
    let emit = output::Emit {
        format: args.format,
        output: args.output.as_deref(),
        explain: args.explain,
        ranking: false,
        color: global.color,
    };
    output::emit(&emit, &scorecards, &errors)
}
