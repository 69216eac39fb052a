//! `styr excel` as a user runs it: a package out to a workbook and back into a package, and a
//! workbook with a bad cell refused with its sheet and cell (edited with openpyxl through
//! `STYR_TEST_PYTHON`).

use crate::{example_dir, stderr, stdout, styr};
use std::path::Path;
use std::process::Command;

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn a_package_goes_out_to_a_workbook_and_back_into_a_package() {
    let folder = tempfile::tempdir().unwrap();
    let workbook = folder.path().join("plan.xlsx");
    let out = folder.path().join("paket");
    let export = styr(&[
        "excel",
        "export",
        path(&example_dir()),
        "-o",
        path(&workbook),
    ]);
    assert!(export.status.success(), "{}", stderr(&export));
    let import = styr(&[
        "excel",
        "import",
        path(&workbook),
        "--package",
        path(&example_dir()),
        "-o",
        path(&out),
    ]);
    assert!(import.status.success(), "{}", stderr(&import));
    assert_eq!(
        stdout(&import),
        format!(
            "läste in plan.xlsx: haninge / ks_2021_proposal skrivet till {}\n",
            out.display()
        )
    );
    for table in [
        "budget/operating/ksf.csv",
        "budget/operating/sammanstallning.csv",
        "budget/finance.csv",
        "budget/exploitation.csv",
        "assignment_status.csv",
    ] {
        assert_eq!(
            std::fs::read_to_string(out.join(table)).unwrap(),
            std::fs::read_to_string(example_dir().join(table)).unwrap(),
            "{table}"
        );
    }
}

#[test]
fn a_bad_cell_is_named_and_the_database_is_left_as_it_was() {
    let Some(python) = crate::tool::python() else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("styr.db");
    let (workbook, edited) = (
        folder.path().join("plan.xlsx"),
        folder.path().join("ändrad.xlsx"),
    );
    let import = styr(&["import", path(&example_dir()), "--db", path(&db)]);
    assert!(import.status.success(), "{}", stderr(&import));
    let export = styr(&["excel", "export", "--db", path(&db), "-o", path(&workbook)]);
    assert!(export.status.success(), "{}", stderr(&export));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/tests/it/edit_workbook.py");
    let status = Command::new(python)
        .arg(script)
        .arg(&workbook)
        .arg(&edited)
        .arg("Investeringar!E3=femtio")
        .status()
        .expect("python runs");
    assert!(status.success());
    let audit_before = stdout(&styr(&["audit", "list", "--db", path(&db)]));
    let refused = styr(&["excel", "import", path(&edited), "--db", path(&db)]);
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(message.starts_with("Investeringar!E3: 2021: "), "{message}");
    assert!(
        message.ends_with("fel: 1 fel; inget ändrades\n"),
        "{message}"
    );
    assert_eq!(
        stdout(&styr(&["audit", "list", "--db", path(&db)])),
        audit_before
    );
}

#[test]
fn a_unit_gets_its_report_workbook_and_an_empty_one_reports_nothing() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("styr.db");
    let workbook = folder.path().join("ksf.xlsx");
    let import = styr(&["import", path(&example_dir()), "--db", path(&db)]);
    assert!(import.status.success(), "{}", stderr(&import));
    let template = styr(&[
        "excel",
        "template",
        "--db",
        path(&db),
        "--period",
        "2021-08",
        "--unit",
        "ksf",
        "-o",
        path(&workbook),
    ]);
    assert!(template.status.success(), "{}", stderr(&template));
    let back = styr(&["excel", "import", path(&workbook), "--db", path(&db)]);
    assert!(back.status.success(), "{}", stderr(&back));
    assert_eq!(
        stdout(&back),
        "läste in rapporten för ksf per 2021-08 från ksf.xlsx: 0 rader, 0 ändrade, 0 oförändrade\n"
    );
    let unknown = styr(&[
        "excel",
        "template",
        "--db",
        path(&db),
        "--period",
        "2021-08",
        "--unit",
        "ingen",
        "-o",
        path(&workbook),
    ]);
    assert_eq!(unknown.status.code(), Some(1));
    assert_eq!(
        stderr(&unknown),
        "enhet: ingen är varken ett organ eller en enhet i planen\nfel: 1 fel; inget ändrades\n"
    );
}
