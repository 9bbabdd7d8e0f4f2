//! What an audit fetches about a release's neighbours: its branches (intermediate checkpoints),
//! the datasets its card names, and the metadata of its base models.
//!
//! These lookups are evidence, not requirements: a 404 is a fact ("this dataset is not on the
//! Hub"), and a lookup that fails leaves the fact unknown instead of failing the audit.

use super::api::ModelInfo;
use super::cache::{CachedFile, HubCache};
use super::client::HubClient;
use super::model_ref::RepoId;
use super::records::{Records, RepoKind};
use super::retrieval::Retrieved;
use reqwest::StatusCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Largest refs / dataset-info / ancestor-info document read.
const MAX_JSON_BYTES: u64 = 8 * 1024 * 1024;

/// Which related lookups to make. A caller with a tight request budget (ranking hundreds of
/// models) turns them off; the facts they feed are then unknown, not empty.
#[derive(Clone, Debug)]
pub struct RelatedOptions {
    /// One `GET /api/models/{id}/refs` per model.
    pub refs: bool,
    /// One `GET /api/datasets/{id}` per distinct dataset per run.
    pub datasets: bool,
    /// The dataset card (`README.md`) of each named public dataset, once per dataset per run.
    pub dataset_cards: bool,
    /// One `GET /api/models/{id}` per distinct ancestor per run.
    pub lineage: bool,
    /// The GitHub repositories the card links: at most three API calls and a few raw-file
    /// downloads per distinct repository per run, none while the disk cache is fresh.
    pub code_host: bool,
    /// Linked repositories read per model (the publisher's own first); the rest are not read.
    pub max_repositories: usize,
    /// Datasets looked up per model; the rest stay unknown.
    pub max_datasets: usize,
    /// Generations of base models followed.
    pub max_depth: usize,
    /// Ancestors fetched per model (merges can fan out).
    pub max_ancestors: usize,
}

impl Default for RelatedOptions {
    fn default() -> Self {
        RelatedOptions {
            refs: true,
            datasets: true,
            dataset_cards: true,
            lineage: true,
            code_host: true,
            max_repositories: 8,
            max_datasets: 20,
            max_depth: 8,
            max_ancestors: 16,
        }
    }
}

impl RelatedOptions {
    /// No related lookups at all: one metadata call and the text files per model.
    pub fn none() -> Self {
        RelatedOptions {
            refs: false,
            datasets: false,
            dataset_cards: false,
            lineage: false,
            code_host: false,
            ..RelatedOptions::default()
        }
    }
}

/// What looking up another repository (a dataset, a base model) found.
#[derive(Clone, Debug)]
pub enum Lookup {
    /// Its metadata (datasets share the model-info shape: id, sha, private, gated, disabled,
    /// tags, cardData).
    Found(Arc<ModelInfo>),
    /// 404 (or the Hub's 401 that does not distinguish missing from private).
    Missing,
    /// Refused behind an access gate.
    Gated,
    /// Disabled on the Hub.
    Disabled,
    /// Could not be looked up (network, server errors, malformed answer): unknown.
    Failed(String),
    /// Offline, and no earlier run recorded it: unknown.
    NotCached,
}

impl Lookup {
    pub fn info(&self) -> Option<&ModelInfo> {
        match self {
            Lookup::Found(info) => Some(info),
            _ => None,
        }
    }
}

/// How a lookup is recorded for later runs (a failure is not: nothing was learnt).
#[derive(serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
enum LookupRecord {
    Found { info: serde_json::Value },
    Missing,
    Gated,
    Disabled,
}

impl LookupRecord {
    fn of(lookup: &Lookup) -> Option<LookupRecord> {
        Some(match lookup {
            Lookup::Found(info) => LookupRecord::Found {
                info: info.to_json(),
            },
            Lookup::Missing => LookupRecord::Missing,
            Lookup::Gated => LookupRecord::Gated,
            Lookup::Disabled => LookupRecord::Disabled,
            Lookup::Failed(_) | Lookup::NotCached => return None,
        })
    }

