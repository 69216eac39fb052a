//! import → export → import → export through the binary, on SQLite (the embedded default) and,
//! where the test harness provides one, PostgreSQL.

use crate::{example_dir, stderr, stdout, styr};
use styr_package::Files;

pub fn sqlite_url(dir: &std::path::Path, name: &str) -> String {
    dir.join(name).to_str().unwrap().to_owned()
}

#[test]
fn import_export_import_export_is_byte_identical() {
    let temp = tempfile::tempdir().unwrap();
    let example = example_dir();
    let first_db = sqlite_url(temp.path(), "first.db");
    let output = styr(&[
        "import",
        example.to_str().unwrap(),
        "--db",
        &first_db,
        "--actor",
        "test",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = temp.path().join("first");
    let output = styr(&["export", first.to_str().unwrap(), "--db", &first_db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let second_db = sqlite_url(temp.path(), "second.db");
    let output = styr(&["import", first.to_str().unwrap(), "--db", &second_db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let second = temp.path().join("second");
    let output = styr(&["export", second.to_str().unwrap(), "--db", &second_db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    let first_files = Files::load(&first).unwrap();
    let second_files = Files::load(&second).unwrap();
    // Everything but the inputs beside the plan: the ledger export (ledger/*.se), the
    // follow-up report files (followup/) and the measures' outcomes (matt/utfall*.csv), which
    // are imported into the database, not plan.
    let plan_files = Files::load(&example)
        .unwrap()
        .files
        .into_keys()
        .filter(|path| {
            !styr_package::is_ledger_export(path)
                && !styr_package::is_followup_file(path)
                && !styr_package::is_measure_outcome_file(path)
        })
        .count();
    assert_eq!(first_files.files.len(), plan_files);
    assert_eq!(first_files, second_files);
    // Nothing lost on the way: the export reads back to the same plan as the example.
    let original = styr_package::write_files(&styr_package::read_dir(&example).unwrap());
    assert_eq!(original, first_files);
}

#[test]
fn check_from_the_database_names_the_exported_files() {
    let temp = tempfile::tempdir().unwrap();
    let db = sqlite_url(temp.path(), "styr.db");
    let example = example_dir();
    assert_eq!(
        styr(&["import", example.to_str().unwrap(), "--db", &db])
            .status
            .code(),
        Some(0)
    );
    let output = styr(&["check", "--db", &db]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.ends_with("9 fel, 5 varningar, 10 info, 2 förslag till rättelse\n"),
        "{text}"
    );
    assert!(
        text.contains("budget/operating/sammanstallning.csv:6: "),
        "{text}"
    );
}

#[test]
fn a_failed_import_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let db = sqlite_url(temp.path(), "styr.db");
    let example = example_dir();
    assert_eq!(
        styr(&["import", example.to_str().unwrap(), "--db", &db])
            .status
            .code(),
        Some(0)
    );
    let before = temp.path().join("before");
    assert_eq!(
        styr(&["export", before.to_str().unwrap(), "--db", &db])
            .status
            .code(),
        Some(0)
    );

    let mut files = Files::load(&example).unwrap();
    let text = String::from_utf8(files.files["indicators.csv"].clone()).unwrap();
    files.insert(
        "indicators.csv",
        text.replacen("bostader,mal2,", "bostader,mal9,", 1),
    );
    let bad = temp.path().join("bad");
    files.save(&bad).unwrap();
    let output = styr(&["import", bad.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("indicators.csv:3: fält goal: målet mal9 finns inte"),
        "{}",
        stderr(&output)
    );

    let after = temp.path().join("after");
    assert_eq!(
        styr(&["export", after.to_str().unwrap(), "--db", &db])
            .status
            .code(),
        Some(0)
    );
    assert_eq!(Files::load(&before).unwrap(), Files::load(&after).unwrap());
}
