//! The streaming fast path: monthly net movements straight from the bytes of
//! a (huge) SIE file, without building a [`SieFile`](crate::SieFile).
//!
//! [`movements`], [`movements_from_reader`] and [`movements_from_path`] scan
//! a file once, line by line, and sum the *counted* voucher rows per account
//! × dimension-1 object × month, with exactly the semantics of
//! `balances(&read(bytes).0)`: #BTRANS rows never count, #RTRANS rows count
//! and their duplicate #TRANS does not, rows the reader would drop (bad
//! account, amount or object list, a #VER without a valid date, rows outside
//! a block) are dropped here too, and object ids are decoded with the same
//! whole-file encoding decision and per-field Latin-1 fallback. Lines are
//! split with `memchr`, fields are parsed as bytes, and only the fields that
//! matter are lexed (the label, then at most four fields of a row); a line
//! with anything unusual in those fields (a control character, a `\"`
//! escape, a long object list) goes through the reader's own lexer instead.
//! Text is decoded only once per distinct object id, at the end.
//! [`movements_from_path`] can split a file across threads at `#VER` lines,
//! where the reader's state is fully determined by the line itself.
//! Optionally it also collects the #PBUDGET rows, as the reader would.
//!
//! It deliberately produces no diagnostics, keeps no texts, quantities or
//! signatures of rows and does not check voucher balance or #KSUMMA: use
//! [`read`](crate::read) to validate a file. [`scan`] with a [`RowSink`]
//! hands every counted row to the caller for other streaming uses.

use crate::balances::BalanceRow;
use crate::encoding::{self, FileEncoding};
use crate::lexer::{self, RawToken};
use crate::model::{AccountNo, Amount, Date, ObjectRef, Period, PeriodAmount, Quantity, SieType};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

/// Options for a scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScanOptions {
    /// Also collect #PBUDGET rows (as [`SieFile::period_budgets`](crate::SieFile)).
    pub collect_budgets: bool,
}

/// Whether a row counts. Decided at once, except in one pathological case:
/// the #TRANS after an #RTRANS whose object ids differ as bytes but would
/// decode to the same text under one of the two possible file encodings
/// (e.g. Latin-1 `\xC5` vs CP437 `\x8F`, both "Å"), which is known only at
/// the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counted {
    /// The row counts.
    Yes,
    /// The row counts only if the file turns out to be CP437.
    IfCp437,
    /// The row counts only if the file turns out to be UTF-8.
    IfUtf8,
}

/// The voucher a row belongs to, as raw (undecoded) bytes.
#[derive(Debug, Clone, Copy)]
pub struct VoucherRef<'a> {
    /// Series (raw bytes, may be empty).
    pub series: &'a [u8],
    /// Number (raw bytes, may be empty).
    pub number: &'a [u8],
    /// Voucher date.
    pub date: Date,
    /// 1-based ordinal of its #VER among the #VER lines scanned (by this
    /// thread), to tell vouchers apart even when series and number repeat.
    pub ordinal: u64,
}

/// One counted voucher row, borrowed from the scanner.
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    /// Account digits (ASCII, 1–10 digits).
    pub account: &'a [u8],
    /// Object list after the reader's rules (pairs, first per dimension,
    /// empty ids dropped), raw object bytes.
    pub objects: &'a [(u32, &'a [u8])],
    /// Amount in öre.
    pub amount: i64,
    /// The transaction date, or the voucher date when the row has none.
    pub date: Date,
    /// Whether the row counts.
    pub counted: Counted,
}

impl RowRef<'_> {
    /// Raw id of the object in dimension `dim`.
    pub fn object_in(&self, dim: u32) -> Option<&[u8]> {
        self.objects
            .iter()
            .find(|(d, _)| *d == dim)
            .map(|(_, o)| *o)
    }
}

/// Receives every row that counts (or may count, see [`Counted`]).
pub trait RowSink {
    /// Called once per counted row, in file order.
    fn row(&mut self, voucher: &VoucherRef<'_>, row: &RowRef<'_>);
}

/// Facts about the bytes scanned, needed to decode text at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingFacts {
    /// The input started with a UTF-8 byte-order mark.
    pub utf8_bom: bool,
    /// The input started with a UTF-16 byte-order mark (transcoded first).
    pub utf16: bool,
    /// Some byte was not ASCII.
    pub non_ascii: bool,
    /// Every chunk seen so far was valid UTF-8.
    pub valid_utf8: bool,
}

impl Default for EncodingFacts {
    fn default() -> Self {
        EncodingFacts {
            utf8_bom: false,
            utf16: false,
            non_ascii: false,
            valid_utf8: true,
        }
    }
}

impl EncodingFacts {
    /// The encoding [`crate::encoding::detect`] would choose for the whole input.
    pub fn encoding(&self) -> FileEncoding {
        if self.utf16 {
            FileEncoding::Utf16
        } else if self.utf8_bom || (self.non_ascii && self.valid_utf8) {
            FileEncoding::Utf8
        } else {
            FileEncoding::Cp437
        }
    }

    fn observe(&mut self, block: &[u8]) {
        if self.valid_utf8 && !block.is_ascii() {
            self.non_ascii = true;
            if std::str::from_utf8(block).is_err() {
                self.valid_utf8 = false;
            }
        }
    }

    fn merge(&mut self, later: &EncodingFacts) {
        self.non_ascii |= later.non_ascii;
        self.valid_utf8 &= later.valid_utf8;
    }
}

// ------------------------------------------------------------------ lexing

/// A byte range of the line (or of the slow path's scratch buffer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    start: usize,
    end: usize,
}

/// A field of a line: text or an object list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Text(Span),
    /// An object list; `first` is true for the first list of the line, the
    /// only one whose members are kept (later ones never matter).
    List {
        first: bool,
    },
}

const MAX_FIELDS: usize = 6;
const MAX_MEMBERS: usize = 16;

/// The first fields of a line after its label, as spans; reused from line to
/// line so that lexing allocates nothing.
#[derive(Debug, Default)]
struct Toks {
    fields: [Option<Tok>; MAX_FIELDS],
    n: usize,
    /// Members of the first object list.
    members: Vec<Span>,
    /// The slow path's unescaped tokens, which spans then point into.
    scratch: Vec<u8>,
}

impl Toks {
    fn clear(&mut self) {
        self.n = 0;
        self.members.clear();
        self.scratch.clear();
    }
    fn push(&mut self, tok: Tok) {
        if let Some(slot) = self.fields.get_mut(self.n) {
            *slot = Some(tok);
        }
        self.n += 1;
    }
}

/// The fields of one line: spans plus the bytes they point into.
#[derive(Clone, Copy)]
struct View<'a> {
    toks: &'a Toks,
    base: &'a [u8],
}

impl<'a> View<'a> {
    fn span(&self, s: Span) -> &'a [u8] {
        self.base.get(s.start..s.end).unwrap_or_default()
    }
    fn text(&self, i: usize) -> Option<&'a [u8]> {
        match self.toks.fields.get(i).filter(|_| i < self.toks.n) {
            Some(Some(Tok::Text(s))) => Some(self.span(*s)),
            _ => None,
        }
    }
    fn is_list(&self, i: usize) -> bool {
        i < self.toks.n && matches!(self.toks.fields.get(i), Some(Some(Tok::List { .. })))
    }
    fn members(&self) -> impl ExactSizeIterator<Item = &'a [u8]> + '_ {
        self.toks.members.iter().map(|s| self.span(*s))
    }
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7F
}

