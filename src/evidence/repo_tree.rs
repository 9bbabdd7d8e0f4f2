//! Reading a linked repository like a reviewer does: what its file tree holds (training,
//! fine-tuning, data-processing, evaluation, inference code) and how its code is documented
//! (README sections, documentation folders). The vocabularies are `data/code-purposes.toml`
//! (`[[purposes]].paths`, `[tree]`, `[readme]`, `[[documentation]]`, `[docs]`). Pure.

use super::card;
use super::recognition::{fold, has_word_prefix};
use crate::hub::github::TreeEntry;
use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/code-purposes.toml");

/// The purposes, in the order their evidence keys are listed.
pub const PURPOSES: &[&str] = &[
    "pretraining",
    "fine-tuning",
    "data-processing",
    "evaluation",
    "inference",
];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Vocabulary {
    purposes: Vec<PurposeSpec>,
    tree: TreeSpec,
    readme: ReadmeSpec,
    documentation: Vec<DocSpec>,
    docs: DocsSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PurposeSpec {
    id: String,
    /// For the reader of the table.
    #[serde(rename = "description")]
    _description: String,
    paths: Vec<String>,
    /// Paths that never show this purpose, though `paths` matches them (a `train_query_tool.py`
    /// in a benchmark is not training code).
    #[serde(default)]
    exclude: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct TreeSpec {
    ignore: Vec<String>,
    config_extensions: Vec<String>,
    code_extensions: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ReadmeSpec {
    min_section_bytes: usize,
}

#[derive(Debug, Deserialize)]
struct DocSpec {
    id: String,
    headings: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct DocsSpec {
    folders: Vec<String>,
    extensions: Vec<String>,
}

struct Tables {
    /// Each purpose with the patterns that show it and those that never do.
    purposes: Vec<(String, Vec<Pattern>, Vec<Pattern>)>,
    ignore: Vec<Pattern>,
    config_extensions: Vec<String>,
    code_extensions: Vec<String>,
    min_section_bytes: usize,
    documentation: Vec<(String, Vec<String>)>,
    doc_folders: Vec<Pattern>,
    doc_extensions: Vec<String>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let v: Vocabulary =
            toml::from_str(SOURCE).expect("data/code-purposes.toml is valid (tested)");
        let compile = |list: &[String]| list.iter().map(|p| Pattern::new(p)).collect();
        Tables {
            purposes: v
                .purposes
                .iter()
                .map(|p| (p.id.clone(), compile(&p.paths), compile(&p.exclude)))
                .collect(),
            ignore: compile(&v.tree.ignore),
            config_extensions: lower(&v.tree.config_extensions),
            code_extensions: lower(&v.tree.code_extensions),
            min_section_bytes: v.readme.min_section_bytes,
            documentation: v
                .documentation
                .iter()
                .map(|d| (d.id.clone(), d.headings.iter().map(|h| fold(h)).collect()))
                .collect(),
            doc_folders: compile(&v.docs.folders),
            doc_extensions: lower(&v.docs.extensions),
        }
    })
}

fn lower(list: &[String]) -> Vec<String> {
    list.iter().map(|s| s.to_ascii_lowercase()).collect()
}

/// A path pattern: `*` within a segment, `**` across segments, case-insensitive; without `/`
/// it matches a file name at any depth, with `/` (a leading one for a root file) it is
/// anchored at the root.
#[derive(Debug, Clone)]
struct Pattern {
    segments: Vec<String>,
    anchored: bool,
}

impl Pattern {
    fn new(pattern: &str) -> Pattern {
        let lower = pattern.trim().to_ascii_lowercase();
        Pattern {
            anchored: lower.contains('/'),
            segments: lower
                .trim_start_matches('/')
                .split('/')
                .map(str::to_owned)
                .collect(),
        }
    }

    fn matches(&self, segments: &[&str]) -> bool {
        if self.anchored {
            match_segments(&self.segments, segments)
        } else {
            segments
                .last()
                .is_some_and(|name| glob(self.segments[0].as_bytes(), name.as_bytes()))
        }
    }
}

fn match_segments(pattern: &[String], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((p, rest)) if p == "**" => (0..=path.len()).any(|i| match_segments(rest, &path[i..])),
        Some((p, rest)) => {
            !path.is_empty()
                && glob(p.as_bytes(), path[0].as_bytes())
                && match_segments(rest, &path[1..])
        }
    }
}

/// `*` is any run of characters within a segment, `?` one character.
fn glob(pattern: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0, 0);
    let (mut star, mut resume) = (None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some(p);
            resume = n;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            resume += 1;
            n = resume;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

fn extension(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|e| !e.is_empty())
}

/// A purpose the tree shows, with the path that proves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurposeFound {
    pub purpose: &'static str,
    /// The shallowest, shortest matching code file.
    pub path: String,
    /// Code files of this purpose in the tree.
    pub files: usize,
}

