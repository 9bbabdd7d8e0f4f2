//! GitHub Actions workflow commands (`::error file=…,line=…::message`): under
//! `GITHUB_ACTIONS=true`, `openness check` prints one per problem on stderr, so a pull request
//! shows them on the line that names the model even where code scanning (SARIF upload) is not
//! available (private repositories without GitHub Advanced Security).

use super::model_label;
use crate::policy::{Outcome, Verdict};
use crate::text::sanitize::terminal;

/// Escapes the message part of a workflow command (`%`, CR, LF), as `@actions/core` does.
fn data(text: &str) -> String {
    terminal(text)
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file`, `title`): also `:` and `,`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

/// One line per failing or warning check and per policy note.
pub fn annotations(verdict: &Verdict) -> Vec<String> {
    let mut lines = Vec::new();
    let mut push = |outcome: Outcome, file: &str, line: usize, title: &str, message: &str| {
        let command = match outcome {
            Outcome::Fail => "error",
            Outcome::Warn => "warning",
            Outcome::Pass | Outcome::Allowed | Outcome::Waived => return,
        };
        lines.push(format!(
            "::{command} file={},line={line},title={}::{}",
            property(file),
            property(title),
            data(message)
        ));
    };
    for model in &verdict.models {
        let (file, line) = model
            .locations
            .first()
            .map_or((verdict.policy.as_str(), 1), |l| (l.file.as_str(), l.line));
        for check in &model.checks {
            push(
                check.outcome,
                file,
                line,
                &format!("openness: {}", check.name()),
                &format!("{}: {}", model_label(model), check.message),
            );
        }
    }
    for note in &verdict.notes {
        push(
            note.outcome,
            &note.location.file,
            note.location.line,
            &format!("openness: {}", note.rule),
            &note.message,
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_actions_toolkit_does() {
        // Model text is made one line first (no command injection through a newline).
        assert_eq!(
            data("50% done\nnext\u{1b}[2J::error::x"),
            "50%25 done next::error::x"
        );
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
