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
use crate::voucher::{Fork, Handover, HeldRow, Visitor, VoucherRows};
use rustc_hash::FxHashMap;

/// Sums per (account, dimension-1 object, month).
#[derive(Debug, Clone, Default)]
pub struct Sums {
    /// Object ids by number (number − 1); 0 means no object.
    objects: Vec<Box<str>>,
    object_ids: FxHashMap<Box<str>, u32>,
    /// Objects of at most 8 bytes, packed with their length, by number.
    short_objects: FxHashMap<u64, u32>,
    /// The last short object looked up: (packed, number).
    last_object: (u64, u32),
    /// Accounts (by account key) and years, numbered densely.
    accounts: FxHashMap<(u64, u16), u32>,
    last_account: ((u64, u16), u32),
    /// (Numbered account and year, object number) → combination index. A hash map, not a
    /// grid of accounts × objects: a file of many accounts and many objects would make that
    /// grid gigabytes, and the memos in front of it answer nearly every row.
    combo_of: FxHashMap<(u32, u32), u32>,
    /// Additions not made yet: month slot and amount. Made a few thousand at a time, they
    /// are cache misses that the processor waits for side by side.
    batch: Vec<(usize, i64)>,
    /// Each combination: account key, object number, year; its twelve monthly sums are
    /// `months[12 i ..]` (öre; an addition that would overflow goes to `overflow` instead) and
    /// the months with rows are the bits of `touched[i]` (a month whose rows net to zero is
    /// still shown).
    combos: Vec<(u64, u32, u16)>,
    months: Vec<i64>,
    touched: Vec<u16>,
    /// (account key, object number, year << 4 | month) → öre, beyond `i64` or merged.
    overflow: FxHashMap<(u64, u32, u32), i128>,
    /// The combinations met lately, by a hash of (account key, packed object, year): each
    /// entry (account key, packed object, year, combination index + 1; 0: empty). A ledger's
    /// rows come back to a few thousand combinations, and one look here replaces the two
    /// hash lookups (object, account) and the combination's.
    memo: Vec<(u64, u64, u32, u32)>,
    /// The combination of a row's spelling number (see [`RowView::spelling`]) in a year:
    /// entry `n % SPELLINGS` is (spelling number + 1, year, combination index + 1; 0: none).
    /// A row read the fast way finds its combination here without reading its account or
    /// objects; the numbers are dense, so the table is an array until it wraps.
    by_spelling: Vec<(u32, u16, u32)>,
}

/// Entries of [`Sums::by_spelling`] at most (a power of two).
const SPELLINGS: usize = 1 << 17;

/// Entries of [`Sums::memo`] (a power of two).
const MEMO: usize = 1 << 14;

/// Additions made at a time.
const BATCH: usize = 4096;

