//! The generator's output, in both shapes: it reads back cleanly with styr-sie, vouchers
//! balance, the same seed gives the same bytes, accounts have 3–5 digits,
//! names are CP437 with å/ä/ö, CSV and journal carry the same rows, and the
//! streaming reader (one thread and several) agrees with the whole-file one on
//! it; the real shape (the default) has texts with quotes and Swedish letters, dates and texts
//! on some rows only, units and projects side by side or alone, and corrections
//! (#BTRANS/#RTRANS). Small N, so this runs in `cargo test`.

use std::path::{Path, PathBuf};
use std::process::Command;
use styr_sie::{Ignore, Severity, Sums, balances, read_outcome, read_path, read_path_parallel};

fn xtask() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
}

fn generate(
    dir: &Path,
    name: &str,
    n: u64,
    seed: u64,
    ksumma: bool,
) -> (PathBuf, PathBuf, PathBuf) {
    generate_shape(dir, name, n, seed, ksumma, "simple")
}

fn generate_shape(
    dir: &Path,
    name: &str,
    n: u64,
    seed: u64,
    ksumma: bool,
    shape: &str,
) -> (PathBuf, PathBuf, PathBuf) {
    let se = dir.join(format!("{name}.se"));
    let csv = dir.join(format!("{name}.csv"));
    let jnl = dir.join(format!("{name}.journal"));
    let mut cmd = xtask();
    cmd.args([
        "gen-ledger",
        "--transactions",
        &n.to_string(),
        "--seed",
        &seed.to_string(),
    ])
    .arg("--out")
    .arg(&se)
    .arg("--csv")
    .arg(&csv)
    .arg("--journal")
    .arg(&jnl)
    .args(["--shape", shape]);
    if ksumma {
        cmd.arg("--ksumma");
    }
    let status = cmd.status().unwrap();
    assert!(status.success());
    (se, csv, jnl)
}

#[test]
fn reads_back_cleanly_balanced_and_checksummed() {
    let dir = tempfile::tempdir().unwrap();
    let (se, csv, jnl) = generate(dir.path(), "a", 3_000, 7, true);
    let bytes = std::fs::read(&se).unwrap();
    let o = read_outcome(&bytes);
    // No errors (unbalanced vouchers would be errors) and no warnings either.
    let problems: Vec<_> = o
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(o.encoding, styr_sie::FileEncoding::Cp437);
    assert!(matches!(
        o.checksum,
        styr_sie::ChecksumStatus::Verified { .. }
    ));
    let f = &o.file;
    assert_eq!(f.counted_transactions(), 3_000);
    for v in &f.vouchers {
        assert_eq!(v.counted_sum(), 0, "voucher {} {}", v.series, v.number);
        assert!(v.rows.len() >= 2);
    }
    // Accounts: 3–5 digits, about 300, every class present.
    assert!(
        (250..=350).contains(&f.accounts.len()),
        "{}",
        f.accounts.len()
    );
    assert!(
        f.accounts
            .keys()
            .all(|a| (3..=5).contains(&a.as_str().len()))
    );
    for len in 3..=5 {
        assert!(f.accounts.keys().any(|a| a.as_str().len() == len), "{len}");
    }
    for class in ['1', '2', '3', '4', '5', '6', '7', '8'] {
        assert!(
            f.accounts.keys().any(|a| a.as_str().starts_with(class)),
            "{class}"
        );
    }
    assert!(f.accounts.keys().any(|a| a.as_str().starts_with("40")));
    // Units and projects: 40 in dimension 1, some in dimension 6, all used ones declared.
    assert_eq!(f.objects.keys().filter(|o| o.dimension == 1).count(), 40);
    assert!(f.objects.keys().any(|o| o.dimension == 6));
    assert!(
        f.vouchers
            .iter()
            .flat_map(|v| &v.rows)
            .any(|r| r.object_in(6).is_some())
    );
    // CP437: å ä ö are the bytes 0x86 0x84 0x94 and decode to the letters.
    for b in [0x86u8, 0x84, 0x94] {
        assert!(bytes.contains(&b), "{b:#x}");
    }
    assert!(f.accounts.values().any(|a| a.name.contains('å')));
    assert!(f.accounts.values().any(|a| a.name.contains('ö')));
    // Budgets: monthly, per account × unit, twelve months each.
    assert!(!f.period_budgets.is_empty());
    assert_eq!(f.period_budgets.len() % 12, 0);
    assert!(f.period_budgets.iter().all(|b| b.objects.len() == 1));
    // The streaming reader agrees with the whole-file one on the generated file.
    let mut sums = Sums::new();
    let streamed = read_path(&se, &mut sums).unwrap();
    assert_eq!(sums.rows(), balances(f));
    assert_eq!(streamed.file.period_budgets, f.period_budgets);
    assert_eq!(streamed.diagnostics, o.diagnostics);
    assert_eq!(streamed.counts, o.counts);
    let mut sums = Sums::new();
    let parallel = read_path_parallel(&se, 2, &mut sums).unwrap();
    assert_eq!(sums.rows(), balances(f));
    assert_eq!(parallel, streamed);
    assert_eq!(read_path_parallel(&se, 3, &mut Ignore).unwrap(), streamed);

    // CSV: one line per row, amounts summing to zero.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("date,series,number,account,unit,project,amount")
    );
    let mut n = 0;
    let mut sum: i64 = 0;
    for l in lines {
        let cols: Vec<&str> = l.split(',').collect();
        assert_eq!(cols.len(), 7, "{l}");
        let (kr, ore) = cols[6].trim_start_matches('-').split_once('.').unwrap();
        let v = kr.parse::<i64>().unwrap() * 100 + ore.parse::<i64>().unwrap();
        sum += if cols[6].starts_with('-') { -v } else { v };
        n += 1;
    }
    assert_eq!((n, sum), (3_000, 0));
    // Journal: the same number of postings outside the periodic budget.
    let journal = std::fs::read_to_string(&jnl).unwrap();
    let periodic = journal.matches("\n~ monthly").count() + usize::from(journal.starts_with("~"));
    assert_eq!(periodic, 12);
    let mut in_txn = false;
    let mut postings = 0;
    for l in journal.lines() {
        if l.starts_with("2021-") {
            in_txn = true;
        } else if l.starts_with('~') || l.is_empty() {
            in_txn = l.starts_with("    ") && in_txn;
        } else if in_txn && l.starts_with("    ") {
            postings += 1;
        }
    }
    assert_eq!(postings, 3_000);
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let (a, ..) = generate(dir.path(), "a", 500, 1, false);
    let (b, ..) = generate(dir.path(), "b", 500, 1, false);
    let (c, ..) = generate(dir.path(), "c", 500, 2, false);
    let (a, b, c) = (
        std::fs::read(a).unwrap(),
        std::fs::read(b).unwrap(),
        std::fs::read(c).unwrap(),
    );
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn exact_row_counts_for_awkward_n() {
    let dir = tempfile::tempdir().unwrap();
    for n in [2u64, 3, 5, 17] {
        let (se, ..) = generate(dir.path(), &format!("n{n}"), n, 3, false);
        let o = read_outcome(&std::fs::read(se).unwrap());
        assert_eq!(o.file.counted_transactions(), n as usize, "{n}");
        assert!(
            o.diagnostics.iter().all(|d| d.severity == Severity::Info),
            "{n}"
        );
    }
}

