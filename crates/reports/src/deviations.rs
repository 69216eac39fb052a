//! The blocks' deviations from budget for the year: each block total (an operating table, the
//! operating budget, the investments) with its forecast's deviation, in words, largest first,
//! and which of them are large enough to need attention.

use crate::budget_vs_actual::{BudgetVsActual, RowKind};
use styr_domain::Money;

/// A block deviates notably when its forecast differs from its budget by more than this share
/// of the budget (percent) …
pub const NOTABLE_PERCENT: i64 = 5;
/// … and by more than this many tkr.
pub const NOTABLE_MIN_TKR: i64 = 1_000;

/// A block total's deviation from its budget for the year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDeviation {
    pub label: String,
    /// The investments (a deviation is spending, not a surplus or deficit).
    pub investment: bool,
    pub budget: Money,
    pub forecast: Money,
    /// Budget − forecast: positive is a surplus (operating) or an underspend (investments).
    pub deviation: Money,
    /// More than [`NOTABLE_PERCENT`] % of the budget and more than [`NOTABLE_MIN_TKR`] tkr.
    pub notable: bool,
}

/// How a deviation reads: `Good` a surplus, `Bad` a deficit or an overspend, `Watch` an
/// investment underspend (money budgeted and not spent: projects late).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Bad,
    Watch,
    None,
}

impl BlockDeviation {
    /// The deviation in words: "överskott", "underskott", "lägre utgifter än budget", "högre
    /// utgifter än budget", or "ingen avvikelse".
    pub fn words_sv(&self) -> &'static str {
        match (self.investment, self.deviation.ore().signum()) {
            (_, 0) => "ingen avvikelse",
            (false, 1) => "överskott",
            (false, _) => "underskott",
            (true, 1) => "lägre utgifter än budget",
            (true, _) => "högre utgifter än budget",
        }
    }

    pub fn tone(&self) -> Tone {
        match (self.investment, self.deviation.ore().signum()) {
            (_, 0) => Tone::None,
            (false, 1) => Tone::Good,
            (true, 1) => Tone::Watch,
            _ => Tone::Bad,
        }
    }
}

/// Whether a deviation is notable against its budget.
pub fn is_notable(deviation: Money, budget: Money) -> bool {
    let deviation = i128::from(deviation.ore()).abs();
    let share = i128::from(budget.ore()).abs() * i128::from(NOTABLE_PERCENT) / 100;
    deviation > share && deviation > i128::from(NOTABLE_MIN_TKR) * 100_000
}

/// Every block total with a budget and a forecast, the largest deviation first.
pub fn block_deviations(economy: &BudgetVsActual) -> Vec<BlockDeviation> {
    let mut blocks: Vec<BlockDeviation> = economy
        .rows
        .iter()
        .filter(|row| {
            matches!(
                row.kind,
                RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal
            )
        })
        .filter_map(|row| {
            let budget = row.cell.budget()?.annual;
            let (_, forecast) = row.forecast?;
            let deviation = row.forecast_deviation.unwrap_or(budget - forecast);
            Some(BlockDeviation {
                label: row.label.clone(),
                investment: row.kind == RowKind::InvestmentTotal,
                budget,
                forecast,
                deviation,
                notable: is_notable(deviation, budget),
            })
        })
        .collect();
    blocks.sort_by_key(|b| std::cmp::Reverse(b.deviation.abs()));
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tkr(value: i64) -> Money {
        Money::from_tkr(value).unwrap()
    }

    #[test]
    fn an_investment_underspend_is_notable_and_reads_as_one() {
        // Haninge KS, October 2021: investments 66 000 budgeted, 19 729 forecast.
        assert!(is_notable(tkr(46_271), tkr(66_000)));
        assert!(!is_notable(tkr(315), tkr(87_445)));
        assert!(!is_notable(tkr(1_000), tkr(10_000)));
        assert!(is_notable(tkr(-1_509), tkr(20_000)));
        let block = BlockDeviation {
            label: "Summa investeringar".into(),
            investment: true,
            budget: tkr(66_000),
            forecast: tkr(19_729),
            deviation: tkr(46_271),
            notable: true,
        };
        assert_eq!(block.words_sv(), "lägre utgifter än budget");
        assert_eq!(block.tone(), Tone::Watch);
    }
}
