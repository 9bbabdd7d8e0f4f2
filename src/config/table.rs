//! Walking a spanned TOML document: typed field access that records a diagnostic for every
//! missing, mistyped or unknown key.

use super::diag::Diagnostics;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// A value with the byte range it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Field<T> {
    pub value: T,
    pub span: Range<usize>,
}

/// Parses a document. Syntax errors are recorded, the first of each line (the parser's
/// recovery reports the rest of a broken line again, as a cascade); `None` when there was
/// one: the caller reports them alone, since checking what the parser recovered would add
/// misleading errors ("needs a [policy] table", "unknown key", a second one for a bad date).
pub fn parse_document<'i>(
    text: &'i str,
    diags: &mut Diagnostics<'_>,
) -> Option<Spanned<DeTable<'i>>> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    let mut last_line = None;
    let mut any = false;
    for e in errors {
        let span = e.span().unwrap_or(0..0);
        let line = text[..span.start.min(text.len())]
            .bytes()
            .filter(|&b| b == b'\n')
            .count();
        if last_line != Some(line) {
            diags.error(span, e.message().trim().to_owned());
            last_line = Some(line);
        }
        any = true;
    }
    (!any).then_some(doc)
}

/// One TOML table being read. Call [`Table::finish`] to report the keys nobody asked for.
pub struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    /// How the table is named in messages (`[rubric]`, `[[dimensions]] "weights"`…).
    what: String,
    read: Vec<&'static str>,
    /// Every key was read as data ([`Table::string_map`]): none is unknown.
    all_read: bool,
}

