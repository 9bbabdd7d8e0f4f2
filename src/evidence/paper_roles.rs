//! Which cited papers are about this release, and which of those were peer reviewed
//! (`data/peer-review.toml`).
//!
//! A card cites many papers: its own report, the base model's, the method it builds on, the
//! optimizer, the benchmarks. The reviewers credit only the first kinds, so every paper the card
//! links or lists in a BibTeX entry gets a role from the words around it, and an `own` paper a
//! review status from its BibTeX type and venue. Nothing is guessed: a venue the card does not
//! state is not known.

use super::card::Card;
use super::facts::Evidence;
use super::keys;
use super::papers::arxiv_id;
use super::provenance::Provenance;
use super::recognition::{fold, tables};
use super::topics::Reading;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/peer-review.toml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct PeerReview {
    roles: Roles,
    bibtex: Bibtex,
    preprints: Preprints,
    dois: Dois,
    venues: Venues,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Roles {
    absent: Vec<String>,
    own_labels: Vec<String>,
    own_link_texts: Vec<String>,
    data_titles: Vec<String>,
    own: Vec<String>,
    base: Vec<String>,
    data: Vec<String>,
    basis: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Bibtex {
    reviewed_types: Vec<String>,
    journal_type: String,
    preprint_types: Vec<String>,
    paper_types: Vec<String>,
    venue_fields: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Preprints {
    names: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Dois {
    not_peer_reviewed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Venues {
    hosts: Vec<String>,
    conditional_hosts: Vec<String>,
    names: Vec<String>,
    accepted_phrases: Vec<String>,
}

fn table() -> &'static PeerReview {
    static TABLE: OnceLock<PeerReview> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(SOURCE).expect("data/peer-review.toml is valid (tested)"))
}

/// What a cited paper is to this release, weakest first (the strongest mention wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Related,
    Data,
    Basis,
    Base,
    Own,
}

/// One paper the card cites, under the identifier that joins its mentions.
#[derive(Debug)]
struct Paper {
    role: Role,
    line: u32,
    /// The venue that reviewed it, when the card states one.
    venue: Option<String>,
}

/// Who the release is, for telling its own paper from others.
pub struct Release<'a> {
    /// `owner/name`.
    pub id: &'a str,
    /// Declared base models (`owner/name`).
    pub base_models: &'a [String],
    /// Named training datasets (`owner/name`), whose papers are data papers.
    pub datasets: &'a [String],
}

pub(super) fn collect(who: &Release, card: &Card, reading: &Reading, ev: &mut Evidence) {
    let names = ReleaseNames::of(who);
    let mut papers: BTreeMap<String, Paper> = BTreeMap::new();
    let mut absent: Option<u32> = None;

    for link in &card.links {
        let words = fold(&format!("{} {}", link.text, link.context));
        let id = match arxiv_id(&link.url) {
            Some(id) => format!("arxiv:{id}"),
            None if tables().paper_host(&link.url) || tables().paper_pdf(&link.url, &words) => {
                link.url.clone()
            }
            None => continue,
        };
        let in_citation = reading.topics_at(link.line).contains(&"citation");
        let roles = &table().roles;
        let text = fold(&link.text);
        let labelled =
            label_of(reading, link.line).is_some_and(|l| roles.own_labels.iter().any(|o| o == l));
        let role = if labelled || roles.own_link_texts.contains(&text) {
            Role::Own
        } else {
            role_of(&words, &text, in_citation, &names)
        };
        let venue = venue_of_link(&link.url, &words);
        note(&mut papers, id, role, link.line, venue);
    }

    for block in &reading.blocks {
        let intro = fold(&format!("{} {}", block.title, block.prose));
        let announced = (reading.topics_at(block.line).contains(&"citation")
            || block.title == "paper")
            && has_phrase(&intro, &table().roles.absent);
        if announced && absent.is_none() {
            absent = Some(block.line);
        }
        for entry in bibtex_entries(&block.code) {
            let Some(id) = entry.identifier() else {
                continue;
            };
            // "Paper coming soon; meanwhile cite:" — an entry that names no paper stands in for one.
            if announced && entry.stands_for_itself() {
                continue;
            }
            let named = fold(&format!("{} {}", entry.key, entry.title()));
            let role = if names.base_named_in(&intro) {
                Role::Base
            } else if names.dataset_named_in(&named)
                || has_phrase(&fold(entry.title()), &table().roles.data_titles)
            {
                Role::Data
            } else if names.named_in(&named)
                || names.publisher_named_in(&named)
                || has_phrase(&intro, &table().roles.own)
            {
                Role::Own
            } else {
                role_of(&intro, "", false, &names)
            };
            note(&mut papers, id, role, block.line, entry.venue());
        }
    }

    let at = |line: Option<u32>| Provenance::file("README.md", line);
    let with = |role: &dyn Fn(Role) -> bool, reviewed: bool| {
        let chosen: Vec<(&String, &Paper)> = papers
            .iter()
            .filter(|(_, p)| role(p.role) && (!reviewed || p.venue.is_some()))
            .collect();
        let values: Vec<String> = chosen
            .iter()
            .map(|(id, p)| match (&p.venue, reviewed) {
                (Some(venue), true) => format!("{id} ({venue})"),
                _ => (*id).clone(),
            })
            .collect();
        let lines: Vec<Provenance> = if chosen.is_empty() {
            vec![at(None)]
        } else {
            chosen.iter().map(|(_, p)| at(Some(p.line))).collect()
        };
        (values, lines)
    };
    let (own, lines) = with(&|r| r == Role::Own, false);
    ev.set_from(keys::PAPER_OWN, own, lines);
    let (basis, lines) = with(&|r| matches!(r, Role::Base | Role::Basis), false);
    ev.set_from(keys::PAPER_BASIS, basis, lines);
    let (reviewed, lines) = with(&|r| r == Role::Own, true);
    ev.set_from(keys::PAPER_REVIEWED, reviewed, lines);
    ev.set(keys::PAPER_ABSENT, absent.is_some(), at(absent));
}

/// The label a line starts with ("- **Paper:** …" → `paper`).
fn label_of(reading: &Reading, line: u32) -> Option<&str> {
    reading.label_at(line).map(|b| b.title.as_str())
}

fn note(
    papers: &mut BTreeMap<String, Paper>,
    id: String,
    role: Role,
    line: u32,
    venue: Option<String>,
) {
    let paper = papers.entry(id).or_insert(Paper {
        role,
        line,
        venue: None,
    });
    if role > paper.role {
        paper.role = role;
        paper.line = line;
    }
    if paper.venue.is_none() {
        paper.venue = venue;
    }
}

/// The role the words around a mention give the paper.
fn role_of(words: &str, link_text: &str, in_citation: bool, names: &ReleaseNames) -> Role {
    let roles = &table().roles;
    if names.base_named_in(words) {
        Role::Base
    } else if names.dataset_named_in(link_text) || has_phrase(link_text, &roles.data_titles) {
        Role::Data
    } else if has_phrase(words, &roles.own)
        || names.named_in(link_text)
        || (in_citation && names.named_in(words))
    {
        Role::Own
    } else if has_phrase(words, &roles.base) {
        Role::Base
    } else if has_phrase(words, &roles.data) {
        Role::Data
    } else if has_phrase(words, &roles.basis) {
        Role::Basis
    } else {
        Role::Related
    }
}

/// The release's names as they appear in folded prose: its family (the repository name up to
/// the first size or version part) and its full name; its publisher (for BibTeX titles such
/// as "LLM360: Towards …"); the base models' and datasets' full names.
struct ReleaseNames {
    own: Vec<String>,
    publisher: String,
    base: Vec<String>,
    datasets: Vec<String>,
}

impl ReleaseNames {
    fn of(who: &Release) -> ReleaseNames {
        let (publisher, name) = who.id.rsplit_once('/').unwrap_or(("", who.id));
        let last = |id: &String| fold(id.rsplit('/').next().unwrap_or(id));
        let mut own = vec![fold(name)];
        if let Some(family) = family(name) {
            own.push(family);
        }
        let base = who
            .base_models
            .iter()
            .map(last)
            .filter(|b| !own.contains(b))
            .collect();
        let datasets = who
            .datasets
            .iter()
            .map(last)
            .filter(|d| !own.contains(d))
            .collect();
        ReleaseNames {
            own,
            publisher: fold(publisher),
            base,
            datasets,
        }
    }

    fn named_in(&self, folded: &str) -> bool {
        self.own.iter().any(|n| has_words(folded, n))
    }

    fn publisher_named_in(&self, folded: &str) -> bool {
        has_words(folded, &self.publisher)
    }

    fn base_named_in(&self, folded: &str) -> bool {
        self.base.iter().any(|n| has_words(folded, n))
    }

    fn dataset_named_in(&self, folded: &str) -> bool {
        self.datasets.iter().any(|n| has_words(folded, n))
    }
}

/// `whisper-large-v3-turbo` → `whisper`, `Qwen3-8B` → `qwen`, `OLMo-7B` → `olmo`: the first
/// part, without trailing digits, when it is a word of at least three letters.
fn family(name: &str) -> Option<String> {
    let first = fold(name).split(' ').next()?.to_owned();
    let family = first.trim_end_matches(|c: char| c.is_ascii_digit());
    (family.chars().count() >= 3 && family.chars().all(char::is_alphabetic))
        .then(|| family.to_owned())
}

/// Whole-word containment on folded text.
fn has_words(folded: &str, words: &str) -> bool {
    !words.is_empty() && format!(" {folded} ").contains(&format!(" {words} "))
}

fn has_phrase(folded: &str, phrases: &[String]) -> bool {
    phrases.iter().any(|p| has_words(folded, &fold(p)))
}

/// A venue a link itself shows: a proceedings host, a DOI that is not a preprint's, or a
/// conditional host (OpenReview) whose words name an accepted venue.
fn venue_of_link(url: &str, words: &str) -> Option<String> {
    let venues = &table().venues;
    let location = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .to_ascii_lowercase();
    let host = location.split('/').next().unwrap_or("");
    let stated = stated_venue(words);
    if venues.conditional_hosts.iter().any(|h| h == host) {
        return stated;
    }
    if host == "doi.org" || host == "dx.doi.org" {
        let doi = location.split_once('/').map_or("", |(_, d)| d);
        return (!preprint_doi(doi)).then(|| stated.unwrap_or_else(|| host.to_owned()));
    }
    if venues
        .hosts
        .iter()
        .any(|h| location == *h || location.starts_with(&format!("{h}/")))
    {
        return Some(stated.unwrap_or_else(|| host.to_owned()));
    }
    stated
}

/// A venue named right after "published in", "accepted at" …
fn stated_venue(words: &str) -> Option<String> {
    let venues = &table().venues;
    let padded = format!(" {words} ");
    for phrase in &venues.accepted_phrases {
        let phrase = format!(" {} ", fold(phrase));
        let mut rest = padded.as_str();
        while let Some(at) = rest.find(&phrase) {
            let after = &rest[at + phrase.len() - 1..];
            let window: String = after.split(' ').take(8).collect::<Vec<_>>().join(" ");
            if let Some(name) = venue_name(&window) {
                return Some(name);
            }
            rest = &rest[at + 1..];
        }
    }
    None
}

fn venue_name(folded: &str) -> Option<String> {
    table()
        .venues
        .names
        .iter()
        .find(|n| has_words(folded, &fold(n)))
        .cloned()
}

fn preprint_doi(doi: &str) -> bool {
    table()
        .dois
        .not_peer_reviewed
        .iter()
        .any(|p| doi.starts_with(&format!("{p}/")))
}

/// One BibTeX entry: its type, key and fields (names lowercase).
#[derive(Debug)]
struct Entry {
    kind: String,
    key: String,
    fields: Vec<(String, String)>,
}

impl Entry {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn title(&self) -> &str {
        self.field("title").unwrap_or("")
    }

    fn is_preprint_venue(value: &str) -> bool {
        let folded = fold(value);
        table()
            .preprints
            .names
            .iter()
            .any(|n| has_words(&folded, &fold(n)))
    }

    /// The arXiv id, DOI or URL that names the paper (`bibtex:KEY` for a paper that names none);
    /// none when the entry is not a paper (a `@misc` citing a Hub repository, a blog or a
    /// software release).
    fn identifier(&self) -> Option<String> {
        let arxiv = self
            .field("eprint")
            .filter(|_| {
                self.field("archiveprefix")
                    .is_none_or(|p| p.eq_ignore_ascii_case("arxiv"))
            })
            .and_then(|e| arxiv_id(&format!("https://arxiv.org/abs/{e}")))
            .or_else(|| self.field("url").and_then(arxiv_id))
            .or_else(|| {
                let doi = self.field("doi")?.to_ascii_lowercase();
                let id = doi.strip_prefix("10.48550/arxiv.")?;
                arxiv_id(&format!("https://arxiv.org/abs/{id}"))
            });
        if let Some(id) = arxiv {
            return Some(format!("arxiv:{id}"));
        }
        if let Some(doi) = self.field("doi").filter(|d| !preprint_doi(d)) {
            return Some(format!("https://doi.org/{doi}"));
        }
        if self.venue().is_some() || table().bibtex.paper_types.contains(&self.kind) {
            return Some(
                self.field("url")
                    .map_or_else(|| format!("bibtex:{}", self.key), str::to_owned),
            );
        }
        None
    }

    /// Names no arXiv id, DOI, URL or venue: a title alone.
    fn stands_for_itself(&self) -> bool {
        self.venue().is_none()
            && ["eprint", "url", "doi"]
                .iter()
                .all(|f| self.field(f).is_none())
    }

    /// The reviewing venue: a proceedings type, or a journal that is not a preprint server, or a
    /// venue name in a venue field.
    fn venue(&self) -> Option<String> {
        let bib = &table().bibtex;
        if bib.preprint_types.contains(&self.kind) {
            return None;
        }
        let fields: Vec<&str> = bib
            .venue_fields
            .iter()
            .filter_map(|f| self.field(f))
            .collect();
        if fields.iter().any(|v| Self::is_preprint_venue(v)) {
            return None;
        }
        if let Some(name) = fields.iter().find_map(|v| venue_name(&fold(v))) {
            return Some(name);
        }
        let container = self.field("booktitle").or_else(|| self.field("journal"));
        let reviewed_kind =
            bib.reviewed_types.contains(&self.kind) || self.kind == bib.journal_type;
        match container {
            Some(name) if reviewed_kind => Some(name.trim().to_owned()),
            _ => None,
        }
    }
}

/// The BibTeX entries in a text, read in one pass; an entry that never closes ends the text.
fn bibtex_entries(text: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('@') {
        rest = &rest[at + 1..];
        let kind: String = rest
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect::<String>()
            .to_ascii_lowercase();
        let after = rest[kind.len()..].trim_start();
        if kind.is_empty() || !after.starts_with('{') {
            continue;
        }
        let body = &after[1..];
        let end = closing_brace(body).unwrap_or(body.len());
        let (key, fields) = body[..end].split_once(',').unwrap_or((&body[..end], ""));
        out.push(Entry {
            kind,
            key: key.trim().to_owned(),
            fields: parse_fields(fields),
        });
        rest = &body[end..];
    }
    out
}

/// Byte offset of the `}` that closes a group whose `{` was just consumed.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(i),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// `title = {A {B} c}, year = 2024, journal = "x"` → pairs, names lowercase, braces dropped.
fn parse_fields(mut text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    while let Some(eq) = text.find('=') {
        let name = text[..eq]
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let value_text = text[eq + 1..].trim_start();
        let (value, used) = if let Some(inner) = value_text.strip_prefix('{') {
            let end = closing_brace(inner).unwrap_or(inner.len());
            (&inner[..end], 1 + (end + 1).min(inner.len()))
        } else if let Some(inner) = value_text.strip_prefix('"') {
            let end = inner.find('"').unwrap_or(inner.len());
            (&inner[..end], 1 + (end + 1).min(inner.len()))
        } else {
            let end = value_text.find(',').unwrap_or(value_text.len());
            (&value_text[..end], end)
        };
        let value: String = value.chars().filter(|c| !matches!(c, '{' | '}')).collect();
        out.push((name, value.split_whitespace().collect::<Vec<_>>().join(" ")));
        text = &value_text[used..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Key, Value, card, topics};

    fn read(id: &str, base: &[&str], body: &str) -> Evidence {
        let card = card::parse(body, 1);
        let reading = topics::read(body, 1);
        let base: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
        let mut ev = Evidence::default();
        let datasets = vec!["EleutherAI/pile".to_owned()];
        let who = Release {
            id,
            base_models: &base,
            datasets: &datasets,
        };
        collect(&who, &card, &reading, &mut ev);
        ev
    }

    fn list(ev: &Evidence, key: Key) -> Vec<String> {
        match ev.value(key) {
            Some(Value::List(items)) => items.clone(),
            other => panic!("{key}: {other:?}"),
        }
    }

    #[test]
    fn own_paper_by_phrase_or_name_and_method_papers_are_not() {
        let body = "# Acme-7B\n\n- **Paper:** [Link](https://arxiv.org/abs/2402.00838)\n\nThe architecture follows the GPT-3 paper ([Brown](https://arxiv.org/abs/2005.14165)).\n\nAcme is described in [our technical report](https://arxiv.org/abs/2401.00001) [(see paper)](https://arxiv.org/abs/2401.00003).\n\n**Optimizer:** [AdamW](https://arxiv.org/abs/1711.05101)\n\n*Inspired by* [Imagen](https://arxiv.org/abs/2205.11487)\n";
        let ev = read("org/Acme-7B", &[], body);
        assert_eq!(
            list(&ev, keys::PAPER_OWN),
            vec!["arxiv:2401.00001", "arxiv:2401.00003", "arxiv:2402.00838"]
        );
        assert_eq!(
            list(&ev, keys::PAPER_BASIS),
            vec!["arxiv:2005.14165", "arxiv:2205.11487"]
        );
        assert!(list(&ev, keys::PAPER_REVIEWED).is_empty());
    }

    #[test]
    fn bibtex_entries_give_roles_and_venues() {
        let body = "# Pythia\n\n## Citation\n\nIf you use Pythia, please cite:\n\n```\n@inproceedings{biderman2023pythia,\n  title={Pythia: A Suite for Analyzing Large Language Models},\n  booktitle={International Conference on Machine Learning},\n  year={2023},\n  url={https://arxiv.org/abs/2304.01373}\n}\n@misc{repo, title={Pythia}, journal={Hugging Face repository}}\n@article{pile, title={The Pile: An 800GB Dataset of Diverse Text}, journal={arXiv preprint}, eprint={2101.00027}}\n```\n";
        let ev = read("EleutherAI/pythia-6.9b", &[], body);
        assert_eq!(list(&ev, keys::PAPER_OWN), vec!["arxiv:2304.01373"]);
        assert_eq!(
            list(&ev, keys::PAPER_REVIEWED),
            vec!["arxiv:2304.01373 (international conference on machine learning)"]
        );
    }

    #[test]
    fn a_placeholder_citation_for_a_coming_paper_is_no_paper() {
        let body = "# K9\n\n## Citation\n\n*Paper coming soon*. Meanwhile, cite:\n\n```\n@article{k9, title={{K9}: an open model}, year={2023}}\n```\n";
        let ev = read("lab/K9-40B", &[], body);
        assert!(list(&ev, keys::PAPER_OWN).is_empty());
        assert_eq!(ev.value(keys::PAPER_ABSENT), Some(&Value::Bool(true)));
    }

    #[test]
    fn a_cited_paper_without_identifier_is_the_release_s_own_by_its_title() {
        let body = "# K9\n\n## Citation\n\n```bibtex\n@article{K9,\n  title={Lab K9-65B: Scaling Up Open Models},\n  year={2024},\n}\n@misc{tool, title={K9 inference server}}\n```\n";
        let ev = read("lab/K9", &[], body);
        assert_eq!(list(&ev, keys::PAPER_OWN), vec!["bibtex:K9"]);
        assert!(list(&ev, keys::PAPER_REVIEWED).is_empty());
    }

    #[test]
    fn a_preprint_is_not_reviewed_and_the_base_models_paper_is_the_base() {
        let body = "# Tuned\n\nA fine-tune of base-13b, see the paper of [base-13b](https://arxiv.org/abs/2307.09288).\n\n## Citation\n\n```\n@article{tuned, title={Tuned}, journal={arXiv preprint arXiv:2401.00002}, eprint={2401.00002}}\n```\n";
        let ev = read("someone/tuned-v1", &["org/base-13b"], body);
        assert_eq!(list(&ev, keys::PAPER_BASIS), vec!["arxiv:2307.09288"]);
        assert_eq!(list(&ev, keys::PAPER_OWN), vec!["arxiv:2401.00002"]);
        assert!(list(&ev, keys::PAPER_REVIEWED).is_empty());
    }

    #[test]
    fn a_paper_announced_as_coming_is_absent() {
        let ev = read("org/m", &[], "# M\n\n## Citation\n\nPaper coming soon.\n");
        assert_eq!(ev.value(keys::PAPER_ABSENT), Some(&true.into()));
    }

    #[test]
    fn unterminated_bibtex_does_not_loop() {
        let entries = bibtex_entries("@misc{a, title={x\n@article{b, title = \"y\"");
        assert_eq!(entries.len(), 1);
        assert_eq!(family("whisper-large-v3-turbo").as_deref(), Some("whisper"));
        assert_eq!(family("Qwen3-8B").as_deref(), Some("qwen"));
        assert_eq!(family("7b-x"), None);
    }
}
