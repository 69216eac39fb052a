//! Golden mutations of the correction search: one cell of the example changed, exactly the
//! suggestion that undoes it (or the ties that are as simple); and every suggestion, applied,
//! makes the findings it explains vanish without causing new ones.

use crate::example_files;
use styr_checks::{Report, Severity, changes_text, check};
use styr_domain::Plan;

fn plan_after(file: &str, from: &str, to: &str) -> Plan {
    let mut files = example_files();
    let text = String::from_utf8(files.files[file].clone()).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    files.insert(file, text.replacen(from, to, 1));
    styr_package::read_files(&files).expect("still a valid package")
}

/// Each correction as (the findings it explains, its alternatives as text).
fn suggestions(report: &Report) -> Vec<(Vec<String>, Vec<String>)> {
    report
        .corrections
        .iter()
        .map(|c| {
            (
                c.explains.clone(),
                c.alternatives.iter().map(|a| changes_text(a)).collect(),
            )
        })
        .collect()
}

/// The corrections of the example itself, which every mutation below adds one to.
fn example_suggestions() -> Vec<(Vec<String>, Vec<String>)> {
    let plan = styr_package::read_files(&example_files()).unwrap();
    suggestions(&check(&plan))
}

/// The corrections after a mutation, less those the example has anyway.
fn new_suggestions(plan: &Plan) -> Vec<(Vec<String>, Vec<String>)> {
    let before = example_suggestions();
    suggestions(&check(plan))
        .into_iter()
        .filter(|s| !before.contains(s))
        .collect()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_example_two_finance_findings_have_one_cause() {
    let plan = styr_package::read_files(&example_files()).unwrap();
    let report = check(&plan);
    let finance: Vec<_> = suggestions(&report)
        .into_iter()
        .filter(|(explains, _)| explains.iter().any(|id| id.contains("finance.csv")))
        .collect();
    assert_eq!(
        finance,
        vec![(
            strings(&[
                "row:budget/finance.csv:personalomkostnader:2020",
                "total:budget/finance.csv:summa_ovriga:cost:2020"
            ]),
            strings(&[
                "en ändring av budget/finance.csv:22 kostnader 2020 från 615 000 till 620 000"
            ])
        )]
    );
}

#[test]
fn a_wrong_stated_total_is_its_own_correction() {
    let plan = plan_after(
        "budget/operating/fortroende.csv",
        "Summa,total,,,37510,58357",
        "Summa,total,,,37510,58000",
    );
    assert_eq!(
        new_suggestions(&plan),
        vec![(
            strings(&["total:budget/operating/fortroende.csv:summa:2021"]),
            strings(&[
                "en ändring av budget/operating/fortroende.csv:13 2021 från 58 000 till 58 357"
            ])
        )]
    );
}

#[test]
fn a_wrong_finance_cost_explains_its_row_and_its_group_total() {
    let plan = plan_after(
        "budget/finance.csv",
        "internranta,Internränta,line,ovriga,cost,9000,9000",
        "internranta,Internränta,line,ovriga,cost,9000,9500",
    );
    assert_eq!(
        new_suggestions(&plan),
        vec![(
            strings(&[
                "row:budget/finance.csv:internranta:2021",
                "total:budget/finance.csv:summa_ovriga:cost:2021"
            ]),
            strings(&["en ändring av budget/finance.csv:7 kostnader 2021 från 9 500 till 9 000"])
        )]
    );
}

#[test]
fn a_wrong_exploitation_cost_explains_its_row_and_the_total() {
    let plan = plan_after(
        "budget/exploitation.csv",
        "Hermanstorp,line,0,-53900,-53900",
        "Hermanstorp,line,0,-54000,-53900",
    );
    assert_eq!(
        new_suggestions(&plan),
        vec![(
            strings(&[
                "row:budget/exploitation.csv:p77027_hermanstorp",
                "total:budget/exploitation.csv:totalsumma:cost"
            ]),
            strings(&[
                "en ändring av budget/exploitation.csv:4 kostnader från −54 000 till −53 900"
            ])
        )]
    );
}

#[test]
fn a_line_that_feeds_the_summary_is_found_through_the_reference() {
    // Kommunfullmäktige 2021 is summed by the table's total and, through op.fortroende, by the
    // summary's reference: every free line of the table explains both equally, so all are listed.
    let plan = plan_after(
        "budget/operating/fortroende.csv",
        "kf,Kommunfullmäktige,line,,,3461,3513",
        "kf,Kommunfullmäktige,line,,,3461,3600",
    );
    let new = new_suggestions(&plan);
    assert_eq!(new.len(), 1);
    let (explains, alternatives) = &new[0];
    assert_eq!(
        explains,
        &strings(&[
            "total:budget/operating/fortroende.csv:summa:2021",
            "ref:budget/operating/sammanstallning.csv:fortroende:2021"
        ])
    );
    // Every line of 2021 but Kommittéer och råd, whose parts pin it down. (The frame change's
    // reference to the reserve is measured from a base the plan does not hold: not an
    // equation, so it does not pin the reserve.)
    let place = |line: u32, from: &str, to: &str| {
        format!("en ändring av budget/operating/fortroende.csv:{line} 2021 från {from} till {to}")
    };
    assert_eq!(
        alternatives,
        &vec![
            place(2, "20 500", "20 413"),
            place(3, "3 600", "3 513"),
            place(7, "223", "136"),
            place(8, "500", "413"),
            place(9, "160", "73"),
            place(10, "29 693", "29 606"),
            place(11, "3 548", "3 461"),
            place(12, "100", "13"),
        ]
    );
}

#[test]
fn ties_are_listed_not_chosen() {
    let plan = plan_after(
        "budget/operating/fortroende.csv",
        "radet_funktionshindrande,Rådet för funktionshindrande,part,kommitteer,,,85",
        "radet_funktionshindrande,Rådet för funktionshindrande,part,kommitteer,,,90",
    );
    assert_eq!(
        new_suggestions(&plan),
        vec![(
            strings(&["part:budget/operating/fortroende.csv:kommitteer:2021"]),
            strings(&[
                "en ändring av budget/operating/fortroende.csv:5 2021 från 90 till 85",
                "en ändring av budget/operating/fortroende.csv:6 2021 från 35 till 30"
            ])
        )]
    );
}

/// Applies each alternative of each correction to a copy of the plan and checks again.
fn assert_suggestions_hold(plan: &Plan) {
    let report = check(plan);
    let errors = |report: &Report| -> Vec<String> {
        report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error && f.check != "claim")
            .map(|f| f.id.clone())
            .collect()
    };
    let before = errors(&report);
    for correction in &report.corrections {
        for alternative in &correction.alternatives {
            let mut corrected = plan.clone();
            for change in alternative {
                change.cell.set(&mut corrected, change.to);
            }
            let after = errors(&check(&corrected));
            let expected: Vec<String> = before
                .iter()
                .filter(|id| !correction.explains.contains(id))
                .cloned()
                .collect();
            assert_eq!(after, expected, "{}", changes_text(alternative));
        }
    }
}

#[test]
fn every_suggestion_clears_what_it_explains_and_nothing_else_appears() {
    assert_suggestions_hold(&styr_package::read_files(&example_files()).unwrap());
    assert_suggestions_hold(&plan_after(
        "budget/operating/fortroende.csv",
        "kf,Kommunfullmäktige,line,,,3461,3513",
        "kf,Kommunfullmäktige,line,,,3461,3600",
    ));
    assert_suggestions_hold(&plan_after(
        "budget/operating/ksf.csv",
        "ksf,Kommunstyrelseförvaltningen,line,,,89636,84198",
        "ksf,Kommunstyrelseförvaltningen,line,,,89636,84000",
    ));
}
