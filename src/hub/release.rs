//! What was fetched for one model: its metadata and the text files the evidence needs.

use super::api::ModelInfo;
use super::related::Related;
use super::retrieval::Retrieval;
use std::path::PathBuf;

/// Where a release was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The Hub (or a mirror) at this endpoint.
    Hub { endpoint: String },
    /// The local Hugging Face cache, offline.
    Cache { path: PathBuf },
    /// A folder on disk.
    Local { path: PathBuf },
}

/// Why a file's text is not available.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unreadable {
    /// Behind an access gate the credentials used have not passed.
    Gated,
    /// Listed but answered 404, or not on disk.
    Missing,
    /// Not in the local cache (offline).
    NotCached,
    /// Refused for another reason (e.g. a disabled repository).
    Refused { status: u16 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileContent {
    Text {
        text: String,
        /// The file was longer than the cap; `text` is its beginning.
        truncated: bool,
        /// Invalid UTF-8 was replaced.
        lossy: bool,
    },
    Unreadable(Unreadable),
}

/// A text file of the release (README, license, use policy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReleaseFile {
    pub path: String,
    pub content: FileContent,
}

impl ReleaseFile {
    pub fn from_bytes(path: &str, bytes: &[u8], truncated: bool) -> ReleaseFile {
        let (text, lossy) = match std::str::from_utf8(bytes) {
            Ok(text) => (text.to_owned(), false),
            // A cut may split a UTF-8 sequence: that is truncation, not bad encoding.
            Err(e) if truncated && e.error_len().is_none() => (
                String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
                false,
            ),
            Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
        };
        ReleaseFile {
            path: path.to_owned(),
            content: FileContent::Text {
                text,
                truncated,
                lossy,
            },
        }
    }

    pub fn text(&self) -> Option<&str> {
        match &self.content {
            FileContent::Text { text, .. } => Some(text),
            FileContent::Unreadable(_) => None,
        }
    }
}

/// One model release as fetched.
#[derive(Clone, Debug)]
pub struct Release {
    /// Canonical repo id (after renames), or the folder name for local input.
    pub id: String,
    /// The commit the metadata and every file are pinned to, when known.
    pub revision: Option<String>,
    pub origin: Origin,
    /// Model info from the API (or synthesized from disk for local input).
    pub info: ModelInfo,
    /// `true` when `info` came from the Hub API (or its cached copy), not from a folder listing.
    pub has_api_metadata: bool,
    pub files: Vec<ReleaseFile>,
    /// What was looked up about its branches, datasets and base models (empty until the audit
    /// looks them up; never for local folders).
    pub related: Related,
    /// What came from the cache, was revalidated, or was unavailable (empty for local folders).
    pub retrieval: Retrieval,
}

impl Release {
    pub fn file(&self, path: &str) -> Option<&ReleaseFile> {
        self.files.iter().find(|f| f.path == path)
    }

    pub fn readme(&self) -> Option<&ReleaseFile> {
        self.files
            .iter()
            .find(|f| f.path.eq_ignore_ascii_case("README.md"))
    }
}

/// The text files the evidence reads, chosen from a repository listing: the model card, and
/// license and use-policy files at the top level, plus the file `license_link` names.
pub fn files_to_read(listing: &[&str], license_link: Option<&str>) -> Vec<String> {
    let mut chosen: Vec<String> = Vec::new();
    for path in listing {
        if path.contains('/') {
            continue;
        }
        let upper = path.to_ascii_uppercase();
        let wanted = upper == "README.MD"
            || upper.starts_with("LICENSE")
            || upper.starts_with("LICENCE")
            || upper.starts_with("NOTICE")
            || upper.starts_with("USE_POLICY")
            || upper.starts_with("USAGE_POLICY")
            || upper.starts_with("ACCEPTABLE_USE")
            || upper == "POLICY.MD";
        if wanted {
            chosen.push((*path).to_owned());
        }
    }
    if let Some(link) = license_link.and_then(link_into_repo)
        && listing.contains(&link.as_str())
        && !chosen.contains(&link)
    {
        chosen.push(link);
    }
    chosen.sort();
    chosen
}

/// `license_link` values that point at a file of the repository (`LICENSE`, `./LICENSE.md`,
/// `https://huggingface.co/org/name/blob/main/LICENSE`) → the path in the repo.
pub fn link_into_repo(link: &str) -> Option<String> {
    let link = link.trim();
    if link.is_empty() || link.contains("..") {
        return None;
    }
    if link.contains("://") {
        // A Hub page of a file: …/{owner}/{name}/blob/{rev}/{path}
        let after = link
            .split_once("/blob/")
            .or_else(|| link.split_once("/resolve/"))?
            .1;
        let (_rev, path) = after.split_once('/')?;
        return (!path.is_empty()).then(|| path.to_owned());
    }
    let path = link.trim_start_matches("./").trim_start_matches('/');
    (!path.is_empty()).then(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_card_and_license_files() {
        let listing = [
            "README.md",
            "LICENSE-CODE",
            "LICENSE-MODEL",
            "config.json",
            "original/LICENSE",
            "USE_POLICY.md",
            "model.safetensors",
        ];
        assert_eq!(
            files_to_read(&listing, None),
            [
                "LICENSE-CODE",
                "LICENSE-MODEL",
                "README.md",
                "USE_POLICY.md"
            ]
        );
        let listing = ["README.md", "terms.txt"];
        assert_eq!(
            files_to_read(
                &listing,
                Some("https://huggingface.co/a/b/blob/main/terms.txt")
            ),
            ["README.md", "terms.txt"]
        );
    }

    #[test]
    fn truncation_inside_a_utf8_sequence_is_not_lossy() {
        let bytes = "héllo".as_bytes();
        let file = ReleaseFile::from_bytes("README.md", &bytes[..2], true);
        assert_eq!(
            file.content,
            FileContent::Text {
                text: "h".into(),
                truncated: true,
                lossy: false
            }
        );
        let file = ReleaseFile::from_bytes("README.md", b"\xff\xfe ok", false);
        assert!(matches!(
            file.content,
            FileContent::Text { lossy: true, .. }
        ));
    }
}
