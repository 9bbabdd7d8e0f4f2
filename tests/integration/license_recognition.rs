//! License recognition over every license text of the shared corpus (copied into
//! tests/fixtures/licenses/), and over variants a real repository might carry: re-wrapped,
//! converted to Markdown or HTML, with another copyright header. The expected ids are written
//! here, read from the texts, not derived from the tool.

use openness::licenses::detect::Recognizer;
use std::path::{Path, PathBuf};

/// (file under tests/fixtures/licenses/, expected knowledge-base ids).
const EXPECTED: &[(&str, &[&str])] = &[
    ("corpus/apache-2.0.txt", &["apache-2.0"]),
    ("corpus/bigcode-openrail-m.txt", &["bigcode-openrail-m"]),
    (
        "corpus/bigscience-bloom-rail-1.0.txt",
        &["bigscience-bloom-rail-1.0"],
    ),
    (
        "corpus/bigscience-openrail-m.txt",
        &["bigscience-openrail-m"],
    ),
    ("corpus/cc-by-nc-4.0.txt", &["cc-by-nc-4.0"]),
    (
        "corpus/creativeml-openrail-m.txt",
        &["creativeml-openrail-m"],
    ),
    ("corpus/deepseek.txt", &["deepseek"]),
    // The 2024 wording (issue 13: revisions are entries of their own).
    (
        "corpus/flux-1-dev-non-commercial-license-hub-2024.md",
        &["flux-1-dev-non-commercial-2024"],
    ),
    (
        "corpus/flux-1-dev-non-commercial-license.txt",
        &["flux-1-dev-non-commercial"],
    ),
    ("corpus/gemma.txt", &["gemma"]),
    ("corpus/gpt-oss-usage-policy.txt", &["gpt-oss-usage-policy"]),
    ("corpus/llama2-acceptable-use-policy.md", &["llama2-aup"]),
    ("corpus/llama2.txt", &["llama2"]),
    ("corpus/llama3-acceptable-use-policy.md", &["llama3-aup"]),
    (
        "corpus/llama3.1-acceptable-use-policy.md",
        &["llama3.1-aup"],
    ),
    ("corpus/llama3.1.txt", &["llama3.1"]),
    (
        "corpus/llama3.2-acceptable-use-policy.md",
        &["llama3.2-aup"],
    ),
    ("corpus/llama3.2-hub-LICENSE.txt", &["llama3.2"]),
    ("corpus/llama3.2.txt", &["llama3.2"]),
    (
        "corpus/llama3.3-acceptable-use-policy.md",
        &["llama3.3-aup"],
    ),
    ("corpus/llama3.3.txt", &["llama3.3"]),
    // Meta Llama 3's LICENSE embeds its acceptable-use policy: both are recognised.
    ("corpus/llama3.txt", &["llama3", "llama3-aup"]),
    ("corpus/llama4-acceptable-use-policy.md", &["llama4-aup"]),
    ("corpus/llama4.txt", &["llama4"]),
    ("corpus/mit.txt", &["mit"]),
    ("corpus/modified-mit-kimi-k2.txt", &["modified-mit"]),
    (
        "corpus/openai-gpt2-modified-mit.txt",
        &["openai-gpt2-modified-mit"],
    ),
    ("corpus/openrail++.txt", &["openrail++"]),
    ("corpus/sai-nc-community.txt", &["sai-nc-community"]),
    ("corpus/sdxl-0.9-research.txt", &["sdxl-0.9-research"]),
    (
        "corpus/stable-video-diffusion-community.txt",
        &["stable-video-diffusion-community"],
    ),
    (
        "corpus/tongyi-qianwen-research.txt",
        &["tongyi-qianwen-research"],
    ),
    ("corpus/tongyi-qianwen.txt", &["tongyi-qianwen"]),
    ("corpus/yi-license-2.1.txt", &["yi-license"]),
    ("models/01-ai__Yi-34B__LICENSE", &["apache-2.0"]),
    ("models/Qwen__QwQ-32B__LICENSE", &["apache-2.0"]),
    ("models/Qwen__Qwen-7B__LICENSE", &["tongyi-qianwen"]),
    // A bundle of third-party notices: each license in it is reported.
    (
        "models/Qwen__Qwen-7B__NOTICE",
        &["apache-2.0", "bsd-3-clause", "mit"],
    ),
    ("models/Qwen__Qwen3.5-0.8B__LICENSE", &["apache-2.0"]),
    (
        "models/black-forest-labs__FLUX.1-dev__LICENSE.md",
        &["flux-1-dev-non-commercial-2024"],
    ),
    (
        "models/black-forest-labs__FLUX.1-schnell__LICENSE.md",
        &["apache-2.0"],
    ),
    (
        "models/deepseek-ai__DeepSeek-R1-Distill-Llama-8B__LICENSE",
        &["mit"],
    ),
    (
        "models/deepseek-ai__DeepSeek-R1-Distill-Qwen-7B__LICENSE",
        &["mit"],
    ),
    ("models/deepseek-ai__DeepSeek-R1__LICENSE", &["mit"]),
    ("models/deepseek-ai__DeepSeek-V2__LICENSE-CODE", &["mit"]),
    (
        "models/deepseek-ai__DeepSeek-V2__LICENSE-MODEL",
        &["deepseek"],
    ),
    ("models/deepseek-ai__DeepSeek-V3__LICENSE-CODE", &["mit"]),
    (
        "models/deepseek-ai__DeepSeek-V3__LICENSE-MODEL",
        &["deepseek"],
    ),
    (
        "models/deepseek-ai__deepseek-coder-6.7b-instruct__LICENSE-CODE",
        &["mit"],
    ),
    (
        "models/deepseek-ai__deepseek-coder-6.7b-instruct__LICENSE-MODEL",
        &["deepseek"],
    ),
    ("models/meta-llama__Llama-2-7b-hf__LICENSE", &["llama2"]),
    (
        "models/meta-llama__Llama-2-7b-hf__USE_POLICY.md",
        &["llama2-aup"],
    ),
    (
        "models/meta-llama__Llama-3.1-8B-Instruct__LICENSE",
        &["llama3.1"],
    ),
    (
        "models/meta-llama__Llama-3.1-8B-Instruct__USE_POLICY.md",
        &["llama3.1-aup"],
    ),
    ("models/meta-llama__Llama-3.1-8B__LICENSE", &["llama3.1"]),
    (
        "models/meta-llama__Llama-3.1-8B__USE_POLICY.md",
        &["llama3.1-aup"],
    ),
    (
        "models/meta-llama__Llama-3.2-1B__LICENSE.txt",
        &["llama3.2"],
    ),
    (
        "models/meta-llama__Llama-3.2-1B__USE_POLICY.md",
        &["llama3.2-aup"],
    ),
    (
        "models/meta-llama__Llama-3.2-3B-Instruct__LICENSE.txt",
        &["llama3.2"],
    ),
    (
        "models/meta-llama__Llama-3.2-3B-Instruct__USE_POLICY.md",
        &["llama3.2-aup"],
    ),
    (
        "models/meta-llama__Llama-3.3-70B-Instruct__LICENSE",
        &["llama3.3"],
    ),
    (
        "models/meta-llama__Llama-3.3-70B-Instruct__USE_POLICY.md",
        &["llama3.3-aup"],
    ),
    (
        "models/meta-llama__Llama-4-Scout-17B-16E-Instruct__LICENSE",
        &["llama4"],
    ),
    (
        "models/meta-llama__Llama-4-Scout-17B-16E-Instruct__USE_POLICY.md",
        &["llama4-aup"],
    ),
    (
        "models/meta-llama__Meta-Llama-3-8B__LICENSE",
        &["llama3", "llama3-aup"],
    ),
    (
        "models/meta-llama__Meta-Llama-3-8B__USE_POLICY.md",
        &["llama3-aup"],
    ),
    (
        "models/moonshotai__Kimi-K2-Instruct__LICENSE",
        &["modified-mit"],
    ),
    ("models/openai__gpt-oss-20b__LICENSE", &["apache-2.0"]),
    (
        "models/openai__gpt-oss-20b__USAGE_POLICY",
        &["gpt-oss-usage-policy"],
    ),
    (
        "models/stabilityai__sdxl-turbo__LICENSE",
        &["sai-nc-community"],
    ),
    (
        "models/stabilityai__stable-diffusion-xl-base-1.0__LICENSE.md",
        &["openrail++"],
    ),
    (
        "models/stabilityai__stable-video-diffusion-img2vid-xt__LICENSE",
        &["stable-video-diffusion-community"],
    ),
];

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/licenses")
}

