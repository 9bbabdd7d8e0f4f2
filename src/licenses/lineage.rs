//! What the base models' licenses mean for a release: each ancestor's license, the most
//! restrictive terms that bind derivatives (a fine-tune of Llama 3.1 carries the Llama 3.1
//! license whatever it declares), the duties they bring, and license drift.

use super::apply::resolve;
use super::kb::{Category, Commercial, KnowledgeBase, LicenseEntry, Properties};
use crate::evidence::declared::Declared;
use crate::evidence::findings::Finding;
use crate::evidence::keys;
use crate::evidence::{Evidence, Provenance};
use crate::hub::Release;
use std::sync::Arc;

/// One ancestor whose metadata was read, with the license it resolves to.
struct Known<'kb> {
    id: String,
    entry: Option<&'kb LicenseEntry>,
}

pub fn apply(kb: &KnowledgeBase, release: &Release, ev: &mut Evidence) {
    let Some(lineage) = &release.related.lineage else {
        return;
    };
    if lineage.ancestors.is_empty() {
        return;
    }
    let mut unknown = !lineage.invalid.is_empty();
    let mut known: Vec<Known<'_>> = Vec::new();
    let mut listed = Vec::new();
    let mut provenance = Vec::new();
    for ancestor in &lineage.ancestors {
        let Some(info) = ancestor.lookup.info() else {
            unknown = true;
            listed.push(format!("{}: unknown", ancestor.id));
            continue;
        };
        let declared = Declared::of_related(&ancestor.id, info);
        let entry = resolve(kb, &declared.licenses.value, declared.license_name());
        let shown = entry
            .map(|e| e.id.clone())
            .or_else(|| declared.license_name().map(str::to_owned))
            .or_else(|| declared.licenses.value.first().cloned())
            .unwrap_or_else(|| "unknown".to_owned());
        if entry.is_none_or(|e| e.category == Category::Unknown) {
            unknown = true;
        }
        listed.push(format!("{}: {shown}", ancestor.id));
        provenance.push(Provenance::related(ancestor.id.clone(), "cardData.license"));
        known.push(Known {
            id: ancestor.id.clone(),
            entry,
        });
    }
    if provenance.is_empty() {
        provenance.push(Provenance::derived("no ancestor could be read"));
    }
    ev.set_from(keys::LINEAGE_ANCESTOR_LICENSES, listed, provenance);

    set_inherited(&known, unknown, ev);
    set_drift(kb, &known, ev);
}

/// Rank of the terms a license passes down to derivatives: open licenses without share-alike
/// pass nothing down; share-alike, restricted and non-commercial ones bind derivatives.
fn binding_rank(entry: &LicenseEntry) -> u8 {
    let copyleft = entry.properties.as_ref().is_some_and(|p| p.copyleft.value);
    match entry.category {
        Category::NonCommercial => 3,
        Category::Restricted => 2,
        Category::Open if copyleft => 1,
        Category::Open | Category::Unknown => 0,
    }
}

