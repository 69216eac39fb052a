//! The fast path of the commonest line of a ledger: a `#TRANS` row with an account, an object
//! list, an amount and at most a date and a text (`\t#TRANS 4610 {1 "41020" 6 "21007"}
//! 1250.00 20210314 "Föreningen \"Gläntan\""`).
//!
//! [`parse`] splits such a line with the lexer's own rules (spec 5.7: fields split by spaces
//! and tabs, optional quotes with `\"` as the only escape, a list that may touch its
//! neighbours) and gives up, returning `None`, on anything else: another label, a quoted
//! account, a missing or unclosed list, a list inside the fields, an unterminated quote, more
//! than three fields after the list. The reader then reads the line the general way, so the
//! fast path never has to produce a diagnostic: it only takes lines the general path accepts
//! without one (the reader checks the fields' values before using them), and those it reads
//! to exactly the same row. The account and object list of a row (its *prefix*) are checked
//! once per distinct spelling and remembered (see `Reader::fast_row`).

/// A field after the object list: its bytes as written (without the quotes of a quoted one),
/// and whether they hold a `\"` escape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawField<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) escaped: bool,
}

impl RawField<'_> {
    /// The field's value: a quoted field unescaped (`\"` → `"`, any other backslash kept), as
    /// the lexer does.
    pub(crate) fn unescape_into(&self, out: &mut Vec<u8>) {
        if !self.escaped {
            out.extend_from_slice(self.bytes);
            return;
        }
        // The runs between backslashes copied whole.
        let mut rest = self.bytes;
        while let Some(p) = memchr::memchr(b'\\', rest) {
            out.extend_from_slice(rest.get(..p).unwrap_or_default());
            if rest.get(p + 1) == Some(&b'"') {
                out.push(b'"');
                rest = rest.get(p + 2..).unwrap_or_default();
            } else {
                out.push(b'\\');
                rest = rest.get(p + 1..).unwrap_or_default();
            }
        }
        out.extend_from_slice(rest);
    }
}

/// A row line split into its parts.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowLine<'a> {
    /// From the account's first byte to the list's `}`: the key of the prefix cache.
    pub(crate) prefix: &'a [u8],
    /// The account as written (bare).
    pub(crate) account: &'a [u8],
    /// Between the list's braces.
    pub(crate) list: &'a [u8],
    pub(crate) amount: RawField<'a>,
    pub(crate) date: Option<RawField<'a>>,
    pub(crate) text: Option<RawField<'a>>,
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

fn skip_ws(line: &[u8], mut i: usize) -> usize {
    while line.get(i).is_some_and(|&b| is_ws(b)) {
        i += 1;
    }
    i
}

/// A quoted field whose opening quote is at `start - 1`: (content, escaped, index after the
/// closing quote), or `None` when it is not closed on the line.
fn quoted(line: &[u8], start: usize) -> Option<(RawField<'_>, usize)> {
    let mut i = start;
    let mut escaped = false;
    loop {
        let rest = line.get(i..)?;
        let p = memchr::memchr2(b'"', b'\\', rest)?;
        if rest.get(p) == Some(&b'"') {
            let bytes = line.get(start..i + p)?;
            return Some((RawField { bytes, escaped }, i + p + 1));
        }
        // A backslash: `\"` is an escaped quote, anything else a literal backslash.
        if rest.get(p + 1) == Some(&b'"') {
            escaped = true;
            i += p + 2;
        } else {
            i += p + 1;
        }
    }
}

/// The end of a bare field starting at `i`: the next space, tab or `{`.
fn bare_end(line: &[u8], i: usize) -> usize {
    let rest = line.get(i..).unwrap_or_default();
    i + rest
        .iter()
        .position(|&b| is_ws(b) || b == b'{')
        .unwrap_or(rest.len())
}

/// Split `line` (without its line end, without control characters) if it is a plain
/// `#TRANS` row; `None` sends it down the general path.
#[cfg(test)]
pub(crate) fn parse(line: &[u8]) -> Option<RowLine<'_>> {
    let (start, close) = split(line)?;
    let prefix = line.get(start..=close)?;
    let (account, list) = prefix_parts(prefix)?;
    let [amount, date, text] = fields_after(line, close)?;
    Some(RowLine {
        prefix,
        account,
        list,
        amount: amount?,
        date,
        text,
    })
}