/// What a label is, and how many fields of it matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Row(RowKind),
    Ver,
    Ksumma,
    Pbudget,
    Sietyp,
    OtherKnown,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    Normal,
    Added,
    Struck,
}

const OTHER_KNOWN: &[&[u8]] = &[
    b"#FLAGGA",
    b"#PROGRAM",
    b"#FORMAT",
    b"#GEN",
    b"#PROSA",
    b"#FTYP",
    b"#FNR",
    b"#ORGNR",
    b"#BKOD",
    b"#ADRESS",
    b"#FNAMN",
    b"#RAR",
    b"#TAXAR",
    b"#OMFATTN",
    b"#KPTYP",
    b"#VALUTA",
    b"#KONTO",
    b"#KTYP",
    b"#ENHET",
    b"#SRU",
    b"#DIM",
    b"#UNDERDIM",
    b"#OBJEKT",
    b"#IB",
    b"#UB",
    b"#OIB",
    b"#OUB",
    b"#RES",
    b"#PSALDO",
];

fn classify(label: &[u8]) -> Label {
    // The hot case first: exact upper-case #TRANS.
    if label == b"#TRANS" {
        return Label::Row(RowKind::Normal);
    }
    if label.len() > 12 || !label.is_ascii() {
        return Label::Unknown;
    }
    let mut buf = [0u8; 12];
    let upper = match buf.get_mut(..label.len()) {
        Some(b) => b,
        None => return Label::Unknown,
    };
    upper.copy_from_slice(label);
    upper.make_ascii_uppercase();
    match &*upper {
        b"#TRANS" => Label::Row(RowKind::Normal),
        b"#RTRANS" => Label::Row(RowKind::Added),
        b"#BTRANS" => Label::Row(RowKind::Struck),
        b"#VER" => Label::Ver,
        b"#KSUMMA" => Label::Ksumma,
        b"#PBUDGET" => Label::Pbudget,
        b"#SIETYP" => Label::Sietyp,
        u if OTHER_KNOWN.contains(&u) => Label::OtherKnown,
        _ => Label::Unknown,
    }
}

fn fields_needed(label: Label, budgets: bool) -> usize {
    match label {
        Label::Row(_) => 4,
        Label::Ver => 3,
        Label::Pbudget if budgets => 6,
        Label::Sietyp => 1,
        _ => 0,
    }
}

/// Scan a quoted field starting after its opening quote. `None`: needs the
/// full lexer (an escape or a control character).
fn fast_quoted(line: &[u8], mut i: usize) -> Option<(Span, usize)> {
    let start = i;
    while let Some(&c) = line.get(i) {
        if c == b'"' {
            return Some((Span { start, end: i }, i + 1));
        }
        if (c == b'\\' && line.get(i + 1) == Some(&b'"')) || is_control(c) {
            return None;
        }
        i += 1;
    }
    Some((Span { start, end: i }, i))
}

/// Lex the label and the fields that matter, exactly as [`lexer::lex_line`]
/// would. `None` when the line needs the full lexer, or is not a record.
fn fast_lex(line: &[u8], budgets: bool, toks: &mut Toks) -> Option<Label> {
    let mut i = 0;
    while line.get(i).is_some_and(|&b| is_ws(b)) {
        i += 1;
    }
    // The label: an unquoted field starting with '#'.
    if line.get(i) != Some(&b'#') {
        return None;
    }
    let start = i;
    while let Some(&c) = line.get(i) {
        if is_ws(c) || c == b'{' {
            break;
        }
        if is_control(c) {
            return None;
        }
        i += 1;
    }
    let label_bytes = line.get(start..i)?;
    if label_bytes.len() < 2 {
        return None;
    }
    let label = classify(label_bytes);
    let want = fields_needed(label, budgets);
    toks.clear();
    let mut seen_list = false;
    while toks.n < want {
        while line.get(i).is_some_and(|&b| is_ws(b)) {
            i += 1;
        }
        let Some(&b) = line.get(i) else { break };
        if is_control(b) {
            return None;
        }
        let tok = match b {
            b'"' => {
                let (s, next) = fast_quoted(line, i + 1)?;
                i = next;
                Tok::Text(s)
            }
            b'{' => {
                i += 1;
                let first = !seen_list;
                seen_list = true;
                while let Some(&c) = line.get(i) {
                    if is_ws(c) {
                        i += 1;
                        continue;
                    }
                    if is_control(c) {
                        return None;
                    }
                    let member = match c {
                        b'}' => {
                            i += 1;
                            break;
                        }
                        b'{' => {
                            i += 1;
                            continue;
                        }
                        b'"' => {
                            let (s, next) = fast_quoted(line, i + 1)?;
                            i = next;
                            s
                        }
                        _ => {
                            let s = i;
                            while let Some(&d) = line.get(i) {
                                if is_ws(d) || d == b'}' || d == b'{' {
                                    break;
                                }
                                if is_control(d) {
                                    return None;
                                }
                                i += 1;
                            }
                            Span { start: s, end: i }
                        }
                    };
                    if first {
                        toks.members.push(member);
                    }
                }
                Tok::List { first }
            }
            _ => {
                let s = i;
                while let Some(&d) = line.get(i) {
                    if is_ws(d) || d == b'{' {
                        break;
                    }
                    if is_control(d) {
                        return None;
                    }
                    i += 1;
                }
                Tok::Text(Span { start: s, end: i })
            }
        };
        toks.push(tok);
    }
    Some(label)
}

/// A canonical `#TRANS` line: account digits, number of object-list members
/// (in the caller's array), amount in öre, and the 8 date digits if any.
type HotRow<'a> = (&'a [u8], usize, i64, Option<&'a [u8]>);

/// Skip spaces and tabs.
fn skip_ws(line: &[u8], mut i: usize) -> usize {
    while line.get(i).is_some_and(|&b| is_ws(b)) {
        i += 1;
    }
    i
}

/// Whether position `i` ends a field: a space, a tab or the end of the line.
fn ends_field(line: &[u8], i: usize) -> bool {
    line.get(i).is_none_or(|&b| is_ws(b))
}

