//! License revisions and the model-license families added in issue 13, from the publishers'
//! own texts (tests/fixtures/licenses/upstream/, provenance in its SOURCES.md): each text is
//! recognised as its revision in every formatting a repository gives it, its properties say
//! what its clauses say, and a release shipping an older revision than it declares is told so.

use crate::license_audit::{audit, codes, license_fixture};
use crate::license_standard_texts::formattings;
use openness::evidence::Value;
use openness::evidence::findings::Code;
use openness::licenses::KnowledgeBase;
use openness::licenses::detect::Recognizer;
use openness::licenses::kb::Commercial;

/// (file under tests/fixtures/licenses/upstream/, expected ids), read from the texts.
const EXPECTED: &[(&str, &[&str])] = &[
    ("yi-license-1.0.txt", &["yi-license-1.0"]),
    ("yi-license-2.0.txt", &["yi-license-2.0"]),
    (
        "flux-1-dev-2024-08.txt",
        &["flux-1-dev-non-commercial-2024"],
    ),
    (
        "flux-1-dev-2024-11.txt",
        &["flux-1-dev-non-commercial-2024"],
    ),
    ("flux-1-dev-v1.1.txt", &["flux-1-dev-non-commercial-1.1"]),
    (
        "sai-nc-community-2024-03.txt",
        &["sai-nc-community-2024-03"],
    ),
    ("openrail++-2022.txt", &["openrail++-2022"]),
    (
        "tencent-hunyuan-dit-2024-05.txt",
        &["tencent-hunyuan-aup", "tencent-hunyuan-community-2024-05"],
    ),
    (
        "tencent-hunyuan-dit-2024-12.txt",
        &["tencent-hunyuan-aup", "tencent-hunyuan-community-2024-11"],
    ),
    (
        "tencent-hunyuan-large.txt",
        &["tencent-hunyuan-aup", "tencent-hunyuan-community-2024-11"],
    ),
    (
        "tencent-hunyuan-video.txt",
        &["tencent-hunyuan-aup", "tencent-hunyuan-community"],
    ),
    (
        "tencent-hunyuan-3d-2.0.txt",
        &["tencent-hunyuan-3d-2.0-community", "tencent-hunyuan-aup"],
    ),
    (
        "tencent-hunyuan-3d-2.1.txt",
        &["tencent-hunyuan-3d-2.1-community", "tencent-hunyuan-aup"],
    ),
    (
        "tencent-hunyuanworld-1.0.txt",
        &["tencent-hunyuan-aup", "tencent-hunyuanworld-1.0-community"],
    ),
    (
        "tencent-hunyuan3d-1-non-commercial.txt",
        &["tencent-hunyuan-aup", "tencent-hunyuan-non-commercial"],
    ),
    (
        "tencent-hunyuan-a13b.txt",
        &["tencent-hunyuan-aup", "tencent-hunyuan-community"],
    ),
    ("chatglm-6b-2023-03.txt", &["chatglm-6b-2023-03"]),
    ("chatglm-6b.txt", &["chatglm-6b"]),
    ("chatglm2-6b-2023-06.txt", &["chatglm2-6b-2023-06"]),
    ("chatglm2-6b.txt", &["chatglm2-6b"]),
    ("chatglm3-6b-2023-10.txt", &["chatglm3-6b-2023-10"]),
    ("chatglm3-6b.txt", &["chatglm3-6b"]),
    ("glm-130b.txt", &["glm-130b"]),
    ("codegeex4.txt", &["codegeex4"]),
    ("cogvlm-2023-10.txt", &["cogvlm-2023-10"]),
    ("cogvlm.txt", &["cogvlm"]),
    ("cogvideox.txt", &["cogvideox"]),
    ("llama-1-license.txt", &["llama1"]),
    ("deepfloyd-if-license.txt", &["deepfloyd-if-license"]),
    ("dinov3-license.md", &["dinov3-license"]),
    ("sam-license.txt", &["sam-license"]),
    (
        "fair-noncommercial-research-license.txt",
        &["fair-aup", "fair-noncommercial-research-license"],
    ),
    (
        "minimax-model-license.txt",
        &["minimax-model-license", "minimax-prohibited-uses"],
    ),
    ("exaone-1.0-nc.txt", &["exaone-1.0-nc"]),
    ("exaone-1.1-nc.txt", &["exaone-1.1-nc"]),
    ("exaone-1.2-nc.txt", &["exaone-1.2-nc"]),
    ("skywork-community-license.txt", &["skywork-community"]),
    // The terms page Skywork ships as LICENSE declares the licence; it is not its text.
    ("skywork-LICENSE.md", &[]),
    ("xverse-model-license.txt", &["xverse-model-license"]),
    ("baai-aquila-model-license.txt", &["baai-aquila"]),
    ("baai-aquila2-70b-license.txt", &["baai-aquila2-70b"]),
    ("dots-llm1-license.txt", &["dots-llm1"]),
];

