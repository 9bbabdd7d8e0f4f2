//! `openness check`: audit the models `openness.toml` lists (and those `--scan` finds), judge
//! them with its policy and `openness.lock`, and exit with the verdict.

use super::exit::{self, Exit, WithExit};
use super::sink::Sink;
use super::{GlobalArgs, ThresholdArgs};
use clap::Args;
use openness::check::{self, Project};
use openness::policy::{self, Date};
use openness::report::check::{self as render, CheckFormat};
use openness::text::sanitize::terminal;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The policy: the models the project depends on and what it accepts.
    #[arg(long, default_value = policy::POLICY_FILE, value_name = "FILE")]
    pub policy: PathBuf,
    /// The lock file (default: openness.lock beside the policy).
    #[arg(long, value_name = "FILE")]
    pub lock: Option<PathBuf>,
    /// Record what was audited in the lock file, accepting what changed upstream since.
    #[arg(long, conflicts_with = "locked")]
    pub update_lock: bool,
    /// Audit exactly the commits recorded in the lock file.
    #[arg(long)]
    pub locked: bool,
    /// Also check the models the code under PATH loads (Python, Rust hf-hub, YAML/JSON/TOML
    /// configs); repeatable.
    #[arg(long, value_name = "PATH")]
    pub scan: Vec<PathBuf>,
    /// Output format (default: from the -o file's extension — .sarif, .xml (JUnit), .json, .txt
    /// — else table).
    #[arg(long, short, value_enum)]
    pub format: Option<CheckFormat>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub license: ThresholdArgs,
}

pub fn run(args: &CheckArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let format = super::output::format_for(
        args.format,
        args.output.as_deref(),
        CheckFormat::from_path,
        "*.txt, *.json, *.sarif or *.xml (JUnit)",
        CheckFormat::Table,
        CheckFormat::Table,
    )?;
    let project = Project::open(&args.policy, args.lock.as_deref()).exit(Exit::Usage)?;
    let targets = check::targets(&project, &args.scan, args.locked).exit(Exit::Usage)?;
    if !global.quiet {
        for root in &targets.truncated {
            eprintln!(
                "warning: --scan {} stopped at its depth or file limit; name the folders that hold your code",
                root.display()
            );
        }
    }
    let auditor = args
        .license
        .auditor(super::settings(global)?, project.policy.rubric.clone())?;
    let models = super::runtime().block_on(check::audit(&auditor, targets.targets));
    super::output::code_host_notes(&auditor, global.quiet);
    for model in &models {
        if let Err(e) = &model.result {
            exit::print(&anyhow::anyhow!("{}", e.message));
        }
    }
    let verdict = check::judge(&project, &models, args.update_lock, Date::today());

    let width = super::output::terminal_width(args.output.as_deref());
    Sink::new(args.output.as_deref())
        .write_with(|out| render::render(format, &verdict, width, out))?;

    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for line in render::github::annotations(&verdict) {
            eprintln!("{}", openness::text::redact::secrets_only(&line));
        }
    }
    if args.update_lock {
        let relock = check::relock(&project, &models);
        if !global.quiet {
            for accepted in &relock.accepted {
                eprintln!(
                    "accepted: {}: {}",
                    terminal(&accepted.id),
                    terminal(&accepted.change.describe())
                );
            }
        }
        Sink::File(project.lock_path.clone()).write(relock.lock.render().as_bytes())?;
        if !global.quiet {
            let n = relock.lock.models.len();
            eprintln!(
                "wrote {} ({n} model{})",
                project.lock_name(),
                if n == 1 { "" } else { "s" }
            );
        }
    }
    // The table starts with the summary; other formats (and files) get it on stderr.
    if !global.quiet && (format != CheckFormat::Table || args.output.is_some()) {
        eprintln!("{}", render::summary(&verdict));
    }
    Ok(Exit::from(verdict.overall))
}
