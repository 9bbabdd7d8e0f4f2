//! One integration-test binary: the real client and the real binary against a fake Hub on

#![allow(clippy::print_stderr)] // skipped corpus checks say so on stderr
//! loopback (wiremock), fixtures copied from the shared corpus into tests/fixtures/.

mod audit_cli;
mod emulator;
mod hub_client;
mod support;
