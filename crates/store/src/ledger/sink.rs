//! Where a ledger import's rows go: the two implementations of the write protocol's
//! [`TableWriter`], each holding its database's open write transaction.
//!
//! - SQLite: its own `rusqlite` connection to the database file (sqlx's `Any` driver converts
//!   and sends every value to a worker thread, minutes for millions of rows), `BEGIN
//!   IMMEDIATE`, rows bound by position into statements of [`SQLITE_BATCH`] rows prepared once.
//!   The database keeps its journal (WAL): a crash at any moment leaves what was committed.
//! - PostgreSQL: its own connection, `BEGIN`, and every table's rows spooled in `COPY` text
//!   format to an unnamed temporary file, then sent with `COPY … FROM STDIN` at commit: a
//!   `COPY` stream holds one table, and the protocol writes several tables at once.
//!
//! Both take the write counter in the transaction (`UPDATE counters … RETURNING`), which
//! serialises them with every other writer, and both roll back when dropped uncommitted.

use super::tables::{OF_A_FILE, Table, TableWriter};
use crate::StoreError;
use crate::row::Value;
use sqlx::{Connection as _, PgConnection};
use std::io::{BufWriter, Read, Seek, Write};
use std::path::Path;

/// Rows per SQLite INSERT statement.
const SQLITE_BATCH: usize = 64;

/// A database's open import transaction.
pub(crate) enum Sink {
    Sqlite(SqliteSink),
    Postgres(PostgresSink),
}

impl TableWriter for Sink {
    fn insert(&mut self, table: &'static Table, values: &mut Vec<Value>) -> Result<(), StoreError> {
        table.check_width(values)?;
        match self {
            Sink::Sqlite(sink) => sink.insert(table, values),
            Sink::Postgres(sink) => {
                let written = sink.insert(table, values);
                values.clear();
                written
            }
        }
    }
}

impl Sink {
    /// Deletes the stored file of the same municipality, company and fiscal year with
    /// everything it holds; returns its number of voucher rows.
    pub async fn replace(
        &mut self,
        municipality: &str,
        company: &str,
        fiscal_year: &str,
    ) -> Result<Option<u64>, StoreError> {
        const FIND: &str = "SELECT id, transactions FROM ledger_files \
                            WHERE municipality = $1 AND company = $2 AND fiscal_year = $3";
        match self {
            Sink::Sqlite(sink) => {
                sink.flush()?;
                let found: Option<(i64, i64)> = {
                    let mut statement = sink.connection.prepare(FIND)?;
                    let mut rows =
                        statement.query(rusqlite::params![municipality, company, fiscal_year])?;
                    match rows.next()? {
                        Some(row) => Some((row.get(0)?, row.get(1)?)),
                        None => None,
                    }
                };
                let Some((id, transactions)) = found else {
                    return Ok(None);
                };
                for (table, key) in OF_A_FILE {
                    sink.connection.execute(&table.delete_sql(key), [id])?;
                }
                Ok(Some(u64::try_from(transactions).unwrap_or(0)))
            }
            Sink::Postgres(sink) => {
                let found: Option<(i64, i64)> = sqlx::query_as(FIND)
                    .bind(municipality)
                    .bind(company)
                    .bind(fiscal_year)
                    .fetch_optional(&mut sink.connection)
                    .await?;
                let Some((id, transactions)) = found else {
                    return Ok(None);
                };
                for (table, key) in OF_A_FILE {
                    if super::partition::is_partitioned(table) {
                        // Its partitions are dropped at commit (`partition::drop_file`).
                        continue;
                    }
                    // Built from constant table and column names.
                    sqlx::query(sqlx::AssertSqlSafe(table.delete_sql(key)))
                        .bind(id)
                        .execute(&mut sink.connection)
                        .await?;
                }
                sink.replaced = Some(id);
                Ok(Some(u64::try_from(transactions).unwrap_or(0)))
            }
        }
    }

    /// Writes what is pending and commits.
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Sink::Sqlite(mut sink) => {
                sink.flush()?;
                sink.connection.execute_batch("COMMIT")?;
                Ok(())
            }
            Sink::Postgres(sink) => sink.commit().await,
        }
    }
}

use crate::connect::{NEXT_SEQ_POSTGRES, NEXT_SEQ_SQLITE};

