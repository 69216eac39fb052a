//! Character encodings: IBM code page 437 (the only one SIE 4B allows) and the
//! real-world deviations the reader must survive.
//!
//! Provides the 128-entry CP437 upper-half table, per-field decoding with a
//! Latin-1 fallback (for ids like `\xC51` that a program wrote in Latin-1
//! inside a CP437 file), whole-file detection of UTF-8 (and UTF-16 with a
//! BOM) in files that claim `#FORMAT PC8`, and CP437 encoding for the writer.
//! It deliberately does not guess other code pages (CP850, Windows-1252
//! punctuation …) and cannot restore characters that were already lost
//! (U+FFFD or `?` substitutions).

/// CP437 0x80..=0xFF.
const CP437_HIGH: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{00E0}', '\u{00E5}', '\u{00E7}',
    '\u{00EA}', '\u{00EB}', '\u{00E8}', '\u{00EF}', '\u{00EE}', '\u{00EC}', '\u{00C4}', '\u{00C5}',
    '\u{00C9}', '\u{00E6}', '\u{00C6}', '\u{00F4}', '\u{00F6}', '\u{00F2}', '\u{00FB}', '\u{00F9}',
    '\u{00FF}', '\u{00D6}', '\u{00DC}', '\u{00A2}', '\u{00A3}', '\u{00A5}', '\u{20A7}', '\u{0192}',
    '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}', '\u{00F1}', '\u{00D1}', '\u{00AA}', '\u{00BA}',
    '\u{00BF}', '\u{2310}', '\u{00AC}', '\u{00BD}', '\u{00BC}', '\u{00A1}', '\u{00AB}', '\u{00BB}',
    '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{2561}', '\u{2562}', '\u{2556}',
    '\u{2555}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{255C}', '\u{255B}', '\u{2510}',
    '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{255E}', '\u{255F}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{2567}',
    '\u{2568}', '\u{2564}', '\u{2565}', '\u{2559}', '\u{2558}', '\u{2552}', '\u{2553}', '\u{256B}',
    '\u{256A}', '\u{2518}', '\u{250C}', '\u{2588}', '\u{2584}', '\u{258C}', '\u{2590}', '\u{2580}',
    '\u{03B1}', '\u{00DF}', '\u{0393}', '\u{03C0}', '\u{03A3}', '\u{03C3}', '\u{00B5}', '\u{03C4}',
    '\u{03A6}', '\u{0398}', '\u{03A9}', '\u{03B4}', '\u{221E}', '\u{03C6}', '\u{03B5}', '\u{2229}',
    '\u{2261}', '\u{00B1}', '\u{2265}', '\u{2264}', '\u{2320}', '\u{2321}', '\u{00F7}', '\u{2248}',
    '\u{00B0}', '\u{2219}', '\u{00B7}', '\u{221A}', '\u{207F}', '\u{00B2}', '\u{25A0}', '\u{00A0}',
];

/// Decode one byte as CP437 (0x00–0x7F is ASCII).
pub fn cp437_char(b: u8) -> char {
    if b < 0x80 {
        char::from(b)
    } else {
        CP437_HIGH[usize::from(b - 0x80)]
    }
}

/// Decode bytes as CP437.
pub fn decode_cp437(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| cp437_char(b)).collect()
}

/// Encode one char as CP437, if representable.
pub fn cp437_byte(c: char) -> Option<u8> {
    if c.is_ascii() {
        return Some(c as u8);
    }
    CP437_HIGH
        .iter()
        .position(|&x| x == c)
        .and_then(|i| u8::try_from(i + 0x80).ok())
}

/// Encode a string as CP437; `Err(c)` names the first unrepresentable char.
pub fn encode_cp437(s: &str) -> Result<Vec<u8>, char> {
    s.chars().map(|c| cp437_byte(c).ok_or(c)).collect()
}

/// Latin-1 bytes of the letters Swedish text needs (Ä Å É Ö Ü ä å é ö ü).
/// In CP437 these bytes are box-drawing, Greek and math glyphs (─ ┼ ╔ ╓ ▄
/// Σ σ Θ ÷ ⁿ) that do not occur in accounting text, so a field whose
/// non-ASCII bytes all come from this set is taken to be Latin-1. Bytes such
/// as 0xF8 (° in CP437, ø in Latin-1) or 0xE1 (ß / á) are deliberately not
/// in the set: they are plausible CP437 text.
const LATIN1_LETTERS: [u8; 10] = [0xC4, 0xC5, 0xC9, 0xD6, 0xDC, 0xE4, 0xE5, 0xE9, 0xF6, 0xFC];

/// Whether a field's bytes look like Latin-1 text rather than CP437: it has
/// non-ASCII bytes and every one of them is a Latin-1 Swedish letter.
pub fn looks_latin1(bytes: &[u8]) -> bool {
    let mut any = false;
    for &b in bytes {
        if b >= 0x80 {
            if !LATIN1_LETTERS.contains(&b) {
                return false;
            }
            any = true;
        }
    }
    any
}

/// Whether a field's bytes inside a CP437 file are UTF-8 text: valid UTF-8 with a
/// multi-byte sequence. In CP437 such a sequence is a box-drawing or block glyph (0xC2–0xF4)
/// followed by accented letters or shading (0x80–0xBF), as in `├Ñ` for UTF-8 `å`: never
/// accounting text.
pub fn looks_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// Decode bytes as Latin-1 (ISO 8859-1).
pub fn decode_latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// The encoding chosen for the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileEncoding {
    /// IBM PC-8 / CP437, as the spec demands (per-field Latin-1 fallback applies).
    Cp437,
    /// UTF-8 (valid UTF-8 with non-ASCII bytes).
    Utf8,
    /// UTF-16 with a byte-order mark, transcoded to UTF-8 before reading.
    Utf16,
}

