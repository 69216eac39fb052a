//! Ramberäkning: how a body's frame for a year is computed rather than typed.
//!
//! The frame of year Y = the base (the previous year's frame or the justerad budget, a stated
//! figure of a version the data may or may not hold) + pris- och löneuppräkning (a percent of
//! the base, e.g. SKR's PKV) + demografi (a volume × a unit cost) + politiska prioriteringar +
//! övrigt − effektiviseringar. Each line has its decision.
//!
//! Money is exact. A computed line is rounded once, to whole tkr (halves away from zero, the
//! same rounding as a claim's), because a budget table holds whole tkr; the frame is then the
//! exact sum of the base and the rounded lines, so the printed table adds up. An amount typed
//! on a line that can be computed is a stated figure: it is kept, never used in the sum, and
//! `checks` compares it with the computation.

use crate::{Id, Location, Money, Year, code_enum};
use rust_decimal::{Decimal, RoundingStrategy};

code_enum!(
    /// What a line of a frame calculation is.
    FrameLineKind {
        /// Pris- och löneuppräkning: percent × the base.
        PriceWage => "pris_lon",
        /// Demografi: volume × unit cost.
        Demography => "demografi",
        /// Politisk prioritering: an amount added.
        Priority => "prioritering",
        /// Effektivisering: an amount (positive) taken away.
        Efficiency => "effektivisering",
        /// Övrigt: an amount, signed.
        Other => "ovrigt",
    }
);

impl FrameLineKind {
    /// As the document names the kind.
    pub fn label_sv(self) -> &'static str {
        match self {
            FrameLineKind::PriceWage => "Pris- och löneuppräkning",
            FrameLineKind::Demography => "Demografi",
            FrameLineKind::Priority => "Politisk prioritering",
            FrameLineKind::Efficiency => "Effektivisering",
            FrameLineKind::Other => "Övrigt",
        }
    }

    /// Whether the line's amount is computed from its own columns.
    pub fn is_computed(self) -> bool {
        matches!(self, FrameLineKind::PriceWage | FrameLineKind::Demography)
    }
}

/// One line of a frame calculation (`budget/frame_calculation.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct FrameLine {
    pub id: Id,
    pub kind: FrameLineKind,
    pub label: String,
    /// Pris- och löneuppräkning: percent of the base (exact decimal, `2.0` = 2 %).
    pub percent: Option<Decimal>,
    /// Demografi: the change in volume (exact decimal: pupils, places, residents …).
    pub volume: Option<Decimal>,
    /// Demografi: the cost of one unit of volume in tkr (exact decimal).
    pub unit_cost: Option<Decimal>,
    /// The amount as typed, whole tkr: the line's amount for prioritering, effektivisering
    /// (positive, subtracted) and övrigt; on a computed line a stated figure that is checked.
    pub amount: Option<Money>,
    pub decision: Option<Id>,
    pub at: Location,
}

impl FrameLine {
    /// What the line's own columns compute, before its sign in the frame: percent × base or
    /// volume × unit cost, rounded to whole tkr. `None` for a line of a typed amount or when a
    /// factor is missing.
    pub fn computation(&self, base: Money) -> Option<Money> {
        let tkr = match self.kind {
            FrameLineKind::PriceWage => base
                .tkr()
                .checked_mul(self.percent?)?
                .checked_div(Decimal::ONE_HUNDRED)?,
            FrameLineKind::Demography => self.volume?.checked_mul(self.unit_cost?)?,
            _ => return None,
        };
        whole_tkr(tkr)
    }

    /// The line's amount before its sign: the computation where the line has one, else the
    /// typed amount.
    pub fn amount_before_sign(&self, base: Money) -> Option<Money> {
        if self.kind.is_computed() {
            self.computation(base)
        } else {
            self.amount
        }
    }

    /// What the line adds to the frame (an effektivisering is negative).
    pub fn effect(&self, base: Money) -> Option<Money> {
        let amount = self.amount_before_sign(base)?;
        Some(if self.kind == FrameLineKind::Efficiency {
            -amount
        } else {
            amount
        })
    }

    /// A stated amount on a computed line that differs from its computation: (stated, computed).
    pub fn stated_differs(&self, base: Money) -> Option<(Money, Money)> {
        if !self.kind.is_computed() {
            return None;
        }
        let stated = self.amount?;
        let computed = self.computation(base)?;
        (stated != computed).then_some((stated, computed))
    }
}

/// A line with what it adds to the frame.
#[derive(Debug, Clone, PartialEq)]
pub struct ComputedLine<'a> {
    pub line: &'a FrameLine,
    /// What the line adds to the frame; `None` when it cannot be computed (a factor missing).
    pub effect: Option<Money>,
}

/// A body's frame calculation for one year (`[frame_calculation]` in `budget.toml`).
#[derive(Debug, Clone, PartialEq)]
pub struct FrameCalculation {
    pub year: Year,
    /// How the document names the base: "justerad budget 2020".
    pub base_label: String,
    /// The budget version the base is the frame of, when named (e.g. `ks_2020_justerad`).
    pub base_version: Option<Id>,
    /// The base as stated, whole tkr: kept as printed; checked against the base version's frame
    /// where both are at hand.
    pub base_amount: Money,
    /// The decision that set the frame.
    pub decision: Option<Id>,
    /// The calculation holds figures made up for an example.
    pub synthetic: bool,
    pub lines: Vec<FrameLine>,
    pub at: Location,
}

