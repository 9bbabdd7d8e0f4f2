//! `audit` and `rank` in the formats code scanning and CI read (SARIF, JUnit), `--explain` in
//! every format that can show it, the format a file name implies — and a name that implies
//! none, refused before anything is fetched — and how wide tables are where no terminal says.

use crate::fake_hub::{Corpus, FakeHub};
use crate::support::{TOKEN, openness, openness_in, openness_with_env, stderr, stdout};
use serde_json::Value;

const MODELS: [&str; 3] = [
    "deepseek-ai/DeepSeek-R1",
    "meta-llama/Llama-3.1-8B-Instruct",
    "Qwen/Qwen2.5-7B-Instruct",
];

fn hub() -> FakeHub {
    FakeHub::start(Corpus::fixtures())
}

/// `openness audit MODELS… nobody/nothing ARGS` in a scratch folder: (exit code, the folder).
fn audit_into(hub: &FakeHub, args: &[&str]) -> (Option<i32>, tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut all = vec!["audit"];
    all.extend(MODELS);
    all.push("nobody/nothing");
    all.extend(args);
    let out = openness_in(
        dir.path(),
        hub.url(),
        home.path(),
        &all,
        &[("HF_TOKEN", TOKEN)],
    );
    (out.status.code(), dir, stderr(&out))
}

#[test]
fn audit_o_x_sarif_is_valid_sarif_2_1_0_with_a_result_per_rule_result() {
    let hub = hub();
    let (code, dir, err) = audit_into(&hub, &["-o", "x.sarif"]);
    assert_eq!(code, Some(3), "{err}");
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("x.sarif")).unwrap())
            .unwrap();
    let errors = crate::check::sarif_errors(&log);
    assert!(
        errors.is_empty(),
        "invalid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
    let run = &log["runs"][0];
    let rules: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let results = run["results"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index], result["ruleId"].as_str().unwrap());
        let kind = result["kind"].as_str().unwrap();
        let level = result["level"].as_str().unwrap();
        // SARIF §3.27.10: a result that is not a failure has level none.
        assert!(kind == "fail" || level == "none", "{result}");
        assert!(result["partialFingerprints"]["opennessModelRule/v1"].is_string());
        assert!(result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"].is_string());
    }
    // One result per criterion each model did not meet or could not decide, one per finding.
    let scorecards = {
        let home = tempfile::tempdir().unwrap();
        let mut args = vec!["audit", "--format", "json"];
        args.extend(MODELS);
        let out = openness_with_env(hub.url(), home.path(), &args, &[("HF_TOKEN", TOKEN)]);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["scorecards"].clone()
    };
    let mut expected = 0;
    for card in scorecards.as_array().unwrap() {
        for dim in card["dimensions"].as_array().unwrap() {
            for c in dim["criteria"].as_array().unwrap() {
                if c["status"] != "pass" {
                    expected += 1;
                    let rule = format!("default/{}", c["id"].as_str().unwrap());
                    let model = card["model"].as_str().unwrap();
                    assert!(
                        results.iter().any(|r| r["ruleId"] == rule.as_str()
                            && r["properties"]["model"] == model
                            && r["kind"]
                                == if c["status"] == "fail" {
                                    "fail"
                                } else {
                                    "open"
                                }),
                        "no result for {model} {rule}"
                    );
                }
            }
        }
        expected += card["findings"].as_array().unwrap().len();
    }
    assert_eq!(results.len(), expected);
    // The model that could not be fetched is a tool notification, and the run says so.
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(invocation["exitCode"], 3);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["properties"]["model"],
        "nobody/nothing"
    );
    // A fact read from a file points at that file, at the audited commit on the Hub.
    let uri = |r: &Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    let in_file = results
        .iter()
        .map(uri)
        .find(|u| u.contains("/blob/"))
        .expect("a result located in a file");
    assert!(in_file.starts_with(&format!("{}/", hub.url())), "{in_file}");

    // With --explain the criteria met are results too, of kind pass.
    let (_, dir, _) = audit_into(&hub, &["-o", "x.sarif", "--explain"]);
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("x.sarif")).unwrap())
            .unwrap();
    assert!(crate::check::sarif_errors(&log).is_empty());
    let passes = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "pass")
        .count();
    assert!(passes > 10, "{passes}");
    // …and one read at a line of a file points at that line.
    assert!(
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| {
                uri(r).contains("/blob/")
                    && r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64()
                        > Some(0)
            })
    );
}

#[test]
fn audit_and_rank_write_junit_a_test_case_per_criterion() {
    let hub = hub();
    let (code, dir, err) = audit_into(&hub, &["-o", "report.xml"]);
    assert_eq!(code, Some(3), "{err}");
    let xml = std::fs::read_to_string(dir.path().join("report.xml")).unwrap();
    assert!(xml.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"openness audit\""
    ));
    assert_eq!(
        xml.matches("<testsuite ").count(),
        4,
        "three models and the missing one"
    );
    assert!(xml.contains("<testcase classname=\"deepseek-ai/DeepSeek-R1\" name=\"weights/"));
    assert!(xml.contains("<failure type=\"not-met\""));
    assert!(xml.contains("<error type=\"repo-not-found\""));
    // The totals add up.
    let total = |attr: &str| -> usize {
        let head = xml.lines().nth(1).unwrap();
        let at = head.find(&format!("{attr}=\"")).unwrap() + attr.len() + 2;
        head[at..].split('"').next().unwrap().parse().unwrap()
    };
    assert_eq!(total("tests"), xml.matches("<testcase ").count());
    assert_eq!(total("failures"), xml.matches("<failure ").count());
    assert_eq!(total("errors"), 1);
    assert_eq!(total("skipped"), xml.matches("<skipped ").count());

    let home = tempfile::tempdir().unwrap();
    let out = openness(
        hub.url(),
        home.path(),
        &["rank", "--author", "Qwen", "--format", "junit"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("<testsuites name=\"openness rank\""));
}

