//! Training hardware and compute in the card (`data/compute.toml`): accelerator kinds and
//! counts, training time and compute volume, clusters, emissions — read only where the card
//! talks about training, never from "we recommend a single 8xH100 instance".

use super::facts::Evidence;
use super::keys::{self, Key};
use super::provenance::Provenance;
use super::recognition::fold;
use super::topics::Reading;
use serde::Deserialize;
use std::collections::HashSet;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/compute.toml");

#[derive(Debug, Deserialize)]
pub struct Compute {
    pub accelerators: Vec<Accelerator>,
    pub counts: Counts,
    pub time: Time,
    pub cluster: PhraseList,
    pub emissions: PhraseList,
    pub context: Context,
}

#[derive(Debug, Deserialize)]
pub struct Accelerator {
    pub kind: String,
    pub names: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Counts {
    pub joiners: Vec<String>,
    pub skip: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct Time {
    pub units: Vec<String>,
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct PhraseList {
    pub phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Context {
    pub training_context: Vec<String>,
    pub inference_context: Vec<String>,
}

pub fn table() -> &'static Compute {
    static TABLE: OnceLock<Compute> = OnceLock::new();
    TABLE.get_or_init(|| toml::from_str(SOURCE).expect("data/compute.toml is valid (tested)"))
}

/// Topics whose text is about how the model was trained (a mention there needs no other
/// training word).
const TRAINING_TOPICS: &[&str] = &[
    "hardware",
    "compute",
    "training-procedure",
    "hyperparameters",
];

/// One accelerator mention: the name as written (folded), its kind, and a count if stated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub name: String,
    pub kind: String,
    pub count: Option<u64>,
    pub line: u32,
}

pub(super) fn collect(reading: &Reading, ev: &mut Evidence) {
    let table = table();
    let mut mentions: Vec<Mention> = Vec::new();
    let mut time = Quotes::default();
    let mut cluster = Quotes::default();
    let mut emissions = Quotes::default();
    for (i, block) in reading.blocks.iter().enumerate() {
        let topics: Vec<&str> = reading.block_topics[i]
            .iter()
            .map(|&t| super::topics::table().topics[t].id.as_str())
            .collect();
        let in_training_topic = topics.iter().any(|t| TRAINING_TOPICS.contains(t));
        let lines = block.prose.lines().chain(block.code.lines());
        for (offset, line) in lines.enumerate() {
            // Block text lines are not numbered; the block's own line is the provenance.
            let _ = offset;
            let folded = fold(&split_multiplied(line));
            if folded.is_empty() {
                continue;
            }
            let padded = format!(" {folded} ");
            let says = |phrases: &[String]| {
                phrases
                    .iter()
                    .any(|p| padded.contains(&format!(" {}", fold(p))))
            };
            let training = in_training_topic || says(&table.context.training_context);
            if !training || (!in_training_topic && says(&table.context.inference_context)) {
                continue;
            }
            mentions.extend(read_mentions(&folded, block.line));
            let padded_units = |phrases: &[String]| {
                phrases
                    .iter()
                    .any(|p| padded.contains(&format!(" {} ", fold(p))))
            };
            if padded_units(&table.time.units) || padded_units(&table.time.phrases) {
                push_unique(&mut time, line.trim(), block.line);
            }
            if padded_units(&table.cluster.phrases) {
                push_unique(&mut cluster, line.trim(), block.line);
            }
            if padded_units(&table.emissions.phrases) {
                push_unique(&mut emissions, line.trim(), block.line);
            }
        }
    }
    let at = |line: Option<u32>| Provenance::file("README.md", line);
    let mut seen = HashSet::new();
    let unique: Vec<String> = mentions
        .iter()
        .map(describe)
        .filter(|d| seen.insert(d.clone()))
        .collect();
    let mut seen = HashSet::new();
    let lines: Vec<Provenance> = mentions
        .iter()
        .filter(|m| seen.insert(m.line))
        .map(|m| at(Some(m.line)))
        .collect();
    let named = mentions.iter().any(|m| m.kind != "generic");
    let counted = mentions.iter().any(|m| m.count.is_some());
    let named_and_counted = mentions
        .iter()
        .any(|m| m.kind != "generic" && m.count.is_some());
    let summary = if named_and_counted {
        "kind-and-count"
    } else if named {
        "kind"
    } else if counted {
        "count"
    } else {
        "none"
    };
    let provenance = if lines.is_empty() {
        vec![at(None)]
    } else {
        lines
    };
    ev.set_from(keys::COMPUTE_ACCELERATORS, unique, provenance.clone());
    ev.set_from(keys::COMPUTE_HARDWARE, summary, provenance);
    set_lines(ev, keys::COMPUTE_TIME, time.found);
    set_lines(ev, keys::COMPUTE_CLUSTER, cluster.found);
    set_lines(ev, keys::COMPUTE_EMISSIONS, emissions.found);
}

fn set_lines(ev: &mut Evidence, key: Key, found: Vec<(String, u32)>) {
    let provenance = if found.is_empty() {
        vec![Provenance::file("README.md", None)]
    } else {
        found
            .iter()
            .map(|(_, line)| Provenance::file("README.md", Some(*line)))
            .collect()
    };
    ev.set_from(
        key,
        found.into_iter().map(|(t, _)| t).collect::<Vec<_>>(),
        provenance,
    );
}

/// Longest quoted line kept in a compute reading.
const MAX_QUOTE: usize = 160;

/// Quotes found, in order, with the set of those already kept (a dedup in O(1), not a scan).
#[derive(Default)]
struct Quotes {
    found: Vec<(String, u32)>,
    seen: HashSet<String>,
}

fn push_unique(out: &mut Quotes, line: &str, at: u32) {
    let mut quote: String = line.chars().take(MAX_QUOTE).collect();
    if quote.len() < line.len() {
        quote.push('…');
    }
    if out.seen.insert(quote.clone()) {
        out.found.push((quote, at));
    }
}

fn describe(m: &Mention) -> String {
    match m.count {
        Some(n) => format!("{} × {n}", m.name),
        None => m.name.clone(),
    }
}

/// "8xA100" → "8 x A100", "64x8xH100" → "64 x 8 x H100" (before folding, which keeps `8xa100`
/// as one word).
fn split_multiplied(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let chars: Vec<char> = line.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev_digit = i > 0 && chars[i - 1].is_ascii_digit();
        let next_alnum = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let next_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c == ',' && prev_digit && next_digit {
            // "1,024 GPUs" is one number.
            continue;
        }
        if c == '×' || (matches!(c, 'x' | 'X') && prev_digit && next_alnum) {
            out.push_str(" x ");
        } else {
            out.push(c);
        }
    }
    out
}

/// The accelerator mentions in one folded line.
fn read_mentions(folded: &str, line: u32) -> Vec<Mention> {
    let table = table();
    let words: Vec<&str> = folded.split(' ').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some((kind, name, len)) = name_at(&words, i) else {
            i += 1;
            continue;
        };
        let count = count_before(&words, i).or_else(|| count_after(&words, i + len));
        // A generic word ("gpus", "nodes") is hardware only with a count.
        if kind != "generic" || count.is_some() {
            out.push(Mention {
                name: name.to_owned(),
                kind: kind.to_owned(),
                count,
                line,
            });
        }
        i += len;
    }
    let _ = table;
    out
}

