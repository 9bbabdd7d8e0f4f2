//! Deep evidence against a fake Hub: datasets looked up on the Hub, card sections, code
//! classification, papers, checkpoint branches, and the base-model lineage with its licenses.

use crate::support::{
    self, fact, info, mount_dataset, mount_metadata, mount_model, mount_model_with_info,
    mount_not_found, mount_refs, openness, settings, stderr, stdout,
};
use openness::audit::Auditor;
use openness::evidence::{Provenance, Value};
use openness::hub::RelatedOptions;
use openness::rubric;
use openness::scorecard::Scorecard;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn auditor(server: &MockServer, home: &std::path::Path) -> Auditor {
    auditor_with(server, home, "default")
}

fn auditor_with(server: &MockServer, home: &std::path::Path, rubric_name: &str) -> Auditor {
    Auditor::new(
        settings(&server.uri(), home, None),
        rubric::resolve(rubric_name).unwrap(),
    )
    .unwrap()
}

async fn audit(server: &MockServer, id: &str) -> Scorecard {
    audit_with(server, "default", id).await
}

/// `id` audited with the built-in rubric `rubric_name`.
async fn audit_with(server: &MockServer, rubric_name: &str, id: &str) -> Scorecard {
    let home = tempfile::tempdir().unwrap();
    auditor_with(server, home.path(), rubric_name)
        .audit(id)
        .await
        .unwrap()
}

fn value(card: &Scorecard, key: &str) -> Option<Value> {
    fact(card, key).map(|f| f.value.clone())
}

fn list(card: &Scorecard, key: &str) -> Vec<String> {
    match value(card, key) {
        Some(Value::List(items)) => items,
        other => panic!("{key} is {other:?}, not a list"),
    }
}

fn string(card: &Scorecard, key: &str) -> Option<String> {
    match value(card, key) {
        Some(Value::Str(s)) => Some(s),
        None => None,
        other => panic!("{key} is {other:?}, not a string"),
    }
}

fn provenance(card: &Scorecard, key: &str) -> Vec<Provenance> {
    fact(card, key).unwrap().provenance.clone()
}

fn codes(card: &Scorecard) -> Vec<&str> {
    card.findings.iter().map(|f| f.code.as_str()).collect()
}

/// A small model's metadata in the Hub's shape.
fn model(id: &str, card_data: serde_json::Value, tags: &[&str]) -> serde_json::Value {
    json!({
        "id": id, "sha": "1".repeat(40), "gated": false, "private": false,
        "cardData": card_data, "tags": tags,
        "siblings": [{"rfilename": "config.json"}, {"rfilename": "model.safetensors", "size": 10}]
    })
}

