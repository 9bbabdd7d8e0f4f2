//! Training data: which datasets a release names, where they live, what the Hub said about them,
//! and which sections of the card document the data.

use super::card::{self, Card};
use super::declared::{self, Declared, MetaSource, Said};
use super::facts::Evidence;
use super::findings::Finding;
use super::keys::{self, Key};
use super::provenance::Provenance;
use super::recognition::{Recognition, fold, tables};
use crate::hub::related::{DatasetLookup, Lookup};
use crate::hub::{Gate, Release, RepoId};
use serde_json::{Map, Value};

/// The datasets a release names, each with where it was named.
#[derive(Debug, Default)]
pub struct Named {
    /// Every name, as written (metadata, tags, Hub dataset links).
    pub all: Vec<(String, Provenance)>,
    /// Hub dataset ids among them (first spelling kept).
    pub hub: Vec<(String, Provenance)>,
    /// Training data named outside the Hub: URLs and names that are not Hub ids.
    pub elsewhere: Vec<(String, Provenance)>,
    /// The names of each list, lowercased: a dedup in O(1) per name, not a scan of the list
    /// (a card of 100,000 dataset links made that quadratic).
    seen: [std::collections::HashSet<String>; 3],
}

/// Which list of [`Named`] a name goes to.
#[derive(Clone, Copy)]
enum List {
    All = 0,
    Hub = 1,
    Elsewhere = 2,
}

impl Named {
    fn push(&mut self, list: List, name: &str, at: &Provenance) {
        if self.seen[list as usize].insert(name.to_ascii_lowercase()) {
            let entries = match list {
                List::All => &mut self.all,
                List::Hub => &mut self.hub,
                List::Elsewhere => &mut self.elsewhere,
            };
            entries.push((name.to_owned(), at.clone()));
        }
    }

    /// A name from the metadata or a tag: a Hub id, a Hub dataset link, or something else.
    fn add(&mut self, table: &Recognition, name: &str, at: &Provenance) {
        if let Some(id) = table
            .hub_dataset(name)
            .filter(|id| RepoId::parse(id).is_ok())
        {
            self.add_hub(&id, at);
        } else if !name.contains("://") && RepoId::parse(name).is_ok() {
            self.add_hub(name, at);
        } else {
            self.push(List::All, name, at);
            self.push(List::Elsewhere, name, at);
        }
    }

    fn add_hub(&mut self, id: &str, at: &Provenance) {
        if RepoId::parse(id).is_ok() {
            self.push(List::All, id, at);
            self.push(List::Hub, id, at);
        }
    }
}

/// The datasets named by the metadata (`datasets:`), the `dataset:` tags and the card: Hub
/// dataset links anywhere in it, and other data links in its training-data sections.
pub fn named(
    metadata_names: &[String],
    metadata_at: Provenance,
    tags: &[String],
    card: Option<&Card>,
) -> Named {
    let table = tables();
    let mut named = Named::default();
    for name in metadata_names {
        named.add(table, name, &metadata_at);
    }
    for tag in tags.iter().filter_map(|t| t.strip_prefix("dataset:")) {
        if !tag.is_empty() {
            named.add(table, tag, &Provenance::api("tags"));
        }
    }
    let Some(card) = card else { return named };
    let training = sections_of(card, table, "training-data");
    let in_training = covered(card, &training);
    for link in &card.links {
        let at = Provenance::file("README.md", Some(link.line));
        if let Some(id) = table.hub_dataset(&link.url) {
            named.add_hub(&id, &at);
        } else if link.section.is_some_and(|s| in_training[s] > 0)
            && is_data_link(table, &link.url, &link.text)
        {
            named.push(List::Elsewhere, &link.url, &at);
        }
    }
    named
}

/// For each section, how many of `chosen` contain it (itself or as a subsection), in one pass
/// over the sections: a difference array over each chosen section's extent.
fn covered(card: &Card, chosen: &[usize]) -> Vec<u32> {
    let mut delta = vec![0i64; card.sections.len() + 1];
    for &i in chosen {
        delta[i] += 1;
        delta[card.section_end(i)] -= 1;
    }
    let mut depth = 0i64;
    delta[..card.sections.len()]
        .iter()
        .map(|d| {
            depth += d;
            u32::try_from(depth).unwrap_or(0)
        })
        .collect()
}

/// A link in a training-data section that may be the data itself: not a paper, not a Hub page,
/// and not a code repository unless its name or text speaks of data.
fn is_data_link(table: &Recognition, url: &str, text: &str) -> bool {
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        return false;
    }
    if super::papers::arxiv_id(url).is_some()
        || table.paper_host(url)
        || table.paper_pdf(url, &fold(text))
        || table.hub_link(url)
    {
        return false;
    }
    // A code repository counts only when its name or text speaks of data (`RedPajama-Data`).
    let words = fold(&format!("{url} {text}"));
    table.code_repository(url).is_none() || words.contains("data") || words.contains("corpus")
}

