//! The code repositories the card links, as read on GitHub (`repo.*`, docs/code-host.md): found,
//! missing or moved; whose they are; what their trees hold (training, fine-tuning, data
//! processing, evaluation, inference code); how their code is documented. The license of their
//! files is recognised by `licenses::repos`. Pure: the audit read the repositories.
//!
//! A fact is set only when every repository it depends on was read: when the quota ran out or a
//! read failed, it stays unknown (and rubrics fall back on the card), and one finding says why.

use super::card::Card;
use super::code::{HostRepository, host_repositories_in};
use super::code_owner;
use super::facts::Evidence;
use super::findings::Finding;
use super::keys::{self, Key};
use super::provenance::Provenance;
use super::repo_tree::{self, PURPOSES};
use crate::hub::Release;
use crate::hub::github::{RepoLookup, RepoSnapshot, Unread};
use std::sync::Arc;

/// The purpose keys, in [`PURPOSES`] order.
const PURPOSE_KEYS: &[Key] = &[
    keys::REPO_PRETRAINING,
    keys::REPO_FINE_TUNING,
    keys::REPO_DATA_PROCESSING,
    keys::REPO_EVALUATION,
    keys::REPO_INFERENCE,
];

/// A repository read, with whose it is.
struct Read<'a> {
    snapshot: &'a Arc<RepoSnapshot>,
    own: bool,
}

pub(super) fn collect(release: &Release, card: Option<&Card>, ev: &mut Evidence) {
    // Without a readable card the links are not known, so neither is what they lead to.
    let (Some(linked), Some(card)) = (&release.related.code, card) else {
        return;
    };
    let publisher = release.id.split('/').next().unwrap_or("");
    let flags: Vec<HostRepository> = host_repositories_in(card, publisher);
    let card_own = |url: &str| flags.iter().any(|f| f.url == url && f.own);

    let mut read: Vec<Read> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut quota: Vec<String> = Vec::new();
    let mut quota_reset = (None, false);
    let mut failed: Vec<(String, String)> = Vec::new();
    // Repositories the card calls the publisher's that could not be read.
    let mut own_unread = false;
    for repo in linked {
        match &repo.lookup {
            RepoLookup::Found(snapshot) => {
                let own = card_own(&repo.url)
                    || code_owner::owner(&snapshot.repo.url(), publisher, "").is_own();
                read.push(Read { snapshot, own });
            }
            RepoLookup::Missing => missing.push(repo.url.clone()),
            RepoLookup::Unread(why) => {
                own_unread |= card_own(&repo.url);
                match why {
                    Unread::Quota { reset, with_token } => {
                        quota.push(repo.url.clone());
                        quota_reset = (*reset, *with_token);
                    }
                    Unread::Failed(detail) => failed.push((repo.url.clone(), detail.clone())),
                    Unread::NotCached => {
                        failed.push((repo.url.clone(), "not in the cache (offline)".to_owned()))
                    }
                }
            }
        }
    }
    for url in &missing {
        ev.findings.push(Finding::code_repo_missing(url));
    }
    for r in &read {
        if r.snapshot.moved() {
            ev.findings.push(Finding::code_repo_moved(
                &r.snapshot.asked.url(),
                &r.snapshot.repo.url(),
            ));
        }
        if r.snapshot.archived {
            ev.findings
                .push(Finding::code_repo_archived(&r.snapshot.repo.url()));
        }
    }
    if !quota.is_empty() {
        ev.findings.push(Finding::code_host_quota(
            &quota,
            quota_reset.0,
            quota_reset.1,
        ));
    }
    if !failed.is_empty() {
        ev.findings.push(Finding::code_host_unread(&failed));
    }

    let all_read = quota.is_empty() && failed.is_empty();
    if all_read {
        set_linked(&read, &missing, release.related.code_skipped, ev);
    }
    if !own_unread {
        set_own(&read, ev);
    }
}

/// Where a repository-level fact comes from: the repository at the snapshot read.
fn at(s: &RepoSnapshot, path: Option<&str>, line: Option<u32>) -> Provenance {
    Provenance::repository(s.repo.url(), s.sha.as_deref(), path, line)
}

