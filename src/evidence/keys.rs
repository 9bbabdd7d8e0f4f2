//! The catalog of evidence keys: every fact the pipeline can establish, with its type.
//!
//! Rubric conditions may only name keys from this catalog, so a typo in a rubric is an error at
//! load time instead of a criterion that silently never matches. `docs/evidence.md` documents the
//! same list (a test keeps the two in step).

use super::value::ValueType;

#[derive(Debug)]
pub struct KeySpec {
    pub name: &'static str,
    pub ty: ValueType,
    pub doc: &'static str,
}

macro_rules! keys {
    ($( $name:literal : $ty:ident => $doc:literal ),* $(,)?) => {
        pub const KEYS: &[KeySpec] = &[ $( KeySpec { name: $name, ty: ValueType::$ty, doc: $doc } ),* ];
    };
}

keys! {
    // weights
    "weights.published": Bool => "At least one weight file is in the repository listing.",
    "weights.files": Int => "Number of weight files in the repository listing.",
    "weights.formats": List => "Weight formats found: safetensors, pytorch, gguf, onnx, tensorflow, flax, ….",
    "weights.bytes": Int => "Total size of the weight files in bytes (when the listing carries sizes).",
    "weights.parameters": Int => "Parameter count published by the Hub (safetensors or GGUF header summary).",
    "weights.config": Bool => "A config.json (the architecture) is in the repository listing.",
    // access
    "access.gate": Str => "Access gate: none, auto (accepted on request) or manual (approved by the publisher).",
    "access.private": Bool => "The repository is private.",
    "access.disabled": Bool => "The repository is disabled (e.g. taken down).",
    "access.files-readable": Bool => "The release's files could be read with the credentials used.",
    // license
    "license.declared": List => "License ids declared in the card metadata (license:, license: tags).",
    "license.name": Str => "Custom license name declared with license: other (license_name).",
    "license.link": Str => "Link to the license declared in the card metadata (license_link).",
    "license.files": List => "License and use-policy files present in the repository.",
    "license.id": Str => "The license the release is under, as a knowledge-base id.",
    "license.title": Str => "The full name of that license.",
    "license.spdx": Str => "Its SPDX identifier, when it has one.",
    "license.source": Str => "How it was established: declared, text, or declared+text.",
    "license.detected": List => "Licenses recognised in the repository's model license files.",
    "license.policies": List => "Acceptable-use policies recognised in the repository's files.",
    "license.category": Str => "open, restricted, non-commercial or unknown.",
    "license.osi-approved": Bool => "The license is OSI-approved.",
    "license.commercial-use": Str => "Commercial use: yes, no, or conditional.",
    "license.use-restrictions": Bool => "The license restricts fields of use.",
    "license.use-policy": Bool => "Use restrictions live in an acceptable-use policy the licensor can change.",
    "license.user-threshold": Int => "User-count ceiling above which another license is needed (0: none).",
    "license.attribution": Bool => "The license requires keeping notices or crediting the licensor.",
    "license.naming": Bool => "The license requires displaying a brand or naming derivatives after the model.",
    "license.output-restrictions": Bool => "The license restricts the use of outputs (e.g. to train other models).",
    "license.non-commercial": Bool => "The license forbids commercial use.",
    "license.research-only": Bool => "The license limits use to research.",
    "license.copyleft": Bool => "Derivatives must carry the same license (share-alike).",
    "license.derivatives": Bool => "Modified versions and derivatives may be made and shared.",
    "license.open-data": Bool => "The license is made for data (CC, CDLA, ODC…).",
    // data
    "data.datasets": List => "Datasets named by the card: datasets:, dataset: tags, and Hub dataset links in the card.",
    "data.datasets-on-hub": List => "Named datasets that exist on the Hub (GET /api/datasets/{id} answered).",
    "data.datasets-open": List => "Named datasets on the Hub that are public, not gated and not disabled.",
    "data.datasets-gated": List => "Named datasets on the Hub that are gated, private or disabled.",
    "data.datasets-missing": List => "Named datasets the Hub does not have (404).",
    "data.datasets-elsewhere": List => "Training data named outside the Hub: dataset or data URLs in the card's training-data section, non-Hub names in datasets:.",
    "data.datasets-licenses": List => "License ids the named Hub datasets declare (knowledge-base ids when known).",
    "data.availability": Str => "all-open, some-open, closed (named but none open) or not-named.",
    "data.training-section": Bool => "The model card has a section on training data.",
    "data.training-section-bytes": Int => "Size of the card's training-data sections, with their subsections, in bytes.",
    "data.preprocessing-section": Bool => "The model card has a section on data preprocessing (filtering, deduplication, …).",
    "data.evaluation-section": Bool => "The model card has a section on evaluation data or evaluation.",
    "data.datasheet": Bool => "The model card has a datasheet / data card section, or links one.",
    // code
    "code.repositories": List => "Code repositories linked from the model card.",
    "code.library": Str => "The library the weights load with (library_name).",
    "code.training": List => "Linked code repositories whose context says they train (or fine-tune) the model.",
    "code.inference": List => "Linked code repositories whose context says they run or serve the model.",
    "code.evaluation": List => "Linked code repositories whose context says they evaluate the model.",
    "code.data-processing": List => "Linked code repositories whose context says they build or process the data.",
    "code.own": List => "Linked code repositories of the release's publisher (same owner, a listed alias, or introduced as its own code; data/third-party-code.toml). Only these can be training or data-processing code.",
    "code.third-party": List => "Linked code repositories of somebody else: known tools (with their name), demos, notebooks, other people's repositories.",
    "code.license": Str => "The code's license as a knowledge-base id, from a LICENSE-CODE file or the card.",
    "code.license-category": Str => "Category of the code's license: open, restricted, non-commercial or unknown.",
    // documentation
    "card.present": Bool => "The repository has a model card (README.md).",
    "card.bytes": Int => "Size of the model card in bytes.",
    "card.metadata": Bool => "The model card has valid YAML metadata (front matter).",
    "card.sections": List => "Headings of the model card's sections.",
    "card.evaluation-results": Bool => "Evaluation results are published: model-index results in the metadata, or an evaluation section.",
    "card.topics": List => "Standard model-card topics the card covers with substance (data/card-topics.toml): model-details, architecture, intended-use, limitations, training-data, training-procedure, hyperparameters, evaluation, compute, hardware, citation, license, usage, datasheet.",
    "card.core-topics": List => "The card's topics that give insight on the model itself (architecture, training data, training procedure, hyperparameters, evaluation; [core] of data/card-topics.toml).",
    "card.placeholders": List => "Topics the card has only as unfilled template placeholders ([More Information Needed], \"coming soon\").",
    "card.prose-words": Int => "Words of prose in the card (code blocks, comments, placeholders and URLs aside).",
    // compute
    "compute.accelerators": List => "Training accelerators stated in the card, with their count when stated (\"a100 × 512\", \"gpus × 8\"), read in training, hardware or compute context only.",
    "compute.hardware": Str => "How far the training hardware is documented: kind-and-count, kind, count or none.",
    "compute.time": List => "Card lines stating training time or compute volume (GPU hours, days, FLOPs).",
    "compute.cluster": List => "Card lines naming the training cluster, facility or cloud.",
    "compute.emissions": List => "Card lines stating energy use or carbon emissions.",
    "files.training-metadata": List => "Training configuration and optimizer-state files in the repository (trainer_state.json, optimizer.pt …; data/release-files.toml).",
    "files.sample-outputs": List => "Sample model outputs shipped in the repository (samples/, generations.jsonl …; data/release-files.toml).",
    // the base model as a release of its own
    "base.id": Str => "The base model judged: the root of the walked lineage chain.",
    "base.same-publisher": Bool => "The base model has the release's owner (an earlier stage of the same release).",
    "base.weights": Str => "The base model's weights on the Hub: public, gated, not-published (no weight files) or not-on-hub (404 or private).",
    "base.datasets": List => "Training datasets the base model's own card names (cardData datasets, dataset: tags).",
    "paper.arxiv": List => "arXiv ids linked from the release (arxiv: tags, card links).",
    "paper.links": List => "Other paper links in the card (OpenReview, ACL Anthology, DOIs, proceedings, paper PDFs).",
    "paper.own": List => "Papers about this release (arXiv ids, DOIs, URLs): cited as its own report, or naming the model (data/peer-review.toml roles).",
    "paper.basis": List => "Papers the release builds on: the base model's paper, or a method it says it follows (\"inspired by\").",
    "paper.reviewed": List => "The release's own papers with the peer-reviewed venue the card states (BibTeX type and venue, proceedings links, \"accepted at\").",
    "paper.absent": Bool => "The card says the release's paper is not out yet (\"paper coming soon\").",
    "paper.technical-report": Bool => "A technical report is linked from the card or has a section in it.",
    // checkpoints
    "checkpoints.branches": List => "Branches of the repository other than main (refs API).",
    "checkpoints.intermediate": List => "Branches that hold intermediate training checkpoints (step…, stage…, …-tokens…).",
    "checkpoints.published": Bool => "Intermediate checkpoints are published as branches.",
    // lineage
    "lineage.base-models": List => "Base models the release declares (base_model).",
    "lineage.relation": Str => "Relation to the base model: finetune, adapter, quantized or merge.",
    "lineage.chain": List => "Ancestors up the base_model chain, parents first.",
    "lineage.ancestor-licenses": List => "Each ancestor with its license: \"<id>: <license id or unknown>\".",
    "lineage.inherited-license": Str => "The most restrictive ancestor license whose terms bind derivatives (knowledge-base id), or none.",
    "lineage.inherited-obligations": List => "Duties the inherited license brings: commercial-conditional, use-restrictions, attribution, naming, …",
    "lineage.license-drift": Bool => "The release declares a license more permissive than an ancestor's allows.",
}

/// The catalog entry for `name`, if the key exists.
pub fn lookup(name: &str) -> Option<&'static KeySpec> {
    KEYS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_unique_and_dotted() {
        let mut seen = std::collections::BTreeSet::new();
        for key in KEYS {
            assert!(seen.insert(key.name), "duplicate key {}", key.name);
            assert!(key.name.contains('.'), "{} has no namespace", key.name);
        }
    }
}

#[cfg(test)]
mod docs_tests {
    #[test]
    fn every_key_is_documented() {
        let docs = include_str!("../../docs/evidence.md");
        for key in super::KEYS {
            assert!(
                docs.contains(&format!("| `{}` |", key.name)),
                "docs/evidence.md does not list `{}`",
                key.name
            );
        }
    }
}
