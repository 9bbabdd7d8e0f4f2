//! `openness check` as a library. [`Project::open`] reads `openness.toml` and `openness.lock`;
//! [`targets`] merges the policy's `[[models]]` with what `--scan` found (one target per model,
//! with every place it is named) and pins them to the lock with `--locked`; [`audit`] audits them
//! through the same [`Auditor`] path as `audit` and `rank`; [`judge`] hands everything to the
//! policy; [`relock`] is the lock a `--update-lock` run writes and the changes it accepts. The
//! command line reads flags, prints and writes files — nothing else.

use crate::audit::{Auditor, in_order};
use crate::config::LoadError;
use crate::config::read::read_text;
use crate::discover::{self, Limits, ScanError};
use crate::hub::{ModelRef, RepoId};
use crate::licenses::KnowledgeBase;
use crate::limits::MAX_CONFIG_FILE_BYTES;
use crate::policy::lock::LockError;
use crate::policy::{
    self, Audited, Change, Date, FetchError, Location, Lock, ModelInput, Policy, Snapshot, Verdict,
};
use std::path::{Path, PathBuf};

/// Why a check cannot start: every one is a usage error (nothing was audited).
#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(
        "no policy file {file}: create one with `openness init` (it writes a commented {}), or name yours with --policy FILE",
        policy::POLICY_FILE
    )]
    NoPolicy { file: String },
    /// The error names the file.
    #[error(transparent)]
    Read(std::io::Error),
    /// The policy's own diagnostics, each with `file:line:column` and a snippet.
    #[error("{0}")]
    InvalidPolicy(#[source] LoadError),
    #[error(transparent)]
    InvalidLock(#[from] LockError),
    #[error(
        "--locked needs {lock}, which does not exist: run `openness check --update-lock` first"
    )]
    NoLock { lock: String },
    #[error(transparent)]
    Scan(#[from] ScanError),
    #[error(
        "no models to check: {policy} lists no [[models]] (add them; see docs/policy.md){}",
        if *scanned { " and --scan found none" } else { ", or pass --scan PATH to find the models your code loads" }
    )]
    NoModels { policy: String, scanned: bool },
    #[error("--locked: {} not recorded in {lock}; run `openness check --update-lock`", missing.join(", "))]
    NotLocked { missing: Vec<String>, lock: String },
}

/// `openness.toml` and `openness.lock`, read and checked.
#[derive(Clone, Debug)]
pub struct Project {
    pub policy: Policy,
    /// `None` when the lock file does not exist yet.
    pub lock: Option<Lock>,
    pub lock_path: PathBuf,
}

impl Project {
    /// Reads the policy (its `rubric` resolved beside it) and the lock (default: `openness.lock`
    /// beside the policy).
    pub fn open(policy_path: &Path, lock_path: Option<&Path>) -> Result<Project, CheckError> {
        let policy = read_policy(policy_path)?;
        let lock_path = lock_path.map_or_else(
            || {
                policy_path
                    .parent()
                    .unwrap_or(Path::new(""))
                    .join(policy::LOCK_FILE)
            },
            Path::to_path_buf,
        );
        let lock = read_lock(&lock_path)?;
        Ok(Project {
            policy,
            lock,
            lock_path,
        })
    }

    /// The lock file as messages show it.
    pub fn lock_name(&self) -> String {
        display_path(&self.lock_path)
    }
}

fn read_policy(path: &Path) -> Result<Policy, CheckError> {
    let file = display_path(path);
    let text = match read_text(path, MAX_CONFIG_FILE_BYTES) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(CheckError::NoPolicy { file });
        }
        Err(error) => return Err(CheckError::Read(error)),
    };
    // A rubric path in the policy is relative to the policy's folder.
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let resolve = |spec: &str| {
        let builtin = crate::rubric::BUILTIN.iter().any(|(n, _)| *n == spec);
        let spec = if builtin || Path::new(spec).is_absolute() {
            spec.to_owned()
        } else {
            dir.join(spec).to_string_lossy().into_owned()
        };
        crate::rubric::resolve(&spec)
    };
    policy::load(&file, &text, &resolve).map_err(CheckError::InvalidPolicy)
}

