//! The command line: the only place that prints or exits.

// Printing is what this module is for; the lints keep it out of everything else.
#![allow(clippy::print_stdout, clippy::print_stderr, clippy::disallowed_macros)]

mod audit;
mod check;
mod completions;
mod diff;
mod environment;
mod exit;
mod init;
mod license;
mod man;
mod output;
mod rank;
mod rubric;
mod sink;

use clap::{Args, Parser, Subcommand};
use exit::{Exit, WithExit};
use openness::hub::{HubSettings, SettingsOverrides};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "openness",
    version,
    about = "Audit how open an AI model release really is: weights, data, code and license.",
    long_about = "Audit how open an AI model release really is.\n\n`openness` reads what a release publishes on the Hugging Face Hub — the model card and its metadata, license files, the weight listing and its access gate — and scores it against a rubric, with every point traced to the evidence that earned it.",
    after_help = exit::AFTER_HELP,
    after_long_help = long_help_footer()
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Hub endpoint (default: $HF_ENDPOINT, else https://huggingface.co).
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint: Option<String>,
    /// Hub token (default: $HF_TOKEN, $HUGGING_FACE_HUB_TOKEN, the file at $HF_TOKEN_PATH, else
    /// $HF_HOME/token).
    #[arg(long, global = true, value_name = "TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Never open a network connection: read the local Hugging Face cache only (also
    /// $HF_HUB_OFFLINE=1, or $TRANSFORMERS_OFFLINE=1 when HF_HUB_OFFLINE is not set).
    #[arg(long, global = true)]
    pub offline: bool,
    /// Read no code repository on GitHub (also $OPENNESS_NO_CODE_HOST=1): code facts come from
    /// the card alone.
    #[arg(long, global = true)]
    pub no_code_host: bool,
    /// Hugging Face hub cache (default: $HF_HUB_CACHE, else $HF_HOME/hub).
    #[arg(long, global = true, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Requests in flight at once.
    #[arg(long, global = true, value_name = "N", default_value_t = openness::hub::settings::DEFAULT_CONCURRENCY as u16, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Deadline for each model, in seconds: every request, retry and rate-limit wait of its
    /// audit included; past it the model is an error (exit 3) and the others go on.
    #[arg(long, global = true, value_name = "SECONDS", default_value_t = openness::limits::DEFAULT_MODEL_DEADLINE.as_secs(), value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Ask the Hub again for what an earlier run recorded (model info, dataset and base-model
    /// lookups, branches), however recent; files at a commit are still read from the cache.
    #[arg(long, global = true)]
    pub refresh: bool,
    /// Print nothing on stderr but errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Colour statuses and severities in `table` output (other formats are never coloured).
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// `--color WHEN`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set (CLICOLOR_FORCE forces colour).
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Audit models and print their openness scorecards.
    Audit(audit::AuditArgs),
    /// Audit many models — named, by organisation, by search, from a file — and rank them.
    #[command(after_help = rank::AFTER_HELP)]
    Rank(rank::RankArgs),
    /// Check the models a project depends on (openness.toml) against its policy: a CI gate.
    Check(check::CheckArgs),
    /// Write a commented example openness.toml.
    Init(init::InitArgs),
    /// Show what changed in openness between two revisions of a model.
    Diff(diff::DiffArgs),
    /// Recognise license texts, or show what the license knowledge base knows.
    License(license::LicenseArgs),
    /// List, show and validate rubrics.
    Rubric(rubric::RubricArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(completions::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    Man(man::ManArgs),
}

/// `openness --help` (long help): the exit codes and the environment.
fn long_help_footer() -> String {
    format!("{}\n\n{}", exit::AFTER_HELP, environment::help())
}

/// The edge: runs the command, prints an error once, and maps the outcome to an exit code.
pub fn main() -> ExitCode {
    let exit = match run() {
        Ok(exit) => exit,
        Err(error) => {
            exit::print(&error);
            exit::classify(&error)
        }
    };
    exit.into()
}

fn run() -> anyhow::Result<Exit> {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // clap prints its own usage errors, `--help` and `--version`.
        Err(e) => {
            let _ = e.print();
            return Ok(if e.use_stderr() {
                Exit::Usage
            } else {
                Exit::Success
            });
        }
    };
    match &cli.command {
        Command::Audit(args) => audit::run(args, &cli.global),
        Command::Rank(args) => rank::run(args, &cli.global),
        Command::Check(args) => check::run(args, &cli.global),
        Command::Init(args) => init::run(args, cli.global.quiet),
        Command::Diff(args) => diff::run(args, &cli.global),
        Command::License(args) => license::run(args),
        Command::Rubric(args) => rubric::run(args),
        Command::Completions(args) => completions::run(args),
        Command::Man(args) => man::run(args),
    }
}

/// How models are scored: shared by `audit` and `rank`.
#[derive(Debug, Args)]
pub struct ScoringArgs {
    /// Rubric: a built-in name (default, mof, osai, osaid) or a path to a rubric file.
    #[arg(long, default_value = "default", value_name = "NAME|PATH", value_parser = RubricSpec, hide_possible_values = true)]
    pub rubric: String,
    #[command(flatten)]
    pub license: ThresholdArgs,
}

/// `--rubric NAME|PATH` and `rubric show`: any text (a path is checked when the rubric loads),
/// with the built-in names as the values shell completions offer.
#[derive(Clone, Debug)]
pub struct RubricSpec;

impl clap::builder::TypedValueParser for RubricSpec {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        Some(Box::new(
            openness::rubric::BUILTIN
                .iter()
                .map(|(name, _)| clap::builder::PossibleValue::new(*name)),
        ))
    }
}

