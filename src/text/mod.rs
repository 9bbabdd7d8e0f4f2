//! Text helpers shared by the layers that write for people: the policy's messages and every
//! renderer. Pure functions on strings and numbers, below everything else in the house.
//!
//! - [`sanitize`] makes network-supplied text safe for a terminal, Markdown, HTML and CSV.
//! - [`number`] writes points and counts the same way everywhere.
//! - [`redact`] removes secrets from text a server or the environment supplied.
//! - [`percent`] percent-encodes URL paths.
//! - [`decode_text`] turns downloaded bytes (perhaps cut at a cap) into text.

pub mod number;
pub mod percent;
pub mod redact;
pub mod sanitize;
pub mod suggest;
pub mod wrap;

pub use number::{group_digits, points_text};

/// Downloaded bytes as text, and whether bytes that are not UTF-8 were replaced. A cut at a cap
/// (`truncated`) may split the last UTF-8 sequence: that is truncation, not bad encoding, so the
/// split sequence is dropped instead of being reported as lossy.
pub fn decode_text(bytes: &[u8], truncated: bool) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), false),
        Err(e) if truncated && e.error_len().is_none() => (
            String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned(),
            false,
        ),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    }
}

#[cfg(test)]
mod decode_tests {
    use super::decode_text;

    #[test]
    fn a_cut_inside_a_character_is_truncation_not_bad_encoding() {
        let bytes = "caf\u{e9}".as_bytes();
        assert_eq!(decode_text(&bytes[..4], true), ("caf".to_owned(), false));
        assert_eq!(
            decode_text(&bytes[..4], false),
            ("caf\u{fffd}".to_owned(), true)
        );
        assert_eq!(decode_text(b"ok", false), ("ok".to_owned(), false));
    }
}
