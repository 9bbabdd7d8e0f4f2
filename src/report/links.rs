//! Links to the Hub: a model's page, a file at the audited commit, a dataset. Built from the
//! scorecard's source (its endpoint when it came from a Hub; the public Hub for a model read from
//! the Hugging Face cache; none for a local folder) with every path segment percent-encoded, so a
//! model-supplied name can never leave the URL's path.

use crate::scorecard::Scorecard;

pub use crate::text::percent::encode_path;

/// The public Hub, for models read from the Hugging Face cache.
pub const DEFAULT_HUB: &str = "https://huggingface.co";

/// The Hub the model lives on, without a trailing `/`; `None` for a local folder.
pub fn hub_base(card: &Scorecard) -> Option<String> {
    match card.source.kind {
        "hub" => {
            let endpoint = card.source.location.trim_end_matches('/');
            let is_http = endpoint.starts_with("https://") || endpoint.starts_with("http://");
            is_http.then(|| endpoint.to_owned())
        }
        "cache" => Some(DEFAULT_HUB.to_owned()),
        _ => None,
    }
}

/// `{hub}/{id}`: the model's page.
pub fn model_page(card: &Scorecard) -> Option<String> {
    Some(format!("{}/{}", hub_base(card)?, encode_path(&card.model)))
}

/// `{hub}/{id}/tree/{revision}`: the files at the audited commit.
pub fn revision_page(card: &Scorecard) -> Option<String> {
    let revision = card.revision.as_deref()?;
    Some(format!(
        "{}/tree/{}",
        model_page(card)?,
        encode_path(revision)
    ))
}

/// `{hub}/{id}/blob/{revision}/{path}[#L{line}]`: a file at the audited commit.
pub fn file_url(card: &Scorecard, path: &str, line: Option<u32>) -> Option<String> {
    let revision = card.revision.as_deref()?;
    let anchor = line.map(|l| format!("#L{l}")).unwrap_or_default();
    Some(format!(
        "{}/blob/{}/{}{anchor}",
        model_page(card)?,
        encode_path(revision),
        encode_path(path)
    ))
}

/// `{hub}/datasets/{id}`: a dataset named by the card, when the name looks like a Hub id.
pub fn dataset_page(card: &Scorecard, dataset: &str) -> Option<String> {
    let looks_like_id = !dataset.is_empty()
        && dataset.split('/').count() <= 2
        && dataset
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'));
    looks_like_id.then_some(())?;
    Some(format!(
        "{}/datasets/{}",
        hub_base(card)?,
        encode_path(dataset)
    ))
}

/// A URL the card links to (a code repository…), when it is a plain `http(s)` URL with nothing
/// that could break out of an attribute or a Markdown link.
pub fn safe_external(url: &str) -> Option<&str> {
    let plain = (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.chars().any(|c| {
            c.is_control()
                || c.is_whitespace()
                || matches!(
                    c,
                    '<' | '>' | '"' | '\'' | '`' | '\\' | '{' | '}' | '|' | '^'
                )
        });
    plain.then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("org/My Model(1)"), "org/My%20Model%281%29");
        assert_eq!(encode_path("a\"<b>"), "a%22%3Cb%3E");
        assert_eq!(encode_path("é"), "%C3%A9");
    }

    #[test]
    fn external_urls_are_plain_http() {
        assert!(safe_external("https://github.com/org/repo").is_some());
        assert!(safe_external("javascript:alert(1)").is_none());
        assert!(safe_external("https://x.y/\"onmouseover=").is_none());
        assert!(safe_external("https://").is_none());
    }
}
