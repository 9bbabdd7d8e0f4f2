//! The command line as a user reads it, in the manner of trycmd/snapbox: every `--help` is a
//! snapshot (tests/integration/snapshots/), so a change to a flag's wording or a default shows
//! in review; usage errors say what was wrong and what to do; completions complete rubric
//! names; the manual page has ENVIRONMENT and EXIT STATUS and `man --dir` creates its folder.

use crate::support::{openness, stderr, stdout};

/// Runs the binary without a Hub: none of these commands may reach one.
fn run(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    openness("http://127.0.0.1:9", home.path(), args)
}

const COMMANDS: &[&[&str]] = &[
    &[],
    &["audit"],
    &["rank"],
    &["check"],
    &["init"],
    &["diff"],
    &["license"],
    &["rubric"],
    &["rubric", "list"],
    &["rubric", "show"],
    &["rubric", "validate"],
    &["completions"],
    &["man"],
];

#[test]
fn every_help_is_a_snapshot() {
    for command in COMMANDS {
        let mut args = command.to_vec();
        args.push("--help");
        let out = run(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        let name = if command.is_empty() {
            "openness".to_owned()
        } else {
            format!("openness {}", command.join(" "))
        };
        insta::with_settings!({ snapshot_suffix => name.replace(' ', "-"), description => format!("{name} --help") }, {
            insta::assert_snapshot!("help", stdout(&out));
        });
    }
    // -h is the short form: the exit codes, not the environment.
    let short = stdout(&run(&["-h"]));
    assert!(short.contains("Exit codes:") && !short.contains("Environment"));
}

#[test]
fn usage_errors_name_the_mistake_and_the_fix() {
    for (args, says) in [
        (
            &["audit", "org/model", "--rubric", "defualt"][..],
            "error: unknown rubric `defualt` (did you mean `default`?): pass a built-in name (default, mof, osai, osaid) or a path to a rubric file",
        ),
        (
            &["license", "--id", "lama3.1"][..],
            "error: `lama3.1` is neither a license nor a license family in the knowledge base (did you mean `llama3.1`?); `openness license --list` shows every id",
        ),
        (
            &["rubric", "show", "osia"][..],
            "error: `osia` is neither a built-in rubric",
        ),
        (
            &["audit", "org/model", "-o", "scores.pdf"][..],
            "error: cannot tell the format of `scores.pdf` from its name: pass --format table|json|jsonl|csv|markdown|html|cyclonedx|sarif|junit, or name the file *.txt, *.json, *.jsonl, *.csv, *.md, *.html, *.cdx.json, *.sarif or *.xml (JUnit)",
        ),
        (
            &["audit"][..],
            "error: the following required arguments were not provided",
        ),
        (
            &["rank", "--sort", "licence"][..],
            "error: nothing to rank: name models, or use --author ORG, --search TEXT or --from FILE",
        ),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(
            stderr(&out).starts_with(says),
            "{args:?}:\n{}\nshould start with\n{says}",
            stderr(&out)
        );
    }
}

#[test]
fn completions_complete_rubric_names() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&run(&["completions", shell]));
        for name in ["default", "mof", "osai", "osaid"] {
            assert!(
                script.contains(name),
                "{shell} does not offer rubric `{name}`"
            );
        }
    }
    let bash = stdout(&run(&["completions", "bash"]));
    assert!(
        bash.contains(
            "--rubric)\n                    COMPREPLY=($(compgen -W \"default mof osai osaid\""
        ),
        "bash completes --rubric with the built-ins"
    );
    // Any path is still accepted where a rubric name is.
    let out = run(&["audit", "org/model", "--rubric", "./no/such/rubric.toml"]);
    assert!(
        stderr(&out).contains("cannot read the rubric"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_manual_has_environment_and_exit_status_and_man_dir_creates_its_folder() {
    let page = stdout(&run(&["man"]));
    for section in [
        ".SH ENVIRONMENT",
        ".SH \"EXIT STATUS\"",
        ".SH SUBCOMMANDS",
        ".SH OPTIONS",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for name in [
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "TRANSFORMERS_OFFLINE",
        "NO_COLOR",
        "COLUMNS",
    ] {
        assert!(
            page.contains(&format!("\\fB{name}\\fR")),
            "ENVIRONMENT lacks {name}"
        );
    }
    let status = &page[page.find(".SH \"EXIT STATUS\"").unwrap()..];
    for code in 0..=4 {
        assert!(
            status.contains(&format!("\\fB{code}\\fR")),
            "EXIT STATUS lacks {code}"
        );
    }
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("share/man/man1");
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["man", "--dir", dir.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let audit = std::fs::read_to_string(dir.join("openness-audit.1")).unwrap();
    assert!(audit.contains(".SH ENVIRONMENT") && audit.contains(".SH \"EXIT STATUS\""));
    let check = std::fs::read_to_string(dir.join("openness-check.1")).unwrap();
    assert!(check.contains(".SH EXAMPLES") || check.contains(".SH OPTIONS"));
    // A folder that cannot be created is a write failure (exit 4), named.
    let file = home.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = openness(
        "http://127.0.0.1:9",
        home.path(),
        &["man", "--dir", file.join("sub").to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("a-file/sub"), "{}", stderr(&out));
}

/// The Hugging Face conventions older setups still use: the legacy token variable opens a gated
/// repository; TRANSFORMERS_OFFLINE keeps the tool off the network.
#[test]
fn legacy_token_and_offline_variables_are_honoured() {
    use crate::fake_hub::{Corpus, FakeHub};
    let hub = FakeHub::start(Corpus::fixtures());
    let home = tempfile::tempdir().unwrap();
    let gated = "meta-llama/Llama-3.1-8B-Instruct";
    let audit = |env: &[(&str, &str)]| {
        let out = crate::support::openness_with_env(
            hub.url(),
            home.path(),
            &["audit", gated, "--format", "json"],
            env,
        );
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (out.status.code(), doc, stderr(&out))
    };
    let (code, doc, err) = audit(&[("HUGGING_FACE_HUB_TOKEN", crate::support::TOKEN)]);
    assert_eq!(code, Some(0), "{err}");
    let files = doc["scorecards"][0]["license"]["files"].to_string();
    assert!(
        files.contains("LICENSE"),
        "the gated license was read: {files}"
    );
    assert!(
        hub.requests()
            .iter()
            .any(|r| r.target.contains("/resolve/") && r.authorization && r.status == 200)
    );

    let before = hub.requests().len();
    let fresh = tempfile::tempdir().unwrap();
    let out = crate::support::openness_with_env(
        hub.url(),
        fresh.path(),
        &["audit", gated, "--format", "json"],
        &[("TRANSFORMERS_OFFLINE", "1")],
    );
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains("offline"), "{}", stderr(&out));
    assert_eq!(hub.requests().len(), before, "offline opens no socket");
}

/// `extra_gated_eu_disallowed: true`: its own fact, finding and line in the table, and a policy
/// switch that fails an MIT model a license-only allow list would pass.
#[test]
fn a_gate_closed_to_the_eu_is_its_own_access_state() {
    use crate::fake_hub::{Corpus, FakeHub};
    let mut corpus = Corpus::fixtures();
    let readme = b"---\nlicense: mit\nextra_gated_eu_disallowed: true\n---\n# EU-closed\n".to_vec();
    corpus.insert(
        "acme/eu-closed",
        serde_json::json!({
            "id": "acme/eu-closed", "gated": "auto", "private": false, "disabled": false,
            "tags": ["license:mit"],
            "cardData": {"license": "mit", "extra_gated_eu_disallowed": true},
            "siblings": [{"rfilename": "README.md"}, {"rfilename": "model.safetensors", "size": 10}],
        }),
        std::collections::BTreeMap::from([("README.md".to_owned(), readme)]),
    );
    let hub = FakeHub::start(corpus);
    let home = tempfile::tempdir().unwrap();
    let out = openness(
        hub.url(),
        home.path(),
        &["audit", "acme/eu-closed", "-f", "json"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let card = &doc["scorecards"][0];
    assert_eq!(card["evidence"]["access.eu-disallowed"]["value"], true);
    assert_eq!(
        card["evidence"]["access.eu-disallowed"]["provenance"][0]["field"],
        "cardData.extra_gated_eu_disallowed"
    );
    assert!(
        card["findings"]
            .to_string()
            .contains("weights-eu-disallowed")
    );
    let table = stdout(&openness(
        hub.url(),
        home.path(),
        &["audit", "acme/eu-closed", "-f", "table"],
    ));
    assert!(
        table.contains("  gate        auto; refuses every user in the EU"),
        "{table}"
    );

    let dir = tempfile::tempdir().unwrap();
    let policy = "[[models]]\nid = \"acme/eu-closed\"\n\n[policy]\nallow = [\"mit\"]\n";
    std::fs::write(dir.path().join("openness.toml"), policy).unwrap();
    let run = |dir: &std::path::Path| {
        crate::support::openness_in(dir, hub.url(), home.path(), &["check"], &[])
    };
    assert_eq!(
        run(dir.path()).status.code(),
        Some(0),
        "a license-only policy passes"
    );
    std::fs::write(
        dir.path().join("openness.toml"),
        format!("{policy}deny-eu-disallowed = true\n"),
    )
    .unwrap();
    let out = run(dir.path());
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stdout(&out)
            .contains("deny-eu-disallowed: the gate refuses every user in the European Union"),
        "{}",
        stdout(&out)
    );
}
