//! `styr paminnelser` as cron runs it, against a real SMTP server (aiosmtpd, started here by
//! the app tests' `smtp_sink.py`): a pass while the server is down fails with the error and
//! exit 1 and keeps the mail; a pass with it up delivers it once; a third pass sends nothing.

use crate::{add_user, example_dir, stderr, stdout, styr};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

struct Sink {
    child: Child,
    port: u16,
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_sink(folder: &Path) -> Option<Sink> {
    let python = crate::tool::python()?;
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../app/tests/it/smtp_sink.py");
    let mut child = Command::new(python)
        .arg(script)
        .arg(folder)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    match line.trim().parse() {
        Ok(port) => Some(Sink { child, port }),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            crate::tool::missing(
                "aiosmtpd (in the test venv)",
                ".ci/run installs scripts/requirements-test.txt",
            )
        }
    }
}

fn mails(folder: &Path) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

fn send(db: &str, port: u16, now: &str) -> std::process::Output {
    styr(&[
        "paminnelser",
        "skicka",
        "--db",
        db,
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &port.to_string(),
        "--smtp-tls",
        "ingen",
        "--fran",
        "styr <styr@haninge.test>",
        "--bas-url",
        "https://styr.haninge.test",
        "--nu",
        now,
    ])
}

#[test]
fn cron_passes_send_each_reminder_once_and_keep_failed_ones() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let Some(sink) = start_sink(&inbox) else {
        return;
    };
    let db = dir.path().join("styr.db");
    let db = db.to_str().unwrap();
    let imported = styr(&["import", example_dir().to_str().unwrap(), "--db", db]);
    assert!(imported.status.success(), "{}", stderr(&imported));
    assert!(
        add_user(
            db,
            &[
                "ekonom",
                "--role",
                "reporter",
                "--unit",
                "ksf",
                "--epost",
                "eva@haninge.test"
            ]
        )
        .success()
    );
    let schedule = styr(&["paminnelser", "schema", "--db", db, "--efter", "av"]);
    assert!(schedule.status.success(), "{}", stderr(&schedule));
    assert!(
        stdout(&schedule).contains("efter: av"),
        "{}",
        stdout(&schedule)
    );

    // Nothing listens on this port.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = send(db, closed, "2021-12-08T08:00");
    assert_eq!(down.status.code(), Some(1), "{}", stderr(&down));
    assert!(
        stdout(&down).contains("1 nya beslutade, 0 skickade, 1 misslyckade"),
        "{}",
        stdout(&down)
    );
    assert!(
        stderr(&down).contains("fel: till ekonom: "),
        "{}",
        stderr(&down)
    );
    let status = styr(&["paminnelser", "status", "--db", db]);
    let listed = stdout(&status);
    assert!(
        listed.contains("misslyckad\t1\tfore\t2021-11\t2021-12-10\tks\tekonom\teva@haninge.test\t"),
        "{listed}"
    );

    let up = send(db, sink.port, "2021-12-08T08:10");
    assert!(up.status.success(), "{}", stderr(&up));
    assert!(
        stdout(&up).contains("0 nya beslutade, 1 skickade, 0 misslyckade"),
        "{}",
        stdout(&up)
    );
    let again = send(db, sink.port, "2021-12-08T08:20");
    assert!(
        stdout(&again).contains("0 nya beslutade, 0 skickade, 0 misslyckade"),
        "{}",
        stdout(&again)
    );
    let received = mails(&inbox);
    assert_eq!(received.len(), 1);
    assert!(received[0].contains("eva@haninge.test"), "{}", received[0]);
    assert!(stdout(&styr(&["paminnelser", "status", "--db", db])).contains("skickad\t2\tfore"),);
    // With "efter" off, a pass after the deadline decides nothing.
    let after = send(db, sink.port, "2021-12-11T08:00");
    assert!(
        stdout(&after).contains("0 nya beslutade"),
        "{}",
        stdout(&after)
    );
    let audit = stdout(&styr(&["audit", "list", "--db", db]));
    assert!(audit.contains("efter: av"), "{audit}");
}
