//! Whose code a linked repository is: the release publisher's own, or a third-party tool
//! (`data/third-party-code.toml`, `[not-training-code]` of `data/code-purposes.toml`).
//!
//! A card that links vLLM, axolotl or LLaMA-Factory tells users how to run or tune the model;
//! it has not published the code that trained it. Only the publisher's own repositories can be
//! a release's training or data-processing code.

use super::recognition::fold;
use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCE: &str = include_str!("../../data/third-party-code.toml");
const PURPOSES: &str = include_str!("../../data/code-purposes.toml");

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct ThirdParty {
    own_phrases: Vec<String>,
    publishers: Vec<Publisher>,
    tools: Vec<Tool>,
}

#[derive(Debug, Deserialize)]
struct Publisher {
    hub: String,
    github: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct Tool {
    name: String,
    repos: Vec<String>,
    purposes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct Purposes {
    not_training_code: NotTrainingCode,
    trained_with: Phrases,
    user_offer: Phrases,
}

#[derive(Debug, Deserialize)]
struct Phrases {
    phrases: Vec<String>,
}

impl Phrases {
    /// Whether `padded` (folded words with a space at each end) holds one of the phrases (folded
    /// and padded when the table loads) as whole words.
    fn any_in(&self, padded: &str) -> bool {
        self.phrases.iter().any(|p| padded.contains(p.as_str()))
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct NotTrainingCode {
    hosts: Vec<String>,
    hub_prefixes: Vec<String>,
}

struct Tables {
    third_party: ThirdParty,
    purposes: Purposes,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut third_party: ThirdParty =
            toml::from_str(SOURCE).expect("data/third-party-code.toml is valid (tested)");
        let mut purposes: Purposes =
            toml::from_str(PURPOSES).expect("data/code-purposes.toml is valid (tested)");
        // Phrases are matched as whole words of folded text: fold them once, padded.
        for phrases in [
            &mut third_party.own_phrases,
            &mut purposes.trained_with.phrases,
            &mut purposes.user_offer.phrases,
        ] {
            for phrase in phrases.iter_mut() {
                *phrase = format!(" {} ", fold(phrase));
            }
        }
        Tables {
            third_party,
            purposes,
        }
    })
}

/// Whose a repository is, and by which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// The publisher's: same owner, a listed alias, a longer name of the same organisation, or
    /// introduced as its own code ("our code").
    Own(&'static str),
    /// A known third-party tool (its name).
    Tool(String),
    /// A demo, notebook or somebody else's repository.
    Other,
}

impl Owner {
    pub fn is_own(&self) -> bool {
        matches!(self, Owner::Own(_))
    }
}

/// `Deep-Floyd` → `deepfloyd`: case, `-`, `_`, `.` and spaces do not tell organisations apart.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '-' | '_' | '.' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}

/// `https://github.com/owner/name` → `("github.com", "owner", "name")`.
fn parts(repo: &str) -> Option<(&str, &str, &str)> {
    let rest = repo.split_once("://").map_or(repo, |(_, r)| r);
    let mut segments = rest.split('/');
    let host = segments.next()?;
    let owner = segments.next()?;
    // `name.git@<commit>` (pip requirement style) names the repository `name`.
    let name = segments.next().unwrap_or("");
    let name = name
        .split('@')
        .next()
        .unwrap_or(name)
        .trim_end_matches(".git");
    Some((host, owner, name))
}

fn tool(owner: &str, name: &str) -> Option<&'static Tool> {
    let full = format!("{owner}/{name}").to_ascii_lowercase();
    let org = format!("{owner}/*").to_ascii_lowercase();
    tables().third_party.tools.iter().find(|tool| {
        tool.repos
            .iter()
            .any(|r| r.eq_ignore_ascii_case(&full) || r.eq_ignore_ascii_case(&org))
    })
}

/// What a known framework is for (its `purposes` in the table), mapped to the code kinds:
/// a publisher's own framework is its training code whatever the card's words say.
pub fn known_kinds(repo: &str) -> Vec<&'static str> {
    let Some((_, owner, name)) = parts(repo) else {
        return Vec::new();
    };
    let Some(tool) = tool(owner, name) else {
        return Vec::new();
    };
    let mut kinds = Vec::new();
    for purpose in &tool.purposes {
        let kind = match purpose.as_str() {
            "training-framework" | "fine-tuning" => "training",
            "inference" => "inference",
            "evaluation" => "evaluation",
            "data-processing" => "data-processing",
            _ => continue,
        };
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    kinds
}

/// Who owns `repo` (a normalised repository URL) for a release by `publisher` (its Hub
/// author), given the folded words around its link.
pub fn owner(repo: &str, publisher: &str, words: &str) -> Owner {
    let t = tables();
    let Some((host, owner, name)) = parts(repo) else {
        return Owner::Other;
    };
    let never = &t.purposes.not_training_code;
    let hub_path = format!("{owner}/");
    if never.hosts.iter().any(|h| h == host)
        || (host == "huggingface.co" && never.hub_prefixes.contains(&hub_path))
    {
        return Owner::Other;
    }
    let (owner_n, publisher_n) = (normalise(owner), normalise(publisher));
    let aliases = t
        .third_party
        .publishers
        .iter()
        .filter(|p| p.hub.eq_ignore_ascii_case(publisher))
        .flat_map(|p| &p.github);
    if owner_n == publisher_n || aliases.into_iter().any(|a| normalise(a) == owner_n) {
        return Owner::Own("same owner as the publisher");
    }
    if let Some(tool) = tool(owner, name) {
        return Owner::Tool(tool.name.clone());
    }
    let longer = |a: &str, b: &str| b.len() >= 5 && a.starts_with(b);
    if publisher_n.len() >= 5 && (longer(&owner_n, &publisher_n) || longer(&publisher_n, &owner_n))
    {
        return Owner::Own("the publisher's organisation under a longer name");
    }
    let padded = format!(" {words} ");
    if t.third_party
        .own_phrases
        .iter()
        .any(|p| padded.contains(p.as_str()))
    {
        return Owner::Own("introduced as the publisher's own code");
    }
    Owner::Other
}

/// Whether the words of a link (folded) offer the repository to the reader ("you can fine-tune
/// it with …", "check out …") without saying it made this model ("trained with …"):
/// `[user-offer]` and `[trained-with]` of data/code-purposes.toml. Such a link is no statement
/// of how the release was trained.
pub fn offered_to_the_reader(words: &str) -> bool {
    let purposes = &tables().purposes;
    let padded = format!(" {words} ");
    purposes.user_offer.any_in(&padded) && !purposes.trained_with.any_in(&padded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_tool_and_other() {
        let gh = |r: &str| format!("https://github.com/{r}");
        assert!(owner(&gh("EleutherAI/gpt-neox"), "EleutherAI", "").is_own());
        assert!(matches!(
            owner(&gh("EleutherAI/gpt-neox"), "someone", ""),
            Owner::Tool(_)
        ));
        assert!(owner(&gh("QwenLM/Qwen3"), "Qwen", "").is_own());
        assert!(matches!(
            owner(
                &gh("hiyouga/LLaMA-Factory"),
                "Qwen",
                "fine tune with llama factory"
            ),
            Owner::Tool(_)
        ));
        assert!(owner(&gh("databrickslabs/dolly"), "databricks", "").is_own());
        assert!(owner(&gh("deep-floyd/IF"), "DeepFloyd", "").is_own());
        assert!(matches!(
            owner(
                &gh("huggingface/transformers.git@831bc25"),
                "HuggingFaceH4",
                ""
            ),
            Owner::Tool(_)
        ));
        assert!(owner(&gh("someone/repo"), "org", "see our code here").is_own());
        assert_eq!(owner(&gh("someone/repo"), "org", "a fork"), Owner::Other);
        assert_eq!(
            owner("https://huggingface.co/spaces/org/demo", "org", "our code"),
            Owner::Other
        );
    }
}
