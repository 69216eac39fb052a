//! Errors a person can act on: a database that does not exist is named and not created, a
//! PostgreSQL server that refuses is named within seconds, a long list is cut with its count,
//! and output into a closed pipe ends quietly.

use crate::{example_dir, stderr, stdout, styr};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Asserts that a command on a missing SQLite file says so, exits 2 and creates nothing.
fn refuses_missing_database(args: &[&str], db: &Path) {
    let output = styr(args);
    let path = db.to_str().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        format!(
            "fel: databasen {path} finns inte; skapa den genom att importera en plan: \
             styr import PAKET --db {path}\n"
        )
    );
    assert!(stdout(&output).is_empty());
    assert!(!db.exists(), "{args:?} created {path}");
    let folder = db.parent().unwrap();
    let left: Vec<_> = std::fs::read_dir(folder).unwrap().collect();
    assert!(left.is_empty(), "{args:?} left {left:?}");
}

#[test]
fn check_on_a_missing_database_creates_none() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("saknas.db");
    refuses_missing_database(&["check", "--db", db.to_str().unwrap()], &db);
}

#[test]
fn report_on_a_missing_database_creates_none() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("saknas.db");
    refuses_missing_database(
        &[
            "report",
            "budget-vs-actual",
            "--period",
            "2021-10",
            "--db",
            db.to_str().unwrap(),
        ],
        &db,
    );
}

#[test]
fn render_on_a_missing_database_creates_none() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("saknas.db");
    let out = temp.path().join("dokument.html");
    let args = [
        "render",
        "--db",
        db.to_str().unwrap(),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ];
    refuses_missing_database(&args, &db);
}

#[test]
fn a_refused_postgresql_connection_is_named_within_five_seconds() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("postgres://styr:hemligt@127.0.0.1:{port}/x");
    let started = Instant::now();
    let output = styr(&["check", "--db", &url]);
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "took {took:?}");
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.starts_with(&format!(
            "fel: kan inte öppna databasen postgres://styr:***@127.0.0.1:{port}/x: \
             kan inte ansluta till PostgreSQL på 127.0.0.1:{port}: anslutningen nekades"
        )),
        "{message}"
    );
    assert!(!message.contains("hemligt"), "{message}");
}

/// A SIE 4 file of 2021 with `accounts` accounts 80001… (no rule of the example maps class 8),
/// each booked once against the bank.
fn ledger_with_unmapped_accounts(path: &Path, accounts: u32) {
    let mut text = String::from(
        "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#FNAMN \"Test\"\r\n#ORGNR \"212000-0000\"\r\n\
         #RAR 0 20210101 20211231\r\n#KONTO 1930 \"Bank\"\r\n",
    );
    for n in 1..=accounts {
        text.push_str(&format!("#KONTO {} \"Konto {n}\"\r\n", 80_000 + n));
    }
    for n in 1..=accounts {
        text.push_str(&format!(
            "#VER \"A\" \"{n}\" 20210115 \"Test\"\r\n{{\r\n#TRANS {} {{}} {n}.00\r\n\
             #TRANS 1930 {{}} -{n}.00\r\n}}\r\n",
            80_000 + n
        ));
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn the_unmapped_accounts_are_cut_after_ten_and_all_in_json() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db");
    let db = db.to_str().unwrap();
    let output = styr(&["import", example_dir().to_str().unwrap(), "--db", db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ledger = temp.path().join("konton.se");
    ledger_with_unmapped_accounts(&ledger, 25);
    let ledger = ledger.to_str().unwrap();

    let output = styr(&["actuals", "import", ledger, "--db", db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    let line = text
        .lines()
        .find(|l| l.contains("utan budgetrad"))
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(
        line,
        "  utan budgetrad: 25 rader, 0 tkr, konton 80001, 80002, 80003, 80004, 80005, 80006, \
         80007, 80008, 80009, 80010 … och 15 konton till (alla med --format json)"
    );

    let output = styr(&["actuals", "import", ledger, "--db", db, "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let accounts = json["unmapped"]["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 25);
    assert_eq!(accounts[24]["account"], "80025");
    assert_eq!(accounts[24]["rows"], 1);
    assert_eq!(accounts[24]["amount"], serde_json::json!(25));
    assert_eq!(json["unmapped"]["rows"], 25);
    assert_eq!(json["unmapped"]["amount"], serde_json::json!(325));
    assert_eq!(json["transactions"], 50);
    assert_eq!(json["replaced_rows"], 50);
}

/// A SIE 4 file whose balances run to thousands of lines: more than a pipe holds.
fn ledger_with_many_balances(path: &Path) {
    let mut text = String::from("#FLAGGA 0\r\n#SIETYP 4\r\n#RAR 0 20210101 20211231\r\n");
    text.push_str("#KONTO 1930 \"Bank\"\r\n");
    for account in 0..300 {
        text.push_str(&format!("#KONTO {} \"Konto\"\r\n", 5000 + account));
    }
    let mut number = 0;
    for month in 1..=12 {
        for account in 0..300 {
            number += 1;
            text.push_str(&format!(
                "#VER \"A\" \"{number}\" 2021{month:02}15\r\n{{\r\n\
                 #TRANS {} {{1 \"100\"}} 10.00\r\n#TRANS {} {{1 \"200\"}} 20.00\r\n\
                 #TRANS 1930 {{}} -30.00\r\n}}\r\n",
                5000 + account,
                5000 + account
            ));
        }
    }
    std::fs::write(path, text).unwrap();
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let temp = tempfile::tempdir().unwrap();
    let ledger = temp.path().join("stor.se");
    ledger_with_many_balances(&ledger);
    let mut child = Command::new(env!("CARGO_BIN_EXE_styr"))
        .args(["sie", "balances", ledger.to_str().unwrap()])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read one line, then hang up, as `| head -1` does.
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert_eq!(first, "account,object,month,amount\n");
    drop(reader);
    let output = child.wait_with_output().unwrap();
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "{message}");
    assert!(!message.contains("Broken pipe"), "{message}");
    assert_ne!(output.status.code(), Some(101), "{message}");
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        // Ended by SIGPIPE, as `cat` or `grep` would be.
        assert_eq!(output.status.signal(), Some(13), "{:?}", output.status);
    }
}
