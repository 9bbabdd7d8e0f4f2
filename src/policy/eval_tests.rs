//! Policy evaluation: each switch, allow/deny, exceptions and expiry, unknowns, lock changes.
//! Scorecards come from the real pipeline over hand-written Hub metadata (no HTTP).

use super::*;
use crate::evidence::Value;
use crate::evidence::findings::Finding;
use crate::evidence::keys;
use crate::evidence::{Fact, Provenance};
use crate::hub::{ModelInfo, Origin, Related, Release, ReleaseFile};
use crate::policy::Location;
use crate::policy::model::Exception;
use crate::policy::verdict::*;
use crate::policy::{Lock, Snapshot, load};
use serde_json::json;

const SHA: &str = "0123456789abcdef0123456789abcdef01234567";

fn release(id: &str, card_data: serde_json::Value, gated: serde_json::Value) -> Release {
    let info = ModelInfo::from_json(&json!({
        "id": id,
        "sha": SHA,
        "gated": gated,
        "cardData": card_data,
        "siblings": [
            {"rfilename": "README.md", "size": 10},
            {"rfilename": "model.safetensors", "size": 1000},
            {"rfilename": "config.json", "size": 10}
        ],
    }))
    .unwrap();
    Release {
        id: id.to_owned(),
        revision: Some(SHA.to_owned()),
        origin: Origin::Hub {
            endpoint: "https://hub.test".to_owned(),
        },
        info,
        has_api_metadata: true,
        files: vec![ReleaseFile::from_bytes("README.md", b"# model\n", false)],
        related: Related::default(),
        retrieval: Default::default(),
    }
}

