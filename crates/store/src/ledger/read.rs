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
/// all when empty), for drill-down: in date order, then voucher and row. Each file's packs are
/// read through their key (file, run, account, ansvar, last_day) when accounts are given.
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
    let files: Vec<i64> = sqlx::query(
        "SELECT id FROM ledger_files WHERE municipality = $1 AND scope = 'followup' ORDER BY id",
    )
    .bind(municipality)
    .fetch_all(&mut *db)
    .await?
    .iter()
    .map(|row| row.try_get("id"))
    .collect::<Result<_, sqlx::Error>>()?;
    let mut sql = String::from(
        "SELECT p.account, p.first_day, p.data FROM ledger_packs p \
         WHERE p.file = $1 AND p.last_day >= $2 AND p.first_day <= $3",
    );
    if !accounts.is_empty() {
        let placeholders: Vec<String> =
            (0..accounts.len()).map(|i| format!("${}", i + 4)).collect();
        let _ = write!(
            sql,
            " AND p.account IN (SELECT id FROM ledger_texts WHERE file = $1 AND text IN ({}))",
            placeholders.join(", ")
        );
    }
    if !ansvar.is_empty() {
        let first = accounts.len() + 4;
        let placeholders: Vec<String> = (0..ansvar.len())
            .map(|i| format!("${}", i + first))
            .collect();
        let _ = write!(
            sql,
            " AND p.ansvar IN (SELECT id FROM ledger_texts WHERE file = $1 AND text IN ({}))",
            placeholders.join(", ")
        );
    }
    let mut out = Vec::new();
    for file in files {
        // Only placeholders are added to the SQL; every value is bound.
        let mut query = sqlx::query(AssertSqlSafe(sql.clone()))
            .bind(file)
            .bind(first_day)
            .bind(last_day);
        for text in accounts.iter().chain(ansvar) {
            query = query.bind(text.as_str());
        }
        let mut rows = Vec::new();
        for pack in query.fetch_all(&mut *db).await? {
            let account: i64 = pack.try_get("account")?;
            let first: i64 = pack.try_get("first_day")?;
            let data: Vec<u8> = pack.try_get("data")?;
            for row in super::pack::counted_rows(first, &data, first_day, last_day) {
                rows.push(StoredRow::of(account, &row?));
            }
        }
        rows.sort_unstable_by_key(|row| (row.day, row.voucher, row.line));
        out.extend(resolve(db, file, &rows).await?);
    }
    // Stable: by day, then file (the files in order), voucher and line (each file's order), the
    // order of `page::transactions_page`.
    out.sort_by(|a, b| a.transaction_date.cmp(&b.transaction_date));
    Ok(out)
}

/// A voucher row as a pack holds it, owned: what makes it a [`LedgerTransaction`] once its
/// texts and voucher are looked up ([`resolve`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredRow {
    pub account: i64,
    pub day: i64,
    pub voucher: i64,
    pub line: i64,
    pub kind: u8,
    pub objects: Option<i64>,
    pub amount: i64,
    /// A `ledger_texts` id, the text itself, or neither.
    pub text: Result<Option<i64>, Box<str>>,
    pub tail: bool,
}

impl StoredRow {
    /// The row of a pack, of the pack's account.
    pub fn of(account: i64, row: &super::pack::PackedRow<'_>) -> StoredRow {
        use super::pack::RowText;
        StoredRow {
            account,
            day: row.day,
            voucher: row.voucher,
            line: row.line,
            kind: row.kind,
            objects: row.objects,
            amount: row.amount,
            text: match row.text {
                RowText::None => Ok(None),
                RowText::Id(id) => Ok(Some(id)),
                RowText::Inline(text) => Err(text.into()),
            },
            tail: row.tail,
        }
    }
}

/// A stored voucher: its series' text id, number, day and text.
struct StoredVoucher {
    series: i64,
    number: String,
    day: i64,
    text: String,
}

