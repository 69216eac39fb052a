//! `styr kolada import FILE.json…` and `styr kolada fetch`: Kolada's key figures for the plan's
//! indicators, for the municipality and its comparison group. Reading and storing is the
//! `kolada_import` use case's; fetching is `styr-kolada`'s client.

use crate::store::{StoredPlan, actor, with_app};
use anyhow::{Context, Result, bail};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;
use styr_app::{App, KoladaFetch, KoladaImported, KoladaResponse, PlanSelector};

#[derive(Subcommand)]
pub enum KoladaCommand {
    /// Läs in svar från Koladas API (v2 eller v3; varje sida av ett svar), allt eller inget.
    Import {
        /// Svarsfilerna (JSON).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// När svaren hämtades, ÅÅÅÅ-MM-DD (standard: i dag).
        #[arg(long)]
        retrieved: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som läser in, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// De lagrade Koladavärdena för kommunen och dess jämförelsegrupp.
    List {
        /// Bara det här nyckeltalet (KPI-id).
        #[arg(long)]
        kpi: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Hämta från Koladas API och läs in, allt eller inget.
    Fetch {
        /// Nyckeltalens id, kommaseparerade (standard: varje nyckeltal som en indikator i planen
        /// följer).
        #[arg(long = "kpi", value_delimiter = ',')]
        kpis: Vec<String>,
        /// Kommunkoder, kommaseparerade (standard: kommunen och dess jämförelsegrupp).
        #[arg(long = "municipality", value_delimiter = ',')]
        municipalities: Vec<String>,
        /// År: 2019,2020 eller 2018-2021.
        #[arg(long, required = true)]
        years: String,
        /// API:ets basadress.
        #[arg(long, default_value = styr_kolada::DEFAULT_BASE_URL)]
        base_url: String,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
        /// Planens kommun-id (behövs när databasen har flera kommuner).
        #[arg(long)]
        plan: Option<String>,
        /// Budgetversionens id (standard: den senast inlästa).
        #[arg(long)]
        version: Option<String>,
        /// Vem som hämtar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

/// `2019,2020` or `2018-2021`.
fn parse_years(text: &str) -> Result<Vec<i32>> {
    let year = |part: &str| -> Result<i32> {
        let part = part.trim();
        if part.len() != 4 || !part.bytes().all(|b| b.is_ascii_digit()) {
            bail!("--years: {part:?} är inte ett år (ÅÅÅÅ)");
        }
        Ok(part.parse()?)
    };
    let mut years = Vec::new();
    for part in text.split(',') {
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (year(from)?, year(to)?);
                if from > to {
                    bail!("--years: {from}-{to} går baklänges");
                }
                years.extend(from..=to);
            }
            None => years.push(year(part)?),
        }
    }
    Ok(years)
}

fn today() -> String {
    styr_app::today_utc()
}

fn print_imported(imported: &KoladaImported) {
    println!(
        "importerade {} värden från Kolada ({} utan värde): {} nya eller ändrade, {} oförändrade",
        imported.values, imported.missing, imported.recorded.changed, imported.recorded.unchanged
    );
}

pub fn run(command: KoladaCommand) -> Result<ExitCode> {
    match command {
        KoladaCommand::List { kpi, stored } => {
            let acting = actor(None);
            let (plan, values) = with_app(&stored.db, async |app: &App| {
                let plan = app.load_plan(&acting, &stored.selector()).await?;
                let values = app.kolada_values(&acting, &stored.selector()).await?;
                Ok((plan, values))
            })?;
            let name_of = |code: &str| -> String {
                if code == plan.municipality.code {
                    return plan.municipality.name.clone();
                }
                plan.kolada
                    .comparison
                    .iter()
                    .find(|m| m.code == code)
                    .map_or_else(|| code.to_owned(), |m| m.name.clone())
            };
            let mut shown = 0;
            for value in values
                .iter()
                .filter(|v| kpi.as_deref().is_none_or(|k| k == v.kpi))
            {
                let number = value.value.map_or_else(
                    || "saknas".to_owned(),
                    styr_docgen::format::decimal_as_written,
                );
                let status = if value.status.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", value.status)
                };
                println!(
                    "{} {} {} {} {}: {number}{status}  ({}, hämtat {})",
                    value.kpi,
                    value.municipality,
                    name_of(&value.municipality),
                    value.year,
                    value.gender.code(),
                    value.source,
                    value.retrieved
                );
                shown += 1;
            }
            if shown == 0 {
                println!(
                    "inga värden från Kolada; hämta med styr kolada fetch eller styr kolada import"
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        KoladaCommand::Import {
            files,
            retrieved,
            stored,
            actor: name,
        } => {
            let mut responses = Vec::new();
            for file in &files {
                let bytes = std::fs::read(file)
                    .with_context(|| format!("kan inte läsa {}", file.display()))?;
                responses.push(KoladaResponse {
                    source: file.display().to_string(),
                    bytes,
                });
            }
            let acting = actor(name);
            let retrieved = retrieved.unwrap_or_else(today);
            let imported = with_app(&stored.db, async |app: &App| {
                app.import_kolada(&acting, &stored.selector(), &responses, &retrieved)
                    .await
            })?;
            print_imported(&imported);
            Ok(ExitCode::SUCCESS)
        }
        KoladaCommand::Fetch {
            kpis,
            municipalities,
            years,
            base_url,
            db,
            plan,
            version,
            actor: name,
        } => {
            let years = parse_years(&years)?;
            let acting = actor(name);
            let selector = PlanSelector {
                municipality: plan,
                body: None,
                version,
            };
            let fetch = KoladaFetch {
                base_url,
                kpis,
                municipalities,
                years,
            };
            let fetched = with_app(&db, async |app: &App| {
                app.fetch_kolada(&acting, &selector, &fetch, &today()).await
            })?;
            for (url, bytes) in &fetched.pages {
                eprintln!("hämtade {url} ({bytes} byte)");
            }
            let imported = fetched.imported;
            print_imported(&imported);
            Ok(ExitCode::SUCCESS)
        }
    }
}