/// The hot case in one pass: a line that starts exactly with `#TRANS `,
/// then an account of 1–10 digits, an object list of plain members (digits,
/// or quoted/bare ids without escapes, braces or control characters), an
/// amount `[-]digits[.d[d]]`, and an optional 8-digit date, each ended by
/// whitespace or the end of the line; what follows is never looked at.
/// Returns (account, member count, amount, date digits); `None` whenever the line
/// deviates in any way, and then the general path decides: this function
/// never drops a row by itself, so it cannot disagree with the reader.
fn hot_trans<'a>(line: &'a [u8], members: &mut [&'a [u8]; MAX_MEMBERS]) -> Option<HotRow<'a>> {
    let mut i = 7; // after "#TRANS "
    i = skip_ws(line, i);
    let start = i;
    while line.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let account = line.get(start..i)?;
    if account.is_empty() || account.len() > 10 || !ends_field(line, i) {
        return None;
    }
    i = skip_ws(line, i);
    if line.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    let mut n = 0;
    loop {
        i = skip_ws(line, i);
        let c = *line.get(i)?;
        let member = match c {
            b'}' => {
                i += 1;
                break;
            }
            b'"' => {
                let s = i + 1;
                let mut j = s;
                loop {
                    let d = *line.get(j)?;
                    if d == b'"' {
                        break;
                    }
                    if d == b'\\' || is_control(d) {
                        return None;
                    }
                    j += 1;
                }
                i = j + 1;
                // The next member or the end of the list must follow.
                if !matches!(line.get(i), Some(b' ' | b'\t' | b'}')) {
                    return None;
                }
                line.get(s..j)?
            }
            _ => {
                let s = i;
                while let Some(&d) = line.get(i) {
                    if is_ws(d) || d == b'}' {
                        break;
                    }
                    if d == b'{' || d == b'"' || is_control(d) {
                        return None;
                    }
                    i += 1;
                }
                line.get(s..i)?
            }
        };
        *members.get_mut(n)? = member;
        n += 1;
    }
    if !ends_field(line, i) {
        return None;
    }
    i = skip_ws(line, i);
    // Amount.
    let neg = line.get(i) == Some(&b'-');
    if neg {
        i += 1;
    }
    let s = i;
    let mut kronor: i64 = 0;
    while let Some(&d) = line.get(i).filter(|d| d.is_ascii_digit()) {
        kronor = kronor.checked_mul(10)?.checked_add(i64::from(d - b'0'))?;
        i += 1;
    }
    if i == s {
        return None;
    }
    let mut ore = kronor.checked_mul(100)?;
    if line.get(i) == Some(&b'.') {
        let d1 = line.get(i + 1).filter(|d| d.is_ascii_digit())?;
        ore += i64::from(d1 - b'0') * 10;
        i += 2;
        if let Some(d2) = line.get(i).filter(|d| d.is_ascii_digit()) {
            ore += i64::from(d2 - b'0');
            i += 1;
        }
    }
    if !ends_field(line, i) {
        return None;
    }
    let amount = if neg { -ore } else { ore };
    i = skip_ws(line, i);
    // Date: absent, or eight digits.
    if i >= line.len() {
        return Some((account, n, amount, None));
    }
    let date = line.get(i..i + 8)?;
    if !date.iter().all(u8::is_ascii_digit) || !ends_field(line, i + 8) {
        return None;
    }
    Some((account, n, amount, Some(date)))
}

/// The same, from the reader's own lexer (the slow, general path): the
/// unescaped tokens are copied into the scratch buffer.
fn slow_toks(lexed: &lexer::LexedLine, budgets: bool, toks: &mut Toks) -> Option<Label> {
    let (first, rest) = lexed.tokens.split_first()?;
    let label_bytes = match first {
        RawToken::Field {
            bytes,
            quoted: false,
        } if bytes.first() == Some(&b'#') && bytes.len() > 1 => bytes.as_slice(),
        _ => return None,
    };
    let label = classify(label_bytes);
    let want = fields_needed(label, budgets);
    toks.clear();
    let mut seen_list = false;
    for t in rest.iter().take(want) {
        let tok = match t {
            RawToken::Field { bytes, .. } => {
                let start = toks.scratch.len();
                toks.scratch.extend_from_slice(bytes);
                Tok::Text(Span {
                    start,
                    end: toks.scratch.len(),
                })
            }
            RawToken::List(members) => {
                let first = !seen_list;
                seen_list = true;
                if first {
                    for m in members {
                        let start = toks.scratch.len();
                        toks.scratch.extend_from_slice(m);
                        let end = toks.scratch.len();
                        toks.members.push(Span { start, end });
                    }
                }
                Tok::List { first }
            }
        };
        toks.push(tok);
    }
    Some(label)
}

// ----------------------------------------------------------------- values

/// `Amount::parse` on bytes.
fn parse_amount(s: &[u8]) -> Option<i64> {
    let (neg, body) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let (int, frac) = match memchr::memchr(b'.', body) {
        Some(p) => (body.get(..p)?, Some(body.get(p + 1..)?)),
        None => (body, None),
    };
    if int.is_empty() {
        return None;
    }
    let mut kronor: i64 = 0;
    for &b in int {
        if !b.is_ascii_digit() {
            return None;
        }
        kronor = kronor.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    let frac_ore = match frac {
        None => 0,
        Some([a]) if a.is_ascii_digit() => i64::from(a - b'0') * 10,
        Some([a, b]) if a.is_ascii_digit() && b.is_ascii_digit() => {
            i64::from(a - b'0') * 10 + i64::from(b - b'0')
        }
        Some(_) => return None,
    };
    let ore = kronor.checked_mul(100)?.checked_add(frac_ore)?;
    Some(if neg { -ore } else { ore })
}

fn digits(s: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(b - b'0');
    }
    Some(v)
}

/// `Date::parse` on bytes.
fn parse_date(s: &[u8]) -> Option<Date> {
    if s.len() != 8 {
        return None;
    }
    let y = digits(s.get(0..4)?)?;
    let m = digits(s.get(4..6)?)?;
    let d = digits(s.get(6..8)?)?;
    Date::new(
        u16::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(d).ok()?,
    )
}

/// An optional date field as the reader treats it (`None` if empty,
/// `00000000` or invalid).
fn optional_date(s: &[u8]) -> Option<Date> {
    if s.is_empty() || s == b"00000000" {
        return None;
    }
    parse_date(s)
}

/// The reader's `parse_dim` on bytes.
fn parse_dim(s: &[u8]) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let mut v: u32 = 0;
    for &b in s {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u32::from(b - b'0'))?;
    }
    Some(v)
}

fn is_account(s: &[u8]) -> bool {
    !s.is_empty() && s.len() <= 10 && s.iter().all(u8::is_ascii_digit)
}

