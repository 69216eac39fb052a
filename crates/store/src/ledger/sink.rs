//! Where a ledger import's rows go: the two implementations of the write protocol's
//! [`TableWriter`], each holding its database's open write transaction.
//!
//! - SQLite: its own `rusqlite` connection to the database file (sqlx's `Any` driver converts
//!   and sends every value to a worker thread, minutes for millions of rows), `BEGIN
//!   IMMEDIATE`, rows bound by position into statements of [`SQLITE_BATCH`] rows prepared once;
//!   a run of voucher rows is packed ([`super::pack`]) and bound through one statement of
//!   [`SQLITE_PACK_BATCH`] packs prepared once per run. The database keeps its journal (WAL): a
//!   crash at any moment leaves what was committed.
//! - PostgreSQL: its own connection on a runtime of its own (the writer thread drives it while
//!   the caller's runtime may be busy reading), `BEGIN`, and each run of voucher rows packed and
//!   sent with `COPY ledger_packs … FROM STDIN (FORMAT binary)` as soon as it is sorted, while
//!   the reader reads on. A connection holds one `COPY` at a time, and a transaction one connection:
//!   the other tables' rows wait in memory (`COPY` text format) and are sent, each with a `COPY`
//!   of its own, just before each run and at commit. Every `COPY` of the file's data goes into
//!   the file's own partition, attached at the commit ([`super::partition`]). Everything is in
//!   the one transaction.
//!
//! Both take the write counter in the transaction (`UPDATE counters … RETURNING`), which
//! serialises them with every other writer, and both roll back when dropped uncommitted.

use super::load::SortedRun;
use super::pack::PackHead;
use super::tables::{OF_A_FILE, PACKS, Table, TableWriter};
use crate::StoreError;
use crate::row::Value;
use sqlx::{Connection as _, PgConnection};
use std::io::Write;
use std::path::Path;

/// Rows per SQLite INSERT statement of the small tables.
const SQLITE_BATCH: usize = 64;

/// Packs of voucher rows per SQLite INSERT statement.
const SQLITE_PACK_BATCH: usize = 32;

/// The bytes of a run's `COPY` data sent at a time.
const COPY_CHUNK: usize = 1 << 20;

/// Small tables' rows waiting for their `COPY` beyond which they are sent at once.
const COPY_BUFFER: usize = 16 << 20;

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
    /// Sends what waits in memory when it has grown large (PostgreSQL's small tables); called
    /// by the writer thread only, never from async code.
    pub fn relieve(&mut self) -> Result<(), StoreError> {
        match self {
            Sink::Sqlite(_) => Ok(()),
            Sink::Postgres(sink) => sink.relieve(),
        }
    }

    /// Writes a sorted run of voucher rows.
    pub fn rows(&mut self, run: &SortedRun<'_>) -> Result<(), StoreError> {
        match self {
            Sink::Sqlite(sink) => sink.rows(run),
            Sink::Postgres(sink) => sink.rows(run),
        }
    }

    /// Deletes the stored file of the same municipality, company and fiscal year with
    /// everything it holds; returns its number of voucher rows.
    pub async fn replace(
        &mut self,
        municipality: &str,
        company: &str,
        fiscal_year: &str,
    ) -> Result<Option<u64>, StoreError> {
        match self {
            Sink::Sqlite(sink) => {
                sink.flush()?;
                let found: Option<(i64, i64)> = {
                    let mut statement = sink.connection.prepare(FIND_FILE)?;
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
                let (municipality, company, fiscal_year) = (
                    municipality.to_owned(),
                    company.to_owned(),
                    fiscal_year.to_owned(),
                );
                sink.off_runtime(move |mut connection| async move {
                    let result = async {
                        let found: Option<(i64, i64)> = sqlx::query_as(FIND_FILE)
                            .bind(municipality)
                            .bind(company)
                            .bind(fiscal_year)
                            .fetch_optional(&mut connection)
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
                                .execute(&mut connection)
                                .await?;
                        }
                        Ok(Some((id, u64::try_from(transactions).unwrap_or(0))))
                    }
                    .await;
                    (connection, result)
                })
                .map(|found| {
                    found.map(|(id, transactions)| {
                        sink.replaced = Some(id);
                        transactions
                    })
                })
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
            Sink::Postgres(mut sink) => {
                let buffers = std::mem::take(&mut sink.buffers);
                let (replaced, file) = (sink.replaced, sink.file);
                sink.off_runtime(move |mut connection| async move {
                    let result = async {
                        send_buffers(&mut connection, file, buffers).await?;
                        super::partition::attach_all(&mut connection, file).await?;
                        if let Some(replaced) = replaced {
                            super::partition::drop_file(&mut connection, replaced).await?;
                        }
                        sqlx::raw_sql("COMMIT").execute(&mut connection).await?;
                        Ok(())
                    }
                    .await;
                    (connection, result)
                })
            }
        }
    }
}

