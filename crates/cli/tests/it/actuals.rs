//! `styr actuals import`, `styr forecast set` and `styr report budget-vs-actual` as a user
//! runs them on the bundled example, and every kind of bad ledger file refused with its line
//! while the database stays as it was.

use crate::{example_dir, stderr, stdout, styr};
use std::path::{Path, PathBuf};

fn ledger_file() -> PathBuf {
    example_dir().join("ledger/ks-2021.se")
}

/// A database with the example plan and its ledger imported, and a manual forecast.
fn imported(dir: &Path) -> String {
    let db = dir.join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    let output = styr(&[
        "import",
        example.to_str().unwrap(),
        "--db",
        &db,
        "--actor",
        "test",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ledger = ledger_file();
    let output = styr(&[
        "actuals",
        "import",
        ledger.to_str().unwrap(),
        "--db",
        &db,
        "--actor",
        "test",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    db
}

fn report(db: &str, format: &str) -> String {
    let output = styr(&[
        "report",
        "budget-vs-actual",
        "--period",
        "2021-10",
        "--db",
        db,
        "--format",
        format,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    stdout(&output)
}

#[test]
fn the_example_per_october() {
    let temp = tempfile::tempdir().unwrap();
    let db = imported(temp.path());
    let output = styr(&[
        "forecast",
        "set",
        "op.ksf.ksf",
        "86500",
        "--period",
        "2021-10",
        "--comment",
        "Konsultkostnader",
        "--db",
        &db,
    ]);
    // A deficit needs an action plan: asked for by name, and nothing is stored.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "action_plan: prognosen visar underskott på 2 302 tkr mot budget: en åtgärdsplan krävs\n\
         fel: 1 fel; inget ändrades\n"
    );
    let output = styr(&[
        "forecast",
        "set",
        "op.ksf.ksf",
        "86500",
        "--period",
        "2021-10",
        "--comment",
        "Konsultkostnader",
        "--action-plan",
        "Anställningsstopp",
        "--db",
        &db,
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        "2021-10 op.ksf.ksf: prognos: 86 500 tkr; förklaring: Konsultkostnader; \
         åtgärdsplan: Anställningsstopp\n"
    );
    let table = report(&db, "table");
    insta::assert_snapshot!("budget_vs_actual_2021_10_table", table);
    insta::assert_snapshot!("budget_vs_actual_2021_10_csv", report(&db, "csv"));

    let json: serde_json::Value = serde_json::from_str(&report(&db, "json")).unwrap();
    assert_eq!(json["period"], "2021-10");
    assert_eq!(json["months"], 10);
    let ksf = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["line"] == "op.ksf.ksf" && row["kind"] == "line")
        .unwrap();
    assert_eq!(ksf["annual_budget"].to_string(), "84198000");
    assert_eq!(ksf["forecast_manual"].to_string(), "86500000");
    assert_eq!(ksf["forecast_method"], "manual");
    assert_eq!(ksf["profile"], "pbudget");
    assert_eq!(json["unmapped"].as_array().unwrap().len(), 2);

    // The same file again doubles nothing; the report is the same.
    let ledger = ledger_file();
    let output = styr(&["actuals", "import", ledger.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("(ersatte en tidigare import med 2598 rader)"),
        "{}",
        stdout(&output)
    );
    assert_eq!(report(&db, "table"), table);
}

#[test]
fn import_says_what_maps_and_logs_each_phase_without_a_terminal() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    styr(&["import", example.to_str().unwrap(), "--db", &db]);
    let ledger = ledger_file();
    let output = styr(&["actuals", "import", ledger.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        stdout(&output),
        format!(
            "importerade ks-2021.se till {db}: 212000-0000 / 2021-01-01..2021-12-31, 1134 \
             verifikationer, 2598 transaktioner\n  \
             till budgetrader: 1240 rader, 213 920 tkr\n  \
             utanför uppföljningen (exclude): 1354 rader, −214 003 tkr\n  \
             utan budgetrad: 4 rader, 83 tkr, konton 4010, 7990\n"
        )
    );
    assert_eq!(
        stderr(&output),
        format!("läser {}\nsparar 2598 rader\n", ledger.display())
    );
}

#[test]
fn without_a_plan_nothing_is_imported() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    let ledger = ledger_file();
    let output = styr(&["actuals", "import", ledger.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("importera en plan först"),
        "{}",
        stderr(&output)
    );
}

/// The example's ledger as lines (CP437 bytes, without their CRLF).
fn ledger_lines() -> Vec<Vec<u8>> {
    let bytes = std::fs::read(ledger_file()).unwrap();
    bytes
        .split(|b| *b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line).to_vec())
        .filter(|line| !line.is_empty())
        .collect()
}

fn position(lines: &[Vec<u8>], start: &str) -> usize {
    lines
        .iter()
        .position(|line| line.starts_with(start.as_bytes()))
        .unwrap_or_else(|| panic!("no line starts with {start}"))
}

/// Without the #KSUMMA lines, so that each case shows its own error only.
fn without_checksum(mut lines: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    lines.retain(|line| !line.starts_with(b"#KSUMMA"));
    lines
}

/// Imports the lines as a file into a database holding the example; expects a refusal, and
/// returns the error lines of stderr (`FILE:LINE: RECORD: message`) with the file's path taken out. The report before and
/// after must be the same.
fn refused(lines: &[Vec<u8>]) -> Vec<String> {
    let temp = tempfile::tempdir().unwrap();
    let db = imported(temp.path());
    let before = report(&db, "csv");
    let bad = temp.path().join("bad.se");
    let mut bytes = Vec::new();
    for line in lines {
        bytes.extend_from_slice(line);
        bytes.extend_from_slice(b"\r\n");
    }
    std::fs::write(&bad, bytes).unwrap();
    let output = styr(&["actuals", "import", bad.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(text.ends_with(" fel; inget ändrades\n"), "{text}");
    assert_eq!(report(&db, "csv"), before);
    let prefix = format!("{}:", bad.display());
    text.lines()
        .filter(|line| line.starts_with(&prefix) && !line.contains(": varning: "))
        .map(|line| line.replacen(&prefix, "", 1))
        .collect()
}

#[test]
fn an_unbalanced_voucher_is_refused_on_its_line() {
    let mut lines = without_checksum(ledger_lines());
    let at = position(&lines, "#TRANS 1510 {} 19743.23");
    lines[at] = b"#TRANS 1510 {} 19743.24".to_vec();
    let voucher = position(&lines, "#VER \"KF\" \"1\" ") + 1;
    assert_eq!(
        refused(&lines),
        vec![format!(
            "{voucher}: #VER: verifikationen KF 1 balanserar inte: dess rader summerar till 0.01"
        )]
    );
}

#[test]
fn an_unknown_account_is_refused_on_its_line() {
    let mut lines = without_checksum(ledger_lines());
    let at = position(&lines, "#TRANS 1510 {} 19743.23");
    lines[at] = b"#TRANS 1519 {} 19743.23".to_vec();
    assert_eq!(
        refused(&lines),
        vec![format!(
            "{}: #TRANS: kontot 1519 används men saknar #KONTO (första användningen på den här raden)",
            at + 1
        )]
    );
}

#[test]
fn a_truncated_file_is_refused() {
    let mut lines = ledger_lines();
    let at = position(&lines, "#TRANS 1510 {} 19743.23");
    lines.truncate(at);
    let voucher = position(&lines, "#VER \"KF\" \"1\" ") + 1;
    assert_eq!(
        refused(&lines),
        vec![
            "2: #KSUMMA: inledande #KSUMMA utan avslutande kontrollsumma; specifikationen säger \
             att en sådan fil ska avvisas"
                .to_owned(),
            format!(
                "{voucher}: #VER: filen slutar inuti det här verifikationsblocket: '}}' saknas \
                 (avkortad fil?)"
            ),
            format!(
                "{voucher}: #VER: verifikationen KF 1 balanserar inte: dess rader summerar till \
                 -19743.23"
            ),
        ]
    );
}

#[test]
fn a_checksum_mismatch_is_refused_on_the_closing_line() {
    let mut lines = ledger_lines();
    let at = position(&lines, "#FNAMN");
    lines[at] = b"#FNAMN \"Haninge kommun, Kommunstyrelsen (syntetiska data)\"".to_vec();
    assert_eq!(
        refused(&lines),
        vec![format!(
            "{}: #KSUMMA: kontrollsumman stämmer inte: filen anger 1017875788, innehållet ger 387214977",
            lines.len()
        )]
    );
}

#[test]
fn garbage_bytes_are_refused_on_their_line() {
    let mut lines = without_checksum(ledger_lines());
    let at = position(&lines, "#VALUTA");
    lines.insert(at, b"\x00\xff\xfe garbage \x89PNG".to_vec());
    assert_eq!(
        refused(&lines),
        vec![format!(
            "{}: line: raden börjar inte med en #POST: \"\\0\\u{{a0}}■ garbage ëPNG\"",
            at + 1
        )]
    );
}

#[test]
fn an_impossible_date_is_refused_on_its_line() {
    let mut lines = without_checksum(ledger_lines());
    let at = position(&lines, "#VER \"KF\" \"1\" ");
    lines[at] = b"#VER \"KF\" \"1\" 20211341 \"Kundfaktura\"".to_vec();
    assert_eq!(
        refused(&lines),
        vec![format!(
            "{}: #VER: verdatum: ogiltigt datum \"20211341\": väntade ett befintligt \
             kalenderdatum ÅÅÅÅMMDD; posten ignoreras",
            at + 1
        )]
    );
}

#[test]
fn the_example_ledger_is_what_the_generator_writes() {
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("ks-2021.se");
    let example = example_dir();
    let output = styr(&[
        "actuals",
        "example-ledger",
        example.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        std::fs::read(&out).unwrap() == std::fs::read(ledger_file()).unwrap(),
        "examples/haninge-ks-2021/ledger/ks-2021.se is stale: regenerate it with \
         `styr actuals example-ledger examples/haninge-ks-2021 \
         examples/haninge-ks-2021/ledger/ks-2021.se`"
    );
    let output = styr(&["sie", "check", out.to_str().unwrap()]);
    assert!(
        stdout(&output).ends_with("diagnostics: 0 error(s), 0 warning(s), 0 info\n"),
        "{}",
        stdout(&output)
    );
}
