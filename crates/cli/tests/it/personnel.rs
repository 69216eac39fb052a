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

#[test]
fn hours_that_do_not_add_up_stop_the_import_and_nothing_is_stored() {
    let temp = tempfile::tempdir().unwrap();
    let package = temp.path().join("paket");
    crate::bodies::copy_dir(&example_dir(), &package);
    let hours = package.join("personal/timmar.csv");
    let text = std::fs::read_to_string(&hours).unwrap();
    // Line 2: 147 sick hours become 5 000, above the 4 144 hours of working time.
    let changed = text.replacen(
        "ksf,2019-01,kvinna,-29,4144,147,58,true",
        "ksf,2019-01,kvinna,-29,4144,5000,58,true",
        1,
    );
    assert_ne!(text, changed);
    std::fs::write(&hours, changed).unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    let out = run(&["import", package.to_str().unwrap(), "--db", &db]);
    // 2: the package has errors (as for every package `styr import` refuses).
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("personal/timmar.csv:2: fält sjuk_timmar: sjukfrånvaron 5000 timmar är större än ordinarie arbetstid 4144 timmar"),
        "{message}"
    );
    // Nothing stored: no database was made to read a plan from.
    assert!(!std::path::Path::new(&db).exists());
    let out = run(&["personnel", "--db", &db, "--year", "2019"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(stderr(&out).contains("finns inte"), "{}", stderr(&out));
}
