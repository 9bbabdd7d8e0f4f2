//! Keeping within the Hub's rate limits. The Hub counts requests in fixed windows per bucket —
//! `api` (`/api/…`) and `resolvers` (file downloads) — and says so on every response:
//! `RateLimit: "api";r=<remaining>;t=<seconds to reset>` and
//! `RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window seconds>`.
//!
//! Until a limit bites, requests go out as fast as the concurrency allows. Once a bucket's quota
//! runs out (a 429, or `r=0`), that bucket waits for the reset and from then on sends at most
//! `q` requests per `w` seconds (with a small margin), so a long ranking keeps to the quota
//! instead of bouncing off it.

use crate::limits::{MAX_PACE_INTERVAL, MAX_WAIT, clamp_wait_secs};
use reqwest::Url;
use reqwest::header::HeaderMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Spacing kept between paced requests, as a multiple of the quota's average interval.
const MARGIN: f64 = 1.04;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    Api,
    Resolvers,
}

impl Bucket {
    /// The bucket the Hub counts a request in: file downloads are `resolvers`.
    pub fn of(url: &Url) -> Bucket {
        if url.path().contains("/resolve/") {
            Bucket::Resolvers
        } else {
            Bucket::Api
        }
    }

    fn index(self) -> usize {
        match self {
            Bucket::Api => 0,
            Bucket::Resolvers => 1,
        }
    }
}

#[derive(Debug, Default)]
struct State {
    paused_until: Option<Instant>,
    /// Set once the quota has run out: the spacing between requests.
    interval: Option<Duration>,
    next_slot: Option<Instant>,
    /// The quota and window the server announced.
    policy: Option<(u64, u64)>,
}

#[derive(Debug, Default)]
pub struct Pacer {
    buckets: [Mutex<State>; 2],
}

impl Pacer {
    /// Waits until `bucket` may send: past any pause, and in its slot when paced.
    pub async fn ready(&self, bucket: Bucket) {
        loop {
            let (until, done) = self.next(bucket);
            if let Some(until) = until {
                tokio::time::sleep_until(until).await;
            }
            if done {
                return;
            }
        }
    }

    /// What `ready` does next: sleep until an instant (if any), and whether that is the slot
    /// (done) or a pause to re-check after.
    fn next(&self, bucket: Bucket) -> (Option<Instant>, bool) {
        let mut state = self.buckets[bucket.index()].lock().expect("pacer lock");
        let now = Instant::now();
        if let Some(until) = state.paused_until
            && until > now
        {
            return (Some(until), false);
        }
        let Some(interval) = state.interval else {
            return (None, true);
        };
        let slot = state.next_slot.map_or(now, |s| s.max(now));
        state.next_slot = Some(slot + interval);
        ((slot > now).then_some(slot), true)
    }

    /// Stops `bucket` for `wait` (at most [`MAX_WAIT`]), and paces it from then on when the
    /// quota is known.
    pub fn exhausted(&self, bucket: Bucket, wait: Duration) {
        let mut state = self.buckets[bucket.index()].lock().expect("pacer lock");
        let until = Instant::now() + wait.min(MAX_WAIT);
        if state.paused_until.is_none_or(|current| current < until) {
            state.paused_until = Some(until);
        }
        if let Some((quota, window)) = state.policy
            && quota > 0
        {
            state.interval = Some(pace_interval(quota, window));
            state.next_slot = Some(until);
        }
    }

    /// Reads the rate-limit headers of a response. Returns the wait when they say the quota is
    /// spent (`r=0`).
    pub fn observe(&self, bucket: Bucket, headers: &HeaderMap) -> Option<Duration> {
        if let Some(policy) = headers
            .get("ratelimit-policy")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_policy)
        {
            self.buckets[bucket.index()]
                .lock()
                .expect("pacer lock")
                .policy = Some(policy);
        }
        let (remaining, reset) = headers
            .get("ratelimit")
            .and_then(|v| v.to_str().ok())
            .and_then(parse_ratelimit)?;
        (remaining == 0).then(|| clamp_wait_secs(reset))
    }
}

