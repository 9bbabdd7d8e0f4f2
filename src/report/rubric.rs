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
    format!(
        "{path}: ok — rubric `{}` {}, {} dimensions, {criteria} criteria, {} points{}\n",
        r.name,
        r.version,
        r.dimensions.len(),
        r.max_points(),
        if r.classes.is_empty() {
            String::new()
        } else {
            format!(", {} classes", r.classes.len())
        }
    )
}
