//! Byte-level lexer for one SIE line (spec 5.4–5.7).
//!
//! Splits a line into fields separated by spaces/tabs, with optional double
//! quotes where `\"` is the only escape (a lone backslash is literal), and
//! object lists `{1 "U12" 6 "P7"}` that may touch the previous field
//! (`1910{}`). It works on raw bytes so that the #KSUMMA checksum can be
//! computed over the exact CP437 bytes of each token, and it strips control
//! characters. It deliberately does not decode text, interpret labels or
//! know anything about record types; it never fails, it reports issues.

/// One token of a line, unescaped but not decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RawToken {
    /// A plain or quoted field. `quoted` tells whether it was in quotes.
    Field {
        /// Unescaped bytes (quotes removed, `\"` → `"`).
        bytes: Vec<u8>,
        /// Whether the field was quoted.
        quoted: bool,
    },
    /// An object list `{ … }` with its members.
    List(Vec<Vec<u8>>),
}

/// A problem the lexer noticed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LexIssue {
    /// A quoted field runs to the end of the line.
    UnterminatedQuote,
    /// An object list has no closing `}`.
    UnterminatedList,
    /// A `{` inside an object list.
    NestedBrace,
    /// Control character(s) were removed; the first one is given.
    ControlChar(u8),
}

/// A lexed line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LexedLine {
    /// Tokens in order.
    pub tokens: Vec<RawToken>,
    /// Issues, in order of discovery.
    pub issues: Vec<LexIssue>,
}

const WS: u8 = 1;
const OPEN: u8 = 2;
const CLOSE: u8 = 4;
const QUOTE: u8 = 8;
const BACKSLASH: u8 = 16;
const CONTROL: u8 = 32;

/// Byte classes for the lexer's loops.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b == b' ' as usize || b == b'\t' as usize {
            WS
        } else if b == b'{' as usize {
            OPEN
        } else if b == b'}' as usize {
            CLOSE
        } else if b == b'"' as usize {
            QUOTE
        } else if b == b'\\' as usize {
            BACKSLASH
        } else if b < 0x20 || b == 0x7F {
            CONTROL
        } else {
            0
        };
        b += 1;
    }
    t
};

fn class(b: u8) -> u8 {
    CLASS[usize::from(b)]
}

/// Whether a byte is none of the lexer's own (no space or tab, brace, quote, backslash or
/// control character): one lookup.
pub(crate) fn is_plain_byte(b: u8) -> bool {
    class(b) == 0
}

fn is_control(b: u8) -> bool {
    class(b) == CONTROL
}

/// Where a token's bytes are: a range of the lexed line (or of its cleaned
/// copy), or of the scratch buffer that holds unescaped quoted fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Span {
    start: u32,
    end: u32,
    scratch: bool,
}

/// One token as spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A plain or quoted field.
    Field { span: Span, quoted: bool },
    /// An object list: members `first..first + len` of [`Tokens::members`].
    List { first: u32, len: u32 },
}

/// The tokens of one line, reused from line to line so that lexing
/// allocates nothing once the buffers have grown.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    pub(crate) toks: Vec<Tok>,
    members: Vec<Span>,
    scratch: Vec<u8>,
    /// The line without its control characters, when it had some.
    clean: Vec<u8>,
    cleaned: bool,
    /// The line has a byte of 0xC0 or more: a field may be Latin-1 in a CP437
    /// file (its letters are 0xC4 and up), or hold U+FFFD (EF BF BD) in a
    /// UTF-8 one. Without one, no field needs an encoding diagnostic.
    pub(crate) high: bool,
    pub(crate) issues: Vec<LexIssue>,
}

/// Whether a line has a control character (bit 0) and a byte of 0xC0 or
/// more (bit 1). Eight bytes at a time: a word with a byte below 0x20 (a tab
/// too) or of 0x7F is checked byte by byte.
pub(crate) fn line_flags(line: &[u8]) -> u8 {
    let (mut maybe_control, mut high) = (0u64, 0u64);
    let mut words = line.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or([b' '; 8]));
        maybe_control |= x.wrapping_sub(ONES * 0x20) & !x;
        let y = x ^ (ONES * 0x7F);
        maybe_control |= y.wrapping_sub(ONES) & !y;
        high |= x & (x << 1);
    }
    // The last bytes as one more word, padded with spaces.
    let rest = words.remainder();
    let mut last = [b' '; 8];
    if let Some(head) = last.get_mut(..rest.len()) {
        head.copy_from_slice(rest);
    }
    let x = u64::from_le_bytes(last);
    maybe_control |= x.wrapping_sub(ONES * 0x20) & !x;
    let y = x ^ (ONES * 0x7F);
    maybe_control |= y.wrapping_sub(ONES) & !y;
    high |= x & (x << 1);
    let mut flags = u8::from(high & TOP != 0) << 1;
    if maybe_control & TOP != 0 {
        flags |= u8::from(line.iter().any(|&b| is_control(b)));
    }
    flags
}

