//! `openness rank` — audit many models (explicit, by organisation, by search, from a file) and
//! rank them.

use super::exit::{self, Exit, WithExit};
use super::{GlobalArgs, OutputArgs, ScoringArgs, output};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use openness::audit::{Outcome, Target};
use openness::hub::ModelRef;
use openness::hub::by_author::list_named;
use openness::hub::listing::{ListQuery, MAX_PAGES, Next, list_where};
use openness::rank::Rankable;
use openness::rank::{Shard, SortKey, sort};
use openness::report::Format;
use openness::report::ModelError;
use openness::report::packed::Packed;
use openness::text::sanitize::terminal;
use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

/// What `rank` fetches beyond each model, shown under `rank --help`.
pub const AFTER_HELP: &str = "What is fetched: each model's metadata (from the listing when --author or --search found it) and card, and only the lookups the rubric's evidence keys need (docs/evidence.md): branches, datasets, dataset cards, base models — and GitHub, for the code repositories the cards link, only when the rubric reads a repo.* key (the default, osai, mof and osaid rubrics do). GitHub allows 60 API calls an hour without a token: set GITHUB_TOKEN for a large ranking; when the quota runs out the run goes on, the facts that needed GitHub are unknown and one warning says until when. --no-code-host reads no repository.";

#[derive(Debug, Args)]
pub struct RankArgs {
    /// Models to rank: Hub ids (org/name[@revision]), Hub URLs or local folders.
    #[arg(value_name = "MODEL")]
    pub models: Vec<String>,
    /// Every model of an organisation or user (repeatable).
    #[arg(long, value_name = "ORG")]
    pub author: Vec<String>,
    /// Every model whose id contains TEXT; with --author, only that author's (the Hub's
    /// intersection).
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
    /// Rank only share I of N (1 ≤ I ≤ N) of the models, by a hash of their ids: N runners
    /// with --shard 1/N … N/N rank every model once, and their JSONL outputs together are the
    /// unsharded result (docs/census.md).
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
}

fn parse_shard(raw: &str) -> Result<Shard, String> {
    Shard::parse(raw).map_err(|e| e.to_string())
}

