//! The structure of a model card's Markdown: its sections and its links, with line numbers.

use crate::limits::MAX_URL_BYTES;
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub level: u8,
    pub title: String,
    /// 1-based line of the heading in the file.
    pub line: u32,
    /// Bytes of Markdown from this heading to the next heading of any level.
    pub bytes: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    pub text: String,
    pub line: u32,
    /// Index into `Card::sections` of the section the link is in.
    pub section: Option<usize>,
    /// Byte range of the link in the body.
    pub start: usize,
    pub end: usize,
    /// The words around the link: its line, cut at the neighbouring links (bounded).
    pub context: String,
}

#[derive(Debug, Default)]
pub struct Card {
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
    /// `ends[i]` is [`Card::section_end`]`(i)`, computed once in [`parse`] so that per-link and
    /// per-section questions cost O(1) instead of a walk over the sections.
    ends: Vec<usize>,
    /// `parents[i]`: the nearest section before `i` with a lower level ([`Card::parent`]).
    parents: Vec<Option<usize>>,
}

/// Parses `body`, whose first line is line `first_line` of the file.
///
/// Linear in the size of `body` (issue 14 row 5: 150,000 links on one line took 133 s): every
/// per-link step is O(1) or O(log n) — a hash set for the bare-URL dedup, the line table for
/// line bounds, the section ends computed once.
pub fn parse(body: &str, first_line: u32) -> Card {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| -> u32 {
        let index = line_starts.partition_point(|&start| start <= offset);
        first_line + index.saturating_sub(1) as u32
    };

    let mut card = Card::default();
    let mut heading: Option<(u8, usize, String)> = None;
    let mut link: Option<(String, usize, String)> = None;
    let mut section_starts = Vec::new();
    let mut rejected: Vec<std::ops::Range<usize>> = Vec::new();

    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                heading = Some((level_number(level), range.start, String::new()))
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, start, title)) = heading.take() {
                    section_starts.push(start);
                    card.sections.push(Section {
                        level,
                        title: title.trim().to_owned(),
                        line: line_of(start),
                        bytes: 0,
                    });
                }
            }
            // Commented-out text (a template's citation block) says nothing: no bare URL in it
            // is a link.
            Event::Start(Tag::HtmlBlock)
                if body[range.clone()].trim_start().starts_with("<!--") =>
            {
                rejected.push(range);
            }
            Event::InlineHtml(html) if html.starts_with("<!--") => rejected.push(range),
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.into_string(), range.start, String::new()))
            }
            Event::End(TagEnd::Link) => {
                let Some((url, start, text)) = link.take() else {
                    continue;
                };
                if !usable_url(&url) {
                    // Nor is any URL inside it (`…/evil/x` cut at its `"`) a link.
                    rejected.push(start..range.end.max(start));
                } else {
                    card.links.push(Link {
                        url,
                        text: text.trim().to_owned(),
                        line: line_of(start),
                        section: section_starts.len().checked_sub(1),
                        start,
                        end: range.end.max(start),
                        context: String::new(),
                    });
                }
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some((_, _, title)) = heading.as_mut() {
                    title.push_str(&text);
                }
                if let Some((_, _, link_text)) = link.as_mut() {
                    link_text.push_str(&text);
                }
            }
            _ => {}
        }
    }
    for (i, start) in section_starts.iter().enumerate() {
        let end = section_starts.get(i + 1).copied().unwrap_or(body.len());
        card.sections[i].bytes = end.saturating_sub(*start);
    }
    // Bare URLs in text are links too (many cards paste them without Markdown syntax).
    let mut seen: std::collections::HashSet<String> =
        card.links.iter().map(|l| l.url.clone()).collect();
    let mut next_rejected = 0;
    for (offset, url) in bare_urls(body) {
        while rejected.get(next_rejected).is_some_and(|r| r.end <= offset) {
            next_rejected += 1;
        }
        let in_rejected = rejected
            .get(next_rejected)
            .is_some_and(|r| r.contains(&offset));
        if !in_rejected && usable_url(url) && seen.insert(url.to_owned()) {
            let section = section_starts
                .partition_point(|&s| s <= offset)
                .checked_sub(1);
            card.links.push(Link {
                url: url.to_owned(),
                text: String::new(),
                line: line_of(offset),
                section,
                start: offset,
                end: offset + url.len(),
                context: String::new(),
            });
        }
    }
    card.links.sort_by_key(|l| l.start);
    set_contexts(body, &line_starts, &mut card.links);
    (card.ends, card.parents) = section_tree(&card.sections);
    card
}

