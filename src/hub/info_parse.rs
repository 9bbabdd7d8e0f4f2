//! Model-info JSON read straight from the response bytes into [`ModelInfo`], without first
//! building a `serde_json::Value` of the whole document: a 40 MB model info (a million files)
//! or an 80 MB listing page costs the bytes plus the structures kept, not twenty times that.
//!
//! The tolerance of [`ModelInfo::from_json`] is kept: the fields the audit reads are collected
//! into a small map and checked there (a wrong type is a recorded problem), `siblings` are read
//! one entry at a time and capped at [`MAX_SIBLINGS`], and every other key is skipped unread.

use super::api::{MAX_SIBLINGS, ModelInfo, NotAnObject, Sibling};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::fmt;

/// Keys of the model-info object the audit reads (besides `siblings`).
const READ: &[&str] = &[
    "id",
    "_id",
    "author",
    "sha",
    "private",
    "disabled",
    "gated",
    "tags",
    "library_name",
    "pipeline_tag",
    "cardData",
    "safetensors",
    "gguf",
    "downloads",
    "likes",
    "lastModified",
];

/// Why a document could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("{0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    NotAnObject(#[from] NotAnObject),
    #[error("expected a JSON array of models")]
    NotAnArray,
}

/// Reads one model-info document (`GET /api/models/{id}`).
pub fn model_info(bytes: &[u8]) -> Result<ModelInfo, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let info = InfoSeed.deserialize(&mut de)?;
    de.end()?;
    Ok(info?)
}

/// Reads a listing page (`GET /api/models?…`): an array of model-info objects. Items that are
/// not objects are skipped; a page that is not an array is an error.
pub fn listing_page(bytes: &[u8]) -> Result<Vec<ModelInfo>, ParseError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let items = de.deserialize_any(PageVisitor)?;
    de.end()?;
    items.ok_or(ParseError::NotAnArray)
}

struct PageVisitor;

impl<'de> Visitor<'de> for PageVisitor {
    /// `None`: the document is not an array.
    type Value = Option<Vec<ModelInfo>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of models")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element_seed(InfoSeed)? {
            if let Ok(info) = item {
                out.push(info);
            }
        }
        Ok(Some(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

/// One model-info object; anything else is `Err(NotAnObject)` (after being skipped).
struct InfoSeed;

impl<'de> DeserializeSeed<'de> for InfoSeed {
    type Value = Result<ModelInfo, NotAnObject>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(InfoVisitor)
    }
}

struct InfoVisitor;

macro_rules! not_an_object {
    ($($method:ident($ty:ty) => $found:literal;)*) => {
        $(fn $method<E>(self, _: $ty) -> Result<Self::Value, E> {
            Ok(Err(NotAnObject { found: $found }))
        })*
    };
}

impl<'de> Visitor<'de> for InfoVisitor {
    type Value = Result<ModelInfo, NotAnObject>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a model-info object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Map::new();
        let mut siblings: Option<Siblings> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "siblings" {
                siblings = Some(map.next_value_seed(SiblingsSeed)?);
            } else if READ.contains(&key.as_str()) {
                let value: Value = map.next_value()?;
                fields.insert(key, value);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        let mut info = ModelInfo::from_fields(&fields);
        match siblings {
            None | Some(Siblings::Null) => {}
            Some(Siblings::List {
                files,
                unnamed,
                dropped,
            }) => {
                info.siblings = Some(files);
                info.siblings_dropped = dropped;
                if unnamed {
                    info.problems.push(problem("entries with an `rfilename`"));
                }
            }
            Some(Siblings::NotAList) => info.problems.push(problem("an array of files")),
        }
        Ok(Ok(info))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Err(NotAnObject { found: "an array" }))
    }

    not_an_object! {
        visit_bool(bool) => "a boolean";
        visit_i64(i64) => "a number";
        visit_u64(u64) => "a number";
        visit_f64(f64) => "a number";
        visit_str(&str) => "a string";
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Err(NotAnObject { found: "null" }))
    }
}

fn problem(expected: &'static str) -> super::api::FieldProblem {
    super::api::FieldProblem {
        field: "siblings".to_owned(),
        expected,
    }
}

