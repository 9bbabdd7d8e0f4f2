//! `openness rubric list | show NAME | validate PATH...`

use super::exit::{self, Errors, Exit};
use super::sink::Sink;
use clap::{Args, Subcommand};
use openness::config::read::read_text;
use openness::limits::MAX_CONFIG_FILE_BYTES;
use openness::report;
use openness::rubric::{self, BUILTIN};
use std::path::Path;

#[derive(Debug, Args)]
pub struct RubricArgs {
    #[command(subcommand)]
    pub command: RubricCommand,
}

#[derive(Debug, Subcommand)]
pub enum RubricCommand {
    /// List the built-in rubrics.
    List,
    /// Print a rubric's TOML (a built-in name or a path), to read or to copy and edit.
    Show {
        #[arg(value_name = "NAME|PATH", value_parser = super::RubricSpec, hide_possible_values = true)]
        rubric: String,
    },
    /// Check rubric files: every problem is reported with file:line:column.
    Validate {
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<String>,
    },
}

pub fn run(args: &RubricArgs) -> anyhow::Result<Exit> {
    match &args.command {
        RubricCommand::List => {
            let rubrics: Vec<(&str, rubric::Rubric)> = BUILTIN
                .iter()
                .map(|(name, source)| {
                    let rubric = rubric::load(&format!("rubrics/{name}.toml"), source)
                        .expect("built-in rubrics load (tested)");
                    (*name, rubric)
                })
                .collect();
            let text = report::rubric::list_text(rubrics.iter().map(|(name, r)| (*name, r)));
            Sink::Stdout.write(text.as_bytes())?;
        }
        RubricCommand::Show { rubric: spec } => {
            let text = match BUILTIN.iter().find(|(name, _)| name == spec) {
                Some((_, source)) => (*source).to_owned(),
                None => read_text(Path::new(spec), MAX_CONFIG_FILE_BYTES).map_err(|e| {
                    exit::usage(format!(
                        "`{spec}` is neither a built-in rubric ({}) nor a readable file: {e}",
                        BUILTIN
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?,
            };
            Sink::Stdout.write(text.as_bytes())?;
        }
        RubricCommand::Validate { paths } => {
            // Every file is checked; the valid ones are reported, the others fail the command.
            let mut invalid = Vec::new();
            for path in paths {
                let text = match read_text(Path::new(path), MAX_CONFIG_FILE_BYTES) {
                    Ok(text) => text,
                    Err(e) => {
                        invalid.push(exit::fail(Exit::Usage, e));
                        continue;
                    }
                };
                match rubric::load(path, &text) {
                    Ok(r) => Sink::Stdout.write(report::rubric::valid_text(path, &r).as_bytes())?,
                    Err(e) => invalid.push(exit::fail(Exit::Usage, e)),
                }
            }
            if !invalid.is_empty() {
                return Err(Errors(invalid).into());
            }
        }
    }
    Ok(Exit::Success)
}
