//! One integration-test binary: the real client and the real binary against a fake Hub on
//! loopback (wiremock), fixtures copied from the shared corpus into tests/fixtures/.

mod audit_cli;
mod hub_client;
mod support;
