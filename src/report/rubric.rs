//! `openness rubric` output: the list of built-in rubrics and the summary of a valid rubric file.

use crate::rubric::Rubric;

/// One line per rubric: name, version, description.
pub fn list_text<'a>(rubrics: impl IntoIterator<Item = (&'a str, &'a Rubric)>) -> String {
    rubrics
        .into_iter()
        .map(|(name, rubric)| format!("{name:<10} {:<8} {}\n", rubric.version, rubric.description))
        .collect()
}

/// The line `openness rubric validate` prints for a rubric file that loads.
pub fn valid_text(path: &str, r: &Rubric) -> String {
    let criteria: usize = r.dimensions.iter().map(|d| d.criteria.len()).sum();
    let points = r.max_points();
    format!(
        "{path}: ok — rubric `{}` {}, {}, {}, {points} point{}{}\n",
        r.name,
        r.version,
        counted(r.dimensions.len(), "dimension", "dimensions"),
        counted(criteria, "criterion", "criteria"),
        if points == 1.0 { "" } else { "s" },
        if r.classes.is_empty() {
            String::new()
        } else {
            format!(", {}", counted(r.classes.len(), "class", "classes"))
        }
    )
}

fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
