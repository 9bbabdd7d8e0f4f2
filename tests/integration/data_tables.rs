//! The knowledge tables of issue 11 (data/third-party-code.toml, code-purposes.toml,
//! card-topics.toml, compute.toml, peer-review.toml) stay loadable and well formed, and the
//! agreement fixtures (tests/fixtures/agreement/) stay complete.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use toml::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn table(name: &str) -> toml::Table {
    let path = root().join("data").join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    toml::from_str(&text).unwrap_or_else(|e| panic!("data/{name}: {e}"))
}

fn strings(value: &Value, what: &str) -> Vec<String> {
    let list = value
        .as_array()
        .unwrap_or_else(|| panic!("{what} is a list"));
    assert!(!list.is_empty(), "{what} is empty");
    list.iter()
        .map(|v| {
            let s = v.as_str().unwrap_or_else(|| panic!("{what} holds strings"));
            assert!(!s.trim().is_empty(), "{what} holds an empty string");
            s.to_owned()
        })
        .collect()
}

fn entries<'a>(table: &'a toml::Table, key: &str) -> &'a Vec<Value> {
    table[key]
        .as_array()
        .unwrap_or_else(|| panic!("[[{key}]] is a list"))
}

/// Matching is case-insensitive on folded text, so a phrase list must be lowercase.
fn assert_lowercase(list: &[String], what: &str) {
    for s in list {
        assert_eq!(s, &s.to_lowercase(), "{what}: {s:?} must be lowercase");
    }
}

#[test]
fn third_party_code_names_each_repository_once_with_known_purposes() {
    let t = table("third-party-code.toml");
    let purposes: HashSet<&str> = [
        "inference",
        "fine-tuning",
        "training-framework",
        "evaluation",
        "data-processing",
        "quantization",
        "application",
        "library",
    ]
    .into();
    let mut seen = HashSet::new();
    for tool in entries(&t, "tools") {
        let name = tool["name"].as_str().unwrap();
        for repo in strings(&tool["repos"], name) {
            let (owner, rest) = repo
                .split_once('/')
                .unwrap_or_else(|| panic!("{name}: {repo:?} is owner/name"));
            assert!(
                !owner.is_empty() && !rest.is_empty() && !rest.contains('/'),
                "{name}: {repo:?} is owner/name or owner/*"
            );
            assert!(seen.insert(repo.to_lowercase()), "{repo} is listed twice");
        }
        for p in strings(&tool["purposes"], name) {
            assert!(purposes.contains(p.as_str()), "{name}: unknown purpose {p}");
        }
    }
    let mut hubs = HashSet::new();
    for publisher in entries(&t, "publishers") {
        let hub = publisher["hub"].as_str().unwrap();
        assert!(hubs.insert(hub.to_lowercase()), "publisher {hub} twice");
        strings(&publisher["github"], hub);
    }
    assert_lowercase(&strings(&t["own-phrases"], "own-phrases"), "own-phrases");
}

#[test]
fn code_purposes_cover_the_five_purposes_of_the_issue() {
    let t = table("code-purposes.toml");
    let ids: Vec<&str> = entries(&t, "purposes")
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "pretraining",
            "fine-tuning",
            "inference",
            "evaluation",
            "data-processing"
        ]
    );
    for p in entries(&t, "purposes") {
        let id = p["id"].as_str().unwrap();
        let exclude = p.get("exclude").map(|e| strings(e, id)).unwrap_or_default();
        for path in strings(&p["paths"], id).into_iter().chain(exclude) {
            assert_eq!(path, path.to_lowercase(), "{id}: {path:?}");
            // A leading `/` anchors a file name at the root; no other empty segment.
            let rest = path.strip_prefix('/').unwrap_or(&path);
            assert!(
                !rest.is_empty() && rest.split('/').all(|s| !s.is_empty()),
                "{id}: {path:?} has an empty segment"
            );
        }
    }
    for key in ["trained-with", "user-offer"] {
        assert_lowercase(&strings(&t[key]["phrases"], key), key);
    }
    // The GitHub evidence's tree and documentation vocabularies.
    assert_lowercase(&strings(&t["tree"]["ignore"], "tree.ignore"), "tree.ignore");
    let extensions = strings(&t["tree"]["code-extensions"], "tree.code-extensions");
    assert_lowercase(&extensions, "tree.code-extensions");
    assert!(
        extensions.iter().all(|e| !e.starts_with('.')),
        "{extensions:?}"
    );
    let docs: Vec<&str> = entries(&t, "documentation")
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        docs,
        [
            "installation",
            "usage",
            "training",
            "data-preparation",
            "evaluation"
        ]
    );
    for d in entries(&t, "documentation") {
        let id = d["id"].as_str().unwrap();
        assert_lowercase(&strings(&d["headings"], id), id);
    }
    assert!(t["readme"]["min-section-bytes"].as_integer().unwrap() > 0);
    assert_lowercase(
        &strings(&t["docs"]["folders"], "docs.folders"),
        "docs.folders",
    );
}

