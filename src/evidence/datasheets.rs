//! The named datasets' own cards: does each document its data the way a datasheet does
//! (data/dataset-card.toml)? Reviewers open a release's datasheet parameter when its datasets
//! are documented where they are published, so the card of each named public Hub dataset is
//! read like a datasheet.

use super::facts::Evidence;
use super::findings::Finding;
use super::frontmatter;
use super::keys;
use super::provenance::Provenance;
use super::recognition::fold;
use super::topics::{self, LABEL_LEVEL};
use crate::hub::Release;
use crate::hub::related::DatasetCard;
use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/dataset-card.toml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct DatasetCardTable {
    min_topics: usize,
    topics: Vec<TopicRule>,
}

#[derive(Debug, Deserialize)]
struct TopicRule {
    id: String,
    exact: Vec<String>,
    contains: Vec<String>,
}

fn table() -> &'static DatasetCardTable {
    static TABLE: OnceLock<DatasetCardTable> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(SOURCE).expect("data/dataset-card.toml is valid (tested)"))
}

/// The datasheet topics a dataset card covers with substance, in table order.
pub fn datasheet_topics(card: &str) -> Vec<&'static str> {
    let fm = frontmatter::parse(card);
    let substance = &topics::table().substance;
    // Each heading with what it holds; labels (bold lines, two-cell table rows) under a heading
    // are part of it.
    let mut sections: Vec<(String, usize, usize, usize)> = Vec::new(); // title, words, rows, numbers
    for block in topics::blocks(fm.body, fm.body_line) {
        let words = topics::substantive_text(&block.prose)
            .split_whitespace()
            .count();
        if block.level == LABEL_LEVEL {
            if let Some(section) = sections.last_mut() {
                section.1 += words;
                section.2 += 1;
                section.3 += usize::from(block.title.chars().any(|c| c.is_ascii_digit()));
            }
            continue;
        }
        let title = topics::strip_numbering(&block.title).to_owned();
        sections.push((title, words, block.table_rows, block.number_lines));
    }
    let mut found: Vec<&'static str> = Vec::new();
    for (title, words, rows, numbers) in &sections {
        let has_substance = *words >= substance.min_words
            || *rows >= substance.min_table_rows
            || (substance.numbers && *numbers > 0);
        if !has_substance {
            continue;
        }
        for rule in &table().topics {
            if !found.contains(&rule.id.as_str()) && matches(rule, title) {
                found.push(&rule.id);
            }
        }
    }
    table()
        .topics
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| found.contains(id))
        .collect()
}

fn matches(rule: &TopicRule, folded_title: &str) -> bool {
    if rule.exact.iter().any(|e| e == folded_title) {
        return true;
    }
    let padded = format!(" {folded_title} ");
    rule.contains
        .iter()
        .any(|c| padded.contains(&format!(" {}", fold(c))))
}

/// A release that ships the EU AI Act public summary of its training content has a datasheet
/// (`data.datasheet`), whatever its card says.
pub(super) fn shipped_summary(release: &Release, ev: &mut Evidence) {
    let files = super::release_files::training_content_summaries(release);
    if let Some(first) = files.first() {
        ev.set_from(
            keys::DATA_DATASHEET,
            true,
            vec![Provenance::api("siblings"), Provenance::file(first, None)],
        );
    }
}

/// `data.datasets-documented` and `data.datasets-undocumented`, set only when at least one named
/// dataset's card was read (a card that could not be read decides nothing).
pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    let Some(lookups) = &release.related.datasets else {
        return;
    };
    let mut documented = (Vec::new(), Vec::new());
    let mut undocumented = (Vec::new(), Vec::new());
    for lookup in lookups {
        let at = Provenance::related(format!("datasets/{}", lookup.id), "README.md");
        let (list, lines) = match &lookup.card {
            Some(DatasetCard::Text(text)) if datasheet_topics(text).len() >= table().min_topics => {
                (&mut documented.0, &mut documented.1)
            }
            Some(DatasetCard::Text(_) | DatasetCard::Absent) => {
                (&mut undocumented.0, &mut undocumented.1)
            }
            Some(DatasetCard::Unread(why)) => {
                ev.findings
                    .push(Finding::dataset_card_lookup_failed(&lookup.id, why));
                continue;
            }
            Some(DatasetCard::NotCached) | None => continue,
        };
        list.push(lookup.id.clone());
        lines.push(at);
    }
    if documented.0.is_empty() && undocumented.0.is_empty() {
        return;
    }
    let or_derived = |lines: Vec<Provenance>| {
        if lines.is_empty() {
            vec![Provenance::derived("the named datasets' cards")]
        } else {
            lines
        }
    };
    ev.set_from(
        keys::DATA_DATASETS_DOCUMENTED,
        documented.0,
        or_derived(documented.1),
    );
    ev.set_from(
        keys::DATA_DATASETS_UNDOCUMENTED,
        undocumented.0,
        or_derived(undocumented.1),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_valid() {
        assert!(table().min_topics > 0);
        assert!(table().topics.iter().all(|t| !t.id.is_empty()));
    }

    #[test]
    fn a_templated_dataset_card_is_a_datasheet() {
        let card = "---\nlicense: odc-by\n---\n# Dataset Card for Corpus\n\n## Dataset Summary\n\nA corpus of three trillion tokens of web pages, books, code and papers, built for pretraining open language models.\n\n## Dataset Structure\n\n| subset | tokens |\n|---|---|\n| web | 2.3T |\n| code | 0.4T |\n\n## Source Data\n\nPages from Common Crawl snapshots 2019 to 2023, filtered for language, quality and toxicity, then deduplicated by URL and by paragraph.\n\n## Licensing Information\n\nODC-BY.\n";
        assert_eq!(
            datasheet_topics(card),
            ["motivation", "composition", "collection"]
        );
    }

    #[test]
    fn a_card_with_a_summary_and_placeholders_is_not() {
        let card = "# Dataset Card\n\n## Dataset Summary\n\nInstruction pairs collected from volunteers for chat tuning of small models in English.\n\n## Dataset Structure\n\n[More Information Needed]\n\n## Source Data\n\n[More Information Needed]\n";
        assert_eq!(datasheet_topics(card), ["motivation"]);
    }
}
