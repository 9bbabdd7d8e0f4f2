//! What is recorded about one model at one revision — the entry of `openness.lock` — and the
//! comparison of two records, shared by `openness check` (lock vs now) and `openness diff`
//! (revision A vs revision B).
//!
//! License texts are identified by the SHA-256 of the text read (computed with `ring`, already in
//! the tree for TLS) and, when the Hub's metadata lists it, the file's git blob id — which the
//! Hub publishes even for gated repositories whose files cannot be read without a token.

use super::Rule;
use crate::evidence::Value;
use crate::evidence::keys::{self, Key};
use crate::hub::Release;
use crate::scorecard::Scorecard;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// One license file and the hashes that identify its text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct LicenseFile {
    pub path: String,
    /// SHA-256 (hex) of the text as read; absent when it could not be read (gated, no token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// The git blob id the Hub lists for the file (`siblings[].blobId`), when it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
}

impl LicenseFile {
    fn describe(&self) -> String {
        match (&self.sha256, &self.blob) {
            (Some(sha), _) => format!("sha256:{}", short(sha)),
            (None, Some(blob)) => format!("blob:{}", short(blob)),
            (None, None) => "not readable".to_owned(),
        }
    }

    /// `Some(true)` when the two texts are known to differ, `Some(false)` when known equal,
    /// `None` when no hash is on both sides.
    fn differs(&self, other: &LicenseFile) -> Option<bool> {
        if let (Some(a), Some(b)) = (&self.sha256, &other.sha256) {
            return Some(a != b);
        }
        if let (Some(a), Some(b)) = (&self.blob, &other.blob) {
            return Some(a != b);
        }
        None
    }
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}

/// What `openness.lock` records about a model, and what `openness diff` compares.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Snapshot {
    /// The model as listed in `openness.toml` (or found by `--scan`).
    pub id: String,
    /// The commit audited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
    /// The knowledge-base id of the license the release is under.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// License ids the card declares.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub declared: Vec<String>,
    /// `none`, `auto` or `manual`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights_published: Option<bool>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weight_formats: Vec<String>,
    /// `data.availability`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// `name version` of the rubric scored with.
    pub rubric: String,
    pub score: f64,
    pub max: f64,
    /// Score per dimension id.
    #[serde(default)]
    pub dimensions: BTreeMap<String, f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub license_files: Vec<LicenseFile>,
}

fn round(points: f64) -> f64 {
    (points * 100.0).round() / 100.0
}

/// SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, bytes);
    let mut out = String::with_capacity(64);
    for byte in digest.as_ref() {
        let _ = write!(out, "{byte:02x}");
    }
    out
}

impl Snapshot {
    /// The record of an audited release. `id` is the model as listed.
    pub fn of(id: &str, release: &Release, card: &Scorecard) -> Snapshot {
        let ev = |key: Key| card.fact(key).map(|f| &f.value);
        let mut license_files: Vec<LicenseFile> = card
            .license
            .files
            .iter()
            .map(|path| LicenseFile {
                path: path.clone(),
                sha256: release
                    .file(path)
                    .and_then(|f| f.text())
                    .map(|text| sha256_hex(text.as_bytes())),
                blob: release
                    .info
                    .siblings
                    .iter()
                    .flatten()
                    .find(|s| &s.path == path)
                    .and_then(|s| s.blob_id.clone()),
            })
            .collect();
        license_files.sort_by(|a, b| a.path.cmp(&b.path));
        license_files.dedup_by(|a, b| a.path == b.path);
        Snapshot {
            id: id.to_owned(),
            revision: card.revision.clone(),
            license: card.license.id.clone(),
            declared: card.license.declared.clone(),
            gate: card.gate.clone(),
            weights_published: match ev(keys::WEIGHTS_PUBLISHED) {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            },
            weight_formats: match ev(keys::WEIGHTS_FORMATS) {
                Some(Value::List(items)) => items.clone(),
                _ => Vec::new(),
            },
            data: match ev(keys::DATA_AVAILABILITY) {
                Some(Value::Str(s)) => Some(s.clone()),
                _ => None,
            },
            rubric: format!("{} {}", card.rubric.name, card.rubric.version),
            score: round(card.score),
            max: round(card.max),
            dimensions: card
                .dimensions
                .iter()
                .map(|d| (d.id.clone(), round(d.score)))
                .collect(),
            license_files,
        }
    }
}

