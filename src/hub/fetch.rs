//! Fetching one release from the Hub: one metadata call, then the few text files the evidence
//! needs, every file pinned to the commit the metadata named.

use super::api::{Gate, ModelInfo, is_sha};
use super::cache::{CachedFile, HubCache};
use super::client::{HubClient, Response};
use super::error::HubError;
use super::model_ref::{RepoId, encode_path, encode_segment};
use super::records::{Records, RepoKind};
use super::release::{
    FileContent, Origin, Release, ReleaseFile, Unreadable, files_to_read, text_cap,
};
use super::retrieval::{Retrieval, Retrieved};
use reqwest::StatusCode;

/// Largest model-info document accepted (repos with tens of thousands of files stay far below).
const MAX_METADATA_BYTES: u64 = 64 * 1024 * 1024;
/// How many times a 200 whose body is not JSON is fetched again before giving up.
const JSON_ATTEMPTS: u32 = 3;

/// What this tool recorded about the commit `main` pointed to: reused within the freshness
/// window, revalidated with its ETag after it.
#[derive(serde::Serialize, serde::Deserialize)]
struct MainRecord {
    /// The canonical id (after a rename) whose `.openness/{sha}.json` holds the model info.
    id: String,
    sha: String,
    etag: Option<String>,
}

/// Fetches a release online. `cache`, when given, serves files already downloaded at the same
/// commit and stores new ones; `records`, when given, reuses the model info an earlier run
/// recorded (within the freshness window, or revalidated with its ETag); `plan` chooses the
/// files to read once the metadata is known.
pub async fn fetch_release(
    client: &HubClient,
    cache: Option<&HubCache>,
    records: Option<&Records>,
    id: &RepoId,
    revision: Option<&str>,
    plan: impl FnOnce(&RepoId, &ModelInfo) -> FilePlan,
) -> Result<Release, HubError> {
    let model = match revision {
        Some(rev) => format!("{id}@{rev}"),
        None => id.to_string(),
    };
    let (info, from) = model_info(client, cache, records, id, revision, &model).await?;

    // A renamed repo answers (after the redirect) with its new id; keep it when it is valid.
    let canonical = info
        .id
        .as_deref()
        .and_then(|i| RepoId::parse(i).ok())
        .unwrap_or_else(|| id.clone());
    let plan = plan(&canonical, &info);
    let mut release =
        release_from_info(client, cache, records, canonical, info, revision, plan).await?;
    release.retrieval.metadata = Some(from);
    Ok(release)
}

