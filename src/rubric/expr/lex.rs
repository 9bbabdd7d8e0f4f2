//! Tokens of the condition language.

use super::{ExprError, Span};

#[derive(Clone, Debug, PartialEq)]
pub(super) enum TokenKind {
    Ident(String),
    /// `@name`: a definition of the rubric's `[definitions]` table.
    Def(String),
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
    pub(super) fn describe(&self) -> String {
        match self {
            TokenKind::Ident(s) => format!("`{s}`"),
            TokenKind::Def(s) => format!("`@{s}`"),
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
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) span: Span,
}

pub(super) fn lex(src: &str) -> Result<Vec<Token>, ExprError> {
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
            b'@' => {
                i += 1;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'-' | b'_'))
                {
                    i += 1;
                }
                if i == start + 1 {
                    return Err(ExprError {
                        span: Span {
                            start,
                            end: start + 1,
                        },
                        message: "`@` names a definition: `@name`".into(),
                    });
                }
                tokens.push(Token {
                    kind: TokenKind::Def(src[start + 1..i].to_owned()),
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
