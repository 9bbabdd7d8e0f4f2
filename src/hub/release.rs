//! What was fetched for one model: its metadata and the text files the evidence needs.

use super::api::ModelInfo;
use super::related::Related;
use super::retrieval::Retrieval;
use crate::limits::MAX_LICENSE_FILES;
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
        let (text, lossy) = crate::text::decode_text(bytes, truncated);
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
/// license and use-policy files at the top level, plus the file `license_link` names — at most
/// [`MAX_LICENSE_FILES`] license-like files (see [`license_files_left_out`]).
pub fn files_to_read(listing: &[&str], license_link: Option<&str>) -> Vec<String> {
    choose(listing, license_link).0
}

/// The byte cap for reading `path`, one of `chosen` (from [`files_to_read`]): the README has the
/// text-file cap to itself; the license-like files share [`crate::limits::LICENSE_TEXT_BUDGET`].
pub fn text_cap(path: &str, chosen: &[String], per_file: u64) -> u64 {
    if path.eq_ignore_ascii_case("README.md") {
        return per_file;
    }
    let licenses = chosen
        .iter()
        .filter(|p| !p.eq_ignore_ascii_case("README.md"))
        .count();
    crate::limits::license_file_cap(licenses, per_file)
}

/// How many license-like files [`files_to_read`] leaves out past [`MAX_LICENSE_FILES`].
pub fn license_files_left_out(listing: &[&str], license_link: Option<&str>) -> usize {
    choose(listing, license_link).1
}

/// Stems of the files that say what a release's license is, read before other license-like
/// files when a repository has more than the cap.
const WELL_KNOWN: &[&str] = &[
    "LICENSE",
    "LICENCE",
    "LICENSE-MODEL",
    "LICENSE_MODEL",
    "LICENSE-CODE",
    "LICENSE_CODE",
    "NOTICE",
    "USE_POLICY",
    "USAGE_POLICY",
    "ACCEPTABLE_USE_POLICY",
    "ACCEPTABLE_USE",
    "POLICY",
];

/// The chosen files (sorted) and how many license-like files were left out.
fn choose(listing: &[&str], license_link: Option<&str>) -> (Vec<String>, usize) {
    let mut readme = None;
    let mut licenses: Vec<&str> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for path in listing {
        if path.contains('/') || !seen.insert(*path) {
            continue;
        }
        let upper = path.to_ascii_uppercase();
        if upper == "README.MD" {
            readme = Some(*path);
        } else if upper.starts_with("LICENSE")
            || upper.starts_with("LICENCE")
            || upper.starts_with("NOTICE")
            || upper.starts_with("USE_POLICY")
            || upper.starts_with("USAGE_POLICY")
            || upper.starts_with("ACCEPTABLE_USE")
            || upper == "POLICY.MD"
        {
            licenses.push(path);
        }
    }
    let link = license_link
        .and_then(link_into_repo)
        .filter(|link| listing.contains(&link.as_str()));
    // The file the card links first, then the well-known names, then the shortest names.
    let rank = |path: &str| {
        let upper = path.to_ascii_uppercase();
        let stem = upper.split('.').next().unwrap_or("");
        let known = WELL_KNOWN.contains(&stem);
        (
            link.as_deref() != Some(path),
            !known,
            path.len(),
            path.to_owned(),
        )
    };
    if let Some(link) = &link
        && !licenses.contains(&link.as_str())
        && readme != Some(link.as_str())
    {
        licenses.push(link);
    }
    licenses.sort_by_cached_key(|p| rank(p));
    let left_out = licenses.len().saturating_sub(MAX_LICENSE_FILES);
    licenses.truncate(MAX_LICENSE_FILES);
    let mut chosen: Vec<String> = readme
        .into_iter()
        .chain(licenses)
        .map(str::to_owned)
        .collect();
    chosen.sort();
    (chosen, left_out)
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
    fn license_like_files_are_capped_well_known_names_first() {
        let names: Vec<String> = (0..1000).map(|i| format!("LICENSE-{i:05}")).collect();
        let mut listing: Vec<&str> = names.iter().map(String::as_str).collect();
        listing.extend([
            "README.md",
            "zz-terms.txt",
            "USE_POLICY.md",
            "NOTICE",
            "LICENSE",
        ]);
        let chosen = files_to_read(&listing, Some("zz-terms.txt"));
        assert_eq!(chosen.len(), MAX_LICENSE_FILES + 1, "{chosen:?}");
        for wanted in [
            "README.md",
            "zz-terms.txt",
            "USE_POLICY.md",
            "NOTICE",
            "LICENSE",
        ] {
            assert!(chosen.iter().any(|c| c == wanted), "{wanted}: {chosen:?}");
        }
        assert_eq!(
            license_files_left_out(&listing, Some("zz-terms.txt")),
            1004 - MAX_LICENSE_FILES
        );
        assert_eq!(license_files_left_out(&["README.md", "LICENSE"], None), 0);
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