/// Where a `#TRANS` row's prefix is: from the first byte after the label's spaces to the first
/// `}` after it. Whether the prefix is an account and a list is [`prefix_parts`]'s to say (a
/// prefix met before needs no second look: the same bytes split the same way).
pub(crate) fn split(line: &[u8]) -> Option<(usize, usize)> {
    // The commonest beginning, a tab and the label and a space, without the loops.
    let after_label = if line.starts_with(b"\t#TRANS ") {
        8
    } else {
        let i = skip_ws(line, 0);
        if line.get(i..i + 6)? != b"#TRANS" || !is_ws(*line.get(i + 6)?) {
            return None;
        }
        i + 7
    };
    let start = skip_ws(line, after_label);
    let close = start + memchr::memchr(b'}', line.get(start..)?)?;
    Some((start, close))
}

/// A prefix (see [`split`]) as a bare account and the inside of the object list that ends it.
pub(crate) fn prefix_parts(prefix: &[u8]) -> Option<(&[u8], &[u8])> {
    if matches!(prefix.first(), None | Some(b'"' | b'{' | b'}')) {
        return None;
    }
    let account_end = bare_end(prefix, 0);
    let account = prefix.get(..account_end)?;
    let open = skip_ws(prefix, account_end);
    if prefix.get(open) != Some(&b'{') {
        return None;
    }
    let list = prefix.get(open + 1..prefix.len().checked_sub(1)?)?;
    if list.contains(&b'{') || list.contains(&b'}') {
        return None;
    }
    Some((account, list))
}

/// The fields after the object list that ends at `close`: the amount (`None` if there is
/// none), a date and a text; `None` for anything else (a fourth field, a list, an
/// unterminated quote).
pub(crate) fn fields_after(line: &[u8], close: usize) -> Option<[Option<RawField<'_>>; 3]> {
    let mut fields: [Option<RawField<'_>>; 3] = [None; 3];
    let mut n = 0;
    let mut i = close + 1;
    loop {
        i = skip_ws(line, i);
        let Some(&b) = line.get(i) else { break };
        if n == fields.len() || b == b'{' {
            return None;
        }
        let (field, next) = if b == b'"' {
            quoted(line, i + 1)?
        } else {
            let end = bare_end(line, i);
            let bytes = line.get(i..end)?;
            (
                RawField {
                    bytes,
                    escaped: false,
                },
                end,
            )
        };
        *fields.get_mut(n)? = Some(field);
        n += 1;
        i = next;
    }
    fields[0]?;
    Some(fields)
}

/// The commonest tail of a row after its list, read in one pass: one space, the amount
/// (`-`, 1–15 digits, a dot and one or two decimals), then at most one space and an
/// eight-digit date, and one space and a quoted text without a backslash, and nothing after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tail<'a> {
    /// The amount in öre, as [`crate::fields::amount`] reads it.
    pub(crate) amount: i64,
    /// The amount as written.
    pub(crate) amount_bytes: &'a [u8],
    pub(crate) date: Option<&'a [u8]>,
    /// The text between its quotes.
    pub(crate) text: Option<&'a [u8]>,
    /// Where the row ends in the bytes given: their end, or a `\n` or `\r\n` after it.
    pub(crate) end: usize,
}

/// Whether a row's bytes end at `i`: at the bytes' end or at a line break.
fn ends_at(bytes: &[u8], i: usize) -> bool {
    match bytes.get(i) {
        None | Some(b'\n') => true,
        Some(b'\r') => bytes.get(i + 1) == Some(&b'\n'),
        Some(_) => false,
    }
}

/// Longest whole-kronor part read here: 15 digits stay far inside `i64` öre.
const TAIL_DIGITS: usize = 15;

/// The digits from `i` on, as a number: (value, index after them).
fn digits_at(rest: &[u8], mut i: usize) -> (i64, usize) {
    let mut value: i64 = 0;
    while let Some(&b) = rest.get(i).filter(|b| b.is_ascii_digit()) {
        value = value.wrapping_mul(10).wrapping_add(i64::from(b - b'0'));
        i += 1;
    }
    (value, i)
}

