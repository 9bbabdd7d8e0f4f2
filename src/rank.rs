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

fn dimension_score(card: &Scorecard, id: &str) -> Option<f64> {
    card.dimensions.iter().find(|d| d.id == id).map(|d| d.score)
}

/// Sorts in place. An unknown dimension id is an error naming the dimensions there are.
pub fn sort(cards: &mut [Scorecard], key: &SortKey) -> Result<(), SortError> {
    if let SortKey::Dimension(id) = key
        && let Some(card) = cards.iter().find(|c| dimension_score(c, id).is_none())
    {
        return Err(SortError {
            key: id.clone(),
            known: card.dimensions.iter().map(|d| d.id.clone()).collect(),
        });
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