pub fn run(args: &RankArgs, global: &GlobalArgs) -> anyhow::Result<Exit> {
    let mut named: Vec<String> = args.models.clone();
    if let Some(path) = &args.from {
        named.extend(read_model_list(path).exit(Exit::Usage)?);
    }
    let queries = list_queries(&args.author, args.search.as_deref());
    if named.is_empty() && queries.is_empty() {
        return Err(exit::usage(
            "nothing to rank: name models, or use --author ORG, --search TEXT or --from FILE",
        ));
    }
    let format = output::choose_format(args.output.format, args.output.output.as_deref())?;
    let auditor = args.scoring.auditor(global)?.for_rubric_only();
    if !queries.is_empty() && auditor.client().is_none() {
        return Err(exit::usage(
            "--author and --search list models on the Hub, which --offline forbids; name the models instead",
        ));
    }
    // Checked before anything is listed or fetched.
    let mut named = super::audit::named(&auditor, &named)?;
    if let Some(shard) = args.shard {
        named.retain(|t| match t {
            Target::Named {
                model: ModelRef::Hub { id, .. },
                ..
            } => shard.contains(id.as_str()),
            other => shard.contains(&other.label()),
        });
    }
    let sort_key = SortKey::for_rubric(&args.sort, auditor.rubric()).exit(Exit::Usage)?;
    let progress = progress_bar(global.quiet);

    let runtime = super::runtime();
    let mut errors: Vec<ModelError> = Vec::new();
    let mut targets: Vec<Target> = Vec::new();
    let mut seen = BTreeSet::new();
    if let Some(client) = auditor.client() {
        for query in &queries {
            progress.set_message(format!("listing {}", terminal(&query.to_string())));
            // A shard keeps its share while the pages go by.
            let keep = |info: &openness::hub::ModelInfo| {
                args.shard
                    .is_none_or(|s| s.contains(info.id.as_deref().unwrap_or("")))
            };
            let listing = list_where(client, query, MAX_PAGES, keep, |_| Next::Continue);
            match runtime.block_on(listing) {
                // A query that lists nothing is most often a misspelt name: said, not a blank.
                Ok(listed) if listed.listed == 0 && listed.incomplete.is_none() => {
                    errors.push(empty_listing(query))
                }
                Ok(listed) => {
                    if let Some(e) = &listed.incomplete {
                        errors.push(output::model_error(query.to_string(), e));
                    }
                    for info in listed.models {
                        let id = info.id.clone().unwrap_or_default();
                        let popular = args
                            .min_downloads
                            .is_none_or(|min| info.downloads.unwrap_or(0) >= min);
                        if popular && seen.insert(id.to_ascii_lowercase()) {
                            targets.push(Target::Listed {
                                info: Box::new(info),
                                input: None,
                            });
                        }
                    }
                }
                Err(e) => errors.push(output::model_error(query.to_string(), &e)),
            }
        }
    }
    // Named models at `main` get their metadata from their authors' listings where that is
    // cheaper than a call per model.
    let mut by_listing = match auditor.client() {
        Some(client) => {
            let ids: Vec<_> = named
                .iter()
                .filter_map(|t| match t {
                    Target::Named {
                        model: ModelRef::Hub { id, revision: None },
                        ..
                    } if !seen.contains(&id.as_str().to_ascii_lowercase()) => Some(id.clone()),
                    _ => None,
                })
                .collect();
            progress.set_message("listing the named models' authors");
            runtime.block_on(list_named(client, &ids)).found
        }
        None => Default::default(),
    };
    // A model both listed and named is audited once, from its listing.
    for target in named {
        if !seen.insert(target.label().to_ascii_lowercase()) {
            continue;
        }
        let listed = match &target {
            Target::Named {
                input,
                model: ModelRef::Hub { id, revision: None },
            } => by_listing
                .remove(&id.as_str().to_ascii_lowercase())
                .map(|info| Target::Listed {
                    info: Box::new(info),
                    input: Some(input.clone()),
                }),
            _ => None,
        };
        targets.push(listed.unwrap_or(target));
    }

    progress.set_length(targets.len() as u64);
    progress.set_message("auditing");
    if matches!(format, Format::Json | Format::Jsonl) {
        // The JSON formats need no scorecard whole after it is scored: each is kept as its
        // JSON, deflated, so a ranking of thousands of models stays small (report::packed).
        let (tick, quiet) = (progress.clone(), global.quiet);
        let keep = Arc::new(move |outcome: Outcome| {
            tick.inc(1);
            match outcome.result {
                Ok(card) => {
                    output::warn_failed_lookups(std::slice::from_ref(&card), quiet);
                    Ok(Packed::new(&card))
                }
                Err(e) => Err(output::model_error(outcome.input, &e)),
            }
        });
        let outcomes = runtime.block_on(auditor.audit_targets_with(targets, keep));
        progress.finish_and_clear();
        output::code_host_notes(&auditor, global.quiet);
        let mut cards = Vec::new();
        for outcome in outcomes {
            match outcome {
                Ok(card) => cards.push(card),
                Err(e) => errors.push(e),
            }
        }
        if let Some(min) = args.min_downloads {
            cards.retain(|c| c.downloads().unwrap_or(0) >= min);
        }
        sort(&mut cards, &sort_key).exit(Exit::Usage)?;
        if let Some(limit) = args.limit {
            cards.truncate(limit);
        }
        return output::emit_packed(format, args.output.output.as_deref(), &cards, &errors);
    }
    let tick = progress.clone();
    let outcomes = runtime.block_on(auditor.audit_targets(targets, Arc::new(move || tick.inc(1))));
    progress.finish_and_clear();
    output::code_host_notes(&auditor, global.quiet);

    let (mut scorecards, more_errors) = output::split_outcomes(outcomes);
    output::warn_failed_lookups(&scorecards, global.quiet);
    errors.extend(more_errors);
    if let Some(min) = args.min_downloads {
        scorecards.retain(|c| c.downloads.unwrap_or(0) >= min);
    }
    sort(&mut scorecards, &sort_key).exit(Exit::Usage)?;
    if let Some(limit) = args.limit {
        scorecards.truncate(limit);
    }

    let emit = output::Emit {
        format,
        output: args.output.output.as_deref(),
        explain: args.explain,
        ranking: true,
        downloads: sort_key == SortKey::Downloads || args.min_downloads.is_some(),
        color: global.color,
    };
    output::emit(&emit, &scorecards, &errors)
}

/// What to list: each author's models (restricted to `--search` when both are given, as the Hub
/// intersects its filters), or every model matching `--search`.
fn list_queries(authors: &[String], search: Option<&str>) -> Vec<ListQuery> {
    match search {
        Some(text) if !authors.is_empty() => authors
            .iter()
            .map(|author| ListQuery::AuthorSearch {
                author: author.clone(),
                search: text.to_owned(),
            })
            .collect(),
        Some(text) => vec![ListQuery::Search(text.to_owned())],
        None => authors.iter().cloned().map(ListQuery::Author).collect(),
    }
}

/// The error entry of a query the Hub lists no model for.
fn empty_listing(query: &ListQuery) -> ModelError {
    let hint = match query {
        ListQuery::Author(_) => "check the name: the Hub matches authors exactly, case included",
        ListQuery::Search(_) => "the Hub matches the text inside model ids",
        ListQuery::AuthorSearch { .. } => {
            "the Hub lists the author's models whose id contains the text; check both"
        }
    };
    let error = ModelError {
        model: query.to_string(),
        code: "listing-empty".to_owned(),
        message: format!("{query}: the Hub lists no model ({hint})"),
    };
    exit::print(&anyhow::anyhow!("{}", error.message));
    error
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