/// Indices of the card's sections of `kind`.
fn sections_of(card: &Card, table: &Recognition, kind: &str) -> Vec<usize> {
    card.sections
        .iter()
        .enumerate()
        .filter(|(_, s)| table.section_kinds(&s.title).contains(&kind))
        .map(|(i, _)| i)
        .collect()
}

/// The Hub dataset ids a release names, in the order named, for the audit to look up.
pub fn hub_dataset_ids(release: &Release) -> Vec<String> {
    let front = declared::front_matter(release);
    let card = front.as_ref().map(|fm| card::parse(fm.body, fm.body_line));
    let (meta, source) = declared::metadata(release, front.as_ref());
    let declared = Declared::read(meta, &release.info.tags, None, &source);
    named(
        &declared.datasets.value,
        Provenance::api("cardData.datasets"),
        &release.info.tags,
        card.as_ref(),
    )
    .hub
    .into_iter()
    .map(|(id, _)| id)
    .collect()
}

/// Which named Hub datasets are open, gated or missing.
#[derive(Debug, Default)]
struct Sorted {
    on_hub: Vec<String>,
    open: Vec<String>,
    gated: Vec<String>,
    missing: Vec<String>,
    /// Lookups that failed after their retries, with why.
    failed: Vec<(String, String)>,
    /// Named but not known: the lookup failed or was over the per-model limit.
    unknown: usize,
}

fn sort(lookups: &[DatasetLookup], skipped: usize) -> Sorted {
    let mut sorted = Sorted {
        unknown: skipped,
        ..Sorted::default()
    };
    for DatasetLookup { id, lookup, .. } in lookups {
        match lookup {
            Lookup::Found(info) => {
                sorted.on_hub.push(id.clone());
                let closed = info.private == Some(true)
                    || info.disabled == Some(true)
                    || matches!(info.gated, Some(Gate::Auto | Gate::Manual));
                if closed {
                    sorted.gated.push(id.clone());
                } else {
                    sorted.open.push(id.clone());
                }
            }
            Lookup::Gated | Lookup::Disabled => {
                sorted.on_hub.push(id.clone());
                sorted.gated.push(id.clone());
            }
            Lookup::Missing => sorted.missing.push(id.clone()),
            Lookup::Failed(why) => {
                sorted.unknown += 1;
                sorted.failed.push((id.clone(), why.clone()));
            }
            // Offline and not recorded by an earlier run: unknown, and the scorecard's
            // retrieval says so.
            Lookup::NotCached => sorted.unknown += 1,
        }
    }
    sorted
}

/// `all-open`, `some-open`, `closed` or `not-named`; `None` when the lookups that would decide
/// it are missing.
fn availability(
    hub_named: usize,
    elsewhere: usize,
    sorted: Option<&Sorted>,
) -> Option<&'static str> {
    if hub_named == 0 {
        // Data named only outside the Hub cannot be checked: credit the naming, not openness.
        return Some(if elsewhere == 0 {
            "not-named"
        } else {
            "some-open"
        });
    }
    let s = sorted?;
    let closed = s.gated.len() + s.missing.len();
    match (s.open.len(), closed, s.unknown) {
        (0, _, 0) => Some("closed"),
        (0, _, _) => None,
        (_, 0, 0) => Some("all-open"),
        _ => Some("some-open"),
    }
}

