//! `openness`: audit how open an AI model release really is.
//!
//! The pipeline (see `docs/architecture.md`): [`hub`] fetches a release, [`evidence`] turns it
//! into facts with provenance, [`licenses`] adds what the license means, [`rubric`] scores the
//! facts, [`report`] renders scorecards. Only the binary prints.

#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod audit;
pub mod check;
pub mod config;
pub mod diff;
pub mod discover;
pub mod evidence;
pub mod hub;
pub mod licenses;
pub mod limits;
pub mod policy;
pub mod rank;
pub mod report;
pub mod rubric;
pub mod scorecard;
pub mod text;
