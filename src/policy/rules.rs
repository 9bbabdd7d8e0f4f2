//! The rules about a model's own facts: the license lists, the switches, and the score, class and
//! verdict thresholds. Each reads the scorecard (and, for inherited licenses, the knowledge base)
//! and says `pass`, `fail` or `unknown`, with a message that quotes the evidence.

use super::Rule;
use super::license::{self, Term};
use super::model::Policy;
use super::verdict::{Check, Status, check};
use crate::evidence::Value;
use crate::evidence::findings::Code;
use crate::evidence::keys::{self, Key};
use crate::licenses::KnowledgeBase;
use crate::licenses::kb::{Commercial, LicenseEntry};
use crate::scorecard::Scorecard;

/// The checks of the rules the policy enables, on an audited model.
pub(super) fn rule_checks(policy: &Policy, card: &Scorecard, kb: &KnowledgeBase) -> Vec<Check> {
    let mut out = Vec::new();
    let unknown = policy.unknown;
    let mut push = |rule: Rule, (status, message): (Status, String)| {
        out.push(check(rule, status, message, unknown));
    };
    let terms = license::model_terms(card, kb);
    let license_unknown = || {
        let declared = if card.license.declared.is_empty() {
            "nothing declared".to_owned()
        } else {
            format!("declared: {}", card.license.declared.join(", "))
        };
        (
            Status::Unknown,
            format!("its license could not be established ({declared})"),
        )
    };
    if !policy.allow.is_empty() {
        push(
            Rule::Allow,
            match &terms {
                None => license_unknown(),
                Some(terms) => {
                    let bad = license::not_allowed(terms, &policy.allow, kb);
                    if bad.is_empty() {
                        (Status::Pass, format!("allowed: {}", describe(terms)))
                    } else {
                        (
                            Status::Fail,
                            format!("not on the allow list: {}", describe_refs(&bad)),
                        )
                    }
                }
            },
        );
    }
    if !policy.deny.is_empty() {
        push(
            Rule::Deny,
            match &terms {
                None => license_unknown(),
                Some(terms) => {
                    let bad = license::denied(terms, &policy.deny, kb);
                    if bad.is_empty() {
                        (Status::Pass, format!("not denied: {}", describe(terms)))
                    } else {
                        (Status::Fail, format!("denied: {}", describe_refs(&bad)))
                    }
                }
            },
        );
    }
    let inherited = inherited_entry(card, kb);
    if policy.deny_noncommercial {
        push(Rule::DenyNoncommercial, noncommercial(card, inherited));
    }
    if policy.deny_use_restrictions {
        push(Rule::DenyUseRestrictions, use_restrictions(card, inherited));
    }
    if policy.deny_user_threshold {
        push(Rule::DenyUserThreshold, user_threshold(card, inherited));
    }
    if policy.deny_gated {
        push(
            Rule::DenyGated,
            match card.gate.as_deref() {
                Some("none") => (Status::Pass, "no access gate".to_owned()),
                Some(gate) => (
                    Status::Fail,
                    format!(
                        "the weights are behind an access gate on the Hub (`{gate}`: {})",
                        if gate == "auto" {
                            "granted on request"
                        } else {
                            "each request approved by the publisher"
                        }
                    ),
                ),
                None => (Status::Unknown, "the access gate is not known".to_owned()),
            },
        );
    }
    if policy.deny_eu_disallowed {
        push(
            Rule::DenyEuDisallowed,
            match card.fact(keys::ACCESS_EU_DISALLOWED).map(|f| &f.value) {
                Some(Value::Bool(true)) => (
                    Status::Fail,
                    "the gate refuses every user in the European Union (extra_gated_eu_disallowed: true)".to_owned(),
                ),
                Some(_) => (Status::Pass, "open to users in the EU".to_owned()),
                None => (
                    Status::Unknown,
                    "the card metadata could not be read, so whether EU users may download is not known".to_owned(),
                ),
            },
        );
    }
    if policy.deny_license_drift {
        push(Rule::DenyLicenseDrift, drift(card));
    }
    if let Some(min) = policy.min_score {
        let (score, best) = (card.score, card.score_if_known);
        let text = |v: f64| crate::text::points_text(v);
        push(
            Rule::MinScore,
            if score + 1e-9 >= min {
                (
                    Status::Pass,
                    format!("score {} / {} ≥ {}", text(score), text(card.max), text(min)),
                )
            } else if best + 1e-9 < min {
                (
                    Status::Fail,
                    format!(
                        "score {} / {} is below the minimum {}",
                        text(score),
                        text(card.max),
                        text(min)
                    ),
                )
            } else {
                (
                    Status::Unknown,
                    format!(
                        "score {} to {} / {} depending on facts the audit could not establish; the minimum is {}",
                        text(score),
                        text(best),
                        text(card.max),
                        text(min)
                    ),
                )
            },
        );
    }
    if let Some(class) = &policy.min_class {
        push(Rule::MinClass, min_class(card, class));
    }
    for (dimension, min) in &policy.min_verdicts {
        let order = policy.verdict_order(dimension);
        let rank = |v: &str| order.iter().position(|o| o == v);
        let verdict = card
            .dimensions
            .iter()
            .find(|d| &d.id == dimension)
            .and_then(|d| d.verdict.clone());
        let (status, message) = match verdict.as_deref() {
            None | Some("unknown") => (
                Status::Unknown,
                format!(
                    "the verdict on `{dimension}` depends on facts the audit could not establish; the minimum is {min}"
                ),
            ),
            Some(v) => match (rank(v), rank(min)) {
                (Some(got), Some(need)) if got <= need => (
                    Status::Pass,
                    format!("`{dimension}` is {v} (minimum {min})"),
                ),
                _ => (
                    Status::Fail,
                    format!("`{dimension}` is {v}; the policy needs {min} or better"),
                ),
            },
        };
        let mut c = check(Rule::MinVerdict, status, message, unknown);
        c.subject = Some(dimension.clone());
        out.push(c);
    }
    out
}

