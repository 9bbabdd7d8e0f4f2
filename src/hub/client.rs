//! The HTTP client: one `reqwest` client shared by every request, bounded concurrency, retries
//! with backoff and jitter, and a shared pause that honours the Hub's rate-limit headers.

use super::error::HubError;
use super::pacer::{Bucket, Pacer, parse_ratelimit};
use super::settings::HubSettings;
use crate::limits::{self, MAX_TIMEOUT_ATTEMPTS};
use crate::text::redact::redact;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{StatusCode, Url};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// A text downloaded in this run and the ETag it came with.
type MemoText = (Arc<[u8]>, Option<String>);

/// A response read to the end (or to the size cap).
#[derive(Debug)]
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The body was longer than the cap and was cut.
    pub truncated: bool,
    pub url: Url,
    /// `X-Error-Message`, passed through [`crate::text::redact::redact`] with the token in use.
    error_message: Option<String>,
}

impl Response {
    /// The content id of a downloaded file, normalised as `huggingface_hub` does:
    /// `X-Linked-Etag` (LFS) or `ETag`, without `W/` and quotes.
    pub fn etag(&self) -> Option<String> {
        let raw = self
            .header("x-linked-etag")
            .or_else(|| self.header("etag"))?;
        let tag = raw.trim().trim_start_matches("W/").trim_matches('"');
        (!tag.is_empty() && tag.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| tag.to_owned())
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The Hub's machine-readable error code (`RepoNotFound`, `GatedRepo`, …).
    pub fn error_code(&self) -> Option<&str> {
        self.header("x-error-code")
    }

    /// The server's error text, redacted: a server may echo the request's credentials here.
    pub fn error_message(&self) -> Option<&str> {
        self.error_message.as_deref()
    }
}

#[derive(Clone)]
pub struct HubClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    settings: HubSettings,
    base: String,
    permits: Semaphore,
    /// Rate-limit state per bucket, from `Retry-After` / `RateLimit` headers.
    pacer: Pacer,
    requests: AtomicU64,
    /// Text files already downloaded in this run, by git blob id, with the ETag they came with.
    texts: std::sync::Mutex<std::collections::HashMap<String, MemoText>>,
    /// One lock per blob id being downloaded, so concurrent audits wait for one download.
    blob_locks: std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    jitter_state: AtomicU64,
}

impl std::fmt::Debug for HubClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HubClient")
            .field("endpoint", &self.inner.base)
            .finish_non_exhaustive()
    }
}

/// Why one attempt did not produce a usable response.
enum AttemptError {
    /// Too many requests: wait at least this long.
    RateLimited(Option<Duration>),
    /// 5xx, reset, timeout, truncated body: worth another try.
    Transient {
        status: Option<u16>,
        detail: String,
        timed_out: bool,
    },
    /// Not worth another try (a redirect loop): the same request will fail the same way.
    Permanent { detail: String },
}

/// The HTTP client could not be built (TLS set-up).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the HTTP client: {0}")]
pub struct ClientError(pub(crate) reqwest::Error);

