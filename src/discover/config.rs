//! YAML, JSON and TOML: the values of model keys, line by line.

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