/// The SQLite side: a connection with an open `BEGIN IMMEDIATE` transaction.
pub(crate) struct SqliteSink {
    connection: rusqlite::Connection,
    /// Per table: the values of the rows not yet written, in column order.
    pending: Vec<(&'static Table, Vec<Value>)>,
    /// Per table: its `SQLITE_BATCH`-row INSERT, built once (the statement cache looks the
    /// text up; building it per batch took a seventh of an import).
    batch_sql: Vec<(&'static Table, String)>,
}

impl SqliteSink {
    /// Opens the database file and begins; returns the sink and the write counter's value.
    pub fn begin(path: &Path) -> Result<(SqliteSink, i64), StoreError> {
        use rusqlite::OpenFlags;
        let connection = rusqlite::Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.execute_batch(
            "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA cache_size = -131072; \
             BEGIN IMMEDIATE",
        )?;
        let seq: i64 = connection.query_row(NEXT_SEQ_SQLITE, [], |row| row.get(0))?;
        Ok((
            SqliteSink {
                connection,
                pending: Vec::new(),
                batch_sql: Vec::new(),
            },
            seq,
        ))
    }

    fn insert(&mut self, table: &'static Table, values: &mut Vec<Value>) -> Result<(), StoreError> {
        let index = match self
            .pending
            .iter()
            .position(|(t, _)| std::ptr::eq(*t, table))
        {
            Some(index) => index,
            None => {
                let width = table.columns.len();
                self.pending
                    .push((table, Vec::with_capacity(width * SQLITE_BATCH)));
                self.pending.len() - 1
            }
        };
        let (_, buffer) = &mut self.pending[index];
        buffer.append(values);
        if buffer.len() >= table.columns.len() * SQLITE_BATCH {
            let values = std::mem::take(buffer);
            self.write(table, &values)?;
            if let Some((_, buffer)) = self.pending.get_mut(index) {
                *buffer = values;
                buffer.clear();
            }
        }
        Ok(())
    }

    /// Writes whole rows of `values` in statements of `SQLITE_BATCH` rows, the rest in one
    /// statement of their own.
    fn write(&mut self, table: &'static Table, values: &[Value]) -> Result<(), StoreError> {
        let width = table.columns.len();
        if !self.batch_sql.iter().any(|(t, _)| std::ptr::eq(*t, table)) {
            self.batch_sql.push((table, table.insert_sql(SQLITE_BATCH)));
        }
        for chunk in values.chunks(width * SQLITE_BATCH) {
            let rows = chunk.len() / width;
            let sql = match self.batch_sql.iter().find(|(t, _)| std::ptr::eq(*t, table)) {
                Some((_, sql)) if rows == SQLITE_BATCH => std::borrow::Cow::Borrowed(sql.as_str()),
                _ => std::borrow::Cow::Owned(table.insert_sql(rows)),
            };
            let mut statement = self.connection.prepare_cached(&sql)?;
            for (index, value) in chunk.iter().enumerate() {
                match value {
                    Value::Int(Some(int)) => statement.raw_bind_parameter(index + 1, int)?,
                    Value::Text(Some(text)) => {
                        statement.raw_bind_parameter(index + 1, text.as_str())?
                    }
                    Value::Int(None) | Value::Text(None) => {
                        statement.raw_bind_parameter(index + 1, rusqlite::types::Null)?
                    }
                }
            }
            statement.raw_execute()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), StoreError> {
        for index in 0..self.pending.len() {
            let (table, values) = {
                let (table, buffer) = &mut self.pending[index];
                (*table, std::mem::take(buffer))
            };
            self.write(table, &values)?;
        }
        Ok(())
    }
}

/// The PostgreSQL side: a connection with an open transaction and a spool per table.
pub(crate) struct PostgresSink {
    connection: PgConnection,
    spools: Vec<(&'static Table, BufWriter<std::fs::File>)>,
    line: Vec<u8>,
    /// The replaced file, whose partitions are dropped just before the commit.
    replaced: Option<i64>,
}

impl PostgresSink {
    /// Connects and begins; returns the sink and the write counter's value.
    pub async fn begin(url: &str) -> Result<(PostgresSink, i64), StoreError> {
        let mut connection = PgConnection::connect(url).await?;
        sqlx::raw_sql("BEGIN").execute(&mut connection).await?;
        let (seq,): (i64,) = sqlx::query_as(NEXT_SEQ_POSTGRES)
            .fetch_one(&mut connection)
            .await?;
        super::partition::create(&mut connection, seq).await?;
        Ok((
            PostgresSink {
                connection,
                spools: Vec::new(),
                line: Vec::new(),
                replaced: None,
            },
            seq,
        ))
    }

    fn insert(&mut self, table: &'static Table, values: &[Value]) -> Result<(), StoreError> {
        self.line.clear();
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                self.line.push(b'\t');
            }
            match value {
                Value::Int(Some(int)) => {
                    let _ = write!(self.line, "{int}");
                }
                Value::Text(Some(text)) => copy_escape(text, &mut self.line),
                Value::Int(None) | Value::Text(None) => self.line.extend_from_slice(b"\\N"),
            }
        }
        self.line.push(b'\n');
        let spool = match self
            .spools
            .iter_mut()
            .position(|(t, _)| std::ptr::eq(*t, table))
        {
            Some(index) => &mut self.spools[index].1,
            None => {
                let file = tempfile::tempfile().map_err(spool_error)?;
                self.spools
                    .push((table, BufWriter::with_capacity(1 << 20, file)));
                let last = self.spools.len() - 1;
                &mut self.spools[last].1
            }
        };
        spool.write_all(&self.line).map_err(spool_error)
    }

    async fn commit(mut self) -> Result<(), StoreError> {
        let mut buffer = vec![0u8; 1 << 20];
        for (table, spool) in std::mem::take(&mut self.spools) {
            let mut file = spool
                .into_inner()
                .map_err(|e| spool_error(e.into_error()))?;
            file.rewind().map_err(spool_error)?;
            let mut copy = self.connection.copy_in_raw(&table.copy_sql()).await?;
            loop {
                let read = file.read(&mut buffer).map_err(spool_error)?;
                if read == 0 {
                    break;
                }
                copy.send(&buffer[..read]).await?;
            }
            copy.finish().await?;
        }
        if let Some(replaced) = self.replaced {
            super::partition::drop_file(&mut self.connection, replaced).await?;
        }
        sqlx::raw_sql("COMMIT")
            .execute(&mut self.connection)
            .await?;
        Ok(())
    }
}

fn spool_error(error: std::io::Error) -> StoreError {
    StoreError::Corrupt(format!("den tillfälliga filen för COPY: {error}"))
}

/// A text in `COPY`'s text format: backslash, tab, newline and carriage return escaped.
fn copy_escape(text: &str, out: &mut Vec<u8>) {
    for byte in text.bytes() {
        match byte {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_specially() {
        let mut out = Vec::new();
        copy_escape("a\tb\\c\nd\re", &mut out);
        assert_eq!(out, b"a\\tb\\\\c\\nd\\re");
    }
}
