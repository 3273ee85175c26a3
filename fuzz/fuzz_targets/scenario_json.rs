//! The JSON scenario loader, then what a reader does with a scenario that
//! loads: totals, the check of its claims, the report, a save and a reload.
#![no_main]

use libfuzzer_sys::fuzz_target;
use posture_fuzz::{assert_error_is_explained, exercise, FILE};
use posture_ledger::scenario::Scenario;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Scenario::from_json(text, FILE) {
        Ok(s) => exercise(&s),
        Err(e) => assert_error_is_explained(&e, FILE),
    }
});
