//! Every cap and ceiling on what a server, a card or a folder can make `openness` spend, in one
//! place (docs/reliability.md lists each with why it exists and what the user sees when it is
//! hit). A cap that bites is reported — a finding or an error — never a silent truncation.

use std::time::Duration;

/// Longest single wait honoured from `Retry-After` or `RateLimit` (the Hub's window is 5 min).
pub const MAX_WAIT: Duration = Duration::from_secs(300);

/// Widest spacing kept between paced requests. The Hub's quotas space requests 0.1–0.6 s
/// apart; a policy asking for more (`q=1;w=1000000`) is not followed to the letter: a request
/// sent too early only earns another 429, whose wait is honoured up to [`MAX_WAIT`].
pub const MAX_PACE_INTERVAL: Duration = Duration::from_secs(2);

/// Default overall deadline for one model (`--timeout`): every request, retry and wait of its
/// audit, related lookups included. Long enough for one full rate-limit window.
pub const DEFAULT_MODEL_DEADLINE: Duration = Duration::from_secs(600);

/// How long what the Hub answered about a repository — the commit `main` points to, its model
/// info, a dataset or base-model lookup, its branches — is reused by a later run without asking
/// again (`--refresh` forces a refetch; `--offline` reuses it whatever its age). Files need no
/// window: the cache keeps them by commit, and a commit never changes.
pub const METADATA_FRESHNESS: Duration = Duration::from_secs(3600);

/// Attempts for a request that timed out: a server that did not answer twice within the
/// request timeout will not answer the third time.
pub const MAX_TIMEOUT_ATTEMPTS: u32 = 2;

/// Seconds from the network (a header value, possibly negative, fractional, huge or not a
/// number) as a wait no longer than [`MAX_WAIT`]; `None` when it is not a wait at all.
pub fn network_wait(secs: &str) -> Option<Duration> {
    let secs: f64 = secs.trim().parse().ok()?;
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    Some(Duration::from_secs_f64(secs.min(MAX_WAIT.as_secs_f64())))
}

/// A wait in whole seconds from the network, clamped to [`MAX_WAIT`].
pub fn clamp_wait_secs(secs: u64) -> Duration {
    Duration::from_secs(secs.min(MAX_WAIT.as_secs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_from_the_network_are_clamped_never_overflow() {
        assert_eq!(network_wait("99999999999999999999"), Some(MAX_WAIT));
        assert_eq!(network_wait("1e308"), Some(MAX_WAIT));
        assert_eq!(network_wait("inf"), None);
        assert_eq!(network_wait("NaN"), None);
        assert_eq!(network_wait("-5"), None);
        assert_eq!(network_wait("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(clamp_wait_secs(u64::MAX), MAX_WAIT);
    }
}
