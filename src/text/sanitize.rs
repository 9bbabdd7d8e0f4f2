//! Making network-supplied text safe for each output format.
//!
//! [`terminal`] is the base of all of them: no control characters, no escape sequences (which
//! could move the cursor, rewrite the screen, or hide a link), no bidirectional overrides, one
//! line. The others add the escaping their format needs: [`markdown`], [`html`] (text and
//! attribute values), [`csv_text`] (formula injection) and [`csv_field`] (RFC 4180 quoting).

/// Returns `text` with escape sequences removed, control characters dropped and line breaks
/// turned into spaces.
pub fn terminal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 control introducers (CSI, OSC, DCS…) act like ESC on some terminals.
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => {
                skip_until_terminator(&mut chars)
            }
            // Line and paragraph separators break the line on some terminals, like `\n`.
            '\n' | '\r' | '\t' | '\u{2028}' | '\u{2029}' | '\u{85}' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c if invisible(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Characters that change what a reader sees without being seen: bidirectional overrides and
/// isolates (which reorder text), zero-width spaces and joiners, the soft hyphen, word joiners
/// and invisible operators, the BOM, interlinear annotations, fillers that render blank, and tag
/// characters. Each can make two different strings look alike (`mi\u{200b}t` as `mit`) or hide
/// part of a URL a terminal turns into a link.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{34f}'
            | '\u{61c}'
            | '\u{115f}'
            | '\u{1160}'
            | '\u{17b4}'
            | '\u{17b5}'
            | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{3164}'
            | '\u{fe00}'..='\u{fe0f}'
            | '\u{feff}'
            | '\u{ffa0}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0000}'..='\u{e0fff}'
    )
}

/// Text for a GitHub-flavoured Markdown table cell or list item: [`terminal`], then every
/// character Markdown or GFM gives a meaning inline is backslash-escaped (`|` would end a cell,
/// `<` open raw HTML, `[` a link, `` ` `` a code span, `*`/`_`/`~` emphasis, `&` an entity, `$`
/// math).
///
/// Bare URLs are no links either: GFM's autolink extension turns `https://…`, `http://…` and
/// `www.…` in plain text into links a reader can click, so the `:` of `://` and the `.` after
/// `www` are escaped, which that extension does not see through. The text reads the same.
pub fn markdown(text: &str) -> String {
    let clean = terminal(text);
    let mut out = String::with_capacity(clean.len());
    for (i, c) in clean.char_indices() {
        let autolink = (c == ':' && clean[i..].starts_with("://"))
            || (c == '.' && out.len() >= 3 && out[out.len() - 3..].eq_ignore_ascii_case("www"));
        if autolink
            || matches!(
                c,
                '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&' | '$'
            )
        {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for HTML, in element content or a quoted attribute value: [`terminal`], then `&`, `<`,
/// `>`, `"` and `'` as character references.
pub fn html(text: &str) -> String {
    html_escape(&terminal(text))
}

/// HTML escaping alone, for text that is already one clean line (or built by the renderer).
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A model-supplied CSV cell: [`terminal`], then a cell a spreadsheet would run as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`.
pub fn csv_text(text: &str) -> String {
    let clean = terminal(text);
    if clean.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{clean}")
    } else {
        clean
    }
}

/// One CSV field per RFC 4180: quoted (with `"` doubled) when it holds a comma, a quote, a line
/// break or leading/trailing spaces.
pub fn csv_field(field: &str) -> String {
    let needs_quotes =
        field.contains([',', '"', '\n', '\r']) || field.starts_with(' ') || field.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_until_final(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_until_terminator(chars);
        }
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// CSI parameters end with a byte in `@`..=`~`.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS strings end with BEL or ESC `\`.
fn skip_until_terminator(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        if c == '\u{7}' || c == '\u{9c}' {
            break;
        }
        if c == '\u{1b}' {
            if chars.peek() == Some(&'\\') {
                chars.next();
            }
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_escapes_and_controls() {
        let hostile = "evil\u{1b}]8;;http://evil.invalid\u{7}click\u{1b}]8;;\u{7} \u{1b}[2J\u{1b}[31mRED\u{1b}[0m\u{0}\nnext";
        assert_eq!(terminal(hostile), "evilclick RED next");
        assert_eq!(terminal("a\u{202e}b"), "ab");
        assert!(!terminal("\u{9b}31mX").contains('\u{9b}'));
    }

    /// Issue 14 row 16: invisible characters and line separators reached the terminal.
    #[test]
    fn invisible_characters_and_line_separators_go() {
        assert_eq!(terminal("mi\u{200b}t"), "mit");
        assert_eq!(terminal("Apa\u{ad}che\u{2060}-2.0\u{feff}"), "Apache-2.0");
        assert_eq!(terminal("a\u{2028}b\u{2029}c\u{85}d"), "a b c d");
        assert_eq!(terminal("x\u{e0041}\u{e0042}y\u{2066}z"), "xyz");
        // Visible text, emoji and other scripts stay.
        assert_eq!(terminal("Qwen 通义千问 ✓"), "Qwen 通义千问 ✓");
    }

    /// Issue 14 row 16: a bare URL in model text became a link in rendered Markdown.
    #[test]
    fn bare_urls_are_not_autolinked_in_markdown() {
        assert_eq!(
            markdown("see https://evil.example/x and WWW.evil.example"),
            "see https\\://evil.example/x and WWW\\.evil.example"
        );
        assert_eq!(markdown("http://a"), "http\\://a");
        assert_eq!(markdown("a.b www"), "a.b www");
    }

    #[test]
    fn markdown_escapes_what_gfm_would_interpret() {
        assert_eq!(
            markdown("a|b `c` <script> [x](y) *e* \u{1b}[31mred\nnext"),
            "a\\|b \\`c\\` \\<script\\> \\[x\\](y) \\*e\\* red next"
        );
        assert_eq!(
            markdown("deepseek-ai/DeepSeek-R1"),
            "deepseek-ai/DeepSeek-R1"
        );
    }

    #[test]
    fn html_escapes_text_and_attributes() {
        assert_eq!(
            html("<script>alert(1)</script> \"onmouseover='x' & \u{1b}[2J"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &quot;onmouseover=&#39;x&#39; &amp; "
        );
    }

    #[test]
    fn csv_neutralises_formulas_and_quotes() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text("+1"), "'+1");
        assert_eq!(csv_text("-1"), "'-1");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("mit"), "mit");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
