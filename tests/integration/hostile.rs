//! Issue 14's table as a suite: each reproduction of a hostile or broken server, folder or card,
//! against the real binary or client on loopback. Each test names its row.

use crate::support::{self, mount_model, mount_not_found, openness_bounded, stderr};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Far more than any of these runs needs: reaching it means a stall.
const BOUND: Duration = Duration::from_secs(60);

fn assert_no_panic(out: &std::process::Output) {
    let err = stderr(out);
    assert_ne!(out.status.code(), Some(101), "panicked: {err}");
    assert!(!err.contains("panicked"), "{err}");
}

async fn always_429(headers: &[(&str, &str)]) -> MockServer {
    let server = MockServer::start().await;
    let mut answer = ResponseTemplate::new(429).set_body_string("{\"error\":\"rate limited\"}");
    for (name, value) in headers {
        answer = answer.insert_header(*name, *value);
    }
    Mock::given(method("GET"))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// Row 1: `Retry-After: 99999999999999999999` overflowed a duration (exit 101). Now the wait is
/// clamped to 5 minutes and the deadline ends the model.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row1_an_overflowing_retry_after_is_clamped_not_a_panic() {
    for headers in [
        vec![("retry-after", "99999999999999999999")],
        vec![("retry-after", "1e400")],
        vec![
            ("retry-after", "-5"),
            ("ratelimit", "\"api\";r=0;t=18446744073709551615"),
        ],
    ] {
        let server = always_429(&headers).await;
        let home = tempfile::tempdir().unwrap();
        let out = openness_bounded(
            &server.uri(),
            home.path(),
            &[
                "audit",
                "t/always-429-big",
                "--timeout",
                "2",
                "--format",
                "json",
            ],
            &[],
            BOUND,
        );
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(3), "{headers:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("deadline"), "{}", stderr(&out));
    }
}

/// Row 1: a `RateLimit-Policy` window of 2^64-1 or 10^19 seconds overflowed an instant.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row1_an_overflowing_policy_window_is_clamped_not_a_panic() {
    for window in ["18446744073709551615", "10000000000000000000"] {
        let policy = format!("\"fixed window\";\"api\";q=1;w={window}");
        let server = always_429(&[
            ("retry-after", "1"),
            ("ratelimit", "\"api\";r=0;t=1"),
            ("ratelimit-policy", policy.as_str()),
        ])
        .await;
        let home = tempfile::tempdir().unwrap();
        let out = openness_bounded(
            &server.uri(),
            home.path(),
            &[
                "audit",
                "t/policy-overflow",
                "--timeout",
                "3",
                "--format",
                "json",
            ],
            &[],
            BOUND,
        );
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(3), "w={window}: {}", stderr(&out));
    }
}

/// Row 2: after one 429 announcing `q=1;w=1000000`, the next request waited 12 days. Now the
/// pacing interval is at most 2 s, and the audit completes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row2_a_huge_policy_window_does_not_stall_the_next_request() {
    let server = MockServer::start().await;
    let id = "allenai/OLMo-7B";
    Mock::given(method("GET"))
        .and(path(format!("/api/models/{id}")))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .insert_header("ratelimit-policy", "\"fixed window\";\"api\";q=1;w=1000000"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_model(&server, id).await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let out = openness_bounded(
        &server.uri(),
        home.path(),
        &["audit", id, "--timeout", "40", "--format", "json"],
        &[],
        BOUND,
    );
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

/// Row 13: a server that never answers cost 276 s for one model. The per-model deadline
/// (`--timeout`) ends it, exit 3, and names the deadline.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row13_a_server_that_never_answers_ends_at_the_deadline() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3600)))
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let out = openness_bounded(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "t/slow-headers",
            "--timeout",
            "2",
            "--format",
            "json",
        ],
        &[],
        BOUND,
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("2 s deadline"), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["errors"][0]["code"], "timed-out", "{json}");
}

/// Row 13: a redirect loop was retried 6 times (66 requests). It is not a transient failure:
/// one attempt, then `network-error`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row13_a_redirect_loop_is_not_retried() {
    let server = MockServer::start().await;
    for (from, to) in [("loop", "loop2"), ("loop2", "loop")] {
        Mock::given(method("GET"))
            .and(path(format!("/api/models/t/{from}")))
            .respond_with(
                ResponseTemplate::new(302).insert_header("location", format!("/api/models/t/{to}")),
            )
            .mount(&server)
            .await;
    }
    let home = tempfile::tempdir().unwrap();
    let out = openness_bounded(
        &server.uri(),
        home.path(),
        &["audit", "t/loop", "--format", "json"],
        &[],
        BOUND,
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("too many redirects"),
        "{}",
        stderr(&out)
    );
    let sent = server.received_requests().await.unwrap().len();
    assert!(sent <= 11, "{sent} requests: the loop was retried");
}

/// Row 13: a request that times out is tried twice, not six times.
#[tokio::test]
async fn row13_a_request_that_times_out_is_tried_twice() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(30)))
        .mount(&server)
        .await;
    let home = tempfile::tempdir().unwrap();
    let mut settings = support::settings(&server.uri(), home.path(), None);
    settings.request_timeout = Duration::from_millis(200);
    let auditor =
        openness::audit::Auditor::new(settings, openness::rubric::resolve("default").unwrap())
            .unwrap();
    let err = auditor.audit("t/slow").await.unwrap_err();
    assert_eq!(err.code(), "network-error", "{err}");
    assert!(err.to_string().contains("timed out"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}
