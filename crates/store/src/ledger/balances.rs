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
use crate::connect::Backend;
use crate::write::values_of;
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Row};
use std::collections::{BTreeMap, HashMap, HashSet};
use styr_domain::Year;
use styr_domain::ledger::{LedgerAmount, Month};
use styr_domain::year_balance::YearBalance;

use super::page::{AmountFilter, FileAmount, FilteredSums, LedgerFileId};
use super::read::LedgerSource;
use styr_domain::Money;

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

/// A `Stored` from a row of `BALANCES_SQL`'s columns, through the driver's getter (`try_get`
/// of sqlx, `get` of rusqlite: the two drivers' rows share no trait).
macro_rules! stored_of {
    ($row:expr, $get:ident) => {{
        let row = $row;
        let mut balance = Stored {
            file: row.$get(0)?,
            account: row.$get(1)?,
            ansvar: row.$get(2)?,
            project_rows: row.$get(3)?,
            first: row.$get(4)?,
            last: row.$get(5)?,
            amounts: [0; 12],
            rows: [0; 12],
        };
        for month in 0..12 {
            balance.amounts[month] = row.$get(6 + month)?;
            balance.rows[month] = row.$get(18 + month)?;
        }
        balance
    }};
}

/// A `SumRow` from a row of `SPLIT_SQL`, as [`stored_of`].
macro_rules! sum_row_of {
    ($row:expr, $get:ident) => {{
        let row = $row;
        SumRow {
            account: row.$get(0)?,
            ansvar: row.$get(1)?,
            project: row.$get(2)?,
            month: row.$get(3)?,
            amount: row.$get(4)?,
            rows: row.$get(5)?,
        }
    }};
}

/// A balance row as read.
struct Stored {
    file: i64,
    account: String,
    ansvar: Option<String>,
    project_rows: i64,
    first: i64,
    last: i64,
    amounts: [i64; 12],
    rows: [i64; 12],
}

/// A `ledger_sums` row as read for a split.
struct SumRow {
    account: String,
    ansvar: Option<String>,
    project: Option<String>,
    month: String,
    amount: i64,
    rows: i64,
}

/// A range of positions of one file's `ledger_sums`.
#[derive(Debug, Clone, Copy)]
struct Range {
    file: i64,
    first: i64,
    last: i64,
}

const BALANCES_SQL: &str = "SELECT b.file, b.account, b.ansvar, b.project_rows, b.sums_first, \
     b.sums_last, b.a01, b.a02, b.a03, b.a04, b.a05, b.a06, b.a07, b.a08, b.a09, b.a10, b.a11, b.a12, b.r01, b.r02, b.r03, b.r04, b.r05, b.r06, b.r07, b.r08, b.r09, b.r10, b.r11, b.r12 \
     FROM ledger_year_balances b JOIN ledger_files f ON f.id = b.file \
     WHERE f.municipality = $1 AND f.scope = 'followup' AND b.source = $2 AND b.year = $3";

const SPLIT_SQL: &str = "SELECT account, ansvar, project, month, amount_ore, row_count \
     FROM ledger_sums WHERE file = $1 AND position >= $2 AND position <= $3 AND source = $4 \
     AND month >= $5 AND month <= $6";

/// The balances of a municipality's follow-up files (not the bokslut files) for `source` in
/// calendar year `year` on a SQLite file: one per file and key, the project left out, except
/// where `needs_project(account, ansvar)` and some of the key's rows carry a project: then one
/// per project (and one for the rows without), from `ledger_sums`. Both reads go through one
/// read transaction of a connection of its own (`rusqlite`: thousands of rows of thirty
/// columns cost a tenth of what the `Any` driver's row conversion costs). `None` on another
/// database: then [`read`].
pub async fn read_sqlite_file(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    source: LedgerSource,
    year: Year,
    needs_project: &(dyn Fn(&str, Option<&str>) -> bool + Sync),
) -> Result<Option<Vec<YearBalance>>, StoreError> {
    if backend != Backend::Sqlite {
        return Ok(None);
    }
    let Some(path) = super::sqlite_file(pool).await? else {
        return Ok(None);
    };
    let (first, last) = year_months(year);
    let connection = rusqlite::Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.execute_batch("PRAGMA busy_timeout = 5000; BEGIN")?;
    let stored = sqlite_balances(&connection, municipality, source, year)?;
    let (mut out, wanted, ranges) = assemble(year, stored, needs_project);
    let mut sums = Vec::new();
    for range in &ranges {
        sums.extend(sqlite_sums(&connection, *range, source, &first, &last)?);
    }
    connection.execute_batch("COMMIT")?;
    out.extend(split(year, sums, &wanted)?);
    Ok(Some(out))
}

