//! Text helpers shared by the layers that write for people: the policy's messages and every
//! renderer. Pure functions on strings and numbers, below everything else in the house.
//!
//! - [`sanitize`] makes network-supplied text safe for a terminal, Markdown, HTML and CSV.
//! - [`number`] writes points and counts the same way everywhere.
//! - [`redact`] removes secrets from text a server or the environment supplied.
//! - [`percent`] percent-encodes URL paths.

pub mod number;
pub mod percent;
pub mod redact;
pub mod sanitize;
pub mod suggest;
pub mod wrap;

pub use number::{group_digits, points_text};
