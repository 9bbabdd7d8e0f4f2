//! What a repository's card metadata declares — licenses, `license_name`, `license_link`, base
//! models with their relation, datasets, the library — read in one place, for the release and
//! for the repositories around it (base models, datasets) alike.
//!
//! The metadata is the Hub's `cardData` when the release came from the API, else the README's
//! front matter; the Hub's tags (`license:…`, `base_model:[relation:]…`, `dataset:…`) add to it.

use super::findings::Finding;
use super::frontmatter::{self, FrontMatter};
use super::provenance::Provenance;
use crate::hub::{ModelInfo, Release};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// The relations the Hub knows between a model and its base.
pub const RELATIONS: &[&str] = &["finetune", "adapter", "quantized", "merge"];

/// Where the card metadata came from.
pub enum MetaSource<'a> {
    /// The release's own `cardData` in the Hub's answer.
    Api,
    /// The release's README front matter (local folders, offline without cached metadata).
    FrontMatter(&'a FrontMatter<'a>),
    /// Another repository's `cardData`: a base model or a dataset.
    Related(&'a str),
}

impl MetaSource<'_> {
    /// Where the metadata key `key` was read.
    pub fn provenance(&self, key: &str) -> Provenance {
        match self {
            MetaSource::Api => Provenance::api(&format!("cardData.{key}")),
            MetaSource::FrontMatter(fm) => Provenance::file("README.md", fm.key_line(key)),
            MetaSource::Related(repo) => Provenance::related(*repo, &format!("cardData.{key}")),
        }
    }

    /// Where the Hub's tags were read.
    fn tags(&self) -> Provenance {
        match self {
            MetaSource::Related(repo) => Provenance::related(*repo, "tags"),
            _ => Provenance::api("tags"),
        }
    }
}

/// The model card's front matter, when the README was read.
pub fn front_matter(release: &Release) -> Option<FrontMatter<'_>> {
    release
        .readme()
        .and_then(|f| f.text())
        .map(frontmatter::parse)
}

/// The card metadata to read: the API's `cardData` when the release came from the API, else the
/// README's front matter.
pub fn metadata<'a>(
    release: &'a Release,
    front: Option<&'a FrontMatter<'a>>,
) -> (Option<&'a Map<String, Value>>, MetaSource<'a>) {
    match (&release.info.card_data, front) {
        (Some(data), _) if release.has_api_metadata => (Some(data), MetaSource::Api),
        (_, Some(fm)) => (fm.metadata.as_ref(), MetaSource::FrontMatter(fm)),
        (data, None) => (data.as_ref(), MetaSource::Api),
    }
}

/// A declared base model, with how the model derives from it when said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base {
    pub id: String,
    pub relation: Option<String>,
}

/// A declared value with where it was declared.
#[derive(Debug, Clone, PartialEq)]
pub struct Said<T> {
    pub value: T,
    pub at: Vec<Provenance>,
}

impl<T: Default> Default for Said<T> {
    fn default() -> Self {
        Said {
            value: T::default(),
            at: Vec::new(),
        }
    }
}

/// Everything a repository's metadata declares.
#[derive(Debug, Default)]
pub struct Declared {
    /// License ids (`license:` as a string or list, then `license:` tags), lowercased, in the
    /// order declared, each once.
    pub licenses: Said<Vec<String>>,
    pub license_name: Option<Said<String>>,
    pub license_link: Option<Said<String>>,
    /// Base models (`base_model:` and `base_model:[relation:]id` tags), in the order declared,
    /// each once (case-insensitively).
    pub bases: Said<Vec<Base>>,
    /// `base_model_relation`, else the first relation a tag gives.
    pub relation: Option<String>,
    /// Names in `datasets:` (the `dataset:` tags are read with the card's links, by `data`).
    pub datasets: Said<Vec<String>>,
    /// The library the weights load with: the API's `library_name`, else the metadata's.
    pub library: Option<Said<String>>,
    /// Keys whose value has the wrong type: ignored, and reported for the release itself.
    pub problems: Vec<Finding>,
}

