use crate::{example_dir, stderr, stdout, styr};
use serde_json::Value;

#[test]
fn check_of_the_example_exits_1_with_its_errors() {
    let dir = example_dir();
    let output = styr(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.ends_with("9 fel, 5 varningar, 10 info, 2 förslag till rättelse\n"),
        "{text}"
    );
    // The ramberäkning computes the frame and the stated frame change (no error); only its
    // base, a version the package does not hold, is kept and said to be unverifiable.
    assert!(
        text.contains(
            "info    budget.toml:110: grundbeloppet 218 600 tkr för ramberäkningen 2021 kan inte \
             kontrolleras: justerad budget 2020 (ks_2020_justerad) finns inte i planen"
        ),
        "{text}"
    );
    assert!(!text.contains("[calc:budget.toml:2021:frame]"), "{text}");
    assert!(
        text.contains(
            "\n        → en ändring av budget/finance.csv:22 kostnader 2020 från 615 000 till \
             620 000 förklarar 2 fel\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("budget/operating/sammanstallning.csv:6: "),
        "{text}"
    );
    assert!(
        text.contains(
            "varning narrative/driftbudget.md:3: «28,4 mnkr» kan inte verifieras: justerad budget \
             2020 finns inte i data; mot kolumnen Budget 2020 blir förändringen 17,0 mnkr"
        ),
        "{text}"
    );
}

#[test]
fn check_json_has_the_documented_fields() {
    let dir = example_dir();
    let output = styr(&["check", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let findings: Vec<Value> = serde_json::from_str(&stdout(&output)).expect("a JSON array");
    // 24: the frame change's two parts on the unheld base are warnings like the claims, and
    // the ramberäkning's base is an info finding.
    assert_eq!(findings.len(), 24);
    // Readers get names in the message; the expression as written stays here.
    let unchanged = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().starts_with("«oförändrad»"))
        .expect("the oförändrad claim");
    assert_eq!(
        unchanged["formula"],
        "op.gemensamma.smohf@2021 == op.gemensamma.smohf@2020"
    );
    for finding in &findings {
        for key in [
            "id",
            "severity",
            "file",
            "line",
            "message",
            "stated",
            "computed",
            "unit",
            "occurrences",
            "corrections",
        ] {
            assert!(finding.get(key).is_some(), "{key} missing in {finding}");
        }
    }
    let ids: std::collections::BTreeSet<&str> =
        findings.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), findings.len(), "each finding once");
    let personnel = findings
        .iter()
        .find(|f| f["id"] == "row:budget/finance.csv:personalomkostnader:2020")
        .expect("the personnel row finding");
    let correction = &personnel["corrections"][0];
    assert_eq!(
        correction["explains"],
        serde_json::json!([
            "row:budget/finance.csv:personalomkostnader:2020",
            "total:budget/finance.csv:summa_ovriga:cost:2020"
        ])
    );
    assert_eq!(correction["alternatives"].as_array().unwrap().len(), 1);
    let change = &correction["alternatives"][0]["changes"][0];
    assert_eq!(
        (
            change["line"].as_u64(),
            change["from"].as_i64(),
            change["to"].as_i64()
        ),
        (Some(22), Some(615000), Some(620000))
    );
    let summary = findings
        .iter()
        .find(|f| f["file"] == "budget/operating/sammanstallning.csv")
        .expect("summary total finding");
    assert_eq!(summary["severity"], "error");
    assert_eq!(summary["line"], 6);
    assert_eq!(summary["stated"], 228600);
    assert_eq!(summary["computed"], 230034);
    assert_eq!(summary["unit"], "tkr");
    let exploitation = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().starts_with("«ca 268 mnkr»"))
        .expect("exploitation cost claim");
    assert_eq!(exploitation["stated"], 268);
    assert_eq!(exploitation["computed"].to_string(), "253.9");
    let frame_change = findings
        .iter()
        .find(|f| f["message"].as_str().unwrap().starts_with("«28,4 mnkr»"))
        .expect("frame change claim");
    assert_eq!(frame_change["severity"], "warning");
    assert_eq!(frame_change["stated"].to_string(), "28.4");
    assert_eq!(frame_change["computed"].to_string(), "16.97");
}

#[test]
fn a_bad_package_names_file_line_and_field_and_exits_2() {
    let temp = tempfile::tempdir().unwrap();
    let copy = temp.path().join("pkg");
    let files = styr_package::Files::load(&example_dir()).unwrap();
    let mut files = files;
    let csv = String::from_utf8(files.files["budget/operating/ksf.csv"].clone()).unwrap();
    files.insert(
        "budget/operating/ksf.csv",
        csv.replacen("89636", "89 636", 1),
    );
    files.save(&copy).unwrap();
    let output = styr(&["check", copy.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let errors = stderr(&output);
    assert!(
        errors.contains("budget/operating/ksf.csv:2: fält 2020: \"89 636\""),
        "{errors}"
    );
}

#[test]
fn ack_notes_a_finding_in_the_database_and_check_reports_it() {
    let temp = tempfile::tempdir().unwrap();
    let db = crate::store::sqlite_url(temp.path(), "styr.db");
    let example = example_dir();
    let import = styr(&["import", example.to_str().unwrap(), "--db", &db]);
    assert_eq!(import.status.code(), Some(0));
    let id = "total:budget/operating/sammanstallning.csv:summa:2020";
    let ack = styr(&[
        "check",
        "--db",
        &db,
        "--ack",
        id,
        "--reason",
        "Tryckt så",
        "--actor",
        "controller",
    ]);
    assert_eq!(ack.status.code(), Some(0), "{}", stderr(&ack));
    assert!(
        stdout(&ack).starts_with(&format!("kvitterade {id} (controller ")),
        "{}",
        stdout(&ack)
    );
    let again = styr(&["check", "--db", &db, "--ack", id, "--reason", "igen"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        stderr(&again).contains("är redan kvitterat av controller"),
        "{}",
        stderr(&again)
    );
    let text = stdout(&styr(&["check", "--db", &db]));
    assert!(
        text.ends_with("8 fel, 5 varningar, 10 info, 1 kvitterade, 2 förslag till rättelse\n"),
        "{text}"
    );
    // --ack needs the database: a package's acknowledgements live in acknowledgements.toml.
    let refused = styr(&[
        "check",
        example.to_str().unwrap(),
        "--ack",
        id,
        "--reason",
        "x",
    ]);
    assert_eq!(refused.status.code(), Some(2));
}
