//! `openness rank`: listings paginated through `Link`, a failing page retried, ordering, limits
//! and filters, and the request budget of listed models.

use crate::fake_hub::{Corpus, FakeHub};
use crate::support::{info, mount_model, mount_not_found, openness, stderr, stdout};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A listing item as the Hub's listing with `expand=cardData&expand=siblings&…` returns it:
/// file names without sizes, the parameter count (`safetensors`) included.
fn listing_item(id: &str, downloads: u64) -> serde_json::Value {
    let mut item = info(id);
    if let Some(siblings) = item["siblings"].as_array_mut() {
        for s in siblings {
            *s = serde_json::json!({"rfilename": s["rfilename"]});
        }
    }
    if let Some(obj) = item.as_object_mut() {
        obj.insert("downloads".into(), downloads.into());
    }
    item
}

/// The Hub refuses `expand` combined with `full` or `cardData` (400); so does this one.
async fn refuse_expand_with_full(server: &MockServer) {
    for (key, value) in [("full", "true"), ("cardData", "true")] {
        Mock::given(method("GET"))
            .and(path("/api/models"))
            .and(query_param(key, value))
            .respond_with(ResponseTemplate::new(400).insert_header(
                "x-error-message",
                "expand cannot be combined with full or cardData",
            ))
            .with_priority(1)
            .mount(server)
            .await;
    }
}