fn policy(body: &str) -> Policy {
    load("openness.toml", body, &|name| crate::rubric::resolve(name))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn audited(
    id: &str,
    license: serde_json::Value,
    gated: serde_json::Value,
    policy: &Policy,
) -> ModelInput {
    let release = release(id, license, gated);
    let card = crate::audit::score(id, &release, &policy.rubric, KnowledgeBase::embedded());
    let snapshot = Snapshot::of(id, &release, &card);
    ModelInput {
        id: id.to_owned(),
        revision: None,
        locations: vec![Location {
            file: "openness.toml".to_owned(),
            line: 2,
        }],
        result: Ok(Audited {
            scorecard: card,
            snapshot,
        }),
    }
}

fn mit(policy: &Policy) -> ModelInput {
    audited(
        "org/mit-model",
        json!({"license": "mit"}),
        json!(false),
        policy,
    )
}

fn flux(policy: &Policy) -> ModelInput {
    audited(
        "black-forest-labs/FLUX.1-dev",
        json!({"license": "other", "license_name": "flux-1-dev-non-commercial-license"}),
        json!("auto"),
        policy,
    )
}

fn llama(policy: &Policy) -> ModelInput {
    audited(
        "meta-llama/Llama-3.1-8B-Instruct",
        json!({"license": "llama3.1"}),
        json!("manual"),
        policy,
    )
}

fn mystery(policy: &Policy) -> ModelInput {
    audited(
        "org/mystery",
        json!({"license": "other"}),
        json!(false),
        policy,
    )
}

fn today() -> Date {
    Date::parse("2026-06-01").unwrap()
}

fn run(policy: &Policy, models: &[ModelInput]) -> Verdict {
    evaluate(policy, None, models, today(), KnowledgeBase::embedded())
}

fn outcome(verdict: &Verdict, model: usize, rule: Rule) -> (Status, Outcome) {
    let c = verdict.models[model]
        .checks
        .iter()
        .find(|c| c.rule == rule)
        .unwrap_or_else(|| {
            panic!(
                "no {rule} check on model {model}: {:#?}",
                verdict.models[model].checks
            )
        });
    (c.status, c.outcome)
}

#[test]
fn deny_noncommercial_fails_flux_and_names_the_clause() {
    let p = policy("[policy]\ndeny-noncommercial = true\n");
    let v = run(&p, &[mit(&p), flux(&p), llama(&p)]);
    assert_eq!(v.overall, Overall::Fail);
    assert_eq!(v.overall.exit_code(), 1);
    assert_eq!(
        outcome(&v, 0, Rule::DenyNoncommercial),
        (Status::Pass, Outcome::Pass)
    );
    assert_eq!(
        outcome(&v, 1, Rule::DenyNoncommercial),
        (Status::Fail, Outcome::Fail)
    );
    assert_eq!(
        outcome(&v, 2, Rule::DenyNoncommercial),
        (Status::Pass, Outcome::Pass)
    );
    let message = &v.models[1].checks[0].message;
    assert!(
        message.starts_with("flux-1-dev-non-commercial does not grant commercial use"),
        "{message}"
    );
    assert_eq!(v.counts(), (1, 0, 2));
}

#[test]
fn each_switch_reads_its_property() {
    let p = policy(
        "[policy]\ndeny-use-restrictions = true\ndeny-user-threshold = true\ndeny-gated = true\ndeny-license-drift = true\n",
    );
    let v = run(&p, &[mit(&p), llama(&p)]);
    for rule in [
        Rule::DenyUseRestrictions,
        Rule::DenyUserThreshold,
        Rule::DenyGated,
        Rule::DenyLicenseDrift,
    ] {
        assert_eq!(
            outcome(&v, 0, rule),
            (Status::Pass, Outcome::Pass),
            "{rule} on MIT"
        );
    }
    assert_eq!(outcome(&v, 1, Rule::DenyUseRestrictions).0, Status::Fail);
    assert_eq!(outcome(&v, 1, Rule::DenyUserThreshold).0, Status::Fail);
    assert_eq!(outcome(&v, 1, Rule::DenyGated).0, Status::Fail);
    assert_eq!(outcome(&v, 1, Rule::DenyLicenseDrift).0, Status::Pass);
    let threshold = &v.models[1].checks[1].message;
    assert!(threshold.contains("700,000,000"), "{threshold}");
    // Switches that are off are not checked at all.
    assert!(
        v.models[0]
            .checks
            .iter()
            .all(|c| c.rule != Rule::DenyNoncommercial)
    );
}

#[test]
fn license_drift_and_inherited_licenses_count() {
    let p = policy(
        "[policy]\ndeny-license-drift = true\ndeny-noncommercial = true\nallow = [\"MIT\"]\n",
    );
    let mut model = audited(
        "org/distill",
        json!({"license": "mit", "base_model": "black-forest-labs/FLUX.1-dev"}),
        json!(false),
        &p,
    );
    let Ok(audited) = &mut model.result else {
        unreachable!()
    };
    let card = &mut audited.scorecard;
    // What the lineage walk establishes when the base model is under FLUX.1 [dev]'s license.
    card.evidence.insert(
        keys::LINEAGE_INHERITED_LICENSE,
        std::sync::Arc::new(Fact {
            value: Value::Str("flux-1-dev-non-commercial".to_owned()),
            provenance: vec![Provenance::derived("test")],
        }),
    );
    card.evidence.insert(
        keys::LINEAGE_LICENSE_DRIFT,
        std::sync::Arc::new(Fact {
            value: Value::Bool(true),
            provenance: vec![Provenance::derived("test")],
        }),
    );
    card.findings.push(Finding::license_drift(
        "mit",
        "black-forest-labs/FLUX.1-dev",
        "flux-1-dev-non-commercial",
        &["non-commercial".to_owned()],
        [],
    ));
    let v = run(&p, &[model]);
    assert_eq!(outcome(&v, 0, Rule::DenyLicenseDrift).0, Status::Fail);
    assert_eq!(outcome(&v, 0, Rule::DenyNoncommercial).0, Status::Fail);
    let allow = v.models[0]
        .checks
        .iter()
        .find(|c| c.rule == Rule::Allow)
        .unwrap();
    assert_eq!(allow.status, Status::Fail);
    assert!(
        allow
            .message
            .contains("flux-1-dev-non-commercial (inherited from a base model)"),
        "{}",
        allow.message
    );

    // A base model whose license could not be compared: drift is unknown.
    let mut model = mit(&p);
    let Ok(audited) = &mut model.result else {
        unreachable!()
    };
    audited.scorecard.evidence.insert(
        keys::LINEAGE_BASE_MODELS,
        std::sync::Arc::new(Fact {
            value: Value::List(vec!["gone/base".to_owned()]),
            provenance: vec![],
        }),
    );
    let v = run(&p, &[model]);
    assert_eq!(
        outcome(&v, 0, Rule::DenyLicenseDrift),
        (Status::Unknown, Outcome::Fail)
    );
}

#[test]
fn allow_and_deny_lists() {
    let p = policy("[policy]\nallow = [\"MIT\", \"llama3.1\"]\ndeny = [\"cc-by-nc-4.0\"]\n");
    let nc = audited(
        "org/nc",
        json!({"license": "cc-by-nc-4.0"}),
        json!(false),
        &p,
    );
    let v = run(&p, &[mit(&p), llama(&p), flux(&p), nc]);
    assert_eq!(outcome(&v, 0, Rule::Allow).0, Status::Pass);
    assert_eq!(outcome(&v, 1, Rule::Allow).0, Status::Pass);
    assert_eq!(outcome(&v, 2, Rule::Allow).0, Status::Fail);
    assert_eq!(outcome(&v, 2, Rule::Deny).0, Status::Pass);
    assert_eq!(outcome(&v, 3, Rule::Deny).0, Status::Fail);
    assert!(
        v.models[3].checks[1]
            .message
            .contains("denied: cc-by-nc-4.0")
    );
}

#[test]
fn spdx_expressions_declared_by_a_model_are_evaluated() {
    let p = policy("[policy]\nallow = [\"MIT\"]\n");
    let either = audited(
        "org/dual",
        json!({"license": "MIT OR GPL-3.0-only"}),
        json!(false),
        &p,
    );
    let both = audited(
        "org/both",
        json!({"license": "MIT AND GPL-3.0-only"}),
        json!(false),
        &p,
    );
    let v = run(&p, &[either, both]);
    assert_eq!(
        outcome(&v, 0, Rule::Allow).0,
        Status::Pass,
        "{:?}",
        v.models[0].checks
    );
    assert_eq!(
        outcome(&v, 1, Rule::Allow).0,
        Status::Fail,
        "{:?}",
        v.models[1].checks
    );
}

#[test]
fn unknown_facts_follow_the_unknown_setting() {
    for (setting, expected, overall) in [
        ("deny", Outcome::Fail, Overall::Fail),
        ("warn", Outcome::Warn, Overall::Pass),
        ("allow", Outcome::Allowed, Overall::Pass),
    ] {
        let p = policy(&format!(
            "[policy]\nallow = [\"MIT\"]\ndeny-noncommercial = true\nunknown = \"{setting}\"\n"
        ));
        let v = run(&p, &[mystery(&p)]);
        assert_eq!(
            outcome(&v, 0, Rule::Allow),
            (Status::Unknown, expected),
            "{setting}"
        );
        assert_eq!(
            outcome(&v, 0, Rule::DenyNoncommercial),
            (Status::Unknown, expected),
            "{setting}"
        );
        assert_eq!(v.overall, overall, "{setting}");
    }
}

#[test]
fn a_model_that_could_not_be_fetched_is_incomplete_unless_something_failed() {
    let p = policy("[policy]\ndeny-noncommercial = true\n");
    let missing = ModelInput {
        id: "org/flaky".to_owned(),
        revision: None,
        locations: vec![],
        result: Err(FetchError {
            code: "rate-limited".to_owned(),
            message: "org/flaky: still rate limited".to_owned(),
            gone: false,
        }),
    };
    let v = run(&p, &[mit(&p), missing.clone()]);
    assert_eq!(
        outcome(&v, 1, Rule::FetchFailed),
        (Status::Unknown, Outcome::Fail)
    );
    assert_eq!(v.overall, Overall::Incomplete);
    assert_eq!(v.overall.exit_code(), 3);
    let v = run(&p, &[flux(&p), missing.clone()]);
    assert_eq!(
        v.overall,
        Overall::Fail,
        "a real failure wins over a fetch failure"
    );
    let warn = policy("[policy]\ndeny-noncommercial = true\nunknown = \"warn\"\n");
    let v = run(&warn, &[mit(&warn), missing]);
    assert_eq!(v.overall, Overall::Pass);
    assert_eq!(outcome(&v, 1, Rule::FetchFailed).1, Outcome::Warn);
}

#[test]
fn a_model_that_does_not_exist_fails_whatever_unknown_says() {
    let typo = ModelInput {
        id: "meta-llama/Lama-3.1-8B".to_owned(),
        revision: None,
        locations: vec![],
        result: Err(FetchError {
            code: "repo-not-found".to_owned(),
            message: "meta-llama/Lama-3.1-8B: repository not found on https://hub.test".to_owned(),
            gone: true,
        }),
    };
    for unknown in ["deny", "warn", "allow"] {
        let p = policy(&format!("[policy]\nunknown = \"{unknown}\"\n"));
        let v = run(&p, &[mit(&p), typo.clone()]);
        assert_eq!(
            outcome(&v, 1, Rule::ModelNotFound),
            (Status::Fail, Outcome::Fail),
            "{unknown}"
        );
        assert!(
            !v.models[1]
                .checks
                .iter()
                .any(|c| c.rule == Rule::FetchFailed)
        );
        assert_eq!(v.overall, Overall::Fail, "{unknown}");
        assert_eq!(v.overall.exit_code(), 1, "a policy failure, not a retry");
    }
}

#[test]
fn allow_entries_no_model_uses_are_reported_and_can_fail() {
    let body = "[policy]\nallow = [\"mit\", \"apache-2.0\",\n  \"llama3.1\"]\n";
    let p = policy(body);
    let v = run(&p, &[mit(&p), llama(&p)]);
    let unused: Vec<&Note> = v
        .notes
        .iter()
        .filter(|n| n.rule == Rule::AllowUnused)
        .collect();
    assert_eq!(unused.len(), 1, "{:?}", v.notes);
    assert!(unused[0].message.starts_with("`apache-2.0` in `allow`"));
    assert_eq!(unused[0].location.line, 2);
    assert_eq!(unused[0].outcome, Outcome::Warn);
    assert_eq!(v.overall, Overall::Pass);

    let deny = policy(&format!("{body}unused-allow = \"deny\"\n"));
    let v = run(&deny, &[mit(&deny), llama(&deny)]);
    assert_eq!(v.overall, Overall::Fail);
    assert_eq!(v.overall.exit_code(), 1);
    let quiet = policy(&format!("{body}unused-allow = \"allow\"\n"));
    assert!(run(&quiet, &[mit(&quiet), llama(&quiet)]).notes.is_empty());
    // A model whose license is unknown may be what an entry is for: nothing is said.
    let v = run(&p, &[mit(&p), mystery(&p)]);
    assert!(!v.notes.iter().any(|n| n.rule == Rule::AllowUnused));
}

#[test]
fn a_gate_closed_to_the_eu_fails_deny_eu_disallowed_even_for_mit() {
    let p = policy("[policy]\nallow = [\"mit\"]\ndeny-eu-disallowed = true\n");
    let closed = audited(
        "org/eu-closed",
        json!({"license": "mit", "extra_gated_eu_disallowed": true}),
        json!("auto"),
        &p,
    );
    let v = run(&p, &[closed, mit(&p)]);
    assert_eq!(
        outcome(&v, 0, Rule::DenyEuDisallowed),
        (Status::Fail, Outcome::Fail)
    );
    assert_eq!(
        outcome(&v, 0, Rule::Allow).0,
        Status::Pass,
        "the license is fine"
    );
    assert_eq!(outcome(&v, 1, Rule::DenyEuDisallowed).0, Status::Pass);
    assert!(
        v.models[0]
            .findings
            .iter()
            .any(|f| f.code == crate::evidence::findings::Code::WeightsEuDisallowed)
    );
    // Without the switch the finding is still reported, and the license-only policy passes.
    let lenient = policy("[policy]\nallow = [\"mit\"]\n");
    let closed = audited(
        "org/eu-closed",
        json!({"license": "mit", "extra_gated_eu_disallowed": true}),
        json!("auto"),
        &lenient,
    );
    assert_eq!(run(&lenient, &[closed]).overall, Overall::Pass);
}

fn with_exception(p: &mut Policy, rules: &[Rule], revision: Option<&str>, expires: Option<&str>) {
    p.exceptions.push(Exception {
        model: "black-forest-labs/flux.1-dev".to_owned(),
        revision: revision.map(str::to_owned),
        rules: rules.to_vec(),
        reason: "research demo".to_owned(),
        expires: expires.map(|d| Date::parse(d).unwrap()),
        location: Location {
            file: "openness.toml".to_owned(),
            line: 9,
        },
    });
}

#[test]
fn exceptions_waive_matching_rules_until_they_expire() {
    let mut p = policy("[policy]\ndeny-noncommercial = true\ndeny-gated = true\n");
    with_exception(&mut p, &[Rule::DenyNoncommercial], None, Some("2026-06-01"));
    let v = run(&p, &[flux(&p)]);
    assert_eq!(
        outcome(&v, 0, Rule::DenyNoncommercial),
        (Status::Fail, Outcome::Waived)
    );
    assert_eq!(
        outcome(&v, 0, Rule::DenyGated),
        (Status::Fail, Outcome::Fail),
        "not named by the exception"
    );
    assert!(v.notes.is_empty());

    // The day after its expiry it no longer applies, and says so.
    let v = evaluate(
        &p,
        None,
        &[flux(&p)],
        Date::parse("2026-06-02").unwrap(),
        KnowledgeBase::embedded(),
    );
    assert_eq!(outcome(&v, 0, Rule::DenyNoncommercial).1, Outcome::Fail);
    assert_eq!(v.notes.len(), 1);
    assert_eq!(v.notes[0].rule, Rule::ExceptionExpired);
    assert!(
        v.notes[0].message.contains("expired on 2026-06-01"),
        "{}",
        v.notes[0].message
    );
    assert_eq!(v.notes[0].location.line, 9);

    // Without rules it waives every rule of the model.
    let mut p = policy("[policy]\ndeny-noncommercial = true\ndeny-gated = true\n");
    with_exception(&mut p, &[], None, None);
    let v = run(&p, &[flux(&p)]);
    assert_eq!(v.overall, Overall::Pass);
    assert_eq!(v.models[0].outcome, Outcome::Waived);
}

#[test]
fn exceptions_scoped_to_a_revision_and_unused_ones_are_reported() {
    let mut p = policy("[policy]\ndeny-noncommercial = true\n");
    with_exception(&mut p, &[Rule::DenyNoncommercial], Some("0123456"), None);
    let v = run(&p, &[flux(&p)]);
    assert_eq!(
        outcome(&v, 0, Rule::DenyNoncommercial).1,
        Outcome::Waived,
        "sha prefix"
    );
    let mut p = policy("[policy]\ndeny-noncommercial = true\n");
    with_exception(&mut p, &[Rule::DenyNoncommercial], Some("fedcba9"), None);
    let v = run(&p, &[flux(&p), mit(&p)]);
    assert_eq!(
        outcome(&v, 0, Rule::DenyNoncommercial).1,
        Outcome::Fail,
        "another commit"
    );
    assert_eq!(v.notes.len(), 1);
    assert_eq!(v.notes[0].rule, Rule::ExceptionUnused);
    assert_eq!(v.notes[0].outcome, Outcome::Warn);
}

#[test]
fn thresholds_on_score_class_and_verdicts() {
    let p = policy("[policy]\nmin-score = 50\n");
    let v = run(&p, &[mit(&p)]);
    let c = &v.models[0].checks[0];
    assert_eq!(c.rule, Rule::MinScore);
    assert_ne!(
        c.status,
        Status::Pass,
        "a bare MIT release is far from 50: {}",
        c.message
    );

    let p = policy("[policy]\nrubric = \"mof\"\nmin-class = \"class-i\"\n");
    let v = run(&p, &[llama(&p)]);
    assert_eq!(outcome(&v, 0, Rule::MinClass).0, Status::Fail);

    let p = policy("[policy]\nrubric = \"osaid\"\n[policy.min-verdict]\nparameters = \"pass\"\n");
    let v = run(&p, &[llama(&p)]);
    let c = &v.models[0].checks[0];
    assert_eq!(
        (c.rule, c.subject.as_deref(), c.status),
        (Rule::MinVerdict, Some("parameters"), Status::Fail)
    );
    assert_eq!(c.name(), "min-verdict (parameters)");
}

#[test]
fn changes_since_the_lock_are_judged_per_policy() {
    let p = policy("[policy]\n[policy.changes]\nrevision-changed = \"allow\"\n");
    let before = mit(&p);
    let Ok(audited_before) = &before.result else {
        unreachable!()
    };
    let mut recorded = audited_before.snapshot.clone();
    recorded.license = Some("apache-2.0".to_owned());
    recorded.gate = Some("none".to_owned());
    recorded.revision = Some("f".repeat(40));
    recorded.score += 10.0;
    let lock = Lock::updated(None, vec![recorded], &[]);
    let v = evaluate(
        &p,
        Some(&lock),
        &[mit(&p)],
        today(),
        KnowledgeBase::embedded(),
    );
    assert_eq!(
        outcome(&v, 0, Rule::LicenseChanged),
        (Status::Fail, Outcome::Fail)
    );
    assert_eq!(
        outcome(&v, 0, Rule::RevisionChanged),
        (Status::Fail, Outcome::Allowed)
    );
    assert_eq!(
        outcome(&v, 0, Rule::ScoreDropped),
        (Status::Fail, Outcome::Warn)
    );
    assert_eq!(
        outcome(&v, 0, Rule::GateAdded),
        (Status::Pass, Outcome::Pass)
    );
    assert_eq!(
        outcome(&v, 0, Rule::ModelGone),
        (Status::Pass, Outcome::Pass)
    );
    assert_eq!(v.models[0].locked, Some(true));
    let license = v.models[0]
        .checks
        .iter()
        .find(|c| c.rule == Rule::LicenseChanged)
        .unwrap();
    assert!(
        license.message.contains("license: apache-2.0 → mit"),
        "{}",
        license.message
    );

    // Gone from the Hub: model-gone instead of a fetch failure.
    let gone = ModelInput {
        result: Err(FetchError {
            code: "repo-not-found".to_owned(),
            message: "org/mit-model: repository not found".to_owned(),
            gone: true,
        }),
        ..mit(&p)
    };
    let v = evaluate(&p, Some(&lock), &[gone], today(), KnowledgeBase::embedded());
    assert_eq!(
        outcome(&v, 0, Rule::ModelGone),
        (Status::Fail, Outcome::Fail)
    );
    assert_eq!(v.overall, Overall::Fail);
}
