//! `styr excel`: a plan's tables out to a workbook and back, and a unit's report for a period
//! as a workbook to fill in offline. The use cases are `styr-app`'s; this module picks the
//! source, writes the file and prints what happened.

use crate::store::{StoredPlan, actor, with_app, without_password};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_app::{App, WorkbookImported};

#[derive(Subcommand)]
pub enum ExcelCommand {
    /// Write a plan's tables (a package, or the database with its forecasts and budget vs
    /// actual per period) as a workbook.
    Export {
        /// The plan package folder; leave out with --db.
        package: Option<PathBuf>,
        /// The database (instead of a package).
        #[arg(long)]
        db: Option<String>,
        #[arg(long)]
        municipality: Option<String>,
        #[arg(long)]
        version: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Read a workbook back, all or nothing: a plan workbook into the database (or, with
    /// --package, into a package folder written to -o); a unit's report workbook through the
    /// follow-up import.
    Import {
        file: PathBuf,
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// The package the workbook was exported from: write the result as a package (-o).
        #[arg(long)]
        package: Option<PathBuf>,
        /// The package folder to write (with --package).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Who imports, for the audit log (default: the login name).
        #[arg(long)]
        actor: Option<String>,
    },
    /// A unit's report for a follow-up period as a workbook to fill in (from the database).
    Template {
        /// The period, YYYY-MM.
        #[arg(long)]
        period: String,
        /// The body or unit that reports (an id of the plan).
        #[arg(long)]
        unit: String,
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
        #[command(flatten)]
        stored: StoredPlan,
    },
}

pub fn run(command: ExcelCommand) -> Result<ExitCode> {
    match command {
        ExcelCommand::Export {
            package,
            db,
            municipality,
            version,
            output,
        } => {
            let bytes = match (package, db) {
                (Some(path), None) => {
                    let plan = crate::output::read_package(&path)?;
                    styr_app::plan_workbook(&plan)?
                }
                (None, Some(db)) => {
                    let stored = StoredPlan {
                        db,
                        municipality,
                        version,
                    };
                    let acting = actor(None);
                    with_app(&stored.db, async |app: &App| {
                        app.export_workbook(&acting, &stored.selector()).await
                    })?
                }
                _ => bail!("ange antingen ett paket eller --db"),
            };
            write(&output, &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
        ExcelCommand::Import {
            file,
            db,
            package,
            output,
            actor: login,
        } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("kan inte läsa {}", file.display()))?;
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if let Some(package) = package {
                let output = output.context("ange -o MAPP för paketet som skrivs")?;
                let base = styr_package::Files::load(&package)
                    .with_context(|| format!("kan inte läsa {}", package.display()))?;
                let (files, plan) = styr_app::workbook_into_package(&base, &name, bytes)?;
                files
                    .save(&output)
                    .with_context(|| format!("kan inte skriva {}", output.display()))?;
                println!(
                    "läste in {name}: {} / {} skrivet till {}",
                    plan.municipality.id,
                    plan.budget.version.id,
                    output.display()
                );
                return Ok(ExitCode::SUCCESS);
            }
            let acting = actor(login);
            let imported = with_app(&db, async |app: &App| {
                app.import_workbook(&acting, &name, bytes).await
            })?;
            match imported {
                WorkbookImported::Plan { plan, summary } => println!(
                    "läste in {name} till {}: {} / {}, {} rader",
                    without_password(&db),
                    plan.municipality.id,
                    plan.budget.version.id,
                    summary.total_rows()
                ),
                WorkbookImported::Report {
                    period,
                    unit,
                    imported,
                } => println!(
                    "läste in rapporten för {unit} per {period} från {name}: {} rader, {} ändrade, {} oförändrade",
                    imported.rows,
                    imported.recorded.changes.len(),
                    imported.recorded.unchanged
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        ExcelCommand::Template {
            period,
            unit,
            output,
            stored,
        } => {
            let month = crate::report::parse_period(&period)?;
            let acting = actor(None);
            let bytes = with_app(&stored.db, async |app: &App| {
                app.report_template(&acting, &stored.selector(), month, &unit)
                    .await
            })?;
            write(&output, &bytes)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn write(output: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(output, bytes)
        .with_context(|| format!("kunde inte skriva {}", output.display()))?;
    eprintln!("skrev {} ({} byte)", output.display(), bytes.len());
    Ok(())
}
