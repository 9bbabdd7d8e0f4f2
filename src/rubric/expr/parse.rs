//! The condition grammar (see the module docs), recursive descent.

use super::lex::{Token, TokenKind};
use super::{CmpOp, Definitions, Expr, ExprError, Literal, Span};
use crate::evidence::keys::{self, Key};

pub(super) struct Parser<'d> {
    pub(super) tokens: Vec<Token>,
    pub(super) pos: usize,
    pub(super) len: usize,
    pub(super) defs: &'d Definitions,
}

impl Parser<'_> {
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

    pub(super) fn expr(&mut self) -> Result<Expr, ExprError> {
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
            TokenKind::Def(ref name) => match self.defs.get(name) {
                Some(expr) => Ok(Expr::Def(
                    name.as_str().into(),
                    Box::new(expr.clone()),
                    token.span,
                )),
                None => {
                    let suggestion = closest(name, self.defs.names())
                        .map(|d| format!(" (did you mean `@{d}`?)"))
                        .unwrap_or_default();
                    Err(ExprError {
                        span: token.span,
                        message: format!(
                            "unknown definition `@{name}`{suggestion}: define it in [definitions], above where it is used"
                        ),
                    })
                }
            },
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
                    let resolved = resolve(&name, key.span)?;
                    self.expect(TokenKind::RParen, "`)`")?;
                    Ok(if word == "known" {
                        Expr::Known(resolved, key.span)
                    } else {
                        Expr::Count(resolved, key.span)
                    })
                }
                "and" | "or" | "not" | "in" => Err(ExprError {
                    span: token.span,
                    message: format!("expected a value, found `{word}`"),
                }),
                _ => Ok(Expr::Key(resolve(word, token.span)?, token.span)),
            },
            other => Err(ExprError {
                span: token.span,
                message: format!("expected a value, found {}", other.describe()),
            }),
        }
    }
}

/// The catalog key a condition names: resolved when the rubric loads, so a misspelt key is an
/// error with the nearest name instead of a criterion that never matches.
fn resolve(name: &str, span: Span) -> Result<Key, ExprError> {
    keys::lookup(name).ok_or_else(|| {
        let suggestion = closest_key(name)
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        ExprError {
            span,
            message: format!("unknown evidence key `{name}`{suggestion}"),
        }
    })
}

/// The catalog key nearest to a misspelt one (edit distance ≤ 3).
fn closest_key(name: &str) -> Option<&'static str> {
    closest(name, keys::KEYS.iter().map(|k| k.name()))
}

/// The name nearest to a misspelt one (edit distance ≤ 3).
fn closest<'a>(name: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    names
        .map(|n| (strsim::levenshtein(name, n), n))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, n)| n)
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
