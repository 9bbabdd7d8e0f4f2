//! `openness man`: the manual page in roff, on stdout, or one page per command in a folder.

use super::Cli;
use super::exit::Exit;
use super::sink::Sink;
use clap::{Args, CommandFactory};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    openness man | man -l -\n  \
    openness man --dir /usr/local/share/man/man1")]
pub struct ManArgs {
    /// Write openness.1 and one page per subcommand (openness-audit.1, …) into DIR instead.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &ManArgs) -> anyhow::Result<Exit> {
    let cmd = Cli::command();
    match &args.dir {
        Some(dir) => {
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            write_pages(&cmd, dir)?;
        }
        None => {
            let mut buffer = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buffer)
                .expect("rendering into memory cannot fail");
            Sink::Stdout.write(&buffer)?;
        }
    }
    Ok(Exit::Success)
}

/// One page per command, subcommands first (as `clap_mangen::generate_to` does), each written
/// whole through the sink.
fn write_pages(cmd: &clap::Command, dir: &Path) -> anyhow::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_pages(sub, dir)?;
    }
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buffer = Vec::new();
    man.render(&mut buffer)
        .expect("rendering into memory cannot fail");
    Sink::File(dir.join(man.get_filename())).write(&buffer)
}
