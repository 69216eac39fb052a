//! `styr personnel` and `styr measures` as a user runs them on the example.

use crate::{example_dir, stderr, stdout, styr};

fn run(args: &[&str]) -> std::process::Output {
    styr(args)
}

#[test]
fn personnel_and_measures_of_the_example() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    assert!(
        run(&["import", example.to_str().unwrap(), "--db", &db])
            .status
            .success()
    );
    let out = run(&["personnel", "--db", &db, "--year", "2019", "--unit", "ksf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("SYNTETISKA DATA"), "{text}");
    let total = text
        .lines()
        .find(|l| l.starts_with("Total sjukfrånvaro"))
        .unwrap();
    assert!(total.split_whitespace().any(|w| w == "3,7"), "{total}");
    // A period outside the year is refused.
    let out = run(&[
        "personnel",
        "--db",
        &db,
        "--year",
        "2019",
        "--period",
        "2020-09",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("2020-09"), "{}", stderr(&out));

    // Measures: a bad file changes nothing; the example's file is read.
    let bad = temp.path().join("bad.csv");
    std::fs::write(
        &bad,
        "measure,month,value\ndiarieforda,2021-01,12\nokand,2021-01,3\n",
    )
    .unwrap();
    let out = run(&["measures", "import", bad.to_str().unwrap(), "--db", &db]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("bad.csv:3: measure"),
        "{}",
        stderr(&out)
    );
    let file = example.join("matt/utfall-2021.csv");
    let out = run(&["measures", "import", file.to_str().unwrap(), "--db", &db]);
    assert!(
        stdout(&out).ends_with("30 rader, 30 ändrade, 0 oförändrade\n"),
        "{}",
        stderr(&out)
    );
    let out = run(&["measures", "list", "--period", "2021-02", "--db", &db]);
    let text = stdout(&out);
    assert!(
        text.contains("Antal besök i kontaktcenter (besök)"),
        "{text}"
    );
    assert!(text.contains("Ackumulerat"), "{text}");
}
