//! License knowledge: the knowledge base of licenses and use policies, and how a release's
//! license is resolved from its declarations.

pub mod apply;
pub mod detect;
pub mod kb;

pub use apply::apply;
pub use detect::Recognizer;
pub use kb::{Category, Commercial, KnowledgeBase, LicenseEntry};
