//! What a license allows: the twelve properties every knowledge-base entry states, each with the
//! clause that justifies it, and [`PROPERTIES`] — the one table that says how each property is
//! named, shown and inherited. Fact setting, lineage obligations, `openness license` and the
//! renderers all read that table, so a property is added in one place.

use crate::evidence::keys::{self, Key};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Commercial {
    Yes,
    No,
    Conditional,
}

impl Commercial {
    pub fn as_str(self) -> &'static str {
        match self {
            Commercial::Yes => "yes",
            Commercial::No => "no",
            Commercial::Conditional => "conditional",
        }
    }
}

/// A property value with the clause that justifies it.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prop<T> {
    pub value: T,
    /// Shared: every scorecard that cites the clause points at this one string.
    pub why: Arc<str>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct UseRestrictions {
    pub value: bool,
    /// The restrictions live in an acceptable-use policy the licensor can change.
    #[serde(default)]
    pub via_policy: bool,
    pub why: Arc<str>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Properties {
    pub osi_approved: Prop<bool>,
    pub commercial_use: Prop<Commercial>,
    pub use_restrictions: UseRestrictions,
    pub user_threshold: Prop<u64>,
    pub attribution: Prop<bool>,
    pub naming: Prop<bool>,
    pub output_restrictions: Prop<bool>,
    pub non_commercial: Prop<bool>,
    pub research_only: Prop<bool>,
    pub copyleft: Prop<bool>,
    pub derivatives: Prop<bool>,
    pub open_data: Prop<bool>,
}

/// One property's value, whatever its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PropertyValue {
    Bool(bool),
    Commercial(Commercial),
    /// A ceiling (`user-threshold`); 0 = none.
    Count(u64),
}

impl PropertyValue {
    /// How `openness license` shows the value.
    pub fn text(self) -> String {
        match self {
            PropertyValue::Bool(b) => b.to_string(),
            PropertyValue::Commercial(c) => c.as_str().to_owned(),
            PropertyValue::Count(0) => "none".to_owned(),
            PropertyValue::Count(n) => n.to_string(),
        }
    }
}

/// When a property's value puts a duty on derivatives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binds {
    /// Never (`osi-approved`, `open-data`: they describe, they do not oblige).
    Never,
    /// When the flag is set.
    WhenTrue,
    /// When the flag is clear (`derivatives = false`: no derivatives may be shared).
    WhenFalse,
    /// When commercial use is `conditional`.
    WhenConditional,
    /// When the ceiling is above zero.
    WhenPositive,
}

/// How one property is named, shown and inherited.
#[derive(Debug)]
pub struct PropertyDef {
    /// The evidence key (`license.` + the TOML name, which is also the scorecard's property
    /// name, [`PropertyDef::name`]).
    pub evidence: Key,
    /// The label `openness license` shows; `None` for a property folded into another row
    /// (`use-policy` is shown with `use-restrictions`).
    pub label: Option<&'static str>,
    /// The duty a derivative inherits (`lineage.inherited-obligations`), and when.
    pub duty: Option<(&'static str, Binds)>,
    /// How a scorecard's duty line names the property when it is set (table renderer).
    pub duty_label: Option<&'static str>,
    /// Reads the value and its clause from an entry's properties.
    pub get: fn(&Properties) -> (PropertyValue, &Arc<str>),
}

impl PropertyDef {
    /// The TOML and scorecard name (`commercial-use`).
    pub fn name(&self) -> &'static str {
        let name = self.evidence.name();
        name.strip_prefix("license.").unwrap_or(name)
    }

    /// The duty this value brings, if any.
    pub fn duty_for(&self, value: PropertyValue) -> Option<&'static str> {
        let (duty, binds) = self.duty?;
        let bound = match (binds, value) {
            (Binds::WhenTrue, PropertyValue::Bool(b)) => b,
            (Binds::WhenFalse, PropertyValue::Bool(b)) => !b,
            (Binds::WhenConditional, PropertyValue::Commercial(c)) => c == Commercial::Conditional,
            (Binds::WhenPositive, PropertyValue::Count(n)) => n > 0,
            _ => false,
        };
        bound.then_some(duty)
    }
}

use PropertyValue::{Bool, Commercial as Comm, Count};

