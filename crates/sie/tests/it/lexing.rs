//! Field splitting, quoting, escapes, object lists, tabs and CRLF.

use crate::common::*;
use styr_sie::{AccountNo, Amount, ObjectRef, read};

#[test]
fn tabs_multiple_spaces_and_crlf() {
    let text =
        HEADER.replace('\n', "\r\n") + "#DIM 1 A\r\n#OBJEKT\t1   \"U12\"\t\t\"Ansvar 12\"\r\n";
    let (f, d) = read(&cp437(&text));
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        f.objects.get(&ObjectRef::new(1, "U12")).map(String::as_str),
        Some("Ansvar 12")
    );
}

#[test]
fn escaped_quote_is_the_only_escape() {
    let (f, d) = read_body("#PROSA \"Sa \\\"hej\\\" C:\\dir\\\\x\"\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.prosa.as_deref(), Some("Sa \"hej\" C:\\dir\\\\x"));
}

#[test]
fn unquoted_and_empty_fields() {
    let (f, d) = read_body("#DIM 20 Verksamhet\n#OBJEKT 20 \"\" \"x\"\n#OBJEKT 20 3400 \"\"\n");
    assert_eq!(
        f.dimensions.get(&20).map(|d| d.name.as_str()),
        Some("Verksamhet")
    );
    // An empty object id is rejected; an empty name is fine.
    assert_eq!(f.objects.len(), 1);
    assert_eq!(
        f.objects
            .get(&ObjectRef::new(20, "3400"))
            .map(String::as_str),
        Some("")
    );
    assert_eq!(
        kinds(&d),
        vec![(styr_sie::DiagnosticKind::MissingField, HEADER_LINES + 2)]
    );
}

#[test]
fn object_lists_quoted_unquoted_and_touching() {
    let body = "#DIM 1 \"Ansvar\"\n#DIM 6 \"Projekt\"\n#OBJEKT 1 \"U12\" \"a\"\n#OBJEKT 6 \"P7\" \"b\"\n#OBJEKT 1 \"1\" \"c\"\n\
#VER A 1 20240105\n{\n#TRANS 3010 {1 \"U12\" 6 \"P7\"} -100\n#TRANS 3010 {\"1\" \"1\"} -50.5\n#TRANS 1930{} 150.50\n}\n";
    let (f, d) = read_body(body);
    assert!(d.is_empty(), "{d:?}");
    let rows = &f.vouchers[0].rows;
    assert_eq!(
        rows[0].objects,
        vec![ObjectRef::new(1, "U12"), ObjectRef::new(6, "P7")]
    );
    assert_eq!(rows[1].objects, vec![ObjectRef::new(1, "1")]);
    assert_eq!(rows[1].amount, Amount(-5050));
    assert_eq!(rows[2].account, AccountNo::parse("1930").unwrap());
    assert!(rows[2].objects.is_empty());
}

#[test]
fn extra_trailing_fields_are_allowed() {
    let (f, d) = read_body("#KONTO 1510 \"Kund\" extra \"fält\" 42\n#IB 0 1510 100 5 more\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.accounts.len(), 5);
    assert_eq!(
        f.opening_balances[0].quantity.as_ref().map(|q| q.as_str()),
        Some("5")
    );
}

#[test]
fn blank_lines_and_indentation_are_ignored() {
    let (f, d) = read_body(
        "\n   \n\t#VER A 1 20240105\n  {\n\t#TRANS 1930 {} 1\n   #TRANS 3010 {} -1\n  }\n\n",
    );
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.vouchers[0].rows.len(), 2);
}

#[test]
fn voucher_series_hash_is_not_a_label() {
    let (f, d) =
        read_body("#VER # 1 20240105 \"Avskrivning\"\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.vouchers[0].series, "#");
    assert_eq!(f.vouchers[0].text, "Avskrivning");
}

#[test]
fn unknown_labels_are_ignored_with_info() {
    let (f, d) = read_body("#FOOBAR 1 2 3\n#KONTO 1510 \"Kund\"\n");
    assert_eq!(f.accounts.len(), 5);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, styr_sie::Severity::Info);
    assert_eq!(d[0].kind, styr_sie::DiagnosticKind::UnknownRecord);
    assert_eq!(d[0].line, HEADER_LINES + 1);
    assert_eq!(d[0].record, "#FOOBAR");
}
