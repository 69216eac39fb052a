//! `cargo xtask bench-tenants`: many municipalities on one PostgreSQL server (issue 23).
//!
//! One generated ledger (or `--ledger FILE`) is imported with the product's own commands for
//! municipality after municipality (the example's plan package under the ids `k01`, `k02`, …,
//! then `styr actuals import`): each import is one municipality's one fiscal year, one
//! partition per ledger table (migration 0029). `styr report budget-vs-actual` for `k01` (the
//! whole process, median of `--runs`) is timed with one municipality loaded and again with all
//! of them, and the ratio printed; so are the report's ledger query's EXPLAIN figures
//! (partitions scanned, buffers), each import's time, and the bytes a transaction takes.

use crate::bench::{generate, load, q, run_ok, timed};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub struct TenantsBenchOptions {
    pub municipalities: u32,
    pub transactions: u64,
    /// A PostgreSQL URL; the run creates the database `bench_tenants` beside the one it names.
    pub postgres: String,
    pub ledger: Option<PathBuf>,
    pub dir: PathBuf,
    pub styr: PathBuf,
    pub runs: usize,
    pub period: String,
    /// Keep the database after the run (it holds every municipality's rows).
    pub keep: bool,
}

fn id(index: u32) -> String {
    format!("k{index:02}")
}

/// The example's plan package as municipality `municipality`.
fn package(dir: &Path, example: &Path, municipality: &str) -> Result<PathBuf> {
    let out = dir.join("packages").join(municipality);
    if !out.exists() {
        run_ok(&format!("cp -r {} {}", q(example), q(&out)))?;
        let toml = out.join("styr.toml");
        let text = std::fs::read_to_string(&toml)?;
        let changed = text.replacen("id = \"haninge\"", &format!("id = \"{municipality}\""), 1);
        if changed == text {
            bail!("{}: no `id = \"haninge\"` to replace", toml.display());
        }
        std::fs::write(&toml, changed)?;
        // The follow-up reports name their municipality on every row.
        run_ok(&format!(
            "sed -i 's/^haninge,/{municipality},/' {}/followup/*.csv",
            q(&out)
        ))?;
    }
    Ok(out)
}

/// The median wall time of `runs` runs of `cmd`.
fn median(cmd: &str, runs: usize) -> Result<f64> {
    let mut all = Vec::new();
    for _ in 0..runs.max(1) {
        all.push(timed(cmd)?.0);
    }
    all.sort_by(f64::total_cmp);
    Ok(all[all.len() / 2])
}

/// EXPLAIN (ANALYZE, BUFFERS) of the report's ledger read (`ledger::balances::read`: the
/// municipality's files, then their year balances by file number) for `municipality`: the plan's text,
/// the partitions of ledger_year_balances it scanned and the buffers. `joined`: the read as it was
/// before (one query joining ledger_files), for comparison.
fn explain(
    db: &str,
    municipality: &str,
    period: &str,
    joined: bool,
) -> Result<(String, usize, String)> {
    let year = &period[..4];
    let files = scalar(
        db,
        &format!(
            "SELECT string_agg(id::text, ',') FROM ledger_files \
             WHERE municipality = '{municipality}' AND scope = 'followup'"
        ),
    )?;
    let (from, filter) = if joined {
        (
            "ledger_year_balances b JOIN ledger_files f ON f.id = b.file".to_owned(),
            format!("f.municipality = '{municipality}' AND f.scope = 'followup'"),
        )
    } else {
        (
            "ledger_year_balances b".to_owned(),
            format!("b.file IN ({files})"),
        )
    };
    let sql = format!(
        "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT b.file, b.account, b.ansvar, \
         b.project_rows, b.a01, b.a12, b.r01, b.r12 FROM {from} WHERE {filter} \
         AND b.source = 'actual' AND b.year = {year}"
    );
    let plan = run_ok(&format!("psql -X -q '{db}' -c \"{sql}\""))?;
    // A scan node that ran (not "never executed") on a partition of ledger_year_balances.
    let scanned = plan
        .lines()
        .filter(|l| l.contains(" on ledger_year_balances_") && !l.contains("never executed"))
        .count();
    let buffers = plan
        .lines()
        .find(|l| l.trim_start().starts_with("Buffers:"))
        .map(|l| l.trim().to_owned())
        .unwrap_or_default();
    Ok((plan, scanned, buffers))
}

fn scalar(db: &str, sql: &str) -> Result<String> {
    Ok(run_ok(&format!("psql -X -q -t -A '{db}' -c \"{sql}\""))?
        .trim()
        .to_owned())
}