#[test]
fn an_output_name_that_implies_no_format_is_refused_before_anything_is_fetched() {
    let hub = hub();
    let home = tempfile::tempdir().unwrap();
    for (command, file) in [
        (vec!["audit", MODELS[0]], "report.pdf"),
        (vec!["rank", MODELS[0]], "ranking"),
        (
            vec![
                "diff",
                "deepseek-ai/DeepSeek-R1@main",
                "deepseek-ai/DeepSeek-R1@main",
            ],
            "d.md",
        ),
    ] {
        let mut args = command.clone();
        args.extend(["-o", file]);
        let out = openness(hub.url(), home.path(), &args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.starts_with(&format!(
                "error: cannot tell the format of `{file}` from its name: pass --format "
            )),
            "{err}"
        );
        assert!(err.contains("table|json"), "{err}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("openness.toml"),
        "[[models]]\nid = \"deepseek-ai/DeepSeek-R1\"\n\n[policy]\n",
    )
    .unwrap();
    let out = openness_in(
        dir.path(),
        hub.url(),
        home.path(),
        &["check", "-o", "x.html"],
        &[],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("*.sarif or *.xml (JUnit)"),
        "{}",
        stderr(&out)
    );
    assert!(hub.requests().is_empty(), "a usage error fetches nothing");
    // --format decides whatever the name; a device is written as a pipe.
    let out = openness(
        hub.url(),
        home.path(),
        &["audit", MODELS[0], "-o", "/dev/stdout"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("\"schema\": \"openness/v1\""));
}

#[test]
fn explain_shows_every_criterion_in_csv_and_markdown() {
    let hub = hub();
    let home = tempfile::tempdir().unwrap();
    let run = |format: &str, explain: bool| {
        let mut args = vec!["audit", MODELS[2], "--format", format];
        if explain {
            args.push("--explain");
        }
        let out = openness(hub.url(), home.path(), &args);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out)
    };
    let csv = run("csv", true);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "model,revision,rubric,dimension,criterion,description,status,basis,points,max,evidence,error"
    );
    let rows: Vec<&str> = lines.collect();
    let json: Value = serde_json::from_str(&run("json", false)).unwrap();
    let criteria: usize = json["scorecards"][0]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["criteria"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), criteria);
    assert!(
        rows.iter().any(|r| r.contains(
            "code.repositories = [\"\"https://github.com/QwenLM/Qwen2.5\"\"]  (README.md:35)"
        )),
        "{csv}"
    );
    assert_ne!(csv, run("csv", false));

    let markdown = run("markdown", true);
    assert!(
        markdown.contains("### Qwen/Qwen2.5-7B-Instruct @ "),
        "{markdown}"
    );
    assert!(markdown.contains("| Status | Points | Criterion | Evidence |"));
    assert_eq!(
        markdown.matches("| Status | Points |").count(),
        json["scorecards"][0]["dimensions"]
            .as_array()
            .unwrap()
            .len()
    );
    assert!(!run("markdown", false).contains("| Status | Points |"));
}

#[test]
fn tables_fit_100_columns_where_no_terminal_says_and_never_cut_a_url() {
    let hub = hub();
    let home = tempfile::tempdir().unwrap();
    // Piped, no COLUMNS: 100. COLUMNS=0 (a pseudo-terminal reporting 0×0): 100, not one
    // character per column.
    for env in [vec![], vec![("COLUMNS", "0")]] {
        let out = openness_with_env(
            hub.url(),
            home.path(),
            &[
                "audit",
                "allenai/OLMo-7B",
                "deepseek-ai/DeepSeek-R1-Distill-Llama-8B",
                "meta-llama/Llama-3.1-8B-Instruct",
                "--explain",
                "--format",
                "table",
            ],
            &env,
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let text = stdout(&out);
        let widest = text.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 100, "a line of {widest} characters");
        assert!(
            widest > 60,
            "laid out for 100 columns, not squeezed: {widest}"
        );
        for url in [
            "https://github.com/allenai/OLMo\"",
            "https://github.com/allenai/OLMo-Eval\"",
        ] {
            assert!(text.contains(url), "{url} was cut:\n{text}");
        }
    }
}

/// The documented choice (docs/output-formats.md): the same audit, the same serial number; any
/// change of content, another; always a `urn:uuid:` with a version-8 UUID.
#[test]
fn cyclonedx_serial_numbers_follow_the_content() {
    let hub = hub();
    let home = tempfile::tempdir().unwrap();
    let serial = |args: &[&str]| {
        let mut all = vec!["audit", "--format", "cyclonedx"];
        all.extend(args);
        let out = openness(hub.url(), home.path(), &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let bom: Value = serde_json::from_slice(&out.stdout).unwrap();
        bom["serialNumber"].as_str().unwrap().to_owned()
    };
    let first = serial(&[MODELS[0]]);
    let uuid = first.strip_prefix("urn:uuid:").unwrap();
    let groups: Vec<&str> = uuid.split('-').collect();
    assert_eq!(
        groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
    assert!(groups[2].starts_with('8'), "version 8: {uuid}");
    assert!(
        matches!(groups[3].chars().next(), Some('8' | '9' | 'a' | 'b')),
        "RFC 9562 variant: {uuid}"
    );
    assert_eq!(serial(&[MODELS[0]]), first, "the same audit, the same BOM");
    assert_ne!(serial(&[MODELS[0], MODELS[2]]), first);
    assert_ne!(serial(&[MODELS[0], "--rubric", "osai"]), first);
}
