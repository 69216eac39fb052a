//! Schema migrations: the SQL files in `migrations/`, embedded in the binary and applied in
//! order, each in its own transaction, recorded in `schema_migrations(version)`.
//!
//! A tiny runner of our own rather than sqlx's migrator, so that the same code runs through the
//! `Any` driver on both backends. Statements are run one at a time (a file is split at
//! semicolons that end a line; `--` comment lines are dropped). There are no down migrations,
//! and an applied migration is never edited: a change is a new file.

use crate::connect::Backend;
use crate::{MigrationError, StoreError};
use sqlx::{AnyPool, AssertSqlSafe, Row};

/// A migration: its version, its name and its SQL; `postgres` replaces `sql` on PostgreSQL
/// where the two databases need different statements (triggers).
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
    postgres: Option<&'static str>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "plan",
        sql: include_str!("../migrations/0001_plan.sql"),
        postgres: None,
    },
    Migration {
        version: 2,
        name: "audit_log",
        sql: include_str!("../migrations/0002_audit_log.sql"),
        postgres: None,
    },
    Migration {
        version: 3,
        name: "actuals",
        sql: include_str!("../migrations/0003_actuals.sql"),
        postgres: None,
    },
    Migration {
        version: 4,
        name: "followup",
        sql: include_str!("../migrations/0004_followup.sql"),
        postgres: None,
    },
    Migration {
        version: 5,
        name: "users",
        sql: include_str!("../migrations/0005_users.sql"),
        postgres: None,
    },
    Migration {
        version: 6,
        name: "append_only",
        sql: include_str!("../migrations/0006_append_only.sqlite.sql"),
        postgres: Some(include_str!("../migrations/0006_append_only.postgres.sql")),
    },
    Migration {
        version: 7,
        name: "plan_counter",
        sql: include_str!("../migrations/0007_plan_counter.sql"),
        postgres: None,
    },
    Migration {
        version: 8,
        name: "lean_ledger",
        sql: include_str!("../migrations/0008_lean_ledger.sqlite.sql"),
        postgres: Some(include_str!("../migrations/0008_lean_ledger.postgres.sql")),
    },
    Migration {
        version: 9,
        name: "internal_control",
        sql: include_str!("../migrations/0009_internal_control.sqlite.sql"),
        postgres: Some(include_str!(
            "../migrations/0009_internal_control.postgres.sql"
        )),
    },
    Migration {
        version: 10,
        name: "kolada",
        sql: include_str!("../migrations/0010_kolada.sql"),
        postgres: None,
    },
    Migration {
        version: 11,
        name: "acknowledgements",
        sql: include_str!("../migrations/0011_acknowledgements.sql"),
        postgres: None,
    },
    Migration {
        version: 12,
        name: "login_throttle",
        sql: include_str!("../migrations/0012_login_throttle.sql"),
        postgres: None,
    },
    Migration {
        version: 13,
        name: "synthetic_control",
        sql: include_str!("../migrations/0013_synthetic_control.sql"),
        postgres: None,
    },
    Migration {
        version: 14,
        name: "synthetic_periods",
        sql: include_str!("../migrations/0014_synthetic_periods.sql"),
        postgres: None,
    },
    Migration {
        version: 15,
        name: "user_names",
        sql: include_str!("../migrations/0015_user_names.sql"),
        postgres: None,
    },
];

/// The statements of a migration file, without comments.
fn statements(sql: &str) -> Vec<String> {
    let mut statements = Vec::new();
    let mut current = String::new();
    for line in sql.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with("--") {
            continue;
        }
        current.push_str(line);
        current.push('\n');
        if trimmed.ends_with(';') {
            let statement = current.trim().trim_end_matches(';').trim().to_owned();
            statements.push(statement);
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        statements.push(current.trim().to_owned());
    }
    statements
}

fn failed(migration: &Migration, message: &str, source: Option<sqlx::Error>) -> StoreError {
    StoreError::Migration(MigrationError {
        version: migration.version,
        name: migration.name.to_owned(),
        message: message.to_owned(),
        source,
    })
}

