//! Facts and the evidence of one release: every fact keyed by its catalog key, with the
//! provenance that established it, and the findings noticed on the way.

use super::findings::Finding;
use super::keys::Key;
use super::provenance::Provenance;
use super::value::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

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
    pub fn set_from(&mut self, key: Key, value: impl Into<Value>, provenance: Vec<Provenance>) {
        let value = value.into();
        debug_assert!(
            key.value_type() == value.value_type(),
            "evidence key {key} takes {:?}, not {value:?}",
            key.value_type()
        );
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
