//! `styr plan section`: list, show with its base, save from a file (the findings printed), a
//! stale base refused with the current text, a broken cell refused at file, line and field,
//! and the history with a diff.

use crate::{example_dir, stderr, stdout, styr};

#[test]
fn a_section_is_shown_saved_and_its_history_diffed() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("styr.db").to_str().unwrap().to_owned();
    let output = styr(&["import", example_dir().to_str().unwrap(), "--db", &db]);
    assert!(output.status.success(), "{}", stderr(&output));

    let list = styr(&["plan", "section", "list", "--db", &db]);
    assert!(list.status.success(), "{}", stderr(&list));
    assert!(stdout(&list).contains("narrative/driftbudget.md"));
    assert!(stdout(&list).contains("Investeringsbudget"));

    let path = "narrative/driftbudget.md";
    let show = styr(&["plan", "section", "show", path, "--db", &db]);
    assert!(show.status.success(), "{}", stderr(&show));
    let text = stdout(&show);
    let base = stderr(&show)
        .trim()
        .strip_prefix("bas: ")
        .expect("the base on standard error")
        .to_owned();
    let file = folder.path().join("driftbudget.md");
    std::fs::write(&file, text.replace("[20 500 tkr]", "[21 500 tkr]")).unwrap();
    let file = file.to_str().unwrap();
    let save = styr(&[
        "plan", "section", "save", path, file, "--base", &base, "--db", &db,
    ]);
    assert!(save.status.success(), "{}", stderr(&save));
    let saved = stdout(&save);
    assert!(saved.contains("som revision 1"), "{saved}");
    assert!(
        saved.contains("21 500"),
        "the broken claim's finding: {saved}"
    );

    // The same base again: refused, the current text printed, nothing written.
    let stale = styr(&[
        "plan", "section", "save", path, file, "--base", &base, "--db", &db,
    ]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(
        stderr(&stale).contains("har ändrats av någon annan"),
        "{}",
        stderr(&stale)
    );
    assert!(stdout(&stale).contains("[21 500 tkr]"));

    // A broken cell: refused at its file, line and field.
    let table = "budget/investment.csv";
    let show = styr(&["plan", "section", "show", table, "--db", &db]);
    let base = stderr(&show)
        .trim()
        .strip_prefix("bas: ")
        .unwrap()
        .to_owned();
    let broken = folder.path().join("investment.csv");
    std::fs::write(&broken, stdout(&show).replacen(",50000,", ",5O000,", 1)).unwrap();
    let refused = styr(&[
        "plan",
        "section",
        "save",
        table,
        broken.to_str().unwrap(),
        "--base",
        &base,
        "--db",
        &db,
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("budget/investment.csv:2: 2021:"),
        "{}",
        stderr(&refused)
    );

    let history = styr(&[
        "plan", "section", "history", path, "--from", "0", "--db", &db,
    ]);
    assert!(history.status.success(), "{}", stderr(&history));
    let history = stdout(&history);
    assert!(history.contains("revision   1"), "{history}");
    assert!(
        history
            .lines()
            .any(|l| l.starts_with("+ ") && l.contains("21 500"))
    );
    assert!(
        history
            .lines()
            .any(|l| l.starts_with("- ") && l.contains("20 500"))
    );
}
