//! `styr actuals list` a page at a time: the first page by default, the next with `--after` and
//! the cursor the page printed, every page with `--all`; a bad cursor is refused by name.

use crate::{example_dir, stderr, stdout, styr};

fn imported(dir: &std::path::Path) -> String {
    let db = dir.join("styr.db").to_str().unwrap().to_owned();
    let example = example_dir();
    let output = styr(&["import", example.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let ledger = example.join("ledger/ks-2021.se");
    let output = styr(&["actuals", "import", ledger.to_str().unwrap(), "--db", &db]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    db
}

fn list(db: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "actuals",
        "list",
        "--line",
        "op.ksf.ksf",
        "--period",
        "2021-10",
        "--db",
        db,
    ];
    args.extend_from_slice(extra);
    styr(&args)
}

#[test]
fn pages_of_vouchers_follow_their_cursor_to_the_end() {
    let temp = tempfile::tempdir().unwrap();
    let db = imported(temp.path());
    let all = list(&db, &["--all", "--format", "csv", "--limit", "9"]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    let all_rows: Vec<String> = stdout(&all).lines().map(str::to_owned).collect();
    assert_eq!(
        all_rows[0],
        "datum,serie,verifikation,konto,ansvar,projekt,belopp,verifikationstext,text"
    );
    assert!(all_rows.len() > 30, "{}", all_rows.len());
    assert!(!stderr(&all).contains("--after"), "--all prints every page");

    // Page by page, ten rows at a time, each from the cursor the page before printed.
    let mut walked: Vec<String> = Vec::new();
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut extra = vec!["--format", "csv", "--limit", "10"];
        if let Some(token) = &after {
            extra.extend(["--after", token.as_str()]);
        }
        let page = list(&db, &extra);
        assert_eq!(page.status.code(), Some(0), "{}", stderr(&page));
        let text = stdout(&page);
        let rows: Vec<&str> = text.lines().collect();
        assert_eq!(rows[0], all_rows[0], "every page has the header");
        assert!(rows.len() <= 11);
        walked.extend(rows[1..].iter().map(|r| (*r).to_owned()));
        pages += 1;
        after = stderr(&page)
            .lines()
            .find_map(|line| line.strip_prefix("Nästa sida: --after "))
            .map(str::to_owned);
        if after.is_none() {
            break;
        }
    }
    assert_eq!(
        walked,
        all_rows[1..],
        "the pages hold every row once, in order"
    );
    assert_eq!(pages, (all_rows.len() - 1).div_ceil(10));

    // Text: the figure's rows and total, a page of 100, and where the next begins.
    let text = list(&db, &[]);
    let out = stdout(&text);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("op.ksf.ksf Kommunstyrelseförvaltningen, 2021-01 till 2021-10: "),
        "{}",
        lines[0]
    );
    let total = all_rows.len() - 1;
    if total > 100 {
        assert_eq!(lines.len(), 102, "{out}");
        assert!(lines[101].starts_with("Nästa sida: --after "), "{out}");
    }

    // JSON: the figure, the page and the next cursor.
    let json = list(&db, &["--format", "json", "--limit", "5"]);
    let value: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    assert_eq!(value["rader"].as_array().unwrap().len(), 5);
    assert_eq!(value["rader_totalt"].as_u64(), Some(total as u64));
    let next = value["nästa"].as_str().unwrap();
    let second = list(&db, &["--format", "json", "--limit", "5", "--after", next]);
    let second: serde_json::Value = serde_json::from_str(&stdout(&second)).unwrap();
    assert_ne!(second["rader"][0], value["rader"][0]);
    let all_json = list(&db, &["--format", "json", "--all"]);
    let all_json: serde_json::Value = serde_json::from_str(&stdout(&all_json)).unwrap();
    assert_eq!(all_json["rader"].as_array().unwrap().len(), total);
    assert!(all_json["nästa"].is_null());

    // A bad cursor and a bad limit are refused, naming the flag.
    let bad = list(&db, &["--after", "inte-en-markör"]);
    assert_ne!(bad.status.code(), Some(0));
    assert!(stderr(&bad).contains("--after"), "{}", stderr(&bad));
    assert!(stderr(&bad).contains("markör"), "{}", stderr(&bad));
    assert!(stdout(&bad).is_empty());
    let bad = list(&db, &["--limit", "0"]);
    assert_ne!(bad.status.code(), Some(0));
    assert!(stderr(&bad).contains("limit"), "{}", stderr(&bad));
}