/// What changed between two records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    RevisionChanged,
    LicenseChanged,
    GateAdded,
    GateRemoved,
    WeightsChanged,
    DataChanged,
    RubricChanged,
    ScoreDropped,
    ScoreRose,
    DimensionChanged,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::RevisionChanged => "revision-changed",
            ChangeKind::LicenseChanged => "license-changed",
            ChangeKind::GateAdded => "gate-added",
            ChangeKind::GateRemoved => "gate-removed",
            ChangeKind::WeightsChanged => "weights-changed",
            ChangeKind::DataChanged => "data-changed",
            ChangeKind::RubricChanged => "rubric-changed",
            ChangeKind::ScoreDropped => "score-dropped",
            ChangeKind::ScoreRose => "score-rose",
            ChangeKind::DimensionChanged => "dimension-changed",
        }
    }

    /// The policy rule that judges this kind of change; the others are informational.
    pub fn rule(self) -> Option<Rule> {
        match self {
            ChangeKind::RevisionChanged => Some(Rule::RevisionChanged),
            ChangeKind::LicenseChanged => Some(Rule::LicenseChanged),
            ChangeKind::GateAdded => Some(Rule::GateAdded),
            ChangeKind::ScoreDropped => Some(Rule::ScoreDropped),
            ChangeKind::GateRemoved
            | ChangeKind::WeightsChanged
            | ChangeKind::DataChanged
            | ChangeKind::RubricChanged
            | ChangeKind::ScoreRose
            | ChangeKind::DimensionChanged => None,
        }
    }
}

/// One row of a comparison: what, its value before and after, and the change when it changed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    /// `revision`, `license`, `declared`, `license file LICENSE`, `gate`, `weights`, `data`,
    /// `rubric`, `score`, `score: <dimension>`.
    pub what: String,
    pub before: String,
    pub after: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<ChangeKind>,
}

impl Change {
    /// `what: before → after`, for messages.
    pub fn describe(&self) -> String {
        format!("{}: {} → {}", self.what, self.before, self.after)
    }
}

fn text(value: Option<&str>) -> String {
    value.unwrap_or("unknown").to_owned()
}

fn gate_rank(gate: Option<&str>) -> Option<u8> {
    match gate? {
        "none" => Some(0),
        "auto" => Some(1),
        "manual" => Some(2),
        _ => None,
    }
}

fn weights_text(s: &Snapshot) -> String {
    match s.weights_published {
        Some(true) if s.weight_formats.is_empty() => "published".to_owned(),
        Some(true) => format!("published ({})", s.weight_formats.join(", ")),
        Some(false) => "not published".to_owned(),
        None => "unknown".to_owned(),
    }
}

fn points(value: f64) -> String {
    crate::text::points_text(value)
}

/// Every row of the comparison of `a` (before) with `b` (after), changed or not.
pub fn rows(a: &Snapshot, b: &Snapshot) -> Vec<Change> {
    let mut rows = Vec::new();
    let row = |rows: &mut Vec<Change>,
               what: &str,
               before: String,
               after: String,
               change: Option<ChangeKind>| {
        let change = if before == after { None } else { change };
        rows.push(Change {
            what: what.to_owned(),
            before,
            after,
            change,
        });
    };
    let changed = |differs: bool, kind: ChangeKind| differs.then_some(kind);

    row(
        &mut rows,
        "revision",
        text(a.revision.as_deref()),
        text(b.revision.as_deref()),
        changed(
            a.revision.is_some() && b.revision.is_some() && a.revision != b.revision,
            ChangeKind::RevisionChanged,
        ),
    );
    row(
        &mut rows,
        "license",
        text(a.license.as_deref()),
        text(b.license.as_deref()),
        changed(a.license != b.license, ChangeKind::LicenseChanged),
    );
    let mut da = a.declared.clone();
    let mut db = b.declared.clone();
    da.sort();
    db.sort();
    row(
        &mut rows,
        "declared",
        da.join(", "),
        db.join(", "),
        changed(da != db, ChangeKind::LicenseChanged),
    );
    let paths: BTreeSet<&str> = a
        .license_files
        .iter()
        .chain(&b.license_files)
        .map(|f| f.path.as_str())
        .collect();
    for path in paths {
        let fa = a.license_files.iter().find(|f| f.path == path);
        let fb = b.license_files.iter().find(|f| f.path == path);
        let describe =
            |f: Option<&LicenseFile>| f.map_or("absent".to_owned(), LicenseFile::describe);
        let differs = match (fa, fb) {
            (Some(x), Some(y)) => x.differs(y) == Some(true),
            (None, None) => false,
            _ => true,
        };
        let (before, after) = (describe(fa), describe(fb));
        rows.push(Change {
            what: format!("license file {path}"),
            change: differs.then_some(ChangeKind::LicenseChanged),
            before,
            after,
        });
    }
    let (ga, gb) = (gate_rank(a.gate.as_deref()), gate_rank(b.gate.as_deref()));
    row(
        &mut rows,
        "gate",
        text(a.gate.as_deref()),
        text(b.gate.as_deref()),
        match (ga, gb) {
            (Some(x), Some(y)) if y > x => Some(ChangeKind::GateAdded),
            (Some(x), Some(y)) if y < x => Some(ChangeKind::GateRemoved),
            _ => None,
        },
    );
    let (wa, wb) = (weights_text(a), weights_text(b));
    let weights_differ = wa != wb;
    row(
        &mut rows,
        "weights",
        wa,
        wb,
        changed(weights_differ, ChangeKind::WeightsChanged),
    );
    row(
        &mut rows,
        "data",
        text(a.data.as_deref()),
        text(b.data.as_deref()),
        changed(a.data != b.data, ChangeKind::DataChanged),
    );
    let same_rubric = a.rubric == b.rubric;
    row(
        &mut rows,
        "rubric",
        a.rubric.clone(),
        b.rubric.clone(),
        changed(!same_rubric, ChangeKind::RubricChanged),
    );
    // Scores compare only under the same rubric.
    let score_change = if !same_rubric {
        None
    } else if b.score + 1e-9 < a.score {
        Some(ChangeKind::ScoreDropped)
    } else if b.score > a.score + 1e-9 {
        Some(ChangeKind::ScoreRose)
    } else {
        None
    };
    row(
        &mut rows,
        "score",
        format!("{} / {}", points(a.score), points(a.max)),
        format!("{} / {}", points(b.score), points(b.max)),
        score_change,
    );
    let dims: BTreeSet<&String> = a.dimensions.keys().chain(b.dimensions.keys()).collect();
    for dim in dims {
        let (x, y) = (a.dimensions.get(dim), b.dimensions.get(dim));
        let shown = |v: Option<&f64>| v.map_or("—".to_owned(), |v| points(*v));
        row(
            &mut rows,
            &format!("score: {dim}"),
            shown(x),
            shown(y),
            changed(same_rubric && x != y, ChangeKind::DimensionChanged),
        );
    }
    rows
}

