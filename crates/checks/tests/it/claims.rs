//! Claims outside the narrative: in goals, priorities, assignments and status comments, read
//! and checked like the narrative's.

use crate::example_files;
use styr_checks::{Finding, Severity, check_plan};

fn findings_after(file: &str, from: &str, to: &str) -> Vec<Finding> {
    let mut files = example_files();
    let text = String::from_utf8(files.files[file].clone()).unwrap();
    assert!(text.contains(from), "{from:?} not in {file}");
    files.insert(file, text.replacen(from, to, 1));
    check_plan(&styr_package::read_files(&files).expect("still a valid package"))
}

fn claims_in(findings: &[Finding], file: &str) -> Vec<(Severity, String)> {
    findings
        .iter()
        .filter(|f| f.check == "claim" && f.file == file)
        .map(|f| (f.severity, f.message.clone()))
        .collect()
}

#[test]
fn a_wrong_claim_in_goals_toml_is_caught() {
    let findings = findings_after(
        "goals.toml",
        "ha reducerats med [20 %]{?}",
        "ha reducerats med [20 %]{?} inom en ram om [250,0 mnkr]{= frame@2021}",
    );
    assert_eq!(
        claims_in(&findings, "goals.toml"),
        vec![
            (
                Severity::Info,
                "mål mal1, beskrivning: «20 %» kan inte kontrolleras mot data".to_owned()
            ),
            (
                Severity::Error,
                "mål mal1, beskrivning: «250,0 mnkr» stämmer inte med frame@2021".to_owned()
            ),
        ]
    );
    let wrong = findings
        .iter()
        .find(|f| f.severity == Severity::Error && f.file == "goals.toml");
    let wrong = wrong.expect("the wrong claim");
    assert_eq!(
        (wrong.stated, wrong.computed),
        (
            Some("250.0".parse().unwrap()),
            Some("247.00".parse().unwrap())
        )
    );
}

#[test]
fn a_right_claim_in_a_priority_passes() {
    let findings = findings_after(
        "goals.toml",
        "Kommunstyrelsen ska ha blicken högre än nämnderna",
        "Ramen är [247,0 mnkr]{= frame@2021}. Kommunstyrelsen ska ha blicken högre än nämnderna",
    );
    let before = check_plan(&styr_package::read_files(&example_files()).unwrap());
    assert_eq!(
        claims_in(&findings, "goals.toml"),
        claims_in(&before, "goals.toml")
    );
}

#[test]
fn a_claim_in_a_status_comment_is_checked() {
    let findings = findings_after(
        "assignment_status.csv",
        "ks2020_1,2020_08,unknown,",
        "ks2020_1,2020_08,unknown,Kostnaden är [ca 100 mnkr]{= frame@2021}",
    );
    assert_eq!(
        claims_in(&findings, "assignment_status.csv"),
        vec![(
            Severity::Error,
            "status ks2020_1 2020_08, kommentar: «ca 100 mnkr» stämmer inte med frame@2021"
                .to_owned()
        )]
    );
}

#[test]
fn bad_markup_in_a_goal_refuses_the_package_naming_file_and_field() {
    let mut files = example_files();
    let text = String::from_utf8(files.files["goals.toml"].clone()).unwrap();
    files.insert(
        "goals.toml",
        text.replacen("[20 %]{?}", "[20 %]{= op.@2021}", 1),
    );
    let diagnostics = styr_package::read_files(&files).expect_err("refused");
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0].file, "goals.toml");
    assert!(
        diagnostics[0].field.starts_with("mål mal1, beskrivning"),
        "{diagnostics:?}"
    );
}
