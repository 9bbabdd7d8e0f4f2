//! Papers and reports: arXiv ids (tags and links), other paper links, a technical report.

use super::card::Card;
use super::declared::tag_values;
use super::facts::Evidence;
use super::keys;
use super::provenance::Provenance;
use super::recognition::{fold, tables};
use crate::hub::Release;
use std::collections::BTreeSet;

pub(super) fn collect(release: &Release, card: Option<&Card>, ev: &mut Evidence) {
    collect_arxiv(release, card, ev);
    if let Some(card) = card {
        collect_links(card, ev);
    }
}

fn collect_arxiv(release: &Release, card: Option<&Card>, ev: &mut Evidence) {
    let mut ids: BTreeSet<String> = tag_values(&release.info.tags, "arxiv:")
        .map(str::to_owned)
        .collect();
    let mut provenance = Vec::new();
    if !ids.is_empty() {
        provenance.push(Provenance::api("tags"));
    }
    if let Some(card) = card {
        let mut first_line = None;
        for link in &card.links {
            if let Some(id) = arxiv_id(&link.url) {
                first_line.get_or_insert(link.line);
                ids.insert(id);
            }
        }
        provenance.push(Provenance::file("README.md", first_line));
    }
    if provenance.is_empty() {
        if !release.has_api_metadata {
            return;
        }
        provenance.push(Provenance::api("tags"));
    }
    ev.set_from(
        keys::PAPER_ARXIV,
        ids.into_iter().collect::<Vec<_>>(),
        provenance,
    );
}

/// Paper links other than arXiv, and whether a technical report is linked or has a section.
fn collect_links(card: &Card, ev: &mut Evidence) {
    let table = tables();
    let mut papers: Vec<String> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut paper_lines = Vec::new();
    let mut report: Option<u32> = None;
    for link in &card.links {
        let words = fold(&format!("{} {}", link.text, link.context));
        if table
            .link_kinds(&link.text, &link.url)
            .contains(&"technical-report")
        {
            report.get_or_insert(link.line);
        }
        if arxiv_id(&link.url).is_some() {
            continue;
        }
        if (table.paper_host(&link.url) || table.paper_pdf(&link.url, &words))
            && seen.insert(&link.url)
        {
            papers.push(link.url.clone());
            paper_lines.push(Provenance::file("README.md", Some(link.line)));
        }
    }
    if paper_lines.is_empty() {
        paper_lines.push(Provenance::file("README.md", None));
    }
    ev.set_from(keys::PAPER_LINKS, papers, paper_lines);

    let section = card
        .sections
        .iter()
        .find(|s| table.section_kinds(&s.title).contains(&"technical-report"))
        .map(|s| s.line);
    match section.or(report) {
        Some(line) => ev.set(
            keys::PAPER_TECHNICAL_REPORT,
            true,
            Provenance::file("README.md", Some(line)),
        ),
        None => ev.set(
            keys::PAPER_TECHNICAL_REPORT,
            false,
            Provenance::file("README.md", None),
        ),
    }
}

/// `https://arxiv.org/abs/2307.09288v2` → `2307.09288` (also `/pdf/…` and the Hub's
/// `huggingface.co/papers/…` pages, which are keyed by arXiv id).
pub fn arxiv_id(url: &str) -> Option<String> {
    let rest = match url.split_once("arxiv.org/") {
        Some((_, rest)) => rest
            .strip_prefix("abs/")
            .or_else(|| rest.strip_prefix("pdf/"))?,
        None => url.split_once("huggingface.co/papers/")?.1,
    };
    let id: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let id = id.trim_end_matches('.').to_owned();
    let (a, b) = id.split_once('.')?;
    // YYMM.NNNNN: a month 01–12 (a template's `0000.00000` is no paper).
    let month: u8 = a.get(2..4)?.parse().ok()?;
    (a.len() == 4 && (1..=12).contains(&month) && (4..=5).contains(&b.len())).then_some(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Value;
    use crate::evidence::card;

    #[test]
    fn arxiv_ids_from_links() {
        assert_eq!(
            arxiv_id("https://arxiv.org/abs/2307.09288v2").as_deref(),
            Some("2307.09288")
        );
        assert_eq!(
            arxiv_id("https://arxiv.org/pdf/2402.00838.pdf").as_deref(),
            Some("2402.00838")
        );
        assert_eq!(
            arxiv_id("https://huggingface.co/papers/2402.00838").as_deref(),
            Some("2402.00838")
        );
        assert_eq!(arxiv_id("https://example.com/abs/1"), None);
        assert_eq!(arxiv_id("https://arxiv.org/abs/0000.00000"), None);
        assert_eq!(arxiv_id("https://arxiv.org/abs/2313.00001"), None);
    }

    #[test]
    fn paper_links_and_technical_reports() {
        let body = "# M\n\n<a href=\"https://github.com/deepseek-ai/DeepSeek-R1/blob/main/DeepSeek_R1.pdf\"><b>Paper Link</b></a>\n\nSee [our technical report](https://arxiv.org/abs/2412.15115) and [OpenReview](https://openreview.net/forum?id=x). DOI of this model: https://doi.org/10.57967/hf/1\n";
        let card = card::parse(body, 1);
        let mut ev = Evidence::default();
        collect_links(&card, &mut ev);
        assert_eq!(
            ev.value(keys::PAPER_LINKS),
            Some(&Value::List(vec![
                "https://github.com/deepseek-ai/DeepSeek-R1/blob/main/DeepSeek_R1.pdf".into(),
                "https://openreview.net/forum?id=x".into()
            ]))
        );
        assert_eq!(ev.value(keys::PAPER_TECHNICAL_REPORT), Some(&true.into()));
    }
}
