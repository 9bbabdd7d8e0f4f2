//! Every row of docs/exit-codes.md, as a user meets it: the real binary against a fake Hub on
//! loopback.

use crate::support::{mount_model, mount_not_found, openness, openness_in, stderr, stdout};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use wiremock::MockServer;

const MODEL: &str = "deepseek-ai/DeepSeek-R1";

async fn hub() -> MockServer {
    let server = MockServer::start().await;
    mount_model(&server, MODEL).await;
    mount_not_found(&server).await;
    server
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_0_when_every_model_is_audited() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(&server.uri(), home.path(), &["audit", MODEL, "-f", "json"]);
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

/// A project whose policy denies the MIT license DeepSeek-R1 is under.
fn denying_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let policy = format!("[[models]]\nid = \"{MODEL}\"\n\n[policy]\ndeny = [\"mit\"]\n");
    std::fs::write(dir.path().join("openness.toml"), policy).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_1_when_the_policy_fails() {
    let server = hub().await;
    let (dir, home) = (denying_project(), tempfile::tempdir().unwrap());
    let out = openness_in(dir.path(), &server.uri(), home.path(), &["check"], &[]);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("FAIL: 1 of 1 model"),
        "{}",
        stdout(&out)
    );
}

/// A misspelt model in openness.toml fails the check with its own rule, under any `unknown`,
/// and never says retrying may help (issue 15 point 3).
#[test]
fn exit_1_for_a_model_that_is_not_on_the_hub_whatever_unknown_says() {
    let hub = crate::fake_hub::FakeHub::start(crate::fake_hub::Corpus::fixtures());
    let home = tempfile::tempdir().unwrap();
    for unknown in ["deny", "warn", "allow"] {
        let dir = tempfile::tempdir().unwrap();
        let policy = format!(
            "[[models]]\nid = \"{MODEL}\"\n\n[[models]]\nid = \"meta-llama/Lama-3.1-8B-Instruct\"\n\n[policy]\nunknown = \"{unknown}\"\n"
        );
        std::fs::write(dir.path().join("openness.toml"), policy).unwrap();
        let out = openness_in(dir.path(), hub.url(), home.path(), &["check"], &[]);
        assert_eq!(code(&out), Some(1), "{unknown}: {}", stderr(&out));
        let table = stdout(&out);
        assert!(
            table.starts_with("openness check — FAIL: 1 of 2 models fails openness.toml"),
            "{table}"
        );
        assert!(
            table
                .contains("model-not-found: meta-llama/Lama-3.1-8B-Instruct: repository not found"),
            "{table}"
        );
        assert!(!format!("{table}{}", stderr(&out)).contains("retrying may help"));
        let out = openness_in(
            dir.path(),
            hub.url(),
            home.path(),
            &["check", "-f", "json"],
            &[],
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["models"][1]["checks"][0]["rule"], "model-not-found");
        assert_eq!(doc["exit_code"], 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_2_for_a_name_that_is_no_model_and_nothing_is_fetched() {
    let server = MockServer::start().await;
    let home = tempfile::tempdir().unwrap();
    for (name, says) in [
        ("not a model", "is not a Hub repo id"),
        ("a/b/c", "at most one `/`"),
        ("@main", "empty owner or name"),
        ("org/name@", "empty revision after `@`"),
        ("./no/such/folder", "is not a folder"),
        (
            "https://elsewhere.example/org/name",
            "is not on the configured Hub",
        ),
    ] {
        for command in ["audit", "rank"] {
            let out = openness(&server.uri(), home.path(), &[command, name]);
            assert_eq!(code(&out), Some(2), "{command} {name}: {}", stderr(&out));
            let err = stderr(&out);
            assert!(
                err.starts_with(&format!("error: `{name}`")) && err.contains(says),
                "{command} {name}: {err}"
            );
        }
    }
    // Every malformed name at once, one line each, and the valid one is not fetched either.
    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", MODEL, "a/b/c", "org/name@"],
    );
    assert_eq!(code(&out), Some(2));
    assert_eq!(stderr(&out).lines().count(), 2, "{}", stderr(&out));
    let out = openness(
        &server.uri(),
        home.path(),
        &["diff", "a/b/c", "org/name@v2"],
    );
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    let out = openness(
        &server.uri(),
        home.path(),
        &["diff", "org/name", "--since", "a b"],
    );
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    // An output name that implies no format.
    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", MODEL, "-o", "report.pdf"],
    );
    assert_eq!(code(&out), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with("error: cannot tell the format of `report.pdf`"),
        "{}",
        stderr(&out)
    );
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "a usage error fetches nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_3_when_a_model_cannot_be_fetched_and_the_rest_is_reported() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", MODEL, "nobody/nothing", "-f", "json"],
    );
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["scorecards"][0]["model"], MODEL);
    assert_eq!(doc["errors"][0]["code"], "repo-not-found");
    // A ranking query the Hub lists nothing for.
    let hub = crate::fake_hub::FakeHub::start(crate::fake_hub::Corpus::fixtures());
    let out = openness(
        hub.url(),
        home.path(),
        &["rank", "--author", "nobody-here", "-f", "json"],
    );
    assert_eq!(code(&out), Some(3), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["errors"][0]["code"], "listing-empty");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_4_when_the_report_cannot_be_written() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let missing = "/nonexistent/openness/report.json";
    let out = openness(&server.uri(), home.path(), &["audit", MODEL, "-o", missing]);
    assert_eq!(code(&out), Some(4), "{}", stderr(&out));
    assert!(
        stderr(&out).starts_with(&format!("error: cannot write {missing}: ")),
        "{}",
        stderr(&out)
    );
    let dir = denying_project();
    let out = openness_in(
        dir.path(),
        &server.uri(),
        home.path(),
        &["check", "-o", missing],
        &[],
    );
    assert_eq!(code(&out), Some(4), "check: {}", stderr(&out));
    if Path::new("/dev/full").exists() {
        let out = openness(
            &server.uri(),
            home.path(),
            &["audit", MODEL, "-o", "/dev/full"],
        );
        assert_eq!(code(&out), Some(4), "{}", stderr(&out));
        assert!(stderr(&out).contains("/dev/full"), "{}", stderr(&out));
        // Stdout itself on a full disk.
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = command(&server.uri(), home.path(), &["license", "--list"])
            .stdout(Stdio::from(full))
            .output()
            .unwrap();
        assert_eq!(code(&out), Some(4), "{}", stderr(&out));
        assert!(
            stderr(&out).starts_with("error: cannot write to stdout: "),
            "{}",
            stderr(&out)
        );
    }
}