/// For each section, the index just past it and its subsections, and its parent, in one pass
/// (a stack of the sections still open).
fn section_tree(sections: &[Section]) -> (Vec<usize>, Vec<Option<usize>>) {
    let mut ends = vec![sections.len(); sections.len()];
    let mut parents = Vec::with_capacity(sections.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        while let Some(&top) = open.last() {
            if sections[top].level >= section.level {
                ends[top] = i;
                open.pop();
            } else {
                break;
            }
        }
        parents.push(open.last().copied());
        open.push(i);
    }
    (ends, parents)
}

/// Longest context kept around a link, in bytes on each side.
const CONTEXT_BYTES: usize = 300;

/// Fills each link's `context`: its line, shared with the neighbouring links on that line. The
/// words between two links are split at the first separator (`,` `;` `|` or a full stop): what
/// comes before it belongs to the first link ("[a] for training, evaluation: [b]"), the rest to
/// the second; with no separator they belong to the second ("Training: [a] Evaluation: [b]").
/// Links must be sorted by `start`; `line_starts` holds the offset of each line of `body`.
fn set_contexts(body: &str, line_starts: &[usize], links: &mut [Link]) {
    for i in 0..links.len() {
        let (start, end) = (links[i].start, links[i].end.min(body.len()));
        // The line table answers in O(log n) where a search of the text was O(line length).
        let line_start = line_starts[line_starts.partition_point(|&s| s <= start) - 1];
        let line_end = line_starts
            .get(line_starts.partition_point(|&s| s <= end))
            .map_or(body.len(), |&next| next - 1)
            .max(end);
        let mut from = line_start.max(start.saturating_sub(CONTEXT_BYTES));
        if let Some(prev) = i.checked_sub(1).map(|p| links[p].end)
            && (from..=start).contains(&prev)
        {
            from = split_point(body, prev, start);
        }
        let mut to = line_end.min(end + CONTEXT_BYTES);
        if let Some(next) = links.get(i + 1).map(|n| n.start)
            && (end..=to).contains(&next)
        {
            to = split_point(body, end, next);
        }
        let from = floor_boundary(body, from);
        // A link of megabytes (hostile cards) must not make a context of megabytes.
        let to = floor_boundary(
            body,
            to.max(end).min(from + 4 * CONTEXT_BYTES).min(body.len()),
        );
        links[i].context = body[from..to].to_owned();
    }
}

/// Where the words between two links (`body[a..b]`) divide: at the first separator, else at `a`.
fn split_point(body: &str, a: usize, b: usize) -> usize {
    let between = &body[a..b];
    between
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ',' | ';' | '|')
                || (c == '.' && between[i + 1..].starts_with(char::is_whitespace))
        })
        .map_or(a, |(i, _)| a + i)
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl Card {
    /// The index just past section `i` and its subsections (the next heading of the same or a
    /// higher level).
    pub fn section_end(&self, i: usize) -> usize {
        if self.ends.len() == self.sections.len() {
            return self.ends[i];
        }
        let level = self.sections[i].level;
        self.sections[i + 1..]
            .iter()
            .position(|s| s.level <= level)
            .map_or(self.sections.len(), |p| i + 1 + p)
    }

    /// The nearest section before `i` with a lower level: the one `i` is a subsection of.
    pub fn parent(&self, i: usize) -> Option<usize> {
        if self.parents.len() == self.sections.len() {
            return self.parents[i];
        }
        let level = self.sections[i].level;
        (0..i).rev().find(|&p| self.sections[p].level < level)
    }

    /// Bytes of section `i` with its subsections (O(number of subsections)).
    pub fn extent_bytes(&self, i: usize) -> usize {
        self.sections[i..self.section_end(i)]
            .iter()
            .map(|s| s.bytes)
            .sum()
    }

    /// True when a link in section `section` lies inside section `i` or its subsections.
    pub fn within(&self, section: Option<usize>, i: usize) -> bool {
        section.is_some_and(|s| s >= i && s < self.section_end(i))
    }
}

