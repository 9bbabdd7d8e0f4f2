//! Loading a rubric: TOML text → checked [`Rubric`]. Every problem is reported at once, with
//! `file:line:column` and a snippet: unknown keys, wrong types, bad ids, conditions that do not
//! parse or name an unknown evidence key, classes that name unknown criteria.

use super::expr::{Condition, Definitions, ExprError};
use super::model::{Band, Class, Criterion, Dimension, Grade, Rubric, Rule, Select};
use crate::config::{Diagnostics, Field, Table, parse_document};
use std::collections::BTreeSet;
use std::sync::Arc;

pub use crate::config::{Diagnostic, LoadError};

/// Parses and checks a rubric. `file` names it in diagnostics.
pub fn load(file: &str, text: &str) -> Result<Rubric, LoadError> {
    let mut d = Diagnostics::new(file, text);
    let Some(doc) = parse_document(text, &mut d) else {
        return d.finish(None);
    };
    let mut root = Table::new(doc.get_ref(), 0..0, "the rubric file");
    let rubric = read_rubric(&mut root, &mut d);
    root.finish(&mut d);
    d.finish(rubric)
}

fn read_rubric(root: &mut Table<'_, '_>, d: &mut Diagnostics<'_>) -> Option<Rubric> {
    let Some(mut meta) = root.opt_table("rubric", d) else {
        d.error(
            0..0,
            "the file needs a [rubric] table with name, version and description",
        );
        return None;
    };
    let name = meta.str("name", d);
    let version = meta.str("version", d);
    let description = meta.str("description", d);
    let source = meta.opt_str("source", d).map(|f| f.value);
    let scale: Vec<String> = meta
        .str_list("scale", d)
        .into_iter()
        .map(|f| f.value)
        .collect();
    let verdicts = bands(&mut meta, "verdicts", &scale, d);
    meta.finish(d);

    let grades = read_grades(root, d);
    let defs = read_definitions(root, d);
    let mut criterion_ids = BTreeSet::new();
    let mut dimension_ids = BTreeSet::new();
    let raw_dimensions = root.tables("dimensions", d);
    if raw_dimensions.is_empty() {
        d.error(0..0, "a rubric needs at least one [[dimensions]] table");
    }
    let mut dimensions = Vec::new();
    for mut table in raw_dimensions {
        if let Some(dim) = read_dimension(
            &mut table,
            &scale,
            &defs,
            &mut dimension_ids,
            &mut criterion_ids,
            d,
        ) {
            dimensions.push(dim);
        }
        table.finish(d);
    }
    let classes = read_classes(root, &dimensions, d);
    Some(Rubric {
        name: name?.value,
        version: version?.value,
        description: description?.value,
        source,
        scale,
        verdicts,
        grades,
        dimensions,
        classes,
    })
}

fn check_id(id: &Field<String>, what: &str, seen: &mut BTreeSet<String>, d: &mut Diagnostics<'_>) {
    let value = &id.value;
    let valid = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-');
    if !valid {
        d.error(
            id.span.clone(),
            format!("{what} id `{value}` must be kebab-case (a-z, 0-9, -)"),
        );
    }
    if !seen.insert(value.clone()) {
        d.error(id.span.clone(), format!("duplicate {what} id `{value}`"));
    }
}

fn check_verdict(verdict: &Field<String>, scale: &[String], d: &mut Diagnostics<'_>) {
    if !scale.is_empty() && !scale.contains(&verdict.value) {
        d.error(
            verdict.span.clone(),
            format!(
                "verdict `{}` is not in the rubric's scale ({})",
                verdict.value,
                scale.join(", ")
            ),
        );
    }
}

/// `[[…verdicts]]` bands: `min` (fraction 0–1) and `verdict`, sorted best first.
fn bands(
    table: &mut Table<'_, '_>,
    key: &'static str,
    scale: &[String],
    d: &mut Diagnostics<'_>,
) -> Vec<Band> {
    let mut out = Vec::new();
    for mut band in table.tables(key, d) {
        let min = band.number("min", d);
        let verdict = band.str("verdict", d);
        band.finish(d);
        if let Some(min) = &min
            && !(0.0..=1.0).contains(&min.value)
        {
            d.error(
                min.span.clone(),
                "`min` is a fraction of the maximum, from 0 to 1",
            );
        }
        if let Some(v) = &verdict {
            check_verdict(v, scale, d);
        }
        if let (Some(min), Some(verdict)) = (min, verdict) {
            out.push(Band {
                min: min.value,
                verdict: verdict.value,
            });
        }
    }
    out.sort_by(|a, b| b.min.total_cmp(&a.min));
    out
}

