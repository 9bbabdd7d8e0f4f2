//! `openness check`: audit the models `openness.toml` lists (and those `--scan` finds), judge
//! them with its policy and `openness.lock`, and exit with the verdict.

use super::{Exit, GlobalArgs, ThresholdArgs};
use clap::Args;
use openness::audit::Auditor;
use openness::check::{self, CheckError, Project};
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
    /// Output format (default: from the -o file's extension — .sarif, .xml (JUnit), .json — else
    /// table).
    #[arg(long, short, value_enum)]
    pub format: Option<CheckFormat>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub license: ThresholdArgs,
}

pub fn run(args: &CheckArgs, global: &GlobalArgs) -> Exit {
    let project = match Project::open(&args.policy, args.lock.as_deref()) {
        Ok(project) => project,
        Err(CheckError::InvalidPolicy(e)) => {
            eprintln!("{e}");
            return Exit::Usage;
        }
        Err(e) => {
            super::error(&e.to_string());
            return Exit::Usage;
        }
    };
    let targets = match check::targets(&project, &args.scan, args.locked) {
        Ok(targets) => targets,
        Err(e) => {
            super::error(&e.to_string());
            return Exit::Usage;
        }
    };
    if !global.quiet {
        for root in &targets.truncated {
            eprintln!(
                "warning: --scan {} stopped at its depth or file limit; name the folders that hold your code",
                root.display()
            );
        }
    }
    let settings = match super::settings(global) {
        Ok(settings) => settings,
        Err(exit) => return exit,
    };
    let auditor = match Auditor::new(settings, project.policy.rubric.clone()) {
        Ok(auditor) => auditor.with_license_threshold(args.license.license_threshold),
        Err(e) => {
            super::error(&e);
            return Exit::Fetch;
        }
    };
    let models = super::runtime().block_on(check::audit(&auditor, targets.targets));
    for model in &models {
        if let Err(e) = &model.result {
            super::error(&terminal(&e.message));
        }
    }
    let verdict = check::judge(&project, &models, args.update_lock, Date::today());

    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(CheckFormat::from_path))
        .unwrap_or(CheckFormat::Table);
    let width = super::output::terminal_width(args.output.as_deref());
    let mut buffer = Vec::new();
    render::render(format, &verdict, width, &mut buffer).expect("rendering to memory");
    let written = match &args.output {
        Some(path) => std::fs::write(path, &buffer)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => super::output::write_text(&String::from_utf8_lossy(&buffer)),
    };
    if let Err(e) = written {
        super::error(&e);
        return Exit::Usage;
    }

    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for line in render::github::annotations(&verdict) {
            eprintln!("{line}");
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
        if let Err(e) = std::fs::write(&project.lock_path, relock.lock.render()) {
            super::error(&format!("cannot write {}: {e}", project.lock_name()));
            return Exit::Usage;
        }
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
    match verdict.overall {
        policy::Overall::Pass => Exit::Success,
        policy::Overall::Fail => Exit::Policy,
        policy::Overall::Incomplete => Exit::Fetch,
    }
}
