//! Secrets, determinism and the cache: the token never leaves for another host or reaches any
//! output; the same inputs give the same bytes; a second run downloads nothing again.

use crate::support::{
    self, TOKEN, mount_model, mount_not_found, openness_with_env, stderr, stdout,
};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_redirect_to_another_host_drops_the_token() {
    let hub = MockServer::start().await;
    let cdn = MockServer::start().await;
    let id = "meta-llama/Llama-3.1-8B-Instruct";
    let sha = support::sha(id);
    // The Hub sends the license to its CDN, as it does for LFS files.
    Mock::given(method("GET"))
        .and(path(format!("/{id}/resolve/{sha}/LICENSE")))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/blobs/license", cdn.uri()).as_str()),
        )
        .with_priority(1)
        .mount(&hub)
        .await;
    Mock::given(method("GET"))
        .and(path("/blobs/license"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("LLAMA 3.1 COMMUNITY LICENSE AGREEMENT"),
        )
        .mount(&cdn)
        .await;
    mount_model(&hub, id).await;
    mount_not_found(&hub).await;
    let home = tempfile::tempdir().unwrap();
    let auditor = openness::audit::Auditor::new(
        support::settings(&hub.uri(), home.path(), Some(TOKEN)),
        openness::rubric::resolve("default").unwrap(),
    )
    .unwrap();
    auditor.audit(id).await.unwrap();

    let at_hub = hub.received_requests().await.unwrap();
    assert!(at_hub.iter().all(|r| {
        r.headers
            .get("authorization")
            .is_some_and(|v| v == &format!("Bearer {TOKEN}"))
    }));
    let at_cdn = cdn.received_requests().await.unwrap();
    assert_eq!(at_cdn.len(), 1, "the redirect was followed");
    assert!(
        at_cdn[0].headers.get("authorization").is_none(),
        "the token went to another host"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_reaches_no_output_and_no_error() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    Mock::given(method("GET"))
        .and(path("/api/models/org/bad-token"))
        .respond_with(ResponseTemplate::new(401).insert_header(
            "x-error-message",
            format!("Invalid credentials in Authorization header (Bearer {TOKEN})").as_str(),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/models/org/down"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // Servers that echo the request's Authorization header in their error text (issue 14 row 3).
    for status in [400u16, 403, 418, 500] {
        Mock::given(method("GET"))
            .and(path(format!("/api/models/org/echo-{status}")))
            .respond_with(ResponseTemplate::new(status).insert_header(
                "x-error-message",
                format!("request had Authorization: Bearer {TOKEN} ({TOKEN})").as_str(),
            ))
            .mount(&server)
            .await;
    }
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    for format in [
        "table",
        "json",
        "jsonl",
        "csv",
        "markdown",
        "html",
        "cyclonedx",
    ] {
        let file = home.path().join(format!("report.{format}"));
        let mut args = vec![
            "audit",
            "deepseek-ai/DeepSeek-R1",
            "org/bad-token",
            "org/echo-400",
            "org/echo-403",
            "org/echo-418",
            "--format",
            format,
            "-o",
            file.to_str().unwrap(),
            "--explain",
        ];
        // A 500 is retried with backoff: once is enough to show its message is redacted too.
        if format == "json" {
            args.push("org/echo-500");
        }
        let out = openness_with_env(&server.uri(), home.path(), &args, &[("HF_TOKEN", TOKEN)]);
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        let written = std::fs::read_to_string(&file).unwrap();
        for (what, text) in [
            ("stdout", stdout(&out)),
            ("stderr", stderr(&out)),
            ("report", written),
        ] {
            assert!(!text.contains(TOKEN), "the token is in the {format} {what}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_inputs_give_byte_identical_json() {
    let server = MockServer::start().await;
    for id in [
        "deepseek-ai/DeepSeek-R1",
        "allenai/OLMo-7B",
        "meta-llama/Llama-3.1-8B-Instruct",
    ] {
        mount_model(&server, id).await;
    }
    mount_not_found(&server).await;
    let run = || {
        // A fresh cache each time: the second run must not differ because files came from disk.
        let home = tempfile::tempdir().unwrap();
        let out = openness_with_env(
            &server.uri(),
            home.path(),
            &[
                "audit",
                "allenai/OLMo-7B",
                "deepseek-ai/DeepSeek-R1",
                "meta-llama/Llama-3.1-8B-Instruct",
                "--format",
                "json",
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out.stdout
    };
    let first = run();
    assert_eq!(first, run());
    let text = String::from_utf8(first).unwrap();
    assert!(
        !text.contains("timestamp") && !text.contains("\"time\""),
        "no timestamps"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_identical_rank_downloads_no_file_again() {
    let server = MockServer::start().await;
    for id in ["deepseek-ai/DeepSeek-R1", "allenai/OLMo-7B"] {
        mount_model(&server, id).await;
    }
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let rank = || {
        let out = openness_with_env(
            &server.uri(),
            home.path(),
            &[
                "rank",
                "deepseek-ai/DeepSeek-R1",
                "allenai/OLMo-7B",
                "--format",
                "json",
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        out.stdout
    };
    let first = rank();
    let files = |requests: &[wiremock::Request]| {
        requests
            .iter()
            .filter(|r| r.url.path().contains("/resolve/"))
            .count()
    };
    let after_first = files(&server.received_requests().await.unwrap());
    assert!(after_first > 0);
    let second = rank();
    assert_eq!(
        files(&server.received_requests().await.unwrap()),
        after_first,
        "the second run read every file from the cache"
    );
    // The same scorecards; only the record of where the facts came from differs, and says so.
    let parse = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).unwrap();
    let (mut first, mut second) = (parse(&first), parse(&second));
    for card in second["scorecards"].as_array().unwrap() {
        assert_eq!(
            card["retrieval"]["metadata"], "cache",
            "{}",
            card["retrieval"]
        );
        assert!(
            card["retrieval"]["cached"]
                .as_array()
                .unwrap()
                .contains(&"README.md".into())
        );
    }
    for doc in [&mut first, &mut second] {
        for card in doc["scorecards"].as_array_mut().unwrap() {
            card.as_object_mut().unwrap().remove("retrieval");
        }
    }
    assert_eq!(first, second);
}

/// Issue 14 row 4: credentials in `HF_ENDPOINT` go as basic auth and appear in no output.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_credentials_are_sent_as_basic_auth_and_never_shown() {
    let server = MockServer::start().await;
    mount_model(&server, "allenai/OLMo-7B").await;
    mount_not_found(&server).await;
    let with_login = server
        .uri()
        .replacen("http://", "http://alice:s3cr3t-pw@", 1);
    let home = tempfile::tempdir().unwrap();
    for format in ["json", "markdown", "html", "table"] {
        let out = openness_with_env(
            &with_login,
            home.path(),
            &[
                "audit",
                "allenai/OLMo-7B",
                "org/missing",
                "--format",
                format,
            ],
            &[],
        );
        assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
        for (what, text) in [("stdout", stdout(&out)), ("stderr", stderr(&out))] {
            assert!(
                !text.contains("s3cr3t-pw"),
                "the password is in the {format} {what}"
            );
            assert!(
                !text.contains("alice"),
                "the user is in the {format} {what}"
            );
        }
    }
    let requests = server.received_requests().await.unwrap();
    assert!(requests.iter().all(|r| {
        r.headers
            .get("authorization")
            .is_some_and(|v| v.to_str().unwrap().starts_with("Basic "))
    }));
}

/// Issue 14 row 7: a local folder cannot pull files from outside itself into a report, a FIFO
/// is not a file, and directory symlink loops are not walked.
#[cfg(unix)]
#[test]
fn a_local_folder_stays_inside_itself() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(secret.join("notes.md"), "# Private\n\nthe-secret-words\n").unwrap();
    let model = dir.path().join("model");
    std::fs::create_dir(&model).unwrap();
    std::fs::write(model.join("config.json"), "{}").unwrap();
    std::fs::write(model.join("model.safetensors"), [0u8; 8]).unwrap();
    symlink("../secret/notes.md", model.join("README.md")).unwrap();
    for i in 0..6 {
        symlink(".", model.join(format!("s{i}"))).unwrap();
    }
    let fifo = std::process::Command::new("mkfifo")
        .arg(model.join("LICENSE"))
        .status();
    let started = std::time::Instant::now();
    let out = openness_with_env(
        "http://127.0.0.1:9",
        dir.path(),
        &["audit", model.to_str().unwrap(), "--format", "json"],
        &[],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(!text.contains("the-secret-words"), "{text}");
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let card = &doc["scorecards"][0]["evidence"];
    assert_eq!(
        card["card.present"]["value"], false,
        "the README outside the folder is not read"
    );
    if fifo.is_ok_and(|s| s.success()) {
        assert_eq!(
            card["license.files"]["value"],
            serde_json::json!([]),
            "a FIFO is not a license file"
        );
    }
}
