//! The one redaction step for text that comes from a server or the environment: before it
//! reaches a message, a finding or any format, the secrets in use, anything shaped like a
//! Hugging Face or GitHub token or an `Authorization` value, and URL userinfo are replaced.
//!
//! **The secrets in use** are registered once, where a credential is read
//! ([`register_secret`], called by `hub::token::Token` for the Hub token, the endpoint login and
//! the GitHub token). [`redact`] masks them with the patterns below at intake
//! (server error text, the endpoint); [`RedactWriter`] and [`secrets_only`] mask them once more
//! where output leaves the process (the CLI's sink for reports, and stderr), so a secret that
//! slipped past intake still never reaches a terminal or a file. The exact values only there: the
//! patterns would also mask ordinary card text (`Bearer authentication`, `hf_transfer`).

use aho_corasick::AhoCorasick;
use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::{Arc, RwLock};

const MASK: &str = "<redacted>";

/// Prefixes of token-shaped words: Hugging Face (`hf_`) and GitHub (`ghp_` personal, `gho_`
/// OAuth, `ghu_` user-to-server, `ghs_` server-to-server, `ghr_` refresh, `github_pat_`
/// fine-grained).
const TOKEN_PREFIXES: &[&str] = &["hf_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"];

/// Shortest secret masked in output: a shorter value would mask ordinary words.
const MIN_SECRET: usize = 8;

/// The secrets registered in this process, and a matcher over them (rebuilt when one is added).
#[derive(Default)]
struct Registry {
    secrets: Vec<String>,
    matcher: Option<Arc<AhoCorasick>>,
}

fn registry() -> &'static RwLock<Registry> {
    static REGISTRY: RwLock<Registry> = RwLock::new(Registry {
        secrets: Vec::new(),
        matcher: None,
    });
    &REGISTRY
}

/// Records a credential in use (a token, a password): from now on no output of this process
/// shows it. Values shorter than 8 bytes are masked at intake only.
pub fn register_secret(secret: &str) {
    let secret = secret.trim();
    if secret.len() < MIN_SECRET {
        return;
    }
    let mut registry = registry().write().unwrap_or_else(|e| e.into_inner());
    if registry.secrets.iter().any(|s| s == secret) {
        return;
    }
    registry.secrets.push(secret.to_owned());
    // Longest first, so a secret that contains another is masked whole.
    let mut patterns = registry.secrets.clone();
    patterns.sort_by_key(|s| std::cmp::Reverse(s.len()));
    registry.matcher = AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::LeftmostLongest)
        .build(&patterns)
        .ok()
        .map(Arc::new);
}

/// The registered secrets.
pub fn secrets_in_use() -> Vec<String> {
    registry()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .secrets
        .clone()
}

fn matcher() -> Option<(Arc<AhoCorasick>, usize)> {
    let registry = registry().read().unwrap_or_else(|e| e.into_inner());
    let longest = registry.secrets.iter().map(String::len).max().unwrap_or(0);
    registry.matcher.clone().map(|m| (m, longest))
}

/// `text` with the registered secrets masked, and nothing else changed: for what leaves the
/// process (stderr lines).
pub fn secrets_only(text: &str) -> Cow<'_, str> {
    match matcher() {
        Some((m, _)) if m.is_match(text) => {
            Cow::Owned(m.replace_all(text, &vec![MASK; m.patterns_len()]))
        }
        _ => Cow::Borrowed(text),
    }
}

/// A writer that masks the registered secrets in everything written through it, even when a
/// secret is split across two writes: the last `longest - 1` bytes are held back until more
/// comes or [`Write::flush`].
pub struct RedactWriter<W: Write> {
    inner: W,
    matcher: Option<(Arc<AhoCorasick>, usize)>,
    pending: Vec<u8>,
}

impl<W: Write> RedactWriter<W> {
    pub fn new(inner: W) -> Self {
        RedactWriter {
            inner,
            matcher: matcher(),
            pending: Vec::new(),
        }
    }

    /// The inner writer; call [`Write::flush`] first, or what is held back is lost.
    pub fn into_inner(self) -> W {
        self.inner
    }

    /// Masks what is pending and writes all of it but the tail a secret could still start in.
    fn drain(&mut self, all: bool) -> io::Result<()> {
        let Some((matcher, longest)) = &self.matcher else {
            return Ok(());
        };
        let masked = matcher.replace_all_bytes(
            &self.pending,
            &vec![MASK.as_bytes(); matcher.patterns_len()],
        );
        let keep = if all { 0 } else { longest.saturating_sub(1) };
        let emit = masked.len().saturating_sub(keep);
        self.inner.write_all(&masked[..emit])?;
        self.pending = masked[emit..].to_vec();
        Ok(())
    }
}

