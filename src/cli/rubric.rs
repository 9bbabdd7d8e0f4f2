//! `openness rubric list | show NAME | validate PATH...`

use super::{Exit, output};
use clap::{Args, Subcommand};
use openness::report;
use openness::rubric::{self, BUILTIN};

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
        #[arg(value_name = "NAME|PATH")]
        rubric: String,
    },
    /// Check rubric files: every problem is reported with file:line:column.
    Validate {
        #[arg(value_name = "PATH", required = true)]
        paths: Vec<String>,
    },
}

pub fn run(args: &RubricArgs) -> Exit {
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
            write(&report::rubric::list_text(
                rubrics.iter().map(|(name, r)| (*name, r)),
            ))
        }
        RubricCommand::Show { rubric: spec } => match BUILTIN.iter().find(|(name, _)| name == spec)
        {
            Some((_, source)) => write(source),
            None => match std::fs::read_to_string(spec) {
                Ok(text) => write(&text),
                Err(e) => {
                    super::error(&format!(
                        "`{spec}` is neither a built-in rubric ({}) nor a readable file: {e}",
                        BUILTIN
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                    Exit::Usage
                }
            },
        },
        RubricCommand::Validate { paths } => {
            let mut exit = Exit::Success;
            for path in paths {
                let text = match std::fs::read_to_string(path) {
                    Ok(text) => text,
                    Err(e) => {
                        super::error(&format!("cannot read {path}: {e}"));
                        exit = Exit::Usage;
                        continue;
                    }
                };
                match rubric::load(path, &text) {
                    Ok(r) => {
                        let _ = write(&report::rubric::valid_text(path, &r));
                    }
                    Err(e) => {
                        eprintln!("{e}");
                        exit = Exit::Usage;
                    }
                }
            }
            exit
        }
    }
}

fn write(text: &str) -> Exit {
    match output::write_text(text) {
        Ok(()) => Exit::Success,
        Err(e) => {
            super::error(&e);
            Exit::Usage
        }
    }
}
