//! From a fetched release to evidence: reads the card once, then lets each topic turn its part
//! of the release into facts. License recognition and properties are added afterwards by
//! `licenses`.

use super::declared::{self, Declared};
use super::facts::Evidence;
use super::findings::Finding;
use super::keys;
use super::provenance::Provenance;
use super::{
    access, base_model, card, checkpoints, code, code_host, compute, data, datasheets, license,
    lineage, model_card, paper_roles, papers, release_files, topics, weights,
};
use crate::hub::Release;
use crate::limits::MAX_FINDINGS;

pub fn collect(release: &Release) -> Evidence {
    let mut ev = Evidence::default();
    for problem in &release.info.problems {
        ev.findings
            .push(Finding::api_field_invalid(&problem.field, problem.expected));
    }
    access::note_file_problems(release, &mut ev);

    // The card, read once: its front matter (the metadata when the API gave none), its
    // structure (sections and links) and its prose.
    // A repository the Hub lists without a README has no card, which is a fact: it reads as an
    // empty card, so what a card would state is established as not stated (not unknown).
    let front = declared::front_matter(release);
    let no_card = front.is_none() && model_card::known_absent(release);
    let (body, body_line) = front.as_ref().map_or(("", 1), |fm| (fm.body, fm.body_line));
    let card = (front.is_some() || no_card).then(|| card::parse(body, body_line));
    let reading = (front.is_some() || no_card).then(|| topics::read(body, body_line));
    model_card::collect(release, front.as_ref(), card.as_ref(), &mut ev);
    if let Some(reading) = &reading {
        topics::collect(reading, &mut ev);
        compute::collect(reading, &mut ev);
        checkpoints::stated(reading, &mut ev);
    }
    let (meta, source) = declared::metadata(release, front.as_ref());
    let declared = Declared::read(
        meta,
        &release.info.tags,
        release.info.library_name.as_deref(),
        &source,
    );

    weights::collect(release, &mut ev);
    weights::needs_base(release, &declared, reading.as_ref(), &mut ev);
    access::collect(release, &mut ev);
    access::eu(meta, &source, &mut ev);
    ev.findings.extend(declared.problems.iter().cloned());
    let declares_anything = meta.is_some_and(|m| !m.is_empty());
    license::collect(release, &declared, declares_anything, &mut ev);
    data::collect(release, &declared.datasets, card.as_ref(), &mut ev);
    data::collect_sections(meta, &source, card.as_ref(), &mut ev);
    datasheets::shipped_summary(release, &mut ev);
    datasheets::collect(release, &mut ev);
    code::repositories(release, &declared, card.as_ref(), &mut ev);
    let publisher = release.id.split('/').next().unwrap_or("");
    code::collect(card.as_ref(), publisher, &mut ev);
    code_host::collect(release, card.as_ref(), &mut ev);
    papers::collect(release, card.as_ref(), &mut ev);
    checkpoints::collect(release, &mut ev);
    release_files::collect(release, &mut ev);
    lineage::declared(release, &declared, &mut ev);
    lineage::collect(release, &mut ev);
    base_model::collect(release, &mut ev);
    if let (Some(card), Some(reading)) = (&card, &reading) {
        let base_models = ev.list(keys::LINEAGE_BASE_MODELS).to_vec();
        let datasets = ev.list(keys::DATA_DATASETS).to_vec();
        let who = paper_roles::Release {
            id: &release.id,
            base_models: &base_models,
            datasets: &datasets,
        };
        paper_roles::collect(&who, card, reading, &mut ev);
    }
    if no_card {
        cite_the_missing_card(&mut ev);
    }
    cap_findings(&mut ev.findings);
    ev
}

/// Facts read from the (empty) card of a repository without one cite the file list that shows
/// the card is missing, not a README.md that does not exist; their other sources stay.
fn cite_the_missing_card(ev: &mut Evidence) {
    let is_card =
        |p: &Provenance| matches!(p, Provenance::File { path, .. } if path == "README.md");
    let from_card: Vec<_> = ev
        .iter()
        .filter(|(_, fact)| fact.provenance.iter().any(is_card))
        .map(|(key, fact)| {
            let mut sources = vec![Provenance::api("siblings")];
            for p in fact.provenance.iter().filter(|p| !is_card(p)) {
                if !sources.contains(p) {
                    sources.push(p.clone());
                }
            }
            (key, fact.value.clone(), sources)
        })
        .collect();
    for (key, value, sources) in from_card {
        ev.set_from(key, value, sources);
    }
}

/// At most [`MAX_FINDINGS`] findings, the most severe first, and one saying how many went.
fn cap_findings(findings: &mut Vec<Finding>) {
    if findings.len() > MAX_FINDINGS {
        let dropped = findings.len() - (MAX_FINDINGS - 1);
        findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
        findings.truncate(MAX_FINDINGS - 1);
        findings.push(Finding::findings_capped(MAX_FINDINGS - 1, dropped));
    }
}