/// The first and the last month of `year` as stored.
fn year_months(year: Year) -> (String, String) {
    (
        Month::new(year, 1)
            .map(|m| m.to_string())
            .unwrap_or_default(),
        Month::new(year, 12)
            .map(|m| m.to_string())
            .unwrap_or_default(),
    )
}

/// The same as [`read_sqlite_file`] through a connection of the pool (on PostgreSQL inside the
/// transaction that names the municipality for row-level security). The files first, then
/// their balances by file number: PostgreSQL reads only their partitions (migration 0029).
pub async fn read(
    db: &mut AnyConnection,
    municipality: &str,
    source: LedgerSource,
    year: Year,
    needs_project: &(dyn Fn(&str, Option<&str>) -> bool + Sync),
) -> Result<Vec<YearBalance>, StoreError> {
    let files = super::read::files_of(db, municipality).await?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let (first, last) = year_months(year);
    let sql = format!(
        "SELECT b.file, b.account, b.ansvar, b.project_rows, b.sums_first, b.sums_last, \
         b.a01, b.a02, b.a03, b.a04, b.a05, b.a06, b.a07, b.a08, b.a09, b.a10, b.a11, b.a12, b.r01, b.r02, b.r03, b.r04, b.r05, b.r06, b.r07, b.r08, b.r09, b.r10, b.r11, b.r12 \
         FROM ledger_year_balances b \
         WHERE b.file IN ({}) AND b.source = $1 AND b.year = $2",
        super::read::placeholders(3, files.len())
    );
    // Only placeholders are added to the SQL; every value is bound.
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(source.code())
        .bind(i64::from(year));
    for file in files {
        query = query.bind(file);
    }
    let rows = query.fetch_all(&mut *db).await?;
    let mut stored = Vec::with_capacity(rows.len());
    for row in &rows {
        let balance = stored_of!(row, try_get);
        stored.push(balance);
    }
    let (mut out, wanted, ranges) = assemble(year, stored, needs_project);
    let mut sums = Vec::new();
    for range in ranges {
        let rows = sqlx::query(SPLIT_SQL)
            .bind(range.file)
            .bind(range.first)
            .bind(range.last)
            .bind(source.code())
            .bind(first.as_str())
            .bind(last.as_str())
            .fetch_all(&mut *db)
            .await?;
        for row in &rows {
            sums.push((range.file, sum_row_of!(row, try_get)));
        }
    }
    out.extend(split(year, sums, &wanted)?);
    Ok(out)
}

fn sqlite_balances(
    connection: &rusqlite::Connection,
    municipality: &str,
    source: LedgerSource,
    year: Year,
) -> Result<Vec<Stored>, StoreError> {
    let mut statement = connection.prepare(BALANCES_SQL)?;
    let mut rows = statement.query(rusqlite::params![municipality, source.code(), year])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let balance = stored_of!(row, get);
        out.push(balance);
    }
    Ok(out)
}

fn sqlite_sums(
    connection: &rusqlite::Connection,
    range: Range,
    source: LedgerSource,
    first: &str,
    last: &str,
) -> Result<Vec<(i64, SumRow)>, StoreError> {
    let mut statement = connection.prepare_cached(SPLIT_SQL)?;
    let mut rows = statement.query(rusqlite::params![
        range.file,
        range.first,
        range.last,
        source.code(),
        first,
        last
    ])?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push((range.file, sum_row_of!(row, get)));
    }
    Ok(out)
}

