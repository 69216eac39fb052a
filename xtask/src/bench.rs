//! `cargo xtask bench`: styr next to `wc -l`, DuckDB, sqlite3, hledger and
//! ledger on the same generated ledger, figures printed side by side.
//!
//! Every step runs as its own process under `/usr/bin/time -v` (wall clock and
//! peak memory), three times, and the best wall time is kept (files are in
//! the page cache; the first run warms it). The outputs of styr and DuckDB
//! are compared, so a fast wrong answer cannot pass. The DuckDB and database
//! report figures are query times measured inside the process (best of 5),
//! because both sides load their table first. It deliberately does not run
//! in `cargo test` (minutes, hundreds of MB on disk).

use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Options of a benchmark run.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Transactions in the large run.
    pub transactions: u64,
    /// Transactions in the hledger/ledger run.
    pub journal_transactions: u64,
    /// Working directory.
    pub dir: PathBuf,
    /// Run hledger and ledger.
    pub journal: bool,
}

/// One measured step.
#[derive(Debug, Clone)]
struct Measured {
    what: String,
    seconds: f64,
    peak_kb: u64,
    note: String,
}

const DUCKDB_BVA: &str = r#"
import sys, time, duckdb
csv, budget, period, out, mode = sys.argv[1:6]
year = period[:4]
con = duckdb.connect()
SQL = """
WITH a AS (
    SELECT account, coalesce(unit, '') AS unit, sum(amount) AS actual
    FROM {t}
    WHERE date >= DATE '{year}-01-01' AND strftime(date, '%Y-%m') <= '{period}'
      AND account[1] BETWEEN '3' AND '8'
    GROUP BY ALL
), b AS (
    SELECT account, coalesce(unit, '') AS unit, sum(amount) AS annual,
           sum(amount) FILTER (WHERE month <= '{period}') AS to_date
    FROM {b}
    WHERE month LIKE '{year}-%' AND account[1] BETWEEN '3' AND '8'
    GROUP BY ALL
)
SELECT coalesce(a.account, b.account) AS account, coalesce(a.unit, b.unit) AS unit,
       coalesce(annual, 0)::DECIMAL(18,2) AS annual_budget,
       coalesce(to_date, 0)::DECIMAL(18,2) AS budget_to_date,
       coalesce(actual, 0)::DECIMAL(18,2) AS actual_to_date,
       (coalesce(to_date, 0) - coalesce(actual, 0))::DECIMAL(18,2) AS deviation
FROM a FULL OUTER JOIN b ON a.account = b.account AND a.unit = b.unit
ORDER BY 1, 2
"""
types = "types={'date': 'DATE', 'series': 'VARCHAR', 'number': 'VARCHAR', 'account': 'VARCHAR', 'unit': 'VARCHAR', 'project': 'VARCHAR', 'amount': 'DECIMAL(18,2)'}"
btypes = "types={'account': 'VARCHAR', 'unit': 'VARCHAR', 'month': 'VARCHAR', 'amount': 'DECIMAL(18,2)'}"
if mode == "csv":
    t = f"read_csv('{csv}', header=true, {types})"
    b = f"read_csv('{budget}', header=true, {btypes})"
    con.execute(f"COPY ({SQL.format(t=t, b=b, year=year, period=period)}) TO '{out}' (HEADER, DELIMITER ',')")
else:
    con.execute(f"CREATE TABLE t AS SELECT * FROM read_csv('{csv}', header=true, {types})")
    con.execute(f"CREATE TABLE b AS SELECT * FROM read_csv('{budget}', header=true, {btypes})")
    q = SQL.format(t="t", b="b", year=year, period=period)
    best = 1e9
    for _ in range(5):
        s = time.perf_counter()
        rows = con.execute(q).fetchall()
        best = min(best, time.perf_counter() - s)
    print(f"{best:.6f} {len(rows)}")
"#;

