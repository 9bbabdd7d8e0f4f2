//! Scorecards kept compact while a large ranking is gathered: a ranking holds every scorecard
//! until it can sort them, and a scorecard in memory costs ~20–30 KB (facts, provenance,
//! criteria). For `json` and `jsonl` the scorecard is turned into its JSON at once — the same
//! value those formats write — and kept deflated (~3 KB), beside the few fields sorting needs.
//! A 2,000-model ranking then holds a few MB instead of tens.

use super::{ModelError, json};
use crate::rank::Rankable;
use crate::scorecard::Scorecard;
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use serde_json::Value;
use std::io::{Read, Write};

/// One scorecard as the JSON formats write it, deflated, with its sort keys.
#[derive(Clone, Debug)]
pub struct Packed {
    model: String,
    score: f64,
    percent: f64,
    downloads: Option<u64>,
    dimensions: Vec<(String, f64)>,
    deflated: Vec<u8>,
}

impl Packed {
    pub fn new(card: &Scorecard) -> Packed {
        let compact = serde_json::to_vec(&json::scorecard(card)).expect("JSON values serialize");
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        encoder
            .write_all(&compact)
            .expect("writing into memory succeeds");
        let mut deflated = encoder.finish().expect("writing into memory succeeds");
        deflated.shrink_to_fit();
        Packed {
            model: card.model.clone(),
            score: card.score,
            percent: card.percent,
            downloads: card.downloads,
            dimensions: card
                .dimensions
                .iter()
                .map(|d| (d.id.clone(), d.score))
                .collect(),
            deflated,
        }
    }

    /// The scorecard's JSON value, as [`json::scorecard`] gives it.
    pub fn value(&self) -> Value {
        let mut compact = Vec::new();
        DeflateDecoder::new(&self.deflated[..])
            .read_to_end(&mut compact)
            .expect("the deflated scorecard was written by this process");
        serde_json::from_slice(&compact).expect("the scorecard was serialised by this process")
    }

    /// Bytes held for this scorecard (its JSON, deflated).
    pub fn packed_len(&self) -> usize {
        self.deflated.len()
    }
}

impl Rankable for Packed {
    fn model(&self) -> &str {
        &self.model
    }
    fn score(&self) -> f64 {
        self.score
    }
    fn percent(&self) -> f64 {
        self.percent
    }
    fn downloads(&self) -> Option<u64> {
        self.downloads
    }
    fn dimension(&self, id: &str) -> Option<f64> {
        self.dimensions
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, s)| *s)
    }
    fn dimension_ids(&self) -> Vec<String> {
        self.dimensions.iter().map(|(d, _)| d.clone()).collect()
    }
}

/// Writes packed scorecards as `json` or `jsonl` (the only formats they serve), byte for byte
/// what [`super::render`] writes for the same scorecards.
pub fn render(
    format: super::Format,
    cards: &[Packed],
    errors: &[ModelError],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let values = cards.iter().map(Packed::value);
    match format {
        super::Format::Jsonl => super::jsonl::render_values(values, errors, out),
        _ => json::render_values(values, errors, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hub::{ModelInfo, Origin, Release, ReleaseFile};
    use crate::licenses::KnowledgeBase;

    fn card(id: &str, license: &str, downloads: u64) -> Scorecard {
        let info = ModelInfo::from_json(&serde_json::json!({
            "id": id, "sha": "0123456789abcdef0123456789abcdef01234567", "gated": false,
            "cardData": {"license": license}, "downloads": downloads,
            "siblings": [{"rfilename": "README.md"}, {"rfilename": "model.safetensors"}],
            "safetensors": {"total": 7}
        }))
        .unwrap();
        let release = Release {
            id: id.to_owned(),
            revision: info.sha.clone(),
            origin: Origin::Hub {
                endpoint: "https://hub.test".to_owned(),
            },
            info,
            has_api_metadata: true,
            files: vec![ReleaseFile::from_bytes(
                "README.md",
                b"# model\n\n## Training data\n\nWeb text.\n",
                false,
            )],
            related: Default::default(),
            retrieval: Default::default(),
        };
        let rubric = crate::rubric::resolve("default").unwrap();
        crate::audit::score(id, &release, &rubric, KnowledgeBase::embedded())
    }

    #[test]
    fn packed_scorecards_render_byte_for_byte_as_whole_ones_and_sort_alike() {
        let mut whole = vec![
            card("b/two", "mit", 5),
            card("a/one", "llama3.1", 9),
            card("c/three", "apache-2.0", 1),
        ];
        let mut packed: Vec<Packed> = whole.iter().map(Packed::new).collect();
        for key in [crate::rank::SortKey::Score, crate::rank::SortKey::Downloads] {
            crate::rank::sort(&mut whole, &key).unwrap();
            crate::rank::sort(&mut packed, &key).unwrap();
            let order: Vec<&str> = whole.iter().map(|c| c.model.as_str()).collect();
            let packed_order: Vec<&str> = packed.iter().map(|c| c.model()).collect();
            assert_eq!(order, packed_order);
        }
        let errors = [ModelError {
            model: "x/y".into(),
            code: "repo-not-found".into(),
            message: "x/y: not found".into(),
        }];
        for format in [super::super::Format::Json, super::super::Format::Jsonl] {
            let report = super::super::Report::new(&whole, &errors);
            let mut expected = Vec::new();
            super::super::render(format, &report, &mut expected).unwrap();
            let mut got = Vec::new();
            render(format, &packed, &errors, &mut got).unwrap();
            assert_eq!(
                String::from_utf8(got).unwrap(),
                String::from_utf8(expected).unwrap()
            );
        }
        let whole_json = serde_json::to_vec(&json::scorecard(&whole[0]))
            .unwrap()
            .len();
        assert!(
            packed[0].packed_len() * 3 < whole_json,
            "{}",
            packed[0].packed_len()
        );
    }
}
