//! Swedish number conventions: "1 000" with a space, decimal comma, minus sign, rounding.
//!
//! Used to read figures stated in narrative text ("247,0 mnkr", "- 5 099 000") and to print
//! figures the Swedish way. Halves are rounded away from zero, as in Swedish commercial practice
//! (2,45 → 2,5; −2,45 → −2,5).

use rust_decimal::{Decimal, RoundingStrategy};

/// A number read from Swedish text, with the number of decimals it was written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatedNumber {
    pub value: Decimal,
    pub decimals: u32,
}

fn is_group_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Reads a number written the Swedish way: optional minus (`-` or `−`), digits grouped by
/// spaces, optional decimal comma. Returns `None` for anything else.
pub fn parse_swedish(text: &str) -> Option<StatedNumber> {
    let text = text.trim();
    let (negative, rest) = match text.strip_prefix('-').or_else(|| text.strip_prefix('−')) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, text),
    };
    let (integer_part, fraction_part) = match rest.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let integer_digits: String = integer_part
        .chars()
        .filter(|c| !is_group_separator(*c))
        .collect();
    if integer_digits.is_empty() || !integer_digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Group separators only between groups of three digits.
    let groups: Vec<&str> = integer_part.split(is_group_separator).collect();
    if groups.len() > 1 && groups[1..].iter().any(|g| g.len() != 3) {
        return None;
    }
    let fraction_digits = fraction_part.unwrap_or("");
    if fraction_part.is_some()
        && (fraction_digits.is_empty() || !fraction_digits.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let decimals = u32::try_from(fraction_digits.len()).ok()?;
    let mantissa: i128 = format!("{integer_digits}{fraction_digits}").parse().ok()?;
    let mantissa = if negative { -mantissa } else { mantissa };
    let value = Decimal::try_from_i128_with_scale(mantissa, decimals).ok()?;
    Some(StatedNumber { value, decimals })
}

/// A number written with a decimal point and nothing else: "80.9", "-1200.5", "86500" (no
/// spaces, no sign but minus, no exponent).
pub fn parse_plain_number(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (integer, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (plain(integer) && plain(fraction))
        .then(|| text.parse().ok())
        .flatten()
}

/// A number as a person types it in a form or a file: the Swedish way ("87 200", "80,9", "−5")
/// or with a decimal point ("80.9", "-1200.5"). `None` for anything else.
pub fn parse_number(text: &str) -> Option<Decimal> {
    parse_swedish(text)
        .map(|stated| stated.value)
        .or_else(|| parse_plain_number(text.trim()))
}

/// An amount in tkr → exact money; `None` when it is finer than an öre (more than five
/// decimals) or does not fit.
pub fn money_from_tkr(tkr: Decimal) -> Option<crate::Money> {
    let ore = tkr.checked_mul(Decimal::from(100_000))?;
    if !ore.fract().is_zero() {
        return None;
    }
    ore.trunc()
        .to_string()
        .parse()
        .ok()
        .map(crate::Money::from_ore)
}

/// An amount in tkr as a person types it (see [`parse_number`]) → exact money.
pub fn parse_tkr(text: &str) -> Option<crate::Money> {
    money_from_tkr(parse_number(text)?)
}

/// Rounds halves away from zero to `decimals` places.
pub fn round_half_away(value: Decimal, decimals: u32) -> Decimal {
    value.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// Formats a value the Swedish way with `decimals` places: "1 234,5", "−5 303 000".
/// `group` is the thousands separator (a space, or a no-break space for print).
pub fn format_swedish(value: Decimal, decimals: u32, group: char) -> String {
    let rounded = round_half_away(value, decimals);
    let negative = rounded.is_sign_negative() && !rounded.is_zero();
    let plain = format!("{:.*}", decimals as usize, rounded.abs());
    let (integer, fraction) = match plain.split_once('.') {
        Some((i, f)) => (i.to_owned(), Some(f.to_owned())),
        None => (plain, None),
    };
    let mut grouped = String::new();
    for (index, digit) in integer.chars().enumerate() {
        if index > 0 && (integer.len() - index).is_multiple_of(3) {
            grouped.push(group);
        }
        grouped.push(digit);
    }
    let mut out = String::new();
    if negative {
        out.push('−');
    }
    out.push_str(&grouped);
    if let Some(fraction) = fraction {
        out.push(',');
        out.push_str(&fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_numbers_and_tkr() {
        assert_eq!(parse_number("80,9"), Some(Decimal::new(809, 1)));
        assert_eq!(parse_number("80.9"), Some(Decimal::new(809, 1)));
        assert_eq!(parse_number("87 200"), Some(Decimal::from(87_200)));
        assert_eq!(parse_number("-1200.5"), Some(Decimal::new(-12005, 1)));
        for bad in ["1e3", "12a", "", "1.2.3", "+5"] {
            assert_eq!(parse_number(bad), None, "{bad}");
        }
        assert_eq!(
            parse_tkr("86 500").map(crate::Money::ore),
            Some(8_650_000_000)
        );
        assert_eq!(parse_tkr("1.00001").map(crate::Money::ore), Some(100_001));
        assert_eq!(parse_tkr("1.000001"), None);
    }
    use std::str::FromStr;

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn parses_grouped_and_decimal_comma() {
        assert_eq!(
            parse_swedish("1 000"),
            Some(StatedNumber {
                value: dec("1000"),
                decimals: 0
            })
        );
        assert_eq!(
            parse_swedish("247,0"),
            Some(StatedNumber {
                value: dec("247.0"),
                decimals: 1
            })
        );
        assert_eq!(parse_swedish("- 5 099 000").unwrap().value, dec("-5099000"));
        assert_eq!(parse_swedish("−1,1").unwrap().value, dec("-1.1"));
    }

    #[test]
    fn rejects_stray_characters_and_bad_groups() {
        for bad in ["12a", "1 00", "2,", ",5", "", "1.000", "--1"] {
            assert_eq!(parse_swedish(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rounds_halves_away_from_zero() {
        assert_eq!(round_half_away(dec("2.45"), 1), dec("2.5"));
        assert_eq!(round_half_away(dec("-2.45"), 1), dec("-2.5"));
        assert_eq!(round_half_away(dec("60.166"), 1), dec("60.2"));
    }

    #[test]
    fn formats_with_space_comma_and_minus_sign() {
        assert_eq!(format_swedish(dec("-5303000"), 0, ' '), "−5 303 000");
        assert_eq!(format_swedish(dec("247"), 1, ' '), "247,0");
        assert_eq!(format_swedish(dec("0"), 0, ' '), "0");
        assert_eq!(format_swedish(dec("-0.04"), 1, ' '), "0,0");
        assert_eq!(format_swedish(dec("999.95"), 1, ' '), "1 000,0");
    }
}
