//! Three-valued evaluation against the evidence.

use super::{CmpOp, Expr, Literal};
use crate::evidence::{Evidence, Value};

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Val {
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

pub(super) fn eval(expr: &Expr, ev: &Evidence) -> Val {
    match expr {
        Expr::Key(name, _) => ev.value(*name).map(from_value).unwrap_or(Val::Unknown),
        Expr::Lit(lit, _) => from_literal(lit),
        Expr::Def(_, inner, _) => eval(inner, ev),
        Expr::Known(name, _) => Val::Bool(ev.value(*name).is_some()),
        Expr::Count(name, _) => match ev.value(*name) {
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
