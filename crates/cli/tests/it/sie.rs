//! `styr sie check` and `styr sie balances` on the real SIE files (copies in
//! crates/sie/tests/data, with their sources).

use crate::{stdout, styr};
use serde_json::Value;
use std::path::PathBuf;

fn sie_file(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../sie/tests/data")
        .join(name);
    path.to_str().unwrap().to_owned()
}

#[test]
fn every_shared_file_is_read_with_its_diagnostics() {
    let expected = [
        ("avendo_transaktioner_ovnbolag_sie4.se", 0),
        ("bl_administration_BL0001_typ4.SE", 0),
        ("gks3_underdim_qmarks.SI", 0),
        ("kapell_sie2_budget.si", 0),
        ("pyramid_sie4_4dims.se", 0),
        ("visma_adm_underdim_utf8_corrupted.SE", 0),
        ("visma_compact_SIE4_ksumma.se", 0),
    ];
    for (name, exit) in expected {
        let output = styr(&["sie", "check", &sie_file(name), "--format", "json"]);
        assert_eq!(output.status.code(), Some(exit), "{name}");
        let summary: Value =
            serde_json::from_str(&stdout(&output)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(summary.is_object(), "{name}");
    }
}

#[test]
fn balances_csv_has_the_documented_header_and_order() {
    let output = styr(&["sie", "balances", &sie_file("pyramid_sie4_4dims.se")]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("account,object,month,amount"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row.len(), 4);
        let (whole, cents) = row[3].split_once('.').expect("two decimals with a dot");
        assert_eq!(cents.len(), 2, "{row:?}");
        assert!(
            whole
                .trim_start_matches('-')
                .bytes()
                .all(|b| b.is_ascii_digit())
        );
    }
    let keys: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0], r[1], r[2])).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
