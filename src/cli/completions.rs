//! `openness completions SHELL`: a completion script on stdout.

use super::Cli;
use super::exit::Exit;
use super::sink::Sink;
use clap::{Args, CommandFactory};
use clap_complete::Shell;

#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    openness completions bash > ~/.local/share/bash-completion/completions/openness\n  \
    openness completions zsh > \"${fpath[1]}/_openness\"\n  \
    openness completions fish > ~/.config/fish/completions/openness.fish")]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

pub fn run(args: &CompletionsArgs) -> anyhow::Result<Exit> {
    let mut cmd = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "openness", &mut buffer);
    Sink::Stdout.write(&buffer)?;
    Ok(Exit::Success)
}