/// `repo.read`, `repo.missing`, `repo.moved`, `repo.archived`: what the links lead to.
fn set_linked(read: &[Read], missing: &[String], skipped: usize, ev: &mut Evidence) {
    let mut provenance: Vec<Provenance> = read.iter().map(|r| at(r.snapshot, None, None)).collect();
    provenance.push(Provenance::derived(if skipped > 0 {
        format!("GET /repos/{{owner}}/{{repo}} per linked repository; {skipped} more linked, not read (per-model limit)")
    } else {
        "GET /repos/{owner}/{repo} per linked repository".to_owned()
    }));
    ev.set_from(
        keys::REPO_READ,
        read.iter()
            .map(|r| r.snapshot.repo.url())
            .collect::<Vec<_>>(),
        provenance,
    );
    let mut provenance: Vec<Provenance> = missing
        .iter()
        .map(|url| Provenance::repository(url.as_str(), None, None, None))
        .collect();
    provenance.push(Provenance::derived("GitHub answered 404"));
    ev.set_from(keys::REPO_MISSING, missing.to_vec(), provenance);
    let moved: Vec<&Read> = read.iter().filter(|r| r.snapshot.moved()).collect();
    ev.set_from(
        keys::REPO_MOVED,
        moved
            .iter()
            .map(|r| format!("{} -> {}", r.snapshot.asked.url(), r.snapshot.repo.url()))
            .collect::<Vec<_>>(),
        provenance_or_note(
            moved.iter().map(|r| at(r.snapshot, None, None)),
            "no linked repository moved",
        ),
    );
    let archived: Vec<&Read> = read.iter().filter(|r| r.snapshot.archived).collect();
    ev.set_from(
        keys::REPO_ARCHIVED,
        archived
            .iter()
            .map(|r| r.snapshot.repo.url())
            .collect::<Vec<_>>(),
        provenance_or_note(
            archived.iter().map(|r| at(r.snapshot, None, None)),
            "no linked repository is archived",
        ),
    );
}

fn provenance_or_note(provenance: impl Iterator<Item = Provenance>, note: &str) -> Vec<Provenance> {
    let list: Vec<Provenance> = provenance.collect();
    if list.is_empty() {
        vec![Provenance::derived(note)]
    } else {
        list
    }
}

