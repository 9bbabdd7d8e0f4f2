//! The license recogniser: signatures (Aho-Corasick over normalised text) and SPDX text
//! similarity. Input: a license file's bytes; invalid UTF-8 is replaced, as for fetched files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::licenses::detect::{Recognizer, normalize};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let lines = text.lines().count().max(1) as u32;
    let recognition = Recognizer::embedded().recognize(&text);
    for m in &recognition.matches {
        assert!(
            m.line >= 1 && m.line <= lines,
            "match line {} of {lines}",
            m.line
        );
        assert!(
            (0.0..=1.0).contains(&m.confidence),
            "confidence {} out of range",
            m.confidence
        );
    }
    if let Some((_, score)) = &recognition.closest {
        assert!(score.is_finite());
    }
    let normalized = normalize(&text);
    assert!(normalized.text.is_ascii());
});
