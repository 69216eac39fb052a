//! The streaming fast path equals the reader: `fast::movements` gives the same
//! rows as `balances(&read(x).0)` (and the same #PBUDGET rows as
//! `period_budgets`) on every shared sample, on hand-written edge cases, when
//! streamed in small chunks, when split across threads, and on generated
//! ledgers full of broken lines.

use crate::common::*;
use proptest::prelude::*;
use std::io::Write;
use styr_sie::fast::{self, ScanOptions};
use styr_sie::*;

const OPTS: ScanOptions = ScanOptions {
    collect_budgets: true,
};

/// Assert that every fast path agrees with the reader on `bytes`.
fn assert_same(bytes: &[u8]) {
    let (file, _) = read(bytes);
    let expected = balances(&file);
    let outcome = fast::movements(bytes, OPTS);
    assert_eq!(outcome.rows(), expected, "in memory");
    assert_eq!(outcome.budgets(), file.period_budgets, "budgets");
    // Streamed through a reader that hands out tiny pieces.
    let streamed = fast::movements_from_reader(Trickle(bytes, 0), OPTS).unwrap();
    assert_eq!(streamed.rows(), expected, "streamed");
    assert_eq!(streamed.budgets(), file.period_budgets, "streamed budgets");
}

/// A reader that returns at most 7 bytes per call.
struct Trickle<'a>(&'a [u8], usize);

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let rest = self.0.get(self.1..).unwrap_or_default();
        let n = rest.len().min(buf.len()).min(7);
        buf[..n].copy_from_slice(&rest[..n]);
        self.1 += n;
        Ok(n)
    }
}

#[test]
fn every_shared_sample_equals_the_reader() {
    for name in SAMPLES {
        let bytes = sample(name);
        assert_same(&bytes);
        let rows = fast::movements(&bytes, OPTS).rows();
        assert_eq!(rows, balances(&read(&bytes).0), "{name}");
    }
}

#[test]
fn samples_have_movements() {
    // Guard against a vacuous comparison: the voucher samples do have rows.
    let n: usize = SAMPLES
        .iter()
        .map(|n| fast::movements(&sample(n), OPTS).rows().len())
        .sum();
    let expected: usize = SAMPLES
        .iter()
        .map(|n| balances(&read(&sample(n)).0).len())
        .sum();
    assert_eq!(n, expected);
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
        "#VER A 1 20240101\n{\n#TRANS 3010 {1 \"a\\\"b\"} 1\n#TRANS 3010 {2 a 3 b 4 c 5 d 6 e 7 f 8 g 9 h 10 i 1 j} 2\n}\n",
        // Invalid amounts and dates on rows; 00000000 means no date.
        "#VER A 1 20240101\n{\n#TRANS 3010 {} 1,5\n#TRANS 3010 {} +1\n#TRANS 3010 {} 1.234\n#TRANS 3010 {} 3 20241341\n#TRANS 3010 {} 4 00000000\n}\n",
        // Truncated file inside a block; budgets of different shapes.
        "#PBUDGET 0 202401 3010 {1 \"A\"} -100 5\n#PBUDGET 0 202413 3010 {} 1\n#PBUDGET -1 202401 3010 {} 7.5\n#PBUDGET 0 202401 3010 -8\n#VER A 1 20240101\n{\n#TRANS 3010 {} 1\n",
        // Sums beyond i64 (clamped by `balances`), in one key.
        "#VER A 1 20240101\n{\n#TRANS 3010 {} 90000000000000000\n#TRANS 3010 {} 90000000000000000\n#TRANS 3010 {} -1\n#TRANS 1930 {} -90000000000000000\n}\n",
        // A voucher series literally named '#'.
        "#VER # 1 20240101\n{\n#TRANS 3010 {} 1\n#TRANS 1930 {} -1\n}\n",
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
    // (The second pair differs in CP437, ö vs Ö, but not once both are
    // replaced by U+FFFD under UTF-8: the row counts because the file is CP437.)
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
}

#[test]
fn threads_split_at_vouchers_and_agree() {
    // A file large enough to be split (> 8 MiB), with a struck row, an
    // RTRANS pair and CP437 object ids.
    let mut body = String::from(HEADER);
    let mut n = 0u32;
    while body.len() < (9 << 20) {
        n += 1;
        let unit = ["Å1", "B2", "Ö3"][(n % 3) as usize];
        let month = n % 12 + 1;
        body.push_str(&format!(
            "#VER A {n} 2024{month:02}01 \"text\"\n{{\n#TRANS 3010 {{1 \"{unit}\"}} -{n}.50\n#BTRANS 3010 {{}} 1\n#RTRANS 1930 {{}} {n}\n#TRANS 1930 {{}} {n}\n#TRANS 1930 {{}} 0.50\n}}\n"
        ));
    }
    let bytes = cp437(&body);
    let mut tmp = tempfile_path("threads.se");
    std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(&bytes))
        .unwrap();
    let one = fast::movements(&bytes, OPTS);
    let expected = balances(&read(&bytes).0);
    assert_eq!(one.rows(), expected);
    for threads in [1, 2, 3] {
        let many = fast::movements_from_path(&tmp, threads, OPTS).unwrap();
        assert_eq!(many.rows(), expected, "{threads} threads");
        assert_eq!(many.movements.counted_rows(), one.movements.counted_rows());
        let in_memory = fast::movements_parallel(&bytes, threads, OPTS);
        assert_eq!(in_memory.rows(), expected, "{threads} threads in memory");
    }
    std::fs::remove_file(&tmp).unwrap();
    tmp.pop();
}

fn tempfile_path(name: &str) -> std::path::PathBuf {
    let mut p = std::env::temp_dir();
    p.push(format!("styr-sie-fast-{}-{name}", std::process::id()));
    p
}

/// One line of a small ledger: mostly good rows, some broken ones.
fn line() -> impl Strategy<Value = Vec<u8>> {
    let account = prop::sample::select(vec!["3010", "30106", "801", "1930", "x1", "", "\"4010\""]);
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
        "#FOO x",
        "#KONTO 3010 x",
        "#SIETYP 2",
        "#SIETYP 4",
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
    ) {
        let mut bytes = cp437(HEADER);
        for l in &lines {
            bytes.extend_from_slice(l);
            bytes.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        }
        let (file, _) = read(&bytes);
        let outcome = fast::movements(&bytes, OPTS);
        prop_assert_eq!(outcome.rows(), balances(&file));
        prop_assert_eq!(outcome.budgets(), file.period_budgets);
    }
}