use crate::connect::{NEXT_SEQ_POSTGRES, NEXT_SEQ_SQLITE};

const FIND_FILE: &str = "SELECT id, transactions FROM ledger_files \
                         WHERE municipality = $1 AND company = $2 AND fiscal_year = $3";

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
        // A cache of 16 MiB: the import appends, so a larger cache only kept its dirty pages back
        // for the commit to write at once, while nothing else ran.
        connection.execute_batch(
            "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA cache_size = -16384; \
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
                    Value::Blob(bytes) => {
                        statement.raw_bind_parameter(index + 1, bytes.as_slice())?
                    }
                }
            }
            statement.raw_execute()?;
        }
        Ok(())
    }

    /// Writes a sorted run of voucher rows as packs, [`SQLITE_PACK_BATCH`] to a statement; the
    /// columns the whole run shares (file and run) are literals in the statement, prepared once
    /// per run.
    fn rows(&mut self, run: &SortedRun<'_>) -> Result<(), StoreError> {
        let mut heads: Vec<(PackHead, std::ops::Range<usize>)> = Vec::new();
        let mut data: Vec<u8> = Vec::new();
        run.packs(|head, bytes| {
            let start = data.len();
            data.extend_from_slice(bytes);
            heads.push((head, start..data.len()));
            Ok::<(), StoreError>(())
        })?;
        if heads.is_empty() {
            return Ok(());
        }
        let fixed = [("file", run.file()), ("run", run.number())];
        let batch = SQLITE_PACK_BATCH;
        let mut full = self
            .connection
            .prepare(&PACKS.insert_sql_fixed(batch.min(heads.len()), &fixed))?;
        for chunk in heads.chunks(batch) {
            let mut rest;
            let statement = if chunk.len() == batch || chunk.len() == heads.len() {
                &mut full
            } else {
                rest = self
                    .connection
                    .prepare(&PACKS.insert_sql_fixed(chunk.len(), &fixed))?;
                &mut rest
            };
            let mut index = 0;
            for (head, range) in chunk {
                for value in head.values() {
                    index += 1;
                    statement.raw_bind_parameter(index, value)?;
                }
                index += 1;
                statement.raw_bind_parameter(index, &data[range.clone()])?;
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

/// The PostgreSQL side: a connection with an open transaction, on a runtime of its own, and
/// the small tables' rows waiting for their `COPY`.
pub(crate) struct PostgresSink {
    /// `None` only while dropping.
    connection: Option<PgConnection>,
    /// Drives the connection: on the writer thread while the file is read, on a thread of its
    /// own when called from the caller's async code. Shut down in the background when dropped.
    runtime: Option<tokio::runtime::Runtime>,
    /// Per table: rows in `COPY` text format not yet sent.
    buffers: Vec<(&'static Table, Vec<u8>)>,
    /// The replaced file, whose partitions are dropped just before the commit.
    replaced: Option<i64>,
    /// The file being written: its rows go straight into its partitions, which are attached at
    /// the commit (`partition::attach_all`).
    file: i64,
}

impl PostgresSink {
    /// Connects and begins; returns the sink and the write counter's value.
    pub async fn begin(url: &str) -> Result<(PostgresSink, i64), StoreError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| {
                StoreError::Corrupt(format!("PostgreSQL-anslutningens körmiljö: {error}"))
            })?;
        let url = url.to_owned();
        let (connection, seq) = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    runtime.block_on(async {
                        let mut connection = PgConnection::connect(&url).await?;
                        sqlx::raw_sql("BEGIN").execute(&mut connection).await?;
                        let (seq,): (i64,) = sqlx::query_as(NEXT_SEQ_POSTGRES)
                            .fetch_one(&mut connection)
                            .await?;
                        super::partition::create(&mut connection, seq).await?;
                        Ok::<_, StoreError>((connection, seq))
                    })
                })
                .join()
                .unwrap_or_else(|_| Err(StoreError::Corrupt("anslutningen föll".into())))
        })?;
        Ok((
            PostgresSink {
                connection: Some(connection),
                runtime: Some(runtime),
                buffers: Vec::new(),
                replaced: None,
                file: seq,
            },
            seq,
        ))
    }

    /// Runs `work` on the connection, on this thread: never from async code. `work` is given
    /// the connection and gives it back with its result.
    fn on_runtime<T, Work>(
        &mut self,
        work: impl FnOnce(PgConnection) -> Work,
    ) -> Result<T, StoreError>
    where
        Work: std::future::Future<Output = (PgConnection, Result<T, StoreError>)>,
    {
        let (Some(runtime), Some(connection)) = (self.runtime.as_ref(), self.connection.take())
        else {
            return Err(StoreError::Corrupt(
                "PostgreSQL-anslutningen är redan stängd".into(),
            ));
        };
        let (connection, result) = runtime.block_on(work(connection));
        self.connection = Some(connection);
        result
    }

    /// [`on_runtime`](Self::on_runtime) on a thread of its own, waited for: for the caller's
    /// async code, which may not drive another runtime on its own thread.
    fn off_runtime<T, Work>(
        &mut self,
        work: impl FnOnce(PgConnection) -> Work + Send,
    ) -> Result<T, StoreError>
    where
        T: Send,
        Work: std::future::Future<Output = (PgConnection, Result<T, StoreError>)> + Send,
    {
        std::thread::scope(|scope| {
            scope
                .spawn(|| self.on_runtime(work))
                .join()
                .unwrap_or_else(|_| Err(StoreError::Corrupt("anslutningen föll".into())))
        })
    }

    /// Queues a row of a small table, in `COPY` text format.
    fn insert(&mut self, table: &'static Table, values: &[Value]) -> Result<(), StoreError> {
        let index = match self
            .buffers
            .iter()
            .position(|(t, _)| std::ptr::eq(*t, table))
        {
            Some(index) => index,
            None => {
                self.buffers.push((table, Vec::new()));
                self.buffers.len() - 1
            }
        };
        let line = &mut self.buffers[index].1;
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                line.push(b'\t');
            }
            match value {
                Value::Int(Some(int)) => {
                    let _ = write!(line, "{int}");
                }
                Value::Text(Some(text)) => copy_escape(text, line),
                Value::Int(None) | Value::Text(None) => line.extend_from_slice(b"\\N"),
                // BYTEA's hex form, its backslash doubled for COPY's text format.
                Value::Blob(bytes) => {
                    line.extend_from_slice(b"\\\\x");
                    for byte in bytes {
                        line.extend_from_slice(&HEX[usize::from(*byte)]);
                    }
                }
            }
        }
        line.push(b'\n');
        Ok(())
    }

    /// Packs the run into `COPY`'s binary format, then sends the small tables' rows and the
    /// packs with `COPY … (FORMAT binary)`.
    fn rows(&mut self, run: &SortedRun<'_>) -> Result<(), StoreError> {
        let mut chunks = Vec::new();
        let mut chunk = Vec::with_capacity(COPY_CHUNK + 4096);
        chunk.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
        chunk.extend_from_slice(&0u32.to_be_bytes()); // flags
        chunk.extend_from_slice(&0u32.to_be_bytes()); // header extension
        let width = i16::try_from(PACKS.columns.len()).unwrap_or(i16::MAX);
        let (file, number) = (run.file(), run.number());
        run.packs(|head, data| {
            chunk.extend_from_slice(&width.to_be_bytes());
            for value in [file, number].into_iter().chain(head.values()) {
                chunk.extend_from_slice(&8i32.to_be_bytes()); // BIGINT: 8 bytes, big-endian
                chunk.extend_from_slice(&value.to_be_bytes());
            }
            chunk.extend_from_slice(&i32::try_from(data.len()).unwrap_or(i32::MAX).to_be_bytes());
            chunk.extend_from_slice(data);
            if chunk.len() >= COPY_CHUNK {
                chunks.push(std::mem::replace(
                    &mut chunk,
                    Vec::with_capacity(COPY_CHUNK + 4096),
                ));
            }
            Ok::<(), StoreError>(())
        })?;
        chunk.extend_from_slice(&(-1i16).to_be_bytes()); // trailer
        chunks.push(chunk);
        let buffers = std::mem::take(&mut self.buffers);
        let partition = super::partition::name(&PACKS, self.file);
        let file = self.file;
        self.on_runtime(|mut connection| async move {
            let result = async {
                send_buffers(&mut connection, file, buffers).await?;
                let mut copy = connection
                    .copy_in_raw(&format!(
                        "{} (FORMAT binary)",
                        PACKS.copy_sql_into(&partition)
                    ))
                    .await?;
                for chunk in &chunks {
                    copy.send(chunk.as_slice()).await?;
                }
                copy.finish().await?;
                Ok(())
            }
            .await;
            (connection, result)
        })
    }

    /// Sends the small tables' rows when they have grown past [`COPY_BUFFER`].
    fn relieve(&mut self) -> Result<(), StoreError> {
        if self.buffers.iter().map(|(_, b)| b.len()).sum::<usize>() < COPY_BUFFER {
            return Ok(());
        }
        let buffers = std::mem::take(&mut self.buffers);
        let file = self.file;
        self.on_runtime(|mut connection| async move {
            let result = send_buffers(&mut connection, file, buffers).await;
            (connection, result)
        })
    }
}

