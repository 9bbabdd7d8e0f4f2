//! Discovery (`openness check --scan PATH`, `openness init --scan PATH`): the Hub models a
//! codebase uses, each with its file and line. It gathers facts and judges nothing: what a
//! found model must meet is the policy's business. False positives are worse than misses, so a
//! string counts only when it is a valid `org/name` Hub id in a recognised context:
//!
//! - Python: the model argument of `from_pretrained`, `SentenceTransformer`, `CrossEncoder`,
//!   `snapshot_download`, `hf_hub_download` (not with another `repo_type`) and `pipeline`
//!   (`model=`, or the second positional argument) — a plain string literal, outside comments and
//!   docstrings;
//! - Rust files that use `hf_hub`: `api.model("…")`, `Repo::model("…")`, and `Repo::new` /
//!   `Repo::with_revision` with `RepoType::Model`, on a literal (optionally `.to_string()`,
//!   `.to_owned()`, `.into()` or `String::from`);
//! - YAML, JSON and TOML: the value of a key named `model`, `model_name`, `model_id`,
//!   `model_name_or_path`, `pretrained_model_name_or_path` or `base_model` (or its kebab-case
//!   spelling), a string or a list of strings.
//!
//! A value is not a Hub id when it names a file or folder that exists beside the source (a local
//! checkpoint), ends with a file extension, has a segment without a letter, or uses a
//! placeholder owner (`your-org/…`). The walk skips what git ignores (`.gitignore`,
//! `.git/info/exclude`), `target`, `node_modules`, virtual environments and every hidden folder,
//! follows no symbolic link, and reads no file larger than 1 MiB or that is not UTF-8 text, up to
//! a depth and a file count.

use crate::hub::RepoId;
use std::path::{Path, PathBuf};

mod code;
mod config;

/// Where a model was found.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The file, as the scan root joined with the path under it (`/` separators).
    pub file: String,
    pub line: usize,
    pub id: RepoId,
    /// The construct it was found in (`from_pretrained`, `model:`…).
    pub context: String,
}

/// Bounds of a walk.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_depth: usize,
    pub max_file_bytes: u64,
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 12,
            max_file_bytes: 1024 * 1024,
            max_files: 20_000,
        }
    }
}

/// The result of a walk.
#[derive(Clone, Debug, Default)]
pub struct Scan {
    pub found: Vec<Found>,
    /// Source files read.
    pub files: usize,
    /// Files skipped: too large, binary, not UTF-8, or unreadable.
    pub skipped: usize,
    /// The walk stopped at the file-count or depth limit.
    pub truncated: bool,
}

/// Folder names never entered (besides every hidden folder).
const SKIP_DIRS: &[&str] = &[
    "target",
    "node_modules",
    "__pycache__",
    "venv",
    "env",
    "site-packages",
    "dist-packages",
    "build",
    "dist",
];

/// Owners used in examples and templates, never real dependencies.
const PLACEHOLDER_OWNERS: &[&str] = &[
    "your-username",
    "your_username",
    "yourusername",
    "username",
    "user",
    "your-org",
    "your_org",
    "your-name",
    "yourname",
    "my-username",
    "my-org",
    "org",
    "organization",
    "namespace",
    "owner",
    "example",
];

const FILE_EXTENSIONS: &[&str] = &[
    "json",
    "bin",
    "pt",
    "pth",
    "ckpt",
    "safetensors",
    "gguf",
    "onnx",
    "yaml",
    "yml",
    "txt",
    "py",
    "h5",
    "msgpack",
    "zip",
    "tar",
    "gz",
    "pkl",
    "npz",
    "csv",
    "md",
];

/// A scan root that cannot be read. The error names the path.
#[derive(Debug, thiserror::Error)]
#[error("cannot scan: {error}")]
pub struct ScanError {
    pub path: PathBuf,
    pub error: std::io::Error,
}

