//! Budget vs actual computed three ways agrees: straight from the SIE file
//! (streamed and memory-mapped, one and two threads), and from the SQLite
//! database written by `store`; and its totals equal those of the reader's
//! `balances` and `period_budgets`. Small N, so this runs in `cargo test`.

use std::path::Path;
use std::process::Command;

fn xtask(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn ore(s: &str) -> i64 {
    let (kr, o) = s.trim_start_matches('-').split_once('.').unwrap();
    let v = kr.parse::<i64>().unwrap() * 100 + o.parse::<i64>().unwrap();
    if s.starts_with('-') { -v } else { v }
}

#[test]
fn from_sie_and_from_the_database_agree_with_the_reader() {
    let dir = tempfile::tempdir().unwrap();
    let se = dir.path().join("l.se");
    let db = dir.path().join("l.sqlite");
    let p = |x: &Path| x.to_str().unwrap().to_owned();
    xtask(&["gen-ledger", "--transactions", "4000", "--out", &p(&se)]);
    let streamed = xtask(&["bva", &p(&se), "--period", "2021-10", "--threads", "1"]);
    let mapped = xtask(&[
        "bva",
        &p(&se),
        "--period",
        "2021-10",
        "--threads",
        "2",
        "--mmap",
    ]);
    assert_eq!(streamed, mapped);
    xtask(&["store", &p(&se), "--db", &p(&db)]);
    let from_db = xtask(&["db-report", "--db", &p(&db), "--period", "2021-10"]);
    assert_eq!(streamed, from_db);

    // Totals against the full reader.
    let (file, _) = styr_sie::read(&std::fs::read(&se).unwrap());
    let result = |a: &str| matches!(a.as_bytes()[0], b'3'..=b'8');
    let actual: i64 = styr_sie::balances(&file)
        .iter()
        .filter(|r| result(r.account.as_str()) && r.month.month() <= 10)
        .map(|r| r.amount.ore())
        .sum();
    let budget: i64 = file
        .period_budgets
        .iter()
        .filter(|b| result(b.account.as_str()) && b.period.month() <= 10)
        .map(|b| b.amount.ore())
        .sum();
    let mut lines = streamed.lines();
    assert_eq!(
        lines.next(),
        Some("account,unit,annual_budget,budget_to_date,actual_to_date,deviation")
    );
    let (mut sum_budget, mut sum_actual, mut n) = (0, 0, 0);
    for l in lines {
        let c: Vec<&str> = l.split(',').collect();
        assert_eq!(ore(c[5]), ore(c[3]) - ore(c[4]), "{l}");
        sum_budget += ore(c[3]);
        sum_actual += ore(c[4]);
        n += 1;
    }
    assert_eq!((sum_budget, sum_actual), (budget, actual));
    assert!(n > 100, "{n}");
}
