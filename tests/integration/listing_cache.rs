//! Issue 17 (and the cache rows of issue 14, issue 15 point 2): named models through their
//! authors' listings, rank and audit agreeing, shards, hostile listings, revalidation, and what
//! the cache may answer for.

use crate::support::{
    TOKEN, info, mount_model, mount_not_found, openness, openness_with_env, stderr, stdout,
};
use serde_json::Value;
use std::collections::BTreeMap;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const DEEPSEEK: [&str; 3] = [
    "deepseek-ai/DeepSeek-R1",
    "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
    "deepseek-ai/DeepSeek-V3",
];
const QWEN: [&str; 3] = [
    "Qwen/Qwen1.5-7B",
    "Qwen/Qwen2.5-72B-Instruct",
    "Qwen/Qwen2.5-7B-Instruct",
];
const LLAMA: [&str; 5] = [
    "meta-llama/Llama-2-7b-hf",
    "meta-llama/Llama-3.1-8B",
    "meta-llama/Llama-3.1-8B-Instruct",
    "meta-llama/Llama-3.2-3B-Instruct",
    "meta-llama/Meta-Llama-3-8B",
];

/// A listing item as the Hub's `expand=` listing returns it: file names without sizes or blob
/// ids, everything else as the model info has it.
fn listing_item(id: &str) -> Value {
    let mut item = info(id);
    if let Some(siblings) = item["siblings"].as_array_mut() {
        for s in siblings {
            *s = serde_json::json!({"rfilename": s["rfilename"]});
        }
    }
    item
}

/// Every fixture model of the three organisations, their authors' listings (which refuse
/// `full`/`cardData`, as the Hub does) and their files.
async fn three_organisations() -> MockServer {
    let server = MockServer::start().await;
    for key in ["full", "cardData"] {
        Mock::given(method("GET"))
            .and(path("/api/models"))
            .and(query_param(key, "true"))
            .respond_with(ResponseTemplate::new(400))
            .with_priority(1)
            .mount(&server)
            .await;
    }
    for (author, ids) in [
        ("deepseek-ai", &DEEPSEEK[..]),
        ("Qwen", &QWEN[..]),
        ("meta-llama", &LLAMA[..]),
    ] {
        let items: Vec<Value> = ids.iter().map(|id| listing_item(id)).collect();
        Mock::given(method("GET"))
            .and(path("/api/models"))
            .and(query_param("author", author))
            .and(query_param("expand", "safetensors"))
            .respond_with(ResponseTemplate::new(200).set_body_json(items))
            .with_priority(2)
            .mount(&server)
            .await;
        for id in ids {
            mount_model(&server, id).await;
        }
    }
    mount_not_found(&server).await;
    server
}

/// `rank` over the three organisations' listings, in `format`.
fn rank_three_organisations(format: &'static str) -> Vec<&'static str> {
    vec![
        "rank",
        "--author",
        "deepseek-ai",
        "--author",
        "Qwen",
        "--author",
        "meta-llama",
        "--format",
        format,
    ]
}

fn all_models() -> Vec<&'static str> {
    DEEPSEEK
        .iter()
        .chain(&QWEN)
        .chain(&LLAMA)
        .copied()
        .collect()
}

fn scorecards(out: &std::process::Output) -> BTreeMap<String, Value> {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let doc: Value = serde_json::from_str(&stdout(out)).unwrap();
    doc["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["model"].as_str().unwrap().to_owned(), c.clone()))
        .collect()
}

/// A scorecard without what legitimately differs between a listing and a model-info call: where
/// the facts came from, and the weights' byte size (listings carry no file sizes).
fn comparable(mut card: Value) -> Value {
    let obj = card.as_object_mut().unwrap();
    obj.remove("retrieval");
    obj["evidence"]
        .as_object_mut()
        .unwrap()
        .remove("weights.bytes");
    card
}

fn metadata_calls(requests: &[Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.url.path().starts_with("/api/models/") && !r.url.path().ends_with("/refs"))
        .count()
}

/// Issue 17 point 1: named models get their metadata from their authors' listings — one page
/// per organisation instead of a call per model — and score exactly as per-model calls do.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_models_come_from_their_authors_listings_with_the_same_scorecards() {
    let server = three_organisations().await;
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["rank", "--format", "json"];
    args.extend(all_models());
    let listed = scorecards(&openness(&server.uri(), home.path(), &args));
    let requests = server.received_requests().await.unwrap();
    assert_eq!(metadata_calls(&requests), 0, "no per-model metadata call");
    let pages = requests
        .iter()
        .filter(|r| r.url.path() == "/api/models")
        .count();
    assert_eq!(pages, 3, "one listing page per organisation");
    assert_eq!(listed.len(), all_models().len());

    // Each model alone: its author has one model asked, so a per-model call is cheaper.
    for id in all_models() {
        let home = tempfile::tempdir().unwrap();
        let alone = scorecards(&openness(
            &server.uri(),
            home.path(),
            &["rank", id, "--format", "json"],
        ));
        assert_eq!(alone[id]["retrieval"]["metadata"], "hub");
        assert_eq!(listed[id]["retrieval"]["metadata"], "listing");
        assert_eq!(
            comparable(alone[id].clone()),
            comparable(listed[id].clone()),
            "{id}"
        );
    }
}