/// The rows of one file as transactions, in the order given: their vouchers and texts looked
/// up by id, a few hundred at a time (the whole file's texts at once for many rows).
pub(crate) async fn resolve(
    db: &mut AnyConnection,
    file: i64,
    rows: &[StoredRow],
) -> Result<Vec<LedgerTransaction>, StoreError> {
    use std::collections::HashMap;
    let wanted: std::collections::HashSet<i64> = rows.iter().map(|row| row.voucher).collect();
    let mut blocks: Vec<i64> = wanted
        .iter()
        .map(|id| super::pack::voucher_block(*id))
        .collect();
    blocks.sort_unstable();
    blocks.dedup();
    let mut vouchers: HashMap<i64, StoredVoucher> = HashMap::with_capacity(wanted.len());
    for chunk in blocks.chunks(500) {
        let numbers: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        // Block numbers the store computed: integers written into the SQL as numbers.
        let sql = format!(
            "SELECT block, data FROM ledger_voucher_packs WHERE file = $1 AND block IN ({})",
            numbers.join(", ")
        );
        for pack in sqlx::query(AssertSqlSafe(sql))
            .bind(file)
            .fetch_all(&mut *db)
            .await?
        {
            let block: i64 = pack.try_get("block")?;
            let data: Vec<u8> = pack.try_get("data")?;
            for voucher in super::pack::decode_vouchers(block, &data) {
                let voucher = voucher?;
                if wanted.contains(&voucher.id) {
                    vouchers.insert(
                        voucher.id,
                        StoredVoucher {
                            series: voucher.series,
                            number: voucher.number.to_owned(),
                            day: voucher.day,
                            text: voucher.text.to_owned(),
                        },
                    );
                }
            }
        }
    }
    let mut text_ids: Vec<i64> = rows
        .iter()
        .flat_map(|row| {
            [
                Some(row.account),
                row.objects,
                row.text.clone().ok().flatten(),
            ]
        })
        .flatten()
        .chain(vouchers.values().map(|voucher| voucher.series))
        .collect();
    text_ids.sort_unstable();
    text_ids.dedup();
    let mut texts: HashMap<i64, String> = HashMap::with_capacity(text_ids.len());
    let whole_file = [String::from(
        "SELECT id, text FROM ledger_texts WHERE file = $1",
    )];
    let in_lists: Vec<String> = text_ids
        .chunks(500)
        .map(|chunk| {
            let ids: Vec<String> = chunk.iter().map(ToString::to_string).collect();
            // Text ids the store read: integers written into the SQL as numbers.
            format!(
                "SELECT id, text FROM ledger_texts WHERE file = $1 AND id IN ({})",
                ids.join(", ")
            )
        })
        .collect();
    let queries: &[String] = if text_ids.len() > 20_000 {
        &whole_file
    } else {
        &in_lists
    };
    for sql in queries {
        for row in sqlx::query(AssertSqlSafe(sql.as_str()))
            .bind(file)
            .fetch_all(&mut *db)
            .await?
        {
            texts.insert(row.try_get("id")?, row.try_get("text")?);
        }
    }
    let text = |id: i64, what: &str| {
        texts
            .get(&id)
            .cloned()
            .ok_or_else(|| StoreError::Corrupt(format!("ledger_texts: {what} {id} saknas")))
    };
    rows.iter()
        .map(|row| {
            let voucher = vouchers.get(&row.voucher).ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "ledger_voucher_packs: verifikation {} saknas",
                    row.voucher
                ))
            })?;
            let date = LedgerDate::from_days(row.day);
            let mut own_text = match &row.text {
                Ok(Some(id)) => text(*id, "radtext")?,
                Ok(None) => String::new(),
                Err(inline) => inline.to_string(),
            };
            if row.tail {
                own_text.push_str(&voucher.text);
            }
            let objects = match row.objects {
                Some(id) => text(id, "objektlista")?,
                None => String::new(),
            };
            let object_in = |dimension: &str| super::page::object_in(&objects, dimension);
            Ok(LedgerTransaction {
                series: text(voucher.series, "serie")?,
                voucher_number: voucher.number.clone(),
                voucher_date: LedgerDate::from_days(voucher.day).iso(),
                transaction_date: date.iso(),
                month: date.month().ok_or_else(|| {
                    StoreError::Corrupt(format!("ledger_packs: dagen {}", date.iso()))
                })?,
                kind: kind_of_code(i64::from(row.kind)).ok_or_else(|| {
                    StoreError::Corrupt(format!("ledger_packs: radtypen {}", row.kind))
                })?,
                account: text(row.account, "konto")?,
                ansvar: object_in("1"),
                project: object_in("6"),
                amount: Money::from_ore(row.amount),
                voucher_text: voucher.text.clone(),
                text: own_text,
                objects,
            })
        })
        .collect()
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
