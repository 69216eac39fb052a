//! Every transaction of a SIE file into a new SQLite database, fast, and the
//! budget-vs-actual report from it.
//!
//! `store` streams the file through the `styr-sie` fast path and inserts each
//! counted row with one prepared statement inside one transaction, keeping
//! the monthly aggregates (account × unit × month) and the #PBUDGET budget in
//! their own small tables, which is what reports read (drill-down reads the
//! rows). The database is a new file written under a temporary name and
//! renamed into place only after the commit, so `journal_mode=OFF` and
//! `synchronous=OFF` cannot leave a half-written database behind: a failed
//! run leaves only the temporary file. This is the benchmark's bulk path, not
//! the product's `styr actuals import` (crates/store, which also runs on
//! PostgreSQL); it deliberately has no mapping to the plan.

use crate::bva::{BvaRow, parse_period};
use anyhow::{Context, Result};
use rusqlite::{Connection, params};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use styr_sie::encoding::{FileEncoding, decode_field};
use styr_sie::fast::{self, Counted, RowRef, RowSink, ScanOptions, VoucherRef};

/// What `store` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreSummary {
    /// Transaction rows.
    pub rows: u64,
    /// Monthly aggregate rows.
    pub aggregates: u64,
}

const SCHEMA: &str = "
CREATE TABLE voucher (
    id INTEGER PRIMARY KEY,
    series TEXT NOT NULL,
    number TEXT NOT NULL,
    date INTEGER NOT NULL         -- YYYYMMDD
);
-- Dimension objects (1 = ansvar/unit, 6 = project), referenced by id.
CREATE TABLE object (
    id INTEGER PRIMARY KEY,
    dimension INTEGER NOT NULL,
    code TEXT NOT NULL,
    UNIQUE (dimension, code)
);
CREATE TABLE ledger_row (
    voucher INTEGER NOT NULL,     -- voucher.id
    date INTEGER,                 -- transaction date YYYYMMDD, NULL = the voucher's (as in SIE)
    account TEXT NOT NULL,
    unit INTEGER,                 -- object.id, dimension 1
    project INTEGER,              -- object.id, dimension 6
    amount_ore INTEGER NOT NULL
);
CREATE TABLE ledger_month (
    account TEXT NOT NULL,
    unit TEXT NOT NULL,           -- '' when the rows had none
    month TEXT NOT NULL,          -- YYYY-MM
    amount_ore INTEGER NOT NULL,
    PRIMARY KEY (account, unit, month)
) WITHOUT ROWID;
-- Accumulated from January through each month (a month-end snapshot per
-- account × unit), so that a report to any month reads one month's rows.
CREATE TABLE ledger_ytd (
    month TEXT NOT NULL,
    account TEXT NOT NULL,
    unit TEXT NOT NULL,
    amount_ore INTEGER NOT NULL,
    PRIMARY KEY (month, account, unit)
) WITHOUT ROWID;
CREATE TABLE budget_ytd (
    month TEXT NOT NULL,
    account TEXT NOT NULL,
    unit TEXT NOT NULL,
    amount_ore INTEGER NOT NULL,
    annual_ore INTEGER NOT NULL,
    PRIMARY KEY (month, account, unit)
) WITHOUT ROWID;
CREATE TABLE budget_month (
    account TEXT NOT NULL,
    unit TEXT NOT NULL,
    month TEXT NOT NULL,
    amount_ore INTEGER NOT NULL,
    PRIMARY KEY (account, unit, month)
) WITHOUT ROWID;
";

/// Decode raw SIE text with the file's encoding (ASCII without copying twice).
fn text(raw: &[u8], enc: FileEncoding) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) if s.is_ascii() => s.to_owned(),
        _ => decode_field(raw, enc).0,
    }
}

/// Rows per multi-row INSERT.
const BATCH: usize = 128;
/// Columns of `ledger_row` bound per row.
const COLUMNS: usize = 6;
/// Rows per message from the scanning thread to the writing thread.
const CHUNK_ROWS: usize = 8192;

/// A row ready to insert.
#[derive(Debug, Clone, Copy)]
struct Pending {
    voucher: i64,
    /// `None` when the row's date is the voucher's.
    date: Option<i64>,
    account: [u8; 10],
    account_len: usize,
    unit: Option<i64>,
    project: Option<i64>,
    amount: i64,
}

