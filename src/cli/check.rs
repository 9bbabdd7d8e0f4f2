//! `openness check`: audit the models `openness.toml` lists (and those `--scan` finds), judge
//! them with its policy and `openness.lock`, and exit with the verdict.

use super::{Exit, GlobalArgs};
use clap::Args;
use openness::audit::{Auditor, score};
use openness::hub::{HubError, Release};
use openness::licenses::KnowledgeBase;
use openness::policy::discover::{self, Limits};
use openness::policy::{self, Date, Location, Lock, ModelInput, Policy, Snapshot};
use openness::policy::{Audited, FetchError};
use openness::report::check::{self, CheckFormat};
use openness::text::sanitize::terminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The policy: the models the project depends on and what it accepts.
    #[arg(long, default_value = policy::POLICY_FILE, value_name = "FILE")]
    pub policy: PathBuf,
    /// The lock file (default: openness.lock beside the policy).
    #[arg(long, value_name = "FILE")]
    pub lock: Option<PathBuf>,
    /// Record what was audited in the lock file, accepting what changed upstream since.
    #[arg(long, conflicts_with = "locked")]
    pub update_lock: bool,
    /// Audit exactly the commits recorded in the lock file.
    #[arg(long)]
    pub locked: bool,
    /// Also check the models the code under PATH loads (Python, Rust hf-hub, YAML/JSON/TOML
    /// configs); repeatable.
    #[arg(long, value_name = "PATH")]
    pub scan: Vec<PathBuf>,
    /// Output format (default: from the -o file's extension — .sarif, .xml (JUnit), .json — else
    /// table).
    #[arg(long, short, value_enum)]
    pub format: Option<CheckFormat>,
    /// Write the report to FILE instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// A model to check, with where it is named.
struct Target {
    id: String,
    revision: Option<String>,
    locations: Vec<Location>,
}

pub fn run(args: &CheckArgs, global: &GlobalArgs) -> Exit {
    let policy = match read_policy(&args.policy) {
        Ok(policy) => policy,
        Err(exit) => return exit,
    };
    let lock_path = args.lock.clone().unwrap_or_else(|| {
        args.policy
            .parent()
            .unwrap_or(Path::new(""))
            .join(policy::LOCK_FILE)
    });
    let lock = match read_lock(&lock_path) {
        Ok(lock) => lock,
        Err(e) => {
            super::error(&e);
            return Exit::Usage;
        }
    };
    if args.locked && lock.is_none() {
        super::error(&format!(
            "--locked needs {}, which does not exist: run `openness check --update-lock` first",
            display(&lock_path)
        ));
        return Exit::Usage;
    }

    let mut targets: Vec<Target> = policy
        .models
        .iter()
        .map(|m| Target {
            id: m.id.clone(),
            revision: m.revision.clone(),
            locations: vec![m.location.clone()],
        })
        .collect();
    for root in &args.scan {
        let scan = match discover::scan(root, &Limits::default()) {
            Ok(scan) => scan,
            Err(e) => {
                super::error(&e);
                return Exit::Usage;
            }
        };
        if scan.truncated && !global.quiet {
            eprintln!(
                "warning: --scan {} stopped at its depth or file limit; name the folders that hold your code",
                root.display()
            );
        }
        for found in scan.found {
            let location = Location {
                file: display(Path::new(&found.file)),
                line: found.line,
            };
            // The policy names models too (`model = …` in [[exceptions]]): not a use.
            if location.file == policy.file {
                continue;
            }
            match targets
                .iter_mut()
                .find(|t| t.id.eq_ignore_ascii_case(&found.id))
            {
                Some(target) => {
                    if !target.locations.contains(&location) {
                        target.locations.push(location);
                    }
                }
                None => targets.push(Target {
                    id: found.id,
                    revision: None,
                    locations: vec![location],
                }),
            }
        }
    }
    if targets.is_empty() {
        super::error(&format!(
            "no models to check: {} lists no [[models]] (add them; see docs/policy.md){}",
            policy.file,
            if args.scan.is_empty() {
                ", or pass --scan PATH to find the models your code loads"
            } else {
                " and --scan found none"
            }
        ));
        return Exit::Usage;
    }
    if args.locked {
        let lock = lock.as_ref().expect("checked above");
        let mut missing = Vec::new();
        for target in &mut targets {
            match lock.get(&target.id).and_then(|s| s.revision.clone()) {
                Some(rev) => target.revision = Some(rev),
                None => missing.push(target.id.clone()),
            }
        }
        if !missing.is_empty() {
            super::error(&format!(
                "--locked: {} not recorded in {}; run `openness check --update-lock`",
                missing.join(", "),
                display(&lock_path)
            ));
            return Exit::Usage;
        }
    }

    let settings = match super::settings(global) {
        Ok(settings) => settings,
        Err(exit) => return exit,
    };
    let auditor = match Auditor::new(settings, policy.rubric.clone()) {
        Ok(auditor) => auditor,
        Err(e) => {
            super::error(&e);
            return Exit::Fetch;
        }
    };
    let inputs: Vec<String> = targets
        .iter()
        .map(|t| match &t.revision {
            Some(rev) => format!("{}@{rev}", t.id),
            None => t.id.clone(),
        })
        .collect();
    let releases = fetch_all(&auditor, inputs.clone());
    let kb = KnowledgeBase::embedded();
    let mut models = Vec::new();
    for ((target, input), release) in targets.into_iter().zip(&inputs).zip(releases) {
        let result = match release {
            Ok(release) => {
                let card = score(input, &release, &policy.rubric, kb);
                let snapshot = Snapshot::of(&target.id, &release, &card);
                Ok(Audited {
                    scorecard: card,
                    snapshot,
                })
            }
            Err(e) => {
                super::error(&terminal(&e.to_string()));
                Err(FetchError {
                    code: e.code().to_owned(),
                    message: e.to_string(),
                })
            }
        };
        models.push(ModelInput {
            id: target.id,
            revision: target.revision,
            locations: target.locations,
            result,
        });
    }

    // With --update-lock the upstream state is accepted: nothing is compared with the old lock.
    let judged_lock = if args.update_lock {
        None
    } else {
        lock.as_ref()
    };
    let verdict = policy::evaluate(&policy, judged_lock, &models, Date::today(), kb);

    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(CheckFormat::from_path))
        .unwrap_or(CheckFormat::Table);
    let width = super::output::terminal_width(args.output.as_deref());
    let mut buffer = Vec::new();
    check::render(format, &verdict, width, &mut buffer).expect("rendering to memory");
    let written = match &args.output {
        Some(path) => std::fs::write(path, &buffer)
            .map_err(|e| format!("cannot write {}: {e}", path.display())),
        None => super::output::write_text(&String::from_utf8_lossy(&buffer)),
    };
    if let Err(e) = written {
        super::error(&e);
        return Exit::Usage;
    }

    if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
        for line in openness::report::check::github::annotations(&verdict) {
            eprintln!("{line}");
        }
    }
    if args.update_lock {
        let fresh: Vec<Snapshot> = models
            .iter()
            .filter_map(|m| m.result.as_ref().ok().map(|a| a.snapshot.clone()))
            .collect();
        let keep: Vec<String> = models
            .iter()
            .filter(|m| m.result.is_err())
            .map(|m| m.id.clone())
            .collect();
        if let Some(old) = &lock
            && !global.quiet
        {
            for snapshot in &fresh {
                if let Some(before) = old.get(&snapshot.id) {
                    for change in policy::compare(before, snapshot) {
                        if change.change.and_then(|k| k.rule()).is_some() {
                            eprintln!(
                                "accepted: {}: {}",
                                terminal(&snapshot.id),
                                terminal(&change.describe())
                            );
                        }
                    }
                }
            }
        }
        let updated = Lock::updated(lock.as_ref(), fresh, &keep);
        if let Err(e) = std::fs::write(&lock_path, updated.render()) {
            super::error(&format!("cannot write {}: {e}", display(&lock_path)));
            return Exit::Usage;
        }
        if !global.quiet {
            let n = updated.models.len();
            eprintln!(
                "wrote {} ({n} model{})",
                display(&lock_path),
                if n == 1 { "" } else { "s" }
            );
        }
    }
    // The table starts with the summary; other formats (and files) get it on stderr.
    if !global.quiet && (format != CheckFormat::Table || args.output.is_some()) {
        eprintln!("{}", check::summary(&verdict));
    }
    match verdict.overall {
        policy::Overall::Pass => Exit::Success,
        policy::Overall::Fail => Exit::Policy,
        policy::Overall::Incomplete => Exit::Fetch,
    }
}

