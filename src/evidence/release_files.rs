//! Files that are MOF components of their own, from the repository listing
//! (`data/release-files.toml`): training metadata and sample model outputs.

use super::facts::Evidence;
use super::keys;
use super::provenance::Provenance;
use crate::hub::Release;
use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/release-files.toml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ReleaseFiles {
    training_metadata: Pattern,
    training_content_summary: Pattern,
    adapter_weights: Pattern,
    sample_outputs: Pattern,
}

#[derive(Debug, Deserialize)]
struct Pattern {
    names: Vec<String>,
    folders: Vec<String>,
    /// Phrases of the file name (lowercased, punctuation as spaces).
    #[serde(default)]
    contains: Vec<String>,
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        let lower = path.to_ascii_lowercase();
        let name = lower.rsplit('/').next().unwrap_or(&lower);
        let folder = lower.split_once('/').map(|(f, _)| f);
        let words = format!(" {} ", super::recognition::fold(name));
        self.names.iter().any(|n| n == name)
            || folder.is_some_and(|f| self.folders.iter().any(|d| d == f))
            || self
                .contains
                .iter()
                .any(|c| words.contains(&format!(" {c} ")))
    }
}

fn table() -> &'static ReleaseFiles {
    static TABLE: OnceLock<ReleaseFiles> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(SOURCE).expect("data/release-files.toml is valid (tested)"))
}

/// Adapter weight files of the release (they need their base model to run).
pub fn adapter_weights(release: &Release) -> Vec<String> {
    let pattern = &table().adapter_weights;
    release
        .info
        .siblings
        .iter()
        .flatten()
        .filter(|s| pattern.matches(&s.path))
        .map(|s| s.path.clone())
        .collect()
}

/// Files of the release that are the EU AI Act public summary of its training content.
pub fn training_content_summaries(release: &Release) -> Vec<String> {
    let pattern = &table().training_content_summary;
    release
        .info
        .siblings
        .iter()
        .flatten()
        .filter(|s| pattern.matches(&s.path))
        .map(|s| s.path.clone())
        .collect()
}

pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let Some(siblings) = &release.info.siblings else {
        return;
    };
    let t = table();
    for (key, pattern) in [
        (keys::FILES_TRAINING_METADATA, &t.training_metadata),
        (keys::FILES_SAMPLE_OUTPUTS, &t.sample_outputs),
    ] {
        let found: Vec<String> = siblings
            .iter()
            .filter(|s| pattern.matches(&s.path))
            .map(|s| s.path.clone())
            .collect();
        ev.set(key, found, Provenance::api("siblings"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_anywhere_and_first_folders() {
        let t = table();
        assert!(
            t.training_metadata
                .matches("checkpoint-100/trainer_state.json")
        );
        assert!(t.training_metadata.matches("training_configs/stage1.yaml"));
        assert!(!t.training_metadata.matches("config.json"));
        assert!(t.sample_outputs.matches("samples/cat.png"));
        assert!(!t.sample_outputs.matches("src/samples.py"));
        assert!(
            t.training_content_summary
                .matches("docs/Public_Summary_of_Training_Content.pdf")
        );
        assert!(!t.training_content_summary.matches("summary.md"));
    }
}