/// The spacing for `quota` requests per `window` seconds, with the margin, at most
/// [`MAX_PACE_INTERVAL`] (any `u64` pair: no overflow, no panic).
fn pace_interval(quota: u64, window: u64) -> Duration {
    let secs = window as f64 / quota.max(1) as f64 * MARGIN;
    Duration::try_from_secs_f64(secs)
        .unwrap_or(MAX_PACE_INTERVAL)
        .min(MAX_PACE_INTERVAL)
}

/// `"api";r=0;t=55` → (remaining, reset seconds).
pub fn parse_ratelimit(value: &str) -> Option<(u64, u64)> {
    let (mut remaining, mut reset) = (None, None);
    for part in value.split(';').map(str::trim) {
        if let Some(r) = part.strip_prefix("r=") {
            remaining = r.trim().parse().ok();
        } else if let Some(t) = part.strip_prefix("t=") {
            reset = t.trim().parse().ok();
        }
    }
    Some((remaining?, reset?))
}

/// `"fixed window";"api";q=500;w=300` → (quota, window seconds).
pub fn parse_policy(value: &str) -> Option<(u64, u64)> {
    let (mut quota, mut window): (Option<u64>, Option<u64>) = (None, None);
    for part in value.split(';').map(str::trim) {
        if let Some(q) = part.strip_prefix("q=") {
            quota = q.trim().parse().ok();
        } else if let Some(w) = part.strip_prefix("w=") {
            window = w.trim().parse().ok();
        }
    }
    Some((quota?, window?.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hub_headers() {
        assert_eq!(parse_ratelimit("\"api\";r=0;t=55"), Some((0, 55)));
        assert_eq!(parse_ratelimit("garbage"), None);
        assert_eq!(
            parse_policy("\"fixed window\";\"api\";q=500;w=300"),
            Some((500, 300))
        );
    }

    #[tokio::test(start_paused = true)]
    async fn paces_a_bucket_once_its_quota_is_spent() {
        let pacer = Pacer::default();
        let mut headers = HeaderMap::new();
        headers.insert(
            "ratelimit-policy",
            "\"fixed window\";\"api\";q=50;w=1".parse().unwrap(),
        );
        headers.insert("ratelimit", "\"api\";r=0;t=1".parse().unwrap());
        let wait = pacer.observe(Bucket::Api, &headers).unwrap();
        pacer.exhausted(Bucket::Api, wait);
        let start = Instant::now();
        for _ in 0..51 {
            pacer.ready(Bucket::Api).await;
        }
        let elapsed = start.elapsed();
        // One second of pause, then 50 more slots of ~20.8 ms.
        assert!(
            elapsed >= Duration::from_millis(2000) && elapsed < Duration::from_millis(2100),
            "{elapsed:?}"
        );
        // The other bucket is not held back.
        let start = Instant::now();
        pacer.ready(Bucket::Resolvers).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    /// Row 1 and 2 of issue 14: windows that overflow an instant, or that would hold the next
    /// request for 12 days.
    #[tokio::test(start_paused = true)]
    async fn huge_policies_neither_panic_nor_stall() {
        for window in ["18446744073709551615", "10000000000000000000", "1000000"] {
            let pacer = Pacer::default();
            let mut headers = HeaderMap::new();
            let policy = format!("\"fixed window\";\"api\";q=1;w={window}");
            headers.insert("ratelimit-policy", policy.parse().unwrap());
            headers.insert(
                "ratelimit",
                "\"api\";r=0;t=18446744073709551615".parse().unwrap(),
            );
            let wait = pacer.observe(Bucket::Api, &headers).unwrap();
            assert_eq!(wait, MAX_WAIT);
            pacer.exhausted(Bucket::Api, Duration::MAX);
            let start = Instant::now();
            for _ in 0..3 {
                pacer.ready(Bucket::Api).await;
            }
            assert!(
                start.elapsed() <= MAX_WAIT + 2 * MAX_PACE_INTERVAL,
                "w={window}: {:?}",
                start.elapsed()
            );
        }
    }
}
