//! Broken input: each problem yields a diagnostic on the right line.

use crate::common::*;
use styr_sie::*;

#[test]
fn unknown_account_warns_once_per_account_at_first_use() {
    let body = "#VER A 1 20240105\n{\n#TRANS 4010 {} 1\n#TRANS 4010 {} 1\n#TRANS 3010 {} -2\n}\n#IB 0 2999 5\n";
    let (f, d) = read_body(body);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::UnknownAccount, l + 3),
            (DiagnosticKind::UnknownAccount, l + 7)
        ]
    );
    assert!(d.iter().all(|d| d.severity == Severity::Warning));
    assert!(d[0].message.contains("4010"));
    assert_eq!(d[1].record, "#IB");
    assert_eq!(
        f.vouchers[0].rows.len(),
        3,
        "rows on unknown accounts are kept"
    );
}

#[test]
fn truncated_file_missing_closing_brace() {
    let body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1";
    let (f, d) = read_body(body);
    assert_eq!(
        kinds(&d),
        vec![(DiagnosticKind::BlockStructure, HEADER_LINES + 1)]
    );
    assert_eq!(d[0].severity, Severity::Error);
    assert!(d[0].message.contains("'}' saknas"));
    assert_eq!(f.vouchers.len(), 1);
    assert_eq!(f.vouchers[0].rows.len(), 2);
}

#[test]
fn truncated_unbalanced_voucher_reports_both() {
    let (_, d) = read_body("#VER A 1 20240105\n{\n#TRANS 1930 {} 1\n");
    let l = HEADER_LINES + 1;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::BlockStructure, l),
            (DiagnosticKind::UnbalancedVoucher, l)
        ]
    );
}

#[test]
fn invalid_date_20211341() {
    let body = "#VER A 1 20211341\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n\
#VER A 2 20211231\n{\n#TRANS 1930 {} 1 20211341\n#TRANS 3010 {} -1\n}\n#RAR 0 20210101 20211341\n#OMFATTN 00000000\n";
    let (f, d) = read_body(body);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::InvalidDate, l + 1),
            (DiagnosticKind::InvalidDate, l + 8),
            (DiagnosticKind::InvalidDate, l + 11),
            (DiagnosticKind::InvalidDate, l + 12),
        ]
    );
    assert!(d.iter().all(|d| d.severity == Severity::Error));
    assert_eq!(d[0].field.as_deref(), Some("verdatum"));
    assert_eq!(d[1].field.as_deref(), Some("transdat"));
    assert!(d[0].message.contains("20211341"));
    // The voucher with the bad date is dropped; the row with a bad transdat keeps the voucher date.
    assert_eq!(f.vouchers.len(), 1);
    assert_eq!(f.vouchers[0].rows[0].date, None);
    assert_eq!(f.fiscal_years.len(), 0);
}

#[test]
fn garbage_bytes() {
    let mut bytes = cp437(HEADER);
    bytes.extend_from_slice(
        b"\x00\x01\xff\xfe\x80garbage\n#KONTO 1510 \"Kund\x07fordran\"\n\xde\xad\xbe\xef\n",
    );
    let (f, d) = read(&bytes);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::ControlCharacter, l + 1),
            (DiagnosticKind::NotARecord, l + 1),
            (DiagnosticKind::ControlCharacter, l + 2),
            (DiagnosticKind::NotARecord, l + 3),
        ]
    );
    assert_eq!(
        f.accounts[&AccountNo::parse("1510").unwrap()].name,
        "Kundfordran"
    );
}

#[test]
fn not_sie_at_all() {
    let (f, d) = read(b"<html><body>404 Not Found</body></html>\n");
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::NotARecord, 1),
            (DiagnosticKind::EmptyFile, 1)
        ]
    );
    assert_eq!(f, SieFile::default());
    let (_, d) = read(b"");
    assert_eq!(kinds(&d), vec![(DiagnosticKind::EmptyFile, 1)]);
}

#[test]
fn missing_fields_and_bad_numbers() {
    let body = "#KONTO\n#IB x 1930 1\n#IB 0 1930\n#DIM x \"a\"\n#OBJEKT 1\n#PSALDO 0 202413 1930 {} 1\n#TRANS 1930 {} 1\n#TRANS 1930 {1} 1\n";
    let (_, d) = read_body(body);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::MissingField, l + 1),
            (DiagnosticKind::InvalidNumber, l + 2),
            (DiagnosticKind::MissingField, l + 3),
            (DiagnosticKind::InvalidNumber, l + 4),
            (DiagnosticKind::MissingField, l + 5),
            (DiagnosticKind::InvalidPeriod, l + 6),
            (DiagnosticKind::Misplaced, l + 7),
            (DiagnosticKind::Misplaced, l + 8),
        ]
    );
}

#[test]
fn malformed_object_lists() {
    let body = "#VER A 1 20240105\n{\n#TRANS 1930 {1} 1\n#TRANS 1930 {x \"A\"} 1\n#TRANS 1930 {1 \"A\" 0\n}\n";
    let (_, d) = read_body(body);
    let l = HEADER_LINES;
    let k: Vec<_> = d.iter().map(|d| (d.kind, d.line, d.severity)).collect();
    assert_eq!(
        k,
        vec![
            (DiagnosticKind::MalformedObjectList, l + 3, Severity::Error),
            (DiagnosticKind::MalformedObjectList, l + 4, Severity::Error),
            (DiagnosticKind::MalformedObjectList, l + 5, Severity::Error),
            (DiagnosticKind::MalformedObjectList, l + 5, Severity::Error),
        ]
    );
}

#[test]
fn unterminated_quote_keeps_the_rest_of_the_line() {
    let (f, d) = read_body("#FNAMN \"Haninge kommun\n");
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::UnterminatedQuote, HEADER_LINES + 1),
            (DiagnosticKind::Duplicate, HEADER_LINES + 1)
        ]
    );
    assert_eq!(f.company_name.as_deref(), Some("Testkommun"));
}

#[test]
fn mandatory_records_and_forbidden_ones() {
    let (_, d) = read(b"#SIETYP 1\n#KONTO 1930 Bank\n#PSALDO 0 202401 1930 {} 1\n");
    let k: Vec<_> = d
        .iter()
        .map(|d| (d.kind, d.line, d.record.as_str()))
        .collect();
    assert_eq!(
        k,
        vec![
            (DiagnosticKind::TypeConformance, 1, "#FLAGGA"),
            (DiagnosticKind::TypeConformance, 1, "#PROGRAM"),
            (DiagnosticKind::TypeConformance, 1, "#FORMAT"),
            (DiagnosticKind::TypeConformance, 1, "#GEN"),
            (DiagnosticKind::TypeConformance, 1, "#FNAMN"),
            (DiagnosticKind::TypeConformance, 1, "#RAR"),
            (DiagnosticKind::TypeConformance, 3, "#PSALDO"),
        ]
    );
}
