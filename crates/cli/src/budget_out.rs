//! `styr export fdp -o DIR` (the budget as a Fiscal Data Package: datapackage.json + CSV) and
//! `styr sie export-budget --year YEAR -o FILE.se` (the budget as SIE #PBUDGET), from a plan
//! package or the database. The rows and the file's content are `styr-app`'s and
//! `styr-reports`'s; this module writes them.

use crate::output::read_package;
use crate::store::{actor, block_on, open};
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_app::{FDP_DATA_FILE, FDP_DESCRIPTOR_FILE, PlanSelector, SieBudget, fiscal_data_package};
use styr_domain::Money;
use styr_reports::fiscal_data;

/// Where the plan comes from: a package folder or a database.
pub struct Source {
    pub package: Option<PathBuf>,
    pub db: Option<String>,
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("kunde inte skriva {}", path.display()))
}

pub fn export_fdp(
    source: Source,
    executed_through: Option<&str>,
    output: &Path,
) -> Result<ExitCode> {
    let executed_through = executed_through
        .map(crate::report::parse_period)
        .transpose()?;
    let data = match (source.package, source.db) {
        (Some(_), None) if executed_through.is_some() => {
            bail!("utfallet (--executed-through) finns i databasen: ange --db, inte ett paket")
        }
        (Some(package), None) => fiscal_data(&read_package(&package)?),
        (None, Some(db)) => block_on(async {
            let app = open(&db).await?;
            let data = app
                .fiscal_data(&actor(None), &PlanSelector::default(), executed_through)
                .await;
            app.close().await;
            anyhow::Ok(data?)
        })??,
        _ => bail!("ange antingen ett paket eller --db"),
    };
    std::fs::create_dir_all(output)
        .with_context(|| format!("kunde inte skapa {}", output.display()))?;
    let package = fiscal_data_package(&data);
    write(&output.join(FDP_DESCRIPTOR_FILE), &package.descriptor)?;
    write(&output.join(FDP_DATA_FILE), &package.data)?;
    println!(
        "skrev {} ({FDP_DESCRIPTOR_FILE} och {FDP_DATA_FILE}): {} rader, {}, fas {}{}",
        output.display(),
        data.rows.len(),
        data.years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("–"),
        data.phase.code(),
        data.executed_through
            .map(|month| format!(" och executed t.o.m. {month}"))
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

fn today() -> String {
    styr_app::today_utc().replace('-', "")
}

pub fn export_sie_budget(
    source: Source,
    year: i32,
    net_account: &str,
    output: &Path,
) -> Result<ExitCode> {
    let budget: SieBudget = match (source.package, source.db) {
        (Some(package), None) => {
            styr_app::sie_budget(&read_package(&package)?, year, net_account, &today())?
        }
        (None, Some(db)) => block_on(async {
            let app = open(&db).await?;
            let budget = app
                .sie_budget(
                    &actor(None),
                    &PlanSelector::default(),
                    year,
                    net_account,
                    &today(),
                )
                .await;
            app.close().await;
            anyhow::Ok(budget?)
        })??,
        _ => bail!("ange antingen ett paket eller --db"),
    };
    write(output, &budget.bytes)?;
    println!(
        "skrev {}: {} #PBUDGET-rader för {} budgetrader, {year}, summa {} tkr",
        output.display(),
        budget.rows,
        budget.lines,
        styr_domain::number::format_swedish(Money::from_ore(budget.total_ore).tkr(), 0, ' ')
    );
    Ok(ExitCode::SUCCESS)
}
