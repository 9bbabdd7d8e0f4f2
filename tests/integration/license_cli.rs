//! `openness license`: recognise files, show a knowledge-base entry.

use crate::support::{openness, stderr, stdout};

fn fixture(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/licenses")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn recognises_files_as_json() {
    let home = tempfile::tempdir().unwrap();
    let code = fixture("models/deepseek-ai__DeepSeek-V2__LICENSE-CODE");
    let model = fixture("models/deepseek-ai__DeepSeek-V2__LICENSE-MODEL");
    let readme = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("README.md")
        .display()
        .to_string();
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["license", &code, &model, &readme, "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let files = doc["files"].as_array().unwrap();
    assert_eq!(files[0]["matches"][0]["id"], "mit");
    assert_eq!(files[1]["matches"][0]["id"], "deepseek");
    assert_eq!(files[1]["matches"][0]["kind"], "license");
    assert_eq!(files[1]["matches"][0]["category"], "restricted");
    assert_eq!(
        files[1]["matches"][0]["properties"]["use-restrictions"]["value"],
        true
    );
    assert_eq!(
        files[2]["matches"],
        serde_json::json!([]),
        "a README is unknown"
    );
}

#[test]
fn shows_a_knowledge_base_entry_and_rejects_unknown_ids() {
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["license", "--id", "Llama 3.1", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["license"]["id"], "llama3.1");
    assert_eq!(
        doc["license"]["properties"]["user-threshold"]["value"],
        700_000_000
    );
    assert_eq!(
        doc["license"]["policies"],
        serde_json::json!(["llama3.1-aup"])
    );

    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["license", "--id", "no-such-license"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("openness license --list"),
        "{}",
        stderr(&out)
    );

    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["license", "/no/such/file"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: failed to open file `/no/such/file`: "),
        "{}",
        stderr(&out)
    );

    let out = openness("http://127.0.0.1:9", home.path(), &["license", "--list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).lines().count() > 100);
}

/// Issue 14 row 8: a text that matches nothing names the same closest standard text every run
/// (ties between equally distant texts go to the first SPDX id, not to hash order).
#[test]
fn the_closest_text_of_an_unrecognised_license_is_the_same_every_run() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("LICENSE");
    std::fs::write(&file, "MIT License\n").unwrap();
    let run = || {
        let out = openness(
            "http://127.0.0.1:9",
            home.path(),
            &["license", file.to_str().unwrap(), "--format", "json"],
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let first = run();
    assert!(first.contains("closest"), "{first}");
    for _ in 0..5 {
        assert_eq!(run(), first);
    }
}

/// Issue 13: `--id` on a license lists its revisions (oldest first, the named one marked);
/// `--id FAMILY` lists the family.
#[test]
fn id_lists_the_revisions_of_a_license_and_a_family() {
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["license", "--id", "yi"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let at = |id: &str| {
        text.lines()
            .position(|l| l.split_whitespace().any(|w| w == id))
            .unwrap_or_else(|| panic!("{id} not listed:\n{text}"))
    };
    assert!(text.contains("revisions of `yi-license`"), "{text}");
    assert!(at("yi-license-1.0") < at("yi-license-2.0"));
    let marked = text.lines().find(|l| l.contains('→')).unwrap();
    assert!(
        marked.contains("yi-license ") && marked.contains("2023-11-23"),
        "{marked}"
    );

    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["license", "--id", "flux", "--format", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let ids: Vec<&str> = doc["licenses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "flux-1-dev-non-commercial-2024",
            "flux-1-dev-non-commercial-1.1",
            "flux-1-dev-non-commercial"
        ]
    );
    assert_eq!(
        doc["licenses"][0]["revision-of"],
        "flux-1-dev-non-commercial"
    );

    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &[
            "license",
            "--id",
            "tencent-hunyuan-community",
            "--format",
            "json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["revisions"].as_array().unwrap().len(), 3);
    assert!(
        doc["family"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == "tencent-hunyuan-3d-2.0-community")
    );
}

/// Issue 13: a text that matches nothing lists its nearest standard texts, the same every run.
#[test]
fn an_unknown_text_lists_the_same_nearest_texts_every_run() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("LICENSE");
    std::fs::write(
        &file,
        "Permission is granted to anyone to use this model for any purpose, provided that this notice is kept. The model is provided as is, without warranty.\n",
    )
    .unwrap();
    let run = |format: &str| {
        let out = openness(
            "http://127.0.0.1:9",
            home.path(),
            &["license", file.to_str().unwrap(), "--format", format],
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run("table");
    assert!(
        table.contains("unknown (nearest standard texts: "),
        "{table}"
    );
    let json = run("json");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["files"][0]["candidates"].as_array().unwrap().len(), 3);
    for _ in 0..3 {
        assert_eq!(run("table"), table);
        assert_eq!(run("json"), json);
    }
}
