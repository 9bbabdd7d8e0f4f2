//! The audit pipeline for a batch of models: fetch → related lookups → evidence → licenses →
//! rubric → scorecard. One model's failure never loses the rest of the batch.

use crate::evidence;
use crate::evidence::declared::Declared;
use crate::evidence::keys::Needs;
use crate::hub::client::ClientError;
use crate::hub::fetch::{FilePlan, fetch_cached, fetch_release, release_from_info};
use crate::hub::github::read::QuotaNotice;
use crate::hub::github::{CodeHost, LinkedRepo, RepoLookup, RepoRef};
use crate::hub::local::read_folder;
use crate::hub::model_ref::ModelRefError;
use crate::hub::records::Records;
use crate::hub::related::{Ancestor, DatasetLookup, Lineage};
use crate::hub::{
    HubCache, HubClient, HubError, HubSettings, Lookup, ModelInfo, ModelRef, Origin, Related,
    RelatedCache, RelatedOptions, Release, RepoId, Retrieved,
};
use crate::licenses::{self, KnowledgeBase};
use crate::rubric::{self, Rubric};
use crate::scorecard::Scorecard;
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

/// One model of a batch: named by the user (checked before the batch starts), or found by a
/// listing whose page already carried its metadata.
#[derive(Clone, Debug)]
pub enum Target {
    Named {
        /// As the user wrote it (a Hub id, a URL, a folder): the scorecard's `requested`.
        input: String,
        model: ModelRef,
    },
    /// Metadata from a listing page: found by `--author`/`--search` (`input: None`), or a model
    /// the user named whose metadata came with its author's listing.
    Listed {
        info: Box<ModelInfo>,
        input: Option<String>,
    },
}

impl Target {
    /// A model the user named, as they named it.
    pub fn named(model: ModelRef) -> Target {
        Target::Named {
            input: model.display_name(),
            model,
        }
    }

    /// The model as the user (or the listing) named it.
    pub fn label(&self) -> String {
        match self {
            Target::Named { input, .. } => input.clone(),
            Target::Listed {
                input: Some(input), ..
            } => input.clone(),
            Target::Listed { info, .. } => info.id.clone().unwrap_or_default(),
        }
    }
}

/// A release and its scorecard: what `check` and `diff` record about a model.
#[derive(Clone, Debug)]
pub struct Audited {
    pub release: Release,
    pub scorecard: Scorecard,
}

/// What happened to one model of a batch.
#[derive(Debug)]
pub struct Outcome {
    /// The model as the user named it.
    pub input: String,
    pub result: Result<Scorecard, HubError>,
}

/// Runs audits with one client, cache, rubric and knowledge base.
#[derive(Clone, Debug)]
pub struct Auditor {
    client: Option<HubClient>,
    cache: HubCache,
    settings: Arc<HubSettings>,
    rubric: Arc<Rubric>,
    related: Arc<RelatedOptions>,
    /// Similarity a standard license text must reach to be recognised.
    threshold: f32,
    /// Datasets and base models looked up in this run, shared by every task.
    lookups: RelatedCache,
    /// What earlier runs recorded (model info, lookups), reused within the freshness window.
    records: Records,
    /// Read license files only when the declaration cannot tell the license (`rank`).
    lean_files: bool,
    /// GitHub, for the repositories the cards link (`None` when turned off).
    code_host: Option<CodeHost>,
}

impl Auditor {
    /// Builds an auditor. Offline, no HTTP client exists at all, so no socket can be opened.
    pub fn new(settings: HubSettings, rubric: Rubric) -> Result<Auditor, ClientError> {
        let client = if settings.offline {
            None
        } else {
            Some(HubClient::new(settings.clone())?)
        };
        let records = Records::new(&settings, settings.refresh);
        let code_host = CodeHost::new(&settings.github, settings.offline)?;
        Ok(Auditor {
            client,
            cache: HubCache::new(settings.cache_dir.clone()),
            lookups: RelatedCache::with_records(records.clone()),
            records,
            settings: Arc::new(settings),
            rubric: Arc::new(rubric),
            related: Arc::new(RelatedOptions::default()),
            threshold: licenses::detect::DEFAULT_THRESHOLD,
            lean_files: false,
            code_host,
        })
    }

