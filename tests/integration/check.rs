//! `openness check`, `init` and `diff` as a CI runs them: the real binary against a fake Hub on
//! loopback, in a temporary project folder. Exit codes, lock drift between two runs, discovery
//! over a fixture tree, SARIF validated against the SARIF 2.1.0 schema, JUnit parsed back, GitHub
//! annotations, the policy corpus and its JSON Schema.

use crate::support::{self, mount_not_found, stderr, stdout};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// Runs the binary in `dir` (the project folder) against `endpoint`.
pub fn run_in(
    dir: &Path,
    endpoint: &str,
    home: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    crate::support::openness_in(dir, endpoint, home, args, env)
}

/// A project folder with `openness.toml` holding `policy`, and a Hugging Face home.
struct Project {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

impl Project {
    fn new(policy: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("openness.toml"), policy).unwrap();
        Project {
            dir,
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn run(&self, server: &str, args: &[&str]) -> Output {
        run_in(self.dir.path(), server, self.home.path(), args, &[])
    }

    fn json(&self, server: &str, args: &[&str], code: i32) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.run(server, &all);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}\n{}",
            stderr(&out),
            stdout(&out)
        );
        serde_json::from_str(&stdout(&out)).unwrap()
    }
}

const SHA_FLUX: &str = "9ad4236ed921814ca38228a7844e1548dacf324c";

/// FLUX.1 [dev]'s metadata as the Hub serves it (no fixture files: only metadata is read).
fn flux_info() -> Value {
    json!({
        "id": "black-forest-labs/FLUX.1-dev",
        "sha": SHA_FLUX,
        "gated": "auto",
        "private": false,
        "disabled": false,
        "cardData": {"license": "other", "license_name": "flux-1-dev-non-commercial-license"},
        "siblings": [{"rfilename": "flux1-dev.safetensors", "size": 23_800_000_000u64}],
        "tags": ["license:other"],
    })
}

/// Serves one release: its metadata at its commit (and, when `current`, as the default
/// branch), and `files` at that commit — readable whatever the gate, as for a token holder.
async fn mount_release(
    server: &MockServer,
    id: &str,
    info: &Value,
    files: &[(&str, &[u8])],
    current: bool,
) {
    let sha = info["sha"].as_str().unwrap().to_owned();
    let mut routes = vec![format!("/api/models/{id}/revision/{sha}")];
    if current {
        routes.push(format!("/api/models/{id}"));
        routes.push(format!("/api/models/{id}/revision/main"));
    }
    for route in routes {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("blobs", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_json(info))
            .mount(server)
            .await;
    }
    for (name, bytes) in files {
        Mock::given(method("GET"))
            .and(path(format!("/{id}/resolve/{sha}/{name}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("etag", format!("\"{}-{}\"", bytes.len(), name.len()))
                    .insert_header("x-repo-commit", sha.as_str())
                    .set_body_raw(bytes.to_vec(), "text/plain"),
            )
            .mount(server)
            .await;
    }
}

/// A fixture release, served as it is.
async fn mount_fixture(server: &MockServer, id: &str) {
    let dir = support::fixture_dir(id).join("files");
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    mount_release(server, id, &support::info(id), &borrowed, true).await;
}

async fn hub() -> MockServer {
    let server = MockServer::start().await;
    for id in [
        "deepseek-ai/DeepSeek-R1",
        "meta-llama/Llama-3.1-8B-Instruct",
        "Qwen/Qwen2.5-7B-Instruct",
        "google-bert/bert-base-uncased",
        "allenai/OLMo-7B",
        "EleutherAI/pythia-6.9b",
    ] {
        mount_fixture(&server, id).await;
    }
    mount_release(
        &server,
        "black-forest-labs/FLUX.1-dev",
        &flux_info(),
        &[],
        true,
    )
    .await;
    mount_not_found(&server).await;
    server
}

const THREE: &str = r#"[[models]]
id = "deepseek-ai/DeepSeek-R1"

[[models]]
id = "black-forest-labs/FLUX.1-dev"

[[models]]
id = "meta-llama/Llama-3.1-8B-Instruct"

[policy]
deny-noncommercial = true
"#;

const FLUX_EXCEPTION: &str = r#"
[[exceptions]]
model = "black-forest-labs/FLUX.1-dev"
rules = ["deny-noncommercial"]
reason = "internal research demo, never shipped"
expires = 2099-12-31
"#;

fn check<'v>(doc: &'v Value, model: &str, rule: &str) -> &'v Value {
    doc["models"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == model)
        .unwrap_or_else(|| panic!("no model {model}"))["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} check on {model}: {doc:#}"))
}

