//! CP437 decoding and the real-world fallbacks (Latin-1 fields, UTF-8, UTF-16).

use crate::common::*;
use styr_sie::*;

#[test]
fn cp437_swedish_letters() {
    let (f, d) = read(b"#FNAMN \"\x99vningsbolaget \x8E\x8F\x86\x84\x94\"\n#FLAGGA 0\n#PROGRAM x\n#FORMAT PC8\n#GEN 20240101\n");
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(f.company_name.as_deref(), Some("Övningsbolaget ÄÅåäö"));
}

#[test]
fn latin1_field_inside_cp437_file() {
    let mut bytes = cp437(HEADER);
    bytes.extend_from_slice(
        b"#DIM 6 \"Projekt\"\n#OBJEKT 6 \"\xC51\" \"\x86rsta\"\n#FNR \"C:\\SPCS\\F\xF6retag\\X\"\n",
    );
    let (f, d) = read(&bytes);
    assert!(f.objects.contains_key(&ObjectRef::new(6, "Å1")));
    assert_eq!(f.objects[&ObjectRef::new(6, "Å1")], "årsta");
    assert_eq!(f.company_id.as_deref(), Some("C:\\SPCS\\Företag\\X"));
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&d),
        vec![
            (DiagnosticKind::EncodingFallback, l + 2),
            (DiagnosticKind::EncodingFallback, l + 3)
        ]
    );
    assert!(d[0].message.contains("┼1"), "{}", d[0].message);
}

#[test]
fn cp437_symbols_are_not_mistaken_for_latin1() {
    // 0xF8 is ° in CP437 (ø in Latin-1), 0xE6 is µ (æ): both plausible CP437 text.
    let mut bytes = cp437(HEADER);
    bytes.extend_from_slice(b"#KONTO 5050 \"Kyl -18\xF8 \xE6g\"\n");
    let (f, d) = read(&bytes);
    assert!(d.is_empty(), "{d:?}");
    assert_eq!(
        f.accounts[&AccountNo::parse("5050").unwrap()].name,
        "Kyl -18° µg"
    );
}

#[test]
fn utf8_file_claiming_pc8() {
    let text = format!("{HEADER}#KONTO 1060 Hyresrätt\n");
    let o = read_outcome(text.as_bytes());
    assert_eq!(o.encoding, FileEncoding::Utf8);
    assert_eq!(
        o.file.accounts[&AccountNo::parse("1060").unwrap()].name,
        "Hyresrätt"
    );
    assert_eq!(
        o.file.accounts[&AccountNo::parse("3010").unwrap()].name,
        "Intäkt"
    );
    assert_eq!(
        kinds(&o.diagnostics),
        vec![(DiagnosticKind::EncodingMismatch, 3)]
    );
    assert_eq!(o.diagnostics[0].severity, Severity::Warning);
}

#[test]
fn replacement_characters_are_reported_as_lost() {
    let text = format!(
        "{HEADER}#KONTO 1060 Hyresr\u{FFFD}tt\n#KONTO 1061 \"\u{FFFD}\u{FFFD}\"\n#KONTO 1062 ok\n"
    );
    let o = read_outcome(text.as_bytes());
    assert_eq!(o.encoding, FileEncoding::Utf8);
    let l = HEADER_LINES;
    assert_eq!(
        kinds(&o.diagnostics),
        vec![
            (DiagnosticKind::EncodingMismatch, 3),
            (DiagnosticKind::EncodingLoss, l + 1)
        ]
    );
    assert!(
        o.diagnostics[1].message.starts_with("2 rad(er)"),
        "{}",
        o.diagnostics[1].message
    );
}

#[test]
fn utf16_with_bom_is_transcoded() {
    let text = format!("{HEADER}#KONTO 1060 Hyresrätt\n");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let o = read_outcome(&bytes);
    assert_eq!(o.encoding, FileEncoding::Utf16);
    assert_eq!(o.file.accounts.len(), 5);
    assert_eq!(
        kinds(&o.diagnostics),
        vec![(DiagnosticKind::EncodingMismatch, 3)]
    );
}

#[test]
fn utf16_without_bom_is_reported_not_guessed() {
    let mut bytes = Vec::new();
    for u in "#FLAGGA 0\n".encode_utf16() {
        bytes.extend_from_slice(&u.to_le_bytes());
    }
    let o = read_outcome(&bytes);
    // NUL bytes are control characters: the line is cleaned, and reads as #FLAGGA 0.
    assert_eq!(o.encoding, FileEncoding::Cp437);
    assert_eq!(o.diagnostics[0].kind, DiagnosticKind::ControlCharacter);
}

#[test]
fn other_format_is_warned() {
    let (_, d) = read(b"#FLAGGA 0\n#PROGRAM x\n#FORMAT ANSI\n#GEN 20240101\n#FNAMN x\n");
    assert_eq!(kinds(&d), vec![(DiagnosticKind::UnsupportedFormat, 3)]);
}
