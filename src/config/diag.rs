//! Diagnostics with positions in a source file.

use std::fmt;
use std::ops::Range;

/// One problem in a configuration file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source line, shown under the message.
    pub snippet: String,
    /// Width of the underline (at least 1).
    pub width: usize,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )?;
        if !self.snippet.is_empty() {
            let gutter = " ".repeat(self.line.to_string().len());
            write!(
                f,
                "\n{gutter} |\n{} | {}\n{gutter} | {}{}",
                self.line,
                self.snippet,
                " ".repeat(self.column.saturating_sub(1)),
                "^".repeat(self.width.max(1))
            )?;
        }
        Ok(())
    }
}

/// Every problem of one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub diagnostics: Vec<Diagnostic>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

/// Collects diagnostics for one source file.
#[derive(Debug)]
pub struct Diagnostics<'a> {
    file: &'a str,
    text: &'a str,
    pub list: Vec<Diagnostic>,
    /// Problems past [`MAX_DIAGNOSTICS`], counted only.
    more: usize,
}

/// Diagnostics reported per file; the rest are counted in a last line.
const MAX_DIAGNOSTICS: usize = 100;

impl<'a> Diagnostics<'a> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Diagnostics {
            file,
            text,
            list: Vec::new(),
            more: 0,
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Records a problem at a byte range of the file.
    pub fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        // Each diagnostic scans the text for its line: past a hundred, a hostile file of
        // thousands of bad keys would cost time for errors nobody reads.
        if self.list.len() >= MAX_DIAGNOSTICS {
            self.more += 1;
            return;
        }
        // A span may start or end inside a multi-byte character (the TOML parser marks the
        // first byte of an invalid character): widen it to whole characters.
        let mut start = span.start.min(self.text.len());
        while !self.text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, self.text.len());
        while !self.text.is_char_boundary(end) {
            end += 1;
        }
        let before = &self.text[..start];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = self.text[line_start..start].chars().count() + 1;
        let snippet = self.text[line_start..]
            .lines()
            .next()
            .unwrap_or("")
            .to_owned();
        let line_rest = snippet.chars().count().saturating_sub(column - 1);
        let width = self.text[start..end]
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .count()
            .clamp(1, line_rest.max(1));
        self.list.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            column,
            message: message.into(),
            snippet,
            width,
        });
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// `Ok(value)` when no problem was recorded, else every problem.
    pub fn finish<T>(mut self, value: Option<T>) -> Result<T, LoadError> {
        self.list.sort_by_key(|d| (d.line, d.column));
        self.list.dedup();
        if self.more > 0
            && let Some(last) = self.list.last()
        {
            let (line, column) = (last.line, last.column);
            self.list.push(Diagnostic {
                file: self.file.to_owned(),
                line,
                column,
                message: format!("… and {} more problems; fix these first", self.more),
                snippet: String::new(),
                width: 1,
            });
        }
        match value {
            Some(value) if self.list.is_empty() => Ok(value),
            _ => Err(LoadError {
                diagnostics: self.list,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_inside_a_character_widen_to_whole_characters() {
        // Found by the `rubric` fuzz target: a span ending inside `—` (bytes 2..5).
        let mut d = Diagnostics::new("f.toml", "a=—x\nb");
        d.error(2..3, "end inside");
        d.error(3..4, "start and end inside");
        d.error(4..100, "start inside, end past the text");
        for diag in &d.list {
            assert_eq!(
                (diag.line, diag.column, diag.snippet.as_str()),
                (1, 3, "a=—x")
            );
        }
        assert_eq!(d.list[0].width, 1);
        assert_eq!(d.list[2].width, 2);
    }
}
