//! Monthly net movements per account and dimension-1 object, from vouchers.
//!
//! [`balances`] sums the *counted* voucher rows (#TRANS and #RTRANS; never
//! #BTRANS nor the #TRANS duplicate of an #RTRANS) per account × dimension-1
//! object (kostnadsställe / ansvar) × calendar month of the transaction date
//! (the voucher date when the row has none). [`balances_csv`] renders them as
//! `account,object,month,amount`. It deliberately ignores #IB/#UB/#PSALDO
//! and other dimensions, and does not compare against budgets.

use crate::model::{AccountNo, Amount, Period, SieFile};
use std::collections::BTreeMap;

/// Net movement of one account × object × month.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BalanceRow {
    /// Account.
    pub account: AccountNo,
    /// Dimension-1 object id, `None` when the rows had none.
    pub object: Option<String>,
    /// Month.
    pub month: Period,
    /// Net amount (debit positive).
    pub amount: Amount,
}

/// Net movement per (account, dimension-1 object, month), sorted by account
/// (lexicographically, as digit strings), object (none first) and month.
/// Combinations whose rows net to zero are kept (with amount 0.00).
pub fn balances(file: &SieFile) -> Vec<BalanceRow> {
    let mut sums: BTreeMap<(AccountNo, Option<String>, Period), i128> = BTreeMap::new();
    for v in &file.vouchers {
        for r in v.counted_rows() {
            let month = r.date.unwrap_or(v.date).period();
            let key = (r.account.clone(), r.object_in(1).map(str::to_owned), month);
            *sums.entry(key).or_insert(0) += i128::from(r.amount.ore());
        }
    }
    sums.into_iter()
        .map(|((account, object, month), sum)| BalanceRow {
            account,
            object,
            month,
            amount: Amount(i64::try_from(sum).unwrap_or(if sum < 0 { i64::MIN } else { i64::MAX })),
        })
        .collect()
}

/// A CSV field, quoted when it holds a comma, a quote or a line end.
fn push_csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// CSV with header `account,object,month,amount`, month as `YYYY-MM`,
/// amount in kronor with two decimals and a dot (`-1243.50`), LF line ends.
pub fn balances_csv(rows: &[BalanceRow]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(32 + rows.len() * 32);
    out.push_str("account,object,month,amount\n");
    for r in rows {
        out.push_str(r.account.as_str());
        out.push(',');
        push_csv_field(&mut out, r.object.as_deref().unwrap_or(""));
        // Writing into a String cannot fail.
        let _ = writeln!(
            out,
            ",{:04}-{:02},{}",
            r.month.year(),
            r.month.month(),
            r.amount
        );
    }
    out
}
