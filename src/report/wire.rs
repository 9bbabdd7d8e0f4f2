//! The JSON contract (`openness/v1`): the shapes `json` and `jsonl` write, apart from the domain
//! types they are read from, so a refactor of the pipeline cannot change the output by accident.
//! `schemas/scorecard.schema.json` is written against these types (a test validates every
//! format's JSON against it); a change here is a change of the contract, noted in the changelog.
//!
//! Keys come out sorted (the renderers serialise through `serde_json::Value`), numbers of points
//! as integers when whole and rounded to 0.01 otherwise.

use super::ModelError;
use crate::evidence::findings::Finding;
use crate::evidence::{Fact, Provenance, Value};
use crate::licenses::LicenseText;
use crate::licenses::detect::{Match, Recognition};
use crate::rubric::eval::{ClassResult, CriterionResult, DimensionResult, EvidenceRef, points};
use crate::scorecard::{LicenseSummary, Scorecard};
use serde::Serialize;
use std::collections::BTreeMap;

/// The identifier of the JSON shape, in every document.
pub const SCHEMA: &str = "openness/v1";

#[derive(Serialize)]
pub struct Generator {
    pub name: &'static str,
    pub version: &'static str,
}

pub const GENERATOR: Generator = Generator {
    name: "openness",
    version: env!("CARGO_PKG_VERSION"),
};

/// One scorecard.
#[derive(Serialize)]
pub struct ScorecardV1<'a> {
    model: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    requested: Option<&'a str>,
    revision: Option<&'a str>,
    source: SourceV1<'a>,
    rubric: RubricV1<'a>,
    #[serde(serialize_with = "points")]
    score: f64,
    #[serde(serialize_with = "points")]
    score_if_known: f64,
    #[serde(serialize_with = "points")]
    max: f64,
    #[serde(serialize_with = "points")]
    percent: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<&'a str>,
    /// Only for rubrics with classes: the class reached, or null.
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<Option<ClassReachedV1<'a>>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    classes: Vec<ClassV1<'a>>,
    dimensions: Vec<DimensionV1<'a>>,
    license: LicenseV1<'a>,
    gate: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    downloads: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    retrieval: Option<RetrievalV1<'a>>,
    findings: Vec<FindingV1<'a>>,
    evidence: BTreeMap<&'static str, FactV1<'a>>,
    /// The facts unknown criteria need, with why they are missing and how to get them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    unknown_facts: Vec<UnknownFactV1<'a>>,
}

#[derive(Serialize)]
struct UnknownFactV1<'a> {
    key: &'static str,
    why: &'a str,
}

impl<'a> From<&'a Scorecard> for ScorecardV1<'a> {
    fn from(card: &'a Scorecard) -> Self {
        ScorecardV1 {
            model: &card.model,
            requested: card.requested.as_deref(),
            revision: card.revision.as_deref(),
            source: SourceV1 {
                kind: card.source.kind,
                location: &card.source.location,
            },
            rubric: RubricV1 {
                name: &card.rubric.name,
                version: &card.rubric.version,
            },
            score: card.score,
            score_if_known: card.score_if_known,
            max: card.max,
            percent: card.percent,
            verdict: card.verdict.as_deref(),
            grade: card.grade.as_deref(),
            class: card.class.as_ref().map(|reached| {
                reached.as_ref().map(|c| ClassReachedV1 {
                    id: &c.id,
                    name: &c.name,
                    conditional: c.conditional,
                })
            }),
            classes: card.classes.iter().map(ClassV1::from).collect(),
            dimensions: card.dimensions.iter().map(DimensionV1::from).collect(),
            license: LicenseV1::from(&card.license),
            gate: card.gate.as_deref(),
            downloads: card.downloads,
            retrieval: card.retrieval.as_ref().map(|r| RetrievalV1 {
                metadata: r.metadata,
                cached: &r.cached,
                revalidated: &r.revalidated,
                unavailable: &r.unavailable,
            }),
            findings: card.findings.iter().map(FindingV1::from).collect(),
            evidence: card
                .evidence
                .iter()
                .map(|(key, fact)| (key.name(), FactV1::from(&**fact)))
                .collect(),
            unknown_facts: card
                .unknown_facts
                .iter()
                .map(|(key, why)| UnknownFactV1 {
                    key: key.name(),
                    why,
                })
                .collect(),
        }
    }
}

/// Where the facts were read from (`hub`, `listing`, `cache`, `revalidated`, `unavailable`).
#[derive(Serialize)]
struct RetrievalV1<'a> {
    metadata: &'a str,
    cached: &'a [String],
    revalidated: &'a [String],
    unavailable: &'a [String],
}

