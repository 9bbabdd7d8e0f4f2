//! Where and in which format a report goes, how wide and whether in colour.

use super::ColorWhen;
use super::exit::Exit;
use super::sink::Sink;
use openness::audit::Auditor;
use openness::report::{self, Format, Report};
use std::io::IsTerminal;
use std::path::Path;

/// The format to use: as asked, else from the output file's name (`.md`, `.csv`, `.jsonl`,
/// `.json`, `.html`, `.cdx.json`; `table` for any other), else `table` on a terminal and `json`
/// when piped.
pub fn choose_format(asked: Option<Format>, output: Option<&Path>) -> Format {
    if let Some(format) = asked {
        return format;
    }
    if let Some(path) = output {
        return Format::from_path(path).unwrap_or(Format::Table);
    }
    if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    }
}

/// The width to fit tables into when the report goes to stdout: `$COLUMNS` when set, else the
/// terminal's width when stdout is one (comfy-table asks the terminal); none for a file or a pipe.
pub fn terminal_width(output: Option<&Path>) -> Option<u16> {
    if output.is_some() {
        return None;
    }
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|&c| c > 0);
    columns.or_else(|| comfy_table::Table::new().width())
}

/// Whether `table` output is coloured: `--color always`/`never` decide; `auto` colours a
/// terminal unless `NO_COLOR` is set (non-empty), and `CLICOLOR_FORCE` (non-empty, not `0`)
/// colours even a pipe or file. Other formats are never coloured.
pub fn use_color(
    when: ColorWhen,
    format: Format,
    output: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> bool {
    if format != Format::Table {
        return false;
    }
    let to_terminal = output.is_none() && std::io::stdout().is_terminal();
    decide_color(when, to_terminal, env)
}

fn decide_color(when: ColorWhen, to_terminal: bool, env: &dyn Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| env(name).is_some_and(|v| !v.is_empty());
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto if set("NO_COLOR") => false,
        ColorWhen::Auto
            if set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").as_deref() != Some("0") =>
        {
            true
        }
        ColorWhen::Auto => {
            to_terminal
                && env("CLICOLOR").as_deref() != Some("0")
                && env("TERM").as_deref() != Some("dumb")
        }
    }
}

/// Splits a batch into scorecards and errors, printing each error on stderr as it is kept.
pub fn split_outcomes(
    outcomes: Vec<openness::audit::Outcome>,
) -> (
    Vec<openness::scorecard::Scorecard>,
    Vec<openness::report::ModelError>,
) {
    let mut scorecards = Vec::new();
    let mut errors = Vec::new();
    for outcome in outcomes {
        match outcome.result {
            Ok(card) => scorecards.push(card),
            Err(e) => errors.push(model_error(outcome.input, &e)),
        }
    }
    (scorecards, errors)
}

/// An error for the report, printed once on stderr: the model is still reported on, as an
/// error entry, and the run goes on.
pub fn model_error(model: String, e: &openness::hub::HubError) -> openness::report::ModelError {
    super::exit::print(&anyhow::Error::new(e.clone()));
    openness::report::ModelError {
        model,
        code: e.code().to_owned(),
        message: e.to_string(),
    }
}

/// What `audit` and `rank` print.
pub struct Emit<'a> {
    pub format: Option<Format>,
    pub output: Option<&'a Path>,
    pub explain: bool,
    pub ranking: bool,
    pub color: super::ColorWhen,
}

/// Renders the report where it was asked for; exits 3 when some model could not be audited.
pub fn emit(
    emit: &Emit<'_>,
    scorecards: &[openness::scorecard::Scorecard],
    errors: &[openness::report::ModelError],
) -> anyhow::Result<Exit> {
    let format = choose_format(emit.format, emit.output);
    let report = Report {
        explain: emit.explain,
        ranking: emit.ranking,
        width: terminal_width(emit.output),
        color: use_color(emit.color, format, emit.output, &|name| {
            std::env::var(name).ok()
        }),
        ..Report::new(scorecards, errors)
    };
    Sink::new(emit.output).write_with(|out| report::render(format, &report, out))?;
    Ok(if errors.is_empty() {
        Exit::Success
    } else {
        Exit::Fetch
    })
}

/// What the code host has to say for the whole run, once on stderr: a GitHub token refused
/// because it is a Hugging Face token, and GitHub's API quota running out (the same message as
/// the `code-host-quota` findings). A warning, not an error: `--quiet` silences it, and it never
/// changes the exit code (docs/exit-codes.md).
pub fn code_host_notes(auditor: &Auditor, quiet: bool) {
    if quiet {
        return;
    }
    if let Some(variable) = auditor.settings().github.refused_token
        && auditor.code_host().is_some()
    {
        eprintln!(
            "warning: {variable} holds a Hugging Face token (hf_…); it is not sent to GitHub — set a GitHub token there, or unset it"
        );
    }
    if let Some(notice) = auditor.code_host_quota() {
        eprintln!(
            "warning: {} ({} linked {} not read: {} facts are unknown, see the code-host-quota findings)",
            openness::evidence::findings::quota_message(notice.reset, notice.with_token),
            notice.unread,
            if notice.unread == 1 {
                "repository"
            } else {
                "repositories"
            },
            if notice.unread == 1 { "its" } else { "their" },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    #[test]
    fn color_follows_the_flag_then_the_environment() {
        use ColorWhen::*;
        assert!(decide_color(Always, false, &env(&[("NO_COLOR", "1")])));
        assert!(!decide_color(Never, true, &env(&[("CLICOLOR_FORCE", "1")])));
        assert!(decide_color(Auto, true, &env(&[])));
        assert!(!decide_color(Auto, false, &env(&[])));
        assert!(!decide_color(Auto, true, &env(&[("NO_COLOR", "1")])));
        assert!(decide_color(Auto, true, &env(&[("NO_COLOR", "")])));
        assert!(decide_color(Auto, false, &env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!decide_color(Auto, false, &env(&[("CLICOLOR_FORCE", "0")])));
        assert!(!decide_color(
            Auto,
            true,
            &env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")])
        ));
        assert!(!decide_color(Auto, true, &env(&[("TERM", "dumb")])));
    }

    #[test]
    fn formats_follow_the_output_file() {
        let f = |name: &str| choose_format(None, Some(Path::new(name)));
        assert_eq!(f("ranking.md"), Format::Markdown);
        assert_eq!(f("bom.cdx.json"), Format::Cyclonedx);
        assert_eq!(f("report.json"), Format::Json);
        assert_eq!(f("report.unknown"), Format::Table);
        assert_eq!(
            choose_format(Some(Format::Csv), Some(Path::new("x.json"))),
            Format::Csv
        );
    }
}
