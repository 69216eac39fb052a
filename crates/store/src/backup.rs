//! Backing up and restoring a whole database.
//!
//! - SQLite: SQLite's online backup API (`sqlite3_backup_*`, through `rusqlite`) copies every
//!   page of the database in one step, inside one read transaction: the copy is the database
//!   as of one commit, and because the file is in WAL mode a running server keeps writing
//!   meanwhile. The copy is written to a temporary file beside the output, checked (`PRAGMA
//!   integrity_check`, the migrations table), switched to a single-file journal and only then
//!   renamed to the output name: a backup file is complete or absent. A restore copies the
//!   backup into the target through the same API.
//! - PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot: a consistent dump
//!   while the server runs); a restore streams `pg_restore`'s SQL into `psql` in one
//!   transaction, so a failed restore leaves the target as it was. The programs are found on
//!   `PATH`, or in the folder `STYR_PG_BIN` names; a password in the URL is handed over in
//!   `PGPASSWORD`, never on a command line.
//!
//! A backup whose schema is newer than this program's migrations is refused before anything is
//! written; an older one is migrated forward after the restore, as any database is when opened.

use crate::connect::{self, Backend, Create};
use crate::{StoreError, migrate};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    /// `SQLite` or `PostgreSQL`.
    pub backend: &'static str,
    /// The backed-up database's schema version.
    pub schema_version: i64,
    /// The size of the backup file.
    pub bytes: u64,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreSummary {
    pub backend: &'static str,
    /// The backup's schema version.
    pub backup_version: i64,
    /// The restored database's schema version after migrating it forward.
    pub schema_version: i64,
    /// Whether a database that held tables was replaced (`--force`).
    pub replaced: bool,
}

fn failed(message: impl Into<String>) -> StoreError {
    StoreError::Backup(message.into())
}

fn io_failed(what: &str, path: &Path, error: &std::io::Error) -> StoreError {
    failed(format!("{what} {}: {error}", path.display()))
}

/// What a backup file holds, by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BackupKind {
    Sqlite,
    PgDump,
}

fn backup_kind(path: &Path) -> Result<BackupKind, StoreError> {
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path)
        .map_err(|error| io_failed("kan inte läsa säkerhetskopian", path, &error))?;
    let read = file
        .read(&mut head)
        .map_err(|error| io_failed("kan inte läsa säkerhetskopian", path, &error))?;
    if head[..read].starts_with(b"SQLite format 3\0") {
        Ok(BackupKind::Sqlite)
    } else if head[..read].starts_with(b"PGDMP") {
        Ok(BackupKind::PgDump)
    } else {
        Err(failed(format!(
            "{} är ingen säkerhetskopia av styr (varken en SQLite-databas eller en pg_dump-fil)",
            path.display()
        )))
    }
}

/// Backs up the database `url` names into `out` (replaced when it exists).
pub async fn backup(url: &str, backend: Backend, out: &Path) -> Result<BackupSummary, StoreError> {
    let target = connect::target(url);
    match backend {
        Backend::Sqlite => {
            let Some(file) = target.file else {
                return Err(failed(
                    "en databas i minnet kan inte säkerhetskopieras: den finns bara i sin process",
                ));
            };
            let schema_version = backup_sqlite(Path::new(&file), out)?;
            Ok(BackupSummary {
                backend: "SQLite",
                schema_version,
                bytes: size(out),
            })
        }
        Backend::Postgres => {
            let temp = temporary_beside(out)?;
            let (url, password) = split_password(url);
            let mut command = pg_command("pg_dump", password.as_deref());
            command
                .arg("--format=custom")
                .arg("--no-owner")
                .arg("--no-privileges")
                .arg("--file")
                .arg(temp.path())
                .arg("--dbname")
                .arg(&url);
            run(command, "pg_dump")?;
            let schema_version = pg_dump_version(temp.path())?;
            persist(temp, out)?;
            Ok(BackupSummary {
                backend: "PostgreSQL",
                schema_version,
                bytes: size(out),
            })
        }
    }
}

fn size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// A temporary file in the output's folder, so that the final rename stays on one file system.
fn temporary_beside(out: &Path) -> Result<tempfile::NamedTempFile, StoreError> {
    let folder = match out.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    tempfile::Builder::new()
        .prefix(".styr-backup-")
        .tempfile_in(&folder)
        .map_err(|error| io_failed("kan inte skriva i mappen", &folder, &error))
}

