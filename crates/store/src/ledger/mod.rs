//! The ledger in the database: imported ledger files with every voucher row, and the monthly
//! sums the reports read.
//!
//! A file is keyed by (municipality, company, fiscal year) and stored all-or-nothing in one
//! transaction by the one write protocol in [`load`]: a new import of the same company and year
//! replaces the old one, so the same file twice doubles nothing and a corrected re-export
//! replaces what it covers. [`tables`] names each table's columns once; [`sink`] holds the two
//! writers (SQLite through `rusqlite`, PostgreSQL through `COPY`); [`read`] reads back. This
//! module does not read SIE and does not map accounts to budget lines: the caller hands it
//! plain values and the report maps them.

pub(crate) mod balances;
pub(crate) mod load;
pub(crate) mod pack;
pub(crate) mod page;
pub(crate) mod partition;
pub(crate) mod read;
pub(crate) mod sink;
pub(crate) mod tables;

pub use load::{
    LedgerDate, LedgerFileInfo, LedgerImportSummary, LedgerLoad, LedgerScope, RUN_ROWS, RowRecord,
    VoucherRecord,
};
pub use page::{
    AmountFilter, FileAmount, FileSelection, FilteredSums, LedgerFileId, LedgerPage, LedgerPair,
    LedgerRowKey, LedgerSelection, PageAt,
};
pub use read::{LedgerImportInfo, LedgerSource};

use crate::StoreError;
use crate::connect::Backend;
use sink::{PostgresSink, Sink, SqliteSink};
use sqlx::AnyPool;
use sqlx::error::{DatabaseError, ErrorKind};
use std::borrow::Cow;
use styr_domain::ledger::{LedgerAmount, LedgerTransaction};

/// A whole ledger file in memory, for small imports and tests: [`crate::Store::import_actuals`]
/// feeds it through the same protocol as a streamed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerImport {
    pub municipality: String,
    pub info: LedgerFileInfo,
    /// Every voucher row, counted or not, in file order; consecutive rows with the same series,
    /// number, date and text are one voucher.
    pub transactions: Vec<LedgerTransaction>,
    /// The file's #PBUDGET rows summed per account × ansvar × project × month.
    pub budget: Vec<LedgerAmount>,
}

/// Begins an import: opens the database's own write connection and transaction.
pub(crate) async fn begin(
    pool: &AnyPool,
    backend: Backend,
    url: &str,
    read_only: bool,
    municipality: &str,
    actor: &str,
) -> Result<LedgerLoad, StoreError> {
    let (sink, seq) = match backend {
        Backend::Postgres => {
            let (sink, seq) = PostgresSink::begin(url).await?;
            (Sink::Postgres(sink), seq)
        }
        Backend::Sqlite => {
            if read_only {
                return Err(StoreError::Corrupt(
                    "databasen är öppnad skrivskyddad: bokföringen kan inte importeras".into(),
                ));
            }
            let Some(path) = sqlite_file(pool).await? else {
                return Err(StoreError::Corrupt(
                    "en bokföring kan inte importeras till en databas i minnet: ange en fil".into(),
                ));
            };
            let (sink, seq) = SqliteSink::begin(&path)?;
            (Sink::Sqlite(sink), seq)
        }
    };
    Ok(load::begin(sink, seq, municipality, actor))
}

/// The file of a SQLite database (the pool's `main`), or `None` for an in-memory one.
async fn sqlite_file(pool: &AnyPool) -> Result<Option<std::path::PathBuf>, StoreError> {
    use sqlx::Row;
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

/// A failure of a `rusqlite` connection (the SQLite ledger import), as a sqlx database error.
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
