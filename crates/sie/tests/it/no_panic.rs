//! Property tests: the reader never panics, whatever the input.

use proptest::prelude::*;
use styr_sie::*;

fn exercise(bytes: &[u8]) {
    let o = read_outcome(bytes);
    // Helpers must not panic on whatever the reader produced either.
    let _ = balances_csv(&balances(&o.file));
    let _ = Summary::from_outcome(&o).to_json();
    // Whatever the reader produced, if the writer accepts it, reads back equal.
    if let Ok(written) = write_sie4(&o.file) {
        assert_eq!(read(&written).0, o.file);
    }
    assert!(o.diagnostics.iter().all(|d| d.line >= 1));
    // The streaming reader hands over exactly the vouchers and diagnostics of the full one.
    let mut vouchers = Vec::new();
    let mut streamed = read_outcome_with(bytes, &mut |v| vouchers.push(v));
    assert!(streamed.file.vouchers.is_empty());
    streamed.file.vouchers = vouchers;
    assert_eq!(streamed, o);
    // Through a small streaming buffer, and in parts read on threads, cut in odd places.
    let mut without = o.clone();
    without.file.vouchers.clear();
    let rows = balances(&o.file);
    for buffer in [1, 3, 16] {
        let mut sums = Sums::new();
        assert_eq!(
            styr_sie::reader::read_bytes_buffered(bytes, buffer, &mut sums),
            without
        );
        assert_eq!(sums.rows(), rows);
    }
    let n = bytes.len();
    for targets in [vec![n / 2], vec![1, n / 3, n / 3 + 1, 2 * n / 3]] {
        let mut sums = Sums::new();
        let parts = styr_sie::reader::read_bytes_in_parts(bytes, &targets, &mut sums);
        assert_eq!(parts, without);
        assert_eq!(sums.rows(), rows);
    }
}

fn token() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::sample::select(vec![
            "#VER",
            "#TRANS",
            "#RTRANS",
            "#BTRANS",
            "#KSUMMA",
            "#KONTO",
            "#DIM",
            "#UNDERDIM",
            "#OBJEKT",
            "#IB",
            "#OIB",
            "#PSALDO",
            "#PBUDGET",
            "#RAR",
            "#SIETYP",
            "#GEN",
            "#FORMAT",
            "#FLAGGA",
            "#ORGNR",
            "#ADRESS",
            "{",
            "}",
            "{}",
            "\"",
            "\\\"",
            "\"\"",
            "1930",
            "30106",
            "801",
            "-1243.50",
            "0",
            "20211341",
            "20240229",
            "202401",
            "1",
            "-1",
            "99999999999999999999",
            "\t",
            "  ",
            "\r",
            "4294967296",
            "{1",
            "\"U12\"}",
            "#",
            "0.001",
            "-",
            ".",
            "\u{FFFD}",
            "å",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        proptest::collection::vec(any::<u8>(), 1..4),
    ]
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(token(), 0..8).prop_map(|toks| {
        let mut l = Vec::new();
        for t in toks {
            l.extend_from_slice(&t);
            l.push(b' ');
        }
        l.push(b'\n');
        l
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        exercise(&bytes);
    }

    #[test]
    fn token_soup_never_panics(lines in proptest::collection::vec(line(), 0..40)) {
        let bytes: Vec<u8> = lines.concat();
        exercise(&bytes);
    }

    #[test]
    fn token_soup_after_a_valid_header_never_panics(lines in proptest::collection::vec(line(), 0..40)) {
        let mut bytes = b"#FLAGGA 0\n#KSUMMA\n#SIETYP 2\n#VER A 1 20240101\n{\n".to_vec();
        bytes.extend(lines.concat());
        exercise(&bytes);
    }
}

#[test]
fn pathological_inputs() {
    for input in [
        &b""[..],
        b"\n\n\n",
        b"{",
        b"}",
        b"#",
        b"##",
        b"\"",
        b"#VER",
        b"#VER A 1 20240101\n{",
        b"#TRANS 1930 {} 1",
        b"#KSUMMA",
        b"#KSUMMA 99999999999",
        b"\xEF\xBB\xBF#FLAGGA 0",
        b"\xFF\xFE",
        b"\xFE\xFF\x00#",
        b"\xFF\xFE#",
        b"#PSALDO 0 2024 1930 {1 2 3} 99999999999999999999.99",
        b"#IB -2147483649 1930 1",
        b"#DIM 4294967296 x",
    ] {
        exercise(input);
    }
}
