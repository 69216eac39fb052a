//! The vouchers behind a figure a page at a time (keyset pagination), and the monthly sums of
//! the accounts and ansvar a figure can hold, per file, that choose them.
//!
//! The order is the drill-down's: by day, then file, voucher and line. (file, voucher, line)
//! names one row, so the order is total, and a page continues strictly after the key of the
//! previous page's last row ([`LedgerRowKey`]): no row twice and none missed, whatever other
//! rows share its day.
//!
//! A file's voucher rows are packed ([`super::pack`]) in runs, each pack a few dozen rows of
//! one (account, ansvar) pair in day order, keyed by (file, run, account, ansvar, last_day,
//! seq) (the SQLite primary key; on PostgreSQL the B-tree `ledger_packs_seek` of migration
//! 0035). The rows of a window of days are found by one seek per run and pair to the first pack
//! whose last day reaches the window, reading only the packs that overlap it. A page reads
//! windows of days from the cursor on, each as large as the monthly sums say it needs to be to
//! hold the page (doubling when they were wrong), merges what it found in the order above and
//! keeps the page. Only the page's own rows are then given their vouchers and texts.

use super::load::LedgerDate;
use super::read::{StoredRow, resolve};
use crate::StoreError;
use crate::row::Cells;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use styr_domain::Money;
use styr_domain::ledger::{LedgerTransaction, Month};

use super::read::LedgerSource;

/// A ledger row's place in the drill-down's order: its day (days since 1970-01-01), its file,
/// its voucher in the file and its line in the voucher. Unique, and ordered as the fields are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LedgerRowKey {
    pub day: i64,
    pub file: i64,
    pub voucher: i64,
    pub line: i64,
}

/// A stored ledger file, as [`FileAmount`] names it and a [`FileSelection`] asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LedgerFileId(pub(crate) i64);

/// One file's sum of one account, ansvar and project over the months asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileAmount {
    pub file: LedgerFileId,
    pub account: String,
    /// Dimension-1 object, if the rows had one.
    pub ansvar: Option<String>,
    /// Dimension-6 object, if the rows had one.
    pub project: Option<String>,
    pub amount: Money,
    /// How many ledger rows were summed.
    pub rows: u64,
}

/// The sums [`amounts_where`] reads: per file, account, ansvar and project over the months,
/// and per file and month over all of them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FilteredSums {
    pub amounts: Vec<FileAmount>,
    pub monthly_rows: Vec<(LedgerFileId, Month, u64)>,
}

/// Which monthly sums to read: accounts between two texts (inclusive, in byte order: see
/// `AccountRange::text_bounds`) and, when the list is not empty, with one of these ansvar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AmountFilter {
    pub accounts: (String, String),
    pub ansvar: Vec<String>,
}

/// An account and ansvar (dimension-1 object; `None` for rows without one) whose rows to list:
/// all of them (`projects: None`), or those whose dimension-6 object (`None`: no project) is
/// one of `projects`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPair {
    pub account: String,
    pub ansvar: Option<String>,
    pub projects: Option<Vec<Option<String>>>,
}

/// What to list of one file: its pairs, and how many rows they hold per month (from the
/// file's monthly sums: the windows are sized by them, and months without rows are skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSelection {
    pub file: LedgerFileId,
    pub pairs: Vec<LedgerPair>,
    pub monthly_rows: Vec<(Month, u64)>,
}

/// The rows behind a figure: those of the files' pairs booked from `first` to `last`
/// (inclusive), counted rows only (#TRANS and #RTRANS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSelection {
    pub first: Month,
    pub last: Month,
    pub files: Vec<FileSelection>,
}

/// Where a page begins (or ends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAt {
    /// The first rows.
    First,
    /// The rows right after this key.
    After(LedgerRowKey),
    /// The rows right before this key (a previous page).
    Before(LedgerRowKey),
}

/// One page of rows, in the drill-down's order, each with its key; `more` when rows lie beyond
/// it in the direction it was read: after its last row, or before its first for
/// [`PageAt::Before`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerPage {
    pub rows: Vec<(LedgerRowKey, LedgerTransaction)>,
    pub more: bool,
}

