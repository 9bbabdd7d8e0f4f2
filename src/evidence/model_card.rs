//! The model card itself: whether the repository has one, its size, its metadata block and its
//! section headings. What the card says is read by the other topics.

use super::card::Card;
use super::facts::Evidence;
use super::findings::Finding;
use super::frontmatter::FrontMatter;
use super::keys;
use super::provenance::Provenance;
use crate::hub::{FileContent, Release};

pub(super) fn collect(
    release: &Release,
    front: Option<&FrontMatter<'_>>,
    card: Option<&Card>,
    ev: &mut Evidence,
) {
    let info = &release.info;
    let listed = |path: &str| {
        info.siblings
            .as_ref()
            .is_none_or(|s| s.iter().any(|f| f.path == path))
    };
    match (release.readme(), front) {
        (Some(file), Some(fm)) => {
            let bytes = match &file.content {
                FileContent::Text { text, .. } => text.len() as i64,
                FileContent::Unreadable(_) => 0,
            };
            let at = Provenance::file("README.md", None);
            ev.set(keys::CARD_PRESENT, true, at.clone());
            ev.set(keys::CARD_BYTES, bytes, at);
            ev.set(
                keys::CARD_METADATA,
                fm.metadata.is_some(),
                Provenance::file("README.md", Some(1)),
            );
            if let Some(error) = &fm.error {
                ev.findings.push(Finding::front_matter_invalid(error));
            }
        }
        (None, _)
            if !listed("README.md") || info.siblings.as_ref().is_some_and(|s| s.is_empty()) =>
        {
            let at = Provenance::api("siblings");
            ev.set(keys::CARD_PRESENT, false, at.clone());
            ev.set(keys::CARD_METADATA, false, at);
            ev.findings.push(Finding::card_missing());
        }
        _ => {}
    }
    if let Some(card) = card {
        let titles: Vec<String> = card.sections.iter().map(|s| s.title.clone()).collect();
        ev.set(
            keys::CARD_SECTIONS,
            titles,
            Provenance::file("README.md", None),
        );
    }
}