fn read_lock(path: &Path) -> Result<Option<Lock>, CheckError> {
    let file = display_path(path);
    match read_text(path, MAX_CONFIG_FILE_BYTES) {
        Ok(text) => Ok(Some(Lock::parse(&file, &text)?)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(CheckError::Read(error)),
    }
}

/// A model to check, with every place it is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub id: RepoId,
    /// The revision to audit: the policy's pin, or the locked commit with `--locked`.
    pub revision: Option<String>,
    /// Its `[[models]]` line, and the source lines `--scan` found.
    pub locations: Vec<Location>,
}

impl Target {
    pub fn model(&self) -> ModelRef {
        ModelRef::Hub {
            id: self.id.clone(),
            revision: self.revision.clone(),
        }
    }
}

/// What to check: the targets, and the scan roots whose walk stopped at a limit (a warning).
#[derive(Clone, Debug, Default)]
pub struct Targets {
    pub targets: Vec<Target>,
    pub truncated: Vec<PathBuf>,
}

/// The models to check: the policy's, then those found under each `scan` root that the policy
/// does not list (ids compare case-insensitively, as on the Hub). With `locked`, each is pinned
/// to the commit the lock records, and a model the lock does not record is an error.
pub fn targets(project: &Project, scan: &[PathBuf], locked: bool) -> Result<Targets, CheckError> {
    if locked && project.lock.is_none() {
        return Err(CheckError::NoLock {
            lock: project.lock_name(),
        });
    }
    let policy = &project.policy;
    let mut out = Targets {
        targets: policy
            .models
            .iter()
            .map(|m| Target {
                id: m.id.clone(),
                revision: m.revision.clone(),
                locations: vec![m.location.clone()],
            })
            .collect(),
        truncated: Vec::new(),
    };
    for root in scan {
        let found = discover::scan(root, &Limits::default())?;
        if found.truncated {
            out.truncated.push(root.clone());
        }
        for found in found.found {
            let location = Location {
                file: display_path(Path::new(&found.file)),
                line: found.line,
            };
            // The policy names models too (`model = …` in [[exceptions]]): not a use.
            if location.file == policy.file {
                continue;
            }
            let same = |t: &&mut Target| t.id.as_str().eq_ignore_ascii_case(found.id.as_str());
            match out.targets.iter_mut().find(same) {
                Some(target) => {
                    if !target.locations.contains(&location) {
                        target.locations.push(location);
                    }
                }
                None => out.targets.push(Target {
                    id: found.id,
                    revision: None,
                    locations: vec![location],
                }),
            }
        }
    }
    if out.targets.is_empty() {
        return Err(CheckError::NoModels {
            policy: policy.file.clone(),
            scanned: !scan.is_empty(),
        });
    }
    if let (true, Some(lock)) = (locked, &project.lock) {
        let mut missing = Vec::new();
        for target in &mut out.targets {
            match lock
                .get(target.id.as_str())
                .and_then(|s| s.revision.clone())
            {
                Some(rev) => target.revision = Some(rev),
                None => missing.push(target.id.to_string()),
            }
        }
        if !missing.is_empty() {
            return Err(CheckError::NotLocked {
                missing,
                lock: project.lock_name(),
            });
        }
    }
    Ok(out)
}

/// Audits every target through the auditor (the policy's rubric, `--license-threshold`,
/// `--concurrency`), in target order. A model that cannot be fetched is a [`FetchError`] for the
/// policy to judge.
pub async fn audit(auditor: &Auditor, targets: Vec<Target>) -> Vec<ModelInput> {
    let worker = auditor.clone();
    in_order(targets, auditor.models_in_flight(), move |target| {
        let auditor = worker.clone();
        async move {
            let model = target.model();
            let result = match auditor.audit_model(&model.display_name(), &model).await {
                Ok(audited) => Ok(Audited {
                    snapshot: Snapshot::of(
                        target.id.as_str(),
                        &audited.release,
                        &audited.scorecard,
                    ),
                    scorecard: audited.scorecard,
                }),
                Err(e) => Err(FetchError::from(&e)),
            };
            ModelInput {
                id: target.id.to_string(),
                revision: target.revision,
                locations: target.locations,
                result,
            }
        }
    })
    .await
}

/// The verdict. With `update_lock` the upstream state is accepted: nothing is compared with the
/// old lock.
pub fn judge(project: &Project, models: &[ModelInput], update_lock: bool, today: Date) -> Verdict {
    let lock = if update_lock {
        None
    } else {
        project.lock.as_ref()
    };
    policy::evaluate(
        &project.policy,
        lock,
        models,
        today,
        KnowledgeBase::embedded(),
    )
}

