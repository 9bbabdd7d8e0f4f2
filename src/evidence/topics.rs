//! The standard model-card topics (`data/card-topics.toml`), each present only **with
//! substance**: a section holding only a template placeholder does not count.
//!
//! A topic is found under a Markdown heading, or under a pseudo-heading (a bold label line, a
//! bullet with a bold label, the first cell of a two-column table row). The reading is one pass
//! over the lines, linear in the card's size.

use super::facts::Evidence;
use super::keys;
use super::provenance::Provenance;
use super::recognition::fold;
use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/card-topics.toml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CardTopics {
    pub substance: Substance,
    pub placeholders: Placeholders,
    pub topics: Vec<TopicRule>,
    pub core: Core,
    pub base_model_statements: Phrases,
    pub data_sharing: DataSharing,
    pub checkpoint_statements: CheckpointStatements,
    pub delta_weights: Phrases,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Substance {
    pub min_words: usize,
    pub min_table_rows: usize,
    pub numbers: bool,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Placeholders {
    pub exact: Vec<String>,
    pub contains: Vec<String>,
    pub template_guidance: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TopicRule {
    pub id: String,
    pub description: String,
    #[serde(default)]
    pub exact: Vec<String>,
    #[serde(default)]
    pub contains: Vec<String>,
    #[serde(default)]
    pub labels: Vec<String>,
    #[serde(default)]
    pub vocabulary: Vec<String>,
    #[serde(default)]
    pub min_vocabulary: usize,
    /// Code blocks count as substance for this topic (hyperparameter listings).
    #[serde(default)]
    pub code_counts: bool,
}

#[derive(Debug, Deserialize)]
pub struct Core {
    pub topics: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct CheckpointStatements {
    pub phrases: Vec<String>,
    pub cues: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Phrases {
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DataSharing {
    pub withheld: Vec<String>,
    pub published: Vec<String>,
    pub not_training_topics: Vec<String>,
    pub not_training_datasets: Vec<String>,
}

/// The embedded table, checked by a unit test.
pub fn table() -> &'static CardTopics {
    static TABLE: OnceLock<CardTopics> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(SOURCE).expect("data/card-topics.toml is valid (tested)"))
}

/// One heading or label of the card, with the text it introduces.
#[derive(Debug, Clone)]
pub struct Block {
    /// The heading or label, folded.
    pub title: String,
    /// 1-based file line.
    pub line: u32,
    /// Heading level 1–6; labels are 7 (below every heading).
    pub level: u8,
    /// The text up to the next heading (a heading) or the next label or heading (a label),
    /// without code blocks and comments.
    pub prose: String,
    /// The code blocks inside that text.
    pub code: String,
    /// Markdown table body rows in the text.
    pub table_rows: usize,
    /// Bullet or table lines carrying a number ("32 layers", "| lr | 1e-5 |").
    pub number_lines: usize,
}

/// A topic the card covers, where, and how much it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: String,
    pub line: u32,
    /// Words of substance (placeholders, guidance and links removed).
    pub words: usize,
}

/// What the card covers.
#[derive(Debug, Default)]
pub struct Reading {
    /// Topics with substance, first occurrence each, in topic-table order.
    pub topics: Vec<Topic>,
    /// Topics whose every occurrence holds only placeholders, with the first line.
    pub placeholders: Vec<(String, u32)>,
    /// Words of prose in the whole card (code, comments, placeholders and URLs aside).
    pub prose_words: usize,
    /// The blocks, for readers of a topic's text (hardware, papers, data).
    pub blocks: Vec<Block>,
    /// Topic ids of each block (same index as `blocks`).
    pub block_topics: Vec<Vec<usize>>,
    /// For each block, the last heading block at or before it: [`Reading::topics_at`] in
    /// O(log n), where a walk over the blocks made a card of many links quadratic.
    heading_at: Vec<usize>,
}

impl Reading {
    pub fn has(&self, topic: &str) -> bool {
        self.topics.iter().any(|t| t.id == topic)
    }

    /// The blocks that introduce `topic` (with or without substance), with their indices.
    pub fn blocks_of<'a>(&'a self, topic: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        let table = table();
        let index = table.topics.iter().position(|t| t.id == topic);
        self.blocks
            .iter()
            .zip(&self.block_topics)
            .filter(move |(_, ids)| index.is_some_and(|i| ids.contains(&i)))
            .map(|(block, _)| block)
    }

    /// The topics of the block at `line`'s position: the last heading block and the last
    /// label block at or before `line` (a sentence under "## Hardware" or after
    /// "**Hardware:**").
    pub fn topics_at(&self, line: u32) -> Vec<&str> {
        let table = table();
        let mut out = Vec::new();
        // Blocks come in file order, so their lines never decrease.
        let (heading, label) = match self.blocks.partition_point(|b| b.line <= line) {
            0 => (None, None),
            n if self.blocks[n - 1].level == LABEL_LEVEL => {
                (self.heading_before(n - 1), Some(n - 1))
            }
            n => (Some(n - 1), None),
        };
        for i in [heading, label].into_iter().flatten() {
            for &t in &self.block_topics[i] {
                out.push(table.topics[t].id.as_str());
            }
        }
        out
    }
}

impl Reading {
    /// The last heading block at or before block `i`.
    fn heading_before(&self, i: usize) -> Option<usize> {
        if self.heading_at.len() == self.blocks.len() {
            return Some(self.heading_at[i]).filter(|&h| self.blocks[h].level != LABEL_LEVEL);
        }
        (0..=i).rev().find(|&h| self.blocks[h].level != LABEL_LEVEL)
    }

    /// The label block starting at `line`, if any.
    pub fn label_at(&self, line: u32) -> Option<&Block> {
        let first = self.blocks.partition_point(|b| b.line < line);
        self.blocks[first..]
            .iter()
            .take_while(|b| b.line == line)
            .find(|b| b.level == LABEL_LEVEL)
    }
}

pub const LABEL_LEVEL: u8 = 7;

/// The `card.*` topic facts, each with the line that established it.
pub(super) fn collect(reading: &Reading, ev: &mut Evidence) {
    let at = |line: Option<u32>| Provenance::file("README.md", line);
    let lines = |topics: &[&Topic]| -> Vec<Provenance> {
        if topics.is_empty() {
            vec![at(None)]
        } else {
            topics.iter().map(|t| at(Some(t.line))).collect()
        }
    };
    let all: Vec<&Topic> = reading.topics.iter().collect();
    let core: Vec<&Topic> = reading
        .topics
        .iter()
        .filter(|t| table().core.topics.contains(&t.id))
        .collect();
    ev.set_from(
        keys::CARD_TOPICS,
        all.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        lines(&all),
    );
    ev.set_from(
        keys::CARD_CORE_TOPICS,
        core.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        lines(&core),
    );
    let placeholders: Vec<String> = reading
        .placeholders
        .iter()
        .map(|(t, _)| t.clone())
        .collect();
    let placeholder_lines: Vec<Provenance> = if reading.placeholders.is_empty() {
        vec![at(None)]
    } else {
        reading
            .placeholders
            .iter()
            .map(|(_, l)| at(Some(*l)))
            .collect()
    };
    ev.set_from(keys::CARD_PLACEHOLDERS, placeholders, placeholder_lines);
    ev.set(keys::CARD_PROSE_WORDS, reading.prose_words as i64, at(None));
}

/// Reads the card body (`first_line` is the file line of its first line).
pub fn read(body: &str, first_line: u32) -> Reading {
    let table = table();
    let blocks = blocks(body, first_line);
    let mut reading = Reading::default();
    let mut substance_of: Vec<Option<(u32, usize)>> = vec![None; table.topics.len()];
    let mut placeholder_of: Vec<Option<u32>> = vec![None; table.topics.len()];
    for (i, block) in blocks.iter().enumerate() {
        let text = substantive_text(&block.prose);
        let words = text.split_whitespace().count();
        if block.level != LABEL_LEVEL {
            reading.prose_words += words;
        }
        let mut ids = topics_of(block);
        // A details section that uses the architecture vocabulary describes the architecture.
        if let Some(arch) = table.topics.iter().position(|t| !t.vocabulary.is_empty())
            && !ids.contains(&arch)
            && vocabulary_hits(&table.topics[arch], &fold(&text))
                >= table.topics[arch].min_vocabulary
            && (block.level <= 2 || ids.iter().any(|&t| table.topics[t].id == "model-details"))
        {
            ids.push(arch);
        }
        let substance = words >= table.substance.min_words
            || (table.substance.numbers && block.number_lines > 0)
            || block.table_rows >= table.substance.min_table_rows
            || (block.level == LABEL_LEVEL && words >= 1 && has_digit_or_name(&text));
        for &t in &ids {
            let code_counts = table.topics[t].code_counts && !block.code.trim().is_empty();
            if substance || code_counts {
                substance_of[t].get_or_insert((block.line, words));
            } else if !block.prose.trim().is_empty() {
                placeholder_of[t].get_or_insert(block.line);
            }
        }
        reading.block_topics.push(ids);
        let _ = i;
    }
    for (t, rule) in table.topics.iter().enumerate() {
        match (substance_of[t], placeholder_of[t]) {
            (Some((line, words)), _) => reading.topics.push(Topic {
                id: rule.id.clone(),
                line,
                words,
            }),
            (None, Some(line)) => reading.placeholders.push((rule.id.clone(), line)),
            (None, None) => {}
        }
    }
    let mut last_heading = 0;
    reading.heading_at = blocks
        .iter()
        .enumerate()
        .map(|(i, b)| {
            if b.level != LABEL_LEVEL {
                last_heading = i;
            }
            last_heading
        })
        .collect();
    reading.blocks = blocks;
    reading
}

/// A label's value counts when it is a name or a number ("**Model type:** Transformer",
/// "**Hardware:** 8 x A100"), not a placeholder.
fn has_digit_or_name(text: &str) -> bool {
    text.chars().any(|c| c.is_alphanumeric())
}

fn vocabulary_hits(rule: &TopicRule, folded: &str) -> usize {
    let padded = format!(" {folded} ");
    let words = table()
        .topics
        .iter()
        .position(|t| std::ptr::eq(t, rule))
        .map(|t| prepared().vocabulary[t].as_slice());
    match words {
        Some(words) => words.iter().filter(|w| padded.contains(w.as_str())).count(),
        None => rule
            .vocabulary
            .iter()
            .filter(|w| padded.contains(&format!(" {w} ")))
            .count(),
    }
}

/// The topic indices a block's title introduces.
fn topics_of(block: &Block) -> Vec<usize> {
    let table = table();
    let title = strip_numbering(&block.title);
    if title.is_empty() {
        return Vec::new();
    }
    if block.level == LABEL_LEVEL {
        return (0..table.topics.len())
            .filter(|&t| table.topics[t].labels.iter().any(|l| *l == title))
            .collect();
    }
    let exact: Vec<usize> = (0..table.topics.len())
        .filter(|&t| table.topics[t].exact.iter().any(|e| *e == title))
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    let padded = format!(" {title} ");
    let contains = &prepared().contains;
    (0..table.topics.len())
        .filter(|&t| contains[t].iter().any(|c| padded.contains(c.as_str())))
        .collect()
}

/// "3 1 training data" → "training data"; "step 2" stays.
pub(super) fn strip_numbering(title: &str) -> &str {
    let mut rest = title;
    while let Some((first, tail)) = rest.split_once(' ') {
        if first.chars().all(|c| c.is_ascii_digit()) || first.len() == 1 {
            rest = tail;
        } else {
            break;
        }
    }
    rest
}

/// The phrases of the table, folded or padded once (per line and per block they were folded
/// again, a heavy constant on a card of many short blocks).
struct Prepared {
    placeholders_exact: Vec<String>,
    /// For each topic, `" {contains}"` for each of its phrases.
    contains: Vec<Vec<String>>,
    /// For each topic, `" {word} "` for each word of its vocabulary.
    vocabulary: Vec<Vec<String>>,
}

fn prepared() -> &'static Prepared {
    static PREPARED: OnceLock<Prepared> = OnceLock::new();
    PREPARED.get_or_init(|| {
        let table = table();
        Prepared {
            placeholders_exact: table.placeholders.exact.iter().map(|e| fold(e)).collect(),
            contains: table
                .topics
                .iter()
                .map(|t| t.contains.iter().map(|c| format!(" {c}")).collect())
                .collect(),
            vocabulary: table
                .topics
                .iter()
                .map(|t| t.vocabulary.iter().map(|w| format!(" {w} ")).collect())
                .collect(),
        }
    })
}

/// The text without placeholder lines, template guidance, URLs and Markdown punctuation.
pub fn substantive_text(prose: &str) -> String {
    let p = &table().placeholders;
    let exact = &prepared().placeholders_exact;
    let mut out = String::new();
    for line in prose.lines() {
        let folded = fold(&strip_urls(line));
        if folded.is_empty() || exact.contains(&folded) {
            continue;
        }
        let lower = line.to_lowercase();
        if p.contains.iter().any(|c| lower.contains(c.as_str()))
            || p.template_guidance
                .iter()
                .any(|g| folded.contains(g.as_str()))
        {
            continue;
        }
        out.push_str(&folded);
        out.push(' ');
    }
    out
}

/// The line without `http(s)://…` runs and image syntax (a link's text stays).
fn strip_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("http") {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        if tail.starts_with("https://") || tail.starts_with("http://") {
            let end = tail
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | ']' | '>' | '"' | '\''))
                .unwrap_or(tail.len());
            rest = &tail[end..];
        } else {
            out.push_str("http");
            rest = &tail[4..];
        }
    }
    out.push_str(rest);
    out
}

