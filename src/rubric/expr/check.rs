//! Static checks when a rubric loads: every key is in the catalog, every operator gets the
//! types it needs, a condition is true or false.

use super::{CmpOp, Expr, ExprError, Literal, Span, Ty};
use crate::evidence::Key;
use crate::evidence::ValueType;

fn key_type(key: Key) -> Ty {
    match key.value_type() {
        ValueType::Bool => Ty::Bool,
        ValueType::Int | ValueType::Float => Ty::Num,
        ValueType::Str => Ty::Str,
        ValueType::List => Ty::List,
    }
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
        | Expr::Cmp(_, _, _, s)
        | Expr::Def(_, _, s) => *s,
        Expr::Not(e) => span_of(e),
        Expr::And(es) | Expr::Or(es) => span_of(&es[0]),
    }
}

pub(super) fn check(expr: &Expr) -> Result<Ty, ExprError> {
    match expr {
        Expr::Key(key, _) => Ok(key_type(*key)),
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
        Expr::Known(..) => Ok(Ty::Bool),
        Expr::Def(_, inner, _) => check(inner),
        Expr::Count(key, span) => match key_type(*key) {
            Ty::List => Ok(Ty::Num),
            other => Err(ExprError {
                span: *span,
                message: format!("`count` takes a list, but `{key}` is {other}"),
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
