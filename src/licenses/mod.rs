//! License knowledge: the knowledge base of licenses and use policies, and how a release's
//! license is resolved from its declarations.

pub mod apply;
pub mod code;
pub mod datasets;
pub mod detect;
pub mod embedded;
pub mod expression;
pub mod kb;
pub mod lineage;
pub mod normalize;
pub mod properties;
pub mod repos;
pub mod revisions;
pub mod similarity;
pub mod spdx_list;

pub use apply::{LicenseText, apply};
pub use detect::Recognizer;
pub use kb::{Category, Commercial, KnowledgeBase, LicenseEntry};

use crate::evidence::Evidence;
use crate::hub::Release;

/// Adds what the license knowledge base says about the release's neighbours: the licenses of
/// the datasets it names, the license of its code (stated, and in its repositories), and the
/// terms its base models pass down. Runs after [`apply`], which resolves the release's own
/// license.
pub fn apply_related(kb: &KnowledgeBase, threshold: f32, release: &Release, ev: &mut Evidence) {
    datasets::apply(kb, release, ev);
    code::apply(kb, threshold, release, ev);
    repos::apply(kb, threshold, release, ev);
    lineage::apply(kb, release, ev);
}