fn describe(terms: &[Term]) -> String {
    terms
        .iter()
        .map(Term::describe)
        .collect::<Vec<_>>()
        .join(" and ")
}

fn describe_refs(terms: &[&Term]) -> String {
    terms
        .iter()
        .map(|t| t.describe())
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The knowledge-base entry of the license a base model passes down, when there is one.
fn inherited_entry<'kb>(card: &Scorecard, kb: &'kb KnowledgeBase) -> Option<&'kb LicenseEntry> {
    match card.fact(keys::LINEAGE_INHERITED_LICENSE).map(|f| &f.value) {
        Some(Value::Str(id)) if id != "none" => kb.get(id),
        _ => None,
    }
}

fn property<'c>(card: &'c Scorecard, key: &str) -> Option<(&'c Value, &'c str)> {
    card.license
        .properties
        .get(key)
        .map(|p| (&p.value, &*p.why))
}

fn license_name(card: &Scorecard) -> String {
    card.license
        .id
        .clone()
        .unwrap_or_else(|| "the license".to_owned())
}

fn noncommercial(card: &Scorecard, inherited: Option<&LicenseEntry>) -> (Status, String) {
    if let Some(entry) = inherited
        && let Some(p) = &entry.properties
        && (p.non_commercial.value || p.commercial_use.value == Commercial::No)
    {
        return (
            Status::Fail,
            format!(
                "inherits {} from a base model, which does not grant commercial use: {}",
                entry.id, p.commercial_use.why
            ),
        );
    }
    let name = license_name(card);
    match (
        property(card, "non-commercial"),
        property(card, "commercial-use"),
    ) {
        (Some((Value::Bool(true), why)), _) => (
            Status::Fail,
            format!("{name} does not grant commercial use: {why}"),
        ),
        (_, Some((Value::Str(s), why))) if s == "no" => (
            Status::Fail,
            format!("{name} does not grant commercial use: {why}"),
        ),
        (Some((Value::Bool(false), _)), _) | (_, Some((Value::Str(_), _))) => {
            (Status::Pass, format!("{name} grants commercial use"))
        }
        _ => (
            Status::Unknown,
            "whether the license grants commercial use is not known".to_owned(),
        ),
    }
}

