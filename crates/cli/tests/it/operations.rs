//! Running styr as an IT department does: `styr backup` and `styr restore` through the binary,
//! every command (the server first) refusing a database of a newer schema and leaving it as it
//! was, and `styr serve` logging one JSON line per request with its request id.

use crate::{example_dir, stderr, stdout, styr};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use styr_app::newest_schema_version;

fn imported(folder: &std::path::Path) -> String {
    let db = folder.join("styr.db").to_str().unwrap().to_owned();
    let output = styr(&["import", example_dir().to_str().unwrap(), "--db", &db]);
    assert!(output.status.success(), "{}", stderr(&output));
    db
}

#[test]
fn backup_and_restore_through_the_binary() {
    let folder = tempfile::tempdir().unwrap();
    let db = imported(folder.path());
    let backup = folder.path().join("säkerhetskopia.db");
    let backup = backup.to_str().unwrap();
    let output = styr(&["backup", "--db", &db, "-o", backup]);
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stdout(&output);
    assert!(
        said.contains(&format!(
            "SQLite, schemaversion {}",
            newest_schema_version()
        )),
        "{said}"
    );
    let file = rusqlite::Connection::open(backup).unwrap();
    let integrity: String = file
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    let journal: String = file
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(journal, "delete", "a backup is one self-contained file");
    drop(file);

    let restored = folder.path().join("återställd.db");
    let restored = restored.to_str().unwrap();
    let output = styr(&["restore", backup, "--db", restored]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = styr(&[
        "export",
        "--db",
        restored,
        folder.path().join("ut").to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    // Again into the now full database: refused without --force, nothing changed.
    let output = styr(&["restore", backup, "--db", restored]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("är inte tom") && stderr(&output).contains("--force"),
        "{}",
        stderr(&output)
    );
    let output = styr(&["restore", backup, "--db", restored, "--force"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("ersattes"), "{}", stdout(&output));
}

#[test]
fn every_command_refuses_a_database_of_a_newer_schema_and_leaves_it() {
    let folder = tempfile::tempdir().unwrap();
    let db = imported(folder.path());
    let future = newest_schema_version() + 1;
    {
        let connection = rusqlite::Connection::open(&db).unwrap();
        connection
            .execute(
                "INSERT INTO schema_migrations (version, name, applied_at) \
                 VALUES (?1, 'from_the_future', '2030-01-01T00:00:00.000000Z')",
                [future],
            )
            .unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let backup = folder.path().join("b.db");
    for args in [
        vec!["serve", "--db", &db, "--addr", "127.0.0.1:0"],
        vec!["audit", "list", "--db", &db],
        vec!["backup", "--db", &db, "-o", backup.to_str().unwrap()],
        vec!["import", example_dir().to_str().unwrap(), "--db", &db],
    ] {
        let output = styr(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("schemaversion {future}"))
                && message.contains(&format!("schemaversion {}", newest_schema_version()))
                && message.contains("uppgradera styr"),
            "{args:?}: {message}"
        );
    }
    assert!(!backup.exists());
    assert!(
        std::fs::read(&db).unwrap() == before,
        "the database changed"
    );
}

#[test]
fn serve_logs_a_json_line_per_request_with_its_request_id() {
    let folder = tempfile::tempdir().unwrap();
    let db = imported(folder.path());
    let mut server = Command::new(env!("CARGO_BIN_EXE_styr"))
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    let mut stream = TcpStream::connect(&addr).unwrap();
    write!(
        stream,
        "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nX-Request-Id: prov-cli-1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.to_lowercase().contains("x-request-id: prov-cli-1"),
        "{answer}"
    );
    // The log line is written before the answer is sent; give the pipe a moment.
    std::thread::sleep(std::time::Duration::from_millis(200));
    server.kill().unwrap();
    server.wait().unwrap();
    let mut log = String::new();
    server
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let events: Vec<serde_json::Value> = log
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}")))
        .collect();
    let request = events
        .iter()
        .find(|event| event["request_id"] == "prov-cli-1")
        .unwrap_or_else(|| panic!("no event of the request: {log}"));
    assert_eq!(request["status"], 200, "{request}");
    assert_eq!(request["route"], "/healthz", "{request}");
    assert_eq!(request["level"], "INFO", "{request}");
    assert_eq!(request["span"]["request_id"], "prov-cli-1", "{request}");
    assert!(request["milliseconds"].as_f64().is_some(), "{request}");
    assert!(request["timestamp"].as_str().is_some(), "{request}");
}

/// The value of a sample line `name{kind="…"} value` of a textfile-collector file.
fn gauge(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find(|l| l.starts_with(&format!("{name}{{kind=")))
        .and_then(|l| l.rsplit_once(' '))
        .and_then(|(_, value)| value.parse().ok())
}

#[test]
fn an_import_leaves_its_duration_for_the_textfile_collector() {
    let folder = tempfile::tempdir().unwrap();
    let metrics = folder.path().join("textfile");
    std::fs::create_dir(&metrics).unwrap();
    let db = folder.path().join("styr.db");
    let import = |package: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_styr"))
            .args(["import", package.to_str().unwrap(), "--db"])
            .arg(&db)
            .env("STYR_METRICS_DIR", &metrics)
            .output()
            .unwrap()
    };
    let output = import(&example_dir());
    assert!(output.status.success(), "{}", stderr(&output));
    let file = metrics.join("styr_import_plan.prom");
    let text = std::fs::read_to_string(&file).unwrap();
    let took = gauge(&text, "styr_import_duration_seconds").unwrap();
    assert!(took > 0.0 && took < 600.0, "{text}");
    assert_eq!(gauge(&text, "styr_import_success"), Some(1.0), "{text}");
    assert!(gauge(&text, "styr_import_end_time_seconds").unwrap() > 1.7e9);
    assert!(text.contains("# TYPE styr_import_duration_seconds gauge"));
    // A failed import says so in the same file; nothing else is left in the folder.
    let output = import(&folder.path().join("finns-inte"));
    assert!(!output.status.success());
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(gauge(&text, "styr_import_success"), Some(0.0), "{text}");
    let names: Vec<_> = std::fs::read_dir(&metrics)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["styr_import_plan.prom"]);
    // Other commands write nothing.
    let output = Command::new(env!("CARGO_BIN_EXE_styr"))
        .args(["plans", "list", "--db"])
        .arg(&db)
        .env("STYR_METRICS_DIR", &metrics)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(std::fs::read_dir(&metrics).unwrap().count(), 1);
}
