//! Where and in which format a report goes, how wide and whether in colour.

use super::ColorWhen;
use super::exit::{self, Exit};
use super::sink::Sink;
use clap::ValueEnum;
use openness::audit::Auditor;
use openness::report::{self, Format, Report};
use std::io::IsTerminal;
use std::path::Path;

/// The format of a report: as asked with `--format`; else what the `-o` file's name implies
/// (`implied`), and a name that implies nothing is a usage error naming the formats and the
/// extensions, raised before anything is audited (a device or a FIFO is written as a pipe);
/// else `table` on a terminal and `piped` otherwise.
pub fn format_for<F: ValueEnum + Copy>(
    asked: Option<F>,
    output: Option<&Path>,
    implied: fn(&Path) -> Option<F>,
    extensions: &str,
    piped: F,
    table: F,
) -> anyhow::Result<F> {
    if let Some(format) = asked {
        return Ok(format);
    }
    let Some(path) = output else {
        return Ok(if std::io::stdout().is_terminal() {
            table
        } else {
            piped
        });
    };
    // A device or a pipe (`-o /dev/stdout`, a FIFO) has no name to go by: as if piped.
    let special = fs_err::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special && implied(path).is_none() {
        return Ok(piped);
    }
    implied(path).ok_or_else(|| {
        let names: Vec<String> = F::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        exit::usage(format!(
            "cannot tell the format of `{}` from its name: pass --format {}, or name the file {extensions}",
            path.display(),
            names.join("|"),
        ))
    })
}

/// The format of an `audit` or `rank` report (see [`format_for`]).
pub fn choose_format(asked: Option<Format>, output: Option<&Path>) -> anyhow::Result<Format> {
    format_for(
        asked,
        output,
        Format::from_path,
        "*.txt, *.json, *.jsonl, *.csv, *.md, *.html, *.cdx.json, *.sarif or *.xml (JUnit)",
        Format::Json,
        Format::Table,
    )
}

/// Columns for a table when nothing says how wide: a pipe, a file, a terminal that reports no
/// size.
pub const DEFAULT_WIDTH: u16 = 100;
/// The narrowest a table is laid out; narrower terminals wrap its lines.
pub const MIN_WIDTH: u16 = 40;

/// The width to fit tables into: `$COLUMNS` when set, else the terminal's width when the report
/// goes to a terminal, else [`DEFAULT_WIDTH`] (a pipe, a file, a pseudo-terminal reporting 0×0
/// columns); never under [`MIN_WIDTH`].
pub fn terminal_width(output: Option<&Path>) -> Option<u16> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok());
    let terminal = || {
        (output.is_none() && std::io::stdout().is_terminal())
            .then(|| comfy_table::Table::new().width())
            .flatten()
    };
    Some(fit_width(columns, terminal))
}

fn fit_width(columns: Option<u16>, terminal: impl FnOnce() -> Option<u16>) -> u16 {
    let known = |w: &u16| *w > 0;
    columns
        .filter(known)
        .or_else(|| terminal().filter(known))
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
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

/// Every related lookup that failed after its retries, one `warning:` line each on stderr
/// (unless `--quiet`): the scorecard carries it as a `lookup-failed` finding, and a terminal
/// user should not have to open the report to learn that a fact is unknown for that reason.
pub fn warn_failed_lookups(scorecards: &[openness::scorecard::Scorecard], quiet: bool) {
    if quiet {
        return;
    }
    for card in scorecards {
        for finding in &card.findings {
            if finding.code == openness::evidence::findings::Code::LookupFailed {
                eprintln!(
                    "warning: {}: {}",
                    openness::text::sanitize::terminal(&card.model),
                    openness::text::sanitize::terminal(&finding.message)
                );
            }
        }
    }
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
    /// Decided before the audit ([`choose_format`]).
    pub format: Format,
    pub output: Option<&'a Path>,
    pub explain: bool,
    pub ranking: bool,
    /// Show downloads in the ranking (`--sort downloads`, `--min-downloads`).
    pub downloads: bool,
    pub color: super::ColorWhen,
}

/// Renders the report where it was asked for; exits 3 when some model could not be audited.
pub fn emit(
    emit: &Emit<'_>,
    scorecards: &[openness::scorecard::Scorecard],
    errors: &[openness::report::ModelError],
) -> anyhow::Result<Exit> {
    let format = emit.format;
    let report = Report {
        explain: emit.explain,
        ranking: emit.ranking,
        downloads: emit.downloads,
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
/// because it is a Hugging Face token, GitHub's API quota running out (the same message as
/// the `code-host-quota` findings), and a GitHub host that stopped answering. A warning, not an
/// error: `--quiet` silences it, and it never changes the exit code (docs/exit-codes.md).
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
    for (host, cause) in auditor.code_host_unreachable() {
        eprintln!(
            "warning: {host} unreachable ({cause}); not tried again this run — the facts that need it are unknown, see the code-host-unread findings"
        );
    }
}

/// Writes packed scorecards (`json`, `jsonl`) where they were asked for; exits 3 when some
/// model could not be audited, as [`emit`] does.
pub fn emit_packed(
    format: Format,
    output: Option<&Path>,
    cards: &[openness::report::packed::Packed],
    errors: &[openness::report::ModelError],
) -> anyhow::Result<Exit> {
    Sink::new(output)
        .write_with(|out| openness::report::packed::render(format, cards, errors, out))?;
    Ok(if errors.is_empty() {
        Exit::Success
    } else {
        Exit::Fetch
    })
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
        let f = |name: &str| choose_format(None, Some(Path::new(name))).map_err(|e| e.to_string());
        assert_eq!(f("ranking.md"), Ok(Format::Markdown));
        assert_eq!(f("bom.cdx.json"), Ok(Format::Cyclonedx));
        assert_eq!(f("report.json"), Ok(Format::Json));
        assert_eq!(f("x.sarif"), Ok(Format::Sarif));
        assert_eq!(f("x.xml"), Ok(Format::Junit));
        assert_eq!(f("x.txt"), Ok(Format::Table));
        let err = f("report.pdf").unwrap_err();
        assert!(
            err.starts_with("cannot tell the format of `report.pdf` from its name: pass --format table|json|jsonl|csv|markdown|html|cyclonedx|sarif|junit"),
            "{err}"
        );
        assert!(f("report").is_err());
        assert_eq!(
            choose_format(Some(Format::Csv), Some(Path::new("x.pdf"))).unwrap(),
            Format::Csv
        );
    }

    #[test]
    fn widths_come_from_columns_then_the_terminal_then_a_default() {
        assert_eq!(fit_width(Some(120), || Some(80)), 120);
        assert_eq!(fit_width(None, || Some(80)), 80);
        // A pipe, a file, or a pseudo-terminal that reports 0×0.
        assert_eq!(fit_width(None, || None), DEFAULT_WIDTH);
        assert_eq!(fit_width(None, || Some(0)), DEFAULT_WIDTH);
        assert_eq!(fit_width(Some(0), || Some(0)), DEFAULT_WIDTH);
        assert_eq!(fit_width(Some(12), || None), MIN_WIDTH);
    }
}
