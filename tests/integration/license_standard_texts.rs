//! Standard license texts as distributions ship them (Debian's /usr/share/common-licenses,
//! base-files 12.4, copied into tests/fixtures/licenses/debian/), the whole SPDX list, GNU
//! `-only` / `-or-later`, and texts wrapped or combined the way repositories carry them.
//! Expected ids are written here from reading the texts.

use openness::licenses::KnowledgeBase;
use openness::licenses::detect::{Method, Recognizer};

fn debian(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/licenses/debian")
            .join(name),
    )
    .unwrap()
}

fn ids(text: &str) -> Vec<String> {
    Recognizer::embedded()
        .recognize(text)
        .matches
        .into_iter()
        .map(|m| m.id)
        .collect()
}

/// (file, knowledge-base id, SPDX id).
const DEBIAN: &[(&str, &str, &str)] = &[
    ("Apache-2.0", "apache-2.0", "Apache-2.0"),
    // Debian's "Artistic" is the Perl variant of the Artistic License 1.0 (its clause 8 on
    // aggregation with commercial distributions), byte for byte SPDX's Artistic-1.0-Perl.
    ("Artistic", "Artistic-1.0-Perl", "Artistic-1.0-Perl"),
    ("BSD", "bsd-3-clause", "BSD-3-Clause"),
    ("CC0-1.0", "cc0-1.0", "CC0-1.0"),
    ("GFDL-1.2", "gfdl-1.2", "GFDL-1.2-only"),
    ("GFDL-1.3", "gfdl-1.3", "GFDL-1.3-only"),
    ("GPL-1", "gpl-1.0", "GPL-1.0-only"),
    ("GPL-2", "gpl-2.0", "GPL-2.0-only"),
    ("GPL-3", "gpl-3.0", "GPL-3.0-only"),
    ("LGPL-2", "lgpl-2.0", "LGPL-2.0-only"),
    ("LGPL-2.1", "lgpl-2.1", "LGPL-2.1-only"),
    ("LGPL-3", "lgpl-3.0", "LGPL-3.0-only"),
    ("MPL-1.1", "MPL-1.1", "MPL-1.1"),
    ("MPL-2.0", "mpl-2.0", "MPL-2.0"),
];

