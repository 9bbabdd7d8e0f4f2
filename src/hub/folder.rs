//! What a model folder on disk and a snapshot in the Hugging Face cache share: both are a tree
//! of files read the same way — listed with sizes, parameters counted from safetensors headers.
//! `local` (a folder given as `MODEL`) and `fetch` (an offline read of the cache) both use it.

use super::api::{ModelInfo, Sibling};
use super::error::HubError;
use std::io::Read;
use std::path::{Component, Path};

use crate::limits::{
    MAX_FOLDER_DEPTH as MAX_DEPTH, MAX_FOLDER_ENTRIES as MAX_ENTRIES, MAX_SAFETENSORS_HEADER,
};

/// Lists the regular files under `root` (relative paths with `/`, sizes following symlinks).
///
/// A symlink counts only when its target resolves inside `confine` (the folder itself, or for
/// a cache snapshot the repository directory whose `blobs/` the snapshot links to): a folder
/// cannot pull a file from elsewhere on the disk into a report. Symlinked directories are not
/// entered (`s -> .` loops), FIFOs and devices are not files, and directories count toward the
/// entry cap. A subdirectory that cannot be read is left out; only the root must be readable.
pub fn list_folder(
    root: &Path,
    confine: &Path,
    model: &str,
) -> Result<Vec<(String, u64)>, HubError> {
    let io_error = |path: &Path, e: std::io::Error| HubError::LocalIo {
        model: model.to_owned(),
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let confine = fs_err::canonicalize(confine).map_err(|e| io_error(confine, e))?;
    let mut out = Vec::new();
    let mut seen = 0usize;
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = match fs_err::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if depth == 0 => return Err(io_error(&dir, e)),
            Err(_) => continue,
        };
        for entry in entries.flatten() {
            seen += 1;
            if seen > MAX_ENTRIES {
                out.sort();
                return Ok(out);
            }
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let full = entry.path();
            let Ok(link_meta) = fs_err::symlink_metadata(&full) else {
                continue;
            };
            if link_meta.is_dir() {
                if depth < MAX_DEPTH && !name.starts_with('.') {
                    stack.push((full, depth + 1));
                }
                continue;
            }
            let meta = if link_meta.file_type().is_symlink() {
                let inside =
                    fs_err::canonicalize(&full).is_ok_and(|target| target.starts_with(&confine));
                match fs_err::metadata(&full) {
                    Ok(meta) if inside && meta.is_file() => meta,
                    _ => continue,
                }
            } else if link_meta.is_file() {
                link_meta
            } else {
                continue;
            };
            let Ok(relative) = full.strip_prefix(root) else {
                continue;
            };
            let relative: Vec<String> = relative
                .components()
                .filter_map(|c| match c {
                    Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                    _ => None,
                })
                .collect();
            out.push((relative.join("/"), meta.len()));
        }
    }
    out.sort();
    Ok(out)
}

/// Model info as far as a folder can tell: the file listing with sizes, and the parameter count
/// from safetensors headers. Card metadata comes from the README's front matter later.
pub fn info_from_listing(root: &Path, listing: Vec<(String, u64)>) -> ModelInfo {
    let mut parameters = 0u64;
    let mut counted = false;
    for (path, _) in &listing {
        if path.ends_with(".safetensors")
            && let Some(n) = safetensors_parameters(&root.join(path))
        {
            parameters += n;
            counted = true;
        }
    }
    ModelInfo {
        siblings: Some(
            listing
                .into_iter()
                .map(|(path, size)| Sibling {
                    path,
                    size: Some(size),
                    blob_id: None,
                    lfs_sha256: None,
                })
                .collect(),
        ),
        parameters: counted.then_some(parameters),
        ..ModelInfo::default()
    }
}

/// Counts the parameters in a safetensors file from its JSON header (8-byte length, then the
/// header): the product of each tensor's shape.
fn safetensors_parameters(path: &Path) -> Option<u64> {
    let mut file = fs_err::File::open(path).ok()?;
    let mut len = [0u8; 8];
    file.read_exact(&mut len).ok()?;
    let len = u64::from_le_bytes(len);
    if len == 0 || len > MAX_SAFETENSORS_HEADER {
        return None;
    }
    let mut header = vec![0u8; usize::try_from(len).ok()?];
    file.read_exact(&mut header).ok()?;
    let value: serde_json::Value = serde_json::from_slice(&header).ok()?;
    let mut total = 0u64;
    for (name, tensor) in value.as_object()? {
        if name == "__metadata__" {
            continue;
        }
        let shape = tensor.get("shape")?.as_array()?;
        let count = shape
            .iter()
            .try_fold(1u64, |acc, d| acc.checked_mul(d.as_u64()?))?;
        total = total.checked_add(count)?;
    }
    Some(total)
}
