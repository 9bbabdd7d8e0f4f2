//! Where GitHub is, who we are to it, and how long its answers stay fresh: resolved once from the
//! command line and the environment (docs/code-host.md).
//!
//! - `GITHUB_API_URL` (the variable GitHub Actions and GitHub Enterprise set; default
//!   `https://api.github.com`) and `OPENNESS_GITHUB_RAW_URL` (default
//!   `https://raw.githubusercontent.com`);
//! - the token from `GITHUB_TOKEN`, else `GH_TOKEN`: sent to the API origin only, never to the raw
//!   host, never to the Hub. A Hugging Face token (`hf_…`) found there is refused, not sent;
//! - `--no-code-host` / `OPENNESS_NO_CODE_HOST=1` turn GitHub off;
//! - the disk cache beside the Hugging Face hub cache (`<hub cache>/../openness/github`, or
//!   `OPENNESS_GITHUB_CACHE`), fresh for `OPENNESS_GITHUB_MAX_AGE` seconds (default one day).

use crate::hub::token::Token;
use reqwest::Url;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub const DEFAULT_API_URL: &str = "https://api.github.com";
pub const DEFAULT_RAW_URL: &str = "https://raw.githubusercontent.com";
/// How long a repository read from GitHub is used without asking again.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(24 * 3600);

#[derive(Clone, Debug)]
pub struct GithubSettings {
    /// `false` with `--no-code-host` or `OPENNESS_NO_CODE_HOST`: no repository is read.
    pub enabled: bool,
    /// The REST API base (`GITHUB_API_URL`), without a trailing slash.
    pub api: Url,
    /// The raw-file host (`OPENNESS_GITHUB_RAW_URL`), without a trailing slash.
    pub raw: Url,
    pub token: Option<Token>,
    /// The variable the token came from (never the token).
    pub token_source: Option<&'static str>,
    /// A variable holding a Hugging Face token, which was therefore not used.
    pub refused_token: Option<&'static str>,
    /// Repositories read, one JSON file each.
    pub cache_dir: PathBuf,
    /// Answers younger than this are used without a request; older ones are revalidated.
    pub max_age: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
    pub request_timeout: Duration,
    pub connect_timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum GithubSettingsError {
    #[error(
        "invalid {variable} `{value}`: {reason} (expected a URL such as {example}, or unset it)"
    )]
    Url {
        variable: &'static str,
        value: String,
        reason: String,
        example: &'static str,
    },
    #[error("invalid OPENNESS_GITHUB_MAX_AGE `{0}`: expected a number of seconds")]
    MaxAge(String),
}

