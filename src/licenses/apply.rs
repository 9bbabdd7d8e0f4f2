//! Resolving the license a release is under — from its declaration and from the text of its
//! license files — and adding what that license means to the evidence.

use super::detect::Recognizer;
use super::expression;
use super::kb::{Kind, KnowledgeBase, LicenseEntry};
use super::properties::PropertyValue;
use super::revisions;
use crate::evidence::findings::Finding;
use crate::evidence::keys::{self, Key};
use crate::evidence::{Evidence, Provenance, TextRole, Value};
use crate::hub::Release;
use serde::Serialize;
use std::sync::Arc;

/// Ids that declare nothing by themselves.
const PLACEHOLDERS: &[&str] = &["other", "unknown"];

/// The knowledge-base entry the declared metadata names, if any: a declared Hub id, or the
/// `license_name` that accompanies `license: other`.
pub fn declared_entry<'kb>(kb: &'kb KnowledgeBase, ev: &Evidence) -> Option<&'kb LicenseEntry> {
    resolve(
        kb,
        ev.list(keys::LICENSE_DECLARED),
        ev.str(keys::LICENSE_NAME),
    )
}

/// The entry a repository's declared license ids and `license_name` name (also used for base
/// models and datasets): the first known id that is not a placeholder, else the name.
pub fn resolve<'kb>(
    kb: &'kb KnowledgeBase,
    declared: &[String],
    name: Option<&str>,
) -> Option<&'kb LicenseEntry> {
    let known = |id: &str| {
        kb.get(id)
            .or_else(|| expression::resolve(kb, id).map(|r| r.entry))
    };
    declared
        .iter()
        .filter(|id| !PLACEHOLDERS.contains(&id.as_str()))
        .find_map(|id| known(id))
        .or_else(|| name.and_then(known))
}

/// A license file and what its text was recognised as.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicenseText {
    pub path: String,
    pub role: TextRole,
    pub recognition: super::detect::Recognition,
}

