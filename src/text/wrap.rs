//! Word wrapping for the plain lines around tables: a line longer than the width breaks at
//! spaces only, so a URL or an id is never cut in two (a word longer than the line keeps a line
//! of its own), and continuation lines are indented under the text they continue.

/// `text` broken into lines of at most `width` characters where its words allow, every line
/// after the first indented by `hanging` spaces. Counts characters, not display columns.
pub fn wrap(text: &str, width: usize, hanging: usize) -> Vec<String> {
    if visible_len(text) <= width {
        return vec![text.to_owned()];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    let mut length = 0;
    // Each word with the spaces before it: the spacing of the first line (aligned labels) is
    // kept; at a break the spaces go and the hanging indent comes.
    let mut rest = text;
    while !rest.is_empty() {
        let word_start = rest.len() - rest.trim_start_matches(' ').len();
        let word_end = rest[word_start..]
            .find(' ')
            .map_or(rest.len(), |i| word_start + i);
        let (spaces, word) = (&rest[..word_start], &rest[word_start..word_end]);
        rest = &rest[word_end..];
        let size = visible_len(word);
        let has_word = !line.trim().is_empty();
        if has_word && length + spaces.len() + size > width {
            lines.push(std::mem::take(&mut line));
            line = " ".repeat(hanging);
            length = hanging;
        } else {
            line.push_str(spaces);
            length += spaces.len();
        }
        line.push_str(word);
        length += size;
    }
    if !line.trim().is_empty() {
        lines.push(line);
    }
    lines
}

/// Characters a terminal shows: SGR colour sequences (`ESC [ … m`) take no room.
fn visible_len(text: &str) -> usize {
    let mut count = 0;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn breaks_at_spaces_with_a_hanging_indent() {
        assert_eq!(
            wrap("  license     one two three four", 20, 14),
            [
                "  license     one",
                "              two",
                "              three",
                "              four"
            ]
        );
        assert_eq!(wrap("short", 20, 4), ["short"]);
        assert_eq!(
            wrap("  duties      attribution, naming", 27, 14),
            ["  duties      attribution,", "              naming"]
        );
    }

    #[test]
    fn colour_takes_no_room() {
        let red = "\u{1b}[31mwarning\u{1b}[0m";
        assert_eq!(
            wrap(&format!("    {red} abc"), 15, 6),
            [format!("    {red} abc")]
        );
    }

    #[test]
    fn never_cuts_a_url() {
        let url = "https://huggingface.co/meta-llama/Llama-3.1-8B-Instruct/blob/main/LICENSE";
        let lines = wrap(&format!("    see {url} now"), 30, 6);
        assert_eq!(lines, ["    see", &format!("      {url}"), "      now"]);
    }
}
