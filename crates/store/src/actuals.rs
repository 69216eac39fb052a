//! The ledger in the database: imported ledger files with every voucher row and monthly
//! aggregates, and full-year forecasts entered by hand.
//!
//! An import is keyed by (municipality, company, fiscal year) and is all-or-nothing in one
//! transaction: a new import of the same company and year deletes the old one (its rows go with
//! it, ON DELETE CASCADE) before writing, so the same file twice doubles nothing and a corrected
//! re-export replaces what it covers. Rows are written in multi-row INSERTs to keep thousands of
//! rows cheap. This module does not read SIE and does not map accounts to budget lines: the
//! caller hands it plain domain values and the report maps them.

use crate::connect::{Backend, begin_serialised};
use crate::row::{Cells, Value};
use crate::{StoreError, audit, bulk_sqlite, time};
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe, Row};
use std::borrow::Borrow;
use std::fmt::Write as _;
use styr_domain::ledger::{LedgerAmount, LedgerTransaction, Month, TransactionKind};

/// Rows per INSERT statement: far below SQLite's and PostgreSQL's limits on placeholders.
const BATCH_ROWS: usize = 400;

/// What an import of one ledger file stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImport {
    pub municipality: String,
    /// The file's organisation number (#ORGNR), else its company name (#FNAMN).
    pub company: String,
    pub company_name: Option<String>,
    /// The fiscal year's first and last day, ISO `YYYY-MM-DD`.
    pub year_start: String,
    pub year_end: String,
    /// The file's name, for the record.
    pub file_name: String,
    /// #PROGRAM, as `name version`.
    pub program: Option<String>,
    pub vouchers: u64,
    /// Every voucher row, counted or not.
    pub transactions: Vec<LedgerTransaction>,
    /// The counted rows summed per account × ansvar × project × month.
    pub actual: Vec<LedgerAmount>,
    /// The file's #PBUDGET rows summed the same way.
    pub budget: Vec<LedgerAmount>,
}

impl LedgerImport {
    /// `YYYY-MM-DD..YYYY-MM-DD`: the key of the fiscal year.
    pub fn fiscal_year(&self) -> String {
        format!("{}..{}", self.year_start, self.year_end)
    }
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImportSummary {
    pub municipality: String,
    pub company: String,
    pub fiscal_year: String,
    /// Whether an earlier import of the same company and year was replaced, and how many voucher
    /// rows it had.
    pub replaced: Option<u64>,
    pub transactions: u64,
    pub monthly_rows: u64,
    pub imported_at: String,
}

/// A stored import, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImportInfo {
    pub company: String,
    pub company_name: Option<String>,
    pub fiscal_year: String,
    pub file_name: String,
    pub transactions: u64,
    pub imported_at: String,
    pub imported_by: String,
}

/// Which monthly aggregates: booked amounts or the ledger's own budget (#PBUDGET).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerSource {
    Actual,
    Budget,
}

impl LedgerSource {
    pub(crate) fn code(self) -> &'static str {
        match self {
            LedgerSource::Actual => "actual",
            LedgerSource::Budget => "budget",
        }
    }
}

/// Inserts rows into one table, `BATCH_ROWS` at a time.
async fn insert_rows(
    connection: &mut AnyConnection,
    table: &'static str,
    columns: &[&'static str],
    rows: impl Iterator<Item = Vec<Value>>,
    mut progress: impl FnMut(u64),
) -> Result<u64, StoreError> {
    let mut written = 0;
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(BATCH_ROWS);
    let mut rows = rows.peekable();
    while rows.peek().is_some() {
        batch.clear();
        batch.extend(rows.by_ref().take(BATCH_ROWS));
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut placeholder = 0;
        for (index, row) in batch.iter().enumerate() {
            debug_assert_eq!(row.len(), columns.len(), "columns and values of {table}");
            sql.push_str(if index == 0 { "(" } else { ", (" });
            for column in 0..row.len() {
                placeholder += 1;
                let separator = if column == 0 { "" } else { ", " };
                let _ = write!(sql, "{separator}${placeholder}");
            }
            sql.push(')');
        }
        // Built from the constant table and column names above and numbered placeholders.
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in batch.drain(..).flatten() {
            query = match value {
                Value::Int(int) => query.bind(int),
                Value::Text(text) => query.bind(text),
            };
        }
        let count = query.execute(&mut *connection).await?.rows_affected();
        written += count;
        progress(written);
    }
    Ok(written)
}

fn amount_rows<'a>(
    key: &'a [Value; 3],
    source: LedgerSource,
    amounts: &'a [LedgerAmount],
    offset: usize,
) -> impl Iterator<Item = Vec<Value>> + 'a {
    amounts.iter().enumerate().map(move |(position, amount)| {
        let mut values = key.to_vec();
        values.extend([
            (offset + position).into(),
            source.code().into(),
            amount.account.as_str().into(),
            amount.ansvar.as_deref().into(),
            amount.project.as_deref().into(),
            amount.month.to_string().into(),
            amount.amount.into(),
            i64::try_from(amount.rows).unwrap_or(i64::MAX).into(),
        ]);
        values
    })
}

