//! Errors from fetching one model. Each message is one line that names the model and says
//! what to do.

use std::path::PathBuf;

#[derive(Debug, Clone, thiserror::Error)]
pub enum HubError {
    #[error("`{input}`: {reason}")]
    InvalidModel { input: String, reason: String },

    #[error(
        "{model}: repository not found on {endpoint} (check the id; a private repository needs a token with access: --token or HF_TOKEN)"
    )]
    RepoNotFound { model: String, endpoint: String },

    #[error("{model}: revision `{revision}` not found (check the branch, tag or commit)")]
    RevisionNotFound { model: String, revision: String },

    #[error(
        "{model}: the Hub rejected the token (invalid credentials); check --token, HF_TOKEN or the token file"
    )]
    InvalidToken { model: String },

    #[error("{model}: {endpoint} refused the request (HTTP {status}{detail})")]
    Http {
        model: String,
        endpoint: String,
        status: u16,
        detail: String,
    },

    #[error("{model}: the repository is disabled on the Hub")]
    Disabled { model: String },

    #[error(
        "{model}: still rate limited by {endpoint} after {attempts} attempts; wait a few minutes or pass a token (--token / HF_TOKEN) for a higher limit"
    )]
    RateLimited {
        model: String,
        endpoint: String,
        attempts: u32,
    },

    #[error(
        "{model}: {endpoint} answered HTTP {status} after {attempts} attempts; try again later"
    )]
    Server {
        model: String,
        endpoint: String,
        status: u16,
        attempts: u32,
    },

    #[error(
        "{model}: cannot reach {endpoint} ({detail}); check the network or --endpoint / HF_ENDPOINT"
    )]
    Network {
        model: String,
        endpoint: String,
        detail: String,
    },

    #[error(
        "{model}: the Hub's answer is not the JSON expected ({detail}) after {attempts} attempts"
    )]
    MalformedJson {
        model: String,
        detail: String,
        attempts: u32,
    },

    #[error(
        "{model}: not in the local cache {cache} (offline mode); run once online to cache it, or drop --offline / HF_HUB_OFFLINE"
    )]
    NotCached { model: String, cache: PathBuf },

    #[error(
        "{model}: not finished within the {seconds} s deadline (the server is slow, stalls or keeps rate limiting); try again later or raise --timeout"
    )]
    TimedOut { model: String, seconds: u64 },

    #[error(
        "{query}: the listing was cut after {models} models: {reason}; the models listed so far are still reported"
    )]
    ListingIncomplete {
        query: String,
        models: usize,
        reason: String,
    },

    /// `detail` names the path.
    #[error("{model}: {detail}")]
    LocalIo {
        model: String,
        path: PathBuf,
        detail: String,
    },
}

impl HubError {
    /// A short stable code for JSON output and tests.
    pub fn code(&self) -> &'static str {
        match self {
            HubError::InvalidModel { .. } => "invalid-model",
            HubError::RepoNotFound { .. } => "repo-not-found",
            HubError::RevisionNotFound { .. } => "revision-not-found",
            HubError::InvalidToken { .. } => "invalid-token",
            HubError::Http { .. } => "http-error",
            HubError::Disabled { .. } => "repo-disabled",
            HubError::RateLimited { .. } => "rate-limited",
            HubError::Server { .. } => "server-error",
            HubError::Network { .. } => "network-error",
            HubError::MalformedJson { .. } => "malformed-response",
            HubError::NotCached { .. } => "not-cached",
            HubError::LocalIo { .. } => "local-io",
            HubError::TimedOut { .. } => "timed-out",
            HubError::ListingIncomplete { .. } => "listing-incomplete",
        }
    }
}
