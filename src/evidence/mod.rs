//! Evidence: typed facts about a release, each with the provenance that established it.
//!
//! Everything here is a pure function of what the `hub` module fetched; no I/O. `collect` is the
//! orchestrator; each topic (weights, access, license, code, data, papers, checkpoints, lineage,
//! the card itself) has its own module that turns its part of the release into facts.

pub mod access;
pub mod base_model;
pub mod card;
pub mod checkpoints;
pub mod code;
pub mod code_host;
pub mod code_owner;
pub mod collect;
pub mod compute;
pub mod data;
pub mod datasheets;
pub mod declared;
pub mod facts;
pub mod findings;
pub mod frontmatter;
pub mod gaps;
pub mod keys;
pub mod license;
pub mod lineage;
pub mod model_card;
pub mod paper_roles;
pub mod papers;
pub mod provenance;
pub mod recognition;
pub mod release_files;
pub mod repo_tree;
pub mod topics;
pub mod value;
pub mod weights;

pub use collect::collect;
pub use facts::{Evidence, Fact};
pub use keys::Key;
pub use license::TextRole;
pub use provenance::Provenance;
pub use value::{Value, ValueType};