/// Three listing pages for `--author org`: page 2 fails once (503) before answering.
async fn paginated_hub() -> MockServer {
    let server = MockServer::start().await;
    refuse_expand_with_full(&server).await;
    let base = server.uri();
    let page = |items: Vec<serde_json::Value>, next: Option<&str>| {
        let mut response = ResponseTemplate::new(200).set_body_json(items);
        if let Some(cursor) = next {
            response = response.insert_header("link", format!("<{base}/api/models?author=org&expand=cardData&expand=siblings&cursor={cursor}>; rel=\"next\"").as_str());
        }
        response
    };
    Mock::given(method("GET"))
        .and(path("/api/models"))
        .and(query_param("author", "org"))
        .and(query_param("cursor", "p2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/models"))
        .and(query_param("cursor", "p2"))
        .respond_with(page(
            vec![listing_item("meta-llama/Llama-3.1-8B-Instruct", 500)],
            Some("p3"),
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/models"))
        .and(query_param("cursor", "p3"))
        .respond_with(page(
            vec![listing_item("Qwen/Qwen2.5-7B-Instruct", 50)],
            None,
        ))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/models"))
        .and(query_param("author", "org"))
        .and(query_param("expand", "cardData"))
        .and(query_param("expand", "safetensors"))
        .and(query_param("expand", "sha"))
        .respond_with(page(
            vec![
                listing_item("deepseek-ai/DeepSeek-R1", 1000),
                listing_item("allenai/OLMo-7B", 10),
            ],
            Some("p2"),
        ))
        .with_priority(3)
        .mount(&server)
        .await;
    for id in [
        "deepseek-ai/DeepSeek-R1",
        "meta-llama/Llama-3.1-8B-Instruct",
        "Qwen/Qwen2.5-7B-Instruct",
        "allenai/OLMo-7B",
    ] {
        mount_model(&server, id).await;
    }
    mount_not_found(&server).await;
    server
}

fn ranked(out: &std::process::Output) -> Vec<(String, f64)> {
    assert_eq!(out.status.code(), Some(0), "{}", stderr(out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
    doc["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["model"].as_str().unwrap().to_owned(),
                c["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_are_followed_a_failing_page_is_retried_and_models_are_ranked() {
    let server = paginated_hub().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &["rank", "--author", "org", "--format", "json"],
    );
    let ranking = ranked(&out);
    assert_eq!(ranking.len(), 4, "all three pages: {ranking:?}");
    assert!(
        ranking.windows(2).all(|w| w[0].1 >= w[1].1),
        "sorted by score: {ranking:?}"
    );

    let requests = server.received_requests().await.unwrap();
    let pages = requests
        .iter()
        .filter(|r| r.url.path() == "/api/models")
        .count();
    assert_eq!(pages, 4, "three pages, one retried");
    // Listed models cost no per-model metadata call.
    let metadata = requests
        .iter()
        .filter(|r| r.url.path().starts_with("/api/models/") && !r.url.path().contains("/refs"))
        .count();
    assert_eq!(
        metadata,
        0,
        "{:?}",
        requests
            .iter()
            .map(|r| r.url.path().to_owned())
            .collect::<Vec<_>>()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sort_limit_and_filters() {
    let server = paginated_hub().await;
    let home = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["rank", "--author", "org", "--format", "json"];
        args.extend(extra);
        ranked(&openness(&server.uri(), home.path(), &args))
    };
    let by_downloads = run(&["--sort", "downloads"]);
    let names: Vec<&str> = by_downloads.iter().map(|(m, _)| m.as_str()).collect();
    assert_eq!(
        names,
        [
            "deepseek-ai/DeepSeek-R1",
            "meta-llama/Llama-3.1-8B-Instruct",
            "Qwen/Qwen2.5-7B-Instruct",
            "allenai/OLMo-7B"
        ]
    );
    assert_eq!(run(&["--limit", "2"]).len(), 2);
    let popular = run(&["--min-downloads", "100"]);
    assert_eq!(popular.len(), 2, "{popular:?}");
    let by_license = run(&["--sort", "license"]);
    assert_eq!(by_license.len(), 4);

    let out = openness(
        &server.uri(),
        home.path(),
        &["rank", "--author", "org", "--sort", "vibes"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("cannot sort by `vibes`"),
        "{}",
        stderr(&out)
    );
    let out = openness(&server.uri(), home.path(), &["rank"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nothing to rank"), "{}", stderr(&out));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explicit_models_and_a_list_file_rank_together_and_ties_keep_id_order() {
    let server = paginated_hub().await;
    let home = tempfile::tempdir().unwrap();
    let list = home.path().join("models.txt");
    std::fs::write(
        &list,
        "# models we ship\nallenai/OLMo-7B\n\nQwen/Qwen2.5-7B-Instruct  # the small one\n",
    )
    .unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "rank",
            "deepseek-ai/DeepSeek-R1",
            "deepseek-ai/DeepSeek-R1",
            "--from",
            list.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let ranking = ranked(&out);
    assert_eq!(ranking.len(), 3, "duplicates are ranked once: {ranking:?}");
    for pair in ranking.windows(2) {
        assert!(
            pair[0].1 > pair[1].1 || (pair[0].1 == pair[1].1 && pair[0].0 < pair[1].0),
            "{ranking:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listing_that_fails_is_an_error_and_the_rest_is_still_ranked() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/models"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "rank",
            "--author",
            "broken",
            "deepseek-ai/DeepSeek-R1",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("--author broken"), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["scorecards"].as_array().unwrap().len(), 1);
    assert_eq!(doc["errors"][0]["model"], "--author broken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ranking_table_and_markdown_are_one_ranked_table() {
    let server = paginated_hub().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &["rank", "--author", "org", "--format", "table"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("│ # ┆ Model"), "{table}");
    assert_eq!(
        table.matches("deepseek-ai/DeepSeek-R1").count(),
        1,
        "one row per model, no full scorecards"
    );
    let out = openness(
        &server.uri(),
        home.path(),
        &["rank", "--author", "org", "--format", "markdown"],
    );
    let markdown = stdout(&out);
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| #"))
        .collect();
    assert_eq!(rows.len(), 4, "{markdown}");
    assert!(rows[0].starts_with("| 1 |"), "{markdown}");
}

/// The fixture Hub and `openness rank ARGS --format json` against it: (exit code, document,
/// stderr, the Hub).
fn rank_fixtures(args: &[&str]) -> (Option<i32>, serde_json::Value, String, FakeHub) {
    let hub = FakeHub::start(Corpus::fixtures());
    let home = tempfile::tempdir().unwrap();
    let mut all = vec!["rank"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let out = openness(hub.url(), home.path(), &all);
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (out.status.code(), doc, stderr(&out), hub)
}

fn listed_models(doc: &serde_json::Value) -> Vec<String> {
    doc["scorecards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["model"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn author_and_search_together_are_the_hub_s_intersection() {
    let (code, doc, err, hub) = rank_fixtures(&["--author", "Qwen", "--search", "7B"]);
    assert_eq!(code, Some(0), "{err}");
    let mut models = listed_models(&doc);
    models.sort();
    assert_eq!(models, ["Qwen/Qwen1.5-7B", "Qwen/Qwen2.5-7B-Instruct"]);
    // One listing, both filters in it: the Hub intersects them.
    let listings: Vec<String> = hub
        .requests()
        .iter()
        .filter(|r| r.target.starts_with("/api/models?"))
        .map(|r| r.target.clone())
        .collect();
    assert_eq!(listings.len(), 1, "{listings:?}");
    assert!(
        listings[0].contains("author=Qwen") && listings[0].contains("search=7B"),
        "{listings:?}"
    );
    // Two authors, one search: each author's matches.
    let (_, doc, _, _) = rank_fixtures(&[
        "--author",
        "Qwen",
        "--author",
        "deepseek-ai",
        "--search",
        "R1",
    ]);
    assert_eq!(
        listed_models(&doc),
        [
            "deepseek-ai/DeepSeek-R1",
            "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
        ]
    );
}

#[test]
fn a_listing_with_no_model_is_an_error_that_says_so() {
    let (code, doc, err, _) = rank_fixtures(&["--author", "nobody-here"]);
    assert_eq!(code, Some(3), "{err}");
    assert_eq!(
        err.trim(),
        "error: --author nobody-here: the Hub lists no model (check the name: the Hub matches authors exactly, case included)"
    );
    assert_eq!(doc["errors"][0]["code"], "listing-empty");
    assert_eq!(doc["errors"][0]["model"], "--author nobody-here");
    // The other queries are still ranked.
    let (code, doc, _, _) = rank_fixtures(&["--author", "nobody-here", "--author", "Qwen"]);
    assert_eq!(code, Some(3));
    assert!(!listed_models(&doc).is_empty());
}

#[test]
fn sorting_by_downloads_shows_them() {
    let hub = FakeHub::start(Corpus::fixtures());
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let mut all = vec!["rank", "--author", "meta-llama"];
        all.extend(args);
        let out = openness(hub.url(), home.path(), &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let table = run(&["--sort", "downloads", "--format", "table"]);
    assert!(table.contains("┆ Downloads ┆"), "{table}");
    let markdown = run(&["--sort", "downloads", "--format", "markdown"]);
    assert!(
        markdown.lines().next().unwrap().contains("| Downloads |"),
        "{markdown}"
    );
    // The column is in ranking order: highest first.
    let downloads: Vec<u64> = markdown
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .map(|l| {
            let cells: Vec<&str> = l.split(" | ").collect();
            let header: Vec<&str> = markdown.lines().next().unwrap().split(" | ").collect();
            let at = header.iter().position(|h| *h == "Downloads").unwrap();
            cells[at].replace(',', "").parse().unwrap()
        })
        .collect();
    assert!(
        downloads.len() > 2 && downloads.windows(2).all(|w| w[0] >= w[1]),
        "{downloads:?}"
    );
    assert!(!run(&["--format", "table"]).contains("Downloads"));
}
