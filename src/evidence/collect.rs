//! From a fetched release to evidence: every fact the API and the files establish, with where
//! it came from. License recognition and properties are added afterwards by `licenses`.

use super::card::{self, Card};
use super::frontmatter::{self, FrontMatter};
use super::recognition::tables;
use super::{Evidence, Provenance};
use super::{
    base_model, checkpoints, code, compute, data, lineage, paper_roles, papers, release_files,
    topics, weights,
};
use crate::evidence::keys::{self, Key};
use crate::findings::{Code, Finding};
use crate::hub::release::files_to_read;
use crate::hub::{FileContent, Gate, Release, Unreadable};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// Where the card metadata came from: the API's `cardData`, or the README's front matter.
pub(super) enum MetaSource<'a> {
    Api,
    FrontMatter(&'a frontmatter::FrontMatter<'a>),
}

impl MetaSource<'_> {
    pub(super) fn provenance(&self, key: &str) -> Provenance {
        match self {
            MetaSource::Api => Provenance::api(&format!("cardData.{key}")),
            MetaSource::FrontMatter(fm) => Provenance::file("README.md", fm.key_line(key)),
        }
    }
}

/// The model card's front matter, when the README was read.
pub(super) fn front_matter(release: &Release) -> Option<FrontMatter<'_>> {
    release
        .readme()
        .and_then(|f| f.text())
        .map(frontmatter::parse)
}

/// The card metadata to read: the API's `cardData` when the release came from the API, else the
/// README's front matter.
pub(super) fn metadata<'a>(
    release: &'a Release,
    front: Option<&'a FrontMatter<'a>>,
) -> (Option<&'a Map<String, Value>>, MetaSource<'a>) {
    match (&release.info.card_data, front) {
        (Some(data), _) if release.has_api_metadata => (Some(data), MetaSource::Api),
        (_, Some(fm)) => (fm.metadata.as_ref(), MetaSource::FrontMatter(fm)),
        (data, None) => (data.as_ref(), MetaSource::Api),
    }
}

pub fn collect(release: &Release) -> Evidence {
    let mut ev = Evidence::default();
    let info = &release.info;

    for problem in &info.problems {
        ev.findings.push(
            Finding::new(
                Code::ApiFieldInvalid,
                format!(
                    "the Hub's `{}` field is not {}; it was ignored",
                    problem.field, problem.expected
                ),
            )
            .with_evidence(Provenance::api(&problem.field)),
        );
    }
    note_file_problems(release, &mut ev);

    // The model card: its front matter (used when the API gave no cardData) and its structure.
    let readme = release.readme();
    let front = front_matter(release);
    let card = front.as_ref().map(|fm| card::parse(fm.body, fm.body_line));
    let listed = |path: &str| {
        info.siblings
            .as_ref()
            .is_none_or(|s| s.iter().any(|f| f.path == path))
    };
    match (readme, &front) {
        (Some(file), Some(fm)) => {
            let bytes = match &file.content {
                FileContent::Text { text, .. } => text.len() as i64,
                FileContent::Unreadable(_) => 0,
            };
            let at = Provenance::file("README.md", None);
            ev.set(keys::CARD_PRESENT, true, at.clone());
            ev.set(keys::CARD_BYTES, bytes, at.clone());
            ev.set(
                keys::CARD_METADATA,
                fm.metadata.is_some(),
                Provenance::file("README.md", Some(1)),
            );
            if let Some(error) = &fm.error {
                ev.findings.push(
                    Finding::new(
                        Code::FrontMatterInvalid,
                        format!("README.md front matter: {error}"),
                    )
                    .with_evidence(Provenance::file("README.md", Some(1))),
                );
            }
        }
        (None, _)
            if !listed("README.md") || info.siblings.as_ref().is_some_and(|s| s.is_empty()) =>
        {
            let at = Provenance::api("siblings");
            ev.set(keys::CARD_PRESENT, false, at.clone());
            ev.set(keys::CARD_METADATA, false, at);
            ev.findings.push(Finding::new(
                Code::CardMissing,
                "the repository has no README.md model card",
            ));
        }
        _ => {}
    }
    if let Some(card) = &card {
        let titles: Vec<String> = card.sections.iter().map(|s| s.title.clone()).collect();
        ev.set(
            keys::CARD_SECTIONS,
            titles,
            Provenance::file("README.md", None),
        );
    }
    let reading = front.as_ref().map(|fm| topics::read(fm.body, fm.body_line));
    if let Some(reading) = &reading {
        topics::collect(reading, &mut ev);
        compute::collect(reading, &mut ev);
    }

    let (meta, source) = metadata(release, front.as_ref());
    let empty = Map::new();
    let meta = meta.unwrap_or(&empty);

    collect_weights(release, &mut ev);
    collect_access(release, &mut ev);
    collect_license(release, meta, &source, &mut ev);
    let named = strings(meta, "datasets", &source, &mut ev);
    data::collect(release, &named, &source, card.as_ref(), &mut ev);
    data::collect_sections(meta, &source, card.as_ref(), &mut ev);
    collect_code(release, meta, &source, card.as_ref(), &mut ev);
    let publisher = release.id.split('/').next().unwrap_or("");
    code::collect(card.as_ref(), publisher, &mut ev);
    papers::collect(release, card.as_ref(), &mut ev);
    checkpoints::collect(release, &mut ev);
    release_files::collect(release, &mut ev);
    collect_lineage(release, meta, &source, &mut ev);
    lineage::collect(release, &mut ev);
    base_model::collect(release, &mut ev);
    if let (Some(card), Some(reading)) = (&card, &reading) {
        let ids = |key: Key| match ev.value(key) {
            Some(super::Value::List(ids)) => ids.clone(),
            _ => Vec::new(),
        };
        let (base_models, datasets) = (ids(keys::LINEAGE_BASE_MODELS), ids(keys::DATA_DATASETS));
        let who = paper_roles::Release {
            id: &release.id,
            base_models: &base_models,
            datasets: &datasets,
        };
        paper_roles::collect(&who, card, reading, &mut ev);
    }
    ev
}

