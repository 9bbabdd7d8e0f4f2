//! Licenses in a policy: `allow` / `deny` entries, and the license a model is under, matched with
//! SPDX semantics.
//!
//! An entry is one license: a knowledge-base id or alias (Hub ids such as `llama3.1`,
//! `apache-2.0`, `flux-1-dev-non-commercial`) or an SPDX license id (`Apache-2.0`,
//! `LicenseRef-…`, `GPL-2.0-only WITH Classpath-exception-2.0`). A knowledge-base entry with an
//! SPDX id matches that id too, so `MIT` and `mit` are the same entry.
//!
//! A model's license is a list of terms that all apply (AND): the license the audit resolved (or,
//! when it resolved none, every declared license), and the license its base models pass down
//! (`lineage.inherited-license`). A declared value that is an SPDX expression
//! (`MIT OR Apache-2.0`) is evaluated with the `spdx` crate: `OR` needs one operand allowed,
//! `AND` needs all.

use crate::evidence::Value;
use crate::evidence::keys;
use crate::licenses::KnowledgeBase;
use crate::scorecard::Scorecard;
use std::collections::BTreeSet;

/// One `allow` / `deny` entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LicenseSpec {
    /// As written in the policy.
    pub text: String,
    /// Keys it matches: `kb:<id>` and/or `spdx:<SPDX requirement>`.
    keys: BTreeSet<String>,
}

/// Why an `allow` / `deny` entry names no license.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpecError {
    #[error("an empty license id")]
    Empty,
    #[error(
        "`{text}` is neither a license id of the knowledge base (openness license --list) nor an SPDX license id{}: {reason}",
        near.as_ref().map(|id| format!(" (did you mean `{id}`?)")).unwrap_or_default()
    )]
    Unknown {
        text: String,
        /// The closest knowledge-base id, when one is close.
        near: Option<String>,
        reason: String,
    },
    #[error(
        "`{0}` is an expression; list each license as its own entry (a model's own `A OR B` passes when either is allowed, `A AND B` when both are)"
    )]
    Expression(String),
}

impl LicenseSpec {
    /// Parses an entry: a knowledge-base id or alias, else one SPDX license (lax: `apache2`,
    /// `GPL-3.0+` are read as SPDX does for crates.io).
    pub fn parse(text: &str, kb: &KnowledgeBase) -> Result<LicenseSpec, SpecError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(SpecError::Empty);
        }
        if let Some(entry) = kb.get(trimmed) {
            return Ok(LicenseSpec {
                text: trimmed.to_owned(),
                keys: kb_keys(&entry.id, entry.spdx.as_deref()),
            });
        }
        let expr = spdx::Expression::parse_mode(trimmed, spdx::ParseMode::LAX).map_err(|e| {
            SpecError::Unknown {
                text: trimmed.to_owned(),
                near: nearest_kb_id(trimmed, kb).map(str::to_owned),
                reason: e.reason.to_string(),
            }
        })?;
        let reqs: Vec<&spdx::LicenseReq> = expr.requirements().map(|r| &r.req).collect();
        match reqs.as_slice() {
            [req] => Ok(LicenseSpec {
                text: trimmed.to_owned(),
                keys: req_keys(req, kb),
            }),
            _ => Err(SpecError::Expression(trimmed.to_owned())),
        }
    }

    /// Whether two entries name the same license.
    pub fn overlaps(&self, other: &LicenseSpec) -> bool {
        self.matches(&other.keys)
    }

    fn matches(&self, keys: &BTreeSet<String>) -> bool {
        !self.keys.is_disjoint(keys)
    }
}

fn kb_keys(id: &str, spdx_id: Option<&str>) -> BTreeSet<String> {
    let mut keys = BTreeSet::from([format!("kb:{}", id.to_ascii_lowercase())]);
    if let Some(spdx_id) = spdx_id {
        keys.insert(format!("spdx:{spdx_id}"));
    }
    keys
}

/// Keys of one SPDX requirement: itself, and the knowledge-base entry with that SPDX id.
fn req_keys(req: &spdx::LicenseReq, kb: &KnowledgeBase) -> BTreeSet<String> {
    let text = req.to_string();
    let mut keys = BTreeSet::from([format!("spdx:{text}")]);
    if req.addition.is_none()
        && let Some(entry) = kb.get(&text)
        && entry.spdx.as_deref() == Some(text.as_str())
    {
        keys.insert(format!("kb:{}", entry.id.to_ascii_lowercase()));
    }
    keys
}

fn nearest_kb_id<'a>(text: &str, kb: &'a KnowledgeBase) -> Option<&'a str> {
    let lower = text.to_ascii_lowercase();
    kb.entries()
        .iter()
        .map(|e| (strsim::levenshtein(&lower, &e.id), e.id.as_str()))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, id)| id)
}

