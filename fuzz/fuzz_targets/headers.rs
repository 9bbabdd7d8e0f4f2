//! The parsers of rate-limit and pagination headers, on hostile values: `Retry-After`
//! (`limits::network_wait`, `hub::client::retry_after`), `RateLimit` (`hub::pacer::parse_ratelimit`),
//! `RateLimit-Policy` (`hub::pacer::parse_policy`) and `Link` (`hub::listing::next_link`), then
//! the pacer that acts on them (`Pacer::observe`, `Pacer::exhausted`: instants plus durations
//! that must never overflow).
//!
//! Input: up to four header values separated by `\n`, in that order. Each is given to its parser
//! as text (lossy UTF-8) and, when it is a valid header value, through a `HeaderMap`. Checks: no
//! panic; every wait is at most `limits::MAX_WAIT`; a `Link` target is a substring of the header.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::hub::client::retry_after;
use openness::hub::listing::next_link;
use openness::hub::pacer::{Bucket, Pacer, parse_policy, parse_ratelimit};
use openness::limits::{self, MAX_WAIT};
use reqwest::header::{HeaderMap, HeaderValue};

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(4, |&b| b == b'\n');
    let names = ["retry-after", "ratelimit", "ratelimit-policy", "link"];
    let mut headers = HeaderMap::new();
    let mut texts: [String; 4] = Default::default();
    for (i, name) in names.iter().enumerate() {
        let Some(bytes) = parts.next() else { break };
        texts[i] = String::from_utf8_lossy(bytes).into_owned();
        if let Ok(value) = HeaderValue::from_bytes(bytes) {
            headers.insert(*name, value);
        }
    }

    if let Some(wait) = limits::network_wait(&texts[0]) {
        assert!(wait <= MAX_WAIT, "Retry-After {:?} gave {wait:?}", texts[0]);
    }
    let _ = parse_ratelimit(&texts[1]);
    if let Some((quota, window)) = parse_policy(&texts[2]) {
        assert!(window >= 1, "a window of 0 from {:?} ({quota})", texts[2]);
    }
    if let Some(target) = next_link(&texts[3]) {
        assert!(texts[3].contains(&target));
    }

    if let Some(wait) = retry_after(&headers) {
        assert!(wait <= MAX_WAIT, "{headers:?} gave {wait:?}");
    }
    let pacer = Pacer::default();
    for bucket in [Bucket::Api, Bucket::Resolvers] {
        if let Some(wait) = pacer.observe(bucket, &headers) {
            assert!(wait <= MAX_WAIT, "{headers:?} gave {wait:?}");
            pacer.exhausted(bucket, wait);
        }
        // The largest wait anything could ask for.
        pacer.exhausted(bucket, std::time::Duration::MAX);
    }
});
