//! Byte-level parsing of single SIE fields: amounts, dates, periods,
//! dimension numbers, integers, account numbers and quantities.
//!
//! Every function here takes the raw (unescaped, undecoded) bytes of one field
//! and accepts exactly what the model's `parse` functions accept on the
//! decoded text ([`Amount::parse`], [`Date::parse`], [`Period::parse`],
//! [`AccountNo::parse`], [`Quantity::parse`], `str::parse::<i32>`): all of
//! them need ASCII, which decodes to itself in every supported encoding, so
//! no text is decoded to parse a field. They never panic and never allocate.
//! They deliberately know nothing about records, diagnostics or messages.
//!
//! [`Amount::parse`]: crate::Amount::parse
//! [`Date::parse`]: crate::Date::parse
//! [`Period::parse`]: crate::Period::parse
//! [`AccountNo::parse`]: crate::AccountNo::parse
//! [`Quantity::parse`]: crate::Quantity::parse

use crate::model::{Date, Period};

/// A SIE amount (spec 5.9) in öre: optional `-`, digits, optionally a dot
/// and one or two decimals; `None` if malformed or beyond `i64`.
pub(crate) fn amount(s: &[u8]) -> Option<i64> {
    let (neg, body) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, s),
    };
    let (int, frac) = match body.iter().position(|&b| b == b'.') {
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

/// Digits only (no sign), as a small number; `None` otherwise.
fn digits(s: &[u8]) -> Option<u32> {
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

/// An existing calendar date `YYYYMMDD`.
pub(crate) fn date(s: &[u8]) -> Option<Date> {
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

/// A month `YYYYMM`.
pub(crate) fn period(s: &[u8]) -> Option<Period> {
    if s.len() != 6 {
        return None;
    }
    let y = digits(s.get(0..4)?)?;
    let m = digits(s.get(4..6)?)?;
    Period::new(u16::try_from(y).ok()?, u8::try_from(m).ok()?)
}

/// A dimension number: digits only, within `u32`.
pub(crate) fn dim(s: &[u8]) -> Option<u32> {
    digits(s)
}

/// An integer as `str::parse::<i32>` reads it: an optional `+` or `-`, then
/// at least one digit, within `i32`.
pub(crate) fn int(s: &[u8]) -> Option<i32> {
    let (neg, body) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    if body.is_empty() {
        return None;
    }
    let mut v: i32 = 0;
    for &b in body {
        if !b.is_ascii_digit() {
            return None;
        }
        let d = i32::from(b - b'0');
        v = v.checked_mul(10)?;
        v = if neg {
            v.checked_sub(d)?
        } else {
            v.checked_add(d)?
        };
    }
    Some(v)
}

/// An account number: 1–10 ASCII digits.
pub(crate) fn is_account(s: &[u8]) -> bool {
    !s.is_empty() && s.len() <= 10 && s.iter().all(u8::is_ascii_digit)
}

/// An account number (see [`is_account`]) packed as `value << 4 | length`,
/// which keeps leading zeros: a hash key without hashing bytes.
pub(crate) fn account_key(s: &[u8]) -> u64 {
    let v = s
        .iter()
        .fold(0u64, |acc, &b| acc * 10 + u64::from(b.wrapping_sub(b'0')));
    (v << 4) | s.len() as u64
}

/// A date field's eight bytes as one number, the key of [`RecentDates`].
fn date_key(s: &[u8]) -> Option<u64> {
    <[u8; 8]>::try_from(s).map(u64::from_le_bytes).ok()
}

/// The valid date fields read lately (by [`date_key`]) and their dates, in a small
/// direct-mapped table: a ledger's vouchers and rows come back to the few hundred dates of its
/// year, so nearly every date field is parsed once.
#[derive(Debug, Clone)]
pub(crate) struct RecentDates {
    /// (key, date); key 0 (never eight digits) is an empty entry.
    entries: Box<[(u64, Date); RECENT_DATES]>,
}

/// Entries of [`RecentDates`] (a power of two).
const RECENT_DATES: usize = 512;

impl Default for RecentDates {
    fn default() -> RecentDates {
        RecentDates {
            entries: Box::new([(0, Date::PLACEHOLDER); RECENT_DATES]),
        }
    }
}

impl RecentDates {
    fn place(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - RECENT_DATES.trailing_zeros())) as usize
    }

    /// A date field's date ([`date`]), remembered when it is valid.
    #[inline]
    pub(crate) fn date(&mut self, s: &[u8]) -> Option<Date> {
        let Some(key) = date_key(s) else {
            return date(s);
        };
        let entry = self.entries.get_mut(Self::place(key))?;
        // (Eight zero bytes make key 0, an empty entry's.)
        if entry.0 == key && key != 0 {
            return Some(entry.1);
        }
        let parsed = date(s)?;
        *entry = (key, parsed);
        Some(parsed)
    }
}

/// The digits of an [`account_key`].
pub(crate) fn account_digits(key: u64) -> String {
    let len = (key & 0xF) as usize;
    format!("{:0len$}", key >> 4)
}

/// A quantity: `[-]digits[.digits]`, at most 40 bytes.
pub(crate) fn is_quantity(s: &[u8]) -> bool {
    let body = s.strip_prefix(b"-").unwrap_or(s);
    let (int, frac) = match memchr::memchr(b'.', body) {
        Some(p) => (body.get(..p).unwrap_or_default(), body.get(p + 1..)),
        None => (body, None),
    };
    let all_digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
    all_digits(int) && frac.is_none_or(all_digits) && s.len() <= 40
}

/// Ask the processor to bring `value`'s cache line in, without waiting for it: for a table
/// lookup whose miss would otherwise stall the reader (a no-op off x86_64).
#[inline]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: SSE is part of every x86_64 processor, and a prefetch is a hint that reads
        // nothing and cannot fault; the address is of a value that exists.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast::<i8>()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AccountNo, Amount, Quantity};

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
            "1.2.3",
            "--1",
            "",
            "-",
            "99999999999999999999",
            "92233720368547758",
            "92233720368547757",
            "00012.05",
        ] {
            assert_eq!(
                amount(s.as_bytes()),
                Amount::parse(s).ok().map(Amount::ore),
                "{s}"
            );
        }
    }

    #[test]
    fn dates_and_periods_parse_like_the_model() {
        for s in [
            "20210131", "20210229", "20240229", "20211341", "2021013", "2021013x", "", "-2021013",
            "00000000",
        ] {
            assert_eq!(date(s.as_bytes()), Date::parse(s).ok(), "{s}");
        }
        for s in [
            "202101", "202113", "202100", "20210", "2021-1", "+20101", "",
        ] {
            assert_eq!(period(s.as_bytes()), Period::parse(s).ok(), "{s}");
        }
    }

    #[test]
    fn integers_parse_like_std() {
        for s in [
            "0",
            "-1",
            "+1",
            "+",
            "-",
            "",
            "2147483647",
            "2147483648",
            "-2147483648",
            "-2147483649",
            "1 ",
            "--1",
            "+-1",
            "007",
        ] {
            assert_eq!(int(s.as_bytes()), s.parse::<i32>().ok(), "{s}");
        }
    }

    #[test]
    fn accounts_and_quantities_like_the_model() {
        for s in [
            "0",
            "001",
            "30106",
            "9999999999",
            "0000000001",
            "12345678901",
            "",
            "1a",
        ] {
            assert_eq!(is_account(s.as_bytes()), AccountNo::parse(s).is_ok(), "{s}");
            if is_account(s.as_bytes()) {
                assert_eq!(account_digits(account_key(s.as_bytes())), s);
            }
        }
        for s in [
            "1",
            "-1.5",
            "1.",
            ".5",
            "-",
            "1.2.3",
            "",
            "12345678901234567890123456789012345678901",
        ] {
            assert_eq!(is_quantity(s.as_bytes()), Quantity::parse(s).is_ok(), "{s}");
        }
    }
}
