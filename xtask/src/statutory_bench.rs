//! `cargo xtask bench-statutory`: the municipality's statutory reports (issue 22) timed as a
//! user makes them. A database holds the bundled example plans (`styr import examples`: KF,
//! KS, BUN, SN, Haninge Bostäder), a generated ledger of N transactions shaped like the real
//! files (`gen-ledger`'s generator, the same one `cargo xtask bench` uses) imported for KS,
//! KS's delårsrapport 2 reports and KF's bokslut file (the financial statements); then the
//! whole command `styr render --report arsredovisning --year 2021` (HTML, PDF, Excel) and
//! `styr render --report delarsrapport --period 2021-08` (HTML and PDF), each run `runs`
//! times: median, p90, min and max wall time and the median run's peak memory, written to
//! `results.md` too.

use crate::bench::{load, q, run_ok, timed};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub struct Options {
    pub dir: PathBuf,
    pub styr: PathBuf,
    pub transactions: u64,
    pub runs: usize,
}

struct Timing {
    what: String,
    median: f64,
    p90: f64,
    min: f64,
    max: f64,
    peak_kb: u64,
    bytes: u64,
}

/// The percentile `p` (0–100) of sorted values, nearest rank.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn time_command(what: &str, cmd: &str, out: &Path, runs: usize) -> Result<Timing> {
    let mut all = Vec::with_capacity(runs);
    for _ in 0..runs.max(1) {
        let _ = std::fs::remove_file(out);
        let (wall, peak, _) = timed(cmd)?;
        all.push((wall, peak));
    }
    let bytes = std::fs::metadata(out)
        .with_context(|| format!("{what} wrote no {}", out.display()))?
        .len();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let walls: Vec<f64> = all.iter().map(|a| a.0).collect();
    let timing = Timing {
        what: what.to_owned(),
        median: walls[walls.len() / 2],
        p90: percentile(&walls, 90.0),
        min: walls[0],
        max: walls[walls.len() - 1],
        peak_kb: all[all.len() / 2].1,
        bytes,
    };
    eprintln!(
        "  {what}: median {:.3} s, p90 {:.3} s, {:.0} MB",
        timing.median,
        timing.p90,
        timing.peak_kb as f64 / 1024.0
    );
    Ok(timing)
}

pub fn run(opts: &Options) -> Result<()> {
    let styr = opts
        .styr
        .canonicalize()
        .with_context(|| format!("{} (build it first)", opts.styr.display()))?;
    let styr_q = q(&styr);
    std::fs::create_dir_all(&opts.dir)?;
    let dir = opts.dir.canonicalize()?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let examples = root.join("examples");
    let ks = examples.join("haninge-ks-2021");
    let n = opts.transactions;
    let (sie, _) = crate::bench::generate(&dir, n)?;

    // The database: every example plan, the ledger for KS, KS's delårsrapport 2 reports.
    let db = dir.join(format!("statutory-{n}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let dbq = q(&db);
    run_ok(&format!(
        "{styr_q} import {} --db {dbq} >/dev/null",
        q(&examples)
    ))?;
    eprintln!("importing {n} transactions for KS …");
    let (import_s, _, _) = timed(&format!(
        "{styr_q} actuals import {} --db {dbq} --body ks >/dev/null 2>&1",
        q(&sie)
    ))?;
    run_ok(&format!(
        "{styr_q} followup import {} --db {dbq} --body ks >/dev/null 2>&1",
        q(&ks.join("followup/delar2-2021.csv"))
    ))?;
    // KF's bokslut file: the financial statements and the balanskravsutredning.
    run_ok(&format!(
        "{styr_q} actuals import {} --bokslut --body kf --db {dbq} >/dev/null 2>&1",
        q(&examples.join("haninge-kf-2021/ledger/kommun-2021.se"))
    ))?;
    let db_bytes = std::fs::metadata(&db)?.len();

    let mut timings = Vec::new();
    for (what, report, when, format, file) in [
        (
            "årsredovisning 2021, HTML",
            "arsredovisning",
            "--year 2021",
            "html",
            "ar.html",
        ),
        (
            "årsredovisning 2021, PDF",
            "arsredovisning",
            "--year 2021",
            "pdf",
            "ar.pdf",
        ),
        (
            "årsredovisning 2021, Excel",
            "arsredovisning",
            "--year 2021",
            "xlsx",
            "ar.xlsx",
        ),
        (
            "delårsrapport 2021-08, HTML",
            "delarsrapport",
            "--period 2021-08",
            "html",
            "d.html",
        ),
        (
            "delårsrapport 2021-08, PDF",
            "delarsrapport",
            "--period 2021-08",
            "pdf",
            "d.pdf",
        ),
    ] {
        let out = dir.join(file);
        let cmd = format!(
            "{styr_q} render --db {dbq} --report {report} {when} --format {format} -o {} 2>/dev/null",
            q(&out)
        );
        timings.push(time_command(what, &cmd, &out, opts.runs)?);
    }
    // The report must be the statutory one: its headings, not a body's report.
    let html = std::fs::read_to_string(dir.join("ar.html"))?;
    if !html.contains("Förvaltningsberättelse") || !html.contains("Balanskravsutredning") {
        bail!("ar.html is not the municipality's årsredovisning");
    }

    let mut md = String::new();
    writeln!(
        md,
        "# bench-statutory\n\n{n} ledger transactions (generated, seed 2021) imported for KS \
         in {import_s:.1} s; database {:.0} MB; {} runs per row; load before: {}\n",
        db_bytes as f64 / 1e6,
        opts.runs,
        load()
    )?;
    writeln!(
        md,
        "| command (`styr render …`) | median s | p90 s | min s | max s | peak MB | output kB |\n|---|---:|---:|---:|---:|---:|---:|"
    )?;
    for t in &timings {
        writeln!(
            md,
            "| {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.0} | {:.0} |",
            t.what,
            t.median,
            t.p90,
            t.min,
            t.max,
            t.peak_kb as f64 / 1024.0,
            t.bytes as f64 / 1024.0
        )?;
    }
    std::fs::write(dir.join("results.md"), &md)?;
    println!("{md}");
    Ok(())
}
