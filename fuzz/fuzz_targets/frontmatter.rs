//! README front matter (`evidence::frontmatter::parse`) and the Markdown structure of the body
//! after it (`evidence::card::parse`). Input: README bytes; invalid UTF-8 is replaced, as
//! `hub::ReleaseFile::from_bytes` does for a fetched README.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::evidence::{card, frontmatter};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let fm = frontmatter::parse(&text);

    // The body is the tail of the text (after an optional BOM and the closing fence).
    assert!(text.ends_with(fm.body), "body is not a suffix of the text");
    assert!(fm.body_line >= 1);
    if let Some(meta) = &fm.metadata {
        for key in meta.keys() {
            if let Some(line) = fm.key_line(key) {
                assert!(line >= 2 && line < fm.body_line.max(2));
            }
        }
    }
    let _ = fm.present();

    let card = card::parse(fm.body, fm.body_line);
    for (i, section) in card.sections.iter().enumerate() {
        assert!(section.line >= fm.body_line);
        assert!((1..=6).contains(&section.level));
        let end = card.section_end(i);
        assert!(end > i && end <= card.sections.len());
        assert!(card.extent_bytes(i) <= fm.body.len());
    }
    for link in &card.links {
        assert!(link.start <= link.end, "link range is reversed");
        assert!(link.end <= fm.body.len(), "link ends past the body");
        assert!(
            link.context.len() <= 4 * 300 + 4,
            "link context is unbounded"
        );
        if let Some(section) = link.section {
            assert!(section < card.sections.len());
            let _ = card.within(Some(section), 0);
        }
    }
});