/// The monthly sums from `first` to `last` (inclusive) of a municipality's follow-up files
/// that one of `filters` admits: summed per file, account, ansvar and project, and per file and
/// month. Through the indexes `ledger_sums_ansvar` (a filter with ansvar) and
/// `ledger_sums_account` (migration 0030), and few rows back: a figure's sums are thousands of
/// rows a month at ten million transactions.
pub async fn amounts_where(
    db: &mut AnyConnection,
    municipality: &str,
    source: LedgerSource,
    first: Month,
    last: Month,
    filters: &[AmountFilter],
) -> Result<FilteredSums, StoreError> {
    if filters.is_empty() {
        return Ok(FilteredSums::default());
    }
    // Each text is bound to the placeholder `$n` that follows the four here.
    let (admitted, texts) = filter_sql("s", filters, 5);
    let from = format!(
        " FROM ledger_sums s JOIN ledger_files f ON f.id = s.file \
         WHERE f.municipality = $1 AND f.scope = 'followup' AND s.source = $2 \
         AND s.month >= $3 AND s.month <= $4 AND {admitted}"
    );
    let mut binds = vec![
        municipality.to_owned(),
        source.code().to_owned(),
        first.to_string(),
        last.to_string(),
    ];
    binds.extend(texts.iter().map(|text| (*text).to_owned()));
    grouped_sums(db, &from, &binds).await
}

/// The monthly sums from `first` to `last` of one account in the municipality's bokslut file
/// `file_name` (scope `statements`) whose fiscal year begins in `year`: per ansvar and project,
/// and per month, as [`amounts_where`] gives a follow-up file's. What lists the vouchers behind
/// an account of the financial statements a page at a time ([`transactions_page`]).
pub async fn statement_account_amounts(
    db: &mut AnyConnection,
    municipality: &str,
    year: i32,
    file_name: &str,
    account: &str,
    first: Month,
    last: Month,
) -> Result<FilteredSums, StoreError> {
    let from = " FROM ledger_sums s JOIN ledger_files f ON f.id = s.file \
         WHERE f.municipality = $1 AND f.scope = 'statements' AND f.year_start LIKE $2 \
         AND f.file_name = $3 AND s.source = 'actual' AND s.account = $4 \
         AND s.month >= $5 AND s.month <= $6";
    let binds = [
        municipality.to_owned(),
        format!("{year:04}-%"),
        file_name.to_owned(),
        account.to_owned(),
        first.to_string(),
        last.to_string(),
    ];
    grouped_sums(db, from, &binds).await
}

/// The sums of the `ledger_sums` rows that `from` (a `FROM … WHERE …` whose placeholders
/// `$1`, `$2`, … take `binds` in order) selects: per file, account, ansvar and project, and the
/// row counts per file and month, sorted.
async fn grouped_sums(
    db: &mut AnyConnection,
    from: &str,
    binds: &[String],
) -> Result<FilteredSums, StoreError> {
    let totals = format!(
        "SELECT s.file, s.account, s.ansvar, s.project, \
         CAST(SUM(s.amount_ore) AS BIGINT) AS amount_ore, \
         CAST(SUM(s.row_count) AS BIGINT) AS row_count{from} \
         GROUP BY s.file, s.account, s.ansvar, s.project"
    );
    let months = format!(
        "SELECT s.file, s.month, CAST(SUM(s.row_count) AS BIGINT) AS row_count{from} \
         GROUP BY s.file, s.month"
    );
    let mut out = FilteredSums::default();
    for (index, sql) in [totals, months].into_iter().enumerate() {
        // Only placeholders are in the SQL; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for bind in binds {
            query = query.bind(bind.as_str());
        }
        for row in query.fetch_all(&mut *db).await? {
            let cells = Cells {
                row: &row,
                table: "ledger_sums",
            };
            let file = LedgerFileId(cells.int("file")?);
            let rows = u64::try_from(cells.int("row_count")?).unwrap_or(0);
            if index == 0 {
                out.amounts.push(FileAmount {
                    file,
                    account: cells.text("account")?,
                    ansvar: cells.opt_text("ansvar")?,
                    project: cells.opt_text("project")?,
                    amount: cells.money("amount_ore")?,
                    rows,
                });
            } else {
                out.monthly_rows.push((file, cells.month("month")?, rows));
            }
        }
    }
    out.amounts.sort_by(|a, b| {
        (a.file, &a.account, &a.ansvar, &a.project)
            .cmp(&(b.file, &b.account, &b.ansvar, &b.project))
    });
    out.monthly_rows.sort();
    Ok(out)
}