#[test]
fn a_missing_or_invalid_policy_exits_2_and_says_what_to_do() {
    let project = Project::new("");
    std::fs::remove_file(project.dir.path().join("openness.toml")).unwrap();
    let out = project.run("http://127.0.0.1:9", &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no policy file openness.toml: create one with `openness init`"),
        "{}",
        stderr(&out)
    );

    std::fs::write(
        project.dir.path().join("openness.toml"),
        "[[models]]\nid = \"a/b\"\n\n[policy]\ndeny-noncomercial = true\n",
    )
    .unwrap();
    let out = project.run("http://127.0.0.1:9", &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("openness.toml:5:1: unknown key `deny-noncomercial` in [policy] (did you mean `deny-noncommercial`?)"),
        "{err}"
    );
    assert!(
        err.contains("5 | deny-noncomercial = true"),
        "a snippet: {err}"
    );

    std::fs::write(project.dir.path().join("openness.toml"), "[policy]\n").unwrap();
    let out = project.run("http://127.0.0.1:9", &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no models to check"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deny_noncommercial_fails_flux_and_an_exception_lets_it_pass() {
    let server = hub().await;
    let project = Project::new(THREE);
    let out = project.run(&server.uri(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.starts_with("openness check — FAIL: 1 of 3 models fails openness.toml"),
        "{table}"
    );
    assert!(
        table.contains("fail    black-forest-labs/FLUX.1-dev@9ad4236  deny-noncommercial: flux-1-dev-non-commercial does not grant commercial use"),
        "{table}"
    );

    let doc = project.json(&server.uri(), &["check"], 1);
    assert_eq!(doc["schema"], "openness/check/v1");
    assert_eq!(doc["verdict"], "fail");
    assert_eq!(doc["exit_code"], 1);
    assert_eq!(
        doc["summary"],
        json!({"models": 3, "failed": 1, "warned": 0, "passed": 2})
    );
    let flux = check(&doc, "black-forest-labs/FLUX.1-dev", "deny-noncommercial");
    assert_eq!(
        (flux["status"].as_str(), flux["outcome"].as_str()),
        (Some("fail"), Some("fail"))
    );
    assert_eq!(
        check(&doc, "deepseek-ai/DeepSeek-R1", "deny-noncommercial")["outcome"],
        "pass"
    );
    assert_eq!(
        check(
            &doc,
            "meta-llama/Llama-3.1-8B-Instruct",
            "deny-noncommercial"
        )["outcome"],
        "pass"
    );
    let located = &doc["models"][1]["locations"][0];
    assert_eq!(located, &json!({"file": "openness.toml", "line": 5}));

    std::fs::write(
        project.dir.path().join("openness.toml"),
        format!("{THREE}{FLUX_EXCEPTION}"),
    )
    .unwrap();
    let doc = project.json(&server.uri(), &["check"], 0);
    assert_eq!(doc["verdict"], "pass");
    let flux = check(&doc, "black-forest-labs/FLUX.1-dev", "deny-noncommercial");
    assert_eq!(flux["outcome"], "waived");
    assert_eq!(flux["waived"], "internal research demo, never shipped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_model_that_cannot_be_fetched_exits_3_when_unknowns_fail() {
    let server = hub().await;
    // The Hub refuses to answer for this one (not a 404: the model may well exist).
    Mock::given(method("GET"))
        .and(path("/api/models/org/refused"))
        .respond_with(ResponseTemplate::new(403))
        .with_priority(1)
        .mount(&server)
        .await;
    let policy = "[[models]]\nid = \"deepseek-ai/DeepSeek-R1\"\n\n[[models]]\nid = \"org/refused\"\n\n[policy]\ndeny-noncommercial = true\n";
    let project = Project::new(policy);
    let out = project.run(&server.uri(), &["check"]);
    assert_eq!(out.status.code(), Some(3), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("error: org/refused: "),
        "{}",
        stderr(&out)
    );
    assert!(
        stdout(&out).starts_with("openness check — INCOMPLETE: 1 of 2 models could not be fetched"),
        "{}",
        stdout(&out)
    );
    let doc = project.json(&server.uri(), &["check"], 3);
    assert_eq!(
        check(&doc, "org/refused", "fetch-failed")["status"],
        "unknown"
    );
    assert_eq!(doc["models"][1]["error"]["code"], "http-error");

    // A real failure is exit 1 even when another model could not be fetched.
    std::fs::write(
        project.dir.path().join("openness.toml"),
        format!("[[models]]\nid = \"black-forest-labs/FLUX.1-dev\"\n{policy}"),
    )
    .unwrap();
    project.json(&server.uri(), &["check"], 1);

    // With unknown = "warn" the gate passes and says what it could not check.
    std::fs::write(
        project.dir.path().join("openness.toml"),
        format!("{policy}unknown = \"warn\"\n"),
    )
    .unwrap();
    let doc = project.json(&server.uri(), &["check"], 0);
    assert_eq!(
        check(&doc, "org/refused", "fetch-failed")["outcome"],
        "warn"
    );
    // A model the Hub says does not exist is not an unknown: it fails, and exits 1.
    std::fs::write(
        project.dir.path().join("openness.toml"),
        format!("{policy}unknown = \"warn\"\n").replace("org/refused", "nobody/nothing"),
    )
    .unwrap();
    let doc = project.json(&server.uri(), &["check"], 1);
    assert_eq!(
        check(&doc, "nobody/nothing", "model-not-found")["outcome"],
        "fail"
    );
}

/// DeepSeek-R1 after an upstream change: a new commit relicensed under Llama 3.1's license
/// text, behind a manual gate.
fn relicensed() -> (Value, Vec<u8>) {
    let mut info = support::info("deepseek-ai/DeepSeek-R1");
    info["sha"] = json!("2".repeat(40));
    info["gated"] = json!("manual");
    info["cardData"]["license"] = json!("llama3.1");
    let license = std::fs::read(
        support::fixture_dir("meta-llama/Llama-3.1-8B-Instruct").join("files/LICENSE"),
    )
    .unwrap();
    (info, license)
}

async fn mount_relicensed(server: &MockServer) {
    let (info, license) = relicensed();
    let readme =
        std::fs::read(support::fixture_dir("deepseek-ai/DeepSeek-R1").join("files/README.md"))
            .unwrap();
    mount_release(
        server,
        "deepseek-ai/DeepSeek-R1",
        &info,
        &[("LICENSE", &license), ("README.md", &readme)],
        true,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lock_reports_what_changed_upstream_between_two_runs() {
    let before = hub().await;
    let policy =
        "[[models]]\nid = \"deepseek-ai/DeepSeek-R1\"\n\n[policy]\ndeny-noncommercial = true\n";
    let project = Project::new(policy);
    let out = project.run(&before.uri(), &["check", "--update-lock"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wrote openness.lock (1 model)"),
        "{}",
        stderr(&out)
    );
    let lock_path = project.dir.path().join("openness.lock");
    let lock = std::fs::read_to_string(&lock_path).unwrap();
    let original_sha = support::sha("deepseek-ai/DeepSeek-R1");
    assert!(
        lock.contains(&format!("revision = \"{original_sha}\"")),
        "{lock}"
    );
    assert!(lock.contains("license = \"mit\""), "{lock}");
    assert!(lock.contains("path = \"LICENSE\"\nsha256 = \""), "{lock}");
    // Deterministic: the same facts give the same bytes.
    let out = project.run(&before.uri(), &["check", "--update-lock", "-q"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read_to_string(&lock_path).unwrap(), lock);
    // Nothing changed: every change rule passes.
    let doc = project.json(&before.uri(), &["check"], 0);
    for rule in [
        "license-changed",
        "revision-changed",
        "score-dropped",
        "gate-added",
        "model-gone",
    ] {
        assert_eq!(
            check(&doc, "deepseek-ai/DeepSeek-R1", rule)["outcome"],
            "pass",
            "{rule}"
        );
    }

    // Upstream relicenses the model, gates it, and the score drops.
    let after = MockServer::start().await;
    mount_relicensed(&after).await;
    mount_not_found(&after).await;
    let doc = project.json(&after.uri(), &["check"], 1);
    let model = "deepseek-ai/DeepSeek-R1";
    let license = check(&doc, model, "license-changed");
    assert_eq!(license["outcome"], "fail");
    let message = license["message"].as_str().unwrap();
    for part in [
        "license: mit → llama3.1",
        "declared: mit → llama3.1",
        "license file LICENSE: sha256:",
    ] {
        assert!(message.contains(part), "{part} in {message}");
    }
    assert_eq!(check(&doc, model, "gate-added")["outcome"], "fail");
    assert!(
        check(&doc, model, "gate-added")["message"]
            .as_str()
            .unwrap()
            .contains("gate: none → manual")
    );
    assert_eq!(check(&doc, model, "revision-changed")["outcome"], "warn");
    assert_eq!(check(&doc, model, "score-dropped")["outcome"], "warn");
    let changes: Vec<&str> = doc["models"][0]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["change"].as_str().unwrap())
        .collect();
    assert!(changes.contains(&"dimension-changed"), "{changes:?}");
    // The lock is not touched by a plain check.
    assert_eq!(std::fs::read_to_string(&lock_path).unwrap(), lock);

    // --locked audits exactly the recorded commit, which the Hub still serves.
    let original = support::info(model);
    let files: Vec<(String, Vec<u8>)> = ["LICENSE", "README.md"]
        .iter()
        .map(|n| {
            (
                (*n).to_owned(),
                std::fs::read(support::fixture_dir(model).join("files").join(n)).unwrap(),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    mount_release(&after, model, &original, &borrowed, false).await;
    let doc = project.json(&after.uri(), &["check", "--locked"], 0);
    assert_eq!(doc["models"][0]["revision"], original_sha);
    assert_eq!(check(&doc, model, "license-changed")["outcome"], "pass");

    // Accepting the change: --update-lock records the new state and says what it accepted.
    let out = project.run(
        &after.uri(),
        &["check", "--update-lock", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("accepted: deepseek-ai/DeepSeek-R1: license: mit → llama3.1"),
        "{}",
        stderr(&out)
    );
    let relocked = std::fs::read_to_string(&lock_path).unwrap();
    assert!(relocked.contains("license = \"llama3.1\""), "{relocked}");
    project.json(&after.uri(), &["check"], 0);

    // The model disappears from the Hub.
    let gone = MockServer::start().await;
    mount_not_found(&gone).await;
    let doc = project.json(&gone.uri(), &["check"], 1);
    assert_eq!(check(&doc, model, "model-gone")["outcome"], "fail");
    assert!(
        doc["models"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["rule"] != "fetch-failed")
    );

    // --locked without a lock entry, or without a lock, is a usage error.
    std::fs::remove_file(&lock_path).unwrap();
    let out = project.run(&after.uri(), &["check", "--locked"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--locked needs openness.lock"),
        "{}",
        stderr(&out)
    );
}

/// The fixture tree of tests/fixtures/scan, copied with what a real checkout also holds: a
/// `.git` folder, build output, dependencies, a virtual environment, a binary and a huge file.
fn scan_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/fixtures/scan"), dir.path());
    let noise = "from transformers import AutoModel\nm = AutoModel.from_pretrained(\"noise-org/should-not-appear\")\n";
    for folder in [
        ".git/hooks",
        "target/debug",
        "node_modules/pkg",
        ".venv/lib",
        "app/__pycache__",
    ] {
        std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("loader.py"), noise).unwrap();
    }
    let mut binary = noise.as_bytes().to_vec();
    binary.extend([0u8, 159, 146, 150]);
    std::fs::write(dir.path().join("app/compiled.py"), binary).unwrap();
    let mut huge = noise.to_owned();
    huge.push_str(&"#".repeat(2 * 1024 * 1024));
    std::fs::write(dir.path().join("app/generated.py"), huge).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every model of the fixture project, with where it is used: true positives only.
const EXPECTED_SCAN: &[(&str, &str, usize)] = &[
    ("app/embed.py", "google-bert/bert-base-uncased", 3),
    ("app/main.py", "deepseek-ai/DeepSeek-R1", 9),
    ("app/main.py", "meta-llama/Llama-3.1-8B-Instruct", 13),
    ("configs/embeddings.toml", "EleutherAI/pythia-6.9b", 2),
    ("configs/serve.json", "allenai/OLMo-7B", 3),
    ("configs/train.yaml", "Qwen/Qwen2.5-7B-Instruct", 2),
    ("service/src/main.rs", "deepseek-ai/DeepSeek-R1", 7),
];

#[test]
fn scan_finds_the_models_a_codebase_uses_and_nothing_else() {
    let tree = scan_tree();
    let scan = openness::discover::scan(tree.path(), &Default::default()).unwrap();
    let prefix = format!("{}/", tree.path().display());
    let found: Vec<(String, String, usize)> = scan
        .found
        .iter()
        .map(|f| {
            (
                f.file.trim_start_matches(&prefix).to_owned(),
                f.id.to_string(),
                f.line,
            )
        })
        .collect();
    let expected: Vec<(String, String, usize)> = EXPECTED_SCAN
        .iter()
        .map(|(f, id, l)| ((*f).to_owned(), (*id).to_owned(), *l))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(scan.skipped, 2, "the binary and the huge file");
    assert!(!scan.truncated);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_scan_checks_discovered_models_at_their_source_lines() {
    let server = hub().await;
    let tree = scan_tree();
    std::fs::write(
        tree.path().join("openness.toml"),
        "[[models]]\nid = \"deepseek-ai/DeepSeek-R1\"\n\n[policy]\nallow = [\"mit\", \"apache-2.0\"]\nunknown = \"warn\"\n",
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let out = run_in(
        tree.path(),
        &server.uri(),
        home.path(),
        &["check", "--scan", ".", "--format", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ids: Vec<&str> = doc["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "deepseek-ai/DeepSeek-R1",
            "google-bert/bert-base-uncased",
            "meta-llama/Llama-3.1-8B-Instruct",
            "EleutherAI/pythia-6.9b",
            "allenai/OLMo-7B",
            "Qwen/Qwen2.5-7B-Instruct",
        ]
    );
    // Listed in openness.toml and used in two places: all three locations, the policy first.
    assert_eq!(
        doc["models"][0]["locations"],
        json!([
            {"file": "openness.toml", "line": 2},
            {"file": "app/main.py", "line": 9},
            {"file": "service/src/main.rs", "line": 7},
        ])
    );
    // Llama 3.1 is not on the allow list: the failure points at the Python line that loads it.
    assert_eq!(
        check(&doc, "meta-llama/Llama-3.1-8B-Instruct", "allow")["outcome"],
        "fail"
    );
    assert_eq!(
        doc["models"][2]["locations"],
        json!([{"file": "app/main.py", "line": 13}])
    );

    let out = run_in(
        tree.path(),
        &server.uri(),
        home.path(),
        &["check", "--scan", ".", "-o", "openness.sarif"],
        &[("GITHUB_ACTIONS", "true")],
    );
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(tree.path().join("openness.sarif")).unwrap())
            .unwrap();
    assert_valid_sarif(&sarif);
    let llama = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "allow" && r["level"] == "error")
        .unwrap();
    assert_eq!(
        llama["locations"][0]["physicalLocation"],
        json!({"artifactLocation": {"uri": "app/main.py"}, "region": {"startLine": 13}})
    );
    let err = stderr(&out);
    assert!(
        err.contains("::error file=app/main.py,line=13,title=openness%3A allow::meta-llama/Llama-3.1-8B-Instruct@0e9e39f: not on the allow list: llama3.1"),
        "{err}"
    );
    assert!(
        err.contains("FAIL: 1 of 6 models fails openness.toml"),
        "{err}"
    );
}

fn load_sarif_schema() -> Value {
    let text = std::fs::read_to_string(
        root().join("tests/fixtures/schemas/sarif-2.1.0/sarif-schema-2.1.0.json"),
    )
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn sarif_errors(log: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .offline()
        .should_validate_formats(true)
        .build(&load_sarif_schema())
        .expect("the SARIF 2.1.0 schema compiles offline");
    validator
        .iter_errors(log)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

fn assert_valid_sarif(log: &Value) {
    let errors = sarif_errors(log);
    assert!(
        errors.is_empty(),
        "invalid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
    // What GitHub needs beyond the schema: message objects, integer lines, stable rule ids.
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], result["ruleId"].as_str().unwrap());
        assert!(result["message"]["text"].is_string());
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(result["partialFingerprints"]["opennessModelRule/v1"].is_string());
    }
}

#[test]
fn the_sarif_validator_rejects_what_github_rejects() {
    let bad = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [
        {"ruleId": "a", "message": "a string, not a message object", "locations": []}
    ]}]});
    assert!(!sarif_errors(&bad).is_empty());
}

const EVERYTHING: &str = r#"[[models]]
id = "deepseek-ai/DeepSeek-R1"

[[models]]
id = "black-forest-labs/FLUX.1-dev"

[[models]]
id = "meta-llama/Llama-3.1-8B-Instruct"

[[models]]
id = "nobody/nothing"

[policy]
allow = ["mit", "llama3.1"]
deny-noncommercial = true
deny-gated = true
min-score = 25
unknown = "warn"

[[exceptions]]
model = "black-forest-labs/FLUX.1-dev"
rules = ["deny-noncommercial"]
reason = "research <demo> & \"quotes\""

[[exceptions]]
model = "Qwen/Qwen2.5-7B-Instruct"
reason = "no longer used"

[[exceptions]]
model = "meta-llama/Llama-3.1-8B-Instruct"
rules = ["deny-gated"]
reason = "expired waiver"
expires = 2020-01-01
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let server = hub().await;
    let project = Project::new(EVERYTHING);
    let out = project.run(&server.uri(), &["check", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let log: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "openness");
    let results = run["results"].as_array().unwrap();
    let find = |rule: &str, model: &str| {
        results
            .iter()
            .find(|r| r["ruleId"] == rule && r["properties"]["model"] == model)
            .unwrap_or_else(|| panic!("no {rule} result for {model}"))
    };
    // A failure is an error at the model's line; a waived check carries its reason.
    let gated = find("deny-gated", "black-forest-labs/FLUX.1-dev");
    assert_eq!(gated["level"], "error");
    assert_eq!(
        gated["locations"][0]["physicalLocation"]["region"]["startLine"],
        5
    );
    let waived = find("deny-noncommercial", "black-forest-labs/FLUX.1-dev");
    assert_eq!(
        waived["suppressions"][0]["justification"],
        "research <demo> & \"quotes\""
    );
    // A model the Hub does not have is a policy failure, whatever `unknown` says.
    assert_eq!(find("model-not-found", "nobody/nothing")["level"], "error");
    // Policy notes point at the exception's line.
    let unused = results
        .iter()
        .find(|r| r["ruleId"] == "exception-unused")
        .unwrap();
    assert_eq!(
        unused["locations"][0]["physicalLocation"]["region"]["startLine"],
        26
    );
    assert!(results.iter().any(|r| r["ruleId"] == "exception-expired"));
    // Findings are notes with their own rules.
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "weights-gated" && r["level"] == "note")
    );
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut sorted = rules.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(rules.len(), sorted.len(), "one rule per id");
    // The same inputs give the same bytes.
    let again = project.run(&server.uri(), &["check", "--format", "sarif"]);
    assert_eq!(stdout(&again), stdout(&out));
}

/// A minimal XML reader, enough to check that the JUnit report is well formed and to read it back.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> &str {
        self.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    fn all<'e>(&'e self, name: &str, out: &mut Vec<&'e Element>) {
        for child in &self.children {
            if child.name == name {
                out.push(child);
            }
            child.all(name, out);
        }
    }

    fn count(&self, name: &str) -> usize {
        let mut out = Vec::new();
        self.all(name, &mut out);
        out.len()
    }
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').expect("entities end with ;") + at;
        let entity = &rest[at + 1..end];
        out.push(match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ if entity.starts_with('#') => {
                char::from_u32(entity[1..].parse().expect("decimal entity")).unwrap()
            }
            _ => panic!("unknown entity &{entity};"),
        });
        rest = &rest[end + 1..];
    }
    assert!(
        !rest.contains('<') && !rest.contains('>'),
        "raw markup in text: {rest}"
    );
    out.push_str(rest);
    out
}

fn parse_xml(text: &str) -> Element {
    let body = text
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .expect("an XML declaration");
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut rest = body;
    while let Some(open) = rest.find('<') {
        let text = &rest[..open];
        stack.last_mut().unwrap().text.push_str(&unescape(text));
        let close = rest[open..].find('>').expect("tags close") + open;
        let tag = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let done = stack.pop().unwrap();
            assert_eq!(done.name, name, "mismatched closing tag");
            stack.last_mut().unwrap().children.push(done);
            continue;
        }
        let self_closing = tag.ends_with('/');
        let tag = tag.trim_end_matches('/');
        let (name, mut attrs) = tag.split_once(' ').unwrap_or((tag, ""));
        let mut element = Element {
            name: name.to_owned(),
            ..Element::default()
        };
        while let Some(eq) = attrs.find("=\"") {
            let key = attrs[..eq].trim().to_owned();
            let end = attrs[eq + 2..].find('"').expect("attribute values close") + eq + 2;
            element
                .attributes
                .push((key, unescape(&attrs[eq + 2..end])));
            attrs = &attrs[end + 1..];
        }
        assert!(attrs.trim().is_empty(), "stray attribute text: {attrs}");
        if self_closing {
            stack.last_mut().unwrap().children.push(element);
        } else {
            stack.push(element);
        }
    }
    assert!(rest.trim().is_empty());
    assert_eq!(stack.len(), 1, "unclosed elements");
    let mut document = stack.pop().unwrap();
    assert_eq!(document.children.len(), 1, "one root element");
    document.children.pop().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn junit_parses_back_one_test_case_per_model_and_rule() {
    let server = hub().await;
    let project = Project::new(EVERYTHING);
    let out = project.run(&server.uri(), &["check", "-o", "report.xml"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stdout(&out).is_empty());
    let xml = std::fs::read_to_string(project.dir.path().join("report.xml")).unwrap();
    let doc = parse_xml(&xml);
    assert_eq!(doc.name, "testsuites");
    let suites: Vec<&Element> = doc.children.iter().collect();
    let names: Vec<&str> = suites.iter().map(|s| s.attr("name")).collect();
    assert_eq!(
        names,
        [
            "deepseek-ai/DeepSeek-R1@1e58c2d",
            "black-forest-labs/FLUX.1-dev@9ad4236",
            "meta-llama/Llama-3.1-8B-Instruct@0e9e39f",
            "nobody/nothing",
            "openness.toml",
        ]
    );
    // Four rules on each audited model; one on the model that could not be fetched.
    let cases: Vec<usize> = suites.iter().map(|s| s.count("testcase")).collect();
    assert_eq!(cases, [4, 4, 4, 1, 2]);
    for suite in &suites {
        assert_eq!(suite.attr("tests"), suite.count("testcase").to_string());
        assert_eq!(suite.attr("failures"), suite.count("failure").to_string());
        assert_eq!(suite.attr("errors"), suite.count("error").to_string());
        assert_eq!(suite.attr("skipped"), suite.count("skipped").to_string());
    }
    assert_eq!(doc.attr("tests"), "15");
    assert_eq!(doc.attr("failures"), doc.count("failure").to_string());
    let mut all = Vec::new();
    doc.all("testcase", &mut all);
    let flux_gate = all
        .iter()
        .find(|c| {
            c.attr("classname") == "black-forest-labs/FLUX.1-dev" && c.attr("name") == "deny-gated"
        })
        .unwrap();
    assert_eq!(flux_gate.children[0].name, "failure");
    assert_eq!(flux_gate.attr("line"), "5");
    let waived = all
        .iter()
        .find(|c| {
            c.attr("classname") == "black-forest-labs/FLUX.1-dev"
                && c.attr("name") == "deny-noncommercial"
        })
        .unwrap();
    assert_eq!(waived.children[0].name, "skipped");
    assert!(
        waived.children[0]
            .attr("message")
            .contains("research <demo> & \"quotes\"")
    );
    let llama_allow = all
        .iter()
        .find(|c| {
            c.attr("classname") == "meta-llama/Llama-3.1-8B-Instruct" && c.attr("name") == "allow"
        })
        .unwrap();
    assert_eq!(llama_allow.children[0].name, "system-out");
    assert_eq!(
        llama_allow.children[0].text,
        "allowed: llama3.1 (the release's license)"
    );
}

#[test]
fn init_writes_a_commented_policy_and_refuses_to_overwrite_it() {
    let tree = scan_tree();
    let home = tempfile::tempdir().unwrap();
    let out = run_in(
        tree.path(),
        "http://127.0.0.1:9",
        home.path(),
        &["init", "--scan", "."],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("wrote openness.toml: 6 models found by --scan are listed"),
        "{}",
        stderr(&out)
    );
    let text = std::fs::read_to_string(tree.path().join("openness.toml")).unwrap();
    assert!(text.starts_with("# openness.toml:"));
    assert!(text.contains("[[models]]\nid = \"deepseek-ai/DeepSeek-R1\"\n# found at app/main.py:9, service/src/main.rs:7\n"), "{text}");
    let policy =
        openness::policy::load("openness.toml", &text, &|n| openness::rubric::resolve(n)).unwrap();
    assert_eq!(policy.models.len(), 6);

    let out = run_in(
        tree.path(),
        "http://127.0.0.1:9",
        home.path(),
        &["init"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("openness.toml already exists; edit it, or pass --force"),
        "{}",
        stderr(&out)
    );
    let out = run_in(
        tree.path(),
        "http://127.0.0.1:9",
        home.path(),
        &["init", "--force"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(tree.path().join("openness.toml")).unwrap(),
        openness::policy::TEMPLATE
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diff_compares_two_revisions_with_the_lock_comparison() {
    // The model now (relicensed), and its earlier commit.
    let server = MockServer::start().await;
    mount_relicensed(&server).await;
    let model = "deepseek-ai/DeepSeek-R1";
    let files: Vec<(String, Vec<u8>)> = ["LICENSE", "README.md"]
        .iter()
        .map(|n| {
            (
                (*n).to_owned(),
                std::fs::read(support::fixture_dir(model).join("files").join(n)).unwrap(),
            )
        })
        .collect();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    mount_release(&server, model, &support::info(model), &borrowed, false).await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let old = support::sha("deepseek-ai/DeepSeek-R1");
    let new = "2".repeat(40);
    let from = format!("deepseek-ai/DeepSeek-R1@{old}");
    let to = format!("deepseek-ai/DeepSeek-R1@{new}");
    let out = support::openness(
        &server.uri(),
        home.path(),
        &["diff", &from, &to, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["schema"], "openness/diff/v1");
    assert_eq!(doc["from"]["revision"], old);
    assert_eq!(doc["to"]["revision"], new);
    let changes: Vec<(&str, &str)> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["what"].as_str().unwrap(), c["change"].as_str().unwrap()))
        .collect();
    for expected in [
        ("revision", "revision-changed"),
        ("license", "license-changed"),
        ("declared", "license-changed"),
        ("license file LICENSE", "license-changed"),
        ("gate", "gate-added"),
        ("score", "score-dropped"),
        ("score: license", "dimension-changed"),
    ] {
        assert!(changes.contains(&expected), "{expected:?} in {changes:?}");
    }
    // --since: the same comparison, from a revision to the model now.
    let out = support::openness(
        &server.uri(),
        home.path(),
        &["diff", "deepseek-ai/DeepSeek-R1", "--since", &old],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.starts_with("deepseek-ai/DeepSeek-R1@1e58c2d → deepseek-ai/DeepSeek-R1@2222222: "),
        "{table}"
    );
    assert!(table.contains("gate-added"), "{table}");
    let out = support::openness(
        &server.uri(),
        home.path(),
        &["diff", "deepseek-ai/DeepSeek-R1"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("name two revisions"),
        "{}",
        stderr(&out)
    );
    let out = support::openness(
        &server.uri(),
        home.path(),
        &["diff", &from, "nobody/nothing@main"],
    );
    assert_eq!(out.status.code(), Some(3));
}

fn policy_files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    out
}

fn resolve(name: &str) -> Result<openness::rubric::Rubric, openness::rubric::ResolveError> {
    openness::rubric::resolve(name)
}

#[test]
fn valid_policies_the_example_and_the_template_load() {
    let mut files = policy_files("tests/policies/valid");
    files.push(root().join("examples/openness.toml"));
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = openness::policy::load(&path.display().to_string(), &text, &resolve) {
            panic!("{e}");
        }
    }
    openness::policy::load("openness.toml", openness::policy::TEMPLATE, &resolve).unwrap();
}

#[test]
fn invalid_policies_report_every_problem_with_its_position() {
    for path in policy_files("tests/policies/invalid") {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let err = openness::policy::load(&name, &text, &resolve).expect_err(&name);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("policy_invalid_{stem}"), err.to_string());
    }
}

/// TOML → JSON for the schema, with dates as `YYYY-MM-DD` strings.
fn as_json(value: toml::Value) -> Value {
    match value {
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, as_json(v))).collect())
        }
        toml::Value::Array(a) => Value::Array(a.into_iter().map(as_json).collect()),
        other => serde_json::to_value(other).unwrap(),
    }
}

