//! Schema migrations: the SQL files in `migrations/`, embedded in the binary and applied in
//! order, each in its own transaction, recorded in `schema_migrations(version)`.
//!
//! A tiny runner of our own rather than sqlx's migrator, so that the same code runs through the
//! `Any` driver on both backends. Statements are run one at a time (a file is split at
//! semicolons that end a line; `--` comment lines are dropped). There are no down migrations,
//! and an applied migration is never edited: a change is a new file (a test pins the statements
//! of every released migration, see `RELEASED`).
//!
//! One file serves both backends. Where they need different SQL (types, triggers, how a date
//! becomes a number), the file holds both fragments, each a whole number of lines:
//!
//! ```text
//! -- @sqlite
//! ) WITHOUT ROWID;
//! -- @postgres
//! );
//! -- @end
//! ```
//!
//! Lines outside the markers are for both. A fragment may be part of a statement.
//!
//! Work SQL cannot do on both backends (packing the voucher rows and the vouchers, migrations
//! 0035 and 0037) is a [`Step`] of Rust run after the migration's statements, in its
//! transaction.

use crate::connect::Backend;
use crate::{MigrationError, StoreError};
use sqlx::{AnyPool, AssertSqlSafe, Row};

/// A migration: its version, its name (both recorded in `schema_migrations`) and its SQL, with
/// `-- @sqlite`/`-- @postgres` fragments where the backends differ.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "plan",
        sql: include_str!("../migrations/0001_plan.sql"),
    },
    Migration {
        version: 2,
        name: "audit_log",
        sql: include_str!("../migrations/0002_audit_log.sql"),
    },
    Migration {
        version: 3,
        name: "actuals",
        sql: include_str!("../migrations/0003_actuals.sql"),
    },
    Migration {
        version: 4,
        name: "followup",
        sql: include_str!("../migrations/0004_followup.sql"),
    },
    Migration {
        version: 5,
        name: "users",
        sql: include_str!("../migrations/0005_users.sql"),
    },
    Migration {
        version: 6,
        name: "append_only",
        sql: include_str!("../migrations/0006_append_only.sql"),
    },
    Migration {
        version: 7,
        name: "plan_counter",
        sql: include_str!("../migrations/0007_plan_counter.sql"),
    },
    Migration {
        version: 8,
        name: "lean_ledger",
        sql: include_str!("../migrations/0008_lean_ledger.sql"),
    },
    Migration {
        version: 9,
        name: "internal_control",
        sql: include_str!("../migrations/0009_internal_control.sql"),
    },
    Migration {
        version: 10,
        name: "kolada",
        sql: include_str!("../migrations/0010_kolada.sql"),
    },
    Migration {
        version: 11,
        name: "acknowledgements",
        sql: include_str!("../migrations/0011_acknowledgements.sql"),
    },
    Migration {
        version: 12,
        name: "login_throttle",
        sql: include_str!("../migrations/0012_login_throttle.sql"),
    },
    Migration {
        version: 13,
        name: "synthetic_control",
        sql: include_str!("../migrations/0013_synthetic_control.sql"),
    },
    Migration {
        version: 14,
        name: "synthetic_periods",
        sql: include_str!("../migrations/0014_synthetic_periods.sql"),
    },
    Migration {
        version: 15,
        name: "user_names",
        sql: include_str!("../migrations/0015_user_names.sql"),
    },
    Migration {
        version: 16,
        name: "body_followup",
        sql: include_str!("../migrations/0016_body_followup.sql"),
    },
    Migration {
        version: 17,
        name: "council",
        sql: include_str!("../migrations/0017_council.sql"),
    },
    Migration {
        version: 18,
        name: "process_roles",
        sql: include_str!("../migrations/0018_process_roles.sql"),
    },
    Migration {
        version: 19,
        name: "sections",
        sql: include_str!("../migrations/0019_sections.sql"),
    },
    Migration {
        version: 20,
        name: "budget_process",
        sql: include_str!("../migrations/0020_budget_process.sql"),
    },
    Migration {
        version: 21,
        name: "alternatives",
        sql: include_str!("../migrations/0021_alternatives.sql"),
    },
    Migration {
        version: 22,
        name: "frame_calculation",
        sql: include_str!("../migrations/0022_frame_calculation.sql"),
    },
    Migration {
        version: 23,
        name: "statements",
        sql: include_str!("../migrations/0023_statements.sql"),
    },
    Migration {
        version: 24,
        name: "geh",
        sql: include_str!("../migrations/0024_geh.sql"),
    },
    Migration {
        version: 25,
        name: "personnel",
        sql: include_str!("../migrations/0025_personnel.sql"),
    },
    Migration {
        version: 26,
        name: "activity_measures",
        sql: include_str!("../migrations/0026_activity_measures.sql"),
    },
    Migration {
        version: 27,
        name: "stored_versions",
        sql: include_str!("../migrations/0027_stored_versions.sql"),
    },
    Migration {
        version: 28,
        name: "year_balances",
        sql: include_str!("../migrations/0028_year_balances.sql"),
    },
    Migration {
        version: 29,
        name: "ledger_partitions",
        sql: include_str!("../migrations/0029_ledger_partitions.sql"),
    },
    Migration {
        version: 30,
        name: "ledger_rows_seek",
        sql: include_str!("../migrations/0030_ledger_rows_seek.sql"),
    },
    Migration {
        version: 31,
        name: "reminders",
        sql: include_str!("../migrations/0031_reminders.sql"),
    },
    Migration {
        version: 32,
        name: "oidc",
        sql: include_str!("../migrations/0032_oidc.sql"),
    },
    Migration {
        version: 33,
        name: "one_email",
        sql: include_str!("../migrations/0033_one_email.sql"),
    },
    Migration {
        version: 34,
        name: "run_days",
        sql: include_str!("../migrations/0034_run_days.sql"),
    },
    Migration {
        version: 35,
        name: "ledger_packs",
        sql: include_str!("../migrations/0035_ledger_packs.sql"),
    },
    Migration {
        version: 36,
        name: "no_sums_month_index",
        sql: include_str!("../migrations/0036_no_sums_month_index.sql"),
    },
    Migration {
        version: 37,
        name: "voucher_packs",
        sql: include_str!("../migrations/0037_voucher_packs.sql"),
    },
];