/// Issue 15 point 2: `rank --author …` and `audit` of the same models give the same scores (the
/// listing carries the parameter count now).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rank_by_author_and_audit_agree_on_every_model() {
    let server = three_organisations().await;
    let home = tempfile::tempdir().unwrap();
    let ranked = scorecards(&openness(
        &server.uri(),
        home.path(),
        &rank_three_organisations("json"),
    ));
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["audit", "--format", "json"];
    args.extend(all_models());
    let audited = scorecards(&openness(&server.uri(), home.path(), &args));
    assert_eq!(ranked.len(), all_models().len());
    for id in all_models() {
        assert_eq!(ranked[id]["score"], audited[id]["score"], "{id}");
        assert_eq!(
            ranked[id]["evidence"]["weights.parameters"],
            audited[id]["evidence"]["weights.parameters"],
            "{id}"
        );
    }
}

/// Issue 17 point 5: the shards of a listing, concatenated, are the unsharded JSONL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shards_together_are_the_unsharded_jsonl() {
    let server = three_organisations().await;
    let rank = |shard: Option<&str>| {
        let home = tempfile::tempdir().unwrap();
        let mut args = rank_three_organisations("jsonl");
        if let Some(shard) = shard {
            args.extend(["--shard", shard]);
        }
        let out = openness(&server.uri(), home.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).lines().map(str::to_owned).collect::<Vec<_>>()
    };
    let mut whole = rank(None);
    let mut parts = Vec::new();
    let mut sizes = Vec::new();
    for shard in ["1/4", "2/4", "3/4", "4/4"] {
        let lines = rank(Some(shard));
        sizes.push(lines.len());
        parts.extend(lines);
    }
    assert_eq!(whole.len(), all_models().len());
    assert!(sizes.iter().filter(|&&n| n > 0).count() >= 2, "{sizes:?}");
    whole.sort();
    parts.sort();
    assert_eq!(whole, parts);
    let out = openness(
        &server.uri(),
        tempfile::tempdir().unwrap().path(),
        &["rank", "--author", "x", "--shard", "5/4"],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

/// Issue 14 row 12: a listing whose `next` link points back to a page already read, or that
/// sends empty pages for ever, is stopped and reported (exit 3); what it listed is ranked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endless_listings_are_stopped_and_reported() {
    let server = MockServer::start().await;
    let base = server.uri();
    Mock::given(method("GET"))
        .and(path("/api/models"))
        .and(query_param("author", "loop"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(vec![listing_item("deepseek-ai/DeepSeek-R1")])
                .insert_header(
                    "link",
                    format!("<{base}/api/models?author=loop>; rel=\"next\"").as_str(),
                ),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/models"))
        .and(query_param("author", "empty"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(Vec::<Value>::new())
                .insert_header(
                    "link",
                    format!("<{base}/api/models?author=empty&n=1>; rel=\"next\"").as_str(),
                ),
        )
        .mount(&server)
        .await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "rank", "--author", "loop", "--author", "empty", "--format", "json",
        ],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let doc: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["scorecards"][0]["model"], "deepseek-ai/DeepSeek-R1");
    let codes: Vec<&str> = doc["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["listing-incomplete", "listing-incomplete"],
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("already-read page"),
        "{}",
        stderr(&out)
    );
    let requests = server.received_requests().await.unwrap();
    let pages = |author: &str| {
        requests
            .iter()
            .filter(|r| {
                r.url.path() == "/api/models"
                    && r.url
                        .query()
                        .unwrap_or("")
                        .contains(&format!("author={author}"))
            })
            .count()
    };
    assert_eq!(
        pages("loop"),
        2,
        "the self-reference is noticed on the second page"
    );
    assert!(pages("empty") <= 4);
}

/// Issue 17 point 2: the model info is reused within the freshness window, and after it (or with
/// `--refresh`) revalidated with its ETag; a 304 is recorded as `revalidated`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn model_info_is_reused_then_revalidated_with_its_etag() {
    let server = MockServer::start().await;
    let id = "allenai/OLMo-7B";
    let etag = "W/\"5a0e-olmo\"";
    Mock::given(method("GET"))
        .and(path(format!("/api/models/{id}")))
        .and(header("if-none-match", etag))
        .respond_with(ResponseTemplate::new(304).insert_header("etag", etag))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/models/{id}")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(info(id))
                .insert_header("etag", etag),
        )
        .with_priority(2)
        .mount(&server)
        .await;
    mount_model(&server, id).await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let audit = |extra: &[&str]| {
        let mut args = vec!["audit", id, "--format", "json"];
        args.extend(extra);
        scorecards(&openness(&server.uri(), home.path(), &args))[id].clone()
    };
    let count = |requests: Vec<Request>| {
        (
            metadata_calls(&requests),
            requests
                .iter()
                .filter(|r| r.url.path().contains("/resolve/"))
                .count(),
        )
    };
    let first = audit(&[]);
    let (calls, files) = count(server.received_requests().await.unwrap());
    assert_eq!(first["retrieval"]["metadata"], "hub");
    let second = audit(&[]);
    assert_eq!(
        count(server.received_requests().await.unwrap()),
        (calls, files),
        "within the window nothing is asked again"
    );
    assert_eq!(second["retrieval"]["metadata"], "cache");
    let third = audit(&["--refresh"]);
    assert_eq!(third["retrieval"]["metadata"], "revalidated");
    assert_eq!(
        count(server.received_requests().await.unwrap()),
        (calls + 1, files),
        "one 304, no file downloaded"
    );
    assert_eq!(comparable(first), comparable(third));
}