#[derive(Serialize)]
struct SourceV1<'a> {
    /// `hub`, `cache` or `local`.
    kind: &'a str,
    location: &'a str,
}

#[derive(Serialize)]
struct RubricV1<'a> {
    name: &'a str,
    version: &'a str,
}

#[derive(Serialize)]
struct ClassReachedV1<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    conditional: bool,
}

#[derive(Serialize)]
struct ClassV1<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(serialize_with = "points")]
    progress: f64,
    #[serde(serialize_with = "points")]
    progress_if_known: f64,
    status: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    conditional: bool,
    missing: &'a [String],
    unknown: &'a [String],
}

impl<'a> From<&'a ClassResult> for ClassV1<'a> {
    fn from(class: &'a ClassResult) -> Self {
        ClassV1 {
            id: &class.id,
            name: &class.name,
            progress: class.progress,
            progress_if_known: class.progress_if_known,
            status: class.status,
            conditional: class.conditional,
            missing: &class.missing,
            unknown: &class.unknown,
        }
    }
}

#[derive(Serialize)]
struct DimensionV1<'a> {
    id: &'a str,
    name: &'a str,
    #[serde(serialize_with = "points")]
    score: f64,
    #[serde(serialize_with = "points")]
    score_if_known: f64,
    #[serde(serialize_with = "points")]
    max: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    basis: Option<&'static str>,
    unknown: usize,
    criteria: Vec<CriterionV1<'a>>,
}

impl<'a> From<&'a DimensionResult> for DimensionV1<'a> {
    fn from(d: &'a DimensionResult) -> Self {
        DimensionV1 {
            id: &d.id,
            name: &d.name,
            score: d.score,
            score_if_known: d.score_if_known,
            max: d.max,
            verdict: d.verdict.as_deref(),
            basis: d.basis.map(|b| b.as_str()),
            unknown: d.unknown,
            criteria: d.criteria.iter().map(CriterionV1::from).collect(),
        }
    }
}

#[derive(Serialize)]
struct CriterionV1<'a> {
    id: &'a str,
    description: &'a str,
    status: &'static str,
    #[serde(serialize_with = "points")]
    points: f64,
    #[serde(serialize_with = "points")]
    max: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    conditional: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    unavailable: Option<&'a str>,
    evidence: Vec<CitedV1<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    basis: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

impl<'a> From<&'a CriterionResult> for CriterionV1<'a> {
    fn from(c: &'a CriterionResult) -> Self {
        CriterionV1 {
            id: &c.id,
            description: &c.description,
            status: c.status.as_str(),
            points: c.points,
            max: c.max,
            verdict: c.verdict.as_deref(),
            conditional: c.conditional,
            condition: c.condition.as_deref(),
            unavailable: c.unavailable.as_deref(),
            evidence: c.evidence.iter().map(CitedV1::from).collect(),
            basis: c.basis.map(|b| b.as_str()),
            note: c.note.as_deref(),
        }
    }
}

/// A fact a criterion cites: its key, and its value and provenance when established.
#[derive(Serialize)]
struct CitedV1<'a> {
    key: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    provenance: Vec<ProvenanceV1<'a>>,
}

impl<'a> From<&'a EvidenceRef> for CitedV1<'a> {
    fn from(e: &'a EvidenceRef) -> Self {
        CitedV1 {
            key: e.key.name(),
            value: e.value(),
            provenance: e.provenance().iter().map(ProvenanceV1::from).collect(),
        }
    }
}

#[derive(Serialize)]
struct FactV1<'a> {
    value: &'a Value,
    provenance: Vec<ProvenanceV1<'a>>,
}

impl<'a> From<&'a Fact> for FactV1<'a> {
    fn from(fact: &'a Fact) -> Self {
        FactV1 {
            value: &fact.value,
            provenance: fact.provenance.iter().map(ProvenanceV1::from).collect(),
        }
    }
}

/// Where a fact came from, tagged by `source`.
#[derive(Serialize)]
#[serde(tag = "source", rename_all = "kebab-case")]
pub enum ProvenanceV1<'a> {
    Api {
        field: &'a str,
    },
    File {
        path: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
    },
    Related {
        repo: &'a str,
        field: &'a str,
    },
    /// A linked code repository: its web address, the snapshot read, the path and line.
    Repository {
        repo: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        commit: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        path: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        line: Option<u32>,
    },
    Knowledge {
        license: &'a str,
        why: &'a str,
    },
    Derived {
        note: &'a str,
    },
}

