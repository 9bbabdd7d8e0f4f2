//! A tolerant typed view of the Hub's model-info JSON (`GET /api/models/{id}?blobs=true`).
//!
//! The Hub adds keys over time and old repos carry odd values, and a hostile mirror can send
//! anything: every field is optional, unknown keys are ignored, and a field of the wrong type is
//! recorded as a problem instead of failing the whole response.

use serde_json::{Map, Value};

/// The access gate of a repository.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    None,
    Auto,
    Manual,
}

impl Gate {
    pub fn as_str(self) -> &'static str {
        match self {
            Gate::None => "none",
            Gate::Auto => "auto",
            Gate::Manual => "manual",
        }
    }
}

/// One file of the repository listing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sibling {
    pub path: String,
    pub size: Option<u64>,
    pub blob_id: Option<String>,
    pub lfs_sha256: Option<String>,
}

impl Sibling {
    /// One entry of `siblings`; `None` when it has no `rfilename`.
    pub fn from_json(item: &Value) -> Option<Sibling> {
        let path = item.get("rfilename").and_then(Value::as_str)?;
        let lfs = item.get("lfs");
        Some(Sibling {
            path: path.to_owned(),
            size: item
                .get("size")
                .and_then(Value::as_u64)
                .or_else(|| lfs.and_then(|l| l.get("size")).and_then(Value::as_u64)),
            blob_id: item
                .get("blobId")
                .and_then(Value::as_str)
                .map(str::to_owned),
            lfs_sha256: lfs
                .and_then(|l| l.get("sha256"))
                .and_then(Value::as_str)
                .map(str::to_owned),
        })
    }
}

/// A field that was present but not of the documented type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub expected: &'static str,
}

#[derive(Clone, Debug, Default)]
pub struct ModelInfo {
    pub id: Option<String>,
    pub internal_id: Option<String>,
    pub author: Option<String>,
    pub sha: Option<String>,
    pub private: Option<bool>,
    pub disabled: Option<bool>,
    pub gated: Option<Gate>,
    pub tags: Vec<String>,
    pub library_name: Option<String>,
    pub pipeline_tag: Option<String>,
    pub card_data: Option<Map<String, Value>>,
    pub siblings: Option<Vec<Sibling>>,
    pub parameters: Option<u64>,
    pub downloads: Option<u64>,
    pub likes: Option<u64>,
    pub last_modified: Option<String>,
    pub problems: Vec<FieldProblem>,
    /// Files of the listing left out past [`MAX_SIBLINGS`] (a repository listing that large is
    /// read only to the cap, and the audit says so).
    pub siblings_dropped: u64,
}

/// Most files of one repository listing kept. Real repositories stay far below; a listing of
/// a million files (tens of MB of JSON) would otherwise cost hundreds of MB as structures.
pub const MAX_SIBLINGS: usize = 100_000;

/// A model-info document that is not a JSON object at all.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("expected a JSON object, got {found}")]
pub struct NotAnObject {
    /// What came instead (`an array`, `null`…).
    pub found: &'static str,
}

impl ModelInfo {
    /// Anyone can read it: not private, not disabled, no access gate.
    pub fn is_public(&self) -> bool {
        self.private != Some(true)
            && self.disabled != Some(true)
            && matches!(self.gated, None | Some(Gate::None))
    }

    /// Reads a model-info object. Fails only when the document is not a JSON object at all.
    pub fn from_json(value: &Value) -> Result<ModelInfo, NotAnObject> {
        let Some(obj) = value.as_object() else {
            return Err(NotAnObject { found: kind(value) });
        };
        let mut info = ModelInfo::from_fields(obj);
        if obj.contains_key("siblings") {
            let mut reader = Reader {
                obj,
                problems: Vec::new(),
            };
            info.siblings = reader.siblings();
            info.problems.extend(reader.problems);
            if let Some(Value::Array(items)) = obj.get("siblings") {
                info.siblings_dropped = items.len().saturating_sub(MAX_SIBLINGS) as u64;
            }
        }
        Ok(info)
    }

