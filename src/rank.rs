//! Ranking scorecards: the order (`--sort`), filters and cut (`--limit`) of `openness rank`.
//! Pure functions over scorecards.

use crate::rubric::Rubric;
use crate::scorecard::Scorecard;
use std::cmp::Ordering;

/// `--sort` names no key of the ranking.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "cannot sort by `{key}`: it is not score, percent, downloads, model or a dimension of the rubric ({})",
    known.join(", ")
)]
pub struct SortError {
    pub key: String,
    /// The rubric's dimension ids.
    pub known: Vec<String>,
}

/// What to rank by. Numeric keys rank highest first; ties keep model-id order, so the same
/// inputs always give the same ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SortKey {
    /// Total score (the default).
    Score,
    /// Score as a percentage of the maximum (differs from `Score` only across rubrics).
    Percent,
    /// A dimension's score, by dimension id.
    Dimension(String),
    /// Downloads over the last 30 days, as the Hub reports them.
    Downloads,
    /// Model id, alphabetically.
    Model,
}

impl SortKey {
    /// Parses `--sort`: `score`, `percent`, `downloads`, `model`, or a dimension id.
    pub fn parse(raw: &str) -> SortKey {
        match raw {
            "score" => SortKey::Score,
            "percent" => SortKey::Percent,
            "downloads" => SortKey::Downloads,
            "model" | "id" | "name" => SortKey::Model,
            other => SortKey::Dimension(other.to_owned()),
        }
    }
}

impl SortKey {
    /// Parses `--sort` and checks a dimension id against the rubric, before anything is audited.
    pub fn for_rubric(raw: &str, rubric: &Rubric) -> Result<SortKey, SortError> {
        let key = SortKey::parse(raw);
        match &key {
            SortKey::Dimension(id) if !rubric.dimensions.iter().any(|d| d.id == *id) => {
                Err(SortError {
                    key: id.clone(),
                    known: rubric.dimensions.iter().map(|d| d.id.clone()).collect(),
                })
            }
            _ => Ok(key),
        }
    }
}

/// What a ranking sorts by: a scorecard, or one kept packed while a large ranking is gathered
/// (`report::packed`).
pub trait Rankable {
    fn model(&self) -> &str;
    fn score(&self) -> f64;
    fn percent(&self) -> f64;
    fn downloads(&self) -> Option<u64>;
    /// A dimension's score, by dimension id.
    fn dimension(&self, id: &str) -> Option<f64>;
    fn dimension_ids(&self) -> Vec<String>;
}

impl Rankable for Scorecard {
    fn model(&self) -> &str {
        &self.model
    }
    fn score(&self) -> f64 {
        self.score
    }
    fn percent(&self) -> f64 {
        self.percent
    }
    fn downloads(&self) -> Option<u64> {
        self.downloads
    }
    fn dimension(&self, id: &str) -> Option<f64> {
        self.dimensions.iter().find(|d| d.id == id).map(|d| d.score)
    }
    fn dimension_ids(&self) -> Vec<String> {
        self.dimensions.iter().map(|d| d.id.clone()).collect()
    }
}

/// Sorts in place. An unknown dimension id is an error naming the dimensions there are.
pub fn sort<T: Rankable>(cards: &mut [T], key: &SortKey) -> Result<(), SortError> {
    if let SortKey::Dimension(id) = key
        && let Some(card) = cards.iter().find(|c| c.dimension(id).is_none())
    {
        return Err(SortError {
            key: id.clone(),
            known: card.dimension_ids(),
        });
    }
    let desc = |a: f64, b: f64| b.total_cmp(&a);
    cards.sort_by(|a, b| {
        let primary = match key {
            SortKey::Score => desc(a.score(), b.score()),
            SortKey::Percent => desc(a.percent(), b.percent()),
            SortKey::Dimension(id) => desc(
                a.dimension(id).unwrap_or(0.0),
                b.dimension(id).unwrap_or(0.0),
            ),
            SortKey::Downloads => b.downloads().unwrap_or(0).cmp(&a.downloads().unwrap_or(0)),
            SortKey::Model => Ordering::Equal,
        };
        primary.then_with(|| a.model().cmp(b.model()))
    });
    Ok(())
}

/// `--shard I/N`: the share of a ranking one of N runners takes. A model belongs to shard
/// `1 + (FNV-1a 64 of its lowercased id) mod N`, so the same id falls in the same shard on every
/// machine, whatever listing or file it came from and in whatever order, and the N shards
/// together hold every model exactly once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

/// `--shard` is not `I/N` with 1 ≤ I ≤ N.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("--shard `{0}`: expected I/N with 1 ≤ I ≤ N (for example 1/4 … 4/4)")]
pub struct ShardError(pub String);

impl Shard {
    pub fn parse(raw: &str) -> Result<Shard, ShardError> {
        let err = || ShardError(raw.to_owned());
        let (i, n) = raw.split_once('/').ok_or_else(err)?;
        let index: u32 = i.trim().parse().map_err(|_| err())?;
        let count: u32 = n.trim().parse().map_err(|_| err())?;
        if index == 0 || count == 0 || index > count {
            return Err(err());
        }
        Ok(Shard { index, count })
    }

    /// Whether model `id` belongs to this shard.
    pub fn contains(&self, id: &str) -> bool {
        shard_of(id, self.count) == self.index
    }
}

/// The 1-based shard of `id` among `count`.
pub fn shard_of(id: &str, count: u32) -> u32 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in id.to_ascii_lowercase().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    1 + (hash % u64::from(count.max(1))) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_id_once_and_ignore_case() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1", "a/b", "1/0"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        let ids: Vec<String> = (0..1000)
            .map(|i| format!("org-{}/model-{i}", i % 7))
            .collect();
        let shards: Vec<Shard> = (1..=4).map(|i| Shard { index: i, count: 4 }).collect();
        let mut sizes = [0usize; 4];
        for id in &ids {
            let owners: Vec<usize> = (0..4).filter(|&s| shards[s].contains(id)).collect();
            assert_eq!(owners.len(), 1, "{id}");
            sizes[owners[0]] += 1;
            assert!(shards[owners[0]].contains(&id.to_uppercase()));
        }
        assert!(sizes.iter().all(|&n| n > 200), "{sizes:?}");
        // The hash is part of the contract (docs/census.md): pinned.
        assert_eq!(
            shard_of("deepseek-ai/DeepSeek-R1", 4),
            shard_of("DEEPSEEK-AI/deepseek-r1", 4)
        );
        assert_eq!(shard_of("a", 1), 1);
    }

    #[test]
    fn parses_sort_keys() {
        assert_eq!(SortKey::parse("score"), SortKey::Score);
        assert_eq!(
            SortKey::parse("license"),
            SortKey::Dimension("license".into())
        );
    }

    #[test]
    fn a_dimension_the_rubric_lacks_is_refused_before_any_audit() {
        let rubric = crate::rubric::resolve("default").unwrap();
        assert_eq!(
            SortKey::for_rubric("license", &rubric),
            Ok(SortKey::Dimension("license".into()))
        );
        let err = SortKey::for_rubric("licence", &rubric).unwrap_err();
        assert!(err.known.contains(&"license".to_owned()), "{err}");
        assert!(err.to_string().starts_with("cannot sort by `licence`"));
    }
}