/// One CSV record split into fields (RFC 4180: quoted fields, `""` for a quote).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[test]
fn the_real_shape_reads_back_with_its_letters_quotes_objects_and_corrections() {
    let dir = tempfile::tempdir().unwrap();
    let n = 20_000;
    let (se, csv, jnl) = generate_shape(dir.path(), "real", n, 2021, true, "real");
    let bytes = std::fs::read(&se).unwrap();
    let o = read_outcome(&bytes);
    let problems: Vec<_> = o
        .diagnostics
        .iter()
        .filter(|d| d.severity != Severity::Info)
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    assert_eq!(o.encoding, styr_sie::FileEncoding::Cp437);
    assert!(matches!(
        o.checksum,
        styr_sie::ChecksumStatus::Verified { .. }
    ));
    let f = &o.file;
    assert_eq!(f.counted_transactions(), n as usize);
    for v in &f.vouchers {
        assert_eq!(v.counted_sum(), 0, "voucher {} {}", v.series, v.number);
    }
    // Shaped like the exports: ~300 accounts over classes 1–8, 40 units, hundreds of projects.
    assert!((250..=350).contains(&f.accounts.len()));
    assert_eq!(f.objects.keys().filter(|o| o.dimension == 1).count(), 40);
    assert!(f.objects.keys().filter(|o| o.dimension == 6).count() >= 300);
    assert_eq!(f.dimensions.len(), 2);
    assert!(!f.period_budgets.is_empty());
    // Rows indented with a tab, as Avendo and Hogia write them.
    assert!(bytes.windows(9).any(|w| w == b"\r\n\t#TRANS"));
    // CP437 letters, decoded: Ö is 0x99, Å 0x8F, é 0x82.
    for b in [0x86u8, 0x84, 0x94, 0x99, 0x8F, 0x82] {
        assert!(bytes.contains(&b), "{b:#x}");
    }
    let rows: Vec<_> = f.vouchers.iter().flat_map(|v| &v.rows).collect();
    assert!(f.vouchers.iter().any(|v| v.text.contains("Åhléns AB")));
    assert!(rows.iter().any(|r| r.text == "Bröderna Öberg Bygg AB"));
    // Escaped quotes are kept: `\"` in the file, `"` in the text.
    assert!(bytes.windows(2).any(|w| w == b"\\\""));
    assert!(rows.iter().any(|r| r.text == "Föreningen \"Gläntan\""));
    assert!(f.vouchers.iter().any(|v| {
        v.text
            .starts_with("Städbolaget \"Rent & Fint\" AB, faktura")
    }));
    // A date and a text on some rows only; some dates differ from the voucher's.
    let with_text = rows.iter().filter(|r| !r.text.is_empty()).count();
    assert!(
        with_text > rows.len() / 10 && with_text < rows.len() / 2,
        "{with_text}"
    );
    assert!(
        f.vouchers
            .iter()
            .any(|v| v.rows.iter().any(|r| r.date.is_some_and(|d| d != v.date)))
    );
    assert!(rows.iter().any(|r| r.date.is_none()));
    // Objects: unit and project together, each alone, and none.
    let dims = |r: &&&styr_sie::TransRow| (r.object_in(1).is_some(), r.object_in(6).is_some());
    for want in [(true, true), (true, false), (false, true), (false, false)] {
        assert!(rows.iter().any(|r| dims(&r) == want), "{want:?}");
    }
    // Corrections: struck rows and added rows with their duplicates.
    use styr_sie::RowKind;
    assert!(f.rows_of_kind(RowKind::Struck) > 0);
    assert_eq!(
        f.rows_of_kind(RowKind::Added),
        f.rows_of_kind(RowKind::AddedDuplicate)
    );
    assert!(f.rows_of_kind(RowKind::Added) > 0);
    // Streaming, in one part and several, agrees with the whole-file reader.
    let mut sums = Sums::new();
    let streamed = read_path(&se, &mut sums).unwrap();
    assert_eq!(sums.rows(), balances(f));
    assert_eq!(streamed.diagnostics, o.diagnostics);
    let mut sums = Sums::new();
    let parallel = read_path_parallel(&se, 2, &mut sums).unwrap();
    assert_eq!(sums.rows(), balances(f));
    assert_eq!(parallel, streamed);

    // The CSV holds the same counted rows in the same order: the row's date or else the
    // voucher's, objects, amount, and the row's text or else the voucher's.
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("date,series,number,account,unit,project,amount,text")
    );
    let csv_rows: Vec<Vec<String>> = lines.map(csv_fields).collect();
    let counted: Vec<(&styr_sie::Voucher, &styr_sie::TransRow)> = f
        .vouchers
        .iter()
        .flat_map(|v| v.counted_rows().map(move |r| (v, r)))
        .collect();
    assert_eq!(csv_rows.len(), counted.len());
    for (cols, (v, r)) in csv_rows.iter().zip(&counted) {
        let date = r.date.unwrap_or(v.date);
        let want = [
            format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day()),
            v.series.clone(),
            v.number.clone(),
            r.account.as_str().to_owned(),
            r.object_in(1).unwrap_or("").to_owned(),
            r.object_in(6).unwrap_or("").to_owned(),
            r.amount.to_string(),
            if r.text.is_empty() {
                v.text.clone()
            } else {
                r.text.clone()
            },
        ];
        assert_eq!(cols, &want);
    }
    // The journal has the same counted rows.
    let journal = std::fs::read_to_string(&jnl).unwrap();
    let postings = journal
        .split("\n\n")
        .filter(|t| t.starts_with("2021-"))
        .map(|t| t.lines().count() - 1)
        .sum::<usize>();
    assert_eq!(postings, n as usize);
}

#[test]
fn the_real_shape_is_deterministic_and_exact_for_awkward_n() {
    let dir = tempfile::tempdir().unwrap();
    let (a, ..) = generate_shape(dir.path(), "a", 700, 1, false, "real");
    let (b, ..) = generate_shape(dir.path(), "b", 700, 1, false, "real");
    let (c, ..) = generate_shape(dir.path(), "c", 700, 2, false, "real");
    let (a, b, c) = (
        std::fs::read(a).unwrap(),
        std::fs::read(b).unwrap(),
        std::fs::read(c).unwrap(),
    );
    assert_eq!(a, b);
    assert_ne!(a, c);
    for n in [2u64, 3, 5, 17] {
        let (se, ..) = generate_shape(dir.path(), &format!("n{n}"), n, 3, false, "real");
        let o = read_outcome(&std::fs::read(se).unwrap());
        assert_eq!(o.file.counted_transactions(), n as usize, "{n}");
        assert!(
            o.diagnostics.iter().all(|d| d.severity == Severity::Info),
            "{n}: {:?}",
            o.diagnostics
        );
    }
}