    /// Sets the license-recognition threshold (`--license-threshold`).
    pub fn with_license_threshold(mut self, threshold: f32) -> Auditor {
        self.threshold = threshold;
        self
    }

    /// Chooses which related lookups (refs, datasets, base models) each audit makes.
    pub fn with_related(mut self, options: RelatedOptions) -> Auditor {
        self.related = Arc::new(options);
        self
    }

    pub fn client(&self) -> Option<&HubClient> {
        self.client.as_ref()
    }

    /// The code host, when it is on (and the rubric needs it, after [`Auditor::for_rubric_only`]).
    pub fn code_host(&self) -> Option<&CodeHost> {
        self.code_host.as_ref().filter(|_| self.related.code_host)
    }

    /// Set when GitHub's API quota ran out during this run: the one message the run prints.
    pub fn code_host_quota(&self) -> Option<QuotaNotice> {
        self.code_host()?.quota_notice()
    }

    /// GitHub hosts that failed three requests in a row and were not tried again this run.
    pub fn code_host_unreachable(&self) -> Vec<(&'static str, String)> {
        self.code_host()
            .map(|host| host.unreachable())
            .unwrap_or_default()
    }

    /// Fetches only what the rubric reads: each evidence key says which related lookup it needs
    /// (branches, datasets, base models); the lookups no key of the rubric needs are skipped,
    /// and license files are read only when the declaration cannot tell the license — for a
    /// model named and for a model listed alike, so both give the same scorecard.
    pub fn for_rubric_only(mut self) -> Auditor {
        self.lean_files = true;
        let needs: Vec<Needs> = self
            .rubric
            .evidence_keys()
            .iter()
            .map(|k| k.needs())
            .collect();
        let options = RelatedOptions {
            refs: needs.contains(&Needs::Refs),
            datasets: needs.contains(&Needs::Datasets) || needs.contains(&Needs::DatasetCards),
            dataset_cards: needs.contains(&Needs::DatasetCards),
            lineage: needs.contains(&Needs::Lineage),
            code_host: needs.contains(&Needs::CodeHost),
            ..RelatedOptions::default()
        };
        self.with_related(options)
    }

    /// The rubric every audit is scored against.
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// The settings the auditor was built with.
    pub fn settings(&self) -> &HubSettings {
        &self.settings
    }

    /// How many models are audited at once: twice the requests in flight (the client bounds
    /// those), so a model waiting on a slow file does not idle the connection pool.
    pub fn models_in_flight(&self) -> usize {
        self.settings.concurrency.saturating_mul(2).max(1)
    }

    /// Reads `MODEL` as the user wrote it: a Hub id (`org/name[@revision]`), a URL on the
    /// configured Hub, or a folder.
    pub fn model_ref(&self, input: &str) -> Result<ModelRef, ModelRefError> {
        ModelRef::parse(input, &self.settings.endpoint)
    }

    /// Audits every input concurrently (bounded by the client's concurrency); results come back
    /// in input order. An input that is not a model name is an error of its own.
    pub async fn audit_all(&self, inputs: &[String]) -> Vec<Outcome> {
        let auditor = self.clone();
        in_order(inputs.to_vec(), self.models_in_flight(), move |input| {
            let auditor = auditor.clone();
            async move {
                let result = auditor.audit(&input).await;
                Outcome { input, result }
            }
        })
        .await
    }

    /// Audits every target concurrently, calling `done` as each finishes (for progress bars);
    /// results come back in target order.
    pub async fn audit_targets(
        &self,
        targets: Vec<Target>,
        done: Arc<dyn Fn() + Send + Sync>,
    ) -> Vec<Outcome> {
        let keep = Arc::new(move |outcome: Outcome| {
            done();
            outcome
        });
        self.audit_targets_with(targets, keep).await
    }

