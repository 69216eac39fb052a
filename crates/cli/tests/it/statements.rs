//! `styr statements` as a user runs it (issue 22): KF's package imported, the example's
//! synthetic bokslut file imported with `styr actuals import --bokslut`, then the statements of
//! 2021 as a table, CSV and JSON, and the delårsrapport's period; a bokslut file with an
//! account KF's mapping does not know is refused naming file, line and field.

use crate::{example_dir, stderr, stdout, styr};

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

fn kf_dir() -> std::path::PathBuf {
    example_dir().join("../haninge-kf-2021")
}

#[test]
fn the_statements_of_the_example_print_as_table_csv_and_json() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("s.db");
    let db = db.to_str().unwrap();
    let kf = kf_dir();
    run_ok(&["import", kf.to_str().unwrap(), "--db", db]);
    let file = kf.join("ledger/kommun-2021.se");
    run_ok(&[
        "actuals",
        "import",
        file.to_str().unwrap(),
        "--db",
        db,
        "--bokslut",
    ]);
    let table = run_ok(&["statements", "--db", db, "--year", "2021"]);
    for text in [
        "Resultaträkning",
        "Årets resultat                                                                   83 000        107 000        112 000",
        "SUMMA TILLGÅNGAR                                                              9 013 000      8 670 000",
        "Årets kassaflöde                                                                 98 000         15 000",
        "Balanskravsresultat                                                              58 000",
        "Inga avvikelser",
    ] {
        assert!(table.contains(text), "{text:?} not in\n{table}");
    }
    let csv = run_ok(&[
        "statements",
        "--db",
        db,
        "--year",
        "2021",
        "--format",
        "csv",
    ]);
    assert!(csv.contains(
        "Resultaträkning,rr.arets_resultat,Årets resultat,summa,83000000.00,107000000.00,112000000.00"
    ));
    let json = run_ok(&[
        "statements",
        "--db",
        db,
        "--year",
        "2021",
        "--period",
        "2021-08",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["through"], "2021-08");
    assert_eq!(value["annual"], false);
    let result = value["result"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "rr.intakter")
        .unwrap();
    // Eight months of fees (8 × 50 000 tkr) and the June sale's realisationsvinst (12 000 tkr).
    assert_eq!(result["outcome"], serde_json::json!(412_000_000));
    // A period outside the year is refused.
    let output = styr(&[
        "statements",
        "--db",
        db,
        "--year",
        "2021",
        "--period",
        "2022-01",
    ]);
    assert_ne!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("ligger inte i --year 2021"));
}

#[test]
fn a_bokslut_file_with_an_unknown_account_is_refused() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("s.db");
    let db = db.to_str().unwrap();
    let kf = kf_dir();
    run_ok(&["import", kf.to_str().unwrap(), "--db", db]);
    let small = example_dir().join("../../crates/app/tests/data/statements-small-2021.se");
    let text = std::fs::read_to_string(small).unwrap().replace(
        "#KONTO 8510 \"Rantekostnader\"",
        "#KONTO 8510 \"Rantekostnader\"\r\n#KONTO 9100 \"Interna poster\"",
    ) + "#VER \"A\" \"10\" 20211231 \"Internt\"\r\n{\r\n#TRANS 9100 {} 1.00\r\n\
         #TRANS 1930 {} -1.00\r\n}\r\n";
    let file = temp.path().join("okand.se");
    std::fs::write(&file, text).unwrap();
    let output = styr(&[
        "actuals",
        "import",
        file.to_str().unwrap(),
        "--db",
        db,
        "--bokslut",
    ]);
    assert_ne!(output.status.code(), Some(0));
    let message = stderr(&output);
    assert!(
        message.contains("okand.se:23: konto: kontot 9100"),
        "{message}"
    );
    let output = styr(&["statements", "--db", db, "--year", "2021"]);
    assert_ne!(output.status.code(), Some(0));
    assert!(stderr(&output).contains("ingen bokslutsfil"));
}

/// The example's bokslut file is a valid SIE 4 file: CP437, its #KSUMMA verified, no
/// diagnostics, and marked synthetic in its #PROSA.
#[test]
fn the_example_bokslut_file_checks_clean() {
    let file = kf_dir().join("ledger/kommun-2021.se");
    let out = run_ok(&["sie", "check", file.to_str().unwrap()]);
    assert!(out.contains("checksum:     verified"), "{out}");
    assert!(
        out.contains("diagnostics: 0 error(s), 0 warning(s), 0 info"),
        "{out}"
    );
    assert!(out.contains("vouchers 125"), "{out}");
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        bytes
            .windows(b"SYNTETISKA DATA".len())
            .any(|w| w == b"SYNTETISKA DATA")
    );
}
