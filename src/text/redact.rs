//! The one redaction step for text that comes from a server or the environment: before it
//! reaches a message, a finding or any format, the secrets in use, anything shaped like a
//! Hugging Face token or an `Authorization` value, and URL userinfo are replaced.

const MASK: &str = "<redacted>";

/// `text` with every `secret` (the tokens in use), `Bearer …` / `Basic …` values, `hf_…`
/// token-shaped words and the userinfo of URLs (`https://user:pw@host` → `https://<redacted>@host`)
/// replaced by `<redacted>`.
pub fn redact(text: &str, secrets: &[&str]) -> String {
    let mut out = text.to_owned();
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        out = out.replace(secret, MASK);
    }
    let out = mask_after(&out, &["Bearer ", "bearer ", "Basic ", "basic "]);
    let out = mask_tokens(&out);
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

/// `hf_` followed by at least eight token characters, as a whole word.
fn mask_tokens(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("hf_") {
        let starts_word = rest[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_secret_char(c));
        let tail = &rest[at + 3..];
        let len = tail
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tail.len());
        out.push_str(&rest[..at]);
        if starts_word && len >= 8 {
            out.push_str("hf_");
            out.push_str(MASK);
        } else {
            out.push_str(&rest[at..at + 3 + len]);
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
}
