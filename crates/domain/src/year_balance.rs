//! Monthly balances over a year: one ledger key's booked amounts (or #PBUDGET amounts) in each
//! month of a calendar year, the form the store keeps at import (issue 23) and the reports
//! read. A year of monthly [`LedgerAmount`]s and a [`YearBalance`] per key hold the same
//! figures; [`year_balances`] turns the one into the other.

use crate::Year;
use crate::ledger::LedgerAmount;
use std::collections::BTreeMap;

/// One account × ansvar × project's amounts in the twelve months of a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearBalance {
    pub account: String,
    /// Dimension-1 object, if the rows had one.
    pub ansvar: Option<String>,
    /// Dimension-6 object, if the rows had one; `None` also where the store keeps the key
    /// without its projects because no rule looks at them.
    pub project: Option<String>,
    pub year: Year,
    /// Öre per month, January first.
    pub amounts: [i128; 12],
    /// Ledger rows summed per month.
    pub rows: [u64; 12],
    /// The months that have an entry (bit 0 January): a month booked with zero rows (a hand-made
    /// amount) is still a booked month.
    pub months: u16,
}

impl YearBalance {
    /// An empty year of a key.
    pub fn new(
        account: String,
        ansvar: Option<String>,
        project: Option<String>,
        year: Year,
    ) -> YearBalance {
        YearBalance {
            account,
            ansvar,
            project,
            year,
            amounts: [0; 12],
            rows: [0; 12],
            months: 0,
        }
    }

    /// Adds an amount of month `month` (1–12).
    pub fn add(&mut self, month: u8, amount: i128, rows: u64) {
        let index = usize::from(month.clamp(1, 12) - 1);
        self.amounts[index] += amount;
        self.rows[index] += rows;
        self.months |= 1 << index;
    }

    /// The amount and rows of months `from` to `to` (1–12, inclusive), and whether any of those
    /// months has an entry.
    pub fn span(&self, from: u8, to: u8) -> (i128, u64, bool) {
        let (from, to) = (usize::from(from.max(1)), usize::from(to.min(12)));
        let mut amount = 0;
        let mut rows = 0;
        let mut any = false;
        for index in from.saturating_sub(1)..to {
            amount += self.amounts[index];
            rows += self.rows[index];
            any |= self.months & (1 << index) != 0;
        }
        (amount, rows, any)
    }
}

/// Account, ansvar, project and year.
type Key<'a> = (&'a str, Option<&'a str>, Option<&'a str>, Year);

/// Monthly amounts as year balances, one per account × ansvar × project × year, in key order.
pub fn year_balances(amounts: &[LedgerAmount]) -> Vec<YearBalance> {
    let mut out: BTreeMap<Key<'_>, YearBalance> = BTreeMap::new();
    for amount in amounts {
        let key = (
            amount.account.as_str(),
            amount.ansvar.as_deref(),
            amount.project.as_deref(),
            amount.month.year(),
        );
        out.entry(key)
            .or_insert_with(|| {
                YearBalance::new(
                    amount.account.clone(),
                    amount.ansvar.clone(),
                    amount.project.clone(),
                    amount.month.year(),
                )
            })
            .add(
                amount.month.month(),
                i128::from(amount.amount.ore()),
                amount.rows,
            );
    }
    out.into_values().collect()
}
