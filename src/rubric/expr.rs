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
//! operand := key | literal | "(" expr ")" | ("known" | "count") "(" key ")"
//! literal := "string" | 'string' | number | true | false | "[" literal ("," literal)* "]"
//! key     := name ("." name)*          e.g. weights.published, license.commercial-use
//! ```

use crate::evidence::keys;
use crate::evidence::{Evidence, Value, ValueType};
use std::fmt;

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
    Key(String, Span),
    Lit(Literal, Span),
    Known(String, Span),
    Count(String, Span),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Cmp(Box<Expr>, CmpOp, Box<Expr>, Span),
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
    pub source: std::sync::Arc<str>,
    expr: Expr,
}

impl Condition {
    /// Parses and checks `source`: syntax, evidence keys (must exist in the catalog) and types.
    pub fn parse(source: &str) -> Result<Condition, ExprError> {
        let tokens = lex(source)?;
        let mut parser = Parser {
            tokens,
            pos: 0,
            len: source.len(),
        };
        let expr = parser.expr()?;
        if let Some(token) = parser.tokens.get(parser.pos) {
            return Err(ExprError {
                span: token.span,
                message: format!("unexpected {}", token.kind.describe()),
            });
        }
        let ty = check(&expr)?;
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
        match eval(&self.expr, ev) {
            Val::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The evidence keys the condition reads, in order of first appearance.
    pub fn keys(&self) -> Vec<&str> {
        let mut out = Vec::new();
        collect_keys(&self.expr, &mut out);
        out
    }
}

fn collect_keys<'a>(expr: &'a Expr, out: &mut Vec<&'a str>) {
    match expr {
        Expr::Key(k, _) | Expr::Known(k, _) | Expr::Count(k, _) => {
            if !out.contains(&k.as_str()) {
                out.push(k);
            }
        }
        Expr::Lit(..) => {}
        Expr::Not(e) => collect_keys(e, out),
        Expr::And(es) | Expr::Or(es) => es.iter().for_each(|e| collect_keys(e, out)),
        Expr::Cmp(a, _, b, _) => {
            collect_keys(a, out);
            collect_keys(b, out);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lexer

#[derive(Clone, Debug, PartialEq)]
enum TokenKind {
    Ident(String),
    Str(String),
    Num(f64),
    Op(&'static str),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
}

impl TokenKind {
    fn describe(&self) -> String {
        match self {
            TokenKind::Ident(s) => format!("`{s}`"),
            TokenKind::Str(s) => format!("string {s:?}"),
            TokenKind::Num(n) => format!("number {n}"),
            TokenKind::Op(op) => format!("`{op}`"),
            TokenKind::LParen => "`(`".into(),
            TokenKind::RParen => "`)`".into(),
            TokenKind::LBracket => "`[`".into(),
            TokenKind::RBracket => "`]`".into(),
            TokenKind::Comma => "`,`".into(),
        }
    }
}

#[derive(Clone, Debug)]
struct Token {
    kind: TokenKind,
    span: Span,
}

fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
    let bytes = src.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let start = i;
        let single = |kind| Token {
            kind,
            span: Span {
                start,
                end: start + 1,
            },
        };
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'(' => {
                tokens.push(single(TokenKind::LParen));
                i += 1;
            }
            b')' => {
                tokens.push(single(TokenKind::RParen));
                i += 1;
            }
            b'[' => {
                tokens.push(single(TokenKind::LBracket));
                i += 1;
            }
            b']' => {
                tokens.push(single(TokenKind::RBracket));
                i += 1;
            }
            b',' => {
                tokens.push(single(TokenKind::Comma));
                i += 1;
            }
            b'=' | b'!' | b'<' | b'>' => {
                let two = src.get(i..i + 2).unwrap_or("");
                let op = match two {
                    "==" => "==",
                    "!=" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    _ if c == b'<' => "<",
                    _ if c == b'>' => ">",
                    _ => {
                        let hint = if c == b'=' {
                            " (use `==` to compare)"
                        } else {
                            " (use `not` to negate)"
                        };
                        return Err(ExprError {
                            span: Span {
                                start,
                                end: start + 1,
                            },
                            message: format!("unexpected `{}`{hint}", c as char),
                        });
                    }
                };
                i += op.len();
                tokens.push(Token {
                    kind: TokenKind::Op(op),
                    span: Span { start, end: i },
                });
            }
            b'"' | b'\'' => {
                let quote = c;
                i += 1;
                let mut value = String::new();
                loop {
                    match bytes.get(i) {
                        None => {
                            return Err(ExprError {
                                span: Span {
                                    start,
                                    end: src.len(),
                                },
                                message: "unterminated string".into(),
                            });
                        }
                        Some(&b) if b == quote => {
                            i += 1;
                            break;
                        }
                        Some(b'\\')
                            if bytes.get(i + 1).is_some_and(|&n| n == quote || n == b'\\') =>
                        {
                            value.push(bytes[i + 1] as char);
                            i += 2;
                        }
                        Some(_) => {
                            let ch = src[i..].chars().next().expect("in bounds");
                            value.push(ch);
                            i += ch.len_utf8();
                        }
                    }
                }
                tokens.push(Token {
                    kind: TokenKind::Str(value),
                    span: Span { start, end: i },
                });
            }
            b'0'..=b'9' | b'-' if c != b'-' || bytes.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_digit() || bytes[i] == b'.' || bytes[i] == b'_')
                {
                    i += 1;
                }
                let text = src[start..i].replace('_', "");
                let value = text.parse::<f64>().map_err(|_| ExprError {
                    span: Span { start, end: i },
                    message: format!("`{}` is not a number", &src[start..i]),
                })?;
                tokens.push(Token {
                    kind: TokenKind::Num(value),
                    span: Span { start, end: i },
                });
            }
            c if c.is_ascii_alphabetic() => {
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'.' | b'-' | b'_'))
                {
                    i += 1;
                }
                tokens.push(Token {
                    kind: TokenKind::Ident(src[start..i].to_owned()),
                    span: Span { start, end: i },
                });
            }
            _ => {
                let ch = src[i..].chars().next().expect("in bounds");
                return Err(ExprError {
                    span: Span {
                        start,
                        end: start + ch.len_utf8(),
                    },
                    message: format!("unexpected character `{ch}`"),
                });
            }
        }
    }
    Ok(tokens)
}

