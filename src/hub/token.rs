//! A secret sent to one host: the Hugging Face token, the GitHub token, endpoint credentials.
//! Never printed: `Debug` and `Display` redact it.

use std::fmt;

/// An access token (the Hub's or GitHub's). Never printed: `Debug` and `Display` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// A secret as it is (endpoint credentials, which may be empty on one side of the colon).
    pub(crate) fn secret(value: String) -> Token {
        crate::text::redact::register_secret(&value);
        Token(value)
    }

    /// A credential in use: registered with [`crate::text::redact::register_secret`], so no
    /// output of the process can show it.
    pub fn new(raw: &str) -> Option<Token> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return None;
        }
        crate::text::redact::register_secret(trimmed);
        Some(Token(trimmed.to_owned()))
    }

    /// The secret itself, for the `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}