fn level_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// A link target that can be a URL: at most [`MAX_URL_BYTES`], and none of the characters RFC 3986
/// leaves out of URLs (spaces, controls, `"` `<` `>` `\` `^` `` ` `` `{` `|` `}`), which a
/// malformed or hostile link (`https://github.com/evil/x"><script>…`) carries. Others are not
/// evidence.
fn usable_url(url: &str) -> bool {
    url.len() <= MAX_URL_BYTES
        && !url.chars().any(|c| {
            c.is_whitespace()
                || c.is_control()
                || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
        })
}

/// `http(s)://` URLs in plain text, with their byte offsets.
fn bare_urls(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut search_from = 0;
    while let Some(found) = body[search_from..].find("http") {
        let start = search_from + found;
        let rest = &body[start..];
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let end = rest
                // Where the text around a URL resumes: a space, a closing bracket or quote, or a
                // character no URL holds (`url={https://…}` in BibTeX).
                .find(|c: char| {
                    c.is_whitespace()
                        || c.is_control()
                        || matches!(
                            c,
                            ')' | ']' | '>' | '<' | '"' | '\'' | '`' | '|' | '{' | '}' | '\\' | '^'
                        )
                })
                .unwrap_or(rest.len());
            let url = rest[..end].trim_end_matches(['.', ',', ';', ':']);
            out.push((start, url));
            search_from = start + end.max(1);
        } else {
            search_from = start + 4;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sections_links_and_lines() {
        let body = "# Model\n\nIntro [code](https://github.com/a/b).\n\n## Training Data\n\nSee https://huggingface.co/datasets/x/y.\n";
        let card = parse(body, 10);
        assert_eq!(card.sections.len(), 2);
        assert_eq!(card.sections[1].title, "Training Data");
        assert_eq!(card.sections[1].line, 14);
        assert_eq!(card.links[0].url, "https://github.com/a/b");
        assert_eq!(card.links[0].line, 12);
        assert_eq!(card.links[1].url, "https://huggingface.co/datasets/x/y");
        assert_eq!(card.links[1].section, Some(1));
    }

    #[test]
    fn commented_out_text_has_no_links() {
        let body = "# Model\n\n<!-- ## Citation\n```\n@misc{x,\n  url = {https://arxiv.org/abs/2401.00001},\n}\n```\n-->\n\nCode: https://github.com/a/b <!-- https://github.com/old/c --> and https://github.com/a/d\n";
        let card = parse(body, 1);
        let urls: Vec<&str> = card.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://github.com/a/b", "https://github.com/a/d"]);
    }

    /// Issue 14 row 16: a malformed URL is no link, so it earns no evidence.
    #[test]
    fn malformed_and_overlong_urls_are_not_links() {
        let long = format!("https://x.org/{}", "a".repeat(MAX_URL_BYTES));
        let body = format!(
            "[code](https://github.com/evil/x\"><script>alert(1)</script>) [ok](https://github.com/a/b) {long} [sp](<https://x.org/a b>)\n"
        );
        let card = parse(&body, 1);
        let urls: Vec<&str> = card.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://github.com/a/b"]);
    }

    #[test]
    fn contexts_stop_at_neighbouring_links_and_sections_nest() {
        let body = "# A\n\n## Code\n\nTraining code [here](https://github.com/a/t) for all, evaluation code: https://github.com/a/e and more\n\n### Sub\n\nTraining: [a](https://x.org/a) Eval: [b](https://x.org/b)\n\n## B\n";
        let card = parse(body, 1);
        assert_eq!(card.links.len(), 4);
        assert_eq!(
            card.links[0].context,
            "Training code [here](https://github.com/a/t) for all"
        );
        assert_eq!(
            card.links[1].context,
            ", evaluation code: https://github.com/a/e and more"
        );
        assert_eq!(card.links[2].context, "Training: [a](https://x.org/a)");
        assert_eq!(card.links[3].context, " Eval: [b](https://x.org/b)");
        assert_eq!(card.section_end(1), 3);
        assert_eq!(card.section_end(0), 4);
        assert!(card.within(Some(2), 1));
        assert!(!card.within(Some(3), 1));
        assert_eq!(
            card.extent_bytes(1),
            card.sections[1].bytes + card.sections[2].bytes
        );
    }
}