/// Every license property, in the order they are shown and inherited.
pub const PROPERTIES: &[PropertyDef] = &[
    PropertyDef {
        evidence: keys::LICENSE_OSI_APPROVED,
        label: Some("OSI-approved"),
        duty: None,
        duty_label: None,
        get: |p| (Bool(p.osi_approved.value), &p.osi_approved.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_COMMERCIAL_USE,
        label: Some("commercial use"),
        duty: Some(("commercial-conditional", Binds::WhenConditional)),
        duty_label: None,
        get: |p| (Comm(p.commercial_use.value), &p.commercial_use.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_USER_THRESHOLD,
        label: Some("user threshold"),
        duty: Some(("user-threshold", Binds::WhenPositive)),
        duty_label: None,
        get: |p| (Count(p.user_threshold.value), &p.user_threshold.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_USE_RESTRICTIONS,
        label: Some("use restrictions"),
        duty: Some(("use-restrictions", Binds::WhenTrue)),
        duty_label: None,
        get: |p| (Bool(p.use_restrictions.value), &p.use_restrictions.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_USE_POLICY,
        label: None,
        duty: Some(("use-policy", Binds::WhenTrue)),
        duty_label: None,
        get: |p| {
            let r = &p.use_restrictions;
            (Bool(r.value && r.via_policy), &r.why)
        },
    },
    PropertyDef {
        evidence: keys::LICENSE_ATTRIBUTION,
        label: Some("attribution"),
        duty: Some(("attribution", Binds::WhenTrue)),
        duty_label: Some("attribution"),
        get: |p| (Bool(p.attribution.value), &p.attribution.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_NAMING,
        label: Some("naming"),
        duty: Some(("naming", Binds::WhenTrue)),
        duty_label: Some("naming / branding"),
        get: |p| (Bool(p.naming.value), &p.naming.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_OUTPUT_RESTRICTIONS,
        label: Some("output restrictions"),
        duty: Some(("output-restrictions", Binds::WhenTrue)),
        duty_label: Some("limits on using outputs"),
        get: |p| {
            (
                Bool(p.output_restrictions.value),
                &p.output_restrictions.why,
            )
        },
    },
    PropertyDef {
        evidence: keys::LICENSE_NON_COMMERCIAL,
        label: Some("non-commercial"),
        duty: Some(("non-commercial", Binds::WhenTrue)),
        duty_label: Some("non-commercial only"),
        get: |p| (Bool(p.non_commercial.value), &p.non_commercial.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_RESEARCH_ONLY,
        label: Some("research only"),
        duty: Some(("research-only", Binds::WhenTrue)),
        duty_label: Some("research only"),
        get: |p| (Bool(p.research_only.value), &p.research_only.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_COPYLEFT,
        label: Some("copyleft"),
        duty: Some(("copyleft", Binds::WhenTrue)),
        duty_label: Some("share-alike"),
        get: |p| (Bool(p.copyleft.value), &p.copyleft.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_DERIVATIVES,
        label: Some("derivatives"),
        duty: Some(("no-derivatives", Binds::WhenFalse)),
        duty_label: None,
        get: |p| (Bool(p.derivatives.value), &p.derivatives.why),
    },
    PropertyDef {
        evidence: keys::LICENSE_OPEN_DATA,
        label: Some("open data"),
        duty: None,
        duty_label: None,
        get: |p| (Bool(p.open_data.value), &p.open_data.why),
    },
];

/// One property of an entry: its definition, value and clause.
#[derive(Clone, Copy, Debug)]
pub struct PropertyRow<'a> {
    pub def: &'static PropertyDef,
    pub value: PropertyValue,
    pub why: &'a Arc<str>,
}

impl Properties {
    /// Every property with its value and clause, in [`PROPERTIES`] order.
    pub fn rows(&self) -> impl Iterator<Item = PropertyRow<'_>> {
        PROPERTIES.iter().map(move |def| {
            let (value, why) = (def.get)(self);
            PropertyRow { def, value, why }
        })
    }
}

/// The definition of a property by its key.
pub fn property(name: &str) -> Option<&'static PropertyDef> {
    PROPERTIES.iter().find(|d| d.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_license_keys() {
        for (i, def) in PROPERTIES.iter().enumerate() {
            assert!(
                PROPERTIES[..i].iter().all(|d| d.evidence != def.evidence),
                "{} twice",
                def.evidence
            );
            assert_eq!(def.evidence.namespace(), "license", "{}", def.evidence);
        }
    }
}
