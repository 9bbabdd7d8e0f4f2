//! Resolving the license a release is under and adding its properties to the evidence.

use super::kb::{KnowledgeBase, LicenseEntry};
use crate::evidence::{Evidence, Provenance, Value};
use crate::findings::{Code, Finding};

/// Ids that declare nothing by themselves.
const PLACEHOLDERS: &[&str] = &["other", "unknown"];

/// The knowledge-base entry the declared metadata names, if any: a declared Hub id, or the
/// `license_name` that accompanies `license: other`.
pub fn declared_entry<'kb>(kb: &'kb KnowledgeBase, ev: &Evidence) -> Option<&'kb LicenseEntry> {
    resolve(kb, ev.list("license.declared"), ev.str("license.name"))
}

/// The entry a repository's declared license ids and `license_name` name (also used for base
/// models and datasets): the first known id that is not a placeholder, else the name.
pub fn resolve<'kb>(
    kb: &'kb KnowledgeBase,
    declared: &[String],
    name: Option<&str>,
) -> Option<&'kb LicenseEntry> {
    declared
        .iter()
        .filter(|id| !PLACEHOLDERS.contains(&id.as_str()))
        .find_map(|id| kb.get(id))
        .or_else(|| name.and_then(|name| kb.get(name)))
        .or_else(|| declared.iter().find_map(|id| kb.get(id)))
}

/// Adds `license.id`, `license.category` and every property of the resolved license to the
/// evidence, each justified by the knowledge base; reports declared ids it does not know.
pub fn apply(kb: &KnowledgeBase, ev: &mut Evidence) {
    for id in ev.list("license.declared").to_vec() {
        if kb.get(&id).is_none() {
            ev.findings.push(
                Finding::new(
                    Code::LicenseUnknownId,
                    format!("declared license `{id}` is not in the knowledge base"),
                )
                .with_evidence(Provenance::api("cardData.license")),
            );
        }
    }
    let Some(entry) = declared_entry(kb, ev) else {
        return;
    };
    let from = ev
        .get("license.declared")
        .map(|f| f.provenance.clone())
        .unwrap_or_default();
    let mut provenance = from;
    if let Some(name) = ev.get("license.name")
        && kb
            .get(ev.str("license.name").unwrap_or(""))
            .is_some_and(|e| e.id == entry.id)
    {
        provenance.extend(name.provenance.clone());
    }
    set_entry(ev, entry, provenance);
}

/// Records `entry` as the release's license.
pub fn set_entry(ev: &mut Evidence, entry: &LicenseEntry, provenance: Vec<Provenance>) {
    ev.set_from("license.id", entry.id.clone(), provenance);
    let knowledge = |why: &str| Provenance::Knowledge {
        license: entry.id.clone(),
        why: why.to_owned(),
    };
    ev.set(
        "license.category",
        entry.category.as_str(),
        knowledge(&format!("{} is {}", entry.name, entry.category.as_str())),
    );
    let Some(p) = &entry.properties else { return };
    let mut set = |key: &'static str, value: Value, why: &str| ev.set(key, value, knowledge(why));
    set(
        "license.osi-approved",
        p.osi_approved.value.into(),
        &p.osi_approved.why,
    );
    set(
        "license.commercial-use",
        p.commercial_use.value.as_str().into(),
        &p.commercial_use.why,
    );
    set(
        "license.use-restrictions",
        p.use_restrictions.value.into(),
        &p.use_restrictions.why,
    );
    set(
        "license.use-policy",
        (p.use_restrictions.value && p.use_restrictions.via_policy).into(),
        &p.use_restrictions.why,
    );
    set(
        "license.user-threshold",
        Value::Int(i64::try_from(p.user_threshold.value).unwrap_or(i64::MAX)),
        &p.user_threshold.why,
    );
    set(
        "license.attribution",
        p.attribution.value.into(),
        &p.attribution.why,
    );
    set("license.naming", p.naming.value.into(), &p.naming.why);
    set(
        "license.output-restrictions",
        p.output_restrictions.value.into(),
        &p.output_restrictions.why,
    );
    set(
        "license.non-commercial",
        p.non_commercial.value.into(),
        &p.non_commercial.why,
    );
    set(
        "license.research-only",
        p.research_only.value.into(),
        &p.research_only.why,
    );
    set("license.copyleft", p.copyleft.value.into(), &p.copyleft.why);
    set(
        "license.derivatives",
        p.derivatives.value.into(),
        &p.derivatives.why,
    );
    set(
        "license.open-data",
        p.open_data.value.into(),
        &p.open_data.why,
    );
}
