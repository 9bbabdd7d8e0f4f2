//! The catalog of evidence keys: every fact the pipeline can establish, with its type and the
//! lookup it needs.
//!
//! Code names a key by its constant (`keys::WEIGHTS_PUBLISHED`), so a misspelt key does not
//! compile. Rubric conditions name keys as text and are resolved here when the rubric loads, so
//! a typo in a rubric is an error at load time instead of a criterion that silently never
//! matches. `docs/evidence.md` documents the same list (a test keeps the two in step).

use super::value::ValueType;
use serde::{Serialize, Serializer};
use std::fmt;

/// What must be fetched, beyond the release itself, before a key can be established.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Needs {
    /// The model info and the release's own files (card, license files).
    Release,
    /// The repository's branches (`/api/models/{id}/refs`).
    Refs,
    /// The named datasets' Hub metadata (`/api/datasets/{id}`).
    Datasets,
    /// The named public datasets' cards (`/datasets/{id}/resolve/{sha}/README.md`), after their
    /// metadata.
    DatasetCards,
    /// The base models up the `base_model` chain (`/api/models/{base}`).
    Lineage,
    /// The code repositories the card links, read on GitHub (docs/code-host.md).
    CodeHost,
}

#[derive(Debug)]
pub struct KeySpec {
    pub name: &'static str,
    pub ty: ValueType,
    pub needs: Needs,
    pub doc: &'static str,
}

/// An evidence key: a name from the catalog. Only the catalog makes them.
#[derive(Clone, Copy)]
pub struct Key(&'static KeySpec);

impl Key {
    pub fn name(self) -> &'static str {
        self.0.name
    }

    /// The part before the dot: `weights`, `license`, `lineage`, …
    pub fn namespace(self) -> &'static str {
        self.0
            .name
            .split_once('.')
            .map_or(self.0.name, |(ns, _)| ns)
    }

    pub fn value_type(self) -> ValueType {
        self.0.ty
    }

    pub fn needs(self) -> Needs {
        self.0.needs
    }

    pub fn doc(self) -> &'static str {
        self.0.doc
    }
}

// Keys compare, order and hash by name: the catalog holds each name once.
impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> std::cmp::Ordering {
        self.0.name.cmp(other.0.name)
    }
}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.name)
    }
}

impl Serialize for Key {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name)
    }
}

macro_rules! keys {
    ($( $const:ident = $name:literal : $ty:ident, $needs:ident => $doc:literal ),* $(,)?) => {
        $(
            #[doc = $doc]
            pub const $const: Key = Key(&KeySpec {
                name: $name,
                ty: ValueType::$ty,
                needs: Needs::$needs,
                doc: $doc,
            });
        )*

        /// Every key, in catalog order.
        pub const KEYS: &[Key] = &[ $( $const ),* ];
    };
}

