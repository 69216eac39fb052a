//! PostgreSQL only: every ledger file's data in partitions of its own (migration 0029).
//!
//! The six tables of a file's data are partitioned by `file`, one partition per file, named
//! after its parent and its file (`ledger_packs_17`). An import creates its file's tables beside
//! the parents with the parents' columns and constraints and a `CHECK (file = N)`, fills them
//! with `COPY` directly (no routing of each row through the parent) and attaches them at the
//! commit ([`attach_all`]), so that their indexes (the parents') are built once each, by
//! sorting, instead of being kept row by row during the load. `ATTACH PARTITION` takes only a
//! SHARE UPDATE EXCLUSIVE lock on the parent, which readers do not wait for, where `CREATE
//! TABLE … PARTITION OF` would take an ACCESS EXCLUSIVE lock on the parent until the import
//! commits. The partition holds nothing other transactions can see until the
//! import commits. Replacing a file drops its partitions at the very end of the import, just before
//! `COMMIT`: a drop locks the parent exclusively, so readers of other municipalities wait only
//! for the drop and the commit, not for the load.
//!
//! A partition has row-level security enabled and no policy of its own: a role other than the
//! owner reads nothing from it directly; through the parent, the parent's policy decides.

use super::tables::{BALANCES, PACKS, SUMS, TEXTS, Table, VOUCHER_PACKS, YEAR_BALANCES};
use crate::StoreError;
use sqlx::{AssertSqlSafe, PgConnection};

/// The tables partitioned by file, one partition per file.
pub(crate) const PARTITIONED: [&Table; 6] = [
    &TEXTS,
    &VOUCHER_PACKS,
    &PACKS,
    &SUMS,
    &BALANCES,
    &YEAR_BALANCES,
];

/// Whether `table` is partitioned by file on PostgreSQL. (By name: the tables are constants,
/// and two references to one constant need not be the same address.)
pub(crate) fn is_partitioned(table: &Table) -> bool {
    PARTITIONED.iter().any(|t| t.name == table.name)
}

/// The name of `table`'s partition for `file`.
pub(crate) fn name(table: &Table, file: i64) -> String {
    format!("{}_{file}", table.name)
}

/// Creates the file's partitions, empty and not attached yet, in the import's open transaction.
pub(crate) async fn create(connection: &mut PgConnection, file: i64) -> Result<(), StoreError> {
    for table in PARTITIONED {
        let partition = name(table, file);
        // Built from constant table names and a number.
        for sql in [
            format!(
                "CREATE TABLE {partition} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS, \
                 CHECK (file = {file}))",
                parent = table.name
            ),
            format!("ALTER TABLE {partition} ENABLE ROW LEVEL SECURITY"),
        ] {
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut *connection)
                .await?;
        }
    }
    Ok(())
}

/// `ALTER TABLE parent ATTACH PARTITION …` of `table`'s partition for `file`.
fn attach_sql(table: &Table, file: i64) -> String {
    format!(
        "ALTER TABLE {parent} ATTACH PARTITION {partition} FOR VALUES IN ({file})",
        parent = table.name,
        partition = name(table, file)
    )
}

/// Attaches the file's partitions, which the import's `COPY`s filled directly: PostgreSQL
/// then builds each one's share of its parent's indexes (`ledger_packs_seek`, the keys) once, by
/// sorting; its `CHECK (file = N)` spares the scan that would prove the partition's bound.
/// Each partition is analysed too, in the same transaction: until autovacuum came round to a
/// new partition, the planner took its 10 M rows for none and scanned a whole day's rows for a
/// drill-down's page (110 ms instead of 29 at 10 M).
pub(crate) async fn attach_all(connection: &mut PgConnection, file: i64) -> Result<(), StoreError> {
    for table in PARTITIONED {
        // Built from constant table names and a number.
        for sql in [
            attach_sql(table, file),
            format!("ANALYZE {}", name(table, file)),
        ] {
            sqlx::raw_sql(AssertSqlSafe(sql))
                .execute(&mut *connection)
                .await?;
        }
    }
    Ok(())
}

/// Drops the partitions of a replaced file, in the import's open transaction, just before it
/// commits.
pub(crate) async fn drop_file(connection: &mut PgConnection, file: i64) -> Result<(), StoreError> {
    let names: Vec<String> = PARTITIONED.iter().map(|table| name(table, file)).collect();
    // Built from constant table names and a number.
    sqlx::raw_sql(AssertSqlSafe(format!(
        "DROP TABLE IF EXISTS {}",
        names.join(", ")
    )))
    .execute(&mut *connection)
    .await?;
    Ok(())
}
