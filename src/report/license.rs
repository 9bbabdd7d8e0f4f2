//! `openness license` output: what a license text was recognised as, what the knowledge base
//! says about an entry, and the list of every entry — as text for people or as JSON
//! (`openness/license/v1`). Properties come from the one property table
//! ([`crate::licenses::properties::PROPERTIES`]).

use crate::evidence::keys;
use crate::licenses::detect::{Method, Recognition};
use crate::licenses::properties::PropertyValue;
use crate::licenses::revisions;
use crate::licenses::{KnowledgeBase, LicenseEntry};
use crate::text::sanitize::terminal;
use serde_json::{Value, json};

/// The schema name of every `openness license --format json` document.
pub const SCHEMA: &str = "openness/license/v1";

/// One recognised file, as the text and JSON renderers see it.
pub struct FileResult<'a> {
    pub path: String,
    pub recognition: &'a Recognition,
}

/// The text for the files recognised.
pub fn files_text(files: &[FileResult<'_>], kb: &KnowledgeBase) -> String {
    files
        .iter()
        .map(|f| file_text(&f.path, f.recognition, kb))
        .collect()
}

/// The JSON document for the files recognised.
pub fn files_json(files: &[FileResult<'_>], threshold: f32, kb: &KnowledgeBase) -> Value {
    let documents: Vec<Value> = files
        .iter()
        .map(|f| {
            let recognition = f.recognition;
            json!({
                "path": f.path,
                "matches": recognition.matches.iter().map(|m| {
                    let mut value = serde_json::to_value(m).expect("matches serialize");
                    if let Some(entry) = kb.get(&m.id) {
                        value["name"] = json!(entry.name);
                        value["category"] = json!(entry.category);
                        value["properties"] = json!(entry.properties);
                    }
                    value
                }).collect::<Vec<_>>(),
                "closest": recognition.closest.as_ref().map(|(id, score)| json!({"spdx": id, "similarity": score})),
                "candidates": recognition.candidates.iter().map(|c| json!({"spdx": c.spdx, "id": c.id, "similarity": c.similarity})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"schema": SCHEMA, "threshold": threshold, "files": documents})
}

fn file_text(path: &str, recognition: &Recognition, kb: &KnowledgeBase) -> String {
    let mut out = format!("{}\n", terminal(path));
    if recognition.is_unknown() {
        let nearest: Vec<String> = recognition
            .candidates
            .iter()
            .map(|c| format!("{} {:.2}", c.spdx, c.similarity))
            .collect();
        let nearest = if nearest.is_empty() {
            String::new()
        } else {
            format!(" (nearest standard texts: {})", nearest.join(", "))
        };
        out.push_str(&format!("  unknown{nearest}\n"));
    }
    for m in &recognition.matches {
        let Some(entry) = kb.get(&m.id) else { continue };
        let method = match m.method {
            Method::Signature => "signature",
            Method::SpdxText => "SPDX text similarity",
        };
        out.push_str(&format!(
            "  {}  {} — {}, {}; confidence {:.2} by {method}, from line {}\n",
            entry.id,
            entry.name,
            entry.kind.as_str(),
            entry.category.as_str(),
            m.confidence,
            m.line
        ));
        out.push_str(&properties_text(entry, "    "));
    }
    out
}

/// One line per property: label, value, clause.
fn properties_text(entry: &LicenseEntry, indent: &str) -> String {
    let Some(p) = &entry.properties else {
        return format!("{indent}properties unknown\n");
    };
    let via_policy = p.use_restrictions.value && p.use_restrictions.via_policy;
    p.rows()
        .filter_map(|row| {
            let label = row.def.label?;
            let value = match row.value {
                PropertyValue::Bool(true)
                    if row.def.evidence == keys::LICENSE_USE_RESTRICTIONS && via_policy =>
                {
                    "yes (acceptable-use policy)".to_owned()
                }
                value => value.text(),
            };
            Some(format!("{indent}{label:<20} {value:<28} {}\n", row.why))
        })
        .collect()
}

/// What the knowledge base says about one entry.
pub fn entry_text(entry: &LicenseEntry) -> String {
    let mut out = format!("{}  {}\n", entry.id, entry.name);
    out.push_str(&format!(
        "  kind {}, category {}, family {}",
        entry.kind.as_str(),
        entry.category.as_str(),
        entry.family
    ));
    if let Some(version) = &entry.version {
        out.push_str(&format!(", version {version}"));
    }
    if let Some(effective) = &entry.effective {
        out.push_str(&format!(", effective {effective}"));
    }
    out.push('\n');
    if let Some(spdx) = &entry.spdx {
        out.push_str(&format!("  SPDX {spdx}\n"));
    }
    out.push_str(&format!("  {}\n", entry.url));
    if !entry.aliases.is_empty() {
        out.push_str(&format!("  aliases: {}\n", entry.aliases.join(", ")));
    }
    if !entry.policies.is_empty() {
        out.push_str(&format!("  incorporates: {}\n", entry.policies.join(", ")));
    }
    if let Some(notes) = &entry.notes {
        out.push_str(&format!("  {notes}\n"));
    }
    out.push_str(&properties_text(entry, "  "));
    out
}

/// The revisions of `entry`'s license and the other licenses of its family, as text.
pub fn related_text(kb: &KnowledgeBase, entry: &LicenseEntry) -> String {
    let mut out = String::new();
    let revisions = revisions::revisions(kb, entry);
    if revisions.len() > 1 {
        out.push_str(&format!(
            "  revisions of `{}`, oldest first (a card declaring `{}` names the last):\n",
            revisions::line(entry),
            revisions::line(entry)
        ));
        for r in &revisions {
            out.push_str(&revision_line(r, r.id == entry.id));
        }
    }
    let others: Vec<&LicenseEntry> = revisions::family(kb, &entry.family)
        .into_iter()
        .filter(|e| revisions::line(e) != revisions::line(entry))
        .collect();
    if !others.is_empty() {
        out.push_str(&format!(
            "  other licenses of the family `{}`:\n",
            entry.family
        ));
        for e in others {
            out.push_str(&revision_line(e, false));
        }
    }
    out
}

/// Every hand-written entry of a family, oldest first, as text.
pub fn family_text(family: &str, entries: &[&LicenseEntry]) -> String {
    let mut out = format!(
        "family `{}`: {} licenses, oldest first\n",
        terminal(family),
        entries.len()
    );
    for e in entries {
        out.push_str(&revision_line(e, false));
    }
    out
}

/// Every hand-written entry of a family, as JSON.
pub fn family_json(family: &str, entries: &[&LicenseEntry]) -> Value {
    json!({"schema": SCHEMA, "family": family, "licenses": entries.iter().map(|e| revision_json(e)).collect::<Vec<_>>()})
}

fn revision_line(e: &LicenseEntry, this: bool) -> String {
    format!(
        "  {} {:<34} {:<8} {:<11} {:<15} {}\n",
        if this { "→" } else { " " },
        e.id,
        e.version
            .as_deref()
            .map_or_else(String::new, |v| format!("v{v}")),
        e.effective.as_deref().unwrap_or("-"),
        e.category.as_str(),
        e.name
    )
}

fn revision_json(e: &LicenseEntry) -> Value {
    json!({
        "id": e.id,
        "name": e.name,
        "version": e.version,
        "effective": e.effective,
        "revision-of": e.revision_of,
        "category": e.category,
    })
}

pub fn entry_json(kb: &KnowledgeBase, entry: &LicenseEntry) -> Value {
    let mut value = serde_json::to_value(entry).expect("entries serialize");
    if let Some(obj) = value.as_object_mut() {
        obj.remove("match");
    }
    let revisions: Vec<Value> = revisions::revisions(kb, entry)
        .into_iter()
        .map(revision_json)
        .collect();
    let family: Vec<Value> = revisions::family(kb, &entry.family)
        .into_iter()
        .map(revision_json)
        .collect();
    json!({"schema": SCHEMA, "license": value, "revisions": revisions, "family": family})
}

/// Every entry, as JSON.
pub fn list_json(kb: &KnowledgeBase) -> Value {
    let entries: Vec<Value> = kb
        .entries()
        .iter()
        .map(|e| json!({"id": e.id, "name": e.name, "kind": e.kind, "category": e.category, "spdx": e.spdx}))
        .collect();
    json!({"schema": SCHEMA, "licenses": entries})
}

/// Every entry, one line each, by id.
pub fn list_text(kb: &KnowledgeBase) -> String {
    let mut entries: Vec<&LicenseEntry> = kb.entries().iter().collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    entries
        .into_iter()
        .map(|e| format!("{:<40} {:<15} {}\n", e.id, e.category.as_str(), e.name))
        .collect()
}

/// A JSON document as `openness license` prints it.
pub fn json_text(document: &Value) -> String {
    serde_json::to_string_pretty(document).expect("JSON values serialize") + "\n"
}