/// Issue 14 row 11: gated files a run with a token cached do not answer for a run without one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gated_files_cached_with_a_token_are_not_reused_without_one() {
    let server = MockServer::start().await;
    let id = "meta-llama/Llama-3.1-8B-Instruct";
    mount_model(&server, id).await;
    mount_not_found(&server).await;
    let shared = tempfile::tempdir().unwrap();
    let audit = |home: &std::path::Path, token: Option<&str>| {
        let env: Vec<(&str, &str)> = token.map(|t| ("HF_TOKEN", t)).into_iter().collect();
        let out = openness_with_env(
            &server.uri(),
            home,
            &["audit", id, "--format", "json"],
            &env,
        );
        scorecards(&out)[id].clone()
    };
    let with_token = audit(shared.path(), Some(TOKEN));
    let after = audit(shared.path(), None);
    let alone = audit(tempfile::tempdir().unwrap().path(), None);
    assert_ne!(
        with_token["score"], alone["score"],
        "the token opens the files"
    );
    assert_eq!(after["score"], alone["score"]);
    assert_eq!(
        comparable(after.clone())["findings"],
        comparable(alone)["findings"]
    );
    // Offline without a token, as online: the files stay unreadable.
    let offline = openness_with_env(
        &server.uri(),
        shared.path(),
        &["audit", id, "--offline", "--format", "json"],
        &[],
    );
    assert_eq!(scorecards(&offline)[id]["score"], after["score"]);
}

