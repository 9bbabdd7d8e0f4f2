//! Python and Rust: a lexer that blanks comments and strings (keeping byte offsets), then the
//! recognised calls found in what is left, with their literal arguments.

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
            let byte_string = i > 0 && bytes[i - 1] == b'b' && (i < 2 || !is_ident(bytes[i - 2]));
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
fn literal_value<'l>(lexed: &'l Lexed, arg: &Arg, allowed_rest: &[&str]) -> Option<&'l Literal> {
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
