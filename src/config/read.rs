//! Reading a file a user names (a policy, a rubric, a lock, a `--from` list, a token file): a
//! regular file only, at most a given size, valid UTF-8 — so `/dev/zero` is an error rather than
//! gigabytes, a FIFO an error rather than a wait for ever, and a bad byte an error with its
//! line and column (issue 14 row 15).

use std::io::{self, Read};
use std::path::Path;

/// The text of the regular file at `path`, at most `max` bytes. The errors name the file and
/// say what is wrong; a missing file keeps [`io::ErrorKind::NotFound`].
pub fn read_text(path: &Path, max: u64) -> io::Result<String> {
    let bytes = read_bytes(path, max)?;
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..])
            .chars()
            .count()
            + 1;
        let byte = e.as_bytes()[valid.len()];
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "{}:{line}:{column}: not valid UTF-8 (byte 0x{byte:02x}); save the file as UTF-8",
                path.display()
            ),
        )
    })
}

/// The bytes of the regular file at `path`, at most `max` of them.
pub fn read_bytes(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    // Checked before opening: opening a FIFO for reading waits for a writer.
    let meta = match fs_err::metadata(path) {
        Ok(meta) => meta,
        // The error opening it says it best ("failed to open file `…`: No such file…").
        Err(e) => return Err(fs_err::File::open(path).err().unwrap_or(e)),
    };
    if !meta.is_file() {
        return Err(invalid(
            path,
            format!("is not a regular file ({}); pass a file", kind(&meta)),
        ));
    }
    let mut file = fs_err::File::open(path)?;
    let mut bytes = Vec::new();
    file.by_ref()
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(invalid(
            path,
            format!(
                "is larger than {} KiB, more than such a file ever needs",
                max / 1024
            ),
        ));
    }
    Ok(bytes)
}

fn invalid(path: &Path, detail: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{} {detail}", path.display()),
    )
}

fn kind(meta: &std::fs::Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_directories_large_and_non_utf8_files_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_text(dir.path(), 1024).unwrap_err();
        assert!(err.to_string().contains("a directory"), "{err}");
        #[cfg(unix)]
        {
            let err = read_text(Path::new("/dev/zero"), 1024).unwrap_err();
            assert!(err.to_string().contains("a device"), "{err}");
        }
        let big = dir.path().join("big.toml");
        fs_err::write(&big, vec![b'a'; 2048]).unwrap();
        let err = read_text(&big, 1024).unwrap_err();
        assert!(err.to_string().contains("larger than 1 KiB"), "{err}");
        let bad = dir.path().join("bad.toml");
        fs_err::write(&bad, b"[policy]\nrubric = \"d\xffe\"\n").unwrap();
        let err = read_text(&bad, 1024).unwrap_err();
        assert!(
            err.to_string()
                .ends_with("bad.toml:2:12: not valid UTF-8 (byte 0xff); save the file as UTF-8"),
            "{err}"
        );
        let missing = read_text(&dir.path().join("none"), 1024).unwrap_err();
        assert_eq!(missing.kind(), io::ErrorKind::NotFound);
        let good = dir.path().join("good.toml");
        fs_err::write(&good, "é\n").unwrap();
        assert_eq!(read_text(&good, 1024).unwrap(), "é\n");
    }
}
