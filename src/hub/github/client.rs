//! The HTTP client for GitHub: its own `reqwest` client (its own connection pool and redirect
//! rule), bounded concurrency, a few retries for server and network failures, and the API quota
//! ([`super::quota`]) checked before every API request.
//!
//! Credentials: the GitHub token goes to the API origin only (`GITHUB_API_URL`), attached per
//! request. Redirects are followed here, not by `reqwest`, and only within the origin they start
//! from, so a server cannot send the token (or the run) elsewhere. The raw host never receives a
//! token. Nothing a server says is shown unredacted.

use super::quota::{Claim, Exhausted, Quota};
use super::settings::GithubSettings;
use crate::hub::client::{ClientError, read_capped};
use crate::text::redact::redact;
use reqwest::header::{ACCEPT, AUTHORIZATION, HeaderMap, HeaderValue, IF_NONE_MATCH, LOCATION};
use reqwest::{StatusCode, Url};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Attempts for a request that failed on the network or with a server error (first included).
const MAX_ATTEMPTS: u32 = 3;
/// Redirects followed (a moved repository answers one).
const MAX_REDIRECTS: u32 = 3;
/// Longest wait honoured for GitHub's secondary rate limit (`retry-after`), once.
const MAX_SECONDARY_WAIT: Duration = Duration::from_secs(60);
/// Requests that failed in a row (after their retries) before GitHub counts as unreachable for
/// the rest of the run: a firewalled or down host costs a few seconds, not every repository's.
const UNREACHABLE_AFTER: u32 = 3;

/// Which host a request goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Host {
    /// The REST API: counted against the quota, the only host that receives the token.
    Api,
    /// The raw-file host: no quota, no token.
    Raw,
}

/// A response read to the end (or to the cap).
#[derive(Debug)]
pub struct GhResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub truncated: bool,
    /// The URL that answered, after redirects.
    pub url: Url,
}

impl GhResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Why a request produced no usable answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GhError {
    /// The API quota is spent (or down to its reserve): no request was sent.
    Quota(Exhausted),
    /// Network, server or protocol failure after the retries (a short, redacted description).
    Failed(String),
}

/// Requests sent, by kind, for the run's statistics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// API requests sent (each retry and redirect hop counts).
    pub api: u64,
    /// API answers `304 Not Modified` (GitHub does not count them against the quota).
    pub api_not_modified: u64,
    /// Raw-file downloads sent.
    pub raw: u64,
}

#[derive(Clone)]
pub struct GithubClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    settings: GithubSettings,
    api_base: String,
    raw_base: String,
    quota: Quota,
    permits: Semaphore,
    api: AtomicU64,
    api_not_modified: AtomicU64,
    raw: AtomicU64,
    /// Requests that failed in a row, per host (API, raw).
    failures: [Breaker; 2],
}

/// Counts the requests to one host that failed in a row, and keeps the failure that made the
/// host count as unreachable: every later request reports that same cause, so what a scorecard
/// says does not depend on which request happened to come first.
#[derive(Default)]
struct Breaker {
    in_a_row: AtomicU32,
    cause: Mutex<Option<String>>,
}

impl Breaker {
    fn open_cause(&self) -> Option<String> {
        if self.in_a_row.load(Ordering::Relaxed) < UNREACHABLE_AFTER {
            return None;
        }
        self.cause.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn failed(&self, detail: &str) {
        let mut cause = self.cause.lock().unwrap_or_else(|e| e.into_inner());
        // The cause that opened the breaker stays: later failures do not rewrite it.
        if self.in_a_row.load(Ordering::Relaxed) < UNREACHABLE_AFTER {
            *cause = Some(detail.to_owned());
            self.in_a_row.fetch_add(1, Ordering::Relaxed);
        }
    }

    fn succeeded(&self) {
        self.in_a_row.store(0, Ordering::Relaxed);
    }
}

impl std::fmt::Debug for GithubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GithubClient")
            .field("api", &self.inner.api_base)
            .field("raw", &self.inner.raw_base)
            .finish_non_exhaustive()
    }
}

/// What one attempt came to.
enum AttemptError {
    /// Worth another try after this wait (or the backoff).
    Retry {
        detail: String,
        wait: Option<Duration>,
    },
    Fatal(GhError),
}

impl GithubClient {
    pub fn new(settings: GithubSettings) -> Result<GithubClient, ClientError> {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .user_agent(crate::hub::HubSettings::user_agent())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(ClientError)?;
        let api_base = settings.api.as_str().trim_end_matches('/').to_owned();
        let raw_base = settings.raw.as_str().trim_end_matches('/').to_owned();
        let permits = Semaphore::new(settings.concurrency.max(1));
        Ok(GithubClient {
            inner: Arc::new(Inner {
                http,
                settings,
                api_base,
                raw_base,
                quota: Quota::default(),
                permits,
                api: AtomicU64::new(0),
                api_not_modified: AtomicU64::new(0),
                raw: AtomicU64::new(0),
                failures: Default::default(),
            }),
        })
    }

