//! A simple, temporary text recogniser: the knowledge base's `[[license.match]]` signatures with
//! the normalisation of `docs/licenses.md`. The full recogniser (confidence, SPDX texts) is meant
//! to replace this module; callers only use [`recognize`].

use super::kb::{Kind, KnowledgeBase, LicenseEntry, Signature};

/// Lowercase; every run of characters that are not ASCII letters or digits becomes one space.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c.to_ascii_lowercase());
        } else {
            space = true;
        }
    }
    out
}

fn matches(signature: &Signature, text: &str) -> bool {
    let has = |phrase: &String| text.contains(normalize(phrase).as_str());
    !signature.all.is_empty()
        && signature.all.iter().all(has)
        && (signature.any.is_empty() || signature.any.iter().any(has))
        && !signature.none.iter().any(has)
}

/// The licenses (not use policies) whose signatures match `text`, in knowledge-base order.
pub fn recognize<'kb>(kb: &'kb KnowledgeBase, text: &str) -> Vec<&'kb LicenseEntry> {
    let text = normalize(text);
    kb.entries()
        .iter()
        .filter(|e| e.kind == Kind::License)
        .filter(|e| e.signatures.iter().any(|s| matches(s, &text)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_a_rewrapped_mit_text() {
        let text = "MIT License\r\n\r\nCopyright (c) 2030 Someone\n\nPermission is hereby granted,\nfree of charge, to any person obtaining a copy of this software … The above copyright notice and this permission notice shall be included in all copies. THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND.";
        let ids: Vec<&str> = recognize(KnowledgeBase::embedded(), text)
            .iter()
            .map(|e| e.id.as_str())
            .collect();
        assert_eq!(ids, ["mit"]);
        assert!(recognize(KnowledgeBase::embedded(), "no license here").is_empty());
    }
}