/// Result of whole-file detection.
pub struct Detected<'a> {
    /// Chosen encoding.
    pub encoding: FileEncoding,
    /// Bytes to lex (BOM stripped; UTF-16 transcoded to UTF-8).
    pub bytes: std::borrow::Cow<'a, [u8]>,
}

/// Pick the file encoding. CP437 unless the file is valid UTF-8 containing
/// non-ASCII bytes (or starts with a UTF-8/UTF-16 BOM).
pub fn detect(input: &[u8]) -> Detected<'_> {
    use std::borrow::Cow;
    if let Some(rest) = input.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return Detected {
            encoding: FileEncoding::Utf8,
            bytes: Cow::Borrowed(rest),
        };
    }
    let utf16 = |rest: &[u8], le: bool| {
        let units = rest.chunks(2).map(|c| match (c.first(), c.get(1)) {
            (Some(&a), Some(&b)) if le => u16::from_le_bytes([a, b]),
            (Some(&a), Some(&b)) => u16::from_be_bytes([a, b]),
            _ => 0xFFFD,
        });
        let s: String = char::decode_utf16(units)
            .map(|r| r.unwrap_or('\u{FFFD}'))
            .collect();
        Detected {
            encoding: FileEncoding::Utf16,
            bytes: Cow::Owned(s.into_bytes()),
        }
    };
    if let Some(rest) = input.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true);
    }
    if let Some(rest) = input.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false);
    }
    let encoding = if !input.is_ascii() && std::str::from_utf8(input).is_ok() {
        FileEncoding::Utf8
    } else {
        FileEncoding::Cp437
    };
    Detected {
        encoding,
        bytes: Cow::Borrowed(input),
    }
}

/// How one field was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldDecoding {
    /// As the file encoding.
    Normal,
    /// CP437 file, but this field looked like Latin-1.
    Latin1Fallback,
}

/// Decode one field's bytes under the file encoding.
pub fn decode_field(bytes: &[u8], encoding: FileEncoding) -> (String, FieldDecoding) {
    let mut s = String::with_capacity(bytes.len());
    let how = decode_into(bytes, encoding, &mut s);
    (s, how)
}

/// Decode one field's bytes under the file encoding, appending to `out`
/// (no allocation when `out` has room): runs of ASCII are copied as they are.
pub fn decode_into(bytes: &[u8], encoding: FileEncoding, out: &mut String) -> FieldDecoding {
    if bytes.is_ascii() {
        // ASCII is the same in every supported encoding.
        out.push_str(std::str::from_utf8(bytes).unwrap_or_default());
        return FieldDecoding::Normal;
    }
    match encoding {
        FileEncoding::Utf8 | FileEncoding::Utf16 => {
            out.push_str(&String::from_utf8_lossy(bytes));
            FieldDecoding::Normal
        }
        FileEncoding::Cp437 if looks_latin1(bytes) => {
            push_runs(bytes, out, char::from);
            FieldDecoding::Latin1Fallback
        }
        FileEncoding::Cp437 => {
            push_runs(bytes, out, cp437_char);
            FieldDecoding::Normal
        }
    }
}

/// Append `bytes`, its ASCII runs as they are and each other byte as `high` decodes it.
fn push_runs(bytes: &[u8], out: &mut String, high: impl Fn(u8) -> char) {
    let mut rest = bytes;
    while !rest.is_empty() {
        let n = rest.iter().position(|&b| b >= 0x80).unwrap_or(rest.len());
        let (ascii, tail) = rest.split_at(n);
        out.push_str(std::str::from_utf8(ascii).unwrap_or_default());
        match tail.split_first() {
            Some((&b, t)) => {
                out.push(high(b));
                rest = t;
            }
            None => rest = tail,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_letters_round_trip() {
        let s = "åäöÅÄÖé";
        let b = encode_cp437(s).unwrap();
        assert_eq!(b, vec![0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99, 0x82]);
        assert_eq!(decode_cp437(&b), s);
    }

    #[test]
    fn whole_table_round_trips() {
        for b in 0u8..=255 {
            assert_eq!(cp437_byte(cp437_char(b)), Some(b));
        }
        assert_eq!(cp437_byte('€'), None);
    }

    #[test]
    fn latin1_heuristic() {
        assert!(looks_latin1(b"\xC51"));
        assert!(looks_latin1(b"F\xF6retag"));
        assert!(!looks_latin1(b"\x8F1"));
        assert!(!looks_latin1(b"\x94\xF6"));
        assert!(!looks_latin1(b"-18\xF8")); // 18° in CP437
        assert!(!looks_latin1(b"\xE6g")); // µg in CP437
        let (s, how) = decode_field(b"\xC51", FileEncoding::Cp437);
        assert_eq!((s.as_str(), how), ("Å1", FieldDecoding::Latin1Fallback));
    }

    #[test]
    fn detection() {
        assert_eq!(detect(b"#FLAGGA 0").encoding, FileEncoding::Cp437);
        assert_eq!(
            detect("#FNAMN \"Ö\"".as_bytes()).encoding,
            FileEncoding::Utf8
        );
        assert_eq!(detect(b"#FNAMN \"\x99\"").encoding, FileEncoding::Cp437);
        let d = detect(b"\xFF\xFE#\x00A\x00");
        assert_eq!(d.encoding, FileEncoding::Utf16);
        assert_eq!(&*d.bytes, b"#A");
    }
}