    /// Like [`Auditor::audit_targets`], handing each outcome to `keep` as it finishes, so a
    /// large ranking can keep a compact form of each scorecard instead of all of them whole.
    pub async fn audit_targets_with<R: Send + 'static>(
        &self,
        targets: Vec<Target>,
        keep: Arc<dyn Fn(Outcome) -> R + Send + Sync>,
    ) -> Vec<R> {
        let auditor = self.clone();
        in_order(targets, self.models_in_flight(), move |target| {
            let (auditor, keep) = (auditor.clone(), Arc::clone(&keep));
            async move {
                let input = target.label();
                let result = match target {
                    Target::Named { input, model } => auditor
                        .audit_model(&input, &model)
                        .await
                        .map(|a| a.scorecard),
                    Target::Listed { info, input } => {
                        auditor.audit_listed(*info, input.as_deref()).await
                    }
                };
                keep(Outcome { input, result })
            }
        })
        .await
    }

    /// Audits one model as named on the command line.
    pub async fn audit(&self, input: &str) -> Result<Scorecard, HubError> {
        let model = self.model_ref(input).map_err(|e| invalid(input, &e))?;
        Ok(self.audit_model(input, &model).await?.scorecard)
    }

    /// Audits one model and keeps its release beside the scorecard. `input` is the name the
    /// user gave it (the scorecard's `requested`).
    pub async fn audit_model(&self, input: &str, model: &ModelRef) -> Result<Audited, HubError> {
        let release = self.within_deadline(input, self.release_of(model)).await?;
        let scorecard = score_with(
            input,
            &release,
            &self.rubric,
            KnowledgeBase::embedded(),
            self.threshold,
        );
        Ok(Audited { release, scorecard })
    }

    /// Fetches what the pipeline reads about one model — the release and its related lookups —
    /// without scoring it (to score the same evidence with several rubrics).
    pub async fn release(&self, input: &str) -> Result<Release, HubError> {
        let model = self.model_ref(input).map_err(|e| invalid(input, &e))?;
        self.within_deadline(input, self.release_of(&model)).await
    }

    /// Runs one model's work under the per-model deadline (`--timeout`): whatever a server
    /// does — stall, drip, rate limit for ever — the model ends as an error in bounded time.
    async fn within_deadline<T>(
        &self,
        model: &str,
        work: impl std::future::Future<Output = Result<T, HubError>>,
    ) -> Result<T, HubError> {
        let deadline = self.settings.deadline;
        tokio::time::timeout(deadline, work)
            .await
            .unwrap_or_else(|_| {
                Err(HubError::TimedOut {
                    model: model.to_owned(),
                    seconds: deadline.as_secs(),
                })
            })
    }

    async fn release_of(&self, model: &ModelRef) -> Result<Release, HubError> {
        let mut release = self.fetch(model).await?;
        if matches!(release.origin, Origin::Hub { .. } | Origin::Cache { .. }) {
            self.add_related(&mut release).await;
        }
        self.read_code(&mut release).await;
        Ok(release)
    }

    /// Looks up the release's neighbours (online, or from the records offline) and notes where
    /// each answer came from.
    async fn add_related(&self, release: &mut Release) {
        let (related, retrieved) = self.fetch_related(self.client.as_ref(), release).await;
        release.related = related;
        release.retrieval.items.extend(retrieved);
    }

    /// Audits a model found by a listing: its metadata is already known, so only its files are
    /// fetched — the card, and the license files only when the declaration alone cannot tell
    /// the license.
    /// `input` is the name the user gave it, when they named it.
    pub async fn audit_listed(
        &self,
        info: ModelInfo,
        input: Option<&str>,
    ) -> Result<Scorecard, HubError> {
        let id = info.id.clone().unwrap_or_default();
        let label = input.unwrap_or(&id).to_owned();
        self.within_deadline(&label, self.audit_listed_now(info, &id, &label))
            .await
    }

    async fn audit_listed_now(
        &self,
        info: ModelInfo,
        id: &str,
        label: &str,
    ) -> Result<Scorecard, HubError> {
        let id = RepoId::parse(id).map_err(|reason| invalid(id, &reason))?;
        let Some(client) = &self.client else {
            let with_token = self.settings.token.is_some();
            let mut release = fetch_cached(
                &self.cache,
                &id,
                None,
                self.settings.max_text_bytes,
                with_token,
            )?;
            self.add_related(&mut release).await;
            self.read_code(&mut release).await;
            return Ok(score_with(
                label,
                &release,
                &self.rubric,
                KnowledgeBase::embedded(),
                self.threshold,
            ));
        };
        if let Some(sha) = &info.sha
            && let Ok(body) = serde_json::to_vec(&info.to_json())
        {
            // Best effort: recorded so `--offline` can audit what a ranking saw.
            let _ = self.cache.write_listed_info(id.as_str(), sha, &body);
            let _ = self.cache.write_ref(id.as_str(), "main", sha);
        }
        let plan = lean_plan(&id, &info);
        let (cache, records) = (Some(&self.cache), Some(&self.records));
        let mut release = release_from_info(client, cache, records, id, info, None, plan).await?;
        release.retrieval.metadata = Some(Retrieved::Listing);
        self.add_related(&mut release).await;
        self.read_code(&mut release).await;
        Ok(score_with(
            label,
            &release,
            &self.rubric,
            KnowledgeBase::embedded(),
            self.threshold,
        ))
    }

    async fn fetch(&self, model: &ModelRef) -> Result<Release, HubError> {
        match (model, &self.client) {
            (ModelRef::Local { path }, _) => {
                let path = path.clone();
                let cap = self.settings.max_text_bytes;
                tokio::task::spawn_blocking(move || read_folder(&path, cap))
                    .await
                    .expect("folder reader does not panic")
            }
            (ModelRef::Hub { id, revision }, None) => fetch_cached(
                &self.cache,
                id,
                revision.as_deref(),
                self.settings.max_text_bytes,
                self.settings.token.is_some(),
            ),
            (ModelRef::Hub { id, revision }, Some(client)) => {
                let lean = self.lean_files;
                let plan = move |id: &RepoId, info: &ModelInfo| {
                    if lean {
                        lean_plan(id, info)
                    } else {
                        FilePlan::ALL
                    }
                };
                let (cache, records) = (Some(&self.cache), Some(&self.records));
                fetch_release(client, cache, records, id, revision.as_deref(), plan).await
            }
        }
    }
}