/// The reader's object-list rules: an even number of members, valid
/// dimension numbers, empty ids skipped, the first object per dimension.
/// Writes into `out` (room for half the members) and returns the count;
/// `None` means the record is dropped.
fn object_pairs<'a>(
    members: impl ExactSizeIterator<Item = &'a [u8]>,
    out: &mut [(u32, &'a [u8])],
) -> Option<usize> {
    if !members.len().is_multiple_of(2) {
        return None;
    }
    let mut n = 0;
    let mut members = members;
    while let (Some(d), Some(o)) = (members.next(), members.next()) {
        let dim = parse_dim(d)?;
        let taken = out.get(..n).unwrap_or_default();
        if o.is_empty() || taken.iter().any(|(x, _)| *x == dim) {
            continue;
        }
        *out.get_mut(n)? = (dim, o);
        n += 1;
    }
    Some(n)
}

/// Object pairs of the first list, on the stack unless the list is long.
fn with_pairs<'a, T>(view: View<'a>, f: impl FnOnce(Option<&[(u32, &'a [u8])]>) -> T) -> T {
    let mut arr: [(u32, &'a [u8]); MAX_MEMBERS / 2] = [(0, &[]); MAX_MEMBERS / 2];
    let mut spill: Vec<(u32, &'a [u8])> = Vec::new();
    let half = view.toks.members.len() / 2;
    let buf: &mut [(u32, &'a [u8])] = if half <= arr.len() {
        &mut arr
    } else {
        spill.resize(half, (0, &[]));
        &mut spill
    };
    match object_pairs(view.members(), buf) {
        Some(n) => f(buf.get(..n)),
        None => f(None),
    }
}

fn decode(bytes: &[u8], enc: FileEncoding) -> String {
    encoding::decode_field(bytes, enc).0
}

/// Whether two object lists are equal once decoded, under CP437 and under
/// UTF-8 (as `(cp437, utf8)`).
fn objects_equal(a: &[(u32, Vec<u8>)], b: &[(u32, &[u8])]) -> (bool, bool) {
    if a.len() != b.len() || a.iter().zip(b).any(|(x, y)| x.0 != y.0) {
        return (false, false);
    }
    if a.iter().zip(b).all(|(x, y)| x.1 == y.1) {
        return (true, true);
    }
    let eq = |enc| {
        a.iter()
            .zip(b)
            .all(|(x, y)| decode(&x.1, enc) == decode(y.1, enc))
    };
    (eq(FileEncoding::Cp437), eq(FileEncoding::Utf8))
}

// ---------------------------------------------------------------- scanner

struct PendingAdded {
    account: Vec<u8>,
    objects: Vec<(u32, Vec<u8>)>,
    amount: i64,
}

struct OpenVoucher {
    /// `None`: the #VER had no valid date (or the block is being skipped).
    date: Option<Date>,
    open: bool,
    pending: Option<PendingAdded>,
}

/// A #PBUDGET row with its object ids still raw.
#[derive(Debug, Clone)]
struct RawBudget {
    year: i32,
    period: Period,
    account: AccountNo,
    objects: Vec<(u32, Vec<u8>)>,
    amount: i64,
    quantity: Option<Quantity>,
}

/// The scanner's state between lines; one per thread.
struct Scanner<'s, S: RowSink> {
    sink: &'s mut S,
    options: ScanOptions,
    voucher: Option<OpenVoucher>,
    series: Vec<u8>,
    number: Vec<u8>,
    vers: u64,
    facts: EncodingFacts,
    sie_type: Option<SieType>,
    budgets: Vec<RawBudget>,
    lines: u64,
    toks: Option<Box<Toks>>,
    /// The last 8-digit row date seen by the hot path, and its parse.
    last_date: (Vec<u8>, Option<Date>),
}

impl<'s, S: RowSink> Scanner<'s, S> {
    fn new(sink: &'s mut S, options: ScanOptions) -> Self {
        Scanner {
            sink,
            options,
            voucher: None,
            series: Vec::new(),
            number: Vec::new(),
            vers: 0,
            facts: EncodingFacts::default(),
            sie_type: None,
            budgets: Vec::new(),
            lines: 0,
            toks: Some(Box::default()),
            last_date: (Vec::new(), None),
        }
    }

    /// Scan a block of complete lines (the last one may lack its LF only at
    /// the end of the input).
    fn block(&mut self, block: &[u8]) {
        self.facts.observe(block);
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', block) {
            if let Some(line) = block.get(start..end) {
                self.line(line);
            }
            start = end + 1;
        }
        if let Some(rest) = block.get(start..).filter(|r| !r.is_empty()) {
            self.line(rest);
        }
    }

    fn line(&mut self, raw: &[u8]) {
        self.lines += 1;
        let line = raw.strip_suffix(b"\r").unwrap_or(raw);
        let first = line.first().copied().unwrap_or(b' ');
        if first != b'#' {
            let trimmed = line.trim_ascii();
            if trimmed.is_empty() {
                return;
            }
            if trimmed == b"{" {
                self.open_brace();
                return;
            }
            if trimmed == b"}" {
                self.close_brace();
                return;
            }
        }
        if line.starts_with(b"#TRANS ") && self.hot_row(line) {
            return;
        }
        let budgets = self.options.collect_budgets;
        // Moved out and back as a pointer, so that `record` can borrow self.
        let mut toks = self.toks.take().unwrap_or_default();
        if let Some(label) = fast_lex(line, budgets, &mut toks) {
            self.record(
                label,
                View {
                    toks: &toks,
                    base: line,
                },
            );
        } else {
            let lexed = lexer::lex_line(line);
            if let Some(label) = slow_toks(&lexed, budgets, &mut toks) {
                self.record(
                    label,
                    View {
                        toks: &toks,
                        base: &toks.scratch,
                    },
                );
            }
        }
        self.toks = Some(toks);
    }

    fn open_brace(&mut self) {
        match &mut self.voucher {
            Some(v) if !v.open => v.open = true,
            _ => {
                // Inside an open block or without a #VER: the block is skipped.
                self.voucher = Some(OpenVoucher {
                    date: None,
                    open: true,
                    pending: None,
                });
            }
        }
    }

    fn close_brace(&mut self) {
        if self.voucher.as_ref().is_some_and(|v| v.open) {
            self.voucher = None;
        }
    }

    fn record(&mut self, label: Label, view: View<'_>) {
        let (is_row, known) = match label {
            Label::Ksumma => return,
            Label::Row(_) => (true, true),
            Label::Unknown => (false, false),
            _ => (false, true),
        };
        if let Some(v) = &self.voucher {
            match (v.open, is_row, known) {
                (true, true, _) => {
                    if let Label::Row(kind) = label {
                        self.row(kind, view);
                    }
                    return;
                }
                (true, false, true) | (false, _, _) => self.voucher = None,
                (true, false, false) => {}
            }
        }
        match label {
            Label::Ver => self.ver(view),
            Label::Sietyp if self.sie_type.is_none() => {
                self.sie_type = view
                    .text(0)
                    .and_then(|s| std::str::from_utf8(s).ok())
                    .and_then(SieType::parse);
            }
            Label::Pbudget if self.options.collect_budgets => self.pbudget(view),
            _ => {}
        }
    }

    fn ver(&mut self, view: View<'_>) {
        let date = parse_date(view.text(2).unwrap_or_default());
        self.vers += 1;
        self.series.clear();
        self.series
            .extend_from_slice(view.text(0).unwrap_or_default());
        self.number.clear();
        self.number
            .extend_from_slice(view.text(1).unwrap_or_default());
        self.voucher = Some(OpenVoucher {
            date,
            open: false,
            pending: None,
        });
    }

    fn row(&mut self, kind: RowKind, view: View<'_>) {
        if self.voucher.as_ref().is_none_or(|v| v.date.is_none()) {
            return; // no open voucher with a valid #VER: the reader discards
        }
        if view.is_list(1) {
            with_pairs(view, |pairs| {
                if let Some(pairs) = pairs {
                    self.row_with(kind, view, pairs, 2);
                }
            });
        } else {
            self.row_with(kind, view, &[], 1);
        }
    }

    /// The rest of the reader's `trans_fields`.
    fn row_with(&mut self, kind: RowKind, view: View<'_>, pairs: &[(u32, &[u8])], next: usize) {
        let Some(account) = view.text(0).filter(|a| is_account(a)) else {
            return;
        };
        let Some(amount) = view.text(next).and_then(parse_amount) else {
            return;
        };
        let date = optional_date(view.text(next + 1).unwrap_or_default());
        self.row_parsed(kind, account, pairs, amount, date);
    }

    /// The canonical `#TRANS` line, parsed in one pass (see [`hot_trans`]).
    /// Returns false when the general path must decide.
    fn hot_row(&mut self, line: &[u8]) -> bool {
        let mut members: [&[u8]; MAX_MEMBERS] = [&[]; MAX_MEMBERS];
        let Some((account, n, amount, date_digits)) = hot_trans(line, &mut members) else {
            return false;
        };
        // Rows of a voucher mostly share a date: parse each distinct one once.
        let date = match date_digits {
            None => None,
            Some(d) if d == self.last_date.0 => self.last_date.1,
            Some(d) => {
                let parsed = parse_date(d);
                self.last_date.0.clear();
                self.last_date.0.extend_from_slice(d);
                self.last_date.1 = parsed;
                parsed
            }
        };
        match &self.voucher {
            Some(v) if v.open => {
                if v.date.is_none() {
                    return true; // the reader discards rows of a dateless #VER
                }
                let mut pairs: [(u32, &[u8]); MAX_MEMBERS / 2] = [(0, &[]); MAX_MEMBERS / 2];
                let list = members.get(..n).unwrap_or_default().iter().copied();
                if let Some(k) = object_pairs(list, &mut pairs) {
                    self.row_parsed(
                        RowKind::Normal,
                        account,
                        pairs.get(..k).unwrap_or_default(),
                        amount,
                        date,
                    );
                }
            }
            // A row after a #VER without '{': the voucher ends, the row is misplaced.
            Some(_) => self.voucher = None,
            None => {}
        }
        true
    }

    /// The reader's `row`: #RTRANS/#BTRANS bookkeeping, then the sink.
    fn row_parsed(
        &mut self,
        kind: RowKind,
        account: &[u8],
        pairs: &[(u32, &[u8])],
        amount: i64,
        date: Option<Date>,
    ) {
        let Some(v) = self.voucher.as_mut() else {
            return;
        };
        let Some(voucher_date) = v.date else {
            return;
        };
        let date = date.unwrap_or(voucher_date);

        let pending = v.pending.take();
        let mut counted = match kind {
            RowKind::Struck => None,
            RowKind::Normal | RowKind::Added => Some(Counted::Yes),
        };
        if let (Some(p), RowKind::Normal) = (&pending, kind)
            && p.account == account
            && p.amount == amount
        {
            counted = match objects_equal(&p.objects, pairs) {
                (true, true) => None,
                (false, false) => Some(Counted::Yes),
                (true, false) => Some(Counted::IfUtf8),
                (false, true) => Some(Counted::IfCp437),
            };
        }
        if kind == RowKind::Added {
            v.pending = Some(PendingAdded {
                account: account.to_vec(),
                objects: pairs.iter().map(|(d, o)| (*d, o.to_vec())).collect(),
                amount,
            });
        }
        if let Some(counted) = counted {
            let voucher = VoucherRef {
                series: &self.series,
                number: &self.number,
                date: voucher_date,
                ordinal: self.vers,
            };
            let row = RowRef {
                account,
                objects: pairs,
                amount,
                date,
                counted,
            };
            self.sink.row(&voucher, &row);
        }
    }

    fn pbudget(&mut self, view: View<'_>) {
        let Some(year) = view
            .text(0)
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| s.parse::<i32>().ok())
        else {
            return;
        };
        let Some(period) = std::str::from_utf8(view.text(1).unwrap_or_default())
            .ok()
            .and_then(|s| Period::parse(s).ok())
        else {
            return;
        };
        let Some(account) = view
            .text(2)
            .filter(|a| !a.is_empty())
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| AccountNo::parse(s).ok())
        else {
            return;
        };
        let (objects, next) = if view.is_list(3) {
            let owned = with_pairs(view, |pairs| {
                pairs.map(|p| p.iter().map(|(d, o)| (*d, o.to_vec())).collect::<Vec<_>>())
            });
            let Some(objects) = owned else { return };
            (objects, 4)
        } else {
            (Vec::new(), 3)
        };
        let Some(amount) = view.text(next).and_then(parse_amount) else {
            return;
        };
        let quantity = view
            .text(next + 1)
            .filter(|s| !s.is_empty())
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| Quantity::parse(s).ok());
        self.budgets.push(RawBudget {
            year,
            period,
            account,
            objects,
            amount,
            quantity,
        });
    }

    fn finish(self) -> ScanState {
        ScanState {
            facts: self.facts,
            sie_type: self.sie_type,
            budgets: self.budgets,
            lines: self.lines,
        }
    }
}

/// What a scan learned besides the rows it handed to the sink.
#[derive(Debug, Clone, Default)]
pub struct ScanState {
    facts: EncodingFacts,
    sie_type: Option<SieType>,
    budgets: Vec<RawBudget>,
    lines: u64,
}

impl ScanState {
    /// Combine with the state of the part of the file that follows.
    fn merge(&mut self, later: ScanState) {
        self.facts.merge(&later.facts);
        if self.sie_type.is_none() {
            self.sie_type = later.sie_type;
        }
        self.budgets.extend(later.budgets);
        self.lines += later.lines;
    }

    /// The file encoding, as the reader would choose it.
    pub fn encoding(&self) -> FileEncoding {
        self.facts.encoding()
    }

    /// Number of lines scanned.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The #PBUDGET rows (when collected), exactly as the reader's
    /// `period_budgets`, including its type-2 rule.
    pub fn budgets(&self) -> Vec<PeriodAmount> {
        let enc = self.encoding();
        self.budgets
            .iter()
            .filter(|b| self.sie_type != Some(SieType::Type2) || b.objects.is_empty())
            .map(|b| PeriodAmount {
                year: b.year,
                period: b.period,
                account: b.account.clone(),
                objects: b
                    .objects
                    .iter()
                    .map(|(d, o)| ObjectRef::new(*d, decode(o, enc)))
                    .collect(),
                amount: Amount(b.amount),
                quantity: b.quantity.clone(),
            })
            .collect()
    }
}

/// Scan bytes held in memory, handing every counted row to `sink`.
pub fn scan<S: RowSink>(bytes: &[u8], options: ScanOptions, sink: &mut S) -> ScanState {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        // UTF-16: transcode like the reader, then scan the UTF-8 text.
        let detected = encoding::detect(bytes);
        let mut state = scan(&detected.bytes, options, sink);
        state.facts.utf16 = true;
        return state;
    }
    let (body, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let mut scanner = Scanner::new(sink, options);
    scanner.facts.utf8_bom = bom;
    scanner.block(body);
    scanner.finish()
}

const CHUNK: usize = 4 << 20;

/// Scan from a reader in chunks of 4 MiB (memory stays flat).
pub fn scan_reader<R: Read, S: RowSink>(
    mut reader: R,
    options: ScanOptions,
    sink: &mut S,
) -> io::Result<ScanState> {
    let mut buf = vec![0u8; CHUNK];
    let mut filled = fill(&mut reader, &mut buf, 0)?;
    let head = buf.get(..filled).unwrap_or_default();
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let mut all = head.to_vec();
        reader.read_to_end(&mut all)?;
        return Ok(scan(&all, options, sink));
    }
    let mut scanner = Scanner::new(sink, options);
    let mut start = 0;
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        scanner.facts.utf8_bom = true;
        start = 3;
    }
    loop {
        let eof = filled < buf.len();
        let data = buf.get(start..filled).unwrap_or_default();
        if eof {
            scanner.block(data);
            break;
        }
        match memchr::memrchr(b'\n', data) {
            Some(p) => {
                scanner.block(data.get(..=p).unwrap_or_default());
                let tail = start + p + 1;
                buf.copy_within(tail..filled, 0);
                filled -= tail;
            }
            None => {
                // One line longer than the buffer: grow it.
                buf.copy_within(start..filled, 0);
                filled -= start;
                let len = buf.len();
                buf.resize(len * 2, 0);
            }
        }
        start = 0;
        filled = fill(&mut reader, &mut buf, filled)?;
    }
    Ok(scanner.finish())
}

