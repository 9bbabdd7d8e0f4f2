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

// ---- sizes: what a card, a repository or a file can make the audit read, hold or write ----

/// Items kept in one evidence list (`card.sections`, `code.repositories`, `paper.links`, …). A
/// 4 MiB README of headings listed 419,431 section names, a 9.7 MB report (issue 14 row 14); no
/// real card comes near (the corpus's largest has 214 headings). Past it: `evidence-capped`.
pub const MAX_LIST_ITEMS: usize = 1_000;

/// Longest text kept in one evidence value (a list item or a string), in bytes. Past it the
/// value is cut at a character boundary with `…`, and `evidence-capped` says so.
pub const MAX_VALUE_BYTES: usize = 2_048;

/// Longest URL a card link may have and still count as a link (browsers' practical limit).
/// Longer ones, and URLs with characters no URL may hold, are not evidence.
pub const MAX_URL_BYTES: usize = 2_048;

/// Findings kept per model; past it the least severe go and `findings-capped` says how many.
pub const MAX_FINDINGS: usize = 200;

/// License-like files (LICENSE*, NOTICE*, use policies) read per model. 1,000 `LICENSE-*`
/// files of 1 MiB cost 1.13 GB and 92 s (issue 14 row 6); real releases ship at most a handful.
/// Past it: `license-files-capped`, naming how many were left out.
pub const MAX_LICENSE_FILES: usize = 20;

/// Bytes of license-like text read per model, shared among its license files (each also under
/// the per-file cap, 4 MiB). With the README's own cap, the text one model can make the audit
/// read is at most 4 + 16 MiB. A file cut by its share gets `file-too-large`.
pub const LICENSE_TEXT_BUDGET: u64 = 16 * 1024 * 1024;

/// The cap on one license file when `files` of them share [`LICENSE_TEXT_BUDGET`], each also
/// under `per_file` (the text-file cap).
pub fn license_file_cap(files: usize, per_file: u64) -> u64 {
    let share = LICENSE_TEXT_BUDGET / u64::try_from(files.max(1)).unwrap_or(u64::MAX);
    share.min(per_file)
}

/// Largest text file (README, LICENSE, …) read from the Hub, the cache or a folder
/// (`HubSettings::max_text_bytes`), and by `openness license`. Past it: `file-too-large`, the
/// beginning is read (a 64 MB README costs 0.16 s and 29 MB).
pub const MAX_TEXT_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Largest YAML front matter parsed (with `serde-saphyr`'s budgets against alias bombs and deep
/// nesting). Past it: `front-matter-invalid`.
pub const MAX_FRONT_MATTER_BYTES: usize = 1024 * 1024;

/// Folders deeper than this, or more entries than this (directories counted), are not listed:
/// a model folder is shallow, and a mistaken `~` must not walk a whole disk.
pub const MAX_FOLDER_DEPTH: usize = 8;
pub const MAX_FOLDER_ENTRIES: usize = 100_000;

/// Largest safetensors header read to count parameters in a local folder.
pub const MAX_SAFETENSORS_HEADER: u64 = 100 * 1024 * 1024;

/// Largest policy, rubric, lock or `--from` file read (1 MiB; the largest real one is a few
/// KiB). Only regular files are read, so `/dev/zero` or a FIFO is an error, not a hang.
pub const MAX_CONFIG_FILE_BYTES: u64 = 1024 * 1024;

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

    #[test]
    fn license_files_share_the_budget() {
        let mib = 1024 * 1024;
        assert_eq!(license_file_cap(1, 4 * mib), 4 * mib);
        assert_eq!(license_file_cap(0, 4 * mib), 4 * mib);
        assert_eq!(
            license_file_cap(MAX_LICENSE_FILES, 4 * mib),
            LICENSE_TEXT_BUDGET / 20
        );
        assert!(license_file_cap(MAX_LICENSE_FILES, u64::MAX) * 20 <= LICENSE_TEXT_BUDGET);
    }
}
