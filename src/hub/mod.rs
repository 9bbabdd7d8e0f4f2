//! The only module that touches the network or the Hugging Face cache.

pub mod api;
pub mod by_author;
pub mod cache;
pub mod client;
pub mod error;
pub mod fetch;
pub mod folder;
pub mod github;
pub mod info_parse;
pub mod listing;
pub mod local;
pub mod model_ref;
pub mod pacer;
pub mod records;
pub mod related;
pub mod release;
pub mod retrieval;
pub mod settings;
pub mod token;

pub use api::{Gate, ModelInfo, Sibling};
pub use cache::HubCache;
pub use client::HubClient;
pub use error::HubError;
pub use model_ref::{ModelRef, RepoId};
pub use related::{Lookup, Related, RelatedCache, RelatedOptions};
pub use release::{FileContent, Origin, Release, ReleaseFile, Unreadable};
pub use retrieval::{Retrieval, Retrieved};
pub use settings::{HubSettings, SettingsOverrides, Token};
