//! What the fake Hub serves: the models and datasets of `tests/fixtures/` (a subset of the
//! shared corpus, copied), the hostile models `hub_emulator.py --hostile` adds, and whatever a
//! test inserts.

use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

/// One model repository.
#[derive(Clone, Debug)]
pub struct Repo {
    /// The model-info answer (`_refs` removed; `sha` filled in when the fixture has none).
    pub info: Value,
    /// File path → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Files need the token.
    pub gated: bool,
    /// Branch names (the refs API).
    pub refs: Vec<String>,
}

impl Repo {
    pub fn new(id: &str, info: Value, files: BTreeMap<String, Vec<u8>>) -> Repo {
        let mut info = match info {
            Value::Object(map) => map,
            _ => serde_json::Map::new(),
        };
        info.entry("id").or_insert_with(|| json!(id));
        if !info.contains_key("sha") {
            let mut digest = Vec::new();
            for (path, bytes) in &files {
                digest.extend_from_slice(path.as_bytes());
                digest.push(0);
                digest.extend_from_slice(bytes);
            }
            info.insert("sha".into(), json!(hex40(&digest)));
        }
        let refs = match info.remove("_refs") {
            Some(Value::Array(refs)) => refs
                .iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect(),
            _ => vec!["main".to_owned()],
        };
        // As Python's bool(): "manual", "auto", true and any non-zero number gate.
        let gated = match info.get("gated") {
            None | Some(Value::Null) | Some(Value::Bool(false)) => false,
            Some(Value::String(s)) => !s.is_empty(),
            Some(Value::Number(n)) => n.as_f64() != Some(0.0),
            Some(_) => true,
        };
        Repo {
            info: Value::Object(info),
            files,
            gated,
            refs,
        }
    }

    pub fn sha(&self) -> &str {
        self.info["sha"].as_str().unwrap_or("main")
    }
}

/// Models and datasets by id.
#[derive(Clone, Debug, Default)]
pub struct Corpus {
    pub models: BTreeMap<String, Repo>,
    pub datasets: BTreeMap<String, Value>,
    /// Model ids the Hub refuses to answer for (403): a fetch failure that is not a 404.
    pub refused: std::collections::BTreeSet<String>,
}

fn fixtures() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))
}

/// `org__name` → `org/name`.
fn id_of(stem: &str) -> String {
    stem.replacen("__", "/", 1)
}

impl Corpus {
    /// Every model of `tests/fixtures/hub/` and dataset of `tests/fixtures/datasets/`.
    pub fn fixtures() -> Corpus {
        let mut corpus = Corpus::default();
        for entry in std::fs::read_dir(fixtures().join("hub")).unwrap().flatten() {
            let dir = entry.path();
            let Ok(text) = std::fs::read_to_string(dir.join("info.json")) else {
                continue;
            };
            let id = id_of(&entry.file_name().to_string_lossy());
            let info: Value = serde_json::from_str(&text).unwrap();
            let mut files = BTreeMap::new();
            for file in std::fs::read_dir(dir.join("files")).into_iter().flatten() {
                let file = file.unwrap();
                let name = file.file_name().to_string_lossy().into_owned();
                files.insert(name, std::fs::read(file.path()).unwrap());
            }
            corpus.insert(&id, info, files);
        }
        for entry in std::fs::read_dir(fixtures().join("datasets"))
            .unwrap()
            .flatten()
        {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(stem) = name.strip_suffix(".json") {
                let text = std::fs::read_to_string(entry.path()).unwrap();
                corpus
                    .datasets
                    .insert(id_of(stem), serde_json::from_str(&text).unwrap());
            }
        }
        corpus
    }

    /// Answers 403 for everything about `id`.
    pub fn refuse(mut self, id: &str) -> Corpus {
        self.refused.insert(id.to_owned());
        self
    }

    pub fn insert(&mut self, id: &str, info: Value, files: BTreeMap<String, Vec<u8>>) {
        self.models
            .insert(id.to_owned(), Repo::new(id, info, files));
    }

    /// Adds the models under org `hostile` that `hub_emulator.py --hostile` serves: each a bad
    /// input a robust client must survive.
    pub fn with_hostile(mut self) -> Corpus {
        let esc = "\u{1b}]8;;http://evil.invalid\u{7}click\u{1b}]8;;\u{7} \u{1b}[2J\u{1b}[31mRED\u{1b}[0m";
        let bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
                    g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nlicense: mit\n---\n";
        let mut huge = b"---\nlicense: mit\n---\n".to_vec();
        huge.resize(huge.len() + 64 * 1024 * 1024, b'A');
        let cases: Vec<(&str, Value, Vec<u8>)> = vec![
            (
                "escapes",
                json!({"license": "other", "license_name": format!("evil{esc}")}),
                format!("---\nlicense: other\nlicense_name: \"evil\\e[31m\"\n---\n# Title {esc}\n")
                    .into_bytes(),
            ),
            (
                "bad-yaml",
                json!({}),
                b"---\nlicense: [mit\n  datasets: : :\n---\n# broken front matter\n".to_vec(),
            ),
            ("alias-bomb", json!({}), bomb.as_bytes().to_vec()),
            (
                "not-utf8",
                json!({"license": "mit"}),
                b"---\nlicense: mit\n---\n\xff\xfe\xc3\x28 bad bytes\n".to_vec(),
            ),
            ("huge-readme", json!({"license": "mit"}), huge),
            (
                "wrong-types",
                json!({"license": 42, "datasets": {"x": 1}, "base_model": ["a/b", 7]}),
                b"---\nlicense: 42\n---\n".to_vec(),
            ),
            (
                "self-parent",
                json!({"license": "apache-2.0", "base_model": "hostile/self-parent"}),
                b"---\nlicense: apache-2.0\nbase_model: hostile/self-parent\n---\n".to_vec(),
            ),
        ];
        for (name, card, readme) in cases {
            let id = format!("hostile/{name}");
            let files = BTreeMap::from([
                ("README.md".to_owned(), readme),
                ("LICENSE".to_owned(), b"MIT License\n".to_vec()),
            ]);
            let mut info = json!({
                "id": id, "modelId": id, "author": "hostile", "private": false,
                "disabled": false, "gated": false, "cardData": card, "tags": ["region:us"],
                "siblings": [{"rfilename": "README.md"}, {"rfilename": "LICENSE"},
                             {"rfilename": "model.safetensors"}],
            });
            if name == "wrong-types" {
                info["gated"] = json!(123);
                info["siblings"] = json!("not-a-list");
                info["tags"] = Value::Null;
            }
            self.insert(&id, info, files);
        }
        self
    }
}

/// FNV-1a, 64 bits: stable ids and ETags without a hashing crate.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// 40 hex digits derived from `bytes`: a commit-like id.
pub fn hex40(bytes: &[u8]) -> String {
    let a = fnv(bytes);
    let b = fnv(&[bytes, b"\x01"].concat());
    let c = fnv(&[bytes, b"\x02"].concat());
    format!("{a:016x}{b:016x}{c:016x}")[..40].to_owned()
}
