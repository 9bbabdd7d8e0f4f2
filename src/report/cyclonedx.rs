//! `--format cyclonedx`: a CycloneDX 1.6 ML-BOM (JSON).
//!
//! - one `machine-learning-model` component per scorecard: `group`/`name` from the repo id,
//!   `version` = the audited commit, `purl` = `pkg:huggingface/{owner}/{name}@{revision}`
//!   (with `?repository_url=` for a Hub other than huggingface.co), also its `bom-ref`;
//! - `licenses`: each declared license (`acknowledgement: declared`) and the one the knowledge
//!   base resolved when it differs (`concluded`); `license.id` only when the knowledge-base entry
//!   has an SPDX id, else `license.name` (the license's full name) with its `url` and an
//!   `openness:license:id` property;
//! - `modelCard`: `modelParameters.datasets[].ref` to one `data` component per dataset the card
//!   names; `considerations.useCases` for the limits the license puts on use;
//! - `externalReferences`: the Hub page, the model card and license files at the commit, code
//!   repositories (`vcs`), arXiv papers (`documentation`);
//! - `pedigree.ancestors`: the declared base models;
//! - `properties`: the openness result (`openness:score`, `openness:dimension:<id>`, the license
//!   facts, the gate, the findings).
//!
//! Deterministic: no timestamp, and `serialNumber` is a UUID (version 8, RFC 9562) made from a
//! hash of the rest of the document, so the same audit gives the same bytes.

use super::{Report, commercial_use_text, links, value_text};
use crate::evidence::Value as EvidenceValue;
use crate::evidence::keys::{self, Key};
use crate::scorecard::LicenseRef;
use crate::scorecard::Scorecard;
use crate::text::points_text;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

pub const SPEC_VERSION: &str = "1.6";

pub fn render(report: &Report<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(&document(report)).expect("JSON values serialize");
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")
}

/// The BOM as a JSON value.
pub fn document(report: &Report<'_>) -> Value {
    let mut components = Vec::new();
    let mut datasets: BTreeMap<String, Value> = BTreeMap::new();
    let mut refs_taken: Vec<String> = Vec::new();
    for card in report.scorecards {
        let mut bom_ref = purl(card).unwrap_or_else(|| format!("model:{}", card.model));
        if refs_taken.contains(&bom_ref) {
            bom_ref = format!("{bom_ref}#{}", refs_taken.len() + 1);
        }
        refs_taken.push(bom_ref.clone());
        for dataset in dataset_list(card) {
            datasets
                .entry(dataset_ref(dataset))
                .or_insert_with(|| data_component(card, dataset));
        }
        components.push(model_component(card, &bom_ref));
    }
    components.extend(datasets.into_values());

    let mut metadata = json!({
        "tools": { "components": [ {
            "type": "application",
            "name": "openness",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Audits how open an AI model release is: weights, data, code and license.",
            "externalReferences": [ { "type": "vcs", "url": env!("CARGO_PKG_REPOSITORY") } ],
        } ] },
    });
    if !report.errors.is_empty() {
        metadata["properties"] = Value::Array(
            report
                .errors
                .iter()
                .map(|e| {
                    prop(
                        "openness:error",
                        format!("{}: {}: {}", e.model, e.code, e.message),
                    )
                })
                .collect(),
        );
    }
    let mut bom = json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": SPEC_VERSION,
        "version": 1,
        "metadata": metadata,
        "components": components,
    });
    let serial = serial_number(&bom);
    bom["serialNumber"] = Value::String(serial);
    bom
}

