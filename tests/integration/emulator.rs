//! End-to-end checks against `../shared/tools/hub_emulator.py` serving the shared corpus. They
//! are skipped (with a message) when `../shared` is not beside the repository.

use crate::support::{openness, stderr, stdout};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// The emulator, killed on drop.
pub struct Emulator {
    child: Child,
    pub url: String,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn shared_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    dir.join("tools/hub_emulator.py").is_file().then_some(dir)
}

/// Starts the emulator with extra arguments, or returns `None` (after saying so) when the
/// shared corpus is absent.
pub fn start(test: &str, args: &[&str]) -> Option<Emulator> {
    let Some(shared) = shared_dir() else {
        eprintln!(
            "skipped {test}: ../shared (hub corpus and emulator) is not beside the repository"
        );
        return None;
    };
    let mut child = Command::new("python3")
        .arg(shared.join("tools/hub_emulator.py"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 runs the emulator");
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    Some(Emulator {
        child,
        url: first.trim().to_owned(),
    })
}

/// The emulator's model-info answer, fetched independently of the tool.
fn api_sha(emulator: &Emulator, id: &str) -> String {
    let out = Command::new("python3")
        .args(["-c", "import json,sys,urllib.request;print(json.load(urllib.request.urlopen(sys.argv[1]))['sha'])"])
        .arg(format!("{}/api/models/{id}", emulator.url))
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn audit_three_families_against_the_emulated_hub() {
    let Some(emulator) = start("audit_three_families_against_the_emulated_hub", &[]) else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let models = [
        "deepseek-ai/DeepSeek-R1",
        "meta-llama/Llama-3.1-8B-Instruct",
        "Qwen/Qwen2.5-7B-Instruct",
    ];
    let mut args = vec!["audit"];
    args.extend(models);
    args.extend(["--format", "json"]);
    let out = openness(&emulator.url, home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let cards = doc["scorecards"].as_array().unwrap();
    assert_eq!(cards.len(), 3);
    let expected_licenses = ["mit", "llama3.1", "apache-2.0"];
    for ((card, id), license) in cards.iter().zip(models).zip(expected_licenses) {
        assert_eq!(card["model"], id);
        assert_eq!(
            card["revision"].as_str().unwrap(),
            api_sha(&emulator, id),
            "{id}"
        );
        assert_eq!(card["evidence"]["weights.published"]["value"], true, "{id}");
        assert_eq!(
            card["license"]["declared"],
            serde_json::json!([license]),
            "{id}"
        );
        assert_eq!(card["dimensions"].as_array().unwrap().len(), 4, "{id}");
    }
    assert_eq!(cards[1]["gate"], "manual");

    args.insert(4, "nobody/nothing");
    let out = openness(&emulator.url, home.path(), &args);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("nobody/nothing: repository not found"),
        "{}",
        stderr(&out)
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["scorecards"].as_array().unwrap().len(), 3);
}