/// Splits the body into heading and label blocks, one pass over the lines.
pub fn blocks(body: &str, first_line: u32) -> Vec<Block> {
    let mut blocks: Vec<Block> = vec![Block {
        title: String::new(),
        line: first_line,
        level: 1,
        prose: String::new(),
        code: String::new(),
        table_rows: 0,
        number_lines: 0,
    }];
    // The open heading block and the open label block (indices into `blocks`).
    let mut heading = 0usize;
    let mut label: Option<usize> = None;
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    for (index, raw) in body.lines().enumerate() {
        let line_no = first_line.saturating_add(index as u32);
        let line = raw.trim();
        if let Some(marker) = fence {
            if line.starts_with(marker) {
                fence = None;
            } else {
                for &i in [Some(heading), label].iter().flatten() {
                    blocks[i].code.push_str(line);
                    blocks[i].code.push('\n');
                }
            }
            continue;
        }
        if line.starts_with("```") || line.starts_with("~~~") {
            fence = Some(if line.starts_with("```") {
                "```"
            } else {
                "~~~"
            });
            continue;
        }
        let line = match strip_comments(line, &mut in_comment) {
            Some(text) => text,
            None => continue,
        };
        let line = line.trim();
        if let Some((level, title)) = heading_of(line) {
            blocks.push(new_block(fold(&title), line_no, level));
            heading = blocks.len() - 1;
            label = None;
            continue;
        }
        if let Some((title, value)) = label_of(line) {
            let mut block = new_block(fold(&title), line_no, LABEL_LEVEL);
            add_line(&mut block, &value);
            blocks.push(block);
            label = Some(blocks.len() - 1);
            add_line(&mut blocks[heading], &value);
            continue;
        }
        if line.is_empty() {
            continue;
        }
        add_line(&mut blocks[heading], line);
        if let Some(i) = label {
            add_line(&mut blocks[i], line);
        }
    }
    blocks
}

