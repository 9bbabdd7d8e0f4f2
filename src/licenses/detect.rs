//! Recognising a license from its text.
//!
//! Two recognisers, combined:
//! - **signatures** from the knowledge base (`[[license.match]]`: distinctive clauses and titles
//!   that must, may or must not appear), matched in one pass with Aho-Corasick over a normalised
//!   text, so re-wrapping, Markdown or HTML markup and changed copyright lines do not matter;
//! - **SPDX text similarity** (the `spdx` crate's detection, askalono's successor) against the
//!   standard texts of the whole SPDX license list (`similarity.rs`), for texts no signature
//!   claims: the whole text, else every standard text the text contains.
//!
//! An unrelated text is `unknown`: a text is only recognised by a full signature or by an SPDX
//! similarity at or above the confidence threshold. An unknown text lists its nearest standard
//! texts, best first, ties broken by SPDX id.

use super::kb::{Kind, KnowledgeBase};
pub use super::normalize::{Normalized, normalize};
use super::similarity::SpdxTexts;
use aho_corasick::AhoCorasick;
use serde::Serialize;
use std::collections::HashMap;
use std::sync::OnceLock;

/// How many nearest standard texts an unknown text lists.
pub const CANDIDATES: usize = 3;

/// Similarity an SPDX text must reach to count as recognised (askalono's default).
pub const DEFAULT_THRESHOLD: f32 = 0.9;

/// How a match was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// All of a knowledge-base signature's required phrases were found.
    Signature,
    /// The text is similar to the standard SPDX text.
    SpdxText,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Signature => "signature",
            Method::SpdxText => "spdx-text",
        }
    }
}

/// One license recognised in a text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Match {
    /// Knowledge-base id.
    pub id: String,
    pub kind: Kind,
    /// 0–1. Signatures score 1 (every distinctive clause is present); SPDX matches score their
    /// text similarity.
    pub confidence: f32,
    pub method: Method,
    /// 1-based line where the match starts in the text.
    pub line: u32,
}

/// What a text was recognised as. No match means `unknown`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Recognition {
    pub matches: Vec<Match>,
    /// The nearest SPDX license and its similarity, when nothing reached the threshold.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closest: Option<(String, f32)>,
    /// The nearest SPDX licenses, best first (ties by SPDX id), when nothing reached the
    /// threshold; `closest` is the first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
}

/// A standard text an unknown text is near to.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Candidate {
    pub spdx: String,
    /// Knowledge-base id.
    pub id: String,
    pub similarity: f32,
}

impl Recognition {
    pub fn is_unknown(&self) -> bool {
        self.matches.is_empty()
    }
}

#[derive(Debug)]
struct SignatureRef {
    entry: usize,
    /// Phrase ids (into the automaton's patterns) per slot.
    all: Vec<usize>,
    any: Vec<usize>,
    none: Vec<usize>,
    before: Vec<usize>,
}

/// A ready recogniser over one knowledge base.
pub struct Recognizer {
    kb: &'static KnowledgeBase,
    automaton: AhoCorasick,
    signatures: Vec<SignatureRef>,
    phrase_count: usize,
    similarity: OnceLock<SpdxTexts>,
    /// Entry index → the entries it refines or includes (dropped when both match).
    refines: HashMap<usize, Vec<usize>>,
    /// Recognitions of texts already seen, by content hash: a ranking meets the same license
    /// text hundreds of times.
    memo: std::sync::Mutex<HashMap<(u64, u32), Recognition>>,
    threshold: f32,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("signatures", &self.signatures.len())
            .finish_non_exhaustive()
    }
}