/// One license that applies to a model.
#[derive(Clone, Debug)]
pub enum Term {
    /// A knowledge-base entry (`why` says where it comes from: the release, or a base model).
    Known {
        id: String,
        keys: BTreeSet<String>,
        why: String,
    },
    /// An SPDX expression the card declares that the knowledge base does not know as a whole.
    Expression { expr: spdx::Expression, why: String },
    /// A declared id nobody knows: it matches no entry.
    Unrecognised { id: String, why: String },
}

impl Term {
    /// `id (why)`, for messages.
    pub fn describe(&self) -> String {
        match self {
            Term::Known { id, why, .. } | Term::Unrecognised { id, why } => format!("{id} ({why})"),
            Term::Expression { expr, why } => format!("{expr} ({why})"),
        }
    }

    /// Whether the term passes when each single license is judged by `ok`.
    fn satisfied(&self, ok: &dyn Fn(&BTreeSet<String>) -> bool, kb: &KnowledgeBase) -> bool {
        match self {
            Term::Known { keys, .. } => ok(keys),
            Term::Expression { expr, .. } => expr.evaluate(|req| ok(&req_keys(req, kb))),
            Term::Unrecognised { id, .. } => {
                ok(&BTreeSet::from([format!("kb:{}", id.to_ascii_lowercase())]))
            }
        }
    }
}

impl Term {
    /// Whether `spec` names one of the licenses this term is made of (for an expression, any of
    /// its licenses): an `allow` entry such a model uses.
    pub fn mentions(&self, spec: &LicenseSpec, kb: &KnowledgeBase) -> bool {
        match self {
            Term::Known { keys, .. } => spec.matches(keys),
            Term::Expression { expr, .. } => expr
                .requirements()
                .any(|r| spec.matches(&req_keys(&r.req, kb))),
            Term::Unrecognised { id, .. } => {
                spec.matches(&BTreeSet::from([format!("kb:{}", id.to_ascii_lowercase())]))
            }
        }
    }
}

/// The licenses that apply to a model, all of them (AND). `None` when its license could not be
/// established.
pub fn model_terms(card: &Scorecard, kb: &KnowledgeBase) -> Option<Vec<Term>> {
    let mut terms = Vec::new();
    let category_unknown = card.license.category.as_deref() == Some("unknown");
    match &card.license.id {
        Some(id) if !category_unknown => {
            let spdx_id = kb.get(id).and_then(|e| e.spdx.clone());
            terms.push(Term::Known {
                id: id.clone(),
                keys: kb_keys(id, spdx_id.as_deref()),
                why: "the release's license".to_owned(),
            });
        }
        _ => {
            let declared = card
                .license
                .declared
                .iter()
                .chain(card.license.name.iter())
                .filter(|d| !matches!(d.to_ascii_lowercase().as_str(), "other" | "unknown"));
            for value in declared {
                terms.push(declared_term(value, kb));
            }
            // Nothing usable declared, or only ids nobody knows: the license is unknown.
            if terms.iter().all(|t| matches!(t, Term::Unrecognised { .. })) {
                return None;
            }
        }
    }
    if let Some(Value::Str(inherited)) =
        card.fact(keys::LINEAGE_INHERITED_LICENSE).map(|f| &f.value)
        && inherited != "none"
    {
        let spdx_id = kb.get(inherited).and_then(|e| e.spdx.clone());
        terms.push(Term::Known {
            id: inherited.clone(),
            keys: kb_keys(inherited, spdx_id.as_deref()),
            why: "inherited from a base model".to_owned(),
        });
    }
    Some(terms)
}

fn declared_term(value: &str, kb: &KnowledgeBase) -> Term {
    let why = "declared".to_owned();
    if let Some(entry) = kb.get(value) {
        return Term::Known {
            id: entry.id.clone(),
            keys: kb_keys(&entry.id, entry.spdx.as_deref()),
            why,
        };
    }
    match spdx::Expression::parse_mode(&spdx_text(value, kb), spdx::ParseMode::LAX) {
        Ok(expr) => Term::Expression { expr, why },
        Err(_) => Term::Unrecognised {
            id: value.to_owned(),
            why,
        },
    }
}

