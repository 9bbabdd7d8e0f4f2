//! Access: the gate, private and disabled repositories, and which of the release's files could
//! be read with the credentials used (and how completely).

use super::facts::Evidence;
use super::findings::{Code, Finding};
use super::keys;
use super::provenance::Provenance;
use crate::hub::{FileContent, Gate, Release, Unreadable};

pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let info = &release.info;
    if let Some(gate) = info.gated {
        ev.set(keys::ACCESS_GATE, gate.as_str(), Provenance::api("gated"));
        if gate != Gate::None {
            ev.findings.push(
                Finding::new(
                    Code::WeightsGated,
                    format!(
                        "downloads are gated ({}): users must accept the publisher's conditions{}",
                        gate.as_str(),
                        if gate == Gate::Manual {
                            " and wait for approval"
                        } else {
                            ""
                        }
                    ),
                )
                .with_evidence(Provenance::api("gated")),
            );
        }
    }
    if let Some(private) = info.private {
        ev.set(keys::ACCESS_PRIVATE, private, Provenance::api("private"));
        if private {
            ev.findings.push(
                Finding::new(Code::RepoPrivate, "the repository is private")
                    .with_evidence(Provenance::api("private")),
            );
        }
    }
    if let Some(disabled) = info.disabled {
        ev.set(keys::ACCESS_DISABLED, disabled, Provenance::api("disabled"));
        if disabled {
            ev.findings.push(
                Finding::new(Code::RepoDisabled, "the repository is disabled")
                    .with_evidence(Provenance::api("disabled")),
            );
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

/// Files cut at the download cap, not valid UTF-8, or not readable at all.
pub(super) fn note_file_problems(release: &Release, ev: &mut Evidence) {
    let mut unreadable = Vec::new();
    for file in &release.files {
        match &file.content {
            FileContent::Text {
                truncated, lossy, ..
            } => {
                if *truncated {
                    ev.findings.push(
                        Finding::new(
                            Code::FileTooLarge,
                            format!(
                                "{} is larger than the download cap; only its beginning was read",
                                file.path
                            ),
                        )
                        .with_evidence(Provenance::file(&file.path, None)),
                    );
                }
                if *lossy {
                    ev.findings.push(
                        Finding::new(
                            Code::FileNotUtf8,
                            format!("{} is not valid UTF-8", file.path),
                        )
                        .with_evidence(Provenance::file(&file.path, None)),
                    );
                }
            }
            FileContent::Unreadable(why) => {
                unreadable.push(format!("{} ({})", file.path, describe(why)))
            }
        }
    }
    if !unreadable.is_empty() {
        ev.findings.push(Finding::new(
            Code::FilesUnreadable,
            format!("not read: {}", unreadable.join(", ")),
        ));
    }
}

fn describe(why: &Unreadable) -> String {
    match why {
        Unreadable::Gated => {
            "gated: accept the conditions on the model page and pass a token".to_owned()
        }
        Unreadable::Missing => "listed but not found".to_owned(),
        Unreadable::NotCached => "not in the local cache".to_owned(),
        Unreadable::Refused { status } => format!("refused with HTTP {status}"),
    }
}
