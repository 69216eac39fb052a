//! Errors a person can act on: a database that does not exist is named and not created, and a
//! PostgreSQL server that refuses is named within seconds.

use crate::{stderr, stdout, styr};
use std::path::Path;
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
