//! What an audit says about a release's license: resolution from declaration and text, and the
//! contradictions that become findings.

use crate::support::{mount_model_with_info, settings};
use openness::audit::Auditor;
use openness::evidence::Value;
use openness::evidence::findings::Code;
use openness::scorecard::Scorecard;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SHA: &str = "1111111111111111111111111111111111111111";

pub(crate) fn license_fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/licenses")
        .join(name);
    std::fs::read_to_string(path).unwrap()
}

/// Serves a model whose card metadata is `card` and whose files are `files`.
pub(crate) async fn audit(card: serde_json::Value, files: &[(&str, String)]) -> Scorecard {
    let server = MockServer::start().await;
    let mut siblings = vec![serde_json::json!({"rfilename": "model.safetensors"})];
    siblings.extend(
        files
            .iter()
            .map(|(name, _)| serde_json::json!({"rfilename": name})),
    );
    let info = serde_json::json!({
        "id": "org/model", "sha": SHA, "gated": false, "private": false, "disabled": false,
        "tags": [], "cardData": card, "siblings": siblings,
    });
    mount_model_with_info(&server, "org/model", info).await;
    for (name, body) in files {
        Mock::given(method("GET"))
            .and(path(format!("/org/model/resolve/{SHA}/{name}")))
            .respond_with(ResponseTemplate::new(200).set_body_string(body.clone()))
            .mount(&server)
            .await;
    }
    let home = tempfile::tempdir().unwrap();
    let auditor = Auditor::new(
        settings(&server.uri(), home.path(), None),
        openness::rubric::resolve("default").unwrap(),
    )
    .unwrap();
    auditor.audit("org/model").await.unwrap()
}

pub(crate) fn codes(card: &Scorecard) -> Vec<Code> {
    card.findings.iter().map(|f| f.code).collect()
}

#[tokio::test]
async fn a_license_file_contradicting_the_card_is_a_mismatch_and_the_text_wins() {
    let card = audit(
        serde_json::json!({"license": "apache-2.0"}),
        &[
            ("README.md", "# Model\n".into()),
            ("LICENSE", license_fixture("corpus/llama3.1.txt")),
        ],
    )
    .await;
    let finding = card
        .findings
        .iter()
        .find(|f| f.code == Code::LicenseMismatch)
        .expect("a mismatch");
    assert!(
        finding
            .message
            .contains("declares `apache-2.0` but LICENSE is the text of `llama3.1`"),
        "{}",
        finding.message
    );
    assert_eq!(
        finding.evidence.len(),
        2,
        "both the declaration and the file are evidence"
    );
    assert_eq!(card.license.id.as_deref(), Some("llama3.1"));
    assert_eq!(card.license.source.as_deref(), Some("text"));
    assert_eq!(
        card.license.properties["user-threshold"].value,
        Value::Int(700_000_000)
    );
    assert!(
        codes(&card).contains(&Code::UsePolicyMissing),
        "Llama 3.1 incorporates its AUP: {:?}",
        codes(&card)
    );
}

#[tokio::test]
async fn matching_declaration_and_text_agree_and_the_policy_is_shipped() {
    let card = audit(
        serde_json::json!({"license": "llama3.1"}),
        &[
            ("LICENSE", license_fixture("corpus/llama3.1.txt")),
            (
                "USE_POLICY.md",
                license_fixture("corpus/llama3.1-acceptable-use-policy.md"),
            ),
        ],
    )
    .await;
    assert_eq!(card.license.source.as_deref(), Some("declared+text"));
    assert_eq!(card.license.policies, ["llama3.1-aup"]);
    assert_eq!(
        card.license.properties["use-policy"].value,
        Value::Bool(true)
    );
    assert_eq!(
        card.license.properties["commercial-use"].value,
        Value::Str("conditional".into())
    );
    assert!(!codes(&card).contains(&Code::LicenseMismatch));
    assert!(!codes(&card).contains(&Code::UsePolicyMissing));
}