/// The model info: recorded by an earlier run and still fresh, revalidated (304), or fetched.
async fn model_info(
    client: &HubClient,
    cache: Option<&HubCache>,
    records: Option<&Records>,
    id: &RepoId,
    revision: Option<&str>,
    model: &str,
) -> Result<(ModelInfo, Retrieved), HubError> {
    let recorded_info = |canonical: &str, sha: &str| {
        cache
            .and_then(|c| c.read_model_info(canonical, sha))
            .and_then(|raw| super::info_parse::model_info(&raw).ok())
    };
    let refresh = records.is_none_or(Records::refresh);
    // A commit never changes: its recorded model info answers.
    if let Some(sha) = revision.filter(|r| is_sha(r))
        && !refresh
        && let Some(info) = recorded_info(id.as_str(), sha)
    {
        return Ok((info, Retrieved::Cache));
    }
    let record = match (records, revision) {
        (Some(records), None) => {
            records.read::<MainRecord>(RepoKind::Model, id.as_str(), "revision-main")
        }
        _ => None,
    };
    let known = record.and_then(|r| {
        let info = recorded_info(&r.body.id, &r.body.sha)?;
        Some((info, r))
    });
    if let Some((info, record)) = &known
        && record.reusable
    {
        return Ok((info.clone(), Retrieved::Cache));
    }
    let etag = known.as_ref().and_then(|(_, r)| r.body.etag.clone());
    let (response, info) = fetch_model_info(client, id, revision, model, etag.as_deref()).await?;
    let Some(info) = info else {
        // 304 Not Modified: the recorded info is still the Hub's.
        let (info, record) = known.expect("a 304 answers a request that named a known ETag");
        if let Some(records) = records {
            records.write(RepoKind::Model, id.as_str(), "revision-main", &record.body);
        }
        return Ok((info, Retrieved::Revalidated));
    };
    let canonical = info
        .id
        .as_deref()
        .filter(|i| RepoId::parse(i).is_ok())
        .unwrap_or(id.as_str())
        .to_owned();
    if let (Some(cache), Some(sha)) = (cache, &info.sha) {
        // Best effort: a read-only or full cache must not fail the audit.
        let _ = cache.write_model_info(&canonical, sha, &response.body);
        let _ = cache.write_ref(&canonical, revision.unwrap_or("main"), sha);
        if let (Some(records), None) = (records, revision) {
            let record = MainRecord {
                id: canonical.clone(),
                sha: sha.clone(),
                etag: response.header("etag").map(str::to_owned),
            };
            records.write(RepoKind::Model, id.as_str(), "revision-main", &record);
        }
    }
    Ok((info, Retrieved::Hub))
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
    records: Option<&Records>,
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

    let gated = matches!(info.gated, Some(Gate::Auto | Gate::Manual));
    // Without a token a gated repository refuses its files; an earlier run of the same scope
    // that was refused at this commit answers for the freshness window.
    let refused_before = gated
        && client.settings().token.is_none()
        && sha.as_ref().is_some_and(|sha| {
            records
                .and_then(|r| {
                    r.read::<String>(RepoKind::Model, canonical.as_str(), "gated-refused")
                })
                .is_some_and(|r| r.reusable && r.body == *sha)
        });
    let mut tasks = tokio::task::JoinSet::new();
    // The license-like files share one budget of bytes (limits::LICENSE_TEXT_BUDGET).
    let caps: Vec<u64> = wanted
        .iter()
        .map(|path| text_cap(path, &wanted, client.settings().max_text_bytes))
        .collect();
    for (index, (path, cap)) in wanted.into_iter().zip(caps).enumerate() {
        if refused_before {
            let file = ReleaseFile {
                path,
                content: FileContent::Unreadable(Unreadable::Gated),
            };
            tasks.spawn(async move { (index, Ok((file, Some(Retrieved::Cache)))) });
            continue;
        }
        let client = client.clone();
        let cache = cache.cloned();
        let canonical = canonical.clone();
        let pin = pin.clone();
        let cacheable = sha.is_some();
        let model = model.clone();
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
    let refused_now = files.iter().any(|(_, (f, from))| {
        from.is_none() && f.content == FileContent::Unreadable(Unreadable::Gated)
    });
    if let (Some(records), Some(sha), true, None) =
        (records, &sha, refused_now, &client.settings().token)
    {
        records.write(RepoKind::Model, canonical.as_str(), "gated-refused", sha);
    }
    let mut retrieval = Retrieval::default();
    for (_, (file, from)) in &files {
        if let Some(from) = from {
            retrieval.note(file.path.clone(), *from);
        }
    }

    Ok(Release {
        id: canonical.to_string(),
        revision: sha,
        origin: Origin::Hub {
            endpoint: client.base().to_owned(),
        },
        info,
        has_api_metadata: true,
        files: files.into_iter().map(|(_, (f, _))| f).collect(),
        related: Default::default(),
        retrieval,
    })
}

/// `GET /api/models/{id}?blobs=true`; `None` for a 304 answering `etag`.
async fn fetch_model_info(
    client: &HubClient,
    id: &RepoId,
    revision: Option<&str>,
    model: &str,
    etag: Option<&str>,
) -> Result<(Response, Option<ModelInfo>), HubError> {
    let mut url = format!("{}/api/models/{}", client.base(), id.url_path());
    if let Some(rev) = revision {
        url.push_str("/revision/");
        url.push_str(&encode_segment(rev));
    }
    url.push_str("?blobs=true");

    let mut last_problem = String::new();
    for _ in 0..JSON_ATTEMPTS {
        let response = client
            .get_if_none_match(&url, model, MAX_METADATA_BYTES, etag)
            .await?;
        if response.status == StatusCode::NOT_MODIFIED && etag.is_some() {
            return Ok((response, None));
        }
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
        match super::info_parse::model_info(&response.body) {
            Ok(info) => return Ok((response, Some(info))),
            Err(problem) => last_problem = problem.to_string(),
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

/// One text file at `pin`, and where it came from when that was not a download.
async fn fetch_file(
    client: &HubClient,
    cache: Option<&HubCache>,
    id: &RepoId,
    pin: &str,
    (path, blob_id, cap): (&str, Option<&str>, u64),
    gated: bool,
    model: &str,
) -> Result<(ReleaseFile, Option<Retrieved>), HubError> {
    let capped = |bytes: &[u8]| {
        let truncated = bytes.len() as u64 > cap;
        ReleaseFile::from_bytes(path, &bytes[..bytes.len().min(cap as usize)], truncated)
    };
    // A gated file is read only with a token: what a run with a token downloaded (into the
    // cache, or this run's memo) must not answer for a run without one.
    let open = !gated || client.settings().token.is_some();
    // The same text (a LICENSE shared by a whole organisation) is downloaded once per run: the
    // git blob id names its content.
    let _blob_guard = match blob_id {
        Some(blob) if open => Some(client.lock_blob(blob).await),
        _ => None,
    };
    if let Some((bytes, etag)) = blob_id
        .filter(|_| open)
        .and_then(|b| client.text_by_blob(b))
    {
        // Cached for this model too, so a second run (or --offline) finds it here.
        if let (Some(cache), Some(etag)) = (cache, etag) {
            let _ = cache.write_file(id.as_str(), pin, path, &etag, &bytes);
        }
        return Ok((capped(&bytes), None));
    }
    let mut previous = None;
    if let Some(cache) = cache.filter(|_| open) {
        match cache.read_file(id.as_str(), pin, path) {
            CachedFile::Present(bytes) => return Ok((capped(&bytes), Some(Retrieved::Cache))),
            CachedFile::Missing => {
                let file = ReleaseFile {
                    path: path.to_owned(),
                    content: FileContent::Unreadable(Unreadable::Missing),
                };
                return Ok((file, Some(Retrieved::Cache)));
            }
            CachedFile::Unknown => previous = cache.previous_etag(id.as_str(), path),
        }
    }
    let url = format!(
        "{}/{}/resolve/{}/{}",
        client.base(),
        id.url_path(),
        encode_segment(pin),
        encode_path(path)
    );
    // Read at another commit before: ask whether it changed rather than download it again.
    let quoted = previous.as_ref().map(|etag| format!("\"{etag}\""));
    let response = client
        .get_if_none_match(&url, model, cap, quoted.as_deref())
        .await?;
    if response.status == StatusCode::NOT_MODIFIED
        && let (Some(cache), Some(etag)) = (cache, &previous)
        && let Some(bytes) = cache.read_blob(id.as_str(), etag)
    {
        let _ = cache.write_file(id.as_str(), pin, path, etag, &bytes);
        return Ok((capped(&bytes), Some(Retrieved::Revalidated)));
    }
    let unreadable = |why| {
        Ok((
            ReleaseFile {
                path: path.to_owned(),
                content: FileContent::Unreadable(why),
            },
            None,
        ))
    };
    match response.status {
        status if status.is_success() => {
            let etag = response.etag();
            if let (Some(blob), false) = (blob_id, response.truncated) {
                client.remember_blob(blob, etag.as_deref(), &response.body);
            }
            if let (Some(cache), false, Some(etag)) = (cache, response.truncated, &etag) {
                let _ = cache.write_file(id.as_str(), pin, path, etag, &response.body);
            }
            Ok((
                ReleaseFile::from_bytes(path, &response.body, response.truncated),
                None,
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

/// Reads a release from the local cache only; never opens a socket. Metadata comes from what
/// this tool recorded (the model info, else the listing item a ranking saw); a snapshot without
/// either — files `huggingface_hub` downloaded — gives its files, and the repository listing
/// stays unknown (the snapshot holds what someone downloaded, not what the repository has).
/// A gated model's files are read only `with_token`, as online.
pub fn fetch_cached(
    cache: &HubCache,
    id: &RepoId,
    revision: Option<&str>,
    max_text_bytes: u64,
    with_token: bool,
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
        .or_else(|| cache.read_listed_info(id.as_str(), &sha))
        .and_then(|raw| super::info_parse::model_info(&raw).ok());
    let snapshot = cache.snapshot_dir(id.as_str(), &sha);
    let (info, has_api_metadata, downloaded) = match cached_info {
        Some(info) => (info, true, None),
        None if snapshot.is_dir() => {
            // Snapshot files link to the repository's `blobs/`, two levels up.
            let repo_dir = snapshot
                .ancestors()
                .nth(2)
                .unwrap_or(&snapshot)
                .to_path_buf();
            let listing = super::folder::list_folder(&snapshot, &repo_dir, &model)?;
            let paths: Vec<String> = listing.iter().map(|(p, _)| p.clone()).collect();
            let mut info = super::folder::info_from_listing(&snapshot, listing);
            info.siblings = None;
            (info, false, Some(paths))
        }
        None => return Err(not_cached()),
    };
    let listing: Vec<&str> = match (&downloaded, &info.siblings) {
        (Some(paths), _) => paths.iter().map(String::as_str).collect(),
        (None, Some(siblings)) => siblings.iter().map(|s| s.path.as_str()).collect(),
        (None, None) => vec!["README.md"],
    };
    let license_link = info
        .card_data
        .as_ref()
        .and_then(|c| c.get("license_link"))
        .and_then(|v| v.as_str());
    let open = with_token || !matches!(info.gated, Some(Gate::Auto | Gate::Manual));
    let mut retrieval = Retrieval {
        metadata: Some(if has_api_metadata {
            Retrieved::Cache
        } else {
            Retrieved::Unavailable
        }),
        items: Vec::new(),
    };
    let chosen = files_to_read(&listing, license_link);
    let files: Vec<ReleaseFile> = chosen
        .iter()
        .cloned()
        .map(|path| {
            let cap =
                usize::try_from(text_cap(&path, &chosen, max_text_bytes)).unwrap_or(usize::MAX);
            if !open {
                return ReleaseFile {
                    path,
                    content: FileContent::Unreadable(Unreadable::Gated),
                };
            }
            match cache.read_file(id.as_str(), &sha, &path) {
                CachedFile::Present(bytes) => ReleaseFile::from_bytes(
                    &path,
                    &bytes[..bytes.len().min(cap)],
                    bytes.len() > cap,
                ),
                CachedFile::Missing => ReleaseFile {
                    path,
                    content: FileContent::Unreadable(Unreadable::Missing),
                },
                CachedFile::Unknown => ReleaseFile {
                    path,
                    content: FileContent::Unreadable(Unreadable::NotCached),
                },
            }
        })
        .collect();
    for file in &files {
        let from = match file.content {
            FileContent::Unreadable(Unreadable::NotCached) => Retrieved::Unavailable,
            _ => Retrieved::Cache,
        };
        retrieval.note(file.path.clone(), from);
    }
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
        retrieval,
    })
}
