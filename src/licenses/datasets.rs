//! The licenses the named Hub datasets declare, as knowledge-base ids where known, and which of
//! them the knowledge base does not class open.

use super::kb::{Category, KnowledgeBase};
use crate::evidence::declared::Declared;
use crate::evidence::keys;
use crate::evidence::{Evidence, Provenance};
use crate::hub::Release;

/// `data.datasets-licenses`: every license id the datasets found on the Hub declare
/// (`cardData.license`, `license:` tags), normalised through the knowledge base, else raw.
pub fn apply(kb: &KnowledgeBase, release: &Release, ev: &mut Evidence) {
    let Some(lookups) = &release.related.datasets else {
        return;
    };
    let mut ids: Vec<String> = Vec::new();
    let mut provenance = Vec::new();
    for lookup in lookups {
        let Some(info) = lookup.lookup.info() else {
            continue;
        };
        let declared = Declared::of_related(&lookup.id, info).licenses.value;
        if !declared.is_empty() {
            provenance.push(Provenance::related(
                format!("datasets/{}", lookup.id),
                "cardData.license",
            ));
        }
        for id in declared {
            let id = kb.get(&id).map_or(id, |entry| entry.id.clone());
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    ids.sort();
    if provenance.is_empty() {
        provenance.push(Provenance::derived("GET /api/datasets/{id}"));
    }
    let not_open: Vec<String> = ids
        .iter()
        .filter(|id| kb.get(id).is_some_and(|e| e.category != Category::Open))
        .cloned()
        .collect();
    ev.set_from(
        keys::DATA_DATASETS_LICENSES_NOT_OPEN,
        not_open,
        vec![Provenance::derived(
            "data.datasets-licenses, each id's category in the license knowledge base",
        )],
    );
    ev.set_from(keys::DATA_DATASETS_LICENSES, ids, provenance);
}
