use crate::example_files;
use styr_checks::{Severity, check, check_plan, has_errors, render_report};

#[test]
fn example_report_snapshot() {
    let plan = styr_package::read_files(&example_files()).expect("example reads");
    insta::assert_snapshot!("haninge_ks_2021_check", render_report(&check(&plan)));
}

#[test]
fn example_has_the_seeds_inconsistencies() {
    let plan = styr_package::read_files(&example_files()).expect("example reads");
    let findings = check_plan(&plan);
    assert!(has_errors(&findings));
    let errors: Vec<(String, u32)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.file.clone(), f.line))
        .collect();
    assert_eq!(errors.len(), 10);
    // The frame change and its parts are measured from the adjusted budget 2020, which the
    // plan does not hold: warnings, not errors.
    let warnings: Vec<(&str, u32)> = findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .map(|f| (f.file.as_str(), f.line))
        .collect();
    assert_eq!(warnings, vec![("narrative/driftbudget.md", 3); 3]);
    let summary = findings
        .iter()
        .find(|f| f.file == "budget/operating/sammanstallning.csv")
        .expect("the 2020 summary total is wrong");
    assert_eq!(summary.stated, Some(228_600.into()));
    assert_eq!(summary.computed, Some(230_034.into()));
    assert_eq!(summary.line, 6);
}
