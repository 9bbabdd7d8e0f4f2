//! SPDX license expressions in a card's `license:` or `license_name` (`MIT OR Apache-2.0`,
//! `apache-2.0 AND cc-by-4.0`), parsed with the `spdx` crate and resolved to one knowledge-base
//! entry: `OR` is the recipient's choice, so the most permissive alternative; `AND` binds all of
//! them, so the most restrictive term. `WITH` exceptions are named in the explanation and the
//! license is taken as it is.
//!
//! Terms may be SPDX ids in any case, the Hub's ids (`llama3.1`, `openrail++`) or any alias the
//! knowledge base knows; an expression with a term it does not know is not resolved.

use super::kb::{Category, KnowledgeBase, LicenseEntry};
use super::properties::Commercial;
use spdx::expression::{ExprNode, Operator};
use spdx::{Expression, LicenseItem, ParseMode};
use std::cmp::Ordering;

/// An expression and the entry it resolves to.
#[derive(Debug)]
pub struct Resolved<'kb> {
    /// The expression as written.
    pub expression: String,
    pub entry: &'kb LicenseEntry,
    /// How it was resolved, step by step (`OR: mit chosen over apache-2.0 …`).
    pub how: String,
}

/// Lenient enough for what cards hold: lower-case operators and ids, `/` for OR, deprecated
/// and non-SPDX ids (resolved through the knowledge base).
const MODE: ParseMode = ParseMode {
    allow_slash_as_or_operator: true,
    allow_imprecise_license_names: false,
    allow_postfix_plus_on_gpl: true,
    allow_deprecated: true,
    allow_unknown: true,
};

/// Resolves `text` when it is an expression — two or more licenses joined by `AND`/`OR`, or
/// one `WITH` an exception — whose every term the knowledge base knows.
pub fn resolve<'kb>(kb: &'kb KnowledgeBase, text: &str) -> Option<Resolved<'kb>> {
    let text = text.trim();
    if !looks_like_expression(text) {
        return None;
    }
    let parsed = Expression::parse_mode(text, MODE).ok()?;
    let mut stack: Vec<(&LicenseEntry, String)> = Vec::new();
    let mut steps: Vec<String> = Vec::new();
    let mut terms = 0;
    for node in parsed.iter() {
        match node {
            ExprNode::Req(req) => {
                terms += 1;
                let entry = term(kb, &req.req.license)?;
                if let Some(addition) = &req.req.addition {
                    steps.push(format!(
                        "`{}` WITH `{addition}`: the exception only adds permissions, so `{}` is taken as it is",
                        entry.id, entry.id
                    ));
                }
                stack.push((entry, entry.id.clone()));
            }
            ExprNode::Op(op) => {
                let (right, right_text) = stack.pop()?;
                let (left, left_text) = stack.pop()?;
                let (chosen, other, word, rule) = match op {
                    Operator::Or => {
                        let (c, o) = if permissiveness(left, right) != Ordering::Greater {
                            (left, right)
                        } else {
                            (right, left)
                        };
                        (c, o, "OR", "the most permissive choice")
                    }
                    Operator::And => {
                        let (c, o) = if permissiveness(left, right) != Ordering::Less {
                            (left, right)
                        } else {
                            (right, left)
                        };
                        (c, o, "AND", "the most restrictive term")
                    }
                };
                steps.push(format!(
                    "({left_text} {word} {right_text}) → `{}` ({}), {rule} over `{}` ({})",
                    chosen.id,
                    chosen.category.as_str(),
                    other.id,
                    other.category.as_str()
                ));
                stack.push((chosen, format!("{left_text} {word} {right_text}")));
            }
        }
    }
    let (entry, _) = stack.pop()?;
    if !stack.is_empty() || (terms < 2 && steps.is_empty()) {
        return None;
    }
    Some(Resolved {
        expression: text.to_owned(),
        entry,
        how: steps.join("; "),
    })
}

/// Cheap test before parsing: an operator word or `/` between terms.
fn looks_like_expression(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .any(|w| matches!(w, "or" | "and" | "with"))
        || (text.contains('/') && !text.contains("://"))
}

/// The knowledge-base entry of one term.
fn term<'kb>(kb: &'kb KnowledgeBase, item: &LicenseItem) -> Option<&'kb LicenseEntry> {
    match item {
        LicenseItem::Spdx { id, or_later } => {
            let name = if *or_later {
                format!("{}+", id.name)
            } else {
                id.name.to_owned()
            };
            kb.get(&name).or_else(|| kb.get(id.name))
        }
        LicenseItem::Other(reference) => {
            let name = reference.lic_ref.as_str();
            kb.get(name)
                .or_else(|| kb.get(name.strip_prefix("LicenseRef-").unwrap_or(name)))
        }
    }
}