fn fill<R: Read>(reader: &mut R, buf: &mut [u8], mut filled: usize) -> io::Result<usize> {
    while filled < buf.len() {
        let Some(space) = buf.get_mut(filled..) else {
            break;
        };
        match reader.read(space) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The encoding [`crate::read`] would choose for a file, found by reading
/// only as far as needed: the first chunk with a byte that is not valid
/// UTF-8 settles it as CP437 (the usual case); otherwise the whole file is
/// checked.
pub fn detect_encoding_path(path: &Path) -> io::Result<FileEncoding> {
    let mut file = std::fs::File::open(path)?;
    let mut buf = vec![0u8; CHUNK];
    let mut facts = EncodingFacts::default();
    let mut filled = fill(&mut file, &mut buf, 0)?;
    let head = buf.get(..filled).unwrap_or_default();
    if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        return Ok(FileEncoding::Utf16);
    }
    if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return Ok(FileEncoding::Utf8);
    }
    loop {
        let data = buf.get(..filled).unwrap_or_default();
        if filled < buf.len() {
            facts.observe(data);
            return Ok(facts.encoding());
        }
        // Validate up to the last line end: a UTF-8 sequence never spans one.
        let Some(p) = memchr::memrchr(b'\n', data) else {
            // One line longer than the buffer: grow it.
            let len = buf.len();
            buf.resize(len * 2, 0);
            filled = fill(&mut file, &mut buf, filled)?;
            continue;
        };
        facts.observe(data.get(..=p).unwrap_or_default());
        if !facts.valid_utf8 {
            return Ok(facts.encoding());
        }
        buf.copy_within(p + 1..filled, 0);
        filled = fill(&mut file, &mut buf, filled - p - 1)?;
    }
}

