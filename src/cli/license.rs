//! `openness license FILE...` — recognise license texts on disk; `--id ID` — what the knowledge
//! base knows about a license; `--list` — every license it knows.

use super::exit::{self, Errors, Exit};
use super::sink::Sink;
use clap::Args;
use openness::licenses::detect::DEFAULT_THRESHOLD;
use openness::licenses::{KnowledgeBase, Recognizer, revisions};
use openness::report::license;
use serde_json::Value;
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["files", "id", "list"])))]
pub struct LicenseArgs {
    /// License texts to recognise.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Show what the knowledge base knows about a license id or alias (with its revisions),
    /// or list a license family's revisions.
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

pub fn run(args: &LicenseArgs) -> anyhow::Result<Exit> {
    let kb = KnowledgeBase::embedded();
    if args.list {
        print(
            args.format,
            &license::list_json(kb),
            &license::list_text(kb),
        )?;
        return Ok(Exit::Success);
    }
    if let Some(id) = &args.id {
        if let Some(entry) = kb.get(id) {
            print(
                args.format,
                &license::entry_json(kb, entry),
                &(license::entry_text(entry) + &license::related_text(kb, entry)),
            )?;
            return Ok(Exit::Success);
        }
        let family = revisions::family(kb, id);
        if family.is_empty() {
            let known = kb.entries().iter().flat_map(|e| {
                std::iter::once(e.id.as_str()).chain(e.aliases.iter().map(String::as_str))
            });
            let near = openness::text::suggest::did_you_mean(id, known);
            return Err(exit::usage(format!(
                "`{id}` is neither a license nor a license family in the knowledge base{near}; `openness license --list` shows every id"
            )));
        }
        print(
            args.format,
            &license::family_json(id, &family),
            &license::family_text(id, &family),
        )?;
        return Ok(Exit::Success);
    }
    let recognizer = Recognizer::embedded();
    let mut unreadable = Vec::new();
    let mut recognized = Vec::new();
    for path in &args.files {
        match openness::config::read::read_bytes(path, openness::limits::MAX_TEXT_FILE_BYTES) {
            Ok(bytes) => recognized.push((
                path.display().to_string(),
                recognizer.recognize_with(&String::from_utf8_lossy(&bytes), args.threshold),
            )),
            Err(e) => unreadable.push(exit::fail(Exit::Usage, e)),
        }
    }
    let files: Vec<license::FileResult<'_>> = recognized
        .iter()
        .map(|(path, recognition)| license::FileResult {
            path: path.clone(),
            recognition,
        })
        .collect();
    match args.format {
        LicenseFormat::Json => print(
            args.format,
            &license::files_json(&files, args.threshold, kb),
            "",
        )?,
        LicenseFormat::Table => print(args.format, &Value::Null, &license::files_text(&files, kb))?,
    }
    // The files that could be read are reported; the others fail the command.
    if unreadable.is_empty() {
        Ok(Exit::Success)
    } else {
        Err(Errors(unreadable).into())
    }
}

fn print(format: LicenseFormat, document: &Value, table: &str) -> anyhow::Result<()> {
    let rendered = match format {
        LicenseFormat::Json => license::json_text(document),
        LicenseFormat::Table => table.to_owned(),
    };
    Sink::Stdout.write(rendered.as_bytes())
}