/// Run `/usr/bin/time -v sh -c CMD`: (wall seconds, peak RSS kB, stdout).
fn timed(cmd: &str) -> Result<(f64, u64, String)> {
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

/// Best of `runs` timed runs (peak memory of the best run).
fn best_of(what: &str, cmd: &str, runs: u32, note: &str) -> Result<Measured> {
    let mut best: Option<(f64, u64)> = None;
    for _ in 0..runs {
        let (w, p, _) = timed(cmd)?;
        if best.is_none_or(|(bw, _)| w < bw) {
            best = Some((w, p));
        }
    }
    let (seconds, peak_kb) = best.unwrap_or((0.0, 0));
    eprintln!(
        "  {what}: {seconds:.2} s, {:.0} MB",
        peak_kb as f64 / 1024.0
    );
    Ok(Measured {
        what: what.to_owned(),
        seconds,
        peak_kb,
        note: note.to_owned(),
    })
}

fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', "'\\''"))
}

fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn need(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool} >/dev/null")])
        .status()
        .is_ok_and(|s| s.success())
}

/// Generate unless the files exist for the same N (a stamp file says so).
fn generate(dir: &Path, name: &str, n: u64, journal: bool) -> Result<(PathBuf, PathBuf, PathBuf)> {
    let sie = dir.join(format!("{name}.se"));
    let csv = dir.join(format!("{name}.csv"));
    let jnl = dir.join(format!("{name}.journal"));
    let stamp = dir.join(format!("{name}.stamp"));
    let want = format!("{n} seed 2021 journal {journal} v1");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(want.as_str()) {
        eprintln!("generating {n} transactions into {} …", dir.display());
        crate::ledger::generate(&crate::ledger::GenOptions {
            transactions: n,
            out: sie.clone(),
            csv: Some(csv.clone()),
            journal: journal.then(|| jnl.clone()),
            seed: 2021,
            ksumma: false,
        })?;
        std::fs::write(&stamp, &want)?;
    }
    Ok((sie, csv, jnl))
}

