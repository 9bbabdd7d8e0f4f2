//! The structure of a model card's Markdown: its sections and its links, with line numbers.

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
}

#[derive(Debug, Default)]
pub struct Card {
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
}

/// Parses `body`, whose first line is line `first_line` of the file.
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
            Event::Start(Tag::Link { dest_url, .. }) => {
                link = Some((dest_url.into_string(), range.start, String::new()))
            }
            Event::End(TagEnd::Link) => {
                if let Some((url, start, text)) = link.take() {
                    card.links.push(Link {
                        url,
                        text: text.trim().to_owned(),
                        line: line_of(start),
                        section: section_starts.len().checked_sub(1),
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
    for (offset, url) in bare_urls(body) {
        if !card.links.iter().any(|l| l.url == url) {
            let section = section_starts
                .partition_point(|&s| s <= offset)
                .checked_sub(1);
            card.links.push(Link {
                url: url.to_owned(),
                text: String::new(),
                line: line_of(offset),
                section,
            });
        }
    }
    card.links.sort_by_key(|l| l.line);
    card
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

/// `http(s)://` URLs in plain text, with their byte offsets.
fn bare_urls(body: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut search_from = 0;
    while let Some(found) = body[search_from..].find("http") {
        let start = search_from + found;
        let rest = &body[start..];
        if rest.starts_with("https://") || rest.starts_with("http://") {
            let end = rest
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, ')' | ']' | '>' | '<' | '"' | '\'' | '`' | '|')
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
}
