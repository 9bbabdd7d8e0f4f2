//! Discovery (`openness check --scan PATH`): the Hub models a codebase uses, each with its file
//! and line. False positives are worse than misses, so a string counts only when it is a valid
//! `org/name` Hub id in a recognised context:
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
//! placeholder owner (`your-org/…`). The walk skips `.git`, `target`, `node_modules`, virtual
//! environments and every hidden folder, follows no symbolic link, and reads no file larger than
//! 1 MiB or that is not UTF-8 text, up to a depth and a file count.

use crate::hub::RepoId;
use std::path::{Path, PathBuf};

/// Where a model was found.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// The file, as the scan root joined with the path under it (`/` separators).
    pub file: String,
    pub line: usize,
    pub id: String,
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

/// Walks `root` (a folder or one file).
pub fn scan(root: &Path, limits: &Limits) -> Result<Scan, String> {
    let meta =
        std::fs::metadata(root).map_err(|e| format!("cannot scan {}: {e}", root.display()))?;
    let mut scan = Scan::default();
    if meta.is_file() {
        scan_file(
            root,
            root.parent().unwrap_or(Path::new(".")),
            limits,
            &mut scan,
        );
    } else {
        walk(root, root, 0, limits, &mut scan);
    }
    scan.found.sort();
    scan.found.dedup();
    Ok(scan)
}

fn walk(root: &Path, dir: &Path, depth: usize, limits: &Limits, scan: &mut Scan) {
    if depth > limits.max_depth {
        scan.truncated = true;
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        scan.skipped += 1;
        return;
    };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if scan.files >= limits.max_files {
            scan.truncated = true;
            return;
        }
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if meta.is_dir() {
            if name.starts_with('.') || SKIP_DIRS.contains(&name) {
                continue;
            }
            walk(root, &path, depth + 1, limits, scan);
        } else if meta.is_file() && kind_of(&path).is_some() {
            if meta.len() > limits.max_file_bytes {
                scan.skipped += 1;
                continue;
            }
            scan_file(&path, root, limits, scan);
        }
    }
}

