//! What the linked code repositories are for (training, inference, evaluation, data
//! processing), read from the card alone: the heading a link sits under, its text, and the
//! words around it. No request goes to a code host.

use super::card::{self, Card};
use super::code_owner::{self, Owner};
use super::declared::{Declared, front_matter};
use super::facts::Evidence;
use super::keys::{self, Key};
use super::provenance::Provenance;
use super::recognition::{fold, tables};
use crate::hub::Release;
use std::collections::{HashMap, HashSet};

/// The kinds, in the order of their evidence keys.
const KINDS: &[(&str, Key)] = &[
    ("training", keys::CODE_TRAINING),
    ("inference", keys::CODE_INFERENCE),
    ("evaluation", keys::CODE_EVALUATION),
    ("data-processing", keys::CODE_DATA_PROCESSING),
];

/// Kinds only the publisher's own code can be: a third-party tool that fine-tunes or a framework
/// somebody else wrote is not the code that made this release (data/third-party-code.toml).
const OWN_ONLY: &[&str] = &["training", "data-processing"];

/// `code.library` and `code.repositories`: the code hosts' repositories the card links (not the
/// release's own Space).
pub(super) fn repositories(
    release: &Release,
    declared: &Declared,
    card: Option<&Card>,
    ev: &mut Evidence,
) {
    if let Some(library) = &declared.library {
        ev.set_from(
            keys::CODE_LIBRARY,
            library.value.clone(),
            library.at.clone(),
        );
    }
    let Some(card) = card else { return };
    let table = tables();
    let own_page = format!("https://huggingface.co/spaces/{}", release.id);
    let mut repos: Vec<(String, u32)> = Vec::new();
    // Sets beside the lists here and below: a scan per link was quadratic (issue 14 row 5).
    let mut seen: HashSet<String> = HashSet::new();
    for link in &card.links {
        if let Some(repo) = table.code_repository(&link.url)
            && repo != own_page
            && seen.insert(repo.clone())
        {
            repos.push((repo, link.line));
        }
    }
    repos.sort();
    let provenance = match repos.first() {
        Some((_, line)) => Provenance::file("README.md", Some(*line)),
        None => Provenance::file("README.md", None),
    };
    ev.set(
        keys::CODE_REPOSITORIES,
        repos.into_iter().map(|(r, _)| r).collect::<Vec<_>>(),
        provenance,
    );
}

/// Classifies the repositories already in `code.repositories`; a repository may have several
/// kinds, and one with none stays only in `code.repositories`. `publisher` is the release's
/// Hub author, against whom ownership is judged.
pub(super) fn collect(card: Option<&Card>, publisher: &str, ev: &mut Evidence) {
    let Some(card) = card else { return };
    let repositories = ev.list(keys::CODE_REPOSITORIES).to_vec();
    let table = tables();
    let owners = owners(card, publisher, &repositories);
    let owner_index: HashMap<&str, usize> = owners
        .iter()
        .enumerate()
        .map(|(i, (r, _, _))| (r.as_str(), i))
        .collect();
    let owner_of = |repo: &str| owner_index.get(repo).map(|&i| &owners[i].1);
    // kind → (repo, first line it was classified at), with the repos of each kind as a set.
    let mut found: Vec<Vec<(String, u32)>> = vec![Vec::new(); KINDS.len()];
    let mut found_sets: Vec<HashSet<String>> = vec![HashSet::new(); KINDS.len()];
    for link in &card.links {
        let Some(repo) = table.code_repository(&link.url) else {
            continue;
        };
        let Some(owner) = owner_of(&repo) else {
            continue;
        };
        let mut kinds = table.code_kinds(&link_words(card, link));
        // "You can fine-tune it with our repository" offers a tool; it does not say the
        // repository trained this model.
        if code_owner::offered_to_the_reader(&fold(&format!("{} {}", link.text, link.context))) {
            kinds.retain(|kind| *kind != "training");
        }
        if owner.is_own() {
            // The publisher's own framework does what the table says it does.
            for kind in code_owner::known_kinds(&repo) {
                if !kinds.contains(&kind) {
                    kinds.push(kind);
                }
            }
        }
        for kind in kinds {
            if OWN_ONLY.contains(&kind) && !owner.is_own() {
                continue;
            }
            if let Some(k) = KINDS.iter().position(|(name, _)| *name == kind)
                && found_sets[k].insert(repo.clone())
            {
                found[k].push((repo.clone(), link.line));
            }
        }
    }
    set_owners(&owners, ev);
    for ((_, key), mut repos) in KINDS.iter().zip(found) {
        repos.sort();
        let mut provenance: Vec<Provenance> = repos
            .iter()
            .map(|(_, line)| Provenance::file("README.md", Some(*line)))
            .collect();
        provenance.push(Provenance::derived(
            "classified from the release's card (heading, link text, words around); no request to the code host",
        ));
        ev.set_from(
            *key,
            repos.into_iter().map(|(r, _)| r).collect::<Vec<_>>(),
            provenance,
        );
    }
}

