//! The Hub client and the audit pipeline, used as a library against a fake Hub.

use crate::support::{self, TOKEN, fact, mount_model, mount_not_found, settings, sha};
use openness::audit::Auditor;
use openness::evidence::Value;
use openness::evidence::findings::Code;
use openness::hub::HubError;
use openness::rubric;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn auditor(endpoint: &str, home: &std::path::Path, token: Option<&str>) -> Auditor {
    Auditor::new(
        settings(endpoint, home, token),
        rubric::resolve("default").unwrap(),
    )
    .unwrap()
}

#[tokio::test]
async fn plain_model_is_pinned_to_the_api_sha() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    let home = tempfile::tempdir().unwrap();
    let card = auditor(&server.uri(), home.path(), None)
        .audit("deepseek-ai/DeepSeek-R1")
        .await
        .unwrap();

    let sha = sha("deepseek-ai/DeepSeek-R1");
    assert_eq!(card.revision.as_deref(), Some(sha.as_str()));
    assert_eq!(
        fact(&card, "weights.published").unwrap().value,
        Value::Bool(true)
    );
    assert_eq!(fact(&card, "weights.files").unwrap().value, Value::Int(163));
    assert_eq!(card.license.declared, ["mit"]);
    assert_eq!(card.dimensions.len(), 4);

    // One metadata call with blobs=true and one refs call; every file fetch pinned to the sha.
    let requests = server.received_requests().await.unwrap();
    let api: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path().starts_with("/api/"))
        .collect();
    assert_eq!(api.len(), 2);
    let metadata: Vec<_> = api
        .iter()
        .filter(|r| r.url.path() == "/api/models/deepseek-ai/DeepSeek-R1")
        .collect();
    assert_eq!(metadata.len(), 1);
    assert_eq!(metadata[0].url.query(), Some("blobs=true"));
    assert!(
        api.iter()
            .any(|r| r.url.path() == "/api/models/deepseek-ai/DeepSeek-R1/refs")
    );
    let files: Vec<_> = requests
        .iter()
        .filter(|r| r.url.path().contains("/resolve/"))
        .collect();
    assert_eq!(files.len(), 2, "README.md and LICENSE");
    assert!(
        files
            .iter()
            .all(|r| r.url.path().contains(&format!("/resolve/{sha}/")))
    );
    assert!(requests.iter().all(|r| {
        r.headers
            .get("user-agent")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("openness/")
    }));
}

#[tokio::test]
async fn gated_model_without_token_is_scored_from_metadata() {
    let server = MockServer::start().await;
    mount_model(&server, "meta-llama/Llama-3.1-8B-Instruct").await;
    let home = tempfile::tempdir().unwrap();
    let card = auditor(&server.uri(), home.path(), None)
        .audit("meta-llama/Llama-3.1-8B-Instruct")
        .await
        .unwrap();

    assert_eq!(card.gate.as_deref(), Some("manual"));
    assert_eq!(card.license.id.as_deref(), Some("llama3.1"));
    assert_eq!(
        fact(&card, "access.files-readable").unwrap().value,
        Value::Bool(false)
    );
    assert!(card.findings.iter().any(|f| f.code == Code::WeightsGated));
    let unreadable = card
        .findings
        .iter()
        .find(|f| f.code == Code::FilesUnreadable)
        .unwrap();
    assert!(
        unreadable.message.contains("README.md (gated"),
        "{}",
        unreadable.message
    );
    // The card could not be read, so card facts are unknown, not false.
    assert!(fact(&card, "card.present").is_none());
    let requests = server.received_requests().await.unwrap();
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("authorization").is_none())
    );
}