fn recognized(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Recognizer::embedded()
        .recognize(text)
        .matches
        .into_iter()
        .map(|m| m.id)
        .collect();
    ids.sort();
    ids
}

fn read(file: &str) -> String {
    String::from_utf8_lossy(&std::fs::read(fixtures().join(file)).unwrap()).into_owned()
}

#[test]
fn every_corpus_license_text_is_recognised_with_the_right_id() {
    let mut wrong = Vec::new();
    for (file, expected) in EXPECTED {
        let got = recognized(&read(file));
        let status = if got == *expected { "ok  " } else { "FAIL" };
        eprintln!("{status} {file:<70} {}", got.join(", "));
        if got != *expected {
            wrong.push(format!("{file}: expected {expected:?}, got {got:?}"));
        }
    }
    // The tally goes to the real stderr so it shows in every test run, not only on failure.
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "license recognition tally: {} of {} corpus texts recognised with the expected ids",
        EXPECTED.len() - wrong.len(),
        EXPECTED.len()
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every license fixture has an expected id here, and every expected file exists: a text copied
/// in without an expectation would be tested by nothing. (That the fixtures are the shared
/// corpus' license files, byte for byte, is `scripts/check-fixtures.sh`, run by `.ci/run`.)
#[test]
fn every_license_fixture_has_an_expected_id() {
    let mut on_disk = Vec::new();
    for folder in ["corpus", "models"] {
        for entry in std::fs::read_dir(fixtures().join(folder))
            .unwrap()
            .flatten()
        {
            on_disk.push(format!("{folder}/{}", entry.file_name().to_string_lossy()));
        }
    }
    let untested: Vec<&String> = on_disk
        .iter()
        .filter(|f| !EXPECTED.iter().any(|(e, _)| e == f))
        .collect();
    assert!(
        untested.is_empty(),
        "fixtures without an expected id: {untested:?}"
    );
    let missing: Vec<&str> = EXPECTED
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| !on_disk.iter().any(|d| d == f))
        .collect();
    assert!(
        missing.is_empty(),
        "expected files that are not fixtures: {missing:?}"
    );
}

