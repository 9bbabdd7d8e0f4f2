//! Where and in which format a report goes.

use openness::report::{self, Format, Report};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// The format to use: as asked, else from the output file's extension, else `table` on a
/// terminal and `json` when piped.
pub fn choose_format(asked: Option<Format>, output: Option<&Path>) -> Format {
    if let Some(format) = asked {
        return format;
    }
    if let Some(path) = output {
        return match path.extension().and_then(|e| e.to_str()) {
            Some("json") => Format::Json,
            _ => Format::Table,
        };
    }
    if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Json
    }
}

/// Renders to the file or stdout. A closed pipe (`| head`) is not an error.
pub fn write(format: Format, report: &Report<'_>, output: Option<&Path>) -> Result<(), String> {
    match output {
        Some(path) => {
            let mut buffer = Vec::new();
            report::render(format, report, &mut buffer).map_err(|e| e.to_string())?;
            std::fs::write(path, buffer)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            match report::render(format, report, &mut lock).and_then(|()| lock.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| format!("cannot write the report: {e}")),
            }
        }
    }
}

/// The terminal width, when stdout is a terminal.
pub fn terminal_width(output: Option<&Path>) -> Option<u16> {
    if output.is_some() || !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok())
}

/// Writes already-rendered text to stdout. A closed pipe is not an error.
pub fn write_text(text: &str) -> Result<(), String> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match lock.write_all(text.as_bytes()).and_then(|()| lock.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.map_err(|e| format!("cannot write the output: {e}")),
    }
}