/// What `filters` admit of the rows of table `alias` (its `account` and `ansvar`), as a
/// parenthesised condition whose texts are bound to `$first`, `$first + 1`, … in their order
/// (returned): only placeholders are written into the SQL.
pub(crate) fn filter_sql<'a>(
    alias: &str,
    filters: &'a [AmountFilter],
    first: usize,
) -> (String, Vec<&'a str>) {
    let mut sql = String::from("(");
    let mut texts: Vec<&str> = Vec::new();
    let mut bind = |text: &'a str| {
        texts.push(text);
        format!("${}", first + texts.len() - 1)
    };
    for (index, filter) in filters.iter().enumerate() {
        if index > 0 {
            sql.push_str(" OR ");
        }
        let low = bind(&filter.accounts.0);
        let high = bind(&filter.accounts.1);
        let _ = write!(
            sql,
            "({alias}.account >= {low} AND {alias}.account <= {high}"
        );
        if !filter.ansvar.is_empty() {
            let list: Vec<String> = filter.ansvar.iter().map(|a| bind(a)).collect();
            let _ = write!(sql, " AND {alias}.ansvar IN ({})", list.join(", "));
        }
        sql.push(')');
    }
    sql.push(')');
    (sql, texts)
}

/// The first day of a month, or its last, as a day number.
fn day_of(month: Month, last_day: bool) -> i64 {
    LedgerDate {
        year: u16::try_from(month.year()).unwrap_or(0),
        month: month.month(),
        day: if last_day { month.days() } else { 1 },
    }
    .days()
}

/// The rows expected per month over every file, from the files' monthly sums.
struct Expected {
    /// First day of each month with rows → (last day of the month, rows a day on average).
    months: BTreeMap<i64, (i64, f64)>,
}

impl Expected {
    fn new(selection: &LedgerSelection) -> Expected {
        let mut rows: BTreeMap<Month, u64> = BTreeMap::new();
        for file in &selection.files {
            for (month, count) in &file.monthly_rows {
                if *count > 0 && *month >= selection.first && *month <= selection.last {
                    *rows.entry(*month).or_default() += count;
                }
            }
        }
        Expected {
            months: rows
                .into_iter()
                .map(|(month, count)| {
                    let (first, last) = (day_of(month, false), day_of(month, true));
                    (first, (last, count as f64 / (last - first + 1) as f64))
                })
                .collect(),
        }
    }

    /// The first day from `day` on that lies in a month with rows.
    fn next_day_with_rows(&self, day: i64) -> Option<i64> {
        if let Some((_, (last, _))) = self.months.range(..=day).next_back()
            && day <= *last
        {
            return Some(day);
        }
        self.months.range(day..).next().map(|(first, _)| *first)
    }

    /// The last day up to `day` that lies in a month with rows.
    fn previous_day_with_rows(&self, day: i64) -> Option<i64> {
        self.months
            .range(..=day)
            .next_back()
            .map(|(_, (last, _))| (*last).min(day))
    }

    /// The first day of a window back from `to` (a day in a month with rows) that is expected
    /// to hold `want` rows, at least `width` days long unless it reaches `first`.
    fn window_start(&self, to: i64, first: i64, want: f64, width: i64) -> i64 {
        let mut expected = 0.0;
        // Fewer rows than wanted back to `first`: the window goes there.
        let mut day = first;
        for (month_first, (month_last, per_day)) in self.months.range(..=to).rev() {
            let start = (*month_first).max(first);
            let end = (*month_last).min(to);
            if end < start {
                continue;
            }
            let days = (end - start + 1) as f64;
            if expected + days * per_day >= want {
                let more = ((want - expected) / per_day).ceil() as i64;
                day = end - more.max(1) + 1;
                break;
            }
            expected += days * per_day;
        }
        day.min(to - width + 1).max(first)
    }

    /// The last day of a window from `from` (a day in a month with rows) that is expected to
    /// hold `want` rows, at least `width` days long unless it reaches `last`.
    fn window_end(&self, from: i64, last: i64, want: f64, width: i64) -> i64 {
        let mut expected = 0.0;
        // Fewer rows than wanted up to `last`: the window goes there.
        let mut day = last;
        for (first, (month_last, per_day)) in self.months.range(..=last) {
            if *month_last < from {
                continue;
            }
            let start = (*first).max(from);
            let end = (*month_last).min(last);
            if end < start {
                continue;
            }
            let days = (end - start + 1) as f64;
            if expected + days * per_day >= want {
                let more = ((want - expected) / per_day).ceil() as i64;
                day = start + more.max(1) - 1;
                break;
            }
            expected += days * per_day;
        }
        day.max(from + width - 1).min(last)
    }
}