/// `repo.own`, the purposes of the publisher's code and its documentation.
fn set_own(read: &[Read], ev: &mut Evidence) {
    let own: Vec<&Read> = read.iter().filter(|r| r.own).collect();
    ev.set_from(
        keys::REPO_OWN,
        own.iter()
            .map(|r| r.snapshot.repo.url())
            .collect::<Vec<_>>(),
        provenance_or_note(
            own.iter().map(|r| at(r.snapshot, None, None)),
            "no repository read is the publisher's (data/third-party-code.toml)",
        ),
    );

    let with_code: Vec<(String, Provenance)> = own
        .iter()
        .filter_map(|r| {
            repo_tree::first_code_file(&r.snapshot.tree)
                .map(|path| (r.snapshot.repo.url(), at(r.snapshot, Some(path), None)))
        })
        .collect();
    set_list(
        ev,
        keys::REPO_CODE,
        &with_code,
        "code files of the publisher's repository trees (data/code-purposes.toml)",
    );

    // Per purpose: the repositories, each with the path that proves it.
    let mut by_purpose: Vec<Vec<(String, Provenance)>> = vec![Vec::new(); PURPOSES.len()];
    let mut code_repos: Vec<&Read> = Vec::new();
    let mut configs: Vec<(String, Provenance)> = Vec::new();
    for r in &own {
        let found = repo_tree::purposes(&r.snapshot.tree);
        let trains =
            |p: &repo_tree::PurposeFound| matches!(p.purpose, "pretraining" | "fine-tuning");
        if !found.iter().any(trains)
            && let Some(config) = repo_tree::configurations(&r.snapshot.tree)
                .into_iter()
                .find(trains)
        {
            configs.push((
                r.snapshot.repo.url(),
                at(r.snapshot, Some(&config.path), None),
            ));
            code_repos.push(r);
        }
        for purpose in &found {
            let index = PURPOSES
                .iter()
                .position(|p| *p == purpose.purpose)
                .expect("a known purpose");
            by_purpose[index].push((
                r.snapshot.repo.url(),
                at(r.snapshot, Some(&purpose.path), None),
            ));
        }
        if found
            .iter()
            .any(|p| matches!(p.purpose, "pretraining" | "fine-tuning" | "data-processing"))
            && !code_repos.iter().any(|c| std::ptr::eq(*c, *r))
        {
            code_repos.push(r);
        }
    }
    let note = "paths of the publisher's repository trees (data/code-purposes.toml)";
    let mut training: Vec<(String, Provenance)> = Vec::new();
    for (index, key) in PURPOSE_KEYS.iter().enumerate() {
        let found = &by_purpose[index];
        if matches!(PURPOSES[index], "pretraining" | "fine-tuning") {
            for (url, p) in found {
                if !training.iter().any(|(u, _)| u == url) {
                    training.push((url.clone(), p.clone()));
                }
            }
        }
        set_list(ev, *key, found, note);
    }
    set_list(ev, keys::REPO_TRAINING, &training, note);
    set_list(
        ev,
        keys::REPO_TRAINING_CONFIGS,
        &configs,
        "configuration files of the publisher's repository trees (data/code-purposes.toml)",
    );

    // Documentation of the training and data-processing code (and training configurations).
    let mut topics: Vec<String> = Vec::new();
    let mut topic_at: Vec<Provenance> = Vec::new();
    let mut docs_files = 0usize;
    let mut docs_at: Vec<Provenance> = Vec::new();
    for r in &code_repos {
        if let Some(readme) = &r.snapshot.readme {
            for topic in repo_tree::readme_topics(&readme.text) {
                if !topics.contains(&topic.id) {
                    topic_at.push(at(r.snapshot, Some(&readme.path), Some(topic.line)));
                    topics.push(topic.id);
                }
            }
        }
        let docs = repo_tree::docs(&r.snapshot.tree);
        docs_files += docs.files;
        if let Some(first) = &docs.first {
            docs_at.push(at(r.snapshot, Some(first), None));
        }
    }
    if topic_at.is_empty() {
        topic_at.push(Provenance::derived(
            "README headings of the publisher's training and data-processing repositories (data/code-purposes.toml)",
        ));
    }
    ev.set_from(keys::REPO_README_TOPICS, topics, topic_at);
    if docs_at.is_empty() {
        docs_at.push(Provenance::derived(
            "doc folders of the publisher's training and data-processing repositories",
        ));
    }
    ev.set_from(keys::REPO_DOCS_FILES, docs_files as i64, docs_at);
}

fn set_list(ev: &mut Evidence, key: Key, found: &[(String, Provenance)], note: &str) {
    let mut provenance: Vec<Provenance> = found.iter().map(|(_, p)| p.clone()).collect();
    if provenance.is_empty() {
        provenance.push(Provenance::derived(note));
    }
    ev.set_from(
        key,
        found.iter().map(|(u, _)| u.clone()).collect::<Vec<_>>(),
        provenance,
    );
}

#[cfg(test)]
mod tests {
    use crate::evidence::{Evidence, keys};
    use crate::hub::github::{LinkedRepo, RepoLookup, RepoRef, RepoSnapshot, TreeEntry, Unread};
    use crate::hub::related::Related;
    use crate::hub::{ModelInfo, Origin, Release, ReleaseFile};
    use std::sync::Arc;

    fn release(id: &str, readme: Option<&str>, code: Vec<LinkedRepo>) -> Release {
        Release {
            id: id.into(),
            revision: None,
            origin: Origin::Hub {
                endpoint: "https://huggingface.co".into(),
            },
            info: ModelInfo::from_json(&serde_json::json!({ "id": id })).unwrap(),
            has_api_metadata: false,
            files: readme
                .map(|text| ReleaseFile::from_bytes("README.md", text.as_bytes(), false))
                .into_iter()
                .collect(),
            related: Related {
                code: Some(code),
                ..Related::default()
            },
            retrieval: Default::default(),
        }
    }

