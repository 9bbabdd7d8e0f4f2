//! The base model as a release of its own: the lineage walk already looked it up, so its gate,
//! weight files and named datasets are facts like the release's (OSAI rates the base model's
//! weights and data separately from the end model's).
//!
//! The base judged is the root of the walked chain, the model the others derive from. A base
//! the Hub does not serve (404 or private) is `not-on-hub`; the rubric then closes it, unless
//! the release's own publisher made it (an earlier stage of the same release: an SFT step
//! before the DPO model), where the release's own facts stand for it, marked as inferred.

use super::declared::{Declared, tag_values};
use super::facts::Evidence;
use super::keys;
use super::provenance::Provenance;
use super::value::Value;
use super::weights;
use crate::hub::related::Ancestor;
use crate::hub::{Gate, Lookup, ModelInfo, Release};

pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let Some(lineage) = &release.related.lineage else {
        return;
    };
    let Some(root) = lineage.ancestors.iter().max_by_key(|a| a.depth) else {
        return;
    };
    let at = Provenance::related(root.id.clone(), "id");
    ev.set(keys::BASE_ID, root.id.clone(), at.clone());
    let publisher = |id: &str| id.split('/').next().unwrap_or("").to_ascii_lowercase();
    ev.set(
        keys::BASE_SAME_PUBLISHER,
        publisher(&root.id) == publisher(&release.id),
        Provenance::derived("the base model's owner compared with the release's"),
    );
    match &root.lookup {
        Lookup::Found(info) => found(root, info, ev),
        Lookup::Missing | Lookup::Disabled => {
            ev.set(keys::BASE_WEIGHTS, "not-on-hub", at);
        }
        Lookup::Gated => ev.set(
            keys::BASE_WEIGHTS,
            "gated",
            Provenance::related(root.id.clone(), "gated"),
        ),
        // A lookup that failed leaves every base fact unknown; the lineage walk already
        // reported it (ancestor-unavailable: retry).
        Lookup::Failed(_) | Lookup::NotCached => {}
    }
}

fn found(root: &Ancestor, info: &ModelInfo, ev: &mut Evidence) {
    let repo = root.id.clone();
    if let Some(siblings) = &info.siblings {
        let files = weights::summarize(siblings).files;
        let weights = match (files, info.gated) {
            (0, _) => "not-published",
            (_, Some(Gate::Auto | Gate::Manual)) => "gated",
            _ => "public",
        };
        ev.set_from(
            keys::BASE_WEIGHTS,
            weights,
            vec![
                Provenance::related(repo.clone(), "siblings"),
                Provenance::related(repo.clone(), "gated"),
            ],
        );
    }
    let mut datasets = Declared::of_related(&repo, info).datasets.value;
    for tag in tag_values(&info.tags, "dataset:") {
        if !datasets.iter().any(|d| d == tag) {
            datasets.push(tag.to_owned());
        }
    }
    ev.set(
        keys::BASE_DATASETS,
        Value::List(datasets),
        Provenance::related(repo, "cardData.datasets"),
    );
}
