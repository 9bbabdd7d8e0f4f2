//! The scorecard: everything an audit says about one model, in the shape every renderer reads.

use crate::evidence::findings::Finding;
use crate::evidence::gaps;
use crate::evidence::keys::{self, Key};
use crate::evidence::{Evidence, Fact, Provenance, Value};
use crate::hub::{Origin, Release};
use crate::licenses::{KnowledgeBase, LicenseEntry, LicenseText};
use crate::rubric::Status;
use crate::rubric::eval::{Assessment, ClassReached, ClassResult, DimensionResult, RubricRef};
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Source {
    /// `hub`, `cache` or `local`.
    pub kind: &'static str,
    /// The endpoint, cache folder or folder read.
    pub location: String,
}

/// A license property with the clause that justifies it.
#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    pub value: Value,
    pub why: std::sync::Arc<str>,
}

/// What the knowledge base says about a license id the scorecard names, so renderers never
/// look ids up themselves.
#[derive(Clone, Debug, PartialEq)]
pub struct LicenseRef {
    /// Knowledge-base id.
    pub id: String,
    pub name: String,
    pub spdx: Option<String>,
    pub url: String,
}

impl LicenseRef {
    fn of(entry: &LicenseEntry) -> LicenseRef {
        LicenseRef {
            id: entry.id.clone(),
            name: entry.name.clone(),
            // Entries derived from the SPDX list may be newer than the CycloneDX 1.6 license
            // enumeration, so only hand-written entries (checked against it by a test) give
            // their SPDX id to the renderers; the id itself is the SPDX id anyway.
            spdx: entry.spdx.clone().filter(|_| !entry.from_spdx_list),
            url: entry.url.clone(),
        }
    }
}

/// The license facts a reader looks for first, lifted out of the evidence.
#[derive(Clone, Debug, Default)]
pub struct LicenseSummary {
    /// License ids declared in the card metadata.
    pub declared: Vec<String>,
    /// `license_name` from the card metadata.
    pub name: Option<String>,
    /// The knowledge-base id the release is under, when known.
    pub id: Option<String>,
    pub title: Option<String>,
    pub spdx: Option<String>,
    pub category: Option<String>,
    /// `declared`, `text` or `declared+text`.
    pub source: Option<String>,
    /// An SPDX expression the card declared and how it was resolved (issue 13).
    pub expression: Option<(String, String)>,
    /// Every `license.*` property established, by name (`commercial-use`, `user-threshold`, …).
    pub properties: BTreeMap<String, Property>,
    /// Acceptable-use policies recognised in the repository.
    pub policies: Vec<String>,
    pub files: Vec<String>,
    /// What each license file was recognised as.
    pub texts: Vec<LicenseText>,
    /// The knowledge-base entry of each declared id and of the resolved id, by the id as
    /// written (absent: the knowledge base does not know it). For renderers; not in the JSON.
    pub known: BTreeMap<String, LicenseRef>,
}

impl LicenseSummary {
    /// The knowledge-base entry an id of this summary names.
    pub fn known(&self, id: &str) -> Option<&LicenseRef> {
        self.known.get(id)
    }

    /// The value of a license property (`commercial-use`, `user-threshold`…), when known.
    pub fn property(&self, key: &str) -> Option<&Value> {
        self.properties.get(key).map(|p| &p.value)
    }
}

/// What a scorecard's facts were read from: the metadata's source, and the files and related
/// lookups that did not come fresh from the Hub in this run, by where they came from instead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetrievalSummary {
    /// `hub`, `listing`, `cache`, `revalidated` or `unavailable`.
    pub metadata: &'static str,
    pub cached: Vec<String>,
    pub revalidated: Vec<String>,
    pub unavailable: Vec<String>,
}

impl RetrievalSummary {
    fn of(retrieval: &crate::hub::Retrieval) -> Option<RetrievalSummary> {
        use crate::hub::Retrieved;
        let metadata = retrieval.metadata?;
        let mut summary = RetrievalSummary {
            metadata: metadata.as_str(),
            ..RetrievalSummary::default()
        };
        for (what, from) in &retrieval.items {
            let list = match from {
                Retrieved::Cache => &mut summary.cached,
                Retrieved::Revalidated => &mut summary.revalidated,
                Retrieved::Unavailable => &mut summary.unavailable,
                Retrieved::Hub | Retrieved::Listing => continue,
            };
            list.push(what.clone());
        }
        for list in [
            &mut summary.cached,
            &mut summary.revalidated,
            &mut summary.unavailable,
        ] {
            list.sort();
            list.dedup();
        }
        Some(summary)
    }
}

