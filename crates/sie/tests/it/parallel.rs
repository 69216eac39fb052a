//! The streaming reader equals the whole-file one: [`Sums`] over the streamed vouchers gives
//! the rows of `balances(&read(x).0)`, and the outcome (content, diagnostics with kind, line,
//! record and field, encoding, checksum, counts) is the same, on every shared sample, on
//! hand-written edge cases, read from a file through a small buffer, split into parts read
//! on several threads (at `#VER` lines anywhere in the file), and on generated ledgers full of
//! broken lines.

use crate::common::*;
use proptest::prelude::*;
use std::io::Write;
use styr_sie::reader::read_bytes_in_parts;
use styr_sie::*;

/// The outcome of `read_outcome` without its vouchers, as the streaming paths give it.
fn expected(bytes: &[u8]) -> (ReadOutcome, Vec<BalanceRow>) {
    let mut full = read_outcome(bytes);
    let rows = balances(&full.file);
    full.file.vouchers.clear();
    (full, rows)
}

/// Every streaming path agrees with the reader on `bytes`.
fn assert_same(bytes: &[u8]) {
    let (full, rows) = expected(bytes);
    let mut sums = Sums::new();
    assert_eq!(read_bytes(bytes, &mut sums), full, "read_bytes");
    assert_eq!(sums.rows(), rows, "sums");
    // In parts, split at the #VER lines nearest to many places.
    for parts in [2usize, 3, 7] {
        let targets: Vec<usize> = (1..parts).map(|k| bytes.len() * k / parts).collect();
        let mut sums = Sums::new();
        let o = read_bytes_in_parts(bytes, &targets, &mut sums);
        assert_eq!(o, full, "{parts} parts");
        assert_eq!(sums.rows(), rows, "{parts} parts: sums");
    }
}

#[test]
fn every_shared_sample_equals_the_reader() {
    for name in SAMPLES {
        let bytes = sample(name);
        assert_same(&bytes);
        let mut sums = Sums::new();
        let o = read_path(std::path::Path::new(&sample_path(name)), &mut sums).unwrap();
        assert_eq!(sums.rows(), balances(&read(&bytes).0), "{name}");
        assert_eq!(o, expected(&bytes).0, "{name}");
    }
}

#[test]
fn samples_have_movements() {
    // Guard against a vacuous comparison: the voucher samples do have rows.
    let n: usize = SAMPLES
        .iter()
        .map(|n| {
            let mut sums = Sums::new();
            read_bytes(&sample(n), &mut sums);
            sums.rows().len()
        })
        .sum();
    assert!(n > 100, "{n}");
}