/// Under the OSAI rubric every criterion the gated card would decide is unknown, and the
/// scorecard says which facts are missing and that a token after accepting the gate gets them.
#[tokio::test]
async fn unknown_criteria_name_the_missing_facts_and_the_remedy() {
    let server = MockServer::start().await;
    mount_model(&server, "meta-llama/Llama-3.1-8B-Instruct").await;
    let home = tempfile::tempdir().unwrap();
    let osai = Auditor::new(
        settings(&server.uri(), home.path(), None),
        rubric::resolve("osai").unwrap(),
    )
    .unwrap();
    let card = osai
        .audit("meta-llama/Llama-3.1-8B-Instruct")
        .await
        .unwrap();
    let model_card = card
        .dimensions
        .iter()
        .find(|d| d.id == "model-card")
        .unwrap();
    assert_eq!(model_card.verdict.as_deref(), Some("unknown"));
    let core = openness::evidence::keys::lookup("card.core-topics").unwrap();
    let why = card
        .unknown_facts
        .get(&core)
        .expect("card.core-topics is named");
    assert!(why.starts_with("README.md is gated"), "{why}");
    assert!(why.contains("pass a token"), "{why}");
    // Facts the API answers are known, so they are not listed.
    let gate = openness::evidence::keys::lookup("access.gate").unwrap();
    assert!(!card.unknown_facts.contains_key(&gate));
}

#[tokio::test]
async fn gated_model_with_token_reads_its_files() {
    let server = MockServer::start().await;
    mount_model(&server, "meta-llama/Llama-3.1-8B-Instruct").await;
    let home = tempfile::tempdir().unwrap();
    let card = auditor(&server.uri(), home.path(), Some(TOKEN))
        .audit("meta-llama/Llama-3.1-8B-Instruct")
        .await
        .unwrap();

    assert_eq!(
        fact(&card, "access.files-readable").unwrap().value,
        Value::Bool(true)
    );
    assert_eq!(
        fact(&card, "card.present").unwrap().value,
        Value::Bool(true)
    );
    assert!(
        !card
            .findings
            .iter()
            .any(|f| f.code == Code::FilesUnreadable)
    );
    assert_eq!(card.license.files, ["LICENSE", "USE_POLICY.md"]);
}