#[test]
fn card_topics_are_distinct_and_placeholders_lowercase() {
    let t = table("card-topics.toml");
    let mut ids = HashSet::new();
    for topic in entries(&t, "topics") {
        let id = topic["id"].as_str().unwrap();
        assert!(ids.insert(id.to_owned()), "topic {id} twice");
        for key in ["exact", "contains", "labels"] {
            assert_lowercase(&strings(&topic[key], id), id);
        }
    }
    for id in [
        "model-details",
        "architecture",
        "intended-use",
        "limitations",
        "training-data",
        "training-procedure",
        "hyperparameters",
        "evaluation",
        "compute",
        "hardware",
        "citation",
        "datasheet",
    ] {
        assert!(ids.contains(id), "the issue's topic {id} is missing");
    }
    for key in ["exact", "contains", "template-guidance"] {
        assert_lowercase(&strings(&t["placeholders"][key], key), key);
    }
    assert!(
        strings(&t["placeholders"]["exact"], "placeholders")
            .contains(&"[more information needed]".to_owned())
    );
    for key in ["base-model-statements", "checkpoint-statements"] {
        assert_lowercase(&strings(&t[key]["phrases"], key), key);
    }
    for list in strings(
        &t["data-sharing"]["not-training-topics"],
        "not-training-topics",
    ) {
        assert!(
            ids.contains(&list),
            "not-training-topics names unknown topic {list}"
        );
    }
}

#[test]
fn compute_names_each_accelerator_once_and_counts_have_a_number() {
    let t = table("compute.toml");
    let mut names = HashSet::new();
    for acc in entries(&t, "accelerators") {
        let kind = acc["kind"].as_str().unwrap();
        let list = strings(&acc["names"], kind);
        assert_lowercase(&list, kind);
        for n in list {
            assert!(names.insert(n.clone()), "accelerator {n} twice");
        }
    }
    for key in ["joiners", "skip"] {
        assert_lowercase(&strings(&t["counts"][key], key), key);
    }
    for key in ["training-context", "inference-context"] {
        assert_lowercase(&strings(&t["context"][key], key), key);
    }
}

#[test]
fn peer_review_prefixes_are_dois_and_types_disjoint() {
    let t = table("peer-review.toml");
    for prefix in strings(&t["dois"]["not-peer-reviewed"], "not-peer-reviewed") {
        assert!(prefix.starts_with("10."), "{prefix} is not a DOI prefix");
    }
    let reviewed: HashSet<String> = strings(&t["bibtex"]["reviewed-types"], "reviewed")
        .into_iter()
        .collect();
    for p in strings(&t["bibtex"]["preprint-types"], "preprint") {
        assert!(!reviewed.contains(&p), "{p} is both reviewed and preprint");
    }
    for key in ["absent", "own", "base", "data", "basis"] {
        assert_lowercase(&strings(&t["roles"][key], key), key);
    }
    assert_lowercase(&strings(&t["venues"]["names"], "venues"), "venues");
}

/// The agreement fixtures: every expected verdict names a model served from tests/fixtures/hub,
/// in the vocabulary docs/accuracy.md and scripts/agreement.py use.
#[test]
fn agreement_fixtures_are_complete() {
    let dir = root().join("tests/fixtures/agreement");
    let read = |name: &str| -> Vec<Vec<String>> {
        std::fs::read_to_string(dir.join(name))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(str::to_owned).collect())
            .collect()
    };
    let served = |model: &str| {
        root()
            .join("tests/fixtures/hub")
            .join(model.replace('/', "__"))
            .join("info.json")
            .is_file()
    };

    let osai = read("osai-expected.csv");
    assert_eq!(osai.len(), 180, "15 models x 12 OSAI parameters");
    let mut models = HashSet::new();
    for row in &osai {
        assert_eq!(row.len(), 3, "{row:?}");
        assert!(served(&row[0]), "{} has no fixture", row[0]);
        assert!(
            ["open", "partial", "closed"].contains(&row[2].as_str()),
            "{row:?}"
        );
        models.insert(row[0].clone());
    }
    assert_eq!(models.len(), 15);

    let mof = read("mof-expected.csv");
    let statuses = [
        "open",
        "open-not-type-appropriate",
        "not-open",
        "unlicensed",
        "not-included",
    ];
    let mut classes = Vec::new();
    for row in &mof {
        assert_eq!(row.len(), 3, "{row:?}");
        assert!(served(&row[0]), "{} has no fixture", row[0]);
        match row[1].as_str() {
            "class" => classes.push(row[2].clone()),
            item if item.starts_with("progress:") => {
                row[2].parse::<f64>().unwrap();
            }
            _ => assert!(statuses.contains(&row[2].as_str()), "{row:?}"),
        }
    }
    assert_eq!(classes.len(), 30, "one class per MOT model");
    assert_eq!(classes.iter().filter(|c| *c != "none").count(), 5);
}
