//! The ramberäkning's checks (`calc`): each finding fires on one change to the example and not
//! on the example itself, and names both figures.

use crate::example_files;
use styr_checks::{Finding, Severity, check_plan};

const CSV: &str = "budget/frame_calculation.csv";

fn findings_after(file: &str, from: &str, to: &str) -> Vec<Finding> {
    let mut files = example_files();
    let text = String::from_utf8(files.files[file].clone()).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    files.insert(file, text.replacen(from, to, 1));
    let plan = styr_package::read_files(&files).expect("still a valid package");
    check_plan(&plan)
}

fn calc(findings: &[Finding]) -> Vec<&Finding> {
    findings.iter().filter(|f| f.check == "calc").collect()
}

fn ids(findings: &[&Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.severity.code(), f.id))
        .collect()
}

#[test]
fn the_example_computes_the_frame_and_the_frame_change_it_states() {
    let findings = findings_after("styr.toml", "format = 1", "format = 1");
    // Only the base is unverifiable from the plan alone: it is kept and said so.
    let found = calc(&findings);
    assert_eq!(ids(&found), ["info calc:budget.toml:2021:base"]);
    assert!(
        found[0].message.contains(
            "grundbeloppet 218 600 tkr för ramberäkningen 2021 kan inte kontrolleras: \
             justerad budget 2020 (ks_2020_justerad) finns inte i planen"
        ),
        "{}",
        found[0].message
    );
}

#[test]
fn a_frame_that_differs_from_the_calculation_names_both() {
    // A higher PKV: 2,5 % of 218 600 = 5 465, the frame 248 093.
    let findings = findings_after(
        CSV,
        "pris_lon,Pris- och löneuppräkning (PKV 2021),2.0",
        "pris_lon,Pris- och löneuppräkning (PKV 2021),2.5",
    );
    let found = calc(&findings);
    assert_eq!(
        ids(&found),
        [
            "error calc:budget.toml:2021:frame",
            "error calc:budget.toml:2021:change",
            "info calc:budget.toml:2021:base",
        ]
    );
    let frame = found[0];
    assert!(
        frame
            .describe()
            .contains("ramen 2021 är 247 000 tkr, men ramberäkningen (justerad budget 2020 218 600 tkr med förändringar) ger 248 093 tkr"),
        "{}",
        frame.describe()
    );
    let change = found[1];
    assert!(
        change.describe().contains(
            "ramförändringen 2021 är angiven till 28 400 tkr, men ramberäkningen ger 248 093 tkr \
             − 218 600 tkr (justerad budget 2020) = 29 493 tkr"
        ),
        "{}",
        change.describe()
    );
}

#[test]
fn a_stated_amount_on_a_computed_line_is_checked_against_its_computation() {
    // 4 372 is 2,0 % of 218 600: stated right, no finding; 4 400 is one.
    let right = findings_after(CSV, "2.0,,,,", "2.0,,,4372,");
    assert_eq!(ids(&calc(&right)), ["info calc:budget.toml:2021:base"]);
    let wrong = findings_after(CSV, "2.0,,,,", "2.0,,,4400,");
    let found = calc(&wrong);
    assert_eq!(
        ids(&found),
        [
            "info calc:budget.toml:2021:base",
            "error calc:budget/frame_calculation.csv:2021:pkv",
        ]
    );
    assert_eq!(found[1].line, 2);
    assert!(
        found[1].describe().contains(
            "angivet belopp 4 400 tkr stämmer inte med beräkningen 2,0 procent av 218 600 tkr \
             (justerad budget 2020) = 4 372 tkr (angivet 4 400 tkr, beräknat 4 372 tkr)"
        ),
        "{}",
        found[1].describe()
    );
}

#[test]
fn a_frame_change_stated_otherwise_is_an_error_but_the_frame_is_not() {
    let findings = findings_after("budget.toml", "stated = 28400", "stated = 28500");
    let found: Vec<&Finding> = calc(&findings)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    assert_eq!(ids(&found), ["error calc:budget.toml:2021:change"]);
}

#[test]
fn a_plan_without_a_frame_for_the_year_is_told_what_the_calculation_gives() {
    let findings = findings_after(
        "budget.toml",
        "year = 2021\namount = 247000",
        "year = 2022\namount = 247000",
    );
    let found = calc(&findings);
    assert!(
        found.iter().any(|f| f.severity == Severity::Info
            && f.id == "calc:budget.toml:2021:frame"
            && f.message.contains("ramberäkningen ger 247 000 tkr")),
        "{:?}",
        ids(&found)
    );
}