impl Recognizer {
    /// Builds a recogniser for `kb`: build once (the SPDX standard texts are indexed lazily).
    pub fn new(kb: &'static KnowledgeBase, threshold: f32) -> Recognizer {
        let mut phrases: Vec<String> = Vec::new();
        let mut phrase_ids: HashMap<String, usize> = HashMap::new();
        let mut intern = |raw: &str| -> Option<usize> {
            let norm = normalize(raw).text;
            if norm.is_empty() {
                return None;
            }
            Some(*phrase_ids.entry(norm.clone()).or_insert_with(|| {
                phrases.push(norm);
                phrases.len() - 1
            }))
        };
        let mut signatures = Vec::new();
        for (entry, license) in kb.entries().iter().enumerate() {
            for sig in &license.signatures {
                let ids = |list: &[String],
                           intern: &mut dyn FnMut(&str) -> Option<usize>|
                 -> Vec<usize> {
                    list.iter().filter_map(|p| intern(p)).collect()
                };
                let all = ids(&sig.all, &mut intern);
                if all.is_empty() {
                    continue;
                }
                let any = ids(&sig.any, &mut intern);
                let none = ids(&sig.none, &mut intern);
                let before = ids(&sig.before, &mut intern);
                signatures.push(SignatureRef {
                    entry,
                    all,
                    any,
                    none,
                    before,
                });
            }
        }
        let automaton = AhoCorasick::new(&phrases).expect("phrases build an automaton");
        let mut refines: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, entry) in kb.entries().iter().enumerate() {
            let dropped = entry.refines.iter().chain(&entry.includes);
            for other in dropped.filter_map(|r| kb.position(r)) {
                refines.entry(i).or_default().push(other);
            }
        }

