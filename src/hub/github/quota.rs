//! GitHub's API quota (60 calls an hour anonymously, 5000 with a token), read from the
//! `x-ratelimit-limit/-remaining/-reset` headers of every API answer.
//!
//! The discipline (docs/code-host.md):
//! - a repository is read whole or not at all: its calls (metadata and tree) are claimed before
//!   the first is sent, so the last calls are never spent on reads that cannot finish;
//! - until an answer has said how much is left, one repository at a time: the run never fires a
//!   burst into a quota it does not know;
//! - a reserve is never spent: 5 % of the quota, at least one call, stays for the user's other
//!   tools sharing it (the `gh` CLI, a CI job), so a ranking never leaves them with nothing;
//! - once the quota is down to the reserve (or GitHub refuses with `403`/`429` and
//!   `remaining: 0`), every further API request is refused here, without a request, until the
//!   reset time: the facts that needed it are unknown, and no request is retried.
//!
//! The raw-file host has no quota and is not counted here.

use reqwest::header::HeaderMap;
use std::sync::Mutex;

/// The quota is spent (or down to its reserve) until `reset` (seconds since the epoch).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exhausted {
    pub reset: Option<u64>,
}

#[derive(Debug, Default)]
struct State {
    limit: Option<u64>,
    remaining: Option<u64>,
    reset: Option<u64>,
    in_flight: u64,
    /// Calls claimed by repository reads and not sent yet.
    claimed: u64,
    exhausted: bool,
    /// API requests sent (each counts against the quota unless answered 304).
    sent: u64,
}

impl State {
    /// A window that has reset is unknown again.
    fn roll(&mut self, now: u64) {
        if self.reset.is_some_and(|reset| now >= reset) {
            self.remaining = None;
            self.reset = None;
            self.exhausted = false;
        }
    }
}

#[derive(Debug, Default)]
pub struct Quota {
    state: Mutex<State>,
    /// Held by the one repository read (or request) in flight while the quota is unknown.
    learning: tokio::sync::Mutex<()>,
}

/// Calls set aside for one repository read; what is not sent goes back when it is dropped.
#[derive(Debug)]
pub struct Claim<'q> {
    quota: &'q Quota,
    slots: u64,
    /// While the quota is unknown, the read that will learn it holds this.
    learning: Option<tokio::sync::MutexGuard<'q, ()>>,
}

impl Drop for Claim<'_> {
    fn drop(&mut self) {
        let mut state = self.quota.lock();
        state.claimed = state.claimed.saturating_sub(self.slots);
    }
}

/// Calls never spent: 5 % of the quota, at least one.
pub fn reserve(limit: Option<u64>) -> u64 {
    limit.map_or(1, |l| l.div_ceil(20).max(1))
}

/// The right to send one API request; dropping it ends the request's claim on the quota.
#[derive(Debug)]
pub struct Permit<'q> {
    quota: &'q Quota,
    _learning: Option<tokio::sync::MutexGuard<'q, ()>>,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let mut state = self.quota.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
    }
}