fn set_inherited(known: &[Known<'_>], unknown: bool, ev: &mut Evidence) {
    // The most binding license; the nearest ancestor wins ties (the chain is parents first).
    let mut best: Option<(&Known<'_>, &LicenseEntry)> = None;
    for k in known {
        if let Some(entry) = k.entry
            && binding_rank(entry) > best.map_or(0, |(_, e)| binding_rank(e))
        {
            best = Some((k, entry));
        }
    }
    let Some((from, entry)) = best else {
        if !unknown {
            ev.set(
                keys::LINEAGE_INHERITED_LICENSE,
                "none",
                Provenance::derived("every ancestor's license is open without share-alike"),
            );
        }
        return;
    };
    ev.set_from(
        keys::LINEAGE_INHERITED_LICENSE,
        entry.id.clone(),
        vec![
            Provenance::related(from.id.clone(), "cardData.license"),
            Provenance::Knowledge {
                license: entry.id.clone(),
                why: format!(
                    "{} is {}: its conditions keep applying to models derived from {}",
                    entry.name,
                    entry.category.as_str(),
                    from.id
                )
                .into(),
            },
        ],
    );
    let Some(p) = &entry.properties else { return };
    let (duties, provenance) = obligations(&entry.id, p);
    ev.set_from(keys::LINEAGE_INHERITED_OBLIGATIONS, duties, provenance);
}

/// The duties a license brings, each justified by its clause.
fn obligations(license: &str, p: &Properties) -> (Vec<String>, Vec<Provenance>) {
    let mut duties = Vec::new();
    let mut provenance = Vec::new();
    for row in p.rows() {
        if let Some(duty) = row.def.duty_for(row.value) {
            duties.push(duty.to_owned());
            provenance.push(Provenance::Knowledge {
                license: license.to_owned(),
                why: Arc::clone(row.why),
            });
        }
    }
    if provenance.is_empty() {
        provenance.push(Provenance::Knowledge {
            license: license.to_owned(),
            why: "no duties beyond the license itself".into(),
        });
    }
    (duties, provenance)
}

/// Openness of a category: open > restricted > non-commercial.
fn openness(category: Category) -> Option<u8> {
    match category {
        Category::Open => Some(2),
        Category::Restricted => Some(1),
        Category::NonCommercial => Some(0),
        Category::Unknown => None,
    }
}

/// Why the release's license grants more than the ancestor's allows (empty: it does not).
fn drift(
    own: &LicenseEntry,
    own_p: &Properties,
    anc: &LicenseEntry,
    anc_p: &Properties,
) -> Vec<String> {
    let mut reasons = Vec::new();
    if let (Some(a), Some(b)) = (openness(own.category), openness(anc.category))
        && a > b
    {
        reasons.push(format!(
            "{} is {} but {} is {}",
            own.id,
            own.category.as_str(),
            anc.id,
            anc.category.as_str()
        ));
    }
    if own_p.commercial_use.value == Commercial::Yes
        && anc_p.commercial_use.value != Commercial::Yes
    {
        reasons.push(format!(
            "commercial use: yes vs {}",
            anc_p.commercial_use.value.as_str()
        ));
    }
    if !own_p.use_restrictions.value && anc_p.use_restrictions.value {
        reasons.push("no field-of-use restrictions vs restrictions".to_owned());
    }
    if anc_p.copyleft.value && !own_p.copyleft.value && own.id != anc.id {
        reasons.push(format!(
            "{} requires derivatives to keep it (share-alike)",
            anc.id
        ));
    }
    reasons
}

fn set_drift(kb: &KnowledgeBase, known: &[Known<'_>], ev: &mut Evidence) {
    let Some(own) = ev.str(keys::LICENSE_ID).and_then(|id| kb.get(id)) else {
        return;
    };
    let Some(own_p) = &own.properties else { return };
    let own_at = ev
        .get(keys::LICENSE_ID)
        .map(|f| f.provenance.clone())
        .unwrap_or_default();
    let mut compared = false;
    let mut drifted: Vec<Provenance> = Vec::new();
    let mut reported: Vec<&str> = Vec::new();
    for k in known {
        let Some(anc) = k.entry else { continue };
        let Some(anc_p) = &anc.properties else {
            continue;
        };
        if openness(anc.category).is_none() {
            continue;
        }
        compared = true;
        let reasons = drift(own, own_p, anc, anc_p);
        if reasons.is_empty() {
            continue;
        }
        let anc_at = Provenance::related(k.id.clone(), "cardData.license");
        drifted.push(anc_at.clone());
        // One finding per distinct ancestor license, at the nearest ancestor that has it.
        if reported.contains(&anc.id.as_str()) {
            continue;
        }
        reported.push(&anc.id);
        let mut at = own_at.clone();
        at.push(anc_at);
        at.push(Provenance::Knowledge {
            license: anc.id.clone(),
            why: anc_p.commercial_use.why.clone(),
        });
        let finding = Finding::license_drift(&own.id, &k.id, &anc.id, &reasons, at);
        ev.findings.push(finding);
    }
    if !compared {
        return;
    }
    let mut provenance = own_at;
    if drifted.is_empty() {
        provenance.push(Provenance::derived(
            "no ancestor license is more restrictive than the declared one",
        ));
    } else {
        provenance.extend(drifted);
    }
    ev.set_from(
        keys::LINEAGE_LICENSE_DRIFT,
        !reported.is_empty(),
        provenance,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(own: &str, anc: &str) -> Vec<String> {
        let kb = KnowledgeBase::embedded();
        let (own, anc) = (kb.get(own).unwrap(), kb.get(anc).unwrap());
        drift(
            own,
            own.properties.as_ref().unwrap(),
            anc,
            anc.properties.as_ref().unwrap(),
        )
    }

    #[test]
    fn drift_rules() {
        assert_eq!(reasons("mit", "llama3.1").len(), 3);
        assert_eq!(reasons("apache-2.0", "cc-by-nc-4.0").len(), 2);
        assert!(reasons("llama3.1", "llama3.1").is_empty());
        assert!(reasons("mit", "apache-2.0").is_empty());
        assert!(reasons("llama3.1", "apache-2.0").is_empty());
        assert_eq!(
            reasons("mit", "gpl-3.0"),
            ["gpl-3.0 requires derivatives to keep it (share-alike)"]
        );
    }

    #[test]
    fn binding_ranks() {
        let kb = KnowledgeBase::embedded();
        let rank = |id| binding_rank(kb.get(id).unwrap());
        assert_eq!(rank("mit"), 0);
        assert_eq!(rank("gpl-3.0"), 1);
        assert_eq!(rank("llama3.1"), 2);
        assert_eq!(rank("cc-by-nc-4.0"), 3);
    }
}
