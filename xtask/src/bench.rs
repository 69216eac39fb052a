//! `cargo xtask bench`: the product's own ledger commands, as a user runs them, next to the
//! tools a user would compare them with, on the same generated ledger.
//!
//! For each size it generates (once; a stamp file remembers) a SIE file and the same
//! transactions as CSV with `gen-ledger`, then runs every step as its own process under
//! `/usr/bin/time -v` (wall clock and peak memory) `runs` times and keeps the median:
//! - `wc -l` on the SIE file, the floor; `styr sie check` and `styr sie balances`;
//! - `sqlite3 .import` of the CSV into an equivalent table (a fresh database each run) and
//!   `styr actuals import` into a fresh copy of a database holding the example plan, with the
//!   bytes the database grew by per transaction;
//! - the same into PostgreSQL (`psql \copy` and `styr actuals import --db postgres://…`), each
//!   run into a new database, when `--postgres` names a server;
//! - `styr report budget-vs-actual` on the imported database (the whole process) against
//!   DuckDB's GROUP BY over its own in-memory table of the same rows (measured inside DuckDB,
//!   best of 5, the load excluded: the yardstick the issue names);
//! - `styr actuals list` for one budget line and period: its first page (`--limit`) once the
//!   command pages, else the whole listing.
//!
//! After each size the issue's table: every task against its peer of the same run and its
//! goal. DuckDB comes from `python3` if it has it, else from a venv under `DIR/venv`.
//!
//! The table goes to stdout and `DIR/results.md`. Not part of `cargo test`: minutes and GBs.

use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Options of a benchmark run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Transactions per generated ledger, one run each.
    pub sizes: Vec<u64>,
    /// Working directory.
    pub dir: PathBuf,
    /// The `styr` binary (release).
    pub styr: PathBuf,
    /// A PostgreSQL server URL (a database of the server; runs create their own beside it).
    pub postgres: Option<String>,
    /// Timed runs per step (the median is kept).
    pub runs: usize,
    /// The generated ledgers' shape.
    pub shape: crate::ledger::Shape,
}

/// One measured step.
#[derive(Debug, Clone)]
struct Measured {
    what: String,
    seconds: f64,
    peak_kb: u64,
    note: String,
}

const DUCKDB_GROUP_BY: &str = r#"
import sys, time, duckdb
csv = sys.argv[1]
con = duckdb.connect()
types = "types={'date': 'DATE', 'series': 'VARCHAR', 'number': 'VARCHAR', 'account': 'VARCHAR', 'unit': 'VARCHAR', 'project': 'VARCHAR', 'amount': 'DECIMAL(18,2)'}"
con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}', header=true, {types})")
q = """SELECT account, coalesce(unit, '') AS unit, strftime(date, '%Y-%m') AS month, sum(amount)
       FROM t WHERE date <= DATE '2021-10-31' GROUP BY ALL"""
best = 1e9
for _ in range(5):
    s = time.perf_counter()
    rows = con.execute(q).fetchall()
    best = min(best, time.perf_counter() - s)
print(f"{best:.6f} {len(rows)}")
"#;

