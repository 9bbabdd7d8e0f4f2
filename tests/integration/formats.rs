//! Every output format as a user gets it from the real binary: a snapshot per format for the
//! same models, hostile strings escaped, CSV parsed back, the CycloneDX BOM validated against
//! the official 1.6 schema (vendored in tests/fixtures/schemas), completions, man page, colour
//! and width.

use crate::support::{
    self, mount_model, mount_model_with_info, mount_not_found, openness, openness_with_env, redact,
    stderr, stdout,
};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use wiremock::MockServer;

const MODELS: &[&str] = &[
    "deepseek-ai/DeepSeek-R1",
    "meta-llama/Llama-3.1-8B-Instruct",
    "google-bert/bert-base-uncased",
];

async fn hub() -> MockServer {
    let server = MockServer::start().await;
    for id in MODELS {
        mount_model(&server, id).await;
    }
    mount_not_found(&server).await;
    server
}

/// `openness audit` of the three fixture models and a missing one, in `format`; stdout with the
/// fake Hub's address, the home folder and the version redacted. Exits 3 (one model missing).
fn audit(server: &MockServer, home: &Path, format: &str) -> String {
    redact(&audit_raw(server, home, format), &server.uri(), home)
        .replace(env!("CARGO_PKG_VERSION"), "[VERSION]")
}

