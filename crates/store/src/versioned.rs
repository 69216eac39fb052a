//! Optimistic concurrency on a record's stored version (migration 0027): the one way the store
//! decides which of two writers of one record wins.
//!
//! A record is named by its key (a [`Row`] of its key columns) and carries a `version` column.
//! An edit is based on the version its editor saw (0: there was none) and writes version
//! `based_on + 1` with one indexed compare-and-set:
//!
//! - [`Kind::Append`] (a history, every version a row: `followup_entries`): `INSERT … ON
//!   CONFLICT (key…, version) DO NOTHING`; the unique index on (key…, version) refuses a second
//!   row of the same version.
//! - [`Kind::Replace`] (one current row: `measure_values`): `UPDATE … SET …, version =
//!   based_on + 1 WHERE key… AND version = based_on`, or for a first version `INSERT … ON
//!   CONFLICT (key…) DO NOTHING`.
//!
//! Either statement writes one row or none, and none means someone else wrote the record since
//! its editor read it ([`Outcome::Lost`]): the caller reads the current record for its
//! `Stale…` error, or, for an edit that asked for no check, tries again on the new version. On
//! PostgreSQL a writer racing an uncommitted one on the same key waits for it and then loses or
//! wins by what it committed; on SQLite writers take the write lock in turn. `ON CONFLICT DO
//! NOTHING` leaves the transaction usable on both, so the rest of the change is unaffected.

use crate::StoreError;
use crate::write::{Row, row};
use sqlx::AnyConnection;

/// How a record's versions are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Every version is a row of its own (the history is kept).
    Append,
    /// One row per record, updated in place.
    Replace,
}

/// Whether the write won.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Version `based_on + 1` was written.
    Written,
    /// The record is no longer at version `based_on`: nothing was written.
    Lost,
}

/// Writes version `based_on + 1` of the record `key` of `table`, with the `cells` beside its
/// key and version, if the record is still at `based_on`. `based_on` is a version the record
/// has had (0: none), read by the caller: a history's index refuses a version that is there
/// already, not one that skips ahead.
pub(crate) async fn write(
    connection: &mut AnyConnection,
    kind: Kind,
    table: &'static str,
    key: Row,
    cells: Row,
    based_on: i64,
) -> Result<Outcome, StoreError> {
    let version = based_on + 1;
    let key_columns: Vec<&str> = key.columns().collect();
    let written = if kind == Kind::Replace && based_on > 0 {
        cells
            .and(row! { "version" => version })
            .update(table, key.and(row! { "version" => based_on }), connection)
            .await?
    } else {
        let conflict = match kind {
            Kind::Append => format!("{}, version", key_columns.join(", ")),
            Kind::Replace => key_columns.join(", "),
        };
        key.and(cells)
            .and(row! { "version" => version })
            .insert_unless_conflict(table, &conflict, connection)
            .await?
    };
    Ok(if written == 1 {
        Outcome::Written
    } else {
        Outcome::Lost
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::{Connection, Executor};

    async fn connection() -> AnyConnection {
        sqlx::any::install_default_drivers();
        let mut connection = AnyConnection::connect("sqlite::memory:").await.unwrap();
        connection
            .execute(
                "CREATE TABLE h (k TEXT NOT NULL, v TEXT NOT NULL, version BIGINT NOT NULL, \
                 UNIQUE (k, version)); CREATE TABLE r (k TEXT NOT NULL PRIMARY KEY, \
                 v TEXT NOT NULL, version BIGINT NOT NULL)",
            )
            .await
            .unwrap();
        connection
    }

    async fn put(
        c: &mut AnyConnection,
        kind: Kind,
        table: &'static str,
        v: &'static str,
        based_on: i64,
    ) -> Outcome {
        let (key, cells) = (row! { "k" => "a" }, row! { "v" => v });
        write(c, kind, table, key, cells, based_on).await.unwrap()
    }

    #[tokio::test]
    async fn of_two_writes_based_on_one_version_the_second_loses() {
        let mut c = connection().await;
        for kind in [Kind::Append, Kind::Replace] {
            let table = if kind == Kind::Append { "h" } else { "r" };
            assert_eq!(put(&mut c, kind, table, "x", 0).await, Outcome::Written);
            assert_eq!(
                put(&mut c, kind, table, "y", 0).await,
                Outcome::Lost,
                "{kind:?}"
            );
            assert_eq!(put(&mut c, kind, table, "y", 1).await, Outcome::Written);
            assert_eq!(
                put(&mut c, kind, table, "z", 1).await,
                Outcome::Lost,
                "{kind:?}"
            );
            if kind == Kind::Replace {
                assert_eq!(put(&mut c, kind, table, "z", 5).await, Outcome::Lost);
            }
            let sql = format!("SELECT v, version FROM {table} ORDER BY version DESC LIMIT 1");
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_one(&mut c)
                .await
                .unwrap();
            let (v, version): (String, i64) =
                (sqlx::Row::get(&row, "v"), sqlx::Row::get(&row, "version"));
            assert_eq!((v.as_str(), version), ("y", 2), "{kind:?}");
        }
    }
}
