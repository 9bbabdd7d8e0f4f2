//! The rubric loader (`rubric::load`): TOML text → a checked rubric or every diagnostic. A
//! rubric that loads is evaluated on empty evidence and on the evidence of a small release, so
//! its conditions run too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::evidence::Evidence;
use openness::hub::{ModelInfo, Origin, Release, ReleaseFile};
use std::sync::OnceLock;

fn sample_evidence() -> &'static Evidence {
    static EVIDENCE: OnceLock<Evidence> = OnceLock::new();
    EVIDENCE.get_or_init(|| {
        let info = serde_json::json!({
            "id": "org/model",
            "sha": "0123456789abcdef0123456789abcdef01234567",
            "gated": false,
            "tags": ["license:mit", "arxiv:2401.00001"],
            "cardData": {"license": "mit", "datasets": ["org/data"], "base_model": "org/base"},
            "siblings": [
                {"rfilename": "README.md"},
                {"rfilename": "LICENSE"},
                {"rfilename": "model.safetensors", "size": 1000}
            ]
        });
        let release = Release {
            id: "org/model".into(),
            revision: None,
            origin: Origin::Hub {
                endpoint: "https://huggingface.co".into(),
            },
            info: ModelInfo::from_json(&info).unwrap(),
            has_api_metadata: true,
            files: vec![
                ReleaseFile::from_bytes(
                    "README.md",
                    b"---\nlicense: mit\n---\n# Model\n## Training data\n[data](https://huggingface.co/datasets/org/data)\n",
                    false,
                ),
                ReleaseFile::from_bytes("LICENSE", b"MIT License\n", false),
            ],
            related: Default::default(),
            retrieval: Default::default(),
        };
        openness::evidence::collect(&release)
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match openness::rubric::load("fuzz.toml", text) {
        Ok(rubric) => {
            let _ = rubric.max_points();
            let _ = rubric.evidence_keys();
            for ev in [&Evidence::default(), sample_evidence()] {
                let assessment = openness::rubric::evaluate(&rubric, ev);
                assert!(assessment.score <= assessment.max + 1e-9);
                for dimension in &assessment.dimensions {
                    assert!(dimension.score <= dimension.max + 1e-9);
                    assert!(dimension.score <= dimension.score_if_known + 1e-9);
                }
            }
        }
        Err(error) => {
            assert!(!error.diagnostics.is_empty());
            let _ = error.to_string();
        }
    }
});
