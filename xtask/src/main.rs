//! `cargo xtask`: developer tasks for styr that are not part of the product.
//!
//! `gen-ledger` writes a realistic synthetic municipal ledger (SIE, CSV,
//! journal); `example-ledger` writes the bundled example's small synthetic
//! ledger (`examples/haninge-ks-2021/ledger/ks-2021.se`); `bench` times the
//! product's own ledger commands (`styr sie check`, `sie balances`, `actuals
//! import` into SQLite and PostgreSQL, `report budget-vs-actual`, `actuals
//! list`) next to `wc -l`, `sqlite3 .import`, `psql \copy` and DuckDB;
//! `gen-plan` writes a whole municipality's generated plan package (the example plus large
//! operating tables, optionally with injected errors) and `bench-check` times `styr check` on
//! such packages; `bench-web` loads the web application; `gen-municipality` writes a generated
//! municipality (KF's plan and a plan per body) and `bench-municipality` times its import, its
//! check and the municipal overview page; `bench-section-save` times saving one section of a
//! plan over HTTP; `bench-statutory` times `styr render` of the municipality's årsredovisning
//! and delårsrapport on a database with the example plans and a generated ledger. None of this runs in `cargo test`
//! except the small generator tests: the benchmarks are too slow for CI.

mod bench;
mod check_bench;
mod example_ledger;
mod ledger;
mod municipality;
mod municipality_bench;
mod plan;
mod random;
mod reporters;
mod section_bench;
mod statutory_bench;
mod tenants_bench;
mod web_bench;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "xtask", about = "styr developer tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write a realistic synthetic municipal ledger (SIE 4E, optionally CSV and journal).
    GenLedger {
        /// Number of voucher rows (#TRANS).
        #[arg(long, default_value_t = 100_000)]
        transactions: u64,
        /// The SIE file to write.
        #[arg(long)]
        out: PathBuf,
        /// Also write the rows as CSV (and the budget as FILE.budget.csv).
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Also write an hledger/ledger journal with the budget as periodic transactions.
        #[arg(long)]
        journal: Option<PathBuf>,
        /// PRNG seed.
        #[arg(long, default_value_t = 2021)]
        seed: u64,
        /// Write #KSUMMA.
        #[arg(long)]
        ksumma: bool,
        /// `real`: shaped like real exports (tab-indented rows, dates and texts on some rows,
        /// quotes in texts, unit and project objects, corrections); `simple`: issue 9's file.
        #[arg(long, value_enum, default_value_t = ledger::Shape::Real)]
        shape: ledger::Shape,
    },
    /// Write the bundled example's synthetic ledger (deterministic) from its plan package.
    ExampleLedger {
        /// The plan package.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/haninge-ks-2021"))]
        package: PathBuf,
        /// The SIE file to write.
        #[arg(
            long,
            default_value = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../examples/haninge-ks-2021/ledger/ks-2021.se"
            )
        )]
        out: PathBuf,
    },
    /// Write a generated plan package of a whole municipality: the example plus one operating
    /// table per board with lines, parts and a total, and a summary table referencing them.
    GenPlan {
        /// Lines over all generated tables (parts, totals and the summary come on top).
        #[arg(long)]
        lines: usize,
        /// Errors injected into lines, parts and totals (each off by 1–999 tkr).
        #[arg(long, default_value_t = 0)]
        errors: usize,
        /// Boards, one table each (default: one per 100 lines, at most 200).
        #[arg(long)]
        boards: Option<usize>,
        /// PRNG seed.
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// The package folder to write (absent or empty).
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
    /// Write a generated municipality: KF's package (frames, result, goals) and a package per
    /// body (goals under KF's, operating tables, frame, calendar, indicators, assignments).
    GenMunicipality {
        /// Body packages besides KF's.
        #[arg(long, default_value_t = 12)]
        bodies: usize,
        /// Goals per body.
        #[arg(long, default_value_t = 40)]
        goals: usize,
        /// Operating rows per body, about.
        #[arg(long, default_value_t = 300)]
        rows: usize,
        /// Errors injected: frame and allocation mismatches, goals under missing KF goals.
        #[arg(long, default_value_t = 0)]
        errors: usize,
        /// PRNG seed.
        #[arg(long, default_value_t = 20)]
        seed: u64,
        /// The folder to write (absent or empty).
        #[arg(short = 'o', long)]
        out: PathBuf,
    },
    /// Time `styr import`, `styr check` (folder and database) and the municipal overview page
    /// under wrk on a generated municipality (needs the release binary and Debian's wrk).
    BenchMunicipality {
        /// Working directory: the municipality, the databases and results.md.
        #[arg(long, default_value = "target/bench-municipality")]
        dir: PathBuf,
        /// The styr binary (build it with `cargo build --release -p styr-cli`).
        #[arg(long, default_value = "target/release/styr")]
        styr: PathBuf,
        /// Body packages besides KF's.
        #[arg(long, default_value_t = 12)]
        bodies: usize,
        /// Timed runs per command; the median is kept.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Seconds of wrk on the overview page.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        /// wrk's connections.
        #[arg(long, default_value_t = 64)]
        connections: u32,
        /// An empty PostgreSQL database to run the same steps on as well.
        #[arg(long)]
        postgres: Option<String>,
    },
    /// Time saving one section of a plan over HTTP (`PUT /api/v1/plan/sections/…` against
    /// `styr serve`): the example's narrative and a generated municipality's nämnd's table;
    /// p50/p99/max over the saves.
    BenchSectionSave {
        /// Working directory: the databases, the municipality and results.md.
        #[arg(long, default_value = "target/bench-section-save")]
        dir: PathBuf,
        /// The styr binary (build it with `cargo build --release -p styr-cli`).
        #[arg(long, default_value = "target/release/styr")]
        styr: PathBuf,
        /// Saves per case.
        #[arg(long, default_value_t = 200)]
        saves: usize,
        /// Body packages besides KF's in the generated municipality.
        #[arg(long, default_value_t = 12)]
        bodies: usize,
    },
    /// Time `styr render --report arsredovisning --year 2021` (HTML, PDF, Excel) and the
    /// delårsrapport 2021-08 on a database with the example plans and N ledger transactions.
    BenchStatutory {
        /// Ledger transactions (#TRANS) imported for KS.
        #[arg(long, default_value_t = 10_000_000)]
        transactions: u64,
        /// Working directory: the ledger, the database, the outputs and results.md.
        #[arg(long, default_value = "target/bench-statutory")]
        dir: PathBuf,
        /// The styr binary (build it with `cargo build --release -p styr-cli`).
        #[arg(long, default_value = "target/release/styr")]
        styr: PathBuf,
        /// Timed runs per command.
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Time `styr check` (text and JSON) on generated plans with and without injected errors.
    BenchCheck {
        /// Generated lines per plan, comma-separated (about 2 800, 28 000 and 140 000 rows).
        #[arg(long, value_delimiter = ',', default_value = "2000,20000,100000")]
        sizes: Vec<usize>,
        /// Working directory for the generated packages.
        #[arg(long, default_value = "target/bench-check")]
        dir: PathBuf,
        /// The styr binary (build it with `cargo build --release -p styr-cli`).
        #[arg(long, default_value = "target/release/styr")]
        styr: PathBuf,
        /// Timed runs per step; the median is kept.
        #[arg(long, default_value_t = 9)]
        runs: usize,
    },
    /// The web application under load: wrk on Översikt, then concurrent reporters via the API
    /// (needs the release binary and Debian's wrk).
    BenchWeb {
        /// The styr binary to serve with.
        #[arg(long, default_value = "target/release/styr")]
        styr: PathBuf,
        /// An empty PostgreSQL database instead of a new SQLite file.
        #[arg(long)]
        postgres: Option<String>,
        #[arg(long, default_value_t = 30)]
        seconds: u64,
        #[arg(long, default_value_t = 64)]
        connections: u32,
        /// Reporters submitting statuses through the API at the same time.
        #[arg(long, default_value_t = 100)]
        reporters: u32,
        /// How many (period, assignment) records they share; 0: one per reporter (reporter n
        /// writes record n % subjects, so fewer records than reporters means collisions).
        #[arg(long, default_value_t = 50)]
        subjects: usize,
        #[arg(long, default_value_t = 60)]
        reporter_seconds: u64,
    },
    /// Run the benchmarks and print the figures side by side.
    /// Time the product's ledger commands next to wc -l, sqlite3, psql and DuckDB.
    Bench {
        /// Transactions per generated ledger, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "5000000,10000000")]
        sizes: Vec<u64>,
        /// Working directory for the generated files and databases.
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// The styr binary (build it with `cargo build --release -p styr-cli`).
        #[arg(long, default_value = "target/release/styr")]
        styr: PathBuf,
        /// A PostgreSQL URL; the runs create databases beside the one it names.
        #[arg(long)]
        postgres: Option<String>,
        /// Timed runs per step; the median is kept.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// The generated ledgers' shape (see gen-ledger).
        #[arg(long, value_enum, default_value_t = ledger::Shape::Real)]
        shape: ledger::Shape,
    },
    /// Many municipalities on one PostgreSQL server: a report for one municipality with one
    /// loaded and with all loaded (`styr actuals import` per municipality).
    BenchTenants {
        #[arg(long, default_value_t = 50)]
        municipalities: u32,
        /// Transactions of the generated ledger each municipality imports.
        #[arg(long, default_value_t = 1_000_000)]
        transactions: u64,
        /// A PostgreSQL URL; the run creates the database bench_tenants beside the one it names.
        #[arg(long)]
        postgres: String,
        /// A SIE file to import instead of a generated one.
        #[arg(long)]
        ledger: Option<PathBuf>,
        #[arg(long, default_value = "target/bench-tenants")]
        dir: PathBuf,
        #[arg(long, default_value = "target/release/styr")]
        styr: PathBuf,
        /// Timed runs of the report; the median is kept.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        #[arg(long, default_value = "2021-10")]
        period: String,
        /// Keep the database bench_tenants after the run.
        #[arg(long)]
        keep: bool,
    },
}

fn main() -> Result<()> {
    match Cli::parse().command {
        Command::BenchWeb {
            styr,
            postgres,
            seconds,
            connections,
            reporters,
            subjects,
            reporter_seconds,
        } => web_bench::run(&web_bench::WebBenchOptions {
            styr,
            postgres,
            seconds,
            connections,
            reporters,
            subjects,
            reporter_seconds,
        })?,
        Command::GenLedger {
            transactions,
            out,
            csv,
            journal,
            seed,
            ksumma,
            shape,
        } => {
            let t = std::time::Instant::now();
            let s = ledger::generate(&ledger::GenOptions {
                transactions,
                out: out.clone(),
                csv,
                journal,
                seed,
                ksumma,
                shape,
            })?;
            eprintln!(
                "wrote {}: {} rows in {} vouchers, {} #PBUDGET rows, {:.1} MB, {:.2} s",
                out.display(),
                s.rows,
                s.vouchers,
                s.budget_rows,
                s.sie_bytes as f64 / 1e6,
                t.elapsed().as_secs_f64()
            );
        }
        Command::GenPlan {
            lines,
            errors,
            boards,
            seed,
            out,
        } => {
            let t = std::time::Instant::now();
            let generated = plan::write(
                &plan::PlanOptions {
                    lines,
                    boards: boards.map(|b| b.max(1)),
                    errors,
                    seed,
                },
                &out,
            )?;
            eprintln!(
                "wrote {}: {} boards, {} generated rows, {errors} injected errors, {:.2} s",
                out.display(),
                generated.boards,
                generated.rows,
                t.elapsed().as_secs_f64()
            );
        }
        Command::GenMunicipality {
            bodies,
            goals,
            rows,
            errors,
            seed,
            out,
        } => {
            let t = std::time::Instant::now();
            let generated = municipality::write(
                &municipality::MunicipalityOptions {
                    bodies,
                    goals,
                    rows,
                    errors,
                    seed,
                },
                &out,
            )?;
            eprintln!(
                "wrote {}: KF and {} bodies, {} goals, {} operating rows, {} injected errors, \
                 {:.2} s",
                out.display(),
                generated.bodies,
                generated.goals,
                generated.rows,
                generated.injected.len(),
                t.elapsed().as_secs_f64()
            );
            for error in &generated.injected {
                eprintln!("  {error:?}");
            }
        }
        Command::BenchMunicipality {
            dir,
            styr,
            bodies,
            runs,
            seconds,
            connections,
            postgres,
        } => municipality_bench::run(&municipality_bench::Options {
            dir,
            styr,
            bodies,
            runs,
            seconds,
            connections,
            postgres,
        })?,
        Command::BenchStatutory {
            transactions,
            dir,
            styr,
            runs,
        } => statutory_bench::run(&statutory_bench::Options {
            dir,
            styr,
            transactions,
            runs,
        })?,
        Command::BenchSectionSave {
            dir,
            styr,
            saves,
            bodies,
        } => section_bench::run(&section_bench::Options {
            dir,
            styr,
            saves,
            bodies,
        })?,
        Command::BenchCheck {
            sizes,
            dir,
            styr,
            runs,
        } => check_bench::run(&check_bench::CheckBenchOptions {
            sizes,
            dir,
            styr,
            runs,
        })?,
        Command::ExampleLedger { package, out } => {
            let plan = plan::read_package(&package)?;
            let bytes = example_ledger::generate(&plan)?;
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
            eprintln!("wrote {}", out.display());
        }
        Command::Bench {
            sizes,
            dir,
            styr,
            postgres,
            runs,
            shape,
        } => bench::run(&bench::BenchOptions {
            sizes,
            dir,
            styr,
            postgres,
            runs,
            shape,
        })?,
        Command::BenchTenants {
            municipalities,
            transactions,
            postgres,
            ledger,
            dir,
            styr,
            runs,
            period,
            keep,
        } => tenants_bench::run(&tenants_bench::TenantsBenchOptions {
            municipalities,
            transactions,
            postgres,
            ledger,
            dir,
            styr,
            runs,
            period,
            keep,
        })?,
    }
    Ok(())
}
