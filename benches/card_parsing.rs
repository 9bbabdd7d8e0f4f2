//! Card parsing is linear in the card's size (issue 14 row 5, Deliver 3): hostile cards of
//! 1, 2 and 4 MB — inline links on one line, reference links, bare URLs, Hub dataset links in a
//! training-data section, code links under nested headings, headings alone — through the card
//! walker (`evidence::card::parse`), the topic reader (`evidence::topics::read`) and the whole
//! evidence step (`evidence::collect` on a local release with that README).
//!
//! Run: `cargo bench --bench card_parsing`. Prints milliseconds per input and MB/s; linear cost
//! shows as the same MB/s at every size (a quadratic one halves it each time the size doubles).

#![allow(
    clippy::print_stdout,
    clippy::disallowed_macros,
    clippy::disallowed_methods
)]

use openness::evidence::{card, topics};
use openness::hub::{ModelInfo, Origin, Release, ReleaseFile};
use std::time::{Duration, Instant};

const MB: usize = 1_000_000;

/// `unit(i)` repeated until the text is `size` bytes.
fn fill(size: usize, head: &str, unit: impl Fn(usize) -> String) -> String {
    let mut text = String::from(head);
    let mut i = 0;
    while text.len() < size {
        text.push_str(&unit(i));
        i += 1;
    }
    text
}

fn reference_links(size: usize) -> String {
    // Half uses, half definitions.
    let mut uses = fill(size / 2, "", |i| format!("[l{i}][r{i}] "));
    let n = uses.matches("][r").count();
    uses.push_str("\n\n");
    for i in 0..n {
        uses.push_str(&format!("[r{i}]: http://x/{i}\n"));
    }
    uses
}

fn cards(size: usize) -> Vec<(&'static str, String)> {
    vec![
        (
            "inline links, one line",
            fill(size, "", |i| format!("[l{i}](http://x/{i}) ")),
        ),
        ("reference links", reference_links(size)),
        (
            "bare URLs, one line",
            fill(size, "", |i| format!("https://x.org/{i} ")),
        ),
        (
            "dataset links in training data",
            fill(size, "# M\n\n## Training data\n\n", |i| {
                format!("- [d{i}](https://huggingface.co/datasets/org/d{i})\n")
            }),
        ),
        (
            "code links under nested headings",
            fill(size, "# M\n\n", |i| {
                format!("### Code {i}\n\nTraining code: https://github.com/org/repo{i}\n\n")
            }),
        ),
        ("headings", fill(size, "", |_| "# heading\n".to_owned())),
    ]
}

fn release(readme: &str) -> Release {
    Release {
        id: "bench/card".into(),
        revision: None,
        origin: Origin::Local {
            path: "bench".into(),
        },
        info: ModelInfo::default(),
        has_api_metadata: false,
        files: vec![ReleaseFile::from_bytes(
            "README.md",
            readme.as_bytes(),
            false,
        )],
        related: Default::default(),
        retrieval: Default::default(),
    }
}

/// The fastest of a few runs (the machine is shared), at least one.
fn time(mut run: impl FnMut()) -> Duration {
    let mut best = Duration::MAX;
    let start = Instant::now();
    for _ in 0..3 {
        let t = Instant::now();
        run();
        best = best.min(t.elapsed());
        if start.elapsed() > Duration::from_secs(20) {
            break;
        }
    }
    best
}

fn main() {
    println!(
        "{:<34} {:>5} {:>9} {:>12} {:>12} {:>14} {:>8}",
        "card", "MB", "links", "card::parse", "topics::read", "evidence", "MB/s"
    );
    for size in [MB, 2 * MB, 4 * MB] {
        for (name, text) in cards(size) {
            let mut links = 0;
            let parse = time(|| links = card::parse(&text, 1).links.len());
            let read = time(|| {
                std::hint::black_box(topics::read(&text, 1));
            });
            let release = release(&text);
            let collect = time(|| {
                std::hint::black_box(openness::evidence::collect(&release));
            });
            let mb = text.len() as f64 / MB as f64;
            println!(
                "{name:<34} {mb:>5.1} {links:>9} {:>9.0} ms {:>9.0} ms {:>11.0} ms {:>8.1}",
                parse.as_secs_f64() * 1e3,
                read.as_secs_f64() * 1e3,
                collect.as_secs_f64() * 1e3,
                mb / collect.as_secs_f64()
            );
        }
    }
}
