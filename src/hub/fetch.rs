//! Fetching one release from the Hub: one metadata call, then the few text files the evidence
//! needs, every file pinned to the commit the metadata named.

use super::api::{Gate, ModelInfo};
use super::cache::{CachedFile, HubCache};
use super::client::{HubClient, Response};
use super::error::HubError;
use super::model_ref::{RepoId, encode_path, encode_segment};
use super::release::{
    FileContent, Origin, Release, ReleaseFile, Unreadable, files_to_read, text_cap,
};
use reqwest::StatusCode;

/// Largest model-info document accepted (repos with tens of thousands of files stay far below).
const MAX_METADATA_BYTES: u64 = 64 * 1024 * 1024;
/// How many times a 200 whose body is not JSON is fetched again before giving up.
const JSON_ATTEMPTS: u32 = 3;

/// Fetches a release online. `cache`, when given, serves files already downloaded at the same
/// commit and stores new ones.
pub async fn fetch_release(
    client: &HubClient,
    cache: Option<&HubCache>,
    id: &RepoId,
    revision: Option<&str>,
) -> Result<Release, HubError> {
    let model = match revision {
        Some(rev) => format!("{id}@{rev}"),
        None => id.to_string(),
    };
    let (info, raw) = fetch_model_info(client, id, revision, &model).await?;

    // A renamed repo answers (after the redirect) with its new id; keep it when it is valid.
    let canonical = info
        .id
        .as_deref()
        .and_then(|i| RepoId::parse(i).ok())
        .unwrap_or_else(|| id.clone());
    if let (Some(cache), Some(sha)) = (cache, &info.sha) {
        // Best effort: a read-only or full cache must not fail the audit.
        let _ = cache.write_model_info(canonical.as_str(), sha, &raw);
        let _ = cache.write_ref(canonical.as_str(), revision.unwrap_or("main"), sha);
    }

    release_from_info(client, cache, canonical, info, revision, FilePlan::ALL).await
}

/// Which text files to read for a release.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilePlan {
    /// The model card.
    pub readme: bool,
    /// License, notice and use-policy files.
    pub licenses: bool,
}

impl FilePlan {
    pub const ALL: FilePlan = FilePlan {
        readme: true,
        licenses: true,
    };
}

/// Reads the text files of a release whose metadata is already known (from the model-info call,
/// or from a listing page), pinned to the commit the metadata names.
pub async fn release_from_info(
    client: &HubClient,
    cache: Option<&HubCache>,
    canonical: RepoId,
    info: ModelInfo,
    revision: Option<&str>,
    plan: FilePlan,
) -> Result<Release, HubError> {
    let model = match revision {
        Some(rev) => format!("{canonical}@{rev}"),
        None => canonical.to_string(),
    };
    let sha = info.sha.clone();
    let pin = sha
        .clone()
        .unwrap_or_else(|| revision.unwrap_or("main").to_owned());
    let listing: Vec<&str> = match &info.siblings {
        Some(siblings) => siblings.iter().map(|s| s.path.as_str()).collect(),
        None => vec!["README.md"],
    };
    let license_link = info
        .card_data
        .as_ref()
        .and_then(|c| c.get("license_link"))
        .and_then(|v| v.as_str());
    let wanted: Vec<String> = files_to_read(&listing, license_link)
        .into_iter()
        .filter(|path| {
            if path.eq_ignore_ascii_case("README.md") {
                plan.readme
            } else {
                plan.licenses
            }
        })
        .collect();

    let mut tasks = tokio::task::JoinSet::new();
    let caps: Vec<u64> = wanted
        .iter()
        .map(|path| text_cap(path, &wanted, client.settings().max_text_bytes))
        .collect();
    for (index, (path, cap)) in wanted.into_iter().zip(caps).enumerate() {
        let client = client.clone();
        let cache = cache.cloned();
        let canonical = canonical.clone();
        let pin = pin.clone();
        let cacheable = sha.is_some();
        let model = model.clone();
        let gated = matches!(info.gated, Some(Gate::Auto | Gate::Manual));
        let blob_id = info
            .siblings
            .iter()
            .flatten()
            .find(|s| s.path == path)
            .and_then(|s| s.blob_id.clone());
        tasks.spawn(async move {
            let file = fetch_file(
                &client,
                cache.as_ref().filter(|_| cacheable),
                &canonical,
                &pin,
                (&path, blob_id.as_deref(), cap),
                gated,
                &model,
            )
            .await;
            (index, file)
        });
    }
    let mut files = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (index, file) = joined.expect("file task does not panic");
        files.push((index, file?));
    }
    files.sort_by_key(|(index, _)| *index);

    Ok(Release {
        id: canonical.to_string(),
        revision: sha,
        origin: Origin::Hub {
            endpoint: client.base().to_owned(),
        },
        info,
        has_api_metadata: true,
        files: files.into_iter().map(|(_, f)| f).collect(),
        related: Default::default(),
    })
}

