//! Lineage: the base models a model declares, and the chain of ancestors the audit walked.
//! What the ancestors' licenses mean for the release is `licenses::lineage`'s job.

use super::{Evidence, Provenance};
use crate::evidence::keys;
use crate::findings::{Code, Finding};
use crate::hub::related::{Ancestor, Lookup};
use crate::hub::{ModelInfo, Release};
use serde_json::Value;

/// The relations the Hub knows between a model and its base.
pub const RELATIONS: &[&str] = &["finetune", "adapter", "quantized", "merge"];

/// A declared base model, with how the model derives from it when said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub id: String,
    pub relation: Option<String>,
}

/// The base models a model's metadata declares: `cardData.base_model` (a string or a list,
/// with `base_model_relation`) and the Hub's `base_model:[relation:]id` tags. Values of the
/// wrong type are skipped (the release's own `collect` reports them).
pub fn declared_bases(info: &ModelInfo) -> Vec<Base> {
    let card = info.card_data.as_ref();
    let relation = card
        .and_then(|c| c.get("base_model_relation"))
        .and_then(Value::as_str)
        .filter(|r| RELATIONS.contains(r))
        .map(str::to_owned);
    let mut bases: Vec<Base> = Vec::new();
    let mut add = |id: &str, relation: Option<String>| {
        let id = id.trim();
        if id.is_empty() {
            return;
        }
        match bases.iter_mut().find(|b| b.id.eq_ignore_ascii_case(id)) {
            Some(known) => {
                if known.relation.is_none() {
                    known.relation = relation;
                }
            }
            None => bases.push(Base {
                id: id.to_owned(),
                relation,
            }),
        }
    };
    match card.and_then(|c| c.get("base_model")) {
        Some(Value::String(id)) => add(id, relation.clone()),
        Some(Value::Array(items)) => {
            for id in items.iter().filter_map(Value::as_str) {
                add(id, relation.clone());
            }
        }
        _ => {}
    }
    for tag in info
        .tags
        .iter()
        .filter_map(|t| t.strip_prefix("base_model:"))
    {
        match tag.split_once(':') {
            Some((rel, id)) if RELATIONS.contains(&rel) => add(id, Some(rel.to_owned())),
            _ => add(tag, None),
        }
    }
    bases
}

/// The license ids a repository declares (`cardData.license` as a string or list, then
/// `license:` tags), lowercased, and its `license_name`.
pub fn declared_licenses(info: &ModelInfo) -> (Vec<String>, Option<String>) {
    let card = info.card_data.as_ref();
    let mut ids: Vec<String> = Vec::new();
    let mut add = |id: &str| {
        let id = id.trim().to_ascii_lowercase();
        if !id.is_empty() && !ids.contains(&id) {
            ids.push(id);
        }
    };
    match card.and_then(|c| c.get("license")) {
        Some(Value::String(id)) => add(id),
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).for_each(&mut add),
        _ => {}
    }
    info.tags
        .iter()
        .filter_map(|t| t.strip_prefix("license:"))
        .for_each(&mut add);
    let name = card
        .and_then(|c| c.get("license_name"))
        .and_then(Value::as_str)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    (ids, name)
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bases_from_card_data_and_tags() {
        let info = ModelInfo::from_json(&json!({
            "cardData": {"base_model": ["a/one", "b/two"], "base_model_relation": "merge"},
            "tags": ["base_model:a/one", "base_model:quantized:c/three", "base_model:merge:b/two"]
        }))
        .unwrap();
        let bases = declared_bases(&info);
        assert_eq!(
            bases,
            [
                Base {
                    id: "a/one".into(),
                    relation: Some("merge".into())
                },
                Base {
                    id: "b/two".into(),
                    relation: Some("merge".into())
                },
                Base {
                    id: "c/three".into(),
                    relation: Some("quantized".into())
                },
            ]
        );
    }

    #[test]
    fn licenses_from_card_data_and_tags() {
        let info = ModelInfo::from_json(&json!({
            "cardData": {"license": "other", "license_name": "Llama 3.1"},
            "tags": ["license:other", "license:MIT"]
        }))
        .unwrap();
        assert_eq!(
            declared_licenses(&info),
            (
                vec!["other".to_owned(), "mit".to_owned()],
                Some("Llama 3.1".to_owned())
            )
        );
    }
}
