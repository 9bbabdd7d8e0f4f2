//! Ranking scorecards: the order (`--sort`), filters and cut (`--limit`) of `openness rank`.
//! Pure functions over scorecards.

use crate::scorecard::Scorecard;
use std::cmp::Ordering;

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

fn dimension_score(card: &Scorecard, id: &str) -> Option<f64> {
    card.dimensions.iter().find(|d| d.id == id).map(|d| d.score)
}

/// Sorts in place. An unknown dimension id is an error naming the dimensions there are.
pub fn sort(cards: &mut [Scorecard], key: &SortKey) -> Result<(), String> {
    if let SortKey::Dimension(id) = key
        && let Some(card) = cards.iter().find(|c| dimension_score(c, id).is_none())
    {
        let known: Vec<&str> = card.dimensions.iter().map(|d| d.id.as_str()).collect();
        return Err(format!(
            "cannot sort by `{id}`: it is not score, percent, downloads, model or a dimension of the rubric ({})",
            known.join(", ")
        ));
    }
    let by_model = |a: &Scorecard, b: &Scorecard| a.model.cmp(&b.model);
    let desc = |a: f64, b: f64| b.total_cmp(&a);
    cards.sort_by(|a, b| {
        let primary = match key {
            SortKey::Score => desc(a.score, b.score),
            SortKey::Percent => desc(a.percent, b.percent),
            SortKey::Dimension(id) => desc(
                dimension_score(a, id).unwrap_or(0.0),
                dimension_score(b, id).unwrap_or(0.0),
            ),
            SortKey::Downloads => b.downloads.unwrap_or(0).cmp(&a.downloads.unwrap_or(0)),
            SortKey::Model => Ordering::Equal,
        };
        primary.then_with(|| by_model(a, b))
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sort_keys() {
        assert_eq!(SortKey::parse("score"), SortKey::Score);
        assert_eq!(
            SortKey::parse("license"),
            SortKey::Dimension("license".into())
        );
    }
}
