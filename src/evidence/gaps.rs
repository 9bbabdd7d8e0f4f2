//! Why a fact is missing, and what would establish it. A criterion is `unknown` only when a fact
//! it needs could not be read; the scorecard then names the fact and the remedy (`--token`, a
//! retry, an online run) instead of leaving the reader to guess.

use super::keys::{Key, Needs};
use crate::hub::related::DatasetCard;
use crate::hub::{FileContent, Lookup, Origin, Release, Unreadable};

/// Why `key` has no fact for this release, and how to get it.
pub fn why_absent(release: &Release, key: Key) -> String {
    let offline = matches!(release.origin, Origin::Cache { .. });
    let not_looked_up = |what: &str| {
        if offline {
            format!("{what} was not in the local cache: run once online, then offline again")
        } else if matches!(release.origin, Origin::Local { .. }) {
            format!("{what} is not looked up for a local folder: audit the Hub id instead")
        } else {
            format!(
                "{what} was not looked up (rank reads only what its rubric needs, or the lookup was cut at its limit): audit the model alone"
            )
        }
    };
    match key.needs() {
        Needs::Release => release_gap(release),
        Needs::Refs => match (&release.related.branches, &release.related.branches_failed) {
            (None, Some(why)) => format!(
                "the lookup of the branches failed after its retries ({why}): retrying may help"
            ),
            (None, None) => not_looked_up("the list of branches"),
            (Some(_), _) => "the branches were read but did not decide it".to_owned(),
        },
        Needs::Datasets | Needs::DatasetCards => match &release.related.datasets {
            None => not_looked_up("the named datasets' metadata"),
            // Nothing named: the card that names them may itself be unreadable.
            Some(lookups) if lookups.is_empty() => release_gap(release),
            Some(lookups)
                if lookups.iter().any(|l| {
                    matches!(l.lookup, Lookup::NotCached)
                        || matches!(l.card, Some(DatasetCard::NotCached))
                }) =>
            {
                not_looked_up("the named datasets' metadata")
            }
            Some(lookups) => {
                let failed: Vec<&str> = lookups
                    .iter()
                    .filter(|l| {
                        matches!(l.lookup, Lookup::Failed(_))
                            || matches!(l.card, Some(DatasetCard::Unread(_)))
                    })
                    .map(|l| l.id.as_str())
                    .collect();
                if failed.is_empty() {
                    "no named dataset's card could be read (the datasets are gated or private)"
                        .to_owned()
                } else {
                    format!(
                        "the lookup of {} failed after its retries: retrying may help",
                        failed.join(", ")
                    )
                }
            }
        },
        Needs::CodeHost => code_host_gap(release, offline),
        Needs::Lineage => match &release.related.lineage {
            None => not_looked_up("the base models"),
            Some(lineage) => {
                let unread: Vec<&str> = lineage
                    .ancestors
                    .iter()
                    .filter(|a| a.lookup.info().is_none())
                    .map(|a| a.id.as_str())
                    .collect();
                if unread.is_empty() {
                    "the base models were read but did not decide it".to_owned()
                } else {
                    format!(
                        "base model {} could not be read (missing, gated or failed): with access, pass a token; else retrying may help",
                        unread.join(", ")
                    )
                }
            }
        },
    }
}

/// Why a fact of the linked code repositories is missing (docs/code-host.md).
fn code_host_gap(release: &Release, offline: bool) -> String {
    use crate::hub::github::{RepoLookup, Unread};
    let Some(repos) = &release.related.code else {
        return "the linked code repositories were not read on GitHub (--no-code-host, OPENNESS_NO_CODE_HOST, or a rubric that does not need them): the card's reading stands in".to_owned();
    };
    if repos.is_empty() {
        // Nothing linked that could be read: the card itself was not readable.
        return release_gap(release);
    }
    let mut reasons: Vec<String> = Vec::new();
    for repo in repos {
        let RepoLookup::Unread(why) = &repo.lookup else {
            continue;
        };
        let reason = match why {
            Unread::Quota { reset, with_token } => {
                super::findings::quota_message(*reset, *with_token)
            }
            Unread::Failed(detail) => format!("reading failed ({detail}): retrying may help"),
            Unread::NotCached if offline => {
                "not in the disk cache: run once online, then offline again".to_owned()
            }
            Unread::NotCached => "not in the disk cache".to_owned(),
        };
        reasons.push(format!("{}: {reason}", repo.url));
    }
    if reasons.is_empty() {
        "the linked repositories were read but did not decide it".to_owned()
    } else {
        reasons.join("; ")
    }
}

/// Why a fact of the release itself is missing: its card or license files could not be read.
fn release_gap(release: &Release) -> String {
    // The card first: most facts are read from it.
    let unreadable = release
        .files
        .iter()
        .filter_map(|f| match &f.content {
            FileContent::Unreadable(why) => Some((f.path.as_str(), why)),
            FileContent::Text { .. } => None,
        })
        .min_by_key(|(path, _)| !path.eq_ignore_ascii_case("README.md"));
    match unreadable {
        Some((path, Unreadable::Gated)) => format!(
            "{path} is gated: accept the conditions on the model page, then pass a token (--token or HF_TOKEN)"
        ),
        Some((path, Unreadable::NotCached)) => {
            format!("{path} is not in the local cache: run once online, then offline again")
        }
        Some((path, Unreadable::Refused { status })) => {
            format!("{path} was refused with HTTP {status}: retrying may help")
        }
        Some((path, Unreadable::Missing)) => {
            format!("{path} is listed but could not be downloaded: retrying may help")
        }
        None if release.readme().is_none() => {
            "the release has no readable model card (README.md)".to_owned()
        }
        None => "the release does not state it".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::keys;
    use crate::hub::ModelInfo;
    use crate::hub::related::{DatasetLookup, Related};

    fn release(origin: Origin, related: Related) -> Release {
        Release {
            id: "lab/model".into(),
            revision: None,
            origin,
            info: ModelInfo::from_json(&serde_json::json!({"id": "lab/model"})).unwrap(),
            has_api_metadata: true,
            files: Vec::new(),
            related,
            retrieval: Default::default(),
        }
    }

    fn hub() -> Origin {
        Origin::Hub {
            endpoint: "https://huggingface.co".into(),
        }
    }

    #[test]
    fn a_failed_dataset_lookup_says_retry() {
        let related = Related {
            datasets: Some(vec![DatasetLookup {
                id: "lab/data".into(),
                lookup: Lookup::Failed("HTTP 500".into()),
                card: None,
            }]),
            ..Related::default()
        };
        let why = why_absent(&release(hub(), related), keys::DATA_AVAILABILITY);
        assert!(
            why.contains("lab/data") && why.contains("retrying may help"),
            "{why}"
        );
    }

    #[test]
    fn offline_says_run_online_and_rank_says_audit_alone() {
        let cached = Origin::Cache {
            path: "/tmp/hub".into(),
        };
        let why = why_absent(&release(cached, Related::default()), keys::BASE_WEIGHTS);
        assert!(why.contains("run once online"), "{why}");
        let why = why_absent(
            &release(hub(), Related::default()),
            keys::CHECKPOINTS_PUBLISHED,
        );
        assert!(why.contains("audit the model alone"), "{why}");
    }
}
