//! The condition language of rubric criteria: a small, safe expression language over evidence
//! keys. No loops, no functions beyond `known` and `count`, no side effects; evaluation is
//! three-valued, so a missing fact makes a condition `unknown` instead of silently false.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := unary ("and" unary)*
//! unary   := "not" unary | compare
//! compare := operand (("==" | "!=" | "<" | "<=" | ">" | ">=" | "in") operand)?
//! operand := key | literal | "(" expr ")" | ("known" | "count") "(" key ")" | "@" name
//! literal := "string" | 'string' | number | true | false | "[" literal ("," literal)* "]"
//! key     := name ("." name)*          e.g. weights.published, license.commercial-use
//! ```
//!
//! `@name` stands for a definition of the rubric's `[definitions]` table: a condition or a
//! list written once and used by many criteria (a definition may use the ones above it).

mod check;
mod eval;
mod lex;
mod parse;

use crate::evidence::Evidence;
use crate::evidence::Key;
use std::fmt;
use std::sync::Arc;

/// A byte range in the condition text, for error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExprError {
    pub span: Span,
    pub message: String,
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<Literal>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Key(Key, Span),
    Lit(Literal, Span),
    Known(Key, Span),
    Count(Key, Span),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Cmp(Box<Expr>, CmpOp, Box<Expr>, Span),
    /// `@name`: a definition, inlined; the span is the reference's.
    Def(Arc<str>, Box<Expr>, Span),
}

/// The `[definitions]` of a rubric, parsed and checked, in file order.
#[derive(Clone, Debug, Default)]
pub struct Definitions {
    defs: Vec<(Arc<str>, Expr)>,
}

impl Definitions {
    /// Parses `source` (it may use the definitions above it) and adds it as `@name`.
    pub fn define(&mut self, name: &str, source: &str) -> Result<(), ExprError> {
        let expr = parse_expr(source, self)?;
        check::check(&expr)?;
        self.defs.retain(|(n, _)| &**n != name);
        self.defs.push((name.into(), expr));
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&Expr> {
        self.defs.iter().find(|(n, _)| &**n == name).map(|(_, e)| e)
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.defs.iter().map(|(n, _)| &**n)
    }
}

fn parse_expr(source: &str, defs: &Definitions) -> Result<Expr, ExprError> {
    let tokens = lex::lex(source)?;
    let mut parser = parse::Parser {
        tokens,
        pos: 0,
        len: source.len(),
        defs,
    };
    let expr = parser.expr()?;
    if let Some(token) = parser.tokens.get(parser.pos) {
        return Err(ExprError {
            span: token.span,
            message: format!("unexpected {}", token.kind.describe()),
        });
    }
    Ok(expr)
}

/// Static types, for checking a condition when the rubric loads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ty {
    Bool,
    Num,
    Str,
    List,
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::Bool => "a boolean",
            Ty::Num => "a number",
            Ty::Str => "a string",
            Ty::List => "a list",
        })
    }
}

/// A parsed and type-checked condition.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub source: Arc<str>,
    expr: Expr,
}

impl Condition {
    /// Parses and checks `source`: syntax, evidence keys (must exist in the catalog) and types.
    pub fn parse(source: &str) -> Result<Condition, ExprError> {
        Condition::parse_with(source, &Definitions::default())
    }

    /// [`Condition::parse`] for a condition that may use the rubric's definitions.
    pub fn parse_with(source: &str, defs: &Definitions) -> Result<Condition, ExprError> {
        let expr = parse_expr(source, defs)?;
        let ty = check::check(&expr)?;
        if ty != Ty::Bool {
            return Err(ExprError {
                span: Span {
                    start: 0,
                    end: source.len(),
                },
                message: format!("a condition must be true or false, but this is {ty}"),
            });
        }
        Ok(Condition {
            source: source.into(),
            expr,
        })
    }

