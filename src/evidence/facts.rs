//! Facts and the evidence of one release: every fact keyed by its catalog key, with the
//! provenance that established it, and the findings noticed on the way.

use super::findings::Finding;
use super::keys::Key;
use super::provenance::Provenance;
use super::value::Value;
use crate::limits::{MAX_LIST_ITEMS, MAX_VALUE_BYTES};
use std::collections::BTreeMap;
use std::sync::Arc;

/// `text` cut to [`MAX_VALUE_BYTES`] at a character boundary, marked with `…`.
fn cut(text: &mut String) {
    if text.len() > MAX_VALUE_BYTES {
        let mut end = MAX_VALUE_BYTES;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.push('…');
    }
}

/// One established fact.
#[derive(Clone, Debug, PartialEq)]
pub struct Fact {
    pub value: Value,
    pub provenance: Vec<Provenance>,
}

/// The facts about one release, keyed by evidence key (see [`keys::KEYS`]), plus the findings
/// noticed while establishing them. A key that could not be established is absent.
#[derive(Clone, Debug, Default)]
pub struct Evidence {
    /// Shared, so the scorecard and every criterion that cites a fact point at one copy.
    facts: BTreeMap<Key, Arc<Fact>>,
    pub findings: Vec<Finding>,
}

impl Evidence {
    /// Records a fact, replacing any earlier value of the key.
    ///
    /// # Panics
    /// In debug builds, when `value` has the wrong type for `key`: a programming error, caught
    /// by the test suite.
    pub fn set(&mut self, key: Key, value: impl Into<Value>, provenance: Provenance) {
        self.set_from(key, value, vec![provenance]);
    }

    /// Records a fact established by several sources.
    ///
    /// The one place evidence is bounded (issue 14 row 14): a list keeps its first
    /// [`MAX_LIST_ITEMS`] items, a value its first [`MAX_VALUE_BYTES`] bytes, the provenance as
    /// many entries as the list keeps; what was cut is an `evidence-capped` finding.
    pub fn set_from(&mut self, key: Key, value: impl Into<Value>, mut provenance: Vec<Provenance>) {
        let mut value = value.into();
        debug_assert!(
            key.value_type() == value.value_type(),
            "evidence key {key} takes {:?}, not {value:?}",
            key.value_type()
        );
        let mut capped = None;
        match &mut value {
            Value::List(items) => {
                if items.len() > MAX_LIST_ITEMS {
                    capped = Some(("items", items.len(), MAX_LIST_ITEMS));
                    items.truncate(MAX_LIST_ITEMS);
                }
                let mut longest = 0;
                for item in items.iter_mut() {
                    longest = longest.max(item.len());
                    cut(item);
                }
                if capped.is_none() && longest > MAX_VALUE_BYTES {
                    capped = Some(("bytes in an item", longest, MAX_VALUE_BYTES));
                }
            }
            Value::Str(text) if text.len() > MAX_VALUE_BYTES => {
                capped = Some(("bytes", text.len(), MAX_VALUE_BYTES));
                cut(text);
            }
            _ => {}
        }
        // One source per item at most, plus the note that says how they were read.
        if provenance.len() > MAX_LIST_ITEMS + 1 {
            let note = provenance.pop();
            provenance.truncate(MAX_LIST_ITEMS);
            provenance.extend(note);
        }
        if let Some((what, total, kept)) = capped {
            let finding = Finding::evidence_capped(key.name(), what, total, kept);
            if !self.findings.contains(&finding) {
                self.findings.push(finding);
            }
        }
        self.facts.insert(key, Arc::new(Fact { value, provenance }));
    }

    pub fn get(&self, key: Key) -> Option<&Fact> {
        self.facts.get(&key).map(|fact| &**fact)
    }

    /// The fact itself, shared (no copy).
    pub fn shared(&self, key: Key) -> Option<Arc<Fact>> {
        self.facts.get(&key).cloned()
    }

    pub fn value(&self, key: Key) -> Option<&Value> {
        self.facts.get(&key).map(|fact| &fact.value)
    }

    pub fn str(&self, key: Key) -> Option<&str> {
        match self.value(key) {
            Some(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    pub fn list(&self, key: Key) -> &[String] {
        match self.value(key) {
            Some(Value::List(items)) => items,
            _ => &[],
        }
    }

    pub fn bool(&self, key: Key) -> Option<bool> {
        match self.value(key) {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (Key, &Arc<Fact>)> {
        self.facts.iter().map(|(k, v)| (*k, v))
    }

    pub fn remove(&mut self, key: Key) -> Option<Arc<Fact>> {
        self.facts.remove(&key)
    }
}
