//! The code repositories the cards link, read on GitHub (issue 12): the real client against the
//! GitHub stand-in of `github_standin.rs` and a fake Hub, both on loopback, through the real
//! binary. Covers a publisher's training repository, a third-party inference engine, a dead
//! link, a moved repository, the quota running out mid-rank, which token goes where, offline from
//! the disk cache, and revalidation with ETags.

use crate::github_standin::GithubStandIn;
use crate::support::{
    TOKEN, mount_model, mount_model_with_info, mount_not_found, openness_with_env, stderr, stdout,
};
use serde_json::{Value, json};
use std::path::Path;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A GitHub token shaped like a real one, for the stand-in's 5000-call quota.
const GITHUB_TOKEN: &str = "ghp_standinToken0123456789abcdefABCD";

/// A release whose card is `readme`, published by `id`'s owner.
async fn mount_card(server: &MockServer, id: &str, readme: &str) {
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let info = json!({
        "id": id, "modelId": id, "author": id.split('/').next().unwrap(), "sha": sha,
        "private": false, "disabled": false, "gated": false, "library_name": "transformers",
        "tags": ["license:apache-2.0"], "cardData": {"license": "apache-2.0"},
        "siblings": [{"rfilename": "README.md"}, {"rfilename": "model.safetensors", "size": 10}],
    });
    Mock::given(method("GET"))
        .and(path(format!("/{id}/resolve/{sha}/README.md")))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("etag", "\"abc123\"")
                .set_body_string(readme),
        )
        .mount(server)
        .await;
    mount_model_with_info(server, id, info).await;
}

/// A fake Hub with these fixture models, and 404 for anything else.
async fn hub(models: &[&str]) -> MockServer {
    let server = MockServer::start().await;
    for id in models {
        mount_model(&server, id).await;
    }
    server
}

fn run(
    hub: &MockServer,
    github: &GithubStandIn,
    home: &Path,
    args: &[&str],
    extra: &[(&str, &str)],
) -> std::process::Output {
    let mut env: Vec<(&str, String)> = github.env();
    env.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    openness_with_env(&hub.uri(), home, args, &env)
}

/// The JSON scorecard of a release whose card is `readme`, audited against a fake Hub and the
/// GitHub stand-in.
async fn audit_card(id: &str, readme: &str) -> Value {
    let hub = MockServer::start().await;
    mount_card(&hub, id, readme).await;
    mount_not_found(&hub).await;
    let github = GithubStandIn::start(60).await;
    let home = tempfile::tempdir().unwrap();
    let out = run(
        &hub,
        &github,
        home.path(),
        &["audit", id, "--format", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    scorecards(&out).remove(0)
}

fn scorecards(out: &std::process::Output) -> Vec<Value> {
    let doc: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}\n{}", stderr(out)));
    doc["scorecards"].as_array().unwrap().clone()
}

fn value<'a>(card: &'a Value, key: &str) -> &'a Value {
    &card["evidence"][key]["value"]
}