    fn lookup(self) -> Lookup {
        match self {
            LookupRecord::Found { info } => match ModelInfo::from_json(&info) {
                Ok(info) => Lookup::Found(Arc::new(info)),
                Err(e) => Lookup::Failed(format!("unreadable record: {e}")),
            },
            LookupRecord::Missing => Lookup::Missing,
            LookupRecord::Gated => Lookup::Gated,
            LookupRecord::Disabled => Lookup::Disabled,
        }
    }
}

/// A dataset a release names, and what the Hub said about it.
#[derive(Clone, Debug)]
pub struct DatasetLookup {
    pub id: String,
    pub lookup: Lookup,
    /// Its dataset card, when it was looked for (`None`: not fetched — switched off, or the
    /// dataset is not public).
    pub card: Option<DatasetCard>,
}

/// What fetching a dataset's `README.md` found.
#[derive(Clone, Debug, PartialEq)]
pub enum DatasetCard {
    /// The card's text (cut at the text cap; invalid UTF-8 replaced).
    Text(Arc<str>),
    /// The dataset's file listing has no README.
    Absent,
    /// Could not be read (network, server error): unknown.
    Unread(String),
    /// Offline, and not in the cache: unknown.
    NotCached,
}

/// One base model up the chain.
#[derive(Clone, Debug)]
pub struct Ancestor {
    pub id: String,
    /// 1 for a parent, 2 for a grandparent, …
    pub depth: usize,
    /// The model that declares this one as its base.
    pub child: String,
    /// How `child` derives from it (finetune, adapter, quantized, merge), when declared.
    pub relation: Option<String>,
    pub lookup: Lookup,
}

/// The base-model chain as walked.
#[derive(Clone, Debug, Default)]
pub struct Lineage {
    /// Ancestors in walk order: parents first.
    pub ancestors: Vec<Ancestor>,
    /// Cycles met, each as the path that closes it (`a → b → a`).
    pub cycles: Vec<Vec<String>>,
    /// Base-model values that are not Hub ids, with the model declaring them.
    pub invalid: Vec<(String, String)>,
    /// The walk stopped at the depth or ancestor limit.
    pub truncated: bool,
}

/// Everything fetched about a release's neighbours. `None` means "not looked up" (offline, a
/// local folder, switched off, or the lookup failed), never "none found".
#[derive(Clone, Debug, Default)]
pub struct Related {
    /// Branch names from the refs API.
    pub branches: Option<Vec<String>>,
    /// Why the refs lookup failed after its retries, when it did.
    pub branches_failed: Option<String>,
    /// The Hub datasets named, in the order named, at most `max_datasets`.
    pub datasets: Option<Vec<DatasetLookup>>,
    /// Hub datasets named but not looked up (over `max_datasets`).
    pub datasets_skipped: usize,
    pub lineage: Option<Lineage>,
    /// The GitHub repositories the card links, as read (own first, at most
    /// `max_repositories`); `None` when the code host was not consulted.
    pub code: Option<Vec<super::github::LinkedRepo>>,
    /// Linked GitHub repositories not read (over `max_repositories`).
    pub code_skipped: usize,
}

type Cells<T = (Lookup, Retrieved)> = Arc<Mutex<HashMap<String, Arc<OnceCell<T>>>>>;

/// Lookups shared by every model of a run: a dataset or a base model named by many models is
/// fetched once, even when the models are audited concurrently. Cloning shares the cache. With
/// records, answers are also kept for later runs and reused within the freshness window (and
/// offline, where there is no client, they are all there is).
#[derive(Clone, Debug, Default)]
pub struct RelatedCache {
    datasets: Cells,
    dataset_cards: Cells<(DatasetCard, Retrieved)>,
    models: Cells,
    records: Option<Records>,
}

impl RelatedCache {
    /// A cache that records answers for later runs and reuses theirs.
    pub fn with_records(records: Records) -> RelatedCache {
        RelatedCache {
            records: Some(records),
            ..RelatedCache::default()
        }
    }

    /// `GET /api/datasets/{id}`, once per id per run.
    pub async fn dataset(&self, client: Option<&HubClient>, id: &RepoId) -> (Lookup, Retrieved) {
        let cell = cell(&self.datasets, id);
        cell.get_or_init(|| self.recorded_lookup(client, RepoKind::Dataset, id))
            .await
            .clone()
    }

