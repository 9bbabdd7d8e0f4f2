//! Making network-supplied text safe for a terminal: no control characters, no escape sequences
//! (which could move the cursor, rewrite the screen, or hide a link), one line.

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
            '\n' | '\r' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            // Bidirectional overrides can reorder what a reader sees.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
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
}
