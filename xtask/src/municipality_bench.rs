//! `cargo xtask bench-municipality`: a whole municipality (KF and 12 bodies, issue 20) as a
//! user runs it, with the release binary.
//!
//! Writes a generated municipality with `gen-municipality` (and one with injected errors),
//! then times, each as its own process, `runs` times, the median kept (spawn to exit, output
//! discarded; the peak memory from one more run under `/usr/bin/time -v`):
//! - `styr import DIR --db FRESH.db` (a new SQLite file each run);
//! - `styr check DIR` on the folder, without and with the injected errors (the errors' count
//!   of findings is checked against what was injected);
//! - `styr check --db DB` on the imported database;
//! - then `styr serve` on the imported database, logged in as a reader made with `styr user
//!   add`, and `wrk` on the municipal overview page (`/kommun?period=…`): requests per second
//!   and p99.
//!
//! With `--postgres URL` (an empty database) the import, the check of the database and the
//! overview are measured on PostgreSQL too. The table goes to stdout and `DIR/results.md`.

use crate::bench::{load, timed};
use crate::municipality::{Generated, MunicipalityOptions, write};
use crate::web_bench::{login_cookie, request, start_with, wrk};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Options of the benchmark.
#[derive(Debug, Clone)]
pub struct Options {
    pub dir: PathBuf,
    pub styr: PathBuf,
    pub bodies: usize,
    pub runs: usize,
    pub seconds: u64,
    pub connections: u32,
    pub postgres: Option<String>,
}

/// The period the overview page is asked for: October's month report of the calendar.
const PERIOD: &str = "2021-10";

/// The reader the overview is loaded as, and a password of letters only (form-encoded as is).
const READER: &str = "bench";
const PASSWORD: &str = "benchmarkpassword2021xyz";

/// A measured step: median wall ms of the runs, peak memory in kB of one more run.
struct Step {
    what: String,
    backend: &'static str,
    ms: f64,
    peak_kb: u64,
    note: String,
}

/// The exit codes `styr ARGS` may end with: 0, or 1 when a check finds errors.
fn run_styr(styr: &Path, args: &[&str], ok: &[i32]) -> Result<()> {
    let status = Command::new(styr)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("running styr")?;
    if !status.code().is_some_and(|code| ok.contains(&code)) {
        bail!("styr {args:?} ended with {status}");
    }
    Ok(())
}

/// Runs `prepare` (untimed) and `styr ARGS` (timed, spawn to exit) `runs` times: the median in
/// ms; then once more under `/usr/bin/time -v` for the peak memory.
fn measure(
    what: &str,
    backend: &'static str,
    opts: &Options,
    styr: &Path,
    args: &[&str],
    ok: &[i32],
    mut prepare: impl FnMut() -> Result<()>,
) -> Result<Step> {
    let mut all = Vec::new();
    for _ in 0..opts.runs.max(1) {
        prepare()?;
        let start = Instant::now();
        run_styr(styr, args, ok)?;
        all.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    all.sort_by(f64::total_cmp);
    let ms = all[all.len() / 2];
    prepare()?;
    let words: Vec<String> = std::iter::once(styr.display().to_string())
        .chain(args.iter().map(|a| (*a).to_owned()))
        .map(|w| format!("'{}'", w.replace('\'', "'\\''")))
        .collect();
    let codes: Vec<String> = ok.iter().map(|c| format!("[ $? -eq {c} ]")).collect();
    let (_, peak_kb, _) = timed(&format!(
        "{} >/dev/null 2>&1; {}",
        words.join(" "),
        codes.join(" || ")
    ))?;
    eprintln!(
        "  {what} ({backend}): median {ms:.0} ms of {} (min {:.0}, max {:.0}), {:.0} MB",
        all.len(),
        all[0],
        all[all.len() - 1],
        peak_kb as f64 / 1024.0
    );
    Ok(Step {
        what: what.to_owned(),
        backend,
        ms,
        peak_kb,
        note: String::new(),
    })
}

fn remove_sqlite(db: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let path = PathBuf::from(format!("{}{suffix}", db.display()));
        if path.exists() {
            std::fs::remove_file(&path)?;
        }
    }
    Ok(())
}