enum Siblings {
    Null,
    NotAList,
    List {
        files: Vec<Sibling>,
        /// Some entry had no `rfilename`.
        unnamed: bool,
        /// Entries past the cap.
        dropped: u64,
    },
}

struct SiblingsSeed;

impl<'de> DeserializeSeed<'de> for SiblingsSeed {
    type Value = Siblings;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(SiblingsVisitor)
    }
}

struct SiblingsVisitor;

macro_rules! not_a_list {
    ($($method:ident($ty:ty);)*) => {
        $(fn $method<E>(self, _: $ty) -> Result<Self::Value, E> {
            Ok(Siblings::NotAList)
        })*
    };
}

impl<'de> Visitor<'de> for SiblingsVisitor {
    type Value = Siblings;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of files")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut files = Vec::new();
        let mut unnamed = false;
        let mut dropped = 0u64;
        loop {
            if files.len() >= MAX_SIBLINGS {
                // Past the cap: skipped without building anything.
                match seq.next_element::<IgnoredAny>()? {
                    Some(_) => dropped += 1,
                    None => break,
                }
                continue;
            }
            // One entry is a handful of keys: a `Value` of it is small and freed at once.
            match seq.next_element::<Value>()? {
                Some(item) => match Sibling::from_json(&item) {
                    Some(file) => files.push(file),
                    None => unnamed = true,
                },
                None => break,
            }
        }
        files.shrink_to_fit();
        Ok(Siblings::List {
            files,
            unnamed,
            dropped,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Siblings::NotAList)
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Siblings::Null)
    }

    not_a_list! {
        visit_bool(bool);
        visit_i64(i64);
        visit_u64(u64);
        visit_f64(f64);
        visit_str(&str);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_streaming_reader_agrees_with_the_value_reader() {
        let doc = json!({
            "id": "o/n", "sha": "0e9e39f249a16976918f6564b8830bc894c89659", "gated": "manual",
            "tags": ["license:mit"], "cardData": {"license": "mit", "datasets": ["a/b"]},
            "siblings": [{"rfilename": "model.safetensors", "size": 5, "blobId": "ab",
                          "lfs": {"sha256": "cd", "size": 5}}, {"nope": 1}],
            "safetensors": {"total": 7}, "downloads": 3, "spaces": ["x"], "config": {"a": [1, 2]}
        });
        let bytes = serde_json::to_vec(&doc).unwrap();
        let streamed = model_info(&bytes).unwrap();
        let valued = ModelInfo::from_json(&doc).unwrap();
        assert_eq!(format!("{streamed:?}"), format!("{valued:?}"));
        assert_eq!(streamed.parameters, Some(7));
        assert_eq!(streamed.problems.len(), 1, "{:?}", streamed.problems);
    }

    #[test]
    fn wrong_shapes_are_problems_or_errors_never_panics() {
        let info = model_info(br#"{"id": "o/n", "siblings": "x", "gated": 1}"#).unwrap();
        assert!(info.siblings.is_none());
        assert_eq!(info.problems.len(), 2);
        assert!(matches!(
            model_info(b"[1, 2]"),
            Err(ParseError::NotAnObject(_))
        ));
        assert!(model_info(b"{\"id\": ").is_err());
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(model_info(deep.as_bytes()).is_err());
        assert!(listing_page(b"{}").is_err());
        let page = listing_page(br#"[{"id": "a/b"}, 3, {"id": "c/d", "siblings": null}]"#).unwrap();
        assert_eq!(page.len(), 2);
    }

    #[test]
    fn siblings_past_the_cap_are_counted_not_kept() {
        let n = MAX_SIBLINGS + 5;
        let mut doc = String::from(r#"{"id": "o/n", "siblings": ["#);
        for i in 0..n {
            if i > 0 {
                doc.push(',');
            }
            doc.push_str(&format!(r#"{{"rfilename": "f{i}"}}"#));
        }
        doc.push_str("]}");
        let info = model_info(doc.as_bytes()).unwrap();
        assert_eq!(info.siblings.as_ref().unwrap().len(), MAX_SIBLINGS);
        assert_eq!(info.siblings_dropped, 5);
    }
}
