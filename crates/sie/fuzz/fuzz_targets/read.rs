//! Fuzz target: the reader, and everything derived from what it returns,
//! must never panic on any input. It checks no output values.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let outcome = styr_sie::read_outcome(data);
    let _ = styr_sie::balances_csv(&styr_sie::balances(&outcome.file));
    let _ = styr_sie::Summary::from_outcome(&outcome).to_json();
    if let Ok(bytes) = styr_sie::write_sie4(&outcome.file) {
        // What the writer produced must read back to the same content.
        assert_eq!(styr_sie::read(&bytes).0, outcome.file);
    }
});
