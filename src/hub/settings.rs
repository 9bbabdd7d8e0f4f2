//! Where the Hub is, who we are to it, and how hard to push: resolved once from flags and the
//! Hugging Face environment variables, with the same precedence as `huggingface_hub`.

use reqwest::Url;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_ENDPOINT: &str = "https://huggingface.co";

/// Requests in flight by default. At the Hub's ~50 ms per request, 16 in flight keep a ranking
/// bound by the quota rather than by latency; the pacer, not the concurrency, keeps to the quota
/// (docs/performance.md: the rate-limited ratio).
pub const DEFAULT_CONCURRENCY: usize = 16;

pub use super::token::Token;

/// Where the token came from, for `--verbose` style diagnostics (never the token itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenSource {
    Flag,
    EnvHfToken,
    /// `HUGGING_FACE_HUB_TOKEN`, the name older `huggingface_hub` releases read.
    EnvLegacy,
    File(PathBuf),
}

/// Everything the client needs to know, resolved.
#[derive(Clone, Debug)]
pub struct HubSettings {
    /// The Hub's base URL, without userinfo: this is what messages and reports show.
    pub endpoint: Url,
    /// `user:password` from an endpoint such as `http://user:pw@proxy/`, sent as HTTP basic
    /// auth to the endpoint's origin when no token is in use; never shown.
    pub endpoint_login: Option<Token>,
    pub token: Option<Token>,
    pub token_source: Option<TokenSource>,
    /// The Hugging Face hub cache (`HF_HUB_CACHE`), shared with `huggingface_hub` and `hf-hub`.
    pub cache_dir: PathBuf,
    pub offline: bool,
    pub concurrency: usize,
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
    /// Largest text file (README, LICENSE) read; longer files are cut and reported.
    pub max_text_bytes: u64,
    pub retry: RetryPolicy,
    /// Overall deadline for one model's audit (`--timeout`), every request and wait included.
    pub deadline: Duration,
    /// GitHub, for the code repositories the cards link (docs/code-host.md).
    pub github: super::github::GithubSettings,
    /// `--refresh`: ask the Hub again for everything an earlier run recorded, however fresh.
    pub refresh: bool,
}

/// How often and how long to retry transient failures.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Attempts for 5xx, resets, timeouts and truncated bodies (first try included).
    pub max_attempts: u32,
    /// Attempts when the Hub says "too many requests": rate limits are expected and resolve.
    pub max_rate_limited_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// Longest single wait honoured from `Retry-After` / `RateLimit` (the Hub's window is 5 min).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            max_rate_limited_attempts: 12,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
            max_retry_after: crate::limits::MAX_WAIT,
        }
    }
}

/// What the command line says; `None` means "not given, look at the environment".
#[derive(Clone, Debug, Default)]
pub struct SettingsOverrides {
    pub endpoint: Option<String>,
    pub token: Option<String>,
    pub cache_dir: Option<PathBuf>,
    pub offline: bool,
    pub concurrency: Option<usize>,
    /// `--timeout`: the per-model deadline.
    pub deadline: Option<Duration>,
    /// `--no-code-host`: read no code repository (GitHub).
    pub no_code_host: bool,
    /// `--refresh`.
    pub refresh: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("invalid endpoint `{value}`: {reason} (expected a URL such as https://huggingface.co)")]
    Endpoint { value: String, reason: String },
    #[error("--concurrency must be at least 1")]
    Concurrency,
    #[error(transparent)]
    Github(#[from] super::github::settings::GithubSettingsError),
}

impl HubSettings {
    /// Resolves settings from flags and an environment lookup (injected so tests need not touch
    /// the process environment).
    pub fn resolve(
        overrides: &SettingsOverrides,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<HubSettings, SettingsError> {
        let env_nonempty = |name: &str| env(name).filter(|v| !v.trim().is_empty());

        let endpoint_raw = overrides
            .endpoint
            .clone()
            .or_else(|| env_nonempty("HF_ENDPOINT"))
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned());
        let (endpoint, endpoint_login) = parse_endpoint(&endpoint_raw)?;

        let hf_home = env_nonempty("HF_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| {
                env_nonempty("XDG_CACHE_HOME")
                    .map(PathBuf::from)
                    .or_else(|| env_nonempty("HOME").map(|h| Path::new(&h).join(".cache")))
                    .unwrap_or_else(|| PathBuf::from(".cache"))
                    .join("huggingface")
            });

        let (token, token_source) = resolve_token(overrides, &env_nonempty, &hf_home);

