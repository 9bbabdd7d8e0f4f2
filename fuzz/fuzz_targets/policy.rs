//! The policy loader (`openness.toml` → a checked policy or every diagnostic) and the lock
//! reader (`openness.lock`). The input is tried as both; rubric names resolve to built-ins only,
//! so the fuzzer never reads files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openness::policy::{Lock, load};
use openness::rubric;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let builtin = |name: &str| -> Result<rubric::Rubric, rubric::ResolveError> {
        if rubric::BUILTIN.iter().any(|(n, _)| *n == name) {
            rubric::resolve(name)
        } else {
            Err(rubric::ResolveError::Unknown {
                name: name.to_owned(),
                near: String::new(),
                builtins: "default".to_owned(),
            })
        }
    };
    match load("openness.toml", text, &builtin) {
        Ok(policy) => {
            let _ = format!("{policy:?}");
        }
        Err(e) => {
            assert!(!e.diagnostics.is_empty(), "a failed load says why");
            let _ = e.to_string();
        }
    }
    if let Ok(lock) = Lock::parse("openness.lock", text) {
        // A lock that reads renders back to a lock that reads.
        let again = Lock::parse("openness.lock", &lock.render());
        assert!(again.is_ok(), "a rendered lock reads back");
    }
});
