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

/// The bound for a hostile card of megabytes in the debug build the tests run (~12 s each on
/// the loaded 2-core machine; the release build of the fix takes ~2 s, and took 133 s before).
const CARD_BOUND: Duration = Duration::from_secs(150);

/// A folder holding one README of `text`, audited as JSON with no network.
fn audit_readme(text: &str, bound: Duration) -> (std::process::Output, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), text).unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = openness_bounded(
        "http://127.0.0.1:9",
        home.path(),
        &[
            "audit",
            dir.path().to_str().unwrap(),
            "--offline",
            "--format",
            "json",
        ],
        &[],
        bound,
    );
    assert_no_panic(&out);
    let json = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out, json)
}

fn finding_messages(json: &serde_json::Value, code: &str) -> Vec<String> {
    json["scorecards"][0]["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["code"] == code)
        .map(|f| f["message"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Row 5: 150,000 inline links on one line (3.8 MB) took 133 s, 100,000 reference links 40 s:
/// the bare-URL dedup scanned every link and each link's context searched the whole line. Now
/// card parsing is linear (benches/card_parsing.rs); both run in seconds, far inside the bound.
#[test]
fn row5_a_card_of_150000_links_is_parsed_in_linear_time() {
    let inline: String = (0..150_000)
        .map(|i| format!("[l{i}](http://x/{i}) "))
        .collect();
    let mut references: String = (0..100_000).map(|i| format!("[l{i}][r{i}] ")).collect();
    references.push_str("\n\n");
    for i in 0..100_000 {
        references.push_str(&format!("[r{i}]: http://x/{i}\n"));
    }
    for text in [inline, references] {
        let (out, json) = audit_readme(&text, CARD_BOUND);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(
            json["scorecards"][0]["evidence"]["card.present"]["value"],
            true
        );
    }
}

/// Row 14: a 4 MiB README of headings gave a 9.7 MB report listing 419,431 section names. Lists
/// keep 1,000 items and say so (`evidence-capped`).
#[test]
fn row14_a_readme_of_headings_does_not_amplify_the_report() {
    let (out, json) = audit_readme(&"# heading\n".repeat(419_431), CARD_BOUND);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        out.stdout.len() < 1_000_000,
        "{} bytes of JSON",
        out.stdout.len()
    );
    let sections = &json["scorecards"][0]["evidence"]["card.sections"]["value"];
    assert_eq!(sections.as_array().map(Vec::len), Some(1_000), "{sections}");
    let capped = finding_messages(&json, "evidence-capped");
    assert!(
        capped
            .iter()
            .any(|m| m.contains("card.sections") && m.contains("1000")),
        "{capped:?}"
    );
}

/// Row 6: 1,000 `LICENSE-*` files of 1 MiB cost 1.13 GB and 92 s. At most 20 license-like files
/// are read, within a 16 MiB budget, and `license-files-capped` says how many were left out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn row6_license_like_files_are_capped_with_a_finding() {
    use wiremock::matchers::path_regex;
    let server = MockServer::start().await;
    let id = "t/many-licenses";
    let mut siblings = vec![serde_json::json!({"rfilename": "README.md"})];
    siblings.extend((0..1000).map(|i| serde_json::json!({"rfilename": format!("LICENSE-{i:05}")})));
    let info = serde_json::json!({
        "id": id, "modelId": id, "author": "t", "sha": "a".repeat(40), "private": false,
        "siblings": siblings, "cardData": {"license": "mit"}, "tags": [],
    });
    support::mount_model_with_info(&server, id, info).await;
    let words = "Some custom license words for this file ".repeat(1 << 15);
    Mock::given(method("GET"))
        .and(path_regex(
            r"^/t/many-licenses/resolve/[a-z0-9]+/LICENSE-\d+$",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(words))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(
            r"^/t/many-licenses/resolve/[a-z0-9]+/README.md$",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string("---\nlicense: mit\n---\n# M\n"))
        .mount(&server)
        .await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let out = openness_bounded(
        &server.uri(),
        home.path(),
        &["audit", id, "--format", "json"],
        &[],
        BOUND,
    );
    assert_no_panic(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let licenses = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path().contains("/LICENSE-"))
        .count();
    assert_eq!(licenses, openness::limits::MAX_LICENSE_FILES);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let capped = finding_messages(&json, "license-files-capped");
    assert!(
        capped
            .iter()
            .any(|m| m.contains("1000") && m.contains("980")),
        "{capped:?}"
    );
    let files = &json["scorecards"][0]["evidence"]["license.files"]["value"];
    assert_eq!(files.as_array().map(Vec::len), Some(20), "{files}");
}

/// Row 16: a malformed URL (`https://github.com/evil/x"><script>…`) was accepted as a code
/// repository and earned evidence; U+2028, zero-width spaces and soft hyphens reached the
/// terminal, and a bare URL in model text became a link in Markdown.
#[test]
fn row16_malformed_urls_earn_nothing_and_invisible_characters_never_reach_output() {
    let readme = "---\nlicense: \"evil\u{200b}li\u{ad}cense\u{2028}see https://evil.example/accept\"\n---\n# Model\n\n## Code\n\nTraining code: [here](https://github.com/evil/x\"><script>alert(1)</script>) and [there](https://github.com/evil/y%22%3E%3Cscript%3E)\n";
    let (out, json) = audit_readme(readme, BOUND);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let repos = &json["scorecards"][0]["evidence"]["code.repositories"]["value"];
    assert_eq!(repos, &serde_json::json!([]), "{repos}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), readme).unwrap();
    let home = tempfile::tempdir().unwrap();
    for format in ["table", "markdown"] {
        let out = openness_bounded(
            "http://127.0.0.1:9",
            home.path(),
            &[
                "audit",
                dir.path().to_str().unwrap(),
                "--offline",
                "--explain",
                "--format",
                format,
            ],
            &[],
            BOUND,
        );
        assert_no_panic(&out);
        let text = format!("{}{}", support::stdout(&out), stderr(&out));
        assert!(text.contains("evil"), "{format}: the name is shown: {text}");
        for c in ['\u{200b}', '\u{ad}', '\u{2028}'] {
            assert!(!text.contains(c), "{format}: U+{:04X} in {text}", c as u32);
        }
        if format == "markdown" {
            assert!(!text.contains("https://evil.example"), "{text}");
        }
    }
}

/// Row 15: `--policy`, `--rubric`, `--from` read `/dev/zero` without bound (4.5 GB in 8 s) and
/// blocked on a FIFO; a non-UTF-8 file had no position; an unknown key in `openness.lock` must
/// be an error with its position. Each is now a usage error (exit 2) naming the file, at once.
#[test]
fn row15_policy_rubric_and_model_list_files_are_read_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.toml");
    #[cfg(unix)]
    {
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    }
    let big = dir.path().join("big.toml");
    std::fs::write(&big, "# padding\n".repeat(200_000)).unwrap();
    let not_utf8 = dir.path().join("latin1.toml");
    std::fs::write(&not_utf8, b"[policy]\nrubric = \"d\xe9faut\"\n").unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut cases: Vec<(Vec<String>, &str)> = Vec::new();
    for (file, says) in [
        ("/dev/zero", "not a regular file (a device)"),
        (big.to_str().unwrap(), "larger than 1024 KiB"),
        (
            not_utf8.to_str().unwrap(),
            "latin1.toml:2:12: not valid UTF-8",
        ),
    ] {
        cases.push((vec!["check".into(), "--policy".into(), file.into()], says));
        cases.push((vec!["rubric".into(), "validate".into(), file.into()], says));
    }
    cases.push((
        vec!["rank".into(), "--from".into(), "/dev/zero".into()],
        "--from",
    ));
    #[cfg(unix)]
    for args in [
        vec!["check", "--policy", fifo.to_str().unwrap()],
        vec!["audit", "a/b", "--rubric", fifo.to_str().unwrap()],
        vec!["rank", "--from", fifo.to_str().unwrap()],
    ] {
        cases.push((args.into_iter().map(String::from).collect(), "(a FIFO)"));
    }
    for (args, says) in &cases {
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push("--offline");
        let out = openness_bounded("http://127.0.0.1:9", home.path(), &args, &[], BOUND);
        assert_no_panic(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(says), "{args:?}: {}", stderr(&out));
    }

    // An unknown key in the lock: an error with its line and column.
    let project = tempfile::tempdir().unwrap();
    std::fs::write(
        project.path().join("openness.toml"),
        "[policy]\nrubric = \"default\"\n\n[[models]]\nid = \"a/b\"\n",
    )
    .unwrap();
    std::fs::write(
        project.path().join("openness.lock"),
        "version = 1\n\n[[model]]\nid = \"a/b\"\nrubric = \"default 1.1.0\"\nscore = 1.0\nmax = 2.0\nlicence = \"mit\"\n",
    )
    .unwrap();
    let out = support::openness_in(
        project.path(),
        "http://127.0.0.1:9",
        home.path(),
        &["check", "--offline"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("line 8, column 1") && err.contains("unknown field `licence`"),
        "{err}"
    );
}

/// Deliver 2: a server that echoes the `Authorization` header into the files it serves (here
/// the README, so the token becomes a heading, a link and a license name) must not get the
/// token into any output: the registered secrets are masked where output leaves the process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deliver2_a_token_echoed_in_a_served_file_reaches_no_output() {
    use wiremock::matchers::path_regex;
    use wiremock::{Request, Respond};
    struct Echo;
    impl Respond for Echo {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let auth = request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("none")
                .to_owned();
            let token = auth.trim_start_matches("Bearer ");
            ResponseTemplate::new(200).set_body_string(format!(
                "---\nlicense: other\nlicense_name: \"{token}\"\n---\n# {token}\n\n## Training data\n\nhttps://huggingface.co/datasets/org/{token} [code](https://github.com/org/{token})\n"
            ))
        }
    }
    let server = MockServer::start().await;
    let id = "t/echo-token-file";
    let info = serde_json::json!({
        "id": id, "modelId": id, "author": "t", "sha": "b".repeat(40), "private": false,
        "siblings": [{"rfilename": "README.md"}], "tags": [],
    });
    support::mount_model_with_info(&server, id, info).await;
    Mock::given(method("GET"))
        .and(path_regex(
            r"^/t/echo-token-file/resolve/[a-z0-9]+/README.md$",
        ))
        .respond_with(Echo)
        .mount(&server)
        .await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    for format in ["json", "table", "markdown", "csv", "html"] {
        let file = home.path().join(format!("report.{format}"));
        let file = file.to_str().unwrap();
        for args in [
            vec!["audit", id, "--explain", "--format", format],
            vec!["audit", id, "--explain", "--format", format, "-o", file],
        ] {
            let out = openness_bounded(
                &server.uri(),
                home.path(),
                &args,
                &[("HF_TOKEN", support::TOKEN)],
                BOUND,
            );
            assert_no_panic(&out);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let written = std::fs::read_to_string(file).unwrap_or_default();
            for (what, text) in [
                ("stdout", support::stdout(&out)),
                ("stderr", stderr(&out)),
                ("file", written),
            ] {
                assert!(!text.contains(support::TOKEN), "token in {format} {what}");
            }
        }
    }
    let echoed = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .any(|r| r.url.path().ends_with("README.md"));
    assert!(echoed, "the README was served");
}
