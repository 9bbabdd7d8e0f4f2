//! Revisions of a license: the entries that name one current entry with `revision-of`, each
//! with the date it took effect, and the families `openness license --id FAMILY` lists.

use super::kb::{KnowledgeBase, LicenseEntry};
use std::cmp::Ordering;

/// The id a license's revisions share: the current entry's.
pub fn line(entry: &LicenseEntry) -> &str {
    entry.revision_of.as_deref().unwrap_or(&entry.id)
}

/// True when `text` and `declared` are one license: the same entry, two revisions of it, or
/// one refining the other (the `-or-later` notice over the bare GPL).
pub fn same_license(declared: &LicenseEntry, text: &LicenseEntry) -> bool {
    declared.id == text.id
        || line(declared) == line(text)
        || text.refines.as_deref() == Some(declared.id.as_str())
        || declared.refines.as_deref() == Some(text.id.as_str())
}

/// True when `text` is an earlier revision of the license than `declared` names.
pub fn is_older(text: &LicenseEntry, declared: &LicenseEntry) -> bool {
    line(text) == line(declared)
        && text.id != declared.id
        && matches!((&text.effective, &declared.effective), (Some(t), Some(d)) if t < d)
}

/// Every revision of the license `entry` belongs to, oldest first.
pub fn revisions<'kb>(kb: &'kb KnowledgeBase, entry: &LicenseEntry) -> Vec<&'kb LicenseEntry> {
    let mut out: Vec<&LicenseEntry> = kb
        .entries()
        .iter()
        .filter(|e| line(e) == line(entry))
        .collect();
    out.sort_by(|a, b| chronological(a, b));
    out
}

/// The hand-written entries of a family, oldest first (undated ones last, by id).
pub fn family<'kb>(kb: &'kb KnowledgeBase, family: &str) -> Vec<&'kb LicenseEntry> {
    let mut out: Vec<&LicenseEntry> = kb
        .entries()
        .iter()
        .filter(|e| !e.from_spdx_list && e.family.eq_ignore_ascii_case(family))
        .collect();
    out.sort_by(|a, b| chronological(a, b));
    out
}

fn chronological(a: &LicenseEntry, b: &LicenseEntry) -> Ordering {
    match (&a.effective, &b.effective) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
    .then_with(|| a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_revision_line_is_dated_and_ordered() {
        let kb = KnowledgeBase::embedded();
        for entry in kb.entries().iter().filter(|e| e.revision_of.is_some()) {
            let all = revisions(kb, entry);
            assert!(all.len() >= 2, "{}", entry.id);
            assert!(all.iter().all(|e| e.effective.is_some()), "{}", entry.id);
        }
        let gnu = family(kb, "gpl");
        let ids: Vec<&str> = gnu.iter().map(|e| e.id.as_str()).collect();
        let pos = |id: &str| ids.iter().position(|i| *i == id).unwrap();
        assert!(pos("gpl-1.0") < pos("gpl-2.0") && pos("gpl-2.0") < pos("gpl-3.0"));
    }
}
