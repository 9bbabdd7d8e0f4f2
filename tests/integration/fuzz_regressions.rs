//! Inputs found by the fuzz targets (`fuzz/`, docs/reliability.md "Fuzzing") that crashed, hung
//! or exhausted memory, kept as regression tests. Each input is in `tests/fixtures/fuzz/`.

use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/fuzz")
            .join(name),
    )
    .unwrap()
}

fn text(name: &str) -> String {
    String::from_utf8(fixture(name)).unwrap()
}

/// fuzz target `rubric`: a TOML syntax error inside a multi-byte character (`when=—`) gave a
/// span ending inside the character, and building the diagnostic's snippet panicked.
#[test]
fn rubric_diagnostic_span_inside_a_multibyte_character() {
    let input = text("rubric-span-inside-char.toml");
    let err = openness::rubric::load("fuzz.toml", &input).unwrap_err();
    let rendered = err.to_string();
    let on_dash = err
        .diagnostics
        .iter()
        .find(|d| d.snippet == "when=—")
        .unwrap_or_else(|| panic!("a diagnostic on the `when=—` line:\n{rendered}"));
    assert_eq!((on_dash.line, on_dash.column, on_dash.width), (3, 6, 1));
}