/// Whether eight bytes are all ASCII digits, compared as one word: each byte's high half is
/// 3, and adding 6 keeps it 3 (a byte of 0x3A–0x3F would carry into it).
fn eight_digits(bytes: &[u8]) -> bool {
    let Ok(word) = <[u8; 8]>::try_from(bytes).map(u64::from_le_bytes) else {
        return false;
    };
    const HIGH: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const THREES: u64 = 0x3030_3030_3030_3030;
    word & HIGH == THREES && word.wrapping_add(0x0606_0606_0606_0606) & HIGH == THREES
}

/// The row's tail after the list that ends at `close`, when it has the commonest shape (see
/// [`Tail`]): what [`fields_after`] and [`crate::fields::amount`] give for it, without their
/// general splitting. `None` for any other tail, which the caller reads with them.
///
/// `line` may go on past the row, when the row's end is not known yet (see
/// `Reader::block`): the row ends where the tail does, at a line break.
pub(crate) fn plain_tail(line: &[u8], close: usize) -> Option<Tail<'_>> {
    let rest = line.get(close + 1..)?;
    if rest.first() != Some(&b' ') {
        return None;
    }
    let sign = usize::from(rest.get(1) == Some(&b'-'));
    let (kronor, mut i) = digits_at(rest, 1 + sign);
    if i == 1 + sign || i - 1 - sign > TAIL_DIGITS {
        return None;
    }
    let mut ore = kronor * 100;
    if rest.get(i) == Some(&b'.') {
        let (decimals, end) = digits_at(rest, i + 1);
        ore += match end - i - 1 {
            1 => decimals * 10,
            2 => decimals,
            _ => return None,
        };
        i = end;
    }
    let amount_bytes = rest.get(1..i)?;
    let amount = if sign == 1 { -ore } else { ore };
    let mut tail = Tail {
        amount,
        amount_bytes,
        date: None,
        text: None,
        end: close + 1 + i,
    };
    if ends_at(rest, i) {
        return Some(tail);
    }
    // A date: eight digits after one space.
    let date = rest
        .get(i + 1..i + 9)
        .filter(|d| rest.get(i) == Some(&b' ') && eight_digits(d))?;
    tail.date = Some(date);
    i += 9;
    tail.end = close + 1 + i;
    if ends_at(rest, i) {
        return Some(tail);
    }
    // A text: one space, a quote, no backslash up to the closing quote, which ends the line.
    // (Not `quoted`, which also reads a lone backslash: that loop cost 0,8 % of the reader's
    // instructions here; a text with a backslash goes the general way. A line break inside
    // is the caller's to refuse, as every control character in a text is.)
    if rest.get(i..i + 2) != Some(b" \"") {
        return None;
    }
    let from = i + 2;
    let inside = rest.get(from..)?;
    let quote = memchr::memchr2(b'"', b'\\', inside)?;
    if inside.get(quote) != Some(&b'"') || !ends_at(inside, quote + 1) {
        return None;
    }
    tail.text = Some(inside.get(..quote)?);
    tail.end = close + 1 + from + quote + 1;
    Some(tail)
}

