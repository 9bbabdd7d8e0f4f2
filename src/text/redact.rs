//! The one redaction step for text that comes from a server or the environment: before it
//! reaches a message, a finding or any format, the secrets in use, anything shaped like a
//! Hugging Face or GitHub token or an `Authorization` value, and URL userinfo are replaced.

const MASK: &str = "<redacted>";

/// Prefixes of token-shaped words: Hugging Face (`hf_`) and GitHub (`ghp_` personal, `gho_`
/// OAuth, `ghu_` user-to-server, `ghs_` server-to-server, `ghr_` refresh, `github_pat_`
/// fine-grained).
const TOKEN_PREFIXES: &[&str] = &["hf_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"];

/// `text` with every `secret` (the tokens in use), `Bearer …` / `Basic …` values,
/// Hugging Face and GitHub token-shaped words and the userinfo of URLs
/// (`https://user:pw@host` → `https://<redacted>@host`) replaced by `<redacted>`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
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