/// The newest schema version this program knows: its last migration.
pub fn newest_version() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// The database's schema version (the newest applied migration; 0 for a database without
/// `schema_migrations`), read without changing anything.
pub async fn database_version(pool: &AnyPool, backend: Backend) -> Result<i64, StoreError> {
    let exists = match backend {
        Backend::Sqlite => {
            "SELECT COUNT(*) AS n FROM sqlite_master \
             WHERE type = 'table' AND name = 'schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
        }
    };
    let tables: i64 = sqlx::query(exists).fetch_one(pool).await?.try_get("n")?;
    if tables == 0 {
        return Ok(0);
    }
    let newest: Option<i64> = sqlx::query("SELECT MAX(version) AS newest FROM schema_migrations")
        .fetch_one(pool)
        .await?
        .try_get("newest")?;
    Ok(newest.unwrap_or(0))
}

/// Refuses a database whose schema is newer than this program's, before anything is written.
pub async fn check_version(pool: &AnyPool, backend: Backend) -> Result<i64, StoreError> {
    let database = database_version(pool, backend).await?;
    let binary = newest_version();
    if database > binary {
        return Err(StoreError::SchemaTooNew { database, binary });
    }
    Ok(database)
}

/// Applies every migration the database has not had yet.
pub async fn run(pool: &AnyPool, backend: Backend) -> Result<(), StoreError> {
    run_until(pool, backend, i64::MAX).await
}

/// Applies the migrations up to `version` that the database has not had yet (tests of a
/// migration start from the schema before it).
pub async fn run_until(pool: &AnyPool, backend: Backend, version: i64) -> Result<(), StoreError> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (\
         version BIGINT NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    )
    .execute(pool)
    .await?;
    let newest_known = MIGRATIONS.last().map_or(0, |m| m.version);
    for migration in MIGRATIONS.iter().filter(|m| m.version <= version) {
        let mut transaction = match backend {
            Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => pool.begin().await?,
        };
        if backend == Backend::Postgres {
            // Two processes opening a fresh database at once: the second waits here.
            sqlx::query("LOCK TABLE schema_migrations IN EXCLUSIVE MODE")
                .execute(&mut *transaction)
                .await?;
        }
        let newest: Option<i64> =
            sqlx::query("SELECT MAX(version) AS newest FROM schema_migrations")
                .fetch_one(&mut *transaction)
                .await?
                .try_get("newest")?;
        if newest.is_some_and(|newest| newest > newest_known) {
            let message = format!(
                "databasen har schemaversion {}, nyare än denna styr ({newest_known})",
                newest.unwrap_or_default()
            );
            return Err(failed(migration, &message, None));
        }
        let applied = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *transaction)
            .await?
            .is_some();
        if applied {
            continue;
        }
        let sql = match (backend, migration.postgres) {
            (Backend::Postgres, Some(postgres)) => postgres,
            _ => migration.sql,
        };
        for statement in statements(sql) {
            sqlx::query(AssertSqlSafe(statement))
                .execute(&mut *transaction)
                .await
                .map_err(|error| failed(migration, &error.to_string(), Some(error)))?;
        }
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(migration.version)
        .bind(migration.name)
        .bind(crate::time::now_utc())
        .execute(&mut *transaction)
        .await?;
        transaction
            .commit()
            .await
            .map_err(|error| failed(migration, &error.to_string(), Some(error)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_statements_and_drops_comments() {
        let sql = "-- a comment; not a statement\nCREATE TABLE a (\n    x BIGINT\n);\n\nINSERT INTO a (x) VALUES (1);\n";
        assert_eq!(
            statements(sql),
            vec![
                "CREATE TABLE a (\n    x BIGINT\n)".to_owned(),
                "INSERT INTO a (x) VALUES (1)".to_owned()
            ]
        );
    }

    #[test]
    fn migrations_are_numbered_in_order() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert_eq!(versions, (1..=15).collect::<Vec<i64>>());
        assert_eq!(statements(MIGRATIONS[0].sql).len(), 38);
        assert_eq!(statements(MIGRATIONS[1].sql).len(), 3);
        assert_eq!(statements(MIGRATIONS[2].sql).len(), 9);
    }
}
