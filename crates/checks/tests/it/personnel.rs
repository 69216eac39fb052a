//! The seed's sjukfrånvaro claims (3,4 % in September 2020, 3,7 % for 2019) are checked against
//! the figures computed from the (synthetic) hours in personal/timmar.csv.

use crate::example_files;
use styr_checks::check_plan;

fn claim_findings(files: &styr_package::Files) -> Vec<String> {
    let plan = styr_package::read_files(files).expect("example reads");
    check_plan(&plan)
        .into_iter()
        .filter(|f| f.file == "narrative/aktuellt.md" && f.line == 11)
        .map(|f| f.message)
        .collect()
}

/// The findings on the stated sjukfrånvaro figures of followup.toml (`computed`).
fn figure_findings(files: &styr_package::Files) -> Vec<(String, Option<String>)> {
    let plan = styr_package::read_files(files).expect("example reads");
    check_plan(&plan)
        .into_iter()
        .filter(|f| f.check == "figure")
        .map(|f| (f.id, f.formula))
        .collect()
}

#[test]
fn the_seeds_sick_leave_claims_hold_against_the_hours() {
    assert_eq!(claim_findings(&example_files()), Vec::<String>::new());
    assert_eq!(figure_findings(&example_files()), []);
}

/// Replaces the sick hours of one row of personal/timmar.csv.
fn with_sick_hours(prefix: &str, sick: &str) -> styr_package::Files {
    let mut files = example_files();
    let text = String::from_utf8(files.get("personal/timmar.csv").unwrap().to_vec()).unwrap();
    let mut found = false;
    let changed: Vec<String> = text
        .lines()
        .map(|line| match line.strip_prefix(prefix) {
            Some(rest) => {
                found = true;
                let cells: Vec<&str> = rest.split(',').collect();
                // ordinarie_timmar, sjuk_timmar, langtid_timmar, synthetic
                format!("{prefix}{},{sick},0,{}", cells[0], cells[3])
            }
            None => line.to_owned(),
        })
        .collect();
    assert!(found, "{prefix}");
    files.insert("personal/timmar.csv", changed.join("\n") + "\n");
    files
}

#[test]
fn a_changed_hour_makes_the_september_claim_a_finding() {
    let findings = claim_findings(&with_sick_hours("ksf,2020-09,kvinna,30-49,", "900"));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].contains("«3,4 procent»"), "{findings:?}");
    assert!(findings[0].contains("september 2020"), "{findings:?}");
    // The stated figure in followup.toml, computed from the same hours, is a finding too.
    let figures = figure_findings(&with_sick_hours("ksf,2020-09,kvinna,30-49,", "900"));
    assert_eq!(
        figures,
        [(
            "figure:followup.toml:sjukfranvaro_sep".to_owned(),
            Some("personal.sjukfranvaro.ksf.2020_09".to_owned())
        )]
    );
}

#[test]
fn a_changed_hour_in_2019_makes_the_year_claim_a_finding() {
    let findings = claim_findings(&with_sick_hours("ksf,2019-03,man,50-,", "2000"));
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert!(findings[0].contains("«3,7 procent»"), "{findings:?}");
}