/// Walks `root` (a folder or one file).
pub fn scan(root: &Path, limits: &Limits) -> Result<Scan, ScanError> {
    let meta = fs_err::metadata(root).map_err(|error| ScanError {
        path: root.to_path_buf(),
        error,
    })?;
    let mut scan = Scan::default();
    if meta.is_file() {
        scan_file(
            root,
            root.parent().unwrap_or(Path::new(".")),
            limits,
            &mut scan,
        );
    } else {
        walk(root, limits, &mut scan);
    }
    scan.found.sort();
    scan.found.dedup();
    Ok(scan)
}

/// The walk, with the `ignore` crate: what git ignores (`.gitignore` files, `.git/info/exclude`)
/// is not read, nor hidden folders and [`SKIP_DIRS`]; no link is followed. Entries come in name
/// order, so the file limit cuts the same files every time. The user's global git excludes are
/// not read: the same tree gives the same models on every machine.
fn walk(root: &Path, limits: &Limits, scan: &mut Scan) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .git_ignore(true)
        .git_exclude(true)
        .parents(true)
        .follow_links(false)
        .max_depth(Some(limits.max_depth + 1))
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|entry| {
            let name = entry.file_name().to_str().unwrap_or("");
            let dir = entry.file_type().is_some_and(|t| t.is_dir());
            entry.depth() == 0 || !dir || !(name.starts_with('.') || SKIP_DIRS.contains(&name))
        })
        .build();
    for entry in walker {
        if scan.files >= limits.max_files {
            scan.truncated = true;
            return;
        }
        let Ok(entry) = entry else {
            scan.skipped += 1;
            continue;
        };
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            // A folder at the depth limit is listed but not entered.
            if entry.depth() > limits.max_depth {
                scan.truncated = true;
            }
        } else if kind.is_file() && kind_of(entry.path()).is_some() {
            match entry.metadata() {
                Ok(meta) if meta.len() <= limits.max_file_bytes => {
                    scan_file(entry.path(), root, limits, scan);
                }
                _ => scan.skipped += 1,
            }
        }
    }
}

fn scan_file(path: &Path, root: &Path, limits: &Limits, scan: &mut Scan) {
    let Some(kind) = kind_of(path) else { return };
    // Regular files only: a FIFO named like a manifest must not block the scan.
    let bytes = match crate::config::read::read_bytes(path, limits.max_file_bytes) {
        Ok(bytes) => bytes,
        _ => {
            scan.skipped += 1;
            return;
        }
    };
    if bytes.iter().take(8192).any(|&b| b == 0) {
        scan.skipped += 1;
        return;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        scan.skipped += 1;
        return;
    };
    scan.files += 1;
    let dir = path.parent().unwrap_or(Path::new("."));
    let exists = |value: &str| dir.join(value).exists() || root.join(value).exists();
    let file = display_path(path);
    for (id, line, context) in scan_text(kind, &text, &exists) {
        scan.found.push(Found {
            file: file.clone(),
            line,
            id,
            context,
        });
    }
}

/// A path with `/` separators and no leading `./`.
fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut text = text.as_str();
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    text.to_owned()
}

/// The languages discovery reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Python,
    Rust,
    Yaml,
    Json,
    Toml,
}

pub fn kind_of(path: &Path) -> Option<Kind> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "py" => Kind::Python,
        "rs" => Kind::Rust,
        "yaml" | "yml" => Kind::Yaml,
        "json" => Kind::Json,
        "toml" => Kind::Toml,
        _ => return None,
    })
}