/// Whose each linked repository is, with the line that decided it: the strongest reading of
/// all its links wins ("our code" on one link makes it own).
fn owners(card: &Card, publisher: &str, repositories: &[String]) -> Vec<(String, Owner, u32)> {
    let table = tables();
    let repositories: HashSet<&str> = repositories.iter().map(String::as_str).collect();
    let mut owners: Vec<(String, Owner, u32)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for link in &card.links {
        let Some(repo) = table.code_repository(&link.url) else {
            continue;
        };
        if !repositories.contains(repo.as_str()) {
            continue;
        }
        let owner = code_owner::owner(&repo, publisher, &link_words(card, link));
        match index.get(&repo).copied() {
            Some(i) if owner.is_own() && !owners[i].1.is_own() => {
                owners[i] = (repo, owner, link.line);
            }
            Some(_) => {}
            None => {
                index.insert(repo.clone(), owners.len());
                owners.push((repo, owner, link.line));
            }
        }
    }
    owners
}

/// The words a link is read by: its section's headings, its text and the words around it.
fn link_words(card: &Card, link: &card::Link) -> String {
    fold(&format!(
        "{} {} {}",
        headings(card, link.section),
        link.text,
        link.context
    ))
}

/// A code repository the card links on a host whose repositories are read (GitHub), and
/// whether it is the publisher's own by the card's reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostRepository {
    pub url: String,
    pub own: bool,
    /// A known third-party tool (`data/third-party-code.toml`).
    pub tool: bool,
}

/// The GitHub repositories the card links, in the order they are worth reading: the publisher's
/// own first, then other people's, then known third-party tools (whose purposes the table
/// already gives). Pure; the audit reads them from the code host.
pub fn host_repositories(release: &Release) -> Vec<HostRepository> {
    let Some(front) = front_matter(release) else {
        return Vec::new();
    };
    let card = card::parse(front.body, front.body_line);
    host_repositories_in(&card, release.id.split('/').next().unwrap_or(""))
}

/// [`host_repositories`] of a parsed card, for a release by `publisher`.
pub(super) fn host_repositories_in(card: &Card, publisher: &str) -> Vec<HostRepository> {
    let table = tables();
    let mut repositories: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    for link in &card.links {
        if let Some(repo) = table.code_repository(&link.url)
            && crate::hub::github::RepoRef::from_url(&repo).is_some()
            && seen.insert(repo.clone())
        {
            repositories.push(repo);
        }
    }
    let mut out: Vec<HostRepository> = owners(card, publisher, &repositories)
        .into_iter()
        .map(|(url, owner, _)| HostRepository {
            url,
            own: owner.is_own(),
            tool: matches!(owner, Owner::Tool(_)),
        })
        .collect();
    out.sort_by_key(|r| (!r.own, r.tool));
    out
}