fn kind(value: &DeValue<'_>) -> &'static str {
    match value {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

impl<'t, 'i> Table<'t, 'i> {
    pub fn new(table: &'t DeTable<'i>, span: Range<usize>, what: impl Into<String>) -> Self {
        Table {
            table,
            span,
            what: what.into(),
            read: Vec::new(),
            all_read: false,
        }
    }

    pub fn span(&self) -> Range<usize> {
        self.span.clone()
    }

    pub fn what(&self) -> &str {
        &self.what
    }

    fn get(&mut self, key: &'static str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.read.push(key);
        self.table.get(key)
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    fn missing(&self, key: &str, diags: &mut Diagnostics<'_>) {
        diags.error(
            self.span.clone(),
            format!("{} is missing the required key `{key}`", self.what),
        );
    }

    fn wrong(
        &self,
        key: &str,
        expected: &str,
        value: &Spanned<DeValue<'_>>,
        diags: &mut Diagnostics<'_>,
    ) {
        diags.error(
            value.span(),
            format!("`{key}` must be {expected}, not {}", kind(value.get_ref())),
        );
    }

    pub fn opt_str(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics<'_>,
    ) -> Option<Field<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::String(s) => Some(Field {
                value: s.to_string(),
                span: value.span(),
            }),
            _ => {
                self.wrong(key, "a string", value, diags);
                None
            }
        }
    }

    /// Whether a required key is there; reports it when it is not.
    fn require(&mut self, key: &'static str, diags: &mut Diagnostics<'_>) -> bool {
        let present = self.table.contains_key(key);
        if !present {
            self.read.push(key);
            self.missing(key, diags);
        }
        present
    }

    pub fn str(&mut self, key: &'static str, diags: &mut Diagnostics<'_>) -> Option<Field<String>> {
        if self.require(key, diags) {
            self.opt_str(key, diags)
        } else {
            None
        }
    }

    pub fn opt_number(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics<'_>,
    ) -> Option<Field<f64>> {
        let value = self.get(key)?;
        let number = match value.get_ref() {
            DeValue::Integer(i) => {
                let digits = i.as_str().replace('_', "");
                let digits = digits.trim_start_matches(['+']);
                let body = digits
                    .strip_prefix("0x")
                    .or_else(|| digits.strip_prefix("0o"))
                    .or_else(|| digits.strip_prefix("0b"))
                    .unwrap_or(digits);
                i64::from_str_radix(body, i.radix()).ok().map(|n| n as f64)
            }
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            _ => None,
        };
        match number {
            Some(n) if n.is_finite() => Some(Field {
                value: n,
                span: value.span(),
            }),
            _ => {
                self.wrong(key, "a number", value, diags);
                None
            }
        }
    }

    pub fn number(&mut self, key: &'static str, diags: &mut Diagnostics<'_>) -> Option<Field<f64>> {
        if self.require(key, diags) {
            self.opt_number(key, diags)
        } else {
            None
        }
    }

    pub fn opt_bool(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics<'_>,
    ) -> Option<Field<bool>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Boolean(b) => Some(Field {
                value: *b,
                span: value.span(),
            }),
            _ => {
                self.wrong(key, "true or false", value, diags);
                None
            }
        }
    }

    /// A date (`2026-12-31`), as its text.
    pub fn opt_date(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics<'_>,
    ) -> Option<Field<String>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Datetime(d) => Some(Field {
                value: d.to_string(),
                span: value.span(),
            }),
            DeValue::String(s) => Some(Field {
                value: s.to_string(),
                span: value.span(),
            }),
            _ => {
                self.wrong(key, "a date such as 2026-12-31", value, diags);
                None
            }
        }
    }

    /// An array of strings (absent: empty).
    pub fn str_list(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics<'_>,
    ) -> Vec<Field<String>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong(key, "an array of strings", value, diags);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => out.push(Field {
                    value: s.to_string(),
                    span: item.span(),
                }),
                _ => diags.error(
                    item.span(),
                    format!("`{key}` must hold strings, not {}", kind(item.get_ref())),
                ),
            }
        }
        out
    }

    /// A sub-table (`[a.b]` or an inline table).
    pub fn opt_table(
        &mut self,
        key: &'static str,
        diags: &mut Diagnostics<'_>,
    ) -> Option<Table<'t, 'i>> {
        let value = self.get(key)?;
        match value.get_ref() {
            DeValue::Table(t) => Some(Table::new(
                t,
                value.span(),
                format!("[{}]", self.child_path(key)),
            )),
            _ => {
                self.wrong(key, "a table", value, diags);
                None
            }
        }
    }

    /// An array of tables (`[[key]]`); absent: empty.
    pub fn tables(&mut self, key: &'static str, diags: &mut Diagnostics<'_>) -> Vec<Table<'t, 'i>> {
        let Some(value) = self.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = value.get_ref() else {
            self.wrong(key, "an array of tables ([[…]])", value, diags);
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::Table(t) => out.push(Table::new(
                    t,
                    item.span(),
                    format!("[[{}]]", self.child_path(key)),
                )),
                _ => diags.error(
                    item.span(),
                    format!("`{key}` must hold tables, not {}", kind(item.get_ref())),
                ),
            }
        }
        out
    }

    /// Every key of the table with a string value, in file order (a map whose keys are data,
    /// such as dimension ids); values of another type are reported. Marks every key as read.
    pub fn string_map(
        &mut self,
        diags: &mut Diagnostics<'_>,
    ) -> Vec<(Field<String>, Field<String>)> {
        let mut out = Vec::new();
        for (key, value) in self.table.iter() {
            let name = Field {
                value: key.get_ref().to_string(),
                span: key.span(),
            };
            match value.get_ref() {
                DeValue::String(s) => out.push((
                    name,
                    Field {
                        value: s.to_string(),
                        span: value.span(),
                    },
                )),
                other => diags.error(
                    value.span(),
                    format!("`{}` must be a string, not {}", name.value, kind(other)),
                ),
            }
        }
        out.sort_by_key(|(k, _)| k.span.start);
        self.read.clear();
        self.all_read = true;
        out
    }

    /// The dotted TOML path of a child table: `dimensions.criteria` under `[[dimensions]]`.
    fn child_path(&self, key: &str) -> String {
        let parent = self.what.trim_start_matches('[').trim_end_matches(']');
        if self.what.starts_with('[') && !parent.is_empty() {
            format!("{parent}.{key}")
        } else {
            key.to_owned()
        }
    }

    /// Reports every key of the table that was not read, with the closest known key.
    pub fn finish(self, diags: &mut Diagnostics<'_>) {
        if self.all_read {
            return;
        }
        for (key, value) in self.table.iter() {
            let name = key.get_ref().as_ref();
            if self.read.contains(&name) {
                continue;
            }
            let hint = self
                .read
                .iter()
                .map(|k| (strsim::levenshtein(name, k), *k))
                .filter(|(d, _)| *d <= 3)
                .min()
                .map(|(_, k)| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            let mut known: Vec<&str> = self.read.clone();
            known.sort_unstable();
            known.dedup();
            let _ = value;
            diags.error(
                key.span(),
                format!(
                    "unknown key `{name}` in {}{hint}; expected one of: {}",
                    self.what,
                    known.join(", ")
                ),
            );
        }
    }
}
