//! What a newcomer meets first, kept true: the README's first screen (install, the main job, the
//! tests), the install commands everywhere in the docs, the license files Cargo.toml names, what
//! the package holds, and the README's example output — regenerated from the binary against the
//! fixture Hub by `scripts/update-readme.sh`, and failing here when it drifts.

use crate::fake_hub::{Corpus, FakeHub};
use crate::support::{TOKEN, openness_in, stderr, stdout};
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

fn manifest() -> toml::Table {
    read("Cargo.toml").parse().unwrap()
}

fn package(key: &str) -> String {
    manifest()["package"][key].as_str().unwrap().to_owned()
}

/// Every fenced code block of a Markdown text: (info string, body).
fn code_blocks(text: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut open: Option<(String, String)> = None;
    for line in text.lines() {
        match (&mut open, line.strip_prefix("```")) {
            (None, Some(info)) => open = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some(_)) => blocks.push(open.take().unwrap()),
            (Some((_, body)), None) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

#[test]
fn the_first_screen_installs_runs_and_tests() {
    let readme = read("README.md");
    let first: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    let repository = package("repository");
    for expected in [
        "cargo install --locked --path .".to_owned(),
        format!("cargo install --locked --git {repository} openness"),
        format!("git clone {repository}"),
        format!("Rust {} or later", package("rust-version")),
        "\ncargo test\n".to_owned(),
        "\nopenness audit ".to_owned(),
    ] {
        assert!(
            first.contains(&expected),
            "the README's first 40 lines lack {expected:?}"
        );
    }
}

/// The command of the README's first screen runs, as written, against the fixture Hub.
#[test]
fn the_first_screen_s_audit_works_as_written() {
    let readme = read("README.md");
    let command = readme
        .lines()
        .take(40)
        .find(|l| l.starts_with("openness audit "))
        .unwrap();
    let args: Vec<&str> = command.split_whitespace().skip(1).collect();
    let hub = FakeHub::start(Corpus::fixtures());
    let home = tempfile::tempdir().unwrap();
    let mut json = args.clone();
    json.extend(["--format", "json"]);
    let out = openness_in(root(), hub.url(), home.path(), &json, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let models = args.iter().filter(|a| a.contains('/')).count();
    assert_eq!(doc["scorecards"].as_array().unwrap().len(), models);
}

/// Files a newcomer reads for install instructions.
fn install_docs() -> Vec<(String, String)> {
    let mut files = vec!["README.md".to_owned(), "CHANGELOG.md".to_owned()];
    for dir in ["docs", "examples"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap().flatten() {
            files.push(format!("{dir}/{}", entry.file_name().to_string_lossy()));
        }
    }
    files.into_iter().map(|f| (read(&f), f)).collect()
}

/// Versions CHANGELOG.md records as released (`## [X.Y.Z] - date`).
fn released() -> Vec<String> {
    read("CHANGELOG.md")
        .lines()
        .filter_map(|l| l.strip_prefix("## ["))
        .filter_map(|l| l.split_once(']'))
        .filter(|(v, rest)| *v != "Unreleased" && rest.contains(" - "))
        .map(|(v, _)| v.to_owned())
        .collect()
}

#[test]
fn every_install_command_is_locked_points_here_and_names_no_missing_tag() {
    let repository = package("repository");
    let released = released();
    let mut seen = 0;
    for (text, file) in install_docs() {
        for line in text.lines().filter(|l| l.contains("cargo install ")) {
            let command = &line[line.find("cargo install ").unwrap()..];
            // Installs of this tool, not of helpers such as cargo-fuzz.
            if !command.contains("openness") && !command.contains("--path") {
                continue;
            }
            seen += 1;
            assert!(command.contains("--locked"), "{file}: {line}");
            if command.contains("--git ") {
                assert!(command.contains(&repository), "{file}: {line}");
            }
            if let Some(tag) = command.split("--tag ").nth(1) {
                let tag = tag.split_whitespace().next().unwrap().trim_matches('"');
                let version = tag.trim_start_matches('v');
                assert!(
                    released.iter().any(|r| r == version),
                    "{file} installs tag {tag}, which CHANGELOG.md does not record as released: {line}"
                );
            }
        }
    }
    assert!(seen >= 4, "install commands found: {seen}");
}

/// Cargo.toml says `MIT OR Apache-2.0`; the two files are there and are those licenses, by the
/// tool's own recognition.
#[test]
fn the_license_files_are_the_licenses_cargo_toml_names() {
    assert_eq!(package("license"), "MIT OR Apache-2.0");
    let home = tempfile::tempdir().unwrap();
    let out = openness_in(
        root(),
        "http://127.0.0.1:9",
        home.path(),
        &[
            "license",
            "LICENSE-MIT",
            "LICENSE-APACHE",
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = doc["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["matches"][0]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["mit", "apache-2.0"]);
}

/// `include` is anchored at the root (an unanchored `README.md` packs every fixture's README),
/// packs no tests, and holds every file the library embeds.
#[test]
fn the_package_holds_what_the_build_reads_and_no_fixtures() {
    let manifest = manifest();
    let include: Vec<&str> = manifest["package"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for pattern in &include {
        assert!(pattern.starts_with('/'), "`{pattern}` is not anchored");
        assert!(!pattern.starts_with("/tests"), "`{pattern}` packs tests");
    }
    for required in [
        "/LICENSE-MIT",
        "/LICENSE-APACHE",
        "/README.md",
        "/CHANGELOG.md",
    ] {
        assert!(include.contains(&required), "include lacks {required}");
    }
    let base = root().canonicalize().unwrap();
    let packed = |path: &Path| {
        let rel = format!("/{}", path.strip_prefix(&base).unwrap().display());
        include.iter().any(|p| match p.strip_suffix("/**") {
            Some(dir) => rel.starts_with(&format!("{dir}/")),
            None => rel == *p,
        })
    };
    let mut stack = vec![root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for embed in text.split("include_str!(\"").skip(1) {
                let target = embed.split('"').next().unwrap();
                let file = path.parent().unwrap().join(target);
                let file = file.canonicalize().unwrap_or(file);
                assert!(
                    packed(&file),
                    "{} embeds {target}, which the package would not hold",
                    path.display()
                );
            }
        }
    }
}

// ---- The README's example output ----------------------------------------------------------

/// Opens an example block whose output is generated; the block's first line is the command.
const MARK: &str = "<!-- generated by scripts/update-readme.sh";

/// The README with every generated block rewritten from the binary's output.
fn regenerate(readme: &str) -> String {
    let hub = FakeHub::start(Corpus::fixtures());
    let mut out = String::new();
    let mut done = 0;
    while let Some(at) = readme[done..].find(MARK).map(|i| done + i) {
        let open = at + readme[at..].find("\n```\n").unwrap() + 5;
        let close = open + readme[open..].find("```\n").unwrap();
        out.push_str(&readme[done..open]);
        let command = readme[open..].lines().next().unwrap();
        out.push_str(command);
        out.push('\n');
        out.push_str(&run_example(&hub, command, &readme[..at]));
        done = close;
    }
    let rest = &readme[done..];
    out.push_str(rest);
    out
}

/// Runs `$ openness ARGS` as a user at a terminal would see it: `table` (stdout is a pipe
/// here), `$HF_TOKEN` set. `check` runs in a folder holding the last ```toml block before it
/// whose first line is `# openness.toml`.
fn run_example(hub: &FakeHub, command: &str, before: &str) -> String {
    let args: Vec<String> = command
        .strip_prefix("$ openness ")
        .unwrap_or_else(|| panic!("a generated block starts with `$ openness …`: {command}"))
        .split_whitespace()
        .map(|a| a.replace("$HF_TOKEN", TOKEN))
        .collect();
    let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
    if !args.iter().any(|a| *a == "--format" || *a == "-f") {
        args.extend(["--format", "table"]);
    }
    let project = tempfile::tempdir().unwrap();
    if let Some((_, policy)) = code_blocks(before)
        .into_iter()
        .rev()
        .find(|(info, body)| info == "toml" && body.starts_with("# openness.toml"))
    {
        std::fs::write(project.path().join("openness.toml"), policy).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let out = openness_in(project.path(), hub.url(), home.path(), &args, &[]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{command}: {}",
        stderr(&out)
    );
    stdout(&out).replace(hub.url(), "https://huggingface.co")
}

#[test]
fn the_readme_examples_are_the_binary_s_output() {
    let path: PathBuf = root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    assert!(
        readme.matches(MARK).count() >= 2,
        "the README's examples are marked"
    );
    let fresh = regenerate(&readme);
    if std::env::var_os("OPENNESS_UPDATE_README").is_some() {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    if fresh != readme {
        let diff: Vec<String> = readme
            .lines()
            .zip(fresh.lines())
            .filter(|(a, b)| a != b)
            .take(6)
            .map(|(a, b)| format!("- {a}\n+ {b}"))
            .collect();
        panic!(
            "README.md's example output drifted from the binary's; run scripts/update-readme.sh\n{}",
            diff.join("\n")
        );
    }
}
