//! The reader's fast path for plain `#TRANS` rows (`src/fastrow.rs`, `Reader::fast_row`) reads
//! every file exactly as the general path does: the same content, vouchers, rows and texts,
//! the same diagnostics on the same lines, the same counts and #KSUMMA verdict. Checked on the
//! real samples, on a CP437 file with quoted and escaped texts, and on generated files of
//! ordinary and broken rows.

use crate::common::{HEADER, SAMPLES, cp437, sample};
use proptest::prelude::*;
use styr_sie::{ChecksumStatus, read_outcome, read_outcome_general};

fn same_both_ways(bytes: &[u8]) -> styr_sie::ReadOutcome {
    let fast = read_outcome(bytes);
    let general = read_outcome_general(bytes);
    assert_eq!(fast, general, "{}", String::from_utf8_lossy(bytes));
    fast
}

#[test]
fn every_sample_reads_the_same_both_ways() {
    for name in SAMPLES {
        same_both_ways(&sample(name));
    }
}

#[test]
fn cp437_texts_with_quotes_read_the_same_both_ways() {
    let body = "#DIM 1 \"Ansvar\"\n#DIM 6 \"Projekt\"\n#OBJEKT 1 \"41020\" \"Åby förskola\"\n\
                #OBJEKT 6 \"21007\" \"Ny förskola\"\n\
                #VER A 1 20210301 \"Föreningen \\\"Gläntan\\\", faktura 7\" 20210303\n{\n\
                \t#TRANS 3010 {1 \"41020\" 6 \"21007\"} -100.00 20210302 \"Föreningen \\\"Gläntan\\\" - Åhléns ÖÄÅ é\"\n\
                \t#TRANS 1930 {} 60.00\n\
                \t#TRANS 1930 {6 21007} 40.00 20210301 \"C:\\temp\\x\"\n}\n";
    let o = same_both_ways(&cp437(&format!("{HEADER}{body}")));
    assert!(o.diagnostics.is_empty(), "{:#?}", o.diagnostics);
    let v = &o.file.vouchers[0];
    assert_eq!(v.text, "Föreningen \"Gläntan\", faktura 7");
    assert_eq!(v.rows[0].text, "Föreningen \"Gläntan\" - Åhléns ÖÄÅ é");
    assert_eq!(v.rows[0].object_in(6), Some("21007"));
    assert_eq!(v.rows[1].text, "");
    assert_eq!(v.rows[1].date, None);
    assert_eq!(v.rows[2].text, "C:\\temp\\x");
    assert_eq!(v.rows[2].object_in(1), None);
}

#[test]
fn a_checksummed_file_checks_the_same_both_ways() {
    let body = "#VER A 1 20210301\n{\n\t#TRANS 1930 {1 \"Nord\"} 1.00 20210301 \"Kaffe \\\"Zoégas\\\"\"\n\
                \t#TRANS 3010 {} -1.00\n}\n";
    let mut text = format!("#FLAGGA 0\n#KSUMMA\n{}", &HEADER["#FLAGGA 0\n".len()..]);
    text.push_str(body);
    text.push_str("#KSUMMA 0\n");
    let bytes = cp437(&text);
    // The closing #KSUMMA as computed: take it from the mismatch, then both ways verify it.
    let wrong = same_both_ways(&bytes);
    let ChecksumStatus::Mismatch { computed, .. } = wrong.checksum else {
        panic!("{:?}", wrong.checksum);
    };
    let closed = cp437(&text.replace("#KSUMMA 0\n", &format!("#KSUMMA {computed}\n")));
    let o = same_both_ways(&closed);
    assert!(
        matches!(o.checksum, ChecksumStatus::Verified { .. }),
        "{:?}",
        o.checksum
    );
}

