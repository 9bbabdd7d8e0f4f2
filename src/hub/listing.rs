//! The model listing (`GET /api/models?author=…&expand=…`), paginated through the
//! `Link: <…>; rel="next"` header: an organisation's metadata in a handful of requests instead of
//! one per model.
//!
//! The listing asks with `expand=` for exactly the fields the audit reads — card data, files,
//! gate, commit, parameter count — so a listed model is scored like one fetched on its own (the
//! Hub refuses `expand` combined with `full` or `cardData`). Pages are read straight into
//! [`ModelInfo`] values (no intermediate JSON tree), and a listing that does not end — a `next`
//! link back to a page already read, empty pages for ever, more than [`MAX_PAGES`] pages — is
//! stopped and reported, never cut silently.

use super::api::ModelInfo;
use super::client::HubClient;
use super::error::HubError;
use reqwest::Url;
use std::collections::HashSet;

/// Largest listing page accepted.
const MAX_PAGE_BYTES: u64 = 128 * 1024 * 1024;
/// Pages followed per query (10 million models at 1,000 a page: more than the whole Hub).
pub const MAX_PAGES: usize = 10_000;
/// Empty pages in a row that still name a next page before the listing is called endless.
const MAX_EMPTY_PAGES: usize = 3;

/// The model properties a listing asks for: what [`ModelInfo`] reads.
pub const EXPAND: &[&str] = &[
    "author",
    "cardData",
    "disabled",
    "downloads",
    "gated",
    "gguf",
    "lastModified",
    "library_name",
    "likes",
    "pipeline_tag",
    "private",
    "safetensors",
    "sha",
    "siblings",
    "tags",
];

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

/// What a listing gave: the models kept, and why it stopped early when it did.
#[derive(Debug, Default)]
pub struct Listed {
    pub models: Vec<ModelInfo>,
    /// Models the listing named, kept or not.
    pub listed: usize,
    /// Pages read.
    pub pages: usize,
    /// Set when the listing did not reach its end: the models are those listed before.
    pub incomplete: Option<HubError>,
}

/// Whether to read the next page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    Continue,
    Stop,
}

/// Every model the query matches, with the listing's metadata.
pub async fn list_models(client: &HubClient, query: &ListQuery) -> Result<Listed, HubError> {
    list_where(client, query, MAX_PAGES, |_| true, |_| Next::Continue).await
}

/// Lists `query`, keeping the models `keep` accepts (a shard keeps its share while the pages go
/// by, so a census of the whole Hub holds one share in memory), reading at most `max_pages`
/// pages and asking `next` after each page whether to go on. A page that fails after retries
/// fails the query; items that are not model objects are skipped.
pub async fn list_where(
    client: &HubClient,
    query: &ListQuery,
    max_pages: usize,
    keep: impl Fn(&ModelInfo) -> bool,
    mut next: impl FnMut(&[ModelInfo]) -> Next,
) -> Result<Listed, HubError> {
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
        for property in EXPAND {
            pairs.append_pair("expand", property);
        }
        pairs.append_pair("limit", "1000");
    }
    let mut listed = Listed::default();
    let mut seen_pages: HashSet<String> = HashSet::new();
    let mut empty_in_a_row = 0;
    let mut page_url = url.to_string();
    let incomplete = |listed: &Listed, reason: String| HubError::ListingIncomplete {
        query: label.clone(),
        models: listed.models.len(),
        reason,
    };
    loop {
        if listed.pages >= max_pages {
            if max_pages == MAX_PAGES {
                listed.incomplete = Some(incomplete(
                    &listed,
                    format!("it has more than {MAX_PAGES} pages"),
                ));
            }
            break;
        }
        seen_pages.insert(page_url.clone());
        listed.pages += 1;
        let pages = listed.pages;
        let response = client.get(&page_url, &label, MAX_PAGE_BYTES).await?;
        if !response.status.is_success() {
            return Err(HubError::Http {
                model: label,
                endpoint: client.base().to_owned(),
                status: response.status.as_u16(),
                detail: String::new(),
            });
        }
        if response.truncated {
            return Err(HubError::MalformedJson {
                model: label,
                detail: format!(
                    "listing page {pages} is larger than {} MiB",
                    MAX_PAGE_BYTES / (1024 * 1024)
                ),
                attempts: 1,
            });
        }
        let items = super::info_parse::listing_page(&response.body).map_err(|e| {
            HubError::MalformedJson {
                model: label.clone(),
                detail: format!("listing page {pages}: {e}"),
                attempts: 1,
            }
        })?;
        let link = response.header("link").and_then(next_link);
        drop(response);
        let was_empty = items.is_empty();
        listed.listed += items.len();
        let first_new = listed.models.len();
        listed
            .models
            .extend(items.into_iter().filter(|i| i.id.is_some() && keep(i)));
        let Some(link) = link else { break };
        let Some(target) = client.resolve_same_origin(&link) else {
            break;
        };
        if seen_pages.contains(&target) {
            listed.incomplete = Some(incomplete(
                &listed,
                format!("page {pages} names an already-read page as the next one"),
            ));
            break;
        }
        empty_in_a_row = if was_empty { empty_in_a_row + 1 } else { 0 };
        if empty_in_a_row >= MAX_EMPTY_PAGES {
            listed.incomplete = Some(incomplete(
                &listed,
                format!("{MAX_EMPTY_PAGES} empty pages in a row still name a next page"),
            ));
            break;
        }
        if next(&listed.models[first_new..]) == Next::Stop {
            break;
        }
        page_url = target;
    }
    Ok(listed)
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