fn read_grades(root: &mut Table<'_, '_>, d: &mut Diagnostics<'_>) -> Vec<Grade> {
    let mut grades = Vec::new();
    for mut table in root.tables("grades", d) {
        let min = table.number("min", d);
        let grade = table.str("grade", d);
        table.finish(d);
        if let Some(min) = &min
            && !(0.0..=100.0).contains(&min.value)
        {
            d.error(
                min.span.clone(),
                "`min` is a percentage of the maximum, from 0 to 100",
            );
        }
        if let (Some(min), Some(grade)) = (min, grade) {
            grades.push(Grade {
                min: min.value,
                grade: grade.value,
            });
        }
    }
    grades.sort_by(|a, b| b.min.total_cmp(&a.min));
    grades
}

fn read_dimension(
    table: &mut Table<'_, '_>,
    scale: &[String],
    defs: &Definitions,
    dimension_ids: &mut BTreeSet<String>,
    criterion_ids: &mut BTreeSet<String>,
    d: &mut Diagnostics<'_>,
) -> Option<Dimension> {
    let id = table.str("id", d);
    if let Some(id) = &id {
        check_id(id, "dimension", dimension_ids, d);
    }
    let name = table.str("name", d);
    let description = table
        .opt_str("description", d)
        .map(|f| f.value)
        .unwrap_or_default();
    let select = match table.opt_str("select", d) {
        None => Select::All,
        Some(f) if f.value == "all" => Select::All,
        Some(f) if f.value == "first" => Select::First,
        Some(f) => {
            d.error(
                f.span,
                format!("`select` is \"all\" or \"first\", not \"{}\"", f.value),
            );
            Select::All
        }
    };
    let default_verdict = table.opt_str("default-verdict", d);
    if let Some(v) = &default_verdict {
        check_verdict(v, scale, d);
        if select != Select::First {
            d.error(
                v.span.clone(),
                "`default-verdict` only applies with select = \"first\"",
            );
        }
    }
    let verdicts = bands(table, "verdicts", scale, d);
    if !verdicts.is_empty() && select == Select::First {
        d.error(table.span(), "with select = \"first\", verdicts come from each criterion's `verdict`, not [[dimensions.verdicts]]");
    }
    let raw_criteria = table.tables("criteria", d);
    if raw_criteria.is_empty() {
        d.error(
            table.span(),
            format!(
                "dimension `{}` has no [[dimensions.criteria]]",
                id.as_ref().map_or("?", |f| f.value.as_str())
            ),
        );
    }
    let mut criteria = Vec::new();
    for mut raw in raw_criteria {
        if let Some(c) = read_criterion(&mut raw, select, scale, defs, criterion_ids, d) {
            criteria.push(c);
        }
        raw.finish(d);
    }
    Some(Dimension {
        id: id?.value,
        name: name?.value,
        description,
        select,
        default_verdict: default_verdict.map(|f| f.value),
        verdicts,
        criteria,
    })
}

fn read_criterion(
    table: &mut Table<'_, '_>,
    select: Select,
    scale: &[String],
    defs: &Definitions,
    criterion_ids: &mut BTreeSet<String>,
    d: &mut Diagnostics<'_>,
) -> Option<Criterion> {
    let id = table.str("id", d);
    if let Some(id) = &id {
        check_id(id, "criterion", criterion_ids, d);
    }
    let description = table.str("description", d);
    let points = table.number("points", d);
    if let Some(p) = &points
        && p.value < 0.0
    {
        d.error(p.span.clone(), "points must be 0 or more");
    }
    let when = table.opt_str("when", d);
    let unavailable = table.opt_str("unavailable", d);
    let rule = match (when, unavailable) {
        (Some(when), None) => condition(&when, defs, d).map(Rule::When),
        (None, Some(reason)) => Some(Rule::Unavailable(reason.value.into())),
        (Some(when), Some(_)) => {
            d.error(when.span, "a criterion has either `when` (a condition) or `unavailable` (why it cannot be known), not both");
            None
        }
        (None, None) => {
            d.error(table.span(), "a criterion needs `when` (a condition over evidence keys) or `unavailable` (why the Hub cannot show it)");
            None
        }
    };
    let verdict = table.opt_str("verdict", d);
    if let Some(v) = &verdict {
        check_verdict(v, scale, d);
        if select != Select::First {
            d.error(
                v.span.clone(),
                "a criterion's `verdict` only applies in a dimension with select = \"first\"",
            );
        }
    }
    let conditional = table
        .opt_str("conditional", d)
        .and_then(|f| condition(&f, defs, d));
    let note = table.opt_str("note", d).map(|f| f.value);
    Some(Criterion {
        id: id?.value.into(),
        description: description?.value.into(),
        points: points?.value,
        rule: rule?,
        verdict: verdict.map(|f| f.value.into()),
        conditional,
        note: note.map(Arc::from),
    })
}