/// The same, unredacted.
fn audit_raw(server: &MockServer, home: &Path, format: &str) -> String {
    let mut args = vec!["audit"];
    args.extend(MODELS);
    args.extend(["nobody/nothing", "--format", format]);
    let out = openness(&server.uri(), home, &args);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    stdout(&out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn markdown_snapshot() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let text = audit(&server, home.path(), "markdown");
    insta::assert_snapshot!("formats_markdown", text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_snapshot_and_columns() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let text = audit(&server, home.path(), "csv");
    assert!(text.ends_with("\r\n"), "RFC 4180 line ends");
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        [
            "model",
            "revision",
            "rubric",
            "score",
            "max",
            "weights",
            "data",
            "code",
            "license",
            "license_declared",
            "license_id",
            "license_category",
            "commercial_use",
            "use_restrictions",
            "user_threshold",
            "gate",
            "findings",
            "error"
        ]
    );
    assert_eq!(rows.len(), 5, "header, three models, one error");
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    let llama = &rows[2];
    assert_eq!(llama[0], "meta-llama/Llama-3.1-8B-Instruct");
    assert_eq!(llama[1], support::sha("meta-llama/Llama-3.1-8B-Instruct"));
    assert_eq!(llama[10], "llama3.1");
    assert_eq!(llama[12], "conditional");
    assert_eq!(llama[14], "700000000");
    assert_eq!(llama[15], "manual");
    assert!(
        llama[16].split(';').any(|c| c == "weights-gated"),
        "{llama:?}"
    );
    let error = &rows[4];
    assert_eq!(error[0], "nobody/nothing");
    assert!(error[17].starts_with("repo-not-found: "), "{error:?}");
    insta::assert_snapshot!("formats_csv", text.replace("\r\n", "\n"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jsonl_snapshot_is_one_scorecard_per_line() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let text = audit(&server, home.path(), "jsonl");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    for (line, id) in lines.iter().zip(MODELS) {
        assert_eq!(line["model"], *id);
    }
    assert_eq!(lines[3]["error"]["model"], "nobody/nothing");
    assert_eq!(lines[3]["error"]["code"], "repo-not-found");

    // The same objects as `json`'s `scorecards` (on a cache as empty, so the retrieval record
    // says `hub` in both).
    let fresh = tempfile::tempdir().unwrap();
    let json: Value = serde_json::from_str(&audit(&server, fresh.path(), "json")).unwrap();
    assert_eq!(json["scorecards"].as_array().unwrap()[..], lines[..3]);
    insta::assert_snapshot!("formats_jsonl", text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_snapshot() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let text = audit(&server, home.path(), "html");
    assert_self_contained(&text);
    // File provenance links to the file at the audited commit.
    let sha = support::sha("deepseek-ai/DeepSeek-R1");
    assert!(
        text.contains(&format!(
            "href=\"[ENDPOINT]/deepseek-ai/DeepSeek-R1/blob/{sha}/README.md#L"
        )),
        "no link to the README at the commit"
    );
    insta::assert_snapshot!("formats_html", text);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cyclonedx_snapshot_validates_against_the_1_6_schema() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    // The format follows the file name.
    let file = home.path().join("models.cdx.json");
    let mut args = vec!["audit"];
    args.extend(MODELS);
    args.extend(["-o", file.to_str().unwrap()]);
    let out = openness(&server.uri(), home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = std::fs::read_to_string(&file).unwrap();
    let bom: Value = serde_json::from_str(&first).unwrap();
    validate_cyclonedx(&bom);

    assert_eq!(bom["specVersion"], "1.6");
    assert!(bom["metadata"].get("timestamp").is_none());
    let components = bom["components"].as_array().unwrap();
    let model = |name: &str| {
        components
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no component {name}"))
    };
    let deepseek = model("DeepSeek-R1");
    let sha = support::sha("deepseek-ai/DeepSeek-R1");
    assert_eq!(deepseek["type"], "machine-learning-model");
    assert_eq!(deepseek["version"], sha.as_str());
    assert!(
        deepseek["purl"]
            .as_str()
            .unwrap()
            .starts_with(&format!("pkg:huggingface/deepseek-ai/DeepSeek-R1@{sha}")),
        "{}",
        deepseek["purl"]
    );
    // SPDX ids only where the license is SPDX; a model license by name.
    assert_eq!(deepseek["licenses"][0]["license"]["id"], "MIT");
    let llama = model("Llama-3.1-8B-Instruct");
    assert!(llama["licenses"][0]["license"].get("id").is_none());
    assert!(llama["licenses"][0]["license"]["name"].is_string());
    // Datasets as data components referenced from the model card.
    let bert = model("bert-base-uncased");
    let refs: Vec<&str> = bert["modelCard"]["modelParameters"]["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs.len(), 2);
    for r in refs {
        let data = components.iter().find(|c| c["bom-ref"] == r).unwrap();
        assert_eq!(data["type"], "data");
    }
    let score = bert["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "openness:score")
        .unwrap();
    assert!(score["value"].as_str().unwrap().parse::<f64>().is_ok());

    // Deterministic: the same audit gives the same bytes, serial number included.
    let again = home.path().join("again.cdx.json");
    args.truncate(args.len() - 1);
    args.push(again.to_str().unwrap());
    let out = openness(&server.uri(), home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(first, std::fs::read_to_string(&again).unwrap());

    // With the error of a missing model, still valid.
    let raw = audit_raw(&server, home.path(), "cyclonedx");
    let bom: Value = serde_json::from_str(&raw).unwrap();
    validate_cyclonedx(&bom);
    assert!(
        bom["metadata"]["properties"][0]["value"]
            .as_str()
            .unwrap()
            .starts_with("nobody/nothing: repo-not-found: ")
    );
    let text =
        redact(&raw, &server.uri(), home.path()).replace(env!("CARGO_PKG_VERSION"), "[VERSION]");
    insta::assert_snapshot!("formats_cyclonedx", redact_serial(&text));
}

#[test]
fn the_schema_check_rejects_what_it_should() {
    let bom = |license: Value, url: &str| {
        json!({
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "components": [{
                "type": "machine-learning-model",
                "name": "x",
                "licenses": [{ "license": license }],
                "externalReferences": [{ "type": "website", "url": url }],
            }],
        })
    };
    assert!(cyclonedx_errors(&bom(json!({"id": "MIT"}), "https://x.test/a")).is_empty());
    assert!(!cyclonedx_errors(&bom(json!({"id": "llama3.1"}), "https://x.test/a")).is_empty());
    assert!(!cyclonedx_errors(&bom(json!({"id": "MIT"}), "not a url[]")).is_empty());
}

#[test]
fn every_spdx_id_of_the_knowledge_base_is_in_the_cyclonedx_license_list() {
    let spdx = load_schema("spdx.schema.json");
    let known: Vec<&str> = spdx["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    // Hand-written entries; those derived from the (newer) SPDX list are written by name.
    for entry in openness::licenses::KnowledgeBase::embedded()
        .entries()
        .iter()
        .filter(|e| !e.from_spdx_list)
    {
        if let Some(id) = &entry.spdx {
            assert!(
                known.contains(&id.as_str()),
                "{}: spdx = {id} is not a CycloneDX 1.6 license id",
                entry.id
            );
        }
    }
}

/// A model whose metadata carries markup, quotes, terminal escapes and spreadsheet formulas.
async fn hub_with_hostile_model() -> MockServer {
    let server = MockServer::start().await;
    let mut info = support::info("deepseek-ai/DeepSeek-R1");
    info["id"] = json!("evil/model");
    info["modelId"] = json!("evil/model");
    info["cardData"] = json!({
        "license": ["other", "=HYPERLINK(\"http://evil.invalid\",\"x\")"],
        "license_name": "<script>alert(1)</script>\"onmouseover=alert(2) x='\u{1b}]8;;http://evil.invalid\u{7}click\u{1b}]8;;\u{7}\u{1b}[2J",
        "datasets": ["<img src=x onerror=alert(3)>", "@SUM(1+1)", "-2+3"],
        "base_model": "evil/\"base\"",
    });
    mount_model_with_info(&server, "evil/model", info).await;
    mount_not_found(&server).await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_escapes_hostile_model_strings() {
    let server = hub_with_hostile_model().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", "evil/model", "--format", "html"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let html = stdout(&out);
    assert!(!html.to_lowercase().contains("<script>alert"), "raw script");
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!html.contains("<img"), "raw markup from a dataset name");
    assert!(
        !html.contains("\"onmouseover"),
        "unescaped quote in an attribute"
    );
    assert!(!html.contains("'\u{1b}") && !html.contains('\u{1b}') && !html.contains('\u{7}'));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;onmouseover=alert(2)"));
    assert_self_contained(&html);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_and_markdown_neutralise_hostile_model_strings() {
    let server = hub_with_hostile_model().await;
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", "evil/model", "--format", "csv"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = parse_csv(&stdout(&out));
    let declared_col = rows[0]
        .iter()
        .position(|c| c == "license_declared")
        .unwrap();
    let declared = &rows[1][declared_col];
    assert!(
        declared.starts_with("'="),
        "formula not neutralised: {declared}"
    );
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "cell starts a formula: {cell}"
            );
            assert!(!cell.contains('\u{1b}'));
        }
    }

    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", "evil/model", "--format", "markdown"],
    );
    let md = stdout(&out);
    assert!(!md.contains('\u{1b}'));
    let row = md.lines().find(|l| l.starts_with("| 1 |")).unwrap();
    // Cells are only split by the table's own pipes.
    assert_eq!(
        row.matches(" | ").count() + 2,
        md.lines().next().unwrap().matches('|').count()
    );

    let out = openness(
        &server.uri(),
        home.path(),
        &["audit", "evil/model", "--format", "cyclonedx"],
    );
    validate_cyclonedx(&serde_json::from_str(&stdout(&out)).unwrap());
}

#[test]
fn completions_and_man_page() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = openness("http://127.0.0.1:9", home.path(), &["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.contains("openness"), "{shell}");
        assert!(script.contains("audit"), "{shell}");
    }
    let out = openness("http://127.0.0.1:9", home.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));

    let out = openness("http://127.0.0.1:9", home.path(), &["man"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains(".TH openness 1"), "{page}");
    assert!(page.contains("\\-\\-color"));

    let dir = home.path().join("man1");
    std::fs::create_dir(&dir).unwrap();
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["man", "--dir", dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.join("openness.1").is_file());
    assert!(dir.join("openness-audit.1").is_file());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn color_flag_and_environment() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec![
            "audit",
            "meta-llama/Llama-3.1-8B-Instruct",
            "--explain",
            "--format",
        ];
        all.extend(args);
        let out = openness_with_env(&server.uri(), home.path(), &all, env);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let never = run(&["table", "--color", "never"], &[("CLICOLOR_FORCE", "1")]);
    assert!(!never.contains('\u{1b}'), "--color never printed escapes");
    // --color always wins over NO_COLOR (set by the test environment).
    let always = run(&["table", "--color", "always"], &[]);
    assert!(
        always.contains("\u{1b}["),
        "--color always printed no escapes"
    );
    assert!(
        always.contains("\u{1b}[33mwarning"),
        "severity not coloured"
    );
    // Uncoloured, the text is the same.
    assert_eq!(strip_sgr(&always), never);
    // auto: a pipe is not coloured, unless CLICOLOR_FORCE asks; NO_COLOR wins.
    assert!(!run(&["table"], &[("NO_COLOR", "")]).contains('\u{1b}'));
    assert!(run(&["table"], &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    assert!(!run(&["table"], &[("CLICOLOR_FORCE", "1")]).contains('\u{1b}'));
    // Never in other formats.
    for format in ["json", "markdown", "csv", "html"] {
        assert!(
            !run(&[format, "--color", "always"], &[]).contains('\u{1b}'),
            "{format}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn table_fits_the_width_in_columns() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    for width in [60usize, 100] {
        let out = openness_with_env(
            &server.uri(),
            home.path(),
            &[
                "audit",
                "deepseek-ai/DeepSeek-R1",
                "--explain",
                "--format",
                "table",
            ],
            &[("COLUMNS", &width.to_string())],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        let table_lines: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(['│', '╭', '╰', '╞', '├']))
            .collect();
        assert!(!table_lines.is_empty());
        for line in table_lines {
            assert!(line.chars().count() <= width, "wider than {width}: {line}");
        }
    }
}

// ---------------------------------------------------------------- helpers

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schemas/cyclonedx-1.6")
}

fn load_schema(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(schema_dir().join(name)).unwrap()).unwrap()
}

/// Validates against the vendored CycloneDX 1.6 schema, resolving its `$ref`s to the SPDX and
/// JSF schemas beside it (never over the network), with format checks on.
fn validate_cyclonedx(bom: &Value) {
    let errors = cyclonedx_errors(bom);
    assert!(
        errors.is_empty(),
        "invalid CycloneDX 1.6:\n{}",
        errors.join("\n")
    );
}

fn cyclonedx_errors(bom: &Value) -> Vec<String> {
    let registry = jsonschema::Registry::new()
        .add(
            "http://cyclonedx.org/schema/spdx.schema.json",
            load_schema("spdx.schema.json"),
        )
        .unwrap()
        .add(
            "http://cyclonedx.org/schema/jsf-0.82.schema.json",
            load_schema("jsf-0.82.schema.json"),
        )
        .unwrap()
        .prepare()
        .unwrap();
    let validator = jsonschema::options()
        .offline()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&load_schema("bom-1.6.schema.json"))
        .expect("the CycloneDX schema compiles offline");
    validator
        .iter_errors(bom)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The page loads nothing from elsewhere: no external script, style, font, image or frame.
fn assert_self_contained(html: &str) {
    assert!(html.contains("<svg"), "no inline SVG chart");
    assert!(html.contains("http-equiv=\"Content-Security-Policy\""));
    assert!(html.contains("name=\"viewport\""));
    for tag in [
        "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(",
    ] {
        assert!(!html.contains(tag), "{tag} in a self-contained page");
    }
    for tag in ["<script", "<style"] {
        for (at, _) in html.match_indices(tag) {
            let open = &html[at..at + html[at..].find('>').unwrap()];
            assert!(
                !open.contains("src=") && !open.contains("href="),
                "external resource: {open}"
            );
        }
    }
}

/// A small RFC 4180 reader: quoted fields with doubled quotes, CRLF or LF line ends.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
        } else {
            match c {
                '"' => quoted = true,
                ',' => row.push(std::mem::take(&mut field)),
                '\r' => {}
                '\n' => {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                c => field.push(c),
            }
        }
    }
    assert!(!quoted, "unterminated quote");
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

fn redact_serial(text: &str) -> String {
    let key = "\"serialNumber\": \"urn:uuid:";
    match text.find(key) {
        Some(at) => {
            let start = at + key.len();
            format!("{}[SERIAL]{}", &text[..start], &text[start + 36..])
        }
        None => text.to_owned(),
    }
}

fn strip_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn scorecard_schema() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/scorecard.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

/// `json` and every `jsonl` line follow schemas/scorecard.schema.json, with each built-in
/// rubric (verdicts, classes, grades) and a model that could not be fetched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_and_jsonl_follow_the_scorecard_schema() {
    let server = hub().await;
    let home = tempfile::tempdir().unwrap();
    let schema = scorecard_schema();
    let document = jsonschema::options()
        .offline()
        .build(&schema)
        .expect("the scorecard schema compiles");
    let mut line_schema = schema.clone();
    line_schema["$ref"] = json!("#/$defs/scorecard");
    for key in ["type", "required", "properties", "additionalProperties"] {
        line_schema.as_object_mut().unwrap().remove(key);
    }
    let scorecard_line = jsonschema::options().offline().build(&line_schema).unwrap();
    line_schema["$ref"] = json!("#/$defs/error-line");
    let error_line = jsonschema::options().offline().build(&line_schema).unwrap();

    for rubric in ["default", "mof", "osai", "osaid"] {
        let run = |format: &str| {
            let mut args = vec!["audit"];
            args.extend(MODELS);
            args.extend(["nobody/nothing", "--rubric", rubric, "--format", format]);
            let out = openness(&server.uri(), home.path(), &args);
            assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
            stdout(&out)
        };
        let doc: Value = serde_json::from_str(&run("json")).unwrap();
        let errors = schema_errors(&document, &doc);
        assert!(errors.is_empty(), "{rubric}: {}", errors.join("\n"));
        assert_eq!(doc["scorecards"].as_array().unwrap().len(), MODELS.len());
        assert_eq!(doc["errors"].as_array().unwrap().len(), 1);

        let lines = run("jsonl");
        let (mut cards, mut failures) = (0, 0);
        for line in lines.lines() {
            let value: Value = serde_json::from_str(line).unwrap();
            let validator = if value.get("error").is_some() {
                failures += 1;
                &error_line
            } else {
                cards += 1;
                &scorecard_line
            };
            let errors = schema_errors(validator, &value);
            assert!(errors.is_empty(), "{rubric} jsonl: {}", errors.join("\n"));
        }
        assert_eq!((cards, failures), (MODELS.len(), 1));
    }
}

/// The schema is strict: a scorecard with a field the contract does not name fails it.
#[test]
fn the_scorecard_schema_rejects_unknown_fields() {
    let validator = jsonschema::options()
        .offline()
        .build(&scorecard_schema())
        .unwrap();
    let doc = json!({
        "schema": "openness/v1",
        "generator": {"name": "openness", "version": "0"},
        "scorecards": [],
        "errors": [{"model": "a/b", "code": "repo-not-found", "message": "gone", "extra": 1}],
    });
    assert!(!validator.is_valid(&doc));
}