/// A row found in a window: its key and the row as its pack holds it.
#[derive(Debug, Clone)]
struct Found {
    key: LedgerRowKey,
    row: StoredRow,
}

/// One file's pairs as the file's text ids.
struct FilePairs {
    file: i64,
    /// The first and last day of each run, in run order (`load::run_spans`).
    runs: Vec<(i64, i64)>,
    /// (account id, ansvar id) → the projects to keep (`None`: every row).
    pairs: HashMap<(i64, i64), Option<HashSet<Option<String>>>>,
    /// The project (dimension 6) of an object list, by its text id, as found.
    projects: HashMap<i64, Option<String>>,
}

/// The dimension-`dimension` object of an object list (`DIM=OBJECT;…`).
pub(crate) fn object_in(objects: &str, dimension: &str) -> Option<String> {
    objects
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(d, _)| *d == dimension)
        .map(|(_, object)| object.to_owned())
}

/// Resolves a file's pairs to its text ids; `None` when the file is not one of the
/// municipality's follow-up or bokslut files.
async fn file_pairs(
    db: &mut AnyConnection,
    municipality: &str,
    selection: &FileSelection,
) -> Result<Option<FilePairs>, StoreError> {
    let file = selection.file.0;
    let Some(row) = sqlx::query(
        "SELECT runs, run_days FROM ledger_files WHERE id = $1 AND municipality = $2 \
         AND scope IN ('followup', 'statements')",
    )
    .bind(file)
    .bind(municipality)
    .fetch_optional(&mut *db)
    .await?
    else {
        return Ok(None);
    };
    let run_days: Option<String> = row.try_get("run_days")?;
    let runs = super::load::run_spans(run_days.as_deref(), row.try_get("runs")?);
    let mut texts: Vec<&str> = Vec::new();
    for pair in &selection.pairs {
        texts.push(&pair.account);
        texts.push(pair.ansvar.as_deref().unwrap_or(""));
    }
    texts.sort_unstable();
    texts.dedup();
    let mut ids: HashMap<String, i64> = HashMap::new();
    for chunk in texts.chunks(500) {
        let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        // Only placeholders are added to the SQL; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(format!(
            "SELECT id, text FROM ledger_texts WHERE file = $1 AND text IN ({})",
            placeholders.join(", ")
        )))
        .bind(file);
        for text in chunk {
            query = query.bind(*text);
        }
        for row in query.fetch_all(&mut *db).await? {
            ids.insert(row.try_get("text")?, row.try_get("id")?);
        }
    }
    let mut pairs = HashMap::new();
    for pair in &selection.pairs {
        let (Some(account), Some(ansvar)) = (
            ids.get(&pair.account),
            ids.get(pair.ansvar.as_deref().unwrap_or("")),
        ) else {
            continue;
        };
        let projects = pair
            .projects
            .as_ref()
            .map(|list| list.iter().cloned().collect::<HashSet<_>>());
        pairs.insert((*account, *ansvar), projects);
    }
    Ok(Some(FilePairs {
        file,
        runs,
        pairs,
        projects: HashMap::new(),
    }))
}