/// The purposes a tree shows: code files (by extension) whose path matches a purpose's
/// patterns, outside tests and vendored code. In [`PURPOSES`] order.
pub fn purposes(tree: &[TreeEntry]) -> Vec<PurposeFound> {
    matching(tree, &tables().code_extensions)
}

/// The first code file (by extension, outside tests and vendored code) of a tree, in path
/// order: a repository of only a README, a license, figures or a PDF holds none.
pub fn first_code_file(tree: &[TreeEntry]) -> Option<&str> {
    let t = tables();
    tree.iter()
        .filter(|entry| {
            let lower = entry.path.to_ascii_lowercase();
            let segments: Vec<&str> = lower.split('/').collect();
            let name = segments.last().copied().unwrap_or("");
            extension(name).is_some_and(|e| t.code_extensions.iter().any(|c| c == e))
                && !t.ignore.iter().any(|p| p.matches(&segments))
        })
        .map(|entry| entry.path.as_str())
        .min()
}

/// The purposes a tree's configuration files show (YAML recipes, JSON configs): a pipeline's
/// settings, not its code.
pub fn configurations(tree: &[TreeEntry]) -> Vec<PurposeFound> {
    matching(tree, &tables().config_extensions)
}

fn matching(tree: &[TreeEntry], extensions: &[String]) -> Vec<PurposeFound> {
    let t = tables();
    let mut found: Vec<Option<PurposeFound>> = vec![None; PURPOSES.len()];
    for entry in tree {
        let lower = entry.path.to_ascii_lowercase();
        let segments: Vec<&str> = lower.split('/').collect();
        let name = segments.last().copied().unwrap_or("");
        if !extension(name).is_some_and(|e| extensions.iter().any(|c| c == e)) {
            continue;
        }
        if t.ignore.iter().any(|p| p.matches(&segments)) {
            continue;
        }
        for (id, patterns, exclude) in &t.purposes {
            let Some(index) = PURPOSES.iter().position(|p| p == id) else {
                continue;
            };
            if !patterns.iter().any(|p| p.matches(&segments))
                || exclude.iter().any(|p| p.matches(&segments))
            {
                continue;
            }
            let depth = segments.len();
            match &mut found[index] {
                Some(best) => {
                    best.files += 1;
                    let best_depth = best.path.matches('/').count() + 1;
                    if (depth, entry.path.len(), &entry.path)
                        < (best_depth, best.path.len(), &best.path)
                    {
                        best.path = entry.path.clone();
                    }
                }
                slot @ None => {
                    *slot = Some(PurposeFound {
                        purpose: PURPOSES[index],
                        path: entry.path.clone(),
                        files: 1,
                    });
                }
            }
        }
    }
    found.into_iter().flatten().collect()
}

/// Documentation files in the tree's documentation folders: how many, and their bytes (when the
/// host gave sizes), and the first one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Docs {
    pub files: usize,
    pub bytes: u64,
    pub first: Option<String>,
}

pub fn docs(tree: &[TreeEntry]) -> Docs {
    let t = tables();
    let mut docs = Docs::default();
    for entry in tree {
        let lower = entry.path.to_ascii_lowercase();
        let segments: Vec<&str> = lower.split('/').collect();
        let name = segments.last().copied().unwrap_or("");
        if !extension(name).is_some_and(|e| t.doc_extensions.iter().any(|d| d == e))
            || !t.doc_folders.iter().any(|p| p.matches(&segments))
        {
            continue;
        }
        docs.files += 1;
        docs.bytes += entry.size.unwrap_or(0);
        if docs.first.as_ref().is_none_or(|f| entry.path < *f) {
            docs.first = Some(entry.path.clone());
        }
    }
    docs
}

/// A documentation topic a README covers, with the line of the heading that covers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub id: String,
    pub line: u32,
}