impl Declared {
    /// Reads `meta` and `tags`. `library` is the API's top-level `library_name`, when given.
    pub fn read(
        meta: Option<&Map<String, Value>>,
        tags: &[String],
        library: Option<&str>,
        source: &MetaSource<'_>,
    ) -> Declared {
        let empty = Map::new();
        let meta = meta.unwrap_or(&empty);
        let mut reader = Reader {
            meta,
            source,
            problems: Vec::new(),
        };
        let mut declared = Declared::default();

        // Sets beside the lists: metadata lists can be long (a 64 MiB model info), and a scan
        // of the list per item made them quadratic.
        let mut seen = HashSet::new();
        for id in reader.strings("license") {
            push_unique(
                &mut declared.licenses.value,
                &mut seen,
                id.to_ascii_lowercase(),
            );
        }
        if !declared.licenses.value.is_empty() {
            declared.licenses.at.push(source.provenance("license"));
        }
        let tagged: Vec<&str> = tag_values(tags, "license:").collect();
        if !tagged.is_empty() {
            declared.licenses.at.push(source.tags());
            for id in tagged {
                push_unique(
                    &mut declared.licenses.value,
                    &mut seen,
                    id.to_ascii_lowercase(),
                );
            }
        }
        declared.license_name = reader.first("license_name");
        declared.license_link = reader.first("license_link");

        let datasets = reader.strings("datasets");
        declared.datasets = Said {
            at: vec![source.provenance("datasets")],
            value: datasets,
        };

        declared.library = match library {
            Some(name) => Some(Said {
                value: name.to_owned(),
                at: vec![Provenance::api("library_name")],
            }),
            None => reader.first("library_name"),
        };

        let bases = reader.strings("base_model");
        declared.relation = reader.strings("base_model_relation").into_iter().next();
        let known_relation = declared
            .relation
            .clone()
            .filter(|r| RELATIONS.contains(&r.as_str()));
        if !bases.is_empty() {
            declared.bases.at.push(source.provenance("base_model"));
        }
        let mut index = HashMap::new();
        for id in bases {
            add_base(
                &mut declared.bases.value,
                &mut index,
                &id,
                known_relation.clone(),
            );
        }
        let mut from_tags = false;
        for tag in tag_values(tags, "base_model:") {
            from_tags = true;
            match tag.split_once(':') {
                Some((rel, id)) if RELATIONS.contains(&rel) => {
                    declared.relation.get_or_insert_with(|| rel.to_owned());
                    add_base(
                        &mut declared.bases.value,
                        &mut index,
                        id,
                        Some(rel.to_owned()),
                    );
                }
                _ => add_base(&mut declared.bases.value, &mut index, tag, None),
            }
        }
        if from_tags {
            declared.bases.at.push(source.tags());
        }
        declared.problems = reader.problems;
        declared
    }

    /// The `license_name`, when declared.
    pub fn license_name(&self) -> Option<&str> {
        self.license_name.as_ref().map(|n| n.value.as_str())
    }

    /// What another repository (a base model, a dataset) declares, from its Hub metadata.
    pub fn of_related(repo: &str, info: &ModelInfo) -> Declared {
        Declared::read(
            info.card_data.as_ref(),
            &info.tags,
            info.library_name.as_deref(),
            &MetaSource::Related(repo),
        )
    }
}

/// The values of the `prefix…` tags (`dataset:`, `arxiv:`) of a repository.
pub fn tag_values<'a>(tags: &'a [String], prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    tags.iter()
        .filter_map(move |t| t.strip_prefix(prefix))
        .filter(|v| !v.is_empty())
}

fn push_unique(list: &mut Vec<String>, seen: &mut HashSet<String>, item: String) {
    if seen.insert(item.clone()) {
        list.push(item);
    }
}

