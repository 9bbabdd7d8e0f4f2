//! `openness rank` — audit many models (explicit, by organisation, by search, from a file) and
//! rank them.

use super::exit::{self, Exit, WithExit};
use super::{GlobalArgs, OutputArgs, ScoringArgs, output};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use openness::audit::Target;
use openness::hub::listing::{ListQuery, list_models};
use openness::rank::{SortKey, sort};
use openness::report::ModelError;
use openness::text::sanitize::terminal;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct RankArgs {
    /// Models to rank: Hub ids (org/name[@revision]), Hub URLs or local folders.
    #[arg(value_name = "MODEL")]
    pub models: Vec<String>,
    /// Every model of an organisation or user (repeatable).
    #[arg(long, value_name = "ORG")]
    pub author: Vec<String>,
    /// Every model whose id contains TEXT.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Models listed in FILE, one id per line (`#` starts a comment).
    #[arg(long, value_name = "FILE")]
    pub from: Option<PathBuf>,
    #[command(flatten)]
    pub scoring: ScoringArgs,
    /// Rank by: score, percent, downloads, model, or a dimension id of the rubric.
    #[arg(long, default_value = "score", value_name = "KEY")]
    pub sort: String,
    /// Keep only the first N models of the ranking.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Skip models with fewer downloads (last 30 days) than this.
    #[arg(long, value_name = "N")]
    pub min_downloads: Option<u64>,
    #[command(flatten)]
    pub output: OutputArgs,
    /// With `table`: print each model's full scorecard after the ranking.
    #[arg(long)]
    pub explain: bool,
}

pub fn run(args: &RankArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let mut named: Vec<String> = args.models.clone();
    if let Some(path) = &args.from {
        named.extend(read_model_list(path).exit(Exit::Usage)?);
    }
    let mut queries: Vec<ListQuery> = args.author.iter().cloned().map(ListQuery::Author).collect();
    queries.extend(args.search.iter().cloned().map(ListQuery::Search));
    if named.is_empty() && queries.is_empty() {
        return Err(exit::usage(
            "nothing to rank: name models, or use --author ORG, --search TEXT or --from FILE",
        ));
    }
    let auditor = args.scoring.auditor(global)?.for_rubric_only();
    if !queries.is_empty() && auditor.client().is_none() {
        return Err(exit::usage(
            "--author and --search list models on the Hub, which --offline forbids; name the models instead",
        ));
    }
    // Checked before anything is listed or fetched.
    let named = super::audit::named(&auditor, &named)?;
    let sort_key = SortKey::for_rubric(&args.sort, auditor.rubric()).exit(Exit::Usage)?;
    let progress = progress_bar(global.quiet);

    let runtime = super::runtime();
    let mut errors: Vec<ModelError> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(client) = auditor.client() {
        for query in &queries {
            progress.set_message(format!("listing {}", terminal(&query.to_string())));
            match runtime.block_on(list_models(client, query)) {
                Ok(infos) => {
                    for info in infos {
                        let id = info.id.clone().unwrap_or_default();
                        let popular = args
                            .min_downloads
                            .is_none_or(|min| info.downloads.unwrap_or(0) >= min);
                        if popular && seen.insert(id.to_ascii_lowercase()) {
                            targets.push(Target::Listed(Box::new(info)));
                        }
                    }
                }
                Err(e) => errors.push(output::model_error(query.to_string(), &e)),
            }
        }
    }
    // A model both listed and named is audited once, from its listing.
    for target in named {
        if seen.insert(target.label().to_ascii_lowercase()) {
            targets.push(target);
        }
    }

    progress.set_length(targets.len() as u64);
    progress.set_message("auditing");
    let tick = progress.clone();
    let outcomes = runtime.block_on(auditor.audit_targets(targets, Arc::new(move || tick.inc(1))));
    progress.finish_and_clear();

    let (mut scorecards, more_errors) = output::split_outcomes(outcomes);
    errors.extend(more_errors);
    if let Some(min) = args.min_downloads {
        scorecards.retain(|c| c.downloads.unwrap_or(0) >= min);
    }
    sort(&mut scorecards, &sort_key).exit(Exit::Usage)?;
    if let Some(limit) = args.limit {
        scorecards.truncate(limit);
    }

    let emit = output::Emit {
        format: args.output.format,
        output: args.output.output.as_deref(),
        explain: args.explain,
        ranking: true,
        color: global.color,
    };
    output::emit(&emit, &scorecards, &errors)
}

/// Ids from a file: one per line, `#` comments and blank lines skipped.
fn read_model_list(path: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let text = openness::config::read::read_text(path, openness::limits::MAX_CONFIG_FILE_BYTES)
        .map_err(|e| anyhow::anyhow!("--from: {e}"))?;
    Ok(text
        .lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect())
}

/// A progress bar on stderr when it is a terminal and not `--quiet`; hidden otherwise.
fn progress_bar(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} {elapsed}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