fn scan_file(path: &Path, root: &Path, limits: &Limits, scan: &mut Scan) {
    let Some(kind) = kind_of(path) else { return };
    let bytes = match std::fs::read(path) {
        Ok(bytes) if bytes.len() as u64 <= limits.max_file_bytes => bytes,
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
) -> Vec<(String, usize, String)> {
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
pub fn hub_id(value: &str, exists: &dyn Fn(&str) -> bool) -> Option<String> {
    let value = value.trim();
    let (owner, name) = value.split_once('/')?;
    RepoId::parse(value).ok()?;
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
    Some(value.to_owned())
}

/// Python and Rust: a lexer that blanks comments and strings, then calls found in what is left.
mod code {
    /// A string literal: its byte range (prefix and quotes included) and its value.
    #[derive(Debug)]
    struct Literal {
        start: usize,
        end: usize,
        value: String,
        /// No prefix that makes it something else than a plain string (f-string, bytes).
        plain: bool,
    }

    /// The text with comments and literals blanked (same byte offsets), and the literals.
    struct Lexed {
        code: Vec<u8>,
        literals: Vec<Literal>,
    }

    fn blank(code: &mut [u8], from: usize, to: usize) {
        for b in &mut code[from..to] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }

    fn lex_python(text: &str) -> Lexed {
        let bytes = text.as_bytes();
        let mut code = bytes.to_vec();
        let mut literals = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'#' {
                let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                blank(&mut code, i, end);
                i = end;
                continue;
            }
            // A string, with an optional prefix of letters directly before the quote.
            if b == b'"' || b == b'\'' {
                let mut start = i;
                while start > 0 && bytes[start - 1].is_ascii_alphabetic() && i - start < 2 {
                    start -= 1;
                }
                let prefix = text[start..i].to_ascii_lowercase();
                let is_prefix = prefix.chars().all(|c| "rbuf".contains(c))
                    && (start == 0 || !is_ident(bytes[start - 1]));
                let start = if is_prefix { start } else { i };
                let prefix = if is_prefix { prefix } else { String::new() };
                let raw = prefix.contains('r');
                let triple = bytes[i..].starts_with(&[b, b, b]);
                let quote_len = if triple { 3 } else { 1 };
                let mut j = i + quote_len;
                let mut value = Vec::new();
                let mut closed = false;
                while j < bytes.len() {
                    if bytes[j] == b'\\' && j + 1 < bytes.len() {
                        if raw {
                            value.extend_from_slice(&bytes[j..j + 2]);
                        } else {
                            value.push(bytes[j + 1]);
                        }
                        j += 2;
                        continue;
                    }
                    if !triple && bytes[j] == b'\n' {
                        break;
                    }
                    if bytes[j] == b && (!triple || bytes[j..].starts_with(&[b, b, b])) {
                        j += quote_len;
                        closed = true;
                        break;
                    }
                    value.push(bytes[j]);
                    j += 1;
                }
                blank(&mut code, start, j);
                literals.push(Literal {
                    start,
                    end: j,
                    value: String::from_utf8_lossy(&value).into_owned(),
                    plain: closed && !prefix.contains('f') && !prefix.contains('b') && !triple,
                });
                i = j;
                continue;
            }
            i += 1;
        }
        Lexed { code, literals }
    }

    fn lex_rust(text: &str) -> Lexed {
        let bytes = text.as_bytes();
        let mut code = bytes.to_vec();
        let mut literals = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            let rest = &bytes[i..];
            if rest.starts_with(b"//") {
                let end = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                blank(&mut code, i, end);
                i = end;
                continue;
            }
            if rest.starts_with(b"/*") {
                let mut depth = 0;
                let mut j = i;
                while j < bytes.len() {
                    if bytes[j..].starts_with(b"/*") {
                        depth += 1;
                        j += 2;
                    } else if bytes[j..].starts_with(b"*/") {
                        depth -= 1;
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                blank(&mut code, i, j);
                i = j;
                continue;
            }
            // Raw strings: r"…", r#"…"#, br"…".
            let raw_start = if rest.starts_with(b"br") {
                2
            } else if rest.starts_with(b"r") {
                1
            } else {
                0
            };
            if raw_start > 0 && (i == 0 || !is_ident(bytes[i - 1])) {
                let hashes = rest[raw_start..].iter().take_while(|&&c| c == b'#').count();
                if rest.get(raw_start + hashes) == Some(&b'"') {
                    let open = i + raw_start + hashes + 1;
                    let mut close = Vec::from(&b"\""[..]);
                    close.extend(std::iter::repeat_n(b'#', hashes));
                    let end = bytes[open..]
                        .windows(close.len())
                        .position(|w| w == close.as_slice())
                        .map_or(bytes.len(), |p| open + p);
                    let after = (end + close.len()).min(bytes.len());
                    literals.push(Literal {
                        start: i,
                        end: after,
                        value: String::from_utf8_lossy(&bytes[open..end]).into_owned(),
                        plain: raw_start == 1,
                    });
                    blank(&mut code, i, after);
                    i = after;
                    continue;
                }
            }
            if bytes[i] == b'"' {
                let byte_string =
                    i > 0 && bytes[i - 1] == b'b' && (i < 2 || !is_ident(bytes[i - 2]));
                let start = if byte_string { i - 1 } else { i };
                let mut j = i + 1;
                let mut value = Vec::new();
                while j < bytes.len() && bytes[j] != b'"' {
                    if bytes[j] == b'\\' && j + 1 < bytes.len() {
                        value.push(bytes[j + 1]);
                        j += 2;
                        continue;
                    }
                    value.push(bytes[j]);
                    j += 1;
                }
                let end = (j + 1).min(bytes.len());
                literals.push(Literal {
                    start,
                    end,
                    value: String::from_utf8_lossy(&value).into_owned(),
                    plain: !byte_string,
                });
                blank(&mut code, start, end);
                i = end;
                continue;
            }
            if bytes[i] == b'\'' {
                // A char literal ('x', '\n', '\u{..}'); otherwise a lifetime.
                let close = if rest.get(1) == Some(&b'\\') {
                    bytes[i + 2..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .map(|p| i + 2 + p)
                } else {
                    let ch_len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (bytes.get(i + 1 + ch_len) == Some(&b'\'')).then_some(i + 1 + ch_len)
                };
                if let Some(close) = close {
                    blank(&mut code, i, close + 1);
                    i = close + 1;
                    continue;
                }
            }
            i += 1;
        }
        Lexed { code, literals }
    }

    fn is_ident(b: u8) -> bool {
        b.is_ascii_alphanumeric() || b == b'_'
    }

    /// One argument of a call: its byte range in the text, and its keyword when it has one.
    struct Arg {
        keyword: Option<String>,
        start: usize,
        end: usize,
    }

    /// The arguments of the call whose `(` is at `open`, split at top-level commas.
    fn arguments(code: &[u8], open: usize) -> Vec<Arg> {
        let mut args = Vec::new();
        let mut depth = 0usize;
        let mut start = open + 1;
        let mut i = open;
        while i < code.len() {
            match code[i] {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        args.push(arg(code, start, i));
                        break;
                    }
                }
                b',' if depth == 1 => {
                    args.push(arg(code, start, i));
                    start = i + 1;
                }
                _ => {}
            }
            i += 1;
        }
        args
    }

    fn arg(code: &[u8], start: usize, end: usize) -> Arg {
        let text = String::from_utf8_lossy(&code[start..end]);
        // `name = value` (not `==`), with `name` an identifier.
        if let Some(eq) = text.find('=') {
            let name = text[..eq].trim();
            let after = text.as_bytes().get(eq + 1);
            let before = eq.checked_sub(1).map(|p| text.as_bytes()[p]);
            if !name.is_empty()
                && name.bytes().all(is_ident)
                && after != Some(&b'=')
                && !matches!(before, Some(b'!' | b'<' | b'>' | b'='))
            {
                return Arg {
                    keyword: Some(name.to_owned()),
                    start: start + eq + 1,
                    end,
                };
            }
        }
        Arg {
            keyword: None,
            start,
            end,
        }
    }

    /// The value of an argument when it is exactly one plain string literal, allowing what
    /// `allowed_rest` accepts around it (whitespace removed).
    fn literal_value<'l>(
        lexed: &'l Lexed,
        arg: &Arg,
        allowed_rest: &[&str],
    ) -> Option<&'l Literal> {
        let inside: Vec<&Literal> = lexed
            .literals
            .iter()
            .filter(|l| l.start >= arg.start && l.end <= arg.end)
            .collect();
        let [literal] = inside.as_slice() else {
            return None;
        };
        let rest: String = String::from_utf8_lossy(&lexed.code[arg.start..arg.end])
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        (literal.plain && allowed_rest.contains(&rest.as_str())).then_some(*literal)
    }

    /// Every `name(` in the code (not inside a longer identifier), with the offset of `(`.
    fn calls(code: &[u8], name: &str, method_only: bool) -> Vec<usize> {
        let mut out = Vec::new();
        let text = String::from_utf8_lossy(code);
        let mut from = 0;
        while let Some(pos) = text[from..].find(name) {
            let at = from + pos;
            from = at + name.len();
            let before = at.checked_sub(1).map(|p| code[p]);
            let first = name.as_bytes()[0];
            if is_ident(first) && before.is_some_and(is_ident) {
                continue;
            }
            if method_only && before != Some(b'.') {
                continue;
            }
            let mut open = at + name.len();
            while open < code.len() && (code[open] == b' ' || code[open] == b'\t') {
                open += 1;
            }
            if code.get(open) == Some(&b'(') {
                out.push(open);
            }
        }
        out
    }

    /// (function, positional index of the model, its keywords)
    const PYTHON_CALLS: &[(&str, Option<usize>, &[&str])] = &[
        (
            "from_pretrained",
            Some(0),
            &["pretrained_model_name_or_path"],
        ),
        ("SentenceTransformer", Some(0), &["model_name_or_path"]),
        (
            "CrossEncoder",
            Some(0),
            &["model_name", "model_name_or_path"],
        ),
        ("snapshot_download", Some(0), &["repo_id"]),
        ("hf_hub_download", Some(0), &["repo_id"]),
        ("pipeline", Some(1), &["model"]),
    ];

    pub fn python(text: &str) -> Vec<(String, usize, String)> {
        let lexed = lex_python(text);
        let mut out = Vec::new();
        for (name, position, keywords) in PYTHON_CALLS {
            for open in calls(&lexed.code, name, false) {
                let args = arguments(&lexed.code, open);
                // Datasets and Spaces are not models.
                if let Some(repo_type) = args
                    .iter()
                    .find(|a| a.keyword.as_deref() == Some("repo_type"))
                {
                    match literal_value(&lexed, repo_type, &[""]) {
                        Some(l) if l.value == "model" => {}
                        _ => continue,
                    }
                }
                let keyword = args
                    .iter()
                    .find(|a| a.keyword.as_deref().is_some_and(|k| keywords.contains(&k)));
                let positional =
                    position.and_then(|p| args.iter().take_while(|a| a.keyword.is_none()).nth(p));
                for arg in keyword.into_iter().chain(positional) {
                    if let Some(literal) = literal_value(&lexed, arg, &[""]) {
                        out.push((literal.value.clone(), literal.start, format!("{name}()")));
                    }
                }
            }
        }
        out
    }

    const RUST_WRAPPERS: &[&str] = &[
        "",
        ".to_string()",
        ".to_owned()",
        ".into()",
        "String::from()",
    ];

    pub fn rust(text: &str) -> Vec<(String, usize, String)> {
        let lexed = lex_rust(text);
        let code = String::from_utf8_lossy(&lexed.code);
        if !code.contains("hf_hub") {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut first_literal = |open: usize, context: &str, needs_model_type: bool| {
            let args = arguments(&lexed.code, open);
            if needs_model_type
                && !args.iter().skip(1).any(|a| {
                    String::from_utf8_lossy(&lexed.code[a.start..a.end]).contains("RepoType::Model")
                })
            {
                return;
            }
            if let Some(first) = args.first()
                && first.keyword.is_none()
                && let Some(literal) = literal_value(&lexed, first, RUST_WRAPPERS)
            {
                out.push((literal.value.clone(), literal.start, context.to_owned()));
            }
        };
        for open in calls(&lexed.code, "Repo::model", false) {
            first_literal(open, "Repo::model()", false);
        }
        for open in calls(&lexed.code, "Repo::new", false) {
            first_literal(open, "Repo::new()", true);
        }
        for open in calls(&lexed.code, "Repo::with_revision", false) {
            first_literal(open, "Repo::with_revision()", true);
        }
        for open in calls(&lexed.code, "model", true) {
            // `Repo::model(` is matched above; `.model(` is the hf-hub Api method.
            first_literal(open, ".model()", false);
        }
        out
    }
}