    /// A found dataset's `README.md` at the commit its metadata named, once per id per run.
    pub async fn dataset_card(
        &self,
        client: Option<&HubClient>,
        id: &RepoId,
        info: &ModelInfo,
    ) -> (DatasetCard, Retrieved) {
        let listed = info
            .siblings
            .as_ref()
            .is_none_or(|s| s.iter().any(|f| f.path.eq_ignore_ascii_case("README.md")));
        if !listed {
            return (DatasetCard::Absent, Retrieved::Hub);
        }
        // Pinned to the commit the metadata named; anything but a commit id falls back to main.
        let sha = info.sha.clone().filter(|sha| super::api::is_sha(sha));
        let cell = cell(&self.dataset_cards, id);
        cell.get_or_init(|| async {
            let cache = self
                .records
                .as_ref()
                .map(|r| HubCache::datasets(r.cache_root()));
            // A card at a commit never changes: the cached copy answers.
            if let (Some(cache), Some(sha)) = (&cache, &sha)
                && let CachedFile::Present(bytes) = cache.read_file(id.as_str(), sha, "README.md")
            {
                return (
                    DatasetCard::Text(String::from_utf8_lossy(&bytes).into()),
                    Retrieved::Cache,
                );
            }
            let Some(client) = client else {
                return (DatasetCard::NotCached, Retrieved::Unavailable);
            };
            let revision = sha.clone().unwrap_or_else(|| "main".to_owned());
            let (card, etag) = dataset_card(client, id, revision).await;
            if let (Some(cache), Some(sha), DatasetCard::Text(text), Some(etag)) =
                (&cache, &sha, &card, etag)
            {
                let _ = cache.write_file(id.as_str(), sha, "README.md", &etag, text.as_bytes());
            }
            (card, Retrieved::Hub)
        })
        .await
        .clone()
    }

    /// `GET /api/models/{id}` (without file sizes), once per id per run.
    pub async fn model(&self, client: Option<&HubClient>, id: &RepoId) -> (Lookup, Retrieved) {
        let cell = cell(&self.models, id);
        cell.get_or_init(|| self.recorded_lookup(client, RepoKind::Model, id))
            .await
            .clone()
    }

    /// Branch names of a model from `GET /api/models/{id}/refs` (recorded like the lookups):
    /// `Ok(None)` when the Hub does not say, `Err` with why when the lookup failed.
    pub async fn branches(
        &self,
        client: Option<&HubClient>,
        id: &RepoId,
    ) -> (Result<Option<Vec<String>>, String>, Retrieved) {
        let records = self.records.as_ref();
        let recorded =
            records.and_then(|r| r.read::<Vec<String>>(RepoKind::Model, id.as_str(), "refs"));
        if let Some(recorded) = recorded.filter(|r| r.reusable) {
            return (Ok(Some(recorded.body)), Retrieved::Cache);
        }
        let Some(client) = client else {
            return (
                Err("not in the local cache".to_owned()),
                Retrieved::Unavailable,
            );
        };
        let branches = fetch_branches(client, id).await;
        if let (Some(records), Ok(Some(branches))) = (records, &branches) {
            records.write(RepoKind::Model, id.as_str(), "refs", branches);
        }
        (branches, Retrieved::Hub)
    }

    async fn recorded_lookup(
        &self,
        client: Option<&HubClient>,
        kind: RepoKind,
        id: &RepoId,
    ) -> (Lookup, Retrieved) {
        let records = self.records.as_ref();
        let recorded = records.and_then(|r| r.read::<LookupRecord>(kind, id.as_str(), "lookup"));
        if let Some(recorded) = recorded.filter(|r| r.reusable) {
            return (recorded.body.lookup(), Retrieved::Cache);
        }
        let Some(client) = client else {
            return (Lookup::NotCached, Retrieved::Unavailable);
        };
        let path = match kind {
            RepoKind::Model => "models",
            RepoKind::Dataset => "datasets",
        };
        let lookup = lookup(client, path, id).await;
        if let (Some(records), Some(record)) = (records, LookupRecord::of(&lookup)) {
            records.write(kind, id.as_str(), "lookup", &record);
        }
        (lookup, Retrieved::Hub)
    }
}
fn cell<T>(cells: &Cells<T>, id: &RepoId) -> Arc<OnceCell<T>> {
    // Hub ids are case-insensitive.
    let key = id.as_str().to_ascii_lowercase();
    let mut map = cells.lock().unwrap_or_else(|e| e.into_inner());
    Arc::clone(map.entry(key).or_default())
}