/// `--license-threshold`: shared by every command that audits (`audit`, `rank`, `check`, `diff`).
#[derive(Debug, Args)]
pub struct ThresholdArgs {
    /// Minimum similarity (0–1) for a license file to count as a standard SPDX text.
    #[arg(long, value_name = "SIMILARITY", default_value_t = openness::licenses::detect::DEFAULT_THRESHOLD, value_parser = license::parse_threshold)]
    pub license_threshold: f32,
}

impl ThresholdArgs {
    /// An auditor for these settings, this rubric and this threshold.
    pub fn auditor(
        &self,
        settings: HubSettings,
        rubric: openness::rubric::Rubric,
    ) -> anyhow::Result<openness::audit::Auditor> {
        let auditor = openness::audit::Auditor::new(settings, rubric).exit(Exit::Fetch)?;
        Ok(auditor.with_license_threshold(self.license_threshold))
    }
}

impl ScoringArgs {
    /// An auditor for these settings and rubric.
    pub fn auditor(&self, global: &GlobalArgs) -> anyhow::Result<openness::audit::Auditor> {
        let settings = settings(global)?;
        let rubric = openness::rubric::resolve(&self.rubric).exit(Exit::Usage)?;
        self.license.auditor(settings, rubric)
    }
}

/// Where and how a report is written: shared by `audit` and `rank`.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format (default: from the -o file's extension — .txt .json .jsonl .csv .md .html
    /// .cdx.json .sarif .xml, another is an error — else table on a terminal and json otherwise).
    #[arg(long, short, value_enum)]
    pub format: Option<openness::report::Format>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Settings from the global flags and the environment.
pub fn settings(global: &GlobalArgs) -> anyhow::Result<HubSettings> {
    let overrides = SettingsOverrides {
        endpoint: global.endpoint.clone(),
        token: global.token.clone(),
        cache_dir: global.cache_dir.clone(),
        offline: global.offline,
        concurrency: Some(usize::from(global.concurrency)),
        deadline: Some(std::time::Duration::from_secs(global.timeout)),
        refresh: global.refresh,
        no_code_host: global.no_code_host,
    };
    HubSettings::resolve(&overrides, &|name| std::env::var(name).ok()).exit(Exit::Usage)
}

/// A multi-threaded runtime sized for I/O-bound work.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("the async runtime starts")
}

#[cfg(test)]
mod tests {
    #[test]
    fn clap_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