/// The Hub ids a source text names in a recognised context: (id, line, context). `exists` says
/// whether a value names a local path.
pub fn scan_text(
    kind: Kind,
    text: &str,
    exists: &dyn Fn(&str) -> bool,
) -> Vec<(RepoId, usize, String)> {
    let raw = match kind {
        Kind::Python => code::python(text),
        Kind::Rust => code::rust(text),
        Kind::Yaml | Kind::Json | Kind::Toml => config::scan(kind, text),
    };
    raw.into_iter()
        .filter_map(|(value, offset, context)| {
            let id = hub_id(&value, exists)?;
            Some((id, line_at(text, offset), context))
        })
        .collect()
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// `value` when it is a Hub model id in `org/name` form and not a local path or a placeholder.
pub fn hub_id(value: &str, exists: &dyn Fn(&str) -> bool) -> Option<RepoId> {
    let value = value.trim();
    let (owner, name) = value.split_once('/')?;
    let id = RepoId::parse(value).ok()?;
    if owner.is_empty() || name.is_empty() || name.contains('/') {
        return None;
    }
    let has_letter = |s: &str| s.chars().any(|c| c.is_ascii_alphabetic());
    if !has_letter(owner) || !has_letter(name) {
        return None;
    }
    if PLACEHOLDER_OWNERS.contains(&owner.to_ascii_lowercase().as_str()) {
        return None;
    }
    if let Some((_, ext)) = name.rsplit_once('.')
        && FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
    {
        return None;
    }
    if exists(value) {
        return None;
    }
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(kind: Kind, text: &str) -> Vec<(String, usize)> {
        scan_text(kind, text, &|v| v == "checkpoints/final")
            .into_iter()
            .map(|(id, line, _)| (id.to_string(), line))
            .collect()
    }

    fn found(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(id, l)| ((*id).to_owned(), *l)).collect()
    }

    #[test]
    fn python_calls() {
        let text = r#"
from transformers import AutoModel, pipeline
model = AutoModel.from_pretrained("deepseek-ai/DeepSeek-R1", trust_remote_code=True)
tok = AutoTokenizer.from_pretrained(
    pretrained_model_name_or_path='Qwen/Qwen2.5-7B-Instruct',
)
pipe = pipeline("text-generation", model="meta-llama/Llama-3.1-8B-Instruct")
pipe2 = pipeline("summarization", "facebook/bart-large-cnn")
path = hf_hub_download(repo_id="black-forest-labs/FLUX.1-dev", filename="ae.safetensors")
emb = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")
snapshot_download("allenai/OLMo-7B", revision="main")
# not these:
# AutoModel.from_pretrained("commented/out-model")
data = snapshot_download(repo_id="allenai/dolma", repo_type="dataset")
local = AutoModel.from_pretrained("checkpoints/final")
fmt = AutoModel.from_pretrained(f"{org}/model")
weights = AutoModel.from_pretrained("weights/model.safetensors")
placeholder = AutoModel.from_pretrained("your-username/my-model")
var = AutoModel.from_pretrained(model_id)
concat = AutoModel.from_pretrained("org-a/" + name)
text = "from_pretrained('not/a-call')"
def f():
    """Example: AutoModel.from_pretrained("docstring/model")"""
    my_from_pretrained("other/function")
"#;
        assert_eq!(
            ids(Kind::Python, text),
            found(&[
                ("deepseek-ai/DeepSeek-R1", 3),
                ("Qwen/Qwen2.5-7B-Instruct", 5),
                ("sentence-transformers/all-MiniLM-L6-v2", 10),
                ("allenai/OLMo-7B", 11),
                ("black-forest-labs/FLUX.1-dev", 9),
                ("meta-llama/Llama-3.1-8B-Instruct", 7),
                ("facebook/bart-large-cnn", 8),
            ])
        );
    }

    #[test]
    fn rust_hf_hub_calls() {
        let text = r##"
use hf_hub::{api::sync::Api, Repo, RepoType};
fn main() {
    let api = Api::new().unwrap();
    let repo = api.model("bert-org/bert-base-uncased".to_string());
    let r = Repo::new("mistralai/Mistral-7B-v0.1".into(), RepoType::Model);
    let d = Repo::new("allenai/dolma".into(), RepoType::Dataset);
    let w = Repo::with_revision(String::from("Qwen/Qwen2-0.5B"), RepoType::Model, "main".into());
    let m = Repo::model(r#"google/gemma-2b"#.to_owned());
    // api.model("commented/model".to_string());
    let s = "api.model(\"in/string\")";
    let lifetime: &'static str = "x";
    other.remodel("not/this");
}
"##;
        assert_eq!(
            ids(Kind::Rust, text),
            found(&[
                ("google/gemma-2b", 9),
                ("mistralai/Mistral-7B-v0.1", 6),
                ("Qwen/Qwen2-0.5B", 8),
                ("bert-org/bert-base-uncased", 5),
            ])
        );
        assert!(
            ids(Kind::Rust, "fn f() { x.model(\"a-org/b\".to_string()); }").is_empty(),
            "no hf_hub"
        );
    }

    #[test]
    fn config_files() {
        let yaml = "\
model: deepseek-ai/DeepSeek-R1
training:
  base_model: \"meta-llama/Llama-3.1-8B\"   # the base
  model_name: 'Qwen/Qwen2.5-7B-Instruct'
  output_dir: outputs/run-1
  dataset: allenai/dolma
  model_id: checkpoints/final
base-model:
  - mistralai/Mistral-7B-v0.1
  - google/gemma-2b
tokenizer: gpt2
# model: commented/out
description: uses model org-a/name in prose
";
        assert_eq!(
            ids(Kind::Yaml, yaml),
            found(&[
                ("deepseek-ai/DeepSeek-R1", 1),
                ("meta-llama/Llama-3.1-8B", 3),
                ("Qwen/Qwen2.5-7B-Instruct", 4),
                ("mistralai/Mistral-7B-v0.1", 9),
                ("google/gemma-2b", 10),
            ])
        );
        let json = r#"{
  "model": "deepseek-ai/DeepSeek-R1", "dataset": "allenai/dolma",
  "_name_or_path": "some/other",
  "base_model": ["meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-7B"],
  "model_name": "not an id"
}"#;
        assert_eq!(
            ids(Kind::Json, json),
            found(&[
                ("deepseek-ai/DeepSeek-R1", 2),
                ("meta-llama/Llama-3.1-8B", 4),
                ("Qwen/Qwen2.5-7B", 4),
            ])
        );
        let toml = "[embedding]\nmodel = \"BAAI/bge-small-en-v1.5\"\nsupermodel = \"x-org/y\"\n# model = \"c/d\"\nbase_model = ['a-org/b']\n";
        assert_eq!(
            ids(Kind::Toml, toml),
            found(&[("BAAI/bge-small-en-v1.5", 2), ("a-org/b", 5)])
        );
    }

    #[test]
    fn the_walk_skips_what_git_ignores_hidden_folders_and_build_output() {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, id: &str| {
            let path = dir.path().join(path);
            fs_err::create_dir_all(path.parent().unwrap()).unwrap();
            fs_err::write(path, format!("m = AutoModel.from_pretrained(\"{id}\")\n")).unwrap();
        };
        fs_err::create_dir_all(dir.path().join(".git/info")).unwrap();
        fs_err::write(dir.path().join(".gitignore"), "generated/\n*.local.py\n").unwrap();
        fs_err::write(dir.path().join(".git/info/exclude"), "scratch.py\n").unwrap();
        write("app.py", "acme/used");
        write("src/deep/lib.py", "acme/also-used");
        write("generated/x.py", "acme/generated");
        write("notes.local.py", "acme/local");
        write("scratch.py", "acme/scratch");
        write(".venv-old/y.py", "acme/hidden");
        write("node_modules/z.py", "acme/vendored");
        let scan = scan(dir.path(), &Limits::default()).unwrap();
        let ids: Vec<&str> = scan.found.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(ids, ["acme/used", "acme/also-used"]);
        assert_eq!(scan.files, 2);
        assert!(!scan.truncated);
        let shallow = Limits {
            max_depth: 1,
            ..Limits::default()
        };
        let cut = super::scan(dir.path(), &shallow).unwrap();
        assert!(cut.truncated, "src/deep is below the depth limit");
        assert_eq!(cut.found.len(), 1);
    }

    #[test]
    fn hub_ids_are_strict() {
        let never = |_: &str| false;
        assert!(hub_id("deepseek-ai/DeepSeek-R1", &never).is_some());
        for bad in [
            "gpt2",
            "a/b/c",
            "org name/x",
            "./x/y",
            "/abs/path",
            "1/2",
            "x/model.bin",
            "org/model",
            "a--b/c",
            "-a/b",
        ] {
            assert!(hub_id(bad, &never).is_none(), "{bad}");
        }
    }
}
