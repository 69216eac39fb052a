//! Figures the Swedish way for the document: thousands separated by a no-break space, decimal
//! comma, a real minus sign (U+2212), halves rounded away from zero, missing shown as missing.
//!
//! A thin wrapper over `styr_domain::number`: this module only picks the separator and the
//! number of decimals for each kind of figure the document prints. It never invents a value:
//! `None` stays `None` and is shown as missing by the renderers.

use rust_decimal::{Decimal, RoundingStrategy};
use styr_domain::Money;
use styr_domain::number::{Decimals, MoneyUnit, format_money, format_swedish};

/// The thousands separator in generated text: a no-break space, so that "1 000" never breaks.
pub const GROUP: char = '\u{a0}';

/// What a missing figure is called (read by screen readers, explained under tables).
pub const MISSING_LABEL: &str = "saknas";

/// A decimal with a fixed number of decimals: "1 234,5", "−5 303 000", "0".
pub fn decimal(value: Decimal, decimals: u32) -> String {
    format_swedish(value, decimals, GROUP)
}

/// A decimal with the decimals it carries (80.9 → "80,9", 75 → "75").
pub fn decimal_as_written(value: Decimal) -> String {
    format_swedish(value, value.scale(), GROUP)
}

/// An amount in tkr as a budget table prints it: whole tkr, or with the öre it has.
pub fn tkr(money: Money) -> String {
    format_money(money, MoneyUnit::Tkr, Decimals::AsHeld, GROUP)
}

/// An amount in tkr, or `None` when missing.
pub fn tkr_opt(money: Option<Money>) -> Option<String> {
    money.map(tkr)
}

/// An amount in mnkr with `decimals` places (tkr ÷ 1 000): 247 000 tkr → "247,0".
pub fn mnkr(money: Money, decimals: u32) -> String {
    format_money(money, MoneyUnit::Mnkr, Decimals::Fixed(decimals), GROUP)
}

/// How a text's hedge word rounds: "drygt 14" is at least 14, "knappt 800" at most 800.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Halves away from zero (exact figures, "ca").
    HalfAway,
    /// Towards −∞ ("drygt": the printed figure is not above the value).
    Down,
    /// Towards +∞ ("knappt", "nästan").
    Up,
}

/// A decimal rounded the given way and formatted with `decimals` places.
pub fn rounded(value: Decimal, decimals: u32, rounding: Rounding) -> String {
    let value = match rounding {
        Rounding::HalfAway => value,
        Rounding::Down => {
            value.round_dp_with_strategy(decimals, RoundingStrategy::ToNegativeInfinity)
        }
        Rounding::Up => {
            value.round_dp_with_strategy(decimals, RoundingStrategy::ToPositiveInfinity)
        }
    };
    format_swedish(value, decimals, GROUP)
}

/// An amount in whole tkr, rounded half away from zero, as follow-up tables print it (a budget
/// to date can carry öre: 17 000 tkr × 4/12).
pub fn tkr_whole(money: Money) -> String {
    format_money(money, MoneyUnit::Tkr, Decimals::Fixed(0), GROUP)
}

/// A change with its sign: "+12", "−3,5", "0".
pub fn signed(value: Decimal) -> String {
    let text = decimal_as_written(value);
    if value.is_sign_positive() && !value.is_zero() {
        format!("+{text}")
    } else {
        text
    }
}