/// Empties a PostgreSQL database: drops and recreates its public schema.
fn empty_postgres(url: &str) -> Result<()> {
    crate::bench::run_ok(&format!(
        "psql -q '{url}' -c 'DROP SCHEMA public CASCADE' -c 'CREATE SCHEMA public'"
    ))?;
    Ok(())
}

/// The findings `styr check --format json` prints for a folder of plans: errors over every plan
/// and across them.
fn errors_found(styr: &Path, folder: &Path) -> Result<usize> {
    let output = Command::new(styr)
        .args(["check", &folder.display().to_string(), "--format", "json"])
        .output()
        .context("styr check --format json")?;
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("styr check's JSON")?;
    let errors = |report: &serde_json::Value| {
        report
            .as_array()
            .map_or(0, |f| f.iter().filter(|f| f["severity"] == "error").count())
    };
    let mut count = errors(&json["across"]);
    for plan in json["plans"].as_array().into_iter().flatten() {
        count += errors(&plan["report"]);
    }
    Ok(count)
}

/// The overview under wrk: (requests/s, p99 ms, wrk's timeouts, the page's size in bytes);
/// `None` when the
/// server has no `/kommun` (a build before the municipal overview).
fn overview(opts: &Options, styr: &Path, db: &str) -> Result<Option<(f64, f64, u64, usize)>> {
    let server = start_with(styr, &["serve", "--db", db, "--addr", "127.0.0.1:0"])?;
    let cookie = login_cookie(&server.addr, READER, PASSWORD)?;
    let path = format!("/kommun?period={PERIOD}");
    // The first request computes the roll-up; it also shows that the page has every body.
    let (status, _, body) = request(&server.addr, "GET", &path, &[("Cookie", &cookie)], "")?;
    if status == 404 {
        eprintln!("  {path}: 404, the server has no municipal overview; not measured");
        return Ok(None);
    }
    if status != 200 {
        bail!("{path} gav {status}");
    }
    for name in [
        "Kommunstyrelsen",
        "Barn- och utbildningsnämnden",
        "Tekniska nämnden",
    ] {
        if !body.contains(name) {
            bail!("{path} visar inte {name}");
        }
    }
    println!(
        "== {path} som läsare, {} anslutningar, {} s",
        opts.connections, opts.seconds
    );
    let (rps, p99, timeouts) = wrk(&server.addr, &path, &cookie, opts.seconds, opts.connections)?;
    Ok(Some((rps, p99, timeouts, body.len())))
}