/// YAML, JSON and TOML: values of model keys, line by line.
mod config {
    use super::Kind;

    const KEYS: &[&str] = &[
        "model",
        "model_name",
        "model_id",
        "model_name_or_path",
        "pretrained_model_name_or_path",
        "base_model",
        "model-name",
        "model-id",
        "base-model",
    ];

    /// (value, byte offset of the value, context).
    pub fn scan(kind: Kind, text: &str) -> Vec<(String, usize, String)> {
        let mut out = Vec::new();
        let mut offset = 0;
        // YAML: a model key with no value on its line, whose list items follow.
        let mut list_key: Option<(String, usize)> = None;
        for line in text.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let body = line.trim_end_matches(['\n', '\r']);
            match kind {
                Kind::Yaml => yaml_line(body, start, &mut list_key, &mut out),
                Kind::Json => pairs(body, start, ':', true, &mut out),
                Kind::Toml => {
                    if !body.trim_start().starts_with('#') && !body.trim_start().starts_with('[') {
                        pairs(body, start, '=', false, &mut out);
                    }
                }
                Kind::Python | Kind::Rust => {}
            }
        }
        out
    }

    fn indent(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }

    /// Cuts a YAML comment (` #…` outside quotes).
    fn strip_comment(line: &str) -> &str {
        let mut quote: Option<char> = None;
        let mut prev = ' ';
        for (i, c) in line.char_indices() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '"' || c == '\'' => quote = Some(c),
                None if c == '#' && prev.is_whitespace() => return &line[..i],
                None => {}
            }
            prev = c;
        }
        line
    }

    fn yaml_line(
        line: &str,
        start: usize,
        list_key: &mut Option<(String, usize)>,
        out: &mut Vec<(String, usize, String)>,
    ) {
        let code = strip_comment(line);
        if code.trim().is_empty() {
            return;
        }
        let ind = indent(code);
        let trimmed = code.trim_start();
        if let Some((key, key_indent)) = list_key.clone() {
            if let Some(item) = trimmed.strip_prefix("- ")
                && ind >= key_indent
            {
                let at = start + ind + 2 + (item.len() - item.trim_start().len());
                if let Some(value) = scalar(item.trim()) {
                    out.push((value, at, format!("{key}:")));
                }
                return;
            }
            *list_key = None;
        }
        let entry = trimmed.strip_prefix("- ").unwrap_or(trimmed);
        let entry_at = start + (code.len() - entry.len());
        let Some(colon) = entry
            .find(": ")
            .or_else(|| entry.ends_with(':').then(|| entry.len() - 1))
        else {
            return;
        };
        let key = entry[..colon].trim().trim_matches(['"', '\'']);
        if !KEYS.contains(&key) {
            return;
        }
        let raw = &entry[colon + 1..];
        let value = raw.trim();
        let at = entry_at + colon + 1 + (raw.len() - raw.trim_start().len());
        if value.is_empty() {
            *list_key = Some((key.to_owned(), ind));
        } else if let Some(items) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            for item in items.split(',') {
                if let Some(v) = scalar(item.trim()) {
                    out.push((v, at, format!("{key}:")));
                }
            }
        } else if let Some(v) = scalar(value) {
            out.push((v, at, format!("{key}:")));
        }
    }

    /// A YAML scalar: quoted, or plain (no spaces, no flow or anchor syntax).
    fn scalar(value: &str) -> Option<String> {
        for q in ['"', '\''] {
            if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
                return Some(inner.to_owned());
            }
        }
        let plain = !value.is_empty()
            && !value.contains(char::is_whitespace)
            && !value.starts_with(['&', '*', '!', '{', '[', '|', '>', '@', '`']);
        plain.then(|| value.to_owned())
    }

    /// `"key": "value"` (JSON) or `key = "value"` (TOML) pairs on one line, and arrays of
    /// strings on the same line.
    fn pairs(
        line: &str,
        start: usize,
        separator: char,
        quoted_key: bool,
        out: &mut Vec<(String, usize, String)>,
    ) {
        for key in KEYS {
            let patterns: Vec<String> = if quoted_key {
                vec![format!("\"{key}\"")]
            } else {
                vec![(*key).to_owned(), format!("\"{key}\"")]
            };
            for pattern in patterns {
                let mut from = 0;
                while let Some(pos) = line[from..].find(&pattern) {
                    let at = from + pos;
                    from = at + pattern.len();
                    let before = line[..at].chars().next_back();
                    if !quoted_key && !line[..at].trim().is_empty() {
                        continue; // TOML keys start the line
                    }
                    if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                        continue;
                    }
                    let rest = &line[from..];
                    let Some(after_sep) = rest.trim_start().strip_prefix(separator) else {
                        continue;
                    };
                    let value_at = line.len() - after_sep.trim_start().len();
                    strings(after_sep.trim_start(), start + value_at, key, out);
                }
            }
        }
    }

    /// A string, or an array of strings, at the start of `text`.
    fn strings(text: &str, at: usize, key: &str, out: &mut Vec<(String, usize, String)>) {
        let (body, base) = match text.strip_prefix('[') {
            Some(inner) => (inner.split(']').next().unwrap_or(""), at + 1),
            None => (text, at),
        };
        let single = !text.starts_with('[');
        let mut rest = body;
        let mut offset = base;
        loop {
            let trimmed = rest.trim_start_matches([' ', ',']);
            offset += rest.len() - trimmed.len();
            let Some(q) = trimmed.chars().next().filter(|c| *c == '"' || *c == '\'') else {
                return;
            };
            let Some(end) = trimmed[1..].find(q) else {
                return;
            };
            out.push((trimmed[1..1 + end].to_owned(), offset, key.to_owned()));
            if single {
                return;
            }
            rest = &trimmed[end + 2..];
            offset += end + 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(kind: Kind, text: &str) -> Vec<(String, usize)> {
        scan_text(kind, text, &|v| v == "checkpoints/final")
            .into_iter()
            .map(|(id, line, _)| (id, line))
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
