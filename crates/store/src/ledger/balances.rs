//! Monthly balances maintained at import (issue 23, migration 0028): per ledger file, source,
//! calendar year, account and ansvar, the twelve months' amounts and rows, summed over the
//! projects. Budget vs actual reads these (thousands of rows) instead of the monthly sums per
//! project (`ledger_sums`, millions on a ledger with projects).
//!
//! [`write`] is called by the import with the sums it has just written, in its transaction, so a
//! file's balances come and go with the file: a re-import of the same company and year (or a
//! corrected file) replaces them with the rest of the file, and they stay exact. [`read`] gives
//! them back as domain [`YearBalance`]s, with the keys whose project a rule looks at (`inv`,
//! `expl`: the caller says which) split by project from `ledger_sums`, read through the
//! positions each balance row keeps.

use super::tables::{SUMS, TableWriter, YEAR_BALANCES};
use crate::StoreError;
use crate::write::values_of;
use sqlx::{AnyPool, Row};
use std::collections::{BTreeMap, HashMap, HashSet};
use styr_domain::Year;
use styr_domain::ledger::{LedgerAmount, Month};
use styr_domain::year_balance::YearBalance;

use super::read::LedgerSource;

/// One balance row being summed.
struct Summing {
    amounts: [i128; 12],
    rows: [u64; 12],
    project_rows: u64,
    first: i64,
    last: i64,
}

/// A sum as written to `ledger_sums`: its position, its source and its amount.
pub(crate) struct WrittenSum<'a> {
    pub position: i64,
    pub source: LedgerSource,
    pub amount: &'a LedgerAmount,
}