fn persist(temp: tempfile::NamedTempFile, out: &Path) -> Result<(), StoreError> {
    temp.as_file()
        .sync_all()
        .map_err(|error| io_failed("kan inte skriva", temp.path(), &error))?;
    temp.persist(out)
        .map_err(|error| io_failed("kan inte skriva", out, &error.error))?;
    Ok(())
}

/// Copies every page of `from` into `to` in one step (one read transaction on the source),
/// retrying while another connection holds a lock that stops it.
fn copy_pages(
    from: &rusqlite::Connection,
    to: &mut rusqlite::Connection,
) -> Result<(), StoreError> {
    use rusqlite::backup::{Backup, StepResult};
    let backup = Backup::new(from, to)?;
    let mut waits = 0;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ => {
                waits += 1;
                if waits > 600 {
                    return Err(failed(
                        "databasen var låst i 30 s: säkerhetskopieringen gav upp (inget skrevs)",
                    ));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

fn backup_sqlite(source: &Path, out: &Path) -> Result<i64, StoreError> {
    use rusqlite::OpenFlags;
    let from = rusqlite::Connection::open_with_flags(
        source,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    from.busy_timeout(Duration::from_secs(5))?;
    let temp = temporary_beside(out)?;
    let version = {
        let mut to = rusqlite::Connection::open(temp.path())?;
        copy_pages(&from, &mut to)?;
        // One self-contained file: the copy of a WAL database would otherwise say WAL.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        verify_sqlite(&to, out)?
    };
    drop(from);
    persist(temp, out)?;
    Ok(version)
}

/// Checks a SQLite database file as a backup: intact, and styr's (it has its migrations);
/// gives its schema version.
fn verify_sqlite(connection: &rusqlite::Connection, path: &Path) -> Result<i64, StoreError> {
    let mut statement = connection.prepare("PRAGMA integrity_check")?;
    let problems: Vec<String> = statement
        .query_map([], |row| row.get::<_, String>(0))?
        .collect::<Result<_, _>>()?;
    if problems != ["ok"] {
        return Err(failed(format!(
            "{} är skadad (PRAGMA integrity_check: {})",
            path.display(),
            problems.join("; ")
        )));
    }
    let tables: i64 = connection.query_row(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        [],
        |row| row.get(0),
    )?;
    if tables == 0 {
        return Err(failed(format!(
            "{} är ingen styr-databas (tabellen schema_migrations saknas)",
            path.display()
        )));
    }
    let version: Option<i64> =
        connection.query_row("SELECT MAX(version) FROM schema_migrations", [], |row| {
            row.get(0)
        })?;
    Ok(version.unwrap_or(0))
}

/// Restores the backup file into the database `url` names. A target that holds tables is
/// refused unless `force`; a backup from a newer schema always is. Migrates the restored
/// database forward.
pub async fn restore(url: &str, backup: &Path, force: bool) -> Result<RestoreSummary, StoreError> {
    let target = connect::target(url);
    let kind = backup_kind(backup)?;
    let binary = migrate::newest_version();
    let (backend, backup_version, replaced) = match (kind, target.backend) {
        (BackupKind::Sqlite, Backend::Sqlite) => {
            let Some(file) = target.file else {
                return Err(failed("en databas i minnet kan inte återställas till"));
            };
            let (version, replaced) = restore_sqlite(backup, Path::new(&file), force, binary)?;
            ("SQLite", version, replaced)
        }
        (BackupKind::PgDump, Backend::Postgres) => {
            let (version, replaced) = restore_postgres(url, backup, force, binary).await?;
            ("PostgreSQL", version, replaced)
        }
        (BackupKind::Sqlite, Backend::Postgres) => {
            return Err(failed(format!(
                "{} är en SQLite-databas och kan inte återställas till PostgreSQL",
                backup.display()
            )));
        }
        (BackupKind::PgDump, Backend::Sqlite) => {
            return Err(failed(format!(
                "{} är en pg_dump-fil från PostgreSQL och kan inte återställas till en \
                 SQLite-databas",
                backup.display()
            )));
        }
    };
    // Bring an older backup's schema forward, as opening any database does.
    let (pool, backend_now) = connect::connect(url, Create::Never).await?;
    let migrated = async {
        migrate::run(&pool, backend_now).await?;
        migrate::database_version(&pool, backend_now).await
    }
    .await;
    pool.close().await;
    Ok(RestoreSummary {
        backend,
        backup_version,
        schema_version: migrated?,
        replaced,
    })
}

fn too_new(backup: &Path, version: i64, binary: i64) -> Result<(), StoreError> {
    if version > binary {
        return Err(StoreError::BackupTooNew {
            path: backup.display().to_string(),
            backup: version,
            binary,
        });
    }
    Ok(())
}

fn not_empty(target: &str, tables: i64, force: bool) -> Result<bool, StoreError> {
    match (tables, force) {
        (0, _) => Ok(false),
        (_, true) => Ok(true),
        (tables, false) => Err(failed(format!(
            "databasen {target} är inte tom ({tables} tabeller): återställ till en ny databas, \
             eller ange --force för att ersätta allt den innehåller (inget ändrades)"
        ))),
    }
}

fn restore_sqlite(
    backup: &Path,
    target: &Path,
    force: bool,
    binary: i64,
) -> Result<(i64, bool), StoreError> {
    use rusqlite::OpenFlags;
    let from = rusqlite::Connection::open_with_flags(
        backup,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let version = verify_sqlite(&from, backup)?;
    too_new(backup, version, binary)?;
    let tables: i64 = if target.exists() {
        let existing = rusqlite::Connection::open_with_flags(
            target,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        existing.query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |row| row.get(0),
        )?
    } else {
        0
    };
    let replaced = not_empty(&target.display().to_string(), tables, force)?;
    let mut to = rusqlite::Connection::open(target)?;
    to.busy_timeout(Duration::from_secs(5))?;
    copy_pages(&from, &mut to)?;
    // The server's mode: a journal beside the file, readers never blocked by a writer.
    to.pragma_update(None, "journal_mode", "WAL")?;
    Ok((version, replaced))
}

async fn restore_postgres(
    url: &str,
    backup: &Path,
    force: bool,
    binary: i64,
) -> Result<(i64, bool), StoreError> {
    let version = pg_dump_version(backup)?;
    too_new(backup, version, binary)?;
    let (pool, _) = connect::connect(url, Create::IfMissing).await?;
    let tables: Result<i64, sqlx::Error> = sqlx::Row::try_get(
        &sqlx::query(
            "SELECT COUNT(*) AS n FROM information_schema.tables \
             WHERE table_schema = current_schema()",
        )
        .fetch_one(&pool)
        .await?,
        "n",
    );
    pool.close().await;
    let replaced = not_empty(&without_password(url), tables?, force)?;

    let (plain_url, password) = split_password(url);
    let mut restore = pg_command("pg_restore", password.as_deref());
    restore
        .arg("--no-owner")
        .arg("--no-privileges")
        .arg("--file=-")
        .arg(backup)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut psql = pg_command("psql", password.as_deref());
    psql.arg("--no-psqlrc")
        .arg("--quiet")
        .arg("--single-transaction")
        .arg("--set=ON_ERROR_STOP=1")
        .arg("--dbname")
        .arg(&plain_url)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let mut restore = spawn(restore, "pg_restore")?;
    let mut psql = spawn(psql, "psql")?;
    let mut sql_in = psql
        .stdin
        .take()
        .ok_or_else(|| failed("psql tog inte emot"))?;
    let mut sql_out = restore
        .stdout
        .take()
        .ok_or_else(|| failed("pg_restore gav ingenting"))?;
    let streamed = (|| {
        if replaced {
            sql_in.write_all(DROP_EVERYTHING.as_bytes())?;
        }
        std::io::copy(&mut sql_out, &mut sql_in)?;
        sql_in.flush()
    })();
    drop(sql_in);
    // pg_restore must not wait to write to a pipe nobody reads (psql stopped at an error).
    drop(sql_out);
    let restored = restore
        .wait_with_output()
        .map_err(|error| failed(format!("pg_restore: {error}")))?;
    let applied = psql
        .wait_with_output()
        .map_err(|error| failed(format!("psql: {error}")))?;
    if !applied.status.success() {
        return Err(failed(format!(
            "återställningen misslyckades och rullades tillbaka (inget ändrades): psql: {}",
            String::from_utf8_lossy(&applied.stderr).trim()
        )));
    }
    if !restored.status.success() {
        return Err(failed(format!(
            "pg_restore kunde inte läsa {}: {}",
            backup.display(),
            String::from_utf8_lossy(&restored.stderr).trim()
        )));
    }
    streamed.map_err(|error| failed(format!("återställningen avbröts: {error}")))?;
    Ok((version, replaced))
}

/// Run first in the restore's transaction when `--force` replaces a database: every table,
/// sequence and function of the current schema goes (functions of extensions stay).
const DROP_EVERYTHING: &str = "DO $$ DECLARE r record; BEGIN \
     FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP \
     EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename); END LOOP; \
     FOR r IN SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema() LOOP \
     EXECUTE format('DROP SEQUENCE IF EXISTS %I CASCADE', r.sequencename); END LOOP; \
     FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p \
     WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS \
     (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e') LOOP \
     EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.f); END LOOP; END $$;\n";

/// The schema version inside a pg_dump archive: the largest version in its
/// `schema_migrations` data.
fn pg_dump_version(archive: &Path) -> Result<i64, StoreError> {
    let mut command = pg_command("pg_restore", None);
    command
        .arg("--data-only")
        .arg("--table=schema_migrations")
        .arg("--file=-")
        .arg(archive);
    let output = run(command, "pg_restore")?;
    let text = String::from_utf8_lossy(&output);
    let mut in_copy = false;
    let mut newest: Option<i64> = None;
    for line in text.lines() {
        if line.starts_with("COPY ") && line.contains("schema_migrations") {
            in_copy = true;
        } else if in_copy && line == "\\." {
            in_copy = false;
        } else if in_copy {
            let version = line.split('\t').next().and_then(|v| v.parse::<i64>().ok());
            newest = newest.max(version);
        }
    }
    newest.ok_or_else(|| {
        failed(format!(
            "{} är ingen säkerhetskopia av en styr-databas (tabellen schema_migrations saknas)",
            archive.display()
        ))
    })
}

/// A PostgreSQL client program: in the folder `STYR_PG_BIN` names, else on `PATH`.
fn pg_command(program: &str, password: Option<&str>) -> Command {
    let path = match std::env::var_os("STYR_PG_BIN") {
        Some(folder) if !folder.is_empty() => PathBuf::from(folder).join(program),
        _ => PathBuf::from(program),
    };
    let mut command = Command::new(path);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    command
}

fn spawn(mut command: Command, program: &str) -> Result<std::process::Child, StoreError> {
    command
        .spawn()
        .map_err(|error| not_started(program, &error))
}

fn not_started(program: &str, error: &std::io::Error) -> StoreError {
    if error.kind() == std::io::ErrorKind::NotFound {
        failed(format!(
            "{program} finns inte: installera PostgreSQL-klienten (Debian: postgresql-client, \
             samma huvudversion som servern) eller ange dess mapp i STYR_PG_BIN"
        ))
    } else {
        failed(format!("kan inte starta {program}: {error}"))
    }
}

/// Runs a program to its end; its standard output, or its error output as the failure.
fn run(mut command: Command, program: &str) -> Result<Vec<u8>, StoreError> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|error| not_started(program, &error))?;
    if !output.status.success() {
        return Err(failed(format!(
            "{program} misslyckades: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(output.stdout)
}

/// The URL without its password, and the password (percent-decoded): libpq reads it from
/// `PGPASSWORD`, so it never shows in a process list.
fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_owned(), None);
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else {
        return (url.to_owned(), None);
    };
    match rest[..at].split_once(':') {
        Some((user, password)) => (
            format!("{scheme}://{user}{}", &rest[at..]),
            Some(percent_decode(password)),
        ),
        None => (url.to_owned(), None),
    }
}

fn without_password(url: &str) -> String {
    split_password(url).0
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&high), Some(&low)) if hex(high).is_some() && hex(low).is_some() => {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_go_to_the_environment() {
        assert_eq!(
            split_password("postgres://styr:hem%40ligt@db:5432/styr?sslmode=require"),
            (
                "postgres://styr@db:5432/styr?sslmode=require".to_owned(),
                Some("hem@ligt".to_owned())
            )
        );
        assert_eq!(
            split_password("postgres://styr@db/styr"),
            ("postgres://styr@db/styr".to_owned(), None)
        );
        assert_eq!(split_password("styr.db"), ("styr.db".to_owned(), None));
    }
}
