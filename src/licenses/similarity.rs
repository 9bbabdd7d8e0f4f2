//! Recognising the standard texts of the whole SPDX license list by similarity.
//!
//! Scoring every text against ~550 standard texts with the `spdx` crate's n-gram sets would
//! cost tens of milliseconds and tens of megabytes, so a cheap first pass ranks them: word
//! bigrams of the normalised text, hashed to `u32` and sorted, intersected by merging. Only
//! the few best are then scored with the crate's detection (askalono's Dice coefficient over
//! its own normalisation), which gives the reported similarity.
//!
//! The first pass also measures *containment* — how much of a standard text occurs in the
//! text — which finds a license wrapped in a preamble, followed by a policy or sharing a file
//! with another license; the crate then locates it (`optimize_bounds`) and scores that part.
//!
//! Deterministic: ties go to the smaller SPDX id, never to hash order.

use super::normalize::normalize;
use spdx::detection::TextData;
use std::sync::OnceLock;

/// How many texts the first pass hands to the crate's scoring.
const CONFIRM: usize = 4;
/// Containment (share of a standard text's bigrams found in the text) that triggers locating
/// the standard text inside the text.
const CONTAINED: f32 = 0.9;
/// Standard texts shorter than this many bigrams are only recognised as the whole text:
/// a short permission notice inside a README or a source file is not its license file.
const MIN_CONTAINED_GRAMS: usize = 120;

/// One standard text of the SPDX list.
struct Standard {
    id: &'static str,
    text: &'static str,
    /// The knowledge-base entry it stands for.
    entry: usize,
    grams: Vec<u32>,
    data: OnceLock<TextData>,
}

impl Standard {
    fn data(&self) -> &TextData {
        self.data.get_or_init(|| TextData::new(self.text))
    }
}

/// The standard texts, in SPDX-id order.
pub struct SpdxTexts {
    texts: Vec<Standard>,
}

/// A text prepared for comparison: its hashed bigrams and the crate's n-gram data.
pub struct Query {
    grams: Vec<u32>,
    data: TextData,
}

/// A standard text and how similar a text is to it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub spdx: &'static str,
    pub entry: usize,
    /// The crate's similarity (0–1).
    pub score: f32,
    /// 1-based line where the license starts (1 unless located inside a larger text).
    pub line: u32,
}

impl SpdxTexts {
    /// Indexes the non-deprecated texts of the SPDX list, one per distinct text (the
    /// `-only` / `-or-later` pairs share theirs, as do the GFDL's `-invariants` ids). Among
    /// ids sharing a text, one a hand-written entry names keeps it, else the first id.
    /// `entry_of` maps an SPDX id to its knowledge-base entry and whether it is hand-written.
    pub fn build(entry_of: impl Fn(&str) -> Option<(usize, bool)>) -> SpdxTexts {
        let mut seen = std::collections::HashSet::new();
        let mut ordered: Vec<&(&str, &str)> = spdx::text::LICENSE_TEXTS
            .iter()
            .filter(|(id, _)| spdx::license_id(id).is_some_and(|l| !l.is_deprecated()))
            .collect();
        // Stable: hand-written first, each group in SPDX-id order.
        ordered.sort_by_key(|(id, _)| !entry_of(id).is_some_and(|(_, hand)| hand));
        let mut texts: Vec<Standard> = ordered
            .into_iter()
            .filter(|(_, text)| seen.insert(*text))
            .filter_map(|&(id, text)| {
                Some(Standard {
                    id,
                    text,
                    entry: entry_of(id)?.0,
                    grams: grams(text),
                    data: OnceLock::new(),
                })
            })
            .collect();
        texts.sort_by(|a, b| a.id.cmp(b.id));
        SpdxTexts { texts }
    }

    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The first pass's view of a text, computed once for [`SpdxTexts::nearest`] and
    /// [`SpdxTexts::contained`].
    pub fn query(text: &str) -> Query {
        Query {
            grams: grams(text),
            data: TextData::new(text),
        }
    }

