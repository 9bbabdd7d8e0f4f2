//! Metadata for a list of named models through their authors' listings: 200 ids of 25
//! organisations cost a page per organisation instead of a call per model.
//!
//! The listing costs one request per page whoever asks, so it is used only where it is cheaper:
//! an author is listed when two or more of its models are asked for, and its listing is read for
//! fewer pages than the models asked (stopping as soon as all are found). An author with one
//! model asked — or with thousands of models and a few asked, whose listing would run past that
//! budget — gets per-model calls for whatever the listing did not give.

use super::api::ModelInfo;
use super::client::HubClient;
use super::listing::{ListQuery, Next, list_where};
use super::model_ref::RepoId;
use std::collections::{BTreeMap, HashMap, HashSet};

/// What the listings found, by lowercased id (Hub ids are case-insensitive).
#[derive(Debug, Default)]
pub struct ByAuthor {
    pub found: HashMap<String, ModelInfo>,
    /// Listing pages read.
    pub pages: usize,
}

/// Fetches the listing metadata of `ids` (ids without a revision: a listing describes `main`)
/// author by author, concurrently; ids it does not find are left to per-model calls.
pub async fn list_named(client: &HubClient, ids: &[RepoId]) -> ByAuthor {
    let mut groups: BTreeMap<String, (String, HashSet<String>)> = BTreeMap::new();
    for id in ids {
        let Some((owner, _)) = id.as_str().split_once('/') else {
            continue; // a legacy id without an owner has no author to list
        };
        let entry = groups
            .entry(owner.to_ascii_lowercase())
            .or_insert_with(|| (owner.to_owned(), HashSet::new()));
        entry.1.insert(id.as_str().to_ascii_lowercase());
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (owner, wanted) in groups.into_values() {
        if wanted.len() < 2 {
            continue;
        }
        let client = client.clone();
        tasks.spawn(async move { list_author(&client, owner, wanted).await });
    }
    let mut out = ByAuthor::default();
    while let Some(joined) = tasks.join_next().await {
        let (found, pages) = joined.expect("listing task does not panic");
        out.pages += pages;
        out.found.extend(found);
    }
    out
}

async fn list_author(
    client: &HubClient,
    owner: String,
    wanted: HashSet<String>,
) -> (Vec<(String, ModelInfo)>, usize) {
    // Fewer pages than per-model calls, or the listing is not the cheaper way.
    let budget = wanted.len() - 1;
    let query = ListQuery::Author(owner);
    let mut missing = wanted.clone();
    let keep = |info: &ModelInfo| {
        info.id
            .as_deref()
            .is_some_and(|id| wanted.contains(&id.to_ascii_lowercase()))
    };
    let next = |page: &[ModelInfo]| {
        for info in page {
            if let Some(id) = &info.id {
                missing.remove(&id.to_ascii_lowercase());
            }
        }
        if missing.is_empty() {
            Next::Stop
        } else {
            Next::Continue
        }
    };
    match list_where(client, &query, budget, keep, next).await {
        Ok(listed) => {
            let found = listed
                .models
                .into_iter()
                .filter_map(|info| Some((info.id.as_deref()?.to_ascii_lowercase(), info)))
                .collect();
            (found, listed.pages)
        }
        // A listing that fails leaves its models to per-model calls, which report their own
        // errors.
        Err(_) => (Vec::new(), 1),
    }
}