/// Byte offsets that split a file into `parts` regions, each (but the
/// first) starting at a line `#VER␠` or `#VER\t`: there the reader's state
/// depends on that line only, so regions can be scanned independently.
fn split_points(file: &mut std::fs::File, len: u64, parts: usize) -> io::Result<Vec<u64>> {
    let mut points = vec![0u64];
    let mut window = vec![0u8; 1 << 20];
    for k in 1..parts {
        let target = len / parts as u64 * k as u64;
        let prev = points.last().copied().unwrap_or(0);
        let mut pos = target.max(prev);
        let mut found = None;
        while pos < len && found.is_none() {
            file.seek(SeekFrom::Start(pos))?;
            let n = fill(file, &mut window, 0)?;
            let data = window.get(..n).unwrap_or_default();
            let finder = memchr::memmem::Finder::new(b"\n#VER");
            for p in finder.find_iter(data) {
                match data.get(p + 5) {
                    Some(b' ' | b'\t') => {
                        found = Some(pos + p as u64 + 1);
                        break;
                    }
                    Some(_) => {}
                    None => break,
                }
            }
            if n < 8 {
                break;
            }
            // Overlap so that a match across the window edge is not missed.
            pos += (n - 8) as u64;
        }
        match found {
            Some(p) if p > prev => points.push(p),
            _ => break,
        }
    }
    points.push(len);
    Ok(points)
}

/// A sink that can be split across threads and merged back in file order.
pub trait MergeSink: RowSink + Send + Sized {
    /// An empty sink for another part of the file.
    fn fork(&self) -> Self;
    /// Append the rows of the part of the file that follows.
    fn merge(&mut self, later: Self);
}

/// Scan a file with up to `threads` threads (regions split at `#VER` lines).
pub fn scan_path<S: MergeSink>(
    path: &Path,
    threads: usize,
    options: ScanOptions,
    sink: &mut S,
) -> io::Result<ScanState> {
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    let mut head = [0u8; 2];
    let n = fill(&mut file, &mut head, 0)?;
    let utf16 = n == 2 && (head == [0xFF, 0xFE] || head == [0xFE, 0xFF]);
    if threads <= 1 || utf16 || len < (8 << 20) {
        file.seek(SeekFrom::Start(0))?;
        return scan_reader(file, options, sink);
    }
    let points = split_points(&mut file, len, threads)?;
    let regions: Vec<(u64, u64)> = points
        .windows(2)
        .filter_map(|w| Some((*w.first()?, *w.get(1)?)))
        .collect();
    let mut forks: Vec<S> = regions.iter().skip(1).map(|_| sink.fork()).collect();
    let results: Vec<io::Result<ScanState>> = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        let mut iter = regions.iter();
        let first = iter.next().copied();
        for (&(start, end), fork) in iter.zip(forks.iter_mut()) {
            handles.push(scope.spawn(move || -> io::Result<ScanState> {
                let mut f = std::fs::File::open(path)?;
                f.seek(SeekFrom::Start(start))?;
                let mut state = scan_reader(f.take(end - start), options, fork)?;
                // Only the start of the file can carry a byte-order mark.
                state.facts.utf8_bom = false;
                Ok(state)
            }));
        }
        let mut out = Vec::new();
        if let Some((start, end)) = first {
            out.push((|| {
                let mut f = std::fs::File::open(path)?;
                f.seek(SeekFrom::Start(start))?;
                scan_reader(f.take(end - start), options, sink)
            })());
        }
        for h in handles {
            out.push(
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("scan thread panicked"))),
            );
        }
        out
    });
    let mut state: Option<ScanState> = None;
    for r in results {
        let s = r?;
        match &mut state {
            None => state = Some(s),
            Some(st) => st.merge(s),
        }
    }
    for fork in forks {
        sink.merge(fork);
    }
    Ok(state.unwrap_or_default())
}