keys! {
    // weights
    WEIGHTS_PUBLISHED = "weights.published": Bool, Release => "At least one weight file is in the repository listing.",
    WEIGHTS_FILES = "weights.files": Int, Release => "Number of weight files in the repository listing.",
    WEIGHTS_FORMATS = "weights.formats": List, Release => "Weight formats found: safetensors, pytorch, gguf, onnx, tensorflow, flax, ….",
    WEIGHTS_BYTES = "weights.bytes": Int, Release => "Total size of the weight files in bytes (when the listing carries sizes).",
    WEIGHTS_PARAMETERS = "weights.parameters": Int, Release => "Parameter count published by the Hub (safetensors or GGUF header summary).",
    WEIGHTS_NEEDS_BASE = "weights.needs-base": Bool, Release => "The published weights cannot run without the base model: adapter files (data/release-files.toml [adapter-weights]), base_model_relation adapter, or delta weights the card says to apply to the base (data/card-topics.toml [delta-weights]).",
    WEIGHTS_CONFIG = "weights.config": Bool, Release => "A config.json (the architecture) is in the repository listing.",
    // access
    ACCESS_GATE = "access.gate": Str, Release => "Access gate: none, auto (accepted on request) or manual (approved by the publisher).",
    ACCESS_EU_DISALLOWED = "access.eu-disallowed": Bool, Release => "The gate refuses every user in the European Union (extra_gated_eu_disallowed: true in the card metadata); false when the metadata does not say so.",
    ACCESS_PRIVATE = "access.private": Bool, Release => "The repository is private.",
    ACCESS_DISABLED = "access.disabled": Bool, Release => "The repository is disabled (e.g. taken down).",
    ACCESS_FILES_READABLE = "access.files-readable": Bool, Release => "The release's files could be read with the credentials used.",
    // license
    LICENSE_DECLARED = "license.declared": List, Release => "License ids declared in the card metadata (license:, license: tags).",
    LICENSE_NAME = "license.name": Str, Release => "Custom license name declared with license: other (license_name).",
    LICENSE_LINK = "license.link": Str, Release => "Link to the license declared in the card metadata (license_link).",
    LICENSE_EXPRESSION = "license.expression": Str, Release => "An SPDX license expression the card declares (license: or license_name), as written.",
    LICENSE_EXPRESSION_RESOLUTION = "license.expression-resolution": Str, Release => "How that expression was resolved: OR takes the most permissive choice, AND the most restrictive term.",
    LICENSE_FILES = "license.files": List, Release => "License and use-policy files present in the repository.",
    LICENSE_ID = "license.id": Str, Release => "The license the release is under, as a knowledge-base id.",
    LICENSE_TITLE = "license.title": Str, Release => "The full name of that license.",
    LICENSE_SPDX = "license.spdx": Str, Release => "Its SPDX identifier, when it has one.",
    LICENSE_SOURCE = "license.source": Str, Release => "How it was established: declared, text, or declared+text.",
    LICENSE_DETECTED = "license.detected": List, Release => "Licenses recognised in the repository's model license files.",
    LICENSE_POLICIES = "license.policies": List, Release => "Acceptable-use policies recognised in the repository's files.",
    LICENSE_CATEGORY = "license.category": Str, Release => "open, restricted, non-commercial or unknown.",
    LICENSE_OSI_APPROVED = "license.osi-approved": Bool, Release => "The license is OSI-approved.",
    LICENSE_COMMERCIAL_USE = "license.commercial-use": Str, Release => "Commercial use: yes, no, or conditional.",
    LICENSE_USE_RESTRICTIONS = "license.use-restrictions": Bool, Release => "The license restricts fields of use.",
    LICENSE_USE_POLICY = "license.use-policy": Bool, Release => "Use restrictions live in an acceptable-use policy the licensor can change.",
    LICENSE_USER_THRESHOLD = "license.user-threshold": Int, Release => "User-count ceiling above which another license is needed (0: none).",
    LICENSE_ATTRIBUTION = "license.attribution": Bool, Release => "The license requires keeping notices or crediting the licensor.",
    LICENSE_NAMING = "license.naming": Bool, Release => "The license requires displaying a brand or naming derivatives after the model.",
    LICENSE_OUTPUT_RESTRICTIONS = "license.output-restrictions": Bool, Release => "The license restricts the use of outputs (e.g. to train other models).",
    LICENSE_NON_COMMERCIAL = "license.non-commercial": Bool, Release => "The license forbids commercial use.",
    LICENSE_RESEARCH_ONLY = "license.research-only": Bool, Release => "The license limits use to research.",
    LICENSE_COPYLEFT = "license.copyleft": Bool, Release => "Derivatives must carry the same license (share-alike).",
    LICENSE_DERIVATIVES = "license.derivatives": Bool, Release => "Modified versions and derivatives may be made and shared.",
    LICENSE_OPEN_DATA = "license.open-data": Bool, Release => "The license is made for data (CC, CDLA, ODC…).",
    // data
    DATA_DATASETS = "data.datasets": List, Release => "Datasets named by the card: datasets:, dataset: tags, and Hub dataset links in the card.",
    DATA_DATASETS_ON_HUB = "data.datasets-on-hub": List, Datasets => "Named datasets that exist on the Hub (GET /api/datasets/{id} answered).",
    DATA_DATASETS_OPEN = "data.datasets-open": List, Datasets => "Named datasets on the Hub that are public, not gated and not disabled.",
    DATA_DATASETS_GATED = "data.datasets-gated": List, Datasets => "Named datasets on the Hub that are gated, private or disabled.",
    DATA_DATASETS_MISSING = "data.datasets-missing": List, Datasets => "Named datasets the Hub does not have (404).",
    DATA_DATASETS_ELSEWHERE = "data.datasets-elsewhere": List, Release => "Training data named outside the Hub: dataset or data URLs in the card's training-data section, non-Hub names in datasets:.",
    DATA_DATASETS_LICENSES = "data.datasets-licenses": List, Datasets => "License ids the named Hub datasets declare (knowledge-base ids when known).",
    DATA_DATASETS_LICENSES_NOT_OPEN = "data.datasets-licenses-not-open": List, Datasets => "Those of the datasets' license ids the knowledge base does not class open: restricted, non-commercial, or of unknown terms (other).",
    DATA_DATASETS_DOCUMENTED = "data.datasets-documented": List, DatasetCards => "Named public Hub datasets whose own card documents the data like a datasheet (at least min-topics of data/dataset-card.toml with substance). Absent when no named dataset's card could be read.",
    DATA_DATASETS_UNDOCUMENTED = "data.datasets-undocumented": List, DatasetCards => "Named public Hub datasets whose card was read (or that have none) and does not document the data like a datasheet.",
    DATA_AVAILABILITY = "data.availability": Str, Datasets => "all-open, some-open, closed (named but none open) or not-named.",
    DATA_TRAINING_SECTION = "data.training-section": Bool, Release => "The model card has a section on training data.",
    DATA_TRAINING_SECTION_BYTES = "data.training-section-bytes": Int, Release => "Size of the card's training-data sections, with their subsections, in bytes.",
    DATA_PREPROCESSING_SECTION = "data.preprocessing-section": Bool, Release => "The model card has a section on data preprocessing (filtering, deduplication, …).",
    DATA_EVALUATION_SECTION = "data.evaluation-section": Bool, Release => "The model card has a section on evaluation data or evaluation.",
    DATA_DATASHEET = "data.datasheet": Bool, Release => "The model card has a datasheet / data card section (or the EU AI Act public summary of training content), links one, or the repository ships that summary as a file (data/release-files.toml).",
    // code
    CODE_REPOSITORIES = "code.repositories": List, Release => "Code repositories linked from the model card.",
    CODE_LIBRARY = "code.library": Str, Release => "The library the weights load with (library_name).",
    CODE_TRAINING = "code.training": List, Release => "Linked code repositories whose context says they train (or fine-tune) the model; a link the card offers to the reader (\"you can fine-tune it with …\", `[user-offer]` of data/code-purposes.toml) without saying it trained the model (`[trained-with]`) is not.",
    CODE_INFERENCE = "code.inference": List, Release => "Linked code repositories whose context says they run or serve the model.",
    CODE_EVALUATION = "code.evaluation": List, Release => "Linked code repositories whose context says they evaluate the model.",
    CODE_DATA_PROCESSING = "code.data-processing": List, Release => "Linked code repositories whose context says they build or process the data.",
    CODE_OWN = "code.own": List, Release => "Linked code repositories of the release's publisher (same owner, a listed alias, or introduced as its own code; data/third-party-code.toml). Only these can be training or data-processing code.",
    CODE_THIRD_PARTY = "code.third-party": List, Release => "Linked code repositories of somebody else: known tools (with their name), demos, notebooks, other people's repositories.",
    CODE_LICENSE = "code.license": Str, Release => "The code's license as a knowledge-base id, from a LICENSE-CODE file or the card.",
    CODE_LICENSE_CATEGORY = "code.license-category": Str, Release => "Category of the code's license: open, restricted, non-commercial or unknown.",
    // the code repositories the card links, read on GitHub (docs/code-host.md)
    REPO_READ = "repo.read": List, CodeHost => "GitHub repositories the card links that were read, by their current address (after moves).",
    REPO_MISSING = "repo.missing": List, CodeHost => "Linked GitHub repositories that GitHub does not have (404): dead links.",
    REPO_MOVED = "repo.moved": List, CodeHost => "Linked GitHub repositories that moved or were renamed: \"<linked> -> <now>\".",
    REPO_ARCHIVED = "repo.archived": List, CodeHost => "Linked repositories their owner archived (read-only).",
    REPO_OWN = "repo.own": List, CodeHost => "Repositories read that are the publisher's: same owner as the model (also when linked under it and moved since, or moved to it), a listed alias, or introduced by the card as its own code (data/third-party-code.toml).",
    REPO_CODE = "repo.code": List, CodeHost => "The publisher's repositories read whose tree holds code (files with a code extension of data/code-purposes.toml, tests and vendored code aside); a repository of only a README, a license, figures or a PDF holds none.",
    REPO_TRAINING = "repo.training": List, CodeHost => "The publisher's repositories whose file tree holds training code: pretraining or fine-tuning scripts (paths of data/code-purposes.toml).",
    REPO_TRAINING_CONFIGS = "repo.training-configs": List, CodeHost => "The publisher's repositories that publish training configurations (YAML, JSON recipes) but no training code.",
    REPO_PRETRAINING = "repo.pretraining": List, CodeHost => "The publisher's repositories whose tree holds pretraining code (train.py, training/, launch scripts …).",
    REPO_FINE_TUNING = "repo.fine-tuning": List, CodeHost => "The publisher's repositories whose tree holds fine-tuning code (SFT, DPO, LoRA, recipes …).",
    REPO_DATA_PROCESSING = "repo.data-processing": List, CodeHost => "The publisher's repositories whose tree holds data-processing code (prepare_*data*, dedup, tokenisation …).",
    REPO_EVALUATION = "repo.evaluation": List, CodeHost => "The publisher's repositories whose tree holds evaluation code.",
    REPO_INFERENCE = "repo.inference": List, CodeHost => "The publisher's repositories whose tree holds inference code (generate, serve, convert …).",
    REPO_LICENSE = "repo.license": Str, CodeHost => "The license of the publisher's code, recognised from the license file of a repository that holds code (a training repository's first), as a knowledge-base id; unset when none of the publisher's repositories holds code.",
    REPO_LICENSE_CATEGORY = "repo.license-category": Str, CodeHost => "Category of that license: open, restricted, non-commercial or unknown.",
    REPO_LICENSES = "repo.licenses": List, CodeHost => "Each repository read with the license recognised from its license file: \"<repo>: <id>\", `none` without a license file, `unrecognized` when its text matches no known license.",
    REPO_README_TOPICS = "repo.readme-topics": List, CodeHost => "Documentation topics the READMEs of the publisher's training, training-configuration and data-processing repositories cover: installation, usage, training, data-preparation, evaluation (data/code-purposes.toml).",
    REPO_DOCS_FILES = "repo.docs-files": Int, CodeHost => "Documentation files in the doc folders (docs/, doc/, documentation/) of the publisher's training, training-configuration and data-processing repositories.",
    // documentation
    CARD_PRESENT = "card.present": Bool, Release => "The repository has a model card (README.md).",
    CARD_BYTES = "card.bytes": Int, Release => "Size of the model card in bytes.",
    CARD_METADATA = "card.metadata": Bool, Release => "The model card has valid YAML metadata (front matter).",
    CARD_SECTIONS = "card.sections": List, Release => "Headings of the model card's sections.",
    CARD_EVALUATION_RESULTS = "card.evaluation-results": Bool, Release => "Evaluation results are published: model-index results in the metadata, or an evaluation section.",
    CARD_TOPICS = "card.topics": List, Release => "Standard model-card topics the card covers with substance (data/card-topics.toml): model-details, architecture, intended-use, limitations, training-data, training-procedure, hyperparameters, evaluation, compute, hardware, citation, license, usage, datasheet.",
    CARD_CORE_TOPICS = "card.core-topics": List, Release => "The card's topics that give insight on the model itself (architecture, training data, training procedure, hyperparameters, evaluation; [core] of data/card-topics.toml).",
    CARD_PLACEHOLDERS = "card.placeholders": List, Release => "Topics the card has only as unfilled template placeholders ([More Information Needed], \"coming soon\").",
    CARD_PROSE_WORDS = "card.prose-words": Int, Release => "Words of prose in the card (code blocks, comments, placeholders and URLs aside).",
    // compute
    COMPUTE_ACCELERATORS = "compute.accelerators": List, Release => "Training accelerators stated in the card, with their count when stated (\"a100 × 512\", \"gpus × 8\"), read in training, hardware or compute context only.",
    COMPUTE_HARDWARE = "compute.hardware": Str, Release => "How far the training hardware is documented: kind-and-count, kind, count or none.",
    COMPUTE_TIME = "compute.time": List, Release => "Card lines stating training time or compute volume (GPU hours, days, FLOPs).",
    COMPUTE_CLUSTER = "compute.cluster": List, Release => "Card lines naming the training cluster, facility or cloud.",
    COMPUTE_EMISSIONS = "compute.emissions": List, Release => "Card lines stating energy use or carbon emissions.",
    FILES_TRAINING_METADATA = "files.training-metadata": List, Release => "Training configuration and optimizer-state files in the repository (trainer_state.json, optimizer.pt …; data/release-files.toml).",
    FILES_SAMPLE_OUTPUTS = "files.sample-outputs": List, Release => "Sample model outputs shipped in the repository (samples/, generations.jsonl …; data/release-files.toml).",
    // the base model as a release of its own
    BASE_ID = "base.id": Str, Lineage => "The base model judged: the root of the walked lineage chain.",
    BASE_SAME_PUBLISHER = "base.same-publisher": Bool, Lineage => "The base model has the release's owner (an earlier stage of the same release).",
    BASE_WEIGHTS = "base.weights": Str, Lineage => "The base model's weights on the Hub: public, gated, not-published (no weight files) or not-on-hub (404 or private).",
    BASE_DATASETS = "base.datasets": List, Lineage => "Training datasets the base model's own card names (cardData datasets, dataset: tags).",
    PAPER_ARXIV = "paper.arxiv": List, Release => "arXiv ids linked from the release (arxiv: tags, card links).",
    PAPER_LINKS = "paper.links": List, Release => "Other paper links in the card (OpenReview, ACL Anthology, DOIs, proceedings, paper PDFs).",
    PAPER_OWN = "paper.own": List, Release => "Papers about this release (arXiv ids, DOIs, URLs): cited as its own report, or naming the model (data/peer-review.toml roles).",
    PAPER_BASIS = "paper.basis": List, Release => "Papers the release builds on: the base model's paper, or a method it says it follows (\"inspired by\").",
    PAPER_REVIEWED = "paper.reviewed": List, Release => "The release's own papers with the peer-reviewed venue the card states (BibTeX type and venue, proceedings links, \"accepted at\").",
    PAPER_ABSENT = "paper.absent": Bool, Release => "The card says the release's paper is not out yet (\"paper coming soon\").",
    PAPER_TECHNICAL_REPORT = "paper.technical-report": Bool, Release => "A technical report is linked from the card or has a section in it.",
    // checkpoints
    CHECKPOINTS_BRANCHES = "checkpoints.branches": List, Refs => "Branches of the repository other than main (refs API).",
    CHECKPOINTS_INTERMEDIATE = "checkpoints.intermediate": List, Refs => "Branches that hold intermediate training checkpoints (step…, stage…, …-tokens…).",
    CHECKPOINTS_STATED = "checkpoints.stated": Bool, Release => "The card states that intermediate checkpoints are published and how to reach them (a revision, a branch, step names, a Hub repository): data/card-topics.toml [checkpoint-statements].",
    CHECKPOINTS_PUBLISHED = "checkpoints.published": Bool, Refs => "Intermediate checkpoints are published as branches.",
    // lineage
    LINEAGE_BASE_MODELS = "lineage.base-models": List, Release => "Base models the release declares (base_model).",
    LINEAGE_RELATION = "lineage.relation": Str, Release => "Relation to the base model: finetune, adapter, quantized or merge.",
    LINEAGE_CHAIN = "lineage.chain": List, Lineage => "Ancestors up the base_model chain, parents first.",
    LINEAGE_ANCESTOR_LICENSES = "lineage.ancestor-licenses": List, Lineage => "Each ancestor with its license: \"<id>: <license id or unknown>\".",
    LINEAGE_INHERITED_LICENSE = "lineage.inherited-license": Str, Lineage => "The most restrictive ancestor license whose terms bind derivatives (knowledge-base id), or none.",
    LINEAGE_INHERITED_OBLIGATIONS = "lineage.inherited-obligations": List, Lineage => "Duties the inherited license brings: commercial-conditional, use-restrictions, attribution, naming, …",
    LINEAGE_LICENSE_DRIFT = "lineage.license-drift": Bool, Lineage => "The release declares a license more permissive than an ancestor's allows.",
}

/// The key named `name`, if the catalog has it.
pub fn lookup(name: &str) -> Option<Key> {
    KEYS.iter().copied().find(|k| k.name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_are_unique_and_dotted() {
        let mut seen = std::collections::BTreeSet::new();
        for key in KEYS {
            assert!(seen.insert(key.name()), "duplicate key {key}");
            assert!(key.name().contains('.'), "{key} has no namespace");
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
                docs.contains(&format!("| `{key}` |")),
                "docs/evidence.md does not list `{key}`"
            );
        }
    }
}