/// The data facts: names, Hub lookups, availability.
pub(super) fn collect(
    release: &Release,
    metadata_names: &Said<Vec<String>>,
    card: Option<&Card>,
    ev: &mut Evidence,
) {
    let meta_at = metadata_names.at[0].clone();
    let named = named(
        &metadata_names.value,
        meta_at.clone(),
        &release.info.tags,
        card,
    );

    let mut provenance: Vec<Provenance> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (_, at) in &named.all {
        if seen.insert(at) {
            provenance.push(at.clone());
        }
    }
    if provenance.is_empty() {
        provenance.push(meta_at);
    }
    let mut all: Vec<String> = named.all.iter().map(|(n, _)| n.clone()).collect();
    all.sort();
    ev.set_from(keys::DATA_DATASETS, all, provenance);

    if card.is_some() || !named.elsewhere.is_empty() {
        let at = first_or(&named.elsewhere, Provenance::file("README.md", None));
        let urls: Vec<String> = named.elsewhere.iter().map(|(n, _)| n.clone()).collect();
        ev.set_from(keys::DATA_DATASETS_ELSEWHERE, urls, at);
    }

    let related = &release.related;
    let sorted = related
        .datasets
        .as_deref()
        .map(|lookups| sort(lookups, related.datasets_skipped));
    if let Some(s) = &sorted {
        set_list(ev, keys::DATA_DATASETS_ON_HUB, &s.on_hub, "datasets info");
        set_list(
            ev,
            keys::DATA_DATASETS_OPEN,
            &s.open,
            "gated, private, disabled",
        );
        set_list(
            ev,
            keys::DATA_DATASETS_GATED,
            &s.gated,
            "gated, private, disabled",
        );
        let missing_at: Vec<Provenance> = s
            .missing
            .iter()
            .map(|id| Provenance::derived(format!("GET /api/datasets/{id}: 404")))
            .collect();
        let missing_at = if missing_at.is_empty() {
            vec![Provenance::derived("GET /api/datasets/{id}")]
        } else {
            missing_at
        };
        ev.set_from(keys::DATA_DATASETS_MISSING, s.missing.clone(), missing_at);
        for id in &s.missing {
            ev.findings.push(Finding::dataset_missing(id));
        }
        for (id, why) in &s.failed {
            ev.findings.push(Finding::dataset_lookup_failed(id, why));
        }
    }
    if let Some(value) = availability(named.hub.len(), named.elsewhere.len(), sorted.as_ref()) {
        let note = match &sorted {
            Some(s) if !named.hub.is_empty() => format!(
                "{} named on the Hub: {} open, {} gated, {} missing; {} named elsewhere",
                named.hub.len(),
                s.open.len(),
                s.gated.len(),
                s.missing.len(),
                named.elsewhere.len()
            ),
            _ => format!(
                "none named on the Hub; {} named elsewhere",
                named.elsewhere.len()
            ),
        };
        ev.set(keys::DATA_AVAILABILITY, value, Provenance::derived(note));
    }
}

fn first_or(list: &[(String, Provenance)], fallback: Provenance) -> Vec<Provenance> {
    let mut out: Vec<Provenance> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (_, at) in list {
        if seen.insert(at) {
            out.push(at.clone());
        }
    }
    if out.is_empty() {
        out.push(fallback);
    }
    out
}

/// A list of dataset ids whose provenance is the Hub's answer for each.
fn set_list(ev: &mut Evidence, key: Key, ids: &[String], field: &str) {
    let mut provenance: Vec<Provenance> = ids
        .iter()
        .map(|id| Provenance::related(format!("datasets/{id}"), field))
        .collect();
    if provenance.is_empty() {
        provenance.push(Provenance::derived("GET /api/datasets/{id}"));
    }
    ev.set_from(key, ids.to_vec(), provenance);
}

/// Which parts of the card document the data and the evaluation, from its headings (and links,
/// for datasheets), plus evaluation results in the metadata.
pub(super) fn collect_sections(
    meta: Option<&Map<String, Value>>,
    source: &MetaSource<'_>,
    card: Option<&Card>,
    ev: &mut Evidence,
) {
    let results = meta.is_some_and(model_index_has_results);
    if results {
        ev.set(
            keys::CARD_EVALUATION_RESULTS,
            true,
            source.provenance("model-index"),
        );
    }
    let Some(card) = card else { return };
    let table = tables();
    let at = |sections: &[usize]| match sections.first() {
        Some(&i) => Provenance::file("README.md", Some(card.sections[i].line)),
        None => Provenance::file("README.md", None),
    };

    let training = sections_of(card, table, "training-data");
    ev.set(
        keys::DATA_TRAINING_SECTION,
        !training.is_empty(),
        at(&training),
    );
    // Nested training-data sections are counted once, inside their parent: a section inside
    // another chosen one is covered twice (by itself and its parent). The outermost ones are
    // disjoint, so summing their extents is linear.
    let cover = covered(card, &training);
    let bytes: usize = training
        .iter()
        .filter(|&&i| cover[i] == 1)
        .map(|&i| card.extent_bytes(i))
        .sum();
    ev.set(
        keys::DATA_TRAINING_SECTION_BYTES,
        i64::try_from(bytes).unwrap_or(i64::MAX),
        at(&training),
    );

    let preprocessing = sections_of(card, table, "preprocessing");
    ev.set(
        keys::DATA_PREPROCESSING_SECTION,
        !preprocessing.is_empty(),
        at(&preprocessing),
    );

    let mut evaluation = sections_of(card, table, "evaluation-data");
    evaluation.extend(sections_of(card, table, "evaluation"));
    evaluation.sort_unstable();
    ev.set(
        keys::DATA_EVALUATION_SECTION,
        !evaluation.is_empty(),
        at(&evaluation),
    );
    if !results {
        ev.set(
            keys::CARD_EVALUATION_RESULTS,
            !evaluation.is_empty(),
            at(&evaluation),
        );
    }

    let datasheet_section = sections_of(card, table, "datasheet");
    let datasheet_link = card
        .links
        .iter()
        .find(|l| table.link_kinds(&l.text, &l.url).contains(&"datasheet"));
    match (datasheet_section.first(), datasheet_link) {
        (Some(_), _) => ev.set(keys::DATA_DATASHEET, true, at(&datasheet_section)),
        (None, Some(link)) => ev.set(
            keys::DATA_DATASHEET,
            true,
            Provenance::file("README.md", Some(link.line)),
        ),
        (None, None) => ev.set(
            keys::DATA_DATASHEET,
            false,
            Provenance::file("README.md", None),
        ),
    }
}

