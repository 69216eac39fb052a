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
    /// Skriv en plans tabeller som arbetsbok (ur ett planpaket, eller ur databasen med prognoser
    /// och budget mot utfall per period).
    Export {
        /// Planpaketets mapp; utelämnas med --db.
        package: Option<PathBuf>,
        /// Databasen (i stället för ett planpaket).
        #[arg(long)]
        db: Option<String>,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long)]
        municipality: Option<String>,
        /// Budgetversionens id (standard: den senast inlästa).
        #[arg(long)]
        version: Option<String>,
        /// Arbetsboken som skrivs (.xlsx).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Läs tillbaka en arbetsbok, allt eller inget: en plans arbetsbok in i databasen (eller, med
    /// --package, till en paketmapp som skrivs till -o); en enhets rapport genom
    /// uppföljningsimporten.
    Import {
        /// Arbetsboken (.xlsx).
        file: PathBuf,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// Planpaketet som arbetsboken exporterades från: skriv resultatet som planpaket (-o).
        #[arg(long)]
        package: Option<PathBuf>,
        /// Paketmappen som skrivs (med --package).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Vem som läser in, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// En enhets rapport för en uppföljningsperiod som arbetsbok att fylla i (ur databasen).
    Template {
        /// Perioden, ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        /// Nämnden eller enheten som rapporterar (ett id i planen).
        #[arg(long)]
        unit: String,
        /// Arbetsboken som skrivs (.xlsx).
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
                        body: None,
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
