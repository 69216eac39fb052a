//! `cargo xtask`: developer tasks for styr that are not part of the product.
//!
//! `gen-ledger` writes a realistic synthetic municipal ledger (SIE, CSV,
//! journal); `example-ledger` writes the bundled example's small synthetic
//! ledger (`examples/haninge-ks-2021/ledger/ks-2021.se`); `bva` computes budget vs actual straight from a SIE file with the
//! streaming fast path of `styr-sie`; `store` and `db-report` put every
//! transaction into SQLite and report from it; `bench` runs all of these next
//! to `wc -l`, DuckDB, sqlite3, hledger and ledger and prints the figures.
//! None of this runs in `cargo test` except the small generator and
//! budget-vs-actual tests: the benchmarks are too slow for CI.

mod bench;
mod bva;
mod example_ledger;
mod ledger;
mod random;
mod store;
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
    /// Budget vs actual accumulated to a month, straight from a SIE file (CSV on stdout).
    Bva {
        /// The SIE file.
        file: PathBuf,
        /// Last month included, YYYY-MM.
        #[arg(long, default_value = "2021-10")]
        period: String,
        /// Threads for the scan.
        #[arg(long, default_value_t = 2)]
        threads: usize,
        /// Memory-map the file instead of streaming it with read().
        #[arg(long)]
        mmap: bool,
    },
    /// Store every transaction of a SIE file in a new SQLite database.
    Store {
        /// The SIE file.
        file: PathBuf,
        /// The database to create (replaced if it exists).
        #[arg(long)]
        db: PathBuf,
    },
    /// Budget vs actual from a database written by `store`.
    DbReport {
        /// The database.
        #[arg(long)]
        db: PathBuf,
        /// Last month included, YYYY-MM.
        #[arg(long, default_value = "2021-10")]
        period: String,
        /// Repeat the query this many times and print the best time.
        #[arg(long, default_value_t = 1)]
        repeat: u32,
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
        #[arg(long, default_value_t = 100)]
        reporters: u32,
        #[arg(long, default_value_t = 60)]
        reporter_seconds: u64,
    },
    /// Run the benchmarks and print the figures side by side.
    Bench {
        /// Transactions in the large run.
        #[arg(long, default_value_t = 5_000_000)]
        transactions: u64,
        /// Transactions in the hledger/ledger run.
        #[arg(long, default_value_t = 1_000_000)]
        journal_transactions: u64,
        /// Working directory for the generated files.
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        /// Skip hledger and ledger.
        #[arg(long)]
        no_journal: bool,
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
            reporter_seconds,
        } => web_bench::run(&web_bench::WebBenchOptions {
            styr,
            postgres,
            seconds,
            connections,
            reporters,
            reporter_seconds,
        })?,
        Command::GenLedger {
            transactions,
            out,
            csv,
            journal,
            seed,
            ksumma,
        } => {
            let t = std::time::Instant::now();
            let s = ledger::generate(&ledger::GenOptions {
                transactions,
                out: out.clone(),
                csv,
                journal,
                seed,
                ksumma,
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
        Command::ExampleLedger { package, out } => {
            let plan = styr_package::read_dir(&package).map_err(|problems| {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("{} does not read:\n{}", package.display(), lines.join("\n"))
            })?;
            let bytes = example_ledger::generate(&plan)?;
            std::fs::write(&out, bytes).with_context(|| format!("writing {}", out.display()))?;
            eprintln!("wrote {}", out.display());
        }
        Command::Bva {
            file,
            period,
            threads,
            mmap,
        } => {
            let input = if mmap {
                bva::Input::Mmap
            } else {
                bva::Input::Stream
            };
            let report = bva::from_sie(&file, &period, threads, input)?;
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            bva::write_csv(&report, &mut out)?;
        }
        Command::Store { file, db } => {
            let s = store::store(&file, &db)?;
            eprintln!(
                "stored {} rows ({} monthly aggregates) in {}",
                s.rows,
                s.aggregates,
                db.display()
            );
        }
        Command::DbReport { db, period, repeat } => {
            let (report, best) = store::report(&db, &period, repeat)?;
            eprintln!("query: best of {repeat}: {:.2} ms", best * 1000.0);
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            bva::write_csv(&report, &mut out)?;
        }
        Command::Bench {
            transactions,
            journal_transactions,
            dir,
            no_journal,
        } => bench::run(&bench::BenchOptions {
            transactions,
            journal_transactions,
            dir,
            journal: !no_journal,
        })?,
    }
    Ok(())
}