        Recognizer {
            kb,
            automaton,
            signatures,
            phrase_count: phrases.len(),
            similarity: OnceLock::new(),
            refines,
            memo: Default::default(),
            threshold,
        }
    }

    /// The standard texts of the SPDX list, indexed on first use: most texts are claimed by
    /// a signature, so most runs never need them.
    fn similarity(&self) -> &SpdxTexts {
        self.similarity.get_or_init(|| {
            SpdxTexts::build(|id| {
                let i = self.kb.position(id)?;
                Some((i, !self.kb.entries()[i].from_spdx_list))
            })
        })
    }

    /// How many standard texts the similarity pass compares (for the benchmark's report).
    pub fn standard_texts(&self) -> usize {
        self.similarity().len()
    }

    /// The recogniser for the embedded knowledge base at the default threshold.
    pub fn embedded() -> &'static Recognizer {
        static RECOGNIZER: OnceLock<Recognizer> = OnceLock::new();
        RECOGNIZER.get_or_init(|| Recognizer::new(KnowledgeBase::embedded(), DEFAULT_THRESHOLD))
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Recognises the licenses in `text` at this recogniser's threshold.
    pub fn recognize(&self, text: &str) -> Recognition {
        self.recognize_with(text, self.threshold)
    }

    /// Recognises the licenses in `text`, counting SPDX similarities from `threshold` up.
    pub fn recognize_with(&self, text: &str, threshold: f32) -> Recognition {
        const MEMO_ENTRIES: usize = 4_096;
        let key = {
            use std::hash::{Hash, Hasher};
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            text.hash(&mut hasher);
            (hasher.finish(), threshold.to_bits())
        };
        if let Some(known) = self.memo.lock().expect("memo lock").get(&key) {
            return known.clone();
        }
        let recognition = self.recognize_fresh(text, threshold);
        let mut memo = self.memo.lock().expect("memo lock");
        if memo.len() < MEMO_ENTRIES {
            memo.insert(key, recognition.clone());
        }
        recognition
    }

    /// Recognises without the memo (what the memo saves; the benchmark measures this).
    pub fn recognize_fresh(&self, text: &str, threshold: f32) -> Recognition {
        let normalized = normalize(text);
        if normalized.text.is_empty() {
            return Recognition::default();
        }
        let mut matches = self.by_signature(&normalized);
        if !matches.is_empty() {
            matches.sort_by_key(|m| m.line);
            return Recognition {
                matches,
                ..Recognition::default()
            };
        }
        self.by_similarity(text, threshold)
    }

    fn by_signature(&self, normalized: &Normalized) -> Vec<Match> {
        // First occurrence of every phrase, as a byte offset in the normalised text.
        let mut first: Vec<Option<usize>> = vec![None; self.phrase_count];
        for found in self.automaton.find_overlapping_iter(&normalized.text) {
            let slot = &mut first[found.pattern().as_usize()];
            if slot.is_none() {
                *slot = Some(found.start());
            }
        }
        let mut matched: Vec<(usize, usize)> = Vec::new(); // (entry, start)
        for sig in &self.signatures {
            let all = sig
                .all
                .iter()
                .map(|&p| first[p])
                .collect::<Option<Vec<usize>>>();
            let Some(all) = all else { continue };
            if !sig.any.is_empty() && sig.any.iter().all(|&p| first[p].is_none()) {
                continue;
            }
            if sig.none.iter().any(|&p| first[p].is_some()) {
                continue;
            }
            let last = all.iter().copied().max().unwrap_or(0);
            if sig
                .before
                .iter()
                .any(|&p| first[p].is_some_and(|at| at < last))
            {
                continue;
            }
            if matched.iter().any(|&(e, _)| e == sig.entry) {
                continue;
            }
            matched.push((sig.entry, all.iter().copied().min().unwrap_or(0)));
        }
        let refined: Vec<usize> = matched
            .iter()
            .filter_map(|(e, _)| self.refines.get(e))
            .flatten()
            .copied()
            .collect();
        matched
            .into_iter()
            .filter(|(e, _)| !refined.contains(e))
            .map(|(e, start)| {
                let entry = &self.kb.entries()[e];
                Match {
                    id: entry.id.clone(),
                    kind: entry.kind,
                    confidence: 1.0,
                    method: Method::Signature,
                    line: normalized.line_at(start),
                }
            })
            .collect()
    }

    fn by_similarity(&self, text: &str, threshold: f32) -> Recognition {
        let spdx = self.similarity();
        let query = SpdxTexts::query(text);
        let nearest = spdx.nearest(&query, CANDIDATES);
        let to_match = |s: &super::similarity::Scored| {
            let entry = &self.kb.entries()[s.entry];
            Match {
                id: entry.id.clone(),
                kind: entry.kind,
                confidence: s.score,
                method: Method::SpdxText,
                line: if s.line > 1 {
                    s.line
                } else {
                    first_text_line(text)
                },
            }
        };
        if let Some(best) = nearest.first().filter(|b| b.score >= threshold) {
            return Recognition {
                matches: vec![to_match(best)],
                ..Recognition::default()
            };
        }
        let contained = spdx.contained(text, &query, threshold);
        if !contained.is_empty() {
            return Recognition {
                matches: contained.iter().map(to_match).collect(),
                ..Recognition::default()
            };
        }
        let candidates: Vec<Candidate> = nearest
            .iter()
            .map(|s| Candidate {
                spdx: s.spdx.to_owned(),
                id: self.kb.entries()[s.entry].id.clone(),
                similarity: s.score,
            })
            .collect();
        Recognition {
            matches: Vec::new(),
            closest: candidates.first().map(|c| (c.spdx.clone(), c.similarity)),
            candidates,
        }
    }
}

fn first_text_line(text: &str) -> u32 {
    text.lines()
        .position(|l| !l.trim().is_empty())
        .map_or(1, |i| i as u32 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        Recognizer::embedded()
            .recognize(text)
            .matches
            .into_iter()
            .map(|m| m.id)
            .collect()
    }

    #[test]
    fn standard_texts_are_recognised_by_similarity() {
        let mit = spdx::text::LICENSE_TEXTS
            .iter()
            .find(|(n, _)| *n == "MIT")
            .unwrap()
            .1;
        let r = Recognizer::embedded()
            .recognize(&mit.replace("<year> <copyright holders>", "2031 Somebody"));
        assert_eq!(r.matches.len(), 1, "{r:?}");
        assert_eq!(r.matches[0].id, "mit");
    }

    #[test]
    fn unrelated_texts_are_unknown() {
        assert!(ids("").is_empty());
        assert!(
            ids("# My model\n\nThis model was trained on cats and dogs. It is great.\n").is_empty()
        );
        assert!(
            ids("lorem ipsum dolor sit amet, consectetur adipiscing elit "
                .repeat(40)
                .as_str())
            .is_empty()
        );
    }
}
