//! The one output sink: every subcommand writes its report (and `check` its lock, `init` its
//! policy, `man --dir` its pages) through it.
//!
//! - A file is written to a temporary file beside it and renamed into place once complete: a
//!   failed or interrupted run leaves the previous file as it was, never half a report. A path
//!   that exists and is not a regular file (`/dev/stdout`, a FIFO, `/dev/full`) is written in
//!   place, since a rename would replace the device instead of writing to it; a symbolic link
//!   is followed, so the link stays.
//! - Stdout is locked and buffered. A closed pipe (`openness audit … | head`) is not an error:
//!   the reader has what it wanted, and the exit code still says how the run went (a `check`
//!   that fails its policy exits 1 even into `| head`). This is the one place a broken pipe is
//!   handled.
//! - Any other failure is [`Exit::Write`], naming the destination.

use super::exit::{Exit, WithExit};
use openness::text::redact::RedactWriter;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Where output goes: stdout, or the file of `-o FILE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Sink {
    Stdout,
    File(PathBuf),
}

impl Sink {
    pub fn new(output: Option<&Path>) -> Sink {
        output.map_or(Sink::Stdout, |p| Sink::File(p.to_path_buf()))
    }

    /// Writes what `render` produces.
    pub fn write_with(
        &self,
        render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> anyhow::Result<()> {
        match self {
            Sink::Stdout => {
                let stdout = io::stdout();
                // The last guard: no registered secret leaves in a report (text::redact).
                let mut out = RedactWriter::new(io::BufWriter::new(stdout.lock()));
                match render(&mut out).and_then(|()| out.flush()) {
                    Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
                    other => other
                        .map_err(|e| anyhow::anyhow!("cannot write to stdout: {e}"))
                        .exit(Exit::Write),
                }
            }
            Sink::File(path) => write_file(path, render)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
                .exit(Exit::Write),
        }
    }

    pub fn write(&self, bytes: &[u8]) -> anyhow::Result<()> {
        self.write_with(|out| out.write_all(bytes))
    }
}

// Errors are reported against the destination the user named, not the temporary file, so the
// std functions are right here (clippy.toml steers everything else to fs_err).
#[allow(clippy::disallowed_methods)]
fn write_file(
    path: &Path,
    render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    // A device or a pipe, named directly or through links (`/dev/stdout` is a link to
    // `/proc/self/fd/1`, which names a pipe no path can reach): opened by the name given, which
    // the kernel resolves.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut out = RedactWriter::new(io::BufWriter::new(
            std::fs::OpenOptions::new().write(true).open(path)?,
        ));
        render(&mut out)?;
        return out.flush();
    }
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(path)?,
        _ => path.to_path_buf(),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = target.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    // The file replaced keeps its permissions (a group-writable lock stays group-writable).
    let keep = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let written = std::fs::File::create(&tmp).and_then(|file| {
        let mut out = RedactWriter::new(io::BufWriter::new(file));
        render(&mut out)?;
        out.flush()?;
        let file = out.into_inner().into_inner().map_err(|e| e.into_error())?;
        if let Some(permissions) = keep {
            file.set_permissions(permissions)?;
        }
        file.sync_all()
    });
    match written.and_then(|()| std::fs::rename(&tmp, &target)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let sink = Sink::new(Some(&path));
        let failed = sink.write_with(|out| {
            out.write_all(b"half")?;
            Err(io::Error::other("renderer failed"))
        });
        let error = failed.unwrap_err();
        assert_eq!(super::super::exit::classify(&error), Exit::Write);
        assert!(error.to_string().contains("report.json"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
        sink.write(b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("openness.lock");
        std::fs::write(&path, "old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
        Sink::new(Some(&path)).write(b"new").unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o664);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.json");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        Sink::new(Some(&link)).write(b"new").unwrap();
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn a_missing_folder_is_a_write_error_naming_the_file() {
        let error = Sink::new(Some(Path::new("/nonexistent/x.json")))
            .write(b"{}")
            .unwrap_err();
        assert_eq!(super::super::exit::classify(&error), Exit::Write);
        assert!(format!("{error:#}").starts_with("cannot write /nonexistent/x.json: "));
    }
}
