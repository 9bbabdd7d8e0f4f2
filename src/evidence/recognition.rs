//! The recognition tables of `data/recognition.toml`, embedded and parsed once.

use super::TextRole;
use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/recognition.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recognition {
    pub weights: Vec<WeightRule>,
    pub sections: Vec<SectionRule>,
    #[serde(rename = "link-texts")]
    pub link_texts: Vec<LinkTextRule>,
    pub hub: HubRules,
    #[serde(rename = "code-hosts")]
    pub code_hosts: Vec<CodeHostRule>,
    #[serde(rename = "code-kinds")]
    pub code_kinds: Vec<CodeKindRule>,
    pub papers: PaperRules,
    pub checkpoints: CheckpointRules,
    #[serde(rename = "code-license")]
    pub code_license: CodeLicenseRules,
    #[serde(rename = "license-roles")]
    pub license_roles: Vec<LicenseRoleRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LicenseRoleRule {
    pub role: TextRole,
    #[serde(default)]
    pub top_level: bool,
    #[serde(default)]
    pub starts: Vec<String>,
    #[serde(default)]
    pub contains: Vec<String>,
}

impl LicenseRoleRule {
    fn matches(&self, path: &str) -> bool {
        if self.top_level && path.contains('/') {
            return false;
        }
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_uppercase();
        self.starts
            .iter()
            .any(|s| name.starts_with(&s.to_ascii_uppercase()))
            || self
                .contains
                .iter()
                .any(|c| name.contains(&c.to_ascii_uppercase()))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkTextRule {
    pub kind: String,
    pub contains: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HubRules {
    pub hosts: Vec<String>,
    pub dataset_pages: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeKindRule {
    pub kind: String,
    pub words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaperRules {
    pub hosts: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub pdf_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointRules {
    pub intermediate: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeLicenseRules {
    pub subjects: Vec<String>,
    pub verbs: Vec<String>,
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
    /// A character an owner's name may start with (`~` on sourcehut).
    #[serde(default)]
    pub owner_prefix: Option<String>,
}

/// Longest owner or repository name a code host allows (GitHub: 39 and 100).
const MAX_NAME_BYTES: usize = 100;

/// A repository or owner name as code hosts allow them: ASCII letters, digits, `.`, `_`, `-`.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_NAME_BYTES
        && name != "."
        && name != ".."
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
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

    /// The kinds a link's text (or URL) marks it as: `datasheet`, `technical-report`.
    pub fn link_kinds(&self, text: &str, url: &str) -> Vec<&str> {
        let folded = format!("{} {}", fold(text), fold(url));
        self.link_texts
            .iter()
            .filter(|rule| rule.contains.iter().any(|c| folded.contains(c.as_str())))
            .map(|rule| rule.kind.as_str())
            .collect()
    }

    /// What a code repository is for, from the words around its link (already folded).
    pub fn code_kinds(&self, folded_context: &str) -> Vec<&str> {
        self.code_kinds
            .iter()
            .filter(|rule| {
                rule.words
                    .iter()
                    .any(|w| has_word_prefix(folded_context, w))
            })
            .map(|rule| rule.kind.as_str())
            .collect()
    }

    /// True when `url` is on the Hub's own site.
    pub fn hub_link(&self, url: &str) -> bool {
        split_url(url).is_some_and(|(host, _)| self.hub.hosts.contains(&host))
    }

    /// The dataset id a Hub dataset link names (`…/datasets/org/name/viewer` → `org/name`).
    pub fn hub_dataset(&self, url: &str) -> Option<String> {
        let (host, path) = split_url(url)?;
        if !self.hub.hosts.contains(&host) {
            return None;
        }
        let path = path.split(['?', '#']).next().unwrap_or("");
        let mut segments = path.split('/').filter(|s| !s.is_empty());
        if segments.next() != Some("datasets") {
            return None;
        }
        let first = segments.next()?;
        match segments.next() {
            Some(name) if !self.hub.dataset_pages.iter().any(|p| p == name) => {
                Some(format!("{first}/{name}"))
            }
            _ => Some(first.to_owned()),
        }
    }

    /// True when `url` points at a paper on a known publication host (arXiv aside).
    pub fn paper_host(&self, url: &str) -> bool {
        let Some((host, path)) = split_url(url) else {
            return false;
        };
        let location = format!("{host}/{path}");
        self.papers.hosts.contains(&host)
            && !self
                .papers
                .exclude
                .iter()
                .any(|e| location.starts_with(e.as_str()))
    }

    /// True when a PDF link's text or surrounding words (folded) call it a paper.
    pub fn paper_pdf(&self, url: &str, folded_context: &str) -> bool {
        let path = url.split(['?', '#']).next().unwrap_or("");
        path.to_ascii_lowercase().ends_with(".pdf")
            && self
                .papers
                .pdf_words
                .iter()
                .any(|w| has_word_prefix(folded_context, w))
    }

    /// True when a branch name looks like an intermediate training checkpoint.
    pub fn intermediate_checkpoint(&self, branch: &str) -> bool {
        let name = branch.to_ascii_lowercase();
        self.checkpoints
            .intermediate
            .iter()
            .any(|pattern| glob(pattern.as_bytes(), name.as_bytes()))
    }

    /// What a license file is for, from its name (the `license-roles` rules).
    pub fn license_role(&self, path: &str) -> TextRole {
        self.license_roles
            .iter()
            .find(|rule| rule.matches(path))
            .map_or(TextRole::Model, |rule| rule.role)
    }

    /// True when a repository file holds the license of the code (the `code` role's rules,
    /// whatever comes before them).
    pub fn code_license_file(&self, path: &str) -> bool {
        self.license_roles
            .iter()
            .any(|rule| rule.role == TextRole::Code && rule.matches(path))
    }

    /// True when a card line (folded) states the license of the code.
    pub fn code_license_statement(&self, folded_line: &str) -> bool {
        self.code_license
            .subjects
            .iter()
            .any(|s| has_word_prefix(folded_line, s))
            && self
                .code_license
                .verbs
                .iter()
                .any(|v| folded_line.contains(v.as_str()))
    }

    /// The repository a link points to, normalised (`https://github.com/owner/repo`).
    pub fn code_repository(&self, url: &str) -> Option<String> {
        let (host, path) = split_url(url)?;
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
            // Every kept segment a real name (issue 14 row 16): a malformed URL is no repository.
            let names_valid = repo.iter().enumerate().all(|(i, segment)| {
                let name = match &rule.owner_prefix {
                    Some(prefix) if i == owner_index => {
                        segment.strip_prefix(prefix.as_str()).unwrap_or(segment)
                    }
                    _ => segment,
                };
                valid_name(name)
            });
            if !names_valid {
                return None;
            }
            return Some(format!(
                "https://{}/{}",
                host.trim_start_matches("www."),
                repo.join("/")
            ));
        }
        None
    }
}

/// `https://Host/path?q` → (`host`, `path`), for http(s) URLs.
pub fn split_url(url: &str) -> Option<(String, &str)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    Some((host.to_ascii_lowercase(), path))
}

/// True when some word of `folded` (words separated by single spaces) starts with `phrase`.
pub fn has_word_prefix(folded: &str, phrase: &str) -> bool {
    folded
        .match_indices(phrase)
        .any(|(i, _)| i == 0 || folded.as_bytes()[i - 1] == b' ')
}

/// Matches `name` against `pattern`: `*` is any text, `#` one or more ASCII digits.
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    match pattern.split_first() {
        None => name.is_empty(),
        Some((b'*', rest)) => (0..=name.len()).any(|i| glob(rest, &name[i..])),
        Some((b'#', rest)) => {
            let digits = name.iter().take_while(|b| b.is_ascii_digit()).count();
            (1..=digits).any(|i| glob(rest, &name[i..]))
        }
        Some((c, rest)) => name.first() == Some(c) && glob(rest, &name[1..]),
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
        // Issue 14 row 16: malformed URLs are no repositories.
        for url in [
            "https://github.com/evil/x\"><script>alert(1)</script>",
            "https://github.com/evil/x%22%3E%3Cscript%3E",
            "https://github.com/evil/x y",
            "https://github.com/../x",
            "https://gitlab.com/evil/x'onmouseover=1",
        ] {
            assert_eq!(t.code_repository(url), None, "{url}");
        }
        assert_eq!(
            t.code_repository(&format!("https://github.com/o/{}", "r".repeat(101))),
            None
        );
        assert_eq!(
            t.code_repository("https://git.sr.ht/~sircmpwn/hare")
                .as_deref(),
            Some("https://git.sr.ht/~sircmpwn/hare")
        );
        assert_eq!(
            t.code_repository("https://github.com/deepseek-ai/DeepSeek-V3.git")
                .as_deref(),
            Some("https://github.com/deepseek-ai/DeepSeek-V3")
        );
        assert_eq!(
            t.code_repository("https://huggingface.co/spaces/org/demo/blob/main/app.py")
                .as_deref(),
            Some("https://huggingface.co/spaces/org/demo")
        );
    }

    #[test]
    fn sections_links_and_code_kinds() {
        let t = tables();
        assert_eq!(
            t.section_kinds("### Preprocessing [optional]"),
            ["preprocessing"]
        );
        assert_eq!(t.section_kinds("## 4. Evaluation Results"), ["evaluation"]);
        assert_eq!(t.section_kinds("#### Testing Data"), ["evaluation-data"]);
        assert_eq!(t.section_kinds("Datasheet"), ["datasheet"]);
        assert_eq!(
            t.link_kinds("datasheet", "https://arxiv.org/abs/2201.07311"),
            ["datasheet"]
        );
        assert_eq!(
            t.link_kinds("report", "https://example.com/Technical_Report.pdf"),
            ["technical-report"]
        );
        assert_eq!(
            t.code_kinds(&fold("Core repo (training, inference, fine-tuning etc.)")),
            ["training", "inference"]
        );
        assert_eq!(t.code_kinds(&fold("Evaluation code: x")), ["evaluation"]);
        assert!(t.code_kinds(&fold("constraint solver")).is_empty());
    }

    #[test]
    fn papers_checkpoints_and_code_licenses() {
        let t = tables();
        assert!(t.paper_host("https://openreview.net/forum?id=abc"));
        assert!(t.paper_host("https://doi.org/10.18653/v1/2020.acl-main.1"));
        assert!(!t.paper_host("https://doi.org/10.57967/hf/1234"));
        assert!(t.paper_pdf(
            "https://github.com/a/b/blob/main/R1.pdf",
            &fold("Paper Link")
        ));
        assert!(!t.paper_pdf("https://github.com/a/b/blob/main/logo.pdf", &fold("logo")));
        for branch in [
            "step1000",
            "step143000",
            "step1000-tokens4B",
            "stage1-step5",
            "ckpt_10",
        ] {
            assert!(t.intermediate_checkpoint(branch), "{branch}");
        }
        for branch in ["main", "stepfun", "refs/pr/1", "v1.0", "tokens"] {
            assert!(!t.intermediate_checkpoint(branch), "{branch}");
        }
        assert_eq!(
            t.hub_dataset("https://huggingface.co/datasets/allenai/dolma")
                .as_deref(),
            Some("allenai/dolma")
        );
        assert_eq!(
            t.hub_dataset("https://huggingface.co/datasets/wikipedia/viewer/en")
                .as_deref(),
            Some("wikipedia")
        );
        assert_eq!(
            t.hub_dataset("https://huggingface.co/allenai/OLMo-7B"),
            None
        );
        assert!(t.code_license_file("LICENSE-CODE"));
        assert!(t.code_license_file("license_code.md"));
        assert!(!t.code_license_file("LICENSE"));
        assert!(!t.code_license_file("sub/LICENSE-CODE"));
        for (path, role) in [
            ("LICENSE", TextRole::Model),
            ("LICENSE.md", TextRole::Model),
            ("LICENSE-MODEL", TextRole::Model),
            ("original/LICENSE", TextRole::Model),
            ("LICENSE-CODE", TextRole::Code),
            ("NOTICE.txt", TextRole::Notice),
            ("original/NOTICE", TextRole::Notice),
            ("USE_POLICY.md", TextRole::Policy),
            ("Acceptable_Use_Policy.md", TextRole::Policy),
            ("ACCEPTABLE_USE.txt", TextRole::Policy),
        ] {
            assert_eq!(t.license_role(path), role, "{path}");
        }
        assert!(t.code_license_statement(&fold(
            "This code repository and the model weights are licensed under the MIT License."
        )));
        assert!(!t.code_license_statement(&fold("The weights are licensed under MIT.")));
    }
}
