//! The model listing (`GET /api/models?author=…&full=true&cardData=true`), paginated through the
//! `Link: <…>; rel="next"` header: an organisation's metadata in a handful of requests instead of
//! one per model.

use super::api::ModelInfo;
use super::client::HubClient;
use super::error::HubError;
use reqwest::Url;

/// Largest listing page accepted.
const MAX_PAGE_BYTES: u64 = 128 * 1024 * 1024;
/// Pages followed per query, as a guard against a server that never stops.
const MAX_PAGES: usize = 1_000;

/// What to list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ListQuery {
    Author(String),
    Search(String),
    /// An author's models whose id contains the text: the Hub's intersection of both filters.
    AuthorSearch {
        author: String,
        search: String,
    },
}

impl std::fmt::Display for ListQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ListQuery::Author(a) => write!(f, "--author {a}"),
            ListQuery::Search(s) => write!(f, "--search {s}"),
            ListQuery::AuthorSearch { author, search } => {
                write!(f, "--author {author} --search {search}")
            }
        }
    }
}

/// Every model the query matches, with the listing's metadata (card data, tags, gate, sha, file
/// names). A page that fails after retries fails the query; items that are not model objects
/// are skipped.
pub async fn list_models(
    client: &HubClient,
    query: &ListQuery,
) -> Result<Vec<ModelInfo>, HubError> {
    let label = query.to_string();
    let mut url = Url::parse(&format!("{}/api/models", client.base())).map_err(|e| {
        HubError::InvalidModel {
            input: label.clone(),
            reason: e.to_string(),
        }
    })?;
    {
        let mut pairs = url.query_pairs_mut();
        match query {
            ListQuery::Author(author) => pairs.append_pair("author", author),
            ListQuery::Search(text) => pairs.append_pair("search", text),
            ListQuery::AuthorSearch { author, search } => pairs
                .append_pair("author", author)
                .append_pair("search", search),
        };
        pairs
            .append_pair("full", "true")
            .append_pair("cardData", "true")
            .append_pair("limit", "1000");
    }
    let mut models = Vec::new();
    let mut next = Some(url.to_string());
    let mut pages = 0;
    while let Some(page_url) = next.take() {
        pages += 1;
        if pages > MAX_PAGES {
            break;
        }
        let response = client.get(&page_url, &label, MAX_PAGE_BYTES).await?;
        if !response.status.is_success() {
            return Err(HubError::Http {
                model: label,
                endpoint: client.base().to_owned(),
                status: response.status.as_u16(),
                detail: String::new(),
            });
        }
        let value: serde_json::Value =
            serde_json::from_slice(&response.body).map_err(|e| HubError::MalformedJson {
                model: label.clone(),
                detail: format!("listing page {pages}: {e}"),
                attempts: 1,
            })?;
        let Some(items) = value.as_array() else {
            return Err(HubError::MalformedJson {
                model: label,
                detail: format!("listing page {pages} is not an array"),
                attempts: 1,
            });
        };
        models.extend(
            items
                .iter()
                .filter_map(|item| ModelInfo::from_json(item).ok())
                .filter(|i| i.id.is_some()),
        );
        next = response
            .header("link")
            .and_then(next_link)
            .and_then(|link| client.resolve_same_origin(&link));
    }
    Ok(models)
}

/// The `rel="next"` target of an RFC 8288 `Link` header.
pub fn next_link(header: &str) -> Option<String> {
    header.split(',').find_map(|part| {
        let (target, params) = part.split_once(';')?;
        let is_next = params.split(';').any(|p| {
            let p = p.trim();
            p.eq_ignore_ascii_case("rel=\"next\"") || p.eq_ignore_ascii_case("rel=next")
        });
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        is_next.then(|| target.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_next_link() {
        let header = r#"<https://huggingface.co/api/models?author=x&cursor=abc>; rel="next", <https://h/first>; rel="first""#;
        assert_eq!(
            next_link(header).as_deref(),
            Some("https://huggingface.co/api/models?author=x&cursor=abc")
        );
        assert_eq!(next_link(r#"<https://h/x>; rel="prev""#), None);
    }
}
