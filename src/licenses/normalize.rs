//! The normal form signatures are matched in (`docs/licenses.md`, "Signatures"): lowercase
//! letters and digits, every other run of characters one space — so re-wrapping, Markdown,
//! HTML, code fences and changed punctuation do not matter.
//!
//! Beyond that fold:
//! - HTML tags (`<p>`, `</strong>`, `<br/>`) and character references (`&quot;`, `&#8217;`)
//!   are separators, so a phrase split by inline markup still matches;
//! - letters outside ASCII are kept (lowercased), so Chinese texts have signatures too, and a
//!   line break between two CJK characters is dropped (Chinese is written without spaces, so
//!   a hard wrap must not split a word).

/// A text in the signatures' normal form, with the line each byte came from.
pub struct Normalized {
    pub text: String,
    lines: Vec<u32>,
}

impl Normalized {
    /// The 1-based line of the original text that the normalised byte `offset` came from.
    pub fn line_at(&self, offset: usize) -> u32 {
        self.lines.get(offset).copied().unwrap_or(1)
    }
}

/// Folds `text` to the normal form.
pub fn normalize(text: &str) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut lines = Vec::with_capacity(text.len());
    let mut line = 1u32;
    let mut pending_space = false;
    let mut previous_cjk = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
                lines.push(line);
            }
            pending_space = false;
            previous_cjk = false;
            out.push(b.to_ascii_lowercase() as char);
            lines.push(line);
            i += 1;
            continue;
        }
        if b < 0x80 {
            if b == b'\n' {
                line += 1;
            }
            let skip = match b {
                b'<' => markup_tag(&bytes[i..]),
                b'&' => char_reference(&bytes[i..]),
                _ => 0,
            };
            if skip > 0 {
                line += bytes[i..i + skip].iter().filter(|&&c| c == b'\n').count() as u32;
                i += skip;
            } else {
                i += 1;
            }
            pending_space = true;
            continue;
        }
        // A non-ASCII character: `i` is at a char boundary (everything before was whole).
        let c = text[i..].chars().next().expect("a char at a boundary");
        i += c.len_utf8();
        if !c.is_alphanumeric() {
            pending_space = true;
            continue;
        }
        let cjk = is_cjk(c);
        if pending_space && !out.is_empty() && !(cjk && previous_cjk) {
            out.push(' ');
            lines.push(line);
        }
        pending_space = false;
        previous_cjk = cjk;
        for lower in c.to_lowercase() {
            let start = out.len();
            out.push(lower);
            lines.resize(lines.len() + out.len() - start, line);
        }
    }
    Normalized { text: out, lines }
}

/// The length of an HTML tag starting at `s[0] == b'<'` (`<p>`, `</a>`, `<br/>`,
/// `<a href="…">`, `<!-- … -->`), or 0 when `<` does not open a tag (`a < b`, `<year>`
/// placeholders are tags too, which is harmless: they are not words of a license).
fn markup_tag(s: &[u8]) -> usize {
    const LONGEST: usize = 400;
    let opens = match s.get(1) {
        Some(c) if c.is_ascii_alphabetic() => true,
        Some(b'/') | Some(b'!') => true,
        _ => false,
    };
    if !opens {
        return 0;
    }
    s.iter()
        .take(LONGEST)
        .position(|&c| c == b'>')
        .map_or(0, |end| end + 1)
}

/// The length of a character reference starting at `s[0] == b'&'` (`&amp;`, `&#8217;`,
/// `&#x2019;`), or 0.
fn char_reference(s: &[u8]) -> usize {
    const LONGEST: usize = 10;
    let body = &s[1..s.len().min(LONGEST)];
    let Some(end) = body.iter().position(|&c| c == b';') else {
        return 0;
    };
    let name = &body[..end];
    let valid = match name.first() {
        Some(b'#') => name.len() > 1 && name[1..].iter().all(|c| c.is_ascii_alphanumeric()),
        Some(_) => name.iter().all(|c| c.is_ascii_alphabetic()),
        None => false,
    };
    if valid { end + 2 } else { 0 }
}

/// Han, kana and hangul: scripts written without spaces between words.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF
        | 0x20000..=0x2FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_markup_and_wrapping() {
        assert_eq!(
            normalize("**LLAMA 3.1**\r\n  Community — License").text,
            "llama 3 1 community license"
        );
        let n = normalize("a\n\nb c");
        assert_eq!(n.line_at(2), 3);
    }

    #[test]
    fn html_tags_and_references_are_separators() {
        assert_eq!(
            normalize("<p>THE SOFTWARE IS PROVIDED &quot;AS IS&quot;, <strong>WITHOUT</strong> WARRANTY</p>").text,
            "the software is provided as is without warranty"
        );
        assert_eq!(
            normalize("Licensor&#8217;s rights &amp; duties").text,
            "licensor s rights duties"
        );
        // Not markup: comparison signs, a bare ampersand.
        assert_eq!(normalize("a < b & c > d").text, "a b c d");
        let n = normalize("<a\nhref=\"x\">\nword");
        assert_eq!(n.text, "word");
        assert_eq!(n.line_at(0), 3);
    }

    #[test]
    fn chinese_keeps_its_characters_and_ignores_hard_wraps() {
        assert_eq!(
            normalize("XVERSE 大模型许可\n协议").text,
            "xverse 大模型许可协议"
        );
        assert_eq!(normalize("Ünïcode Licence").text, "ünïcode licence");
    }
}