#[test]
fn the_json_schema_describes_the_policy_format() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/policy.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::options()
        .offline()
        .build(&schema)
        .expect("the policy schema compiles");
    let mut valid = policy_files("tests/policies/valid");
    valid.push(root().join("examples/openness.toml"));
    let texts: Vec<(String, String)> = valid
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(p).unwrap()))
        .chain([("template".to_owned(), openness::policy::TEMPLATE.to_owned())])
        .collect();
    for (name, text) in texts {
        let doc = as_json(toml::from_str(&text).unwrap());
        let errors: Vec<String> = validator
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{name}: {}", errors.join("; "));
    }
    for name in ["unknown-keys", "bad-values", "no-policy-table"] {
        let text =
            std::fs::read_to_string(root().join(format!("tests/policies/invalid/{name}.toml")))
                .unwrap();
        let doc = as_json(toml::from_str(&text).unwrap());
        assert!(
            !validator.is_valid(&doc),
            "the schema should reject {name}.toml"
        );
    }
}

#[test]
fn check_against_the_fixture_hub() {
    let hub = crate::fake_hub::FakeHub::start(crate::fake_hub::Corpus::fixtures());
    let project = Project::new(THREE);
    let out = project.run(hub.url(), &["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(
        table.contains("black-forest-labs/FLUX.1-dev@9ad4236  deny-noncommercial: flux-1-dev-non-commercial does not grant commercial use"),
        "{table}"
    );
    assert!(
        table.contains("FAIL: 1 of 3 models fails openness.toml"),
        "{table}"
    );
    let doc = project.json(hub.url(), &["check"], 1);
    assert_eq!(
        check(&doc, "deepseek-ai/DeepSeek-R1", "deny-noncommercial")["outcome"],
        "pass"
    );
    assert_eq!(
        check(
            &doc,
            "meta-llama/Llama-3.1-8B-Instruct",
            "deny-noncommercial"
        )["outcome"],
        "pass"
    );

    std::fs::write(
        project.dir.path().join("openness.toml"),
        format!("{THREE}{FLUX_EXCEPTION}"),
    )
    .unwrap();
    let out = project.run(hub.url(), &["check"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{}",
        stderr(&out),
        stdout(&out)
    );
    assert!(
        stdout(&out).starts_with("openness check — PASS: 3 models meet openness.toml"),
        "{}",
        stdout(&out)
    );

    // Gated files open with the token, and the lock records their hashes.
    let out = project.run(
        hub.url(),
        &["check", "--update-lock", "--token", support::TOKEN],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lock = std::fs::read_to_string(project.dir.path().join("openness.lock")).unwrap();
    assert!(
        lock.contains("path = \"LICENSE.md\"\nsha256 = \""),
        "{lock}"
    );

    std::fs::remove_file(project.dir.path().join("openness.toml")).unwrap();
    let out = project.run(hub.url(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("no policy file openness.toml: create one with `openness init`"),
        "{}",
        stderr(&out)
    );
}

/// A model whose only license evidence is an MIT text with its disclaimer rewritten (about 64 %
/// similar to the standard text): recognised only under a lenient `--license-threshold`.
async fn mount_reworded_mit(server: &MockServer) {
    let mit =
        std::fs::read_to_string(root().join("tests/fixtures/licenses/corpus/mit.txt")).unwrap();
    let cut = mit.find("THE SOFTWARE IS PROVIDED").unwrap();
    let variant = format!("{}This software comes with no guarantee of any sort, and its authors accept no liability for anything it does.\n", &mit[..cut])
        .replace("Permission is hereby granted", "Permission is granted");
    let sha = "3".repeat(40);
    let info = json!({
        "id": "acme/reworded", "sha": sha, "gated": false, "private": false, "disabled": false,
        "tags": [], "cardData": {"license": "other"}, "siblings": [{"rfilename": "LICENSE"}],
    });
    support::mount_model_with_info(server, "acme/reworded", info).await;
    Mock::given(method("GET"))
        .and(path(format!("/acme/reworded/resolve/{sha}/LICENSE")))
        .respond_with(ResponseTemplate::new(200).set_body_string(variant))
        .mount(server)
        .await;
    mount_not_found(server).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_and_diff_honour_license_threshold() {
    let server = MockServer::start().await;
    mount_reworded_mit(&server).await;
    let project = Project::new(
        "[[models]]\nid = \"acme/reworded\"\n\n[policy]\nallow = [\"mit\"]\nunknown = \"deny\"\n",
    );
    let strict = project.json(&server.uri(), &["check"], 1);
    assert_eq!(
        check(&strict, "acme/reworded", "allow")["status"],
        "unknown"
    );
    let lenient = project.json(
        &server.uri(),
        &["check", "--license-threshold", "0.6", "--concurrency", "1"],
        0,
    );
    assert_eq!(lenient["models"][0]["license"], "mit");

    let sha = "3".repeat(40);
    let (from, to) = (
        format!("acme/reworded@{sha}"),
        "acme/reworded@main".to_owned(),
    );
    let diff = |extra: &[&str]| {
        let mut args = vec!["diff", from.as_str(), to.as_str(), "--format", "json"];
        args.extend(extra);
        let out = project.run(&server.uri(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        serde_json::from_str::<Value>(&stdout(&out)).unwrap()
    };
    assert_eq!(diff(&[])["from"]["license"], Value::Null);
    assert_eq!(
        diff(&["--license-threshold", "0.6"])["from"]["license"],
        "mit"
    );
}

/// Issue 14 Deliver 5: a related lookup that exhausts its retries is a `lookup-failed` finding,
/// and `check` treats the facts it leaves unknown as its policy says: `deny` fails, `warn` passes
/// with a warning.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_lookup_is_an_unknown_fact_the_policy_decides() {
    let server = MockServer::start().await;
    let info = json!({
        "id": "lab/tuned", "sha": "1".repeat(40), "gated": false, "private": false,
        "cardData": {"license": "apache-2.0", "datasets": ["lab/flaky-data"]},
        "tags": ["license:apache-2.0", "dataset:lab/flaky-data"],
        "siblings": [{"rfilename": "config.json"}, {"rfilename": "model.safetensors", "size": 10}]
    });
    support::mount_model_with_info(&server, "lab/tuned", info).await;
    Mock::given(method("GET"))
        .and(path("/api/datasets/lab/flaky-data"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    mount_not_found(&server).await;
    for (unknown, code) in [("deny", 1), ("warn", 0)] {
        let project = Project::new(&format!(
            "[[models]]\nid = \"lab/tuned\"\n\n[policy]\nrubric = \"osai\"\nunknown = \"{unknown}\"\n\n[policy.min-verdict]\nend-model-data = \"partial\"\n"
        ));
        let verdict = project.json(&server.uri(), &["check"], code);
        let model = &verdict["models"][0];
        let text = model.to_string();
        assert!(text.contains("lookup-failed"), "{unknown}: {text}");
        let check = model["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["rule"] == "min-verdict")
            .unwrap();
        assert_eq!(check["status"], "unknown", "{unknown}: {check}");
    }
}