/// `code.own` and `code.third-party`, each repository with the line that decided it.
fn set_owners(owners: &[(String, Owner, u32)], ev: &mut Evidence) {
    let mut own = (Vec::new(), Vec::new());
    let mut other = (Vec::new(), Vec::new());
    for (repo, owner, line) in owners {
        let (values, lines) = match owner {
            Owner::Own(_) => &mut own,
            Owner::Tool(_) | Owner::Other => &mut other,
        };
        values.push(match owner {
            Owner::Tool(name) => format!("{repo} ({name})"),
            _ => repo.clone(),
        });
        lines.push(Provenance::file("README.md", Some(*line)));
    }
    for (key, (values, mut lines)) in [(keys::CODE_OWN, own), (keys::CODE_THIRD_PARTY, other)] {
        lines.push(Provenance::derived(
            "owner compared with the publisher and data/third-party-code.toml",
        ));
        ev.set_from(key, values, lines);
    }
}

/// The heading of the section a link is in, with its parents (top-level titles aside: they
/// name the model, not the part of the card). At most one title per heading level: the parents
/// come from the card ([`Card::parent`]), not from a walk back over the sections.
fn headings(card: &Card, section: Option<usize>) -> String {
    let Some(mut i) = section else {
        return String::new();
    };
    let mut titles = vec![card.sections[i].title.as_str()];
    while card.sections[i].level > 2
        && let Some(parent) = card.parent(i)
    {
        i = parent;
        if card.sections[i].level >= 2 {
            titles.push(card.sections[i].title.as_str());
        }
    }
    titles.join(" ")
}

/// A card line that states the code's license, with the license names it offers.
#[derive(Debug, PartialEq, Eq)]
pub struct Statement {
    pub line: u32,
    /// Link texts on the line, then the words after "under".
    pub candidates: Vec<String>,
}

/// The card's statements about the license of the code ("This code repository … is licensed
/// under the MIT License"). Pure; the license knowledge base resolves the names.
pub fn license_statements(release: &Release) -> Vec<Statement> {
    let Some(front) = front_matter(release) else {
        return Vec::new();
    };
    let card = card::parse(front.body, front.body_line);
    let table = tables();
    let mut out = Vec::new();
    for (index, line) in front.body.lines().enumerate() {
        if line.len() > 2000 || !table.code_license_statement(&fold(line)) {
            continue;
        }
        let number = front.body_line + index as u32;
        // Links are sorted by position, so by line: the line's links are one run of them.
        let first = card.links.partition_point(|l| l.line < number);
        let mut candidates: Vec<String> = card.links[first..]
            .iter()
            .take_while(|l| l.line == number)
            .filter(|l| !l.text.is_empty())
            .map(|l| l.text.clone())
            .collect();
        if let Some(after) = after_under(line) {
            candidates.push(after);
        }
        if !candidates.is_empty() {
            out.push(Statement {
                line: number,
                candidates,
            });
        }
    }
    out
}

