//! The license knowledge base: `licenses/*.toml`, embedded in the binary. One entry per license
//! (or acceptable-use policy) with its properties, each justified by a clause, and the signatures
//! that recognise its text. Format: `docs/licenses.md`.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use super::properties::{Commercial, Prop, Properties, UseRestrictions};

/// The embedded knowledge-base files. A test checks this list against `licenses/*.toml`.
pub const FILES: &[(&str, &str)] = &include!("files.in");

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    License,
    UsePolicy,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::License => "license",
            Kind::UsePolicy => "use-policy",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Open,
    Restricted,
    NonCommercial,
    Unknown,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Open => "open",
            Category::Restricted => "restricted",
            Category::NonCommercial => "non-commercial",
            Category::Unknown => "unknown",
        }
    }
}

/// Phrases that recognise a license text (matched after normalisation, see `docs/licenses.md`).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub all: Vec<String>,
    #[serde(default)]
    pub any: Vec<String>,
    #[serde(default)]
    pub none: Vec<String>,
    /// Phrases the `all` phrases must come before (when they occur at all): a notice that
    /// precedes the terms, not the same words in the terms' own appendix.
    #[serde(default)]
    pub before: Vec<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LicenseEntry {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spdx: Option<String>,
    pub name: String,
    pub family: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The date this text took effect (`YYYY-MM-DD`): orders the revisions of a license.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<String>,
    /// The current entry of the license this entry is an earlier (or later) revision of: the
    /// id a card declares for every revision (`yi-license` for Yi v1.0, v2.0 and v2.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision_of: Option<String>,
    /// An entry this one makes more precise when both are recognised in one text (the
    /// `-or-later` notice over the bare GPL text): the other is then dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refines: Option<String>,
    /// Licences whose text this one's includes (the LGPL-3.0 is published with the GPL-3.0
    /// after it): when both are recognised in one text, only this one counts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub includes: Vec<String>,
    pub url: String,
    pub kind: Kind,
    pub category: Category,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub policies: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties: Option<Properties>,
    #[serde(default, rename = "match", skip_serializing_if = "Vec::is_empty")]
    pub signatures: Vec<Signature>,
    /// Not written by hand: derived from the SPDX license list (`spdx_list.rs`).
    #[serde(skip_deserializing, skip_serializing_if = "std::ops::Not::not")]
    pub from_spdx_list: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KbFile {
    license: Vec<LicenseEntry>,
}

/// The loaded knowledge base with its lookup index.
#[derive(Debug)]
pub struct KnowledgeBase {
    entries: Vec<LicenseEntry>,
    /// Normalised id or alias → index into `entries`.
    index: HashMap<String, usize>,
}

/// Problems found while loading: each names the file and the entry.
pub type LoadErrors = Vec<String>;

impl KnowledgeBase {
    /// Loads and checks knowledge-base files given as (name, contents).
    pub fn load(files: &[(&str, &str)]) -> Result<KnowledgeBase, LoadErrors> {
        let mut errors = Vec::new();
        let mut entries: Vec<LicenseEntry> = Vec::new();
        for (name, contents) in files {
            match toml::from_str::<KbFile>(contents) {
                Ok(file) => entries.extend(file.license),
                Err(e) => errors.push(format!("licenses/{name}: {e}")),
            }
        }
        let mut index = HashMap::new();
        for (i, entry) in entries.iter().enumerate() {
            for key in std::iter::once(&entry.id).chain(&entry.aliases) {
                if let Some(previous) = index.insert(normalize_id(key), i)
                    && previous != i
                {
                    errors.push(format!(
                        "`{key}` names both `{}` and `{}`",
                        entries[previous].id, entry.id
                    ));
                }
            }
            if entry.properties.is_none() && entry.category != Category::Unknown {
                errors.push(format!("`{}` has no [license.properties]", entry.id));
            }
        }
        // An entry's SPDX id finds it too, unless an id or alias already means something.
        for (i, entry) in entries.iter().enumerate() {
            if let Some(spdx) = &entry.spdx {
                index.entry(normalize_id(spdx)).or_insert(i);
            }
        }
        for entry in &entries {
            check_references(entry, &entries, &index, &mut errors);
        }
        if errors.is_empty() {
            Ok(KnowledgeBase { entries, index })
        } else {
            Err(errors)
        }
    }

    /// Adds entries (the SPDX list's, derived in `spdx_list.rs`) after the hand-written ones.
    pub fn extend(mut self, entries: Vec<LicenseEntry>) -> KnowledgeBase {
        for entry in entries {
            let i = self.entries.len();
            self.index.entry(normalize_id(&entry.id)).or_insert(i);
            self.entries.push(entry);
        }
        self
    }

    /// Looks up an id, alias or SPDX id (case- and separator-insensitive).
    pub fn get(&self, id_or_alias: &str) -> Option<&LicenseEntry> {
        self.position(id_or_alias).map(|i| &self.entries[i])
    }

    /// The index into [`KnowledgeBase::entries`] of an id, alias or SPDX id.
    pub fn position(&self, id_or_alias: &str) -> Option<usize> {
        let key = normalize_id(id_or_alias);
        if let Some(&i) = self.index.get(&key) {
            return Some(i);
        }
        // SPDX's `+` (`GPL-2.0+`, `LGPL-2.1+`): the `-or-later` id, else the bare one.
        let base = key.strip_suffix('+')?;
        self.index
            .get(&format!("{base}-or-later"))
            .or_else(|| self.index.get(base))
            .copied()
    }

    pub fn entries(&self) -> &[LicenseEntry] {
        &self.entries
    }
}

/// Checks that what an entry names (policies, revisions, refinements) exists and fits.
fn check_references(
    entry: &LicenseEntry,
    entries: &[LicenseEntry],
    index: &HashMap<String, usize>,
    errors: &mut LoadErrors,
) {
    let lookup = |id: &str| index.get(&normalize_id(id)).map(|&i| &entries[i]);
    for policy in &entry.policies {
        match lookup(policy) {
            Some(p) if p.kind == Kind::UsePolicy => {}
            Some(_) => errors.push(format!(
                "`{}` lists `{policy}` as a policy, but it is not a use-policy",
                entry.id
            )),
            None => errors.push(format!("`{}` lists unknown policy `{policy}`", entry.id)),
        }
    }
    if let Some(date) = &entry.effective
        && !is_iso_date(date)
    {
        errors.push(format!(
            "`{}` has effective = \"{date}\"; write the date as YYYY-MM-DD",
            entry.id
        ));
    }
    if let Some(current) = &entry.revision_of {
        match lookup(current) {
            None => errors.push(format!("`{}` is a revision of unknown `{current}`", entry.id)),
            Some(c) if c.revision_of.is_some() => errors.push(format!(
                "`{}` is a revision of `{current}`, which is itself a revision; name the current entry",
                entry.id
            )),
            Some(c) if c.family != entry.family || c.id == entry.id => errors.push(format!(
                "`{}` is a revision of `{current}` but they are not two entries of one family",
                entry.id
            )),
            Some(c) if entry.effective.is_none() || c.effective.is_none() => errors.push(format!(
                "`{}` and `{current}` are revisions of one license: both need `effective`",
                entry.id
            )),
            Some(_) => {}
        }
    }
    if let Some(refined) = &entry.refines
        && lookup(refined).is_none()
    {
        errors.push(format!("`{}` refines unknown `{refined}`", entry.id));
    }
    for included in &entry.includes {
        if lookup(included).is_none() {
            errors.push(format!("`{}` includes unknown `{included}`", entry.id));
        }
    }
}

fn is_iso_date(date: &str) -> bool {
    let b = date.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// Ids compare lowercased with spaces and underscores as dashes (`Llama 3.1` = `llama-3.1`).
pub fn normalize_id(id: &str) -> String {
    id.trim().to_ascii_lowercase().replace([' ', '_'], "-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_files_are_every_toml_in_licenses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("licenses");
        let mut on_disk: Vec<String> = fs_err::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = FILES.iter().map(|(name, _)| *name).collect();
        assert_eq!(embedded, on_disk, "run scripts/gen-license-index.sh");
    }

    /// Issue 13: sources are cited as upstream locations (repository + path + commit, or
    /// URL), never as a path on a development machine.
    #[test]
    fn sources_are_cited_upstream() {
        for (name, contents) in FILES {
            for (n, line) in contents.lines().enumerate() {
                for local in ["/work/", "hub-corpus", "/home/", "/tmp/", "../shared"] {
                    assert!(
                        !line.contains(local),
                        "licenses/{name}:{}: cites a local path: {line}",
                        n + 1
                    );
                }
            }
            assert!(
                contents.contains("github:") || contents.contains("https://"),
                "licenses/{name} cites no upstream source"
            );
        }
    }

    #[test]
    fn embedded_knowledge_base_loads_and_covers_the_hub_ids() {
        let kb = KnowledgeBase::load(FILES).unwrap_or_else(|e| panic!("{}", e.join("\n")));
        // Every license id the Hub accepts (hf-api.md §8.2).
        for id in [
            "apache-2.0",
            "mit",
            "openrail",
            "bigscience-openrail-m",
            "creativeml-openrail-m",
            "bigscience-bloom-rail-1.0",
            "bigcode-openrail-m",
            "afl-3.0",
            "artistic-2.0",
            "bsl-1.0",
            "bsd",
            "bsd-2-clause",
            "bsd-3-clause",
            "bsd-3-clause-clear",
            "c-uda",
            "cc",
            "cc0-1.0",
            "cc-by-2.0",
            "cc-by-2.5",
            "cc-by-3.0",
            "cc-by-4.0",
            "cc-by-sa-3.0",
            "cc-by-sa-4.0",
            "cc-by-nc-2.0",
            "cc-by-nc-3.0",
            "cc-by-nc-4.0",
            "cc-by-nd-4.0",
            "cc-by-nc-nd-3.0",
            "cc-by-nc-nd-4.0",
            "cc-by-nc-sa-2.0",
            "cc-by-nc-sa-3.0",
            "cc-by-nc-sa-4.0",
            "cdla-sharing-1.0",
            "cdla-permissive-1.0",
            "cdla-permissive-2.0",
            "wtfpl",
            "ecl-2.0",
            "epl-1.0",
            "epl-2.0",
            "etalab-2.0",
            "eupl-1.1",
            "eupl-1.2",
            "agpl-3.0",
            "gfdl",
            "gpl",
            "gpl-2.0",
            "gpl-3.0",
            "lgpl",
            "lgpl-2.1",
            "lgpl-3.0",
            "isc",
            "h-research",
            "intel-research",
            "lppl-1.3c",
            "ms-pl",
            "apple-ascl",
            "apple-amlr",
            "mpl-2.0",
            "odc-by",
            "odbl",
            "openmdw-1.0",
            "openmdw-1.1",
            "openrail++",
            "osl-3.0",
            "postgresql",
            "ofl-1.1",
            "ncsa",
            "unlicense",
            "zlib",
            "pddl",
            "lgpl-lr",
            "deepfloyd-if-license",
            "fair-noncommercial-research-license",
            "llama2",
            "llama3",
            "llama3.1",
            "llama3.2",
            "llama3.3",
            "llama4",
            "grok2-community",
            "gemma",
            "unknown",
            "other",
        ] {
            assert_eq!(kb.get(id).map(|e| e.id.as_str()), Some(id), "Hub id {id}");
        }
        // The custom ids and license_name spellings the corpus cards use.
        for (name, id) in [
            ("deepseek", "deepseek"),
            ("deepseek-license", "deepseek"),
            ("qwen", "qwen"),
            ("qwen-research", "qwen-research"),
            ("tongyi-qianwen-license-agreement", "tongyi-qianwen"),
            (
                "flux-1-dev-non-commercial-license",
                "flux-1-dev-non-commercial",
            ),
            ("mrl", "mistral-research"),
            ("mnpl", "mnpl"),
            ("nvidia-open-model-license", "nvidia-open-model"),
            ("glm-4", "glm-4"),
            ("gemma-terms-of-use", "gemma"),
            ("Llama 3.1", "llama3.1"),
        ] {
            assert_eq!(
                kb.get(name).map(|e| e.id.as_str()),
                Some(id),
                "license_name {name}"
            );
        }
    }
}