fn command(endpoint: &str, home: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_openness"));
    cmd.args(args)
        .env_remove("HF_TOKEN")
        .env_remove("HF_HUB_OFFLINE")
        .env_remove("GITHUB_ACTIONS")
        .env("HF_HOME", home)
        .env("HF_ENDPOINT", endpoint)
        .env("NO_COLOR", "1")
        .stderr(Stdio::piped());
    crate::support::isolate_code_host(&mut cmd);
    cmd
}

/// Runs with stdout a pipe whose reader is gone before anything is written.
fn into_closed_pipe(mut cmd: Command) -> Output {
    let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_is_no_error_and_keeps_the_outcome() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let out = into_closed_pipe(command(&server.uri(), home.path(), &["audit", MODEL]));
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    // A failing policy still fails into `| head`.
    let dir = denying_project();
    let mut cmd = command(&server.uri(), home.path(), &["check"]);
    cmd.current_dir(dir.path());
    let out = into_closed_pipe(cmd);
    assert_eq!(code(&out), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
}

/// The table of docs/exit-codes.md for `check`, row by row: what an unknown rule, a model that
/// could not be fetched (alone, or beside a failure) and a model that does not exist do under
/// each `unknown` setting.
#[test]
fn check_maps_unknowns_and_fetch_failures_as_the_table_says() {
    use crate::fake_hub::{Corpus, FakeHub};
    let mut corpus = Corpus::fixtures().refuse("org/refused");
    corpus.insert(
        "org/mystery",
        serde_json::json!({"id": "org/mystery", "gated": false, "cardData": {"license": "other"},
                           "siblings": [{"rfilename": "model.safetensors"}]}),
        Default::default(),
    );
    let hub = FakeHub::start(corpus);
    let home = tempfile::tempdir().unwrap();
    let models = |ids: &[&str]| -> String {
        ids.iter()
            .map(|id| format!("[[models]]\nid = \"{id}\"\n\n"))
            .collect()
    };
    // (situation, models, extra policy, exit codes under deny / warn / allow)
    let rows: [(&str, Vec<&str>, &str, [i32; 3]); 4] = [
        (
            "a rule cannot be decided",
            vec![MODEL, "org/mystery"],
            "allow = [\"mit\"]\n",
            [1, 0, 0],
        ),
        (
            "a model could not be fetched, nothing else fails",
            vec![MODEL, "org/refused"],
            "",
            [3, 0, 0],
        ),
        (
            "a model could not be fetched, another check fails",
            vec![MODEL, "org/refused"],
            "deny = [\"mit\"]\n",
            [1, 1, 1],
        ),
        (
            "a model the Hub says does not exist",
            vec![MODEL, "nobody/nothing"],
            "",
            [1, 1, 1],
        ),
    ];
    for (situation, ids, extra, expected) in rows {
        for (unknown, want) in ["deny", "warn", "allow"].into_iter().zip(expected) {
            let dir = tempfile::tempdir().unwrap();
            let policy = format!("{}[policy]\nunknown = \"{unknown}\"\n{extra}", models(&ids));
            std::fs::write(dir.path().join("openness.toml"), policy).unwrap();
            let out = openness_in(dir.path(), hub.url(), home.path(), &["check"], &[]);
            assert_eq!(
                code(&out),
                Some(want),
                "{situation}, unknown = {unknown}:\n{}{}",
                stdout(&out),
                stderr(&out)
            );
        }
    }
}
