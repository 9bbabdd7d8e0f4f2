//! Weights: the weight files in a repository listing, by format and size, the architecture
//! file, and the parameter count the Hub publishes.

use super::declared::Declared;
use super::facts::Evidence;
use super::findings::Finding;
use super::keys;
use super::provenance::Provenance;
use super::recognition::{fold, tables};
use super::topics::{self, Reading};
use crate::hub::{Release, Sibling};

/// `weights.needs-base`: the weights are an adapter or a delta, so the release is only as open as
/// its base model. Known whenever the listing is.
pub(super) fn needs_base(
    release: &Release,
    declared: &Declared,
    reading: Option<&Reading>,
    ev: &mut Evidence,
) {
    if release.info.siblings.is_none() {
        return;
    }
    let adapters = super::release_files::adapter_weights(release);
    let phrases = &topics::table().delta_weights.phrases;
    let delta = reading.and_then(|r| {
        r.blocks.iter().find(|b| {
            let text = format!(" {} ", fold(&b.prose));
            phrases
                .iter()
                .any(|p| text.contains(&format!(" {} ", fold(p))))
        })
    });
    let (needs, at) = if let Some(file) = adapters.first() {
        (true, Provenance::api(&format!("siblings ({file})")))
    } else if declared.relation.as_deref() == Some("adapter") {
        (
            true,
            declared
                .bases
                .at
                .first()
                .cloned()
                .unwrap_or_else(|| Provenance::api("cardData.base_model_relation")),
        )
    } else if let Some(block) = delta {
        (true, Provenance::file("README.md", Some(block.line)))
    } else {
        (false, Provenance::api("siblings"))
    };
    ev.set(keys::WEIGHTS_NEEDS_BASE, needs, at);
}

pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let Some(siblings) = &release.info.siblings else {
        return;
    };
    let at = Provenance::api("siblings");
    if release.info.siblings_dropped > 0 {
        ev.findings.push(Finding::listing_capped(
            siblings.len(),
            release.info.siblings_dropped,
        ));
    }
    let summary = summarize(siblings);
    ev.set(keys::WEIGHTS_PUBLISHED, summary.files > 0, at.clone());
    ev.set(keys::WEIGHTS_FILES, summary.files as i64, at.clone());
    ev.set(keys::WEIGHTS_FORMATS, summary.formats, at.clone());
    if let Some(bytes) = summary.bytes.and_then(|b| i64::try_from(b).ok()) {
        ev.set(keys::WEIGHTS_BYTES, bytes, at.clone());
    }
    let config = siblings
        .iter()
        .any(|s| s.path.rsplit('/').next() == Some("config.json"));
    ev.set(keys::WEIGHTS_CONFIG, config, at);
    if let Some(params) = release.info.parameters.and_then(|p| i64::try_from(p).ok()) {
        let field = if release.has_api_metadata {
            Provenance::api("safetensors.total")
        } else {
            Provenance::derived("safetensors headers")
        };
        ev.set(keys::WEIGHTS_PARAMETERS, params, field);
    }
    if summary.files == 0 {
        ev.findings.push(Finding::weights_missing());
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct WeightSummary {
    pub files: usize,
    /// Formats found, sorted.
    pub formats: Vec<String>,
    /// Total bytes, when every weight file's size is known.
    pub bytes: Option<u64>,
}

pub fn summarize(siblings: &[Sibling]) -> WeightSummary {
    let table = tables();
    let mut summary = WeightSummary {
        bytes: Some(0),
        ..WeightSummary::default()
    };
    for sibling in siblings {
        let Some(format) = table.weight_format(&sibling.path) else {
            continue;
        };
        summary.files += 1;
        if !summary.formats.iter().any(|f| f == format) {
            summary.formats.push(format.to_owned());
        }
        summary.bytes = match (summary.bytes, sibling.size) {
            (Some(total), Some(size)) => total.checked_add(size),
            _ => None,
        };
    }
    summary.formats.sort();
    if summary.files == 0 {
        summary.bytes = None;
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sib(path: &str, size: Option<u64>) -> Sibling {
        Sibling {
            path: path.into(),
            size,
            blob_id: None,
            lfs_sha256: None,
        }
    }

    #[test]
    fn groups_by_format_and_sums_sizes() {
        let s = summarize(&[
            sib("a.safetensors", Some(2)),
            sib("b.bin", Some(3)),
            sib("README.md", Some(9)),
        ]);
        assert_eq!(
            s,
            WeightSummary {
                files: 2,
                formats: vec!["pytorch".into(), "safetensors".into()],
                bytes: Some(5)
            }
        );
        let s = summarize(&[sib("a.safetensors", None)]);
        assert_eq!(s.bytes, None);
    }
}