pub fn run(opts: &TenantsBenchOptions) -> Result<()> {
    std::fs::create_dir_all(opts.dir.join("packages"))?;
    let dir = opts.dir.canonicalize()?;
    let styr = q(&opts.styr.canonicalize().context("the styr binary")?);
    let example = Path::new("examples/haninge-ks-2021")
        .canonicalize()
        .context("run from the repository's root")?;
    let sie = match &opts.ledger {
        Some(ledger) => ledger.canonicalize()?,
        None => generate(&dir, opts.transactions)?.0,
    };
    let server = opts
        .postgres
        .rsplit_once('/')
        .map_or(opts.postgres.as_str(), |(s, _)| s);
    let db = format!("{server}/bench_tenants");
    run_ok(&format!(
        "psql -X -q '{}' -c 'DROP DATABASE IF EXISTS bench_tenants WITH (FORCE)' \
         -c 'CREATE DATABASE bench_tenants'",
        opts.postgres
    ))?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# styr: many municipalities on one PostgreSQL server\n\n\
         ledger {} ({:.0} MB), {} municipalities, report period {}, median of {} runs, \
         release build; load average at start: {}\n",
        sie.display(),
        std::fs::metadata(&sie)?.len() as f64 / 1e6,
        opts.municipalities,
        opts.period,
        opts.runs,
        load()
    );
    let report_in = |db: &str, municipality: &str| {
        format!(
            "{styr} report budget-vs-actual --period {} --db '{db}' --municipality {municipality} \
             >/dev/null",
            opts.period
        )
    };
    let report = |municipality: &str| report_in(&db, municipality);
    let mut imports: Vec<f64> = Vec::new();
    let mut one = None;
    let mut one_explain = None;
    for index in 1..=opts.municipalities {
        let municipality = id(index);
        let pkg = package(&dir, &example, &municipality)?;
        run_ok(&format!("{styr} import {} --db '{db}' >/dev/null", q(&pkg)))?;
        let (seconds, _, _) = timed(&format!(
            "{styr} actuals import {} --db '{db}' --municipality {municipality} >/dev/null 2>&1",
            q(&sie)
        ))?;
        imports.push(seconds);
        eprintln!(
            "{municipality}: actuals import {seconds:.2} s (load {})",
            load()
        );
        if index == 1 {
            run_ok(&format!("psql -X -q '{db}' -c 'ANALYZE'"))?;
            let seconds = median(&report("k01"), opts.runs)?;
            eprintln!("report k01 with 1 municipality: {seconds:.3} s");
            one = Some((seconds, load()));
            one_explain = Some(explain(&db, "k01", &opts.period, false)?);
        }
    }
    run_ok(&format!("psql -X -q '{db}' -c 'ANALYZE'"))?;
    let all = median(&report("k01"), opts.runs)?;
    let all_load = load();
    let last = id(opts.municipalities);
    let all_last = median(&report(&last), opts.runs)?;
    let all_explain = explain(&db, "k01", &opts.period, false)?;
    let joined_explain = explain(&db, "k01", &opts.period, true)?;
    let (one, one_load) = one.context("no municipality")?;
    let one_explain = one_explain.context("no municipality")?;

    // The fair comparison: a second database with k01 alone, its report run in turn with the
    // report on the full one, so that both see the same load on the machine.
    let one_db = format!("{server}/bench_tenants_one");
    run_ok(&format!(
        "psql -X -q '{}' -c 'DROP DATABASE IF EXISTS bench_tenants_one WITH (FORCE)' \
         -c 'CREATE DATABASE bench_tenants_one'",
        opts.postgres
    ))?;
    run_ok(&format!(
        "{styr} import {} --db '{one_db}' >/dev/null && {styr} actuals import {} --db '{one_db}' \
         --municipality k01 >/dev/null 2>&1 && psql -X -q '{one_db}' -c ANALYZE",
        q(&dir.join("packages").join("k01")),
        q(&sie)
    ))?;
    let (mut alone, mut among) = (Vec::new(), Vec::new());
    for _ in 0..opts.runs.max(1) {
        alone.push(timed(&report_in(&one_db, "k01"))?.0);
        among.push(timed(&report("k01"))?.0);
    }
    alone.sort_by(f64::total_cmp);
    among.sort_by(f64::total_cmp);
    let (alone, among) = (alone[alone.len() / 2], among[among.len() / 2]);
    let interleaved_load = load();
    eprintln!("in turn: k01 alone {alone:.3} s, among all {among:.3} s");

    // Replacing a file: the product's re-import (its partitions dropped) and, for comparison,
    // what deleting its rows would cost (rolled back).
    let file: i64 = scalar(&db, "SELECT MIN(id) FROM ledger_files")?.parse()?;
    let delete = timed(&format!(
        "psql -X -q '{db}' -c 'BEGIN' -c 'DELETE FROM ledger_packs WHERE file = {file}' \
         -c 'ROLLBACK'"
    ))?
    .0;
    let reimport = timed(&format!(
        "{styr} actuals import {} --db '{db}' --municipality k01 >/dev/null 2>&1",
        q(&sie)
    ))?
    .0;
    eprintln!("re-import of k01: {reimport:.2} s; DELETE of its rows: {delete:.2} s");
    if !opts.keep {
        run_ok(&format!(
            "psql -X -q '{}' -c 'DROP DATABASE IF EXISTS bench_tenants_one WITH (FORCE)'",
            opts.postgres
        ))?;
    }

    let transactions: u64 = scalar(
        &db,
        "SELECT transactions FROM ledger_files WHERE id = (SELECT MIN(id) FROM ledger_files)",
    )?
    .parse()
    .unwrap_or(opts.transactions);
    let file: i64 = scalar(&db, "SELECT MIN(id) FROM ledger_files")?.parse()?;
    let bytes: u64 = scalar(
        &db,
        &format!(
            "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c \
             WHERE c.relname IN ('ledger_texts_{file}', 'ledger_voucher_packs_{file}', \
             'ledger_packs_{file}', 'ledger_sums_{file}', 'ledger_balances_{file}', \
             'ledger_year_balances_{file}')"
        ),
    )?
    .parse()?;
    let rows_bytes: u64 = scalar(
        &db,
        &format!("SELECT pg_total_relation_size('ledger_packs_{file}')"),
    )?
    .parse()?;
    let sums_rows: u64 = scalar(
        &db,
        &format!("SELECT COUNT(*) FROM ledger_sums WHERE file = {file}"),
    )?
    .parse()?;
    let database: u64 = scalar(&db, "SELECT pg_database_size(current_database())")?.parse()?;
    let partitions: u64 = scalar(
        &db,
        "SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'ledger_packs'::regclass",
    )?
    .parse()?;
    let mut sorted = imports.clone();
    sorted.sort_by(f64::total_cmp);
    let import_median = sorted[sorted.len() / 2];

    let _ = writeln!(
        out,
        "| step | figure | load average |\n|---|---|---|\n\
         | `report budget-vs-actual` k01, 1 municipality loaded | {one:.3} s | {one_load} |\n\
         | `report budget-vs-actual` k01, {n} loaded | {all:.3} s | {all_load} |\n\
         | `report budget-vs-actual` {last}, {n} loaded | {all_last:.3} s | |\n\
         | ratio k01 {n} / 1 (the two above, run one after the other) | {ratio:.2}× | |\n\
         | in turn: k01 in a database of its own / among {n} | {alone:.3} s / {among:.3} s = {turn:.2}× | {interleaved_load} |\n\
         | re-import of k01 among {n} (its partitions dropped) | {reimport:.2} s | |\n\
         | `DELETE` of k01's ledger_packs instead (rolled back) | {delete:.2} s | |\n\
         | `actuals import` of one municipality, median of {n} (first, last) | {import_median:.2} s ({first:.2}, {last_import:.2}) | |\n\
         | import rate | {rate:.0} transactions/s | |\n\
         | one municipality's file: its partitions | {mb:.0} MB, {per_tx:.1} B/transaction (ledger_packs {rows_per_tx:.1} B) | |\n\
         | its monthly sums (ledger_sums rows) | {sums_rows} | |\n\
         | database with {n} municipalities | {db_gb:.2} GB, {partitions} ledger_packs partitions | |\n\
         | ledger_year_balances partitions the report's query scanned (1 / {n} loaded) | {s1} / {sn} | |\n\
         | … had it joined ledger_files as before ({n} loaded) | {sj} | |\n",
        n = opts.municipalities,
        ratio = all / one,
        turn = among / alone,
        first = imports[0],
        last_import = imports[imports.len() - 1],
        rate = transactions as f64 / import_median,
        mb = bytes as f64 / 1e6,
        per_tx = bytes as f64 / transactions as f64,
        rows_per_tx = rows_bytes as f64 / transactions as f64,
        db_gb = database as f64 / 1e9,
        s1 = one_explain.1,
        sn = all_explain.1,
        sj = joined_explain.1,
    );
    let _ = writeln!(
        out,
        "EXPLAIN (ANALYZE, BUFFERS) of the report's ledger query for k01, {} loaded:\n\n```\n{}```\n\n\
         with 1 loaded: {}; joined as before, {} loaded: {}\n",
        opts.municipalities, all_explain.0, one_explain.2, opts.municipalities, joined_explain.2
    );
    print!("{out}");
    std::fs::write(dir.join("report.md"), &out)?;
    if !opts.keep {
        run_ok(&format!(
            "psql -X -q '{}' -c 'DROP DATABASE IF EXISTS bench_tenants WITH (FORCE)'",
            opts.postgres
        ))?;
    }
    Ok(())
}