async fn fetch_model_info(
    client: &HubClient,
    id: &RepoId,
    revision: Option<&str>,
    model: &str,
) -> Result<(ModelInfo, Vec<u8>), HubError> {
    let mut url = format!("{}/api/models/{}", client.base(), id.url_path());
    if let Some(rev) = revision {
        url.push_str("/revision/");
        url.push_str(&encode_segment(rev));
    }
    url.push_str("?blobs=true");

    let mut last_problem = String::new();
    for _ in 0..JSON_ATTEMPTS {
        let response = client.get(&url, model, MAX_METADATA_BYTES).await?;
        if !response.status.is_success() {
            return Err(metadata_error(&response, model, client.base(), revision));
        }
        if response.truncated {
            return Err(HubError::MalformedJson {
                model: model.to_owned(),
                detail: format!("larger than {} MiB", MAX_METADATA_BYTES / (1024 * 1024)),
                attempts: 1,
            });
        }
        match serde_json::from_slice::<serde_json::Value>(&response.body) {
            Ok(value) => match ModelInfo::from_json(&value) {
                Ok(info) => return Ok((info, response.body)),
                Err(problem) => last_problem = problem.to_string(),
            },
            Err(e) => last_problem = e.to_string(),
        }
    }
    Err(HubError::MalformedJson {
        model: model.to_owned(),
        detail: last_problem,
        attempts: JSON_ATTEMPTS,
    })
}

/// Maps a refused metadata request to an error, the way the Hub's own clients read
/// `X-Error-Code` / `X-Error-Message`.
fn metadata_error(
    response: &Response,
    model: &str,
    endpoint: &str,
    revision: Option<&str>,
) -> HubError {
    let code = response.error_code().unwrap_or("");
    let message = response.error_message().unwrap_or("");
    let model = model.to_owned();
    let endpoint = endpoint.to_owned();
    match response.status {
        StatusCode::NOT_FOUND if code == "RevisionNotFound" => HubError::RevisionNotFound {
            model,
            revision: revision.unwrap_or("main").to_owned(),
        },
        StatusCode::NOT_FOUND => HubError::RepoNotFound { model, endpoint },
        StatusCode::UNAUTHORIZED if message.contains("Invalid credentials") => {
            HubError::InvalidToken { model }
        }
        // The Hub answers 401 for private and missing repos alike when unauthenticated.
        StatusCode::UNAUTHORIZED => HubError::RepoNotFound { model, endpoint },
        StatusCode::FORBIDDEN if message.contains("disabled") => HubError::Disabled { model },
        status => HubError::Http {
            model,
            endpoint,
            status: status.as_u16(),
            detail: if message.is_empty() {
                String::new()
            } else {
                format!(": {}", sanitize_message(message))
            },
        },
    }
}

/// Server-supplied text shown in an error: one line, printable, bounded.
fn sanitize_message(message: &str) -> String {
    message
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect()
}

