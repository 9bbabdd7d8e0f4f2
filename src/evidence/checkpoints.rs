//! Intermediate checkpoints: branches of the repository (refs API) that hold training
//! snapshots, recognised by name with the patterns of `data/recognition.toml`.

use super::facts::Evidence;
use super::findings::Finding;
use super::keys;
use super::provenance::Provenance;
use super::recognition::{fold, tables};
use super::topics::{self, Reading};
use crate::hub::Release;

/// `checkpoints.stated`: a sentence of the card says intermediate checkpoints are published, in a
/// section that says how to reach them (data/card-topics.toml [checkpoint-statements]).
pub(super) fn stated(reading: &Reading, ev: &mut Evidence) {
    let table = topics::table();
    let rules = &table.checkpoint_statements;
    let withdrawn = &table.placeholders.contains;
    // Folded once per card, not once per sentence.
    let padded = |words: &[String]| -> Vec<String> {
        words.iter().map(|w| format!(" {} ", fold(w))).collect()
    };
    let (phrases, withdrawn, cues) = (
        padded(&rules.phrases),
        padded(withdrawn),
        padded(&rules.cues),
    );
    let has = |text: &str, words: &[String]| {
        let padded = format!(" {text} ");
        words.iter().any(|w| padded.contains(w.as_str()))
    };
    let found = reading.blocks.iter().find(|block| {
        let states = block
            .prose
            .split(['.', '!', '?', '\n'])
            .map(fold)
            .any(|sentence| has(&sentence, &phrases) && !has(&sentence, &withdrawn));
        states && has(&fold(&format!("{} {}", block.prose, block.code)), &cues)
    });
    let at = Provenance::file("README.md", found.map(|b| b.line));
    ev.set(keys::CHECKPOINTS_STATED, found.is_some(), at);
}

pub(super) fn collect(release: &Release, ev: &mut Evidence) {
    if let Some(why) = &release.related.branches_failed {
        ev.findings
            .push(Finding::branches_lookup_failed(&release.id, why));
    }
    let Some(branches) = &release.related.branches else {
        return;
    };
    let table = tables();
    let at = Provenance::api("refs.branches");
    let mut others: Vec<String> = branches.iter().filter(|b| *b != "main").cloned().collect();
    others.sort();
    others.dedup();
    let intermediate: Vec<String> = others
        .iter()
        .filter(|b| table.intermediate_checkpoint(b))
        .cloned()
        .collect();
    ev.set(
        keys::CHECKPOINTS_PUBLISHED,
        !intermediate.is_empty(),
        at.clone(),
    );
    ev.set(keys::CHECKPOINTS_BRANCHES, others, at.clone());
    ev.set(keys::CHECKPOINTS_INTERMEDIATE, intermediate, at);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Value;

    fn stated_in(body: &str) -> Option<Value> {
        let mut ev = Evidence::default();
        stated(&topics::read(body, 1), &mut ev);
        ev.value(keys::CHECKPOINTS_STATED).cloned()
    }

    #[test]
    fn a_statement_with_a_way_to_reach_them_counts() {
        let body = "# M\n\n## Checkpoints\n\nWe have released checkpoints for these models. To load one, pass `revision`:\n\n```python\nAutoModel.from_pretrained(\"lab/m\", revision=\"step1000\")\n```\n";
        assert_eq!(stated_in(body), Some(Value::Bool(true)));
        let elsewhere = "# M\n\nWe are releasing many checkpoints for these models, for every 1000 training steps, in [lab/m-raw](https://huggingface.co/lab/m-raw).\n";
        assert_eq!(stated_in(elsewhere), Some(Value::Bool(true)));
    }

    #[test]
    fn a_promise_or_a_bare_mention_does_not() {
        let promised = "# M\n\n## Checkpoints\n\nIntermediate checkpoints will be released soon on a separate branch.\n";
        assert_eq!(stated_in(promised), Some(Value::Bool(false)));
        let bare = "# M\n\nFine-tuning can start from the final checkpoint.\n";
        assert_eq!(stated_in(bare), Some(Value::Bool(false)));
    }
}