        let cache_dir = overrides
            .cache_dir
            .clone()
            .or_else(|| env_nonempty("HF_HUB_CACHE").map(PathBuf::from))
            .or_else(|| env_nonempty("HUGGINGFACE_HUB_CACHE").map(PathBuf::from))
            .unwrap_or_else(|| hf_home.join("hub"));

        // As `huggingface_hub`: HF_HUB_OFFLINE when set, else the older TRANSFORMERS_OFFLINE.
        let offline = overrides.offline
            || env_nonempty("HF_HUB_OFFLINE")
                .or_else(|| env_nonempty("TRANSFORMERS_OFFLINE"))
                .is_some_and(|v| is_truthy(&v));

        let concurrency = overrides.concurrency.unwrap_or(DEFAULT_CONCURRENCY);
        if concurrency == 0 {
            return Err(SettingsError::Concurrency);
        }

        let github = super::github::GithubSettings::resolve(
            overrides.no_code_host,
            concurrency,
            &cache_dir,
            env,
        )?;

        Ok(HubSettings {
            endpoint,
            endpoint_login,
            token,
            token_source,
            cache_dir,
            offline,
            concurrency,
            request_timeout: Duration::from_secs(60),
            connect_timeout: Duration::from_secs(10),
            max_text_bytes: crate::limits::MAX_TEXT_FILE_BYTES,
            retry: RetryPolicy::default(),
            deadline: overrides
                .deadline
                .unwrap_or(crate::limits::DEFAULT_MODEL_DEADLINE),
            github,
            refresh: overrides.refresh,
        })
    }

    /// The `User-Agent` sent with every request.
    pub fn user_agent() -> String {
        format!("openness/{}; rust", env!("CARGO_PKG_VERSION"))
    }
}

