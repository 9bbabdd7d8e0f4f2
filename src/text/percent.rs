//! Percent-encoding for the paths of Hub URLs and SARIF locations: the `percent-encoding`
//! crate with the two sets they need.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// Everything but RFC 3986's unreserved characters (`A–Z a–z 0–9 - . _ ~`).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The same, keeping `/` between path segments.
const PATH: &AsciiSet = &SEGMENT.remove(b'/');

/// One URL path segment: a revision such as `refs/pr/5` becomes `refs%2Fpr%2F5`, as the Hub's
/// clients send it.
pub fn encode_segment(raw: &str) -> String {
    utf8_percent_encode(raw, SEGMENT).to_string()
}

/// A path of segments: `/` kept, everything else but unreserved characters encoded.
pub fn encode_path(raw: &str) -> String {
    utf8_percent_encode(raw, PATH).to_string()
}

/// `%2F` → `/`; bytes that do not decode stay as they are, invalid UTF-8 becomes `�`.
pub fn decode(raw: &str) -> String {
    percent_decode_str(raw).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_paths_and_back() {
        assert_eq!(encode_segment("refs/pr/5"), "refs%2Fpr%2F5");
        assert_eq!(
            encode_path("sub dir/file #1.md"),
            "sub%20dir/file%20%231.md"
        );
        assert_eq!(encode_path("org/My Model(1)"), "org/My%20Model%281%29");
        assert_eq!(encode_path("é~"), "%C3%A9~");
        assert_eq!(decode("refs%2Fpr%2F5"), "refs/pr/5");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%41"), "%zzA");
    }
}
