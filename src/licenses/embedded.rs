//! The knowledge base the binary carries: the hand-written entries of `licenses/*.toml`, then an
//! entry for every license on the SPDX list that none of them covers.

use super::kb::{FILES, KnowledgeBase};
use super::spdx_list;
use std::sync::OnceLock;

impl KnowledgeBase {
    /// Adds an entry for every license on the SPDX list that no hand-written entry covers, so any
    /// SPDX text or id is known.
    pub fn with_spdx_list(self) -> KnowledgeBase {
        let derived = spdx_list::derived_entries(&self);
        self.extend(derived)
    }

    /// The embedded knowledge base with the SPDX list (checked by the test suite, so it always
    /// loads).
    pub fn embedded() -> &'static KnowledgeBase {
        static KB: OnceLock<KnowledgeBase> = OnceLock::new();
        KB.get_or_init(|| match KnowledgeBase::load(FILES) {
            Ok(kb) => kb.with_spdx_list(),
            Err(errors) => panic!(
                "the embedded license knowledge base is invalid: {}",
                errors.join("; ")
            ),
        })
    }
}