/// Every accelerator name, folded and split into words once: (kind, name, words).
fn folded_names() -> &'static [(&'static str, &'static str, Vec<String>)] {
    static NAMES: OnceLock<Vec<(&'static str, &'static str, Vec<String>)>> = OnceLock::new();
    NAMES.get_or_init(|| {
        table()
            .accelerators
            .iter()
            .flat_map(|acc| {
                acc.names.iter().map(move |name| {
                    let parts = fold(name).split(' ').map(str::to_owned).collect();
                    (acc.kind.as_str(), name.as_str(), parts)
                })
            })
            .collect()
    })
}

/// The longest accelerator name starting at word `i`: (kind, name, words).
fn name_at(words: &[&str], i: usize) -> Option<(&'static str, &'static str, usize)> {
    let mut best: Option<(&str, &str, usize)> = None;
    for (kind, name, parts) in folded_names() {
        let len = parts.len();
        if i + len <= words.len()
            && words[i..i + len].iter().zip(parts).all(|(w, p)| w == p)
            && best.is_none_or(|(_, _, l)| len > l)
        {
            best = Some((kind, name, len));
        }
    }
    best
}

fn number(word: &str) -> Option<u64> {
    if let Some(k) = word.strip_suffix('k') {
        return k.parse::<u64>().ok().map(|n| n.saturating_mul(1000));
    }
    word.parse().ok()
}

