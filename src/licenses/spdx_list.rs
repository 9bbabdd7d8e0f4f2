//! Entries for the licenses of the SPDX list that no hand-written entry covers, so that any
//! SPDX text (`openness license`) or id (`license: 0BSD`) is known.
//!
//! Their properties come from the list's flags alone — OSI-approved, FSF-libre, copyleft,
//! deprecated — and from what the SPDX id says (`-NC`, `-ND`); they were not read clause by
//! clause, and every `why` says so. A license that neither the OSI nor the FSF approves is
//! taken as `restricted` with conditional commercial use: a gate should make a person read it.

use super::kb::{Category, Kind, KnowledgeBase, LicenseEntry};
use super::properties::{Commercial, Prop, Properties, UseRestrictions};
use std::sync::Arc;

/// A derived entry for every SPDX license the knowledge base does not already cover, in the
/// list's order.
pub fn derived_entries(kb: &KnowledgeBase) -> Vec<LicenseEntry> {
    let whys = Whys::new();
    spdx::identifiers::LICENSES
        .iter()
        .filter(|l| !l.name.ends_with('+') && kb.position(l.name).is_none())
        .filter_map(|l| spdx::license_id(l.name))
        .map(|id| entry(id, &whys))
        .collect()
}

/// The category the SPDX flags and id imply.
pub fn category_of(id: spdx::LicenseId) -> Category {
    let terms = Terms::of(id);
    if terms.non_commercial {
        Category::NonCommercial
    } else if terms.free && !terms.no_derivatives {
        Category::Open
    } else {
        Category::Restricted
    }
}

/// What the SPDX list says of a license.
struct Terms {
    free: bool,
    non_commercial: bool,
    no_derivatives: bool,
}

impl Terms {
    fn of(id: spdx::LicenseId) -> Terms {
        let name = id.name;
        let full = id.full_name.to_ascii_lowercase();
        let has = |part: &str| name.split('-').any(|p| p == part);
        Terms {
            free: id.is_osi_approved() || id.is_fsf_free_libre(),
            non_commercial: has("NC")
                || full.contains("non-commercial")
                || full.contains("noncommercial"),
            no_derivatives: has("ND") || full.contains("noderivatives"),
        }
    }
}

/// The shared clauses (one allocation each for every derived entry).
struct Whys {
    free: Arc<str>,
    not_free: Arc<str>,
    osi: Arc<str>,
    not_osi: Arc<str>,
    copyleft: Arc<str>,
    not_copyleft: Arc<str>,
    nc: Arc<str>,
    nd: Arc<str>,
    derivatives: Arc<str>,
    attribution: Arc<str>,
    none: Arc<str>,
    software: Arc<str>,
    data: Arc<str>,
}

impl Whys {
    fn new() -> Whys {
        let a = |s: &str| -> Arc<str> { s.into() };
        Whys {
            free: a(
                "SPDX list: OSI-approved or FSF-libre, so no limit on commercial use or fields of use (derived from the SPDX flags, not read clause by clause).",
            ),
            not_free: a(
                "SPDX list: neither OSI-approved nor FSF-libre; its terms may limit use, so commercial use is taken as conditional (not read clause by clause).",
            ),
            osi: a("SPDX list: OSI-approved."),
            not_osi: a("SPDX list: not OSI-approved."),
            copyleft: a(
                "SPDX list: a copyleft license (derived from the SPDX flags, not read clause by clause).",
            ),
            not_copyleft: a(
                "SPDX list: not flagged copyleft (derived from the SPDX flags, not read clause by clause).",
            ),
            nc: a(
                "The SPDX id marks the license NonCommercial (-NC): commercial use is not granted (not read clause by clause).",
            ),
            nd: a(
                "The SPDX id marks the license NoDerivatives (-ND): adaptations may not be shared (not read clause by clause).",
            ),
            derivatives: a(
                "Not marked NoDerivatives on the SPDX list (not read clause by clause).",
            ),
            attribution: a(
                "Assumed: licenses on the SPDX list generally require keeping the copyright and license notices (not read clause by clause).",
            ),
            none: a("Not known from the SPDX list; read the text (not read clause by clause)."),
            software: a("Not a data license by its SPDX name (not read clause by clause)."),
            data: a("A data or content license by its SPDX name (not read clause by clause)."),
        }
    }
}

