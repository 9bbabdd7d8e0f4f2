//! The license of the code, where the release states it: a `LICENSE-CODE`-style file whose text
//! is recognised, else a card line such as "This code repository … is licensed under MIT".

use super::detect::Recognizer;
use super::kb::Kind;
use super::kb::{KnowledgeBase, LicenseEntry};
use crate::evidence::code::license_statements;
use crate::evidence::keys;
use crate::evidence::recognition::tables;
use crate::evidence::{Evidence, Provenance};
use crate::hub::Release;

pub fn apply(kb: &KnowledgeBase, threshold: f32, release: &Release, ev: &mut Evidence) {
    let Some((entry, at)) = from_file(kb, threshold, release).or_else(|| from_card(kb, release))
    else {
        return;
    };
    ev.set(keys::CODE_LICENSE, entry.id.clone(), at);
    ev.set(
        keys::CODE_LICENSE_CATEGORY,
        entry.category.as_str(),
        Provenance::Knowledge {
            license: entry.id.clone(),
            why: format!("{} is {}", entry.name, entry.category.as_str()).into(),
        },
    );
}

fn from_file<'kb>(
    kb: &'kb KnowledgeBase,
    threshold: f32,
    release: &Release,
) -> Option<(&'kb LicenseEntry, Provenance)> {
    let table = tables();
    release
        .files
        .iter()
        .filter(|f| table.code_license_file(&f.path))
        .find_map(|f| {
            let recognition = Recognizer::embedded().recognize_with(f.text()?, threshold);
            recognition.matches.iter().find_map(|m| {
                let entry = kb.get(&m.id).filter(|e| e.kind == Kind::License)?;
                Some((entry, Provenance::file(&f.path, Some(m.line))))
            })
        })
}

fn from_card<'kb>(
    kb: &'kb KnowledgeBase,
    release: &Release,
) -> Option<(&'kb LicenseEntry, Provenance)> {
    license_statements(release)
        .into_iter()
        .find_map(|statement| {
            let entry = statement
                .candidates
                .iter()
                .find_map(|name| lookup_name(kb, name))?;
            Some((entry, Provenance::file("README.md", Some(statement.line))))
        })
}

/// A license named in prose: `MIT License`, `the Apache 2.0 license`, `Apache-2.0`.
fn lookup_name<'kb>(kb: &'kb KnowledgeBase, name: &str) -> Option<&'kb LicenseEntry> {
    const FILLER: &[&str] = &["the", "license", "licence", "agreement", "version", "v"];
    let words: Vec<&str> = name.split_whitespace().collect();
    let short: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !FILLER.contains(&w.to_ascii_lowercase().as_str()))
        .collect();
    [words.join(" "), short.join(" ")]
        .iter()
        .filter(|candidate| !candidate.is_empty())
        .find_map(|candidate| kb.get(candidate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_prose() {
        let kb = KnowledgeBase::embedded();
        let id = |name| lookup_name(kb, name).map(|e| e.id.as_str());
        assert_eq!(id("MIT License"), Some("mit"));
        assert_eq!(id("Apache 2.0"), Some("apache-2.0"));
        assert_eq!(id("the Apache-2.0 license"), Some("apache-2.0"));
        assert_eq!(id("our own terms"), None);
    }
}
