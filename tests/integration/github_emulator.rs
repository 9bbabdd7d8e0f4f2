//! The GitHub evidence against `../shared/tools/hub_emulator.py --github` (the shared GitHub
//! corpus): skipped, with a message, when `../shared` is not beside the repository. Every run
//! checks the emulator's `hf_token_leaks` stays 0.

use crate::emulator::{Emulator, start};
use crate::support::{TOKEN, openness_with_env, stderr, stdout};
use serde_json::Value;
use std::process::Command;

/// The emulator with the GitHub stand-in: (emulator, API URL, raw URL).
fn start_with_github(
    test: &str,
    extra: &[&str],
) -> Option<(Emulator, String, String, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let port_file = dir.path().join("gh.url");
    let port_file = port_file.to_str().unwrap().to_owned();
    let mut args = vec![
        "--token",
        TOKEN,
        "--github",
        "--github-port-file",
        port_file.as_str(),
    ];
    args.extend(extra);
    let emulator = start(test, &args)?;
    let urls = std::fs::read_to_string(&port_file).unwrap();
    let mut lines = urls.lines();
    let api = lines.next().unwrap().to_owned();
    let raw = lines.next().unwrap().to_owned();
    Some((emulator, api, raw, dir))
}

/// `/_emulator/stats` → its `github` part.
fn github_stats(emulator: &Emulator) -> Value {
    let out = Command::new("python3")
        .args(["-c", "import json,sys,urllib.request;print(json.dumps(json.load(urllib.request.urlopen(sys.argv[1]))['github']))"])
        .arg(format!("{}/_emulator/stats", emulator.url))
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn api_calls(stats: &Value) -> u64 {
    stats["counts"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| k.starts_with("api "))
        .map(|(_, v)| v.as_u64().unwrap())
        .sum()
}

fn env<'a>(api: &'a str, raw: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("OPENNESS_NO_CODE_HOST", "0"),
        ("GITHUB_API_URL", api),
        ("OPENNESS_GITHUB_RAW_URL", raw),
        ("HF_TOKEN", TOKEN),
        ("COLUMNS", "400"),
    ]
}

#[test]
fn olmo_explained_with_its_training_and_data_code_and_license() {
    let Some((emulator, api, raw, _dir)) = start_with_github(
        "olmo_explained_with_its_training_and_data_code_and_license",
        &[],
    ) else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let out = openness_with_env(
        &emulator.url,
        home.path(),
        &["audit", "allenai/OLMo-7B", "--explain", "--format", "table"],
        &env(&api, &raw),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "repo.training = [\"https://github.com/allenai/OLMo\"",
        "github.com/allenai/OLMo@59a53e3f68e5 olmo/train.py",
        "repo.data-processing = [\"https://github.com/allenai/OLMo\"",
        "github.com/allenai/OLMo@59a53e3f68e5 scripts/prepare_",
        "repo.license = \"apache-2.0\"  (github.com/allenai/OLMo@59a53e3f68e5 LICENSE:1)",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let stats = github_stats(&emulator);
    assert_eq!(stats["hf_token_leaks"], 0, "{stats}");
    // Three repositories linked: at most three API calls each.
    assert!(api_calls(&stats) <= 9, "{stats}");
}

#[test]
fn a_rank_with_five_calls_of_quota_finishes_with_one_warning() {
    let Some((emulator, api, raw, _dir)) = start_with_github(
        "a_rank_with_five_calls_of_quota_finishes_with_one_warning",
        &["--github-rate-limit", "5/3600"],
    ) else {
        return;
    };
    let expected = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/agreement/mof-expected.csv"
    ))
    .unwrap();
    let mut models: Vec<&str> = expected
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    models.dedup();
    assert_eq!(models.len(), 30);
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["rank", "--format", "json"];
    args.extend(&models);
    let out = openness_with_env(&emulator.url, home.path(), &args, &env(&api, &raw));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["scorecards"].as_array().unwrap().len(), 30);
    let err = stderr(&out);
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("GitHub API quota exhausted until"))
        .collect();
    assert_eq!(warnings.len(), 1, "{err}");
    let stats = github_stats(&emulator);
    assert_eq!(stats["hf_token_leaks"], 0, "{stats}");
    // At most four calls spent (the last one is kept in reserve, and a repository is read only
    // when both its calls fit), none refused.
    let spent = api_calls(&stats);
    assert!((1..=4).contains(&spent), "{stats}");
    assert!(stats["counts"].get("api 403").is_none(), "{stats}");
}
