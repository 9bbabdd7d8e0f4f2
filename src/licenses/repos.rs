//! The license of the code in the linked repositories (docs/code-host.md): each repository's
//! license file recognised with the same knowledge base and recogniser as the release's own
//! (`repo.licenses`), and the license of the publisher's code (`repo.license`: a training
//! repository's first, then a data-processing one's, then any of the publisher's that holds
//! code). A code
//! license the release states (`code.license`: a LICENSE-CODE file or the card) that differs is
//! a `code-license-mismatch` finding.

use super::detect::Recognizer;
use super::kb::{Kind, KnowledgeBase, LicenseEntry};
use crate::evidence::findings::Finding;
use crate::evidence::{Evidence, Provenance, keys};
use crate::hub::Release;
use crate::hub::github::{RepoLookup, RepoSnapshot};

/// What a repository's license file says.
enum RepoLicense<'kb> {
    Recognised(&'kb LicenseEntry, Provenance),
    /// License files, none of whose texts is a known license.
    Unrecognised,
    /// No license file at the root.
    None,
}

pub fn apply(kb: &KnowledgeBase, threshold: f32, release: &Release, ev: &mut Evidence) {
    let Some(linked) = &release.related.code else {
        return;
    };
    let read: Vec<&RepoSnapshot> = linked
        .iter()
        .filter_map(|r| match &r.lookup {
            RepoLookup::Found(s) => Some(&**s),
            _ => None,
        })
        .collect();
    let licenses: Vec<(&RepoSnapshot, RepoLicense)> = read
        .iter()
        .map(|s| (*s, recognise(kb, threshold, s)))
        .collect();

    if ev.get(keys::REPO_READ).is_some() {
        let mut provenance = Vec::new();
        let values: Vec<String> = licenses
            .iter()
            .map(|(s, license)| {
                let (label, at) = match license {
                    RepoLicense::Recognised(entry, at) => (entry.id.clone(), at.clone()),
                    RepoLicense::Unrecognised => (
                        "unrecognized".to_owned(),
                        Provenance::repository(s.repo.url(), s.sha.as_deref(), None, None),
                    ),
                    RepoLicense::None => (
                        "none".to_owned(),
                        Provenance::repository(s.repo.url(), s.sha.as_deref(), None, None),
                    ),
                };
                provenance.push(at);
                format!("{}: {label}", s.repo.url())
            })
            .collect();
        if provenance.is_empty() {
            provenance.push(Provenance::derived("no linked repository was read"));
        }
        ev.set_from(keys::REPO_LICENSES, values, provenance);
    }

    // The publisher's code: training repositories first, then data processing, then any other
    // that holds code. A repository without code (a README, a license, a paper) licenses no code.
    if ev.get(keys::REPO_OWN).is_none() {
        return;
    }
    let order: Vec<String> = [
        keys::REPO_TRAINING,
        keys::REPO_DATA_PROCESSING,
        keys::REPO_CODE,
    ]
    .iter()
    .flat_map(|k| ev.list(*k).to_vec())
    .collect();
    let chosen = order.iter().find_map(|url| {
        licenses.iter().find_map(|(s, license)| match license {
            RepoLicense::Recognised(entry, at) if s.repo.url() == *url => Some((*entry, at)),
            _ => None,
        })
    });
    let Some((entry, at)) = chosen else {
        return;
    };
    ev.set(keys::REPO_LICENSE, entry.id.clone(), at.clone());
    ev.set(
        keys::REPO_LICENSE_CATEGORY,
        entry.category.as_str(),
        Provenance::Knowledge {
            license: entry.id.clone(),
            why: format!("{} is {}", entry.name, entry.category.as_str()).into(),
        },
    );
    if let Some(stated) = ev.get(keys::CODE_LICENSE)
        && let Some(stated_id) = ev.str(keys::CODE_LICENSE)
        && stated_id != entry.id
    {
        let finding = Finding::code_license_mismatch(
            stated_id,
            stated.provenance.first().cloned(),
            &entry.id,
            Some(at.clone()),
        );
        ev.findings.push(finding);
    }
}

/// The repository's code license: files naming code first (CODE_LICENSE, LICENSE-CODE), then
/// the plain ones; files for the model, data or weights are not the code's.
fn recognise<'kb>(kb: &'kb KnowledgeBase, threshold: f32, s: &RepoSnapshot) -> RepoLicense<'kb> {
    let mut files: Vec<_> = s
        .licenses
        .iter()
        .filter(|f| {
            let upper = f.path.to_ascii_uppercase();
            !["MODEL", "DATA", "WEIGHT"]
                .iter()
                .any(|w| upper.contains(w))
        })
        .collect();
    files.sort_by_key(|f| !f.path.to_ascii_uppercase().contains("CODE"));
    if files.is_empty() {
        return RepoLicense::None;
    }
    for file in files {
        let recognition = Recognizer::embedded().recognize_with(&file.text, threshold);
        if let Some((entry, line)) = recognition.matches.iter().find_map(|m| {
            let entry = kb.get(&m.id).filter(|e| e.kind == Kind::License)?;
            Some((entry, m.line))
        }) {
            let at = Provenance::repository(
                s.repo.url(),
                s.sha.as_deref(),
                Some(&file.path),
                Some(line),
            );
            return RepoLicense::Recognised(entry, at);
        }
    }
    RepoLicense::Unrecognised
}