/// Runs `/usr/bin/time -v sh -c CMD`: (wall seconds, peak RSS kB, stdout).
pub(crate) fn timed(cmd: &str) -> Result<(f64, u64, String)> {
    let out = Command::new("/usr/bin/time")
        .args(["-v", "sh", "-c", cmd])
        .output()
        .with_context(|| format!("running {cmd}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        bail!("{cmd} failed: {stderr}");
    }
    let mut wall = None;
    let mut peak = None;
    for line in stderr.lines() {
        let line = line.trim();
        if let Some(v) = line.strip_prefix("Elapsed (wall clock) time (h:mm:ss or m:ss): ") {
            let mut secs = 0.0;
            for part in v.split(':') {
                secs = secs * 60.0 + part.parse::<f64>().unwrap_or(0.0);
            }
            wall = Some(secs);
        }
        if let Some(v) = line.strip_prefix("Maximum resident set size (kbytes): ") {
            peak = v.parse().ok();
        }
    }
    match (wall, peak) {
        (Some(w), Some(p)) => Ok((w, p, String::from_utf8_lossy(&out.stdout).into_owned())),
        _ => bail!("no /usr/bin/time -v figures for {cmd}: {stderr}"),
    }
}

/// Runs `prepare` (untimed) then `cmd` (timed), `runs` times: the median wall time and the
/// peak memory of that run.
fn median_of(
    what: &str,
    runs: usize,
    mut prepare: impl FnMut() -> Result<()>,
    cmd: &str,
    note: &str,
) -> Result<Measured> {
    let mut all = Vec::new();
    for _ in 0..runs.max(1) {
        prepare()?;
        let (wall, peak, _) = timed(cmd)?;
        all.push((wall, peak));
    }
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (seconds, peak_kb) = all[all.len() / 2];
    eprintln!(
        "  {what}: {seconds:.3} s, {:.0} MB",
        peak_kb as f64 / 1024.0
    );
    Ok(Measured {
        what: what.to_owned(),
        seconds,
        peak_kb,
        note: note.to_owned(),
    })
}

pub(crate) fn q(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

pub(crate) fn run_ok(cmd: &str) -> Result<String> {
    let out = Command::new("sh").args(["-c", cmd]).output()?;
    if !out.status.success() {
        bail!("{cmd} failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

pub(crate) fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// [`generate_shaped`] in the default (real) shape.
pub(crate) fn generate(dir: &Path, n: u64) -> Result<(PathBuf, PathBuf)> {
    generate_shaped(dir, n, crate::ledger::Shape::default())
}

/// Generates unless the files exist for the same N and shape (a stamp file says so).
pub(crate) fn generate_shaped(
    dir: &Path,
    n: u64,
    shape: crate::ledger::Shape,
) -> Result<(PathBuf, PathBuf)> {
    let name = match shape {
        crate::ledger::Shape::Real => format!("ledger-{n}"),
        crate::ledger::Shape::Simple => format!("ledger-simple-{n}"),
    };
    let sie = dir.join(format!("{name}.se"));
    let csv = dir.join(format!("{name}.csv"));
    let stamp = dir.join(format!("{name}.stamp"));
    let want = format!("{n} seed 2021 {shape:?} v3");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        eprintln!("generating {n} transactions into {} …", dir.display());
        crate::ledger::generate(&crate::ledger::GenOptions {
            transactions: n,
            out: sie.clone(),
            csv: Some(csv.clone()),
            journal: None,
            seed: 2021,
            ksumma: false,
            shape,
        })?;
        std::fs::write(&stamp, &want)?;
    }
    Ok((sie, csv))
}

/// `date TEXT, series TEXT, …`: one TEXT column per column of the CSV's header.
fn csv_columns(csv: &Path) -> Result<String> {
    use std::io::BufRead;
    let mut header = String::new();
    std::io::BufReader::new(std::fs::File::open(csv)?).read_line(&mut header)?;
    Ok(header
        .trim()
        .split(',')
        .map(|c| format!("{c} TEXT"))
        .collect::<Vec<_>>()
        .join(", "))
}

/// Rows of the drill-down's first page.
const PAGE: u32 = 50;

/// Whether `styr actuals list` pages (has `--limit`).
fn list_is_paged(styr: &str) -> bool {
    run_ok(&format!("{styr} actuals list --help"))
        .map(|help| help.contains("--limit"))
        .unwrap_or(false)
}

/// A Python with DuckDB: `python3` if it has it, else a venv of the benchmark's own under
/// `DIR/venv` (made, and DuckDB installed from PyPI, the first time).
fn duckdb_python(dir: &Path) -> Result<PathBuf> {
    if run_ok("python3 -c 'import duckdb'").is_ok() {
        return Ok(PathBuf::from("python3"));
    }
    let venv = dir.join("venv");
    let python = venv.join("bin/python");
    if run_ok(&format!("{} -c 'import duckdb'", q(&python))).is_err() {
        eprintln!("installing DuckDB into {} …", venv.display());
        run_ok(&format!("python3 -m venv {}", q(&venv)))?;
        run_ok(&format!("{} -m pip install -q duckdb", q(&python)))?;
    }
    Ok(python)
}

/// The issue's table: each task against its peer measured in the same run, and its goal.
fn issue_table(m: &[Measured]) -> String {
    let find = |what: &str| {
        m.iter()
            .find(|r| r.what.starts_with(what))
            .map(|r| r.seconds)
    };
    let mut out =
        String::from("| task | goal | styr | peer | ratio | met |\n|---|---|---:|---:|---:|---|\n");
    let rows: [(&str, &str, &str, &str, f64); 5] = [
        (
            "`styr sie balances`",
            "≤ 8× `wc -l`",
            "styr sie balances",
            "wc -l",
            8.0,
        ),
        (
            "`styr sie check`",
            "≤ 8× `wc -l`",
            "styr sie check",
            "wc -l",
            8.0,
        ),
        (
            "`styr actuals import` into SQLite",
            "≤ 0,5× `sqlite3 .import`",
            "styr actuals import (SQLite)",
            "sqlite3 .import",
            0.5,
        ),
        (
            "`styr actuals import` into PostgreSQL",
            "≤ 0,5× `psql \\copy`",
            "styr actuals import (PostgreSQL)",
            "psql \\copy",
            0.5,
        ),
        (
            "budget vs actual report from the DB",
            "≤ 0,2× DuckDB GROUP BY",
            "styr report",
            "DuckDB",
            0.2,
        ),
    ];
    for (task, goal, ours, peer, limit) in rows {
        let (Some(a), Some(b)) = (find(ours), find(peer)) else {
            let _ = writeln!(out, "| {task} | {goal} | – | – | – | not measured |");
            continue;
        };
        let ratio = a / b.max(1e-9);
        let _ = writeln!(
            out,
            "| {task} | {goal} | {a:.3} s | {b:.3} s | {ratio:.2}× | {} |",
            if ratio <= limit { "yes" } else { "no" }
        );
    }
    if let Some(r) = m.iter().find(|r| r.what.starts_with("styr actuals list")) {
        let _ = writeln!(
            out,
            "| `styr actuals list` (drill-down) | first page < 100 ms | {:.3} s | – | – | {} ({}) |",
            r.seconds,
            if r.seconds < 0.1 { "yes" } else { "no" },
            r.note
        );
    }
    out
}

/// Runs the benchmarks and prints the table.
pub fn run(opts: &BenchOptions) -> Result<()> {
    std::fs::create_dir_all(&opts.dir)?;
    let dir = opts.dir.canonicalize()?;
    let styr = q(&opts.styr.canonicalize().context("the styr binary")?);
    let example = Path::new("examples/haninge-ks-2021")
        .canonicalize()
        .context("run from the repository's root")?;
    let py = dir.join("duckdb_group_by.py");
    std::fs::write(&py, DUCKDB_GROUP_BY)?;
    let python = duckdb_python(&dir)?;
    let paged = list_is_paged(&styr);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# styr ledger benchmark\n\nload average at start: {}; median of {} runs; release build\n",
        load(),
        opts.runs
    );
    for &n in &opts.sizes {
        let (sie, csv) = generate_shaped(&dir, n, opts.shape)?;
        let (s, c) = (q(&sie), q(&csv));
        let sie_mb = std::fs::metadata(&sie)?.len() as f64 / 1e6;
        // The yardsticks' table: the CSV's columns, all TEXT, no key.
        let columns = csv_columns(&csv)?;
        eprintln!("{n} transactions: SIE {sie_mb:.0} MB");
        let load_before = load();
        let mut m: Vec<Measured> = Vec::new();
        let none = || Ok(());
        let runs = opts.runs;
        m.push(median_of(
            "wc -l",
            runs,
            none,
            &format!("wc -l {s} >/dev/null"),
            "",
        )?);
        m.push(median_of(
            "styr sie check",
            runs,
            none,
            &format!("{styr} sie check {s} >/dev/null"),
            "",
        )?);
        m.push(median_of(
            "styr sie balances --format csv",
            runs,
            none,
            &format!("{styr} sie balances {s} --format csv >/dev/null"),
            "",
        )?);

        // SQLite: sqlite3 .import into an equivalent table, and the product's import.
        let sq = dir.join("import.sqlite3");
        let sqq = q(&sq);
        m.push(median_of(
            "sqlite3 .import (CSV)",
            runs,
            || {
                let _ = std::fs::remove_file(&sq);
                run_ok(&format!("sqlite3 {sqq} 'CREATE TABLE t ({columns})'"))?;
                Ok(())
            },
            &format!("sqlite3 {sqq} '.import --csv --skip 1 {} t'", csv.display()),
            "",
        )?);
        let base = dir.join("base.db");
        let _ = std::fs::remove_file(&base);
        run_ok(&format!(
            "{styr} import {} --db {} >/dev/null",
            q(&example),
            q(&base)
        ))?;
        let base_bytes = std::fs::metadata(&base)?.len();
        let db = dir.join(format!("styr-{n}.db"));
        let dbq = q(&db);
        let mut import = median_of(
            "styr actuals import (SQLite)",
            runs,
            || {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
                }
                std::fs::copy(&base, &db)?;
                Ok(())
            },
            &format!("{styr} actuals import {s} --db {dbq} >/dev/null 2>&1"),
            "",
        )?;
        let grown = std::fs::metadata(&db)?.len().saturating_sub(base_bytes);
        import.note = format!(
            "database +{:.0} MB, {:.1} bytes a transaction",
            grown as f64 / 1e6,
            grown as f64 / n as f64
        );
        m.push(import);

        if let Some(url) = &opts.postgres {
            let server = url.rsplit_once('/').map_or(url.as_str(), |(s, _)| s);
            let fresh = |name: &str| -> Result<String> {
                run_ok(&format!(
                    "psql -q '{url}' -c 'DROP DATABASE IF EXISTS {name}' -c 'CREATE DATABASE {name}'"
                ))?;
                Ok(format!("{server}/{name}"))
            };
            let copy_db = fresh("bench_copy")?;
            m.push(median_of(
                "psql \\copy (CSV)",
                runs,
                || {
                    run_ok(&format!(
                        "psql -q '{copy_db}' -c 'DROP TABLE IF EXISTS t' -c 'CREATE TABLE t \
                         ({columns})'"
                    ))?;
                    Ok(())
                },
                &format!("psql -q '{copy_db}' -c \"\\\\copy t FROM {c} CSV HEADER\""),
                "",
            )?);
            let pg_db = format!("{server}/bench_styr");
            m.push(median_of(
                "styr actuals import (PostgreSQL)",
                runs,
                || {
                    fresh("bench_styr")?;
                    run_ok(&format!(
                        "{styr} import {} --db '{pg_db}' >/dev/null",
                        q(&example)
                    ))?;
                    Ok(())
                },
                &format!("{styr} actuals import {s} --db '{pg_db}' >/dev/null 2>&1"),
                "",
            )?);
        }

        m.push(median_of(
            "styr report budget-vs-actual",
            runs,
            none,
            &format!("{styr} report budget-vs-actual --period 2021-10 --db {dbq} >/dev/null"),
            "the whole process",
        )?);
        let duck = run_ok(&format!("{} {} {c}", q(&python), q(&py)))?;
        let duck_seconds: f64 = duck
            .split_whitespace()
            .next()
            .and_then(|v| v.parse().ok())
            .context("DuckDB's figure")?;
        eprintln!("  DuckDB GROUP BY: {duck_seconds:.3} s");
        m.push(Measured {
            what: "DuckDB GROUP BY, in-memory table".into(),
            seconds: duck_seconds,
            peak_kb: 0,
            note: "query only, best of 5".into(),
        });
        // The drill-down's first page: `--limit` once the listing is paged, else the whole
        // listing (what a user had to wait for before the first row).
        let list = format!(
            "{styr} actuals list --line op.ksf.ksf --period 2021-10 --db {dbq} --format csv{}",
            if paged {
                format!(" --limit {PAGE}")
            } else {
                String::new()
            }
        );
        let listed = run_ok(&format!("{list} | wc -l"))?;
        let rows = listed.trim().parse::<u64>().unwrap_or(1).saturating_sub(1);
        m.push(median_of(
            "styr actuals list (first page)",
            runs,
            none,
            &format!("{list} >/dev/null"),
            &if paged {
                format!("--line op.ksf.ksf --period 2021-10 --limit {PAGE}: {rows} rows")
            } else {
                format!("--line op.ksf.ksf --period 2021-10, unpaged: {rows} rows")
            },
        )?);

        let _ = writeln!(
            out,
            "## {n} transactions ({sie_mb:.0} MB of SIE, {:?} shape)\n\nload average before: {load_before}\n\n| step | wall | peak memory | note |\n|---|---:|---:|---|",
            opts.shape
        );
        for row in &m {
            let peak = if row.peak_kb == 0 {
                "–".to_owned()
            } else {
                format!("{:.0} MB", row.peak_kb as f64 / 1024.0)
            };
            let _ = writeln!(
                out,
                "| {} | {:.3} s | {peak} | {} |",
                row.what, row.seconds, row.note
            );
        }
        let find = |what: &str| {
            m.iter()
                .find(|r| r.what.starts_with(what))
                .map(|r| r.seconds)
        };
        let ratio = |a: &str, b: &str| match (find(a), find(b)) {
            (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
            _ => "–".to_owned(),
        };
        let _ = writeln!(
            out,
            "\nratios: sie check / wc -l {}; sie balances / wc -l {}; import / sqlite3 .import {}; \
             import (PostgreSQL) / psql \\copy {}; report / DuckDB GROUP BY {}\n",
            ratio("styr sie check", "wc -l"),
            ratio("styr sie balances", "wc -l"),
            ratio("styr actuals import (SQLite)", "sqlite3 .import"),
            ratio("styr actuals import (PostgreSQL)", "psql \\copy"),
            ratio("styr report", "DuckDB"),
        );
        out.push_str(&issue_table(&m));
        let _ = writeln!(out, "\nload average after {n}: {}\n", load());
    }
    let _ = writeln!(out, "load average at end: {}", load());
    print!("{out}");
    std::fs::write(dir.join("results.md"), &out)?;
    Ok(())
}
