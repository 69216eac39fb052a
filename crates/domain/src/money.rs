//! Exact money: an integer number of öre.
//!
//! Budget tables are printed in tkr and the ledger is in kronor and öre; both are held as öre in
//! an `i64`, so that sums are exact and never pass through floating point. Conversions that would
//! lose precision return `None` rather than round.

use rust_decimal::Decimal;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, Neg, Sub};

const ORE_PER_KR: i64 = 100;
const ORE_PER_TKR: i64 = 100_000;

/// An amount of Swedish kronor, exact to the öre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_ore(ore: i64) -> Money {
        Money(ore)
    }

    /// Thousands of kronor; `None` if the amount does not fit.
    pub fn from_tkr(tkr: i64) -> Option<Money> {
        tkr.checked_mul(ORE_PER_TKR).map(Money)
    }

    pub fn from_kr(kr: i64) -> Option<Money> {
        kr.checked_mul(ORE_PER_KR).map(Money)
    }

    pub const fn ore(self) -> i64 {
        self.0
    }

    /// The amount in whole tkr, if it is a whole number of tkr.
    pub fn whole_tkr(self) -> Option<i64> {
        (self.0 % ORE_PER_TKR == 0).then_some(self.0 / ORE_PER_TKR)
    }

    /// The amount in tkr as an exact decimal.
    pub fn tkr(self) -> Decimal {
        (Decimal::from(self.0) / Decimal::from(ORE_PER_TKR)).normalize()
    }

    /// The amount in kronor as an exact decimal.
    pub fn kr(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// To the nearest whole `unit`, half away from zero (what a table printing whole units
    /// shows).
    pub fn rounded_to(self, unit: crate::number::MoneyUnit) -> Money {
        let whole = unit.ore();
        let (quotient, remainder) = (self.0 / whole, self.0 % whole);
        let away = remainder.saturating_abs().saturating_mul(2) >= whole;
        let units = quotient + if away { self.0.signum() } else { 0 };
        // At the very ends of the range the nearest whole unit does not fit: the one toward
        // zero does.
        Money(units.checked_mul(whole).unwrap_or(quotient * whole))
    }

    /// The amount without its sign.
    pub const fn abs(self) -> Money {
        Money(self.0.saturating_abs())
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }
}

impl Add for Money {
    type Output = Money;
    /// Saturating: amounts are bounded when read, so saturation is never reached in practice,
    /// and a panic on hostile input is worse than a wrong sum that `check` would report.
    fn add(self, other: Money) -> Money {
        Money(self.0.saturating_add(other.0))
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.saturating_neg())
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl fmt::Display for Money {
    /// Kronor with two decimals and a dot, as machines read it (`-1243.50`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_to_a_unit_goes_half_away_from_zero() {
        use crate::number::MoneyUnit::{Kr, Tkr};
        let tkr = |ore: i64| Money(ore).rounded_to(Tkr).ore();
        assert_eq!(tkr(149_999), 100_000);
        assert_eq!(tkr(150_000), 200_000);
        assert_eq!(tkr(-150_000), -200_000);
        assert_eq!(tkr(-149_999), -100_000);
        assert_eq!(tkr(49_999), 0);
        assert_eq!(tkr(-50_000), -100_000);
        assert_eq!(Money(1_050).rounded_to(Kr), Money(1_100));
        assert_eq!(Money(i64::MAX).rounded_to(Tkr).ore() % 100_000, 0);
    }

    #[test]
    fn tkr_round_trips_exactly() {
        let money = Money::from_tkr(-53_900).unwrap();
        assert_eq!(money.ore(), -5_390_000_000);
        assert_eq!(money.whole_tkr(), Some(-53_900));
        assert_eq!(Money::from_ore(150).whole_tkr(), None);
    }

    #[test]
    fn overflow_is_none_not_a_panic() {
        assert_eq!(Money::from_tkr(i64::MAX / 10), None);
    }

    #[test]
    fn displays_kronor_with_two_decimals() {
        assert_eq!(Money::from_ore(-124_350).to_string(), "-1243.50");
        assert_eq!(Money::from_ore(5).to_string(), "0.05");
    }

    #[test]
    fn sums_exactly() {
        let lines = [1_000, 3_461, 220, 223, 150, 160, 28_683, 3_513, 100];
        let total: Money = lines.iter().map(|&t| Money::from_tkr(t).unwrap()).sum();
        assert_eq!(total.whole_tkr(), Some(37_510));
    }
}
