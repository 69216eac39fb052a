//! Synthetic example data (issue 18, item 5) in the terminal: the example's 2021 periods,
//! which its followup.toml marks `synthetic = true`, are said to be synthetic by `styr report
//! budget-vs-actual` (table, CSV, JSON), `styr period list` and `styr followup list`; the seed's
//! own 2020 periods are not.

use crate::{example_dir, stderr, stdout, styr};

const NOTE: &str = "Syntetiska exempeldata: uppföljningen av den här perioden";

fn run(args: &[&str]) -> String {
    let output = styr(args);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        stderr(&output)
    );
    stdout(&output)
}

#[test]
fn synthetic_periods_are_marked_in_every_terminal_output() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db");
    let db = db.to_str().unwrap();
    let example = example_dir();
    run(&["import", example.to_str().unwrap(), "--db", db]);
    let followup = example.join("followup/delar2-2021.csv");
    run(&["followup", "import", followup.to_str().unwrap(), "--db", db]);
    let report = |period: &str, format: &str| {
        run(&[
            "report",
            "budget-vs-actual",
            "--period",
            period,
            "--format",
            format,
            "--db",
            db,
        ])
    };
    assert!(report("2021-08", "table").contains(NOTE));
    assert!(!report("2020-10", "table").contains(NOTE));
    let csv = report("2021-08", "csv");
    assert!(csv.lines().next().unwrap().ends_with(",synthetic"));
    assert!(csv.lines().skip(1).all(|line| line.ends_with(",true")));
    let csv = report("2020-10", "csv");
    assert!(csv.lines().skip(1).all(|line| line.ends_with(",false")));
    let json: serde_json::Value = serde_json::from_str(&report("2021-08", "json")).unwrap();
    assert_eq!(json["synthetic"], true);
    let json: serde_json::Value = serde_json::from_str(&report("2020-10", "json")).unwrap();
    assert_eq!(json["synthetic"], false);

    let periods = run(&["period", "list", "--db", db]);
    for line in periods.lines().filter(|l| l.starts_with("20")) {
        assert_eq!(
            line.ends_with("(syntetiska exempeldata)"),
            line.starts_with("2021"),
            "{line}"
        );
    }
    let listed = run(&["followup", "list", "--period", "2021-08", "--db", db]);
    assert!(listed.starts_with(NOTE), "{listed}");
    assert!(
        listed
            .lines()
            .skip(1)
            .all(|l| l.ends_with("(syntetiska exempeldata)"))
    );
    let json: serde_json::Value = serde_json::from_str(&run(&[
        "followup", "list", "--period", "2021-08", "--format", "json", "--db", db,
    ]))
    .unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|e| e["synthetic"] == true)
    );
}
