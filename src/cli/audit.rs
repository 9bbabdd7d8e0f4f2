//! `openness audit MODEL...`

use super::{Exit, GlobalArgs, OutputArgs, ScoringArgs, output};
use clap::Args;

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// Models: Hub ids (org/name[@revision]), Hub URLs, or local folders.
    #[arg(required = true, value_name = "MODEL")]
    pub models: Vec<String>,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    #[command(flatten)]
    pub output: OutputArgs,
    /// Show every criterion with its points and the evidence behind it.
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: &AuditArgs, global: &GlobalArgs) -> Exit {
    let auditor = match args.scoring.auditor(global) {
        Ok(auditor) => auditor,
        Err(exit) => return exit,
    };
    let outcomes = super::runtime().block_on(auditor.audit_all(&args.models));
    let (scorecards, errors) = output::split_outcomes(outcomes);
    let emit = output::Emit {
        format: args.output.format,
        output: args.output.output.as_deref(),
        explain: args.explain,
        ranking: false,
        color: global.color,
    };
    output::emit(&emit, &scorecards, &errors)
}
