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

/// An amount in tkr as a person types it (see [`parse_money`], [`Written::Typed`]) → exact
/// money.
pub fn parse_tkr(text: &str) -> Option<crate::Money> {
    parse_money(text, MoneyUnit::Tkr, Written::Typed).ok()
}

/// The unit an amount of money is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyUnit {
    Kr,
    /// Thousands of kronor: the budget tables' unit.
    Tkr,
    /// Millions of kronor: the narrative's unit ("247,0 mnkr").
    Mnkr,
}

impl MoneyUnit {
    /// How many öre one of the unit holds.
    pub const fn ore(self) -> i64 {
        match self {
            MoneyUnit::Kr => 100,
            MoneyUnit::Tkr => 100_000,
            MoneyUnit::Mnkr => 100_000_000,
        }
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            MoneyUnit::Kr => "kr",
            MoneyUnit::Tkr => "tkr",
            MoneyUnit::Mnkr => "mnkr",
        }
    }

    /// The amount in this unit, exact and without trailing zeros.
    pub fn of(self, money: crate::Money) -> Decimal {
        (Decimal::from(money.ore()) / Decimal::from(self.ore())).normalize()
    }
}

/// How many decimals an amount is shown with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decimals {
    /// As many as the amount has in its unit (86 500 tkr → "86 500", 1,5 tkr → "1,5").
    AsHeld,
    /// Exactly this many, halves rounded away from zero (tkr in follow-up tables: 0).
    Fixed(u32),
}

/// The one money formatter: `money` in `unit` the Swedish way ("1 000" grouped by `group`,
/// decimal comma, minus sign U+2212). `group` is a space on screens and a no-break space in
/// print (`docgen::format::GROUP`).
pub fn format_money(
    money: crate::Money,
    unit: MoneyUnit,
    decimals: Decimals,
    group: char,
) -> String {
    let value = unit.of(money);
    let decimals = match decimals {
        Decimals::AsHeld => value.scale(),
        Decimals::Fixed(decimals) => decimals,
    };
    format_swedish(value, decimals, group)
}

/// An amount for a file or a machine (CSV, JSON, a command's argument): decimal point, no
/// grouping, `-` for minus, as many decimals as it has ("86500", "-1200.5").
pub fn plain_money(money: crate::Money, unit: MoneyUnit) -> String {
    unit.of(money).to_string()
}

/// How an amount may be written where it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// As a person types it in a form, a file or a command: the Swedish way ("87 200",
    /// "−1 200,5") or with a decimal point ("-1200.5"); finer than an öre is refused.
    Typed,
    /// Whole units with an optional `-` and nothing else ("-53900"): the plan package's budget
    /// tables, whose text a round trip must give back byte for byte.
    Whole,
}

/// The largest amount read, in whole units of what is read (in tkr a million mnkr, as the
/// budget tables always allowed): keeps sums far from overflow.
const MAX_UNITS: i64 = 1_000_000_000_000;

/// The one money parser: `text` in `unit`, written as `written` allows, to exact money. The
/// error is one Swedish sentence that names what was given and shows a valid example.
pub fn parse_money(text: &str, unit: MoneyUnit, written: Written) -> Result<crate::Money, String> {
    let label = unit.label_sv();
    let refused = || match written {
        Written::Typed => format!(
            "{text:?} är inget belopp i {label} (skriv t.ex. 86 500, −1 200,5 eller -1200.5)"
        ),
        Written::Whole => format!(
            "{text:?} är inte ett belopp i hela {label} (skriv t.ex. -53900, utan mellanslag)"
        ),
    };
    let value = match written {
        Written::Typed => parse_number(text).ok_or_else(refused)?,
        Written::Whole => {
            let digits = text.strip_prefix('-').unwrap_or(text);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(refused());
            }
            text.parse::<i64>()
                .ok()
                .filter(|units| units.abs() <= MAX_UNITS)
                .map(Decimal::from)
                .ok_or_else(|| format!("{text:?} är för stort för ett belopp"))?
        }
    };
    if value.abs() > Decimal::from(MAX_UNITS) {
        return Err(format!("{text:?} är för stort för ett belopp"));
    }
    let ore = value * Decimal::from(unit.ore());
    if !ore.fract().is_zero() {
        return Err(format!("{text:?} har fler decimaler än ett öre i {label}"));
    }
    ore.trunc()
        .to_string()
        .parse()
        .map(crate::Money::from_ore)
        .map_err(|_| format!("{text:?} är för stort för ett belopp"))
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