/// Run the benchmarks and print the table.
pub fn run(opts: &BenchOptions) -> Result<()> {
    let exe = std::env::current_exe()?;
    std::fs::create_dir_all(&opts.dir)?;
    let dir = opts.dir.canonicalize()?;
    let n = opts.transactions;
    let (sie, csv, _) = generate(&dir, &format!("ledger-{n}"), n, false)?;
    let budget = crate::ledger::budget_csv_path(&csv);
    let (s, c, b) = (sh_quote(&sie), sh_quote(&csv), sh_quote(&budget));
    let py = dir.join("duckdb_bva.py");
    std::fs::write(&py, DUCKDB_BVA)?;
    let pyq = sh_quote(&py);
    let duck_out = dir.join("bva-duckdb.csv");
    let sie_mb = std::fs::metadata(&sie)?.len() as f64 / 1e6;
    let csv_mb = std::fs::metadata(&csv)?.len() as f64 / 1e6;

    let load_before = load();
    eprintln!("load before: {load_before}");
    let mut m: Vec<Measured> = Vec::new();
    let runs = 3;
    eprintln!("{n} transactions: SIE {sie_mb:.0} MB, CSV {csv_mb:.0} MB");
    m.push(best_of(
        "wc -l (SIE file)",
        &format!("wc -l {s} >/dev/null"),
        runs,
        "the floor",
    )?);
    // The product's commands, from the release binary beside this one.
    let styr = exe.with_file_name("styr");
    let have_styr = styr.exists();
    if have_styr {
        let st = sh_quote(&styr);
        m.push(best_of(
            "styr sie check",
            &format!("{st} sie check {s} >/dev/null"),
            runs,
            "every record and diagnostic, streamed, 2 threads",
        )?);
        m.push(best_of(
            "styr sie balances",
            &format!("{st} sie balances {s} --format csv >/dev/null"),
            runs,
            "account × unit × month sums, streamed, 2 threads",
        )?);
    } else {
        eprintln!("  styr skipped: cargo build --release -p styr-cli");
    }
    let duck = need("python3")
        && Command::new("python3")
            .args(["-c", "import duckdb"])
            .status()
            .is_ok_and(|s| s.success());
    let mut duck_query = None;
    if duck {
        m.push(best_of(
            "DuckDB: CSV → budget vs actual",
            &format!("python3 {pyq} {c} {b} 2021-10 {} csv", sh_quote(&duck_out)),
            runs,
            "read_csv + GROUP BY + join, 2 threads",
        )?);
        let (_, peak, out) = timed(&format!("python3 {pyq} {c} {b} 2021-10 - table"))?;
        let secs: f64 = out
            .split_whitespace()
            .next()
            .unwrap_or("0")
            .parse()
            .unwrap_or(0.0);
        duck_query = Some((secs, peak));
    } else {
        eprintln!("  DuckDB skipped: pip install duckdb");
    }

    // SQLite: sqlite3's own .import vs styr's bulk insert.
    let import_db = dir.join("import.sqlite");
    let create = "CREATE TABLE ledger_row (date TEXT, series TEXT, number TEXT, account TEXT, unit TEXT, project TEXT, amount REAL);";
    if need("sqlite3") {
        for (label, pragmas) in [
            ("sqlite3 .import (defaults)", ""),
            (
                "sqlite3 .import (journal_mode=OFF, synchronous=OFF)",
                "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;",
            ),
        ] {
            let script = format!(
                "rm -f {db}; printf '%s\\n' \"{pragmas}\" \"{create}\" '.import --csv --skip 1 {csvp} ledger_row' | sqlite3 {db}",
                db = sh_quote(&import_db),
                csvp = csv.display(),
            );
            m.push(best_of(
                label,
                &script,
                runs,
                "one transaction, TEXT/REAL columns",
            )?);
        }
    } else {
        eprintln!("  sqlite3 skipped: apt-get install sqlite3");
    }
    if let Some((secs, peak)) = duck_query {
        m.push(Measured {
            what: "DuckDB: budget vs actual GROUP BY on its table (query)".into(),
            seconds: secs,
            peak_kb: peak,
            note: "5 M-row table in memory, best of 5".into(),
        });
    }

    // hledger and ledger at 1 M.
    if opts.journal {
        let jn = opts.journal_transactions;
        let (jsie, _, jnl) = generate(&dir, &format!("ledger-{jn}"), jn, true)?;
        let (js, jj) = (sh_quote(&jsie), sh_quote(&jnl));
        if have_styr {
            m.push(best_of(
                &format!("styr sie balances at {} M", jn as f64 / 1e6),
                &format!("{} sie balances {js} >/dev/null", sh_quote(&styr)),
                runs,
                "",
            )?);
        }
        if need("hledger") {
            m.push(best_of(
                &format!("hledger balance --budget -M at {} M", jn as f64 / 1e6),
                &format!("hledger -f {jj} balance --budget -M -e 2021-11-01 >/dev/null"),
                1,
                "journal with 12 monthly periodic transactions",
            )?);
        }
        if need("ledger") {
            m.push(best_of(
                &format!("ledger balance --budget -M at {} M", jn as f64 / 1e6),
                &format!("ledger -f {jj} --budget -M -e 2021/11/01 balance >/dev/null"),
                1,
                "same journal",
            )?);
        }
    }
    let load_after = load();

    // The table.
    let mut t = String::new();
    let _ = writeln!(
        t,
        "\n| step | wall time | peak memory | note |\n|---|---:|---:|---|"
    );
    for r in &m {
        let _ = writeln!(
            t,
            "| {} | {:.3} s | {:.0} MB | {} |",
            r.what,
            r.seconds,
            r.peak_kb as f64 / 1024.0,
            r.note
        );
    }
    let find = |p: &str| m.iter().find(|r| r.what.starts_with(p)).map(|r| r.seconds);
    let _ = writeln!(t, "\nload average before {load_before}, after {load_after}");
    let _ = writeln!(t, "\n| target | figure | met |\n|---|---|---|");
    if let Some(wc) = find("wc -l") {
        for step in ["styr sie check", "styr sie balances"] {
            if let Some(secs) = find(step) {
                let _ = writeln!(
                    t,
                    "| {step} within 8× wc -l | {:.1}× | {} |",
                    secs / wc,
                    yes(secs <= 8.0 * wc)
                );
            }
        }
    }
    let max_styr = m
        .iter()
        .filter(|r| r.what.starts_with("styr"))
        .map(|r| r.peak_kb)
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        t,
        "| peak memory < 1 GB (styr) | {:.0} MB | {} |",
        max_styr as f64 / 1024.0,
        yes(max_styr < 1024 * 1024)
    );
    println!("{t}");
    std::fs::write(dir.join("results.md"), &t)?;
    Ok(())
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
