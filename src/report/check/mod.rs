//! Rendering the verdict of `openness check`: `table`, `json`, `sarif`, `junit`. Every format
//! shows the same [`Verdict`]; none decides anything. One file per format (`json` is the
//! document below); `github` writes the workflow annotations.

pub mod github;
pub mod junit;
pub mod sarif;
pub mod table;

use super::short_revision;
use crate::policy::{ModelVerdict, Verdict};
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// Output formats of `openness check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// The verdict per model and every problem, for people (the default).
    Table,
    /// One JSON document: {"schema": "openness/check/v1", "verdict": …, "models": [...]}.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning: one result per problem, at the line naming the model.
    Sarif,
    /// JUnit XML: one test suite per model, one test case per rule.
    Junit,
}

impl CheckFormat {
    /// The format a file name implies: `.sarif` / `.sarif.json`, `.xml`, `.json`; else none.
    pub fn from_path(path: &Path) -> Option<CheckFormat> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        Some(
            if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
                CheckFormat::Sarif
            } else if name.ends_with(".xml") {
                CheckFormat::Junit
            } else if name.ends_with(".json") {
                CheckFormat::Json
            } else if name.ends_with(".txt") {
                CheckFormat::Table
            } else {
                return None;
            },
        )
    }
}

pub const SCHEMA: &str = "openness/check/v1";

pub fn render(
    format: CheckFormat,
    verdict: &Verdict,
    width: Option<u16>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        CheckFormat::Table => table::render(verdict, width, out),
        CheckFormat::Json => {
            let text = serde_json::to_string_pretty(&document(verdict)).expect("JSON serializes");
            writeln!(out, "{text}")
        }
        CheckFormat::Sarif => sarif::render(verdict, out),
        CheckFormat::Junit => junit::render(verdict, out),
    }
}

/// The `json` document.
pub fn document(verdict: &Verdict) -> serde_json::Value {
    let (failed, warned, passed) = verdict.counts();
    json!({
        "schema": SCHEMA,
        "generator": { "name": "openness", "version": env!("CARGO_PKG_VERSION") },
        "verdict": verdict.overall.as_str(),
        "exit_code": verdict.overall.exit_code(),
        "policy": verdict.policy,
        "rubric": verdict.rubric,
        "summary": { "models": verdict.models.len(), "failed": failed, "warned": warned, "passed": passed },
        "models": verdict.models,
        "notes": verdict.notes,
    })
}

/// One line: the verdict and the counts.
pub fn summary(verdict: &Verdict) -> String {
    let (failed, warned, _) = verdict.counts();
    let total = verdict.models.len();
    let models = |n: usize| if n == 1 { "model" } else { "models" };
    let head = match verdict.overall {
        crate::policy::Overall::Pass => format!(
            "PASS: {total} {} meet{} {}",
            models(total),
            if total == 1 { "s" } else { "" },
            verdict.policy
        ),
        crate::policy::Overall::Fail => {
            let notes = verdict
                .notes
                .iter()
                .filter(|n| n.outcome == crate::policy::Outcome::Fail)
                .count();
            let also = match notes {
                0 => String::new(),
                1 => " (and 1 note on the policy file fails)".to_owned(),
                n => format!(" (and {n} notes on the policy file fail)"),
            };
            format!(
                "FAIL: {failed} of {total} {} fail{} {}{also}",
                models(total),
                if failed == 1 { "s" } else { "" },
                verdict.policy
            )
        }
        crate::policy::Overall::Incomplete => {
            let unfetched = verdict.models.iter().filter(|m| m.error.is_some()).count();
            format!(
                "INCOMPLETE: {unfetched} of {total} {} could not be fetched, and {} fails what cannot be checked (unknown = \"deny\")",
                models(total),
                verdict.policy
            )
        }
    };
    let warnings = warned
        + verdict
            .notes
            .iter()
            .filter(|n| n.outcome == crate::policy::Outcome::Warn)
            .count();
    if warnings > 0 {
        format!(
            "{head} ({warnings} warning{})",
            if warnings == 1 { "" } else { "s" }
        )
    } else {
        head
    }
}

/// The model as shown: `id@short-revision`.
pub fn model_label(model: &ModelVerdict) -> String {
    match &model.revision {
        Some(rev) => format!("{}@{}", model.id, short_revision(rev, 7)),
        None => model.id.clone(),
    }
}

/// `file:line` of where a model is named, when known.
pub fn where_named(model: &ModelVerdict) -> Option<String> {
    model
        .locations
        .first()
        .map(|l| format!("{}:{}", l.file, l.line))
}
