//! `audit`/`rank --format junit`: JUnit XML in the Ant/Surefire shape CI systems read, one test
//! case per rule result.
//!
//! One `<testsuite>` per model (`org/name@sha`), one `<testcase>` per rubric criterion
//! (`classname` = the model, `name` = `dimension/criterion`): a failed criterion is
//! `<failure>`, one the audit could not decide `<skipped>` (with why), a passed one a plain
//! test case. The findings of warning severity and above are a last test case, `findings`,
//! failed when one is an error and listed in `<system-out>` otherwise. A model that could not be
//! audited is a suite with one `<error>` test case. Same escaping as `check`'s JUnit.

use super::Report;
use super::check::junit::{Counts, xml};
use crate::evidence::findings::Severity;
use crate::rubric::Status;
use crate::scorecard::Scorecard;
use std::io::Write;

pub fn render(report: &Report<'_>, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(document(report).as_bytes())
}

fn label(card: &Scorecard) -> String {
    match &card.revision {
        Some(rev) => format!("{}@{}", card.model, super::short_revision(rev, 7)),
        None => card.model.clone(),
    }
}

fn suite(card: &Scorecard) -> (String, Counts) {
    let mut counts = Counts::default();
    let mut cases = String::new();
    let classname = xml(&card.model);
    for dimension in &card.dimensions {
        for criterion in &dimension.criteria {
            counts.tests += 1;
            let name = xml(&format!("{}/{}", dimension.id, criterion.id));
            let description = xml(&criterion.description);
            let body = match criterion.status {
                Status::Fail => {
                    counts.failures += 1;
                    format!("      <failure type=\"not-met\" message=\"{description}\"/>\n")
                }
                Status::Unknown => {
                    counts.skipped += 1;
                    let why = criterion
                        .unavailable
                        .as_deref()
                        .unwrap_or("a fact it reads could not be established");
                    format!(
                        "      <skipped message=\"unknown: {description} ({})\"/>\n",
                        xml(why)
                    )
                }
                Status::Pass => String::new(),
            };
            if body.is_empty() {
                cases.push_str(&format!(
                    "    <testcase classname=\"{classname}\" name=\"{name}\"/>\n"
                ));
            } else {
                cases.push_str(&format!(
                    "    <testcase classname=\"{classname}\" name=\"{name}\">\n{body}    </testcase>\n"
                ));
            }
        }
    }
    let notable: Vec<String> = card
        .findings
        .iter()
        .filter(|f| f.severity >= Severity::Warning)
        .map(|f| format!("{} {}: {}", f.severity, f.code, f.message))
        .collect();
    if !notable.is_empty() {
        counts.tests += 1;
        let failed = card.findings.iter().any(|f| f.severity == Severity::Error);
        let failure = if failed {
            counts.failures += 1;
            "      <failure type=\"finding\" message=\"a finding of error severity\"/>\n"
        } else {
            ""
        };
        cases.push_str(&format!(
            "    <testcase classname=\"{classname}\" name=\"findings\">\n{failure}      <system-out>{}</system-out>\n    </testcase>\n",
            xml(&notable.join("\n"))
        ));
    }
    let text = format!(
        "  <testsuite name=\"{}\" {}>\n{cases}  </testsuite>\n",
        xml(&label(card)),
        counts.attributes()
    );
    (text, counts)
}

/// The XML document.
pub fn document(report: &Report<'_>) -> String {
    let mut total = Counts::default();
    let mut body = String::new();
    for card in report.scorecards {
        let (text, counts) = suite(card);
        total.add(&counts);
        body.push_str(&text);
    }
    for error in report.errors {
        let counts = Counts {
            tests: 1,
            errors: 1,
            ..Counts::default()
        };
        total.add(&counts);
        body.push_str(&format!(
            "  <testsuite name=\"{model}\" {}>\n    <testcase classname=\"{model}\" name=\"audit\">\n      <error type=\"{}\" message=\"{}\"/>\n    </testcase>\n  </testsuite>\n",
            counts.attributes(),
            xml(&error.code),
            xml(&super::error_line(error)),
            model = xml(&error.model),
        ));
    }
    let name = if report.ranking {
        "openness rank"
    } else {
        "openness audit"
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"{name}\" {}>\n{body}</testsuites>\n",
        total.attributes()
    )
}
