//! Opening a database: which backend a URL names, the connection URL sqlx is given, and the
//! per-connection settings (SQLite: WAL, busy timeout, foreign keys).
//!
//! Opening fails early and says why: a SQLite file that a reading command names but that does
//! not exist is not created ([`StoreError::NoDatabase`]), and a PostgreSQL server is tried with
//! one direct connection of at most [`CONNECT_TIMEOUT`] before the pool is made, so that a
//! refused or unanswered connection is reported with its host and port at once rather than
//! after the pool's acquire time-out ([`StoreError::Unreachable`]).
//!
//! The backend is decided here once; the rest of the store uses it only where SQL cannot be
//! the same on both: how a write transaction begins and how migrations are locked. No query
//! text depends on it.

use crate::StoreError;
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::time::Duration;

/// The database behind the `Any` driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How long the first connection to a PostgreSQL server may take before opening fails.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether opening a SQLite database may create its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Create {
    /// Create the file when it is missing (commands that fill a database).
    IfMissing,
    /// Fail with [`StoreError::NoDatabase`] when it is missing (commands that only read or
    /// change what is stored).
    Never,
}

/// What a `Store::open` URL names: the backend, the URL for sqlx, whether it is an in-memory
/// SQLite database (which exists only inside its one connection), and the SQLite file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub backend: Backend,
    pub url: String,
    pub in_memory: bool,
    /// The SQLite database file, as a path (decoded from the URL); `None` for PostgreSQL and
    /// in-memory databases.
    pub file: Option<String>,
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
    target_with(url, Create::IfMissing)
}

/// Classifies a URL as [`target`] does; with [`Create::Never`] a SQLite URL that names no mode
/// gets `mode=rw` (open, never create) instead of `mode=rwc`.
pub fn target_with(url: &str, create: Create) -> Target {
    let mode = match create {
        Create::IfMissing => "mode=rwc",
        Create::Never => "mode=rw",
    };
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Target {
            backend: Backend::Postgres,
            url: url.to_owned(),
            in_memory: false,
            file: None,
        };
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let (database, query) = rest.split_once('?').unwrap_or((rest, ""));
        let database = database.trim_start_matches("//");
        let in_memory = database == ":memory:" || query.split('&').any(|p| p == "mode=memory");
        let has_mode = query.split('&').any(|p| p.starts_with("mode="));
        let url = match (query.is_empty(), has_mode || in_memory) {
            (_, true) => url.to_owned(),
            (true, false) => format!("{url}?{mode}"),
            (false, false) => format!("{url}&{mode}"),
        };
        return Target {
            backend: Backend::Sqlite,
            url,
            in_memory,
            file: (!in_memory).then(|| decode_path(database)),
        };
    }
    Target {
        backend: Backend::Sqlite,
        url: format!("sqlite:{}?{mode}", encode_path(url)),
        in_memory: false,
        file: Some(url.to_owned()),
    }
}

