//! `openness man`: the manual page in roff, on stdout, or one page per command in a folder
//! (created when missing). Each page has clap's sections (NAME, SYNOPSIS, DESCRIPTION,
//! OPTIONS, subcommands), the command's EXAMPLES, and the ENVIRONMENT and EXIT STATUS every
//! command shares.

use super::Cli;
use super::exit::{self, Exit, WithExit};
use super::sink::Sink;
use clap::{Args, CommandFactory};
use clap_mangen::roff::{Roff, bold, roman};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    openness man | man -l -\n  \
    openness man --dir /usr/local/share/man/man1")]
pub struct ManArgs {
    /// Write openness.1 and one page per subcommand (openness-audit.1, …) into DIR, creating it
    /// when missing.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &ManArgs) -> anyhow::Result<Exit> {
    let cmd = Cli::command();
    match &args.dir {
        Some(dir) => {
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            fs_err::create_dir_all(dir)
                .map_err(|e| anyhow::anyhow!("cannot create the folder for the pages: {e}"))
                .exit(Exit::Write)?;
            write_pages(&cmd, dir)?;
        }
        None => Sink::Stdout.write(&page(&cmd))?,
    }
    Ok(Exit::Success)
}

/// One page in roff.
pub fn page(cmd: &clap::Command) -> Vec<u8> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut out = Vec::new();
    let render = |out: &mut Vec<u8>| -> std::io::Result<()> {
        man.render_title(out)?;
        man.render_name_section(out)?;
        man.render_synopsis_section(out)?;
        man.render_description_section(out)?;
        if cmd.get_arguments().any(|a| !a.is_hide_set()) {
            man.render_options_section(out)?;
        }
        if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
            man.render_subcommands_section(out)?;
        }
        out.extend(extra_sections(cmd).to_roff().as_bytes());
        if cmd.get_version().is_some() {
            man.render_version_section(out)?;
        }
        Ok(())
    };
    render(&mut out).expect("rendering into memory cannot fail");
    out
}

/// EXAMPLES (a subcommand's `after_help`), ENVIRONMENT and EXIT STATUS.
fn extra_sections(cmd: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    if let Some(examples) = cmd
        .get_after_help()
        .map(ToString::to_string)
        .and_then(|t| t.strip_prefix("Examples:\n").map(str::to_owned))
    {
        roff.control("SH", ["EXAMPLES"]);
        for line in examples.lines() {
            roff.control("IP", []);
            roff.text([roman(line.trim())]);
        }
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in super::environment::VARIABLES {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }
    roff.control("SH", ["EXIT STATUS"]);
    for line in exit::AFTER_HELP.lines().skip(1) {
        let (code, meaning) = line.trim().split_once("  ").unwrap_or((line.trim(), ""));
        roff.control("TP", []);
        roff.text([bold(code)]);
        roff.text([roman(meaning.trim())]);
    }
    roff.control("PP", []);
    roff.text([roman("docs/exit-codes.md has every case.")]);
    roff
}

/// One page per command, subcommands first (as `clap_mangen::generate_to` does), each written
/// whole through the sink.
fn write_pages(cmd: &clap::Command, dir: &Path) -> anyhow::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir)?;
    }
    let name = clap_mangen::Man::new(cmd.clone()).get_filename();
    Sink::File(dir.join(name)).write(&page(cmd))
}
