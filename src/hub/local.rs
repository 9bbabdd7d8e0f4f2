//! Reading a release from a folder on disk: a downloaded model, or a snapshot in the Hugging
//! Face cache (which is then read like the cache, with its recorded metadata when present).

use super::api::{ModelInfo, Sibling};
use super::cache::HubCache;
use super::error::HubError;
use super::model_ref::RepoId;
use super::release::{Origin, Release, ReleaseFile, files_to_read};
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Folders deeper than this, or more entries than this, are not listed: a model folder is
/// shallow, and a mistaken `~` must not walk a whole disk.
const MAX_DEPTH: usize = 8;
const MAX_ENTRIES: usize = 100_000;
/// Largest safetensors header read to count parameters.
const MAX_SAFETENSORS_HEADER: u64 = 100 * 1024 * 1024;

/// Reads `path` as a release.
pub fn read_folder(path: &Path, max_text_bytes: u64) -> Result<Release, HubError> {
    let name = path.display().to_string();
    if let Some((cache_root, id, sha)) = cache_snapshot(path)
        && let Ok(id) = RepoId::parse(&id)
    {
        let cache = HubCache::new(cache_root);
        if let Ok(release) = super::fetch::fetch_cached(&cache, &id, Some(&sha), max_text_bytes) {
            return Ok(release);
        }
    }
    let listing = list_folder(path, &name)?;
    let info = info_from_listing(path, listing);
    let paths: Vec<&str> = info
        .siblings
        .iter()
        .flatten()
        .map(|s| s.path.as_str())
        .collect();
    let mut files = Vec::new();
    for file in files_to_read(&paths, None) {
        files.push(read_text(path, &file, max_text_bytes, &name)?);
    }
    let id = path
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| name.clone());
    Ok(Release {
        id,
        revision: None,
        origin: Origin::Local {
            path: path.to_path_buf(),
        },
        info,
        has_api_metadata: false,
        files,
        related: Default::default(),
    })
}

/// `…/models--{owner}--{name}/snapshots/{sha}` → (cache root, `owner/name`, sha).
fn cache_snapshot(path: &Path) -> Option<(PathBuf, String, String)> {
    let path = path.canonicalize().ok()?;
    let sha = path.file_name()?.to_str()?.to_owned();
    let snapshots = path.parent()?;
    if snapshots.file_name()? != "snapshots" || !super::api::is_sha(&sha) {
        return None;
    }
    let repo_dir = snapshots.parent()?;
    let folder = repo_dir.file_name()?.to_str()?;
    let id = folder.strip_prefix("models--")?.replacen("--", "/", 1);
    Some((repo_dir.parent()?.to_path_buf(), id, sha))
}

/// Lists the files under `root` (relative paths with `/`, sizes following symlinks).
pub fn list_folder(root: &Path, model: &str) -> Result<Vec<(String, u64)>, HubError> {
    let io_error = |path: &Path, e: std::io::Error| HubError::LocalIo {
        model: model.to_owned(),
        path: path.to_path_buf(),
        detail: e.to_string(),
    };
    let mut out = Vec::new();
    let mut stack = vec![(root.to_path_buf(), 0usize)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| io_error(&dir, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| io_error(&dir, e))?;
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let full = entry.path();
            let Ok(meta) = std::fs::metadata(&full) else {
                continue;
            };
            if meta.is_dir() {
                if depth < MAX_DEPTH && !name.starts_with('.') {
                    stack.push((full, depth + 1));
                }
                continue;
            }
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
            if out.len() >= MAX_ENTRIES {
                return Ok(out);
            }
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
    let mut file = std::fs::File::open(path).ok()?;
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

fn read_text(root: &Path, path: &str, cap: u64, model: &str) -> Result<ReleaseFile, HubError> {
    let full = root.join(path);
    let file = std::fs::File::open(&full).map_err(|e| HubError::LocalIo {
        model: model.to_owned(),
        path: full.clone(),
        detail: e.to_string(),
    })?;
    let mut bytes = Vec::new();
    file.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| HubError::LocalIo {
            model: model.to_owned(),
            path: full.clone(),
            detail: e.to_string(),
        })?;
    let truncated = bytes.len() as u64 > cap;
    bytes.truncate(cap as usize);
    Ok(ReleaseFile::from_bytes(path, &bytes, truncated))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_safetensors_parameters_from_the_header() {
        let dir = tempfile::tempdir().unwrap();
        let header = br#"{"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"__metadata__":{"format":"pt"}}"#;
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header);
        bytes.extend_from_slice(&[0u8; 24]);
        std::fs::write(dir.path().join("model.safetensors"), bytes).unwrap();
        std::fs::write(
            dir.path().join("README.md"),
            "---\nlicense: mit\n---\n# Hi\n",
        )
        .unwrap();
        let release = read_folder(dir.path(), 1024).unwrap();
        assert_eq!(release.info.parameters, Some(6));
        assert_eq!(release.files.len(), 1);
        assert!(!release.has_api_metadata);
    }
}