/// Region starts for bytes in memory, as [`split_points`] does for files.
fn split_points_in(bytes: &[u8], parts: usize) -> Vec<usize> {
    let mut points = vec![0usize];
    let finder = memchr::memmem::Finder::new(b"\n#VER");
    for k in 1..parts {
        let prev = points.last().copied().unwrap_or(0);
        let target = (bytes.len() / parts * k).max(prev);
        let found = bytes.get(target..).and_then(|tail| {
            finder
                .find_iter(tail)
                .find(|&p| matches!(tail.get(p + 5), Some(b' ' | b'\t')))
                .map(|p| target + p + 1)
        });
        match found {
            Some(p) if p > prev => points.push(p),
            _ => break,
        }
    }
    points.push(bytes.len());
    points
}

/// Scan bytes held in memory (e.g. a memory-mapped file) on up to `threads`
/// threads, split at `#VER` lines like [`scan_path`].
pub fn scan_parallel<S: MergeSink>(
    bytes: &[u8],
    threads: usize,
    options: ScanOptions,
    sink: &mut S,
) -> ScanState {
    let utf16 = bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]);
    if threads <= 1 || utf16 || bytes.len() < (8 << 20) {
        return scan(bytes, options, sink);
    }
    let (body, bom) = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let points = split_points_in(body, threads);
    let regions: Vec<&[u8]> = points
        .windows(2)
        .filter_map(|w| body.get(*w.first()?..*w.get(1)?))
        .collect();
    let mut forks: Vec<S> = regions.iter().skip(1).map(|_| sink.fork()).collect();
    let mut states: Vec<ScanState> = std::thread::scope(|scope| {
        let handles: Vec<_> = regions
            .iter()
            .skip(1)
            .zip(forks.iter_mut())
            .map(|(region, fork)| {
                scope.spawn(move || {
                    let mut scanner = Scanner::new(fork, options);
                    scanner.block(region);
                    scanner.finish()
                })
            })
            .collect();
        let mut first = Scanner::new(sink, options);
        first.facts.utf8_bom = bom;
        first.block(regions.first().copied().unwrap_or_default());
        let mut out = vec![first.finish()];
        out.extend(handles.into_iter().filter_map(|h| h.join().ok()));
        out
    });
    let mut state = states.remove(0);
    for later in states {
        state.merge(later);
    }
    for fork in forks {
        sink.merge(fork);
    }
    state
}

// --------------------------------------------------------------- movements

/// Account digits packed as `value << 4 | length`.
fn account_key(a: &[u8]) -> u64 {
    let v = a
        .iter()
        .fold(0u64, |acc, &b| acc * 10 + u64::from(b.wrapping_sub(b'0')));
    (v << 4) | a.len() as u64
}

fn account_digits(key: u64) -> String {
    let len = (key & 0xF) as usize;
    format!("{:0len$}", key >> 4)
}

/// Sums per (account, dimension-1 object, month): the [`RowSink`] behind
/// [`movements`].
#[derive(Debug, Clone, Default)]
pub struct Movements {
    /// The hot path: (account, short object id, year) packed into one
    /// integer → index `i` of a combination, whose twelve monthly sums are
    /// `months[12 i ..]` (öre; an addition that would overflow goes to
    /// `sums` instead) and whose touched months are the bits of `touched[i]`
    /// (a month whose rows net to zero is still a key).
    combo_ids: FxHashMap<u128, u32>,
    combos: Vec<Combo>,
    months: Vec<i64>,
    touched: Vec<u16>,
    /// Everything else (other years, long object ids), and merged parts.
    sums: FxHashMap<(u64, u32, u32), i128>,
    objects: Vec<Vec<u8>>,
    object_ids: FxHashMap<Vec<u8>, u32>,
    last_object: Option<(Vec<u8>, u32)>,
    conditional: Vec<(Counted, u64, Vec<u8>, u32, i64)>,
    counted_rows: u64,
}

/// One account × object × year of the hot path.
#[derive(Debug, Clone, Copy)]
struct Combo {
    account: u64,
    object: u32,
    year: u16,
}

/// Pack an account key (38 bits), a year and an object id of at most 8
/// bytes into a `u128`.
fn pack(account: u64, year: u16, object: Option<&[u8]>) -> Option<u128> {
    let key = u128::from(account) | (u128::from(year) << 48);
    match object {
        None => Some(key),
        Some(o) if o.len() <= 8 => {
            let mut b = [0u8; 8];
            b.get_mut(..o.len())?.copy_from_slice(o);
            let tag = (1u128 << 44) | ((o.len() as u128) << 40);
            Some(key | tag | (u128::from(u64::from_le_bytes(b)) << 64))
        }
        Some(_) => None,
    }
}

impl Movements {
    /// Every (account, object id, month) sum, combos and the rest.
    fn all_sums(&self) -> impl Iterator<Item = ((u64, u32, u32), i128)> + '_ {
        let combos = self.combos.iter().enumerate().flat_map(move |(i, c)| {
            let touched = self.touched.get(i).copied().unwrap_or(0);
            (0u32..12)
                .filter(move |m| touched & (1 << m) != 0)
                .map(move |m| {
                    let month = u32::from(c.year) << 4 | (m + 1);
                    let sum = self.months.get(i * 12 + m as usize).copied().unwrap_or(0);
                    ((c.account, c.object, month), i128::from(sum))
                })
        });
        combos.chain(self.sums.iter().map(|(k, v)| (*k, *v)))
    }

    fn object_id(&mut self, o: Option<&[u8]>) -> u32 {
        let Some(o) = o else { return 0 };
        if let Some((last, id)) = &self.last_object
            && last == o
        {
            return *id;
        }
        let id = match self.object_ids.get(o) {
            Some(&id) => id,
            None => {
                self.objects.push(o.to_vec());
                let id = u32::try_from(self.objects.len()).unwrap_or(u32::MAX);
                self.object_ids.insert(o.to_vec(), id);
                id
            }
        };
        match &mut self.last_object {
            Some((last, last_id)) => {
                last.clear();
                last.extend_from_slice(o);
                *last_id = id;
            }
            None => self.last_object = Some((o.to_vec(), id)),
        }
        id
    }

    /// Number of rows counted (unconditionally).
    pub fn counted_rows(&self) -> u64 {
        self.counted_rows
    }

    /// The rows of [`balances`](crate::balances): sorted, decoded with the
    /// file's encoding.
    pub fn rows(&self, state: &ScanState) -> Vec<BalanceRow> {
        let enc = state.encoding();
        let names: Vec<String> = self.objects.iter().map(|o| decode(o, enc)).collect();
        let mut out: BTreeMap<(AccountNo, Option<String>, Period), i128> = BTreeMap::new();
        let month = |m: u32| Period::new((m >> 4) as u16, (m & 0xF) as u8);
        let mut add = |acc: u64, obj: Option<String>, m: u32, v: i128| {
            let (Ok(account), Some(p)) = (AccountNo::parse(&account_digits(acc)), month(m)) else {
                return;
            };
            *out.entry((account, obj, p)).or_insert(0) += v;
        };
        for ((acc, obj, m), v) in self.all_sums() {
            let name = obj
                .checked_sub(1)
                .and_then(|i| names.get(i as usize))
                .cloned();
            add(acc, name, m, v);
        }
        let utf8 = enc != FileEncoding::Cp437;
        for (cond, acc, obj, m, v) in &self.conditional {
            let counts = match cond {
                Counted::Yes => true,
                Counted::IfCp437 => !utf8,
                Counted::IfUtf8 => utf8,
            };
            if counts {
                let name = (!obj.is_empty()).then(|| decode(obj, enc));
                add(*acc, name, *m, i128::from(*v));
            }
        }
        out.into_iter()
            .map(|((account, object, month), sum)| BalanceRow {
                account,
                object,
                month,
                amount: Amount(i64::try_from(sum).unwrap_or(if sum < 0 {
                    i64::MIN
                } else {
                    i64::MAX
                })),
            })
            .collect()
    }
}

