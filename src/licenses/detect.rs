//! Recognising a license from its text.
//!
//! Two recognisers, combined:
//! - **signatures** from the knowledge base (`[[license.match]]`: distinctive clauses and titles
//!   that must, may or must not appear), matched in one pass with Aho-Corasick over a normalised
//!   text, so re-wrapping, Markdown or HTML markup and changed copyright lines do not matter;
//! - **SPDX text similarity** (the `spdx` crate's detection, askalono's successor) against the
//!   standard texts of the SPDX licenses the knowledge base knows, for texts no signature claims.
//!
//! An unrelated text is `unknown`: a text is only recognised by a full signature or by an SPDX
//! similarity at or above the confidence threshold.

use super::kb::{Kind, KnowledgeBase};
use aho_corasick::AhoCorasick;
use serde::Serialize;
use spdx::detection::TextData;
use std::collections::HashMap;
use std::sync::OnceLock;

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
}

/// SPDX standard texts and the knowledge-base entry each stands for, in SPDX-id order: the
/// best score wins and a tie goes to the first id, so the same text always gives the same
/// answer (the `spdx` crate's own store breaks ties in hash order).
struct Similarity {
    /// (SPDX id, its standard text, knowledge-base entry index), sorted by id.
    texts: Vec<(String, TextData, usize)>,
}

impl Similarity {
    /// The closest standard text: its id, score and knowledge-base entry.
    fn best(&self, text: &TextData) -> Option<(&str, f32, usize)> {
        let mut best: Option<(&str, f32, usize)> = None;
        for (id, data, entry) in &self.texts {
            let score = data.match_score(text);
            if best.is_none_or(|(_, s, _)| score > s) {
                best = Some((id.as_str(), score, *entry));
            }
        }
        best
    }
}

/// A ready recogniser over one knowledge base.
pub struct Recognizer {
    kb: &'static KnowledgeBase,
    automaton: AhoCorasick,
    signatures: Vec<SignatureRef>,
    phrase_count: usize,
    similarity: OnceLock<Similarity>,
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
                signatures.push(SignatureRef {
                    entry,
                    all,
                    any,
                    none,
                });
            }
        }
        let automaton = AhoCorasick::new(&phrases).expect("phrases build an automaton");

        Recognizer {
            kb,
            automaton,
            signatures,
            phrase_count: phrases.len(),
            similarity: OnceLock::new(),
            memo: Default::default(),
            threshold,
        }
    }

    /// The standard texts of the knowledge base's SPDX licenses, indexed on first use: most
    /// texts are claimed by a signature, so most runs never need them.
    fn similarity(&self) -> &Similarity {
        self.similarity.get_or_init(|| {
            let mut texts: Vec<(String, TextData, usize)> = Vec::new();
            for (index, entry) in self.kb.entries().iter().enumerate() {
                let Some(spdx_id) = &entry.spdx else { continue };
                if texts.iter().any(|(id, _, _)| id == spdx_id) {
                    continue;
                }
                if let Some((name, text)) = spdx::text::LICENSE_TEXTS
                    .iter()
                    .find(|(name, _)| name == spdx_id)
                {
                    texts.push(((*name).to_owned(), TextData::new(text), index));
                }
            }
            texts.sort_by(|a, b| a.0.cmp(&b.0));
            Similarity { texts }
        })
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
        // First occurrence of every phrase, as a byte offset in the normalised text.
        let mut first: Vec<Option<usize>> = vec![None; self.phrase_count];
        for found in self.automaton.find_overlapping_iter(&normalized.text) {
            let slot = &mut first[found.pattern().as_usize()];
            if slot.is_none() {
                *slot = Some(found.start());
            }
        }
        let mut matches: Vec<Match> = Vec::new();
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
            let entry = &self.kb.entries()[sig.entry];
            if matches.iter().any(|m| m.id == entry.id) {
                continue;
            }
            let start = all.iter().copied().min().unwrap_or(0);
            matches.push(Match {
                id: entry.id.clone(),
                kind: entry.kind,
                confidence: 1.0,
                method: Method::Signature,
                line: normalized.line_at(start),
            });
        }
        let mut closest = None;
        let similarity = if matches.is_empty() {
            Some(self.similarity())
        } else {
            None
        };
        if let Some((id, score, entry)) = similarity.and_then(|s| s.best(&TextData::new(text))) {
            let entry = &self.kb.entries()[entry];
            if score >= threshold {
                matches.push(Match {
                    id: entry.id.clone(),
                    kind: entry.kind,
                    confidence: score,
                    method: Method::SpdxText,
                    line: first_text_line(text),
                });
            } else {
                closest = Some((id.to_owned(), score));
            }
        }
        matches.sort_by_key(|m| m.line);
        Recognition { matches, closest }
    }
}

fn first_text_line(text: &str) -> u32 {
    text.lines()
        .position(|l| !l.trim().is_empty())
        .map_or(1, |i| i as u32 + 1)
}

/// A text in the signatures' normal form, with the line each byte came from.
pub struct Normalized {
    /// Lowercase ASCII letters and digits; every other run of characters is one space.
    pub text: String,
    lines: Vec<u32>,
}

impl Normalized {
    fn line_at(&self, offset: usize) -> u32 {
        self.lines.get(offset).copied().unwrap_or(1)
    }
}

/// Lowercases and folds every run of characters that are not ASCII letters or digits to one
/// space (`docs/licenses.md`, "Signatures").
pub fn normalize(text: &str) -> Normalized {
    let mut out = String::with_capacity(text.len());
    let mut lines = Vec::with_capacity(text.len());
    let mut line = 1u32;
    let mut pending_space = false;
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
                lines.push(line);
            }
            pending_space = false;
            out.push(b.to_ascii_lowercase() as char);
            lines.push(line);
        } else {
            if b == b'\n' {
                line += 1;
            }
            pending_space = true;
        }
    }
    Normalized { text: out, lines }
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
    fn normalizes_markup_and_wrapping() {
        assert_eq!(
            normalize("**LLAMA 3.1**\r\n  Community — License").text,
            "llama 3 1 community license"
        );
        let n = normalize("a\n\nb c");
        assert_eq!(n.line_at(2), 3);
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