fn note_file_problems(release: &Release, ev: &mut Evidence) {
    let mut unreadable = Vec::new();
    for file in &release.files {
        match &file.content {
            FileContent::Text {
                truncated, lossy, ..
            } => {
                if *truncated {
                    ev.findings.push(
                        Finding::new(
                            Code::FileTooLarge,
                            format!(
                                "{} is larger than the download cap; only its beginning was read",
                                file.path
                            ),
                        )
                        .with_evidence(Provenance::file(&file.path, None)),
                    );
                }
                if *lossy {
                    ev.findings.push(
                        Finding::new(
                            Code::FileNotUtf8,
                            format!("{} is not valid UTF-8", file.path),
                        )
                        .with_evidence(Provenance::file(&file.path, None)),
                    );
                }
            }
            FileContent::Unreadable(why) => {
                unreadable.push(format!("{} ({})", file.path, describe(why)))
            }
        }
    }
    if !unreadable.is_empty() {
        ev.findings.push(Finding::new(
            Code::FilesUnreadable,
            format!("not read: {}", unreadable.join(", ")),
        ));
    }
}

fn describe(why: &Unreadable) -> String {
    match why {
        Unreadable::Gated => {
            "gated: accept the conditions on the model page and pass a token".to_owned()
        }
        Unreadable::Missing => "listed but not found".to_owned(),
        Unreadable::NotCached => "not in the local cache".to_owned(),
        Unreadable::Refused { status } => format!("refused with HTTP {status}"),
    }
}

fn collect_weights(release: &Release, ev: &mut Evidence) {
    let Some(siblings) = &release.info.siblings else {
        return;
    };
    let at = Provenance::api("siblings");
    let summary = weights::summarize(siblings);
    ev.set(keys::WEIGHTS_PUBLISHED, summary.files > 0, at.clone());
    ev.set(keys::WEIGHTS_FILES, summary.files as i64, at.clone());
    ev.set(keys::WEIGHTS_FORMATS, summary.formats, at.clone());
    if let Some(bytes) = summary.bytes.and_then(|b| i64::try_from(b).ok()) {
        ev.set(keys::WEIGHTS_BYTES, bytes, at);
    }
    let config = siblings
        .iter()
        .any(|s| s.path.rsplit('/').next() == Some("config.json"));
    ev.set(keys::WEIGHTS_CONFIG, config, Provenance::api("siblings"));
    if let Some(params) = release.info.parameters.and_then(|p| i64::try_from(p).ok()) {
        let field = if release.has_api_metadata {
            Provenance::api("safetensors.total")
        } else {
            Provenance::derived("safetensors headers")
        };
        ev.set(keys::WEIGHTS_PARAMETERS, params, field);
    }
    if summary.files == 0 {
        ev.findings.push(
            Finding::new(
                Code::WeightsMissing,
                "no weight file in the repository listing",
            )
            .with_evidence(Provenance::api("siblings")),
        );
    }
}