fn u32_of(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// An object id of at most 8 bytes packed with its length; `None` if longer.
fn pack_object(o: &str) -> Option<u64> {
    let o = o.as_bytes();
    if o.len() > 7 {
        return None;
    }
    let mut b = [0u8; 8];
    b.get_mut(..o.len())?.copy_from_slice(o);
    b[7] = o.len() as u8;
    Some(u64::from_le_bytes(b))
}

impl Sums {
    /// No sums yet.
    pub fn new() -> Sums {
        Sums::default()
    }

    /// The number of an object (0 for none).
    fn object_id(&mut self, o: Option<&str>) -> u32 {
        let Some(o) = o else { return 0 };
        let packed = pack_object(o);
        if let Some(p) = packed {
            if self.last_object.0 == p && self.last_object.1 != 0 {
                return self.last_object.1;
            }
            if let Some(&id) = self.short_objects.get(&p) {
                self.last_object = (p, id);
                return id;
            }
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
        if let Some(p) = packed {
            self.short_objects.insert(p, id);
            self.last_object = (p, id);
        }
        id
    }

    fn account_index(&mut self, account: u64, year: u16) -> u32 {
        let key = (account, year);
        if self.last_account.0 == key && !self.accounts.is_empty() {
            return self.last_account.1;
        }
        let next = u32_of(self.accounts.len());
        let i = *self.accounts.entry(key).or_insert(next);
        self.last_account = (key, i);
        i
    }

    /// The month slot of a row (a new combination is numbered on first use).
    fn slot(&mut self, account: u64, object: Option<&str>, year: u16, month: u8) -> usize {
        let m = usize::from(month.clamp(1, 12) - 1);
        // Packed objects are at most 7 bytes long; the length in the top byte keeps no object
        // (packed 0 here) apart from every object.
        let packed = match object {
            None => Some(0),
            Some(o) => pack_object(o).filter(|&p| p != 0),
        };
        let place = packed.map(|p| {
            let h = (account ^ p.rotate_left(29) ^ u64::from(year).rotate_left(47))
                .wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (h >> (64 - MEMO.trailing_zeros())) as usize
        });
        if let (Some(p), Some(place)) = (packed, place)
            && let Some(&(a, o, y, i)) = self.memo.get(place)
            && i != 0
            && a == account
            && o == p
            && y == u32::from(year)
        {
            let index = (i - 1) as usize;
            if let Some(t) = self.touched.get_mut(index) {
                *t |= 1 << m;
            }
            return index * 12 + m;
        }
        let slot = self.slot_looked_up(account, object, year, m);
        if let (Some(p), Some(place)) = (packed, place) {
            if self.memo.is_empty() {
                self.memo = vec![(0, 0, 0, 0); MEMO];
            }
            if let Some(entry) = self.memo.get_mut(place) {
                *entry = (account, p, u32::from(year), u32_of(slot / 12 + 1));
            }
        }
        slot
    }

    /// [`slot`](Self::slot) through the object, account and combination lookups; `m` is the
    /// month's index (0–11).
    fn slot_looked_up(&mut self, account: u64, object: Option<&str>, year: u16, m: usize) -> usize {
        let object = self.object_id(object);
        self.combo_slot(account, object, year, m)
    }

    /// The month slot of a combination whose object has its number already (a new
    /// combination is numbered on first use).
    fn combo_slot(&mut self, account: u64, object: u32, year: u16, m: usize) -> usize {
        let a = self.account_index(account, year);
        let next = self.combos.len();
        let index = *self.combo_of.entry((a, object)).or_insert(u32_of(next)) as usize;
        if index == next {
            self.combos.push((account, object, year));
            self.months.extend_from_slice(&[0; 12]);
            self.touched.push(0);
        }
        if let Some(t) = self.touched.get_mut(index) {
            *t |= 1 << m;
        }
        index * 12 + m
    }

    /// Make the additions waiting in the batch.
    fn flush(&mut self) {
        let batch = std::mem::take(&mut self.batch);
        for &(slot, amount) in &batch {
            self.add(slot, amount);
        }
        self.batch = batch;
        self.batch.clear();
    }

    /// Add to a month slot; an addition that would overflow goes to `overflow`.
    fn add(&mut self, slot: usize, amount: i64) {
        if let Some(v) = self.months.get_mut(slot)
            && let Some(sum) = v.checked_add(amount)
        {
            *v = sum;
            return;
        }
        let index = slot / 12;
        if let Some(&(account, object, year)) = self.combos.get(index) {
            let month = u32::from(year) << 4 | ((slot % 12) as u32 + 1);
            *self.overflow.entry((account, object, month)).or_insert(0) += i128::from(amount);
        }
    }

    /// Every (account key, object number, year << 4 | month) sum.
    fn all(&self) -> impl Iterator<Item = ((u64, u32, u32), i128)> + '_ {
        let combos =
            self.combos
                .iter()
                .enumerate()
                .flat_map(move |(i, &(account, object, year))| {
                    let touched = self.touched.get(i).copied().unwrap_or(0);
                    (0u32..12)
                        .filter(move |m| touched & (1 << m) != 0)
                        .map(move |m| {
                            let sum = self.months.get(i * 12 + m as usize).copied().unwrap_or(0);
                            (
                                (account, object, u32::from(year) << 4 | (m + 1)),
                                i128::from(sum),
                            )
                        })
                });
        combos.chain(self.overflow.iter().map(|(k, v)| (*k, *v)))
    }

    /// The rows of [`crate::balances`]: sorted by account (as digit strings), object (none
    /// first) and month; combinations whose rows net to zero are kept.
    pub fn rows(&self) -> Vec<BalanceRow> {
        if !self.batch.is_empty() {
            let mut done = self.clone();
            done.flush();
            return done.rows();
        }
        // Accounts and objects are ranked in their printed order once, so that the sums sort
        // as integers (tens of thousands of rows; a map keyed by strings took most of the
        // time after the reading).
        let mut accounts: Vec<(String, u64)> = self
            .accounts
            .keys()
            .map(|&(key, _)| key)
            .chain(self.overflow.keys().map(|&(key, _, _)| key))
            .collect::<rustc_hash::FxHashSet<u64>>()
            .into_iter()
            .map(|key| (fields::account_digits(key), key))
            .collect();
        accounts.sort_unstable();
        let account_rank: FxHashMap<u64, u32> = accounts
            .iter()
            .enumerate()
            .map(|(rank, &(_, key))| (key, u32_of(rank)))
            .collect();
        let mut objects: Vec<u32> = (0..u32_of(self.objects.len())).collect();
        objects.sort_unstable_by_key(|&i| self.objects.get(i as usize));
        // Rank 0 is no object; object number n (index n − 1) gets its place in the order + 1.
        let mut object_rank = vec![0u32; self.objects.len() + 1];
        for (rank, &i) in objects.iter().enumerate() {
            if let Some(r) = object_rank.get_mut(i as usize + 1) {
                *r = u32_of(rank + 1);
            }
        }
        let mut keyed: Vec<((u32, u32, u32), i128)> = self
            .all()
            .map(|((account, object, month), sum)| {
                let a = account_rank.get(&account).copied().unwrap_or(u32::MAX);
                let o = object_rank.get(object as usize).copied().unwrap_or(0);
                ((a, o, month), sum)
            })
            .collect();
        keyed.sort_unstable_by_key(|&(key, _)| key);
        let mut out: Vec<BalanceRow> = Vec::with_capacity(keyed.len());
        let mut last: Option<((u32, u32, u32), i128)> = None;
        let mut emit = |(a, o, month): (u32, u32, u32), sum: i128| {
            let (Some((digits, _)), Some(period)) = (
                accounts.get(a as usize),
                Period::new((month >> 4) as u16, (month & 0xF) as u8),
            ) else {
                return;
            };
            let object = o
                .checked_sub(1)
                .and_then(|rank| objects.get(rank as usize))
                .and_then(|&i| self.objects.get(i as usize))
                .map(|o| o.to_string());
            out.push(BalanceRow {
                account: AccountNo::validated(digits),
                object,
                month: period,
                amount: Amount(i64::try_from(sum).unwrap_or(if sum < 0 {
                    i64::MIN
                } else {
                    i64::MAX
                })),
            });
        };
        for (key, sum) in keyed {
            last = match last {
                Some((k, s)) if k == key => Some((k, s + sum)),
                Some((k, s)) => {
                    emit(k, s);
                    Some((key, sum))
                }
                None => Some((key, sum)),
            };
        }
        if let Some((k, s)) = last {
            emit(k, s);
        }
        out
    }
}

impl Sums {
    /// The month slot of a counted row, through its spelling number when it has one.
    fn row_slot(&mut self, r: &HeldRow<'_>, year: u16, month: u8) -> usize {
        let Some(n) = r.spelling() else {
            let account = fields::account_key(r.account().as_bytes());
            return self.slot(account, r.object_in(1), year, month);
        };
        let place = n as usize % SPELLINGS;
        let m = usize::from(month.clamp(1, 12) - 1);
        if let Some(&(known, y, i)) = self.by_spelling.get(place)
            && known == n.wrapping_add(1)
            && y == year
            && let Some(index) = (i as usize).checked_sub(1)
        {
            if let Some(t) = self.touched.get_mut(index) {
                *t |= 1 << m;
            }
            return index * 12 + m;
        }
        let account = fields::account_key(r.account().as_bytes());
        let slot = self.slot(account, r.object_in(1), year, month);
        if self.by_spelling.len() <= place {
            let len = (place + 1).next_power_of_two().clamp(1024, SPELLINGS);
            self.by_spelling.resize(len, (0, 0, 0));
        }
        if let Some(entry) = self.by_spelling.get_mut(place) {
            *entry = (n.wrapping_add(1), year, u32_of(slot / 12 + 1));
        }
        slot
    }
}

impl Visitor for Sums {
    fn voucher_rows(&mut self, v: &VoucherRows<'_>) {
        for r in v.rows().filter(|r| r.kind().counts()) {
            let date = r.date().unwrap_or(v.date);
            let slot = self.row_slot(&r, date.year(), date.month());
            self.batch.push((slot, r.amount()));
        }
        if self.batch.len() >= BATCH {
            self.flush();
        }
    }
    fn handover(&self) -> Handover {
        Handover::Rows
    }
    fn wants_text(&self) -> bool {
        false
    }
}

impl Fork for Sums {
    fn fork(&self) -> Self {
        Sums::default()
    }
    fn merge(&mut self, mut later: Self) {
        later.flush();
        self.flush();
        let remap: Vec<u32> = later
            .objects
            .iter()
            .map(|o| self.object_id(Some(o)))
            .collect();
        let object_in_self = |object: u32| {
            object
                .checked_sub(1)
                .and_then(|i| remap.get(i as usize).copied())
                .unwrap_or(0)
        };
        // The later part's combinations join this one's (its monthly sums added in place).
        for (i, &(account, object, year)) in later.combos.iter().enumerate() {
            let touched = later.touched.get(i).copied().unwrap_or(0);
            for m in (0..12).filter(|m| touched & (1 << m) != 0) {
                let slot = self.combo_slot(account, object_in_self(object), year, m);
                let sum = later.months.get(i * 12 + m).copied().unwrap_or(0);
                self.add(slot, sum);
            }
        }
        for ((account, object, month), sum) in later.overflow {
            *self
                .overflow
                .entry((account, object_in_self(object), month))
                .or_insert(0) += sum;
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
    fn handover(&self) -> Handover {
        Handover::Nothing
    }
}

impl Fork for Ignore {
    fn fork(&self) -> Self {
        Ignore
    }
    fn merge(&mut self, _later: Self) {}
}
