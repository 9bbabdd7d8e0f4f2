//! "Did you mean": the known name nearest to what was typed, when one is near enough to be the
//! intended one (an edit distance, from `strsim`, of at most a third of the name, and at least 2).

/// The candidate nearest to `typed` (compared case-insensitively), if near enough.
pub fn nearest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.trim().to_ascii_lowercase();
    let limit = (typed.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&typed, &c.to_ascii_lowercase()), c))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, c)| c)
}

/// ` (did you mean `x`?)`, or nothing.
pub fn did_you_mean<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    nearest(typed, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_only_what_is_near() {
        let ids = ["llama3.1", "llama3", "mit", "apache-2.0"];
        assert_eq!(nearest("lama3.1", ids), Some("llama3.1"));
        assert_eq!(nearest("Apache-2", ids), Some("apache-2.0"));
        assert_eq!(nearest("gpl-3.0", ids), None);
        assert_eq!(
            did_you_mean("defualt", ["default", "mof"]),
            " (did you mean `default`?)"
        );
        assert_eq!(did_you_mean("xyz", ["default", "mof"]), "");
    }
}
