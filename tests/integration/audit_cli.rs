//! `openness audit` as a user runs it: exit codes, stderr, and snapshots of each format.

use crate::support::{self, mount_model, mount_not_found, openness, redact, stderr, stdout};
use wiremock::MockServer;

async fn hub_with_models() -> MockServer {
    let server = MockServer::start().await;
    for id in [
        "deepseek-ai/DeepSeek-R1",
        "meta-llama/Llama-3.1-8B-Instruct",
        "Qwen/Qwen2.5-7B-Instruct",
    ] {
        mount_model(&server, id).await;
    }
    // The base model of Llama-3.1-8B-Instruct, read for its lineage. Its card still names it by
    // its old id, which the Hub redirects to the new one.
    let base = "meta-llama/Llama-3.1-8B";
    support::mount_metadata(&server, base, &support::info(base)).await;
    wiremock::Mock::given(wiremock::matchers::path(
        "/api/models/meta-llama/Meta-Llama-3.1-8B",
    ))
    .respond_with(
        wiremock::ResponseTemplate::new(307)
            .insert_header("location", format!("/api/models/{base}")),
    )
    .mount(&server)
    .await;
    mount_not_found(&server).await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_with_a_missing_model_reports_the_rest_and_exits_3() {
    let server = hub_with_models().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1",
            "nobody/nothing",
            "Qwen/Qwen2.5-7B-Instruct",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("error: nobody/nothing: repository not found"),
        "{err}"
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["schema"], "openness/v1");
    let models: Vec<&str> = doc["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["model"].as_str().unwrap())
        .collect();
    assert_eq!(
        models,
        ["deepseek-ai/DeepSeek-R1", "Qwen/Qwen2.5-7B-Instruct"]
    );
    assert_eq!(doc["errors"][0]["model"], "nobody/nothing");
    assert_eq!(doc["errors"][0]["code"], "repo-not-found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_snapshot() {
    let server = hub_with_models().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1",
            "meta-llama/Llama-3.1-8B-Instruct",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = redact(&stdout(&out), &server.uri(), home.path());
    let text = text.replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    insta::assert_snapshot!("audit_json", text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn table_output_snapshot() {
    let server = hub_with_models().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1",
            "meta-llama/Llama-3.1-8B-Instruct",
            "--format",
            "table",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(
        "audit_table",
        redact(&stdout(&out), &server.uri(), home.path())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_table_snapshot() {
    let server = hub_with_models().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "Qwen/Qwen2.5-7B-Instruct",
            "--format",
            "table",
            "--explain",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    insta::assert_snapshot!(
        "audit_table_explain",
        redact(&stdout(&out), &server.uri(), home.path())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn output_file_and_exit_codes() {
    let server = hub_with_models().await;
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("report.json");
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1",
            "-o",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        doc["scorecards"][0]["revision"],
        support::sha("deepseek-ai/DeepSeek-R1")
    );

    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1",
            "--rubric",
            "no-such-rubric",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown rubric `no-such-rubric`"),
        "{}",
        stderr(&out)
    );

    let out = openness(&server.uri(), home.path(), &["audit"]);
    assert_eq!(out.status.code(), Some(2));

    let out = openness("not a url", home.path(), &["audit", "a/b"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("invalid endpoint"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn offline_with_nothing_cached_exits_3_and_says_what_to_do() {
    let home = tempfile::tempdir().unwrap();
    let out = support::openness_with_env(
        "http://127.0.0.1:9",
        home.path(),
        &["audit", "org/model", "--format", "json"],
        &[("HF_HUB_OFFLINE", "1")],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("not in the local cache"),
        "{}",
        stderr(&out)
    );
}
