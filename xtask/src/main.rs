//! `cargo xtask`: developer tasks for styr that are not part of the product.
//!
//! `gen-ledger` writes a realistic synthetic municipal ledger (SIE, CSV,
//! journal); `bench` runs the product's `styr sie check` and `styr sie
//! balances` on it next to `wc -l`, DuckDB, sqlite3, hledger and ledger and
//! prints the figures; `bench-web` loads the web application. None of this
//! runs in `cargo test` except the small generator tests: the benchmarks are
//! too slow for CI.

mod bench;
mod ledger;
mod web_bench;

use anyhow::Result;
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
