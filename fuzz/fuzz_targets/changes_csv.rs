//! The CSV importer of movement logs, into a small fixed ledger: a refused
//! file leaves the ledger as it was.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    posture_fuzz::import(data, |b, l, o| posture_ledger::import::changes_csv(b, l, o));
});
