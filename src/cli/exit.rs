//! The error edge, in the manner of ripgrep's `crates/core/main.rs` and typos' `.with_code(…)`:
//! every subcommand returns `anyhow::Result<Exit>`; an error gets its exit class where that
//! class is decided (`.exit(Exit::Usage)?`), `main` prints it once and maps it through the one
//! table below (docs/exit-codes.md).

use openness::config::LoadError;
use openness::policy::Overall;
use openness::text::sanitize::terminal;
use std::fmt;
use std::process::ExitCode;

/// What the process exit code says (docs/exit-codes.md). DESIGN's 0–3 keep their meanings; 4 is
/// ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Success (for `check`: the policy passed).
    Success,
    /// `check`: the policy failed.
    Policy,
    /// Usage, rubric or policy-file error: nothing was audited.
    Usage,
    /// The Hub could not be reached or some model could not be fetched.
    Fetch,
    /// The report (or another output file) could not be written.
    Write,
}

impl Exit {
    pub const ALL: [Exit; 5] = [
        Exit::Success,
        Exit::Policy,
        Exit::Usage,
        Exit::Fetch,
        Exit::Write,
    ];

    /// The table: the one place an exit class becomes a number.
    pub fn code(self) -> u8 {
        match self {
            Exit::Success => 0,
            Exit::Policy => 1,
            Exit::Usage => 2,
            Exit::Fetch => 3,
            Exit::Write => 4,
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit.code())
    }
}

/// A `check` verdict's exit class (the reports carry the same number as `exit_code`).
impl From<Overall> for Exit {
    fn from(overall: Overall) -> Exit {
        match overall {
            Overall::Pass => Exit::Success,
            Overall::Fail => Exit::Policy,
            Overall::Incomplete => Exit::Fetch,
        }
    }
}

/// The `--help` footer: the table in one line per code.
pub const AFTER_HELP: &str = "Exit codes:
  0  success (check: the policy passed)
  1  check: the policy failed
  2  usage, rubric or policy-file error; nothing was audited
  3  some model could not be fetched (the others are still reported; for check, only when the policy fails unknowns)
  4  the report (or another output file) could not be written";

/// An error whose exit class was decided where it happened.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    error: anyhow::Error,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The whole chain: `Failure` itself is transparent, and has no source of its own.
        write!(f, "{:#}", self.error)
    }
}

impl std::error::Error for Failure {}