fn entry(id: spdx::LicenseId, w: &Whys) -> LicenseEntry {
    let terms = Terms::of(id);
    let prop = |value: bool, why: &Arc<str>| Prop {
        value,
        why: Arc::clone(why),
    };
    let commercial = if terms.non_commercial {
        Prop {
            value: Commercial::No,
            why: Arc::clone(&w.nc),
        }
    } else if terms.free {
        Prop {
            value: Commercial::Yes,
            why: Arc::clone(&w.free),
        }
    } else {
        Prop {
            value: Commercial::Conditional,
            why: Arc::clone(&w.not_free),
        }
    };
    let data = ["CC", "CDLA", "ODC", "ODbL", "PDDL", "OGL", "OGDL", "DL"]
        .iter()
        .any(|p| id.name.starts_with(p));
    let properties = Properties {
        osi_approved: prop(
            id.is_osi_approved(),
            if id.is_osi_approved() {
                &w.osi
            } else {
                &w.not_osi
            },
        ),
        commercial_use: commercial,
        use_restrictions: UseRestrictions {
            value: !terms.free && !terms.non_commercial,
            via_policy: false,
            why: Arc::clone(if terms.free { &w.free } else { &w.none }),
        },
        user_threshold: Prop {
            value: 0,
            why: Arc::clone(&w.none),
        },
        attribution: prop(true, &w.attribution),
        naming: prop(false, &w.none),
        output_restrictions: prop(false, &w.none),
        non_commercial: prop(
            terms.non_commercial,
            if terms.non_commercial { &w.nc } else { &w.none },
        ),
        research_only: prop(false, &w.none),
        copyleft: prop(
            id.is_copyleft(),
            if id.is_copyleft() {
                &w.copyleft
            } else {
                &w.not_copyleft
            },
        ),
        derivatives: prop(
            !terms.no_derivatives,
            if terms.no_derivatives {
                &w.nd
            } else {
                &w.derivatives
            },
        ),
        open_data: prop(data, if data { &w.data } else { &w.software }),
    };
    let deprecated = if id.is_deprecated() {
        " Deprecated on the SPDX list: prefer its current id."
    } else {
        ""
    };
    LicenseEntry {
        id: id.name.to_owned(),
        spdx: Some(id.name.to_owned()),
        name: id.full_name.to_owned(),
        family: id.base().to_ascii_lowercase(),
        version: id.version().map(str::to_owned),
        effective: None,
        revision_of: None,
        refines: None,
        includes: Vec::new(),
        url: format!("https://spdx.org/licenses/{}.html", id.name),
        kind: Kind::License,
        category: category_of(id),
        aliases: Vec::new(),
        policies: Vec::new(),
        superseded_by: None,
        notes: Some(format!(
            "From the SPDX License List {} (OSI-approved: {}, FSF-libre: {}, copyleft: {}); properties derived from those flags, not read clause by clause.{deprecated}",
            spdx::identifiers::VERSION,
            yes_no(id.is_osi_approved()),
            yes_no(id.is_fsf_free_libre()),
            yes_no(id.is_copyleft()),
        )),
        properties: Some(properties),
        signatures: Vec::new(),
        from_spdx_list: true,
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spdx_id_is_known_and_hand_written_entries_win() {
        let kb = KnowledgeBase::embedded();
        for l in spdx::identifiers::LICENSES {
            assert!(kb.get(l.name).is_some(), "{} is unknown", l.name);
        }
        // Hand-written entries keep their ids and properties.
        assert_eq!(kb.get("MIT").unwrap().id, "mit");
        assert_eq!(kb.get("GPL-2.0-only").unwrap().id, "gpl-2.0");
        assert!(!kb.get("Apache-2.0").unwrap().from_spdx_list);
        let bsd0 = kb.get("0BSD").unwrap();
        assert!(bsd0.from_spdx_list);
        assert_eq!(bsd0.category, Category::Open);
        let p = bsd0.properties.as_ref().unwrap();
        assert!(p.osi_approved.value);
        assert!(p.osi_approved.why.contains("SPDX"));
    }

    #[test]
    fn categories_follow_the_flags_and_the_id() {
        let cat = |id: &str| category_of(spdx::license_id(id).unwrap());
        assert_eq!(cat("Zlib"), Category::Open);
        assert_eq!(cat("CC-BY-NC-ND-2.5"), Category::NonCommercial);
        assert_eq!(cat("CC-BY-ND-3.0"), Category::Restricted);
        assert_eq!(cat("Beerware"), Category::Restricted);
    }
}
