//! Lineage: the base models a model declares, and the chain of ancestors the audit walked.
//! What the ancestors' licenses mean for the release is `licenses::lineage`'s job.

use super::declared::Declared;
use super::facts::Evidence;
use super::findings::Finding;
use super::keys;
use super::provenance::Provenance;
use crate::hub::Release;

/// `lineage.base-models` and `lineage.relation`, as the release declares them.
pub(super) fn declared(release: &Release, declared: &Declared, ev: &mut Evidence) {
    let mut bases: Vec<String> = declared
        .bases
        .value
        .iter()
        .map(|b| b.id.clone())
        .filter(|b| b != &release.id)
        .collect();
    if declared.bases.value.is_empty() {
        return;
    }
    bases.sort();
    let at = declared.bases.at.clone();
    ev.set_from(keys::LINEAGE_BASE_MODELS, bases, at.clone());
    if let Some(relation) = &declared.relation {
        ev.set_from(keys::LINEAGE_RELATION, relation.clone(), at);
    }
}

/// `lineage.chain` and the findings about the walk: cycles, ancestors that could not be read,
/// a chain cut at the depth limit.
pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let Some(lineage) = &release.related.lineage else {
        return;
    };
    let mut provenance = ev
        .get(keys::LINEAGE_BASE_MODELS)
        .map(|f| f.provenance.clone())
        .unwrap_or_else(|| vec![Provenance::api("cardData.base_model")]);
    for ancestor in &lineage.ancestors {
        if ancestor.child != release.id {
            let at = Provenance::related(ancestor.child.clone(), "cardData.base_model");
            if !provenance.contains(&at) {
                provenance.push(at);
            }
        }
    }
    let chain: Vec<String> = lineage.ancestors.iter().map(|a| a.id.clone()).collect();
    ev.set_from(keys::LINEAGE_CHAIN, chain, provenance);

    for cycle in &lineage.cycles {
        ev.findings.push(Finding::lineage_cycle(cycle));
    }
    for ancestor in &lineage.ancestors {
        let lookup = &ancestor.lookup;
        if let Some(finding) = Finding::ancestor_unavailable(&ancestor.id, &ancestor.child, lookup)
        {
            ev.findings.push(finding);
        }
    }
    for (child, value) in &lineage.invalid {
        ev.findings.push(Finding::ancestor_invalid(value, child));
    }
    if lineage.truncated {
        ev.findings
            .push(Finding::lineage_too_deep(lineage.ancestors.len()));
    }
}
