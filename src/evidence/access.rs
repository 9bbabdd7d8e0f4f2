//! Access: the gate, private and disabled repositories, and which of the release's files could
//! be read with the credentials used (and how completely).

use super::declared::MetaSource;
use super::facts::Evidence;
use super::findings::Finding;
use super::keys;
use super::provenance::Provenance;
use crate::hub::{FileContent, Gate, Release, Unreadable};

pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let info = &release.info;
    if let Some(gate) = info.gated {
        ev.set(keys::ACCESS_GATE, gate.as_str(), Provenance::api("gated"));
        if gate != Gate::None {
            ev.findings.push(Finding::weights_gated(gate));
        }
    }
    if let Some(private) = info.private {
        ev.set(keys::ACCESS_PRIVATE, private, Provenance::api("private"));
        if private {
            ev.findings.push(Finding::repo_private());
        }
    }
    if let Some(disabled) = info.disabled {
        ev.set(keys::ACCESS_DISABLED, disabled, Provenance::api("disabled"));
        if disabled {
            ev.findings.push(Finding::repo_disabled());
        }
    }
    if !release.files.is_empty() {
        let gated = release
            .files
            .iter()
            .any(|f| f.content == FileContent::Unreadable(Unreadable::Gated));
        let readable = release.files.iter().any(|f| f.text().is_some());
        if gated || readable {
            ev.set(
                keys::ACCESS_FILES_READABLE,
                !gated,
                Provenance::derived("file downloads"),
            );
        }
    }
}

/// The card metadata key that closes the gate to the whole European Union.
const EU_DISALLOWED: &str = "extra_gated_eu_disallowed";

/// Whether the gate refuses users in the EU (`extra_gated_eu_disallowed: true`), from the card
/// metadata: true with a finding; false when the metadata does not say so; unknown when there
/// is no metadata to read.
pub(super) fn eu(
    meta: Option<&serde_json::Map<String, serde_json::Value>>,
    source: &MetaSource<'_>,
    ev: &mut Evidence,
) {
    let Some(meta) = meta else { return };
    let at = source.provenance(EU_DISALLOWED);
    match meta.get(EU_DISALLOWED) {
        Some(serde_json::Value::Bool(true)) => {
            ev.set(keys::ACCESS_EU_DISALLOWED, true, at.clone());
            ev.findings.push(Finding::weights_eu_disallowed(at));
        }
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Bool(false)) => {
            ev.set(
                keys::ACCESS_EU_DISALLOWED,
                false,
                Provenance::derived("the card metadata does not close the gate to the EU"),
            );
        }
        Some(_) => ev.findings.push(Finding::metadata_key_invalid(
            matches!(source, MetaSource::FrontMatter(_)),
            EU_DISALLOWED,
            "a boolean",
            at,
        )),
    }
}

/// Files cut at the download cap, not valid UTF-8, or not readable at all.
pub(super) fn note_file_problems(release: &Release, ev: &mut Evidence) {
    let mut unreadable = Vec::new();
    for file in &release.files {
        match &file.content {
            FileContent::Text {
                truncated, lossy, ..
            } => {
                if *truncated {
                    ev.findings.push(Finding::file_too_large(&file.path));
                }
                if *lossy {
                    ev.findings.push(Finding::file_not_utf8(&file.path));
                }
            }
            FileContent::Unreadable(why) => unreadable.push((file.path.as_str(), why)),
        }
    }
    if !unreadable.is_empty() {
        ev.findings.push(Finding::files_unreadable(&unreadable));
    }
}