    /// Reads every field but `siblings` from an object (the streaming reader in
    /// [`super::info_parse`] reads the listing of files itself).
    pub(super) fn from_fields(obj: &Map<String, Value>) -> ModelInfo {
        let mut reader = Reader {
            obj,
            problems: Vec::new(),
        };
        let mut info = ModelInfo {
            id: reader.string("id"),
            internal_id: reader.string("_id"),
            author: reader.string("author"),
            sha: reader.string("sha").filter(|s| is_sha(s)),
            private: reader.bool("private"),
            disabled: reader.bool("disabled"),
            gated: reader.gate(),
            tags: reader.string_list("tags"),
            library_name: reader.string("library_name"),
            pipeline_tag: reader.string("pipeline_tag"),
            card_data: reader.object("cardData"),
            siblings: None,
            parameters: None,
            downloads: reader.uint("downloads"),
            likes: reader.uint("likes"),
            last_modified: reader.string("lastModified"),
            problems: Vec::new(),
            siblings_dropped: 0,
        };
        info.parameters = reader.parameters();
        if obj
            .get("sha")
            .and_then(Value::as_str)
            .is_some_and(|s| !is_sha(s))
        {
            reader.problem("sha", "a 40-character hex commit id");
        }
        info.problems = reader.problems;
        info
    }
}

impl ModelInfo {
    /// The Hub's JSON shape of what was read (the fields this type keeps), so a listing item
    /// can be recorded in the cache and read back by [`ModelInfo::from_json`].
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        let mut put = |key: &str, value: Option<Value>| {
            if let Some(value) = value {
                obj.insert(key.to_owned(), value);
            }
        };
        put("id", self.id.clone().map(Value::from));
        put("_id", self.internal_id.clone().map(Value::from));
        put("author", self.author.clone().map(Value::from));
        put("sha", self.sha.clone().map(Value::from));
        put("private", self.private.map(Value::from));
        put("disabled", self.disabled.map(Value::from));
        put(
            "gated",
            self.gated.map(|g| match g {
                Gate::None => Value::Bool(false),
                other => Value::from(other.as_str()),
            }),
        );
        put("tags", Some(Value::from(self.tags.clone())));
        put("library_name", self.library_name.clone().map(Value::from));
        put("pipeline_tag", self.pipeline_tag.clone().map(Value::from));
        put("cardData", self.card_data.clone().map(Value::Object));
        put(
            "siblings",
            self.siblings.as_ref().map(|files| {
                files
                    .iter()
                    .map(|f| {
                        let mut s = Map::new();
                        s.insert("rfilename".into(), f.path.clone().into());
                        if let Some(size) = f.size {
                            s.insert("size".into(), size.into());
                        }
                        if let Some(blob) = &f.blob_id {
                            s.insert("blobId".into(), blob.clone().into());
                        }
                        if let Some(sha) = &f.lfs_sha256 {
                            s.insert("lfs".into(), serde_json::json!({"sha256": sha}));
                        }
                        Value::Object(s)
                    })
                    .collect()
            }),
        );
        put(
            "safetensors",
            self.parameters.map(|n| serde_json::json!({"total": n})),
        );
        put("downloads", self.downloads.map(Value::from));
        put("likes", self.likes.map(Value::from));
        put("lastModified", self.last_modified.clone().map(Value::from));
        Value::Object(obj)
    }
}

/// True for a 40-hex git commit id.
pub fn is_sha(s: &str) -> bool {
    s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(super) struct Reader<'a> {
    obj: &'a Map<String, Value>,
    problems: Vec<FieldProblem>,
}