#[derive(Clone, Debug)]
pub struct Scorecard {
    pub model: String,
    /// The name as given, when it differs from `model` (a renamed repo, a local folder).
    pub requested: Option<String>,
    /// The commit every fact was read at, when known.
    pub revision: Option<String>,
    pub source: Source,
    pub rubric: RubricRef,
    pub score: f64,
    /// The score if every unknown criterion passed.
    pub score_if_known: f64,
    pub max: f64,
    pub percent: f64,
    /// The rubric's overall verdict, when it has one (`unknown` when unknown facts decide it).
    pub verdict: Option<String>,
    pub grade: Option<String>,
    /// For rubrics with classes: the class reached, or null.
    pub class: Option<Option<ClassReached>>,
    /// For rubrics with classes: progress per class.
    pub classes: Vec<ClassResult>,
    pub dimensions: Vec<DimensionResult>,
    pub license: LicenseSummary,
    /// `none`, `auto` or `manual`, when known.
    pub gate: Option<String>,
    /// Downloads over the last 30 days, as the Hub reported them.
    pub downloads: Option<u64>,
    /// Where the facts were read from (Hub and cache releases; `None` for local folders).
    pub retrieval: Option<RetrievalSummary>,
    pub findings: Vec<Finding>,
    pub evidence: BTreeMap<Key, Arc<Fact>>,
    /// The facts that unknown criteria need and could not be read, each with why and what
    /// would establish it (`--token`, a retry, an online run).
    pub unknown_facts: BTreeMap<Key, String>,
}

impl Scorecard {
    /// The fact established for `key`, if any.
    pub fn fact(&self, key: Key) -> Option<&Fact> {
        self.evidence.get(&key).map(|fact| &**fact)
    }

    pub fn new(
        requested: &str,
        release: &Release,
        evidence: Evidence,
        texts: Vec<LicenseText>,
        assessment: Assessment,
    ) -> Scorecard {
        let source = match &release.origin {
            Origin::Hub { endpoint } => Source {
                kind: "hub",
                location: endpoint.clone(),
            },
            Origin::Cache { path } => Source {
                kind: "cache",
                location: path.display().to_string(),
            },
            Origin::Local { path } => Source {
                kind: "local",
                location: path.display().to_string(),
            },
        };
        let text = |key: Key| evidence.str(key).map(str::to_owned);
        let mut license = LicenseSummary {
            declared: evidence.list(keys::LICENSE_DECLARED).to_vec(),
            name: text(keys::LICENSE_NAME),
            id: text(keys::LICENSE_ID),
            title: text(keys::LICENSE_TITLE),
            spdx: text(keys::LICENSE_SPDX),
            category: text(keys::LICENSE_CATEGORY),
            source: text(keys::LICENSE_SOURCE),
            expression: text(keys::LICENSE_EXPRESSION)
                .zip(text(keys::LICENSE_EXPRESSION_RESOLUTION)),
            properties: evidence
                .iter()
                .filter_map(|(key, fact)| {
                    let name = key.name().strip_prefix("license.")?;
                    let Some(Provenance::Knowledge { why, .. }) = fact.provenance.first() else {
                        return None;
                    };
                    let descriptive = matches!(name, "id" | "title" | "spdx" | "category");
                    (!descriptive).then(|| {
                        (
                            name.to_owned(),
                            Property {
                                value: fact.value.clone(),
                                why: why.clone(),
                            },
                        )
                    })
                })
                .collect(),
            policies: evidence.list(keys::LICENSE_POLICIES).to_vec(),
            files: evidence.list(keys::LICENSE_FILES).to_vec(),
            texts,
            known: BTreeMap::new(),
        };
        let kb = KnowledgeBase::embedded();
        for id in license.declared.iter().chain(&license.id) {
            if let Some(entry) = kb.get(id) {
                license.known.insert(id.clone(), LicenseRef::of(entry));
            }
        }
        let mut findings = evidence.findings.clone();
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then(a.code.cmp(&b.code))
                .then(a.message.cmp(&b.message))
        });
        findings.dedup();
        let unknown_facts = assessment
            .dimensions
            .iter()
            .flat_map(|d| &d.criteria)
            .filter(|c| c.status == Status::Unknown)
            .flat_map(|c| &c.evidence)
            .filter(|e| e.fact.is_none())
            .map(|e| (e.key, gaps::why_absent(release, e.key)))
            .collect();
        Scorecard {
            model: release.id.clone(),
            requested: (requested != release.id).then(|| requested.to_owned()),
            revision: release.revision.clone(),
            source,
            rubric: assessment.rubric,
            score: assessment.score,
            score_if_known: assessment.score_if_known,
            max: assessment.max,
            percent: assessment.percent,
            verdict: assessment.verdict,
            grade: assessment.grade,
            class: assessment.class,
            classes: assessment.classes,
            dimensions: assessment.dimensions,
            license,
            gate: evidence.str(keys::ACCESS_GATE).map(str::to_owned),
            downloads: release.info.downloads,
            retrieval: RetrievalSummary::of(&release.retrieval),
            findings,
            evidence: evidence.iter().map(|(k, f)| (k, Arc::clone(f))).collect(),
            unknown_facts,
        }
    }
}