/// What the scanning thread hands to the writing thread: new vouchers and
/// objects, and rows that refer to them by id.
#[derive(Debug, Default)]
struct Chunk {
    vouchers: Vec<(i64, String, String, i64)>,
    objects: Vec<(i64, u32, String)>,
    rows: Vec<Pending>,
}

/// The scanning side: gives vouchers and objects their ids, keeps the
/// monthly sums, and sends rows on in chunks.
struct Producer {
    enc: FileEncoding,
    movements: fast::Movements,
    voucher_ordinal: u64,
    voucher_id: i64,
    objects: [HashMap<Vec<u8>, i64>; 2],
    next_object: i64,
    chunk: Chunk,
    tx: std::sync::mpsc::SyncSender<Chunk>,
    closed: bool,
}

fn yyyymmdd(d: styr_sie::Date) -> i64 {
    i64::from(d.year()) * 10_000 + i64::from(d.month()) * 100 + i64::from(d.day())
}

impl Producer {
    fn object(&mut self, slot: usize, dim: u32, raw: Option<&[u8]>) -> Option<i64> {
        let raw = raw?;
        let map = self.objects.get_mut(slot)?;
        if let Some(&id) = map.get(raw) {
            return Some(id);
        }
        self.next_object += 1;
        let id = self.next_object;
        map.insert(raw.to_vec(), id);
        self.chunk.objects.push((id, dim, text(raw, self.enc)));
        Some(id)
    }

    fn send(&mut self) {
        let chunk = std::mem::take(&mut self.chunk);
        if !self.closed && self.tx.send(chunk).is_err() {
            self.closed = true; // the writer failed; its error is reported
        }
    }
}

impl RowSink for Producer {
    fn row(&mut self, voucher: &VoucherRef<'_>, row: &RowRef<'_>) {
        let counts = match row.counted {
            Counted::Yes => true,
            Counted::IfCp437 => self.enc == FileEncoding::Cp437,
            Counted::IfUtf8 => self.enc != FileEncoding::Cp437,
        };
        if !counts || self.closed {
            return;
        }
        if voucher.ordinal != self.voucher_ordinal {
            self.voucher_ordinal = voucher.ordinal;
            self.voucher_id += 1;
            self.chunk.vouchers.push((
                self.voucher_id,
                text(voucher.series, self.enc),
                text(voucher.number, self.enc),
                yyyymmdd(voucher.date),
            ));
        }
        let unit = self.object(0, 1, row.object_in(1));
        let project = self.object(1, 6, row.object_in(6));
        let mut account = [0u8; 10];
        let account_len = row.account.len().min(10);
        if let (Some(dst), Some(src)) = (
            account.get_mut(..account_len),
            row.account.get(..account_len),
        ) {
            dst.copy_from_slice(src);
        }
        self.chunk.rows.push(Pending {
            voucher: self.voucher_id,
            date: (row.date != voucher.date).then(|| yyyymmdd(row.date)),
            account,
            account_len,
            unit,
            project,
            amount: row.amount,
        });
        if self.chunk.rows.len() >= CHUNK_ROWS {
            self.send();
        }
        // The monthly aggregates, with the same code as `balances`.
        let certain = RowRef {
            counted: Counted::Yes,
            ..*row
        };
        self.movements.row(voucher, &certain);
    }
}

fn bind(stmt: &mut rusqlite::Statement<'_>, first: usize, p: &Pending) -> rusqlite::Result<()> {
    let account =
        std::str::from_utf8(p.account.get(..p.account_len).unwrap_or_default()).unwrap_or_default();
    stmt.raw_bind_parameter(first, p.voucher)?;
    stmt.raw_bind_parameter(first + 1, p.date)?;
    stmt.raw_bind_parameter(first + 2, account)?;
    stmt.raw_bind_parameter(first + 3, p.unit)?;
    stmt.raw_bind_parameter(first + 4, p.project)?;
    stmt.raw_bind_parameter(first + 5, p.amount)?;
    Ok(())
}

