//! Where each fact of a release was read from this run: the Hub, a listing page, the cache, a
//! 304 revalidation, or nowhere (offline and not cached). The scorecard records it.

/// Where an answer came from, as the scorecard records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Retrieved {
    /// Asked the Hub in this run.
    Hub,
    /// From a listing page of this run.
    Listing,
    /// From the cache (a file at its commit, or a record within the freshness window, or
    /// offline), without asking.
    Cache,
    /// Asked the Hub with the cached copy's ETag; it answered 304 Not Modified.
    Revalidated,
    /// Offline and not in the cache.
    Unavailable,
}

impl Retrieved {
    pub fn as_str(self) -> &'static str {
        match self {
            Retrieved::Hub => "hub",
            Retrieved::Listing => "listing",
            Retrieved::Cache => "cache",
            Retrieved::Revalidated => "revalidated",
            Retrieved::Unavailable => "unavailable",
        }
    }
}

/// What a release's facts were read from: its metadata, and each file and related lookup that
/// did not come fresh from the Hub in this run.
#[derive(Clone, Debug, Default)]
pub struct Retrieval {
    pub metadata: Option<Retrieved>,
    /// (what — a file path, `dataset o/n`, `base model o/n`, `branches` —, where from).
    pub items: Vec<(String, Retrieved)>,
}

impl Retrieval {
    pub fn note(&mut self, what: impl Into<String>, from: Retrieved) {
        self.items.push((what.into(), from));
    }
}