/// Orders two entries from the most permissive (`Less`) to the most restrictive, by what they
/// allow — category, commercial use, the limits and duties they set — and then by id, so the
/// same expression always resolves the same way.
pub fn permissiveness(a: &LicenseEntry, b: &LicenseEntry) -> Ordering {
    restrictiveness(a)
        .cmp(&restrictiveness(b))
        .then_with(|| a.id.cmp(&b.id))
}

/// A sort key: larger is more restrictive. Unknown properties count as the most restrictive.
fn restrictiveness(e: &LicenseEntry) -> [u64; 12] {
    let category = match e.category {
        Category::Open => 0,
        Category::Restricted => 1,
        Category::NonCommercial => 2,
        Category::Unknown => 3,
    };
    let Some(p) = &e.properties else {
        return [category, u64::MAX, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    };
    let commercial = match p.commercial_use.value {
        Commercial::Yes => 0,
        Commercial::Conditional => 1,
        Commercial::No => 2,
    };
    let threshold = match p.user_threshold.value {
        0 => 0,
        n => u64::MAX - n,
    };
    let b = |v: bool| u64::from(v);
    [
        category,
        commercial,
        b(p.research_only.value),
        b(p.non_commercial.value),
        b(p.use_restrictions.value),
        threshold,
        b(p.output_restrictions.value),
        b(!p.derivatives.value),
        b(p.copyleft.value),
        b(p.naming.value),
        b(p.attribution.value),
        b(!p.osi_approved.value),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kb() -> &'static KnowledgeBase {
        KnowledgeBase::embedded()
    }

    fn id(text: &str) -> Option<String> {
        resolve(kb(), text).map(|r| r.entry.id.clone())
    }

    #[test]
    fn or_takes_the_most_permissive_and_and_the_most_restrictive() {
        // MIT and Apache-2.0 allow the same: the tie goes to the smaller id, in either order.
        assert_eq!(id("MIT OR Apache-2.0").as_deref(), Some("apache-2.0"));
        assert_eq!(id("Apache-2.0 OR MIT").as_deref(), Some("apache-2.0"));
        assert_eq!(id("mit or gpl-3.0").as_deref(), Some("mit"));
        assert_eq!(id("mit and gpl-3.0").as_deref(), Some("gpl-3.0"));
        assert_eq!(id("apache-2.0 AND cc-by-4.0").as_deref(), Some("cc-by-4.0"));
        assert_eq!(
            id("apache-2.0 AND cc-by-nc-4.0").as_deref(),
            Some("cc-by-nc-4.0")
        );
        assert_eq!(id("llama3.1 OR apache-2.0").as_deref(), Some("apache-2.0"));
        assert_eq!(
            id("(MIT OR cc-by-nc-4.0) AND llama3.1").as_deref(),
            Some("llama3.1")
        );
        assert_eq!(id("MIT/Apache-2.0").as_deref(), Some("apache-2.0"));
    }

    #[test]
    fn with_names_the_exception_and_keeps_the_license() {
        let r = resolve(kb(), "GPL-2.0-only WITH Classpath-exception-2.0").unwrap();
        assert_eq!(r.entry.id, "gpl-2.0");
        assert!(r.how.contains("Classpath-exception-2.0"), "{}", r.how);
        let r = resolve(kb(), "GPL-2.0+ OR MIT").unwrap();
        assert_eq!(r.entry.id, "mit");
    }

    #[test]
    fn single_ids_and_unknown_terms_are_not_expressions() {
        assert!(resolve(kb(), "apache-2.0").is_none());
        assert!(resolve(kb(), "llama3.1").is_none());
        assert!(resolve(kb(), "MIT OR my-own-license").is_none());
        assert!(resolve(kb(), "https://example.com/a/b").is_none());
        assert!(resolve(kb(), "MIT OR").is_none());
    }

    #[test]
    fn the_explanation_shows_each_step() {
        let r = resolve(kb(), "mit AND cc-by-nc-4.0").unwrap();
        assert!(r.how.contains("AND"), "{}", r.how);
        assert!(
            r.how.contains("`cc-by-nc-4.0` (non-commercial)"),
            "{}",
            r.how
        );
        assert!(r.how.contains("most restrictive"), "{}", r.how);
    }
}