#[test]
fn every_debian_common_license_gets_its_spdx_id() {
    let kb = KnowledgeBase::embedded();
    let mut wrong = Vec::new();
    for (file, id, spdx) in DEBIAN {
        let got = ids(&debian(file));
        let got_spdx: Vec<Option<&str>> = got
            .iter()
            .map(|g| kb.get(g).and_then(|e| e.spdx.as_deref()))
            .collect();
        if got != [*id] || got_spdx != [Some(*spdx)] {
            wrong.push(format!(
                "{file}: expected {id} ({spdx}), got {got:?} {got_spdx:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Issue 13: the GPL-3's last paragraph ("use the GNU Lesser General Public License instead")
/// and §13 ("Use with the GNU Affero General Public License") made it the LGPL-3.
#[test]
fn gpl_3_is_not_taken_for_the_lgpl_or_the_agpl() {
    let gpl3 = debian("GPL-3");
    assert_eq!(ids(&gpl3), ["gpl-3.0"]);
    // The LGPL-3 is a short text that refers to the GPL-3: still itself. It is published with
    // the GPL-3 after it (SPDX's LGPL-3.0 text is both), so a file holding both is the LGPL-3.
    assert_eq!(ids(&debian("LGPL-3")), ["lgpl-3.0"]);
    assert_eq!(
        ids(&format!("{}\n\n{gpl3}", debian("LGPL-3"))),
        ["lgpl-3.0"]
    );
    let entry = KnowledgeBase::embedded().get("gpl-3.0").unwrap();
    let p = entry.properties.as_ref().unwrap();
    assert!(p.copyleft.value && p.copyleft.why.contains("entire modified work"));
}

#[test]
fn or_later_only_when_the_notice_precedes_the_terms() {
    let gpl2 = debian("GPL-2");
    let notice = "This program is free software; you can redistribute it and/or modify it \
        under the terms of the GNU General Public License as published by the Free Software \
        Foundation; either version 2 of the License, or (at your option) any later version.";
    // The bare text is -only, even though its "How to Apply" appendix holds the notice.
    assert_eq!(ids(&gpl2), ["gpl-2.0"]);
    assert_eq!(
        ids(&format!("Copyright 2024 Someone\n\n{notice}\n\n{gpl2}")),
        ["gpl-2.0-or-later"]
    );
    let gpl3 = debian("GPL-3");
    let notice3 = notice
        .replace("version 2", "version 3")
        .replace("Foundation;", "Foundation,");
    assert_eq!(ids(&format!("{notice3}\n\n{gpl3}")), ["gpl-3.0-or-later"]);
    let kb = KnowledgeBase::embedded();
    assert_eq!(
        kb.get("gpl-3.0-or-later").unwrap().spdx.as_deref(),
        Some("GPL-3.0-or-later")
    );
    // SPDX's `+` names the -or-later entry.
    assert_eq!(kb.get("GPL-2.0+").unwrap().id, "gpl-2.0-or-later");
    // A notice alone (a source-file header) is not a license file.
    assert!(ids(notice).is_empty());
}

#[test]
fn any_license_on_the_spdx_list_is_recognised_with_derived_properties() {
    let kb = KnowledgeBase::embedded();
    // The families issue 13 names, each told apart from its neighbours by its SPDX text.
    for spdx_id in [
        "0BSD",
        "GPL-1.0-only",
        "GPL-2.0-only",
        "GPL-3.0-only",
        "LGPL-2.0-only",
        "LGPL-2.1-only",
        "LGPL-3.0-only",
        "AGPL-1.0-only",
        "AGPL-3.0-only",
        "MPL-1.0",
        "MPL-1.1",
        "MPL-2.0",
        "Artistic-1.0",
        "Artistic-1.0-Perl",
        "Artistic-2.0",
        "GFDL-1.1-only",
        "GFDL-1.2-only",
        "GFDL-1.3-only",
        "EPL-1.0",
        "EPL-2.0",
        "EUPL-1.0",
        "EUPL-1.1",
        "EUPL-1.2",
        "CDDL-1.0",
        "CDDL-1.1",
        "MS-PL",
        "MS-RL",
    ] {
        let text = spdx::license_id(spdx_id).unwrap().text();
        let r = Recognizer::embedded().recognize(text);
        let got: Vec<Option<&str>> = r
            .matches
            .iter()
            .map(|m| kb.get(&m.id).and_then(|e| e.spdx.as_deref()))
            .collect();
        assert_eq!(got, [Some(spdx_id)], "{spdx_id}: {:?}", r.matches);
    }
    // An entry no one wrote by hand: its properties come from the SPDX flags, and say so.
    let cddl = kb.get("CDDL-1.1").unwrap();
    assert!(cddl.from_spdx_list);
    let p = cddl.properties.as_ref().unwrap();
    assert!(
        p.copyleft.value,
        "CDDL is flagged copyleft on the SPDX list"
    );
    assert!(p.commercial_use.why.contains("not read clause by clause"));
}

/// Re-wraps every paragraph to `width` columns.
pub(crate) fn reflow(text: &str, width: usize) -> String {
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

/// Formattings a repository gives a standard text: re-wrapped, in a code fence under a
/// Markdown title, as HTML, after a preamble, without its title line.
pub(crate) fn formattings(text: &str) -> Vec<(&'static str, String)> {
    let untitled: String = text
        .trim_start()
        .split_once('\n')
        .map_or(text.to_owned(), |(_, rest)| rest.to_owned());
    vec![
        ("reflowed", reflow(text, 72)),
        (
            "fenced",
            format!("# License\n\nThis project is licensed as follows.\n\n```text\n{text}\n```\n"),
        ),
        (
            "html",
            format!(
                "<html><body><h1>License</h1>\r\n{}\r\n</body></html>",
                text.split("\n\n")
                    .map(|p| format!("<p>{}</p>", p.replace('&', "&amp;").replace('"', "&quot;")))
                    .collect::<Vec<_>>()
                    .join("\r\n")
            ),
        ),
        (
            "preamble",
            format!(
                "The files in this directory are distributed under the license below.\nSee NOTICE for third-party components.\n\n{text}"
            ),
        ),
        ("untitled", untitled),
    ]
}

#[test]
fn standard_texts_survive_every_formatting() {
    let mut wrong = Vec::new();
    for (file, id, _) in DEBIAN {
        for (how, variant) in formattings(&debian(file)) {
            let got = ids(&variant);
            if got != [*id] {
                wrong.push(format!("{file} ({how}): expected {id}, got {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn two_standard_texts_in_one_file_are_both_recognised_with_their_lines() {
    let mpl = debian("MPL-1.1");
    let artistic = debian("Artistic");
    let text = format!(
        "Part of this package is under the MPL 1.1:\n\n{mpl}\n\nThe rest is under the Artistic License:\n\n{artistic}"
    );
    let r = Recognizer::embedded().recognize(&text);
    let got: Vec<(&str, Method)> = r
        .matches
        .iter()
        .map(|m| (m.id.as_str(), m.method))
        .collect();
    assert_eq!(
        got,
        [
            ("MPL-1.1", Method::SpdxText),
            ("Artistic-1.0-Perl", Method::SpdxText)
        ],
        "{r:?}"
    );
    assert!(r.matches[0].line < r.matches[1].line);
    let artistic_line = text
        .lines()
        .position(|l| l.contains("\"Artistic License\""))
        .unwrap() as u32
        + 1;
    assert!(
        r.matches[1].line.abs_diff(artistic_line) <= 3,
        "{:?} vs {artistic_line}",
        r.matches[1]
    );
}

#[test]
fn an_unknown_text_lists_its_nearest_standard_texts_the_same_way_every_time() {
    // A home-made permissive license: near the MIT family, but none of them.
    let text = "Permission is granted to anyone to use this model for any purpose, \
        provided that this notice is kept. The model is provided as is, without warranty.";
    let first = Recognizer::embedded().recognize_fresh(text, 0.9);
    assert!(first.is_unknown());
    assert_eq!(first.candidates.len(), 3, "{first:?}");
    for pair in first.candidates.windows(2) {
        assert!(
            pair[0].similarity > pair[1].similarity
                || (pair[0].similarity == pair[1].similarity && pair[0].spdx < pair[1].spdx),
            "{:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
    assert_eq!(
        first.closest,
        Some((
            first.candidates[0].spdx.clone(),
            first.candidates[0].similarity
        ))
    );
    for _ in 0..3 {
        assert_eq!(Recognizer::embedded().recognize_fresh(text, 0.9), first);
    }
}