fn collect_access(release: &Release, ev: &mut Evidence) {
    let info = &release.info;
    if let Some(gate) = info.gated {
        ev.set(keys::ACCESS_GATE, gate.as_str(), Provenance::api("gated"));
        if gate != Gate::None {
            ev.findings.push(
                Finding::new(
                    Code::WeightsGated,
                    format!(
                        "downloads are gated ({}): users must accept the publisher's conditions{}",
                        gate.as_str(),
                        if gate == Gate::Manual {
                            " and wait for approval"
                        } else {
                            ""
                        }
                    ),
                )
                .with_evidence(Provenance::api("gated")),
            );
        }
    }
    if let Some(private) = info.private {
        ev.set(keys::ACCESS_PRIVATE, private, Provenance::api("private"));
        if private {
            ev.findings.push(
                Finding::new(Code::RepoPrivate, "the repository is private")
                    .with_evidence(Provenance::api("private")),
            );
        }
    }
    if let Some(disabled) = info.disabled {
        ev.set(keys::ACCESS_DISABLED, disabled, Provenance::api("disabled"));
        if disabled {
            ev.findings.push(
                Finding::new(Code::RepoDisabled, "the repository is disabled")
                    .with_evidence(Provenance::api("disabled")),
            );
        }
    }
    if !release.files.is_empty() {
        let gated = release
            .files
            .iter()
            .any(|f| f.content == FileContent::Unreadable(Unreadable::Gated));
        let readable = release.files.iter().any(|f| f.text().is_some());
        if gated || readable {
            ev.set(
                keys::ACCESS_FILES_READABLE,
                !gated,
                Provenance::derived("file downloads"),
            );
        }
    }
}

/// String values of a metadata key that may be a string or a list of strings. A value of any
/// other type is reported and ignored.
pub(super) fn strings(
    meta: &Map<String, Value>,
    key: &str,
    source: &MetaSource<'_>,
    ev: &mut Evidence,
) -> Vec<String> {
    match meta.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(s)) => vec![s.trim().to_owned()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect(),
        Some(Value::Array(items)) => {
            let out: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect();
            if out.len() != items.len() {
                report_type(key, "strings", source, ev);
            }
            out
        }
        Some(_) => {
            report_type(key, "a string or a list of strings", source, ev);
            Vec::new()
        }
    }
}

fn report_type(key: &str, expected: &str, source: &MetaSource<'_>, ev: &mut Evidence) {
    let (code, what) = match source {
        MetaSource::Api => (Code::ApiFieldInvalid, "card metadata"),
        MetaSource::FrontMatter(_) => (Code::FrontMatterInvalid, "README.md front matter"),
    };
    ev.findings.push(
        Finding::new(
            code,
            format!("{what} `{key}` is not {expected}; it was ignored"),
        )
        .with_evidence(source.provenance(key)),
    );
}

pub(super) fn tag_values<'a>(
    release: &'a Release,
    prefix: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    tag_values_of(&release.info.tags, prefix)
}

/// The values of the `prefix…` tags (`dataset:`, `arxiv:`) of any repository.
pub(super) fn tag_values_of<'a>(
    tags: &'a [String],
    prefix: &'a str,
) -> impl Iterator<Item = &'a str> + 'a {
    tags.iter()
        .filter_map(move |t| t.strip_prefix(prefix))
        .filter(|v| !v.is_empty())
}

