//! The CSV importer of observed strengths, into a small fixed ledger: a
//! refused file leaves the ledger as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    posture_fuzz::import(data, |b, l, o| posture_ledger::import::levels_csv(b, l, o));
});
