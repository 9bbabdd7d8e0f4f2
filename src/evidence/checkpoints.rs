//! Intermediate checkpoints: branches of the repository (refs API) that hold training
//! snapshots, recognised by name with the patterns of `data/recognition.toml`.

use super::facts::Evidence;
use super::keys;
use super::provenance::Provenance;
use super::recognition::tables;
use crate::hub::Release;

pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let Some(branches) = &release.related.branches else {
        return;
    };
    let table = tables();
    let at = Provenance::api("refs.branches");
    let mut others: Vec<String> = branches.iter().filter(|b| *b != "main").cloned().collect();
    others.sort();
    others.dedup();
    let intermediate: Vec<String> = others
        .iter()
        .filter(|b| table.intermediate_checkpoint(b))
        .cloned()
        .collect();
    ev.set(
        keys::CHECKPOINTS_PUBLISHED,
        !intermediate.is_empty(),
        at.clone(),
    );
    ev.set(keys::CHECKPOINTS_BRANCHES, others, at.clone());
    ev.set(keys::CHECKPOINTS_INTERMEDIATE, intermediate, at);
}