/// The audit log's action for an import.
pub(crate) fn audit_action(import: &LedgerImport, fiscal_year: &str) -> String {
    format!(
        "import actuals {}/{}/{fiscal_year}",
        import.municipality, import.company
    )
}

/// The audit log's detail for an import.
pub(crate) fn audit_detail(
    import: &LedgerImport,
    transactions: u64,
    monthly_rows: u64,
    replaced: Option<i64>,
) -> String {
    format!(
        "file={} vouchers={} transactions={transactions} monthly_rows={monthly_rows} \
         replaced={}{}",
        import.file_name.replace(' ', "_"),
        import.vouchers,
        replaced.is_some(),
        replaced.map_or(String::new(), |n| format!(" replaced_transactions={n}")),
    )
}

/// The file of a SQLite database (the pool's `main`), or `None` for an in-memory one.
async fn sqlite_file(pool: &AnyPool) -> Result<Option<std::path::PathBuf>, StoreError> {
    let file: Option<String> =
        sqlx::query("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_optional(pool)
            .await?
            .map(|row| row.try_get("file"))
            .transpose()?;
    Ok(file
        .filter(|file| !file.is_empty())
        .map(std::path::PathBuf::from))
}

/// Imports one ledger file; see `Store::import_actuals`. A SQLite database in a file takes the
/// bulk path (`bulk_sqlite`) when `bulk` allows it (not for a read-only URL); PostgreSQL and
/// in-memory SQLite take the portable one below. Both store the same rows.
///
/// The voucher rows are `rows` (there are `total` of them), not `import.transactions`: the
/// caller may hand them over one at a time instead of holding them all.
#[allow(clippy::too_many_arguments)]
pub async fn import<R: Borrow<LedgerTransaction>>(
    pool: &AnyPool,
    backend: Backend,
    bulk: bool,
    import: &LedgerImport,
    rows: impl IntoIterator<Item = R>,
    total: u64,
    actor: &str,
    progress: impl FnMut(u64),
) -> Result<LedgerImportSummary, StoreError> {
    if backend == Backend::Sqlite
        && bulk
        && let Some(path) = sqlite_file(pool).await?
    {
        let imported_at = time::now_utc();
        // Synchronous: the caller awaits nothing else on this store meanwhile, and the pool's
        // connections run on their own threads.
        let written =
            bulk_sqlite::import(&path, import, rows, total, actor, &imported_at, progress)?;
        return Ok(LedgerImportSummary {
            municipality: import.municipality.clone(),
            company: import.company.clone(),
            fiscal_year: import.fiscal_year(),
            replaced: written.replaced.map(|n| u64::try_from(n).unwrap_or(0)),
            transactions: written.transactions,
            monthly_rows: written.monthly_rows,
            imported_at,
        });
    }
    portable_import(pool, backend, import, rows, total, actor, progress).await
}

/// Imports one ledger file through the `Any` driver, in multi-row INSERTs.
async fn portable_import<R: Borrow<LedgerTransaction>>(
    pool: &AnyPool,
    backend: Backend,
    import: &LedgerImport,
    rows: impl IntoIterator<Item = R>,
    total: u64,
    actor: &str,
    mut progress: impl FnMut(u64),
) -> Result<LedgerImportSummary, StoreError> {
    let fiscal_year = import.fiscal_year();
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let replaced: Option<i64> = sqlx::query(
        "SELECT transactions FROM ledger_imports \
         WHERE municipality = $1 AND company = $2 AND fiscal_year = $3",
    )
    .bind(&import.municipality)
    .bind(&import.company)
    .bind(&fiscal_year)
    .fetch_optional(&mut *transaction)
    .await?
    .map(|row| row.try_get("transactions"))
    .transpose()?;
    if replaced.is_some() {
        sqlx::query(
            "DELETE FROM ledger_imports \
             WHERE municipality = $1 AND company = $2 AND fiscal_year = $3",
        )
        .bind(&import.municipality)
        .bind(&import.company)
        .bind(&fiscal_year)
        .execute(&mut *transaction)
        .await?;
    }
    let imported_at = time::now_utc();
    let columns = [
        "municipality",
        "company",
        "fiscal_year",
        "company_name",
        "year_start",
        "year_end",
        "file_name",
        "program",
        "vouchers",
        "transactions",
        "import_seq",
        "imported_at",
        "imported_by",
    ];
    let head = vec![
        import.municipality.as_str().into(),
        import.company.as_str().into(),
        fiscal_year.as_str().into(),
        import.company_name.as_deref().into(),
        import.year_start.as_str().into(),
        import.year_end.as_str().into(),
        import.file_name.as_str().into(),
        import.program.as_deref().into(),
        i64::try_from(import.vouchers).unwrap_or(i64::MAX).into(),
        i64::try_from(total).unwrap_or(i64::MAX).into(),
        seq.into(),
        imported_at.as_str().into(),
        actor.into(),
    ];
    insert_rows(
        &mut transaction,
        "ledger_imports",
        &columns,
        std::iter::once(head),
        |_| {},
    )
    .await?;

    let key: [Value; 3] = [
        import.municipality.as_str().into(),
        import.company.as_str().into(),
        fiscal_year.as_str().into(),
    ];
    let columns = [
        "municipality",
        "company",
        "fiscal_year",
        "position",
        "series",
        "voucher_number",
        "voucher_date",
        "transaction_date",
        "month",
        "kind",
        "account",
        "ansvar",
        "project",
        "objects",
        "amount_ore",
        "voucher_text",
        "transaction_text",
    ];
    let rows = rows.into_iter().enumerate().map(|(position, row)| {
        let row = row.borrow();
        let mut values = key.to_vec();
        values.extend([
            position.into(),
            row.series.as_str().into(),
            row.voucher_number.as_str().into(),
            row.voucher_date.as_str().into(),
            row.transaction_date.as_str().into(),
            row.month.to_string().into(),
            row.kind.code().into(),
            row.account.as_str().into(),
            row.ansvar.as_deref().into(),
            row.project.as_deref().into(),
            row.objects.as_str().into(),
            row.amount.into(),
            row.voucher_text.as_str().into(),
            row.text.as_str().into(),
        ]);
        values
    });
    let transactions = insert_rows(
        &mut transaction,
        "ledger_transactions",
        &columns,
        rows,
        &mut progress,
    )
    .await?;
    if transactions != total {
        // The rows stopped short (or ran over): dropping the transaction rolls it back.
        return Err(StoreError::IncompleteRows {
            expected: total,
            written: transactions,
        });
    }

    let columns = [
        "municipality",
        "company",
        "fiscal_year",
        "position",
        "source",
        "account",
        "ansvar",
        "project",
        "month",
        "amount_ore",
        "row_count",
    ];
    let rows = amount_rows(&key, LedgerSource::Actual, &import.actual, 0).chain(amount_rows(
        &key,
        LedgerSource::Budget,
        &import.budget,
        import.actual.len(),
    ));
    let monthly_rows =
        insert_rows(&mut transaction, "ledger_monthly", &columns, rows, |_| {}).await?;

    let action = audit_action(import, &fiscal_year);
    let detail = audit_detail(import, transactions, monthly_rows, replaced);
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: &import.municipality,
            at: &imported_at,
            actor,
            action: &action,
            detail: &detail,
            before: None,
            after: None,
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(LedgerImportSummary {
        municipality: import.municipality.clone(),
        company: import.company.clone(),
        fiscal_year,
        replaced: replaced.map(|n| u64::try_from(n).unwrap_or(0)),
        transactions,
        monthly_rows,
        imported_at,
    })
}

/// Monthly amounts of a municipality between two months (inclusive), summed over every stored
/// import, ordered by account, ansvar, project and month.
pub async fn amounts(
    pool: &AnyPool,
    municipality: &str,
    source: LedgerSource,
    first: Month,
    last: Month,
) -> Result<Vec<LedgerAmount>, StoreError> {
    let rows = sqlx::query(
        "SELECT account, ansvar, project, month, \
         CAST(SUM(amount_ore) AS BIGINT) AS amount_ore, CAST(SUM(row_count) AS BIGINT) AS row_count \
         FROM ledger_monthly \
         WHERE municipality = $1 AND source = $2 AND month >= $3 AND month <= $4 \
         GROUP BY account, ansvar, project, month \
         ORDER BY account, ansvar, project, month",
    )
    .bind(municipality)
    .bind(source.code())
    .bind(first.to_string())
    .bind(last.to_string())
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "ledger_monthly",
            };
            let month = cells.text("month")?;
            Ok(LedgerAmount {
                account: cells.text("account")?,
                ansvar: cells.opt_text("ansvar")?,
                project: cells.opt_text("project")?,
                month: Month::parse(&month).ok_or_else(|| {
                    StoreError::Corrupt(format!("ledger_monthly.month: {month:?}"))
                })?,
                amount: cells.money("amount_ore")?,
                rows: u64::try_from(cells.int("row_count")?).unwrap_or(0),
            })
        })
        .collect()
}