impl HubClient {
    pub fn new(settings: HubSettings) -> Result<HubClient, ClientError> {
        install_crypto_provider();
        let http = reqwest::Client::builder()
            .user_agent(HubSettings::user_agent())
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.request_timeout)
            .redirect(reqwest::redirect::Policy::limited(10))
            .build()
            .map_err(ClientError)?;
        let base = settings.endpoint.as_str().trim_end_matches('/').to_owned();
        let permits = Semaphore::new(settings.concurrency);
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Ok(HubClient {
            inner: Arc::new(Inner {
                http,
                settings,
                base,
                permits,
                pacer: Pacer::default(),
                requests: AtomicU64::new(0),
                texts: Default::default(),
                blob_locks: Default::default(),
                jitter_state: AtomicU64::new(seed | 1),
            }),
        })
    }

    pub fn settings(&self) -> &HubSettings {
        &self.inner.settings
    }

    /// The endpoint without a trailing slash, for building URLs.
    pub fn base(&self) -> &str {
        &self.inner.base
    }

    /// A URL the server handed us (a `Link` target): absolute or relative to the endpoint, and
    /// only on the configured endpoint's origin, so a listing cannot send us (or our token)
    /// elsewhere.
    pub fn resolve_same_origin(&self, link: &str) -> Option<String> {
        let endpoint = &self.inner.settings.endpoint;
        let url = endpoint.join(link).ok()?;
        same_origin(&url, endpoint).then(|| url.to_string())
    }

    /// A text file already downloaded in this run, by its git blob id, with its ETag.
    pub fn text_by_blob(&self, blob_id: &str) -> Option<MemoText> {
        self.inner
            .texts
            .lock()
            .expect("texts lock")
            .get(blob_id)
            .cloned()
    }

    /// Holds the download of one blob: a second audit wanting the same text waits, then finds it
    /// in [`HubClient::text_by_blob`].
    pub async fn lock_blob(&self, blob_id: &str) -> tokio::sync::OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self.inner.blob_locks.lock().expect("blob locks");
            Arc::clone(locks.entry(blob_id.to_owned()).or_default())
        };
        lock.lock_owned().await
    }

    /// Remembers a downloaded text by its git blob id (small files only, a bounded number).
    pub fn remember_blob(&self, blob_id: &str, etag: Option<&str>, bytes: &[u8]) {
        const MAX_TEXTS: usize = 1_000;
        const MAX_TEXT: usize = 256 * 1024;
        let mut texts = self.inner.texts.lock().expect("texts lock");
        if bytes.len() <= MAX_TEXT && texts.len() < MAX_TEXTS {
            texts
                .entry(blob_id.to_owned())
                .or_insert_with(|| (Arc::from(bytes), etag.map(str::to_owned)));
        }
    }

    /// How many HTTP requests were sent (each retry counts).
    pub fn request_count(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }

    /// GETs `url`, retrying transient failures. Returns the final response, whatever its status,
    /// unless retries ran out (rate limits, server errors, network failures).
    pub async fn get(&self, url: &str, model: &str, cap: u64) -> Result<Response, HubError> {
        self.get_if_none_match(url, model, cap, None).await
    }

    /// [`HubClient::get`] with `If-None-Match: etag` when one is given: a copy the cache holds
    /// is revalidated (the answer is then `304 Not Modified`, without a body) instead of
    /// downloaded again.
    pub async fn get_if_none_match(
        &self,
        url: &str,
        model: &str,
        cap: u64,
        etag: Option<&str>,
    ) -> Result<Response, HubError> {
        let policy = self.inner.settings.retry.clone();
        let url = Url::parse(url).map_err(|e| HubError::InvalidModel {
            input: model.to_owned(),
            reason: format!("cannot form a request URL: {e}"),
        })?;
        let bucket = Bucket::of(&url);
        let mut transient_attempts = 0u32;
        let mut timeouts = 0u32;
        let mut limited_attempts = 0u32;
        loop {
            match self.attempt(&url, bucket, cap, etag).await {
                Ok(response) => return Ok(response),
                Err(AttemptError::RateLimited(wait)) => {
                    limited_attempts += 1;
                    if limited_attempts >= policy.max_rate_limited_attempts {
                        return Err(HubError::RateLimited {
                            model: model.to_owned(),
                            endpoint: self.inner.base.clone(),
                            attempts: limited_attempts + transient_attempts,
                        });
                    }
                    let wait = wait
                        .map(|w| w.min(policy.max_retry_after).min(limits::MAX_WAIT))
                        .unwrap_or_else(|| self.backoff(limited_attempts));
                    self.inner.pacer.exhausted(bucket, wait);
                }
                Err(AttemptError::Permanent { detail }) => {
                    return Err(HubError::Network {
                        model: model.to_owned(),
                        endpoint: self.inner.base.clone(),
                        detail,
                    });
                }
                Err(AttemptError::Transient {
                    status,
                    detail,
                    timed_out,
                }) => {
                    transient_attempts += 1;
                    timeouts += u32::from(timed_out);
                    if transient_attempts >= policy.max_attempts || timeouts >= MAX_TIMEOUT_ATTEMPTS
                    {
                        let attempts = transient_attempts + limited_attempts;
                        return Err(match status {
                            Some(status) => HubError::Server {
                                model: model.to_owned(),
                                endpoint: self.inner.base.clone(),
                                status,
                                attempts,
                            },
                            None => HubError::Network {
                                model: model.to_owned(),
                                endpoint: self.inner.base.clone(),
                                detail,
                            },
                        });
                    }
                    tokio::time::sleep(self.backoff(transient_attempts)).await;
                }
            }
        }
    }

    async fn attempt(
        &self,
        url: &Url,
        bucket: Bucket,
        cap: u64,
        etag: Option<&str>,
    ) -> Result<Response, AttemptError> {
        let _permit = self
            .inner
            .permits
            .acquire()
            .await
            .expect("semaphore is never closed");
        self.inner.pacer.ready(bucket).await;
        self.inner.requests.fetch_add(1, Ordering::Relaxed);
        let mut request = self.inner.http.get(url.clone());
        if let Some(value) = etag.and_then(|e| HeaderValue::from_str(e).ok()) {
            request = request.header(reqwest::header::IF_NONE_MATCH, value);
        }
        if let Some(token) = &self.inner.settings.token {
            // Only to the configured endpoint; reqwest drops the header itself when a redirect
            // leaves this origin (as the Hub's redirects to its CDN do).
            if same_origin(url, &self.inner.settings.endpoint)
                && let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {}", token.expose()))
            {
                value.set_sensitive(true);
                request = request.header(AUTHORIZATION, value);
            }
        } else if let Some(login) = &self.inner.settings.endpoint_login
            && same_origin(url, &self.inner.settings.endpoint)
        {
            // `HF_ENDPOINT=http://user:pw@host`: basic auth, as the URL asked for.
            let (user, password) = login
                .expose()
                .split_once(':')
                .unwrap_or((login.expose(), ""));
            request = request.basic_auth(user, Some(password));
        }
        let mut response = request.send().await.map_err(|e| {
            if e.is_redirect() {
                AttemptError::Permanent {
                    detail: describe_reqwest_error(&e),
                }
            } else {
                AttemptError::Transient {
                    status: None,
                    detail: describe_reqwest_error(&e),
                    timed_out: e.is_timeout(),
                }
            }
        })?;
        let status = response.status();
        let spent = self.inner.pacer.observe(bucket, response.headers());
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(AttemptError::RateLimited(retry_after(response.headers())));
        }
        if let Some(wait) = spent {
            // The quota is spent: wait for the reset instead of sending requests that will be
            // refused.
            self.inner
                .pacer
                .exhausted(bucket, wait.min(self.inner.settings.retry.max_retry_after));
        }
        if status.is_server_error() || status == StatusCode::REQUEST_TIMEOUT {
            return Err(AttemptError::Transient {
                status: Some(status.as_u16()),
                detail: format!("HTTP {}", status.as_u16()),
                timed_out: false,
            });
        }
        let headers = response.headers().clone();
        let final_url = response.url().clone();
        let (body, truncated) = match read_capped(&mut response, cap).await {
            Ok(read) => read,
            Err(e) => {
                return Err(AttemptError::Transient {
                    status: None,
                    detail: format!(
                        "the response was cut short ({})",
                        describe_reqwest_error(&e)
                    ),
                    timed_out: e.is_timeout(),
                });
            }
        };
        let secrets: Vec<&str> = self
            .inner
            .settings
            .token
            .as_ref()
            .map(|t| t.expose())
            .into_iter()
            .collect();
        let error_message = headers
            .get("x-error-message")
            .and_then(|v| v.to_str().ok())
            .map(|m| redact(m, &secrets));
        Ok(Response {
            status,
            headers,
            body,
            truncated,
            url: final_url,
            error_message,
        })
    }

    /// Exponential backoff with ±25 % jitter.
    fn backoff(&self, attempt: u32) -> Duration {
        let policy = &self.inner.settings.retry;
        let exp = policy
            .base_delay
            .saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
        let capped = exp.min(policy.max_delay);
        let r = self.next_random();
        let factor = 0.75 + (r % 1000) as f64 / 2000.0;
        capped.mul_f64(factor)
    }

    fn next_random(&self) -> u64 {
        // xorshift64*: jitter only needs to decorrelate concurrent retries.
        let mut x = self.inner.jitter_state.load(Ordering::Relaxed);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.inner.jitter_state.store(x, Ordering::Relaxed);
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn install_crypto_provider() {
    // reqwest is built without a bundled provider; ring keeps the C build small. Installing
    // twice is harmless (the second call returns Err).
    let _ = rustls::crypto::ring::default_provider().install_default();
}

fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `Retry-After` in seconds (the Hub never sends the HTTP-date form), else the `RateLimit`
/// header's reset time; either clamped to [`limits::MAX_WAIT`].
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let from_retry_after = headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(limits::network_wait);
    from_retry_after.or_else(|| {
        headers
            .get("ratelimit")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_ratelimit)
            .map(|(_, reset)| limits::clamp_wait_secs(reset))
    })
}

/// A response's body, read to its end or to `cap` bytes (then `true`: the rest is never read,
/// so an endless body costs at most the cap). Both the Hub's and GitHub's clients read this way.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    cap: u64,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let cap = usize::try_from(cap).unwrap_or(usize::MAX);
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap.saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

fn describe_reqwest_error(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "body error"
    } else if e.is_redirect() {
        "too many redirects"
    } else {
        "request failed"
    };
    // The URL is dropped on purpose: error strings must not grow unbounded or carry secrets.
    let mut detail = kind.to_owned();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        detail = format!("{kind}: {s}");
        source = s.source();
    }
    // A cause may quote a proxy URL with its credentials, or a header.
    redact(&detail, &[])
}
