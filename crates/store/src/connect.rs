//! Opening a database: which backend a URL names, the connection URL sqlx is given, and the
//! per-connection settings (SQLite: WAL, busy timeout, foreign keys).
//!
//! The backend is decided here once; the rest of the store uses it only where SQL cannot be
//! the same on both: how a write transaction begins and how migrations are locked. No query
//! text depends on it.

use crate::StoreError;
use sqlx::AnyConnection;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};
use std::time::Duration;

/// The database behind the `Any` driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// What a `Store::open` URL names: the backend, the URL for sqlx, and whether it is an
/// in-memory SQLite database (which exists only inside its one connection).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub backend: Backend,
    pub url: String,
    pub in_memory: bool,
}

impl Target {
    /// Whether the URL opens a SQLite database read-only (`mode=ro` or `immutable=1`).
    pub fn read_only(&self) -> bool {
        self.backend == Backend::Sqlite
            && self.url.split_once('?').is_some_and(|(_, query)| {
                query
                    .split('&')
                    .any(|p| p == "mode=ro" || p == "immutable=1")
            })
    }
}

/// Classifies a URL: `postgres://`/`postgresql://` is PostgreSQL; `sqlite:` is SQLite (given
/// `mode=rwc` unless it names a mode); anything else is the path of a SQLite file.
pub fn target(url: &str) -> Target {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Target {
            backend: Backend::Postgres,
            url: url.to_owned(),
            in_memory: false,
        };
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let (database, query) = rest.split_once('?').unwrap_or((rest, ""));
        let database = database.trim_start_matches("//");
        let in_memory = database == ":memory:" || query.split('&').any(|p| p == "mode=memory");
        let has_mode = query.split('&').any(|p| p.starts_with("mode="));
        let url = match (query.is_empty(), has_mode || in_memory) {
            (_, true) => url.to_owned(),
            (true, false) => format!("{url}?mode=rwc"),
            (false, false) => format!("{url}&mode=rwc"),
        };
        return Target {
            backend: Backend::Sqlite,
            url,
            in_memory,
        };
    }
    Target {
        backend: Backend::Sqlite,
        url: format!("sqlite:{}?mode=rwc", encode_path(url)),
        in_memory: false,
    }
}

/// Percent-encodes a file path for a `sqlite:` URL: everything but unreserved characters and
/// `/` (sqlx decodes it again), so that spaces, `?`, `#` and `%` in names survive.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Opens a pool on the database the URL names.
pub async fn connect(url: &str) -> Result<(AnyPool, Backend), StoreError> {
    sqlx::any::install_default_drivers();
    let target = target(url);
    let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
    options = match (target.backend, target.in_memory) {
        (Backend::Postgres, _) => options.max_connections(5),
        (Backend::Sqlite, false) => options.max_connections(4).after_connect(|connection, _| {
            Box::pin(async move { sqlite_settings(connection).await })
        }),
        // Every connection to an in-memory database is a database of its own: keep one.
        (Backend::Sqlite, true) => options
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(|connection, _| {
                Box::pin(async move { sqlite_settings(connection).await })
            }),
    };
    let pool = options.connect(&target.url).await?;
    Ok((pool, target.backend))
}

async fn sqlite_settings(connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    connection.execute("PRAGMA busy_timeout = 5000").await?;
    connection.execute("PRAGMA foreign_keys = ON").await?;
    connection.execute("PRAGMA journal_mode = WAL").await?;
    Ok(())
}

/// Begins a write transaction that is serialised with every other write, and returns it with
/// the next value of the write counter (the order of imports and audit rows).
///
/// SQLite takes the write lock at BEGIN, waiting up to the busy timeout (a deferred transaction
/// that reads first fails at once when another writer got there in between). On PostgreSQL the
/// counter row's lock serialises writers until commit, so a check made inside the transaction
/// (is the stored version decided?) cannot go stale.
pub async fn begin_serialised(
    pool: &AnyPool,
    backend: Backend,
) -> Result<(sqlx::Transaction<'static, sqlx::Any>, i64), StoreError> {
    let mut transaction = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => pool.begin().await?,
    };
    let seq: i64 = sqlx::Row::try_get(
        &sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value")
            .bind("import")
            .fetch_one(&mut *transaction)
            .await?,
        "value",
    )?;
    Ok((transaction, seq))
}

/// Moves the `plan` counter, inside a writing transaction that changes what a loaded plan holds
/// (see migration 0007).
pub async fn plan_changed(connection: &mut sqlx::AnyConnection) -> Result<(), StoreError> {
    sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1")
        .bind("plan")
        .execute(connection)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_are_postgres() {
        for url in ["postgres://styr@127.0.0.1:5432/styr", "postgresql://h/db"] {
            assert_eq!(target(url).backend, Backend::Postgres);
            assert_eq!(target(url).url, url);
        }
    }

    #[test]
    fn sqlite_urls_get_create_mode() {
        assert_eq!(target("sqlite:styr.db").url, "sqlite:styr.db?mode=rwc");
        assert_eq!(
            target("sqlite:///a/b.db?cache=shared").url,
            "sqlite:///a/b.db?cache=shared&mode=rwc"
        );
        assert_eq!(target("sqlite:b.db?mode=ro").url, "sqlite:b.db?mode=ro");
        assert!(target("sqlite:b.db?mode=ro").read_only());
        assert!(target("sqlite:b.db?immutable=1").read_only());
        assert!(!target("sqlite:b.db").read_only());
        assert!(!target("b.db").read_only());
        assert!(target("sqlite::memory:").in_memory);
        assert_eq!(target("sqlite::memory:").url, "sqlite::memory:");
    }

    #[test]
    fn plain_paths_are_sqlite_files() {
        let target = target("/tmp/mina planer/styr #1.db");
        assert_eq!(target.backend, Backend::Sqlite);
        assert_eq!(
            target.url,
            "sqlite:/tmp/mina%20planer/styr%20%231.db?mode=rwc"
        );
        assert!(!target.in_memory);
        assert_eq!(
            super::target("data/styr.db").url,
            "sqlite:data/styr.db?mode=rwc"
        );
    }
}