/// Reads and checks the policy file; prints what is wrong and exits 2 otherwise.
fn read_policy(path: &Path) -> Result<Policy, Exit> {
    let name = display(path);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            super::error(&format!(
                "no policy file {name}: create one with `openness init` (it writes a commented {}), or name yours with --policy FILE",
                policy::POLICY_FILE
            ));
            return Err(Exit::Usage);
        }
        Err(e) => {
            super::error(&format!("cannot read {name}: {e}"));
            return Err(Exit::Usage);
        }
    };
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let resolve = |spec: &str| {
        let builtin = openness::rubric::BUILTIN.iter().any(|(n, _)| *n == spec);
        let spec = if builtin || Path::new(spec).is_absolute() {
            spec.to_owned()
        } else {
            dir.join(spec).to_string_lossy().into_owned()
        };
        openness::rubric::resolve(&spec).map_err(|e| e.to_string())
    };
    policy::load(&name, &text, &resolve).map_err(|e| {
        eprintln!("{e}");
        Exit::Usage
    })
}

fn read_lock(path: &Path) -> Result<Option<Lock>, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Lock::parse(&display(path), &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("cannot read {}: {e}", display(path))),
    }
}

/// A path as SARIF and annotations want it: relative to the current folder when under it, with
/// `/` separators and no leading `./`.
pub fn display(path: &Path) -> String {
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

/// Fetches every release concurrently (the client bounds requests in flight); results in input
/// order.
pub fn fetch_all(auditor: &Auditor, inputs: Vec<String>) -> Vec<Result<Release, HubError>> {
    super::runtime().block_on(async {
        let limit = Arc::new(tokio::sync::Semaphore::new(16));
        let mut tasks = tokio::task::JoinSet::new();
        for (index, input) in inputs.into_iter().enumerate() {
            let auditor = auditor.clone();
            let limit = Arc::clone(&limit);
            tasks.spawn(async move {
                let _permit = limit.acquire_owned().await.expect("never closed");
                (index, auditor.release(&input).await)
            });
        }
        let mut done = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            match joined {
                Ok(result) => done.push(result),
                Err(e) => std::panic::resume_unwind(e.into_panic()),
            }
        }
        done.sort_by_key(|(index, _)| *index);
        done.into_iter().map(|(_, r)| r).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_shown_relative() {
        assert_eq!(display(Path::new("./openness.toml")), "openness.toml");
        assert_eq!(display(Path::new("sub/openness.toml")), "sub/openness.toml");
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(display(&cwd.join("x/y.py")), "x/y.py");
    }
}
