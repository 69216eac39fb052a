//! The SQLite bulk path of `actuals import`: the same rows as the portable path in
//! `actuals.rs`, written through one `rusqlite` connection to the same database file with
//! statements prepared once (voucher rows 128 to a multi-row INSERT) and reused, values bound
//! by reference, inside one `BEGIN IMMEDIATE` transaction. Through sqlx's `Any` driver (a
//! statement built per 400-row batch, each value converted twice and sent to a worker thread)
//! a million voucher rows took two minutes; here they take a few seconds.
//!
//! Only a SQLite database in a file takes this path (an in-memory database exists only inside
//! the pool's one connection). The semantics are those of the portable path: the counter, the
//! replaced import deleted (its rows go with it, ON DELETE CASCADE: foreign keys are switched
//! on here as on every pool connection), every row, the monthly sums, the audit-log row, and a
//! rollback of all of it on any failure. Its errors are reported as sqlx database errors, so
//! callers see one `StoreError::Database` whichever path ran.

use crate::StoreError;
use crate::actuals::{LedgerImport, LedgerSource, audit_action, audit_detail};
use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};
use sqlx::error::{DatabaseError, ErrorKind};
use std::borrow::{Borrow, Cow};
use std::fmt::Write as _;
use std::path::Path;
use styr_domain::ledger::{LedgerTransaction, Month};

/// How often (in voucher rows) progress is reported.
const PROGRESS_EVERY: u64 = 16_384;

/// Voucher rows per INSERT statement (the rest of a file one at a time): 128 × 17
/// placeholders, far below SQLite's limit of 32 766. 32 rows took a quarter off one row per
/// statement; 128 a little more.
const CHUNK_ROWS: usize = 128;

/// Columns of `ledger_transactions`, as bound by [`bind_transaction`].
const TRANSACTION_COLUMNS: usize = 17;

/// `INSERT INTO ledger_transactions … VALUES (…), (…)` for `rows` rows.
fn insert_transactions_sql(rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO ledger_transactions (municipality, company, fiscal_year, position, \
         series, voucher_number, voucher_date, transaction_date, month, kind, account, \
         ansvar, project, objects, amount_ore, voucher_text, transaction_text) VALUES ",
    );
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..TRANSACTION_COLUMNS {
            let separator = if column == 0 { "" } else { ", " };
            let _ = write!(
                sql,
                "{separator}?{}",
                row * TRANSACTION_COLUMNS + column + 1
            );
        }
        sql.push(')');
    }
    sql
}

/// Binds one voucher row to the placeholders after `base` (zero-based).
fn bind_transaction(
    statement: &mut rusqlite::Statement<'_>,
    base: usize,
    (municipality, company, fiscal_year): (&str, &str, &str),
    position: i64,
    row: &LedgerTransaction,
    month: &mut String,
) -> rusqlite::Result<()> {
    statement.raw_bind_parameter(base + 1, municipality)?;
    statement.raw_bind_parameter(base + 2, company)?;
    statement.raw_bind_parameter(base + 3, fiscal_year)?;
    statement.raw_bind_parameter(base + 4, position)?;
    statement.raw_bind_parameter(base + 5, &row.series)?;
    statement.raw_bind_parameter(base + 6, &row.voucher_number)?;
    statement.raw_bind_parameter(base + 7, &row.voucher_date)?;
    statement.raw_bind_parameter(base + 8, &row.transaction_date)?;
    statement.raw_bind_parameter(base + 9, month_text(month, row.month))?;
    statement.raw_bind_parameter(base + 10, row.kind.code())?;
    statement.raw_bind_parameter(base + 11, &row.account)?;
    statement.raw_bind_parameter(base + 12, &row.ansvar)?;
    statement.raw_bind_parameter(base + 13, &row.project)?;
    statement.raw_bind_parameter(base + 14, &row.objects)?;
    statement.raw_bind_parameter(base + 15, row.amount.ore())?;
    statement.raw_bind_parameter(base + 16, &row.voucher_text)?;
    statement.raw_bind_parameter(base + 17, &row.text)?;
    Ok(())
}

/// A failure of the bulk path, as a sqlx database error.
#[derive(Debug)]
struct BulkError {
    message: String,
    /// SQLite's extended result code, when SQLite failed.
    code: Option<i32>,
}

impl std::fmt::Display for BulkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BulkError {}