/// The documentation topics a (Markdown) README covers: a heading matching a topic's words
/// whose section, with its subsections, holds some text. First heading per topic.
pub fn readme_topics(readme: &str) -> Vec<Topic> {
    let t = tables();
    let parsed = card::parse(readme, 1);
    let sections = &parsed.sections;
    let mut topics: Vec<Topic> = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        // The section's size with its subsections.
        let size: usize = section.bytes
            + sections[i + 1..]
                .iter()
                .take_while(|s| s.level > section.level)
                .map(|s| s.bytes)
                .sum::<usize>();
        if size < t.min_section_bytes {
            continue;
        }
        let title = fold(&section.title);
        for (id, words) in &t.documentation {
            if topics.iter().any(|topic| topic.id == *id) {
                continue;
            }
            if words.iter().any(|w| has_word_prefix(&title, w)) {
                topics.push(Topic {
                    id: id.clone(),
                    line: section.line,
                });
            }
        }
    }
    topics
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(paths: &[&str]) -> Vec<TreeEntry> {
        paths
            .iter()
            .map(|p| TreeEntry {
                path: (*p).to_owned(),
                size: Some(100),
            })
            .collect()
    }

    #[test]
    fn globs_anchored_and_by_name() {
        let seg = |p: &str| p.split('/').map(str::to_owned).collect::<Vec<_>>();
        let m = |pattern: &str, path: &str| {
            let segs = seg(path);
            let refs: Vec<&str> = segs.iter().map(String::as_str).collect();
            Pattern::new(pattern).matches(&refs)
        };
        assert!(m("train_*.py", "src/train_model.py"));
        assert!(m("scripts/train*", "scripts/train.py"));
        assert!(!m("scripts/train*", "src/scripts/train.py"));
        assert!(m("**/trainer.py", "trainer.py"));
        assert!(m("/launch*.sh", "launch_train.sh"));
        assert!(!m("/launch*.sh", "scripts/launch_dpo.sh"));
        assert!(m("**/trainer.py", "a/b/trainer.py"));
        assert!(m("training/**", "training/arctic/lora.py"));
        assert!(m("configs/**/*train*", "configs/x/y/pretrain.yaml"));
        assert!(!m("eval/**", "olmo/eval/downstream.py"));
        assert!(glob(b"a?c*", b"abcdef"));
        assert!(!glob(b"*.py", b"x.pyc"));
    }

    #[test]
    fn a_training_repository_and_an_inference_one() {
        let olmo = tree(&[
            "README.md",
            "olmo/train.py",
            "scripts/train.py",
            "scripts/prepare_memmap_dataset.py",
            "configs/official/OLMo-7B.yaml",
            "tests/train_test.py",
            "inference/compression/dependencies/AutoGPTQ/train.py",
            "docs/Checkpoints.md",
        ]);
        let found = purposes(&olmo);
        let pretraining = found.iter().find(|p| p.purpose == "pretraining").unwrap();
        assert_eq!(pretraining.path, "olmo/train.py");
        assert_eq!(pretraining.files, 2);
        let data = found
            .iter()
            .find(|p| p.purpose == "data-processing")
            .unwrap();
        assert_eq!(data.path, "scripts/prepare_memmap_dataset.py");
        assert_eq!(docs(&olmo).files, 1);

        let serving = tree(&["generate.py", "configs/train.yaml", "model/layers.py"]);
        let found = purposes(&serving);
        assert_eq!(
            found.iter().map(|p| p.purpose).collect::<Vec<_>>(),
            vec!["inference"],
            "configuration files alone are not training code"
        );
        let configs = configurations(&serving);
        assert_eq!(configs[0].purpose, "pretraining");
        assert_eq!(configs[0].path, "configs/train.yaml");
    }

    #[test]
    fn a_benchmark_s_train_named_tool_is_not_training_code() {
        let agent = tree(&[
            "benchmark/planning/tools/train_query_tool.py",
            "benchmarks/finetune_eval.py",
            "evaluation/train_split.py",
            "qwen_agent/agent.py",
        ]);
        let found = purposes(&agent);
        assert!(
            found
                .iter()
                .all(|p| p.purpose != "pretraining" && p.purpose != "fine-tuning"),
            "{found:?}"
        );
        assert!(found.iter().any(|p| p.purpose == "evaluation"), "{found:?}");
    }

    #[test]
    fn a_repository_of_a_readme_a_license_and_a_paper_holds_no_code() {
        let paper = tree(&["README.md", "LICENSE", "figures/benchmark.jpg", "Paper.pdf"]);
        assert_eq!(first_code_file(&paper), None);
        let only_tests = tree(&["README.md", "tests/test_model.py"]);
        assert_eq!(first_code_file(&only_tests), None);
        let code = tree(&["README.md", "src/model.py", "inference/generate.py"]);
        assert_eq!(first_code_file(&code), Some("inference/generate.py"));
    }

    #[test]
    fn a_cookbook_of_fine_tuning_recipes_is_not_a_training_run() {
        let cookbook = tree(&[
            "src/cookbook/utils/train_utils.py",
            "src/cookbook/finetuning.py",
            "getting-started/finetuning/multi_node.slurm",
            "end-to-end-use-cases/multilingual/train_tokenizer.py",
            "examples/nlp/gpt/train_gpt_sft.py",
            "scripts/train_reward_model.py",
        ]);
        let found = purposes(&cookbook);
        assert!(
            found.iter().all(|p| p.purpose != "pretraining"),
            "{found:?}"
        );
        assert!(
            found.iter().any(|p| p.purpose == "fine-tuning"),
            "{found:?}"
        );
        // The run's own launch script still is.
        let run = tree(&["scripts/train.py", "src/model/train_utils.py"]);
        assert!(purposes(&run).iter().any(|p| p.purpose == "pretraining"));
    }

    #[test]
    fn readme_topics_need_a_section_with_text() {
        let readme = "# Tool\n\n## Installation\n\n```\npip install tool and a few more words to pass the size\n```\n\n## Training\n\n## Evaluation\n\nWe evaluate on many benchmarks with the harness, see the table below for every score.\n";
        let topics = readme_topics(readme);
        let ids: Vec<&str> = topics.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, vec!["installation", "evaluation"]);
        assert_eq!(topics[0].line, 3);
    }
}
