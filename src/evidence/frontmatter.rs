//! The YAML front matter of a model card (`---` … `---` at the top of README.md), parsed with
//! budgets so that hostile YAML (alias bombs, deep nesting) fails fast instead of exhausting
//! memory. A card's metadata is a mapping; anything else is reported, never a crash.

// Front matter larger than this is not parsed (real cards stay under 100 KB).
use crate::limits::MAX_FRONT_MATTER_BYTES;
use serde_json::{Map, Value};

#[derive(Debug, Default)]
pub struct FrontMatter<'a> {
    /// The parsed mapping, when the block exists and is valid.
    pub metadata: Option<Map<String, Value>>,
    /// Why the block could not be read, when it exists but is broken.
    pub error: Option<String>,
    /// The YAML text, for finding the line of a key.
    yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    first_line: u32,
    /// The Markdown after the block.
    pub body: &'a str,
    /// 1-based line where `body` starts.
    pub body_line: u32,
}

impl FrontMatter<'_> {
    /// The 1-based file line of a top-level key, for provenance.
    pub fn key_line(&self, key: &str) -> Option<u32> {
        self.yaml
            .lines()
            .position(|line| {
                line.strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            .map(|index| self.first_line + index as u32)
    }

    pub fn present(&self) -> bool {
        self.metadata.is_some() || self.error.is_some()
    }
}

/// Splits and parses the front matter of `text`.
pub fn parse(text: &str) -> FrontMatter<'_> {
    let text_no_bom = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(after_open) = strip_fence(text_no_bom) else {
        return FrontMatter {
            body: text_no_bom,
            body_line: 1,
            first_line: 2,
            ..FrontMatter::default()
        };
    };
    // Find the closing fence: a line that is exactly `---` or `...`.
    let mut offset = 0;
    let mut close = None;
    for line in after_open.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        if bare == "---" || bare == "..." {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((yaml_end, body_start)) = close else {
        return FrontMatter {
            error: Some("the front matter opened with `---` is never closed".to_owned()),
            body: text_no_bom,
            body_line: 1,
            first_line: 2,
            ..FrontMatter::default()
        };
    };
    let yaml = &after_open[..yaml_end];
    let body = &after_open[body_start..];
    let body_line = 2 + yaml.lines().count() as u32 + 1;
    let (metadata, error) = parse_yaml(yaml);
    FrontMatter {
        metadata,
        error,
        yaml,
        first_line: 2,
        body,
        body_line,
    }
}

fn strip_fence(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("---")?;
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))?;
    Some(rest)
}

fn parse_yaml(yaml: &str) -> (Option<Map<String, Value>>, Option<String>) {
    if yaml.len() > MAX_FRONT_MATTER_BYTES {
        return (
            None,
            Some(format!(
                "the front matter is larger than {} KiB",
                MAX_FRONT_MATTER_BYTES / 1024
            )),
        );
    }
    if yaml.trim().is_empty() {
        return (Some(Map::new()), None);
    }
    let mut budget = serde_saphyr::Budget::default();
    budget.max_events = 200_000;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_recorded_anchor_events = 50_000;
    budget.max_recorded_anchor_bytes = 4 * 1024 * 1024;
    budget.flow_nesting_limit = 64;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    match serde_saphyr::from_str_with_options::<Value>(yaml, options) {
        Ok(Value::Object(map)) => (Some(map), None),
        Ok(Value::Null) => (Some(Map::new()), None),
        Ok(other) => (
            None,
            Some(format!(
                "the front matter is not a mapping (found {})",
                json_kind(&other)
            )),
        ),
        Err(e) => (None, Some(one_line(&e.to_string()))),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Array(_) => "a list",
        Value::String(_) => "a string",
        Value::Number(_) => "a number",
        Value::Bool(_) => "a boolean",
        Value::Null | Value::Object(_) => "something else",
    }
}

/// Error text from the parser, cut to one printable line.
fn one_line(message: &str) -> String {
    let first: String = message
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    if first.is_empty() {
        "invalid YAML".to_owned()
    } else {
        first
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_metadata_and_locates_keys() {
        let card = "---\nlicense: mit\ndatasets:\n- a/b\n---\n# Title\n";
        let fm = parse(card);
        let meta = fm.metadata.as_ref().unwrap();
        assert_eq!(meta["license"], "mit");
        assert_eq!(fm.key_line("datasets"), Some(3));
        assert_eq!(fm.body, "# Title\n");
        assert_eq!(fm.body_line, 6);
    }

    #[test]
    fn broken_yaml_is_an_error_not_a_panic() {
        let fm = parse("---\nlicense: [mit\n  datasets: : :\n---\n# broken\n");
        assert!(fm.metadata.is_none());
        assert!(fm.error.is_some());
        let fm = parse("---\nlicense: mit\n# never closed\n");
        assert!(fm.error.unwrap().contains("never closed"));
        assert!(parse("# no front matter").metadata.is_none());
    }

    #[test]
    fn alias_bombs_are_refused() {
        let bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n\
                    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n\
                    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n\
                    g: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nlicense: mit\n---\n";
        let fm = parse(bomb);
        assert!(fm.metadata.is_none(), "an alias bomb must not expand");
        assert!(fm.error.is_some());
    }
}