/// `[definitions]`: named conditions and lists the criteria use as `@name`, each written once
/// (a definition may use the ones above it).
fn read_definitions(root: &mut Table<'_, '_>, d: &mut Diagnostics<'_>) -> Definitions {
    let mut defs = Definitions::default();
    let Some(mut table) = root.opt_table("definitions", d) else {
        return defs;
    };
    let mut seen = BTreeSet::new();
    for (name, source) in table.string_map(d) {
        check_id(&name, "definition", &mut seen, d);
        if let Err(error) = defs.define(&name.value, &source.value) {
            report(&source, error, d);
        }
    }
    table.finish(d);
    defs
}

/// Parses a condition, locating its errors inside the TOML string.
fn condition(
    field: &Field<String>,
    defs: &Definitions,
    d: &mut Diagnostics<'_>,
) -> Option<Condition> {
    Condition::parse_with(&field.value, defs)
        .map_err(|error| report(field, error, d))
        .ok()
}

/// An error of the condition text in `field`, at its place inside the TOML string.
fn report(field: &Field<String>, ExprError { span, message }: ExprError, d: &mut Diagnostics<'_>) {
    let base = string_content_start(d.text(), field.span.start);
    d.error(
        base + span.start..base + span.end.max(span.start + 1),
        message,
    );
}

/// Offset of the first character inside a TOML string literal that starts at `offset`.
fn string_content_start(text: &str, offset: usize) -> usize {
    let rest = &text[offset.min(text.len())..];
    if rest.starts_with("'''") || rest.starts_with("\"\"\"") {
        let after = offset + 3;
        if text[after..].starts_with('\n') {
            after + 1
        } else {
            after
        }
    } else {
        offset + 1
    }
}

fn read_classes(
    root: &mut Table<'_, '_>,
    dimensions: &[Dimension],
    d: &mut Diagnostics<'_>,
) -> Vec<Class> {
    let known: Vec<&str> = dimensions
        .iter()
        .flat_map(|dim| dim.criteria.iter().map(|c| &*c.id))
        .collect();
    let mut ids = BTreeSet::new();
    let mut claimed = BTreeSet::new();
    let mut classes = Vec::new();
    for mut table in root.tables("classes", d) {
        let id = table.str("id", d);
        if let Some(id) = &id {
            check_id(id, "class", &mut ids, d);
        }
        let name = table.str("name", d);
        let requires = table.str_list("requires", d);
        let span = table.span();
        table.finish(d);
        if requires.is_empty() {
            d.error(
                span,
                "a class needs `requires`: the criteria it adds to the classes before it",
            );
        }
        for r in &requires {
            if !known.contains(&r.value.as_str()) && !dimensions.is_empty() {
                d.error(
                    r.span.clone(),
                    format!("class requires unknown criterion `{}`", r.value),
                );
            }
            if !claimed.insert(r.value.clone()) {
                d.error(r.span.clone(), format!("criterion `{}` is already required by an earlier class (classes are cumulative)", r.value));
            }
        }
        if let (Some(id), Some(name)) = (id, name) {
            classes.push(Class {
                id: id.value,
                name: name.value,
                requires: requires.into_iter().map(|f| f.value).collect(),
            });
        }
    }
    classes
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = r#"
[rubric]
name = "tiny"
version = "1"
description = "test"

[[dimensions]]
id = "weights"
name = "Weights"

[[dimensions.criteria]]
id = "published"
description = "weights are published"
points = 5
when = "weights.published"
"#;

    #[test]
    fn loads_a_valid_rubric() {
        let rubric = load("tiny.toml", VALID).unwrap();
        assert_eq!(rubric.max_points(), 5.0);
    }

    #[test]
    fn reports_every_problem_with_its_position() {
        let bad = VALID
            .replace("points = 5", "pionts = 5")
            .replace("weights.published\"", "weights.publishd\"");
        let err = load("bad.toml", &bad).unwrap_err();
        let found: Vec<(usize, usize)> =
            err.diagnostics.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(found, [(11, 1), (14, 1), (15, 9)], "{err}");
        assert!(err.to_string().contains("unknown key `pionts`"), "{err}");
        assert!(err.to_string().contains("did you mean `points`?"), "{err}");
        assert!(
            err.to_string()
                .contains("unknown evidence key `weights.publishd`"),
            "{err}"
        );
    }
}
