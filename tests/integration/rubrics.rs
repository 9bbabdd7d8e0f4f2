//! Rubric files: the valid and invalid corpora of tests/rubrics/, the built-ins, the JSON Schema,
//! and `--rubric` / `openness rubric` on the command line.

use crate::support::{mount_model, mount_not_found, openness, stderr, stdout};
use openness::rubric;
use std::path::{Path, PathBuf};
use wiremock::MockServer;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn files(dir: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    out.sort();
    out
}

fn relative(path: &Path) -> String {
    path.strip_prefix(root()).unwrap().display().to_string()
}

#[test]
fn valid_rubrics_and_every_built_in_load() {
    for path in files("tests/rubrics/valid")
        .into_iter()
        .chain(files("rubrics"))
    {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = rubric::load(&relative(&path), &text) {
            panic!("{e}");
        }
    }
    for (name, _) in rubric::BUILTIN {
        rubric::resolve(name).unwrap_or_else(|e| panic!("built-in {name}: {e}"));
    }
}

#[test]
fn invalid_rubrics_report_every_problem_with_its_position() {
    for path in files("tests/rubrics/invalid") {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = relative(&path);
        let err = rubric::load(&name, &text).expect_err(&name);
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("rubric_invalid_{stem}"), err.to_string());
    }
}

fn schema_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/rubric.schema.json")).unwrap(),
    )
    .unwrap();
    jsonschema::options()
        .offline()
        .build(&schema)
        .expect("the rubric schema compiles")
}

fn as_json(path: &Path) -> serde_json::Value {
    let value: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    serde_json::to_value(value).unwrap()
}

#[test]
fn the_json_schema_describes_the_format() {
    let validator = schema_validator();
    for path in files("tests/rubrics/valid")
        .into_iter()
        .chain(files("rubrics"))
    {
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&path))
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: {}",
            relative(&path),
            errors.join("; ")
        );
    }
    for name in ["unknown-key", "structure", "missing-fields"] {
        let path = root().join(format!("tests/rubrics/invalid/{name}.toml"));
        assert!(
            !validator.is_valid(&as_json(&path)),
            "the schema should reject {name}.toml"
        );
    }
}

#[test]
fn rubric_commands_list_show_and_validate() {
    let home = tempfile::tempdir().unwrap();
    let out = openness("http://127.0.0.1:9", home.path(), &["rubric", "list"]);
    assert_eq!(out.status.code(), Some(0));
    for (name, _) in rubric::BUILTIN {
        assert!(
            stdout(&out).lines().any(|l| l.starts_with(name)),
            "{name} missing from:\n{}",
            stdout(&out)
        );
    }
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["rubric", "show", "default"],
    );
    assert_eq!(
        stdout(&out),
        std::fs::read_to_string(root().join("rubrics/default.toml")).unwrap()
    );

    let valid = root().join("tests/rubrics/valid/classes.toml");
    let invalid = root().join("tests/rubrics/invalid/unknown-key.toml");
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["rubric", "validate", valid.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("ok — rubric `tiers` 1, 1 dimension, 3 criteria, 3 points, 2 classes"),
        "{}",
        stdout(&out)
    );
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["rubric", "validate", invalid.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown-key.toml:13:1: unknown key `pionts`"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_users_rubric_changes_the_score_and_a_typo_exits_2() {
    let server = MockServer::start().await;
    mount_model(&server, "deepseek-ai/DeepSeek-R1").await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let score = |args: &[&str]| {
        let mut all = vec!["audit", "deepseek-ai/DeepSeek-R1", "--format", "json"];
        all.extend(args);
        let out = openness(&server.uri(), home.path(), &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        (
            doc["scorecards"][0]["score"].as_f64().unwrap(),
            doc["scorecards"][0]["max"].as_f64().unwrap(),
        )
    };
    let default = score(&[]);
    let custom = root().join("tests/rubrics/valid/verdicts-and-grades.toml");
    let mine = score(&["--rubric", custom.to_str().unwrap()]);
    assert_ne!(default, mine);
    assert_eq!(mine, (2.0, 2.0), "open weights (1) + OSI-approved MIT (1)");

    let typo = root().join("tests/rubrics/invalid/unknown-key.toml");
    let out = openness(
        &server.uri(),
        home.path(),
        &[
            "audit",
            "deepseek-ai/DeepSeek-R1",
            "--rubric",
            typo.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown-key.toml:13:1"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}

/// A compact, readable summary of a scorecard for snapshots.
fn summary(card: &openness::scorecard::Scorecard) -> String {
    let mut out = format!(
        "{} — {} {}: {}/{} (up to {})",
        card.model,
        card.rubric.name,
        card.rubric.version,
        openness::text::points_text(card.score),
        openness::text::points_text(card.max),
        openness::text::points_text(card.score_if_known)
    );
    if let Some(verdict) = &card.verdict {
        out.push_str(&format!(", verdict {verdict}"));
    }
    if let Some(class) = &card.class {
        out.push_str(&format!(
            ", class {}",
            class.as_ref().map_or("none", |c| c.id.as_str())
        ));
    }
    out.push('\n');
    for class in &card.classes {
        out.push_str(&format!(
            "  {} {}% {}\n",
            class.id,
            openness::text::points_text(class.progress),
            class.status
        ));
    }
    for dim in &card.dimensions {
        let statuses: Vec<String> = dim
            .criteria
            .iter()
            .map(|c| {
                format!(
                    "{}={}{}",
                    c.id,
                    c.status.as_str(),
                    if c.conditional { "(conditional)" } else { "" }
                )
            })
            .collect();
        out.push_str(&format!(
            "  {} {}/{}{}: {}\n",
            dim.id,
            openness::text::points_text(dim.score),
            openness::text::points_text(dim.max),
            dim.verdict
                .as_deref()
                .map(|v| format!(" {v}"))
                .unwrap_or_default(),
            statuses.join(" ")
        ));
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_built_in_rubric_scores_the_same_evidence() {
    use crate::support::{TOKEN, mount_dataset, settings};
    let server = MockServer::start().await;
    let models = [
        "deepseek-ai/DeepSeek-R1",
        "meta-llama/Llama-3.1-8B-Instruct",
        "allenai/OLMo-7B",
        "EleutherAI/pythia-6.9b",
    ];
    for id in models.iter().chain(&["meta-llama/Llama-3.1-8B"]) {
        mount_model(&server, id).await;
    }
    mount_dataset(&server, "allenai/dolma").await;
    mount_not_found(&server).await;
    let home = tempfile::tempdir().unwrap();
    let auditor = openness::audit::Auditor::new(
        settings(&server.uri(), home.path(), Some(TOKEN)),
        rubric::resolve("default").unwrap(),
    )
    .unwrap();
    let kb = openness::licenses::KnowledgeBase::embedded();
    let mut text = String::new();
    for id in models {
        let release = auditor.release(id).await.unwrap();
        for (name, _) in rubric::BUILTIN {
            let card = openness::audit::score(id, &release, &rubric::resolve(name).unwrap(), kb);
            text.push_str(&summary(&card));
        }
        text.push('\n');
    }
    insta::assert_snapshot!("built_in_rubrics_on_corpus_models", text);
}