#[tokio::test]
async fn code_and_model_licenses_are_each_reported() {
    let card = audit(
        serde_json::json!({"license": "other", "license_name": "deepseek"}),
        &[
            (
                "LICENSE-CODE",
                license_fixture("models/deepseek-ai__DeepSeek-V2__LICENSE-CODE"),
            ),
            (
                "LICENSE-MODEL",
                license_fixture("models/deepseek-ai__DeepSeek-V2__LICENSE-MODEL"),
            ),
        ],
    )
    .await;
    assert_eq!(card.license.id.as_deref(), Some("deepseek"));
    assert_eq!(card.license.source.as_deref(), Some("declared+text"));
    let texts: Vec<(String, Vec<String>)> = card
        .license
        .texts
        .iter()
        .map(|t| {
            (
                t.path.clone(),
                t.recognition.matches.iter().map(|m| m.id.clone()).collect(),
            )
        })
        .collect();
    assert_eq!(
        texts,
        [
            ("LICENSE-CODE".into(), vec!["mit".into()]),
            ("LICENSE-MODEL".into(), vec!["deepseek".into()])
        ]
    );
    assert_eq!(
        card.license.properties["use-restrictions"].value,
        Value::Bool(true)
    );
    assert!(
        !codes(&card).contains(&Code::LicenseMismatch),
        "the MIT code license is not the model license"
    );
}

#[tokio::test]
async fn other_without_text_or_name_is_text_missing() {
    let card = audit(
        serde_json::json!({"license": "other"}),
        &[("README.md", "# Model\n".into())],
    )
    .await;
    assert!(
        codes(&card).contains(&Code::LicenseTextMissing),
        "{:?}",
        codes(&card)
    );
    assert!(card.license.id.is_none());
    // Nothing is known about the license, so its criteria are unknown, not failed.
    let license = card.dimensions.iter().find(|d| d.id == "license").unwrap();
    assert!(license.unknown > 0);
}

#[tokio::test]
async fn an_unrecognisable_license_file_is_reported() {
    let card = audit(
        serde_json::json!({"license": "other", "license_name": "my-own-terms"}),
        &[(
            "LICENSE",
            "You may use this model on Tuesdays, but only for good.\n".repeat(3),
        )],
    )
    .await;
    let found = codes(&card);
    assert!(found.contains(&Code::LicenseUnrecognized), "{found:?}");
    assert!(
        found.contains(&Code::LicenseUnknownId),
        "the license_name is unknown too: {found:?}"
    );
    assert!(card.license.id.is_none());
}

#[tokio::test]
async fn license_and_license_name_that_disagree_are_conflicting_declarations() {
    let card = audit(
        serde_json::json!({"license": "apache-2.0", "license_name": "yi-license"}),
        &[],
    )
    .await;
    let finding = card
        .findings
        .iter()
        .find(|f| f.code == Code::LicenseConflictingDeclarations)
        .expect("a conflict");
    assert!(
        finding
            .message
            .contains("`license_name: yi-license` names `yi-license`"),
        "{}",
        finding.message
    );
}

#[tokio::test]
async fn an_undeclared_license_is_read_from_the_text() {
    let card = audit(
        serde_json::json!({"library_name": "transformers"}),
        &[("LICENSE", license_fixture("corpus/mit.txt"))],
    )
    .await;
    assert_eq!(card.license.id.as_deref(), Some("mit"));
    assert_eq!(card.license.source.as_deref(), Some("text"));
    assert!(codes(&card).contains(&Code::LicenseUndeclared));
}

#[tokio::test]
async fn the_recognition_threshold_is_configurable() {
    // MIT with its warranty disclaimer rewritten: about 64 % similar to the standard text.
    let mit = license_fixture("corpus/mit.txt");
    let cut = mit.find("THE SOFTWARE IS PROVIDED").unwrap();
    let variant = format!("{}This software comes with no guarantee of any sort, and its authors accept no liability for anything it does.\n", &mit[..cut])
        .replace("Permission is hereby granted", "Permission is granted");
    let server = MockServer::start().await;
    let info = serde_json::json!({
        "id": "org/model", "sha": SHA, "gated": false, "private": false, "disabled": false, "tags": [],
        "cardData": {"license": "other"}, "siblings": [{"rfilename": "LICENSE"}],
    });
    mount_model_with_info(&server, "org/model", info).await;
    Mock::given(method("GET"))
        .and(path(format!("/org/model/resolve/{SHA}/LICENSE")))
        .respond_with(ResponseTemplate::new(200).set_body_string(variant))
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let auditor = || {
        Auditor::new(
            settings(&server.uri(), home.path(), None),
            openness::rubric::resolve("default").unwrap(),
        )
        .unwrap()
    };

    let strict = auditor().audit("org/model").await.unwrap();
    assert!(strict.license.id.is_none());
    assert!(codes(&strict).contains(&Code::LicenseUnrecognized));
    let lenient = auditor()
        .with_license_threshold(0.6)
        .audit("org/model")
        .await
        .unwrap();
    assert_eq!(lenient.license.id.as_deref(), Some("mit"));
    assert_eq!(
        lenient.license.texts[0].recognition.matches[0].method,
        openness::licenses::detect::Method::SpdxText
    );
}
