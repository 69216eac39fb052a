//! `styr sie check` and `styr sie balances`: read a SIE file and show what it holds.

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_sie::{Severity, Summary, balances, balances_csv, read_outcome};

#[derive(Clone, Copy, ValueEnum)]
pub enum BalancesFormat {
    Csv,
}

#[derive(Subcommand)]
pub enum SieCommand {
    /// Read and validate a SIE file: what it holds, and every diagnostic with its line.
    Check {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "text")]
        format: crate::Format,
    },
    /// Net movement per account × dimension-1 object × month, from the vouchers.
    Balances {
        file: PathBuf,
        #[arg(long, value_enum, default_value = "csv")]
        format: BalancesFormat,
    },
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("kan inte läsa {}", path.display()))
}

pub fn run(command: SieCommand) -> Result<ExitCode> {
    match command {
        SieCommand::Check { file, format } => {
            let outcome = read_outcome(&read_bytes(&file)?);
            let summary = Summary::from_outcome(&outcome);
            match format {
                crate::Format::Json => println!("{}", summary.to_json()),
                crate::Format::Text => print!("{}", summary.to_text()),
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
            let outcome = read_outcome(&read_bytes(&file)?);
            for diagnostic in outcome
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
            {
                eprintln!("{}: {diagnostic}", file.display());
            }
            print!("{}", balances_csv(&balances(&outcome.file)));
            Ok(ExitCode::SUCCESS)
        }
    }
}