fn new_block(title: String, line: u32, level: u8) -> Block {
    Block {
        title,
        line,
        level,
        prose: String::new(),
        code: String::new(),
        table_rows: 0,
        number_lines: 0,
    }
}

fn add_line(block: &mut Block, line: &str) {
    let is_table = line.starts_with('|');
    let is_separator = is_table && line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' '));
    if is_separator {
        // The row above was the header: it is not a body row.
        block.table_rows = block.table_rows.saturating_sub(1);
        return;
    }
    if is_table {
        block.table_rows += 1;
    }
    let listed = is_table || line.starts_with(['-', '*', '+']);
    if listed && line.chars().any(|c| c.is_ascii_digit()) && !substantive_text(line).is_empty() {
        block.number_lines += 1;
    }
    block.prose.push_str(line);
    block.prose.push('\n');
}

/// The line without `<!-- … -->` comments; `None` when it is entirely inside one.
fn strip_comments<'a>(line: &'a str, in_comment: &mut bool) -> Option<std::borrow::Cow<'a, str>> {
    if !*in_comment && !line.contains("<!--") {
        return Some(line.into());
    }
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    *in_comment = false;
                    rest = &rest[end + 3..];
                }
                None => break,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(&rest[..start]);
                    *in_comment = true;
                    rest = &rest[start + 4..];
                }
                None => {
                    out.push_str(rest);
                    break;
                }
            }
        }
    }
    (!out.trim().is_empty()).then_some(out.into())
}

