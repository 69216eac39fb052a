//! The follow-up year as a user runs it: the example's 2021 follow-up imported, a status
//! reported, the calendar with who has not reported, a closed period refused, the audit log, and
//! the delårsrapport per August as PDF (read back with `pdftotext`) and HTML.

use crate::{example_dir, stderr, stdout, styr};
use std::path::Path;
use std::process::Command;

fn run_ok(args: &[&str]) -> String {
    let output = styr(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

/// The example plan, its ledger and its 2021 follow-up in a fresh database.
fn with_followup(dir: &Path) -> String {
    let db = dir.join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    run_ok(&["import", example.to_str().unwrap(), "--db", &db]);
    let ledger = example.join("ledger/ks-2021.se");
    run_ok(&["actuals", "import", ledger.to_str().unwrap(), "--db", &db]);
    for file in [
        "delar1-2021.csv",
        "delar2-2021.csv",
        "oktober-2021.csv",
        "kontroll-2021.csv",
    ] {
        let path = example.join("followup").join(file);
        let out = run_ok(&[
            "followup",
            "import",
            path.to_str().unwrap(),
            "--db",
            &db,
            "--actor",
            "ksf",
        ]);
        assert!(out.contains("0 oförändrade"), "{out}");
    }
    db
}

#[test]
fn the_delarsrapport_per_august_is_generated_from_the_reports() {
    let temp = tempfile::tempdir().unwrap();
    let db = with_followup(temp.path());

    let pdf = temp.path().join("delar2.pdf");
    run_ok(&[
        "render",
        "--db",
        &db,
        "--report",
        "delarsrapport",
        "--period",
        "2021-08",
        "--format",
        "pdf",
        "-o",
        pdf.to_str().unwrap(),
    ]);
    let Some(pdftotext) = crate::tool::program("pdftotext", "poppler-utils") else {
        return;
    };
    let text = Command::new(pdftotext)
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) runs");
    let text = String::from_utf8(text.stdout).unwrap();
    for expected in [
        "Delårsrapport 2 2021",
        "Kräver uppmärksamhet",
        "Mer företagsmark ska hittas",
        "Utveckla hållbar hästnäring",
        "Åtgärdsplan",
        "Ekonomi",
        "Uppdrag",
        "Mål och indikatorer",
        "Förslag utifrån indikatorerna",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the PDF text"
        );
    }
    // Kräver uppmärksamhet comes first.
    let attention = text.find("Kräver uppmärksamhet").unwrap();
    let economy = text.rfind("Ekonomi").unwrap();
    assert!(attention < economy);

    // The same data gives the same bytes.
    let again = temp.path().join("again.pdf");
    run_ok(&[
        "render",
        "--db",
        &db,
        "--report",
        "delarsrapport",
        "--period",
        "2021-08",
        "--format",
        "pdf",
        "-o",
        again.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&pdf).unwrap(), std::fs::read(&again).unwrap());

    // August is an interim period, not the annual report; October neither.
    let html = temp.path().join("x.html");
    let output = styr(&[
        "render",
        "--db",
        &db,
        "--report",
        "arsredovisning",
        "--period",
        "2021-08",
        "--format",
        "html",
        "-o",
        html.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("period: Delårsrapport 2 per augusti 2021 är en delårsrapport")
    );
}

#[test]
fn render_offers_the_report_kinds_of_the_registry() {
    let help = run_ok(&["render", "--help"]);
    // The long help lists each kind of the registry with its Swedish help.
    for kind in styr_reports::REPORT_KINDS {
        assert!(
            help.contains(&format!("- {}: {}", kind.slug, kind.help_sv)),
            "{help}"
        );
    }
    let output = styr(&[
        "render",
        "--db",
        "x.db",
        "--report",
        "veckorapport",
        "--period",
        "2021-10",
        "--format",
        "html",
        "-o",
        "x.html",
    ]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("delarsrapport"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_status_is_reported_listed_and_audited_and_a_closed_period_refuses() {
    let temp = tempfile::tempdir().unwrap();
    let db = with_followup(temp.path());
    let out = run_ok(&[
        "followup",
        "status",
        "2020 KS 3",
        "Avvikelse",
        "--period",
        "2021-08",
        "--comment",
        "Konsulternas rapport är försenad.",
        "--db",
        &db,
        "--actor",
        "anna",
    ]);
    assert!(
        out.starts_with("2021-08 ks2020_3: status: Avvikelse; kommentar: Konsulternas rapport"),
        "{out}"
    );
    // Delårsrapport 2 of the example reported it finished; this report is its history now.
    assert!(
        out.contains("(var: status: Färdig; kommentar: En samlad funktion"),
        "{out}"
    );

    let periods = run_ok(&["period", "list", "--year", "2021", "--db", &db]);
    let lines: Vec<&str> = periods.lines().filter(|l| l.starts_with("2021-")).collect();
    assert_eq!(lines.len(), 10, "{periods}");
    // Every assignment and goal has reported per August; the annual report lacks them all.
    // What the example's August does lack, by the rule of what a period asks for, are the
    // investment projects' forecasts and the audit actions' progress, which it never reported.
    let august_missing = periods
        .split("2021-08")
        .nth(1)
        .and_then(|rest| rest.split("\n2021-").next())
        .unwrap();
    assert!(!august_missing.contains("status för uppdrag"), "{periods}");
    assert!(!august_missing.contains("målbedömning"), "{periods}");
    assert!(
        august_missing.contains(
            "ej rapporterat: Kommunstyrelsen — prognos för budgetrad: Investeringsreserv"
        ),
        "{periods}"
    );
    assert!(periods.contains("ej rapporterat: Kommunstyrelsen — målbedömning"));

    run_ok(&["period", "close", "2021-08", "--db", &db]);
    let output = styr(&[
        "followup",
        "status",
        "ks2020_3",
        "Påbörjad",
        "--period",
        "2021-08",
        "--db",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "period: perioden 2021-08 är stängd: det som rapporterats för den ändras inte\n\
         fel: 1 fel; inget ändrades\n"
    );

    let log = run_ok(&[
        "audit",
        "list",
        "--what",
        "report status",
        "--format",
        "json",
        "--db",
        &db,
    ]);
    let log: serde_json::Value = serde_json::from_str(&log).unwrap();
    let rows = log.as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["actor"], "anna");
    assert_eq!(
        rows[0]["after"],
        "2021-08 status ks2020_3: status: Avvikelse; kommentar: Konsulternas rapport är försenad."
    );
}

#[test]
fn a_bad_followup_file_names_file_line_and_field_and_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    run_ok(&["import", example_dir().to_str().unwrap(), "--db", &db]);
    let file = temp.path().join("ks.csv");
    std::fs::write(
        &file,
        "municipality,period,kind,subject,value,comment,action_plan,source,date\n\
         haninge,2021-08,status,ks2020_3,Påbörjad,,,,\n\
         haninge,2021-08,status,ks2020_5,Avvikelse,,,,\n",
    )
    .unwrap();
    let output = styr(&["followup", "import", file.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(1));
    let name = file.display().to_string();
    assert_eq!(
        stderr(&output),
        format!(
            "{name}:3: comment: status Avvikelse kräver en kommentar\nfel: 1 fel; inget ändrades\n"
        )
    );
    let listed = run_ok(&["followup", "list", "--db", &db]);
    assert_eq!(listed, "");
}
