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
    ];
    let extra = prop_oneof![6 => Just(""), 1 => Just(" 1.00"), 1 => Just(" \"\" \"sign\""), 1 => Just(" {}")];
    let raw = prop_oneof![
        12 => Just(&b""[..]),
        1 => Just(&b" \x07"[..]),
        1 => Just(&b" \"\xC5r\""[..]),
    ];
    (
        label, indent, gap, account, objects, amount, date, text, extra, raw,
    )
        .prop_map(
            |(label, indent, gap, account, objects, amount, date, text, extra, raw)| {
                let mut line = cp437(&format!(
                    "{indent}{label} {account}{gap}{objects}{gap}{amount}{date}{text}{extra}"
                ));
                line.extend_from_slice(raw);
                line.extend_from_slice(b"\r\n");
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
        prop_assert_eq!(fast, general);
    }
}
