//! #KSUMMA: the SIE CRC-32 checksum (spec chapter 10, formats.md §1.6).
//!
//! The checksum is the standard IEEE CRC-32 (`crc32fast`) over the raw CP437
//! bytes of every token of every record strictly between the opening `#KSUMMA`
//! and the closing `#KSUMMA n`: the label, each field with its quotes removed
//! and `\"` reduced to `"`, and each object-list member with the braces
//! removed. Nothing is fed between tokens (no separators, no line ends), and
//! the `{`/`}` lines of voucher blocks contribute nothing. This module only
//! accumulates and reports; it deliberately does not decide what a mismatch
//! means for the import (the reader turns it into an error diagnostic).

use crate::lexer::RawToken;
use serde::Serialize;

/// Running checksum over lexed records. Bytes are gathered in a buffer and
/// hashed in large pieces, which is several times faster than hashing each
/// token on its own.
#[derive(Default, Clone)]
pub struct Ksumma {
    hasher: crc32fast::Hasher,
    pending: Vec<u8>,
}

const PENDING: usize = 64 << 10;

impl Ksumma {
    /// New, empty checksum.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feed one record: its label bytes and its tokens.
    pub fn feed_record(&mut self, label: &[u8], tokens: &[RawToken]) {
        self.feed(label);
        for t in tokens {
            match t {
                RawToken::Field { bytes, .. } => self.feed(bytes),
                RawToken::List(members) => members.iter().for_each(|m| self.feed(m)),
            }
        }
    }

    /// Feed raw bytes (used by the writer, which already knows its tokens).
    pub fn feed(&mut self, bytes: &[u8]) {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= PENDING {
            self.flush();
        }
    }

    fn flush(&mut self) {
        self.hasher.update(&self.pending);
        self.pending.clear();
    }

    /// The CRC-32 so far.
    pub fn value(&self) -> u32 {
        let mut h = self.hasher.clone();
        h.update(&self.pending);
        h.finalize()
    }

    /// Append the checksum of bytes that followed (as if they had been fed to `self`).
    pub fn combine(&mut self, later: &Ksumma) {
        self.flush();
        let mut l = later.hasher.clone();
        l.update(&later.pending);
        self.hasher.combine(&l);
    }
}

/// What the reader found out about #KSUMMA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ChecksumStatus {
    /// The file has no #KSUMMA.
    Absent,
    /// The declared checksum equals the computed one.
    Verified {
        /// The checksum.
        value: u32,
    },
    /// The declared checksum differs from the computed one.
    Mismatch {
        /// Value in the file.
        declared: u32,
        /// Value computed from the records.
        computed: u32,
    },
    /// An opening #KSUMMA without a closing one (spec 10.6: refuse the import).
    Unterminated,
    /// A #KSUMMA structure that cannot be verified (unparsable value, no opening #KSUMMA).
    Unverifiable,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::lex_line;

    #[test]
    fn crc_of_known_vector() {
        let mut k = Ksumma::new();
        k.feed(b"123456789");
        assert_eq!(k.value(), 0xCBF4_3926);
    }

    #[test]
    fn combined_parts_equal_the_whole() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut whole = Ksumma::new();
        whole.feed(&data);
        let (a, b) = data.split_at(70_001);
        let (mut first, mut second) = (Ksumma::new(), Ksumma::new());
        first.feed(a);
        second.feed(b);
        first.combine(&second);
        assert_eq!(first.value(), whole.value());
    }

    #[test]
    fn braces_quotes_and_spaces_do_not_count() {
        let mut a = Ksumma::new();
        let l = lex_line(br#"#TRANS 1910 {1 "A B"} "-5" "x\"y""#);
        a.feed_record(b"#TRANS", &l.tokens[1..]);
        let mut b = Ksumma::new();
        b.feed(b"#TRANS19101A B-5x\"y");
        assert_eq!(a.value(), b.value());
    }
}
