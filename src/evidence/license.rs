//! The license as declared: the ids, `license_name` and `license_link` of the card metadata, and
//! the license files the repository lists. Recognising the texts and saying what the license
//! means is the `licenses` module's job.

use super::declared::Declared;
use super::facts::Evidence;
use super::findings::Finding;
use super::keys;
use super::provenance::Provenance;
use crate::hub::Release;
use crate::hub::release::{files_to_read, license_files_left_out};
use serde::{Deserialize, Serialize};

/// What a license file of the release is for, from its name (`license-roles` in
/// `data/recognition.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TextRole {
    /// The model's license (`LICENSE`, `LICENSE-MODEL`, `LICENSE.md`…).
    Model,
    /// The code's license (`LICENSE-CODE`).
    Code,
    /// An acceptable-use policy (`USE_POLICY.md`…).
    Policy,
    /// Third-party notices (`NOTICE`).
    Notice,
}

impl TextRole {
    pub fn as_str(self) -> &'static str {
        match self {
            TextRole::Model => "model",
            TextRole::Code => "code",
            TextRole::Policy => "policy",
            TextRole::Notice => "notice",
        }
    }
}

/// `declares_anything`: the release has card metadata at all (so no license in it is worth a
/// finding).
pub(super) fn collect(
    release: &Release,
    declared: &Declared,
    declares_anything: bool,
    ev: &mut Evidence,
) {
    let mut ids = declared.licenses.value.clone();
    ids.sort();
    if ids.is_empty() {
        if release.has_api_metadata || declares_anything {
            ev.findings.push(Finding::license_undeclared());
        }
    } else {
        let distinct = ids.iter().filter(|id| id.as_str() != "other").count();
        if distinct > 1 {
            let at = declared.licenses.at.first().cloned();
            ev.findings.push(Finding::license_ids_conflict(&ids, at));
        }
        ev.set_from(keys::LICENSE_DECLARED, ids, declared.licenses.at.clone());
    }
    if let Some(name) = &declared.license_name {
        ev.set_from(keys::LICENSE_NAME, name.value.clone(), name.at.clone());
    }
    if let Some(link) = &declared.license_link {
        ev.set_from(keys::LICENSE_LINK, link.value.clone(), link.at.clone());
    }
    if let Some(siblings) = &release.info.siblings {
        let listing: Vec<&str> = siblings.iter().map(|s| s.path.as_str()).collect();
        let link = declared.license_link.as_ref().map(|l| l.value.as_str());
        let files: Vec<String> = files_to_read(&listing, link)
            .into_iter()
            .filter(|p| !p.eq_ignore_ascii_case("README.md"))
            .collect();
        let left_out = license_files_left_out(&listing, link);
        if left_out > 0 {
            ev.findings
                .push(Finding::license_files_capped(files.len(), left_out));
        }
        ev.set(keys::LICENSE_FILES, files, Provenance::api("siblings"));
    }
}