fn add_reader(styr: &Path, db: &str) -> Result<()> {
    let mut child = Command::new(styr)
        .args([
            "user",
            "add",
            READER,
            "--role",
            "reader",
            "--password-stdin",
            "--db",
            db,
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()?;
    std::io::Write::write_all(
        &mut child.stdin.take().context("stdin")?,
        format!("{PASSWORD}\n").as_bytes(),
    )?;
    if !child.wait()?.success() {
        bail!("styr user add {READER} failed");
    }
    Ok(())
}

/// The import, the check of the database and the overview on one backend. `fresh` empties the
/// database before each import.
fn backend_steps(
    opts: &Options,
    styr: &Path,
    folder: &Path,
    backend: &'static str,
    db: &str,
    fresh: &dyn Fn() -> Result<()>,
    steps: &mut Vec<Step>,
) -> Result<Option<(f64, f64, u64, usize)>> {
    let folder = folder.display().to_string();
    steps.push(measure(
        "styr import DIR --db (a new database)",
        backend,
        opts,
        styr,
        &["import", &folder, "--db", db],
        &[0],
        fresh,
    )?);
    // The last import stays for the check and the server.
    steps.push(measure(
        "styr check --db DB",
        backend,
        opts,
        styr,
        &["check", "--db", db],
        &[0],
        || Ok(()),
    )?);
    add_reader(styr, db)?;
    overview(opts, styr, db)
}

/// Runs the benchmark and prints the table.
pub fn run(opts: &Options) -> Result<()> {
    std::fs::create_dir_all(&opts.dir)?;
    let dir = opts.dir.canonicalize()?;
    let styr = opts.styr.canonicalize().context("the styr binary")?;
    let load_start = load();
    let clean = dir.join("kommun");
    let broken = dir.join("kommun-fel");
    let errors = 12;
    let mut generated: Vec<Generated> = Vec::new();
    for (folder, errors) in [(&clean, 0), (&broken, errors)] {
        if folder.exists() {
            std::fs::remove_dir_all(folder)?;
        }
        generated.push(write(
            &MunicipalityOptions {
                bodies: opts.bodies,
                goals: 40,
                rows: 300,
                errors,
                seed: 20,
            },
            folder,
        )?);
    }
    let size = &generated[0];
    eprintln!(
        "KF and {} bodies, {} goals, {} operating rows; {} errors injected in {}",
        size.bodies,
        size.goals,
        size.rows,
        generated[1].injected.len(),
        broken.display()
    );
    // The errors the check must find: each injected error's findings.
    let expected: usize = generated[1]
        .injected
        .iter()
        .map(|i| i.expected().len())
        .sum();
    let found = errors_found(&styr, &broken)?;
    if found != expected {
        bail!(
            "styr check found {found} errors in {}, {expected} injected",
            broken.display()
        );
    }
    if errors_found(&styr, &clean)? != 0 {
        bail!("styr check finds errors in {}", clean.display());
    }

    let mut steps = Vec::new();
    let clean_text = clean.display().to_string();
    let broken_text = broken.display().to_string();
    steps.push(measure(
        "styr check DIR",
        "files",
        opts,
        &styr,
        &["check", &clean_text],
        &[0],
        || Ok(()),
    )?);
    let mut with_errors = measure(
        "styr check DIR (injected errors)",
        "files",
        opts,
        &styr,
        &["check", &broken_text],
        &[1],
        || Ok(()),
    )?;
    with_errors.note = format!(
        "{} injected, {found} errors found",
        generated[1].injected.len()
    );
    steps.push(with_errors);

    let db = dir.join("kommun.db");
    let db_text = db.display().to_string();
    let fresh_sqlite = || remove_sqlite(&db);
    let mut pages = vec![(
        "SQLite",
        backend_steps(
            opts,
            &styr,
            &clean,
            "SQLite",
            &db_text,
            &fresh_sqlite,
            &mut steps,
        )?,
    )];
    if let Some(url) = &opts.postgres {
        let fresh_postgres = || empty_postgres(url);
        pages.push((
            "PostgreSQL",
            backend_steps(
                opts,
                &styr,
                &clean,
                "PostgreSQL",
                url,
                &fresh_postgres,
                &mut steps,
            )?,
        ));
    }

    let commit = crate::bench::run_ok("git rev-parse --short HEAD")
        .map(|c| c.trim().to_owned())
        .unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# styr: the whole municipality (issue 20)\n\n\
         KF and {} bodies ({} goals, {} operating rows; `cargo xtask gen-municipality`, seed \
         20); commit {commit}; binary {}; median of {} runs, the whole process (a fresh database \
         for each import, its schema made by the import)\n\n\
         load average at start: {load_start}\n\n\
         | step | backend | wall (median) | peak memory | note |\n|---|---|---:|---:|---|",
        size.bodies,
        size.goals,
        size.rows,
        styr.display(),
        opts.runs,
    );
    for step in &steps {
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} ms | {:.0} MB | {} |",
            step.what,
            step.backend,
            step.ms,
            step.peak_kb as f64 / 1024.0,
            step.note
        );
    }
    let _ = writeln!(
        out,
        "\n| `/kommun?period={PERIOD}` (reader) | req/s | p99 | timeouts (2 s) | page |\n\
         |---|---:|---:|---:|---:|"
    );
    for (backend, (rps, p99, timeouts, bytes)) in pages
        .iter()
        .filter_map(|(backend, page)| Some((backend, page.as_ref()?)))
    {
        let _ = writeln!(
            out,
            "| {backend}, wrk -t2 -c{} -d{}s | {rps:.0} | {p99:.1} ms | {timeouts} | {:.0} kB |",
            opts.connections,
            opts.seconds,
            *bytes as f64 / 1024.0
        );
    }
    let check_ms = steps
        .iter()
        .filter(|s| s.what.starts_with("styr check"))
        .map(|s| s.ms)
        .fold(0.0, f64::max);
    let _ = writeln!(
        out,
        "\n`styr check` (folder and database) stays under 2 s: {} (slowest median {check_ms:.0} \
         ms)\n\nload average at end: {}",
        if check_ms < 2000.0 { "yes" } else { "no" },
        load()
    );
    print!("{out}");
    std::fs::write(dir.join("results.md"), &out)?;
    Ok(())
}