fn upstream(name: &str) -> String {
    license_fixture(&format!("upstream/{name}"))
}

fn ids(text: &str) -> Vec<String> {
    let mut ids: Vec<String> = Recognizer::embedded()
        .recognize(text)
        .matches
        .into_iter()
        .map(|m| m.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn every_upstream_text_is_recognised_as_its_revision() {
    let mut wrong = Vec::new();
    for (file, expected) in EXPECTED {
        let got = ids(&upstream(file));
        if got != *expected {
            wrong.push(format!("{file}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_upstream_text_survives_every_formatting() {
    let mut wrong = Vec::new();
    for (file, expected) in EXPECTED {
        for (how, variant) in formattings(&upstream(file)) {
            let got = ids(&variant);
            if got != *expected {
                wrong.push(format!(
                    "{file} ({how}): expected {expected:?}, got {got:?}"
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_upstream_file_is_listed() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/licenses/upstream");
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "SOURCES.md" {
            assert!(
                EXPECTED.iter().any(|(f, _)| *f == name),
                "{name} has no expected id"
            );
        }
    }
}

/// A license file that carries its acceptable-use policy (Meta Llama 3's, and any LICENSE a
/// publisher concatenates with its USE_POLICY) is both.
#[test]
fn a_license_followed_by_its_policy_is_both() {
    let llama3 = license_fixture("corpus/llama3.txt");
    assert_eq!(ids(&llama3), ["llama3", "llama3-aup"]);
    for (license, policy, expected) in [
        (
            "corpus/llama3.1.txt",
            "corpus/llama3.1-acceptable-use-policy.md",
            ["llama3.1", "llama3.1-aup"],
        ),
        (
            "corpus/llama2.txt",
            "corpus/llama2-acceptable-use-policy.md",
            ["llama2", "llama2-aup"],
        ),
        (
            "corpus/llama4.txt",
            "corpus/llama4-acceptable-use-policy.md",
            ["llama4", "llama4-aup"],
        ),
    ] {
        let both = format!(
            "{}\n\n---\n\n{}",
            license_fixture(license),
            license_fixture(policy)
        );
        assert_eq!(ids(&both), expected, "{license}");
        // The licence alone mentions its policy but is not it.
        assert_eq!(ids(&license_fixture(license)), [expected[0]], "{license}");
    }
}

#[test]
fn two_model_licenses_in_one_file_are_both_recognised() {
    let text = format!(
        "The code is under the first license, the weights under the second.\n\n{}\n\n{}",
        license_fixture("corpus/mit.txt"),
        upstream("exaone-1.1-nc.txt")
    );
    assert_eq!(ids(&text), ["exaone-1.1-nc", "mit"]);
}

#[test]
fn llama_2_without_its_title_and_apple_sample_code_without_its_preamble() {
    let llama2 = license_fixture("corpus/llama2.txt");
    let untitled: String = llama2.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert!(!untitled.contains("LLAMA 2 COMMUNITY LICENSE AGREEMENT"));
    assert_eq!(ids(&untitled), ["llama2"]);
    // Apple's sample code license as apple/ml-* repositories ship it, then without the
    // "IMPORTANT:" paragraph.
    let grant = "In consideration of your agreement to abide by the following terms, and subject to these terms, Apple grants you a personal, non-exclusive license, under Apple's copyrights in this original Apple software (the \"Apple Software\"), to use, reproduce, modify and redistribute the Apple Software, with or without modifications, in source and/or binary forms; provided that if you redistribute the Apple Software in its entirety and without modifications, you must retain this notice and the following text and disclaimers in all such redistributions of the Apple Software. Neither the name, trademarks, service marks or logos of Apple Inc. may be used to endorse or promote products derived from the Apple Software without specific prior written permission from Apple.";
    let important = "IMPORTANT: This Apple software is supplied to you by Apple Inc. (\"Apple\") in consideration of your agreement to the following terms, and your use, installation, modification or redistribution of this Apple software constitutes acceptance of these terms.";
    assert_eq!(
        ids(&format!(
            "Copyright (C) 2024 Apple Inc. All Rights Reserved.\n\n{important}\n\n{grant}"
        )),
        ["apple-ascl"]
    );
    assert_eq!(
        ids(&format!(
            "Copyright (C) 2024 Apple Inc. All Rights Reserved.\n\n{grant}"
        )),
        ["apple-ascl"]
    );
}

/// Non-license texts that name these families stay unknown.
#[test]
fn texts_that_only_mention_a_family_are_unknown() {
    for text in [
        "# Yi-34B\n\nThis model was released under the Yi Series Models Community License Agreement; since 2024 it is Apache-2.0. See the Registration Form of Yi Series Models for Commercial Purposes on our website.",
        "## License\n\nThe weights are under the FLUX.1 [dev] Non-Commercial License. Outputs may be used commercially.",
        "This repository follows the Tencent Hunyuan Community License Agreement. Tencent Hunyuan Works may not be used in the EU.",
        "GLM-4-9B-Chat is distributed under the glm-4 license; CogVideoX under the CogVideoX License.",
        "We fine-tuned LLaMA (non-commercial research license) on our data. Built with dots.llm1.",
        "import torch\n# Licensed under the Apache License, Version 2.0 (the \"License\");\nmodel = torch.nn.Linear(4, 4)\n",
    ] {
        assert!(ids(text).is_empty(), "{text}: {:?}", ids(text));
    }
}

fn entry(id: &str) -> &'static openness::licenses::LicenseEntry {
    KnowledgeBase::embedded()
        .get(id)
        .unwrap_or_else(|| panic!("{id}"))
}

/// The properties of the corrected families, as their texts state them.
#[test]
fn revisions_carry_their_own_terms() {
    let p = |id: &str| entry(id).properties.as_ref().unwrap();
    // Yi: only v2.1 has the free registration route.
    assert_eq!(p("yi-license-1.0").commercial_use.value, Commercial::No);
    assert!(
        p("yi-license-1.0")
            .commercial_use
            .why
            .contains("non-Commercial Purposes")
    );
    assert_eq!(p("yi-license-2.0").commercial_use.value, Commercial::No);
    assert!(
        p("yi-license-2.0")
            .commercial_use
            .why
            .contains("written authorization")
    );
    assert_eq!(
        p("yi-license").commercial_use.value,
        Commercial::Conditional
    );
    // FLUX.1 [dev]: outputs commercially usable in 2024 and v1.1.1, not in v1.1.
    assert!(
        p("flux-1-dev-non-commercial-2024")
            .output_restrictions
            .why
            .contains("including for commercial purposes")
    );
    assert!(
        p("flux-1-dev-non-commercial")
            .output_restrictions
            .why
            .contains("including for commercial purposes")
    );
    let v11 = &p("flux-1-dev-non-commercial-1.1").output_restrictions.why;
    assert!(
        v11.contains("any data produced") && !v11.contains("'You may use Output for any purpose")
    );
    // Hunyuan: 3D 2.0 has a 1 million threshold; the May 2024 text no territory limit.
    assert_eq!(
        p("tencent-hunyuan-3d-2.0-community").user_threshold.value,
        1_000_000
    );
    assert_eq!(
        p("tencent-hunyuan-community").user_threshold.value,
        100_000_000
    );
    assert!(
        !p("tencent-hunyuan-community-2024-05")
            .commercial_use
            .why
            .contains("Territory")
    );
    assert!(
        p("tencent-hunyuan-community-2024-11")
            .commercial_use
            .why
            .contains("excluding the territory of the European Union'")
    );
    assert!(
        p("tencent-hunyuan-community")
            .commercial_use
            .why
            .contains("the United Kingdom and South Korea")
    );
    // ChatGLM: the first texts were non-commercial research licences.
    assert!(p("chatglm-6b-2023-03").research_only.value);
    assert_eq!(
        p("chatglm3-6b").commercial_use.value,
        Commercial::Conditional
    );
    // EXAONE 1.0 allowed no sharing of derivatives; 1.1 requires the EXAONE name prefix.
    assert!(!p("exaone-1.0-nc").derivatives.value);
    assert!(p("exaone-1.1-nc").naming.value);
    // DINOv3 / SAM allow commercial use; the FAIR research licence does not.
    assert_eq!(p("dinov3-license").commercial_use.value, Commercial::Yes);
    assert_eq!(
        p("fair-noncommercial-research-license")
            .commercial_use
            .value,
        Commercial::No
    );
    // Revisions are dated and point at their current entry.
    for id in [
        "yi-license-1.0",
        "flux-1-dev-non-commercial-2024",
        "sai-nc-community-2024-03",
        "openrail++-2022",
        "tencent-hunyuan-community-2024-05",
    ] {
        let e = entry(id);
        assert!(e.effective.is_some() && e.revision_of.is_some(), "{id}");
    }
}

#[tokio::test]
async fn a_text_older_than_the_declared_revision_is_a_finding_and_its_terms_apply() {
    let card = audit(
        serde_json::json!({"license": "other", "license_name": "yi-license"}),
        &[
            ("README.md", "# Model\n".into()),
            ("LICENSE", upstream("yi-license-1.0.txt")),
        ],
    )
    .await;
    let found = codes(&card);
    assert!(found.contains(&Code::LicenseOlderRevision), "{found:?}");
    assert!(!found.contains(&Code::LicenseMismatch), "{found:?}");
    let finding = card
        .findings
        .iter()
        .find(|f| f.code == Code::LicenseOlderRevision)
        .unwrap();
    assert!(
        finding.message.contains("`yi-license`") && finding.message.contains("`yi-license-1.0`"),
        "{}",
        finding.message
    );
    assert_eq!(finding.evidence.len(), 2);
    assert_eq!(card.license.id.as_deref(), Some("yi-license-1.0"));
    assert_eq!(card.license.source.as_deref(), Some("declared+text"));
    assert_eq!(
        card.license.property("commercial-use"),
        Some(&Value::from("no"))
    );

    // A newer text than the id names is not a finding: the text's revision applies.
    let card = audit(
        serde_json::json!({"license": "other", "license_name": "sai-nc-community"}),
        &[
            ("README.md", "# Model\n".into()),
            ("LICENSE", upstream("sai-nc-community-2024-03.txt")),
        ],
    )
    .await;
    assert!(
        !codes(&card)
            .iter()
            .any(|c| matches!(c, Code::LicenseOlderRevision | Code::LicenseMismatch)),
        "{:?}",
        codes(&card)
    );
    assert_eq!(card.license.id.as_deref(), Some("sai-nc-community-2024-03"));
}

/// Issue 13: a model declaring gpl-3.0 with the GPL-3 text was audited as LGPL-3 (weak
/// copyleft) with a false license-mismatch.
#[tokio::test]
async fn a_gpl_3_release_is_gpl_3() {
    let card = audit(
        serde_json::json!({"license": "gpl-3.0"}),
        &[
            ("README.md", "# Model\n".into()),
            ("LICENSE", license_fixture("debian/GPL-3")),
        ],
    )
    .await;
    assert!(
        !codes(&card).contains(&Code::LicenseMismatch),
        "{:?}",
        codes(&card)
    );
    assert_eq!(card.license.id.as_deref(), Some("gpl-3.0"));
    assert_eq!(card.license.source.as_deref(), Some("declared+text"));
    assert_eq!(card.license.spdx.as_deref(), Some("GPL-3.0-only"));
}
