//! The model card itself: whether the repository has one, its size, its metadata block and its
//! section headings. What the card says is read by the other topics.

use super::card::Card;
use super::facts::Evidence;
use super::findings::Finding;
use super::frontmatter::FrontMatter;
use super::keys;
use super::provenance::Provenance;
use crate::hub::{FileContent, Release};

/// The Hub's file list shows the repository has no README.md (an empty list counts: the
/// repository holds nothing). Without a file list, or with a README that could not be read,
/// the card is not known to be absent.
pub(super) fn known_absent(release: &Release) -> bool {
    release.readme().is_none()
        && release.info.siblings.as_ref().is_some_and(|files| {
            !files
                .iter()
                .any(|f| f.path.eq_ignore_ascii_case("README.md"))
        })
}

pub(super) fn collect(
    release: &Release,
    front: Option<&FrontMatter<'_>>,
    card: Option<&Card>,
    ev: &mut Evidence,
) {
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
        (None, _) if known_absent(release) => {
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