/// Decodes the `%XX` escapes of a `sqlite:` URL's path (as sqlx does); anything else as it stands.
fn decode_path(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(high), Some(low)) if hex(high).is_some() && hex(low).is_some() => {
                let value = hex(high).unwrap_or(0) * 16 + hex(low).unwrap_or(0);
                out.push(u8::try_from(value).unwrap_or(b'?'));
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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

/// Opens a pool on the database the URL names: a missing SQLite file is created or refused as
/// `create` says; a PostgreSQL server must accept one connection within [`CONNECT_TIMEOUT`].
pub async fn connect(url: &str, create: Create) -> Result<(AnyPool, Backend), StoreError> {
    let (pool, backend, _watch) = connect_watched(url, create).await?;
    Ok((pool, backend))
}

/// Opens a pool as [`connect`] does; a PostgreSQL URL that names several servers (or
/// `target_session_attrs`) opens on the first that will do, with the watcher that moves the pool
/// to another when that one is lost ([`crate::failover`]): the pool follows it while the
/// [`Watch`](crate::failover::Watch) is kept.
pub async fn connect_watched(
    url: &str,
    create: Create,
) -> Result<(AnyPool, Backend, Option<crate::failover::Watch>), StoreError> {
    sqlx::any::install_default_drivers();
    if target(url).backend == Backend::Postgres
        && let Some(servers) = crate::failover::servers(url)?
    {
        let options = AnyPoolOptions::new()
            .acquire_timeout(Duration::from_secs(30))
            .max_connections(5);
        let (pool, watch) = crate::failover::connect(servers, options).await?;
        return Ok((pool, Backend::Postgres, Some(watch)));
    }
    let target = target_with(url, create);
    match (&target.file, create) {
        (Some(file), Create::Never) if !std::path::Path::new(file).exists() => {
            return Err(StoreError::NoDatabase { path: file.clone() });
        }
        _ => {}
    }
    if target.backend == Backend::Postgres {
        first_connection(&target.url).await?;
    }
    let mut options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(30));
    options = match (target.backend, target.in_memory) {
        (Backend::Postgres, _) => options.max_connections(5).after_connect(|connection, _| {
            Box::pin(async move { postgres_settings(connection).await })
        }),
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
    Ok((pool, target.backend, None))
}

/// One direct connection to a PostgreSQL server, closed again: the pool retries a refused
/// connection until its acquire time-out, so without this a wrong port or a stopped server
/// would take 30 s and end in "pool timed out".
async fn first_connection(url: &str) -> Result<(), StoreError> {
    let (host, port) = match url.parse::<sqlx::postgres::PgConnectOptions>() {
        Ok(options) => (options.get_host().to_owned(), options.get_port()),
        Err(error) => return Err(StoreError::Database(error)),
    };
    let unreachable = |reason: String| StoreError::Unreachable {
        host: host.clone(),
        port,
        reason,
    };
    match tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect(url)).await {
        Err(_) => Err(unreachable(format!(
            "ingen svarade inom {} s",
            CONNECT_TIMEOUT.as_secs()
        ))),
        Ok(Err(error)) => Err(unreachable(connect_failure(&error))),
        Ok(Ok(connection)) => {
            // The server answered; a failure to say goodbye is no reason to fail.
            let _ = connection.close().await;
            Ok(())
        }
    }
}

/// Why a connection failed, in words a person can act on.
pub(crate) fn connect_failure(error: &sqlx::Error) -> String {
    use std::io::ErrorKind;
    match error {
        sqlx::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => {
                "anslutningen nekades (ingen databasserver lyssnar där; fel port, \
                 eller är servern stoppad?)"
                    .to_owned()
            }
            ErrorKind::TimedOut => "ingen svarade (tidsgränsen gick ut)".to_owned(),
            ErrorKind::HostUnreachable | ErrorKind::NetworkUnreachable => {
                format!("värden går inte att nå ({io})")
            }
            _ => io.to_string(),
        },
        sqlx::Error::Database(database) => format!("servern svarade: {}", database.message()),
        other => other.to_string(),
    }
}

/// No JIT compilation: styr's statements are short lookups and seeks, which PostgreSQL's JIT
/// (on above a cost estimate, e.g. a drill-down page's joins) made 20–50 ms slower each.
pub(crate) async fn postgres_settings(connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    connection.execute("SET jit = off").await?;
    Ok(())
}

async fn sqlite_settings(connection: &mut AnyConnection) -> Result<(), sqlx::Error> {
    connection.execute("PRAGMA busy_timeout = 5000").await?;
    connection.execute("PRAGMA foreign_keys = ON").await?;
    connection.execute("PRAGMA journal_mode = WAL").await?;
    Ok(())
}

/// The next change number, on SQLite from the `import` counter (whose row the statement locks
/// on PostgreSQL too, serialising the writer with every other serialised writer), on PostgreSQL
/// from the sequence `change_seq` (migration 0027), which [`begin_change`] draws from as well.
pub(crate) const NEXT_SEQ_SQLITE: &str =
    "UPDATE counters SET value = value + 1 WHERE name = 'import' RETURNING value";
pub(crate) const NEXT_SEQ_POSTGRES: &str = "UPDATE counters SET value = value + 1 \
     WHERE name = 'import' RETURNING nextval('change_seq') AS value";

fn next_seq_sql(connection: &AnyConnection) -> &'static str {
    match backend_of(connection) {
        Backend::Postgres => NEXT_SEQ_POSTGRES,
        Backend::Sqlite => NEXT_SEQ_SQLITE,
    }
}