/// Writes the balances of file `file` from the sums written for it (every one of them, either
/// source), through the import's open transaction.
pub(crate) fn write<'a>(
    sink: &mut impl TableWriter,
    file: i64,
    sums: impl IntoIterator<Item = WrittenSum<'a>>,
) -> Result<(), StoreError> {
    let mut balances: BTreeMap<(&'static str, Year, &'a str, Option<&'a str>), Summing> =
        BTreeMap::new();
    for sum in sums {
        let amount = sum.amount;
        let key = (
            sum.source.code(),
            amount.month.year(),
            amount.account.as_str(),
            amount.ansvar.as_deref(),
        );
        let balance = balances.entry(key).or_insert(Summing {
            amounts: [0; 12],
            rows: [0; 12],
            project_rows: 0,
            first: sum.position,
            last: sum.position,
        });
        let index = usize::from(amount.month.month() - 1);
        balance.amounts[index] += i128::from(amount.amount.ore());
        balance.rows[index] += amount.rows;
        if amount.project.is_some() {
            balance.project_rows += amount.rows;
        }
        balance.first = balance.first.min(sum.position);
        balance.last = balance.last.max(sum.position);
    }
    let int = |value: u64| i64::try_from(value).unwrap_or(i64::MAX);
    for ((source, year, account, ansvar), summed) in balances {
        let mut amounts = [0i64; 12];
        for (out, amount) in amounts.iter_mut().zip(summed.amounts) {
            *out = i64::try_from(amount)
                .map_err(|_| StoreError::Corrupt("en månadssaldo ryms inte i 64 bitar".into()))?;
        }
        let balance = Balance {
            amounts,
            rows: summed.rows.map(int),
        };
        let mut values = Vec::from(values_of!(YEAR_BALANCES;
            "file" => file,
            "source" => source,
            "year" => i64::from(year),
            "account" => account,
            "ansvar" => ansvar,
            "project_rows" => int(summed.project_rows),
            "sums_first" => summed.first,
            "sums_last" => summed.last,
            "a01" => balance.amounts[0],
            "a02" => balance.amounts[1],
            "a03" => balance.amounts[2],
            "a04" => balance.amounts[3],
            "a05" => balance.amounts[4],
            "a06" => balance.amounts[5],
            "a07" => balance.amounts[6],
            "a08" => balance.amounts[7],
            "a09" => balance.amounts[8],
            "a10" => balance.amounts[9],
            "a11" => balance.amounts[10],
            "a12" => balance.amounts[11],
            "r01" => balance.rows[0],
            "r02" => balance.rows[1],
            "r03" => balance.rows[2],
            "r04" => balance.rows[3],
            "r05" => balance.rows[4],
            "r06" => balance.rows[5],
            "r07" => balance.rows[6],
            "r08" => balance.rows[7],
            "r09" => balance.rows[8],
            "r10" => balance.rows[9],
            "r11" => balance.rows[10],
            "r12" => balance.rows[11],
        ));
        sink.insert(&YEAR_BALANCES, &mut values)?;
    }
    Ok(())
}

/// Writes the balances of file `file` whose sums the import wrote as it does: the actual sums
/// at positions 0, 1, … in `actual`'s order, then the budget sums in `budget`'s order.
pub(crate) fn write_file(
    sink: &mut impl TableWriter,
    file: i64,
    actual: &[LedgerAmount],
    budget: &[LedgerAmount],
) -> Result<(), StoreError> {
    let position = |index: usize| i64::try_from(index).unwrap_or(i64::MAX);
    let actual_sums = actual.iter().enumerate().map(|(index, amount)| WrittenSum {
        position: position(index),
        source: LedgerSource::Actual,
        amount,
    });
    let budget_sums = budget.iter().enumerate().map(|(index, amount)| WrittenSum {
        position: position(actual.len() + index),
        source: LedgerSource::Budget,
        amount,
    });
    write(sink, file, actual_sums.chain(budget_sums))
}

/// A balance row's months, as stored.
struct Balance {
    amounts: [i64; 12],
    rows: [i64; 12],
}

/// A key whose project is needed, in one file: its rows in `ledger_sums` lie between two
/// positions.
struct Split {
    file: i64,
    first: i64,
    last: i64,
}

/// The balances of a municipality's follow-up files (not the bokslut files) for `source` in
/// calendar year `year`: one per file and key, the project left out, except where
/// `needs_project(account, ansvar)` and some of the key's rows carry a project: then one per
/// project (and one for the rows without), from `ledger_sums`.
pub async fn read(
    pool: &AnyPool,
    municipality: &str,
    source: LedgerSource,
    year: Year,
    needs_project: &(dyn Fn(&str, Option<&str>) -> bool + Sync),
) -> Result<Vec<YearBalance>, StoreError> {
    let rows = sqlx::query(
        "SELECT b.file, b.account, b.ansvar, b.project_rows, b.sums_first, b.sums_last, \
         b.a01, b.a02, b.a03, b.a04, b.a05, b.a06, b.a07, b.a08, b.a09, b.a10, b.a11, b.a12, b.r01, b.r02, b.r03, b.r04, b.r05, b.r06, b.r07, b.r08, b.r09, b.r10, b.r11, b.r12 \
         FROM ledger_year_balances b JOIN ledger_files f ON f.id = b.file \
         WHERE f.municipality = $1 AND f.scope = 'followup' AND b.source = $2 AND b.year = $3",
    )
    .bind(municipality)
    .bind(source.code())
    .bind(i64::from(year))
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    let mut splits: Vec<Split> = Vec::new();
    let mut wanted: HashSet<(i64, String, Option<String>)> = HashSet::new();
    for row in &rows {
        let file: i64 = row.try_get(0)?;
        let account: String = row.try_get(1)?;
        let ansvar: Option<String> = row.try_get(2)?;
        let project_rows: i64 = row.try_get(3)?;
        if project_rows > 0 && needs_project(&account, ansvar.as_deref()) {
            splits.push(Split {
                file,
                first: row.try_get(4)?,
                last: row.try_get(5)?,
            });
            wanted.insert((file, account, ansvar));
            continue;
        }
        let mut balance = YearBalance::new(account, ansvar, None, year);
        for month in 0..12u8 {
            let amount: i64 = row.try_get(6 + usize::from(month))?;
            let rows: i64 = row.try_get(18 + usize::from(month))?;
            if rows > 0 {
                balance.add(
                    month + 1,
                    i128::from(amount),
                    u64::try_from(rows).unwrap_or(0),
                );
            }
        }
        out.push(balance);
    }
    if !splits.is_empty() {
        out.extend(split(pool, source, year, splits, &wanted).await?);
    }
    Ok(out)
}

/// The keys `wanted` per project, from the `ledger_sums` rows between their positions.
async fn split(
    pool: &AnyPool,
    source: LedgerSource,
    year: Year,
    mut splits: Vec<Split>,
    wanted: &HashSet<(i64, String, Option<String>)>,
) -> Result<Vec<YearBalance>, StoreError> {
    // Adjacent and overlapping ranges of a file are read as one.
    splits.sort_by_key(|s| (s.file, s.first));
    let mut ranges: Vec<Split> = Vec::new();
    for next in splits {
        match ranges.last_mut() {
            Some(last) if last.file == next.file && next.first <= last.last + 1 => {
                last.last = last.last.max(next.last);
            }
            _ => ranges.push(next),
        }
    }
    let (first, last) = (
        Month::new(year, 1)
            .map(|m| m.to_string())
            .unwrap_or_default(),
        Month::new(year, 12)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let mut balances: HashMap<(String, Option<String>, Option<String>), YearBalance> =
        HashMap::new();
    for range in ranges {
        let rows = sqlx::query(
            "SELECT account, ansvar, project, month, amount_ore, row_count FROM ledger_sums \
             WHERE file = $1 AND position >= $2 AND position <= $3 AND source = $4 \
             AND month >= $5 AND month <= $6",
        )
        .bind(range.file)
        .bind(range.first)
        .bind(range.last)
        .bind(source.code())
        .bind(first.as_str())
        .bind(last.as_str())
        .fetch_all(pool)
        .await?;
        for row in &rows {
            let account: String = row.try_get(0)?;
            let ansvar: Option<String> = row.try_get(1)?;
            let key = (range.file, account, ansvar);
            if !wanted.contains(&key) {
                continue;
            }
            let (_, account, ansvar) = key;
            let project: Option<String> = row.try_get(2)?;
            let month: String = row.try_get(3)?;
            let month = Month::parse(&month)
                .ok_or_else(|| StoreError::Corrupt(format!("{}.month: {month:?}", SUMS.name)))?;
            let amount: i64 = row.try_get(4)?;
            let rows: i64 = row.try_get(5)?;
            balances
                .entry((account.clone(), ansvar.clone(), project.clone()))
                .or_insert_with(|| YearBalance::new(account, ansvar, project, year))
                .add(
                    month.month(),
                    i128::from(amount),
                    u64::try_from(rows).unwrap_or(0),
                );
        }
    }
    Ok(balances.into_values().collect())
}
