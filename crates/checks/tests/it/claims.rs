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
                "mål mal1, beskrivning: «250,0 mnkr» stämmer inte med ramen 2021".to_owned()
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
            "status ks2020_1 2020_08, kommentar: «ca 100 mnkr» stämmer inte med ramen 2021"
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

/// Claims of narrative/aktuellt.md as (severity, message) after replacing in a file.
fn current_claims(file: &str, from: &str, to: &str) -> Vec<(Severity, String)> {
    claims_in(&findings_after(file, from, to), "narrative/aktuellt.md")
}

const PERIOD: &str = "Delårsrapport 2 per augusti 2020";

/// What a count of one status that the lost statuses make unanswerable says: what it counted.
fn unknown(status: &str) -> String {
    format!(
        "(antalet uppdrag med status {status} i {PERIOD}) kan inte kontrolleras: 16 av 17 \
         statusar i {PERIOD} är okända (källan visar dem inte)"
    )
}

#[test]
fn counts_the_data_can_answer_are_checked_and_lost_statuses_are_not_guessed() {
    let claims = current_claims("styr.toml", "format = 1", "format = 1");
    assert_eq!(
        claims,
        vec![
            (
                Severity::Info,
                "«lägre än budget» kan inte kontrolleras mot data".to_owned()
            ),
            (
                Severity::Error,
                format!("«18 uppdrag» stämmer inte med antalet uppdrag med status i {PERIOD}")
            ),
            (Severity::Info, format!("«fyra» {}", unknown("Färdig"))),
            (
                Severity::Info,
                format!("«Ett uppdrag» {}", unknown("Ej påbörjad"))
            ),
            (
                Severity::Info,
                format!("«Ett uppdrag» {}", unknown("Dialog behövs"))
            ),
            (
                Severity::Info,
                format!("«12 uppdrag» {}", unknown("Påbörjad"))
            ),
        ]
    );
}

#[test]
fn an_eighteenth_status_makes_the_count_hold() {
    let claims = current_claims(
        "assignment_status.csv",
        "ks2020_1,2020_08,unknown,",
        "ny2021_forstudie,2020_08,unknown,\nks2020_1,2020_08,unknown,",
    );
    assert!(
        !claims.iter().any(|(_, m)| m.starts_with("«18 uppdrag»")),
        "{claims:?}"
    );
}

#[test]
fn known_statuses_are_counted() {
    let mut files = example_files();
    let text = String::from_utf8(files.files["assignment_status.csv"].clone()).unwrap();
    // Four done, one not started, one dialogue (ks2019_4 already), the rest started.
    let mut done = 0;
    let mut not_started = 0;
    let text: String = text
        .lines()
        .map(|line| {
            let status = if !line.contains(",unknown,") {
                return line.to_owned();
            } else if done < 4 {
                done += 1;
                "done"
            } else if not_started < 1 {
                not_started += 1;
                "not_started"
            } else {
                "started"
            };
            line.replacen(",unknown,", &format!(",{status},"), 1)
        })
        .map(|line| line + "\n")
        .collect();
    files.insert("assignment_status.csv", text);
    let plan = styr_package::read_files(&files).unwrap();
    let claims = claims_in(&check_plan(&plan), "narrative/aktuellt.md");
    // 17 statuses: 4 done, 1 not started, 1 dialogue, 11 started — the text says 12.
    assert_eq!(
        claims,
        vec![
            (
                Severity::Info,
                "«lägre än budget» kan inte kontrolleras mot data".to_owned()
            ),
            (
                Severity::Error,
                format!("«18 uppdrag» stämmer inte med antalet uppdrag med status i {PERIOD}")
            ),
            (
                Severity::Error,
                format!(
                    "«12 uppdrag» stämmer inte med antalet uppdrag med status Påbörjad i {PERIOD}"
                )
            ),
        ]
    );
}

#[test]
fn a_count_of_goals_in_words_is_checked() {
    let claims = current_claims(
        "narrative/aktuellt.md",
        "[tre mål]{= count.goals}",
        "[fyra mål]{= count.goals}",
    );
    assert!(
        claims.contains(&(
            Severity::Error,
            "«fyra mål» stämmer inte med antalet mål".to_owned()
        )),
        "{claims:?}"
    );
}

#[test]
fn indicators_on_target_are_counted_from_outcomes_and_targets() {
    let mut files = example_files();
    let values = String::from_utf8(files.files["indicator_values.csv"].clone()).unwrap();
    // Two of three outcomes 2020 reach their targets: 800 ≥ 750 and 76 ≥ 76, not 30 ≤ 24,5.
    files.insert(
        "indicator_values.csv",
        values + "bostader,2020,outcome,800\nforetagsklimat,2020,outcome,76\nskadegorelse,2020,outcome,30\n",
    );
    let goals = String::from_utf8(files.files["goals.toml"].clone()).unwrap();
    files.insert(
        "goals.toml",
        goals.replacen(
            "ha reducerats med [20 %]{?}",
            "ha reducerats med [20 %]{?}; [två]{= count.indicators.on_target@2020} indikatorer \
             nådde målet, [två]{= count.indicators.on_target.mal2@2020} för mål 2 och \
             [en]{= count.indicators.on_target.mal3@2020} för mål 3",
            1,
        ),
    );
    let plan = styr_package::read_files(&files).unwrap();
    assert_eq!(
        claims_in(&check_plan(&plan), "goals.toml"),
        vec![
            (
                Severity::Info,
                "mål mal1, beskrivning: «20 %» kan inte kontrolleras mot data".to_owned()
            ),
            (
                Severity::Error,
                "mål mal1, beskrivning: «en» stämmer inte med antalet indikatorer som når målvärdet 2020"
                    .to_owned()
            ),
        ]
    );
}
