//! `openness audit MODEL...`

use super::exit::{Errors, Exit, WithExit};
use super::{GlobalArgs, OutputArgs, ScoringArgs, output};
use clap::Args;
use openness::audit::{Auditor, Target};

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

pub fn run(args: &AuditArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let format = output::choose_format(args.output.format, args.output.output.as_deref())?;
    let auditor = args.scoring.auditor(global)?;
    let targets = named(&auditor, &args.models)?;
    let outcomes =
        super::runtime().block_on(auditor.audit_targets(targets, std::sync::Arc::new(|| {})));
    let (scorecards, errors) = output::split_outcomes(outcomes);
    output::warn_failed_lookups(&scorecards, global.quiet);
    output::code_host_notes(&auditor, global.quiet);
    let emit = output::Emit {
        format,
        output: args.output.output.as_deref(),
        explain: args.explain,
        ranking: false,
        downloads: false,
        color: global.color,
    };
    output::emit(&emit, &scorecards, &errors)
}

/// The models as named on the command line (or in `--from FILE`), each checked before anything
/// is fetched: a name that is not a model — `a/b/c`, `org/name@`, a folder that does not
/// exist — is a usage error, every such name reported at once.
pub fn named(auditor: &Auditor, inputs: &[String]) -> anyhow::Result<Vec<Target>> {
    let mut targets = Vec::new();
    let mut invalid = Vec::new();
    for input in inputs {
        match auditor.model_ref(input) {
            Ok(model) => targets.push(Target::Named {
                input: input.clone(),
                model,
            }),
            Err(e) => invalid.push(anyhow::Error::new(e)),
        }
    }
    if invalid.is_empty() {
        Ok(targets)
    } else {
        Err(Errors(invalid)).exit(Exit::Usage)
    }
}
