//! The budget process on the command line (issue 21): `styr plan state|submit|return|propose|
//! decide`, `styr calendar show|set`, `styr question ask|answer|list`.

use crate::{example_dir, stderr, stdout, styr};

#[test]
fn a_proposal_through_the_process_with_calendar_and_questions() {
    let folder = tempfile::tempdir().unwrap();
    let db = folder.path().join("styr.db");
    let db = db.to_str().unwrap();
    let example = example_dir();
    assert!(
        styr(&["import", example.to_str().unwrap(), "--db", db])
            .status
            .success()
    );

    let state = styr(&["plan", "state", "--db", db]);
    assert!(state.status.success(), "{}", stderr(&state));
    assert!(stdout(&state).contains("version ks_2021_proposal): utkast"));

    // A return needs a comment (clap) and a submitted proposal (the use case).
    let early = styr(&["plan", "return", "--comment", "för tidigt", "--db", db]);
    assert!(!early.status.success());
    assert!(stderr(&early).contains("är utkast: det kan inte återremitteras nu"));

    let set = styr(&["calendar", "set", "inlämning", "2020-09-30", "--db", db]);
    assert!(set.status.success(), "{}", stderr(&set));
    let bad = styr(&["calendar", "set", "inlämning", "2020-09-31", "--db", db]);
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("är inget datum"));
    let show = styr(&["calendar", "show", "--today", "2020-10-01", "--db", db]);
    assert!(show.status.success(), "{}", stderr(&show));
    let text = stdout(&show);
    assert!(text.contains("2020-09-30  Inlämning"), "{text}");
    assert!(
        text.contains("utkast          inlämning 2020-09-30 SENT"),
        "{text}"
    );

    for args in [
        &["plan", "submit", "--actor", "eva"][..],
        &[
            "plan",
            "return",
            "--comment",
            "Ramen överskrids",
            "--actor",
            "per",
        ],
        &["plan", "submit", "--actor", "eva"],
        &["plan", "propose", "--actor", "nils"],
        &[
            "plan",
            "decide",
            "--decision",
            "kf_2020_11_09_185",
            "--actor",
            "nils",
        ],
    ] {
        let output = styr(&[args, &["--db", db][..]].concat());
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
    }
    let text = stdout(&styr(&["plan", "state", "--db", db]));
    assert!(text.contains("): beslutad"), "{text}");
    assert!(
        text.contains("återremitterad  per: Ramen överskrids"),
        "{text}"
    );
    assert!(
        text.contains("beslutad        nils (beslut kf_2020_11_09_185)"),
        "{text}"
    );
    // Decided: the version is decided, and a new import is refused.
    let again = styr(&["import", example.to_str().unwrap(), "--db", db]);
    assert!(!again.status.success());

    let ask = styr(&[
        "question",
        "ask",
        "--line",
        "op.ksf.trygghet",
        "Varför ökar kostnaden?",
        "--db",
        db,
    ]);
    assert!(ask.status.success(), "{}", stderr(&ask));
    assert!(stdout(&ask).contains("fråga 1 ställd om ks"));
    let open = stdout(&styr(&["question", "list", "--open", "--db", db]));
    assert!(open.contains("1. ks op.ksf.trygghet – öppen"), "{open}");
    let answer = styr(&[
        "question",
        "answer",
        "1",
        "Fler väktare.",
        "--publish",
        "--db",
        db,
    ]);
    assert!(answer.status.success(), "{}", stderr(&answer));
    assert!(stdout(&answer).contains("besvarad och publicerad"));
    assert_eq!(
        stdout(&styr(&["question", "list", "--open", "--db", db])),
        "inga frågor\n"
    );
    let answered = stdout(&styr(&["question", "list", "--answered", "--db", db]));
    assert!(
        answered.contains("Svar (publicerat): Fler väktare."),
        "{answered}"
    );
}