/// Issue 14 row 11: a partial snapshot written by `huggingface_hub` (a README, no recorded
/// metadata) audits offline with the listing's facts unknown, not failed.
#[test]
fn a_partial_python_snapshot_audits_offline_with_unknowns() {
    let home = tempfile::tempdir().unwrap();
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let repo = home.path().join("hub/models--org--partial");
    std::fs::create_dir_all(repo.join("refs")).unwrap();
    std::fs::write(repo.join("refs/main"), sha).unwrap();
    std::fs::create_dir_all(repo.join("blobs")).unwrap();
    std::fs::write(
        repo.join("blobs/abc123"),
        "---\nlicense: mit\n---\n# Partial\n",
    )
    .unwrap();
    let snapshot = repo.join("snapshots").join(sha);
    std::fs::create_dir_all(&snapshot).unwrap();
    std::os::unix::fs::symlink("../../blobs/abc123", snapshot.join("README.md")).unwrap();
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["audit", "org/partial", "--offline", "--format", "json"],
    );
    let card = scorecards(&out)["org/partial"].clone();
    let criterion = |id: &str| {
        card["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|d| d["criteria"].as_array().unwrap().iter())
            .find(|c| c["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(criterion("weights-published"), "unknown");
    assert!(
        card["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "weights-missing")
    );
    assert_eq!(card["license"]["declared"][0], "mit");
    assert_eq!(card["retrieval"]["metadata"], "unavailable");
}

/// Issue 14 row 9: every related lookup that fails is a `lookup-failed` finding and one line on
/// stderr; the audit still succeeds.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failed_lookups_are_findings_and_one_stderr_line_each() {
    let server = MockServer::start().await;
    let id = "allenai/OLMo-7B";
    mount_model(&server, id).await;
    Mock::given(method("GET"))
        .and(path(format!("/api/models/{id}/refs")))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw("{\"branches\": 42}", "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(wiremock::matchers::path_regex("^/api/datasets/"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("<html>", "application/json"))
        .mount(&server)
        .await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", id, "--format", "json"],
    );
    let card = scorecards(&out)[id].clone();
    let failed = card["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "lookup-failed")
        .count();
    assert!(failed >= 2, "{}", card["findings"]);
    let warnings = stderr(&out)
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .count();
    assert_eq!(warnings, failed, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("the branches of `allenai/OLMo-7B`"),
        "{}",
        stderr(&out)
    );
}

/// A model with a README and an MIT LICENSE whose blob another model shares.
async fn mount_sharing_model(server: &MockServer, id: &str, sha: &str) {
    const MIT: &str = "MIT License\n\nCopyright (c) 2024 Lab\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";
    let readme = format!("---\nlicense: other\nlicense_name: lab-license\n---\n# {id}\n");
    let info = serde_json::json!({
        "id": id, "sha": sha, "gated": false, "private": false, "disabled": false,
        "cardData": {"license": "other", "license_name": "lab-license"},
        "tags": ["license:other"],
        "siblings": [
            {"rfilename": "README.md", "size": readme.len(), "blobId": format!("{:0>40}", id.len())},
            {"rfilename": "LICENSE", "size": MIT.len(), "blobId": "1".repeat(40)},
            {"rfilename": "model.safetensors", "size": 10},
        ]
    });
    crate::support::mount_model_with_info(server, id, info).await;
    for (name, body) in [("README.md", readme.as_str()), ("LICENSE", MIT)] {
        Mock::given(method("GET"))
            .and(path(format!("/{id}/resolve/{sha}/{name}")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("etag", format!("\"{name}{}\"", body.len()))
                    .insert_header("x-repo-commit", sha)
                    .set_body_string(body),
            )
            .mount(server)
            .await;
    }
}

/// Issue 14 row 10: a file two models share is downloaded once, and cached for both: a second
/// run offline reads it for each.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_shared_by_two_models_is_cached_for_both() {
    let server = MockServer::start().await;
    mount_sharing_model(&server, "lab/one", &"a".repeat(40)).await;
    mount_sharing_model(&server, "lab/two", &"b".repeat(40)).await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let args = ["audit", "lab/one", "lab/two", "--format", "json"];
    let online = scorecards(&openness(&server.uri(), home.path(), &args));
    let requests = server.received_requests().await.unwrap();
    let licenses = requests
        .iter()
        .filter(|r| r.url.path().ends_with("/LICENSE"))
        .count();
    assert_eq!(licenses, 1, "the shared blob is downloaded once");
    for id in ["lab/one", "lab/two"] {
        assert_eq!(online[id]["license"]["id"], "mit", "{id}");
    }

    let mut offline_args = args.to_vec();
    offline_args.push("--offline");
    let out = openness(&server.uri(), home.path(), &offline_args);
    let offline = scorecards(&out);
    for id in ["lab/one", "lab/two"] {
        assert_eq!(offline[id]["license"]["id"], "mit", "{id} offline");
        assert_eq!(offline[id]["score"], online[id]["score"], "{id}");
    }
    assert!(
        !stderr(&out).contains("not in the local cache"),
        "{}",
        stderr(&out)
    );
}

/// Issue 14 row 11: `rank` prepares `--offline`: the related lookups it made (datasets, base
/// models, branches) are recorded, so the offline ranking gives the same verdicts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ranking_offline_after_an_online_one_gives_the_same_verdicts() {
    let server = three_organisations().await;
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["rank", "--rubric", "osai", "--format", "json"];
    args.extend(all_models());
    let online = scorecards(&openness(&server.uri(), home.path(), &args));
    args.push("--offline");
    let offline = scorecards(&openness(&server.uri(), home.path(), &args));
    assert_eq!(online.len(), all_models().len());
    for id in all_models() {
        let verdicts = |card: &Value| -> Vec<(String, String)> {
            card["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| {
                    let id = d["id"].as_str().unwrap().to_owned();
                    (id, d["verdict"].as_str().unwrap_or("").to_owned())
                })
                .collect()
        };
        assert_eq!(verdicts(&online[id]), verdicts(&offline[id]), "{id}");
        assert_eq!(online[id]["score"], offline[id]["score"], "{id}");
    }
}