#[test]
fn edge_cases_equal_the_reader() {
    let bodies = [
        // RTRANS with its duplicate; BTRANS struck; dates on rows.
        "#VER A 1 20240131\n{\n#BTRANS 30106 {1 \"40100\"} -999\n#RTRANS 30106 {1 \"40100\"} -100\n#TRANS 30106 {1 \"40100\"} -100 20240301\n#TRANS 1930 {} 100\n}\n",
        // RTRANS without a duplicate, and one followed by a struck row.
        "#VER A 1 20240131\n{\n#RTRANS 3010 {} -5\n#TRANS 3010 {} -6\n#RTRANS 3010 {} -5\n#BTRANS 3010 {} -5\n#TRANS 3010 {} -5\n}\n",
        // A dropped row between RTRANS and its duplicate keeps it pending.
        "#VER A 1 20240131\n{\n#RTRANS 3010 {} -5\n#TRANS x {} -5\n#TRANS 3010 {} -5\n}\n",
        // Invalid voucher date: rows discarded. Missing '{': rows misplaced.
        "#VER A 1 20241341\n{\n#TRANS 3010 {} 5\n}\n#VER A 2 20240101\n#TRANS 3010 {} 7\n",
        // A known record inside a block closes it; an unknown one does not.
        "#VER A 1 20240101\n{\n#TRANS 3010 {} 1\n#FOO bar\n#TRANS 3010 {} 2\n#KONTO 4000 \"x\"\n#TRANS 3010 {} 4\n}\n",
        // #KSUMMA inside a block changes nothing; lower-case labels count.
        "#VER A 1 20240101\n{\n#KSUMMA\n#trans 3010 {} 1\n#Rtrans 3010 {} 2\n#TRANS 3010 {} 2\n}\n",
        // Nested '{' and a second '{': the block is skipped.
        "#VER A 1 20240101\n{\n#TRANS 3010 {} 1\n{\n#TRANS 3010 {} 2\n}\n#TRANS 3010 {} 4\n",
        // Object list quirks: odd members, duplicate dimension, empty id, touching.
        "#VER A 1 20240101\n{\n#TRANS 3010 {1} 1\n#TRANS 3010 {1 A 1 B} 2\n#TRANS 3010 {1 \"\" 6 P} 4\n#TRANS 3010{1 C}8\n#TRANS 3010 {x A} 16\n#TRANS 3010 {01 D} 32\n}\n",
        // No object list at all, quoted fields, CRLF, tabs, control characters.
        "#VER \"A\" \"1\" \"20240101\"\r\n{\r\n\t#TRANS\t\"3010\"\t\"5.5\"\t\"20240202\"\r\n#TRANS 3010 {} 1\x01 2\r\n#TRANS 3010 {} 7 2024\x000303\r\n}\r\n",
        // Escaped quotes in an object id; long object lists.
        "#VER A 1 20240101\n{\n#TRANS 3010 {1 \"a\\\"b\"} 1\n#TRANS 3010 {2 a 3 b 4 c 5 d 6 e 7 f 8 g 9 h 10 i 1 j 99 k 99 l} 2\n}\n",
        // Invalid amounts and dates on rows; 00000000 means no date.
        "#VER A 1 20240101\n{\n#TRANS 3010 {} 1,5\n#TRANS 3010 {} +1\n#TRANS 3010 {} 1.234\n#TRANS 3010 {} 3 20241341\n#TRANS 3010 {} 4 00000000\n}\n",
        // Truncated file inside a block; budgets of different shapes.
        "#PBUDGET 0 202401 3010 {1 \"A\"} -100 5\n#PBUDGET 0 202413 3010 {} 1\n#PBUDGET -1 202401 3010 {} 7.5\n#PBUDGET 0 202401 3010 -8\n#VER A 1 20240101\n{\n#TRANS 3010 {} 1\n",
        // Sums beyond i64 (clamped by `balances`), in one key.
        "#VER A 1 20240101\n{\n#TRANS 3010 {} 90000000000000000\n#TRANS 3010 {} 90000000000000000\n#TRANS 3010 {} -1\n#TRANS 1930 {} -90000000000000000\n}\n",
        // A voucher series literally named '#'.
        "#VER # 1 20240101\n{\n#TRANS 3010 {} 1\n#TRANS 1930 {} -1\n}\n",
        // Records about the content after the vouchers, some of them duplicates; unusual
        // accounts used before and after their #KONTO.
        "#VER A 1 20240101\n{\n#TRANS 12 {} 1\n#TRANS 1930 {} -1\n}\n#KONTO 12 \"kort\"\n#KONTO 1930 \"igen\"\n#VER A 2 20240101\n{\n#TRANS 12 {} 1\n#TRANS 123456 {} -1\n}\n#KTYP 12 T\n#SIETYP 2\n#PBUDGET 0 202401 12 {1 A} 5\n#VER A 3 20240101\n{\n#TRANS 123456 {} 1\n#TRANS 12 {} -1\n}\n",
        // #KSUMMA opened, closed in the middle, records after it.
        "#KSUMMA\n#VER A 1 20240101\n{\n#TRANS 3010 {} 1\n#TRANS 1930 {} -1\n}\n#KSUMMA 123\n#VER A 2 20240101\n{\n#TRANS 3010 {} 1\n#TRANS 1930 {} -1\n}\n#KSUMMA\n",
    ];
    for body in bodies {
        assert_same(&cp437(&format!("{HEADER}{body}")));
    }
}

