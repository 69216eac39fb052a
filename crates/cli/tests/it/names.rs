//! Users' display names (issue 18) in the terminal: `styr user add --namn`, `styr user list`,
//! and `styr audit list`, which names who did what ("Eva Lindqvist (eva)"); a user without a
//! name is shown by the login.

use crate::{add_user, example_dir, stderr, stdout, styr};

#[test]
fn a_users_name_is_shown_in_the_list_and_the_audit_log() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db");
    let db = db.to_str().unwrap();
    let output = styr(&["import", example_dir().to_str().unwrap(), "--db", db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let added = add_user(
        db,
        &[
            "eva",
            "--role",
            "reporter",
            "--unit",
            "an",
            "--namn",
            "Eva Lindqvist",
        ],
    );
    assert!(added.success());
    assert!(add_user(db, &["olof", "--role", "reader"]).success());
    // A name of control characters is refused.
    assert!(!add_user(db, &["x", "--role", "reader", "--namn", "a\u{1b}[2J"]).success());
    let listed = stdout(&styr(&["user", "list", "--db", db]));
    assert!(
        listed.contains("eva\thaninge\treporter\tan\tEva Lindqvist\n"),
        "{listed}"
    );
    assert!(listed.contains("olof\thaninge\treader\t\n"), "{listed}");

    let output = styr(&[
        "followup",
        "status",
        "ny2021_seniorbostadskon",
        "Påbörjad",
        "--period",
        "2021-08",
        "--actor",
        "eva",
        "--db",
        db,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    // The follow-up list names who reported, at Swedish local time to the minute.
    let list = stdout(&styr(&[
        "followup", "list", "--period", "2021-08", "--db", db,
    ]));
    let line = list
        .lines()
        .find(|l| l.contains("Påbörjad"))
        .unwrap_or_else(|| panic!("{list}"));
    assert!(line.contains(" — Eva Lindqvist (eva) "), "{line}");
    let iso_time = line
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b'T' && w[2].is_ascii_digit());
    assert!(!iso_time, "{line}");
    let audit = stdout(&styr(&["audit", "list", "--db", db]));
    let line = audit
        .lines()
        .find(|l| l.contains("ny2021") || l.contains("Seniorbostad") || l.contains("senior"))
        .unwrap_or_else(|| panic!("{audit}"));
    assert!(line.contains(" Eva Lindqvist (eva) "), "{line}");
    assert!(
        audit
            .lines()
            .any(|l| l.contains(" put user eva") || l.contains("användaren eva")),
        "{audit}"
    );
}