impl DatabaseError for BulkError {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        self.code.map(|code| Cow::Owned(code.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> ErrorKind {
        match self.code {
            Some(rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
            | Some(rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => ErrorKind::UniqueViolation,
            Some(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => ErrorKind::ForeignKeyViolation,
            Some(rusqlite::ffi::SQLITE_CONSTRAINT_NOTNULL) => ErrorKind::NotNullViolation,
            Some(rusqlite::ffi::SQLITE_CONSTRAINT_CHECK) => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        let code = match &error {
            rusqlite::Error::SqliteFailure(failure, _) => Some(failure.extended_code),
            _ => None,
        };
        StoreError::Database(sqlx::Error::Database(Box::new(BulkError {
            message: error.to_string(),
            code,
        })))
    }
}

/// `YYYY-MM` into a reused buffer.
fn month_text(buffer: &mut String, month: Month) -> &str {
    buffer.clear();
    let _ = write!(buffer, "{month}");
    buffer
}

fn count(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

/// What the bulk path wrote: (replaced rows, transactions, monthly rows).
pub struct Written {
    pub replaced: Option<i64>,
    pub transactions: u64,
    pub monthly_rows: u64,
}

/// Imports one ledger file into the SQLite database at `path`; see `actuals::import`.
pub fn import<R: Borrow<LedgerTransaction>>(
    path: &Path,
    import: &LedgerImport,
    rows: impl IntoIterator<Item = R>,
    total: u64,
    actor: &str,
    imported_at: &str,
    mut progress: impl FnMut(u64),
) -> Result<Written, StoreError> {
    let mut connection = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.execute_batch(
        "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536;",
    )?;
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let fiscal_year = import.fiscal_year();
    let seq: i64 = transaction.query_row(
        "UPDATE counters SET value = value + 1 WHERE name = ?1 RETURNING value",
        ["import"],
        |row| row.get(0),
    )?;
    let replaced: Option<i64> = {
        let mut statement = transaction.prepare(
            "SELECT transactions FROM ledger_imports \
             WHERE municipality = ?1 AND company = ?2 AND fiscal_year = ?3",
        )?;
        let mut rows =
            statement.query(params![import.municipality, import.company, fiscal_year])?;
        match rows.next()? {
            Some(row) => Some(row.get(0)?),
            None => None,
        }
    };
    if replaced.is_some() {
        transaction.execute(
            "DELETE FROM ledger_imports \
             WHERE municipality = ?1 AND company = ?2 AND fiscal_year = ?3",
            params![import.municipality, import.company, fiscal_year],
        )?;
    }
    transaction.execute(
        "INSERT INTO ledger_imports (municipality, company, fiscal_year, company_name, \
         year_start, year_end, file_name, program, vouchers, transactions, import_seq, \
         imported_at, imported_by) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            import.municipality,
            import.company,
            fiscal_year,
            import.company_name,
            import.year_start,
            import.year_end,
            import.file_name,
            import.program,
            count(import.vouchers),
            count(total),
            seq,
            imported_at,
            actor,
        ],
    )?;

    let mut month = String::with_capacity(8);
    let mut transactions = 0u64;
    {
        let mut chunk_statement = transaction.prepare(&insert_transactions_sql(CHUNK_ROWS))?;
        let mut row_statement = transaction.prepare(&insert_transactions_sql(1))?;
        let key = (
            import.municipality.as_str(),
            import.company.as_str(),
            fiscal_year.as_str(),
        );
        let mut chunk: Vec<R> = Vec::with_capacity(CHUNK_ROWS);
        let mut rows = rows.into_iter();
        loop {
            chunk.clear();
            chunk.extend(rows.by_ref().take(CHUNK_ROWS));
            if chunk.is_empty() {
                break;
            }
            let statement = if chunk.len() == CHUNK_ROWS {
                &mut chunk_statement
            } else {
                &mut row_statement
            };
            let rows_per_statement = if chunk.len() == CHUNK_ROWS {
                CHUNK_ROWS
            } else {
                1
            };
            for group in chunk.chunks(rows_per_statement) {
                for (index, row) in group.iter().enumerate() {
                    let position = count(transactions) + count(index);
                    bind_transaction(
                        statement,
                        index * TRANSACTION_COLUMNS,
                        key,
                        position,
                        row.borrow(),
                        &mut month,
                    )?;
                }
                let before = transactions;
                transactions += statement.raw_execute()? as u64;
                if before / PROGRESS_EVERY != transactions / PROGRESS_EVERY {
                    progress(transactions);
                }
            }
        }
        if !transactions.is_multiple_of(PROGRESS_EVERY) {
            progress(transactions);
        }
    }
    if transactions != total {
        // The rows stopped short (or ran over): dropping the transaction rolls it back.
        return Err(StoreError::IncompleteRows {
            expected: total,
            written: transactions,
        });
    }

    let mut monthly_rows = 0u64;
    {
        let mut statement = transaction.prepare(
            "INSERT INTO ledger_monthly (municipality, company, fiscal_year, position, source, \
             account, ansvar, project, month, amount_ore, row_count) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        let all = (import.actual.iter().map(|a| (LedgerSource::Actual, a)))
            .chain(import.budget.iter().map(|a| (LedgerSource::Budget, a)));
        for (position, (source, amount)) in all.enumerate() {
            monthly_rows += statement.execute(params![
                import.municipality,
                import.company,
                fiscal_year,
                count(position),
                source.code(),
                amount.account,
                amount.ansvar,
                amount.project,
                month_text(&mut month, amount.month),
                amount.amount.ore(),
                count(amount.rows),
            ])? as u64;
        }
    }

    transaction.execute(
        "INSERT INTO audit_log (seq, municipality, at, actor, action, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            seq,
            import.municipality,
            imported_at,
            actor,
            audit_action(import, &fiscal_year),
            audit_detail(import, transactions, monthly_rows, replaced),
        ],
    )?;
    transaction.commit()?;
    Ok(Written {
        replaced,
        transactions,
        monthly_rows,
    })
}