/// `urn:uuid:` + a version-8 UUID from a 128-bit FNV-1a hash of the document's compact JSON.
fn serial_number(bom: &Value) -> String {
    let text = serde_json::to_string(bom).expect("JSON values serialize");
    let mut bytes = fnv1a_128(text.as_bytes()).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn fnv1a_128(data: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013B;
    data.iter().fold(OFFSET, |hash, &byte| {
        (hash ^ u128::from(byte)).wrapping_mul(PRIME)
    })
}

/// `(owner, name)` of a Hub repo id.
fn split_id(id: &str) -> (Option<&str>, &str) {
    match id.split_once('/') {
        Some((owner, name)) => (Some(owner), name),
        None => (None, id),
    }
}

/// `pkg:huggingface/{owner}/{name}[@{revision}][?repository_url={endpoint}]` for a model from a
/// Hub (or the Hugging Face cache); `None` for a local folder.
pub fn purl(card: &Scorecard) -> Option<String> {
    let base = links::hub_base(card)?;
    let mut purl = hub_purl(&card.model);
    if let Some(revision) = &card.revision {
        purl.push('@');
        purl.push_str(&links::encode_path(&revision.to_ascii_lowercase()).replace('/', "%2F"));
    }
    if base != links::DEFAULT_HUB {
        purl.push_str("?repository_url=");
        purl.push_str(&base);
    }
    Some(purl)
}

fn hub_purl(id: &str) -> String {
    let segment = |s: &str| links::encode_path(s).replace('/', "%2F");
    match split_id(id) {
        (Some(owner), name) => format!("pkg:huggingface/{}/{}", segment(owner), segment(name)),
        (None, name) => format!("pkg:huggingface/{}", segment(name)),
    }
}

fn model_component(card: &Scorecard, bom_ref: &str) -> Value {
    let (owner, name) = match card.source.kind {
        "local" => (None, card.model.as_str()),
        _ => split_id(&card.model),
    };
    let mut c = Map::new();
    c.insert("type".into(), json!("machine-learning-model"));
    c.insert("bom-ref".into(), json!(bom_ref));
    if let Some(owner) = owner {
        c.insert("group".into(), json!(owner));
    }
    c.insert("name".into(), json!(name));
    if let Some(revision) = &card.revision {
        c.insert("version".into(), json!(revision));
    }
    c.insert(
        "description".into(),
        json!(format!(
            "Openness {} / {} under rubric {} {}",
            points_text(card.score),
            points_text(card.max),
            card.rubric.name,
            card.rubric.version
        )),
    );
    if let Some(purl) = purl(card) {
        c.insert("purl".into(), json!(purl));
    }
    let licenses = licenses(card);
    if !licenses.is_empty() {
        c.insert("licenses".into(), Value::Array(licenses));
    }
    let refs = external_references(card);
    if !refs.is_empty() {
        c.insert("externalReferences".into(), Value::Array(refs));
    }
    let ancestors = ancestors(card);
    if !ancestors.is_empty() {
        c.insert("pedigree".into(), json!({ "ancestors": ancestors }));
    }
    c.insert("modelCard".into(), model_card(card));
    c.insert("properties".into(), Value::Array(properties(card)));
    Value::Object(c)
}

fn license_object(entry: &LicenseRef, acknowledgement: &str) -> Value {
    match &entry.spdx {
        Some(spdx) => json!({ "license": { "id": spdx, "acknowledgement": acknowledgement } }),
        None => {
            let mut license = json!({
                "name": entry.name,
                "acknowledgement": acknowledgement,
                "properties": [ prop("openness:license:id", entry.id.clone()) ],
            });
            if let Some(url) = links::safe_external(&entry.url) {
                license["url"] = json!(url);
            }
            json!({ "license": license })
        }
    }
}

fn licenses(card: &Scorecard) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut entries: Vec<&str> = Vec::new();
    let push = |out: &mut Vec<Value>, value: Value| {
        if !out.contains(&value) {
            out.push(value);
        }
    };
    for declared in &card.license.declared {
        match declared.as_str() {
            "unknown" => {}
            "other" => {
                if let Some(name) = &card.license.name {
                    push(
                        &mut out,
                        json!({ "license": { "name": name, "acknowledgement": "declared" } }),
                    );
                }
            }
            id => match card.license.known(id) {
                Some(entry) => {
                    entries.push(&entry.id);
                    push(&mut out, license_object(entry, "declared"));
                }
                None => push(
                    &mut out,
                    json!({ "license": { "name": id, "acknowledgement": "declared" } }),
                ),
            },
        }
    }
    if let Some(id) = &card.license.id
        && !entries.contains(&id.as_str())
    {
        match card.license.known(id) {
            Some(entry) => push(&mut out, license_object(entry, "concluded")),
            None => push(
                &mut out,
                json!({ "license": { "name": id, "acknowledgement": "concluded" } }),
            ),
        }
    }
    out
}

fn external_references(card: &Scorecard) -> Vec<Value> {
    let mut refs = Vec::new();
    let mut push = |kind: &str, url: String, comment: Option<&str>| {
        let mut r = json!({ "type": kind, "url": url });
        if let Some(comment) = comment {
            r["comment"] = json!(comment);
        }
        refs.push(r);
    };
    if let Some(page) = links::model_page(card) {
        push("website", page, Some("Hub page"));
    }
    let card_present =
        matches!(card.fact(keys::CARD_PRESENT), Some(f) if f.value == EvidenceValue::Bool(true));
    if card_present && let Some(url) = links::file_url(card, "README.md", None) {
        push("model-card", url, None);
    }
    for file in &card.license.files {
        if let Some(url) = links::file_url(card, file, None) {
            push("license", url, None);
        }
    }
    for repo in evidence_list(card, keys::CODE_REPOSITORIES) {
        if let Some(url) = links::safe_external(repo) {
            push("vcs", url.to_owned(), None);
        }
    }
    for arxiv in evidence_list(card, keys::PAPER_ARXIV) {
        if arxiv
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-'))
        {
            push(
                "documentation",
                format!("https://arxiv.org/abs/{arxiv}"),
                Some("arXiv"),
            );
        }
    }
    refs
}

fn ancestors(card: &Scorecard) -> Vec<Value> {
    let from_hub = links::hub_base(card).is_some();
    evidence_list(card, keys::LINEAGE_BASE_MODELS)
        .iter()
        .map(|base| {
            let (owner, name) = split_id(base);
            let mut c = json!({ "type": "machine-learning-model", "name": name });
            if let Some(owner) = owner {
                c["group"] = json!(owner);
            }
            if from_hub {
                c["purl"] = json!(hub_purl(base));
            }
            c
        })
        .collect()
}