impl Quota {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Sets `calls` aside for one repository read, or says the quota (beyond its reserve) cannot
    /// pay for it. While the quota is unknown, waits until no other read is learning it.
    pub async fn claim(&self, calls: u64, now: u64) -> Result<Claim<'_>, Exhausted> {
        loop {
            {
                let mut state = self.lock();
                state.roll(now);
                if state.exhausted {
                    return Err(Exhausted { reset: state.reset });
                }
                if let Some(remaining) = state.remaining {
                    let available = remaining.saturating_sub(state.in_flight + state.claimed);
                    if available < calls + reserve(state.limit) {
                        state.exhausted = true;
                        return Err(Exhausted { reset: state.reset });
                    }
                    state.claimed += calls;
                    return Ok(Claim {
                        quota: self,
                        slots: calls,
                        learning: None,
                    });
                }
            }
            let guard = self.learning.lock().await;
            let mut state = self.lock();
            state.roll(now);
            if state.exhausted {
                return Err(Exhausted { reset: state.reset });
            }
            if state.remaining.is_some() {
                continue;
            }
            return Ok(Claim {
                quota: self,
                slots: 0,
                learning: Some(guard),
            });
        }
    }

    /// The right to send one API request of a repository read: from its claim, else (a redirect,
    /// a retry) from what is left beyond the reserve.
    pub async fn acquire(&self, claim: &mut Claim<'_>, now: u64) -> Result<Permit<'_>, Exhausted> {
        {
            let mut state = self.lock();
            state.roll(now);
            if claim.slots > 0 {
                claim.slots -= 1;
                state.claimed = state.claimed.saturating_sub(1);
                state.in_flight += 1;
                state.sent += 1;
                return Ok(self.permit(None));
            }
            if claim.learning.is_some() {
                // This read is learning the quota: it checks only once an answer said.
                if state.exhausted {
                    return Err(Exhausted { reset: state.reset });
                }
                if let Some(remaining) = state.remaining
                    && remaining.saturating_sub(state.in_flight + state.claimed)
                        <= reserve(state.limit)
                {
                    state.exhausted = true;
                    return Err(Exhausted { reset: state.reset });
                }
                state.in_flight += 1;
                state.sent += 1;
                return Ok(self.permit(None));
            }
        }
        self.acquire_one(now).await
    }

    fn permit<'q>(&'q self, learning: Option<tokio::sync::MutexGuard<'q, ()>>) -> Permit<'q> {
        Permit {
            quota: self,
            _learning: learning,
        }
    }

    /// Waits for the right to send one API request outside any claim, or says the quota is spent.
    async fn acquire_one(&self, now: u64) -> Result<Permit<'_>, Exhausted> {
        loop {
            {
                let mut state = self.lock();
                state.roll(now);
                if state.exhausted {
                    return Err(Exhausted { reset: state.reset });
                }
                if let Some(remaining) = state.remaining {
                    if remaining.saturating_sub(state.in_flight + state.claimed)
                        <= reserve(state.limit)
                    {
                        state.exhausted = true;
                        return Err(Exhausted { reset: state.reset });
                    }
                    state.in_flight += 1;
                    state.sent += 1;
                    return Ok(self.permit(None));
                }
            }
            // Unknown: one request at a time until an answer says how much is left.
            let guard = self.learning.lock().await;
            let mut state = self.lock();
            state.roll(now);
            if state.exhausted {
                return Err(Exhausted { reset: state.reset });
            }
            if state.remaining.is_some() {
                continue;
            }
            state.in_flight += 1;
            state.sent += 1;
            drop(state);
            return Ok(self.permit(Some(guard)));
        }
    }

    /// Reads the quota headers of an API answer; `refused` is a `403`/`429` that GitHub sends
    /// when the quota is spent.
    pub fn observe(&self, headers: &HeaderMap, refused: bool) {
        let number = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let (limit, remaining, reset) = (
            number("x-ratelimit-limit"),
            number("x-ratelimit-remaining"),
            number("x-ratelimit-reset"),
        );
        let mut state = self.lock();
        if limit.is_some() {
            state.limit = limit;
        }
        if let Some(remaining) = remaining {
            let same_window = reset.is_none() || reset == state.reset;
            state.remaining = Some(match state.remaining {
                // Answers of one window can arrive out of order: the smallest is the latest.
                Some(known) if same_window => known.min(remaining),
                _ => remaining,
            });
        }
        if reset.is_some() {
            state.reset = reset;
        }
        if refused && remaining.is_none_or(|r| r == 0) {
            state.exhausted = true;
            state.remaining = Some(0);
        }
    }

    /// The quota is spent for this run (until its reset), as last observed.
    pub fn exhausted(&self) -> Option<Exhausted> {
        let state = self.lock();
        state.exhausted.then_some(Exhausted { reset: state.reset })
    }

    /// API requests sent so far.
    pub fn sent(&self) -> u64 {
        self.lock().sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(limit: u64, remaining: u64, reset: u64) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-ratelimit-limit", limit.to_string().parse().unwrap());
        h.insert(
            "x-ratelimit-remaining",
            remaining.to_string().parse().unwrap(),
        );
        h.insert("x-ratelimit-reset", reset.to_string().parse().unwrap());
        h
    }

    #[tokio::test]
    async fn keeps_the_reserve_and_reads_repositories_whole_or_not_at_all() {
        let quota = Quota::default();
        let now = 1_000;
        // Five calls an hour, two per repository. The first read learns the quota (four left
        // after its first call); the second fits; a third would eat into the reserve.
        let mut spent = 0;
        let mut reads = 0;
        while let Ok(mut claim) = quota.claim(2, now).await {
            for _ in 0..2 {
                let permit = quota.acquire(&mut claim, now).await.unwrap();
                spent += 1;
                quota.observe(&headers(5, 5 - spent, 4_600), false);
                drop(permit);
            }
            reads += 1;
        }
        assert_eq!((reads, spent), (2, 4));
        assert_eq!(quota.claim(2, now).await.unwrap_err().reset, Some(4_600));
        assert_eq!(quota.sent(), 4);
        // After the reset, the quota is unknown again and one read may learn it.
        assert!(quota.claim(2, 4_601).await.is_ok());
    }

    #[tokio::test]
    async fn an_unused_claim_goes_back() {
        let quota = Quota::default();
        let mut first = quota.claim(2, 10).await.unwrap();
        let permit = quota.acquire(&mut first, 10).await.unwrap();
        quota.observe(&headers(60, 59, 99), false);
        drop(permit);
        drop(first);
        // 59 left, 3 in reserve: 28 reads of two calls.
        let mut claims = Vec::new();
        while let Ok(claim) = quota.claim(2, 10).await {
            claims.push(claim);
        }
        assert_eq!(claims.len(), 28);
        claims.pop();
        claims.pop();
        let mut again = quota.claim(2, 10).await;
        assert!(again.is_err(), "exhausted stays exhausted until the reset");
        drop(claims);
        again = quota.claim(2, 100).await;
        assert!(again.is_ok());
    }

    #[tokio::test]
    async fn a_refusal_stops_everything_until_the_reset() {
        let quota = Quota::default();
        let mut claim = quota.claim(2, 10).await.unwrap();
        let permit = quota.acquire(&mut claim, 10).await.unwrap();
        quota.observe(&headers(60, 0, 99), true);
        drop(permit);
        assert_eq!(quota.exhausted(), Some(Exhausted { reset: Some(99) }));
        assert!(quota.acquire(&mut claim, 10).await.is_err());
        drop(claim);
        assert!(quota.claim(2, 10).await.is_err());
        assert_eq!(reserve(Some(60)), 3);
        assert_eq!(reserve(Some(5000)), 250);
        assert_eq!(reserve(Some(5)), 1);
    }
}