    pub fn settings(&self) -> &GithubSettings {
        &self.inner.settings
    }

    /// The quota, when this run found it spent.
    pub fn exhausted(&self) -> Option<Exhausted> {
        self.inner.quota.exhausted()
    }

    /// The hosts that counted as unreachable during this run, each with the failure that made
    /// them so ("GitHub's API", "connection failed: …").
    pub fn unreachable(&self) -> Vec<(&'static str, String)> {
        [
            (Host::Api, "GitHub's API"),
            (Host::Raw, "GitHub's raw-file host"),
        ]
        .into_iter()
        .filter_map(|(host, name)| {
            let cause = self.inner.failures[usize::from(host == Host::Raw)].open_cause()?;
            Some((name, cause))
        })
        .collect()
    }

    pub fn counts(&self) -> Counts {
        Counts {
            api: self.inner.api.load(Ordering::Relaxed),
            api_not_modified: self.inner.api_not_modified.load(Ordering::Relaxed),
            raw: self.inner.raw.load(Ordering::Relaxed),
        }
    }

    /// Sets aside the API calls of one repository read (see [`super::quota`]).
    pub async fn claim(&self, calls: u64) -> Result<Claim<'_>, GhError> {
        self.inner
            .quota
            .claim(calls, super::now_secs())
            .await
            .map_err(GhError::Quota)
    }

    /// `GET {api}{path}` (path with its query), conditional on `etag` when given, following
    /// redirects within the API origin; its calls are taken from `claim` first.
    pub async fn api(
        &self,
        path: &str,
        etag: Option<&str>,
        cap: u64,
        claim: &mut Claim<'_>,
    ) -> Result<GhResponse, GhError> {
        let url = format!("{}{path}", self.inner.api_base);
        self.get(Host::Api, &url, etag, cap, Some(claim)).await
    }

    /// `GET {raw}{path}`: a file's bytes, without quota and without credentials.
    pub async fn raw(&self, path: &str, cap: u64) -> Result<GhResponse, GhError> {
        let url = format!("{}{path}", self.inner.raw_base);
        self.get(Host::Raw, &url, None, cap, None).await
    }

    async fn get(
        &self,
        host: Host,
        url: &str,
        etag: Option<&str>,
        cap: u64,
        mut claim: Option<&mut Claim<'_>>,
    ) -> Result<GhResponse, GhError> {
        let mut url = Url::parse(url)
            .map_err(|e| GhError::Failed(format!("cannot form a request URL: {e}")))?;
        let breaker = &self.inner.failures[usize::from(host == Host::Raw)];
        if let Some(cause) = breaker.open_cause() {
            return Err(GhError::Failed(cause));
        }
        for _ in 0..=MAX_REDIRECTS {
            let response = match self.send(host, &url, etag, cap, claim.as_deref_mut()).await {
                Ok(response) => {
                    breaker.succeeded();
                    response
                }
                Err(GhError::Failed(detail)) => {
                    breaker.failed(&detail);
                    return Err(GhError::Failed(detail));
                }
                Err(e) => return Err(e),
            };
            if !response.status.is_redirection() || response.status == StatusCode::NOT_MODIFIED {
                return Ok(response);
            }
            let next = response
                .header(LOCATION.as_str())
                .and_then(|location| url.join(location).ok())
                .ok_or_else(|| {
                    GhError::Failed(format!(
                        "HTTP {} without a usable Location",
                        response.status.as_u16()
                    ))
                })?;
            if !same_origin(&next, &url) {
                return Err(GhError::Failed(
                    "redirected to another host (not followed)".to_owned(),
                ));
            }
            url = next;
        }
        Err(GhError::Failed("too many redirects".to_owned()))
    }

    async fn send(
        &self,
        host: Host,
        url: &Url,
        etag: Option<&str>,
        cap: u64,
        mut claim: Option<&mut Claim<'_>>,
    ) -> Result<GhResponse, GhError> {
        let mut attempt = 0;
        let mut secondary_waited = false;
        loop {
            attempt += 1;
            match self
                .attempt(host, url, etag, cap, claim.as_deref_mut())
                .await
            {
                Ok(response) => return Ok(response),
                Err(AttemptError::Fatal(e)) => return Err(e),
                Err(AttemptError::Retry { detail, wait }) => {
                    // A secondary rate limit is waited out once; other failures are retried
                    // with backoff, a few times.
                    let wait = match wait {
                        Some(_) if secondary_waited => return Err(GhError::Failed(detail)),
                        Some(wait) => {
                            secondary_waited = true;
                            wait
                        }
                        None if attempt >= MAX_ATTEMPTS => return Err(GhError::Failed(detail)),
                        None => Duration::from_millis(200u64 << attempt.min(6)),
                    };
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn attempt(
        &self,
        host: Host,
        url: &Url,
        etag: Option<&str>,
        cap: u64,
        claim: Option<&mut Claim<'_>>,
    ) -> Result<GhResponse, AttemptError> {
        let _slot = self
            .inner
            .permits
            .acquire()
            .await
            .expect("semaphore is never closed");
        let _quota = match (host, claim) {
            (Host::Api, Some(claim)) => Some(
                self.inner
                    .quota
                    .acquire(claim, super::now_secs())
                    .await
                    .map_err(|e| AttemptError::Fatal(GhError::Quota(e)))?,
            ),
            (Host::Api, None) => {
                return Err(AttemptError::Fatal(GhError::Failed(
                    "an API request outside a repository read".to_owned(),
                )));
            }
            (Host::Raw, _) => None,
        };
        let mut request = self.inner.http.get(url.clone());
        match host {
            Host::Api => {
                self.inner.api.fetch_add(1, Ordering::Relaxed);
                request = request
                    .header(ACCEPT, "application/vnd.github+json")
                    .header("x-github-api-version", "2022-11-28");
                if let Some(token) = &self.inner.settings.token
                    && same_origin(url, &self.inner.settings.api)
                    && let Ok(mut value) =
                        HeaderValue::from_str(&format!("Bearer {}", token.expose()))
                {
                    value.set_sensitive(true);
                    request = request.header(AUTHORIZATION, value);
                }
                if let Some(etag) = etag
                    && let Ok(value) = HeaderValue::from_str(etag)
                {
                    request = request.header(IF_NONE_MATCH, value);
                }
            }
            Host::Raw => {
                self.inner.raw.fetch_add(1, Ordering::Relaxed);
            }
        }
        let mut response = request.send().await.map_err(|e| AttemptError::Retry {
            detail: self.describe(&e),
            wait: None,
        })?;
        let status = response.status();
        let headers = response.headers().clone();
        if status == StatusCode::NOT_MODIFIED && host == Host::Api {
            self.inner.api_not_modified.fetch_add(1, Ordering::Relaxed);
        }
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            if host == Host::Api {
                self.inner.quota.observe(&headers, false);
            }
            return Err(AttemptError::Retry {
                detail: format!("HTTP {}", status.as_u16()),
                wait: None,
            });
        }
        let (body, truncated) = match read_capped(&mut response, cap).await {
            Ok(read) => read,
            Err(e) => {
                return Err(AttemptError::Retry {
                    detail: format!("the response was cut short ({})", self.describe(&e)),
                    wait: None,
                });
            }
        };
        if matches!(
            status,
            StatusCode::FORBIDDEN | StatusCode::TOO_MANY_REQUESTS
        ) {
            let remaining = headers
                .get("x-ratelimit-remaining")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok());
            let says_limit = String::from_utf8_lossy(&body[..body.len().min(2048)])
                .to_ascii_lowercase()
                .contains("rate limit");
            let retry_after = headers
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(crate::limits::network_wait)
                .map(|w| w.min(MAX_SECONDARY_WAIT));
            if host == Host::Api && (remaining == Some(0) || (says_limit && retry_after.is_none()))
            {
                // The primary quota: spent until the reset. Never retried.
                self.inner.quota.observe(&headers, true);
                let exhausted = self
                    .inner
                    .quota
                    .exhausted()
                    .unwrap_or(Exhausted { reset: None });
                return Err(AttemptError::Fatal(GhError::Quota(exhausted)));
            }
            if says_limit || status == StatusCode::TOO_MANY_REQUESTS {
                // A secondary rate limit (or the raw host's): wait what it asks, once.
                if host == Host::Api {
                    self.inner.quota.observe(&headers, false);
                }
                return Err(AttemptError::Retry {
                    detail: format!("HTTP {} (rate limited)", status.as_u16()),
                    wait: Some(retry_after.unwrap_or(Duration::from_secs(5))),
                });
            }
        }
        if host == Host::Api {
            self.inner.quota.observe(&headers, false);
        }
        let url = response.url().clone();
        Ok(GhResponse {
            status,
            headers,
            body,
            truncated,
            url,
        })
    }

    /// A reqwest error, without its URL, redacted.
    fn describe(&self, e: &reqwest::Error) -> String {
        let kind = if e.is_timeout() {
            "timed out"
        } else if e.is_connect() {
            "connection failed"
        } else if e.is_body() || e.is_decode() {
            "body error"
        } else {
            "request failed"
        };
        let mut detail = kind.to_owned();
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            detail = format!("{kind}: {s}");
            source = s.source();
        }
        let secrets: Vec<&str> = self
            .inner
            .settings
            .token
            .iter()
            .map(|t| t.expose())
            .collect();
        redact(&detail, &secrets)
    }
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}
