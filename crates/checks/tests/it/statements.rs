//! KF's Kommun-Bas mapping and the statements' budget (`stmt`): each finding fires on one change
//! to KF's example package and not on the example itself, and names both figures.

use std::path::PathBuf;
use styr_checks::{Finding, check_plan};
use styr_package::Files;

fn findings_after(file: &str, from: &str, to: &str) -> Vec<Finding> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-kf-2021");
    let mut files = Files::load(&dir).expect("KF's example loads");
    let text = String::from_utf8(files.files[file].clone()).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    files.insert(file, text.replacen(from, to, 1));
    let plan = styr_package::read_files(&files).expect("still a valid package");
    check_plan(&plan)
        .into_iter()
        .filter(|f| f.check == "stmt")
        .collect()
}

#[test]
fn the_example_mapping_and_budget_agree_with_kf() {
    assert!(findings_after("styr.toml", "format = 1", "format = 1").is_empty());
}

#[test]
fn a_line_budget_that_does_not_add_up_to_kfs_frames_is_an_error() {
    let found = findings_after(
        "redovisning/budget.csv",
        "rr.kostnader,2021,-5568000",
        "rr.kostnader,2021,-5567000",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].id, "stmt:redovisning/budget.csv:2021:net_cost");
    assert_eq!(found[0].line, 2);
    assert!(
        found[0]
            .describe()
            .contains("ger nettokostnaden −5 167 000 tkr men KF:s ramar och centrala poster ger −5 168 000 tkr"),
        "{}",
        found[0].describe()
    );
    let found = findings_after(
        "redovisning/budget.csv",
        "rr.finansiella_intakter,2021,15000",
        "rr.finansiella_intakter,2021,16000",
    );
    assert_eq!(
        found[0].id,
        "stmt:redovisning/budget.csv:2021:financial_net"
    );
}

#[test]
fn a_rule_an_earlier_rule_covers_is_never_reached() {
    let found = findings_after(
        "redovisning/kommunbas.csv",
        "86,87,rr.extraordinara,,Extraordinära poster\n",
        "86,87,rr.extraordinara,,Extraordinära poster\n3710,3719,rr.kostnader,,\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 26);
    assert!(
        found[0]
            .message
            .contains("regeln för konto 3710–3719 (rr.kostnader) nås aldrig: regeln på rad 16"),
        "{}",
        found[0].message
    );
}
