//! `read_with` / `read_outcome_with` hand every voucher to a sink instead of keeping it: the
//! vouchers, in order, and the diagnostics are exactly those of `read` / `read_outcome`.

use crate::common::*;
use styr_sie::*;

/// The full outcome and the streamed one with its vouchers put back, which must be equal.
fn both(bytes: &[u8]) -> (ReadOutcome, ReadOutcome) {
    let full = read_outcome(bytes);
    let mut vouchers = Vec::new();
    let mut streamed = read_outcome_with(bytes, &mut |v| vouchers.push(v));
    assert!(streamed.file.vouchers.is_empty(), "no vouchers kept");
    streamed.file.vouchers = vouchers;
    (full, streamed)
}

#[test]
fn every_sample_streams_the_same_vouchers_and_diagnostics() {
    for name in SAMPLES {
        let bytes = sample(name);
        let (full, streamed) = both(&bytes);
        assert_eq!(streamed, full, "{name}");
        // read_with is read with the vouchers handed over.
        let mut vouchers = Vec::new();
        let (mut file, diagnostics) = read_with(&bytes, &mut |v| vouchers.push(v));
        file.vouchers = vouchers;
        assert_eq!((file, diagnostics), read(&bytes), "{name}");
    }
}

#[test]
fn the_example_ledger_streams_the_same_vouchers_and_diagnostics() {
    let path = format!(
        "{}/../../examples/haninge-ks-2021/ledger/ks-2021.se",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let (full, streamed) = both(&bytes);
    assert!(!full.file.vouchers.is_empty());
    assert_eq!(streamed, full);
}

#[test]
fn a_broken_file_streams_the_same_vouchers_and_diagnostics() {
    // Unbalanced, unterminated and stray blocks: the diagnostics come in the same order.
    let body = "#VER A 1 20210105 \"x\"\n{\n#TRANS 1910 {} 100\n}\n}\n#VER A 2 20210106\n{\n#RTRANS 1910 {} 5\n#TRANS 2440 {} -5\n}\n#VER A 3 20210107\n{\n#TRANS 1910 {} 1\n";
    let bytes = cp437(&format!("{HEADER}{body}"));
    let (full, streamed) = both(&bytes);
    assert!(
        full.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    );
    assert_eq!(full.file.vouchers.len(), 3);
    assert_eq!(streamed, full);
}
