//! `openness init`: write a commented example `openness.toml`.

use super::exit::{self, Exit, WithExit};
use super::sink::Sink;
use clap::Args;
use openness::check::display_path;
use openness::discover::{self, Limits};
use openness::policy::{POLICY_FILE, TEMPLATE};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the policy.
    #[arg(long, default_value = POLICY_FILE, value_name = "FILE")]
    pub policy: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
    /// List the models the code under PATH loads as [[models]] entries (repeatable).
    #[arg(long, value_name = "PATH")]
    pub scan: Vec<PathBuf>,
}

pub fn run(args: &InitArgs, quiet: bool) -> anyhow::Result<Exit> {
    let name = display_path(&args.policy);
    if args.policy.exists() && !args.force {
        return Err(exit::usage(format!(
            "{name} already exists; edit it, or pass --force to replace it with the example"
        )));
    }
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for root in &args.scan {
        let scan = discover::scan(root, &Limits::default()).exit(Exit::Usage)?;
        for f in scan.found {
            let place = format!("{}:{}", display_path(std::path::Path::new(&f.file)), f.line);
            match found
                .iter_mut()
                .find(|(id, _)| id.eq_ignore_ascii_case(f.id.as_str()))
            {
                Some((_, places)) => places.push(place),
                None => found.push((f.id.to_string(), vec![place])),
            }
        }
    }
    let text = with_models(TEMPLATE, &found);
    Sink::File(args.policy.clone()).write(text.as_bytes())?;
    if !quiet {
        let models = if args.scan.is_empty() {
            "add your models as [[models]] entries".to_owned()
        } else {
            format!("{} models found by --scan are listed", found.len())
        };
        eprintln!(
            "wrote {name}: {models}, adjust [policy], then run `openness check` (and `openness check --update-lock` to record what you accept)"
        );
    }
    Ok(Exit::Success)
}

/// The template with one `[[models]]` entry per model found, before `[policy]`.
pub fn with_models(template: &str, found: &[(String, Vec<String>)]) -> String {
    if found.is_empty() {
        return template.to_owned();
    }
    let mut entries = String::new();
    for (id, places) in found {
        let mut shown: Vec<&str> = places.iter().take(3).map(String::as_str).collect();
        if places.len() > 3 {
            shown.push("…");
        }
        entries.push_str(&format!(
            "[[models]]\nid = \"{id}\"\n# found at {}\n\n",
            shown.join(", ")
        ));
    }
    match template.find("\n[policy]\n") {
        Some(at) => format!("{}\n{entries}{}", &template[..at], &template[at + 1..]),
        None => format!("{entries}{template}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openness::policy;

    #[test]
    fn found_models_are_listed_and_the_result_loads() {
        let text = with_models(
            TEMPLATE,
            &[(
                "deepseek-ai/DeepSeek-R1".to_owned(),
                vec!["app.py:3".to_owned()],
            )],
        );
        let p = policy::load("openness.toml", &text, &|n| openness::rubric::resolve(n)).unwrap();
        assert_eq!(p.models.len(), 1);
        assert_eq!(p.models[0].id.as_str(), "deepseek-ai/DeepSeek-R1");
    }
}