impl Reader<'_> {
    pub(super) fn problem(&mut self, field: &str, expected: &'static str) {
        self.problems.push(FieldProblem {
            field: field.to_owned(),
            expected,
        });
    }

    /// The field, or `None` when absent or null.
    fn get(&self, key: &str) -> Option<&Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    fn string(&mut self, key: &str) -> Option<String> {
        match self.get(key)? {
            Value::String(s) => Some(s.clone()),
            _ => {
                self.problem(key, "a string");
                None
            }
        }
    }

    fn bool(&mut self, key: &str) -> Option<bool> {
        match self.get(key)? {
            Value::Bool(b) => Some(*b),
            _ => {
                self.problem(key, "a boolean");
                None
            }
        }
    }

    fn uint(&mut self, key: &str) -> Option<u64> {
        match self.get(key)?.as_u64() {
            Some(n) => Some(n),
            None => {
                self.problem(key, "a non-negative integer");
                None
            }
        }
    }

    fn object(&mut self, key: &str) -> Option<Map<String, Value>> {
        match self.get(key)? {
            Value::Object(map) => Some(map.clone()),
            _ => {
                self.problem(key, "an object");
                None
            }
        }
    }

    fn string_list(&mut self, key: &str) -> Vec<String> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let strings: Vec<String> = items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if strings.len() != items.len() {
                    self.problem(key, "an array of strings");
                }
                strings
            }
            Some(_) => {
                self.problem(key, "an array of strings");
                Vec::new()
            }
        }
    }

    fn gate(&mut self) -> Option<Gate> {
        match self.get("gated")? {
            Value::Bool(false) => Some(Gate::None),
            Value::String(s) if s == "auto" => Some(Gate::Auto),
            Value::String(s) if s == "manual" => Some(Gate::Manual),
            // Older or foreign servers: `true` means gated, mode unknown; treat as manual (the
            // stricter reading) and say so.
            Value::Bool(true) => {
                self.problem("gated", "false, \"auto\" or \"manual\" (got true)");
                Some(Gate::Manual)
            }
            _ => {
                self.problem("gated", "false, \"auto\" or \"manual\"");
                None
            }
        }
    }

    fn siblings(&mut self) -> Option<Vec<Sibling>> {
        let items = match self.get("siblings")? {
            Value::Array(items) => items,
            _ => {
                self.problem("siblings", "an array of files");
                return None;
            }
        };
        let mut out = Vec::with_capacity(items.len().min(MAX_SIBLINGS));
        let mut bad = false;
        for item in items.iter().take(MAX_SIBLINGS) {
            match Sibling::from_json(item) {
                Some(sibling) => out.push(sibling),
                None => bad = true,
            }
        }
        if bad {
            self.problem("siblings", "entries with an `rfilename`");
        }
        Some(out)
    }

    fn parameters(&mut self) -> Option<u64> {
        for key in ["safetensors", "gguf"] {
            if let Some(section) = self.get(key) {
                match section.get("total").and_then(Value::as_u64) {
                    Some(total) => return Some(total),
                    None if section.is_object() => {}
                    None => self.problem(key, "an object with `total`"),
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_the_documented_fields() {
        let info = ModelInfo::from_json(&json!({
            "id": "meta-llama/Llama-3.1-8B-Instruct", "sha": "0e9e39f249a16976918f6564b8830bc894c89659",
            "gated": "manual", "tags": ["license:llama3.1"], "cardData": {"license": "llama3.1"},
            "siblings": [{"rfilename": "model.safetensors", "size": 5, "lfs": {"sha256": "ab", "size": 5}}],
            "safetensors": {"total": 8030261248u64}
        }))
        .unwrap();
        assert_eq!(info.gated, Some(Gate::Manual));
        assert_eq!(info.parameters, Some(8030261248));
        assert_eq!(info.siblings.unwrap()[0].size, Some(5));
        assert!(info.problems.is_empty());
    }

    #[test]
    fn wrong_types_become_problems_not_errors() {
        let info = ModelInfo::from_json(&json!({
            "id": "hostile/wrong-types", "gated": 123, "siblings": "not-a-list", "tags": null,
            "cardData": {"license": 42}
        }))
        .unwrap();
        assert_eq!(info.gated, None);
        assert!(info.siblings.is_none());
        let fields: Vec<&str> = info.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["gated", "siblings"]);
        assert!(ModelInfo::from_json(&json!([1, 2])).is_err());
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let info = ModelInfo::from_json(&json!({
            "id": "o/n", "sha": "0e9e39f249a16976918f6564b8830bc894c89659", "gated": false,
            "tags": ["a"], "cardData": {"license": "mit"}, "downloads": 4,
            "siblings": [{"rfilename": "a.safetensors", "size": 5, "blobId": "b", "lfs": {"sha256": "c"}}],
            "safetensors": {"total": 9}
        }))
        .unwrap();
        let again = ModelInfo::from_json(&info.to_json()).unwrap();
        assert_eq!(format!("{info:?}"), format!("{again:?}"));
    }
}
