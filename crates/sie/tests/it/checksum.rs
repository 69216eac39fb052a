//! #KSUMMA verification (formats.md §1.6).

use crate::common::*;
use styr_sie::*;

const VISMA: &str = "visma_compact_SIE4_ksumma.se";

#[test]
fn real_file_checksum_verifies() {
    let o = read_outcome(&sample(VISMA));
    assert_eq!(
        o.checksum,
        ChecksumStatus::Verified {
            value: 2_215_893_042
        }
    );
    assert!(o.diagnostics.is_empty());
}

fn replace_bytes(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn whitespace_and_quotes_do_not_enter_the_checksum() {
    // Quote a bare field, then turn every tab into three spaces: same tokens, same checksum.
    let quoted = replace_bytes(&sample(VISMA), b"#FNR\tTESTBOLAG", b"#FNR \"TESTBOLAG\"");
    let spaced = replace_bytes(&quoted, b"\t", b"   ");
    assert_ne!(spaced.len(), sample(VISMA).len());
    let o = read_outcome(&spaced);
    assert_eq!(
        o.checksum,
        ChecksumStatus::Verified {
            value: 2_215_893_042
        }
    );
    assert!(o.diagnostics.is_empty());
}

#[test]
fn changed_content_is_a_mismatch_on_the_closing_line() {
    let mut bytes = sample(VISMA);
    let needle = b"Balanserade utgifter\"";
    let pos = bytes
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle");
    bytes[pos] = b'b';
    let o = read_outcome(&bytes);
    match o.checksum {
        ChecksumStatus::Mismatch { declared, computed } => {
            assert_eq!(declared, 2_215_893_042);
            assert_ne!(computed, declared);
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
    // The closing #KSUMMA is the last line, 2591.
    assert_eq!(
        kinds(&o.diagnostics),
        vec![(DiagnosticKind::ChecksumMismatch, 2591)]
    );
    assert_eq!(o.diagnostics[0].severity, Severity::Error);
}

#[test]
fn inline_checksum_rules() {
    // Braces of object lists and blocks are excluded; labels and fields count.
    let body = "#VER A 1 20240105\n{\n#TRANS 1930 {} 1\n#TRANS 3010 {} -1\n}\n";
    let mut k = crc32fast::Hasher::new();
    for t in [
        "#VER", "A", "1", "20240105", "#TRANS", "1930", "1", "#TRANS", "3010", "-1",
    ] {
        k.update(t.as_bytes());
    }
    let crc = k.finalize();
    let text = format!("#FLAGGA 0\n#KSUMMA\n{body}#KSUMMA {crc}\n");
    let o = read_outcome(text.as_bytes());
    assert_eq!(o.checksum, ChecksumStatus::Verified { value: crc });
    let wrong = format!(
        "#FLAGGA 0\n#KSUMMA\n{body}#KSUMMA {}\n",
        crc.wrapping_add(1)
    );
    let o = read_outcome(wrong.as_bytes());
    assert!(matches!(o.checksum, ChecksumStatus::Mismatch { .. }));
    assert_eq!(
        o.diagnostics
            .iter()
            .filter(|d| d.kind == DiagnosticKind::ChecksumMismatch)
            .map(|d| d.line)
            .collect::<Vec<_>>(),
        vec![8]
    );
}

#[test]
fn checksum_structure_problems() {
    let only_open = outcome_body("#KSUMMA\n#KONTO 1510 x\n");
    assert_eq!(only_open.checksum, ChecksumStatus::Unterminated);
    assert_eq!(
        kinds(&only_open.diagnostics),
        vec![(DiagnosticKind::ChecksumStructure, HEADER_LINES + 1)]
    );
    assert_eq!(only_open.diagnostics[0].severity, Severity::Error);

    let only_close = outcome_body("#KSUMMA 12345\n");
    assert_eq!(only_close.checksum, ChecksumStatus::Unverifiable);
    assert_eq!(
        kinds(&only_close.diagnostics),
        vec![(DiagnosticKind::ChecksumStructure, HEADER_LINES + 1)]
    );
    assert_eq!(only_close.diagnostics[0].severity, Severity::Warning);

    let bad_value = outcome_body("#KSUMMA\n#KSUMMA abc\n#KONTO 1510 x\n");
    assert_eq!(bad_value.checksum, ChecksumStatus::Unverifiable);
    assert_eq!(
        kinds(&bad_value.diagnostics),
        vec![
            (DiagnosticKind::ChecksumStructure, HEADER_LINES + 2),
            (DiagnosticKind::ChecksumStructure, HEADER_LINES + 3)
        ]
    );
}