/// One row line of a voucher block: mostly ordinary, sometimes broken in a way the general
/// path reports.
fn row() -> impl Strategy<Value = Vec<u8>> {
    let label = prop_oneof![
        8 => Just("#TRANS"),
        1 => Just("#RTRANS"),
        1 => Just("#BTRANS"),
        1 => Just("#trans"),
    ];
    let indent = prop_oneof![Just(""), Just("\t"), Just("   ")];
    let gap = prop_oneof![4 => Just(" "), 1 => Just("\t"), 1 => Just("  "), 1 => Just("")];
    let account = prop_oneof![
        6 => Just("3010"),
        3 => Just("1930"),
        2 => Just("30106"),
        1 => Just("801"),
        1 => Just("19"),
        1 => Just("1234567"),
        1 => Just("\"3010\""),
        1 => Just("30x0"),
        1 => Just(""),
    ];
    let objects = prop_oneof![
        4 => Just("{}"),
        4 => Just("{1 \"41020\"}"),
        3 => Just("{\"1\" \"41020\" \"6\" \"P1\"}"),
        2 => Just("{1 41020 6 P2}"),
        2 => Just("{6 \"Åby\"}"),
        1 => Just("{ }"),
        1 => Just("{1}"),
        1 => Just("{x 1}"),
        1 => Just("{1 \"\"}"),
        1 => Just("{1 \"a\" 1 \"b\"}"),
        1 => Just("{64 \"z\"}"),
        1 => Just("{7 \"new\"}"),
        1 => Just("{1 \"a\\\"b\"}"),
        1 => Just("{1 \"a}b\"}"),
        1 => Just("{1 \"4102"),
        1 => Just("{1 \"a\u{2}b\"}"),
        1 => Just("{1 \"╔\"}"),
        1 => Just(""),
    ];
    let amount = prop_oneof![
        6 => Just("100.00"),
        6 => Just("-100.00"),
        2 => Just("5"),
        1 => Just("1.234"),
        1 => Just("\"100\""),
        1 => Just("1,00"),
        1 => Just("+1"),
    ];
    let date = prop_oneof![
        4 => Just(""),
        3 => Just(" 20210301"),
        2 => Just(" 20210302"),
        1 => Just(" 20211341"),
        1 => Just(" 00000000"),
        1 => Just(" \"\""),
        1 => Just(" \"20210303\""),
        1 => Just(" 2021\u{7f}0301"),
        1 => Just(" \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}"),
    ];
    let text = prop_oneof![
        4 => Just(""),
        2 => Just(" \"Föreningen \\\"Gläntan\\\"\""),
        2 => Just(" \"Åhléns\""),
        1 => Just(" bare"),
        1 => Just(" x\\\"y"),
        1 => Just(" \"unterminated"),
        1 => Just(" \"C:\\temp\\\\\""),
        1 => Just(" \"\""),
        1 => Just(" \"ctl\u{1}x\""),
        1 => Just(" \"box └\""),
        1 => Just(" \"tab\tbed\""),
    ];
    let extra = prop_oneof![6 => Just(""), 1 => Just(" 1.00"), 1 => Just(" \"\" \"sign\""), 1 => Just(" {}")];
    let raw = prop_oneof![
        12 => Just(&b""[..]),
        1 => Just(&b" \x07"[..]),
        1 => Just(&b" \"\xC5r\""[..]),
    ];
    // A row read where it starts in its block ends at its line break, whichever it is.
    let end = prop_oneof![
        8 => Just(&b"\r\n"[..]),
        2 => Just(&b"\n"[..]),
        1 => Just(&b"\r\r\n"[..]),
        1 => Just(&b"\r"[..]),
    ];
    (
        (label, indent, gap, account, objects),
        (amount, date, text, extra, raw, end),
    )
        .prop_map(
            |((label, indent, gap, account, objects), (amount, date, text, extra, raw, end))| {
                let mut line = cp437(&format!(
                    "{indent}{label} {account}{gap}{objects}{gap}{amount}{date}{text}{extra}"
                ));
                line.extend_from_slice(raw);
                line.extend_from_slice(end);
                line
            },
        )
}