/// A declared expression in SPDX spelling: the Hub lowercases card values (`mit or
/// apache-2.0`), so operators are upper-cased and each id that the knowledge base maps to an SPDX
/// id is replaced by it.
fn spdx_text(value: &str, kb: &KnowledgeBase) -> String {
    let spaced = value.replace('(', " ( ").replace(')', " ) ");
    spaced
        .split_whitespace()
        .map(|token| match token.to_ascii_uppercase().as_str() {
            "OR" | "AND" | "WITH" => token.to_ascii_uppercase(),
            _ => kb
                .get(token)
                .and_then(|e| e.spdx.clone())
                .or_else(|| spdx_spelling(token))
                .unwrap_or_else(|| token.to_owned()),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SPDX list's spelling of a license or exception id written in another case.
fn spdx_spelling(token: &str) -> Option<String> {
    let bare = token.trim_end_matches('+');
    let plus = &token[bare.len()..];
    spdx::identifiers::LICENSES
        .iter()
        .map(|l| l.name)
        .chain(spdx::identifiers::EXCEPTIONS.iter().map(|e| e.name))
        .find(|name| name.eq_ignore_ascii_case(bare))
        .map(|name| format!("{name}{plus}"))
}

/// The terms that are not allowed by `allow` (empty: every term passes).
pub fn not_allowed<'t>(
    terms: &'t [Term],
    allow: &[LicenseSpec],
    kb: &KnowledgeBase,
) -> Vec<&'t Term> {
    let ok = |keys: &BTreeSet<String>| allow.iter().any(|a| a.matches(keys));
    terms.iter().filter(|t| !t.satisfied(&ok, kb)).collect()
}

/// The terms that cannot be met without a license of `deny` (empty: none is denied).
pub fn denied<'t>(terms: &'t [Term], deny: &[LicenseSpec], kb: &KnowledgeBase) -> Vec<&'t Term> {
    let ok = |keys: &BTreeSet<String>| !deny.iter().any(|d| d.matches(keys));
    terms.iter().filter(|t| !t.satisfied(&ok, kb)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> &'static KnowledgeBase {
        KnowledgeBase::embedded()
    }

    fn specs(list: &[&str]) -> Vec<LicenseSpec> {
        list.iter()
            .map(|s| LicenseSpec::parse(s, kb()).unwrap())
            .collect()
    }

    fn declared(value: &str) -> Vec<Term> {
        vec![declared_term(value, kb())]
    }

    #[test]
    fn entries_are_knowledge_base_or_spdx_ids() {
        let mit = LicenseSpec::parse("MIT", kb()).unwrap();
        let also_mit = LicenseSpec::parse("mit", kb()).unwrap();
        assert_eq!(mit.keys, also_mit.keys);
        assert!(mit.keys.contains("spdx:MIT") && mit.keys.contains("kb:mit"));
        let llama = LicenseSpec::parse("Llama 3.1", kb()).unwrap();
        assert!(llama.keys.contains("kb:llama3.1"));
        LicenseSpec::parse("GPL-2.0-only WITH Classpath-exception-2.0", kb()).unwrap();
        LicenseSpec::parse("LicenseRef-acme-model", kb()).unwrap();
        let err = LicenseSpec::parse("MIT OR Apache-2.0", kb()).unwrap_err();
        assert_eq!(err, SpecError::Expression("MIT OR Apache-2.0".to_owned()));
        assert!(
            err.to_string()
                .contains("list each license as its own entry"),
            "{err}"
        );
        let err = LicenseSpec::parse("lama3.1", kb()).unwrap_err();
        assert!(err.to_string().contains("did you mean `llama3.1`"), "{err}");
    }

    #[test]
    fn or_needs_one_operand_allowed_and_needs_all() {
        let allow = specs(&["MIT"]);
        assert!(not_allowed(&declared("MIT OR GPL-3.0-only"), &allow, kb()).is_empty());
        assert_eq!(
            not_allowed(&declared("MIT AND GPL-3.0-only"), &allow, kb()).len(),
            1
        );
        let allow = specs(&["mit", "GPL-3.0-only"]);
        assert!(not_allowed(&declared("MIT AND GPL-3.0-only"), &allow, kb()).is_empty());
        // Deny: a dual license is usable under its other operand; a conjunction is not.
        let deny = specs(&["GPL-3.0-only"]);
        assert!(denied(&declared("MIT OR GPL-3.0-only"), &deny, kb()).is_empty());
        assert_eq!(
            denied(&declared("MIT AND GPL-3.0-only"), &deny, kb()).len(),
            1
        );
        // WITH is part of the license: the bare license does not allow it.
        let allow = specs(&["GPL-2.0-only"]);
        assert_eq!(
            not_allowed(
                &declared("GPL-2.0-only WITH Classpath-exception-2.0"),
                &allow,
                kb()
            )
            .len(),
            1
        );
    }

    #[test]
    fn hub_ids_match_by_knowledge_base_id() {
        let allow = specs(&["llama3.1", "Apache-2.0"]);
        assert!(not_allowed(&declared("llama3.1"), &allow, kb()).is_empty());
        assert!(not_allowed(&declared("apache-2.0"), &allow, kb()).is_empty());
        assert_eq!(not_allowed(&declared("deepseek"), &allow, kb()).len(), 1);
        assert_eq!(
            not_allowed(&declared("totally-custom-license"), &allow, kb()).len(),
            1
        );
        assert!(denied(&declared("totally-custom-license"), &allow, kb()).is_empty());
    }
}