/// Re-wraps every paragraph to `width` columns.
fn reflow(text: &str, width: usize) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + word.len() + 1 > width {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push_str(&line);
        out.push_str("\n\n");
    }
    out
}

/// A Markdown rendering: a heading, emphasis on capitalised words, list markers.
fn markdown(text: &str) -> String {
    let mut out = String::from("# License\n\n");
    for line in text.lines() {
        let words: Vec<String> = line
            .split(' ')
            .map(|w| {
                if w.len() > 3 && w.chars().all(|c| c.is_ascii_uppercase()) {
                    format!("**{w}**")
                } else {
                    w.to_owned()
                }
            })
            .collect();
        let line = words.join(" ");
        if line.trim_start().starts_with(|c: char| c.is_ascii_digit()) {
            out.push_str("- ");
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// An HTML-ish rendering with CRLF line ends.
fn html(text: &str) -> String {
    let body: Vec<String> = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", p.replace('&', "&amp;")))
        .collect();
    format!("<html><body>\r\n{}\r\n</body></html>", body.join("\r\n"))
}

#[test]
fn variants_of_every_family_are_still_recognised() {
    let mut wrong = Vec::new();
    for (file, expected) in EXPECTED {
        let text = read(file);
        let variants = [
            ("reflowed", reflow(&text, 60)),
            ("markdown", markdown(&text)),
            ("html", html(&text)),
            (
                "header",
                format!(
                    "Copyright 2030 Someone Else. All rights reserved.\n\n{text}\n\n-- \nDistributed with model weights v2.\n"
                ),
            ),
        ];
        for (name, variant) in variants {
            let got = recognized(&variant);
            if got != *expected {
                wrong.push(format!(
                    "{file} ({name}): expected {expected:?}, got {got:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn readmes_random_text_and_empty_files_are_unknown() {
    let readme = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/hub/Qwen__Qwen2.5-7B-Instruct/files/README.md"),
    )
    .unwrap();
    for (name, text) in [
        ("a model card", readme),
        (
            "random words",
            "the quick brown fox jumps over the lazy dog; licence? maybe later. ".repeat(50),
        ),
        ("empty", String::new()),
        ("whitespace", " \n\t\n".to_owned()),
        (
            "a license name only",
            "This model is released under the Apache License.".to_owned(),
        ),
    ] {
        let r = Recognizer::embedded().recognize(&text);
        assert!(r.is_unknown(), "{name} was recognised as {:?}", r.matches);
    }
}