impl GithubSettings {
    /// Resolves from the `--no-code-host` flag, an environment lookup (injected, so tests need not
    /// touch the process environment) and the Hugging Face hub cache the run uses.
    pub fn resolve(
        disabled: bool,
        concurrency: usize,
        hub_cache: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<GithubSettings, GithubSettingsError> {
        let env_nonempty = |name: &str| env(name).filter(|v| !v.trim().is_empty());
        let truthy = |name: &str| {
            env_nonempty(name).is_some_and(|v| {
                matches!(
                    v.trim().to_ascii_lowercase().as_str(),
                    "1" | "true" | "yes" | "on"
                )
            })
        };
        let api = base_url(
            "GITHUB_API_URL",
            env_nonempty("GITHUB_API_URL").as_deref(),
            DEFAULT_API_URL,
        )?;
        let raw = base_url(
            "OPENNESS_GITHUB_RAW_URL",
            env_nonempty("OPENNESS_GITHUB_RAW_URL").as_deref(),
            DEFAULT_RAW_URL,
        )?;
        let mut token = None;
        let mut token_source = None;
        let mut refused_token = None;
        let candidates = [
            ("GITHUB_TOKEN", env("GITHUB_TOKEN")),
            ("GH_TOKEN", env("GH_TOKEN")),
        ];
        for (variable, value) in candidates {
            if let Some(t) = value.as_deref().and_then(Token::new) {
                if t.expose().starts_with("hf_") {
                    // A Hugging Face token in a GitHub variable: sending it would leak it.
                    refused_token.get_or_insert(variable);
                    continue;
                }
                token = Some(t);
                token_source = Some(variable);
                break;
            }
        }
        let cache_dir = env_nonempty("OPENNESS_GITHUB_CACHE")
            .map(PathBuf::from)
            .unwrap_or_else(|| beside(hub_cache));
        let max_age = match env_nonempty("OPENNESS_GITHUB_MAX_AGE") {
            Some(v) => Duration::from_secs(
                v.trim()
                    .parse::<u64>()
                    .map_err(|_| GithubSettingsError::MaxAge(v.clone()))?,
            ),
            None => DEFAULT_MAX_AGE,
        };
        Ok(GithubSettings {
            enabled: !disabled && !truthy("OPENNESS_NO_CODE_HOST"),
            api,
            raw,
            token,
            token_source,
            refused_token,
            cache_dir,
            max_age,
            concurrency: concurrency.clamp(1, 8),
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
        })
    }

    /// Turned off: for callers (and tests) that must not reach a code host.
    pub fn disabled(hub_cache: &Path) -> GithubSettings {
        let mut settings =
            GithubSettings::resolve(true, 1, hub_cache, &|_| None).expect("defaults are valid");
        settings.enabled = false;
        settings
    }
}

/// `<hub cache>/../openness/github`: next to the Hugging Face hub cache (inside it, other tools
/// scanning the cache would report an unknown folder), so `HF_HOME` and `--cache-dir` move both.
fn beside(hub_cache: &Path) -> PathBuf {
    hub_cache
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(hub_cache)
        .join("openness")
        .join("github")
}

fn base_url(
    variable: &'static str,
    value: Option<&str>,
    default: &'static str,
) -> Result<Url, GithubSettingsError> {
    let raw = value.unwrap_or(default);
    let bad = |reason: &str| GithubSettingsError::Url {
        variable,
        value: crate::text::redact::redact(raw, &[]),
        reason: reason.to_owned(),
        example: default,
    };
    let url = Url::parse(raw.trim().trim_end_matches('/')).map_err(|e| bad(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(bad("only http and https URLs are supported"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("credentials belong in GITHUB_TOKEN, not in the URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("the URL must not carry a query or fragment"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn resolve(vars: &[(&str, &str)]) -> GithubSettings {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        GithubSettings::resolve(
            false,
            8,
            Path::new("/home/u/.cache/huggingface/hub"),
            &|n| map.get(n).cloned(),
        )
        .unwrap()
    }

    #[test]
    fn defaults_endpoints_and_cache_beside_the_hub_cache() {
        let s = resolve(&[]);
        assert!(s.enabled);
        assert_eq!(s.api.as_str(), "https://api.github.com/");
        assert_eq!(s.raw.as_str(), "https://raw.githubusercontent.com/");
        assert_eq!(
            s.cache_dir,
            PathBuf::from("/home/u/.cache/huggingface/openness/github")
        );
        assert_eq!(s.max_age, DEFAULT_MAX_AGE);
        let s = resolve(&[
            ("GITHUB_API_URL", "https://ghe.example/api/v3/"),
            ("OPENNESS_GITHUB_RAW_URL", "http://127.0.0.1:9"),
            ("OPENNESS_GITHUB_MAX_AGE", "0"),
            ("OPENNESS_NO_CODE_HOST", "1"),
        ]);
        assert_eq!(s.api.as_str(), "https://ghe.example/api/v3");
        assert_eq!(s.max_age, Duration::ZERO);
        assert!(!s.enabled);
    }

    #[test]
    fn token_from_github_token_then_gh_token_never_a_hugging_face_token() {
        let s = resolve(&[("GH_TOKEN", "gho_second"), ("GITHUB_TOKEN", "ghp_first")]);
        assert_eq!(s.token.unwrap().expose(), "ghp_first");
        let s = resolve(&[("GH_TOKEN", "gho_second")]);
        assert_eq!(s.token_source, Some("GH_TOKEN"));
        let s = resolve(&[("GITHUB_TOKEN", "hf_abcdefghijklmnop")]);
        assert!(s.token.is_none());
        assert_eq!(s.refused_token, Some("GITHUB_TOKEN"));
        assert!(!format!("{s:?}").contains("hf_abcdefghijklmnop"));
    }

    #[test]
    fn bad_urls_and_ages_are_refused_without_showing_credentials() {
        let err = GithubSettings::resolve(false, 8, Path::new("/c"), &|n| {
            (n == "GITHUB_API_URL").then(|| "https://user:secret@ghe.example".to_owned())
        })
        .unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(
            GithubSettings::resolve(false, 8, Path::new("/c"), &|n| {
                (n == "OPENNESS_GITHUB_MAX_AGE").then(|| "soon".to_owned())
            })
            .is_err()
        );
    }
}
