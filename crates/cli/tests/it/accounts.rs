//! `styr report redovisning` (issue 22): the example municipality imported with KS's ledgers of
//! 2021 and 2020 and the 2021 exploitation and finance sub-ledger; the driftredovisning with
//! KF's anslagsförändringar and the previous year, the investeringsredovisning as CSV; and a
//! KF package with a bad anslagsförändring refused at its file, line and field with nothing
//! stored.

use crate::{example_dir, stderr, stdout, styr};
use std::path::Path;

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

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_accounts_report_shows_anslagsforandringar_and_the_previous_year() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("kommun.db").to_str().unwrap().to_owned();
    let examples = example_dir().join("..");
    run_ok(&["import", examples.to_str().unwrap(), "--db", &db]);
    for file in ["ks-2021.se", "ks-2020.se", "ks-2021-exploatering-finans.se"] {
        let path = example_dir().join("ledger").join(file);
        run_ok(&[
            "actuals",
            "import",
            path.to_str().unwrap(),
            "--db",
            &db,
            "--body",
            "ks",
        ]);
    }
    let json = run_ok(&[
        "report",
        "redovisning",
        "--period",
        "2021-08",
        "--part",
        "drift",
        "--format",
        "json",
        "--db",
        &db,
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let drift = &value["tables"][0];
    assert_eq!(drift["id"], "drift");
    let rows = drift["rows"].as_array().unwrap();
    let ks = rows.iter().find(|r| r[0] == "Kommunstyrelsen").unwrap();
    // Ram 247 000 tkr + 2 000 of anslagsförändringar; Jan–Aug 2020 86 600 tkr (in kronor).
    assert_eq!(ks[1], serde_json::json!(247_000_000));
    assert_eq!(ks[2], serde_json::json!(2_000_000));
    assert_eq!(ks[3], serde_json::json!(249_000_000));
    assert_eq!(ks[5], serde_json::json!(86_600_000));
    let total = rows.last().unwrap();
    assert_eq!(total[2], serde_json::json!(3_500_000));
    let sum: i64 = rows[..rows.len() - 1]
        .iter()
        .map(|r| r[3].as_i64().unwrap())
        .sum();
    assert_eq!(total[3].as_i64(), Some(sum));

    let csv = run_ok(&[
        "report",
        "redovisning",
        "--period",
        "2021-08",
        "--part",
        "investeringar",
        "--format",
        "csv",
        "--db",
        &db,
    ]);
    let vattenplan = csv
        .lines()
        .find(|l| l.starts_with("investeringar,Vattenplan,"))
        .unwrap();
    // Beslutad 34 500, utfall tidigare år 19 800 + 2 000.
    assert!(
        vattenplan.starts_with("investeringar,Vattenplan,34500,21800,"),
        "{vattenplan}"
    );
    let table = run_ok(&[
        "report",
        "redovisning",
        "--period",
        "2021-08",
        "--part",
        "geh",
        "--db",
        &db,
    ]);
    assert!(table.contains("2,0 % ≥ 2,0 %: uppfyllt"), "{table}");
    assert!(table.contains("Kommunfullmäktiges bedömning: Delvis uppfylld."));
}

#[test]
fn a_bad_anslagsforandring_is_refused_at_its_line_and_nothing_is_stored() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("examples");
    copy_dir(&example_dir().join(".."), &folder);
    let council = folder.join("haninge-kf-2021/council.toml");
    let text = std::fs::read_to_string(&council).unwrap();
    let line = text
        .lines()
        .position(|l| l == "date = \"2021-06-14\"")
        .unwrap()
        + 1;
    std::fs::write(
        &council,
        text.replacen("date = \"2021-06-14\"", "date = \"2021-06-31\"", 1),
    )
    .unwrap();
    let db = temp.path().join("kommun.db").to_str().unwrap().to_owned();
    run_ok(&["import", example_dir().to_str().unwrap(), "--db", &db]);
    let output = styr(&["import", folder.to_str().unwrap(), "--db", &db]);
    assert_ne!(output.status.code(), Some(0));
    let message = stderr(&output);
    assert!(
        message.contains(&format!("council.toml:{line}"))
            && message.contains("date")
            && message.contains("inget datum"),
        "{message}"
    );
    // Nothing of the folder was stored: KS (imported before) is there, KF is not.
    let overview = run_ok(&["report", "kommun", "--period", "2021-08", "--db", &db]);
    assert!(
        overview.contains("Kommunfullmäktiges plan finns inte i databasen"),
        "{overview}"
    );
}
