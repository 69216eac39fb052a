//! Reading the ledger back: the monthly sums the reports read, the stored files, and the voucher
//! rows behind a figure (drill-down), through the `Any` driver on both databases.

use super::load::{LedgerDate, kind_of_code};
use crate::StoreError;
use crate::row::Cells;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::fmt::Write as _;
use styr_domain::Money;
use styr_domain::ledger::{LedgerAmount, LedgerTransaction, Month};
use styr_domain::statements::{AccountBalance, AccountMovement, BalanceKind, StatementLedger};

/// Which monthly aggregates: booked amounts or the ledger's own budget (#PBUDGET).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// A stored import, as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImportInfo {
    pub company: String,
    pub company_name: Option<String>,
    pub fiscal_year: String,
    pub file_name: String,
    pub vouchers: u64,
    pub transactions: u64,
    pub imported_at: String,
    pub imported_by: String,
    /// A bokslut file of the financial statements (scope `statements`), not a follow-up file.
    pub statements: bool,
}

/// Monthly amounts of a municipality between two months (inclusive), summed over every stored
/// follow-up file (not the bokslut files of the financial statements), ordered by account, ansvar, project and month.
pub async fn amounts(
    db: &mut AnyConnection,
    municipality: &str,
    source: LedgerSource,
    first: Month,
    last: Month,
) -> Result<Vec<LedgerAmount>, StoreError> {
    // The files first, then their sums by file number: PostgreSQL reads only their
    // partitions (a join on ledger_files read every municipality's; `files_of`).
    let files = files_of(db, municipality).await?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT s.account, s.ansvar, s.project, s.month, \
         CAST(SUM(s.amount_ore) AS BIGINT) AS amount_ore, \
         CAST(SUM(s.row_count) AS BIGINT) AS row_count \
         FROM ledger_sums s \
         WHERE s.file IN ({}) AND s.source = $1 AND s.month >= $2 AND s.month <= $3 \
         GROUP BY s.account, s.ansvar, s.project, s.month \
         ORDER BY s.account, s.ansvar, s.project, s.month",
        placeholders(4, files.len())
    );
    // Only placeholders are added to the SQL; every value is bound.
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(source.code())
        .bind(first.to_string())
        .bind(last.to_string());
    for file in files {
        query = query.bind(file);
    }
    let rows = query.fetch_all(&mut *db).await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "ledger_sums",
            };
            Ok(LedgerAmount {
                account: cells.text("account")?,
                ansvar: cells.opt_text("ansvar")?,
                project: cells.opt_text("project")?,
                month: cells.month("month")?,
                amount: cells.money("amount_ore")?,
                rows: u64::try_from(cells.int("row_count")?).unwrap_or(0),
            })
        })
        .collect()
}

/// The ids of a municipality's stored follow-up files (not its bokslut files).
pub(crate) async fn files_of(
    db: &mut AnyConnection,
    municipality: &str,
) -> Result<Vec<i64>, StoreError> {
    Ok(sqlx::query(
        "SELECT id FROM ledger_files WHERE municipality = $1 AND scope = 'followup' ORDER BY id",
    )
    .bind(municipality)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, sqlx::Error>>()?)
}

/// `$first, $first+1, …`: `count` placeholders.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The stored files of a municipality, by company and fiscal year.
pub async fn imports(
    db: &mut AnyConnection,
    municipality: &str,
) -> Result<Vec<LedgerImportInfo>, StoreError> {
    let rows = sqlx::query(
        "SELECT company, company_name, fiscal_year, file_name, vouchers, transactions, \
         imported_at, imported_by, scope FROM ledger_files WHERE municipality = $1 \
         ORDER BY company, fiscal_year",
    )
    .bind(municipality)
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "ledger_files",
            };
            Ok(LedgerImportInfo {
                company: cells.text("company")?,
                company_name: cells.opt_text("company_name")?,
                fiscal_year: cells.text("fiscal_year")?,
                file_name: cells.text("file_name")?,
                vouchers: u64::try_from(cells.int("vouchers")?).unwrap_or(0),
                transactions: u64::try_from(cells.int("transactions")?).unwrap_or(0),
                imported_at: cells.text("imported_at")?,
                imported_by: cells.text("imported_by")?,
                statements: cells.text("scope")? == "statements",
            })
        })
        .collect()
}

