//! `cargo xtask bench-section-save`: saving one section of a plan (issue 21) as a user does,
//! over HTTP against `styr serve`: `PUT /api/v1/plan/sections/{path}` with the base token of
//! the previous save, which reads the stored plan as a package, replaces the file, reads the
//! package, checks the whole plan and the municipality's plans across, stores the plan with the
//! section's revision and an audit row, and answers with the findings. Each request is timed
//! from connect to the end of the answer; p50, p99 and max over `saves` saves.
//!
//! Two cases: the bundled example (Kommunstyrelsen's plan, a narrative with claims edited), and
//! a generated municipality (`gen-municipality`: KF and `bodies` nämnder; one nämnd's operating
//! table saved with one line's name changed, so that the frames across the plans still hold).
//! The table goes to stdout and `DIR/results.md`.

use crate::municipality::{MunicipalityOptions, write};
use crate::web_bench::{request, start_with};
use anyhow::{Context, Result, bail};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

pub struct Options {
    pub dir: PathBuf,
    pub styr: PathBuf,
    pub saves: usize,
    pub bodies: usize,
}

const LOGIN: &str = "bench";
const PASSWORD: &str = "benchmarkpassword2021xyz";

fn styr_ok(styr: &Path, args: &[&str]) -> Result<String> {
    let output = Command::new(styr)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("styr {args:?}"))?;
    if !output.status.success() {
        bail!("styr {args:?} ended with {}", output.status);
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// An administrator and an API token for them.
fn token(styr: &Path, db: &str) -> Result<String> {
    let mut child = Command::new(styr)
        .args([
            "user",
            "add",
            LOGIN,
            "--role",
            "admin",
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
        bail!("styr user add {LOGIN} failed");
    }
    Ok(styr_ok(styr, &["token", "create", LOGIN, "--db", db])?
        .trim()
        .to_owned())
}

/// A JSON string's escaping.
fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// The percentile `p` (0–100) of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let index = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

struct Case {
    what: String,
    p50: f64,
    p99: f64,
    max: f64,
    saves: usize,
    findings: usize,
}

/// Saves `path` `saves` times through the API, each from the base the previous save gave;
/// `edit(n, text)` makes the n-th text from the section's first.
fn run_case(
    what: &str,
    styr: &Path,
    db: &str,
    organ: Option<&str>,
    path: &str,
    saves: usize,
    edit: &dyn Fn(usize, &str) -> String,
) -> Result<Case> {
    let token = token(styr, db)?;
    let server = start_with(styr, &["serve", "--db", db, "--addr", "127.0.0.1:0"])?;
    let query = organ.map_or(String::new(), |o| format!("?organ={o}"));
    let url = format!("/api/v1/plan/sections/{path}{query}");
    let auth = format!("Bearer {token}");
    let (status, _, body) = request(&server.addr, "GET", &url, &[("Authorization", &auth)], "")?;
    if status != 200 {
        bail!("GET {url}: {status} {body}");
    }
    let section: serde_json::Value = serde_json::from_str(&body)?;
    let first = section["text"].as_str().context("text")?.to_owned();
    let mut base = section["base"].as_str().context("base")?.to_owned();
    let mut times = Vec::with_capacity(saves);
    let mut findings = 0;
    for n in 0..saves {
        let text = edit(n, &first);
        let body = format!(
            "{{\"base\": {}, \"text\": {}}}",
            json_string(&base),
            json_string(&text)
        );
        let start = Instant::now();
        let (status, _, answer) = request(
            &server.addr,
            "PUT",
            &url,
            &[
                ("Authorization", &auth),
                ("Content-Type", "application/json"),
            ],
            &body,
        )?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        if status != 200 {
            bail!("save {n} of {path}: {status} {answer}");
        }
        let saved: serde_json::Value = serde_json::from_str(&answer)?;
        base = saved["base"].as_str().context("base")?.to_owned();
        findings = saved["findings"].as_array().map_or(0, Vec::len);
    }
    times.sort_by(f64::total_cmp);
    let case = Case {
        what: what.to_owned(),
        p50: percentile(&times, 50.0),
        p99: percentile(&times, 99.0),
        max: times[times.len() - 1],
        saves,
        findings,
    };
    eprintln!(
        "  {what}: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms over {saves} saves",
        case.p50, case.p99, case.max
    );
    Ok(case)
}

/// The body id of a package folder (its styr.toml's `body = "…"`).
fn body_of(folder: &Path) -> Result<String> {
    let text = std::fs::read_to_string(folder.join("styr.toml"))?;
    text.lines()
        .find_map(|line| {
            let rest = line.trim().strip_prefix("body")?.trim().strip_prefix('=')?;
            Some(rest.trim().trim_matches('"').to_owned())
        })
        .with_context(|| format!("{}: no body", folder.display()))
}

pub fn run(opts: &Options) -> Result<()> {
    if opts.saves == 0 {
        bail!("--saves must be at least 1");
    }
    std::fs::create_dir_all(&opts.dir)?;
    let styr = std::fs::canonicalize(&opts.styr)
        .with_context(|| format!("{} (build styr first)", opts.styr.display()))?;
    let mut cases = Vec::new();

    // The bundled example: KS's narrative with its claims.
    let example = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/haninge-ks-2021");
    let db = opts.dir.join("example.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let db = db.display().to_string();
    styr_ok(
        &styr,
        &["import", &example.display().to_string(), "--db", &db],
    )?;
    println!("== the example (KS), narrative/driftbudget.md");
    cases.push(run_case(
        "the example: narrative/driftbudget.md",
        &styr,
        &db,
        None,
        "narrative/driftbudget.md",
        opts.saves,
        &|n, text| format!("{text}\nMätning {n}.\n"),
    )?);

    // A generated municipality: one nämnd's operating table.
    let folder = opts.dir.join("municipality");
    if folder.exists() {
        std::fs::remove_dir_all(&folder)?;
    }
    write(
        &MunicipalityOptions {
            bodies: opts.bodies,
            goals: 40,
            rows: 300,
            errors: 0,
            seed: 20,
        },
        &folder,
    )?;
    // The generated plans are decided ones; a nämnd writes its proposal, so every nämnd's
    // version is made a proposal (a decided version is never edited in place).
    for entry in std::fs::read_dir(&folder)? {
        let budget = entry?.path().join("budget.toml");
        if budget.exists()
            && !budget
                .parent()
                .is_some_and(|p| p.join("council.toml").exists())
        {
            let text = std::fs::read_to_string(&budget)?;
            std::fs::write(
                &budget,
                text.replacen("kind = \"decided\"", "kind = \"proposal\"", 1),
            )?;
        }
    }
    let db = opts.dir.join("municipality.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let db = db.display().to_string();
    styr_ok(
        &styr,
        &["import", &folder.display().to_string(), "--db", &db],
    )?;
    let mut packages: Vec<PathBuf> = std::fs::read_dir(&folder)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("styr.toml").exists())
        .collect();
    packages.sort();
    let nämnd = packages
        .iter()
        .find(|p| !p.join("council.toml").exists() && p.join("budget/operating").is_dir())
        .context("a nämnd's package")?;
    let body = body_of(nämnd)?;
    let table = std::fs::read_dir(nämnd.join("budget/operating"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .context("an operating table")?;
    let path = format!(
        "budget/operating/{}",
        table.file_name().unwrap_or_default().to_string_lossy()
    );
    println!(
        "== a generated municipality ({} nämnder): {body}'s {path}",
        opts.bodies
    );
    // The second line's name (its second column) gets a number: nothing else changes.
    let rename = |n: usize, text: &str| -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        if let Some(line) = lines.get_mut(1)
            && let Some((id, rest)) = line.split_once(',')
            && let Some((name, tail)) = rest.split_once(',')
        {
            let name = name.trim_matches('"');
            let base = name.split(" (mätning").next().unwrap_or(name);
            *line = format!("{id},\"{base} (mätning {n})\",{tail}");
        }
        let mut out = lines.join("\n");
        out.push('\n');
        out
    };
    cases.push(run_case(
        &format!("a generated municipality ({} nämnder): {path}", opts.bodies),
        &styr,
        &db,
        Some(&body),
        &path,
        opts.saves,
        &rename,
    )?);

    let mut table = String::from(
        "| case | saves | p50 ms | p99 ms | max ms | findings in the section |\n|---|---:|---:|---:|---:|---:|\n",
    );
    for c in &cases {
        let _ = writeln!(
            table,
            "| {} | {} | {:.1} | {:.1} | {:.1} | {} |",
            c.what, c.saves, c.p50, c.p99, c.max, c.findings
        );
    }
    println!("{table}");
    std::fs::write(
        opts.dir.join("results.md"),
        format!(
            "# bench-section-save\n\nbinary: {}\n\n{table}",
            styr.display()
        ),
    )?;
    Ok(())
}