/// `model-index: [{results: [...]}, …]` with at least one result.
fn model_index_has_results(meta: &Map<String, Value>) -> bool {
    meta.get("model-index")
        .and_then(Value::as_array)
        .is_some_and(|entries| {
            entries.iter().any(|e| {
                e.get("results")
                    .and_then(Value::as_array)
                    .is_some_and(|r| !r.is_empty())
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(body: &str) -> Card {
        card::parse(body, 1)
    }

    #[test]
    fn names_from_metadata_tags_and_card_links() {
        let body = "# M\n\nTrained on [Dolma](https://huggingface.co/datasets/allenai/dolma).\n\n## Training data\n\n[The Pile](https://pile.eleuther.ai/) ([paper](https://arxiv.org/abs/2101.00027)), [mirror](https://the-eye.eu/public/AI/pile/), [code](https://github.com/EleutherAI/pythia), [data repo](https://github.com/togethercomputer/RedPajama-Data).\n\n## Other\n\n[elsewhere](https://example.com/data)\n";
        let card = card(body);
        let named = named(
            &["EleutherAI/pile".into(), "the pile (prose)".into()],
            Provenance::api("cardData.datasets"),
            &["dataset:EleutherAI/pile".into(), "dataset:wikipedia".into()],
            Some(&card),
        );
        let hub: Vec<&str> = named.hub.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(hub, ["EleutherAI/pile", "wikipedia", "allenai/dolma"]);
        let elsewhere: Vec<&str> = named.elsewhere.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            elsewhere,
            [
                "the pile (prose)",
                "https://pile.eleuther.ai/",
                "https://the-eye.eu/public/AI/pile/",
                "https://github.com/togethercomputer/RedPajama-Data"
            ]
        );
    }

    #[test]
    fn availability_rules() {
        let sorted = |open: usize, gated: usize, missing: usize, unknown: usize| Sorted {
            open: vec![String::new(); open],
            gated: vec![String::new(); gated],
            missing: vec![String::new(); missing],
            unknown,
            ..Sorted::default()
        };
        assert_eq!(availability(0, 0, None), Some("not-named"));
        assert_eq!(availability(0, 2, None), Some("some-open"));
        assert_eq!(availability(1, 0, None), None);
        assert_eq!(
            availability(2, 0, Some(&sorted(2, 0, 0, 0))),
            Some("all-open")
        );
        assert_eq!(
            availability(2, 0, Some(&sorted(1, 1, 0, 0))),
            Some("some-open")
        );
        assert_eq!(
            availability(2, 0, Some(&sorted(1, 0, 0, 1))),
            Some("some-open")
        );
        assert_eq!(
            availability(2, 0, Some(&sorted(0, 1, 1, 0))),
            Some("closed")
        );
        assert_eq!(availability(2, 0, Some(&sorted(0, 1, 0, 1))), None);
    }

    #[test]
    fn sections_measure_training_data_with_subsections() {
        let body = "# M\n\n## Training Data\n\nabc\n\n### Sources\n\ndef\n\n#### Preprocessing\n\nx\n\n## Evaluation\n\n| a |\n\n## Datasheet\n";
        let card = card(body);
        let mut ev = Evidence::default();
        collect_sections(None, &MetaSource::Api, Some(&card), &mut ev);
        assert_eq!(ev.value(keys::DATA_TRAINING_SECTION), Some(&true.into()));
        let expected = body.find("## Evaluation").unwrap() - body.find("## Training").unwrap();
        assert_eq!(
            ev.value(keys::DATA_TRAINING_SECTION_BYTES),
            Some(&(expected as i64).into())
        );
        assert_eq!(
            ev.value(keys::DATA_PREPROCESSING_SECTION),
            Some(&true.into())
        );
        assert_eq!(ev.value(keys::DATA_EVALUATION_SECTION), Some(&true.into()));
        assert_eq!(ev.value(keys::CARD_EVALUATION_RESULTS), Some(&true.into()));
        assert_eq!(ev.value(keys::DATA_DATASHEET), Some(&true.into()));
    }
}