async fn lookup(client: &HubClient, kind: &str, id: &RepoId) -> Lookup {
    let url = format!("{}/api/{kind}/{}", client.base(), id.url_path());
    let response = match client.get(&url, id.as_str(), MAX_JSON_BYTES).await {
        Ok(response) => response,
        Err(e) => return Lookup::Failed(e.code().to_owned()),
    };
    let code = response.error_code().unwrap_or("");
    let message = response.error_message().unwrap_or("");
    match response.status {
        status if status.is_success() => {
            if response.truncated {
                return Lookup::Failed("answer too large".to_owned());
            }
            match super::info_parse::model_info(&response.body) {
                Ok(info) => Lookup::Found(Arc::new(info)),
                Err(e) => Lookup::Failed(format!("malformed answer: {e}")),
            }
        }
        _ if code == "GatedRepo" => Lookup::Gated,
        StatusCode::FORBIDDEN if message.contains("disabled") => Lookup::Disabled,
        StatusCode::NOT_FOUND => Lookup::Missing,
        StatusCode::UNAUTHORIZED if !message.contains("Invalid credentials") => Lookup::Missing,
        status => Lookup::Failed(format!("HTTP {}", status.as_u16())),
    }
}

async fn dataset_card(
    client: &HubClient,
    id: &RepoId,
    revision: String,
) -> (DatasetCard, Option<String>) {
    // The revision is the commit the metadata named (hex), or `main`: nothing to escape.
    let url = format!(
        "{}/datasets/{}/resolve/{revision}/README.md",
        client.base(),
        id.url_path(),
    );
    let cap = client.settings().max_text_bytes;
    match client.get(&url, id.as_str(), cap).await {
        Ok(response) if response.status.is_success() => {
            let etag = (!response.truncated).then(|| response.etag()).flatten();
            (
                DatasetCard::Text(String::from_utf8_lossy(&response.body).into()),
                etag,
            )
        }
        // The listing named the file: a 404 now is a fault, not "no card".
        Ok(response) => (
            DatasetCard::Unread(format!("HTTP {}", response.status.as_u16())),
            None,
        ),
        Err(e) => (DatasetCard::Unread(e.code().to_owned()), None),
    }
}

/// Branch names of a model from `GET /api/models/{id}/refs`: `Ok(None)` when the Hub refuses
/// to say (a 4xx: an answer, not a fault), `Err` with why when the lookup failed after its
/// retries or the answer is malformed.
async fn fetch_branches(client: &HubClient, id: &RepoId) -> Result<Option<Vec<String>>, String> {
    let url = format!("{}/api/models/{}/refs", client.base(), id.url_path());
    let response = client
        .get(&url, id.as_str(), MAX_JSON_BYTES)
        .await
        .map_err(|e| e.code().to_owned())?;
    if response.status.is_client_error() {
        return Ok(None);
    }
    if !response.status.is_success() {
        return Err(format!("HTTP {}", response.status.as_u16()));
    }
    if response.truncated {
        return Err("answer too large".to_owned());
    }
    let value: serde_json::Value =
        serde_json::from_slice(&response.body).map_err(|e| format!("malformed answer: {e}"))?;
    let branches = value
        .get("branches")
        .and_then(|b| b.as_array())
        .ok_or("malformed answer: no `branches` list")?;
    Ok(Some(
        branches
            .iter()
            .filter_map(|b| b.get("name")?.as_str())
            // A branch name is at most a git ref; anything longer is not one.
            .filter(|name| !name.is_empty() && name.len() <= 256)
            .map(str::to_owned)
            .collect(),
    ))
}
