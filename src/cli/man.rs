//! `openness man`: the manual page in roff, on stdout, or one page per command in a folder.

use super::{Cli, Exit};
use clap::{Args, CommandFactory};
use std::path::PathBuf;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    openness man | man -l -\n  \
    openness man --dir /usr/local/share/man/man1")]
pub struct ManArgs {
    /// Write openness.1 and one page per subcommand (openness-audit.1, …) into DIR instead.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub fn run(args: &ManArgs) -> Exit {
    let cmd = Cli::command();
    match &args.dir {
        Some(dir) => match clap_mangen::generate_to(cmd, dir) {
            Ok(()) => Exit::Success,
            Err(e) => {
                super::error(&format!(
                    "cannot write manual pages into {}: {e}",
                    dir.display()
                ));
                Exit::Usage
            }
        },
        None => {
            let mut buffer = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buffer)
                .expect("rendering into memory cannot fail");
            super::print_bytes(&buffer)
        }
    }
}