impl FrameCalculation {
    /// Every line with what it adds to the frame, in printed order.
    pub fn computed_lines(&self) -> Vec<ComputedLine<'_>> {
        self.lines
            .iter()
            .map(|line| ComputedLine {
                line,
                effect: line.effect(self.base_amount),
            })
            .collect()
    }

    /// The sum of the lines' effects; `None` when a line cannot be computed.
    pub fn change(&self) -> Option<Money> {
        self.computed_lines()
            .iter()
            .try_fold(Money::ZERO, |sum, line| sum.checked_add(line.effect?))
    }

    /// base + Σ lines − effektiviseringar; `None` when a line cannot be computed.
    pub fn computed_frame(&self) -> Option<Money> {
        self.base_amount.checked_add(self.change()?)
    }
}

/// An exact tkr decimal rounded to whole tkr, halves away from zero.
fn whole_tkr(tkr: Decimal) -> Option<Money> {
    let rounded = tkr.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    let whole: i64 = rounded.try_into().ok()?;
    Money::from_tkr(whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn tkr(amount: i64) -> Money {
        Money::from_tkr(amount).unwrap()
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    fn line(id: &str, kind: FrameLineKind) -> FrameLine {
        FrameLine {
            id: Id::parse(id).unwrap(),
            kind,
            label: id.into(),
            percent: None,
            volume: None,
            unit_cost: None,
            amount: None,
            decision: None,
            at: Location::new("budget/frame_calculation.csv", 2),
        }
    }

    fn ks() -> FrameCalculation {
        let mut pkv = line("pkv", FrameLineKind::PriceWage);
        pkv.percent = Some(dec("2.0"));
        let mut trygghet = line("trygghet", FrameLineKind::Priority);
        trygghet.amount = Some(tkr(10_000));
        let mut reserv = line("reserv", FrameLineKind::Priority);
        reserv.amount = Some(tkr(19_500));
        let mut eff = line("eff", FrameLineKind::Efficiency);
        eff.amount = Some(tkr(5_472));
        FrameCalculation {
            year: 2021,
            base_label: "justerad budget 2020".into(),
            base_version: None,
            base_amount: tkr(218_600),
            decision: None,
            synthetic: true,
            lines: vec![pkv, trygghet, reserv, eff],
            at: Location::new("budget.toml", 1),
        }
    }

    #[test]
    fn the_ks_frame_is_the_base_plus_the_lines_minus_the_savings() {
        let calc = ks();
        let effects: Vec<Option<Money>> = calc.computed_lines().iter().map(|l| l.effect).collect();
        assert_eq!(
            effects,
            vec![
                Some(tkr(4_372)),
                Some(tkr(10_000)),
                Some(tkr(19_500)),
                Some(tkr(-5_472))
            ]
        );
        assert_eq!(calc.change(), Some(tkr(28_400)));
        assert_eq!(calc.computed_frame(), Some(tkr(247_000)));
    }

    #[test]
    fn a_percent_of_the_base_is_rounded_to_whole_tkr_halves_away_from_zero() {
        let mut pkv = line("pkv", FrameLineKind::PriceWage);
        // 1 001 tkr × 0,05 % = 0,5005 tkr → 1 tkr; 1 000 × 0,05 % = 0,5 → 1; 999 × 0,05 % → 0.
        pkv.percent = Some(dec("0.05"));
        assert_eq!(pkv.computation(tkr(1_001)), Some(tkr(1)));
        assert_eq!(pkv.computation(tkr(1_000)), Some(tkr(1)));
        assert_eq!(pkv.computation(tkr(999)), Some(tkr(0)));
        // A negative percent rounds away from zero too.
        pkv.percent = Some(dec("-0.05"));
        assert_eq!(pkv.computation(tkr(1_000)), Some(tkr(-1)));
        // 2,15 % of 218 600 = 4 699,9 → 4 700.
        pkv.percent = Some(dec("2.15"));
        assert_eq!(pkv.computation(tkr(218_600)), Some(tkr(4_700)));
    }

    #[test]
    fn demography_is_volume_times_unit_cost() {
        let mut demo = line("elever", FrameLineKind::Demography);
        demo.volume = Some(dec("37"));
        demo.unit_cost = Some(dec("98.5"));
        // 37 × 98,5 = 3 644,5 → 3 645.
        assert_eq!(demo.computation(Money::ZERO), Some(tkr(3_645)));
        assert_eq!(demo.effect(Money::ZERO), Some(tkr(3_645)));
        demo.unit_cost = None;
        assert_eq!(demo.computation(Money::ZERO), None);
    }

    #[test]
    fn a_stated_amount_on_a_computed_line_is_kept_and_compared() {
        let mut calc = ks();
        calc.lines[0].amount = Some(tkr(4_400));
        assert_eq!(
            calc.lines[0].stated_differs(calc.base_amount),
            Some((tkr(4_400), tkr(4_372)))
        );
        // The frame uses the computation, never the typed figure.
        assert_eq!(calc.computed_frame(), Some(tkr(247_000)));
        calc.lines[0].amount = Some(tkr(4_372));
        assert_eq!(calc.lines[0].stated_differs(calc.base_amount), None);
        // A typed line has nothing to compare with.
        assert_eq!(calc.lines[1].stated_differs(calc.base_amount), None);
    }

    #[test]
    fn a_line_that_cannot_be_computed_leaves_the_frame_unknown() {
        let mut calc = ks();
        calc.lines[0].percent = None;
        assert_eq!(calc.computed_lines()[0].effect, None);
        assert_eq!(calc.computed_frame(), None);
    }
}