#[test]
fn encodings_follow_the_reader() {
    // Latin-1 Å vs CP437 Å in an RTRANS pair: equal once decoded in CP437.
    let body = b"#VER A 1 20240101\n{\n#RTRANS 3010 {1 \"\xC51\"} 5\n#TRANS 3010 {1 \"\x8F1\"} 5\n#TRANS 3010 {1 \"\x941\"} 1\n}\n\
#VER A 2 20240101\n{\n#RTRANS 3010 {1 \"\x94\"} 5\n#TRANS 3010 {1 \"\x99\"} 5\n}\n";
    let mut bytes = cp437(HEADER);
    bytes.extend_from_slice(body);
    assert_same(&bytes);
    // UTF-8 file (valid, non-ASCII), with and without a BOM.
    let utf8 = format!("{HEADER}#VER A 1 20240101\n{{\n#TRANS 3010 {{1 \"Å1\"}} 5\n}}\n");
    assert_same(utf8.as_bytes());
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(utf8.as_bytes());
    assert_same(&bom);
    // UTF-16 LE with a BOM.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in utf8.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    assert_same(&utf16);
    // Each of them from a file too.
    for (i, b) in [bytes, utf8.into_bytes(), bom, utf16].iter().enumerate() {
        let path = temp_file(&format!("enc{i}.se"), b);
        let mut sums = Sums::new();
        let o = read_path(&path, &mut sums).unwrap();
        let (full, rows) = expected(b);
        assert_eq!(o, full, "file {i}");
        assert_eq!(sums.rows(), rows, "file {i}");
        std::fs::remove_file(&path).unwrap();
    }
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let mut p = std::env::temp_dir();
    p.push(format!("styr-sie-stream-{}-{name}", std::process::id()));
    std::fs::File::create(&p)
        .and_then(|mut f| f.write_all(bytes))
        .unwrap();
    p
}

/// A file large enough to be read in parts (> 8 MiB) by `read_path_parallel`.
fn big_file(ksumma: bool, latin1_late: bool) -> Vec<u8> {
    let mut body = String::from(HEADER);
    if ksumma {
        body = body.replacen("#FLAGGA 0\n", "#FLAGGA 0\n#KSUMMA\n", 1);
    }
    body.push_str("#DIM 1 \"Ansvar\"\n#OBJEKT 1 \"Å1\" \"a\"\n#OBJEKT 1 \"B2\" \"b\"\n");
    let mut n = 0u32;
    while body.len() < (9 << 20) {
        n += 1;
        let unit = ["Å1", "B2", "Ö3"][(n % 3) as usize];
        let month = n % 12 + 1;
        body.push_str(&format!(
            "#VER A {n} 2024{month:02}01 \"text åäö\"\n{{\n#TRANS 3010 {{1 \"{unit}\"}} -{n}.50\n#BTRANS 3010 {{}} 1\n#RTRANS 1930 {{}} {n}\n#TRANS 1930 {{}} {n}\n#TRANS 1930 {{}} 0.50\n}}\n"
        ));
        if n.is_multiple_of(50_000) {
            // Problems in the middle: a bad row, an unknown record, an unusual account.
            body.push_str(&format!(
                "#VER B {n} 20240101\n{{\n#TRANS 3010 {{}} 1,5\n#TRANS 12 {{}} 0\n}}\n#FOO\n#KONTO 3010 \"igen\"\n"
            ));
        }
    }
    if ksumma {
        body.push_str("#KSUMMA 1\n");
    }
    let mut bytes = cp437(&body);
    if latin1_late {
        bytes.extend_from_slice(
            b"#VER C 1 20240101\n{\n#TRANS 3010 {1 \"\xC51\"} 5\n#TRANS 3010 {1 \"\xC51\"} -5\n}\n",
        );
    }
    bytes
}

