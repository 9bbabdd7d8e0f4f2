//! The spanned-TOML reader that the rubric loader (and the policy loader) are built on:
//! `config::parse_document`, the typed `config::Table` accessors, `Table::finish` (unknown keys
//! with "did you mean" hints) and `Diagnostics` (byte spans → line, column and snippet).
//!
//! Every table of the document is walked with a fixed vocabulary: a key's name picks the
//! accessor (`s*` string, `n*` number, `b*` boolean, `d*` date, `l*` string list, `t*` table,
//! `a*` array of tables; other names are read as the rubric's keys are), so both the well-typed
//! and the mistyped paths run whatever the input holds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::config::{Diagnostics, Table, parse_document};

const KEYS: &[&str] = &[
    "s",
    "str",
    "n",
    "num",
    "b",
    "bool",
    "d",
    "date",
    "l",
    "list",
    "t",
    "table",
    "a",
    "arr",
    "name",
    "version",
    "points",
    "when",
    "rubric",
    "dimensions",
    "criteria",
];

const MAX_DEPTH: usize = 16;

fn walk(table: &mut Table<'_, '_>, d: &mut Diagnostics<'_>, depth: usize) {
    for &key in KEYS {
        let _ = table.has(key);
        match key.as_bytes()[0] {
            b's' => {
                let _ = table.str(key, d);
            }
            b'n' if key == "name" => {
                let _ = table.opt_str(key, d);
            }
            b'n' | b'p' => {
                if let Some(f) = table.opt_number(key, d) {
                    assert!(f.value.is_finite());
                }
            }
            b'b' => {
                let _ = table.opt_bool(key, d);
            }
            b'd' if key == "dimensions" => {
                for mut child in table.tables(key, d) {
                    if depth < MAX_DEPTH {
                        walk(&mut child, d, depth + 1);
                    }
                    child.finish(d);
                }
            }
            b'd' => {
                let _ = table.opt_date(key, d);
            }
            b'l' => {
                let _ = table.str_list(key, d);
            }
            b't' | b'r' => {
                if let Some(mut child) = table.opt_table(key, d) {
                    let _ = (child.span(), child.what().len());
                    if depth < MAX_DEPTH {
                        walk(&mut child, d, depth + 1);
                    }
                    child.finish(d);
                }
            }
            b'a' | b'c' => {
                for mut child in table.tables(key, d) {
                    if depth < MAX_DEPTH {
                        walk(&mut child, d, depth + 1);
                    }
                    child.finish(d);
                }
            }
            b'v' => {
                let _ = table.number(key, d);
            }
            _ => {
                let _ = table.opt_str(key, d);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut d = Diagnostics::new("fuzz.toml", text);
    // A syntax error comes alone: nothing is walked after it.
    if let Some(doc) = parse_document(text, &mut d) {
        let mut root = Table::new(doc.get_ref(), 0..0, "the file");
        walk(&mut root, &mut d, 0);
        root.finish(&mut d);
    } else {
        assert!(!d.is_empty(), "no document and no syntax error");
    }
    for diag in &d.list {
        assert!(diag.line >= 1 && diag.column >= 1 && diag.width >= 1);
        let _ = diag.to_string();
    }
    match d.finish(Some(())) {
        Ok(()) => {}
        Err(error) => {
            assert!(!error.diagnostics.is_empty());
            let _ = error.to_string();
        }
    }
});