/// The writing side: insert every chunk as it arrives. Returns the row count.
fn write_chunks(
    tx: &rusqlite::Transaction<'_>,
    chunks: std::sync::mpsc::Receiver<Chunk>,
) -> rusqlite::Result<u64> {
    let values = vec!["(?, ?, ?, ?, ?, ?)"; BATCH].join(", ");
    let mut batch = tx.prepare(&format!(
        "INSERT INTO ledger_row (voucher, date, account, unit, project, amount_ore) VALUES {values}"
    ))?;
    let mut one = tx.prepare(
        "INSERT INTO ledger_row (voucher, date, account, unit, project, amount_ore) VALUES (?, ?, ?, ?, ?, ?)",
    )?;
    let mut voucher =
        tx.prepare("INSERT INTO voucher (id, series, number, date) VALUES (?1, ?2, ?3, ?4)")?;
    let mut object = tx.prepare("INSERT INTO object (id, dimension, code) VALUES (?1, ?2, ?3)")?;
    let mut rows = 0u64;
    for chunk in chunks {
        for (id, series, number, date) in &chunk.vouchers {
            voucher.execute(params![id, series, number, date])?;
        }
        for (id, dim, code) in &chunk.objects {
            object.execute(params![id, dim, code])?;
        }
        let mut full = chunk.rows.chunks_exact(BATCH);
        for group in &mut full {
            for (k, p) in group.iter().enumerate() {
                bind(&mut batch, k * COLUMNS + 1, p)?;
            }
            batch.raw_execute()?;
        }
        for p in full.remainder() {
            bind(&mut one, 1, p)?;
            one.raw_execute()?;
        }
        rows += chunk.rows.len() as u64;
    }
    Ok(rows)
}

/// Store every counted row of `sie` in a new database at `db`.
pub fn store(sie: &Path, db: &Path) -> Result<StoreSummary> {
    let enc =
        fast::detect_encoding_path(sie).with_context(|| format!("reading {}", sie.display()))?;
    let tmp = db.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut conn = Connection::open(&tmp)?;
    conn.execute_batch(
        "PRAGMA page_size=65536; PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;",
    )?;
    conn.execute_batch(SCHEMA)?;
    let tx = conn.transaction()?;
    let (rows, aggregates) = {
        // Scan on one thread, write on this one: SQLite is the bottleneck,
        // so the parsing is taken off its critical path.
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Chunk>(8);
        let sie_path = sie.to_path_buf();
        let scanner = std::thread::spawn(
            move || -> std::io::Result<(fast::Movements, fast::ScanState)> {
                let mut producer = Producer {
                    enc,
                    movements: fast::Movements::default(),
                    voucher_ordinal: 0,
                    voucher_id: 0,
                    objects: [HashMap::new(), HashMap::new()],
                    next_object: 0,
                    chunk: Chunk::default(),
                    tx: sender,
                    closed: false,
                };
                let file = std::fs::File::open(&sie_path)?;
                let state = fast::scan_reader(
                    file,
                    ScanOptions {
                        collect_budgets: true,
                    },
                    &mut producer,
                )?;
                producer.send();
                Ok((producer.movements, state))
            },
        );
        let written = write_chunks(&tx, receiver);
        let scanned = scanner
            .join()
            .map_err(|_| anyhow::anyhow!("the scanning thread panicked"))?;
        let rows = written?;
        let (movements, state) = scanned.with_context(|| format!("reading {}", sie.display()))?;
        let balance_rows = movements.rows(&state);
        let mut month_stmt = tx.prepare(
            "INSERT INTO ledger_month (account, unit, month, amount_ore) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for r in &balance_rows {
            month_stmt.execute(params![
                r.account.as_str(),
                r.object.as_deref().unwrap_or(""),
                r.month.iso(),
                r.amount.ore()
            ])?;
        }
        let mut budget: HashMap<(String, String, String), i64> = HashMap::new();
        for b in state.budgets() {
            if b.year != 0 {
                continue;
            }
            let unit = b
                .objects
                .iter()
                .find(|o| o.dimension == 1)
                .map(|o| o.object.clone())
                .unwrap_or_default();
            *budget
                .entry((b.account.as_str().to_owned(), unit, b.period.iso()))
                .or_insert(0) += b.amount.ore();
        }
        let mut budget_stmt = tx.prepare(
            "INSERT INTO budget_month (account, unit, month, amount_ore) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((account, unit, month), amount) in &budget {
            budget_stmt.execute(params![account, unit, month, amount])?;
        }
        // Month-end snapshots: accumulated per calendar year, every month.
        // A month with rows is `Some`; snapshots start at the first of them.
        let mut ytd: BTreeMap<(String, String, u16), [Option<i64>; 12]> = BTreeMap::new();
        for r in &balance_rows {
            let key = (
                r.account.as_str().to_owned(),
                r.object.clone().unwrap_or_default(),
                r.month.year(),
            );
            if let Some(slot) = ytd
                .entry(key)
                .or_insert([None; 12])
                .get_mut(usize::from(r.month.month()) - 1)
            {
                *slot = Some(slot.unwrap_or(0) + r.amount.ore());
            }
        }
        let mut ytd_stmt = tx.prepare(
            "INSERT INTO ledger_ytd (month, account, unit, amount_ore) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for ((account, unit, year), by_month) in &ytd {
            let mut acc: Option<i64> = None;
            for (m, v) in by_month.iter().enumerate() {
                if let Some(v) = v {
                    acc = Some(acc.unwrap_or(0) + v);
                }
                if let Some(acc) = acc {
                    let month = format!("{year:04}-{:02}", m + 1);
                    ytd_stmt.execute(params![month, account, unit, acc])?;
                }
            }
        }
        let mut bytd: BTreeMap<(&str, &str, &str), [i64; 12]> = BTreeMap::new();
        for ((account, unit, month), amount) in &budget {
            let (year, m) = month.split_at(4);
            let m: usize = m.trim_start_matches('-').parse().unwrap_or(1);
            if let Some(slot) = bytd
                .entry((account.as_str(), unit.as_str(), year))
                .or_insert([0; 12])
                .get_mut(m.saturating_sub(1))
            {
                *slot += amount;
            }
        }
        let mut bytd_stmt = tx.prepare(
            "INSERT INTO budget_ytd (month, account, unit, amount_ore, annual_ore) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for ((account, unit, year), by_month) in &bytd {
            let annual: i64 = by_month.iter().sum();
            let mut acc = 0;
            for (m, v) in by_month.iter().enumerate() {
                acc += v;
                let month = format!("{year}-{:02}", m + 1);
                bytd_stmt.execute(params![month, account, unit, acc, annual])?;
            }
        }
        (rows, balance_rows.len() as u64)
    };
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)?;
    std::fs::rename(&tmp, db)?;
    Ok(StoreSummary { rows, aggregates })
}