/// The counted rows of a file's pairs booked from `low` to `high` (day numbers, inclusive), as
/// integers, in no particular order; rows of a pair limited to some projects only when their
/// object list names one of them.
async fn window(
    db: &mut AnyConnection,
    file: &mut FilePairs,
    low: i64,
    high: i64,
    out: &mut Vec<Found>,
) -> Result<(), StoreError> {
    // Only the runs whose days reach into the window.
    let runs: Vec<String> = (0..)
        .zip(&file.runs)
        .filter(|(_, (first, last))| *first <= high && low <= *last)
        .map(|(run, _): (i64, _)| run.to_string())
        .collect();
    if file.pairs.is_empty() || runs.is_empty() {
        return Ok(());
    }
    // `CROSS JOIN`: SQLite keeps the pairs outside and seeks the key for each (its planner
    // would otherwise scan the file's rows and look the pairs up); PostgreSQL plans it freely.
    let mut sql = String::from("WITH p (account, ansvar) AS (VALUES ");
    // Text ids and run numbers: integers the store made, written into the SQL as numbers.
    for (index, (account, ansvar)) in file.pairs.keys().enumerate() {
        let separator = if index == 0 { "" } else { ", " };
        let _ = write!(sql, "{separator}({account}, {ansvar})");
    }
    let _ = write!(
        sql,
        ") SELECT r.account, r.ansvar, r.first_day, r.data \
         FROM p CROSS JOIN ledger_packs r WHERE r.file = $1 AND r.run IN ({}) \
         AND r.account = p.account AND r.ansvar = p.ansvar AND r.last_day >= $2 \
         AND r.first_day <= $3",
        runs.join(", ")
    );
    let packs = sqlx::query(AssertSqlSafe(sql))
        .bind(file.file)
        .bind(low)
        .bind(high)
        .fetch_all(&mut *db)
        .await?;
    let mut unknown: Vec<i64> = Vec::new();
    let mut found = Vec::new();
    for pack in &packs {
        let account: i64 = pack.try_get(0)?;
        let ansvar: i64 = pack.try_get(1)?;
        let first_day: i64 = pack.try_get(2)?;
        let data: Vec<u8> = pack.try_get(3)?;
        let restricted = matches!(file.pairs.get(&(account, ansvar)), Some(Some(_)));
        for row in super::pack::counted_rows(first_day, &data, low, high) {
            let row = row?;
            if restricted
                && let Some(id) = row.objects
                && !file.projects.contains_key(&id)
            {
                unknown.push(id);
            }
            found.push((
                Found {
                    key: LedgerRowKey {
                        day: row.day,
                        file: file.file,
                        voucher: row.voucher,
                        line: row.line,
                    },
                    row: StoredRow::of(account, &row),
                },
                ansvar,
            ));
        }
    }
    unknown.sort_unstable();
    unknown.dedup();
    for chunk in unknown.chunks(500) {
        let ids: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        // Text ids the store read: integers written into the SQL as numbers.
        let sql = format!(
            "SELECT id, text FROM ledger_texts WHERE file = $1 AND id IN ({})",
            ids.join(", ")
        );
        for row in sqlx::query(AssertSqlSafe(sql))
            .bind(file.file)
            .fetch_all(&mut *db)
            .await?
        {
            let text: String = row.try_get("text")?;
            file.projects
                .insert(row.try_get("id")?, object_in(&text, "6"));
        }
    }
    for (row, ansvar) in found {
        let keep = match file.pairs.get(&(row.row.account, ansvar)) {
            Some(None) => true,
            Some(Some(projects)) => {
                let project = row
                    .row
                    .objects
                    .and_then(|id| file.projects.get(&id).cloned().flatten());
                projects.contains(&project)
            }
            None => false,
        };
        if keep {
            out.push(row);
        }
    }
    Ok(())
}

