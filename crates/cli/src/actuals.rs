//! `styr actuals import FILE`: a ledger file (SIE 4) into the database, through the use case
//! `App::import_actuals` (which holds the import policy). This module parses the arguments,
//! shows progress (a bar on a terminal, one line per phase otherwise) and prints the result.

use crate::store::{StoredPlan, block_on};
use anyhow::{Context, Result};
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_app::{Actor, ImportProgress, MappingSummary};
use styr_domain::{Money, number::format_swedish};

#[derive(Subcommand)]
pub enum ActualsCommand {
    /// Import a ledger file (SIE 4E/4I) into the database: every transaction and monthly sums.
    /// The same file twice doubles nothing; a new export of the same company and fiscal year
    /// replaces the old one.
    Import {
        file: PathBuf,
        /// The plan whose mapping is used.
        #[command(flatten)]
        stored: StoredPlan,
        /// Who imports, for the audit log (default: the login name).
        #[arg(long)]
        actor: Option<String>,
    },
}

pub fn run(command: ActualsCommand) -> Result<ExitCode> {
    match command {
        ActualsCommand::Import {
            file,
            stored,
            actor,
        } => import(&file, &stored, &crate::store::actor(actor)),
    }
}

/// Progress on a terminal, or a line per phase on stderr when there is none.
struct Progress {
    bar: Option<ProgressBar>,
}

impl ImportProgress for Progress {
    fn phase(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.set_message(message.to_owned()),
            None => eprintln!("{message}"),
        }
    }

    fn start_rows(&mut self, total: u64) {
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rader ({eta})")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
        }
    }

    fn rows(&mut self, written: u64) {
        if let Some(bar) = &self.bar {
            bar.set_position(written);
        }
    }

    fn warning(&mut self, message: &str) {
        match &self.bar {
            Some(bar) => bar.println(message),
            None => eprintln!("{message}"),
        }
    }
}

impl Progress {
    fn new() -> Progress {
        Progress {
            bar: std::io::stderr()
                .is_terminal()
                .then(ProgressBar::new_spinner),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn import(file: &Path, stored: &StoredPlan, actor: &Actor) -> Result<ExitCode> {
    let mut progress = Progress::new();
    let outcome = block_on(async {
        let app = crate::store::open(&stored.db).await?;
        let result = app
            .import_actuals(actor, &stored.selector(), file, &mut progress)
            .await;
        app.close().await;
        anyhow::Ok(result)
    })??;
    progress.finish();
    let imported = outcome.with_context(|| format!("importen av {} avbröts", file.display()))?;
    let replaced = match imported.replaced {
        Some(rows) => format!(" (ersatte en tidigare import med {rows} rader)"),
        None => String::new(),
    };
    println!(
        "importerade {} till {}: {} / {}, {} verifikationer, {} transaktioner{replaced}",
        imported.file_name,
        stored.db,
        imported.company,
        imported.fiscal_year,
        imported.vouchers,
        imported.transactions,
    );
    print_mapping(&imported.mapping);
    Ok(ExitCode::SUCCESS)
}

fn print_mapping(mapping: &MappingSummary) {
    let tkr = |money: Money| format_swedish(money.tkr(), 0, ' ');
    println!(
        "  till budgetrader: {} rader, {} tkr",
        mapping.mapped.rows,
        tkr(mapping.mapped.amount)
    );
    println!(
        "  utanför uppföljningen (exclude): {} rader, {} tkr",
        mapping.excluded.rows,
        tkr(mapping.excluded.amount)
    );
    let unmapped = mapping.unmapped_total();
    let accounts: Vec<&str> = mapping.unmapped.keys().map(String::as_str).collect();
    if unmapped.rows == 0 {
        println!("  utan budgetrad: 0 rader");
    } else {
        println!(
            "  utan budgetrad: {} rader, {} tkr, konton {}",
            unmapped.rows,
            tkr(unmapped.amount),
            accounts.join(", ")
        );
    }
}