/// The months with stored actuals of one import (company and fiscal year), in order.
pub async fn actual_months(
    db: &mut AnyConnection,
    municipality: &str,
    company: &str,
    fiscal_year: &str,
) -> Result<Vec<String>, StoreError> {
    // The file first, then its sums by file number: PostgreSQL reads only its partition.
    let file: Option<i64> = sqlx::query(
        "SELECT id FROM ledger_files WHERE municipality = $1 AND company = $2 \
         AND fiscal_year = $3",
    )
    .bind(municipality)
    .bind(company)
    .bind(fiscal_year)
    .fetch_optional(&mut *db)
    .await?
    .map(|row| row.try_get("id"))
    .transpose()?;
    let Some(file) = file else {
        return Ok(Vec::new());
    };
    let rows = sqlx::query(
        "SELECT DISTINCT month FROM ledger_sums WHERE file = $1 AND source = 'actual' \
         ORDER BY month",
    )
    .bind(file)
    .fetch_all(&mut *db)
    .await?;
    rows.iter()
        .map(|row| {
            Cells {
                row,
                table: "ledger_sums",
            }
            .text("month")
        })
        .collect()
}

/// The counted voucher rows (#TRANS and #RTRANS) of a municipality booked from `first` to
/// `last` on the given accounts and dimension-1 objects (`ansvar`, "" for rows without one;
/// all when empty), for drill-down: in date order, then voucher and row. With accounts, each run of each file is read through its rows' key (file,
/// run, account, ansvar, day): only the rows asked for are touched.
pub async fn transactions(
    db: &mut AnyConnection,
    municipality: &str,
    first: Month,
    last: Month,
    accounts: &[String],
    ansvar: &[String],
) -> Result<Vec<LedgerTransaction>, StoreError> {
    let day = |month: Month, last_day: bool| {
        let day = if last_day { month.days() } else { 1 };
        LedgerDate {
            year: u16::try_from(month.year()).unwrap_or(0),
            month: month.month(),
            day,
        }
        .days()
    };
    let (first_day, last_day) = (day(first, false), day(last, true));
    let files: Vec<(i64, i64)> = sqlx::query(
        "SELECT id, runs FROM ledger_files WHERE municipality = $1 AND scope = 'followup' \
         ORDER BY id",
    )
    .bind(municipality)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("id")?, row.try_get("runs")?)))
    .collect::<Result<_, sqlx::Error>>()?;
    let mut sql = String::from(
        "SELECT r.day, r.kind, r.amount_ore, r.text_tail, r.text_inline, a.text AS account, \
         o.text AS objects, x.text AS row_text, v.number, v.day AS voucher_day, \
         v.text AS voucher_text, s.text AS series \
         FROM ledger_rows r \
         JOIN ledger_texts a ON a.file = r.file AND a.id = r.account \
         JOIN ledger_vouchers v ON v.file = r.file AND v.id = r.voucher \
         JOIN ledger_texts s ON s.file = v.file AND s.id = v.series \
         LEFT JOIN ledger_texts o ON o.file = r.file AND o.id = r.objects \
         LEFT JOIN ledger_texts x ON x.file = r.file AND x.id = r.text \
         WHERE r.file = $1 AND r.day >= $2 AND r.day <= $3 AND r.kind IN (0, 1) \
         AND r.run IN (WITH RECURSIVE runs (n) AS (SELECT 0 UNION ALL \
         SELECT n + 1 FROM runs WHERE n + 1 < $4) SELECT n FROM runs)",
    );
    if !accounts.is_empty() {
        let placeholders: Vec<String> =
            (0..accounts.len()).map(|i| format!("${}", i + 5)).collect();
        let _ = write!(
            sql,
            " AND r.account IN (SELECT id FROM ledger_texts WHERE file = $1 AND text IN ({}))",
            placeholders.join(", ")
        );
    }
    if !ansvar.is_empty() {
        let first = accounts.len() + 5;
        let placeholders: Vec<String> = (0..ansvar.len())
            .map(|i| format!("${}", i + first))
            .collect();
        let _ = write!(
            sql,
            " AND r.ansvar IN (SELECT id FROM ledger_texts WHERE file = $1 AND text IN ({}))",
            placeholders.join(", ")
        );
    }
    sql.push_str(" ORDER BY r.day, r.voucher, r.line");
    let mut out = Vec::new();
    for (file, runs) in files {
        // Only placeholders are added to the SQL; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(file)
            .bind(first_day)
            .bind(last_day)
            .bind(runs);
        for text in accounts.iter().chain(ansvar) {
            query = query.bind(text.as_str());
        }
        for row in query.fetch_all(&mut *db).await? {
            out.push(transaction(&row)?);
        }
    }
    // Stable: by day, then file (the files in order), voucher and line (each file's order), the
    // order of `page::transactions_page`.
    out.sort_by(|a, b| a.transaction_date.cmp(&b.transaction_date));
    Ok(out)
}