/// `limit` rows of `selection` in the drill-down's order (day, file, voucher, line): the first,
/// those right after a key, or those right before one; and whether more lie beyond them.
pub async fn transactions_page(
    db: &mut AnyConnection,
    municipality: &str,
    selection: &LedgerSelection,
    at: PageAt,
    limit: usize,
) -> Result<LedgerPage, StoreError> {
    let expected = Expected::new(selection);
    let (first_day, last_day) = (day_of(selection.first, false), day_of(selection.last, true));
    let mut files = Vec::new();
    for file in &selection.files {
        if file
            .monthly_rows
            .iter()
            .any(|(month, rows)| *rows > 0 && *month >= selection.first && *month <= selection.last)
            && let Some(pairs) = file_pairs(db, municipality, file).await?
        {
            files.push(pairs);
        }
    }
    let need = limit.saturating_add(1);
    let mut found: Vec<Found> = Vec::new();
    let mut width = 1;
    match at {
        PageAt::First | PageAt::After(_) => {
            let after = match at {
                PageAt::After(key) => Some(key),
                _ => None,
            };
            let mut from = after.map_or(first_day, |key| key.day.max(first_day));
            while from <= last_day && found.len() < need && !files.is_empty() {
                let Some(low) = expected.next_day_with_rows(from).filter(|d| *d <= last_day) else {
                    break;
                };
                // Twice the rows still needed: days are not alike (month ends hold more).
                let want = 2.0 * (need - found.len()) as f64;
                let high = expected.window_end(low, last_day, want, width);
                let before = found.len();
                for file in &mut files {
                    window(db, file, low, high, &mut found).await?;
                }
                if let Some(after) = after {
                    drop_from(&mut found, before, |key| key <= after);
                }
                width = 2 * (high - low + 1);
                from = high + 1;
            }
            found.sort_unstable_by_key(|row| row.key);
        }
        PageAt::Before(before) => {
            let mut to = before.day.min(last_day);
            while to >= first_day && found.len() < need && !files.is_empty() {
                let Some(high) = expected
                    .previous_day_with_rows(to)
                    .filter(|d| *d >= first_day)
                else {
                    break;
                };
                let want = 2.0 * (need - found.len()) as f64;
                let low = expected.window_start(high, first_day, want, width);
                let start = found.len();
                for file in &mut files {
                    window(db, file, low, high, &mut found).await?;
                }
                drop_from(&mut found, start, |key| key >= before);
                width = 2 * (high - low + 1);
                to = low - 1;
            }
            // The rows nearest the key first, to keep those.
            found.sort_unstable_by_key(|row| std::cmp::Reverse(row.key));
        }
    }
    let more = found.len() > limit;
    found.truncate(limit);
    if matches!(at, PageAt::Before(_)) {
        found.reverse();
    }
    let mut by_key = HashMap::with_capacity(found.len());
    for file in &files {
        let (keys, rows): (Vec<LedgerRowKey>, Vec<StoredRow>) = found
            .iter()
            .filter(|found| found.key.file == file.file)
            .map(|found| (found.key, found.row.clone()))
            .unzip();
        if !rows.is_empty() {
            let transactions = resolve(db, file.file, &rows).await?;
            by_key.extend(keys.into_iter().zip(transactions));
        }
    }
    let rows = found
        .iter()
        .map(|row| {
            by_key
                .remove(&row.key)
                .map(|transaction| (row.key, transaction))
                .ok_or_else(|| {
                    StoreError::Corrupt(format!("ledger_packs: raden {:?} försvann", row.key))
                })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(LedgerPage { rows, more })
}

/// Drops the rows from `start` on whose key `outside` says is not on the page.
fn drop_from(found: &mut Vec<Found>, start: usize, outside: impl Fn(LedgerRowKey) -> bool) {
    let mut index = start;
    while index < found.len() {
        if outside(found[index].key) {
            found.swap_remove(index);
        } else {
            index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> Month {
        Month::parse(text).unwrap()
    }

    #[test]
    fn windows_are_sized_by_the_monthly_rows_and_skip_empty_months() {
        let selection = LedgerSelection {
            first: month("2021-01"),
            last: month("2021-12"),
            files: vec![FileSelection {
                file: LedgerFileId(1),
                pairs: Vec::new(),
                // 310 rows in January (10 a day), none in February, 28 in March.
                monthly_rows: vec![
                    (month("2021-01"), 310),
                    (month("2021-02"), 0),
                    (month("2021-03"), 31),
                ],
            }],
        };
        let expected = Expected::new(&selection);
        let jan1 = day_of(month("2021-01"), false);
        let mar1 = day_of(month("2021-03"), false);
        let dec31 = day_of(month("2021-12"), true);
        assert_eq!(expected.next_day_with_rows(jan1 + 4), Some(jan1 + 4));
        assert_eq!(expected.next_day_with_rows(jan1 + 31), Some(mar1));
        assert_eq!(expected.next_day_with_rows(mar1 + 31), None);
        // 25 rows from January 1st: three days (30 rows).
        assert_eq!(expected.window_end(jan1, dec31, 25.0, 1), jan1 + 2);
        // At least the width asked for.
        assert_eq!(expected.window_end(jan1, dec31, 25.0, 8), jan1 + 7);
        // More than January holds: into March, skipping February.
        assert_eq!(expected.window_end(jan1 + 30, dec31, 12.0, 1), mar1 + 1);
        // More than there is: to the end.
        assert_eq!(expected.window_end(jan1, dec31, 1e9, 1), dec31);
        // And back: from March 2nd, 12 rows reach into January, skipping February.
        let jan31 = jan1 + 30;
        assert_eq!(expected.previous_day_with_rows(mar1 - 1), Some(jan31));
        assert_eq!(expected.previous_day_with_rows(dec31), Some(mar1 + 30));
        assert_eq!(expected.previous_day_with_rows(jan1 - 1), None);
        assert_eq!(expected.window_start(mar1 + 1, jan1, 12.0, 1), jan31);
        assert_eq!(expected.window_start(jan31, jan1, 25.0, 1), jan31 - 2);
        assert_eq!(expected.window_start(jan31, jan1, 25.0, 8), jan31 - 7);
        assert_eq!(expected.window_start(dec31, jan1, 1e9, 1), jan1);
    }

    #[test]
    fn an_object_list_names_its_project() {
        assert_eq!(object_in("1=1100;6=P1", "6").as_deref(), Some("P1"));
        assert_eq!(object_in("1=1100", "6"), None);
        assert_eq!(object_in("", "6"), None);
    }
}
