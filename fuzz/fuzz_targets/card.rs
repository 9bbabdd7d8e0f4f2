//! The card Markdown walker on large hostile cards (inputs up to a few MB, run with
//! `-max_len=4194304`): `evidence::card::parse` (sections, links, link contexts, section ends),
//! `evidence::topics::read` (headings, labels, topics at a line) and the whole evidence step,
//! `evidence::collect`, on a release whose README is the input.
//!
//! Checks: link ranges inside the body and sorted, contexts bounded, section ends consistent with
//! the levels, every evidence list within `limits::MAX_LIST_ITEMS` and every finding count within
//! `limits::MAX_FINDINGS`. A slow input (quadratic cost) shows as a libFuzzer timeout.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::evidence::{Value, card, topics};
use openness::hub::{ModelInfo, Origin, Release, ReleaseFile};
use openness::limits::{MAX_FINDINGS, MAX_LIST_ITEMS};

fuzz_target!(|data: &[u8]| {
    let body = String::from_utf8_lossy(data);
    let parsed = card::parse(&body, 1);
    let mut previous = 0;
    for link in &parsed.links {
        assert!(link.start >= previous, "links are not sorted");
        previous = link.start;
        assert!(link.start <= link.end && link.end <= body.len());
        assert!(link.context.len() <= 4 * 300 + 4, "link context is unbounded");
        assert!(link.section.is_none_or(|s| s < parsed.sections.len()));
    }
    for (i, section) in parsed.sections.iter().enumerate() {
        let end = parsed.section_end(i);
        assert!(end > i && end <= parsed.sections.len());
        assert!(parsed.sections[i + 1..end].iter().all(|s| s.level > section.level));
        assert!(end == parsed.sections.len() || parsed.sections[end].level <= section.level);
    }

    let reading = topics::read(&body, 1);
    for link in parsed.links.iter().take(64) {
        let _ = reading.topics_at(link.line);
    }

    let release = Release {
        id: "fuzz/card".into(),
        revision: None,
        origin: Origin::Local {
            path: "fuzz".into(),
        },
        info: ModelInfo::default(),
        has_api_metadata: false,
        files: vec![ReleaseFile::from_bytes("README.md", data, false)],
        related: Default::default(),
        retrieval: Default::default(),
    };
    let ev = openness::evidence::collect(&release);
    for (key, fact) in ev.iter() {
        if let Value::List(items) = &fact.value {
            assert!(items.len() <= MAX_LIST_ITEMS, "{key} has {} items", items.len());
        }
        assert!(fact.provenance.len() <= MAX_LIST_ITEMS + 1, "{key}");
    }
    assert!(ev.findings.len() <= MAX_FINDINGS);
});
