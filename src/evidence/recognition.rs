//! The recognition tables of `data/recognition.toml`, embedded and parsed once.

use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/recognition.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognition {
    pub weights: Vec<WeightRule>,
    pub sections: Vec<SectionRule>,
    #[serde(rename = "code-hosts")]
    pub code_hosts: Vec<CodeHostRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightRule {
    pub format: String,
    #[serde(default)]
    pub suffixes: Vec<String>,
    #[serde(default)]
    pub contains: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionRule {
    pub kind: String,
    #[serde(default)]
    pub exact: Vec<String>,
    #[serde(default)]
    pub contains: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CodeHostRule {
    pub hosts: Vec<String>,
    #[serde(default)]
    pub prefix: Option<String>,
    pub min_segments: usize,
    #[serde(default)]
    pub not_owners: Vec<String>,
}

/// The embedded tables. They are checked by a unit test, so parsing cannot fail in a release.
pub fn tables() -> &'static Recognition {
    static TABLES: OnceLock<Recognition> = OnceLock::new();
    TABLES.get_or_init(|| toml::from_str(SOURCE).expect("data/recognition.toml is valid (tested)"))
}

impl Recognition {
    /// The weight format of a repository file, if it is a weight file.
    pub fn weight_format(&self, path: &str) -> Option<&str> {
        let lower = path.to_ascii_lowercase();
        let name = lower.rsplit('/').next().unwrap_or(&lower);
        self.weights
            .iter()
            .find(|rule| {
                !rule.exclude.iter().any(|e| e == name)
                    && (rule.suffixes.iter().any(|s| lower.ends_with(s.as_str()))
                        || rule.contains.iter().any(|c| lower.contains(c.as_str())))
            })
            .map(|rule| rule.format.as_str())
    }

    /// The kinds of section a heading introduces.
    pub fn section_kinds(&self, heading: &str) -> Vec<&str> {
        let folded = fold(heading);
        self.sections
            .iter()
            .filter(|rule| {
                rule.exact.contains(&folded)
                    || rule.contains.iter().any(|c| folded.contains(c.as_str()))
            })
            .map(|rule| rule.kind.as_str())
            .collect()
    }

    /// The repository a link points to, normalised (`https://github.com/owner/repo`).
    pub fn code_repository(&self, url: &str) -> Option<String> {
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))?;
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.to_ascii_lowercase();
        let path = path.split(['?', '#']).next().unwrap_or("");
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        for rule in &self.code_hosts {
            if !rule.hosts.contains(&host) {
                continue;
            }
            if let Some(prefix) = &rule.prefix
                && segments.first() != Some(&prefix.as_str())
            {
                continue;
            }
            if segments.len() < rule.min_segments {
                continue;
            }
            let owner_index = usize::from(rule.prefix.is_some());
            let owner = segments[owner_index].to_ascii_lowercase();
            if rule.not_owners.contains(&owner) {
                continue;
            }
            let repo: Vec<&str> = segments[..rule.min_segments]
                .iter()
                .map(|s| s.trim_end_matches(".git"))
                .collect();
            return Some(format!(
                "https://{}/{}",
                host.trim_start_matches("www."),
                repo.join("/")
            ));
        }
        None
    }
}

/// Lowercase, with every run of non-alphanumeric characters folded to one space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.extend(c.to_lowercase());
        } else {
            pending_space = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_load_and_classify() {
        let t = tables();
        assert_eq!(
            t.weight_format("model-00001-of-00163.safetensors"),
            Some("safetensors")
        );
        assert_eq!(t.weight_format("pytorch_model.bin"), Some("pytorch"));
        assert_eq!(t.weight_format("openvino_model.bin"), Some("openvino"));
        assert_eq!(t.weight_format("training_args.bin"), None);
        assert_eq!(t.weight_format("tokenizer.json"), None);
        assert_eq!(t.section_kinds("## Training Data"), ["training-data"]);
        assert!(t.section_kinds("Training procedure").is_empty());
        assert_eq!(
            t.code_repository("https://github.com/allenai/OLMo/tree/main?x=1")
                .as_deref(),
            Some("https://github.com/allenai/OLMo")
        );
        assert_eq!(t.code_repository("https://github.com/sponsors/x"), None);
        assert_eq!(
            t.code_repository("https://huggingface.co/spaces/org/demo/blob/main/app.py")
                .as_deref(),
            Some("https://huggingface.co/spaces/org/demo")
        );
    }
}
