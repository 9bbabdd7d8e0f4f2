//! `openness check --format sarif`: SARIF 2.1.0 that GitHub code scanning accepts.
//!
//! - one rule per policy rule and per finding code that has a result, sorted by id, each with a
//!   description, a help text and a link to its documentation;
//! - one result per problem: a failing check is an `error`, a warning a `warning`, a check waived
//!   by an exception a result with a `suppressions` entry carrying the exception's reason, the
//!   audit's findings `note`s;
//! - every result is located at the line that names the model — its `[[models]]` entry in
//!   `openness.toml`, or the source line `--scan` found it on — and carries a stable
//!   `partialFingerprints` entry (model + rule), so alerts follow the model across runs;
//! - messages are `message` objects and regions have integer lines (the two traps GitHub's
//!   validator rejects, cargo-deny PR #845).
//!
//! Deterministic: no timestamps, no absolute paths the checkout does not already use.

use super::model_label;
use crate::evidence::findings::Code;
use crate::policy::{Location, ModelVerdict, Outcome, Rule, Verdict};
use crate::text::sanitize::terminal;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;

pub const VERSION: &str = "2.1.0";
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const DOCS: &str = "https://github.com/openness-dev/openness/blob/main/docs";

pub fn render(verdict: &Verdict, out: &mut dyn Write) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(&document(verdict)).expect("JSON serializes");
    writeln!(out, "{text}")
}

/// A rule of the run: a policy rule or a finding code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RuleRef {
    Policy(Rule),
    Finding(Code),
}

impl RuleRef {
    fn id(self) -> &'static str {
        match self {
            RuleRef::Policy(r) => r.as_str(),
            RuleRef::Finding(c) => c.as_str(),
        }
    }

    fn descriptor(self) -> Value {
        let (text, help, uri, level, tags) = match self {
            RuleRef::Policy(rule) => (
                rule.description(),
                "Change the model or the product's needs, or waive the rule for this model with an [[exceptions]] entry in openness.toml (with a reason and an expiry date).",
                format!("{DOCS}/policy.md#{}", rule.as_str()),
                "error",
                vec!["model-openness", "policy"],
            ),
            RuleRef::Finding(code) => (
                code.description(),
                "A fact the audit noticed about the model's release; see the documentation of the code.",
                format!("{DOCS}/codes.md#{}", code.as_str()),
                "note",
                vec!["model-openness", "finding"],
            ),
        };
        json!({
            "id": self.id(),
            "name": pascal_case(self.id()),
            "shortDescription": { "text": text },
            "fullDescription": { "text": text },
            "help": { "text": format!("{text} {help}") },
            "helpUri": uri,
            "defaultConfiguration": { "level": level },
            "properties": { "tags": tags },
        })
    }
}

pub fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative URI for a location's file (`/` separators; spaces and other unsafe bytes
/// percent-encoded).
fn uri(file: &str) -> String {
    crate::text::percent::encode_path(&file.replace('\\', "/"))
}

fn locations(list: &[Location], fallback: &str) -> Vec<Value> {
    let physical = |file: &str, line: usize| {
        json!({ "physicalLocation": {
            "artifactLocation": { "uri": uri(file) },
            "region": { "startLine": line.max(1) },
        }})
    };
    if list.is_empty() {
        return vec![physical(fallback, 1)];
    }
    list.iter()
        .take(10)
        .map(|l| physical(&l.file, l.line))
        .collect()
}

struct Results {
    rules: BTreeMap<RuleRef, ()>,
    results: Vec<(RuleRef, Value)>,
}

/// The SARIF log as a JSON value.
pub fn document(verdict: &Verdict) -> Value {
    let mut acc = Results {
        rules: BTreeMap::new(),
        results: Vec::new(),
    };
    for model in &verdict.models {
        model_results(model, &verdict.policy, &mut acc);
    }
    for note in &verdict.notes {
        let rule = RuleRef::Policy(note.rule);
        acc.rules.insert(rule, ());
        acc.results.push((
            rule,
            json!({
                "level": level(note.outcome),
                "message": { "text": terminal(&note.message) },
                "locations": locations(std::slice::from_ref(&note.location), &verdict.policy),
                "partialFingerprints": {
                    "opennessModelRule/v1": format!("{}:{}:{}", note.location.file, note.location.line, note.rule),
                },
            }),
        ));
    }
    let rules: Vec<RuleRef> = acc.rules.keys().copied().collect();
    let results: Vec<Value> = acc
        .results
        .into_iter()
        .map(|(rule, mut result)| {
            let index = rules.iter().position(|r| *r == rule).unwrap_or(0);
            let obj = result.as_object_mut().expect("results are objects");
            obj.insert("ruleId".to_owned(), json!(rule.id()));
            obj.insert("ruleIndex".to_owned(), json!(index));
            result
        })
        .collect();
    json!({
        "$schema": SCHEMA_URI,
        "version": VERSION,
        "runs": [{
            "tool": { "driver": {
                "name": "openness",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules.iter().map(|r| r.descriptor()).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": verdict.overall != crate::policy::Overall::Incomplete,
                "exitCode": verdict.overall.exit_code(),
            }],
            "results": results,
            "properties": {
                "verdict": verdict.overall.as_str(),
                "policy": verdict.policy,
                "rubric": verdict.rubric,
            },
        }],
    })
}

fn level(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Fail => "error",
        Outcome::Warn => "warning",
        Outcome::Waived | Outcome::Allowed | Outcome::Pass => "note",
    }
}

fn model_results(model: &ModelVerdict, policy_file: &str, acc: &mut Results) {
    let label = terminal(&model_label(model));
    let properties = json!({
        "model": model.id,
        "revision": model.revision,
    });
    for check in &model.checks {
        if matches!(check.outcome, Outcome::Pass | Outcome::Allowed) {
            continue;
        }
        let rule = RuleRef::Policy(check.rule);
        acc.rules.insert(rule, ());
        let mut result = json!({
            "level": level(check.outcome),
            "message": { "text": format!("{label}: {}: {}", check.name(), terminal(&check.message)) },
            "locations": locations(&model.locations, policy_file),
            "partialFingerprints": {
                "opennessModelRule/v1": format!("{}:{}", model.id.to_ascii_lowercase(), check.name()),
            },
            "properties": properties,
        });
        if let Some(reason) = &check.waived {
            result["suppressions"] = json!([{
                "kind": "external",
                "status": "accepted",
                "justification": terminal(reason),
            }]);
        }
        acc.results.push((rule, result));
    }
    for finding in &model.findings {
        let rule = RuleRef::Finding(finding.code);
        acc.rules.insert(rule, ());
        acc.results.push((
            rule,
            json!({
                "level": "note",
                "message": { "text": format!("{label}: {}", terminal(&finding.message)) },
                "locations": locations(&model.locations, policy_file),
                "partialFingerprints": {
                    "opennessModelRule/v1": format!("{}:{}", model.id.to_ascii_lowercase(), finding.code),
                },
                "properties": properties,
            }),
        ));
    }
}