/// Several errors reported together (every malformed model of a command line, both sides of a
/// `diff`, each unreadable file of `license FILE...`), one line each; the exit class is the
/// gravest of theirs.
#[derive(Debug)]
pub struct Errors(pub Vec<anyhow::Error>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(|e| format!("{e:#}")).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for Errors {}

/// Attaches an exit class to an error: `result.exit(Exit::Usage)?`.
pub trait WithExit<T> {
    fn exit(self, exit: Exit) -> anyhow::Result<T>;
}

impl<T, E: Into<anyhow::Error>> WithExit<T> for Result<T, E> {
    fn exit(self, exit: Exit) -> anyhow::Result<T> {
        self.map_err(|e| fail(exit, e))
    }
}

/// An error of class `exit`.
pub fn fail(exit: Exit, error: impl Into<anyhow::Error>) -> anyhow::Error {
    anyhow::Error::new(Failure {
        exit,
        error: error.into(),
    })
}

/// A usage error with this message.
pub fn usage(message: impl fmt::Display) -> anyhow::Error {
    fail(Exit::Usage, anyhow::anyhow!("{message}"))
}

/// The exit class of an error: the outermost class attached (a caller may reclass what it
/// called); the gravest of a list; usage for an error nobody classed (the tool could not run
/// as asked).
pub fn classify(error: &anyhow::Error) -> Exit {
    for cause in error.chain() {
        if let Some(failure) = cause.downcast_ref::<Failure>() {
            return failure.exit;
        }
        if let Some(errors) = cause.downcast_ref::<Errors>() {
            return errors.0.iter().map(classify).max().unwrap_or(Exit::Usage);
        }
    }
    Exit::Usage
}

/// The lines `main` prints for an error: `error: ` and the message with its causes, each line
/// cleaned for the terminal (a message may quote what a server sent). Spanned diagnostics (a
/// policy or rubric file) already carry their own `error:` headings.
pub fn lines(error: &anyhow::Error) -> Vec<String> {
    if let Some(errors) = find::<Errors>(error) {
        return errors.0.iter().flat_map(lines).collect();
    }
    let text = match find::<LoadError>(error) {
        Some(diagnostics) => diagnostics.to_string(),
        None => format!("error: {error:#}"),
    };
    // The last guard on stderr: no registered secret is printed (text::redact).
    text.lines()
        .map(|line| terminal(&openness::text::redact::secrets_only(line)))
        .collect()
}

/// Prints an error on stderr.
pub fn print(error: &anyhow::Error) {
    for line in lines(error) {
        eprintln!("{line}");
    }
}

/// The first error of type `E` in the chain, looking inside [`Failure`]s.
fn find<E: std::error::Error + 'static>(error: &anyhow::Error) -> Option<&E> {
    for cause in error.chain() {
        if let Some(found) = cause.downcast_ref::<E>() {
            return Some(found);
        }
        if let Some(failure) = cause.downcast_ref::<Failure>() {
            return find(&failure.error);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_matches_docs_exit_codes() {
        let docs = include_str!("../../docs/exit-codes.md");
        let documented: Vec<u8> = docs
            .lines()
            .filter_map(|l| l.strip_prefix("| `")?.split('`').next()?.parse().ok())
            .collect();
        let codes: Vec<u8> = Exit::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(
            documented, codes,
            "docs/exit-codes.md lists every code, in order"
        );
        for exit in Exit::ALL {
            assert!(
                AFTER_HELP.contains(&format!("\n  {}  ", exit.code())),
                "--help names exit code {}",
                exit.code()
            );
        }
    }

    #[test]
    fn verdicts_exit_with_the_code_their_reports_carry() {
        for overall in [Overall::Pass, Overall::Fail, Overall::Incomplete] {
            assert_eq!(
                Exit::from(overall).code(),
                overall.exit_code(),
                "{overall:?}"
            );
        }
    }

    #[test]
    fn the_class_is_the_one_attached_where_the_error_happened() {
        let io = std::io::Error::other("disk full");
        let written: anyhow::Result<()> = Err(io).exit(Exit::Write);
        let error = written.unwrap_err().context("while writing the report");
        assert_eq!(classify(&error), Exit::Write);
        assert_eq!(classify(&usage("bad flag")), Exit::Usage);
        assert_eq!(classify(&fail(Exit::Fetch, usage("inner"))), Exit::Fetch);
        // Nobody classed it: the tool could not run as asked.
        assert_eq!(classify(&anyhow::anyhow!("unexpected")), Exit::Usage);
        let many = anyhow::Error::new(Errors(vec![
            usage("a"),
            fail(Exit::Fetch, anyhow::anyhow!("b")),
        ]));
        assert_eq!(classify(&many), Exit::Fetch);
        assert_eq!(
            classify(&anyhow::Error::new(Errors(Vec::new()))),
            Exit::Usage
        );
    }

    #[test]
    fn messages_name_their_causes_on_one_clean_line_each() {
        let inner = anyhow::anyhow!("not found").context("cannot read x.toml");
        let error = fail(Exit::Usage, inner).context("--rubric");
        assert_eq!(
            lines(&error),
            ["error: --rubric: cannot read x.toml: not found"]
        );
        let hostile = usage("org/m: server said \u{1b}[2Jhi");
        assert_eq!(lines(&hostile), ["error: org/m: server said hi"]);
        let many = anyhow::Error::new(Errors(vec![usage("a"), usage("b")]));
        assert_eq!(lines(&many), ["error: a", "error: b"]);
    }

    #[test]
    fn spanned_diagnostics_print_as_they_are() {
        let err = openness::policy::load("p.toml", "[policy]\nnope = 1\n", &|n| {
            openness::rubric::resolve(n)
        })
        .unwrap_err();
        let shown = lines(&fail(Exit::Usage, err));
        assert!(
            shown[0].starts_with("error: p.toml:2:1: unknown key `nope`"),
            "{shown:?}"
        );
        assert!(!shown.iter().any(|l| l.starts_with("error: error:")));
    }
}