    /// Evaluates against the evidence: `Some(true|false)`, or `None` when it depends on a fact
    /// that could not be established.
    pub fn eval(&self, ev: &Evidence) -> Option<bool> {
        match eval::eval(&self.expr, ev) {
            eval::Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The evidence keys the condition reads, in order of first appearance.
    pub fn keys(&self) -> Vec<Key> {
        let mut out = Vec::new();
        collect_keys(&self.expr, &mut out);
        out
    }
}

fn collect_keys(expr: &Expr, out: &mut Vec<Key>) {
    match expr {
        Expr::Key(k, _) | Expr::Known(k, _) | Expr::Count(k, _) => {
            if !out.contains(k) {
                out.push(*k);
            }
        }
        Expr::Lit(..) => {}
        Expr::Not(e) => collect_keys(e, out),
        Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| collect_keys(e, out)),
        Expr::Cmp(a, _, b, _) => {
            collect_keys(a, out);
            collect_keys(b, out);
        }
        Expr::Def(_, e, _) => collect_keys(e, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::{Provenance, keys};

    fn evidence() -> Evidence {
        let mut ev = Evidence::default();
        let at = Provenance::derived("test");
        ev.set(keys::WEIGHTS_PUBLISHED, true, at.clone());
        ev.set(
            keys::WEIGHTS_FORMATS,
            vec!["safetensors".to_owned()],
            at.clone(),
        );
        ev.set(keys::ACCESS_GATE, "manual", at.clone());
        ev.set(keys::LICENSE_USER_THRESHOLD, 700_000_000i64, at);
        ev
    }

    fn eval_src(src: &str) -> Option<bool> {
        Condition::parse(src).unwrap().eval(&evidence())
    }

    #[test]
    fn evaluates_with_three_valued_logic() {
        assert_eq!(eval_src("weights.published"), Some(true));
        assert_eq!(
            eval_src("'safetensors' in weights.formats and access.gate != 'none'"),
            Some(true)
        );
        assert_eq!(eval_src("access.gate in ['auto', 'manual']"), Some(true));
        assert_eq!(
            eval_src("license.user-threshold >= 700_000_000"),
            Some(true)
        );
        assert_eq!(eval_src("license.osi-approved"), None);
        assert_eq!(
            eval_src("license.osi-approved or weights.published"),
            Some(true)
        );
        assert_eq!(
            eval_src("license.osi-approved and not weights.published"),
            Some(false)
        );
        assert_eq!(eval_src("not known(license.osi-approved)"), Some(true));
        assert_eq!(eval_src("count(weights.formats) > 0"), Some(true));
        assert_eq!(
            eval_src("['gguf', 'safetensors'] in weights.formats"),
            Some(true)
        );
    }

    #[test]
    fn definitions_are_inlined_where_they_are_used() {
        let mut defs = Definitions::default();
        defs.define("gates", "['auto', 'manual']").unwrap();
        defs.define("gated", "access.gate in @gates").unwrap();
        let condition = Condition::parse_with("weights.published and @gated", &defs).unwrap();
        assert_eq!(condition.eval(&evidence()), Some(true));
        // The keys a definition reads are the condition's keys (they are shown as its evidence).
        assert_eq!(
            condition.keys(),
            [keys::WEIGHTS_PUBLISHED, keys::ACCESS_GATE]
        );
        // Three-valued through a definition too.
        defs.define("osi", "license.osi-approved").unwrap();
        let unknown = Condition::parse_with("@osi and weights.published", &defs).unwrap();
        assert_eq!(unknown.eval(&evidence()), None);
        // A definition only sees the ones above it.
        let err = defs.define("early", "@later").unwrap_err();
        assert!(
            err.message.contains("unknown definition `@later`"),
            "{}",
            err.message
        );
        assert!(Condition::parse("@gated").is_err());
    }

    #[test]
    fn rejects_unknown_keys_types_and_syntax() {
        let err = Condition::parse("weights.publishd").unwrap_err();
        assert!(
            err.message.contains("did you mean `weights.published`"),
            "{}",
            err.message
        );
        assert_eq!(err.span, Span { start: 0, end: 16 });
        assert!(
            Condition::parse("weights.files")
                .unwrap_err()
                .message
                .contains("true or false")
        );
        assert!(Condition::parse("weights.files == 'x'").is_err());
        assert!(
            Condition::parse("access.gate = 'none'")
                .unwrap_err()
                .message
                .contains("==")
        );
        assert!(Condition::parse("(weights.published").is_err());
        assert!(Condition::parse("weights.published weights.published").is_err());
        assert!(Condition::parse("'unterminated").is_err());
    }
}