/// The branches a corpus model records under `_refs`.
fn refs(id: &str) -> Vec<String> {
    info(id)["_refs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_str().unwrap().to_owned())
        .collect()
}

async fn mount_corpus_refs(server: &MockServer, id: &str) {
    let branches = refs(id);
    let branches: Vec<&str> = branches.iter().map(String::as_str).collect();
    mount_refs(server, id, &branches).await;
}

fn requests_to(requests: &[wiremock::Request], route: &str) -> usize {
    requests.iter().filter(|r| r.url.path() == route).count()
}

#[tokio::test]
async fn datasets_open_gated_and_missing_are_told_apart() {
    let server = MockServer::start().await;
    let mut olmo = info("allenai/OLMo-7B");
    olmo["cardData"]["datasets"] = json!(["allenai/dolma", "bigcode/the-stack", "nobody/gone"]);
    mount_model_with_info(&server, "allenai/OLMo-7B", olmo).await;
    mount_dataset(&server, "allenai/dolma").await;
    mount_dataset(&server, "bigcode/the-stack").await;
    mount_not_found(&server).await;

    let card = audit(&server, "allenai/OLMo-7B").await;
    assert_eq!(
        list(&card, "data.datasets-on-hub"),
        ["allenai/dolma", "bigcode/the-stack"]
    );
    assert_eq!(list(&card, "data.datasets-open"), ["allenai/dolma"]);
    assert_eq!(list(&card, "data.datasets-gated"), ["bigcode/the-stack"]);
    assert_eq!(list(&card, "data.datasets-missing"), ["nobody/gone"]);
    assert_eq!(list(&card, "data.datasets-licenses"), ["odc-by", "other"]);
    // `other` names no terms the knowledge base can class open; ODC-By is open.
    assert_eq!(list(&card, "data.datasets-licenses-not-open"), ["other"]);
    assert_eq!(
        string(&card, "data.availability").as_deref(),
        Some("some-open")
    );
    assert!(
        provenance(&card, "data.datasets-gated").contains(&Provenance::related(
            "datasets/bigcode/the-stack",
            "gated, private, disabled"
        ))
    );
    let missing = card
        .findings
        .iter()
        .find(|f| f.code.as_str() == "dataset-missing")
        .unwrap();
    assert!(
        missing.message.contains("nobody/gone"),
        "{}",
        missing.message
    );
    // A 404 dataset is evidence, not an error: the data dimension is still scored.
    let data = card.dimensions.iter().find(|d| d.id == "data").unwrap();
    assert_eq!(data.unknown, 0);
}

#[tokio::test]
async fn a_failed_dataset_lookup_leaves_availability_unknown() {
    let server = MockServer::start().await;
    let info = model(
        "org/flaky",
        json!({"license": "mit", "datasets": ["flaky/data"]}),
        &[],
    );
    mount_model_with_info(&server, "org/flaky", info).await;
    Mock::given(method("GET"))
        .and(path("/api/datasets/flaky/data"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    mount_not_found(&server).await;

    let card = audit(&server, "org/flaky").await;
    assert_eq!(list(&card, "data.datasets"), ["flaky/data"]);
    assert!(list(&card, "data.datasets-on-hub").is_empty());
    assert!(list(&card, "data.datasets-missing").is_empty());
    assert_eq!(value(&card, "data.availability"), None);
    // Not silent: the failed lookup is a finding that says what to do (issue 14 row 9).
    let finding = card
        .findings
        .iter()
        .find(|f| f.code.as_str() == "lookup-failed")
        .unwrap_or_else(|| panic!("{:?}", codes(&card)));
    assert!(finding.message.contains("flaky/data") && finding.message.contains("retrying"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dataset_or_base_model_named_by_a_batch_is_fetched_once() {
    let server = MockServer::start().await;
    let ids = ["org/a", "org/b", "org/c", "org/d"];
    for id in ids {
        let info = model(
            id,
            json!({"license": "llama3.1", "datasets": ["allenai/dolma"], "base_model": "meta-llama/Llama-3.1-8B"}),
            &[
                "dataset:allenai/dolma",
                "base_model:finetune:meta-llama/Llama-3.1-8B",
            ],
        );
        mount_model_with_info(&server, id, info).await;
    }
    mount_dataset(&server, "allenai/dolma").await;
    mount_metadata(
        &server,
        "meta-llama/Llama-3.1-8B",
        &info("meta-llama/Llama-3.1-8B"),
    )
    .await;
    mount_not_found(&server).await;

    let home = tempfile::tempdir().unwrap();
    let inputs: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    let outcomes = auditor(&server, home.path()).audit_all(&inputs).await;
    for outcome in &outcomes {
        let card = outcome.result.as_ref().unwrap();
        assert_eq!(list(card, "data.datasets-open"), ["allenai/dolma"]);
        assert_eq!(list(card, "lineage.chain"), ["meta-llama/Llama-3.1-8B"]);
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests_to(&requests, "/api/datasets/allenai/dolma"), 1);
    assert_eq!(
        requests_to(&requests, "/api/models/meta-llama/Llama-3.1-8B"),
        1
    );
}

#[tokio::test]
async fn olmo_names_open_data_and_links_training_code() {
    let server = MockServer::start().await;
    mount_model(&server, "allenai/OLMo-7B").await;
    mount_corpus_refs(&server, "allenai/OLMo-7B").await;
    mount_dataset(&server, "allenai/dolma").await;
    mount_not_found(&server).await;

    let card = audit(&server, "allenai/OLMo-7B").await;
    assert_eq!(list(&card, "data.datasets"), ["allenai/dolma"]);
    assert_eq!(
        string(&card, "data.availability").as_deref(),
        Some("all-open")
    );
    assert_eq!(
        value(&card, "data.training-section"),
        Some(Value::Bool(true))
    );
    assert_eq!(
        list(&card, "code.training"),
        [
            "https://github.com/allenai/OLMo",
            "https://github.com/allenai/open-instruct"
        ]
    );
    assert_eq!(
        list(&card, "code.evaluation"),
        ["https://github.com/allenai/OLMo-Eval"]
    );
    assert!(
        provenance(&card, "code.training")
            .iter()
            .any(|p| p.to_string().contains("no request to the code host"))
    );
    // "- **License:** The code and model are released under Apache 2.0." (README.md line 69)
    assert_eq!(string(&card, "code.license").as_deref(), Some("apache-2.0"));
    assert_eq!(
        provenance(&card, "code.license"),
        [Provenance::file("README.md", Some(69))]
    );
    assert!(list(&card, "paper.arxiv").contains(&"2402.00838".to_owned()));
    assert_eq!(
        list(&card, "checkpoints.intermediate"),
        ["step1000-tokens4B", "step556000-tokens2460B"]
    );
    // Without GitHub (the tests' default), the card's words decide: its training code, linked,
    // under an open license.
    let code = card.dimensions.iter().find(|d| d.id == "code").unwrap();
    for id in [
        "code-repository",
        "code-training",
        "code-open-license",
        "code-paper",
    ] {
        let criterion = code.criteria.iter().find(|c| &*c.id == id).unwrap();
        assert_eq!(criterion.points, criterion.max, "{id}");
    }
}

#[tokio::test]
async fn pythia_publishes_checkpoints_and_names_a_dataset_the_hub_lacks() {
    let server = MockServer::start().await;
    mount_model(&server, "EleutherAI/pythia-6.9b").await;
    mount_corpus_refs(&server, "EleutherAI/pythia-6.9b").await;
    mount_not_found(&server).await;

    let card = audit(&server, "EleutherAI/pythia-6.9b").await;
    assert_eq!(
        list(&card, "checkpoints.branches"),
        ["step0", "step1000", "step143000"]
    );
    assert_eq!(
        list(&card, "checkpoints.intermediate"),
        ["step0", "step1000", "step143000"]
    );
    assert_eq!(
        value(&card, "checkpoints.published"),
        Some(Value::Bool(true))
    );
    assert_eq!(
        provenance(&card, "checkpoints.published"),
        [Provenance::api("refs.branches")]
    );
    assert_eq!(list(&card, "data.datasets"), ["EleutherAI/pile"]);
    assert_eq!(list(&card, "data.datasets-missing"), ["EleutherAI/pile"]);
    assert_eq!(
        string(&card, "data.availability").as_deref(),
        Some("closed")
    );
    assert!(
        list(&card, "data.datasets-elsewhere").contains(&"https://pile.eleuther.ai/".to_owned())
    );
    // "[datasheet](https://arxiv.org/abs/2201.07311)" in the training-data section.
    assert_eq!(value(&card, "data.datasheet"), Some(Value::Bool(true)));
    assert!(codes(&card).contains(&"dataset-missing"));
    assert_eq!(
        list(&card, "code.evaluation"),
        [
            "https://github.com/EleutherAI/lm-evaluation-harness",
            "https://github.com/EleutherAI/pythia"
        ]
    );
}

#[tokio::test]
async fn a_distillation_of_llama_inherits_its_license_and_drifts() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B").await;
    // Llama 3.1 is gated, but its metadata is public: its license is read from it.
    mount_metadata(
        &server,
        "meta-llama/Llama-3.1-8B",
        &info("meta-llama/Llama-3.1-8B"),
    )
    .await;
    mount_not_found(&server).await;

    let card = audit(&server, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B").await;
    assert_eq!(list(&card, "lineage.chain"), ["meta-llama/Llama-3.1-8B"]);
    assert_eq!(
        string(&card, "lineage.relation").as_deref(),
        Some("finetune")
    );
    assert_eq!(
        list(&card, "lineage.ancestor-licenses"),
        ["meta-llama/Llama-3.1-8B: llama3.1"]
    );
    assert_eq!(
        string(&card, "lineage.inherited-license").as_deref(),
        Some("llama3.1")
    );
    let duties = list(&card, "lineage.inherited-obligations");
    for duty in [
        "commercial-conditional",
        "use-restrictions",
        "naming",
        "attribution",
    ] {
        assert!(duties.contains(&duty.to_owned()), "{duties:?}");
    }
    assert_eq!(
        value(&card, "lineage.license-drift"),
        Some(Value::Bool(true))
    );
    let drift = card
        .findings
        .iter()
        .find(|f| f.code.as_str() == "license-drift")
        .unwrap();
    assert!(drift.message.contains("mit") && drift.message.contains("llama3.1"));
    assert!(
        drift
            .evidence
            .contains(&Provenance::api("cardData.license"))
    );
    assert!(drift.evidence.contains(&Provenance::related(
        "meta-llama/Llama-3.1-8B",
        "cardData.license"
    )));
    assert!(!codes(&card).contains(&"ancestor-unavailable"));
    // "This code repository and the model weights are licensed under the MIT License."
    assert_eq!(string(&card, "code.license").as_deref(), Some("mit"));
}

#[tokio::test]
async fn the_most_restrictive_license_up_the_chain_is_inherited() {
    let server = MockServer::start().await;
    let quant = model(
        "org/quant",
        json!({"license": "apache-2.0", "base_model": "org/ft"}),
        &["base_model:quantized:org/ft"],
    );
    mount_model_with_info(&server, "org/quant", quant).await;
    let ft = model(
        "org/ft",
        json!({"license": "cc-by-nc-4.0", "base_model": "meta-llama/Llama-3.1-8B"}),
        &["base_model:finetune:meta-llama/Llama-3.1-8B"],
    );
    mount_metadata(&server, "org/ft", &ft).await;
    mount_metadata(
        &server,
        "meta-llama/Llama-3.1-8B",
        &info("meta-llama/Llama-3.1-8B"),
    )
    .await;
    mount_not_found(&server).await;

    let card = audit(&server, "org/quant").await;
    assert_eq!(
        string(&card, "lineage.relation").as_deref(),
        Some("quantized")
    );
    assert_eq!(
        list(&card, "lineage.chain"),
        ["org/ft", "meta-llama/Llama-3.1-8B"]
    );
    assert!(
        provenance(&card, "lineage.chain")
            .contains(&Provenance::related("org/ft", "cardData.base_model"))
    );
    assert_eq!(
        list(&card, "lineage.ancestor-licenses"),
        ["org/ft: cc-by-nc-4.0", "meta-llama/Llama-3.1-8B: llama3.1"]
    );
    assert_eq!(
        string(&card, "lineage.inherited-license").as_deref(),
        Some("cc-by-nc-4.0")
    );
    assert!(list(&card, "lineage.inherited-obligations").contains(&"non-commercial".to_owned()));
    let drifts = codes(&card)
        .iter()
        .filter(|c| **c == "license-drift")
        .count();
    assert_eq!(drifts, 2, "one per distinct ancestor license");
}

#[tokio::test]
async fn a_lineage_cycle_is_reported_and_the_walk_stops() {
    let server = MockServer::start().await;
    let a = model(
        "org/a",
        json!({"license": "mit", "base_model": "org/b"}),
        &[],
    );
    let b = model(
        "org/b",
        json!({"license": "mit", "base_model": "org/a"}),
        &[],
    );
    mount_model_with_info(&server, "org/a", a.clone()).await;
    mount_metadata(&server, "org/b", &b).await;
    let me = model(
        "org/me",
        json!({"license": "mit", "base_model": "org/me"}),
        &[],
    );
    mount_model_with_info(&server, "org/me", me).await;
    mount_not_found(&server).await;

    let card = audit(&server, "org/a").await;
    assert_eq!(list(&card, "lineage.chain"), ["org/b"]);
    let cycle = card
        .findings
        .iter()
        .find(|f| f.code.as_str() == "lineage-cycle")
        .unwrap();
    assert!(
        cycle.message.contains("org/a → org/b → org/a"),
        "{}",
        cycle.message
    );
    assert_eq!(
        string(&card, "lineage.inherited-license").as_deref(),
        Some("none")
    );
    assert_eq!(
        value(&card, "lineage.license-drift"),
        Some(Value::Bool(false))
    );

    let card = audit(&server, "org/me").await;
    assert!(list(&card, "lineage.chain").is_empty());
    assert!(
        card.findings
            .iter()
            .any(|f| f.code.as_str() == "lineage-cycle" && f.message.contains("org/me → org/me"))
    );
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests_to(&requests, "/api/models/org/a"),
        1,
        "never refetched"
    );
}

#[tokio::test]
async fn a_missing_ancestor_is_reported_and_the_audit_goes_on() {
    let server = MockServer::start().await;
    let child = model(
        "org/child",
        json!({"license": "apache-2.0", "base_model": "nobody/missing"}),
        &[],
    );
    mount_model_with_info(&server, "org/child", child).await;
    mount_not_found(&server).await;

    let card = audit(&server, "org/child").await;
    assert_eq!(list(&card, "lineage.chain"), ["nobody/missing"]);
    assert_eq!(
        list(&card, "lineage.ancestor-licenses"),
        ["nobody/missing: unknown"]
    );
    assert_eq!(value(&card, "lineage.inherited-license"), None);
    assert_eq!(value(&card, "lineage.license-drift"), None);
    let finding = card
        .findings
        .iter()
        .find(|f| f.code.as_str() == "ancestor-unavailable")
        .unwrap();
    assert!(
        finding.message.contains("not on the Hub"),
        "{}",
        finding.message
    );
    assert_eq!(card.license.id.as_deref(), Some("apache-2.0"));
}

#[tokio::test]
async fn a_gated_ancestor_that_refuses_its_metadata_is_reported() {
    let server = MockServer::start().await;
    let child = model(
        "org/child",
        json!({"license": "mit", "base_model": ["gated/base", "not a valid id!"]}),
        &[],
    );
    mount_model_with_info(&server, "org/child", child).await;
    Mock::given(method("GET"))
        .and(path("/api/models/gated/base"))
        .respond_with(
            ResponseTemplate::new(403)
                .insert_header("x-error-code", "GatedRepo")
                .insert_header(
                    "x-error-message",
                    "Access to model gated/base is restricted.",
                ),
        )
        .mount(&server)
        .await;
    mount_not_found(&server).await;

    let card = audit(&server, "org/child").await;
    let messages: Vec<&str> = card
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "ancestor-unavailable")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(
        messages
            .iter()
            .any(|m| m.contains("gated/base") && m.contains("gated"))
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("not a valid id!") && m.contains("not a Hub model id"))
    );
    assert_eq!(value(&card, "lineage.inherited-license"), None);
}

#[tokio::test]
async fn a_license_code_file_is_recognised() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-V3").await;
    mount_not_found(&server).await;

    let card = audit(&server, "deepseek-ai/DeepSeek-V3").await;
    assert_eq!(string(&card, "code.license").as_deref(), Some("mit"));
    assert_eq!(
        provenance(&card, "code.license"),
        [Provenance::file("LICENSE-CODE", Some(5))]
    );
    assert_eq!(
        string(&card, "code.license-category").as_deref(),
        Some("open")
    );
}

#[tokio::test]
async fn related_lookups_can_be_switched_off() {
    let server = MockServer::start().await;
    mount_model(&server, "allenai/OLMo-7B").await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let card = auditor(&server, home.path())
        .with_related(RelatedOptions::none())
        .audit("allenai/OLMo-7B")
        .await
        .unwrap();

    let requests = server.received_requests().await.unwrap();
    let api: Vec<&str> = requests
        .iter()
        .map(|r| r.url.path())
        .filter(|p| p.starts_with("/api/"))
        .collect();
    assert_eq!(api, ["/api/models/allenai/OLMo-7B"]);
    for key in [
        "checkpoints.branches",
        "data.datasets-on-hub",
        "data.availability",
        "lineage.chain",
    ] {
        assert_eq!(value(&card, key), None, "{key} should be unknown");
    }
    // What the card itself says is still there.
    assert_eq!(list(&card, "data.datasets"), ["allenai/dolma"]);
    assert!(!list(&card, "code.training").is_empty());
}

#[tokio::test]
async fn a_local_folder_has_card_facts_but_no_hub_lookups() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        support::fixture_dir("allenai/OLMo-7B").join("files/README.md"),
        dir.path().join("README.md"),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let server = MockServer::start().await;
    let card = auditor(&server, home.path())
        .audit(dir.path().to_str().unwrap())
        .await
        .unwrap();
    assert!(server.received_requests().await.unwrap().is_empty());
    assert_eq!(list(&card, "data.datasets"), ["allenai/dolma"]);
    assert_eq!(
        value(&card, "data.training-section"),
        Some(Value::Bool(true))
    );
    assert_eq!(value(&card, "data.datasets-open"), None);
    assert_eq!(value(&card, "checkpoints.published"), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_and_json_show_lineage_and_checkpoints() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1-Distill-Llama-8B").await;
    mount_metadata(
        &server,
        "meta-llama/Llama-3.1-8B",
        &info("meta-llama/Llama-3.1-8B"),
    )
    .await;
    mount_refs(
        &server,
        "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
        &["main", "stage2"],
    )
    .await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();

    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
            "--explain",
            "--format",
            "table",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("inherits    llama3.1 from its base models"),
        "{text}"
    );
    assert!(
        text.contains("lineage.chain = [\"meta-llama/Llama-3.1-8B\"]"),
        "{text}"
    );
    assert!(
        text.contains("checkpoints.intermediate = [\"stage2\"]"),
        "{text}"
    );
    assert!(text.contains("license-drift"), "{text}");

    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
            "--format",
            "json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let evidence = &doc["scorecards"][0]["evidence"];
    assert_eq!(evidence["lineage.inherited-license"]["value"], "llama3.1");
    assert_eq!(
        evidence["lineage.ancestor-licenses"]["provenance"][0],
        json!({"source": "related", "repo": "meta-llama/Llama-3.1-8B", "field": "cardData.license"})
    );
}

#[tokio::test]
async fn malformed_related_answers_leave_facts_unknown() {
    let server = MockServer::start().await;
    let info = model(
        "org/odd",
        json!({"license": "mit", "datasets": ["odd/data"], "base_model": "odd/base"}),
        &[],
    );
    mount_model_with_info(&server, "org/odd", info).await;
    for (route, body) in [
        ("/api/models/org/odd/refs", "{\"branches\": 42}"),
        ("/api/datasets/odd/data", "<html>not json</html>"),
        ("/api/models/odd/base", "[1, 2, 3]"),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
    }
    mount_not_found(&server).await;

    let card = audit(&server, "org/odd").await;
    assert_eq!(value(&card, "checkpoints.branches"), None);
    assert_eq!(value(&card, "data.availability"), None);
    assert!(list(&card, "data.datasets-on-hub").is_empty());
    assert_eq!(list(&card, "lineage.chain"), ["odd/base"]);
    // Issue 14 row 9: every failed related lookup — the base model, the branches, the
    // dataset — is a `lookup-failed` finding, not a silent unknown.
    let failed: Vec<&str> = card
        .findings
        .iter()
        .filter(|f| f.code.as_str() == "lookup-failed")
        .map(|f| f.message.as_str())
        .collect();
    assert!(
        failed
            .iter()
            .any(|m| m.contains("base model `odd/base`") && m.contains("malformed")),
        "{failed:?}"
    );
    assert!(
        failed
            .iter()
            .any(|m| m.contains("the branches of `org/odd`")),
        "{failed:?}"
    );
    assert!(
        failed.iter().any(|m| m.contains("dataset `odd/data`")),
        "{failed:?}"
    );
}

/// The verdict of an OSAI parameter, audited with `--rubric osai`.
async fn osai_verdict(server: &MockServer, id: &str, parameter: &str) -> (Scorecard, String) {
    let card = audit_with(server, "osai", id).await;
    let verdict = card
        .dimensions
        .iter()
        .find(|d| d.id == parameter)
        .and_then(|d| d.verdict.clone())
        .unwrap();
    (card, verdict)
}

#[tokio::test]
async fn a_fine_tune_of_a_gated_base_has_partial_base_model_weights() {
    let server = MockServer::start().await;
    let info_ = model(
        "org/tuned",
        json!({"license": "llama3.1", "base_model": "meta-llama/Llama-3.1-8B"}),
        &["base_model:finetune:meta-llama/Llama-3.1-8B"],
    );
    mount_model_with_info(&server, "org/tuned", info_).await;
    mount_metadata(
        &server,
        "meta-llama/Llama-3.1-8B",
        &info("meta-llama/Llama-3.1-8B"),
    )
    .await;
    mount_not_found(&server).await;
    let (card, verdict) = osai_verdict(&server, "org/tuned", "base-model-weights").await;
    assert_eq!(string(&card, "base.weights").as_deref(), Some("gated"));
    assert_eq!(verdict, "partial");
}

#[tokio::test]
async fn a_base_model_the_hub_does_not_serve_is_closed_unless_the_publisher_made_it() {
    let server = MockServer::start().await;
    for (id, base) in [("org/delta", "other/llama-7b"), ("org/dpo", "org/sft")] {
        let info_ = model(
            id,
            json!({"license": "apache-2.0", "base_model": base}),
            &[&format!("base_model:finetune:{base}")],
        );
        mount_model_with_info(&server, id, info_).await;
    }
    mount_not_found(&server).await;
    let (card, delta) = osai_verdict(&server, "org/delta", "base-model-weights").await;
    assert_eq!(string(&card, "base.weights").as_deref(), Some("not-on-hub"));
    assert_eq!(delta, "closed");
    let (_, stage) = osai_verdict(&server, "org/dpo", "base-model-weights").await;
    assert_eq!(
        stage, "open",
        "an earlier stage by the same publisher stands in for the release"
    );
}

/// Adapters and delta weights need their base to run: the end model is judged through it.
#[tokio::test]
async fn adapters_and_deltas_are_as_open_as_their_base() {
    let server = MockServer::start().await;
    let mut adapter = model(
        "org/lora",
        json!({"license": "apache-2.0", "base_model": "meta-llama/Llama-3.1-8B"}),
        &[],
    );
    adapter["siblings"] = json!([
        {"rfilename": "adapter_config.json"},
        {"rfilename": "adapter_model.safetensors", "size": 10}
    ]);
    mount_model_with_info(&server, "org/lora", adapter).await;
    mount_metadata(
        &server,
        "meta-llama/Llama-3.1-8B",
        &info("meta-llama/Llama-3.1-8B"),
    )
    .await;
    let mut delta = model(
        "org/delta-7b",
        json!({"license": "apache-2.0", "base_model": "other/llama-7b"}),
        &[],
    );
    delta["siblings"]
        .as_array_mut()
        .unwrap()
        .push(json!({"rfilename": "README.md"}));
    mount_model_with_info(&server, "org/delta-7b", delta).await;
    Mock::given(method("GET"))
        .and(path(format!("/org/delta-7b/resolve/{}/README.md", "1".repeat(40))))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            "# Delta\n\nWe release delta weights: apply the delta to the original LLaMA weights to get the model.\n",
        ))
        .mount(&server)
        .await;
    mount_not_found(&server).await;

    let (card, lora) = osai_verdict(&server, "org/lora", "end-model-weights").await;
    assert_eq!(value(&card, "weights.needs-base"), Some(Value::Bool(true)));
    assert_eq!(lora, "partial", "a gated base makes the adapter partial");
    let (card, delta) = osai_verdict(&server, "org/delta-7b", "end-model-weights").await;
    assert_eq!(value(&card, "weights.needs-base"), Some(Value::Bool(true)));
    assert_eq!(delta, "closed", "deltas of a base nobody serves");
}

