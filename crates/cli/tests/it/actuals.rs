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
        format!("läser och sparar {}\n", ledger.display())
    );
}

#[test]
fn without_a_plan_nothing_is_imported() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    let ledger = ledger_file();
    let output = styr(&["actuals", "import", ledger.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(2));
    // No database yet: none is created, and the message says how to make one.
    assert!(
        stderr(&output).contains("finns inte; skapa den genom att importera en plan"),
        "{}",
        stderr(&output)
    );
    assert!(!Path::new(&db).exists());
    // A database without a plan (an empty file is an empty SQLite database): nothing is
    // imported.
    std::fs::File::create(&db).unwrap();
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
            "{}: #KSUMMA: kontrollsumman stämmer inte: filen anger 1017875788, innehållet ger \
             387214977",
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
fn the_example_ledger_checks_clean() {
    // The file is written by `cargo xtask example-ledger` (its test there checks that the
    // checked-in file is what the generator writes).
    let output = styr(&["sie", "check", ledger_file().to_str().unwrap()]);
    assert!(
        stdout(&output).ends_with("diagnostics: 0 error(s), 0 warning(s), 0 info\n"),
        "{}",
        stdout(&output)
    );
}

/// The example's header and its first voucher repeated `copies` times under new numbers: a
/// valid ledger as large as a test needs.
fn large_ledger(path: &Path, copies: usize) {
    let lines = without_checksum(ledger_lines());
    let first = position(&lines, "#VER ");
    let close = first + lines[first..].iter().position(|l| l == b"}").unwrap();
    let mut bytes = Vec::new();
    for line in &lines[..first] {
        bytes.extend_from_slice(line);
        bytes.extend_from_slice(b"\r\n");
    }
    let ver = String::from_utf8(lines[first].clone()).unwrap();
    let mut fields = ver.splitn(4, ' ');
    let (label, series, _number, rest) = (
        fields.next().unwrap(),
        fields.next().unwrap(),
        fields.next().unwrap(),
        fields.next().unwrap(),
    );
    for copy in 0..copies {
        bytes.extend_from_slice(format!("{label} {series} \"T{copy}\" {rest}\r\n").as_bytes());
        for line in &lines[first + 1..=close] {
            bytes.extend_from_slice(line);
            bytes.extend_from_slice(b"\r\n");
        }
    }
    std::fs::write(path, bytes).unwrap();
}

/// `kill -9` at any moment of a large import leaves the database as it was: intact, with the
/// earlier import and its report unchanged. The moments are fractions of the time one whole
/// import takes on this machine.
#[test]
fn a_killed_import_leaves_the_database_as_it_was() {
    use std::process::{Command, Stdio};
    use std::time::Instant;
    let temp = tempfile::tempdir().unwrap();
    let db = imported(temp.path());
    let before = report(&db, "csv");
    let big = temp.path().join("stor.se");
    large_ledger(&big, 60_000); // 120 000 rows

    // How long a whole import takes, on a copy of the database.
    let scratch = temp.path().join("scratch.db");
    std::fs::copy(&db, &scratch).unwrap();
    let started = Instant::now();
    // The big file has one month where the stored year has ten: asked for explicitly.
    let output = styr(&[
        "actuals",
        "import",
        big.to_str().unwrap(),
        "--replace-smaller",
        "--db",
        scratch.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let whole = started.elapsed();

    let mut killed = 0;
    for percent in [5, 20, 40, 60, 80, 95] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_styr"))
            .args([
                "actuals",
                "import",
                big.to_str().unwrap(),
                "--replace-smaller",
                "--db",
                &db,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(whole * percent / 100);
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on Unix
            killed += 1;
        }
        let status = child.wait().unwrap();
        if status.success() {
            // It finished before the kill: put the example back.
            let ledger = ledger_file();
            let output = styr(&[
                "actuals",
                "import",
                ledger.to_str().unwrap(),
                "--replace-smaller",
                "--db",
                &db,
            ]);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            continue;
        }
        let connection = rusqlite::Connection::open(&db).unwrap();
        let integrity: String = connection
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap();
        assert_eq!(integrity, "ok", "killed at {percent} %");
        let (files, rows): (i64, i64) = connection
            .query_row(
                "SELECT (SELECT COUNT(*) FROM ledger_files), (SELECT COALESCE(SUM(row_count), 0) FROM ledger_packs)",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .unwrap();
        drop(connection);
        if (files, rows) == (1, 120_000) {
            // Killed after its commit: the new import is there, whole. Put the example back.
            let ledger = ledger_file();
            let output = styr(&[
                "actuals",
                "import",
                ledger.to_str().unwrap(),
                "--replace-smaller",
                "--db",
                &db,
            ]);
            assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
            killed -= 1;
            continue;
        }
        assert_eq!((files, rows), (1, 2598), "killed at {percent} %");
        assert_eq!(report(&db, "csv"), before, "killed at {percent} %");
    }
    // Timing on a shared machine varies: at least two kills must land inside an import.
    assert!(
        killed >= 2,
        "only {killed} imports were killed in flight (a whole import took {whole:?})"
    );
}
