//! A fake Hub on loopback serving the fixtures in the Hub's URL layout, and helpers to run the
//! real client or the real binary against it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const TOKEN: &str = "hf_test_token_0123456789";

pub fn fixture_dir(id: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hub")
        .join(id.replace('/', "__"))
}

pub fn info(id: &str) -> Value {
    let text = std::fs::read_to_string(fixture_dir(id).join("info.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

pub fn sha(id: &str) -> String {
    info(id)["sha"].as_str().unwrap().to_owned()
}

/// Serves model `id`'s metadata and files. Gated fixtures refuse files without the token.
pub async fn mount_model(server: &MockServer, id: &str) {
    mount_model_with_info(server, id, info(id)).await;
}

pub async fn mount_model_with_info(server: &MockServer, id: &str, info: Value) {
    let body = serde_json::to_vec(&info).unwrap();
    let sha = info["sha"].as_str().unwrap_or("main").to_owned();
    for route in [
        format!("/api/models/{id}"),
        format!("/api/models/{id}/revision/{sha}"),
        format!("/api/models/{id}/revision/main"),
    ] {
        Mock::given(method("GET"))
            .and(path(route))
            .and(query_param("blobs", "true"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
            .mount(server)
            .await;
    }
    let gated = info["gated"].as_str().is_some();
    let files = fixture_dir(id).join("files");
    for entry in std::fs::read_dir(&files).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = std::fs::read(entry.path()).unwrap();
        let route = format!("/{id}/resolve/{sha}/{name}");
        let ok = ResponseTemplate::new(200)
            .insert_header("etag", format!("\"{:x}\"", bytes.len() * 7919 + name.len()))
            .insert_header("x-repo-commit", sha.as_str())
            .set_body_raw(bytes, "text/plain");
        if gated {
            Mock::given(method("GET"))
                .and(path(route.clone()))
                .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
                .respond_with(ok)
                .with_priority(1)
                .mount(server)
                .await;
            Mock::given(method("GET"))
                .and(path(route))
                .respond_with(
                    ResponseTemplate::new(401)
                        .insert_header("x-error-code", "GatedRepo")
                        .insert_header("x-error-message", format!("Access to model {id} is restricted. You must have access to it and be authenticated to access it. Please log in.").as_str()),
                )
                .with_priority(2)
                .mount(server)
                .await;
        } else {
            Mock::given(method("GET"))
                .and(path(route))
                .respond_with(ok)
                .mount(server)
                .await;
        }
    }
}

/// The Hub's answer for a repo that does not exist.
pub async fn mount_not_found(server: &MockServer) {
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-error-code", "RepoNotFound")
                .set_body_json(serde_json::json!({"error": "Repository not found"})),
        )
        .with_priority(10)
        .mount(server)
        .await;
}

/// Runs the real `openness` binary with a clean Hugging Face environment.
pub fn openness(endpoint: &str, home: &Path, args: &[&str]) -> Output {
    openness_with_env(endpoint, home, args, &[])
}

pub fn openness_with_env(
    endpoint: &str,
    home: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    openness_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        endpoint,
        home,
        args,
        env,
    )
}

/// Runs the binary in `dir` (a project folder) with a clean Hugging Face environment.
pub fn openness_in(
    dir: &Path,
    endpoint: &str,
    home: &Path,
    args: &[&str],
    env: &[(&str, &str)],
) -> Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_openness"));
    cmd.current_dir(dir)
        .args(args)
        .env_remove("HF_TOKEN")
        .env_remove("HF_TOKEN_PATH")
        .env_remove("HUGGING_FACE_HUB_TOKEN")
        .env_remove("HF_HUB_OFFLINE")
        .env_remove("TRANSFORMERS_OFFLINE")
        .env_remove("HF_HUB_CACHE")
        .env_remove("HUGGINGFACE_HUB_CACHE")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        .env("HF_HOME", home)
        .env("HF_ENDPOINT", endpoint)
        .env("NO_COLOR", "1");
    isolate_code_host(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("the binary runs")
}

/// No test reaches GitHub: the code host is off unless a test turns it on
/// (`OPENNESS_NO_CODE_HOST=0` with `GITHUB_API_URL` / `OPENNESS_GITHUB_RAW_URL` pointing at a
/// loopback stand-in), and nothing of the developer's or CI's GitHub settings leaks in.
pub fn isolate_code_host(cmd: &mut std::process::Command) {
    for var in [
        "GITHUB_TOKEN",
        "GH_TOKEN",
        "GITHUB_API_URL",
        "OPENNESS_GITHUB_RAW_URL",
        "OPENNESS_GITHUB_CACHE",
        "OPENNESS_GITHUB_MAX_AGE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("OPENNESS_NO_CODE_HOST", "1");
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Settings for using the library directly against `endpoint`, with fast retries.
pub fn settings(endpoint: &str, home: &Path, token: Option<&str>) -> openness::hub::HubSettings {
    let overrides = openness::hub::SettingsOverrides {
        endpoint: Some(endpoint.to_owned()),
        token: token.map(str::to_owned),
        ..Default::default()
    };
    let home = home.to_string_lossy().into_owned();
    let mut settings = openness::hub::HubSettings::resolve(&overrides, &|name| {
        (name == "HF_HOME").then(|| home.clone())
    })
    .unwrap();
    settings.retry.base_delay = std::time::Duration::from_millis(1);
    settings.retry.max_delay = std::time::Duration::from_millis(5);
    // No test reaches GitHub unless it says so.
    settings.github.enabled = false;
    settings
}

/// Replaces the fake Hub's random address in output so snapshots are stable.
pub fn redact(text: &str, endpoint: &str, home: &Path) -> String {
    // Markdown shows it with `://` escaped (no autolink).
    text.replace(endpoint, "[ENDPOINT]")
        .replace(&endpoint.replacen("://", "\\://", 1), "[ENDPOINT]")
        .replace(&home.to_string_lossy().into_owned(), "[HOME]")
}

/// Serves `info` as `/api/models/{id}` for any query: how the audit reads a base model.
pub async fn mount_metadata(server: &MockServer, id: &str, info: &Value) {
    Mock::given(method("GET"))
        .and(path(format!("/api/models/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(info))
        .mount(server)
        .await;
}

/// Serves the refs API of `id` with these branches (the Hub's shape).
pub async fn mount_refs(server: &MockServer, id: &str, branches: &[&str]) {
    let branches: Vec<Value> = branches
        .iter()
        .map(|b| serde_json::json!({"name": b, "ref": format!("refs/heads/{b}"), "targetCommit": "0".repeat(40)}))
        .collect();
    Mock::given(method("GET"))
        .and(path(format!("/api/models/{id}/refs")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"branches": branches, "converts": [], "tags": []}),
            ),
        )
        .mount(server)
        .await;
}

/// A dataset-info fixture from `tests/fixtures/datasets/`.
pub fn dataset_info(id: &str) -> Value {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/datasets")
        .join(format!("{}.json", id.replace('/', "__")));
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

/// Serves `GET /api/datasets/{id}` from its fixture.
pub async fn mount_dataset(server: &MockServer, id: &str) {
    Mock::given(method("GET"))
        .and(path(format!("/api/datasets/{id}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(dataset_info(id)))
        .mount(server)
        .await;
}

/// Runs the binary like [`openness_with_env`], but kills it and fails the test if it has not
/// finished within `limit`: a stall is a failure, not a hung test run. (A bound, not a timing:
/// limits are many times what the run needs.)
pub fn openness_bounded(
    endpoint: &str,
    home: &Path,
    args: &[&str],
    env: &[(&str, &str)],
    limit: std::time::Duration,
) -> Output {
    use std::io::Read;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_openness"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .env_remove("HF_TOKEN")
        .env_remove("HF_TOKEN_PATH")
        .env_remove("HUGGING_FACE_HUB_TOKEN")
        .env_remove("HF_HUB_OFFLINE")
        .env_remove("TRANSFORMERS_OFFLINE")
        .env_remove("HF_HUB_CACHE")
        .env_remove("HUGGINGFACE_HUB_CACHE")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("COLUMNS")
        .env_remove("CLICOLOR_FORCE")
        .env("HF_HOME", home)
        .env("HF_ENDPOINT", endpoint)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    isolate_code_host(&mut cmd);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the binary runs");
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out_pipe.read_to_end(&mut v);
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err_pipe.read_to_end(&mut v);
        v
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "`openness {}` did not finish within {limit:?}",
                args.join(" ")
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// The fact a scorecard holds for the catalog key `name` (a test's misspelt key panics).
pub fn fact<'c>(
    card: &'c openness::scorecard::Scorecard,
    name: &str,
) -> Option<&'c openness::evidence::Fact> {
    let key = openness::evidence::keys::lookup(name)
        .unwrap_or_else(|| panic!("`{name}` is not an evidence key"));
    card.fact(key)
}