impl Auditor {
    /// Reads the GitHub repositories the card links (own first, up to the per-model limit), each
    /// once per run. What cannot be read stays unknown; it never fails the audit.
    async fn read_code(&self, release: &mut Release) {
        let Some(host) = self.code_host() else {
            return;
        };
        let linked = evidence::code::host_repositories(release);
        let max = self.related.max_repositories;
        release.related.code_skipped = linked.len().saturating_sub(max);
        let linked: Vec<_> = linked.into_iter().take(max).collect();
        let limit = linked.len();
        let host = host.clone();
        let read = in_order(linked, limit, move |linked| {
            let host = host.clone();
            async move {
                let lookup = match RepoRef::from_url(&linked.url) {
                    Some(repo) => host.lookup(&repo).await,
                    None => RepoLookup::Missing,
                };
                LinkedRepo {
                    url: linked.url,
                    lookup,
                }
            }
        })
        .await;
        release.related.code = Some(read);
    }

    /// The release's branches, the Hub datasets it names and its base models, concurrently,
    /// with where each answer came from. Lookups that fail leave their facts unknown; they never
    /// fail the audit. Without a client (offline) the records of earlier runs answer.
    async fn fetch_related(
        &self,
        client: Option<&HubClient>,
        release: &Release,
    ) -> (Related, Vec<(String, Retrieved)>) {
        let options = &self.related;
        let id = RepoId::parse(&release.id).ok();
        let branches = async {
            match (&id, options.refs) {
                (Some(id), true) => Some(self.lookups.branches(client, id).await),
                _ => None,
            }
        };
        let named = if options.datasets {
            evidence::data::hub_dataset_ids(release)
        } else {
            Vec::new()
        };
        let skipped = named.len().saturating_sub(options.max_datasets);
        let datasets = async {
            if !options.datasets {
                return None;
            }
            let named: Vec<String> = named.into_iter().take(options.max_datasets).collect();
            let (client, lookups) = (client.cloned(), self.lookups.clone());
            let limit = named.len();
            let cards = options.dataset_cards;
            let found = in_order(named, limit, move |name| {
                let (client, lookups) = (client.clone(), lookups.clone());
                async move {
                    let mut retrieved = Vec::new();
                    let id = match RepoId::parse(&name) {
                        Ok(id) => id,
                        Err(e) => {
                            let lookup = Lookup::Failed(e.to_string());
                            let found = DatasetLookup {
                                id: name,
                                lookup,
                                card: None,
                            };
                            return (found, retrieved);
                        }
                    };
                    let (lookup, from) = lookups.dataset(client.as_ref(), &id).await;
                    retrieved.push((format!("dataset {name}"), from));
                    // Only a public dataset's card is read: a gated one says nothing to all.
                    let card = match &lookup {
                        Lookup::Found(info) if cards && info.is_public() => {
                            let (card, from) =
                                lookups.dataset_card(client.as_ref(), &id, info).await;
                            retrieved.push((format!("dataset card {name}"), from));
                            Some(card)
                        }
                        _ => None,
                    };
                    let found = DatasetLookup {
                        id: name,
                        lookup,
                        card,
                    };
                    (found, retrieved)
                }
            })
            .await;
            Some(found)
        };
        let lineage = async {
            if options.lineage {
                Some(self.walk_lineage(client, release).await)
            } else {
                None
            }
        };
        let (branches, datasets, lineage) = tokio::join!(branches, datasets, lineage);
        let mut retrieved = Vec::new();
        let (branches, branches_failed) = match branches {
            Some((answer, from)) => {
                retrieved.push(("branches".to_owned(), from));
                match answer {
                    Ok(branches) => (branches, None),
                    // Offline without a record: unknown, and said so by the retrieval note.
                    Err(_) if from == Retrieved::Unavailable => (None, None),
                    Err(why) => (None, Some(why)),
                }
            }
            None => (None, None),
        };
        let datasets = datasets.map(|found| {
            found
                .into_iter()
                .map(|(lookup, notes)| {
                    retrieved.extend(notes);
                    lookup
                })
                .collect()
        });
        let lineage = lineage.map(|(lineage, notes)| {
            retrieved.extend(notes);
            lineage
        });
        // What came fresh from the Hub is the default; the scorecard lists the rest.
        retrieved.retain(|(_, from)| *from != Retrieved::Hub);
        let related = Related {
            branches,
            branches_failed,
            datasets,
            datasets_skipped: skipped,
            lineage,
            ..Related::default()
        };
        (related, retrieved)
    }