/// The stored imports of a municipality, by company and fiscal year.
pub async fn imports(
    pool: &AnyPool,
    municipality: &str,
) -> Result<Vec<LedgerImportInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT company, company_name, fiscal_year, file_name, transactions, imported_at, \
         imported_by FROM ledger_imports WHERE municipality = $1 ORDER BY company, fiscal_year",
    )
    .bind(municipality)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "ledger_imports",
            };
            Ok(LedgerImportInfo {
                company: cells.text("company")?,
                company_name: cells.opt_text("company_name")?,
                fiscal_year: cells.text("fiscal_year")?,
                file_name: cells.text("file_name")?,
                transactions: u64::try_from(cells.int("transactions")?).unwrap_or(0),
                imported_at: cells.text("imported_at")?,
                imported_by: cells.text("imported_by")?,
            })
        })
        .collect()
}

/// The counted voucher rows (#TRANS and #RTRANS) of a municipality booked from `first` to
/// `last` on the given accounts (all accounts when empty), for drill-down: in date order.
pub async fn transactions(
    pool: &AnyPool,
    municipality: &str,
    first: Month,
    last: Month,
    accounts: &[String],
) -> Result<Vec<LedgerTransaction>, StoreError> {
    let mut sql = String::from(
        "SELECT series, voucher_number, voucher_date, transaction_date, month, kind, account, \
         ansvar, project, objects, amount_ore, voucher_text, transaction_text \
         FROM ledger_transactions WHERE municipality = $1 AND month >= $2 AND month <= $3 \
         AND kind IN ('normal', 'added')",
    );
    if !accounts.is_empty() {
        let placeholders: Vec<String> =
            (0..accounts.len()).map(|i| format!("${}", i + 4)).collect();
        let _ = write!(sql, " AND account IN ({})", placeholders.join(", "));
    }
    sql.push_str(" ORDER BY transaction_date, series, voucher_number, company, position");
    // Only placeholders are added to the SQL; every value is bound.
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(municipality)
        .bind(first.to_string())
        .bind(last.to_string());
    for account in accounts {
        query = query.bind(account.clone());
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "ledger_transactions",
            };
            let month = cells.text("month")?;
            Ok(LedgerTransaction {
                series: cells.text("series")?,
                voucher_number: cells.text("voucher_number")?,
                voucher_date: cells.text("voucher_date")?,
                transaction_date: cells.text("transaction_date")?,
                month: Month::parse(&month).ok_or_else(|| {
                    StoreError::Corrupt(format!("ledger_transactions.month: {month:?}"))
                })?,
                kind: cells.code("kind", TransactionKind::parse)?,
                account: cells.text("account")?,
                ansvar: cells.opt_text("ansvar")?,
                project: cells.opt_text("project")?,
                objects: cells.text("objects")?,
                amount: cells.money("amount_ore")?,
                voucher_text: cells.text("voucher_text")?,
                text: cells.text("transaction_text")?,
            })
        })
        .collect()
}
