//! #VER blocks, #RTRANS/#BTRANS semantics and voucher balance.

use crate::common::*;
use styr_sie::*;

#[test]
fn voucher_fields() {
    let body = "#VER \"LEV1\" \"17\" 20240105 \"Faktura 4711\" 20240107 \"Anna\"\n{\n\
#TRANS 30106 {} -100.00 20240106 \"rad\" 2.5 \"Bertil\"\n#TRANS 1930 {} 100.00\n}\n";
    let (f, d) = read_body(body);
    assert!(d.is_empty(), "{d:?}");
    let v = &f.vouchers[0];
    assert_eq!(
        (
            v.series.as_str(),
            v.number.as_str(),
            v.text.as_str(),
            v.sign.as_str()
        ),
        ("LEV1", "17", "Faktura 4711", "Anna")
    );
    assert_eq!(v.date, Date::new(2024, 1, 5).unwrap());
    assert_eq!(v.registered, Date::new(2024, 1, 7));
    let r = &v.rows[0];
    assert_eq!(r.account.as_str(), "30106");
    assert_eq!(r.date, Date::new(2024, 1, 6));
    assert_eq!(r.text, "rad");
    assert_eq!(r.quantity.as_ref().map(|q| q.as_str()), Some("2.5"));
    assert_eq!(r.sign, "Bertil");
    assert_eq!(v.rows[1].date, None);
}

#[test]
fn empty_series_and_number_in_4i() {
    let (f, d) = read_body(
        "#VER \"\" \"\" 20110225 \"Utbetalning löner\" 20110301\n{\n#TRANS 1930 {} -5\n#TRANS 3010 {} 5\n}\n",
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.vouchers[0].series, "");
    assert_eq!(f.vouchers[0].number, "");
}

#[test]
fn btrans_struck_rtrans_counted_duplicate_not() {
    // The BL Administration pattern, dates of the duplicate differ (allowed).
    let body = "#VER A 25 20100122 \"test\"\n{\n#TRANS 1930 {} 1000\n#TRANS 3010 {} -1000\n\
#BTRANS 1930 {} 777 20100326 \"\" \"\" \"Christer\"\n\
#RTRANS 1930 {} 500 20100326 \"\" \"\" \"Christer\"\n#TRANS 1930 {} 500 20100122 \"\"\n\
#RTRANS 3010 {} -500 20100326\n#TRANS 3010 {} -500 20100122\n}\n";
    let (f, d) = read_body(body);
    assert!(d.is_empty(), "{d:?}");
    let kinds: Vec<RowKind> = f.vouchers[0].rows.iter().map(|r| r.kind).collect();
    assert_eq!(
        kinds,
        vec![
            RowKind::Normal,
            RowKind::Normal,
            RowKind::Struck,
            RowKind::Added,
            RowKind::AddedDuplicate,
            RowKind::Added,
            RowKind::AddedDuplicate
        ]
    );
    assert_eq!(f.counted_transactions(), 4);
    assert_eq!(f.vouchers[0].counted_sum(), 0);
    // The struck row's quantity field `""` is read as "no quantity".
    assert_eq!(f.vouchers[0].rows[2].quantity, None);
    assert_eq!(f.vouchers[0].rows[2].sign, "Christer");
}

#[test]
fn rtrans_without_duplicate_warns_and_counts_next_row() {
    let body = "#VER A 1 20240105\n{\n#RTRANS 1930 {} 5\n#TRANS 3010 {} -5\n}\n\
#VER A 2 20240105\n{\n#TRANS 3010 {} -5\n#RTRANS 1930 {} 5\n}\n";
    let (f, d) = read_body(body);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::RtransWithoutDuplicate, l + 3),
            (DiagnosticKind::RtransWithoutDuplicate, l + 9)
        ]
    );
    assert_eq!(f.vouchers[0].rows[1].kind, RowKind::Normal);
    assert_eq!(f.counted_transactions(), 4);
}

#[test]
fn unbalanced_voucher_is_an_error_on_the_ver_line() {
    let body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 100\n#TRANS 3010 {} -99.99\n}\n\
#VER A 2 20240105\n{\n#TRANS 1930 {} 100\n#BTRANS 3010 {} -100\n}\n";
    let (f, d) = read_body(body);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::UnbalancedVoucher, l + 1),
            (DiagnosticKind::UnbalancedVoucher, l + 6)
        ]
    );
    assert!(
        d.iter()
            .all(|d| d.severity == Severity::Error && d.record == "#VER")
    );
    assert!(d[0].message.contains("0.01"), "{}", d[0].message);
    assert!(d[1].message.contains("100.00"), "{}", d[1].message);
    assert_eq!(f.vouchers.len(), 2, "unbalanced vouchers are kept");
}

/// The messages about a voucher name its series and number as written (decoded from CP437),
/// whatever the reader hands its visitor: views ([`read`]) or the held rows ([`Sums`]).
#[test]
fn messages_name_the_series_and_number() {
    let body = "#VER \"Å\" 17 20240105\n{\n#TRANS 1930 {} 100\n#TRANS 3010 {} -99.99\n}\n\
#VER Ö 18 20240105\n";
    let bytes = cp437(&format!("{HEADER}{body}"));
    let (_, viewed) = read(&bytes);
    let held = read_bytes(&bytes, &mut Sums::new()).diagnostics;
    for d in [&viewed, &held] {
        let messages: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].starts_with("verifikationen Å 17 balanserar inte"),
            "{messages:?}"
        );
        assert!(
            messages[1].starts_with("#VER Ö 18 har inget"),
            "{messages:?}"
        );
    }
}

#[test]
fn ver_without_block_and_rows_outside_blocks() {
    let body = "#VER A 1 20240105\n#TRANS 1930 {} 1\n#VER A 2 20240105\n{\n}\n";
    let (f, d) = read_body(body);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::BlockStructure, l + 1),
            (DiagnosticKind::Misplaced, l + 2)
        ]
    );
    assert_eq!(f.vouchers.len(), 2);
}

#[test]
fn missing_closing_brace_before_next_record() {
    let body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n#VER A 2 20240106\n{\n#TRANS 1930 {} 2\n#TRANS 3010 {} -2\n}\n";
    let (f, d) = read_body(body);
    assert_eq!(
        kinds(&d),
        vec![(DiagnosticKind::BlockStructure, HEADER_LINES + 5)]
    );
    assert_eq!(f.vouchers.len(), 2);
    assert_eq!(f.vouchers[0].rows.len(), 2);
}

#[test]
fn unknown_label_inside_block_does_not_close_it() {
    let body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 1\n#XTRANS 1 2\n#TRANS 3010 {} -1\n}\n";
    let (f, d) = read_body(body);
    assert_eq!(
        kinds(&d),
        vec![(DiagnosticKind::UnknownRecord, HEADER_LINES + 4)]
    );
    assert_eq!(f.vouchers[0].rows.len(), 2);
}

#[test]
fn stray_braces() {
    let body = "}\n{\n#TRANS 1930 {} 1\n}\n";
    let (f, d) = read_body(body);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::BlockStructure, l + 1),
            (DiagnosticKind::BlockStructure, l + 2)
        ]
    );
    assert!(f.vouchers.is_empty());
}

#[test]
fn bad_row_suppresses_balance_error_but_is_reported() {
    let body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1,00\n}\n";
    let (f, d) = read_body(body);
    assert_eq!(
        kinds(&d),
        vec![(DiagnosticKind::MalformedAmount, HEADER_LINES + 4)]
    );
    assert_eq!(f.vouchers[0].rows.len(), 1);
}