impl<'a> From<&'a Provenance> for ProvenanceV1<'a> {
    fn from(p: &'a Provenance) -> Self {
        match p {
            Provenance::Api { field } => ProvenanceV1::Api { field },
            Provenance::File { path, line } => ProvenanceV1::File { path, line: *line },
            Provenance::Related { repo, field } => ProvenanceV1::Related { repo, field },
            Provenance::Repository {
                repo,
                commit,
                path,
                line,
            } => ProvenanceV1::Repository {
                repo,
                commit: commit.as_deref(),
                path: path.as_deref(),
                line: *line,
            },
            Provenance::Knowledge { license, why } => ProvenanceV1::Knowledge { license, why },
            Provenance::Derived { note } => ProvenanceV1::Derived { note },
        }
    }
}

#[derive(Serialize)]
pub struct FindingV1<'a> {
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<ProvenanceV1<'a>>,
}

impl<'a> From<&'a Finding> for FindingV1<'a> {
    fn from(f: &'a Finding) -> Self {
        FindingV1 {
            code: f.code.as_str(),
            severity: f.severity.as_str(),
            message: &f.message,
            evidence: f.evidence.iter().map(ProvenanceV1::from).collect(),
        }
    }
}

#[derive(Serialize)]
struct LicenseV1<'a> {
    declared: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    spdx: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expression: Option<ExpressionV1<'a>>,
    properties: BTreeMap<&'a str, PropertyV1<'a>>,
    policies: &'a [String],
    files: &'a [String],
    texts: Vec<LicenseTextV1<'a>>,
}

impl<'a> From<&'a LicenseSummary> for LicenseV1<'a> {
    fn from(l: &'a LicenseSummary) -> Self {
        LicenseV1 {
            declared: &l.declared,
            name: l.name.as_deref(),
            id: l.id.as_deref(),
            title: l.title.as_deref(),
            spdx: l.spdx.as_deref(),
            category: l.category.as_deref(),
            source: l.source.as_deref(),
            expression: l
                .expression
                .as_ref()
                .map(|(text, resolution)| ExpressionV1 { text, resolution }),
            properties: l
                .properties
                .iter()
                .map(|(name, p)| {
                    let why = Some(&*p.why).filter(|w| !w.is_empty());
                    (
                        name.as_str(),
                        PropertyV1 {
                            value: &p.value,
                            why,
                        },
                    )
                })
                .collect(),
            policies: &l.policies,
            files: &l.files,
            texts: l.texts.iter().map(LicenseTextV1::from).collect(),
        }
    }
}

/// A declared SPDX expression and how it was resolved to `id`.
#[derive(Serialize)]
struct ExpressionV1<'a> {
    text: &'a str,
    resolution: &'a str,
}

#[derive(Serialize)]
struct PropertyV1<'a> {
    value: &'a Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<&'a str>,
}

#[derive(Serialize)]
struct LicenseTextV1<'a> {
    path: &'a str,
    role: &'static str,
    recognition: RecognitionV1<'a>,
}

impl<'a> From<&'a LicenseText> for LicenseTextV1<'a> {
    fn from(t: &'a LicenseText) -> Self {
        LicenseTextV1 {
            path: &t.path,
            role: t.role.as_str(),
            recognition: RecognitionV1::from(&t.recognition),
        }
    }
}

#[derive(Serialize)]
struct RecognitionV1<'a> {
    matches: Vec<MatchV1<'a>>,
    /// The nearest standard text and its similarity, when nothing matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    closest: Option<(&'a str, f32)>,
}

impl<'a> From<&'a Recognition> for RecognitionV1<'a> {
    fn from(r: &'a Recognition) -> Self {
        RecognitionV1 {
            matches: r.matches.iter().map(MatchV1::from).collect(),
            closest: r.closest.as_ref().map(|(id, score)| (id.as_str(), *score)),
        }
    }
}

#[derive(Serialize)]
struct MatchV1<'a> {
    id: &'a str,
    kind: &'static str,
    confidence: f32,
    method: &'static str,
    line: u32,
}

impl<'a> From<&'a Match> for MatchV1<'a> {
    fn from(m: &'a Match) -> Self {
        MatchV1 {
            id: &m.id,
            kind: m.kind.as_str(),
            confidence: m.confidence,
            method: m.method.as_str(),
            line: m.line,
        }
    }
}

/// A model that could not be audited.
#[derive(Serialize)]
pub struct ErrorV1<'a> {
    model: &'a str,
    code: &'a str,
    message: &'a str,
}

impl<'a> From<&'a ModelError> for ErrorV1<'a> {
    fn from(e: &'a ModelError) -> Self {
        ErrorV1 {
            model: &e.model,
            code: &e.code,
            message: &e.message,
        }
    }
}