const ONES: u64 = 0x0101_0101_0101_0101;
const TOP: u64 = 0x8080_8080_8080_8080;

/// The top bit of each byte of `y` that is zero; above the lowest one there
/// may be false hits, so only the lowest counts.
fn zero_bytes(y: u64) -> u64 {
    y.wrapping_sub(ONES) & !y & TOP
}

/// The end of a plain field (`members` false: up to a space, a tab or `{`)
/// or object-list member (also up to `}`) starting at `i`: eight bytes at a
/// time, on a line without control characters.
fn plain_end(line: &[u8], i: usize, members: bool) -> usize {
    let mut j = i;
    while let Some(w) = line.get(j..j + 8) {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(w).unwrap_or([0; 8]));
        let mut hit = zero_bytes(x ^ (ONES * u64::from(b' ')))
            | zero_bytes(x ^ (ONES * u64::from(b'\t')))
            | zero_bytes(x ^ (ONES * u64::from(b'{')));
        if members {
            hit |= zero_bytes(x ^ (ONES * u64::from(b'}')));
        }
        if hit != 0 {
            return j + (hit.trailing_zeros() / 8) as usize;
        }
        j += 8;
    }
    let stop = if members {
        WS | OPEN | CLOSE
    } else {
        WS | OPEN
    };
    let rest = line.get(j..).unwrap_or_default();
    j + rest
        .iter()
        .position(|&b| class(b) & stop != 0)
        .unwrap_or(rest.len())
}

impl Tokens {
    /// Lex `line` (without its line terminator) into `self`, exactly as the
    /// spec's rules say: see the module documentation.
    pub(crate) fn lex(&mut self, line: &[u8]) {
        self.cleaned = false;
        let flags = line_flags(line);
        self.high = flags & 2 != 0;
        if flags & 1 == 0 {
            self.lex_from(line);
            return;
        }
        let mut clean = std::mem::take(&mut self.clean);
        clean.clear();
        clean.extend(line.iter().copied().filter(|&b| !is_control(b)));
        let first = line.iter().copied().find(|&b| is_control(b)).unwrap_or(0);
        self.lex_from(&clean);
        self.issues.insert(0, LexIssue::ControlChar(first));
        self.clean = clean;
        self.cleaned = true;
    }

    /// Lex a line without control characters.
    fn lex_from(&mut self, line: &[u8]) {
        self.toks.clear();
        self.members.clear();
        self.scratch.clear();
        self.issues.clear();
        let mut i = 0;
        while let Some(&b) = line.get(i) {
            let c = class(b);
            if c == WS {
                i += 1;
            } else if c == QUOTE {
                let (span, next) = self.quoted(line, i + 1);
                self.toks.push(Tok::Field { span, quoted: true });
                i = next;
            } else if c == OPEN {
                i += 1;
                let first = self.members.len();
                let mut closed = false;
                while let Some(&d) = line.get(i) {
                    let dc = class(d);
                    if dc == WS {
                        i += 1;
                    } else if dc == CLOSE {
                        i += 1;
                        closed = true;
                        break;
                    } else if dc == QUOTE {
                        let (span, next) = self.quoted(line, i + 1);
                        self.members.push(span);
                        i = next;
                    } else if dc == OPEN {
                        self.issues.push(LexIssue::NestedBrace);
                        i += 1;
                    } else {
                        let end = plain_end(line, i, true);
                        self.members.push(span(i, end, false));
                        i = end;
                    }
                }
                if !closed {
                    self.issues.push(LexIssue::UnterminatedList);
                }
                let len = self.members.len() - first;
                self.toks.push(Tok::List {
                    first: u32::try_from(first).unwrap_or(u32::MAX),
                    len: u32::try_from(len).unwrap_or(0),
                });
            } else {
                let end = plain_end(line, i, false);
                self.toks.push(Tok::Field {
                    span: span(i, end, false),
                    quoted: false,
                });
                i = end;
            }
        }
    }

    /// A quoted field starting after its opening quote: its span and the
    /// position after the closing quote.
    fn quoted(&mut self, line: &[u8], start: usize) -> (Span, usize) {
        let mut i = start;
        loop {
            let rest = line.get(i..).unwrap_or_default();
            match memchr::memchr2(b'"', b'\\', rest) {
                None => {
                    self.issues.push(LexIssue::UnterminatedQuote);
                    return (span(start, line.len(), false), line.len());
                }
                Some(p) if rest.get(p) == Some(&b'"') => {
                    return (span(start, i + p, false), i + p + 1);
                }
                Some(p) if rest.get(p + 1) == Some(&b'"') => {
                    return self.quoted_escaped(line, start);
                }
                Some(p) => i += p + 1,
            }
        }
    }