/// `parts` in whole `unit`s that add up to `total` (itself whole) — the largest remainder
/// method: each part rounded down, then one more unit to the parts with the largest
/// remainders (the first of equal ones). When the parts add up to `total` exactly, each share
/// is within one unit of its part; when they do not (a total printed from other rounded
/// figures), the difference is spread the same way, so the shares still add up to `total`.
pub fn whole_shares(
    parts: &[crate::Money],
    total: crate::Money,
    unit: MoneyUnit,
) -> Vec<crate::Money> {
    let whole = unit.ore();
    let Ok(count) = i64::try_from(parts.len()) else {
        return parts.iter().map(|p| p.rounded_to(unit)).collect();
    };
    if count == 0 {
        return Vec::new();
    }
    let mut shares: Vec<i64> = parts.iter().map(|p| p.ore().div_euclid(whole)).collect();
    let missing = total.ore().div_euclid(whole) - shares.iter().sum::<i64>();
    for share in &mut shares {
        *share += missing.div_euclid(count);
    }
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Stable: equal remainders keep the rows' order.
    order.sort_by_key(|&i| std::cmp::Reverse(parts[i].ore().rem_euclid(whole)));
    let extra = usize::try_from(missing.rem_euclid(count)).unwrap_or(0);
    for &i in &order[..extra] {
        shares[i] += 1;
    }
    shares
        .into_iter()
        .map(|share| crate::Money::from_ore(share.saturating_mul(whole)))
        .collect()
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

    /// What the one money parser accepts and refuses, per unit and form.
    #[test]
    fn money_parser_table() {
        use MoneyUnit::{Kr, Mnkr, Tkr};
        use Written::{Typed, Whole};
        let accepted: &[(&str, MoneyUnit, Written, i64)] = &[
            ("86500", Tkr, Typed, 8_650_000_000),
            ("86 500", Tkr, Typed, 8_650_000_000),
            ("86\u{a0}500", Tkr, Typed, 8_650_000_000),
            ("1 000 000", Tkr, Typed, 100_000_000_000),
            ("-1200.5", Tkr, Typed, -120_050_000),
            ("−1 200,5", Tkr, Typed, -120_050_000),
            ("- 5", Tkr, Typed, -500_000),
            ("1,00001", Tkr, Typed, 100_001),
            (" 12 ", Tkr, Typed, 1_200_000),
            ("0", Tkr, Typed, 0),
            ("247,0", Mnkr, Typed, 24_700_000_000),
            ("1,5", Mnkr, Typed, 150_000_000),
            ("12,34", Kr, Typed, 1234),
            ("-53900", Tkr, Whole, -5_390_000_000),
            ("0", Tkr, Whole, 0),
        ];
        for (text, unit, written, ore) in accepted {
            assert_eq!(
                parse_money(text, *unit, *written).map(crate::Money::ore),
                Ok(*ore),
                "{text:?} in {unit:?} {written:?}"
            );
        }
        let refused: &[(&str, MoneyUnit, Written)] = &[
            ("", Tkr, Typed),
            ("12a", Tkr, Typed),
            ("1e3", Tkr, Typed),
            ("+5", Tkr, Typed),
            ("1.2.3", Tkr, Typed),
            ("1 00", Tkr, Typed),
            ("2,", Tkr, Typed),
            (",5", Tkr, Typed),
            ("--1", Tkr, Typed),
            ("1.000001", Tkr, Typed),
            ("0,001", Kr, Typed),
            ("12 tkr", Tkr, Typed),
            ("99999999999999999", Tkr, Typed),
            ("53 900", Tkr, Whole),
            ("1.5", Tkr, Whole),
            ("−5", Tkr, Whole),
            ("+5", Tkr, Whole),
            ("-", Tkr, Whole),
            ("1e3", Tkr, Whole),
            ("1000000000001", Tkr, Whole),
        ];
        for (text, unit, written) in refused {
            let refusal = parse_money(text, *unit, *written);
            assert!(
                refusal.is_err(),
                "{text:?} in {unit:?} {written:?}: {refusal:?}"
            );
        }
        assert_eq!(
            parse_money("12a", Tkr, Typed),
            Err(
                "\"12a\" är inget belopp i tkr (skriv t.ex. 86 500, −1 200,5 eller -1200.5)".into()
            )
        );
    }

    /// The one money formatter, in every unit and precision the front ends show.
    #[test]
    fn money_formatter_table() {
        use crate::Money;
        use MoneyUnit::{Kr, Mnkr, Tkr};
        let cases: &[(i64, MoneyUnit, Decimals, &str)] = &[
            (8_650_000_000, Tkr, Decimals::AsHeld, "86 500"),
            (-120_050_000, Tkr, Decimals::AsHeld, "−1 200,5"),
            (-120_050_000, Tkr, Decimals::Fixed(0), "−1 201"),
            (50_000, Tkr, Decimals::Fixed(0), "1"),
            (-50_000, Tkr, Decimals::Fixed(0), "−1"),
            (150_000, Tkr, Decimals::Fixed(0), "2"),
            (24_700_000_000, Mnkr, Decimals::Fixed(1), "247,0"),
            (123_456, Kr, Decimals::Fixed(2), "1 234,56"),
            (0, Tkr, Decimals::AsHeld, "0"),
        ];
        for (ore, unit, decimals, shown) in cases {
            assert_eq!(
                format_money(Money::from_ore(*ore), *unit, *decimals, ' '),
                *shown,
                "{ore} öre in {unit:?} {decimals:?}"
            );
        }
        assert_eq!(plain_money(Money::from_ore(-120_050_000), Tkr), "-1200.5");
        assert_eq!(plain_money(Money::from_ore(8_650_000_000), Tkr), "86500");
        // What is shown reads back as the same money.
        for ore in [8_650_000_000, -120_050_000, 100_001, 0] {
            let money = Money::from_ore(ore);
            let shown = format_money(money, Tkr, Decimals::AsHeld, '\u{a0}');
            assert_eq!(
                parse_money(&shown, Tkr, Written::Typed),
                Ok(money),
                "{shown}"
            );
            assert_eq!(
                parse_money(&plain_money(money, Tkr), Tkr, Written::Typed),
                Ok(money)
            );
        }
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
