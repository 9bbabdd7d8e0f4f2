//! End to end: the real binary against the fixture Hub on loopback (`fake_hub`, the corpus
//! subset in `tests/fixtures/`), in the Hub's URL layout — what `hub_emulator.py` does over the
//! whole shared corpus in `.ci/run`, here on any clone, without Python.

use crate::fake_hub::{Corpus, FakeHub, Fault, Options};
use crate::support::{TOKEN, openness, stderr, stdout};
use serde_json::json;

/// The fixture Hub: every model and dataset of `tests/fixtures/`.
fn fixture_hub() -> FakeHub {
    FakeHub::start(Corpus::fixtures())
}

/// The fixture Hub and the hostile models.
fn hostile_hub() -> FakeHub {
    FakeHub::start(Corpus::fixtures().with_hostile())
}

/// The sha the Hub answers for `id`, read from the fixture, not from the tool.
fn fixture_sha(id: &str) -> String {
    crate::support::sha(id)
}

#[test]
fn audit_three_families_against_the_fixture_hub() {
    let hub = fixture_hub();
    let home = tempfile::tempdir().unwrap();
    let models = [
        "deepseek-ai/DeepSeek-R1",
        "meta-llama/Llama-3.1-8B-Instruct",
        "Qwen/Qwen2.5-7B-Instruct",
    ];
    let mut args = vec!["audit"];
    args.extend(models);
    args.extend(["--format", "json"]);
    let out = openness(hub.url(), home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let cards = doc["scorecards"].as_array().unwrap();
    assert_eq!(cards.len(), 3);
    let expected_licenses = ["mit", "llama3.1", "apache-2.0"];
    for ((card, id), license) in cards.iter().zip(models).zip(expected_licenses) {
        assert_eq!(card["model"], id);
        assert_eq!(card["revision"].as_str().unwrap(), fixture_sha(id), "{id}");
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
    let out = openness(hub.url(), home.path(), &args);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("nobody/nothing: repository not found"),
        "{}",
        stderr(&out)
    );
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["scorecards"].as_array().unwrap().len(), 3);
}