#[test]
fn files_read_on_threads_equal_one_pass() {
    for (ksumma, latin1) in [(false, false), (true, true)] {
        let bytes = big_file(ksumma, latin1);
        let path = temp_file("threads.se", &bytes);
        let (full, rows) = expected(&bytes);
        assert!(full.counts.vouchers > 50_000);
        for threads in [1, 2, 3] {
            let mut sums = Sums::new();
            let o = read_path_parallel(&path, threads, &mut sums).unwrap();
            assert_eq!(o, full, "{threads} threads");
            assert_eq!(sums.rows(), rows, "{threads} threads: sums");
        }
        let mut sums = Sums::new();
        assert_eq!(read_path(&path, &mut sums).unwrap(), full);
        assert_eq!(sums.rows(), rows);
        std::fs::remove_file(&path).unwrap();
    }
}

/// One line of a small ledger: mostly good rows, some broken ones.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let account = prop::sample::select(vec![
        "3010", "30106", "801", "1930", "12", "x1", "", "\"4010\"",
    ]);
    let object: Vec<&'static [u8]> = vec![
        b"{}",
        b"{1 A}",
        b"{1 \"B 2\" 6 P}",
        b"{6 P 1 A}",
        b"{1}",
        b"{1 A 1 B}",
        b"{1 \"\xC5\"}",
        b"{1 \"\x8F\"}",
        b"{1 \"a\\\"b\"}",
        b"{ 1 \"\" }",
        b"",
    ];
    let object = prop::sample::select(object);
    let amount = prop::sample::select(vec!["100", "-100", "0.5", "-12.25", "1,5", "7.125", ""]);
    let date = prop::sample::select(vec![
        "", "20240115", "20240229", "20241341", "00000000", "\"\"",
    ]);
    let label = prop::sample::select(vec![
        "#TRANS", "#TRANS", "#TRANS", "#RTRANS", "#BTRANS", "#trans",
    ]);
    let row = (label, account, object, amount, date).prop_map(|(l, a, o, m, d)| {
        let mut v = format!("{l} {a} ").into_bytes();
        v.extend_from_slice(o);
        v.extend_from_slice(format!(" {m} {d}").as_bytes());
        v
    });
    let ver = prop::sample::select(vec![
        "#VER A 1 20240105",
        "#VER B 2 20240301 \"text\"",
        "#VER A 3 20241341",
        "#VER \"\" \"\" 20240601",
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    let other = prop::sample::select(vec![
        "{",
        "}",
        "",
        "  ",
        "#KSUMMA",
        "#KSUMMA 17",
        "#FOO x",
        "#KONTO 3010 x",
        "#KONTO 12 x",
        "#SIETYP 2",
        "#SIETYP 4",
        "#OBJEKT 1 A x",
        "#PBUDGET 0 202401 3010 {1 A} 100",
        "#PBUDGET 0 202401 3010 {} -5 2",
        "#TRANS 3010 {} 1\x01",
        "\x02#TRANS 3010 {} 1",
        "{ x",
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    prop_oneof![5 => row, 2 => ver, 2 => other]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn generated_ledgers_equal_the_reader(
        lines in prop::collection::vec(line(), 0..60),
        crlf in any::<bool>(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let mut bytes = cp437(HEADER);
        for l in &lines {
            bytes.extend_from_slice(l);
            bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
        let (full, rows) = expected(&bytes);
        let mut sums = Sums::new();
        prop_assert_eq!(&read_bytes(&bytes, &mut sums), &full);
        prop_assert_eq!(sums.rows(), rows.clone());
        let mut targets: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len().max(1))).collect();
        targets.sort_unstable();
        let mut sums = Sums::new();
        prop_assert_eq!(&read_bytes_in_parts(&bytes, &targets, &mut sums), &full);
        prop_assert_eq!(sums.rows(), rows);
    }
}