/// The fields of a plain `#VER` line (see `Reader::fast_ver`) as the lexer would split them
/// (a quoted one without its quotes, still escaped), or `None` for any other line. The line
/// must have no control character and no byte of 0xC0 or more.
pub(crate) fn ver_fields(line: &[u8]) -> Option<[Option<RawField<'_>>; 6]> {
    let rest = line.strip_prefix(b"#VER ")?;
    if crate::lexer::line_flags(line) != 0 {
        return None;
    }
    let mut fields: [Option<RawField<'_>>; 6] = [None; 6];
    let mut i = 0;
    for slot in fields.iter_mut() {
        let (field, next) = if rest.get(i) == Some(&b'"') {
            quoted(rest, i + 1)?
        } else {
            // A short bare field (a series, a number, a date): byte by byte, up to a space
            // (a tab, a brace, a quote or a backslash sends the line the general way).
            let after = rest.get(i..).unwrap_or_default();
            let end = i + after
                .iter()
                .position(|&b| !crate::lexer::is_plain_byte(b))
                .unwrap_or(after.len());
            if end == i || rest.get(end).is_some_and(|&b| b != b' ') {
                return None;
            }
            let bytes = rest.get(i..end)?;
            (
                RawField {
                    bytes,
                    escaped: false,
                },
                end,
            )
        };
        *slot = Some(field);
        match rest.get(next) {
            None => return Some(fields),
            // One space, then another field.
            Some(b' ') if rest.get(next + 1).is_some_and(|&b| b != b' ') => i = next + 1,
            _ => return None,
        }
    }
    // A seventh field.
    None
}

/// The members of an object list's inside (`1 "41020" 6 21007`) as the lexer splits them, as
/// spans of `list` (without the quotes of a quoted member); `None` for a member with a `\"`
/// escape or an unclosed quote (the general path reads those).
pub(crate) fn members(list: &[u8], out: &mut Vec<(u32, u32)>) -> Option<()> {
    out.clear();
    let span = |a: usize, b: usize| Some((u32::try_from(a).ok()?, u32::try_from(b).ok()?));
    let mut i = 0;
    loop {
        i = skip_ws(list, i);
        let Some(&b) = list.get(i) else {
            return Some(());
        };
        if b == b'"' {
            let (field, next) = quoted(list, i + 1)?;
            if field.escaped {
                return None;
            }
            out.push(span(i + 1, i + 1 + field.bytes.len())?);
            i = next;
        } else {
            let rest = list.get(i..)?;
            let len = rest
                .iter()
                .position(|&c| is_ws(c) || c == b'{' || c == b'}')
                .unwrap_or(rest.len());
            out.push(span(i, i + len)?);
            i += len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexer::{RawToken, lex_line};

    /// What the lexer makes of the same line, as (prefix-free) parts to compare.
    fn lexed(line: &[u8]) -> Vec<RawToken> {
        lex_line(line).tokens
    }

    fn field(f: Option<RawField<'_>>) -> Option<Vec<u8>> {
        f.map(|f| {
            let mut v = Vec::new();
            f.unescape_into(&mut v);
            v
        })
    }

    /// Every line the fast path takes is split exactly as the lexer splits it.
    fn agrees(line: &[u8]) -> bool {
        let Some(row) = parse(line) else {
            return false;
        };
        let tokens = lexed(line);
        let mut want = vec![
            RawToken::Field {
                bytes: b"#TRANS".to_vec(),
                quoted: false,
            },
            RawToken::Field {
                bytes: row.account.to_vec(),
                quoted: false,
            },
        ];
        let mut m = Vec::new();
        members(row.list, &mut m).unwrap();
        want.push(RawToken::List(
            m.iter()
                .map(|&(a, b)| row.list[a as usize..b as usize].to_vec())
                .collect(),
        ));
        let got_fields: Vec<Vec<u8>> = [row.amount]
            .into_iter()
            .map(Some)
            .chain([row.date, row.text])
            .filter_map(field)
            .collect();
        let lexed_fields: Vec<Vec<u8>> = tokens
            .iter()
            .skip(3)
            .map(|t| match t {
                RawToken::Field { bytes, .. } => bytes.clone(),
                RawToken::List(_) => panic!("a list among the fields"),
            })
            .collect();
        assert_eq!(
            tokens.get(..3),
            Some(&want[..]),
            "{}",
            String::from_utf8_lossy(line)
        );
        assert_eq!(
            got_fields,
            lexed_fields,
            "{}",
            String::from_utf8_lossy(line)
        );
        true
    }

    #[test]
    fn plain_rows_split_as_the_lexer_splits_them() {
        for line in [
            &b"#TRANS 1910 {} -128.00"[..],
            b"\t#TRANS  2641 {} 18.39",
            b"   #TRANS 3051 {\"1\" \"Syd\" \"7\" \"4\"} -5800.00 20110319 \"Redovisningsbyr\x86n\"",
            b"#TRANS 4610 {1 \"41020\" 6 21007} 1250.00 20210314 \"F\x94reningen \\\"Gl\x84ntan\\\"\"",
            b"#TRANS\t1910{}\t-5",
            b"#TRANS 1910 {}-5 20210101",
            b"#TRANS 1910 { } 5 \"\" \"text\"",
            b"#TRANS 1910 {1 \"a b\"} 5 20210101 \"C:\\temp\\x\"",
            b"#TRANS 1910 {} 5 20210101 \"a\\\\\"b\"",
            b"#TRANS 1910 {} 5 20210101 x\"y",
            b"#TRANS 1910 {} 5 20210101 x\\\"y",
        ] {
            assert!(agrees(line), "{}", String::from_utf8_lossy(line));
        }
    }

    /// The tail as the general splitting and amount parsing read it, for the lines
    /// [`plain_tail`] takes.
    fn tail_the_general_way(line: &[u8]) -> Option<Tail<'_>> {
        let (_, close) = split(line)?;
        let [Some(amount), date, text] = fields_after(line, close)? else {
            return None;
        };
        Some(Tail {
            amount: crate::fields::amount(amount.bytes)?,
            amount_bytes: amount.bytes,
            date: date.map(|d| d.bytes),
            text: text.map(|t| t.bytes),
            end: line.len(),
        })
    }

    #[test]
    fn the_plain_tail_is_read_as_the_general_way_reads_it() {
        let mut taken = 0;
        for tail in [
            " 1919.15",
            " -1185.03 20210101 \"Källskatt 2021-01\"",
            " 5",
            " -0.5",
            " 123456789012345.99",
            " 1234567890123456",
            " 1.",
            " .5",
            " -",
            " 1.234",
            " 1,5",
            " +1",
            " 12 20210101",
            " 12 2021010",
            " 12 202101011",
            " 12 20210101 \"\"",
            " 12 20210101 \"a\\\"b\"",
            " 12 20210101 \"a\" ",
            " 12 20210101 \"a\" x",
            " 12 20210101 \"unterminated",
            " 12  20210101",
            "\t12",
            "  12",
            " 12 ",
            " 12 x",
            " \"12\"",
            "12",
            "",
        ] {
            let line = format!("\t#TRANS 5210 {{1 \"4160\"}}{tail}");
            let line = line.as_bytes();
            let (_, close) = split(line).unwrap();
            let fast = plain_tail(line, close);
            if let Some(fast) = fast {
                taken += 1;
                assert_eq!(Some(fast), tail_the_general_way(line), "{tail:?}");
            }
            // Read within a block, before the row's end is known: the same tail, ending at
            // the line break; or a text running on to a later line, which the reader
            // refuses as it refuses every control character in a text.
            for next in [
                "\n",
                "\r\n",
                "\r\n\t#TRANS 1910 {} 5 \"x\"\r\n",
                "\n\"\r\n",
                "\r",
            ] {
                let block = [line, next.as_bytes()].concat();
                let within = plain_tail(&block, close);
                let runs_on = within
                    .and_then(|t| t.text)
                    .is_some_and(|t| t.contains(&b'\n'));
                if !runs_on {
                    let expected = fast.filter(|_| next != "\r");
                    assert_eq!(within, expected, "{tail:?} then {next:?}");
                }
            }
        }
        assert_eq!(taken, 7);
    }

    #[test]
    fn eight_digits_are_eight_digits() {
        assert!(eight_digits(b"20210101"));
        assert!(eight_digits(b"99999999"));
        assert!(eight_digits(b"00000000"));
        for byte in 0..=255u8 {
            let mut word = *b"20210101";
            word[3] = byte;
            assert_eq!(eight_digits(&word), byte.is_ascii_digit(), "{byte:#x}");
        }
        assert!(!eight_digits(b"2021010"));
    }

    #[test]
    fn anything_else_goes_the_general_way() {
        for line in [
            &b"#RTRANS 1910 {} 5"[..],
            b"#trans 1910 {} 5",
            b"#TRANS \"1910\" {} 5",
            b"#TRANS 1910 5",
            b"#TRANS 1910 {1 \"x\" 5",
            b"#TRANS 1910 {} 5 20210101 \"unterminated",
            b"#TRANS 1910 {} 5 20210101 \"t\" 1.00",
            b"#TRANS 1910 {} 5 {}",
            b"#TRANS 1910 {{}} 5",
            b"#TRANS 1910 {}",
            b"#TRANSX 1910 {} 5",
            b"#TRANS",
        ] {
            assert!(parse(line).is_none(), "{}", String::from_utf8_lossy(line));
        }
        let mut m = Vec::new();
        assert!(members(b"1 \"a\\\"b\"", &mut m).is_none());
        assert!(members(b"1 \"ab", &mut m).is_none());
    }
}