impl<W: Write> Write for RedactWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.matcher.is_none() {
            return self.inner.write(buf);
        }
        self.pending.extend_from_slice(buf);
        if self.pending.len() >= 64 * 1024 {
            self.drain(false)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.drain(true)?;
        self.inner.flush()
    }
}

/// `text` with every `secret` (the tokens in use, besides the registered ones), `Bearer …` /
/// `Basic …` values, Hugging Face and GitHub token-shaped words and the userinfo of URLs
/// (`https://user:pw@host` → `https://<redacted>@host`) replaced by `<redacted>`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = secrets_only(text).into_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(secret, MASK);
    }
    let out = mask_after(&out, &["Bearer ", "bearer ", "Basic ", "basic "]);
    let mut out = out;
    for prefix in TOKEN_PREFIXES {
        out = mask_tokens(&out, prefix);
    }
    mask_userinfo(&out)
}

fn is_secret_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '=' | '+' | '/')
}

/// The word after each scheme (`Bearer xyz` → `Bearer <redacted>`).
fn mask_after(text: &str, schemes: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((at, scheme)) = schemes
        .iter()
        .filter_map(|s| rest.find(s).map(|i| (i, *s)))
        .min_by_key(|(i, _)| *i)
    {
        out.push_str(&rest[..at + scheme.len()]);
        rest = &rest[at + scheme.len()..];
        let end = rest
            .find(|c: char| !is_secret_char(c))
            .unwrap_or(rest.len());
        if end > 0 && !rest[..end].starts_with(MASK) {
            out.push_str(MASK);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `prefix` followed by at least eight token characters, as a whole word.
fn mask_tokens(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(prefix) {
        let starts_word = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_secret_char(c));
        let tail = &rest[at + prefix.len()..];
        let len = tail
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(tail.len());
        out.push_str(&rest[..at]);
        if starts_word && len >= 8 {
            out.push_str(prefix);
            out.push_str(MASK);
        } else {
            out.push_str(&rest[at..at + prefix.len() + len]);
        }
        rest = &tail[len..];
    }
    out.push_str(rest);
    out
}

/// `scheme://user:pw@host` → `scheme://<redacted>@host`.
fn mask_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        out.push_str(&rest[..at + 3]);
        rest = &rest[at + 3..];
        let authority_end = rest
            .find(['/', '?', '#', ' ', '"', '\''])
            .unwrap_or(rest.len());
        if let Some(userinfo) = rest[..authority_end].rfind('@') {
            out.push_str(MASK);
            rest = &rest[userinfo..];
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_secrets_never_leave_through_a_writer_even_split_across_writes() {
        let secret = "gh_test_secret_registered_0123";
        register_secret(secret);
        register_secret("short");
        assert!(secrets_in_use().iter().any(|s| s == secret));
        assert!(!secrets_in_use().iter().any(|s| s == "short"));
        let text = format!("a {secret} b {secret}");
        assert_eq!(secrets_only(&text), "a <redacted> b <redacted>");
        assert_eq!(
            secrets_only("Bearer authentication, hf_transfer"),
            "Bearer authentication, hf_transfer"
        );
        for split in [1, 5, 13, 29] {
            let mut out = RedactWriter::new(Vec::new());
            let bytes = text.as_bytes();
            for chunk in bytes.chunks(split) {
                out.write_all(chunk).unwrap();
            }
            out.flush().unwrap();
            assert_eq!(
                String::from_utf8(out.inner).unwrap(),
                "a <redacted> b <redacted>",
                "{split}"
            );
        }
    }

    #[test]
    fn secrets_authorization_values_tokens_and_userinfo_go() {
        let token = "hf_test_token_0123456789";
        let text = format!(
            "echo: Authorization: Bearer {token}; again {token}; other hf_abcdefghijkl; see https://user:pw@hub.example/x"
        );
        let clean = redact(&text, &[token]);
        assert!(!clean.contains(token), "{clean}");
        assert!(!clean.contains("hf_abcdefghijkl"), "{clean}");
        assert!(!clean.contains("user:pw"), "{clean}");
        assert!(
            clean.contains("https://<redacted>@hub.example/x"),
            "{clean}"
        );
        assert_eq!(
            redact("no secrets here: shf_x", &[]),
            "no secrets here: shf_x"
        );
    }

    #[test]
    fn github_tokens_go_too() {
        let text = "echo ghp_0123456789abcdefABCDEF and github_pat_11ABCDEFG0_xyzxyzxyzxyz, header gho_short1234567 ghx_keep";
        let clean = redact(text, &[]);
        for secret in ["ghp_0123456789", "github_pat_11", "gho_short"] {
            assert!(!clean.contains(secret), "{clean}");
        }
        assert!(clean.contains("ghx_keep"), "{clean}");
        let custom = redact(
            "the server said: my-enterprise-token-1",
            &["my-enterprise-token-1"],
        );
        assert!(!custom.contains("enterprise"), "{custom}");
    }
}
