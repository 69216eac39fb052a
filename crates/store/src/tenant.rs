//! Whose ledger a read is for. On PostgreSQL the ledger tables are guarded by row-level
//! security (migration 0029): a role that does not own them sees the rows of the municipality
//! its transaction names in the setting `styr.municipality`, and nothing when none is named.
//! Every ledger read of the store therefore runs in a transaction of its own that first names
//! its municipality with `set_config(…, true)` (for that transaction only, so a pooled
//! connection never carries one municipality's name into another's read). The owner, which
//! migrates and imports, is not subject to the policies; the application role the web server
//! connects as is (ARCHITECTURE.md, "Many municipalities on one server").
//!
//! SQLite has no roles: there every query names its municipality (the store's reads all do, a
//! test tries), and the read runs on a pooled connection as it stands.

use crate::StoreError;
use crate::connect::Backend;
use sqlx::{AnyConnection, AnyPool};

/// Runs `read` on one connection, on PostgreSQL in a transaction scoped to `municipality`.
pub(crate) async fn scoped<T>(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    read: impl AsyncFnOnce(&mut AnyConnection) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    match backend {
        Backend::Sqlite => {
            let mut connection = pool.acquire().await?;
            read(&mut connection).await
        }
        Backend::Postgres => {
            let mut transaction = pool.begin().await?;
            sqlx::query("SELECT set_config('styr.municipality', $1, true)")
                .bind(municipality)
                .execute(&mut *transaction)
                .await?;
            let out = read(&mut transaction).await?;
            transaction.commit().await?;
            Ok(out)
        }
    }
}
