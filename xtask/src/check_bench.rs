//! `cargo xtask bench-check`: `styr check` on a whole municipality's plan, as a user runs it.
//!
//! For each size it writes two packages with `gen-plan` (the example plus generated operating
//! tables; one without and one with injected errors), then runs the release `styr check DIR`
//! and `styr check DIR --format json`, each as its own process under `/usr/bin/time -v` (wall
//! clock and peak memory), `runs` times, and keeps the median. The findings and the suggested
//! corrections are counted from the JSON. The table goes to stdout and `DIR/results.md`.

use crate::bench::{load, q, timed};
use crate::plan::{PlanOptions, write};
use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Options of a `styr check` benchmark run.
#[derive(Debug, Clone)]
pub struct CheckBenchOptions {
    /// Generated lines per plan (`gen-plan --lines`), one size each.
    pub sizes: Vec<usize>,
    /// Working directory.
    pub dir: PathBuf,
    /// The `styr` binary (release).
    pub styr: PathBuf,
    /// Timed runs per step (the median is kept).
    pub runs: usize,
}

/// The errors injected into a plan of `lines` lines: one per 200 lines, 10 to 100.
pub fn errors_for(lines: usize) -> usize {
    (lines / 200).clamp(10, 100)
}

/// The median wall milliseconds of `runs` runs of `styr ARGS` (the whole process, spawn to
/// exit, output discarded; `/usr/bin/time` only counts in hundredths of a second), and its
/// peak memory (kB) from one more run under `/usr/bin/time -v`.
fn median(runs: usize, styr: &Path, args: &[&OsStr]) -> Result<(f64, u64)> {
    let mut all = Vec::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let status = Command::new(styr)
            .args(args)
            .stdout(Stdio::null())
            .status()
            .context("running styr")?;
        let elapsed = start.elapsed().as_secs_f64() * 1000.0;
        // `styr check` exits 1 when it finds errors (the example has some); 2 is a failure.
        if !matches!(status.code(), Some(0 | 1)) {
            bail!("styr {args:?} failed: {status}");
        }
        all.push(elapsed);
    }
    all.sort_by(f64::total_cmp);
    let words: Vec<String> = args.iter().map(|a| q(Path::new(a))).collect();
    let (_, peak, _) = timed(&format!(
        "{} {} >/dev/null; test $? -le 1",
        q(styr),
        words.join(" ")
    ))?;
    Ok((all[all.len() / 2], peak))
}

/// The findings, and the corrections with at least one alternative, of `styr check --format
/// json` output (a correction explaining several findings is listed under each: counted once).
fn counts(json: &str) -> Result<(usize, usize)> {
    let findings: serde_json::Value = serde_json::from_str(json).context("styr check's JSON")?;
    let findings = findings.as_array().context("an array of findings")?;
    let mut suggested = BTreeSet::new();
    for finding in findings {
        for correction in finding["corrections"].as_array().into_iter().flatten() {
            if correction["alternatives"]
                .as_array()
                .is_some_and(|a| !a.is_empty())
            {
                suggested.insert(correction["explains"].to_string());
            }
        }
    }
    Ok((findings.len(), suggested.len()))
}

/// Runs the benchmark and prints the table.
pub fn run(opts: &CheckBenchOptions) -> Result<()> {
    std::fs::create_dir_all(&opts.dir)?;
    let dir = opts.dir.canonicalize()?;
    let styr = opts.styr.canonicalize().context("the styr binary")?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# styr check benchmark\n\nload average at start: {}; median of {} runs; release build; \
         the whole process\n\n\
         | boards | rows | injected errors | findings | suggestions | `styr check` | \
         `--format json` | peak memory |\n|---:|---:|---:|---:|---:|---:|---:|---:|",
        load(),
        opts.runs
    );
    for &lines in &opts.sizes {
        for errors in [0, errors_for(lines)] {
            let package = dir.join(format!("plan-{lines}-{errors}"));
            if package.exists() {
                std::fs::remove_dir_all(&package)?;
            }
            let generated = write(
                &PlanOptions {
                    lines,
                    boards: None,
                    errors,
                    seed: 7,
                },
                &package,
            )?;
            eprintln!(
                "{lines} lines, {errors} errors: {} boards, {} rows",
                generated.boards, generated.rows
            );
            // `styr check` exits 1 when it finds errors (the example has some): only a failure
            // to run (2) fails the benchmark.
            let json = crate::bench::run_ok(&format!(
                "{} check {} --format json; test $? -le 1",
                q(&styr),
                q(&package)
            ))?;
            let (findings, suggested) = counts(&json)?;
            let check = [OsStr::new("check"), package.as_os_str()];
            let (text_ms, text_kb) = median(opts.runs, &styr, &check)?;
            let with_json = [
                check[0],
                check[1],
                OsStr::new("--format"),
                OsStr::new("json"),
            ];
            let (json_ms, json_kb) = median(opts.runs, &styr, &with_json)?;
            eprintln!(
                "  {findings} findings, {suggested} suggestions; check {text_ms:.1} ms, \
                 --format json {json_ms:.1} ms"
            );
            let _ = writeln!(
                out,
                "| {} | {} | {errors} | {findings} | {suggested} | {text_ms:.0} ms | \
                 {json_ms:.0} ms | {:.0} MB |",
                generated.boards,
                generated.rows,
                text_kb.max(json_kb) as f64 / 1024.0
            );
        }
    }
    let _ = writeln!(out, "\nload average at end: {}", load());
    print!("{out}");
    std::fs::write(dir.join("results.md"), &out)?;
    Ok(())
}