async fn fetch_file(
    client: &HubClient,
    cache: Option<&HubCache>,
    id: &RepoId,
    pin: &str,
    (path, blob_id, cap): (&str, Option<&str>, u64),
    gated: bool,
    model: &str,
) -> Result<ReleaseFile, HubError> {
    // The same text (a LICENSE shared by a whole organisation) is downloaded once per run: the
    // git blob id names its content.
    let _blob_guard = match blob_id {
        Some(blob) => Some(client.lock_blob(blob).await),
        None => None,
    };
    if let Some(bytes) = blob_id.and_then(|b| client.text_by_blob(b)) {
        let truncated = bytes.len() as u64 > cap;
        return Ok(ReleaseFile::from_bytes(
            path,
            &bytes[..bytes.len().min(cap as usize)],
            truncated,
        ));
    }
    if let Some(cache) = cache {
        match cache.read_file(id.as_str(), pin, path) {
            CachedFile::Present(bytes) => {
                let truncated = bytes.len() as u64 > cap;
                return Ok(ReleaseFile::from_bytes(
                    path,
                    &bytes[..bytes.len().min(cap as usize)],
                    truncated,
                ));
            }
            CachedFile::Missing => {
                return Ok(ReleaseFile {
                    path: path.to_owned(),
                    content: FileContent::Unreadable(Unreadable::Missing),
                });
            }
            CachedFile::Unknown => {}
        }
    }
    let url = format!(
        "{}/{}/resolve/{}/{}",
        client.base(),
        id.url_path(),
        encode_segment(pin),
        encode_path(path)
    );
    let response = client.get(&url, model, cap).await?;
    let unreadable = |why| {
        Ok(ReleaseFile {
            path: path.to_owned(),
            content: FileContent::Unreadable(why),
        })
    };
    match response.status {
        status if status.is_success() => {
            if let (Some(blob), false) = (blob_id, response.truncated) {
                client.remember_blob(blob, &response.body);
            }
            if let (Some(cache), false) = (cache, response.truncated)
                && let Some(etag) = etag(&response)
            {
                let _ = cache.write_file(id.as_str(), pin, path, &etag, &response.body);
            }
            Ok(ReleaseFile::from_bytes(
                path,
                &response.body,
                response.truncated,
            ))
        }
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
            if response.error_code() == Some("GatedRepo")
                || (gated && response.error_code().is_none()) =>
        {
            unreadable(Unreadable::Gated)
        }
        StatusCode::NOT_FOUND => {
            if let Some(cache) = cache {
                let _ = cache.write_missing(id.as_str(), pin, path);
            }
            unreadable(Unreadable::Missing)
        }
        status => unreadable(Unreadable::Refused {
            status: status.as_u16(),
        }),
    }
}

/// The content id of a downloaded file, normalised as `huggingface_hub` does: `X-Linked-Etag`
/// (LFS) or `ETag`, without `W/` and quotes.
fn etag(response: &Response) -> Option<String> {
    let raw = response
        .header("x-linked-etag")
        .or_else(|| response.header("etag"))?;
    let tag = raw.trim().trim_start_matches("W/").trim_matches('"');
    (!tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| tag.to_owned())
}

/// Reads a release from the local cache only; never opens a socket.
pub fn fetch_cached(
    cache: &HubCache,
    id: &RepoId,
    revision: Option<&str>,
    max_text_bytes: u64,
) -> Result<Release, HubError> {
    let model = match revision {
        Some(rev) => format!("{id}@{rev}"),
        None => id.to_string(),
    };
    let not_cached = || HubError::NotCached {
        model: model.clone(),
        cache: cache.root().to_path_buf(),
    };
    let sha = cache
        .resolve_revision(id.as_str(), revision)
        .ok_or_else(not_cached)?;
    let cached_info = cache
        .read_model_info(id.as_str(), &sha)
        .and_then(|raw| serde_json::from_slice::<serde_json::Value>(&raw).ok())
        .and_then(|value| ModelInfo::from_json(&value).ok());
    let snapshot = cache.snapshot_dir(id.as_str(), &sha);
    let (info, has_api_metadata) = match cached_info {
        Some(info) => (info, true),
        None if snapshot.is_dir() => {
            // Snapshot files link to the repository's `blobs/`, two levels up.
            let repo_dir = snapshot
                .ancestors()
                .nth(2)
                .unwrap_or(&snapshot)
                .to_path_buf();
            let listing = super::folder::list_folder(&snapshot, &repo_dir, &model)?;
            (super::folder::info_from_listing(&snapshot, listing), false)
        }
        None => return Err(not_cached()),
    };
    let listing: Vec<&str> = match &info.siblings {
        Some(siblings) => siblings.iter().map(|s| s.path.as_str()).collect(),
        None => vec!["README.md"],
    };
    let license_link = info
        .card_data
        .as_ref()
        .and_then(|c| c.get("license_link"))
        .and_then(|v| v.as_str());
    let chosen = files_to_read(&listing, license_link);
    let files = chosen
        .iter()
        .cloned()
        .map(|path| match cache.read_file(id.as_str(), &sha, &path) {
            CachedFile::Present(bytes) => {
                let cap =
                    usize::try_from(text_cap(&path, &chosen, max_text_bytes)).unwrap_or(usize::MAX);
                ReleaseFile::from_bytes(&path, &bytes[..bytes.len().min(cap)], bytes.len() > cap)
            }
            CachedFile::Missing => ReleaseFile {
                path,
                content: FileContent::Unreadable(Unreadable::Missing),
            },
            CachedFile::Unknown => ReleaseFile {
                path,
                content: FileContent::Unreadable(Unreadable::NotCached),
            },
        })
        .collect();
    Ok(Release {
        id: id.to_string(),
        revision: Some(sha),
        origin: Origin::Cache {
            path: cache.root().to_path_buf(),
        },
        info,
        has_api_metadata,
        files,
        related: Default::default(),
    })
}
