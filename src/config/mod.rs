//! Reading TOML configuration (rubrics, policies) the way cargo-deny reads `deny.toml`: the raw
//! document is parsed with spans, then checked field by field, every problem collected with its
//! `file:line:column` and a snippet instead of stopping at the first one.

mod diag;
pub mod read;
mod table;

pub use diag::{Diagnostic, Diagnostics, LoadError};
pub use table::{Field, Table, parse_document};
