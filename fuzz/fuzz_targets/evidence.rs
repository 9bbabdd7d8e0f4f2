//! The API-JSON → evidence → score pipeline, on hostile input.
//!
//! Input: `JSON [\0 README.md [\0 LICENSE [\0 USE_POLICY.md]]]` — a model-info body as the Hub's
//! `GET /api/models/{id}` would send it, then optionally the bytes of the release's text files,
//! separated by NUL bytes. The JSON becomes a `ModelInfo` (`hub::ModelInfo::from_json`), the
//! files `ReleaseFile`s (lossy UTF-8, as when fetched), and the release's related lookups are
//! filled from the info itself (every named dataset and declared base model "found" with the same
//! metadata, or missing/gated/disabled/failed in turn; a base model naming the model itself is a
//! cycle). Then `evidence::collect`, and `audit::score` with the embedded knowledge base and the
//! `default` rubric, and every report format is rendered.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::evidence::data;
use openness::evidence::declared::Declared;
use openness::hub::related::{Ancestor, DatasetCard, DatasetLookup, Lineage};
use openness::hub::{Lookup, ModelInfo, Origin, Related, Release, ReleaseFile};
use openness::licenses::KnowledgeBase;
use openness::report::{self, Format, Report};
use openness::rubric::Rubric;
use std::sync::{Arc, OnceLock};

const FILES: [&str; 3] = ["README.md", "LICENSE", "USE_POLICY.md"];

fn rubric() -> &'static Rubric {
    static RUBRIC: OnceLock<Rubric> = OnceLock::new();
    RUBRIC.get_or_init(|| openness::rubric::resolve("default").expect("default rubric loads"))
}

fn lookup(n: usize, info: &Arc<ModelInfo>) -> Lookup {
    match n % 5 {
        0 | 1 => Lookup::Found(info.clone()),
        2 => Lookup::Missing,
        3 => Lookup::Gated,
        _ => Lookup::Failed("fuzz".into()),
    }
}

fn related(release: &Release) -> Related {
    let info = Arc::new(release.info.clone());
    let datasets = data::hub_dataset_ids(release)
        .into_iter()
        .take(20)
        .enumerate()
        .map(|(n, id)| DatasetLookup {
            lookup: lookup(n, &info),
            // The release's own README stands in for a dataset card: fuzzed text either way.
            card: (n % 2 == 0).then(|| match release.readme().and_then(|f| f.text()) {
                Some(text) => DatasetCard::Text(text.into()),
                None => DatasetCard::Absent,
            }),
            id,
        })
        .collect();
    let mut walk = Lineage::default();
    for (n, base) in Declared::of_related(&release.id, &release.info)
        .bases
        .value
        .into_iter()
        .take(16)
        .enumerate()
    {
        if base.id.eq_ignore_ascii_case(&release.id) {
            walk.cycles.push(vec![
                release.id.clone(),
                base.id.clone(),
                release.id.clone(),
            ]);
            continue;
        }
        walk.ancestors.push(Ancestor {
            id: base.id,
            depth: 1,
            child: release.id.clone(),
            relation: base.relation,
            lookup: lookup(n, &info),
        });
    }
    Related {
        branches: Some(vec!["main".into()]),
        datasets: Some(datasets),
        datasets_skipped: 0,
        lineage: Some(walk),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.split(|&b| b == 0);
    let json = parts.next().unwrap_or_default();
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return;
    };
    let info = match ModelInfo::from_json(&value) {
        Ok(info) => info,
        Err(message) => {
            assert!(!value.is_object(), "{message}");
            return;
        }
    };
    let files = FILES
        .iter()
        .zip(parts)
        .map(|(path, bytes)| ReleaseFile::from_bytes(path, bytes, false))
        .collect();
    let mut release = Release {
        id: info.id.clone().unwrap_or_else(|| "fuzz/model".into()),
        revision: info.sha.clone(),
        origin: Origin::Hub {
            endpoint: "https://huggingface.co".into(),
        },
        // A `"_local": true` key stands for a release read from a folder (card metadata from
        // the README's front matter, not from `cardData`).
        has_api_metadata: value.get("_local").is_none(),
        info,
        files,
        related: Related::default(),
        retrieval: Default::default(),
    };

    let _ = openness::evidence::collect(&release);
    release.related = related(&release);
    let card = openness::audit::score(&release.id, &release, rubric(), KnowledgeBase::embedded());
    let cards = [card];
    for (format, explain) in [
        (Format::Table, true),
        (Format::Json, false),
        (Format::Jsonl, false),
        (Format::Csv, false),
        (Format::Markdown, false),
        (Format::Html, false),
        (Format::Cyclonedx, false),
    ] {
        let mut report = Report::new(&cards, &[]);
        report.explain = explain;
        report.width = Some(100);
        let mut out = Vec::new();
        report::render(format, &report, &mut out).expect("rendering into memory succeeds");
        if format == Format::Json {
            serde_json::from_slice::<serde_json::Value>(&out).expect("the JSON report parses");
        }
    }
});
