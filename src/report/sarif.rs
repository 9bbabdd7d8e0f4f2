//! `audit`/`rank --format sarif`: SARIF 2.1.0, one result per rule result.
//!
//! - a rule per rubric criterion (`{rubric}/{criterion}`, its description and the dimension it
//!   scores) and per finding code, sorted by id;
//! - a result per criterion of each model: a failed criterion is `kind: fail`, level `warning`;
//!   one the audit could not decide `kind: open` (SARIF's "could not determine"); a passed one
//!   `kind: pass` — those only with `--explain`, so code scanning shows what is missing, not
//!   every point earned;
//! - a result per finding, at its severity;
//! - each result is located where its evidence is: the file and line at the audited commit when
//!   a fact was read from a file, else the model's files at that commit, as absolute URLs on the
//!   Hub (a local folder: its path), with the model as a `logicalLocation`, and a stable
//!   `partialFingerprints` entry (model + rule);
//! - models that could not be audited are `toolExecutionNotifications` of level `error`.
//!
//! For alerts on the lines of a repository that names its models, `check --format sarif` locates
//! each problem in `openness.toml` or the code. Deterministic: no timestamps.

use super::Report;
use super::check::sarif::{SCHEMA_URI, VERSION, pascal_case};
use super::links;
use crate::evidence::Provenance;
use crate::evidence::findings::{Finding, Severity};
use crate::rubric::Status;
use crate::rubric::eval::CriterionResult;
use crate::scorecard::Scorecard;
use crate::text::number::points_text;
use crate::text::sanitize::terminal;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;

const DOCS: &str = "https://github.com/openness-dev/openness/blob/main/docs";

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(&document(report)).expect("JSON serializes");
    writeln!(out, "{text}")
}

/// A rule's descriptor, by id.
type Rules = BTreeMap<String, Value>;

fn criterion_rule(card: &Scorecard, dimension: &str, criterion: &CriterionResult) -> Value {
    let text = terminal(&criterion.description);
    json!({
        "id": format!("{}/{}", card.rubric.name, criterion.id),
        "name": pascal_case(&criterion.id),
        "shortDescription": { "text": text },
        "fullDescription": { "text": format!("{text} (rubric {} {}, dimension {dimension}, {} points)", card.rubric.name, card.rubric.version, points_text(criterion.max)) },
        "helpUri": format!("{DOCS}/rubrics.md"),
        "defaultConfiguration": { "level": "warning" },
        "properties": { "tags": ["model-openness", "rubric", card.rubric.name.as_str(), dimension] },
    })
}

fn finding_rule(finding: &Finding) -> Value {
    let code = finding.code;
    json!({
        "id": code.as_str(),
        "name": pascal_case(code.as_str()),
        "shortDescription": { "text": code.description() },
        "fullDescription": { "text": code.description() },
        "helpUri": format!("{DOCS}/codes.md#{}", code.as_str()),
        "defaultConfiguration": { "level": level(code.default_severity()) },
        "properties": { "tags": ["model-openness", "finding"] },
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Where a result points: the file a fact of `criterion` was read from, else the model.
fn physical(card: &Scorecard, criterion: Option<&CriterionResult>) -> Option<Value> {
    let file = criterion.and_then(|c| {
        c.evidence
            .iter()
            .flat_map(|e| e.provenance())
            .find_map(|p| match p {
                Provenance::File { path, line } => Some((path.clone(), *line)),
                _ => None,
            })
    });
    let (uri, line) = match (&file, card.source.kind) {
        (Some((path, line)), "local") => (format!("{}/{path}", card.source.location), *line),
        (None, "local") => (card.source.location.clone(), None),
        (Some((path, line)), _) => (links::file_url(card, path, None)?, *line),
        (None, _) => (
            links::revision_page(card).or_else(|| links::model_page(card))?,
            None,
        ),
    };
    let mut location = json!({ "artifactLocation": { "uri": terminal(&uri) } });
    if let Some(line) = line {
        location["region"] = json!({ "startLine": line.max(1) });
    }
    Some(location)
}

fn locations(card: &Scorecard, criterion: Option<&CriterionResult>) -> Value {
    let mut location = json!({
        "logicalLocations": [{ "fullyQualifiedName": terminal(&card.model), "kind": "module" }],
    });
    if let Some(physical) = physical(card, criterion) {
        location["physicalLocation"] = physical;
    }
    json!([location])
}

fn fingerprint(card: &Scorecard, rule: &str) -> Value {
    json!({ "opennessModelRule/v1": format!("{}:{rule}", card.model.to_ascii_lowercase()) })
}

fn model_results(card: &Scorecard, explain: bool, rules: &mut Rules, results: &mut Vec<Value>) {
    let label = terminal(&match &card.revision {
        Some(rev) => format!("{}@{}", card.model, super::short_revision(rev, 7)),
        None => card.model.clone(),
    });
    let properties = json!({ "model": card.model, "revision": card.revision });
    for dimension in &card.dimensions {
        for criterion in &dimension.criteria {
            let (kind, level, state) = match criterion.status {
                Status::Fail => ("fail", "warning", "not met"),
                Status::Unknown => ("open", "none", "could not be established"),
                Status::Pass if explain => ("pass", "none", "met"),
                Status::Pass => continue,
            };
            let rule = format!("{}/{}", card.rubric.name, criterion.id);
            rules
                .entry(rule.clone())
                .or_insert_with(|| criterion_rule(card, &dimension.name, criterion));
            let why = criterion
                .unavailable
                .as_deref()
                .or(criterion.note.as_deref())
                .map(|w| format!(" ({})", terminal(w)))
                .unwrap_or_default();
            results.push(json!({
                "ruleId": rule,
                "kind": kind,
                "level": level,
                "message": { "text": format!("{label}: {}: {state}{why}", terminal(&criterion.description)) },
                "locations": locations(card, Some(criterion)),
                "partialFingerprints": fingerprint(card, &rule),
                "properties": properties,
            }));
        }
    }
    for finding in &card.findings {
        let rule = finding.code.as_str().to_owned();
        rules
            .entry(rule.clone())
            .or_insert_with(|| finding_rule(finding));
        results.push(json!({
            "ruleId": rule,
            "kind": "fail",
            "level": level(finding.severity),
            "message": { "text": format!("{label}: {}", terminal(&finding.message)) },
            "locations": locations(card, None),
            "partialFingerprints": fingerprint(card, &rule),
            "properties": properties,
        }));
    }
}

/// The SARIF log as a JSON value.
pub fn document(report: &Report<'_>) -> Value {
    let mut rules = Rules::new();
    let mut results = Vec::new();
    for card in report.scorecards {
        model_results(card, report.explain, &mut rules, &mut results);
    }
    let ids: Vec<&String> = rules.keys().collect();
    for result in &mut results {
        let id = result["ruleId"].as_str().unwrap_or_default();
        let index = ids.iter().position(|r| r.as_str() == id).unwrap_or(0);
        result["ruleIndex"] = json!(index);
    }
    let notifications: Vec<Value> = report
        .errors
        .iter()
        .map(|e| {
            json!({
                "level": "error",
                "message": { "text": terminal(&super::error_line(e)) },
                "descriptor": { "id": e.code },
                "properties": { "model": e.model },
            })
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
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "exitCode": if report.errors.is_empty() { 0 } else { 3 },
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": { "rubrics": super::rubrics(report.scorecards) },
        }],
    })
}