/// Budget vs actual to a month: one month's rows of each snapshot table
/// (a range of the primary key), grouped together. A UNION ALL rather than a
/// FULL OUTER JOIN, which SQLite would run as a nested loop.
const REPORT_SQL: &str = "
SELECT account, unit, SUM(annual), SUM(to_date), SUM(actual)
FROM (
    SELECT account, unit, 0 AS annual, 0 AS to_date, amount_ore AS actual
    FROM ledger_ytd
    WHERE month = ?1 AND substr(account, 1, 1) BETWEEN '3' AND '8'
    UNION ALL
    SELECT account, unit, annual_ore, amount_ore, 0
    FROM budget_ytd
    WHERE month = ?1 AND substr(account, 1, 1) BETWEEN '3' AND '8'
)
GROUP BY account, unit
ORDER BY account, unit
";

/// The report from a database written by [`store`]; also the best query
/// time in seconds over `repeat` runs.
pub fn report(db: &Path, period: &str, repeat: u32) -> Result<(Vec<BvaRow>, f64)> {
    let (year, month) = parse_period(period)?;
    let conn = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let to = format!("{year:04}-{month:02}");
    let mut best = f64::INFINITY;
    let mut out = Vec::new();
    for _ in 0..repeat.max(1) {
        let t = std::time::Instant::now();
        let mut stmt = conn.prepare_cached(REPORT_SQL)?;
        let rows = stmt.query_map(params![to], |r| {
            Ok(BvaRow {
                account: r.get(0)?,
                unit: r.get(1)?,
                annual_budget: r.get(2)?,
                budget_to_date: r.get(3)?,
                actual_to_date: r.get(4)?,
            })
        })?;
        out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        best = best.min(t.elapsed().as_secs_f64());
    }
    Ok((out, best))
}