fn model_card(card: &Scorecard) -> Value {
    let mut model_card = Map::new();
    let datasets: Vec<Value> = dataset_list(card)
        .iter()
        .map(|d| json!({ "ref": dataset_ref(d) }))
        .collect();
    if !datasets.is_empty() {
        model_card.insert("modelParameters".into(), json!({ "datasets": datasets }));
    }
    let uses = use_limits(card);
    if !uses.is_empty() {
        model_card.insert("considerations".into(), json!({ "useCases": uses }));
    }
    Value::Object(model_card)
}

/// What the license says about using the model, as sentences, from the scorecard's properties.
fn use_limits(card: &Scorecard) -> Vec<String> {
    let Some(id) = &card.license.id else {
        return Vec::new();
    };
    let is = |key: &str| card.license.property(key) == Some(&EvidenceValue::Bool(true));
    let mut out = Vec::new();
    if card.license.properties.contains_key("commercial-use") {
        out.push(format!(
            "Commercial use under license {id}: {}.",
            commercial_use_text(card)
        ));
    }
    if is("research-only") {
        out.push(format!("Research use only (license {id})."));
    } else if is("non-commercial") {
        out.push(format!("Non-commercial use only (license {id})."));
    }
    if is("use-restrictions") {
        let policy = if is("use-policy") {
            ", in an acceptable-use policy the licensor can change"
        } else {
            ""
        };
        out.push(format!(
            "Field-of-use restrictions apply{policy} (license {id})."
        ));
    }
    if is("output-restrictions") {
        out.push(format!(
            "The use of outputs is restricted, e.g. to train other models (license {id})."
        ));
    }
    out
}

fn properties(card: &Scorecard) -> Vec<Value> {
    let mut props = vec![
        prop(
            "openness:rubric",
            format!("{} {}", card.rubric.name, card.rubric.version),
        ),
        prop("openness:score", points_text(card.score)),
        prop("openness:max", points_text(card.max)),
    ];
    for dim in &card.dimensions {
        props.push(prop(
            &format!("openness:dimension:{}", dim.id),
            points_text(dim.score),
        ));
        props.push(prop(
            &format!("openness:dimension:{}:max", dim.id),
            points_text(dim.max),
        ));
        if dim.unknown > 0 {
            props.push(prop(
                &format!("openness:dimension:{}:unknown", dim.id),
                dim.unknown.to_string(),
            ));
        }
    }
    if let Some(requested) = &card.requested {
        props.push(prop("openness:requested", requested.clone()));
    }
    props.push(prop("openness:source", card.source.kind.to_owned()));
    if let Some(id) = &card.license.id {
        props.push(prop("openness:license:id", id.clone()));
    }
    if let Some(category) = &card.license.category {
        props.push(prop("openness:license:category", category.clone()));
    }
    for (key, value) in &card.license.properties {
        props.push(prop(
            &format!("openness:license:{key}"),
            value_text(&value.value),
        ));
    }
    if let Some(gate) = &card.gate {
        props.push(prop("openness:gate", gate.clone()));
    }
    for f in &card.findings {
        props.push(prop(
            &format!("openness:finding:{}", f.code),
            format!("{}: {}", f.severity, f.message),
        ));
    }
    props
}

fn prop(name: &str, value: String) -> Value {
    json!({ "name": name, "value": value })
}

fn evidence_list(card: &Scorecard, key: Key) -> &[String] {
    match card.fact(key).map(|f| &f.value) {
        Some(EvidenceValue::List(items)) => items,
        _ => &[],
    }
}

fn dataset_list(card: &Scorecard) -> &[String] {
    evidence_list(card, keys::DATA_DATASETS)
}

fn dataset_ref(dataset: &str) -> String {
    format!("dataset:{dataset}")
}

fn data_component(card: &Scorecard, dataset: &str) -> Value {
    let mut data = json!({ "type": "dataset", "name": dataset });
    if let Some(url) = links::dataset_page(card, dataset) {
        data["contents"] = json!({ "url": url });
    }
    json!({
        "type": "data",
        "bom-ref": dataset_ref(dataset),
        "name": dataset,
        "data": [ data ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_are_uuids_from_the_content() {
        let a = serial_number(&json!({"a": 1}));
        let b = serial_number(&json!({"a": 2}));
        assert_ne!(a, b);
        assert_eq!(a, serial_number(&json!({"a": 1})));
        let uuid = a.strip_prefix("urn:uuid:").unwrap();
        let parts: Vec<&str> = uuid.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('8'), "{uuid}");
        assert!(matches!(&parts[3][..1], "8" | "9" | "a" | "b"), "{uuid}");
    }

    #[test]
    fn purl_segments_are_encoded() {
        assert_eq!(hub_purl("org/My Model"), "pkg:huggingface/org/My%20Model");
        assert_eq!(
            hub_purl("bert-base-uncased"),
            "pkg:huggingface/bert-base-uncased"
        );
    }
}