pub(crate) fn transaction(row: &sqlx::any::AnyRow) -> Result<LedgerTransaction, StoreError> {
    let cells = Cells {
        row,
        table: "ledger_rows",
    };
    let date = LedgerDate::from_days(cells.int("day")?);
    let voucher_text = cells.text("voucher_text")?;
    let mut text = match cells.opt_text("row_text")? {
        Some(text) => text,
        None => cells.opt_text("text_inline")?.unwrap_or_default(),
    };
    if cells.int("text_tail")? == 1 {
        text.push_str(&voucher_text);
    }
    let objects = cells.opt_text("objects")?.unwrap_or_default();
    let object_in = |dimension: &str| super::page::object_in(&objects, dimension);
    let kind = cells.int("kind")?;
    Ok(LedgerTransaction {
        series: cells.text("series")?,
        voucher_number: cells.text("number")?,
        voucher_date: LedgerDate::from_days(cells.int("voucher_day")?).iso(),
        transaction_date: date.iso(),
        month: date
            .month()
            .ok_or_else(|| StoreError::Corrupt(format!("ledger_rows.day: {}", date.iso())))?,
        kind: kind_of_code(kind)
            .ok_or_else(|| StoreError::Corrupt(format!("ledger_rows.kind: {kind}")))?,
        account: cells.text("account")?,
        ansvar: object_in("1"),
        project: object_in("6"),
        amount: Money::from_ore(cells.int("amount_ore")?),
        voucher_text,
        text,
        objects,
    })
}

/// The bokslut files (scope `statements`) of a municipality whose fiscal year begins in
/// `year`: each with its #IB/#UB/#RES records and its counted rows summed per account and
/// month, through `through` (inclusive).
pub async fn statement_ledgers(
    db: &mut AnyConnection,
    municipality: &str,
    year: i32,
    through: Month,
) -> Result<Vec<StatementLedger>, StoreError> {
    let files = sqlx::query(
        "SELECT id, company, fiscal_year, file_name FROM ledger_files \
         WHERE municipality = $1 AND scope = 'statements' AND year_start LIKE $2 \
         ORDER BY company, fiscal_year",
    )
    .bind(municipality)
    .bind(format!("{year:04}-%"))
    .fetch_all(&mut *db)
    .await?;
    let mut out = Vec::with_capacity(files.len());
    for row in &files {
        let cells = Cells {
            row,
            table: "ledger_files",
        };
        let id = cells.int("id")?;
        let balances = sqlx::query(
            "SELECT kind, year_index, account, amount_ore FROM ledger_balances \
             WHERE file = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&mut *db)
        .await?
        .iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "ledger_balances",
            };
            let kind = cells.text("kind")?;
            Ok(AccountBalance {
                kind: BalanceKind::parse(&kind).ok_or_else(|| {
                    StoreError::Corrupt(format!("ledger_balances.kind: {kind:?}"))
                })?,
                year: i32::try_from(cells.int("year_index")?).unwrap_or(i32::MIN),
                account: cells.text("account")?,
                amount: cells.money("amount_ore")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let movements = sqlx::query(
            "SELECT account, month, CAST(SUM(amount_ore) AS BIGINT) AS amount_ore \
             FROM ledger_sums WHERE file = $1 AND source = 'actual' AND month <= $2 \
             GROUP BY account, month ORDER BY account, month",
        )
        .bind(id)
        .bind(through.to_string())
        .fetch_all(&mut *db)
        .await?
        .iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "ledger_sums",
            };
            Ok(AccountMovement {
                account: cells.text("account")?,
                month: cells.month("month")?,
                amount: cells.money("amount_ore")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        out.push(StatementLedger {
            company: cells.text("company")?,
            fiscal_year: cells.text("fiscal_year")?,
            file_name: cells.text("file_name")?,
            balances,
            movements,
        });
    }
    Ok(out)
}