/// A change since the old lock that `--update-lock` accepts.
#[derive(Clone, Debug)]
pub struct Accepted {
    pub id: String,
    pub change: Change,
}

/// What `--update-lock` writes, and the judged changes it accepts.
#[derive(Clone, Debug)]
pub struct Relock {
    pub lock: Lock,
    pub accepted: Vec<Accepted>,
}

/// The lock after this run: fresh records for the audited models, the old record kept for a
/// model that could not be fetched, models no longer checked dropped.
pub fn relock(project: &Project, models: &[ModelInput]) -> Relock {
    let fresh: Vec<Snapshot> = models
        .iter()
        .filter_map(|m| m.result.as_ref().ok().map(|a| a.snapshot.clone()))
        .collect();
    let keep: Vec<String> = models
        .iter()
        .filter(|m| m.result.is_err())
        .map(|m| m.id.clone())
        .collect();
    let mut accepted = Vec::new();
    if let Some(old) = &project.lock {
        for snapshot in &fresh {
            let Some(before) = old.get(&snapshot.id) else {
                continue;
            };
            for change in policy::compare(before, snapshot) {
                if change.change.and_then(|k| k.rule()).is_some() {
                    accepted.push(Accepted {
                        id: snapshot.id.clone(),
                        change,
                    });
                }
            }
        }
    }
    Relock {
        lock: Lock::updated(project.lock.as_ref(), fresh, &keep),
        accepted,
    }
}

/// A path as SARIF and annotations want it: relative to the current folder when under it, with
/// `/` separators and no leading `./`.
pub fn display_path(path: &Path) -> String {
    let relative = match std::env::current_dir() {
        Ok(cwd) if path.is_absolute() => path.strip_prefix(&cwd).unwrap_or(path).to_path_buf(),
        _ => path.to_path_buf(),
    };
    let text = relative.to_string_lossy().replace('\\', "/");
    let mut text = text.as_str();
    while let Some(rest) = text.strip_prefix("./") {
        text = rest;
    }
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::ModelSpec;

    #[test]
    fn paths_are_shown_relative() {
        assert_eq!(display_path(Path::new("./openness.toml")), "openness.toml");
        assert_eq!(
            display_path(Path::new("sub/openness.toml")),
            "sub/openness.toml"
        );
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(display_path(&cwd.join("x/y.py")), "x/y.py");
    }

    fn project(ids: &[&str], lock: Option<Lock>) -> Project {
        let rubric = crate::rubric::resolve("default").unwrap();
        let mut policy = Policy::new("openness.toml", rubric);
        policy.models = ids
            .iter()
            .enumerate()
            .map(|(i, id)| ModelSpec {
                id: RepoId::parse(id).unwrap(),
                revision: None,
                reason: None,
                purpose: None,
                location: Location {
                    file: "openness.toml".to_owned(),
                    line: i + 1,
                },
            })
            .collect();
        Project {
            policy,
            lock,
            lock_path: PathBuf::from("openness.lock"),
        }
    }

    #[test]
    fn scanned_models_join_the_policy_s_once_with_every_place() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::write(
            dir.path().join("app.py"),
            "a = AutoModel.from_pretrained(\"Acme/Listed\")\nb = AutoModel.from_pretrained(\"beta-lab/new-one\")\n",
        )
        .unwrap();
        let t = targets(
            &project(&["acme/listed"], None),
            &[dir.path().to_path_buf()],
            false,
        )
        .unwrap();
        let ids: Vec<&str> = t.targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["acme/listed", "beta-lab/new-one"]);
        assert_eq!(t.targets[0].locations.len(), 2);
        assert_eq!(t.targets[0].locations[1].line, 1);
        assert!(t.truncated.is_empty());
    }

    #[test]
    fn nothing_to_check_and_unlocked_models_are_errors() {
        let err = targets(&project(&[], None), &[], false).unwrap_err();
        assert!(matches!(err, CheckError::NoModels { scanned: false, .. }));
        let err = targets(&project(&["org/a"], None), &[], true).unwrap_err();
        assert!(matches!(err, CheckError::NoLock { .. }), "{err}");
        let lock = Lock::updated(None, Vec::new(), &[]);
        let err = targets(&project(&["org/a"], Some(lock)), &[], true).unwrap_err();
        assert_eq!(
            err.to_string(),
            "--locked: org/a not recorded in openness.lock; run `openness check --update-lock`"
        );
    }
}