    /// Follows `base_model` up the chain, parents first: each ancestor's metadata once per run,
    /// stopping at cycles, at the depth and ancestor limits, and at ancestors that cannot be
    /// read (reported, not fatal).
    async fn walk_lineage(
        &self,
        client: Option<&HubClient>,
        release: &Release,
    ) -> (Lineage, Vec<(String, Retrieved)>) {
        let options = &self.related;
        let mut lineage = Lineage::default();
        let mut retrieved = Vec::new();
        // (ancestor id, relation of the child to it, depth, path from the release to the child)
        let mut queue: VecDeque<(String, Option<String>, usize, Vec<String>)> =
            Declared::of_related(&release.id, &release.info)
                .bases
                .value
                .into_iter()
                .map(|b| (b.id, b.relation, 1, vec![release.id.clone()]))
                .collect();
        let mut seen: HashSet<String> = HashSet::new();
        while let Some((id, relation, depth, path)) = queue.pop_front() {
            let key = id.to_ascii_lowercase();
            if let Some(start) = path.iter().position(|p| p.eq_ignore_ascii_case(&id)) {
                let mut cycle = path[start..].to_vec();
                cycle.push(id);
                lineage.cycles.push(cycle);
                continue;
            }
            if !seen.insert(key) {
                continue; // reached again through another parent (a merge): not a cycle
            }
            let child = path.last().cloned().unwrap_or_default();
            if depth > options.max_depth || lineage.ancestors.len() >= options.max_ancestors {
                lineage.truncated = true;
                continue;
            }
            let Ok(repo) = RepoId::parse(&id) else {
                lineage.invalid.push((child, id));
                continue;
            };
            let (lookup, from) = self.lookups.model(client, &repo).await;
            retrieved.push((format!("base model {}", repo.as_str()), from));
            // A renamed repo answers under its new id (after the Hub's redirect): name it so,
            // and read it once even when the chain names it under both ids.
            let id = match lookup.info().and_then(|i| i.id.as_deref()) {
                Some(canonical) if RepoId::parse(canonical).is_ok() => canonical.to_owned(),
                _ => id,
            };
            let renamed = !id.eq_ignore_ascii_case(repo.as_str());
            if renamed && !seen.insert(id.to_ascii_lowercase()) {
                continue;
            }
            if let Some(info) = lookup.info() {
                let mut next = path.clone();
                next.push(id.clone());
                for base in Declared::of_related(&id, info).bases.value {
                    queue.push_back((base.id, base.relation, depth + 1, next.clone()));
                }
            }
            lineage.ancestors.push(Ancestor {
                id,
                depth,
                child,
                relation,
                lookup,
            });
        }
        (lineage, retrieved)
    }
}