/// The words after "under" up to the end of the clause: `… under the [MIT License](…).` → `MIT
/// License`.
fn after_under(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let at = lower.find(" under ")? + " under ".len();
    let rest = line[at..]
        .trim_start()
        .trim_start_matches(['[', '*', '_', '`', '"'])
        .trim_start();
    let rest = rest
        .strip_prefix("the ")
        .or_else(|| rest.strip_prefix("The "))
        .unwrap_or(rest)
        .trim_start_matches(['[', '*', '_', '`', '"']);
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ',' | ';' | '(' | ')' | '[' | ']' | '*' | '`' | '"' | '<')
                || (c == '.' && rest[i + 1..].starts_with(char::is_whitespace))
                || rest[i..].starts_with(" and ")
        })
        .map_or(rest.len(), |(i, _)| i);
    let name = rest[..end].trim().trim_end_matches('.').trim();
    (!name.is_empty() && name.len() <= 80).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Value;

    /// The evidence `collect` gives for a card that links `repos`, published by `publisher`.
    fn classified(body: &str, repos: &[&str], publisher: &str) -> Evidence {
        let card = card::parse(body, 1);
        let mut ev = Evidence::default();
        ev.set(
            keys::CODE_REPOSITORIES,
            repos.iter().map(|r| (*r).to_owned()).collect::<Vec<_>>(),
            Provenance::file("README.md", None),
        );
        collect(Some(&card), publisher, &mut ev);
        ev
    }

    #[test]
    fn a_repository_offered_to_the_reader_is_not_the_training_code() {
        let body = "# Model\n\n## Training\n\nYou can find a script for fine-tuning in our [repository](https://github.com/acme/recipes).\n\nThe model was trained with our [training code](https://github.com/acme/train).\n";
        let ev = classified(
            body,
            &[
                "https://github.com/acme/recipes",
                "https://github.com/acme/train",
            ],
            "acme",
        );
        assert_eq!(
            ev.value(keys::CODE_TRAINING).cloned(),
            Some(Value::List(vec!["https://github.com/acme/train".into()]))
        );
    }

    #[test]
    fn classifies_by_heading_text_and_neighbouring_words() {
        let body = "# OLMo\n\n## Model Sources\n\n- Core repo (training, inference, fine-tuning etc.): https://github.com/allenai/OLMo\n- Evaluation code: https://github.com/allenai/OLMo-Eval\n- Demo: https://github.com/allenai/demo\n\n## 6. How to Run Locally\n\n### Distill Models\n\nStart a service using [vLLM](https://github.com/vllm-project/vllm):\n\n## Data\n\nOur [pipeline](https://github.com/allenai/dolma) for data curation.\n";
        let ev = classified(
            body,
            &[
                "https://github.com/allenai/OLMo",
                "https://github.com/allenai/OLMo-Eval",
                "https://github.com/allenai/demo",
                "https://github.com/vllm-project/vllm",
                "https://github.com/allenai/dolma",
            ],
            "allenai",
        );
        let list = |key| ev.value(key).cloned();
        assert_eq!(
            list(keys::CODE_TRAINING),
            Some(Value::List(vec!["https://github.com/allenai/OLMo".into()]))
        );
        assert_eq!(
            list(keys::CODE_INFERENCE),
            Some(Value::List(vec![
                "https://github.com/allenai/OLMo".into(),
                "https://github.com/vllm-project/vllm".into()
            ]))
        );
        assert_eq!(
            list(keys::CODE_EVALUATION),
            Some(Value::List(vec![
                "https://github.com/allenai/OLMo-Eval".into()
            ]))
        );
        assert_eq!(
            list(keys::CODE_DATA_PROCESSING),
            Some(Value::List(vec!["https://github.com/allenai/dolma".into()]))
        );
        assert_eq!(
            list(keys::CODE_THIRD_PARTY),
            Some(Value::List(vec![
                "https://github.com/vllm-project/vllm (vLLM)".into()
            ]))
        );
    }

    #[test]
    fn the_publishers_own_framework_does_what_the_table_says() {
        let body = "# M\n\nTrained with [GPT-NeoX](https://github.com/EleutherAI/gpt-neox).\n";
        let repo = "https://github.com/EleutherAI/gpt-neox";
        for (publisher, expected) in [("EleutherAI", vec![repo.to_owned()]), ("other", vec![])] {
            let ev = classified(body, &[repo], publisher);
            assert_eq!(
                ev.value(keys::CODE_DATA_PROCESSING),
                Some(&Value::List(expected)),
                "{publisher}"
            );
        }
    }

    #[test]
    fn third_party_fine_tuning_tools_are_not_training_code() {
        let body = "# M

## Training

Fine-tune it with [LLaMA-Factory](https://github.com/hiyouga/LLaMA-Factory) or [our training code](https://github.com/org/train).
";
        let ev = classified(
            body,
            &[
                "https://github.com/hiyouga/LLaMA-Factory",
                "https://github.com/org/train",
            ],
            "org",
        );
        assert_eq!(
            ev.value(keys::CODE_TRAINING),
            Some(&Value::List(vec!["https://github.com/org/train".into()]))
        );
    }

    #[test]
    fn words_after_under() {
        assert_eq!(
            after_under("This code repository and the model weights are licensed under the [MIT License](https://x/LICENSE).").as_deref(),
            Some("MIT License")
        );
        assert_eq!(
            after_under("The code is released under Apache 2.0. The weights are not.").as_deref(),
            Some("Apache 2.0")
        );
        assert_eq!(after_under("nothing here"), None);
    }
}