    /// The slow case of [`Self::quoted`]: a field with `\"` escapes, unescaped into the scratch buffer.
    fn quoted_escaped(&mut self, line: &[u8], mut i: usize) -> (Span, usize) {
        let start = self.scratch.len();
        while let Some(&b) = line.get(i) {
            match b {
                b'\\' if line.get(i + 1) == Some(&b'"') => {
                    self.scratch.push(b'"');
                    i += 2;
                }
                b'"' => return (span(start, self.scratch.len(), true), i + 1),
                _ => {
                    self.scratch.push(b);
                    i += 1;
                }
            }
        }
        self.issues.push(LexIssue::UnterminatedQuote);
        (span(start, self.scratch.len(), true), i)
    }

    /// The bytes of a span of the line last lexed (which must be `line` again).
    #[inline]
    pub(crate) fn bytes<'a>(&'a self, line: &'a [u8], s: Span) -> &'a [u8] {
        let base: &[u8] = if s.scratch {
            &self.scratch
        } else if self.cleaned {
            &self.clean
        } else {
            line
        };
        base.get(s.start as usize..s.end as usize)
            .unwrap_or_default()
    }

    /// The members of an object list.
    pub(crate) fn members(&self, first: u32, len: u32) -> &[Span] {
        let first = first as usize;
        self.members
            .get(first..first + len as usize)
            .unwrap_or_default()
    }
}

fn span(start: usize, end: usize, scratch: bool) -> Span {
    Span {
        start: u32::try_from(start).unwrap_or(u32::MAX),
        end: u32::try_from(end).unwrap_or(u32::MAX),
        scratch,
    }
}

/// Lex one line (without its line terminator).
pub fn lex_line(raw: &[u8]) -> LexedLine {
    let mut t = Tokens::default();
    t.lex(raw);
    let tokens = t
        .toks
        .iter()
        .map(|tok| match *tok {
            Tok::Field { span, quoted } => RawToken::Field {
                bytes: t.bytes(raw, span).to_vec(),
                quoted,
            },
            Tok::List { first, len } => RawToken::List(
                t.members(first, len)
                    .iter()
                    .map(|&m| t.bytes(raw, m).to_vec())
                    .collect(),
            ),
        })
        .collect();
    LexedLine {
        tokens,
        issues: t.issues,
    }
}

/// Split input into lines (on LF; a CR before the LF is dropped).
/// Yields `(1-based line number, line bytes)`.
pub fn lines(input: &[u8]) -> impl Iterator<Item = (usize, &[u8])> {
    let ends_with_newline = input.last() == Some(&b'\n');
    let mut parts: Vec<&[u8]> = input.split(|&b| b == b'\n').collect();
    if ends_with_newline || input.is_empty() {
        parts.pop();
    }
    parts.into_iter().enumerate().map(|(i, l)| {
        let l = l.strip_suffix(b"\r").unwrap_or(l);
        (i + 1, l)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str, quoted: bool) -> RawToken {
        RawToken::Field {
            bytes: s.as_bytes().to_vec(),
            quoted,
        }
    }

    #[test]
    fn fields_quotes_and_lists() {
        let l = lex_line(br#"#TRANS  7010 {"1" "456" 7 47} 13200.00 "" "a \"b\" c\d""#);
        assert!(l.issues.is_empty());
        assert_eq!(
            l.tokens,
            vec![
                f("#TRANS", false),
                f("7010", false),
                RawToken::List(vec![
                    b"1".to_vec(),
                    b"456".to_vec(),
                    b"7".to_vec(),
                    b"47".to_vec()
                ]),
                f("13200.00", false),
                f("", true),
                f("a \"b\" c\\d", true),
            ]
        );
    }

    #[test]
    fn touching_list_and_tabs() {
        let l = lex_line(b"#TRANS\t1910{}\t-5");
        assert_eq!(
            l.tokens,
            vec![
                f("#TRANS", false),
                f("1910", false),
                RawToken::List(vec![]),
                f("-5", false)
            ]
        );
    }

    #[test]
    fn issues() {
        assert_eq!(
            lex_line(b"#A \"abc").issues,
            vec![LexIssue::UnterminatedQuote]
        );
        assert_eq!(
            lex_line(b"#A {1 2").issues,
            vec![LexIssue::UnterminatedList]
        );
        let l = lex_line(b"#A b\x00c");
        assert_eq!(l.issues, vec![LexIssue::ControlChar(0)]);
        assert_eq!(l.tokens[1], f("bc", false));
    }

    #[test]
    fn line_splitting() {
        let v: Vec<_> = lines(b"a\r\nb\n\nc").collect();
        assert_eq!(
            v,
            vec![
                (1, &b"a"[..]),
                (2, &b"b"[..]),
                (3, &b""[..]),
                (4, &b"c"[..])
            ]
        );
        assert_eq!(lines(b"a\n").count(), 1);
        assert_eq!(lines(b"").count(), 0);
    }
}