/// What a migration does beyond its SQL, in its transaction, after its statements: work SQL
/// cannot express on both backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Migration 0035: packs `ledger_rows` into `ledger_packs` and drops it.
    PackLedgerRows,
    /// Migration 0037: packs `ledger_vouchers` into `ledger_voucher_packs` and drops it.
    PackVouchers,
}

/// The steps after a migration's SQL, by version.
const STEPS: &[(i64, Step)] = &[(35, Step::PackLedgerRows), (37, Step::PackVouchers)];

impl Step {
    async fn run(self, db: &mut sqlx::AnyConnection, backend: Backend) -> Result<(), StoreError> {
        match self {
            Step::PackLedgerRows => crate::ledger::pack::pack_ledger_rows(db, backend).await,
            Step::PackVouchers => crate::ledger::pack::pack_vouchers(db, backend).await,
        }
    }
}

/// A marker line of a migration file: whose lines follow it.
fn marker(line: &str) -> Option<Option<Backend>> {
    match line.trim() {
        "-- @sqlite" => Some(Some(Backend::Sqlite)),
        "-- @postgres" => Some(Some(Backend::Postgres)),
        "-- @end" => Some(None),
        _ => None,
    }
}

/// The lines of a migration file that `backend` runs: those outside markers and those of its
/// own fragments. A marker out of place (a fragment never ended, an `@end` with none begun, an
/// unknown `-- @word`) is an error naming its line.
fn for_backend(sql: &str, backend: Backend) -> Result<String, String> {
    let mut out = String::with_capacity(sql.len());
    let mut inside: Option<Backend> = None;
    for (index, line) in sql.lines().enumerate() {
        match (marker(line), inside) {
            (Some(Some(next)), _) => inside = Some(next),
            (Some(None), Some(_)) => inside = None,
            (Some(None), None) => return Err(format!("rad {}: @end utan början", index + 1)),
            (None, _) if line.trim().starts_with("-- @") => {
                return Err(format!(
                    "rad {}: okänd markering {:?}",
                    index + 1,
                    line.trim()
                ));
            }
            (None, Some(only)) if only != backend => {}
            (None, _) => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    match inside {
        Some(_) => Err("en -- @sqlite/-- @postgres-del slutar inte med -- @end".to_owned()),
        None => Ok(out),
    }
}

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
        // The catalog itself: `information_schema.tables` is a view whose planning alone took
        // 5 ms, on every command.
        Backend::Postgres => {
            "SELECT COUNT(*) AS n FROM pg_catalog.pg_class c \
             JOIN pg_catalog.pg_namespace s ON s.oid = c.relnamespace \
             WHERE s.nspname = current_schema() AND c.relname = 'schema_migrations'"
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
    // A database that has them all is only read: a role that may not create tables (the
    // application role of a shared PostgreSQL server, ARCHITECTURE.md) opens it too.
    if database_version(pool, backend).await? >= newest_version() {
        return Ok(());
    }
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
    let binary = newest_version();
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
        // `check_version` again, under the lock: another process may have migrated since.
        if let Some(database) = newest.filter(|newest| *newest > binary) {
            return Err(StoreError::SchemaTooNew { database, binary });
        }
        let applied = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *transaction)
            .await?
            .is_some();
        if applied {
            continue;
        }
        let sql = for_backend(migration.sql, backend)
            .map_err(|message| failed(migration, &message, None))?;
        for statement in statements(&sql) {
            sqlx::query(AssertSqlSafe(statement))
                .execute(&mut *transaction)
                .await
                .map_err(|error| failed(migration, &error.to_string(), Some(error)))?;
        }
        for (_, step) in STEPS.iter().filter(|(v, _)| *v == migration.version) {
            step.run(&mut transaction, backend)
                .await
                .map_err(|error| failed(migration, &error.to_string(), None))?;
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

    /// FNV-1a (64 bits) of a migration's statements on a backend, each followed by a NUL.
    fn fingerprint(statements: &[String]) -> u64 {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in statements.iter().flat_map(|s| s.bytes().chain([0])) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash
    }

    /// Every released migration: version, name and the fingerprints of its statements on
    /// SQLite and on PostgreSQL, as databases in use have applied them (taken from the two
    /// files per backend that 0006, 0008 and 0009 were before they became one). A migration is
    /// added here once it is released; from then on its statements must not change, or a
    /// database migrated before would differ from one migrated after. Comments may change.
    const RELEASED: &[(i64, &str, u64, u64)] = &[
        (1, "plan", 0x7879_11b1_3234_010e, 0x7879_11b1_3234_010e),
        (2, "audit_log", 0x9a51_0e2f_a9b8_d965, 0x9a51_0e2f_a9b8_d965),
        (3, "actuals", 0x497c_b113_96cd_9bf0, 0x497c_b113_96cd_9bf0),
        (4, "followup", 0x5785_616a_e9ef_c920, 0x5785_616a_e9ef_c920),
        (5, "users", 0xc7b4_b322_76ab_3b1d, 0xc7b4_b322_76ab_3b1d),
        (
            6,
            "append_only",
            0x44a6_b0cb_4c43_a65f,
            0x7485_8db1_d9f6_d849,
        ),
        (
            7,
            "plan_counter",
            0xbb16_94a4_7e42_96f6,
            0xbb16_94a4_7e42_96f6,
        ),
        (
            8,
            "lean_ledger",
            0xb083_5515_1399_e33c,
            0x330e_ca76_6db3_fa56,
        ),
        (
            9,
            "internal_control",
            0x9a5a_3edc_13fa_e66f,
            0x21e7_52e0_1d61_b62e,
        ),
        (10, "kolada", 0x66bd_8efd_eb67_e07a, 0x66bd_8efd_eb67_e07a),
        (
            11,
            "acknowledgements",
            0x4cb7_4ad1_5ef6_efe3,
            0x4cb7_4ad1_5ef6_efe3,
        ),
        (
            12,
            "login_throttle",
            0x2ef5_4621_f71a_89c2,
            0x2ef5_4621_f71a_89c2,
        ),
        (
            13,
            "synthetic_control",
            0xfbd9_76a9_0fbf_d44e,
            0xfbd9_76a9_0fbf_d44e,
        ),
        (
            14,
            "synthetic_periods",
            0xc722_adf3_1ec3_aa64,
            0xc722_adf3_1ec3_aa64,
        ),
        (
            15,
            "user_names",
            0xea67_9118_f304_d95c,
            0xea67_9118_f304_d95c,
        ),
        (
            16,
            "body_followup",
            0x1f8a_92f5_2a92_dfec,
            0x1076_a4ee_7659_3d0b,
        ),
        (17, "council", 0xd863_5a13_a61f_0179, 0xd863_5a13_a61f_0179),
        (
            18,
            "process_roles",
            0xdbda_1748_6c1e_43f4,
            0x6e31_e2ee_f1c0_2480,
        ),
        (19, "sections", 0xd597_f653_5dc0_8ce5, 0xd597_f653_5dc0_8ce5),
        (
            20,
            "budget_process",
            0x0865_ef26_a07d_63a4,
            0x9a3a_7921_a355_5edf,
        ),
        (
            21,
            "alternatives",
            0xbe68_dda0_d317_aff7,
            0xbe68_dda0_d317_aff7,
        ),
        (
            22,
            "frame_calculation",
            0xe7e0_9ce2_074c_e685,
            0xe7e0_9ce2_074c_e685,
        ),
        (
            23,
            "statements",
            0x205b_a3e2_99ed_f4c9,
            0x205b_a3e2_99ed_f4c9,
        ),
        (24, "geh", 0x574c_fb74_61ce_1424, 0x574c_fb74_61ce_1424),
        (
            25,
            "personnel",
            0xd3c4_73a2_f67a_bb08,
            0xd3c4_73a2_f67a_bb08,
        ),
        (
            26,
            "activity_measures",
            0x3bf3_162d_ee59_21fe,
            0x3bf3_162d_ee59_21fe,
        ),
        (
            27,
            "stored_versions",
            0xf6328cef8b5660c5,
            0xb1d19267695f5002,
        ),
        (28, "year_balances", 0x0d13969cfbe1d7dd, 0x0d13969cfbe1d7dd),
        (
            29,
            "ledger_partitions",
            0xcbf29ce484222325,
            0x06ec8c058ff0e351,
        ),
        (
            30,
            "ledger_rows_seek",
            0xfc476036c33f05c0,
            0xa659842d3e1d4b28,
        ),
        (31, "reminders", 0x29c1e864c6d473ca, 0x29c1e864c6d473ca),
        (32, "oidc", 0x90b186f6ab75c950, 0x90b186f6ab75c950),
        (33, "one_email", 0x4736bb6dcf1e004f, 0x4736bb6dcf1e004f),
        (34, "run_days", 0x80bca77dad112331, 0x80bca77dad112331),
        (35, "ledger_packs", 0xe83c2943cc15b0f9, 0x5c70178e0e6757fc),
        (
            36,
            "no_sums_month_index",
            0xa8100322e6c0b6c9,
            0xa8100322e6c0b6c9,
        ),
        (37, "voucher_packs", 0x139a9502b4ad0693, 0x7a1aa9923971adb2),
    ];

    fn fingerprints(migration: &Migration) -> (u64, u64) {
        let on = |backend| match for_backend(migration.sql, backend) {
            Ok(sql) => fingerprint(&statements(&sql)),
            Err(message) => panic!("migration {}: {message}", migration.version),
        };
        (on(Backend::Sqlite), on(Backend::Postgres))
    }

    #[test]
    fn released_migrations_run_the_statements_they_always_ran() {
        for &(version, name, sqlite, postgres) in RELEASED {
            let Some(migration) = MIGRATIONS.iter().find(|m| m.version == version) else {
                panic!("the released migration {version} ({name}) is gone");
            };
            assert_eq!(migration.name, name, "migration {version} was renamed");
            assert_eq!(
                fingerprints(migration),
                (sqlite, postgres),
                "the statements of the released migration {version} ({name}) changed: \
                 a change to a released schema is a new migration"
            );
        }
        // The ones not released yet: say what to add once they are.
        for migration in MIGRATIONS.iter().skip(RELEASED.len()) {
            let (sqlite, postgres) = fingerprints(migration);
            println!(
                "not yet in RELEASED: ({}, {:?}, {sqlite:#018x}, {postgres:#018x}),",
                migration.version, migration.name
            );
        }
    }

    #[test]
    fn fragments_are_for_their_backend_only() {
        let sql = "CREATE TABLE t (\n    x BIGINT\n-- @sqlite\n) WITHOUT ROWID;\n\
                   -- @postgres\n);\nCREATE INDEX i ON t USING brin (x);\n-- @end\n\
                   INSERT INTO t (x) VALUES (1);\n";
        let on = |backend| statements(&for_backend(sql, backend).unwrap());
        assert_eq!(
            on(Backend::Sqlite),
            vec![
                "CREATE TABLE t (\n    x BIGINT\n) WITHOUT ROWID",
                "INSERT INTO t (x) VALUES (1)"
            ]
        );
        assert_eq!(
            on(Backend::Postgres),
            vec![
                "CREATE TABLE t (\n    x BIGINT\n)",
                "CREATE INDEX i ON t USING brin (x)",
                "INSERT INTO t (x) VALUES (1)"
            ]
        );
    }

    #[test]
    fn a_marker_out_of_place_is_an_error() {
        for (sql, expected) in [
            ("-- @sqlite\nSELECT 1;\n", "slutar inte"),
            ("SELECT 1;\n-- @end\n", "rad 2: @end utan början"),
            ("-- @mysql\nSELECT 1;\n", "rad 1: okänd markering"),
        ] {
            let error = for_backend(sql, Backend::Sqlite).unwrap_err();
            assert!(error.contains(expected), "{sql:?}: {error}");
        }
    }

    #[test]
    fn migrations_are_numbered_in_order() {
        let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        // Contiguous from 1, in order.
        assert_eq!(versions, (1..=versions.len() as i64).collect::<Vec<i64>>());
        assert_eq!(statements(MIGRATIONS[0].sql).len(), 38);
        assert_eq!(statements(MIGRATIONS[1].sql).len(), 3);
        assert_eq!(statements(MIGRATIONS[2].sql).len(), 9);
    }
}
