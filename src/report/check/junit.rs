//! `openness check --format junit`: JUnit XML in the Ant/Surefire shape GitLab, Jenkins, Azure
//! Pipelines and CircleCI read.
//!
//! One `<testsuite>` per model (`org/name@sha`), one `<testcase>` per rule checked on it
//! (`classname` = the model, `name` = the rule; `file` and `line` where the model is named):
//! a failure is `<failure>`, a model that could not be fetched `<error>`, a check the policy
//! waived or allowed `<skipped>` with the reason, a warning a pass with `<system-out>`. Policy
//! notes (unused or expired exceptions) are test cases of a last suite named after the policy
//! file. Written by hand: the shape is small, and the escaping is all XML needs.

use super::model_label;
use crate::policy::{Check, ModelVerdict, Outcome, Rule, Verdict};
use crate::text::sanitize::terminal;
use std::io::Write;

pub fn render(verdict: &Verdict, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(document(verdict).as_bytes())
}

/// Text safe inside XML content and attribute values: markup characters escaped, characters XML
/// 1.0 forbids and terminal escapes removed.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in terminal(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A test suite's counts, as JUnit's attributes say them (also used by the audit report).
#[derive(Default)]
pub(crate) struct Counts {
    pub(crate) tests: usize,
    pub(crate) failures: usize,
    pub(crate) errors: usize,
    pub(crate) skipped: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, other: &Counts) {
        self.tests += other.tests;
        self.failures += other.failures;
        self.errors += other.errors;
        self.skipped += other.skipped;
    }

    pub(crate) fn attributes(&self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

fn case_body(check: &Check, counts: &mut Counts) -> String {
    counts.tests += 1;
    let message = xml(&check.message);
    match check.outcome {
        Outcome::Fail if check.rule == Rule::FetchFailed => {
            counts.errors += 1;
            format!(
                "      <error type=\"{}\" message=\"{message}\"/>\n",
                check.rule
            )
        }
        Outcome::Fail => {
            counts.failures += 1;
            format!(
                "      <failure type=\"{}\" message=\"{message}\"/>\n",
                check.rule
            )
        }
        Outcome::Waived => {
            counts.skipped += 1;
            format!(
                "      <skipped message=\"waived by an exception: {} ({message})\"/>\n",
                xml(check.waived.as_deref().unwrap_or(""))
            )
        }
        Outcome::Allowed => {
            counts.skipped += 1;
            format!("      <skipped message=\"allowed by the policy: {message}\"/>\n")
        }
        Outcome::Warn => format!("      <system-out>warning: {message}</system-out>\n"),
        Outcome::Pass => format!("      <system-out>{message}</system-out>\n"),
    }
}

fn suite(model: &ModelVerdict) -> (String, Counts) {
    let mut counts = Counts::default();
    let mut cases = String::new();
    let place = model
        .locations
        .first()
        .map(|l| format!(" file=\"{}\" line=\"{}\"", xml(&l.file), l.line))
        .unwrap_or_default();
    for check in &model.checks {
        let body = case_body(check, &mut counts);
        cases.push_str(&format!(
            "    <testcase classname=\"{}\" name=\"{}\"{place}>\n{body}    </testcase>\n",
            xml(&model.id),
            xml(&check.name()),
        ));
    }
    let text = format!(
        "  <testsuite name=\"{}\" {}>\n{cases}  </testsuite>\n",
        xml(&model_label(model)),
        counts.attributes()
    );
    (text, counts)
}

/// The XML document.
pub fn document(verdict: &Verdict) -> String {
    let mut total = Counts::default();
    let mut body = String::new();
    for model in &verdict.models {
        let (text, counts) = suite(model);
        total.add(&counts);
        body.push_str(&text);
    }
    if !verdict.notes.is_empty() {
        let mut counts = Counts::default();
        let mut cases = String::new();
        for note in &verdict.notes {
            counts.tests += 1;
            let body = if note.outcome == Outcome::Fail {
                counts.failures += 1;
                format!(
                    "      <failure type=\"{}\" message=\"{}\"/>\n",
                    note.rule,
                    xml(&note.message)
                )
            } else {
                format!(
                    "      <system-out>warning: {}</system-out>\n",
                    xml(&note.message)
                )
            };
            cases.push_str(&format!(
                "    <testcase classname=\"{}\" name=\"{}\" file=\"{}\" line=\"{}\">\n{body}    </testcase>\n",
                xml(&verdict.policy),
                note.rule,
                xml(&note.location.file),
                note.location.line,
            ));
        }
        total.add(&counts);
        body.push_str(&format!(
            "  <testsuite name=\"{}\" {}>\n{cases}  </testsuite>\n",
            xml(&verdict.policy),
            counts.attributes()
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"openness check\" {}>\n{body}</testsuites>\n",
        total.attributes()
    )
}