fn use_restrictions(card: &Scorecard, inherited: Option<&LicenseEntry>) -> (Status, String) {
    if let Some(entry) = inherited
        && let Some(p) = &entry.properties
        && p.use_restrictions.value
    {
        return (
            Status::Fail,
            format!(
                "inherits {} from a base model, which restricts fields of use: {}",
                entry.id, p.use_restrictions.why
            ),
        );
    }
    let name = license_name(card);
    match property(card, "use-restrictions") {
        Some((Value::Bool(true), why)) => (
            Status::Fail,
            format!("{name} restricts fields of use: {why}"),
        ),
        Some((Value::Bool(false), _)) => (
            Status::Pass,
            format!("{name} has no field-of-use restrictions"),
        ),
        _ => (
            Status::Unknown,
            "whether the license restricts fields of use is not known".to_owned(),
        ),
    }
}

fn user_threshold(card: &Scorecard, inherited: Option<&LicenseEntry>) -> (Status, String) {
    if let Some(entry) = inherited
        && let Some(p) = &entry.properties
        && p.user_threshold.value > 0
    {
        return (
            Status::Fail,
            format!(
                "inherits {} from a base model, which needs another license above {}: {}",
                entry.id,
                crate::text::group_digits(
                    i64::try_from(p.user_threshold.value).unwrap_or(i64::MAX)
                ),
                p.user_threshold.why
            ),
        );
    }
    let name = license_name(card);
    match property(card, "user-threshold") {
        Some((Value::Int(n), why)) if *n > 0 => (
            Status::Fail,
            format!(
                "{name} needs another license above {}: {why}",
                crate::text::group_digits(*n)
            ),
        ),
        Some((Value::Int(_), _)) => (Status::Pass, format!("{name} has no user ceiling")),
        _ => (
            Status::Unknown,
            "whether the license has a user ceiling is not known".to_owned(),
        ),
    }
}

fn drift(card: &Scorecard) -> (Status, String) {
    if let Some(f) = card.findings.iter().find(|f| f.code == Code::LicenseDrift) {
        return (Status::Fail, f.message.clone());
    }
    let ev = |key: Key| card.fact(key).map(|f| &f.value);
    match ev(keys::LINEAGE_LICENSE_DRIFT) {
        Some(Value::Bool(true)) => (
            Status::Fail,
            "declares a license more permissive than a base model's".to_owned(),
        ),
        Some(Value::Bool(false)) => (
            Status::Pass,
            "no base model's license is more restrictive than the declared one".to_owned(),
        ),
        _ => match ev(keys::LINEAGE_BASE_MODELS) {
            Some(Value::List(bases)) if !bases.is_empty() => (
                Status::Unknown,
                format!(
                    "the licenses of its base models ({}) could not be compared with its own",
                    bases.join(", ")
                ),
            ),
            _ => (Status::Pass, "declares no base model".to_owned()),
        },
    }
}

fn min_class(card: &Scorecard, class: &str) -> (Status, String) {
    let Some(result) = card.classes.iter().find(|c| c.id == class) else {
        return (
            Status::Unknown,
            format!("the scorecard has no class `{class}`"),
        );
    };
    let reached = card
        .class
        .as_ref()
        .and_then(|c| c.as_ref())
        .map_or("no class".to_owned(), |c| c.name.clone());
    match result.status {
        "qualified" => (Status::Pass, format!("reaches {reached}")),
        "undetermined" => (
            Status::Unknown,
            format!(
                "{} depends on facts the audit could not establish: {}",
                result.name,
                result.unknown.join(", ")
            ),
        ),
        _ => (
            Status::Fail,
            format!(
                "reaches {reached}, not {}; missing: {}",
                result.name,
                result.missing.join(", ")
            ),
        ),
    }
}
