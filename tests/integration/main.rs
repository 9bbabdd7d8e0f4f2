//! One integration-test binary: the real client and the real binary against a fake Hub on
//! loopback (wiremock), fixtures copied from the shared corpus into tests/fixtures/.

// The license-recognition tally is printed on stderr.
#![allow(clippy::print_stderr, clippy::disallowed_macros)]
// Tests build their fixtures with std::fs: the path rule (clippy.toml) is about what users read.
#![allow(clippy::disallowed_methods)]

mod agreement;
mod audit_cli;
mod audit_formats;
mod check;
mod cli;
mod data_tables;
mod deep_evidence;
mod end_to_end;
mod exit_codes;
mod fake_hub;
mod formats;
mod fuzz_regressions;
mod github;
mod github_standin;
mod hardening;
mod hostile;
mod hub_client;
mod license_audit;
mod license_cli;
mod license_expressions;
mod license_recognition;
mod license_revisions;
mod license_standard_texts;
mod listing_cache;
mod newcomer;
mod rank;
mod rubrics;
mod support;