/// The keys wanted per file and the positions to read them from.
type Wanted = HashSet<(i64, String, Option<String>)>;

/// The balance rows that need no split as year balances; the keys that do, and the merged
/// ranges of `ledger_sums` to read them from.
fn assemble(
    year: Year,
    stored: Vec<Stored>,
    needs_project: &(dyn Fn(&str, Option<&str>) -> bool + Sync),
) -> (Vec<YearBalance>, Wanted, Vec<Range>) {
    let mut out = Vec::with_capacity(stored.len());
    let mut wanted = Wanted::new();
    let mut ranges: Vec<Range> = Vec::new();
    for row in stored {
        if row.project_rows > 0 && needs_project(&row.account, row.ansvar.as_deref()) {
            ranges.push(Range {
                file: row.file,
                first: row.first,
                last: row.last,
            });
            wanted.insert((row.file, row.account, row.ansvar));
            continue;
        }
        let mut balance = YearBalance::new(row.account, row.ansvar, None, year);
        for month in 0..12u8 {
            let index = usize::from(month);
            if row.rows[index] > 0 {
                balance.add(
                    month + 1,
                    i128::from(row.amounts[index]),
                    u64::try_from(row.rows[index]).unwrap_or(0),
                );
            }
        }
        out.push(balance);
    }
    ranges.sort_by_key(|r| (r.file, r.first));
    (out, wanted, merge(ranges))
}

/// The wanted keys per project, from the `ledger_sums` rows read between their positions
/// (rows of other keys in the same ranges are left: they have balances of their own).
fn split(
    year: Year,
    sums: Vec<(i64, SumRow)>,
    wanted: &Wanted,
) -> Result<Vec<YearBalance>, StoreError> {
    let mut balances: HashMap<(String, Option<String>, Option<String>), YearBalance> =
        HashMap::new();
    for (file, row) in sums {
        let key = (file, row.account, row.ansvar);
        if !wanted.contains(&key) {
            continue;
        }
        let (_, account, ansvar) = key;
        let month = Month::parse(&row.month)
            .ok_or_else(|| StoreError::Corrupt(format!("{}.month: {:?}", SUMS.name, row.month)))?;
        balances
            .entry((account.clone(), ansvar.clone(), row.project.clone()))
            .or_insert_with(|| YearBalance::new(account, ansvar, row.project, year))
            .add(
                month.month(),
                i128::from(row.amount),
                u64::try_from(row.rows).unwrap_or(0),
            );
    }
    Ok(balances.into_values().collect())
}

/// The sums of a drill-down's figure (`page::amounts_where`'s answer) from the year balances:
/// per file, account, ansvar and project over the months from `first` to `last` (of one
/// calendar year, `year`), and per file and month. A key's project is left out (`None`) unless
/// `needs_project(account, ansvar)` and some of its rows carry one: then its sums come per
/// project from `ledger_sums`, as [`read`] splits them. The same figure, groups and rows as
/// from `ledger_sums` (a rule that does not look at the project classifies every project of a
/// key alike), from hundreds of rows instead of thousands.
pub(crate) struct FigureRead<'a> {
    pub municipality: &'a str,
    pub source: LedgerSource,
    pub first: Month,
    pub last: Month,
    pub filters: &'a [AmountFilter],
    pub needs_project: &'a (dyn Fn(&str, Option<&str>) -> bool + Sync),
}