/// The database a connection of the `Any` driver talks to.
pub(crate) fn backend_of(connection: &AnyConnection) -> Backend {
    if connection.backend_name().eq_ignore_ascii_case("postgresql") {
        Backend::Postgres
    } else {
        Backend::Sqlite
    }
}

/// Begins a write transaction that is serialised with every other write, and returns it with
/// the next change number (the order of imports and audit rows).
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
    let seq = next_seq(&mut transaction).await?;
    Ok((transaction, seq))
}

/// The next change number inside a transaction begun by [`begin_serialised`]: for a
/// transaction that records several changes (several plans imported all-or-nothing), each with
/// its own audit row.
pub async fn next_seq(connection: &mut sqlx::AnyConnection) -> Result<i64, StoreError> {
    let sql = next_seq_sql(connection);
    Ok(sqlx::Row::try_get(
        &sqlx::query(sql).fetch_one(connection).await?,
        "value",
    )?)
}

/// How many counters writers of versioned records move on PostgreSQL (`import.1` …, migration
/// 0027).
pub(crate) const CHANGE_COUNTERS: i64 = 15;

/// A write of versioned records (follow-up reports, outcomes of measures): a transaction and
/// its change number, not serialised with other such writes on PostgreSQL. Who wins a record
/// is decided by its version ([`crate::versioned`]), not by a lock taken up front; checks of
/// other rows lock what they read (a period's state: `FOR SHARE`, see `followup`).
pub struct Change {
    pub transaction: sqlx::Transaction<'static, sqlx::Any>,
    pub seq: i64,
    backend: Backend,
}

/// Begins a [`Change`]. SQLite has one writer: `BEGIN IMMEDIATE` takes the write lock, waiting
/// up to the busy timeout, and the number comes from the counter as for every write. On
/// PostgreSQL the number comes from the sequence `change_seq` and the change counter moves at
/// commit ([`Change::commit`]), on one of several rows, so that writers do not queue on one.
pub async fn begin_change(pool: &AnyPool, backend: Backend) -> Result<Change, StoreError> {
    let (transaction, seq) = match backend {
        Backend::Sqlite => begin_serialised(pool, backend).await?,
        Backend::Postgres => {
            let mut transaction = pool.begin().await?;
            let seq: i64 = sqlx::Row::try_get(
                &sqlx::query("SELECT nextval('change_seq') AS value")
                    .fetch_one(&mut *transaction)
                    .await?,
                "value",
            )?;
            (transaction, seq)
        }
    };
    Ok(Change {
        transaction,
        seq,
        backend,
    })
}

impl Change {
    /// Moves the change counter (PostgreSQL: one of the `import.N` rows, held only until the
    /// commit) and commits.
    pub async fn commit(mut self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            let name = format!("import.{}", self.seq.rem_euclid(CHANGE_COUNTERS) + 1);
            sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1")
                .bind(name)
                .execute(&mut *self.transaction)
                .await?;
        }
        self.transaction.commit().await?;
        Ok(())
    }
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

/// Moves the `plan` counter as [`plan_changed`] does and gives its new value: the generation
/// of the plans as this transaction leaves them.
pub async fn plan_changed_to(connection: &mut sqlx::AnyConnection) -> Result<i64, StoreError> {
    Ok(sqlx::Row::try_get(
        &sqlx::query("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value")
            .bind("plan")
            .fetch_one(connection)
            .await?,
        "value",
    )?)
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
        assert_eq!(target.file.as_deref(), Some("/tmp/mina planer/styr #1.db"));
    }

    #[test]
    fn reading_commands_never_create_the_file() {
        let never = |url| target_with(url, Create::Never);
        assert_eq!(never("data/styr.db").url, "sqlite:data/styr.db?mode=rw");
        assert_eq!(never("sqlite:b.db").url, "sqlite:b.db?mode=rw");
        assert_eq!(never("sqlite:b.db?mode=ro").url, "sqlite:b.db?mode=ro");
        assert_eq!(
            never("sqlite:///a/mina%20planer/b%231.db?cache=shared").file,
            Some("/a/mina planer/b#1.db".to_owned())
        );
        assert_eq!(never("data/styr.db").file, Some("data/styr.db".to_owned()));
        assert_eq!(never("sqlite::memory:").file, None);
        assert_eq!(never("postgres://h/db").file, None);
        assert_eq!(decode_path("a%2"), "a%2");
    }
}