    /// The standard texts most similar to the text, best first (score, then SPDX id).
    pub fn nearest(&self, query: &Query, k: usize) -> Vec<Scored> {
        let q = &query.grams;
        let mut first: Vec<(f32, usize)> = self
            .texts
            .iter()
            .enumerate()
            .map(|(i, s)| (dice(q, &s.grams), i))
            .collect();
        first.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut scored: Vec<Scored> = first
            .iter()
            .take(CONFIRM.max(k))
            .filter(|(quick, _)| *quick > 0.0)
            .map(|&(_, i)| {
                let s = &self.texts[i];
                Scored {
                    spdx: s.id,
                    entry: s.entry,
                    score: s.data().match_score(&query.data),
                    line: 1,
                }
            })
            .collect();
        scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.spdx.cmp(b.spdx)));
        scored.truncate(k);
        scored
    }

    /// Standard texts contained in `text` (a license inside a larger file), each located and
    /// scored on its part of the text; only those scoring `threshold` or more, by position.
    pub fn contained(&self, text: &str, query: &Query, threshold: f32) -> Vec<Scored> {
        let q = &query.grams;
        let mut candidates: Vec<(f32, usize)> = self
            .texts
            .iter()
            .enumerate()
            .filter(|(_, s)| s.grams.len() >= MIN_CONTAINED_GRAMS && s.grams.len() <= q.len())
            .map(|(i, s)| (common(&s.grams, q) as f32 / s.grams.len() as f32, i))
            .filter(|(share, _)| *share >= CONTAINED)
            .collect();
        // Most fully contained first (in whole percents), then longest, so that a text
        // containing a shorter one (X11 holds MIT) is kept and the shorter one dropped, while
        // a license modified from another (Interbase from MPL 1.1) does not stand in for it.
        candidates.sort_by(|a, b| {
            let (sa, sb) = (&self.texts[a.1], &self.texts[b.1]);
            percent(b.0)
                .cmp(&percent(a.0))
                .then(sb.grams.len().cmp(&sa.grams.len()))
                .then(sa.id.cmp(sb.id))
        });
        // What is left to search: each license found is whited out before the next search
        // (askalono's way), so the greedy bound search does not stop at the first license.
        let mut rest = query.data.clone();
        let mut kept: Vec<usize> = Vec::new();
        let mut found = Vec::new();
        for (_, i) in candidates {
            let s = &self.texts[i];
            let inside_kept = kept.iter().any(|&k| {
                let kg = &self.texts[k].grams;
                common(&s.grams, kg) as f32 / s.grams.len() as f32 >= CONTAINED
            });
            if inside_kept {
                continue;
            }
            let (located, score) = rest.optimize_bounds(s.data());
            if score >= threshold {
                kept.push(i);
                found.push(Scored {
                    spdx: s.id,
                    entry: s.entry,
                    score,
                    line: line_of(text, located.lines_view().0),
                });
                rest = located.white_out();
            }
        }
        found.sort_by(|a, b| a.line.cmp(&b.line).then(a.spdx.cmp(b.spdx)));
        found
    }
}

fn percent(share: f32) -> u32 {
    (share * 100.0).round() as u32
}

/// The 1-based line of `text` where the crate's normalised line `index` starts (the crate
/// keeps one normalised line per line of the text).
fn line_of(text: &str, index: usize) -> u32 {
    let lines = text.lines().count().max(1);
    (index.min(lines - 1) + 1) as u32
}

/// Hashed word bigrams of the normalised text, sorted (a multiset).
fn grams(text: &str) -> Vec<u32> {
    let normalized = normalize(text).text;
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    let mut out: Vec<u32> = words
        .windows(2)
        .map(|pair| {
            let mut h: u32 = 0x811c_9dc5;
            for b in pair[0]
                .bytes()
                .chain(std::iter::once(b' '))
                .chain(pair[1].bytes())
            {
                h = (h ^ u32::from(b)).wrapping_mul(0x0100_0193);
            }
            h
        })
        .collect();
    out.sort_unstable();
    out
}

/// The size of the multiset intersection of two sorted lists.
fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn dice(a: &[u32], b: &[u32]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    2.0 * common(a, b) as f32 / (a.len() + b.len()) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiset_intersection() {
        assert_eq!(common(&[1, 2, 2, 3], &[2, 2, 2, 4]), 2);
        assert_eq!(dice(&[], &[1]), 0.0);
        assert_eq!(grams("a b c").len(), 2);
        assert_eq!(grams("A, b!").len(), grams("a b").len());
    }
}
