//! Lineage: the base models a model declares, and the chain of ancestors the audit walked.
//! What the ancestors' licenses mean for the release is `licenses::lineage`'s job.

use super::declared::Declared;
use super::facts::Evidence;
use super::findings::{Code, Finding};
use super::keys;
use super::provenance::Provenance;
use crate::hub::Release;
use crate::hub::related::{Ancestor, Lookup};

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
        ev.findings.push(
            Finding::new(
                Code::LineageCycle,
                format!("the base models form a cycle: {}", cycle.join(" → ")),
            )
            .with_evidence(Provenance::related(
                cycle[cycle.len().saturating_sub(2)].clone(),
                "cardData.base_model",
            )),
        );
    }
    for ancestor in &lineage.ancestors {
        if let Some(why) = unavailable(ancestor) {
            ev.findings.push(
                Finding::new(
                    Code::AncestorUnavailable,
                    format!(
                        "base model `{}` (of `{}`) {why}; the terms it passes down are unknown",
                        ancestor.id, ancestor.child
                    ),
                )
                .with_evidence(Provenance::derived(format!(
                    "GET /api/models/{}",
                    ancestor.id
                ))),
            );
        }
    }
    for (child, value) in &lineage.invalid {
        ev.findings.push(
            Finding::new(
                Code::AncestorUnavailable,
                format!("base model `{value}` (of `{child}`) is not a Hub model id"),
            )
            .with_evidence(Provenance::related(child.clone(), "cardData.base_model")),
        );
    }
    if lineage.truncated {
        ev.findings.push(Finding::new(
            Code::LineageTooDeep,
            format!(
                "the base-model chain was followed for {} ancestors and stopped there",
                lineage.ancestors.len()
            ),
        ));
    }
}

fn unavailable(ancestor: &Ancestor) -> Option<String> {
    match &ancestor.lookup {
        Lookup::Found(_) => None,
        Lookup::Missing => Some("is not on the Hub (404, or private)".to_owned()),
        Lookup::Gated => Some("is gated and its metadata could not be read".to_owned()),
        Lookup::Disabled => Some("is disabled on the Hub".to_owned()),
        Lookup::Failed(why) => Some(format!("could not be read ({why})")),
    }
}