fn has_finding(card: &Value, code: &str) -> bool {
    card["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["code"] == code)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_publishers_repository_holds_training_and_data_code_under_apache_2() {
    let hub = hub(&["allenai/OLMo-7B"]).await;
    mount_not_found(&hub).await;
    let github = GithubStandIn::start(60).await;
    let home = tempfile::tempdir().unwrap();
    let out = run(
        &hub,
        &github,
        home.path(),
        &[
            "audit",
            "allenai/OLMo-7B",
            "--rubric",
            "osai",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let card = &scorecards(&out)[0];
    let olmo = "https://github.com/allenai/OLMo";
    assert!(
        value(card, "repo.training")
            .as_array()
            .unwrap()
            .contains(&json!(olmo))
    );
    assert!(
        value(card, "repo.data-processing")
            .as_array()
            .unwrap()
            .contains(&json!(olmo))
    );
    assert!(
        value(card, "repo.own")
            .as_array()
            .unwrap()
            .contains(&json!(olmo))
    );
    assert_eq!(value(card, "repo.license"), "apache-2.0");
    // The path that proved it, at the snapshot read.
    let proof = &card["evidence"]["repo.pretraining"]["provenance"][0];
    assert_eq!(proof["source"], "repository");
    assert_eq!(proof["repo"], olmo);
    assert_eq!(proof["path"], "olmo/train.py");
    assert_eq!(proof["commit"], "59a53e3f68e546330ca5a99ec626e58f9ab96494");
    let license = &card["evidence"]["repo.license"]["provenance"][0];
    assert_eq!(
        (license["path"].as_str(), license["line"].as_u64()),
        (Some("LICENSE"), Some(1))
    );
    let training = card["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "training-code")
        .unwrap();
    assert_eq!(training["verdict"], "open");
    // Three linked repositories, two API calls each, the files from the raw host.
    assert_eq!(github.api_requests(), 6);
    assert!(github.raw_requests() >= 3);

    // --explain shows the same, in words.
    let home = tempfile::tempdir().unwrap();
    let out = run(
        &hub,
        &github,
        home.path(),
        &["audit", "allenai/OLMo-7B", "--explain", "--format", "table"],
        &[("COLUMNS", "400")],
    );
    let text = stdout(&out);
    assert!(
        text.contains("repo.training = [\"https://github.com/allenai/OLMo\""),
        "{text}"
    );
    assert!(
        text.contains("github.com/allenai/OLMo@59a53e3f68e5 olmo/train.py"),
        "{text}"
    );
    assert!(text.contains("repo.license = \"apache-2.0\""), "{text}");
    assert!(
        text.contains("github.com/allenai/OLMo@59a53e3f68e5 LICENSE:1"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_repository_of_a_readme_and_a_paper_licenses_no_code() {
    // The publisher's repository holds a README, a license, figures and the paper: its MIT
    // license file is read, but there is no code for it to license.
    let card = &audit_card(
        "deepseek-ai/paper-only",
        "# Model\n\nSee our [repository](https://github.com/deepseek-ai/DeepSeek-R1).\n",
    )
    .await;
    let repo = "https://github.com/deepseek-ai/DeepSeek-R1";
    assert_eq!(value(card, "repo.own"), &json!([repo]));
    assert_eq!(value(card, "repo.code"), &json!([]));
    assert_eq!(
        value(card, "repo.licenses"),
        &json!([format!("{repo}: mit")])
    );
    assert!(card["evidence"]["repo.license"].is_null());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_party_inference_engine_is_read_but_never_the_releases_code() {
    let card = &audit_card(
        "acme/chat-7b",
        "# chat-7b\n\nServe it with [Text Generation Inference](https://github.com/huggingface/text-generation-inference).\n",
    )
    .await;
    let tgi = "https://github.com/huggingface/text-generation-inference";
    assert_eq!(value(card, "repo.read"), &json!([tgi]));
    assert_eq!(value(card, "repo.own"), &json!([]));
    assert_eq!(value(card, "repo.training"), &json!([]));
    assert_eq!(
        value(card, "repo.licenses"),
        &json!([format!("{tgi}: apache-2.0")])
    );
    // Its license is not the release's code license: the release has no code of its own.
    assert!(card["evidence"]["repo.license"].is_null());
    let code = card["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "code")
        .unwrap();
    let training = code["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "code-training")
        .unwrap();
    assert_eq!(training["status"], "fail");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_link_and_a_moved_repository() {
    let hub = MockServer::start().await;
    mount_card(
        &hub,
        "allenai/olmo-renamed",
        "# Model\n\n## Training\n\nOur training code: https://github.com/allenai/OLMo-old\n\nOur data code: https://github.com/allenai/gone\n",
    )
    .await;
    mount_not_found(&hub).await;
    let github = GithubStandIn::start(60).await;
    github.moved("allenai/OLMo-old", "allenai/OLMo");
    let home = tempfile::tempdir().unwrap();
    let out = run(
        &hub,
        &github,
        home.path(),
        &["audit", "allenai/olmo-renamed", "--format", "json"],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let card = &scorecards(&out)[0];
    assert_eq!(
        value(card, "repo.missing"),
        &json!(["https://github.com/allenai/gone"])
    );
    assert_eq!(
        value(card, "repo.moved"),
        &json!(["https://github.com/allenai/OLMo-old -> https://github.com/allenai/OLMo"])
    );
    assert_eq!(
        value(card, "repo.read"),
        &json!(["https://github.com/allenai/OLMo"])
    );
    assert_eq!(
        value(card, "repo.own"),
        &json!(["https://github.com/allenai/OLMo"])
    );
    assert!(has_finding(card, "code-repo-missing"));
    assert!(has_finding(card, "code-repo-moved"));
    // The moved one: a redirect, its metadata, its tree; the dead one: one 404.
    assert_eq!(github.count("api 301"), 1);
    assert_eq!(github.count("api 404"), 1);
    assert_eq!(github.api_requests(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quota_running_out_mid_rank_leaves_facts_unknown_with_one_message() {
    let models = [
        "allenai/OLMo-7B",
        "EleutherAI/pythia-6.9b",
        "tiiuae/falcon-40b",
        "databricks/dolly-v2-12b",
    ];
    let hub = hub(&models).await;
    mount_not_found(&hub).await;
    let github = GithubStandIn::start(5).await;
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["rank", "--format", "json", "--concurrency", "4"];
    args.extend(models);
    let out = run(&hub, &github, home.path(), &args, &[]);
    // The rank finishes, every model scored, and the exit code is success.
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cards = scorecards(&out);
    assert_eq!(cards.len(), models.len());
    // Never past the quota, never the last call (the reserve), never a refused request retried.
    assert!(github.quota_spent() <= 4, "{}", github.quota_spent());
    assert_eq!(github.count("api 403"), 0);
    // One line on stderr for the whole run.
    let err = stderr(&out);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("GitHub API quota exhausted until"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].contains("UTC; set GITHUB_TOKEN"), "{err}");
    // The models left unread say so, and the GitHub facts that needed the unread repositories
    // are unknown (the card decides instead).
    let unread: Vec<&Value> = cards
        .iter()
        .filter(|c| has_finding(c, "code-host-quota"))
        .collect();
    assert!(!unread.is_empty());
    // falcon-40b links only other people's code: its own facts are known (none), the rest not.
    assert!(
        cards
            .iter()
            .any(|c| c["evidence"]["repo.training"].is_null())
    );
    for card in unread {
        assert!(card["evidence"]["repo.read"].is_null(), "{}", card["model"]);
        let finding = card["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "code-host-quota")
            .unwrap();
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .starts_with("GitHub API quota exhausted until"),
            "{finding}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_token_goes_to_its_own_host_and_is_never_shown() {
    let hub = hub(&["allenai/OLMo-7B"]).await;
    mount_not_found(&hub).await;
    let github = GithubStandIn::start(60).await;
    let home = tempfile::tempdir().unwrap();
    let out = run(
        &hub,
        &github,
        home.path(),
        &["audit", "allenai/OLMo-7B", "--format", "json"],
        &[("HF_TOKEN", TOKEN), ("GITHUB_TOKEN", GITHUB_TOKEN)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let seen = github.credentials();
    assert!(!seen.is_empty());
    for (host, auth) in &seen {
        // The GitHub token to the API only; the Hugging Face token never to GitHub.
        assert_eq!(*host, "api", "a credential reached the raw host: {auth}");
        assert_eq!(auth, &format!("Bearer {GITHUB_TOKEN}"));
    }
    assert!(github.count("raw 200") > 0);
    // The GitHub token never reaches the Hub.
    for request in hub.received_requests().await.unwrap() {
        let auth = request
            .headers
            .get("authorization")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        assert!(!auth.contains(GITHUB_TOKEN), "{}", request.url);
    }
    // Neither token is echoed anywhere.
    let all = format!("{}{}", stdout(&out), stderr(&out));
    assert!(!all.contains(GITHUB_TOKEN) && !all.contains(TOKEN));

    // A Hugging Face token put in GITHUB_TOKEN by mistake is refused, with a warning.
    let github = GithubStandIn::start(60).await;
    let home = tempfile::tempdir().unwrap();
    let out = run(
        &hub,
        &github,
        home.path(),
        &["audit", "allenai/OLMo-7B", "--format", "json"],
        &[("HF_TOKEN", TOKEN), ("GITHUB_TOKEN", TOKEN)],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        github.credentials().is_empty(),
        "{:?}",
        github.credentials()
    );
    assert!(
        stderr(&out).contains("GITHUB_TOKEN holds a Hugging Face token"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_disk_cache_serves_a_second_run_offline_and_revalidates_with_etags() {
    let hub = hub(&["allenai/OLMo-7B"]).await;
    mount_not_found(&hub).await;
    let github = GithubStandIn::start(60).await;
    let home = tempfile::tempdir().unwrap();
    let args = ["audit", "allenai/OLMo-7B", "--format", "json"];
    let first = run(&hub, &github, home.path(), &args, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let facts = |out: &std::process::Output| {
        let card = &scorecards(out)[0];
        [
            "repo.read",
            "repo.training",
            "repo.data-processing",
            "repo.license",
            "repo.readme-topics",
        ]
        .map(|k| value(card, k).clone())
    };
    let (api, raw) = (github.api_requests(), github.raw_requests());
    assert_eq!(api, 6);
    // The cache is beside the Hugging Face hub cache.
    assert!(
        home.path()
            .join("openness/github/allenai/olmo.json")
            .is_file()
    );

    // Within the freshness window: no request at all.
    let again = run(&hub, &github, home.path(), &args, &[]);
    assert_eq!(facts(&again), facts(&first));
    assert_eq!((github.api_requests(), github.raw_requests()), (api, raw));

    // Offline: the cache only.
    let offline = run(
        &hub,
        &github,
        home.path(),
        &["--offline", "audit", "allenai/OLMo-7B", "--format", "json"],
        &[],
    );
    assert_eq!(offline.status.code(), Some(0), "{}", stderr(&offline));
    assert_eq!(facts(&offline), facts(&first));
    assert_eq!((github.api_requests(), github.raw_requests()), (api, raw));

    // Past the freshness window: every request conditional, every answer 304, no quota spent,
    // no file downloaded again.
    let spent = github.quota_spent();
    let stale = run(
        &hub,
        &github,
        home.path(),
        &args,
        &[("OPENNESS_GITHUB_MAX_AGE", "0")],
    );
    assert_eq!(facts(&stale), facts(&first));
    assert_eq!(github.conditional_requests(), 6);
    assert_eq!(github.count("api 304"), 6);
    assert_eq!(github.quota_spent(), spent);
    assert_eq!(github.raw_requests(), raw);

    // Offline without a cache: the facts are unknown and the finding says how to get them.
    let empty = tempfile::tempdir().unwrap();
    let cold = run(
        &hub,
        &github,
        empty.path(),
        &args,
        &[("OPENNESS_NO_CODE_HOST", "1")],
    );
    assert_eq!(cold.status.code(), Some(0));
    let cold = run(
        &hub,
        &github,
        empty.path(),
        &["--offline", "audit", "allenai/OLMo-7B", "--format", "json"],
        &[],
    );
    let card = &scorecards(&cold)[0];
    assert!(card["evidence"]["repo.training"].is_null());
    assert!(has_finding(card, "code-host-unread"), "{card}");

    // --no-code-host: nothing is asked of GitHub, and the card's reading decides.
    let before = github.api_requests() + github.raw_requests();
    let off = run(
        &hub,
        &github,
        tempfile::tempdir().unwrap().path(),
        &[
            "--no-code-host",
            "audit",
            "allenai/OLMo-7B",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(off.status.code(), Some(0));
    assert!(scorecards(&off)[0]["evidence"]["repo.read"].is_null());
    assert_eq!(github.api_requests() + github.raw_requests(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_github_leaves_the_facts_unknown_and_the_audit_goes_on() {
    let models = [
        "allenai/OLMo-7B",
        "EleutherAI/pythia-6.9b",
        "tiiuae/falcon-40b",
    ];
    let hub = hub(&models).await;
    mount_not_found(&hub).await;
    // A port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["audit", "--format", "json"];
    args.extend(models);
    let out = crate::support::openness_bounded(
        &hub.uri(),
        home.path(),
        &args,
        &[
            ("OPENNESS_NO_CODE_HOST", "0"),
            ("GITHUB_API_URL", url.as_str()),
            ("OPENNESS_GITHUB_RAW_URL", url.as_str()),
        ],
        std::time::Duration::from_secs(120),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let cards = scorecards(&out);
    assert_eq!(cards.len(), 3);
    for card in &cards {
        assert!(card["evidence"]["repo.read"].is_null(), "{}", card["model"]);
        assert!(has_finding(card, "code-host-unread"), "{}", card["model"]);
    }
    // After a few failures in a row GitHub is not tried again: the run says so once, and every
    // repository reports the same cause, whichever request happened to fail first.
    let causes: std::collections::BTreeSet<String> = cards
        .iter()
        .flat_map(|c| c["findings"].as_array().unwrap().iter())
        .filter(|f| f["code"] == "code-host-unread")
        .flat_map(|f| {
            let message = f["message"].as_str().unwrap();
            let list = message.split("; the facts").next().unwrap();
            list.split(", https://")
                .map(|entry| entry.split_once(" (").unwrap().1.to_owned())
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(causes.len(), 1, "{causes:?}");
    let err = stderr(&out);
    assert_eq!(
        err.matches("unreachable (").count(),
        1,
        "one warning for the API host: {err}"
    );
    assert!(err.contains("not tried again this run"), "{err}");
}
