//! Recognition throughput over the corpus license texts (tests/fixtures/licenses/), on one core.
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

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/licenses");
    let mut texts = Vec::new();
    for sub in ["corpus", "models"] {
        for entry in std::fs::read_dir(root.join(sub))
            .expect("fixtures exist")
            .flatten()
        {
            texts.push(String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned());
        }
    }
    let bytes: usize = texts.iter().map(String::len).sum();

    let start = Instant::now();
    let recognizer = Recognizer::new(
        KnowledgeBase::embedded(),
        openness::licenses::detect::DEFAULT_THRESHOLD,
    );
    let build = start.elapsed();

    // Warm up, then measure.
    for text in &texts {
        std::hint::black_box(recognizer.recognize_fresh(text, DEFAULT_THRESHOLD));
    }
    let rounds = 20;
    let start = Instant::now();
    let mut recognised = 0usize;
    for _ in 0..rounds {
        for text in &texts {
            recognised += usize::from(
                !recognizer
                    .recognize_fresh(std::hint::black_box(text), DEFAULT_THRESHOLD)
                    .is_unknown(),
            );
        }
    }
    let elapsed = start.elapsed();
    let n = texts.len() * rounds;
    // The memo a ranking benefits from: the same texts again.
    let memo_start = Instant::now();
    for text in &texts {
        std::hint::black_box(recognizer.recognize(text));
    }
    for text in &texts {
        std::hint::black_box(recognizer.recognize(text));
    }
    let memo_rate = (2 * texts.len()) as f64 / memo_start.elapsed().as_secs_f64();
    println!(
        "license recognition: {} texts ({:.1} KiB), {rounds} rounds",
        texts.len(),
        bytes as f64 / 1024.0
    );
    println!("  recogniser build: {:.1} ms", build.as_secs_f64() * 1e3);
    println!(
        "  {n} recognitions in {:.3} s: {:.0} texts/s, {:.1} MiB/s ({recognised} recognised)",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64(),
        (bytes * rounds) as f64 / 1048576.0 / elapsed.as_secs_f64()
    );
    println!("  with the per-run memo (each text seen twice): {memo_rate:.0} texts/s");
    report_unknown_path(&recognizer, &root);
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
