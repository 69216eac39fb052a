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

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn is_control(b: u8) -> bool {
    (b < 0x20 && b != b'\t') || b == 0x7F
}

/// Read a quoted field starting after the opening quote. Returns bytes, the
/// new position and whether it was terminated.
fn quoted(line: &[u8], mut i: usize) -> (Vec<u8>, usize, bool) {
    let mut out = Vec::new();
    while let Some(&b) = line.get(i) {
        match b {
            b'\\' if line.get(i + 1) == Some(&b'"') => {
                out.push(b'"');
                i += 2;
            }
            b'"' => return (out, i + 1, true),
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    (out, i, false)
}

/// Lex one line (without its line terminator).
pub fn lex_line(raw: &[u8]) -> LexedLine {
    let mut result = LexedLine::default();
    let cleaned: Vec<u8>;
    let line: &[u8] = if let Some(&c) = raw.iter().find(|&&b| is_control(b)) {
        result.issues.push(LexIssue::ControlChar(c));
        cleaned = raw.iter().copied().filter(|&b| !is_control(b)).collect();
        &cleaned
    } else {
        raw
    };

    let mut i = 0;
    while let Some(&b) = line.get(i) {
        if is_ws(b) {
            i += 1;
            continue;
        }
        match b {
            b'"' => {
                let (bytes, next, ok) = quoted(line, i + 1);
                if !ok {
                    result.issues.push(LexIssue::UnterminatedQuote);
                }
                result.tokens.push(RawToken::Field {
                    bytes,
                    quoted: true,
                });
                i = next;
            }
            b'{' => {
                i += 1;
                let mut members = Vec::new();
                let mut closed = false;
                while let Some(&c) = line.get(i) {
                    if is_ws(c) {
                        i += 1;
                    } else if c == b'}' {
                        i += 1;
                        closed = true;
                        break;
                    } else if c == b'"' {
                        let (bytes, next, ok) = quoted(line, i + 1);
                        if !ok {
                            result.issues.push(LexIssue::UnterminatedQuote);
                        }
                        members.push(bytes);
                        i = next;
                    } else if c == b'{' {
                        result.issues.push(LexIssue::NestedBrace);
                        i += 1;
                    } else {
                        let start = i;
                        while let Some(&d) = line.get(i) {
                            if is_ws(d) || d == b'}' || d == b'{' {
                                break;
                            }
                            i += 1;
                        }
                        members.push(line.get(start..i).unwrap_or_default().to_vec());
                    }
                }
                if !closed {
                    result.issues.push(LexIssue::UnterminatedList);
                }
                result.tokens.push(RawToken::List(members));
            }
            _ => {
                let start = i;
                while let Some(&d) = line.get(i) {
                    if is_ws(d) || d == b'{' {
                        break;
                    }
                    i += 1;
                }
                result.tokens.push(RawToken::Field {
                    bytes: line.get(start..i).unwrap_or_default().to_vec(),
                    quoted: false,
                });
            }
        }
    }
    result
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