impl RowSink for Movements {
    fn row(&mut self, _voucher: &VoucherRef<'_>, row: &RowRef<'_>) {
        let acc = account_key(row.account);
        let month = u32::from(row.date.year()) << 4 | u32::from(row.date.month());
        let object = row.object_in(1);
        if row.counted != Counted::Yes {
            self.conditional.push((
                row.counted,
                acc,
                object.unwrap_or_default().to_vec(),
                month,
                row.amount,
            ));
            return;
        }
        self.counted_rows += 1;
        let (year, m) = (row.date.year(), usize::from(row.date.month()) - 1);
        if let Some(key) = pack(acc, year, object) {
            let index = match self.combo_ids.get(&key) {
                Some(&i) => i as usize,
                None => {
                    let object = self.object_id(object);
                    self.combos.push(Combo {
                        account: acc,
                        object,
                        year,
                    });
                    self.months.extend_from_slice(&[0; 12]);
                    self.touched.push(0);
                    let i = self.combos.len() - 1;
                    self.combo_ids.insert(key, i as u32);
                    i
                }
            };
            if let Some(slot) = self.months.get_mut(index * 12 + m)
                && let Some(sum) = slot.checked_add(row.amount)
            {
                *slot = sum;
                if let Some(t) = self.touched.get_mut(index) {
                    *t |= 1 << m;
                }
                return;
            }
        }
        let id = self.object_id(object);
        *self.sums.entry((acc, id, month)).or_insert(0) += i128::from(row.amount);
    }
}

impl MergeSink for Movements {
    fn fork(&self) -> Self {
        Movements::default()
    }
    fn merge(&mut self, later: Self) {
        let remap: Vec<u32> = later
            .objects
            .iter()
            .map(|o| self.object_id(Some(o)))
            .collect();
        for ((acc, obj, m), v) in later.all_sums() {
            let id = obj
                .checked_sub(1)
                .and_then(|i| remap.get(i as usize).copied())
                .unwrap_or(0);
            *self.sums.entry((acc, id, m)).or_insert(0) += v;
        }
        self.conditional.extend(later.conditional);
        self.counted_rows += later.counted_rows;
    }
}

/// Monthly movements and what else the scan learned.
#[derive(Debug, Clone)]
pub struct MovementsOutcome {
    /// The sums.
    pub movements: Movements,
    /// Encoding facts, #SIETYP and (when asked) #PBUDGET rows.
    pub state: ScanState,
}

impl MovementsOutcome {
    /// The rows of [`balances`](crate::balances), equal to
    /// `balances(&read(bytes).0)`.
    pub fn rows(&self) -> Vec<BalanceRow> {
        self.movements.rows(&self.state)
    }
    /// The #PBUDGET rows (when collected).
    pub fn budgets(&self) -> Vec<PeriodAmount> {
        self.state.budgets()
    }
}

/// Monthly movements of bytes in memory.
pub fn movements(bytes: &[u8], options: ScanOptions) -> MovementsOutcome {
    let mut m = Movements::default();
    let state = scan(bytes, options, &mut m);
    MovementsOutcome {
        movements: m,
        state,
    }
}

/// Monthly movements from a reader, streamed in chunks.
pub fn movements_from_reader<R: Read>(
    reader: R,
    options: ScanOptions,
) -> io::Result<MovementsOutcome> {
    let mut m = Movements::default();
    let state = scan_reader(reader, options, &mut m)?;
    Ok(MovementsOutcome {
        movements: m,
        state,
    })
}

/// Monthly movements of bytes in memory, on up to `threads` threads.
pub fn movements_parallel(bytes: &[u8], threads: usize, options: ScanOptions) -> MovementsOutcome {
    let mut m = Movements::default();
    let state = scan_parallel(bytes, threads, options, &mut m);
    MovementsOutcome {
        movements: m,
        state,
    }
}

/// Monthly movements of a file, streamed, on up to `threads` threads.
pub fn movements_from_path(
    path: &Path,
    threads: usize,
    options: ScanOptions,
) -> io::Result<MovementsOutcome> {
    let mut m = Movements::default();
    let state = scan_path(path, threads, options, &mut m)?;
    Ok(MovementsOutcome {
        movements: m,
        state,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_like_the_model() {
        for s in [
            "0",
            "-0",
            "12",
            "12.5",
            "12.50",
            "-1243.50",
            "1.",
            ".5",
            "+1",
            "1,5",
            "1.234",
            "--1",
            "",
            "-",
            "99999999999999999999",
            "92233720368547758",
            "00012.05",
        ] {
            assert_eq!(
                parse_amount(s.as_bytes()),
                Amount::parse(s).ok().map(Amount::ore),
                "{s}"
            );
        }
    }

    #[test]
    fn dates_parse_like_the_model() {
        for s in [
            "20210131", "20210229", "20240229", "20211341", "2021013", "2021013x", "",
        ] {
            assert_eq!(parse_date(s.as_bytes()), Date::parse(s).ok(), "{s}");
        }
    }

    #[test]
    fn fast_and_slow_lexing_agree() {
        let lines: [&[u8]; 8] = [
            b"#TRANS 3010 {1 \"40100\" 6 P1} -1243.50 20210105 \"text\"",
            b"\t#trans\t3010{}\t5",
            b"#TRANS 3010 {1 {\"A\"} 100",
            b"#TRANS \"3010\" 100 \"unterminated",
            b"#VER A 1 20210101 \"x\"",
            b"#TRANS 3010 {} {1 2} 100",
            b"#PBUDGET 0 202101 3010 {1 A} 100 5",
            b"#X",
        ];
        for l in lines {
            let lexed = lexer::lex_line(l);
            let (mut ft, mut st) = (Toks::default(), Toks::default());
            assert_eq!(fast_lex(l, true, &mut ft), slow_toks(&lexed, true, &mut st));
            let fv = View { toks: &ft, base: l };
            let sv = View {
                toks: &st,
                base: &st.scratch,
            };
            assert_eq!(ft.n, st.n);
            for i in 0..ft.n {
                assert_eq!(fv.text(i), sv.text(i));
                assert_eq!(fv.is_list(i), sv.is_list(i));
            }
            assert_eq!(
                fv.members().collect::<Vec<_>>(),
                sv.members().collect::<Vec<_>>()
            );
        }
    }

    #[test]
    fn account_keys_keep_leading_zeros() {
        for a in ["0", "001", "30106", "9999999999", "0000000001"] {
            assert_eq!(account_digits(account_key(a.as_bytes())), a);
        }
    }
}
