//! One rule, three front ends (issue 19 item 1): for the same unit and period, the web's
//! reporting page, the Excel report template and `styr followup due` list the same items.

use crate::{TEST_PASSWORD, add_user, example_dir, stderr, stdout, styr};
use calamine::{Reader, Xlsx, open_workbook};
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

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

/// One HTTP/1.1 request on a fresh connection: the status line, headers and body.
fn http(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

/// The keys (`kind/subject`) of a workbook's report sheets.
fn workbook_keys(path: &std::path::Path) -> BTreeSet<String> {
    let mut book: Xlsx<_> = open_workbook(path).expect("the workbook opens");
    let mut keys = BTreeSet::new();
    for (sheet, kind) in [
        ("Uppdrag", "status"),
        ("Indikatorer", "outcome"),
        ("Målbedömning", "assessment"),
        ("Prognoser", "forecast"),
        ("Kontroller", "control"),
        ("Åtgärder", "audit_action"),
    ] {
        let range = book.worksheet_range(sheet).expect("the sheet is there");
        let mut past_header = false;
        for row in range.rows() {
            let first = row.first().map(|c| c.to_string()).unwrap_or_default();
            if past_header && !first.is_empty() {
                keys.insert(format!("{kind}/{first}"));
            }
            if first == "Id" || first == "Budgetrad" {
                past_header = true;
            }
        }
    }
    keys
}

#[test]
fn the_web_page_the_workbook_and_the_cli_list_show_the_same_items() {
    let temp = tempfile::tempdir().unwrap();
    let db = temp.path().join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    run_ok(&["import", example.to_str().unwrap(), "--db", &db]);
    let file = example.join("followup/delar2-2021.csv");
    run_ok(&["followup", "import", file.to_str().unwrap(), "--db", &db]);

    let mut cli = BTreeSet::new();
    let json: serde_json::Value = serde_json::from_str(&run_ok(&[
        "followup", "due", "--period", "2021-08", "--unit", "ksf", "--format", "json", "--db", &db,
    ]))
    .unwrap();
    for item in json["items"].as_array().unwrap() {
        cli.insert(format!(
            "{}/{}",
            item["kind"].as_str().unwrap(),
            item["subject"].as_str().unwrap()
        ));
    }
    // Statuses, forecasts, indicators, goals, controls and audit actions.
    for kind in [
        "status/",
        "forecast/",
        "outcome/",
        "assessment/",
        "control/",
        "audit_action/",
    ] {
        assert!(cli.iter().any(|k| k.starts_with(kind)), "{kind} in {cli:?}");
    }

    let workbook = temp.path().join("ksf.xlsx");
    run_ok(&[
        "excel",
        "template",
        "--period",
        "2021-08",
        "--unit",
        "ksf",
        "-o",
        workbook.to_str().unwrap(),
        "--db",
        &db,
    ]);
    assert_eq!(
        workbook_keys(&workbook),
        cli,
        "the workbook against the CLI"
    );

    // The web page of a reporter of the unit.
    assert!(add_user(&db, &["ksr", "--role", "reporter", "--unit", "ksf"]).success());
    let mut server = Command::new(env!("CARGO_BIN_EXE_styr"))
        .args(["serve", "--db", &db, "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let addr = loop {
        let line = lines.next().expect("serve prints its address").unwrap();
        if let Some(rest) = line.split("http://").nth(1) {
            break rest.trim_end_matches('/').to_owned();
        }
    };
    // The login form first: its CSRF token, in the form and in a cookie, goes with the post.
    let form = http(
        &addr,
        &format!("GET /logga-in HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    );
    let login_cookie = form
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no login cookie: {form}"))
        .to_owned();
    let token = form
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no csrf field: {form}"))
        .to_owned();
    let body = format!("csrf={token}&login=ksr&password={TEST_PASSWORD}");
    let answer = http(
        &addr,
        &format!(
            "POST /logga-in HTTP/1.1\r\nHost: {addr}\r\nCookie: {login_cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    let cookie = answer
        .lines()
        .find_map(|l| {
            l.strip_prefix("set-cookie: ")
                .or_else(|| l.strip_prefix("Set-Cookie: "))
        })
        .and_then(|c| c.split(';').next())
        .unwrap_or_else(|| panic!("no session: {answer}"))
        .to_owned();
    let page = http(
        &addr,
        &format!(
            "GET /rapportering?period=2021-08 HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    );
    server.kill().ok();
    server.wait().ok();
    let mut web = BTreeSet::new();
    for part in page.split("<input type=\"hidden\" name=\"k").skip(1) {
        let value = part
            .split("value=\"")
            .nth(1)
            .and_then(|v| v.split('"').next())
            .unwrap();
        web.insert(value.replace("&#x2f;", "/").replace("&#47;", "/"));
    }
    assert_eq!(web, cli, "the web page against the CLI");
}