fn collect_license(
    release: &Release,
    meta: &Map<String, Value>,
    source: &MetaSource<'_>,
    ev: &mut Evidence,
) {
    let mut declared: BTreeSet<String> = strings(meta, "license", source, ev)
        .into_iter()
        .map(|s| s.to_ascii_lowercase())
        .collect();
    let mut provenance = Vec::new();
    if !declared.is_empty() {
        provenance.push(source.provenance("license"));
    }
    let from_tags: Vec<String> = tag_values(release, "license:")
        .map(str::to_ascii_lowercase)
        .collect();
    if !from_tags.is_empty() {
        provenance.push(Provenance::api("tags"));
        declared.extend(from_tags);
    }
    let declared: Vec<String> = declared.into_iter().collect();
    if declared.is_empty() {
        if release.has_api_metadata || meta.contains_key("license") || !meta.is_empty() {
            ev.findings.push(Finding::new(
                Code::LicenseUndeclared,
                "the card metadata declares no license",
            ));
        }
    } else {
        let distinct: Vec<&String> = declared
            .iter()
            .filter(|id| id.as_str() != "other")
            .collect();
        if distinct.len() > 1 {
            ev.findings.push(
                Finding::new(
                    Code::LicenseConflictingDeclarations,
                    format!(
                        "the card metadata declares several licenses: {}",
                        declared.join(", ")
                    ),
                )
                .with_evidence(source.provenance("license")),
            );
        }
        ev.set_from(keys::LICENSE_DECLARED, declared, provenance);
    }
    if let Some(name) = strings(meta, "license_name", source, ev).into_iter().next() {
        ev.set(keys::LICENSE_NAME, name, source.provenance("license_name"));
    }
    let link = strings(meta, "license_link", source, ev).into_iter().next();
    if let Some(link) = &link {
        ev.set(
            keys::LICENSE_LINK,
            link.clone(),
            source.provenance("license_link"),
        );
    }
    if let Some(siblings) = &release.info.siblings {
        let listing: Vec<&str> = siblings.iter().map(|s| s.path.as_str()).collect();
        let files: Vec<String> = files_to_read(&listing, link.as_deref())
            .into_iter()
            .filter(|p| !p.eq_ignore_ascii_case("README.md"))
            .collect();
        ev.set(keys::LICENSE_FILES, files, Provenance::api("siblings"));
    }
}

fn collect_code(
    release: &Release,
    meta: &Map<String, Value>,
    source: &MetaSource<'_>,
    card: Option<&Card>,
    ev: &mut Evidence,
) {
    if let Some(library) = release.info.library_name.clone() {
        ev.set(keys::CODE_LIBRARY, library, Provenance::api("library_name"));
    } else if let Some(library) = strings(meta, "library_name", source, ev).into_iter().next() {
        ev.set(
            keys::CODE_LIBRARY,
            library,
            source.provenance("library_name"),
        );
    }
    let Some(card) = card else { return };
    let table = tables();
    let own_page = format!("https://huggingface.co/spaces/{}", release.id);
    let mut repos: Vec<(String, u32)> = Vec::new();
    for link in &card.links {
        if let Some(repo) = table.code_repository(&link.url)
            && repo != own_page
            && !repos.iter().any(|(r, _)| *r == repo)
        {
            repos.push((repo, link.line));
        }
    }
    repos.sort();
    let provenance = match repos.first() {
        Some((_, line)) => Provenance::file("README.md", Some(*line)),
        None => Provenance::file("README.md", None),
    };
    ev.set(
        keys::CODE_REPOSITORIES,
        repos.into_iter().map(|(r, _)| r).collect::<Vec<_>>(),
        provenance,
    );
}

fn collect_lineage(
    release: &Release,
    meta: &Map<String, Value>,
    source: &MetaSource<'_>,
    ev: &mut Evidence,
) {
    let mut bases: BTreeSet<String> = strings(meta, "base_model", source, ev)
        .into_iter()
        .collect();
    let mut relation = strings(meta, "base_model_relation", source, ev)
        .into_iter()
        .next();
    let mut provenance = Vec::new();
    if !bases.is_empty() {
        provenance.push(source.provenance("base_model"));
    }
    let mut from_tags = false;
    for value in tag_values(release, "base_model:") {
        from_tags = true;
        match value.split_once(':') {
            Some((rel, id)) if matches!(rel, "finetune" | "adapter" | "quantized" | "merge") => {
                relation.get_or_insert_with(|| rel.to_owned());
                bases.insert(id.to_owned());
            }
            _ => {
                bases.insert(value.to_owned());
            }
        }
    }
    if from_tags {
        provenance.push(Provenance::api("tags"));
    }
    if bases.is_empty() {
        return;
    }
    let bases: Vec<String> = bases.into_iter().filter(|b| b != &release.id).collect();
    ev.set_from(keys::LINEAGE_BASE_MODELS, bases, provenance.clone());
    if let Some(relation) = relation {
        ev.set_from(keys::LINEAGE_RELATION, relation, provenance);
    }
}
