//! Control characters (ESC, NUL) never reach the terminal raw, and a comment with one is
//! refused.

use crate::{example_dir, stderr, stdout, styr};

#[test]
fn control_characters_never_reach_the_terminal_and_are_refused_in_comments() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    // An actor name is stored as given (the audit log keeps who it was told). (NUL cannot be
    // passed as an argument; the domain's unit test covers it.)
    let evil = "ond\u{1b}[2J\u{1b}]0;titel\u{7}\u{9b}";
    let output = styr(&[
        "import",
        example_dir().to_str().unwrap(),
        "--db",
        &db,
        "--actor",
        evil,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = styr(&["audit", "list", "--db", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{7}'),
        "{text:?}"
    );
    assert!(
        text.contains("ond\\u001b[2J\\u001b]0;titel\\u0007\\u009b"),
        "{text}"
    );
    // JSON keeps the text exact (escaped the JSON way).
    let json = stdout(&styr(&["audit", "list", "--format", "json", "--db", &db]));
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["actor"], evil);

    // A comment with ESC is refused, naming the field and the character.
    let output = styr(&[
        "followup",
        "status",
        "ks2020_3",
        "Avvikelse",
        "--period",
        "2021-08",
        "--comment",
        "försenad\u{1b}[31m",
        "--db",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(1));
    let error = stderr(&output);
    assert!(
        error.contains("comment: texten innehåller styrtecknet ESC (tecken 9)"),
        "{error}"
    );
    assert!(!error.contains('\u{1b}'), "{error:?}");
}
