//! The audit log: one row per change to the stored plans, saying who, when and what, written
//! in the same transaction as the change itself so that the log and the data never disagree.
//!
//! Rows are only ever added. The log records what was done, not the data before or after:
//! the plans themselves are the data.

use crate::row::Cells;
use crate::{AuditEntry, ImportSummary, StoreError};
use sqlx::AnyConnection;
use sqlx::AnyPool;
use std::fmt::Write as _;

/// Records an import; `seq` is the import's number from the `counters` table.
pub async fn record_import(
    connection: &mut AnyConnection,
    seq: i64,
    summary: &ImportSummary,
    actor: &str,
) -> Result<(), StoreError> {
    let action = format!("import plan {}/{}", summary.municipality, summary.version);
    let mut detail = format!(
        "kind={} replaced={} rows={}",
        summary.kind,
        summary.replaced,
        summary.total_rows()
    );
    for (table, count) in &summary.rows {
        let _ = write!(detail, " {table}={count}");
    }
    sqlx::query(
        "INSERT INTO audit_log (seq, municipality, at, actor, action, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(seq)
    .bind(&summary.municipality)
    .bind(&summary.imported_at)
    .bind(actor)
    .bind(action)
    .bind(detail)
    .execute(connection)
    .await?;
    Ok(())
}

/// The whole log, oldest first.
pub async fn entries(pool: &AnyPool) -> Result<Vec<AuditEntry>, StoreError> {
    let rows = sqlx::query("SELECT at, actor, action, detail FROM audit_log ORDER BY seq")
        .fetch_all(pool)
        .await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "audit_log",
            };
            Ok(AuditEntry {
                at: cells.text("at")?,
                actor: cells.text("actor")?,
                action: cells.text("action")?,
                detail: cells.text("detail")?,
            })
        })
        .collect()
}