impl Drop for PostgresSink {
    fn drop(&mut self) {
        // Closing the connection uncommitted rolls back. The runtime may be dropped from async
        // code, where only a shutdown in the background is allowed.
        drop(self.connection.take());
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Sends each table's queued rows with a `COPY` of its own: into the file's partition of a
/// partitioned table, not yet attached (`partition::attach_all`).
async fn send_buffers(
    connection: &mut PgConnection,
    file: i64,
    buffers: Vec<(&'static Table, Vec<u8>)>,
) -> Result<(), StoreError> {
    for (table, rows) in buffers {
        if rows.is_empty() {
            continue;
        }
        let sql = if super::partition::is_partitioned(table) {
            table.copy_sql_into(&super::partition::name(table, file))
        } else {
            table.copy_sql()
        };
        let mut copy = connection.copy_in_raw(&sql).await?;
        for chunk in rows.chunks(COPY_CHUNK) {
            copy.send(chunk).await?;
        }
        copy.finish().await?;
    }
    Ok(())
}

/// Each byte's two lowercase hex digits (BYTEA's hex form).
const HEX: [[u8; 2]; 256] = {
    let digits = *b"0123456789abcdef";
    let mut table = [[0u8; 2]; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = [digits[byte >> 4], digits[byte & 15]];
        byte += 1;
    }
    table
};

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