/// `index`: each base's lowercased id → its place in `bases`.
fn add_base(
    bases: &mut Vec<Base>,
    index: &mut HashMap<String, usize>,
    id: &str,
    relation: Option<String>,
) {
    let id = id.trim();
    if id.is_empty() {
        return;
    }
    match index.get(&id.to_ascii_lowercase()) {
        Some(&i) => {
            let known = &mut bases[i];
            if known.relation.is_none() {
                known.relation = relation;
            }
        }
        None => {
            index.insert(id.to_ascii_lowercase(), bases.len());
            bases.push(Base {
                id: id.to_owned(),
                relation,
            });
        }
    }
}

struct Reader<'a> {
    meta: &'a Map<String, Value>,
    source: &'a MetaSource<'a>,
    problems: Vec<Finding>,
}

impl Reader<'_> {
    /// String values of a key that may be a string or a list of strings, trimmed, empty ones
    /// dropped. A value of any other type is reported and ignored.
    fn strings(&mut self, key: &str) -> Vec<String> {
        let trimmed = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        match self.meta.get(key) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => trimmed(s).into_iter().collect(),
            Some(Value::Array(items)) => {
                let strings: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                if strings.len() != items.len() {
                    self.problem(key, "strings");
                }
                strings.into_iter().filter_map(trimmed).collect()
            }
            Some(_) => {
                self.problem(key, "a string or a list of strings");
                Vec::new()
            }
        }
    }

    fn first(&mut self, key: &str) -> Option<Said<String>> {
        let value = self.strings(key).into_iter().next()?;
        Some(Said {
            value,
            at: vec![self.source.provenance(key)],
        })
    }

    fn problem(&mut self, key: &str, expected: &str) {
        let in_front_matter = matches!(self.source, MetaSource::FrontMatter(_));
        self.problems.push(Finding::metadata_key_invalid(
            in_front_matter,
            key,
            expected,
            self.source.provenance(key),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn related(value: serde_json::Value) -> Declared {
        let info = ModelInfo::from_json(&value).unwrap();
        Declared::of_related("org/base", &info)
    }

    #[test]
    fn bases_from_card_data_and_tags() {
        let declared = related(json!({
            "cardData": {"base_model": ["a/one", "b/two"], "base_model_relation": "merge"},
            "tags": ["base_model:a/one", "base_model:quantized:c/three", "base_model:merge:b/two"]
        }));
        let base = |id: &str, relation: &str| Base {
            id: id.into(),
            relation: Some(relation.into()),
        };
        assert_eq!(
            declared.bases.value,
            [
                base("a/one", "merge"),
                base("b/two", "merge"),
                base("c/three", "quantized")
            ]
        );
        assert_eq!(declared.relation.as_deref(), Some("merge"));
        assert_eq!(
            declared.bases.at,
            [
                Provenance::related("org/base", "cardData.base_model"),
                Provenance::related("org/base", "tags")
            ]
        );
    }

    #[test]
    fn licenses_from_card_data_and_tags() {
        let declared = related(json!({
            "cardData": {"license": "other", "license_name": "Llama 3.1"},
            "tags": ["license:other", "license:MIT"]
        }));
        assert_eq!(declared.licenses.value, ["other", "mit"]);
        assert_eq!(
            declared.license_name.map(|n| n.value).as_deref(),
            Some("Llama 3.1")
        );
    }

    #[test]
    fn values_of_the_wrong_type_are_problems_not_facts() {
        let declared = related(json!({
            "cardData": {"license": 3, "datasets": ["a/b", 4], "base_model": {"x": 1}}
        }));
        assert!(declared.licenses.value.is_empty());
        assert_eq!(declared.datasets.value, ["a/b"]);
        assert!(declared.bases.value.is_empty());
        let messages: Vec<&str> = declared
            .problems
            .iter()
            .map(|f| f.message.as_str())
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(messages[0].contains("`license`"), "{messages:?}");
    }

    #[test]
    fn the_api_library_name_comes_before_the_metadata() {
        let declared = related(json!({
            "library_name": "transformers",
            "cardData": {"library_name": "peft"}
        }));
        assert_eq!(
            declared.library.map(|l| l.value).as_deref(),
            Some("transformers")
        );
    }
}