/// A voucher: its #VER (sometimes broken), its block (sometimes unclosed), its rows.
fn voucher() -> impl Strategy<Value = Vec<u8>> {
    let ver = prop_oneof![
        8 => Just("#VER A 1 20210301 \"Leverantörsfaktura\"\r\n{\r\n"),
        1 => Just("#VER A 2 2021031 \"Fel datum\"\r\n{\r\n"),
        1 => Just("#VER B 3 20210301\r\n"),
        1 => Just("{\r\n"),
        // #VER lines the fast path reads, and lines near them that it leaves to the lexer.
        2 => Just("#VER A 4 20210301 \"Leverantörsfaktura\" 20210305\r\n{\r\n"),
        1 => Just("#VER A 5 20210301 \"\" 00000000 \"sign\"\r\n{\r\n"),
        1 => Just("#VER \"\" \"\" 20210301\r\n{\r\n"),
        1 => Just("#VER A 6 20210301 \"t\" 20211341\r\n{\r\n"),
        1 => Just("#VER A 7 20210301 \"a\\\"b\"\r\n{\r\n"),
        1 => Just("#VER A 8  20210301\r\n{\r\n"),
        1 => Just("#VER A 9 20210301 \r\n{\r\n"),
        1 => Just("#VER A\t10 19 20210301\r\n{\r\n"),
        1 => Just("#VER A 11 20210301 \"t\" 20210302 \"s\" extra\r\n{\r\n"),
        1 => Just("#ver A 12 20210301\r\n{\r\n"),
        1 => Just("#VER A 13 20210301 {}\r\n{\r\n"),
        1 => Just("#VER A 14 20210301 \"box └\"\r\n{\r\n"),
        1 => Just("#VER A 15 20210301 \"ctl\u{1}\"\r\n{\r\n"),
        1 => Just("#VER A 16 \"20210301\"\r\n{\r\n"),
        1 => Just("#VER A 17 20210301\"x\"\r\n{\r\n"),
        1 => Just("#VER A 18\r\n{\r\n"),
    ];
    let close = prop_oneof![8 => Just("}\r\n"), 1 => Just("")];
    (ver, proptest::collection::vec(row(), 0..8), close).prop_map(|(ver, rows, close)| {
        let mut v = cp437(ver);
        v.extend(rows.concat());
        v.extend_from_slice(close.as_bytes());
        v
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn generated_rows_read_the_same_both_ways(
        vouchers in proptest::collection::vec(voucher(), 0..12),
        ksumma in any::<bool>(),
    ) {
        let head = "#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n#DIM 1 \"Ansvar\"\r\n\
                    #OBJEKT 1 \"41020\" \"Åby\"\r\n#KONTO 3010 \"Intäkt\"\r\n#KONTO 1930 \"Bank\"\r\n";
        let mut bytes = Vec::new();
        if ksumma {
            bytes.extend_from_slice(b"#KSUMMA\r\n");
        }
        bytes.extend(cp437(head));
        bytes.extend(vouchers.concat());
        if ksumma {
            bytes.extend_from_slice(b"#KSUMMA 12345\r\n");
        }
        let fast = read_outcome(&bytes);
        let general = read_outcome_general(&bytes);
        // `Sums` is handed the rows as the reader holds them, not views: the same outcome
        // (its messages name the vouchers' series and numbers) and the same sums.
        let mut sums = styr_sie::Sums::new();
        let held = styr_sie::read_bytes(&bytes, &mut sums);
        prop_assert_eq!(sums.rows(), styr_sie::balances(&general.file));
        let mut without_vouchers = general.clone();
        without_vouchers.file.vouchers.clear();
        prop_assert_eq!(held, without_vouchers);
        prop_assert_eq!(fast, general);
    }
}

/// What a visitor sees of each row's spelling number: number → (account, objects), and the
/// rows read without one.
#[derive(Default)]
struct Spellings {
    named: std::collections::HashMap<u32, (String, Vec<(u32, String)>)>,
    unnumbered: usize,
    rows: usize,
}

impl styr_sie::Visitor for Spellings {
    fn voucher(&mut self, v: &styr_sie::VoucherView<'_>) {
        for r in v.rows {
            self.rows += 1;
            let said = (
                r.account.to_owned(),
                r.objects.iter().map(|(d, o)| (*d, o.to_string())).collect(),
            );
            match r.spelling() {
                None => self.unnumbered += 1,
                Some(n) => {
                    let first = self.named.entry(n).or_insert_with(|| said.clone());
                    assert_eq!(*first, said, "spelling number {n} names two prefixes");
                }
            }
        }
    }
}

/// `prefixes` rows' prefixes (account and object list as spelled), each met `times` times:
/// some spelled twice for the same objects (quoted and bare), some longer than the reader's
/// cache keeps in place, in two years; each voucher's other row is `1930 {}`. The file and
/// how many distinct spellings it has.
fn many_prefixes(prefixes: usize, times: usize) -> (Vec<u8>, usize) {
    let mut text = String::from(HEADER);
    let mut spellings = std::collections::HashSet::new();
    spellings.insert("1930 {}".to_owned());
    let mut number = 0;
    for round in 0..times {
        let year = 2021 + (round % 2);
        for p in 0..prefixes {
            number += 1;
            let unit = 10_000 + p;
            let list = match p % 4 {
                0 => format!("{{1 \"{unit}\"}}"),
                1 => format!("{{1 {unit}}}"),
                2 => format!("{{1 \"{unit}\" 6 \"P{unit}-en-lång-projektbeteckning\"}}"),
                _ => "{}".to_owned(),
            };
            // A bare account of its own beside an empty list; else one of seven.
            let account = if p % 4 == 3 {
                10_000 + p % 90_000
            } else {
                3000 + p % 7
            };
            spellings.insert(format!("{account} {list}"));
            text.push_str(&format!(
                "#VER A {number} {year}0{}15\n{{\n\t#TRANS {account} {list} 1.{:02}\n\t#TRANS 1930 {{}} -1.{:02}\n}}\n",
                1 + round % 9,
                p % 100,
                p % 100
            ));
        }
    }
    (cp437(&text), spellings.len())
}

#[test]
fn the_cache_starts_again_between_vouchers_only() {
    // Vouchers of a known row and two new prefixes: the cache fills up on the first new prefix
    // of a voucher whose rows it read (and points to). Those rows keep their accounts and
    // objects, the second new prefix is read the general way, and the cache starts again at
    // the next voucher.
    let mut text = String::from(HEADER);
    for v in 0..70_000 {
        text.push_str(&format!(
            "#VER A {} 20210315\n{{\n\t#TRANS 1930 {{}} -2.00\n\t#TRANS {} {{1 \"U{v}a\"}} 1.00\n\t#TRANS {} {{1 \"U{v}b\"}} 1.00\n}}\n",
            v + 1,
            3000 + v % 7,
            4000 + v % 7
        ));
    }
    let bytes = cp437(&text);
    let mut seen = Spellings::default();
    styr_sie::read_bytes(&bytes, &mut seen);
    assert_eq!(seen.unnumbered, 1, "rows read the general way");
    // 140 001 spellings, 1930's numbered again after the new start.
    assert_eq!(seen.named.len(), 140_001);
    let mut sums = styr_sie::Sums::new();
    styr_sie::read_bytes(&bytes, &mut sums);
    let (file, _) = styr_sie::read(&bytes);
    assert_eq!(sums.rows(), styr_sie::balances(&file));
}

#[test]
fn a_spelling_number_names_one_account_and_object_list() {
    let (bytes, spellings) = many_prefixes(3_000, 3);
    let mut seen = Spellings::default();
    let outcome = styr_sie::read_bytes(&bytes, &mut seen);
    // (Warnings only: the accounts have no #KONTO.)
    let errors = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == styr_sie::Severity::Error);
    assert_eq!(errors.count(), 0);
    assert_eq!(seen.rows, 3_000 * 3 * 2);
    assert_eq!(seen.unnumbered, 0, "every row here is read the fast way");
    // Each spelling numbered once, the same number each time it comes back, densely from 0.
    assert!(spellings > 2_000, "{spellings}");
    assert_eq!(seen.named.len(), spellings);
    assert_eq!(seen.named.keys().max(), Some(&(spellings as u32 - 1)));
    // A row read the general way (an #RTRANS and its duplicate #TRANS, an escaped quote in
    // an object) has no number.
    let mut general = Spellings::default();
    styr_sie::read_bytes(
        &cp437(&format!(
            "{HEADER}#VER A 1 20210105\n{{\n\t#RTRANS 3010 {{}} 5\n\t#TRANS 3010 {{}} 5\n\
             \t#TRANS 1930 {{1 \"a\\\"b\"}} -5\n\t#TRANS 1930 {{}} -5\n}}\n"
        )),
        &mut general,
    );
    assert_eq!((general.rows, general.unnumbered), (4, 3));
    // Sums read through the numbers equal the balances of the whole file read.
    let mut sums = styr_sie::Sums::new();
    styr_sie::read_bytes(&bytes, &mut sums);
    let (file, _) = styr_sie::read(&bytes);
    assert_eq!(sums.rows(), styr_sie::balances(&file));
}

#[test]
fn spelling_numbers_go_on_when_the_cache_starts_again() {
    // More prefixes than the reader remembers (1 << 17): it forgets them all and starts again,
    // and the numbers it gives then are new ones.
    let (bytes, spellings) = many_prefixes(150_000, 2);
    assert!(spellings > 1 << 17, "{spellings}");
    let mut seen = Spellings::default();
    styr_sie::read_bytes(&bytes, &mut seen);
    assert_eq!(seen.unnumbered, 0);
    // The spellings met after it started again are numbered again, with new numbers.
    assert!(
        seen.named.len() > spellings,
        "{} of {spellings}",
        seen.named.len()
    );
    let mut sums = styr_sie::Sums::new();
    styr_sie::read_bytes(&bytes, &mut sums);
    let (file, _) = styr_sie::read(&bytes);
    assert_eq!(sums.rows(), styr_sie::balances(&file));
}
