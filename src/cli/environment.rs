//! The environment variables `openness` reads: one table for the manual page's ENVIRONMENT
//! section and `--help`, checked by a test against every name the source reads.

/// (name, what it does), in the order a reader needs them.
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "HF_ENDPOINT",
        "The Hub's URL (default https://huggingface.co); --endpoint wins. Credentials in it (http://user:pw@mirror/) are sent as basic auth, never shown.",
    ),
    (
        "HF_TOKEN",
        "The Hub token; --token wins. Sent to the endpoint only, never printed.",
    ),
    (
        "HUGGING_FACE_HUB_TOKEN",
        "The older name of HF_TOKEN, read after it (as huggingface_hub does).",
    ),
    (
        "HF_TOKEN_PATH",
        "A file holding the token, read when neither variable is set (default $HF_HOME/token, where `hf auth login` writes it).",
    ),
    (
        "HF_HUB_DISABLE_IMPLICIT_TOKEN",
        "When true (1, true, yes, on), no token is sent unless --token gives one.",
    ),
    (
        "HF_HOME",
        "The Hugging Face folder (default $XDG_CACHE_HOME/huggingface, else $HOME/.cache/huggingface).",
    ),
    ("XDG_CACHE_HOME", "Where HF_HOME is when it is not set."),
    (
        "HOME",
        "Where HF_HOME is when neither is set; `~` in a local MODEL folder.",
    ),
    (
        "HF_HUB_CACHE",
        "The hub cache shared with huggingface_hub and hf-hub (default $HF_HOME/hub); --cache-dir wins.",
    ),
    (
        "HUGGINGFACE_HUB_CACHE",
        "The older name of HF_HUB_CACHE, read after it.",
    ),
    (
        "HF_HUB_OFFLINE",
        "When true, read the cache only and never open a socket, like --offline.",
    ),
    (
        "TRANSFORMERS_OFFLINE",
        "The older switch, read when HF_HUB_OFFLINE is not set (as huggingface_hub does).",
    ),
    (
        "COLUMNS",
        "The width tables are laid out for (else the terminal's, else 100).",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour with --color auto (https://no-color.org).",
    ),
    (
        "CLICOLOR_FORCE",
        "When set, not empty and not 0, colour even into a pipe or a file with --color auto (NO_COLOR wins).",
    ),
    ("CLICOLOR", "When 0, no colour with --color auto."),
    ("TERM", "When dumb, no colour with --color auto."),
    (
        "GITHUB_TOKEN",
        "A GitHub token for reading the code repositories cards link (5,000 API calls an hour instead of 60); sent to the GitHub API only, never to the Hub or the raw-file host.",
    ),
    (
        "GH_TOKEN",
        "The GitHub CLI's name for it, read when GITHUB_TOKEN is not set.",
    ),
    (
        "GITHUB_API_URL",
        "The GitHub API (default https://api.github.com; GitHub Actions and GitHub Enterprise set it).",
    ),
    (
        "OPENNESS_GITHUB_RAW_URL",
        "The host serving repository files (default https://raw.githubusercontent.com).",
    ),
    (
        "OPENNESS_GITHUB_CACHE",
        "Where GitHub answers are cached (default beside the hub cache, docs/code-host.md).",
    ),
    (
        "OPENNESS_GITHUB_MAX_AGE",
        "How long, in seconds, a cached repository is used before it is revalidated (default one day).",
    ),
    (
        "OPENNESS_NO_CODE_HOST",
        "When true, never read GitHub, like --no-code-host.",
    ),
    (
        "GITHUB_ACTIONS",
        "When true, `check` also prints each problem as a GitHub workflow annotation on stderr.",
    ),
];

/// The `--help` section: the names, wrapped; `openness man` says what each does.
pub fn help() -> String {
    let mut lines = vec![String::from("  ")];
    for (i, (name, _)) in VARIABLES.iter().enumerate() {
        let item = if i + 1 < VARIABLES.len() {
            format!("{name}, ")
        } else {
            (*name).to_owned()
        };
        let last = lines.last_mut().expect("one line at least");
        if last.len() + item.trim_end().len() > 92 {
            lines.push(format!("  {item}"));
        } else {
            last.push_str(&item);
        }
    }
    let names: Vec<&str> = lines.iter().map(|l| l.trim_end()).collect();
    format!(
        "Environment (`openness man` says what each does):\n{}",
        names.join("\n")
    )
}

#[cfg(test)]
mod tests {
    use super::VARIABLES;

    /// Every upper-case string literal on a line of non-test source that reads the environment.
    fn names_read(dir: &std::path::Path, found: &mut std::collections::BTreeSet<String>) {
        for entry in fs_err::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                names_read(&path, found);
                continue;
            }
            let text = fs_err::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for line in code.lines() {
                let reads = [
                    "env(",
                    "env_nonempty(",
                    "truthy(",
                    "env::var",
                    "var_os(",
                    "set(\"",
                ]
                .iter()
                .any(|p| line.contains(p));
                if !reads {
                    continue;
                }
                for literal in line.split('"').skip(1).step_by(2) {
                    let is_name = literal.len() > 2
                        && literal
                            .chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                    if is_name {
                        found.insert(literal.to_owned());
                    }
                }
            }
        }
    }

    #[test]
    fn every_variable_the_source_reads_is_documented() {
        let mut found = std::collections::BTreeSet::new();
        names_read(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut found,
        );
        assert!(
            found.contains("HF_TOKEN") && found.contains("COLUMNS"),
            "{found:?}"
        );
        for name in &found {
            assert!(
                VARIABLES.iter().any(|(n, _)| n == name),
                "the source reads ${name}, which src/cli/environment.rs does not document"
            );
        }
        for (name, _) in VARIABLES {
            assert!(
                found.contains(*name),
                "${name} is documented but never read"
            );
        }
    }
}
