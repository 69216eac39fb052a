//! The audit log: one row per change, saying who, when, what, and the data before and after,
//! written in the same transaction as the change itself so that the log and the data never
//! disagree.
//!
//! Rows are only ever added. For a plan or a ledger import the log records counts (the plans
//! themselves are the data); for a follow-up report or a period's state it records the value
//! before and after as readable text.

use crate::ledger::tables::Table;
use crate::row::{Cells, Value};
use crate::write::values_of;
use crate::{AuditEntry, AuditFilter, ImportSummary, StoreError};
use sqlx::AnyConnection;
use sqlx::{AnyPool, AssertSqlSafe};
use std::fmt::Write as _;

/// One change, as the log records it.
pub struct Change<'a> {
    /// The change's number from the `counters` table.
    pub seq: i64,
    pub municipality: &'a str,
    pub at: &'a str,
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

/// The log's table and columns, as [`Change::values`] gives them.
pub(crate) const TABLE: Table = Table {
    name: "audit_log",
    columns: &[
        "seq",
        "municipality",
        "at",
        "actor",
        "action",
        "detail",
        "before_text",
        "after_text",
    ],
};

impl Change<'_> {
    /// The row's values, in the order of [`TABLE`]'s columns (checked when compiling).
    pub(crate) fn values(&self) -> Vec<Value> {
        Vec::from(values_of!(TABLE;
            "seq" => self.seq,
            "municipality" => self.municipality,
            "at" => self.at,
            "actor" => self.actor,
            "action" => self.action,
            "detail" => self.detail,
            "before_text" => self.before,
            "after_text" => self.after,
        ))
    }
}

/// Writes one row of the log.
pub async fn record(connection: &mut AnyConnection, change: &Change<'_>) -> Result<(), StoreError> {
    // Built from the constant table and column names and numbered placeholders.
    let mut query = sqlx::query(AssertSqlSafe(TABLE.insert_sql(1)));
    for value in change.values() {
        query = crate::write::bind(query, value);
    }
    query.execute(connection).await?;
    Ok(())
}

/// Records an import; `seq` is the import's number from the `counters` table.
pub async fn record_import(
    connection: &mut AnyConnection,
    seq: i64,
    summary: &ImportSummary,
    actor: &str,
    note: Option<&str>,
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
    if let Some(note) = note {
        let _ = write!(detail, " {note}");
    }
    record(
        connection,
        &Change {
            seq,
            municipality: &summary.municipality,
            at: &summary.imported_at,
            actor,
            action: &action,
            detail: &detail,
            before: None,
            after: None,
        },
    )
    .await
}

/// Text to match literally inside a `LIKE` pattern (with `ESCAPE '\'`): `%` and `_` are not
/// wildcards in what a user types.
fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The log, oldest first, narrowed by the filter (every condition a bound parameter).
pub async fn entries(pool: &AnyPool, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
    let mut sql = String::from(
        "SELECT seq, municipality, at, actor, action, detail, before_text, after_text \
         FROM audit_log WHERE 1 = 1",
    );
    let mut binds: Vec<String> = Vec::new();
    let mut condition = |sql: &mut String, column_test: &str, value: &Option<String>| {
        if let Some(value) = value {
            binds.push(value.clone());
            let _ = write!(sql, " AND {column_test} ${}", binds.len());
        }
    };
    condition(&mut sql, "municipality =", &filter.municipality);
    condition(&mut sql, "actor =", &filter.actor);
    condition(&mut sql, "at >=", &filter.since);
    condition(&mut sql, "at <", &filter.until);
    if let Some(text) = &filter.action_contains {
        binds.push(format!("%{}%", like_literal(text)));
        let _ = write!(sql, " AND action LIKE ${} ESCAPE '\\'", binds.len());
    }
    sql.push_str(" ORDER BY seq");
    // Only the constant conditions above are in the SQL; every value is a bound parameter.
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for bind in binds {
        query = query.bind(bind);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter()
        .map(|row| {
            let cells = Cells {
                row,
                table: "audit_log",
            };
            Ok(AuditEntry {
                seq: cells.int("seq")?,
                municipality: cells.text("municipality")?,
                at: cells.text("at")?,
                actor: cells.text("actor")?,
                action: cells.text("action")?,
                detail: cells.text("detail")?,
                before: cells.opt_text("before_text")?,
                after: cells.opt_text("after_text")?,
            })
        })
        .collect()
}