#[tokio::test]
async fn third_party_fine_tuning_tools_are_never_training_code() {
    let server = MockServer::start().await;
    let mut info_ = model("Qwen/Tuned-8B", json!({"license": "apache-2.0"}), &[]);
    info_["siblings"]
        .as_array_mut()
        .unwrap()
        .push(json!({"rfilename": "README.md"}));
    mount_model_with_info(&server, "Qwen/Tuned-8B", info_).await;
    let readme = "---\nlicense: apache-2.0\n---\n# Tuned\n\n## Training\n\nFine-tuning is supported by [axolotl](https://github.com/axolotl-ai-cloud/axolotl), [LLaMA-Factory](https://github.com/hiyouga/LLaMA-Factory) and [ms-swift](https://github.com/modelscope/ms-swift).\n";
    Mock::given(method("GET"))
        .and(path(format!(
            "/Qwen/Tuned-8B/resolve/{}/README.md",
            "1".repeat(40)
        )))
        .respond_with(ResponseTemplate::new(200).set_body_string(readme))
        .mount(&server)
        .await;
    mount_not_found(&server).await;
    let card = audit(&server, "Qwen/Tuned-8B").await;
    assert_eq!(list(&card, "code.repositories").len(), 3);
    assert!(list(&card, "code.training").is_empty());
    assert_eq!(list(&card, "code.third-party").len(), 3);
    let training = card
        .dimensions
        .iter()
        .flat_map(|d| &d.criteria)
        .find(|c| &*c.id == "code-training")
        .unwrap();
    assert_eq!(training.status, openness::rubric::eval::Status::Fail);
}

