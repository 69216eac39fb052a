//! `styr sie check` and `styr sie balances`: read a SIE file and show what it holds.
//!
//! Both stream the file with the library's reader (never holding it, or its vouchers, in
//! memory), on as many threads as the machine has cores, split at `#VER` lines.

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_sie::{
    Fork, Ignore, ReadOutcome, Severity, Summary, Sums, balances_csv, read_path_parallel,
};

#[derive(Clone, Copy, ValueEnum)]
pub enum BalancesFormat {
    Csv,
}

#[derive(Subcommand)]
pub enum SieCommand {
    /// Läs och granska en SIE-fil: vad den innehåller, och varje anmärkning med sin rad.
    Check {
        /// SIE-filen.
        file: PathBuf,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Nettorörelsen per konto × objekt i dimension 1 × månad, ur verifikationerna.
    Balances {
        /// SIE-filen.
        file: PathBuf,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "csv")]
        format: BalancesFormat,
    },
    /// Årets driftbudget som SIE #PBUDGET per konto, ansvar och månad, för
    /// ekonomisystemet (genom ledger/accounts.csv och ledger/profiles.csv).
    ExportBudget {
        /// Planpaketets mapp; utelämnas med --db.
        package: Option<PathBuf>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long)]
        db: Option<String>,
        /// Budgetåret, t.ex. 2021.
        #[arg(long)]
        year: i32,
        /// Kontot för en rad vars regel täcker ett kontointervall (en nettobudget per ansvar).
        #[arg(long, default_value = styr_app::DEFAULT_NET_ACCOUNT)]
        net_account: String,
        /// SIE-filen som skrivs.
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

/// Read a file with `visitor` on up to one thread a core.
fn read<V: Fork>(path: &Path, visitor: &mut V) -> Result<ReadOutcome> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    read_path_parallel(path, threads, visitor)
        .with_context(|| format!("kan inte läsa {}", path.display()))
}

/// Write to stdout; a reader that went away (`| head`) ends the output quietly.
fn out(text: &str) -> Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(styr_domain::text::terminal_safe(text).as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

pub fn run(command: SieCommand) -> Result<ExitCode> {
    match command {
        SieCommand::ExportBudget {
            package,
            db,
            year,
            net_account,
            output,
        } => crate::budget_out::export_sie_budget(
            crate::budget_out::Source { package, db },
            year,
            &net_account,
            &output,
        ),
        SieCommand::Check { file, format } => {
            let outcome = read(&file, &mut Ignore)?;
            let summary = Summary::from_outcome(&outcome);
            match format {
                crate::Format::Json => out(&format!("{}\n", summary.to_json()))?,
                crate::Format::Text => out(&summary.to_text())?,
            }
            let errors = outcome
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error);
            Ok(if errors {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        SieCommand::Balances {
            file,
            format: BalancesFormat::Csv,
        } => {
            let mut sums = Sums::new();
            let outcome = read(&file, &mut sums)?;
            for diagnostic in outcome
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                eprintln!("{}: {diagnostic}", file.display());
            }
            out(&balances_csv(&sums.rows()))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