fn resolve_token(
    overrides: &SettingsOverrides,
    env: &dyn Fn(&str) -> Option<String>,
    hf_home: &Path,
) -> (Option<Token>, Option<TokenSource>) {
    if let Some(token) = overrides.token.as_deref().and_then(Token::new) {
        return (Some(token), Some(TokenSource::Flag));
    }
    if env("HF_HUB_DISABLE_IMPLICIT_TOKEN").is_some_and(|v| is_truthy(&v)) {
        return (None, None);
    }
    if let Some(token) = env("HF_TOKEN").as_deref().and_then(Token::new) {
        return (Some(token), Some(TokenSource::EnvHfToken));
    }
    // The legacy name, still set by older setups and CI templates (`huggingface_hub` reads it
    // after HF_TOKEN).
    if let Some(token) = env("HUGGING_FACE_HUB_TOKEN")
        .as_deref()
        .and_then(Token::new)
    {
        return (Some(token), Some(TokenSource::EnvLegacy));
    }
    let path = env("HF_TOKEN_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|| hf_home.join("token"));
    // A token file is a line; `HF_TOKEN_PATH=/dev/zero` or a FIFO must not be read for ever.
    match crate::config::read::read_text(&path, 64 * 1024)
        .ok()
        .as_deref()
        .and_then(Token::new)
    {
        Some(token) => (Some(token), Some(TokenSource::File(path))),
        None => (None, None),
    }
}

fn is_truthy(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

/// The endpoint URL without its userinfo, and the userinfo (`user:password`) apart.
fn parse_endpoint(raw: &str) -> Result<(Url, Option<Token>), SettingsError> {
    // The raw value may carry credentials: an error shows it redacted.
    let shown = || crate::text::redact::redact(raw, &[]);
    let trimmed = raw.trim().trim_end_matches('/');
    let mut url = Url::parse(trimmed).map_err(|e| SettingsError::Endpoint {
        value: shown(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(SettingsError::Endpoint {
            value: shown(),
            reason: "only http and https endpoints are supported".to_owned(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(SettingsError::Endpoint {
            value: shown(),
            reason: "the endpoint must not carry a query or fragment".to_owned(),
        });
    }
    let login = (!url.username().is_empty() || url.password().is_some()).then(|| {
        let user = crate::text::percent::decode(url.username());
        let password = url
            .password()
            .map(crate::text::percent::decode)
            .unwrap_or_default();
        Token::secret(format!("{user}:{password}"))
    });
    // Both always succeed on an http(s) URL with a host.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok((url, login))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve_with(overrides: SettingsOverrides, vars: &[(&str, &str)]) -> HubSettings {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        HubSettings::resolve(&overrides, &|name| map.get(name).cloned()).unwrap()
    }

    #[test]
    fn token_precedence_flag_env_path_home() {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        fs_err::create_dir_all(&home).unwrap();
        fs_err::write(home.join("token"), "hf_home_token\n").unwrap();
        let path_file = dir.path().join("tok");
        fs_err::write(&path_file, " hf_path_token ").unwrap();
        let home_s = home.to_str().unwrap();
        let path_s = path_file.to_str().unwrap();

        let s = resolve_with(
            SettingsOverrides {
                token: Some("hf_flag".into()),
                ..Default::default()
            },
            &[("HF_TOKEN", "hf_env"), ("HF_HOME", home_s)],
        );
        assert_eq!(s.token.unwrap().expose(), "hf_flag");

        let s = resolve_with(
            Default::default(),
            &[("HF_TOKEN", "hf_env"), ("HF_TOKEN_PATH", path_s)],
        );
        assert_eq!(s.token.unwrap().expose(), "hf_env");

        let s = resolve_with(
            Default::default(),
            &[("HF_TOKEN_PATH", path_s), ("HF_HOME", home_s)],
        );
        assert_eq!(s.token.unwrap().expose(), "hf_path_token");

        let s = resolve_with(Default::default(), &[("HF_HOME", home_s)]);
        assert_eq!(s.token.unwrap().expose(), "hf_home_token");
        assert_eq!(s.cache_dir, home.join("hub"));
    }

    #[test]
    fn the_legacy_token_variable_comes_after_hf_token_and_before_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(dir.path().join("token"), "hf_file").unwrap();
        let home = dir.path().to_str().unwrap();
        let s = resolve_with(
            Default::default(),
            &[("HUGGING_FACE_HUB_TOKEN", "hf_legacy"), ("HF_HOME", home)],
        );
        assert_eq!(s.token.unwrap().expose(), "hf_legacy");
        assert_eq!(s.token_source, Some(TokenSource::EnvLegacy));
        let s = resolve_with(
            Default::default(),
            &[
                ("HF_TOKEN", "hf_new"),
                ("HUGGING_FACE_HUB_TOKEN", "hf_legacy"),
            ],
        );
        assert_eq!(s.token.unwrap().expose(), "hf_new");
        let s = resolve_with(
            Default::default(),
            &[
                ("HUGGING_FACE_HUB_TOKEN", "hf_legacy"),
                ("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1"),
            ],
        );
        assert!(s.token.is_none());
    }

    #[test]
    fn transformers_offline_is_read_when_hf_hub_offline_is_not_set() {
        let offline = |vars: &[(&str, &str)]| resolve_with(Default::default(), vars).offline;
        assert!(offline(&[("TRANSFORMERS_OFFLINE", "1")]));
        assert!(!offline(&[("TRANSFORMERS_OFFLINE", "0")]));
        // HF_HUB_OFFLINE, when set, decides (as in huggingface_hub).
        assert!(!offline(&[
            ("HF_HUB_OFFLINE", "0"),
            ("TRANSFORMERS_OFFLINE", "1")
        ]));
        assert!(offline(&[
            ("HF_HUB_OFFLINE", "1"),
            ("TRANSFORMERS_OFFLINE", "0")
        ]));
    }

    #[test]
    fn token_is_redacted_in_debug() {
        let token = Token::new("hf_secret").unwrap();
        assert!(!format!("{token:?} {token}").contains("hf_secret"));
    }

    #[test]
    fn endpoint_from_env_and_offline_flag() {
        let s = resolve_with(
            Default::default(),
            &[
                ("HF_ENDPOINT", "http://127.0.0.1:9/"),
                ("HF_HUB_OFFLINE", "1"),
                ("HOME", "/nonexistent"),
            ],
        );
        assert_eq!(s.endpoint.as_str(), "http://127.0.0.1:9/");
        assert!(s.offline);
    }

    #[test]
    fn endpoint_credentials_are_kept_apart_and_never_shown() {
        let s = resolve_with(
            SettingsOverrides::default(),
            &[("HF_ENDPOINT", "http://user:p%40ss@127.0.0.1:9/")],
        );
        assert_eq!(s.endpoint.as_str(), "http://127.0.0.1:9/");
        assert_eq!(s.endpoint_login.as_ref().unwrap().expose(), "user:p@ss");
        assert!(!format!("{s:?}").contains("p@ss"));
        let err = HubSettings::resolve(
            &SettingsOverrides {
                endpoint: Some("ftp://user:pw@x".into()),
                ..SettingsOverrides::default()
            },
            &|_| None,
        )
        .unwrap_err();
        assert!(!err.to_string().contains("pw"), "{err}");
    }

    #[test]
    fn bad_endpoint_is_rejected() {
        let o = SettingsOverrides {
            endpoint: Some("ftp://x".into()),
            ..Default::default()
        };
        assert!(HubSettings::resolve(&o, &|_| None).is_err());
    }
}
