//! Running styr: backing the database up and restoring it, its schema version, and whether it
//! answers (the web server's `/healthz`). The work is the store's; the rules of who may are here.

use crate::{Actor, App, AppError};
use std::path::Path;
pub use styr_store::{BackupSummary, RestoreSummary};

impl App {
    /// Backs the whole database up into the file `out` while others keep writing (SQLite's
    /// online backup API; `pg_dump` for PostgreSQL). Administrators only.
    pub async fn backup(&self, actor: &Actor, out: &Path) -> Result<BackupSummary, AppError> {
        actor.require_admin("säkerhetskopiera databasen")?;
        Ok(self.store.backup(out).await?)
    }

    /// Whether the database answers a trivial query.
    pub async fn health(&self) -> Result<(), AppError> {
        Ok(self.store.ping().await?)
    }

    /// The database's schema version (its newest applied migration).
    pub async fn schema_version(&self) -> Result<i64, AppError> {
        Ok(self.store.schema_version().await?)
    }
}

/// The newest schema version this program knows: a database or a backup with a newer one is
/// refused, an older one is migrated forward.
pub fn newest_schema_version() -> i64 {
    styr_store::newest_schema_version()
}

/// Restores a backup file into the database `url` names (which need not exist) and migrates it
/// forward. A target that holds tables is refused unless `force`; a backup from a newer schema
/// always is, with both versions named. Administrators only.
pub async fn restore(
    actor: &Actor,
    url: &str,
    backup: &Path,
    force: bool,
) -> Result<RestoreSummary, AppError> {
    actor.require_admin("återställa databasen")?;
    Ok(styr_store::restore(url, backup, force).await?)
}
