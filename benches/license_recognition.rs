//! Recognition throughput over the license texts of tests/fixtures/licenses/, on one core: the
//! corpus texts (the figure issue 3 and 13 hold to over 1,000 texts/s), the model-licence
//! revisions, the distributions' standard texts (SPDX similarity) and model cards (the path of
//! a text no signature claims).
//!
//! Run: `cargo bench --bench license_recognition`. Prints the time to build the recogniser
//! (once per process) and texts per second over several rounds of every text.

#![allow(
    clippy::print_stdout,
    clippy::disallowed_macros,
    clippy::disallowed_methods
)]

use openness::licenses::KnowledgeBase;
use openness::licenses::detect::{DEFAULT_THRESHOLD, Recognizer};
use std::time::Instant;

fn read_dir(dir: &std::path::Path) -> Vec<String> {
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures exist")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().is_some_and(|n| n != "SOURCES.md"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .collect()
}

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/licenses");
    let mut texts = read_dir(&root.join("corpus"));
    texts.extend(read_dir(&root.join("models")));

    let start = Instant::now();
    let recognizer = Recognizer::new(
        KnowledgeBase::embedded(),
        openness::licenses::detect::DEFAULT_THRESHOLD,
    );
    let build = start.elapsed();
    println!(
        "license recognition: {} knowledge-base entries ({} with signatures)",
        KnowledgeBase::embedded().entries().len(),
        KnowledgeBase::embedded()
            .entries()
            .iter()
            .filter(|e| !e.signatures.is_empty())
            .count()
    );
    println!("  recogniser build: {:.1} ms", build.as_secs_f64() * 1e3);
    let start = Instant::now();
    let standard = recognizer.standard_texts();
    println!(
        "  SPDX standard texts indexed on first use: {standard} in {:.0} ms",
        start.elapsed().as_secs_f64() * 1e3
    );

    measure(
        &recognizer,
        "corpus license texts (corpus/, models/)",
        &texts,
        20,
    );
    measure(
        &recognizer,
        "model-licence revisions (upstream/)",
        &read_dir(&root.join("upstream")),
        20,
    );
    measure(
        &recognizer,
        "distribution standard texts (debian/)",
        &read_dir(&root.join("debian")),
        5,
    );

    // The memo a ranking benefits from: the same texts again.
    let memo_start = Instant::now();
    for text in &texts {
        std::hint::black_box(recognizer.recognize(text));
    }
    for text in &texts {
        std::hint::black_box(recognizer.recognize(text));
    }
    let memo_rate = (2 * texts.len()) as f64 / memo_start.elapsed().as_secs_f64();
    println!("  with the per-run memo (each corpus text seen twice): {memo_rate:.0} texts/s");
    report_unknown_path(&recognizer, &root);
}

/// Recognises every text `rounds` times after a warm-up; prints the rate and how many texts
/// were recognised (not `unknown`).
fn measure(recognizer: &Recognizer, name: &str, texts: &[String], rounds: usize) {
    let bytes: usize = texts.iter().map(String::len).sum();
    for text in texts {
        std::hint::black_box(recognizer.recognize_fresh(text, DEFAULT_THRESHOLD));
    }
    let recognised = texts
        .iter()
        .filter(|t| {
            !recognizer
                .recognize_fresh(t, DEFAULT_THRESHOLD)
                .is_unknown()
        })
        .count();
    let start = Instant::now();
    for _ in 0..rounds {
        for text in texts {
            std::hint::black_box(
                recognizer.recognize_fresh(std::hint::black_box(text), DEFAULT_THRESHOLD),
            );
        }
    }
    let elapsed = start.elapsed();
    let n = texts.len() * rounds;
    println!(
        "  {name}: {} texts ({:.1} KiB), {recognised} recognised; {n} recognitions in {:.3} s: {:.0} texts/s, {:.1} MiB/s",
        texts.len(),
        bytes as f64 / 1024.0,
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        (bytes * rounds) as f64 / 1048576.0 / elapsed.as_secs_f64()
    );
}

/// Texts no signature claims go through SPDX text similarity: measured on model cards.
fn report_unknown_path(recognizer: &Recognizer, root: &std::path::Path) {
    let hub = root.parent().expect("fixtures root").join("hub");
    let cards: Vec<String> = std::fs::read_dir(hub)
        .expect("hub fixtures exist")
        .flatten()
        .filter_map(|dir| std::fs::read_to_string(dir.path().join("files/README.md")).ok())
        .collect();
    let rounds = 20;
    let start = Instant::now();
    for _ in 0..rounds {
        for card in &cards {
            std::hint::black_box(
                recognizer.recognize_fresh(std::hint::black_box(card), DEFAULT_THRESHOLD),
            );
        }
    }
    let elapsed = start.elapsed();
    println!(
        "  similarity path (model cards, no signature): {:.0} texts/s",
        (cards.len() * rounds) as f64 / elapsed.as_secs_f64()
    );
}
