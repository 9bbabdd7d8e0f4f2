//! The only module that touches the network or the Hugging Face cache.

pub mod api;
pub mod cache;
pub mod client;
pub mod error;
pub mod fetch;
pub mod folder;
pub mod github;
pub mod listing;
pub mod local;
pub mod model_ref;
pub mod pacer;
pub mod related;
pub mod release;
pub mod settings;
pub mod token;

pub use api::{Gate, ModelInfo, Sibling};
pub use cache::HubCache;
pub use client::HubClient;
pub use error::HubError;
pub use model_ref::{ModelRef, RepoId};
pub use related::{Lookup, Related, RelatedCache, RelatedOptions};
pub use release::{FileContent, Origin, Release, ReleaseFile, Unreadable};
pub use settings::{HubSettings, SettingsOverrides, Token};