impl FigureRead<'_> {
    /// The balance rows the filters admit of the files `files` (ids the store read, written
    /// into the SQL as numbers); the filters' texts bound from `$3` on, after the source and
    /// the year.
    fn balances_sql(&self, files: &[i64]) -> (String, Vec<&str>) {
        let (admitted, texts) = super::page::filter_sql("b", self.filters, 3);
        let files: Vec<String> = files.iter().map(ToString::to_string).collect();
        let sql = format!(
            "SELECT b.file, b.account, b.ansvar, b.project_rows, b.sums_first, b.sums_last, \
             b.a01, b.a02, b.a03, b.a04, b.a05, b.a06, b.a07, b.a08, b.a09, b.a10, b.a11, b.a12, \
             b.r01, b.r02, b.r03, b.r04, b.r05, b.r06, b.r07, b.r08, b.r09, b.r10, b.r11, b.r12 \
             FROM ledger_year_balances b \
             WHERE b.file IN ({}) AND b.source = $1 AND b.year = $2 AND {admitted}",
            files.join(", ")
        );
        (sql, texts)
    }

    /// The months' indexes (0–11) from `first` to `last`.
    fn months(&self) -> std::ops::RangeInclusive<usize> {
        usize::from(self.first.month() - 1)..=usize::from(self.last.month() - 1)
    }

    /// The sums of the balance rows that need no split; the keys that do, and the ranges of
    /// `ledger_sums` to read them from; the rows per file and month of them all.
    fn assemble(&self, stored: Vec<Stored>) -> (FilteredSums, Wanted, Vec<Range>) {
        let mut out = FilteredSums::default();
        let mut wanted = Wanted::new();
        let mut ranges: Vec<Range> = Vec::new();
        let mut monthly: BTreeMap<(i64, u8), u64> = BTreeMap::new();
        for row in stored {
            let (mut amount, mut rows, mut any) = (0i64, 0u64, false);
            for index in self.months() {
                let count = u64::try_from(row.rows[index]).unwrap_or(0);
                if count > 0 {
                    let month = u8::try_from(index + 1).unwrap_or(12);
                    *monthly.entry((row.file, month)).or_default() += count;
                }
                any |= count > 0 || row.amounts[index] != 0;
                amount += row.amounts[index];
                rows += count;
            }
            if !any {
                continue;
            }
            if row.project_rows > 0 && (self.needs_project)(&row.account, row.ansvar.as_deref()) {
                ranges.push(Range {
                    file: row.file,
                    first: row.first,
                    last: row.last,
                });
                wanted.insert((row.file, row.account, row.ansvar));
                continue;
            }
            out.amounts.push(FileAmount {
                file: LedgerFileId(row.file),
                account: row.account,
                ansvar: row.ansvar,
                project: None,
                amount: Money::from_ore(amount),
                rows,
            });
        }
        let year = self.first.year();
        out.monthly_rows = monthly
            .into_iter()
            .filter_map(|((file, month), rows)| {
                Some((LedgerFileId(file), Month::new(year, month)?, rows))
            })
            .collect();
        ranges.sort_by_key(|r| (r.file, r.first));
        (out, wanted, merge(ranges))
    }

    /// `out` with the wanted keys' sums per project added, from the `ledger_sums` rows read,
    /// and in `amounts_where`'s order.
    fn finish(
        &self,
        mut out: FilteredSums,
        sums: Vec<(i64, SumRow)>,
        wanted: &Wanted,
    ) -> FilteredSums {
        // (file, account, ansvar, project) → (amount in öre, rows).
        type Key = (i64, String, Option<String>, Option<String>);
        let mut split: BTreeMap<Key, (i64, u64)> = BTreeMap::new();
        for (file, row) in sums {
            let key = (file, row.account, row.ansvar);
            if !wanted.contains(&key) {
                continue;
            }
            let (file, account, ansvar) = key;
            let sum = split
                .entry((file, account, ansvar, row.project))
                .or_default();
            sum.0 += row.amount;
            sum.1 += u64::try_from(row.rows).unwrap_or(0);
        }
        for ((file, account, ansvar, project), (amount, rows)) in split {
            out.amounts.push(FileAmount {
                file: LedgerFileId(file),
                account,
                ansvar,
                project,
                amount: Money::from_ore(amount),
                rows,
            });
        }
        out.amounts.sort_by(|a, b| {
            (a.file, &a.account, &a.ansvar, &a.project)
                .cmp(&(b.file, &b.account, &b.ansvar, &b.project))
        });
        out
    }
}

