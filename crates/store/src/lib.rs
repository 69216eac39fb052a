//! The store: plans in a database, SQLite by default and PostgreSQL for shared installations.
//!
//! This is the only crate that speaks SQL. One code path and one schema serve both backends
//! through sqlx's `Any` driver, so every query is portable SQL: BIGINT and TEXT columns, money
//! as integer öre, exact decimals as text, booleans as 0/1, dates as ISO text, placeholders
//! written `$1`. A plan is stored under its key (municipality id, budget version id), imported
//! all-or-nothing in one transaction, and loaded back field for field. Every import writes a row
//! to the audit log.
//!
//! It deliberately knows nothing of the package format, of checks or of rendering: it stores
//! and returns [`Plan`] values. It does not store where a value was read from (`Location`): a
//! loaded plan's locations are empty, except those of narrative claims, which are read from the
//! stored text again. It does not decide who may import; the caller names the actor.

mod audit;
mod connect;
mod error;
mod load;
mod migrate;
mod row;
mod save;
mod time;

pub use error::{MigrationError, StoreError};

use connect::Backend;
use sqlx::AnyPool;
use styr_domain::Plan;

/// An open database holding plans. Cheap to clone: clones share one connection pool.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

/// The key and kind of a stored plan, with when it was last imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanKey {
    pub municipality: String,
    pub version: String,
    /// The budget version's kind: `proposal`, `decided` or `adjusted`.
    pub kind: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub imported_at: String,
}

/// One row of the audit log: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub at: String,
    pub actor: String,
    /// What was done, e.g. `import plan haninge/ks_2021_proposal`.
    pub action: String,
    /// Details as `key=value` pairs separated by spaces, e.g. `kind=proposal replaced=false …`.
    pub detail: String,
}

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub municipality: String,
    pub version: String,
    /// The budget version's kind: `proposal`, `decided` or `adjusted`.
    pub kind: String,
    /// Whether a stored plan with the same key was replaced.
    pub replaced: bool,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub imported_at: String,
    /// Rows written per table, in the order they were written; tables without rows are left out.
    pub rows: Vec<(&'static str, u64)>,
}

impl ImportSummary {
    /// The number of rows written to one table (0 when none).
    pub fn rows_in(&self, table: &str) -> u64 {
        self.rows
            .iter()
            .find(|(name, _)| *name == table)
            .map_or(0, |(_, count)| *count)
    }

    /// The number of rows written in all.
    pub fn total_rows(&self) -> u64 {
        self.rows.iter().map(|(_, count)| count).sum()
    }
}

impl Store {
    /// Opens a database and brings its schema up to date.
    ///
    /// `url`: `postgres://…` or `postgresql://…` is PostgreSQL; `sqlite:…` or anything else is
    /// a SQLite database file (a plain path is taken as it stands), created if missing, in WAL
    /// mode with a busy timeout of 5 s and foreign keys on.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let (pool, backend) = connect::connect(url).await?;
        migrate::run(&pool, backend).await?;
        Ok(Store { pool, backend })
    }

    /// Saves the whole plan in one transaction, all-or-nothing, under its key (municipality
    /// id, budget version id). A stored plan with the same key is replaced completely, unless
    /// its version is `decided`: then nothing changes and the error is
    /// [`StoreError::DecidedVersion`] (import an `adjusted` version instead). Writes a row to
    /// the audit log naming `actor`.
    pub async fn import_plan(&self, plan: &Plan, actor: &str) -> Result<ImportSummary, StoreError> {
        save::import_plan(&self.pool, self.backend, plan, actor).await
    }

    /// Loads a stored plan. `version: None` is the most recently imported version of the
    /// municipality; `municipality: None` is the only municipality in the database (an error
    /// when there are several or none).
    pub async fn load_plan(
        &self,
        municipality: Option<&str>,
        version: Option<&str>,
    ) -> Result<Plan, StoreError> {
        load::load_plan(&self.pool, self.backend, municipality, version).await
    }

    /// Every stored plan, by municipality and then in the order they were last imported.
    pub async fn plans(&self) -> Result<Vec<PlanKey>, StoreError> {
        load::plans(&self.pool).await
    }

    /// The audit log, oldest first.
    pub async fn audit_log(&self) -> Result<Vec<AuditEntry>, StoreError> {
        audit::entries(&self.pool).await
    }

    /// Closes every connection, waiting for running queries to finish.
    pub async fn close(self) {
        self.pool.close().await;
    }
}