/// The scorecards of `models`, audited with `--explain --format json` against `hub`.
fn audit_json(hub: &FakeHub, models: &[&str]) -> Vec<serde_json::Value> {
    let home = tempfile::tempdir().unwrap();
    let mut args = vec!["audit"];
    args.extend(models);
    args.extend(["--explain", "--format", "json"]);
    let out = openness(hub.url(), home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    doc["scorecards"].as_array().unwrap().clone()
}

#[test]
fn deep_evidence_of_four_releases_against_the_fixture_hub() {
    let hub = fixture_hub();
    let cards = audit_json(
        &hub,
        &[
            "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
            "EleutherAI/pythia-6.9b",
            "allenai/OLMo-7B",
            "meta-llama/Llama-2-7b-hf",
        ],
    );
    let ev = |i: usize, key: &str| cards[i]["evidence"][key]["value"].clone();
    let codes = |i: usize| -> Vec<String> {
        cards[i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };

    // A distillation of Llama 3.1 declaring MIT: the chain, the inherited terms, the drift.
    assert_eq!(ev(0, "lineage.chain"), json!(["meta-llama/Llama-3.1-8B"]));
    assert_eq!(
        ev(0, "lineage.ancestor-licenses"),
        json!(["meta-llama/Llama-3.1-8B: llama3.1"])
    );
    assert_eq!(ev(0, "lineage.inherited-license"), json!("llama3.1"));
    let duties = ev(0, "lineage.inherited-obligations");
    for duty in [
        "commercial-conditional",
        "use-restrictions",
        "naming",
        "output-restrictions",
    ] {
        assert!(
            duties.as_array().unwrap().contains(&json!(duty)),
            "{duties}"
        );
    }
    assert_eq!(ev(0, "lineage.license-drift"), json!(true));
    assert!(codes(0).contains(&"license-drift".to_owned()));
    assert_eq!(cards[0]["license"]["declared"], json!(["mit"]));

    // Pythia: its step branches, and the Pile, which the Hub no longer serves.
    assert_eq!(
        ev(1, "checkpoints.intermediate"),
        json!(["step0", "step1000", "step143000"])
    );
    assert_eq!(ev(1, "checkpoints.published"), json!(true));
    assert_eq!(ev(1, "data.datasets"), json!(["EleutherAI/pile"]));
    assert_eq!(ev(1, "data.datasets-missing"), json!(["EleutherAI/pile"]));
    assert!(codes(1).contains(&"dataset-missing".to_owned()));

    // OLMo: Dolma is on the Hub and open; the training code is linked.
    assert_eq!(ev(2, "data.datasets-open"), json!(["allenai/dolma"]));
    assert_eq!(ev(2, "data.datasets-licenses"), json!(["odc-by"]));
    assert_eq!(ev(2, "data.availability"), json!("all-open"));
    assert!(
        ev(2, "code.training")
            .as_array()
            .unwrap()
            .contains(&json!("https://github.com/allenai/OLMo"))
    );
    assert_eq!(
        ev(2, "checkpoints.intermediate"),
        json!(["step1000-tokens4B", "step556000-tokens2460B"])
    );

    // Llama 2 names no training data (its card is gated; the metadata names none).
    assert_eq!(ev(3, "data.datasets"), json!([]));
    assert_eq!(ev(3, "data.availability"), json!("not-named"));
    let data = &cards[3]["dimensions"][1];
    assert_eq!(data["id"], "data");
    assert_eq!(data["criteria"][0]["status"], "fail");
}

#[test]
fn hostile_lineage_is_reported_not_fatal() {
    let hub = hostile_hub();
    let cards = audit_json(&hub, &["hostile/self-parent", "hostile/wrong-types"]);
    let codes: Vec<&str> = cards[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"lineage-cycle"), "{codes:?}");
    assert_eq!(cards[0]["evidence"]["lineage.chain"]["value"], json!([]));
    assert_eq!(cards[1]["model"], "hostile/wrong-types");
}

#[test]
fn license_properties_of_the_fixture_corpus() {
    let hub = fixture_hub();
    let home = tempfile::tempdir().unwrap();
    let models = [
        "deepseek-ai/DeepSeek-V2",
        "meta-llama/Llama-3.1-8B-Instruct",
        "Qwen/Qwen2.5-72B-Instruct",
        "black-forest-labs/FLUX.1-dev",
        "mistralai/Mistral-7B-v0.1",
        "01-ai/Yi-VL-6B",
    ];
    let mut args = vec!["audit", "--format", "json", "--token", TOKEN];
    args.extend(models);
    let out = openness(hub.url(), home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let card = |i: usize| &doc["scorecards"][i]["license"];
    let prop = |i: usize, key: &str| card(i)["properties"][key]["value"].clone();

    assert_eq!(card(0)["id"], "deepseek");
    assert_eq!(prop(0, "use-restrictions"), true);
    assert_eq!(prop(0, "commercial-use"), "yes");

    assert_eq!(card(1)["id"], "llama3.1");
    assert_eq!(prop(1, "user-threshold"), 700_000_000);
    assert_eq!(prop(1, "attribution"), true);
    assert_eq!(prop(1, "naming"), true);
    assert_eq!(prop(1, "use-policy"), true);
    assert_eq!(card(1)["policies"], serde_json::json!(["llama3.1-aup"]));
    assert_eq!(card(1)["source"], "declared+text");

    assert_eq!(card(2)["id"], "qwen");
    assert_eq!(prop(2, "commercial-use"), "conditional");
    assert_eq!(prop(2, "user-threshold"), 100_000_000);

    // The Hub's FLUX.1-dev LICENSE.md of October 2024 is the 2024 revision (issue 13).
    assert_eq!(card(3)["id"], "flux-1-dev-non-commercial-2024");
    assert_eq!(prop(3, "non-commercial"), true);
    assert_eq!(prop(3, "commercial-use"), "no");

    assert_eq!(card(4)["id"], "apache-2.0");
    assert_eq!(prop(4, "use-restrictions"), false);
    assert_eq!(prop(4, "user-threshold"), 0);
    assert_eq!(prop(4, "commercial-use"), "yes");

    // Yi-VL-6B's card says `license: apache-2.0` and `license_name: yi-license` at once.
    let codes: Vec<&str> = doc["scorecards"][5]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"license-conflicting-declarations"),
        "{codes:?}"
    );
}