    fn snapshot(asked: &str, now: &str, paths: &[&str]) -> RepoLookup {
        let asked = RepoRef::parse(asked).unwrap();
        RepoLookup::Found(Arc::new(RepoSnapshot {
            asked,
            repo: RepoRef::parse(now).unwrap(),
            default_branch: "main".into(),
            archived: false,
            fork: false,
            sha: Some("abc".into()),
            tree: paths
                .iter()
                .map(|p| TreeEntry {
                    path: (*p).into(),
                    size: Some(1),
                })
                .collect(),
            tree_truncated: false,
            readme: None,
            licenses: vec![],
            unreadable: vec![],
            fetched_at: 0,
        }))
    }

    fn collect(release: &Release) -> Evidence {
        crate::evidence::collect(release)
    }

    #[test]
    fn a_repository_moved_away_from_the_publisher_stays_its_own() {
        let card = "# M\n\nCode: https://github.com/oldlab/trainer\n";
        let r = release(
            "oldlab/model",
            Some(card),
            vec![LinkedRepo {
                url: "https://github.com/oldlab/trainer".into(),
                lookup: snapshot("oldlab/trainer", "newhome/trainer", &["train.py"]),
            }],
        );
        let ev = collect(&r);
        assert_eq!(
            ev.list(keys::REPO_OWN),
            ["https://github.com/newhome/trainer"]
        );
        assert_eq!(
            ev.list(keys::REPO_TRAINING),
            ["https://github.com/newhome/trainer"]
        );
        assert_eq!(
            ev.list(keys::REPO_MOVED),
            ["https://github.com/oldlab/trainer -> https://github.com/newhome/trainer"]
        );
    }

    #[test]
    fn somebody_elses_training_code_is_not_the_releases() {
        let card = "# M\n\nFine-tune it with https://github.com/someone/trainer\n";
        let r = release(
            "lab/model",
            Some(card),
            vec![LinkedRepo {
                url: "https://github.com/someone/trainer".into(),
                lookup: snapshot("someone/trainer", "someone/trainer", &["train.py"]),
            }],
        );
        let ev = collect(&r);
        assert!(ev.list(keys::REPO_OWN).is_empty());
        assert!(ev.list(keys::REPO_TRAINING).is_empty());
        assert_eq!(
            ev.list(keys::REPO_READ),
            ["https://github.com/someone/trainer"]
        );
    }

    #[test]
    fn unread_repositories_leave_their_facts_unknown() {
        let card = "# M\n\nOur code: https://github.com/lab/train and https://github.com/vllm-project/vllm\n";
        let quota = RepoLookup::Unread(Unread::Quota {
            reset: Some(3600),
            with_token: false,
        });
        // The tool unread, the publisher's read: its own facts are known, the links' are not.
        let r = release(
            "lab/model",
            Some(card),
            vec![
                LinkedRepo {
                    url: "https://github.com/lab/train".into(),
                    lookup: snapshot("lab/train", "lab/train", &["train.py"]),
                },
                LinkedRepo {
                    url: "https://github.com/vllm-project/vllm".into(),
                    lookup: quota.clone(),
                },
            ],
        );
        let ev = collect(&r);
        assert_eq!(
            ev.list(keys::REPO_TRAINING),
            ["https://github.com/lab/train"]
        );
        assert!(ev.get(keys::REPO_READ).is_none());
        let finding = ev
            .findings
            .iter()
            .find(|f| f.code.as_str() == "code-host-quota")
            .unwrap();
        assert!(
            finding
                .message
                .starts_with("GitHub API quota exhausted until 01:00 UTC; set GITHUB_TOKEN"),
            "{}",
            finding.message
        );
        // The publisher's own repository unread: nothing about its code is known.
        let r = release(
            "lab/model",
            Some(card),
            vec![LinkedRepo {
                url: "https://github.com/lab/train".into(),
                lookup: quota,
            }],
        );
        assert!(collect(&r).get(keys::REPO_TRAINING).is_none());
        // A card that could not be read links nothing that is known.
        let r = release("lab/model", None, vec![]);
        assert!(collect(&r).get(keys::REPO_TRAINING).is_none());
    }
}