/// The files a ranking reads: the card, and the license files only when the declaration alone
/// cannot tell the license.
fn lean_plan(id: &RepoId, info: &ModelInfo) -> FilePlan {
    let declared = Declared::of_related(id.as_str(), info);
    let license_known = licenses::apply::resolve(
        KnowledgeBase::embedded(),
        &declared.licenses.value,
        declared.license_name(),
    )
    .is_some();
    FilePlan {
        readme: true,
        licenses: !license_known,
    }
}

/// The error for a name that is not a model.
fn invalid(input: &str, reason: &dyn std::fmt::Display) -> HubError {
    HubError::InvalidModel {
        input: input.to_owned(),
        reason: reason.to_string(),
    }
}

/// The one fan-out of the crate: runs `work` on every item, at most `limit` at once, and gives
/// the results back in item order (`audit`, `rank`, `check`, `diff` and the dataset lookups all
/// go through it). A task is spawned only when a slot is free, so a batch of 10,000 models holds
/// `limit` futures, not 10,000. A panic in a task is resumed here, never swallowed.
pub async fn in_order<T, R, F, Fut>(items: Vec<T>, limit: usize, work: F) -> Vec<R>
where
    T: Send + 'static,
    R: Send + 'static,
    F: Fn(T) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = R> + Send + 'static,
{
    let limit = limit.max(1);
    let work = Arc::new(work);
    let mut tasks = tokio::task::JoinSet::new();
    let count = items.len();
    let mut done: Vec<(usize, R)> = Vec::with_capacity(count);
    let join = |joined: Result<(usize, R), tokio::task::JoinError>, done: &mut Vec<_>| match joined
    {
        Ok(result) => done.push(result),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };
    for (index, item) in items.into_iter().enumerate() {
        while tasks.len() >= limit {
            if let Some(joined) = tasks.join_next().await {
                join(joined, &mut done);
            }
        }
        let work = Arc::clone(&work);
        tasks.spawn(async move { (index, work(item).await) });
    }
    while let Some(joined) = tasks.join_next().await {
        join(joined, &mut done);
    }
    done.sort_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, r)| r).collect()
}

/// Scores a fetched release: pure, no I/O.
pub fn score(input: &str, release: &Release, rubric: &Rubric, kb: &KnowledgeBase) -> Scorecard {
    score_with(
        input,
        release,
        rubric,
        kb,
        licenses::detect::DEFAULT_THRESHOLD,
    )
}

/// Scores with a license-recognition threshold (the similarity a standard text must reach).
pub fn score_with(
    input: &str,
    release: &Release,
    rubric: &Rubric,
    kb: &KnowledgeBase,
    threshold: f32,
) -> Scorecard {
    let mut ev = evidence::collect(release);
    let texts = licenses::apply(
        kb,
        licenses::Recognizer::embedded(),
        threshold,
        release,
        &mut ev,
    );
    licenses::apply_related(kb, threshold, release, &mut ev);
    let assessment = rubric::evaluate(rubric, &ev);
    Scorecard::new(input, release, ev, texts, assessment)
}

#[cfg(test)]
mod tests {
    use super::in_order;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_fan_out_keeps_item_order_and_its_limit() {
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let (r, m) = (Arc::clone(&running), Arc::clone(&most));
        let items: Vec<u64> = (0..24).collect();
        let out = in_order(items, 3, move |i| {
            let (running, most) = (Arc::clone(&r), Arc::clone(&m));
            async move {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                // Later items finish first: the order must come from the items, not the clock.
                tokio::time::sleep(std::time::Duration::from_millis(24 - i)).await;
                running.fetch_sub(1, Ordering::SeqCst);
                i * 10
            }
        })
        .await;
        assert_eq!(out, (0..24).map(|i| i * 10).collect::<Vec<_>>());
        assert_eq!(most.load(Ordering::SeqCst), 3);
    }
}