/// What changed from `a` (before) to `b` (after): the rows of [`rows`] that changed.
pub fn compare(a: &Snapshot, b: &Snapshot) -> Vec<Change> {
    rows(a, b)
        .into_iter()
        .filter(|r| r.change.is_some())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn snapshot() -> Snapshot {
        Snapshot {
            id: "org/model".to_owned(),
            revision: Some("a".repeat(40)),
            license: Some("mit".to_owned()),
            declared: vec!["mit".to_owned()],
            gate: Some("none".to_owned()),
            weights_published: Some(true),
            weight_formats: vec!["safetensors".to_owned()],
            data: Some("not-named".to_owned()),
            rubric: "default 1.1.0".to_owned(),
            score: 55.0,
            max: 100.0,
            dimensions: BTreeMap::from([
                ("weights".to_owned(), 25.0),
                ("license".to_owned(), 25.0),
            ]),
            license_files: vec![LicenseFile {
                path: "LICENSE".to_owned(),
                sha256: Some("1".repeat(64)),
                blob: None,
            }],
        }
    }

    fn kinds(a: &Snapshot, b: &Snapshot) -> Vec<ChangeKind> {
        compare(a, b).into_iter().filter_map(|c| c.change).collect()
    }

    #[test]
    fn identical_records_have_no_changes() {
        assert!(compare(&snapshot(), &snapshot()).is_empty());
    }

    #[test]
    fn each_kind_of_change_is_named() {
        let a = snapshot();
        let mut b = snapshot();
        b.revision = Some("b".repeat(40));
        b.license = Some("llama3.1".to_owned());
        b.gate = Some("manual".to_owned());
        b.score = 30.0;
        b.dimensions.insert("license".to_owned(), 5.0);
        b.license_files[0].sha256 = Some("2".repeat(64));
        assert_eq!(
            kinds(&a, &b),
            [
                ChangeKind::RevisionChanged,
                ChangeKind::LicenseChanged,
                ChangeKind::LicenseChanged,
                ChangeKind::GateAdded,
                ChangeKind::ScoreDropped,
                ChangeKind::DimensionChanged,
            ]
        );
        let text: Vec<String> = compare(&a, &b).iter().map(Change::describe).collect();
        assert!(
            text.contains(&"license: mit → llama3.1".to_owned()),
            "{text:?}"
        );
        assert!(
            text.contains(
                &"license file LICENSE: sha256:111111111111 → sha256:222222222222".to_owned()
            ),
            "{text:?}"
        );
        assert_eq!(kinds(&b, &a)[3], ChangeKind::GateRemoved);
    }

    #[test]
    fn unreadable_texts_fall_back_to_blob_ids_or_are_not_compared() {
        let mut a = snapshot();
        let mut b = snapshot();
        b.license_files[0].sha256 = None;
        assert!(
            compare(&a, &b).is_empty(),
            "a text that became unreadable is not a change"
        );
        a.license_files[0].blob = Some("abc".to_owned());
        b.license_files[0].blob = Some("abd".to_owned());
        assert_eq!(kinds(&a, &b), [ChangeKind::LicenseChanged]);
        b.license_files.clear();
        assert_eq!(
            kinds(&a, &b),
            [ChangeKind::LicenseChanged],
            "a removed license file"
        );
    }

    #[test]
    fn scores_compare_only_under_the_same_rubric() {
        let a = snapshot();
        let mut b = snapshot();
        b.rubric = "osai 1.0.0".to_owned();
        b.score = 3.0;
        assert_eq!(kinds(&a, &b), [ChangeKind::RubricChanged]);
    }

    #[test]
    fn hashes_are_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