// ---------------------------------------------------------------------------------------------
// Parser

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    len: usize,
}

impl Parser {
    fn peek(&self) -> Option<&TokenKind> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn peek_ident(&self, word: &str) -> bool {
        matches!(self.peek(), Some(TokenKind::Ident(w)) if w == word)
    }

    fn end_span(&self) -> Span {
        Span {
            start: self.len,
            end: self.len,
        }
    }

    fn next(&mut self) -> Result<Token, ExprError> {
        let token = self
            .tokens
            .get(self.pos)
            .cloned()
            .ok_or_else(|| ExprError {
                span: self.end_span(),
                message: "the condition ends too early".into(),
            })?;
        self.pos += 1;
        Ok(token)
    }

    fn expect(&mut self, kind: TokenKind, what: &str) -> Result<Token, ExprError> {
        let token = self.next()?;
        if token.kind == kind {
            Ok(token)
        } else {
            Err(ExprError {
                span: token.span,
                message: format!("expected {what}, found {}", token.kind.describe()),
            })
        }
    }

    fn expr(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.and()?];
        while self.peek_ident("or") {
            self.pos += 1;
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self) -> Result<Expr, ExprError> {
        let mut items = vec![self.unary()?];
        while self.peek_ident("and") {
            self.pos += 1;
            items.push(self.unary()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self) -> Result<Expr, ExprError> {
        if self.peek_ident("not") {
            self.pos += 1;
            return Ok(Expr::Not(Box::new(self.unary()?)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, ExprError> {
        let left = self.operand()?;
        let op = match self.peek() {
            Some(TokenKind::Op(op)) => match *op {
                "==" => CmpOp::Eq,
                "!=" => CmpOp::Ne,
                "<" => CmpOp::Lt,
                "<=" => CmpOp::Le,
                ">" => CmpOp::Gt,
                _ => CmpOp::Ge,
            },
            Some(TokenKind::Ident(w)) if w == "in" => CmpOp::In,
            _ => return Ok(left),
        };
        let op_span = self.tokens[self.pos].span;
        self.pos += 1;
        let right = self.operand()?;
        Ok(Expr::Cmp(Box::new(left), op, Box::new(right), op_span))
    }

    fn operand(&mut self) -> Result<Expr, ExprError> {
        let token = self.next()?;
        match token.kind {
            TokenKind::LParen => {
                let inner = self.expr()?;
                self.expect(TokenKind::RParen, "`)`")?;
                Ok(inner)
            }
            TokenKind::LBracket => {
                let mut items = Vec::new();
                if self.peek() != Some(&TokenKind::RBracket) {
                    loop {
                        let item = self.next()?;
                        items.push(literal(&item)?);
                        if self.peek() == Some(&TokenKind::Comma) {
                            self.pos += 1;
                            continue;
                        }
                        break;
                    }
                }
                let close = self.expect(TokenKind::RBracket, "`]` or `,`")?;
                Ok(Expr::Lit(
                    Literal::List(items),
                    Span {
                        start: token.span.start,
                        end: close.span.end,
                    },
                ))
            }
            TokenKind::Str(_) | TokenKind::Num(_) => Ok(Expr::Lit(literal(&token)?, token.span)),
            TokenKind::Ident(ref word) => match word.as_str() {
                "true" | "false" => Ok(Expr::Lit(literal(&token)?, token.span)),
                "known" | "count" if self.peek() == Some(&TokenKind::LParen) => {
                    self.pos += 1;
                    let key = self.next()?;
                    let TokenKind::Ident(name) = key.kind else {
                        return Err(ExprError {
                            span: key.span,
                            message: format!("`{word}(…)` takes an evidence key"),
                        });
                    };
                    self.expect(TokenKind::RParen, "`)`")?;
                    Ok(if word == "known" {
                        Expr::Known(name, key.span)
                    } else {
                        Expr::Count(name, key.span)
                    })
                }
                "and" | "or" | "not" | "in" => Err(ExprError {
                    span: token.span,
                    message: format!("expected a value, found `{word}`"),
                }),
                _ => Ok(Expr::Key(word.clone(), token.span)),
            },
            other => Err(ExprError {
                span: token.span,
                message: format!("expected a value, found {}", other.describe()),
            }),
        }
    }
}

fn literal(token: &Token) -> Result<Literal, ExprError> {
    match &token.kind {
        TokenKind::Str(s) => Ok(Literal::Str(s.clone())),
        TokenKind::Num(n) => Ok(Literal::Num(*n)),
        TokenKind::Ident(w) if w == "true" => Ok(Literal::Bool(true)),
        TokenKind::Ident(w) if w == "false" => Ok(Literal::Bool(false)),
        other => Err(ExprError {
            span: token.span,
            message: format!(
                "expected a string, number or boolean, found {}",
                other.describe()
            ),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Type checking

fn key_type(name: &str, span: Span) -> Result<Ty, ExprError> {
    let spec = keys::lookup(name).ok_or_else(|| {
        let suggestion = closest_key(name)
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        ExprError {
            span,
            message: format!("unknown evidence key `{name}`{suggestion}"),
        }
    })?;
    Ok(match spec.ty {
        ValueType::Bool => Ty::Bool,
        ValueType::Int | ValueType::Float => Ty::Num,
        ValueType::Str => Ty::Str,
        ValueType::List => Ty::List,
    })
}

/// The catalog key nearest to a misspelt one (edit distance ≤ 3).
fn closest_key(name: &str) -> Option<&'static str> {
    keys::KEYS
        .iter()
        .map(|k| (crate::config::distance(name, k.name), k.name))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| k)
}

fn literal_type(lit: &Literal) -> Ty {
    match lit {
        Literal::Bool(_) => Ty::Bool,
        Literal::Num(_) => Ty::Num,
        Literal::Str(_) => Ty::Str,
        Literal::List(_) => Ty::List,
    }
}

fn span_of(expr: &Expr) -> Span {
    match expr {
        Expr::Key(_, s)
        | Expr::Lit(_, s)
        | Expr::Known(_, s)
        | Expr::Count(_, s)
        | Expr::Cmp(_, _, _, s) => *s,
        Expr::Not(e) => span_of(e),
        Expr::And(es) | Expr::Or(es) => span_of(&es[0]),
    }
}

fn check(expr: &Expr) -> Result<Ty, ExprError> {
    match expr {
        Expr::Key(name, span) => key_type(name, *span),
        Expr::Lit(lit, span) => {
            if let Literal::List(items) = lit
                && items.iter().any(|i| matches!(i, Literal::List(_)))
            {
                return Err(ExprError {
                    span: *span,
                    message: "lists cannot contain lists".into(),
                });
            }
            Ok(literal_type(lit))
        }
        Expr::Known(name, span) => key_type(name, *span).map(|_| Ty::Bool),
        Expr::Count(name, span) => match key_type(name, *span)? {
            Ty::List => Ok(Ty::Num),
            other => Err(ExprError {
                span: *span,
                message: format!("`count` takes a list, but `{name}` is {other}"),
            }),
        },
        Expr::Not(inner) => expect_bool(inner),
        Expr::And(items) | Expr::Or(items) => {
            for item in items {
                expect_bool(item)?;
            }
            Ok(Ty::Bool)
        }
        Expr::Cmp(left, op, right, span) => {
            let (l, r) = (check(left)?, check(right)?);
            let ok = match op {
                CmpOp::Eq | CmpOp::Ne => l == r,
                CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => l == Ty::Num && r == Ty::Num,
                CmpOp::In => r == Ty::List && matches!(l, Ty::Str | Ty::List | Ty::Num | Ty::Bool),
            };
            if ok {
                Ok(Ty::Bool)
            } else {
                let want = match op {
                    CmpOp::Eq | CmpOp::Ne => "two values of the same type",
                    CmpOp::In => "a value on the left and a list on the right",
                    _ => "two numbers",
                };
                Err(ExprError {
                    span: *span,
                    message: format!("this comparison needs {want}, but got {l} and {r}"),
                })
            }
        }
    }
}

fn expect_bool(expr: &Expr) -> Result<Ty, ExprError> {
    match check(expr)? {
        Ty::Bool => Ok(Ty::Bool),
        other => Err(ExprError {
            span: span_of(expr),
            message: format!("expected true or false, but this is {other}"),
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation

#[derive(Clone, Debug, PartialEq)]
enum Val {
    Unknown,
    Bool(bool),
    Num(f64),
    Str(String),
    List(Vec<Val>),
}

fn from_value(value: &Value) -> Val {
    match value {
        Value::Bool(b) => Val::Bool(*b),
        Value::Int(i) => Val::Num(*i as f64),
        Value::Float(f) => Val::Num(*f),
        Value::Str(s) => Val::Str(s.clone()),
        Value::List(items) => Val::List(items.iter().map(|s| Val::Str(s.clone())).collect()),
    }
}

fn from_literal(lit: &Literal) -> Val {
    match lit {
        Literal::Bool(b) => Val::Bool(*b),
        Literal::Num(n) => Val::Num(*n),
        Literal::Str(s) => Val::Str(s.clone()),
        Literal::List(items) => Val::List(items.iter().map(from_literal).collect()),
    }
}

fn eval(expr: &Expr, ev: &Evidence) -> Val {
    match expr {
        Expr::Key(name, _) => ev.value(name).map(from_value).unwrap_or(Val::Unknown),
        Expr::Lit(lit, _) => from_literal(lit),
        Expr::Known(name, _) => Val::Bool(ev.value(name).is_some()),
        Expr::Count(name, _) => match ev.value(name) {
            Some(Value::List(items)) => Val::Num(items.len() as f64),
            _ => Val::Unknown,
        },
        Expr::Not(inner) => match eval(inner, ev) {
            Val::Bool(b) => Val::Bool(!b),
            _ => Val::Unknown,
        },
        Expr::And(items) => {
            let mut unknown = false;
            for item in items {
                match eval(item, ev) {
                    Val::Bool(false) => return Val::Bool(false),
                    Val::Bool(true) => {}
                    _ => unknown = true,
                }
            }
            if unknown {
                Val::Unknown
            } else {
                Val::Bool(true)
            }
        }
        Expr::Or(items) => {
            let mut unknown = false;
            for item in items {
                match eval(item, ev) {
                    Val::Bool(true) => return Val::Bool(true),
                    Val::Bool(false) => {}
                    _ => unknown = true,
                }
            }
            if unknown {
                Val::Unknown
            } else {
                Val::Bool(false)
            }
        }
        Expr::Cmp(left, op, right, _) => {
            let (l, r) = (eval(left, ev), eval(right, ev));
            if l == Val::Unknown || r == Val::Unknown {
                return Val::Unknown;
            }
            Val::Bool(match op {
                CmpOp::Eq => l == r,
                CmpOp::Ne => l != r,
                CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                    let (Val::Num(a), Val::Num(b)) = (l, r) else {
                        return Val::Unknown;
                    };
                    match op {
                        CmpOp::Lt => a < b,
                        CmpOp::Le => a <= b,
                        CmpOp::Gt => a > b,
                        _ => a >= b,
                    }
                }
                CmpOp::In => {
                    let Val::List(haystack) = r else {
                        return Val::Unknown;
                    };
                    match l {
                        Val::List(needles) => needles.iter().any(|n| haystack.contains(n)),
                        needle => haystack.contains(&needle),
                    }
                }
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Provenance;

    fn evidence() -> Evidence {
        let mut ev = Evidence::default();
        let at = Provenance::derived("test");
        ev.set("weights.published", true, at.clone());
        ev.set(
            "weights.formats",
            vec!["safetensors".to_owned()],
            at.clone(),
        );
        ev.set("access.gate", "manual", at.clone());
        ev.set("license.user-threshold", 700_000_000i64, at);
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