/// A public dataset's metadata, listing a README at commit `sha`.
fn public_dataset(id: &str, sha: &str) -> serde_json::Value {
    json!({"id": id, "sha": sha, "gated": false, "private": false, "disabled": false,
           "cardData": {"license": "odc-by"}, "tags": ["license:odc-by"],
           "siblings": [{"rfilename": "README.md"}, {"rfilename": "data.jsonl"}]})
}

const DATASHEET: &str = "---\nlicense: odc-by\n---\n# Corpus\n\n## Dataset Summary\n\nThree trillion tokens of web pages, books and code gathered to pretrain open language models.\n\n## Dataset Structure\n\n| subset | tokens |\n|---|---|\n| web | 2.3T |\n| code | 0.4T |\n\n## Source Data\n\nCommon Crawl snapshots from 2019 to 2023, filtered for language and quality, deduplicated by URL.\n";
const THIN_CARD: &str = "---\nlicense: odc-by\n---\n# Instructions\n\nA few instruction pairs.\n";

#[tokio::test]
async fn named_datasets_cards_are_read_like_datasheets_once_per_run() {
    let server = MockServer::start().await;
    let (sheet, thin) = ("lab/corpus", "lab/instructions");
    let (sheet_sha, thin_sha) = ("a".repeat(40), "b".repeat(40));
    for (id, datasets) in [
        ("lab/base", vec![sheet]),
        ("lab/chat", vec![sheet, thin, "lab/gated-set"]),
    ] {
        mount_model_with_info(&server, id, model(id, json!({"datasets": datasets}), &[])).await;
    }
    for (id, sha, text) in [(sheet, &sheet_sha, DATASHEET), (thin, &thin_sha, THIN_CARD)] {
        Mock::given(method("GET"))
            .and(path(format!("/api/datasets/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(public_dataset(id, sha)))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path(format!("/datasets/{id}/resolve/{sha}/README.md")))
            .respond_with(ResponseTemplate::new(200).set_body_string(text))
            .mount(&server)
            .await;
    }
    let mut gated = public_dataset("lab/gated-set", &"c".repeat(40));
    gated["gated"] = json!("manual");
    Mock::given(method("GET"))
        .and(path("/api/datasets/lab/gated-set"))
        .respond_with(ResponseTemplate::new(200).set_body_json(gated))
        .mount(&server)
        .await;
    mount_not_found(&server).await;

    let home = tempfile::tempdir().unwrap();
    let outcomes = auditor_with(&server, home.path(), "osai")
        .audit_all(&["lab/base".to_owned(), "lab/chat".to_owned()])
        .await;
    let cards: Vec<Scorecard> = outcomes.into_iter().map(|o| o.result.unwrap()).collect();
    let verdict = |card: &Scorecard| {
        card.dimensions
            .iter()
            .find(|d| d.id == "datasheet")
            .and_then(|d| d.verdict.clone())
    };

    assert_eq!(list(&cards[0], "data.datasets-documented"), [sheet]);
    assert!(list(&cards[0], "data.datasets-undocumented").is_empty());
    assert_eq!(verdict(&cards[0]).as_deref(), Some("open"));
    assert_eq!(
        provenance(&cards[0], "data.datasets-documented"),
        [Provenance::related(
            format!("datasets/{sheet}"),
            "README.md"
        )]
    );

    assert_eq!(list(&cards[1], "data.datasets-documented"), [sheet]);
    assert_eq!(list(&cards[1], "data.datasets-undocumented"), [thin]);
    assert_eq!(verdict(&cards[1]).as_deref(), Some("partial"));

    let requests = server.received_requests().await.unwrap();
    let readme = |id: &str, sha: &str| {
        requests_to(
            &requests,
            &format!("/datasets/{id}/resolve/{sha}/README.md"),
        )
    };
    assert_eq!(readme(sheet, &sheet_sha), 1, "read once for both models");
    assert_eq!(readme(thin, &thin_sha), 1);
    assert!(
        !requests
            .iter()
            .any(|r| r.url.path().starts_with("/datasets/lab/gated-set/")),
        "a gated dataset's card is not requested"
    );
}

#[tokio::test]
async fn a_shipped_eu_training_content_summary_is_a_datasheet() {
    let server = MockServer::start().await;
    let mut info = model("lab/eu-model", json!({"license": "apache-2.0"}), &[]);
    info["siblings"]
        .as_array_mut()
        .unwrap()
        .push(json!({"rfilename": "docs/Public_Summary_of_Training_Content.pdf"}));
    mount_model_with_info(&server, "lab/eu-model", info).await;
    mount_not_found(&server).await;
    let card = audit(&server, "lab/eu-model").await;
    assert_eq!(value(&card, "data.datasheet"), Some(Value::Bool(true)));
    assert!(
        provenance(&card, "data.datasheet").contains(&Provenance::file(
            "docs/Public_Summary_of_Training_Content.pdf",
            None
        ))
    );
}

#[tokio::test]
async fn a_repository_without_a_card_has_every_osai_parameter_decided() {
    // The Hub lists the files and there is no README.md: nothing a card would state is stated,
    // which is a fact (closed), not evidence that could not be read (unknown).
    let server = MockServer::start().await;
    let info_ = model("org/no-card", json!({"license": "apache-2.0"}), &[]);
    mount_model_with_info(&server, "org/no-card", info_).await;
    mount_not_found(&server).await;
    let (card, _) = osai_verdict(&server, "org/no-card", "model-card").await;
    assert!(codes(&card).contains(&"card-missing"), "{:?}", codes(&card));
    for dimension in &card.dimensions {
        assert_ne!(
            dimension.verdict.as_deref(),
            Some("unknown"),
            "{} is unknown",
            dimension.id
        );
    }
    assert_eq!(list(&card, "card.core-topics"), Vec::<String>::new());
    assert_eq!(
        value(&card, "data.training-section"),
        Some(Value::Bool(false))
    );
    // Those facts cite the file list that shows the card is missing, not a README.md.
    assert_eq!(
        provenance(&card, "card.core-topics"),
        [Provenance::api("siblings")]
    );
}

/// Whether the `mof` criterion `id` passed for `model_id`.
async fn mof_passes(server: &MockServer, model_id: &str, id: &str) -> bool {
    let card = audit_with(server, "mof", model_id).await;
    let criterion = card
        .dimensions
        .iter()
        .flat_map(|d| d.criteria.iter())
        .find(|c| &*c.id == id)
        .unwrap();
    criterion.points == criterion.max
}

#[tokio::test]
async fn mof_datasets_the_hub_lacks_take_the_release_license_beside_open_hub_datasets() {
    // MOT gives data without a license of its own the release's license (resolveLicense); the
    // Hub's open dataset beside it does not change that.
    let server = MockServer::start().await;
    for (id, datasets) in [
        ("org/mixed", json!(["allenai/dolma", "nobody/gone"])),
        ("org/only-missing", json!(["nobody/gone"])),
        (
            "org/gated-beside",
            json!(["bigcode/the-stack", "nobody/gone"]),
        ),
    ] {
        let info_ = model(
            id,
            json!({"license": "apache-2.0", "datasets": datasets}),
            &[],
        );
        mount_model_with_info(&server, id, info_).await;
    }
    mount_dataset(&server, "allenai/dolma").await;
    mount_dataset(&server, "bigcode/the-stack").await;
    mount_not_found(&server).await;
    assert!(mof_passes(&server, "org/only-missing", "datasets").await);
    assert!(mof_passes(&server, "org/mixed", "datasets").await);
    // A gated dataset is not open data, whatever else the card names.
    assert!(!mof_passes(&server, "org/gated-beside", "datasets").await);
}

#[tokio::test]
async fn a_release_that_publishes_no_license_terms_fails_instead_of_staying_unknown() {
    // `license: other` and no license text in the repository: no terms are published, so nothing
    // is openly licensed — a decided fail, as osai's `licenses` is closed, not unknown.
    let server = MockServer::start().await;
    let info_ = model("org/no-terms", json!({"license": "other"}), &[]);
    mount_model_with_info(&server, "org/no-terms", info_).await;
    mount_not_found(&server).await;
    for name in ["mof", "osaid"] {
        let card = audit_with(&server, name, "org/no-terms").await;
        let codes = codes(&card);
        assert!(codes.contains(&"license-text-missing"), "{codes:?}");
        for criterion in card.dimensions.iter().flat_map(|d| d.criteria.iter()) {
            assert_ne!(
                criterion.status,
                openness::rubric::eval::Status::Unknown,
                "{name}: {}",
                criterion.id
            );
        }
    }
}
