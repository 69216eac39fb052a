//! Monthly net movements per account × dimension-1 object × month, summed
//! while the vouchers stream past: the [`Visitor`] behind `styr sie balances`.
//!
//! [`Sums`] adds up the *counted* rows (#TRANS and #RTRANS; never #BTRANS nor
//! the #TRANS duplicate of an #RTRANS) of every voucher it is shown, by the
//! month of the transaction date (the voucher date when the row has none),
//! exactly as [`crate::balances`] does on a read file; its memory grows with
//! accounts × objects × months, not with the file. It can be forked across
//! threads and merged. It deliberately ignores #IB/#UB/#PSALDO and other
//! dimensions, and reads no texts.

use crate::balances::BalanceRow;
use crate::fields;
use crate::model::{AccountNo, Amount, Period};
use crate::voucher::{Fork, Visitor, VoucherView};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Sums per (account, dimension-1 object, month).
#[derive(Debug, Clone, Default)]
pub struct Sums {
    /// Object ids by number (number − 1); 0 means no object.
    objects: Vec<Box<str>>,
    object_ids: FxHashMap<Box<str>, u32>,
    /// The number of the last object looked up (0: none).
    last: u32,
    /// (account key, object number, year << 4 | month) → öre.
    sums: FxHashMap<(u64, u32, u32), i128>,
}

impl Sums {
    /// No sums yet.
    pub fn new() -> Sums {
        Sums::default()
    }

    fn object_id(&mut self, o: Option<&str>) -> u32 {
        let Some(o) = o else { return 0 };
        if let Some(last) = self
            .last
            .checked_sub(1)
            .and_then(|i| self.objects.get(i as usize))
            && &**last == o
        {
            return self.last;
        }
        let id = match self.object_ids.get(o) {
            Some(&id) => id,
            None => {
                self.objects.push(o.into());
                let id = u32::try_from(self.objects.len()).unwrap_or(u32::MAX);
                self.object_ids.insert(o.into(), id);
                id
            }
        };
        self.last = id;
        id
    }

    fn add(&mut self, account: u64, object: u32, month: u32, amount: i128) {
        *self.sums.entry((account, object, month)).or_insert(0) += amount;
    }

    /// The rows of [`crate::balances`]: sorted by account (as digit strings), object (none
    /// first) and month; combinations whose rows net to zero are kept.
    pub fn rows(&self) -> Vec<BalanceRow> {
        let mut out: BTreeMap<(AccountNo, Option<String>, Period), i128> = BTreeMap::new();
        for (&(account, object, month), &sum) in &self.sums {
            let Some(period) = Period::new((month >> 4) as u16, (month & 0xF) as u8) else {
                continue;
            };
            let account = AccountNo::validated(&fields::account_digits(account));
            let object = object
                .checked_sub(1)
                .and_then(|i| self.objects.get(i as usize))
                .map(|o| o.to_string());
            *out.entry((account, object, period)).or_insert(0) += sum;
        }
        out.into_iter()
            .map(|((account, object, month), sum)| BalanceRow {
                account,
                object,
                month,
                amount: Amount(i64::try_from(sum).unwrap_or(if sum < 0 {
                    i64::MIN
                } else {
                    i64::MAX
                })),
            })
            .collect()
    }
}

impl Visitor for Sums {
    fn voucher(&mut self, v: &VoucherView<'_>) {
        for r in v.rows.iter().filter(|r| r.kind.counts()) {
            let date = r.date.unwrap_or(v.date);
            let month = u32::from(date.year()) << 4 | u32::from(date.month());
            let object = self.object_id(r.object_in(1));
            let account = fields::account_key(r.account.as_bytes());
            self.add(account, object, month, i128::from(r.amount));
        }
    }
    fn wants_text(&self) -> bool {
        false
    }
}

impl Fork for Sums {
    fn fork(&self) -> Self {
        Sums::default()
    }
    fn merge(&mut self, later: Self) {
        let remap: Vec<u32> = later
            .objects
            .iter()
            .map(|o| self.object_id(Some(o)))
            .collect();
        for ((account, object, month), sum) in later.sums {
            let object = object
                .checked_sub(1)
                .and_then(|i| remap.get(i as usize).copied())
                .unwrap_or(0);
            self.add(account, object, month, sum);
        }
    }
}

/// A visitor that looks at nothing: for reading a file only for its diagnostics, record
/// counts and content outside the vouchers (`styr sie check`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Ignore;

impl Visitor for Ignore {
    fn wants_text(&self) -> bool {
        false
    }
}

impl Fork for Ignore {
    fn fork(&self) -> Self {
        Ignore
    }
    fn merge(&mut self, _later: Self) {}
}
