//! `openness license FILE...` — recognise license texts on disk; `--id ID` — what the knowledge
//! base knows about a license; `--list` — every license it knows.

use super::{Exit, output};
use clap::Args;
use openness::licenses::detect::{DEFAULT_THRESHOLD, Recognition};
use openness::licenses::{KnowledgeBase, LicenseEntry, Recognizer};
use openness::report::sanitize::terminal;
use serde_json::{Value, json};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["files", "id", "list"])))]
pub struct LicenseArgs {
    /// License texts to recognise.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Show what the knowledge base knows about a license id or alias.
    #[arg(long, value_name = "ID", conflicts_with = "files")]
    pub id: Option<String>,
    /// List every license and use policy the knowledge base knows.
    #[arg(long, conflicts_with_all = ["files", "id"])]
    pub list: bool,
    /// Minimum similarity (0–1) for a standard SPDX text to count as recognised.
    #[arg(long, default_value_t = DEFAULT_THRESHOLD, value_parser = parse_threshold)]
    pub threshold: f32,
    /// Output format.
    #[arg(long, short, value_enum, default_value = "table")]
    pub format: LicenseFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LicenseFormat {
    Table,
    Json,
}

pub(super) fn parse_threshold(raw: &str) -> Result<f32, String> {
    let value: f32 = raw
        .parse()
        .map_err(|_| format!("`{raw}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err("the threshold is between 0 and 1".to_owned())
    }
}

pub fn run(args: &LicenseArgs) -> Exit {
    let kb = KnowledgeBase::embedded();
    if args.list {
        return print(args.format, list(kb), &list_table(kb));
    }
    if let Some(id) = &args.id {
        let Some(entry) = kb.get(id) else {
            super::error(&format!(
                "`{}` is not in the license knowledge base; `openness license --list` shows every id",
                terminal(id)
            ));
            return Exit::Usage;
        };
        return print(args.format, entry_json(entry), &entry_table(entry));
    }
    let recognizer = Recognizer::embedded();
    let mut exit = Exit::Success;
    let mut documents = Vec::new();
    let mut text = String::new();
    for path in &args.files {
        let bytes = match std::fs::read(path) {
            Ok(bytes) => bytes,
            Err(e) => {
                super::error(&format!("cannot read {}: {e}", path.display()));
                exit = Exit::Usage;
                continue;
            }
        };
        let recognition =
            recognizer.recognize_with(&String::from_utf8_lossy(&bytes), args.threshold);
        text.push_str(&file_table(&path.display().to_string(), &recognition, kb));
        documents.push(json!({
            "path": path.display().to_string(),
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
        }));
    }
    let document =
        json!({"schema": "openness/license/v1", "threshold": args.threshold, "files": documents});
    match print(args.format, document, &text) {
        Exit::Success => exit,
        other => other,
    }
}

fn print(format: LicenseFormat, document: Value, table: &str) -> Exit {
    let rendered = match format {
        LicenseFormat::Json => {
            serde_json::to_string_pretty(&document).expect("JSON values serialize") + "\n"
        }
        LicenseFormat::Table => table.to_owned(),
    };
    match output::write_text(&rendered) {
        Ok(()) => Exit::Success,
        Err(e) => {
            super::error(&e);
            Exit::Usage
        }
    }
}

fn file_table(path: &str, recognition: &Recognition, kb: &KnowledgeBase) -> String {
    let mut out = format!("{}\n", terminal(path));
    if recognition.is_unknown() {
        let closest = recognition
            .closest
            .as_ref()
            .map(|(id, score)| format!(" (closest standard text: {id}, similarity {score:.2})"))
            .unwrap_or_default();
        out.push_str(&format!("  unknown{closest}\n"));
    }
    for m in &recognition.matches {
        let Some(entry) = kb.get(&m.id) else { continue };
        let method = match m.method {
            openness::licenses::detect::Method::Signature => "signature",
            openness::licenses::detect::Method::SpdxText => "SPDX text similarity",
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
        out.push_str(&properties_table(entry, "    "));
    }
    out
}

fn properties_table(entry: &LicenseEntry, indent: &str) -> String {
    let Some(p) = &entry.properties else {
        return format!("{indent}properties unknown\n");
    };
    let rows: Vec<(&str, String, &str)> = vec![
        (
            "OSI-approved",
            p.osi_approved.value.to_string(),
            &p.osi_approved.why,
        ),
        (
            "commercial use",
            p.commercial_use.value.as_str().to_owned(),
            &p.commercial_use.why,
        ),
        (
            "use restrictions",
            if p.use_restrictions.via_policy && p.use_restrictions.value {
                "yes (acceptable-use policy)".to_owned()
            } else {
                p.use_restrictions.value.to_string()
            },
            &p.use_restrictions.why,
        ),
        (
            "user threshold",
            if p.user_threshold.value == 0 {
                "none".to_owned()
            } else {
                p.user_threshold.value.to_string()
            },
            &p.user_threshold.why,
        ),
        (
            "attribution",
            p.attribution.value.to_string(),
            &p.attribution.why,
        ),
        ("naming", p.naming.value.to_string(), &p.naming.why),
        (
            "output restrictions",
            p.output_restrictions.value.to_string(),
            &p.output_restrictions.why,
        ),
        (
            "non-commercial",
            p.non_commercial.value.to_string(),
            &p.non_commercial.why,
        ),
        (
            "research only",
            p.research_only.value.to_string(),
            &p.research_only.why,
        ),
        ("copyleft", p.copyleft.value.to_string(), &p.copyleft.why),
        (
            "derivatives",
            p.derivatives.value.to_string(),
            &p.derivatives.why,
        ),
        ("open data", p.open_data.value.to_string(), &p.open_data.why),
    ];
    rows.into_iter()
        .map(|(name, value, why)| format!("{indent}{name:<20} {value:<28} {why}\n"))
        .collect()
}

fn entry_table(entry: &LicenseEntry) -> String {
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
    out.push_str(&properties_table(entry, "  "));
    out
}

fn entry_json(entry: &LicenseEntry) -> Value {
    let mut value = serde_json::to_value(entry).expect("entries serialize");
    if let Some(obj) = value.as_object_mut() {
        obj.remove("match");
    }
    json!({"schema": "openness/license/v1", "license": value})
}

fn list(kb: &KnowledgeBase) -> Value {
    let entries: Vec<Value> = kb
        .entries()
        .iter()
        .map(|e| json!({"id": e.id, "name": e.name, "kind": e.kind, "category": e.category, "spdx": e.spdx}))
        .collect();
    json!({"schema": "openness/license/v1", "licenses": entries})
}

fn list_table(kb: &KnowledgeBase) -> String {
    let mut entries: Vec<&LicenseEntry> = kb.entries().iter().collect();
    entries.sort_by(|a, b| a.id.cmp(&b.id));
    entries
        .into_iter()
        .map(|e| format!("{:<40} {:<15} {}\n", e.id, e.category.as_str(), e.name))
        .collect()
}