#[tokio::test]
async fn renamed_repo_follows_the_redirect() {
    let server = MockServer::start().await;
    mount_model(&server, "google-bert/bert-base-uncased").await;
    Mock::given(method("GET"))
        .and(path("/api/models/bert-base-uncased"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header(
                    "location",
                    "/api/models/google-bert/bert-base-uncased?blobs=true",
                )
                .set_body_string(
                    "Temporary Redirect. Redirecting to /api/models/google-bert/bert-base-uncased",
                ),
        )
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let card = auditor(&server.uri(), home.path(), None)
        .audit("bert-base-uncased")
        .await
        .unwrap();
    assert_eq!(card.model, "google-bert/bert-base-uncased");
    assert_eq!(card.requested.as_deref(), Some("bert-base-uncased"));
    assert_eq!(
        card.revision.as_deref(),
        Some(sha("google-bert/bert-base-uncased").as_str())
    );
    let datasets = fact(&card, "data.datasets").unwrap().value.clone();
    assert_eq!(
        datasets,
        Value::List(vec!["bookcorpus".into(), "wikipedia".into()])
    );
}

#[tokio::test]
async fn missing_repo_and_revision_are_clear_errors() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/models/org/model/revision/v9"))
        .respond_with(ResponseTemplate::new(404).insert_header("x-error-code", "RevisionNotFound"))
        .mount(&server)
        .await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let auditor = auditor(&server.uri(), home.path(), None);

    let err = auditor.audit("nobody/nothing").await.unwrap_err();
    assert!(matches!(err, HubError::RepoNotFound { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with("nobody/nothing: repository not found"),
        "{err}"
    );

    let err = auditor.audit("org/model@v9").await.unwrap_err();
    assert!(
        matches!(err, HubError::RevisionNotFound { ref revision, .. } if revision == "v9"),
        "{err:?}"
    );

    let err = auditor.audit("../etc/passwd").await.unwrap_err();
    assert!(matches!(err, HubError::InvalidModel { .. }), "{err:?}");
}

#[tokio::test]
async fn rate_limit_is_retried_after_the_advertised_delay() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/models/deepseek-ai/DeepSeek-R1"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "0")
                .insert_header("ratelimit", "\"api\";r=0;t=0"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    let home = tempfile::tempdir().unwrap();
    let auditor = auditor(&server.uri(), home.path(), None);
    let card = auditor.audit("deepseek-ai/DeepSeek-R1").await.unwrap();
    assert_eq!(card.license.declared, ["mit"]);
    let metadata_calls = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/api/models/deepseek-ai/DeepSeek-R1")
        .count();
    assert_eq!(metadata_calls, 2, "one 429, then the answer");
}

#[tokio::test]
async fn server_errors_exhaust_retries_into_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let err = auditor(&server.uri(), home.path(), None)
        .audit("org/model")
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            HubError::Server {
                status: 502,
                attempts: 6,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 6);
}

#[tokio::test]
async fn malformed_json_is_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("{\"id\": \"org/model\", \"sha\": ", "application/json"),
        )
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let err = auditor(&server.uri(), home.path(), None)
        .audit("org/model")
        .await
        .unwrap_err();
    assert!(
        matches!(err, HubError::MalformedJson { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("org/model"));
}

#[tokio::test]
async fn broken_front_matter_is_a_finding_not_a_failure() {
    let server = MockServer::start().await;
    let sha = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";
    let info = serde_json::json!({
        "id": "org/broken", "sha": sha, "gated": false, "private": false, "disabled": false,
        "tags": [], "siblings": [{"rfilename": "README.md"}, {"rfilename": "model.safetensors"}]
    });
    crate::support::mount_model_with_info(&server, "org/broken", info).await;
    Mock::given(method("GET"))
        .and(path(format!("/org/broken/resolve/{sha}/README.md")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string("---\nlicense: [mit\n  datasets: : :\n---\n# Broken\n"),
        )
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let card = auditor(&server.uri(), home.path(), None)
        .audit("org/broken")
        .await
        .unwrap();
    let finding = card
        .findings
        .iter()
        .find(|f| f.code == Code::FrontMatterInvalid)
        .expect("a front-matter finding");
    assert!(
        finding.message.starts_with("README.md front matter:"),
        "{}",
        finding.message
    );
    assert_eq!(
        fact(&card, "card.metadata").unwrap().value,
        Value::Bool(false)
    );
    assert_eq!(
        fact(&card, "weights.published").unwrap().value,
        Value::Bool(true)
    );
}

#[tokio::test]
async fn local_folder_is_read_like_a_release() {
    let dir = tempfile::tempdir().unwrap();
    let files = support::fixture_dir("deepseek-ai/DeepSeek-R1").join("files");
    std::fs::copy(files.join("LICENSE"), dir.path().join("LICENSE")).unwrap();
    std::fs::write(dir.path().join("README.md"), "---\nlicense: mit\ndatasets:\n- org/data\n---\n# Model\n## Training data\nWe used org/data.\n").unwrap();
    std::fs::write(dir.path().join("model.safetensors"), b"").unwrap();
    let home = tempfile::tempdir().unwrap();
    let card = auditor("http://127.0.0.1:9", home.path(), None)
        .audit(dir.path().to_str().unwrap())
        .await
        .unwrap();
    assert_eq!(card.source.kind, "local");
    assert_eq!(card.license.declared, ["mit"]);
    assert_eq!(
        fact(&card, "data.datasets").unwrap().value,
        Value::List(vec!["org/data".into()])
    );
    assert_eq!(
        fact(&card, "data.training-section").unwrap().value,
        Value::Bool(true)
    );
    assert_eq!(
        fact(&card, "weights.formats").unwrap().value,
        Value::List(vec!["safetensors".into()])
    );
    let provenance = &fact(&card, "license.declared").unwrap().provenance[0];
    assert_eq!(provenance.to_string(), "README.md:2");
}

#[tokio::test]
async fn offline_reads_the_cache_and_opens_no_socket() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    let home = tempfile::tempdir().unwrap();
    let online = auditor(&server.uri(), home.path(), None)
        .audit("deepseek-ai/DeepSeek-R1")
        .await
        .unwrap();

    // A listener nobody may connect to: offline mode must not even try.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let endpoint = format!("http://{}", listener.local_addr().unwrap());
    let mut offline_settings = settings(&endpoint, home.path(), None);
    offline_settings.offline = true;
    let offline = Auditor::new(offline_settings, rubric::resolve("default").unwrap()).unwrap();

    let card = offline.audit("deepseek-ai/DeepSeek-R1").await.unwrap();
    assert_eq!(card.source.kind, "cache");
    assert_eq!(card.revision, online.revision);
    assert_eq!(card.score, online.score);
    // Issue 14 row 11: the related lookups the online run made (datasets, branches, base
    // models) were recorded, so offline gives the same facts and the same verdicts, and says
    // that they came from the cache.
    assert_eq!(card.evidence, online.evidence);
    assert!(fact(&online, "data.datasets-on-hub").is_some());
    let retrieval = card.retrieval.as_ref().unwrap();
    assert_eq!(retrieval.metadata, "cache");
    assert!(
        retrieval.cached.contains(&"README.md".to_owned()),
        "{retrieval:?}"
    );
    // The fixture server does not serve the refs API: nothing was recorded, and offline says
    // the branches are unavailable rather than empty.
    assert_eq!(retrieval.unavailable, ["branches"], "{retrieval:?}");

    let err = offline.audit("org/never-fetched").await.unwrap_err();
    assert!(matches!(err, HubError::NotCached { .. }), "{err:?}");
    assert!(err.to_string().contains("run once online"), "{err}");
    assert_eq!(
        listener.accept().map_err(|e| e.kind()).unwrap_err(),
        std::io::ErrorKind::WouldBlock
    );
}

#[tokio::test]
async fn second_audit_downloads_no_file_again() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    let home = tempfile::tempdir().unwrap();
    let auditor = auditor(&server.uri(), home.path(), None);
    auditor.audit("deepseek-ai/DeepSeek-R1").await.unwrap();
    auditor.audit("deepseek-ai/DeepSeek-R1").await.unwrap();
    let file_requests = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().contains("/resolve/"))
        .count();
    assert_eq!(file_requests, 2, "README.md and LICENSE once each");
}

#[tokio::test]
async fn a_license_shared_by_two_releases_is_downloaded_once() {
    let server = MockServer::start().await;
    let blob = "0123456789abcdef0123456789abcdef01234567";
    for (id, sha) in [("org/a", "a".repeat(40)), ("org/b", "b".repeat(40))] {
        let info = serde_json::json!({
            "id": id, "sha": sha, "gated": false, "private": false, "disabled": false, "tags": [],
            "cardData": {"license": "other", "license_name": "my-terms"},
            "siblings": [{"rfilename": "LICENSE", "blobId": blob}, {"rfilename": "model.safetensors"}]
        });
        crate::support::mount_model_with_info(&server, id, info).await;
        Mock::given(method("GET"))
            .and(path(format!("/{id}/resolve/{sha}/LICENSE")))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_string("MIT License\n\nPermission is hereby granted..."),
            )
            .mount(&server)
            .await;
    }
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let outcomes = auditor(&server.uri(), home.path(), None)
        .audit_all(&["org/a".to_owned(), "org/b".to_owned()])
        .await;
    assert!(outcomes.iter().all(|o| o.result.is_ok()));
    let downloads = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().ends_with("/LICENSE"))
        .count();
    assert_eq!(downloads, 1, "one download for one blob");
}