/// Resolves the release's license and adds its properties to the evidence, with findings for
/// every contradiction between the declaration and the texts. Returns what each license file
/// was recognised as (a file may hold several licenses).
pub fn apply(
    kb: &KnowledgeBase,
    recognizer: &Recognizer,
    threshold: f32,
    release: &Release,
    ev: &mut Evidence,
) -> Vec<LicenseText> {
    let mut texts = Vec::new();
    let mut expression_at: Option<(expression::Resolved<'_>, Provenance)> = None;
    for id in ev.list(keys::LICENSE_DECLARED).to_vec() {
        if kb.get(&id).is_none() {
            let at = first_provenance(ev, keys::LICENSE_DECLARED);
            match expression::resolve(kb, &id) {
                Some(resolved) => expression_at = expression_at.or(Some((resolved, at))),
                None => ev.findings.push(Finding::license_id_unknown(&id, at)),
            }
        }
    }
    if let Some(name) = ev.str(keys::LICENSE_NAME).map(str::to_owned)
        && kb.get(&name).is_none()
        && let Some(resolved) = expression::resolve(kb, &name)
    {
        let at = ev
            .get(keys::LICENSE_NAME)
            .and_then(|f| f.provenance.first().cloned())
            .unwrap_or_else(|| Provenance::api("cardData.license_name"));
        expression_at = expression_at.or(Some((resolved, at)));
    } else if let Some(name) = ev.str(keys::LICENSE_NAME).map(str::to_owned)
        && kb.get(&name).is_none()
    {
        let at = ev
            .get(keys::LICENSE_NAME)
            .and_then(|f| f.provenance.first().cloned())
            .unwrap_or_else(|| Provenance::api("cardData.license_name"));
        ev.findings.push(Finding::license_name_unknown(&name, at));
    }
    if let Some((resolved, at)) = expression_at {
        ev.set(keys::LICENSE_EXPRESSION, resolved.expression.clone(), at);
        ev.set(
            keys::LICENSE_EXPRESSION_RESOLUTION,
            format!("`{}`: {}", resolved.entry.id, resolved.how),
            Provenance::derived("SPDX expression"),
        );
    }
    let declared = declared_entry(kb, ev);
    report_conflicting_name(kb, declared, ev);

    // Recognise every readable license file.
    let mut model_matches: Vec<(&LicenseEntry, Provenance)> = Vec::new();
    let mut policies: Vec<(&LicenseEntry, Provenance)> = Vec::new();
    let mut any_readable = false;
    for path in ev.list(keys::LICENSE_FILES).to_vec() {
        let Some(text) = release.file(&path).and_then(|f| f.text()) else {
            continue;
        };
        any_readable = true;
        let role = crate::evidence::recognition::tables().license_role(&path);
        let recognition = recognizer.recognize_with(text, threshold);
        for m in &recognition.matches {
            let Some(entry) = kb.get(&m.id) else { continue };
            let at = Provenance::file(&path, Some(m.line));
            match (entry.kind, role) {
                (Kind::UsePolicy, _) => policies.push((entry, at)),
                (Kind::License, TextRole::Model) => model_matches.push((entry, at)),
                (Kind::License, _) => {}
            }
        }
        if recognition.is_unknown() && matches!(role, TextRole::Model | TextRole::Policy) {
            // A distant "closest" text says nothing; only a near miss is worth naming.
            let closest = recognition
                .closest
                .as_ref()
                .filter(|(_, score)| *score >= 0.5)
                .map(|(id, score)| (id.as_str(), *score));
            ev.findings
                .push(Finding::license_unrecognized(&path, closest));
        }
        texts.push(LicenseText {
            path: path.clone(),
            role,
            recognition,
        });
    }
    model_matches.dedup_by(|a, b| a.0.id == b.0.id);

    let declared_provenance = {
        let mut p = ev
            .get(keys::LICENSE_DECLARED)
            .map(|f| f.provenance.clone())
            .unwrap_or_default();
        if declared.is_some_and(|d| {
            ev.str(keys::LICENSE_NAME)
                .and_then(|n| kb.get(n))
                .is_some_and(|e| e.id == d.id)
        }) {
            p.extend(
                ev.get(keys::LICENSE_NAME)
                    .map(|f| f.provenance.clone())
                    .unwrap_or_default(),
            );
        }
        p
    };
    let detected: Vec<String> = model_matches.iter().map(|(e, _)| e.id.clone()).collect();
    if !detected.is_empty() {
        let provenance = model_matches.iter().map(|(_, p)| p.clone()).collect();
        ev.set_from(keys::LICENSE_DETECTED, detected, provenance);
    }
    if !policies.is_empty() || any_readable {
        let provenance = policies.iter().map(|(_, p)| p.clone()).collect::<Vec<_>>();
        let ids: Vec<String> = policies.iter().map(|(e, _)| e.id.clone()).collect();
        let provenance = if provenance.is_empty() {
            vec![Provenance::derived("license files")]
        } else {
            provenance
        };
        ev.set_from(keys::LICENSE_POLICIES, ids, provenance);
    }

    let resolved = match (declared, model_matches.first()) {
        (None, None) => None,
        (Some(d), None) => Some((d, "declared", declared_provenance)),
        (Some(d), Some(_)) if model_matches.iter().any(|(e, _)| e.id == d.id) => {
            let mut p = declared_provenance;
            p.extend(
                model_matches
                    .iter()
                    .filter(|(e, _)| e.id == d.id)
                    .map(|(_, at)| at.clone()),
            );
            Some((d, "declared+text", p))
        }
        // An umbrella id (`cc`, `bsd`, `gpl`…) refined by the text: not a contradiction.
        (Some(d), Some((text, at))) if d.version.is_none() && d.family == text.family => {
            let mut p = declared_provenance;
            p.push(at.clone());
            Some((*text, "declared+text", p))
        }
        // Another revision of the declared license (or its `-or-later` form): the text says
        // which revision recipients are under; an older one than the id names is a finding.
        (Some(d), Some((text, at))) if revisions::same_license(d, text) => {
            if revisions::is_older(text, d) {
                let revision = d
                    .version
                    .as_deref()
                    .map_or_else(|| d.name.clone(), |v| format!("version {v}"));
                let declared_at = first_provenance(ev, keys::LICENSE_DECLARED);
                ev.findings.push(Finding::license_older_revision(
                    (&d.id, &revision, d.effective.as_deref().unwrap_or("?")),
                    &file_of(at),
                    (&text.id, text.effective.as_deref().unwrap_or("?")),
                    [declared_at, at.clone()],
                ));
            }
            let mut p = declared_provenance;
            p.push(at.clone());
            Some((*text, "declared+text", p))
        }
        (Some(d), Some((text, at))) => {
            let declared_at = first_provenance(ev, keys::LICENSE_DECLARED);
            ev.findings.push(Finding::license_mismatch(
                &d.id,
                &file_of(at),
                (&text.id, &text.name),
                [declared_at, at.clone()],
            ));
            Some((*text, "text", vec![at.clone()]))
        }
        (None, Some((text, at))) => Some((*text, "text", vec![at.clone()])),
    };

    let says_other = ev.list(keys::LICENSE_DECLARED).iter().any(|d| d == "other")
        || ev.str(keys::LICENSE_NAME).is_some();
    if resolved.is_none() && says_other && !model_matches_readable(&texts) {
        let at = first_provenance(ev, keys::LICENSE_DECLARED);
        ev.findings.push(Finding::license_text_missing(at));
    }

    let Some((entry, source, provenance)) = resolved else {
        return texts;
    };
    set_entry(ev, entry, provenance);
    ev.set(
        keys::LICENSE_SOURCE,
        source,
        Provenance::derived("declaration and license files"),
    );

    // Policies the license incorporates must ship with it (when the files could be read).
    if any_readable {
        for policy in &entry.policies {
            if !policies.iter().any(|(p, _)| &p.id == policy) {
                let name = kb.get(policy).map_or(policy.as_str(), |p| p.name.as_str());
                ev.findings
                    .push(Finding::use_policy_missing(&entry.id, (policy, name)));
            }
        }
    }
    texts
}

/// `license: apache-2.0` with `license_name: yi-license`: the card contradicts itself.
fn report_conflicting_name(kb: &KnowledgeBase, declared: Option<&LicenseEntry>, ev: &mut Evidence) {
    let (Some(declared), Some(name)) = (declared, ev.str(keys::LICENSE_NAME)) else {
        return;
    };
    let Some(named) = kb
        .get(name)
        .or_else(|| expression::resolve(kb, name).map(|r| r.entry))
    else {
        return;
    };
    let refines = (declared.version.is_none() && declared.family == named.family)
        || revisions::same_license(declared, named);
    if named.id != declared.id && !refines {
        let mut at = vec![first_provenance(ev, keys::LICENSE_DECLARED)];
        at.extend(
            ev.get(keys::LICENSE_NAME)
                .and_then(|f| f.provenance.first())
                .cloned(),
        );
        let finding =
            Finding::license_name_conflicts(&declared.id, name, (&named.id, &named.name), at);
        ev.findings.push(finding);
    }
}

/// True when a model license file was read but nothing in it was recognised (the
/// `license-unrecognized` finding already says so).
fn model_matches_readable(texts: &[LicenseText]) -> bool {
    texts.iter().any(|t| t.role == TextRole::Model)
}

fn first_provenance(ev: &Evidence, key: Key) -> Provenance {
    ev.get(key)
        .and_then(|f| f.provenance.first().cloned())
        .unwrap_or_else(|| Provenance::api("cardData.license"))
}

fn file_of(provenance: &Provenance) -> String {
    match provenance {
        Provenance::File { path, .. } => path.clone(),
        other => other.to_string(),
    }
}

/// Records `entry` as the release's license.
pub fn set_entry(ev: &mut Evidence, entry: &LicenseEntry, provenance: Vec<Provenance>) {
    ev.set_from(keys::LICENSE_ID, entry.id.clone(), provenance);
    let knowledge = |why: &Arc<str>| Provenance::Knowledge {
        license: entry.id.clone(),
        why: Arc::clone(why),
    };
    let entry_why: Arc<str> = "knowledge-base entry".into();
    ev.set(
        keys::LICENSE_TITLE,
        entry.name.clone(),
        knowledge(&entry_why),
    );
    if let Some(spdx) = &entry.spdx {
        ev.set(keys::LICENSE_SPDX, spdx.clone(), knowledge(&entry_why));
    }
    ev.set(
        keys::LICENSE_CATEGORY,
        entry.category.as_str(),
        knowledge(&format!("{} is {}", entry.name, entry.category.as_str()).into()),
    );
    let Some(p) = &entry.properties else { return };
    for row in p.rows() {
        let value = match row.value {
            PropertyValue::Bool(b) => Value::Bool(b),
            PropertyValue::Commercial(c) => c.as_str().into(),
            PropertyValue::Count(n) => Value::Int(i64::try_from(n).unwrap_or(i64::MAX)),
        };
        ev.set(row.def.evidence, value, knowledge(row.why));
    }
}