/// `## Title` (ATX) or `<h2>Title</h2>` (HTML on one line): level and raw title.
fn heading_of(line: &str) -> Option<(u8, String)> {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    if (1..=6).contains(&hashes) {
        let rest = &line[hashes..];
        if rest.is_empty() || rest.starts_with([' ', '\t']) {
            return Some((hashes as u8, rest.trim().trim_end_matches('#').to_owned()));
        }
    }
    let lower = line.get(..4)?.to_ascii_lowercase();
    if lower.starts_with("<h") && lower.as_bytes()[2].is_ascii_digit() {
        let level = lower.as_bytes()[2] - b'0';
        if (1..=6).contains(&level) {
            let open_end = line.find('>')?;
            let close = line.to_ascii_lowercase().find("</h")?;
            if close > open_end {
                return Some((level, strip_tags(&line[open_end + 1..close])));
            }
        }
    }
    None
}

fn strip_tags(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Longest label, in words: longer bold runs are emphasis inside prose, not labels.
const MAX_LABEL_WORDS: usize = 8;

/// A pseudo-heading: `**Label:** value`, `- **Label**: value`, `__Label:__`, `- Label: value`
/// or a table row `| Label | value |`. Returns the raw label and the value.
fn label_of(line: &str) -> Option<(String, String)> {
    let item = line
        .strip_prefix(['-', '*', '+'])
        .filter(|rest| rest.starts_with(' '))
        .map(str::trim_start);
    let text = item.unwrap_or(line);
    for marker in ["**", "__"] {
        if let Some(rest) = text.strip_prefix(marker)
            && let Some(end) = rest.find(marker)
        {
            let label = rest[..end].trim().trim_end_matches(':').trim();
            let after = rest[end + 2..].trim_start();
            let colon = rest[..end].trim_end().ends_with(':') || after.starts_with(':');
            let value = after.trim_start_matches(':').trim();
            // `**Label**` alone on a line, or a label ending with a colon.
            if (colon || after.is_empty()) && short(label) {
                return Some((label.to_owned(), value.to_owned()));
            }
        }
    }
    if item.is_some()
        && let Some((label, value)) = text.split_once(':')
        && short(label)
        && !label.contains(['[', '(', '`', '/'])
    {
        return Some((label.trim().to_owned(), value.trim().to_owned()));
    }
    if line.starts_with('|') {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() == 2 && short(cells[0]) && !cells[0].starts_with('-') {
            let label = cells[0].trim_matches(['*', '_', ' ']);
            return Some((label.to_owned(), cells[1].to_owned()));
        }
    }
    None
}

fn short(label: &str) -> bool {
    let words = label.split_whitespace().count();
    (1..=MAX_LABEL_WORDS).contains(&words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_loads() {
        let t = table();
        assert!(t.topics.iter().any(|t| t.id == "architecture"));
        for core in &t.core.topics {
            assert!(t.topics.iter().any(|t| &t.id == core), "core topic {core}");
        }
    }

    #[test]
    fn placeholders_are_not_substance() {
        let body = "# Model\n\n## Model Details\n\n- **Developed by:** [More Information Needed]\n- **Model type:** [More Information Needed]\n\n## Training Data\n\n[More Information Needed]\n\n## Evaluation\n\nWe evaluate on MMLU and GSM8K with the harness, reporting accuracy for every task in the table below and comparing to the base.\n";
        let r = read(body, 1);
        assert!(!r.has("training-data"));
        assert!(r.placeholders.iter().any(|(t, _)| t == "training-data"));
        assert!(r.has("evaluation"));
        assert!(!r.has("model-details"));
    }

    #[test]
    fn labels_and_tables_carry_topics() {
        let body = "Intro.\n\n**Hardware:** 64 x 8 x A100\n\n| Training Data | The Pile, 825 GiB of English text |\n|---|---|\n\n- **Model type:** Transformer-based decoder-only language model with rotary embeddings\n";
        let r = read(body, 5);
        assert!(r.has("hardware"), "{:?}", r.topics);
        assert!(r.has("training-data"), "{:?}", r.topics);
        assert!(r.has("model-details"), "{:?}", r.topics);
        assert!(r.has("architecture"), "{:?}", r.topics);
        assert_eq!(
            r.topics.iter().find(|t| t.id == "hardware").unwrap().line,
            7
        );
        assert!(r.topics_at(8).contains(&"hardware"));
    }

    #[test]
    fn code_and_comments_are_not_prose() {
        let body = "## Training Data\n\n<!-- This section describes the data -->\n```python\nimport torch and many words that would otherwise count as substance here\n```\n";
        let r = read(body, 1);
        assert!(!r.has("training-data"));
        assert_eq!(r.prose_words, 0);
    }
}
