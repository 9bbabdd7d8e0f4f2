//! SPDX license expressions in a card (`license: MIT OR Apache-2.0`, `license_name: apache-2.0
//! AND cc-by-4.0`): resolved with the `spdx` crate — OR to the most permissive choice, AND to
//! the most restrictive term — and shown with how they were resolved.

use crate::license_audit::{audit, codes};
use openness::evidence::Value;
use openness::evidence::findings::Code;
use openness::report::Report;

#[tokio::test]
async fn or_resolves_to_the_most_permissive_choice_and_is_shown() {
    let card = audit(
        serde_json::json!({"license": "MIT OR GPL-3.0-only"}),
        &[("README.md", "# Model\n".into())],
    )
    .await;
    assert!(
        !codes(&card).contains(&Code::LicenseUnknownId),
        "{:?}",
        codes(&card)
    );
    assert_eq!(card.license.id.as_deref(), Some("mit"));
    let (text, how) = card.license.expression.clone().expect("an expression");
    assert_eq!(text, "mit or gpl-3.0-only");
    assert!(
        how.contains("most permissive") && how.contains("`gpl-3.0`"),
        "{how}"
    );

    // JSON: license.expression with the text and its resolution; the evidence keys too.
    let json = openness::report::json::scorecard(&card);
    assert_eq!(json["license"]["expression"]["text"], "mit or gpl-3.0-only");
    assert!(
        json["license"]["expression"]["resolution"]
            .as_str()
            .unwrap()
            .starts_with("`mit`:")
    );
    assert_eq!(
        json["evidence"]["license.expression"]["value"],
        "mit or gpl-3.0-only"
    );

    // Table: an `expression` line under `license`.
    let cards = [card];
    let mut out = Vec::new();
    openness::report::table::render(&Report::new(&cards, &[]), &mut out).unwrap();
    let table = String::from_utf8(out).unwrap();
    let line = table
        .lines()
        .find(|l| l.trim_start().starts_with("expression"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        line.contains("mit or gpl-3.0-only") && line.contains("most permissive"),
        "{line}"
    );
}

#[tokio::test]
async fn and_resolves_to_the_most_restrictive_term() {
    let card = audit(
        serde_json::json!({"license": "other", "license_name": "apache-2.0 AND cc-by-nc-4.0"}),
        &[("README.md", "# Model\n".into())],
    )
    .await;
    assert!(
        !codes(&card).contains(&Code::LicenseUnknownId),
        "{:?}",
        codes(&card)
    );
    assert_eq!(card.license.id.as_deref(), Some("cc-by-nc-4.0"));
    assert_eq!(
        card.license.property("commercial-use"),
        Some(&Value::from("no"))
    );
    let (_, how) = card.license.expression.clone().unwrap();
    assert!(how.contains("most restrictive"), "{how}");
}

#[tokio::test]
async fn an_expression_with_an_unknown_term_stays_an_unknown_id() {
    let card = audit(
        serde_json::json!({"license": "mit or my-company-eula"}),
        &[("README.md", "# Model\n".into())],
    )
    .await;
    assert!(
        codes(&card).contains(&Code::LicenseUnknownId),
        "{:?}",
        codes(&card)
    );
    assert!(card.license.expression.is_none());
    assert!(card.license.id.is_none());
}