/// Adjacent and overlapping ranges of a file (sorted by file and first position) as one.
fn merge(ranges: Vec<Range>) -> Vec<Range> {
    let mut merged: Vec<Range> = Vec::new();
    for next in ranges {
        match merged.last_mut() {
            Some(last) if last.file == next.file && next.first <= last.last + 1 => {
                last.last = last.last.max(next.last);
            }
            _ => merged.push(next),
        }
    }
    merged
}

/// [`FigureRead`] on a SQLite file through a read-only `rusqlite` connection of its own, in one
/// read transaction, as [`read_sqlite_file`]; `None` on another database.
pub(crate) async fn figure_sqlite_file(
    pool: &AnyPool,
    backend: Backend,
    figure: &FigureRead<'_>,
) -> Result<Option<FilteredSums>, StoreError> {
    if backend != Backend::Sqlite || figure.filters.is_empty() {
        return Ok(None);
    }
    let Some(path) = super::sqlite_file(pool).await? else {
        return Ok(None);
    };
    let connection = rusqlite::Connection::open_with_flags(
        &path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.execute_batch("PRAGMA busy_timeout = 5000; BEGIN")?;
    let files = {
        let mut statement = connection.prepare(
            "SELECT id FROM ledger_files WHERE municipality = $1 AND scope = 'followup' \
             ORDER BY id",
        )?;
        statement
            .query_map([figure.municipality], |row| row.get::<_, i64>(0))?
            .collect::<Result<Vec<i64>, _>>()?
    };
    if files.is_empty() {
        connection.execute_batch("COMMIT")?;
        return Ok(Some(FilteredSums::default()));
    }
    let (sql, texts) = figure.balances_sql(&files);
    let mut values: Vec<rusqlite::types::Value> = vec![
        figure.source.code().to_owned().into(),
        i64::from(figure.first.year()).into(),
    ];
    values.extend(texts.iter().map(|text| (*text).to_owned().into()));
    let mut stored = Vec::new();
    {
        let mut statement = connection.prepare(&sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(values))?;
        while let Some(row) = rows.next()? {
            let balance = stored_of!(row, get);
            stored.push(balance);
        }
    }
    let (out, wanted, ranges) = figure.assemble(stored);
    let (first, last) = (figure.first.to_string(), figure.last.to_string());
    let mut sums = Vec::new();
    for range in &ranges {
        sums.extend(sqlite_sums(
            &connection,
            *range,
            figure.source,
            &first,
            &last,
        )?);
    }
    connection.execute_batch("COMMIT")?;
    Ok(Some(figure.finish(out, sums, &wanted)))
}

/// [`FigureRead`] through a connection of the pool (on PostgreSQL inside the transaction that
/// names the municipality for row-level security): the files first, then their balances by
/// file number, as [`read`].
pub(crate) async fn figure(
    db: &mut AnyConnection,
    figure: &FigureRead<'_>,
) -> Result<FilteredSums, StoreError> {
    let files = super::read::files_of(db, figure.municipality).await?;
    if files.is_empty() || figure.filters.is_empty() {
        return Ok(FilteredSums::default());
    }
    let (sql, texts) = figure.balances_sql(&files);
    // Only placeholders and file ids are added to the SQL; every text is bound.
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(figure.source.code())
        .bind(i64::from(figure.first.year()));
    for text in &texts {
        query = query.bind(*text);
    }
    let rows = query.fetch_all(&mut *db).await?;
    let mut stored = Vec::with_capacity(rows.len());
    for row in &rows {
        let balance = stored_of!(row, try_get);
        stored.push(balance);
    }
    let (out, wanted, ranges) = figure.assemble(stored);
    let (first, last) = (figure.first.to_string(), figure.last.to_string());
    let mut sums = Vec::new();
    for range in ranges {
        let rows = sqlx::query(SPLIT_SQL)
            .bind(range.file)
            .bind(range.first)
            .bind(range.last)
            .bind(figure.source.code())
            .bind(first.as_str())
            .bind(last.as_str())
            .fetch_all(&mut *db)
            .await?;
        for row in &rows {
            sums.push((range.file, sum_row_of!(row, try_get)));
        }
    }
    Ok(figure.finish(out, sums, &wanted))
}