/// "64 x 8 x a100", "512 nvidia a100", "8 cards": the count right before word `i`.
fn count_before(words: &[&str], i: usize) -> Option<u64> {
    let table = table();
    let is_joiner = |w: &str| table.counts.joiners.iter().any(|x| x == w);
    let mut j = i;
    // Vendor and size words, then at most one joiner, between the count and the name.
    while j > 0 && table.counts.skip.iter().any(|s| s == words[j - 1]) {
        j -= 1;
    }
    if j > 0 && is_joiner(words[j - 1]) {
        j -= 1;
    }
    let mut product: Option<u64> = None;
    while j > 0 {
        let Some(n) = number(words[j - 1]) else { break };
        product = Some(product.unwrap_or(1).saturating_mul(n));
        j -= 1;
        if j > 1 && is_joiner(words[j - 1]) && number(words[j - 2]).is_some() {
            j -= 1;
        } else {
            break;
        }
    }
    product.filter(|&n| n > 0)
}

/// "a100 x 8", "gpus 8" (from "GPUs: 8"): the count right after the name.
fn count_after(words: &[&str], i: usize) -> Option<u64> {
    let table = table();
    let mut j = i;
    while j < words.len() && table.counts.joiners.iter().any(|x| x == words[j]) {
        j += 1;
    }
    words.get(j).and_then(|w| number(w)).filter(|&n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Value, topics};

    fn read(body: &str) -> Evidence {
        let reading = topics::read(body, 1);
        let mut ev = Evidence::default();
        collect(&reading, &mut ev);
        ev
    }

    #[test]
    fn kinds_and_counts_in_training_context() {
        let ev = read("## Training\n\n- **Hardware:** 64 x 8 x A100 GPUs, for 21 days\n");
        assert_eq!(ev.str(keys::COMPUTE_HARDWARE), Some("kind-and-count"));
        assert_eq!(
            ev.value(keys::COMPUTE_ACCELERATORS),
            Some(&Value::List(vec!["a100 × 512".into()]))
        );
        let ev = read("The model was trained on 8xH100 for two weeks.\n");
        assert_eq!(ev.list(keys::COMPUTE_ACCELERATORS), ["h100 × 8"]);
        let ev = read("## Training hyperparameters\n\n```\nnum_devices: 8\n```\n");
        assert_eq!(ev.str(keys::COMPUTE_HARDWARE), Some("count"));
    }

    #[test]
    fn inference_hardware_is_not_training_hardware() {
        let ev = read("## Usage\n\nWe recommend a single 8xH100 instance to run the model.\n");
        assert_eq!(ev.str(keys::COMPUTE_HARDWARE), Some("none"));
        let ev = read("It requires a GPU with 48GB memory.\n");
        assert_eq!(ev.str(keys::COMPUTE_HARDWARE), Some("none"));
    }

    #[test]
    fn time_and_emissions() {
        let ev = read(
            "## Environmental Impact\n\n- **Hours used:** 1,000 GPU hours\n- **Carbon Emitted:** 12 tCO2eq\n",
        );
        assert_eq!(ev.list(keys::COMPUTE_TIME).len(), 1);
        assert_eq!(ev.list(keys::COMPUTE_EMISSIONS).len(), 1);
    }
}