#[test]
fn built_in_framework_rubrics_on_olmo() {
    let hub = fixture_hub();
    let home = tempfile::tempdir().unwrap();
    let audit = |rubric: &str| {
        let out = openness(
            hub.url(),
            home.path(),
            &[
                "audit",
                "allenai/OLMo-7B",
                "--rubric",
                rubric,
                "--format",
                "json",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        doc["scorecards"][0].clone()
    };

    let osai = audit("osai");
    let ids: Vec<&str> = osai["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "base-model-data",
            "end-model-data",
            "base-model-weights",
            "end-model-weights",
            "training-code",
            "code-documentation",
            "hardware-architecture",
            "preprint",
            "paper",
            "model-card",
            "datasheet",
            "licenses"
        ]
    );
    for dim in osai["dimensions"].as_array().unwrap() {
        let verdict = dim["verdict"]
            .as_str()
            .unwrap_or_else(|| panic!("{} has no verdict", dim["id"]));
        assert!(
            ["open", "partial", "closed", "unknown"].contains(&verdict),
            "{verdict}"
        );
    }
    assert_eq!(osai["max"], 12);

    let mof = audit("mof");
    assert!(
        mof.get("class").is_some(),
        "the scorecard carries the class reached (or null)"
    );
    let classes: Vec<&str> = mof["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(classes, ["class-iii", "class-ii", "class-i"]);
    assert!(mof["classes"][0]["progress"].as_f64().unwrap() > 0.0);

    let osaid = audit("osaid");
    let requirements: Vec<(&str, &str)> = osaid["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["id"].as_str().unwrap(), d["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(
        requirements.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
        ["data-information", "code", "parameters"]
    );
    assert!(
        requirements
            .iter()
            .all(|(_, v)| ["pass", "fail", "unknown"].contains(v)),
        "{requirements:?}"
    );
    assert!(osaid["verdict"].is_string());
}

#[test]
fn hostile_models_are_audited_without_panic_or_escape() {
    let hub = hostile_hub();
    let home = tempfile::tempdir().unwrap();
    let models = [
        "hostile/escapes",
        "hostile/bad-yaml",
        "hostile/alias-bomb",
        "hostile/not-utf8",
        "hostile/huge-readme",
        "hostile/wrong-types",
        "hostile/self-parent",
    ];
    for format in ["table", "markdown", "html", "csv"] {
        let mut args = vec!["audit", "--format", format, "--explain"];
        args.extend(models);
        let out = openness(hub.url(), home.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(
                !bytes.iter().any(|b| *b == 0x1b || *b == 0x07),
                "{format} {what} carries an escape or BEL byte"
            );
        }
    }
    let mut args = vec!["audit", "--format", "json"];
    args.extend(models);
    let out = openness(hub.url(), home.path(), &args);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let codes = |i: usize| -> Vec<String> {
        doc["scorecards"][i]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["code"].as_str().unwrap().to_owned())
            .collect()
    };
    let expect = [
        (1, "front-matter-invalid"),
        (2, "front-matter-invalid"),
        (3, "file-not-utf8"),
        (4, "file-too-large"),
        (5, "api-field-invalid"),
        (6, "lineage-cycle"),
    ];
    for (i, code) in expect {
        assert!(
            codes(i).contains(&code.to_owned()),
            "{}: {:?}",
            models[i],
            codes(i)
        );
    }
    assert!(
        doc["scorecards"][2]["findings"]
            .to_string()
            .contains("budget"),
        "the alias bomb is refused by the YAML budget"
    );
}

#[test]
fn faults_do_not_change_a_single_scorecard() {
    let clean = fixture_hub();
    let faulty = FakeHub::with_options(
        Corpus::fixtures(),
        Options {
            faults: vec![
                (Fault::TooMany, 0.05),
                (Fault::ServerError, 0.03),
                (Fault::Reset, 0.02),
                (Fault::Truncate, 0.02),
                (Fault::Slow, 0.01),
            ],
            seed: 11,
            ..Options::default()
        },
    );
    let rank = |hub: &FakeHub| {
        let home = tempfile::tempdir().unwrap();
        let out = openness(
            hub.url(),
            home.path(),
            &[
                "rank",
                "--search",
                "/",
                "--token",
                TOKEN,
                "--format",
                "json",
                "--concurrency",
                "16",
            ],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).replace(hub.url(), "[ENDPOINT]")
    };
    let expected = rank(&clean);
    let doc: serde_json::Value = serde_json::from_str(&expected).unwrap();
    assert_eq!(
        doc["scorecards"].as_array().unwrap().len(),
        Corpus::fixtures().models.len(),
        "every fixture model"
    );
    let got = rank(&faulty);
    let faults = faulty
        .requests()
        .iter()
        .filter(|r| r.status == 0 || r.status >= 429)
        .count();
    assert!(faults > 5, "the faulty Hub injected faults ({faults})");
    assert!(got == expected, "a fault changed the ranking");
}
