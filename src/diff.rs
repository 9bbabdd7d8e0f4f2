//! `openness diff` as a library: two revisions of a model, audited through the same
//! [`Auditor`] path as `audit` (rubric, `--license-threshold`, `--concurrency`), recorded as
//! `openness.lock` records them and compared with the comparison `check` makes against the lock.

use crate::audit::{Auditor, in_order};
use crate::hub::model_ref::{InvalidRevision, ModelRefError, validate_revision};
use crate::hub::{HubError, ModelRef};
use crate::policy::{Change, Snapshot, snapshot};

/// Why the two sides cannot be named: usage errors.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(
        "name two revisions: `openness diff MODEL@REV_A MODEL@REV_B`, or `openness diff MODEL --since REV`"
    )]
    OneSide,
    #[error("with --since REV, name the model without @REVISION")]
    SinceWithRevision,
    #[error("--since REV compares revisions of a Hub model; `{0}` is a folder")]
    SinceFolder(String),
    #[error("--since `{revision}`: {reason}")]
    Since {
        revision: String,
        reason: InvalidRevision,
    },
    #[error(transparent)]
    Model(#[from] ModelRefError),
}

/// One side of a comparison: the model as the user named it, and what that names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    pub input: String,
    pub model: ModelRef,
}

/// The two sides from `MODEL@REV_A MODEL@REV_B`, or `MODEL --since REV` (then the second side is
/// `MODEL` now, unless named).
pub fn sides(
    auditor: &Auditor,
    from: &str,
    to: Option<&str>,
    since: Option<&str>,
) -> Result<[Side; 2], DiffError> {
    let side = |input: &str| -> Result<Side, DiffError> {
        Ok(Side {
            input: input.to_owned(),
            model: auditor.model_ref(input)?,
        })
    };
    match (since, to) {
        (Some(rev), to) => {
            let now = side(from)?;
            let id = match &now.model {
                ModelRef::Hub {
                    revision: Some(_), ..
                } => {
                    return Err(DiffError::SinceWithRevision);
                }
                ModelRef::Hub { id, revision: None } => id.clone(),
                ModelRef::Local { .. } => return Err(DiffError::SinceFolder(from.to_owned())),
            };
            validate_revision(rev).map_err(|reason| DiffError::Since {
                revision: rev.to_owned(),
                reason,
            })?;
            let before = ModelRef::Hub {
                id,
                revision: Some(rev.to_owned()),
            };
            let before = Side {
                input: format!("{from}@{rev}"),
                model: before,
            };
            let after = match to {
                Some(to) => side(to)?,
                None => now,
            };
            Ok([before, after])
        }
        (None, Some(to)) => Ok([side(from)?, side(to)?]),
        (None, None) => Err(DiffError::OneSide),
    }
}

/// The two records and what changed between them.
#[derive(Clone, Debug)]
pub struct Comparison {
    pub before: Snapshot,
    pub after: Snapshot,
    pub rows: Vec<Change>,
}

/// Audits both sides at once. Either side failing is an error: there is nothing to compare.
pub async fn compare(auditor: &Auditor, sides: [Side; 2]) -> Result<Comparison, Vec<HubError>> {
    let worker = auditor.clone();
    let results = in_order(sides.to_vec(), auditor.models_in_flight(), move |side| {
        let auditor = worker.clone();
        async move {
            let audited = auditor.audit_model(&side.input, &side.model).await?;
            let id = match &side.model {
                ModelRef::Hub { id, .. } => id.to_string(),
                ModelRef::Local { .. } => side.model.display_name(),
            };
            Ok::<_, HubError>(Snapshot::of(&id, &audited.release, &audited.scorecard))
        }
    })
    .await;
    let mut snapshots = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(snapshot) => snapshots.push(snapshot),
            Err(e) => errors.push(e),
        }
    }
    match <[Snapshot; 2]>::try_from(snapshots) {
        Ok([before, after]) if errors.is_empty() => Ok(Comparison {
            rows: snapshot::rows(&before, &after),
            before,
            after,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::{HubSettings, RepoId, SettingsOverrides};

    fn auditor() -> Auditor {
        let overrides = SettingsOverrides {
            offline: true,
            ..SettingsOverrides::default()
        };
        let settings = HubSettings::resolve(&overrides, &|_| None).unwrap();
        Auditor::new(settings, crate::rubric::resolve("default").unwrap()).unwrap()
    }

    fn hub(id: &str, revision: Option<&str>) -> ModelRef {
        ModelRef::Hub {
            id: RepoId::parse(id).unwrap(),
            revision: revision.map(str::to_owned),
        }
    }

    #[test]
    fn since_compares_a_revision_with_now() {
        let a = auditor();
        let [before, after] = sides(&a, "org/m", None, Some("v1")).unwrap();
        assert_eq!(before.model, hub("org/m", Some("v1")));
        assert_eq!(before.input, "org/m@v1");
        assert_eq!(after.model, hub("org/m", None));
        let [_, after] = sides(&a, "org/m", Some("org/m@v2"), Some("v1")).unwrap();
        assert_eq!(after.model, hub("org/m", Some("v2")));
    }

    #[test]
    fn sides_that_name_no_revision_pair_are_usage_errors() {
        let a = auditor();
        assert!(matches!(
            sides(&a, "org/m@v1", None, None),
            Err(DiffError::OneSide)
        ));
        assert!(matches!(
            sides(&a, "org/m@v1", None, Some("v0")),
            Err(DiffError::SinceWithRevision)
        ));
        assert!(matches!(
            sides(&a, "org/m", None, Some("")),
            Err(DiffError::Since { .. })
        ));
        assert!(matches!(
            sides(&a, "a/b/c", Some("org/m"), None),
            Err(DiffError::Model(ModelRefError::NotAnId { .. }))
        ));
    }
}
