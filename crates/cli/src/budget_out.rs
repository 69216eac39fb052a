//! `styr export fdp -o DIR` (the budget as a Fiscal Data Package: datapackage.json + CSV) and
//! `styr sie export-budget --year YEAR -o FILE.se` (the budget as SIE #PBUDGET), from a plan
//! package or the database. The rows and the file's content are `styr-app`'s and
//! `styr-reports`'s; this module writes them.

use crate::output::read_package;
use crate::store::{actor, block_on, open};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use styr_app::{PlanSelector, SieBudget};
use styr_domain::Money;
use styr_reports::{FiscalData, Phase, fiscal_data};

/// Where the plan comes from: a package folder or a database.
pub struct Source {
    pub package: Option<PathBuf>,
    pub db: Option<String>,
}

/// The one CSV resource of the package.
const DATA_FILE: &str = "budget.csv";
const EXECUTED_COLUMNS: [&str; 2] = ["executed_expenditure", "executed_revenue"];
const COLUMNS: [&str; 9] = [
    "year",
    "budget",
    "budget_line",
    "budget_line_name",
    "administrative_code",
    "administrative_name",
    "economic_code",
    "expenditure",
    "revenue",
];

/// Amounts in tkr, as the tables print them (the measure's factor is 1000).
fn tkr(amount: Option<Money>) -> String {
    amount.map_or_else(String::new, |m| m.tkr().normalize().to_string())
}

fn data_csv(data: &FiscalData) -> Result<Vec<u8>> {
    let executed = data.executed_through.is_some();
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if executed {
        header.extend(EXECUTED_COLUMNS);
    }
    writer.write_record(&header)?;
    for row in &data.rows {
        let mut record = vec![
            row.year.to_string(),
            row.budget.to_owned(),
            row.line.clone(),
            row.line_name.clone(),
            row.administrative_code.clone(),
            row.administrative_name.clone(),
            row.economic_code.clone().unwrap_or_default(),
            tkr(row.expenditure),
            tkr(row.revenue),
        ];
        if executed {
            record.push(tkr(row.executed_expenditure));
            record.push(tkr(row.executed_revenue));
        }
        writer.write_record(&record)?;
    }
    Ok(writer.into_inner()?)
}

/// The descriptor: a Tabular Data Package with the Fiscal Data Package (v0.3) model.
fn descriptor(data: &FiscalData) -> Value {
    let field =
        |name: &str, kind: &str, title: &str| json!({"name": name, "type": kind, "title": title});
    let slug: String = format!(
        "{}-{}",
        data.municipality_name,
        data.years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("-")
    )
    .to_lowercase()
    .chars()
    .map(|c| match c {
        'å' | 'ä' => 'a',
        'ö' => 'o',
        c if c.is_ascii_alphanumeric() => c,
        _ => '-',
    })
    .collect();
    let phase = data.phase.code();
    let measure = |source: &str, direction: &str, phase: &str| {
        json!({
            "source": source,
            "currency": "SEK",
            "factor": 1000,
            "direction": direction,
            "phase": phase,
        })
    };
    let mut fields = vec![
        field("year", "integer", "Budgetår"),
        field(
            "budget",
            "string",
            "Budget (operating, investment, finance)",
        ),
        field("budget_line", "string", "Budgetrad (id)"),
        field("budget_line_name", "string", "Budgetrad"),
        field("administrative_code", "string", "Organ och enhet (id)"),
        field("administrative_name", "string", "Organ eller enhet"),
        field(
            "economic_code",
            "string",
            "Konto eller kontogrupp (Kommun-Bas)",
        ),
        field("expenditure", "number", "Utgift/kostnad, tkr"),
        field("revenue", "number", "Intäkt, tkr"),
    ];
    let mut measures = serde_json::Map::new();
    measures.insert(
        "expenditure".to_owned(),
        measure("expenditure", "expenditure", phase),
    );
    measures.insert("revenue".to_owned(), measure("revenue", "revenue", phase));
    if let Some(month) = data.executed_through {
        let title = format!("utfall {}-01 – {month}", month.year());
        fields.push(field(
            "executed_expenditure",
            "number",
            &format!("Kostnad, {title}, tkr"),
        ));
        fields.push(field(
            "executed_revenue",
            "number",
            &format!("Intäkt, {title}, tkr"),
        ));
        for (name, direction) in EXECUTED_COLUMNS.iter().zip(["expenditure", "revenue"]) {
            measures.insert(
                (*name).to_owned(),
                measure(name, direction, Phase::Executed.code()),
            );
        }
    }
    json!({
        "name": slug,
        "title": format!("{} – {} ({})", data.municipality_name, data.title, data.version_name),
        "description": "Budgeten som öppna data ur styr: driftbudgetens rader (nettokostnad), investeringar och finansförvaltningen, i tkr (factor 1000).",
        "countryCode": "SE",
        "profiles": {"fiscal": "*", "tabular": "*"},
        "granularity": "aggregated",
        "fiscalPeriod": {
            "start": format!("{}-01-01", data.years.first().copied().unwrap_or_default()),
            "end": format!("{}-12-31", data.years.last().copied().unwrap_or_default()),
        },
        "resources": [{
            "name": "budget",
            "title": "Budget",
            "path": DATA_FILE,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {
                "fields": fields,
                "primaryKey": ["year", "budget_line"],
            },
        }],
        "model": {
            "measures": measures,
            "dimensions": {
                "date": {
                    "dimensionType": "datetime",
                    "attributes": {"year": {"source": "year"}},
                    "primaryKey": "year",
                },
                "activity": {
                    "dimensionType": "activity",
                    "attributes": {
                        "budget": {"source": "budget"},
                        "budget_line": {"source": "budget_line", "parent": "budget"},
                        "budget_line_name": {"source": "budget_line_name", "labelfor": "budget_line"},
                    },
                    "primaryKey": ["budget", "budget_line"],
                },
                "administrative": {
                    "dimensionType": "classification",
                    "classificationType": "administrative",
                    "attributes": {
                        "code": {"source": "administrative_code"},
                        "label": {"source": "administrative_name", "labelfor": "code"},
                    },
                    "primaryKey": "code",
                },
                "economic": {
                    "dimensionType": "classification",
                    "classificationType": "economic",
                    "attributes": {"code": {"source": "economic_code"}},
                    "primaryKey": "code",
                },
            },
        },
    })
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
    let mut json = serde_json::to_vec_pretty(&descriptor(&data))?;
    json.push(b'\n');
    write(&output.join("datapackage.json"), &json)?;
    write(&output.join(DATA_FILE), &data_csv(&data)?)?;
    println!(
        "skrev {} (datapackage.json och {DATA_FILE}): {} rader, {}, fas {}{}",
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
    styr_store::utc_offset(0)
        .chars()
        .filter(char::is_ascii_digit)
        .take(8)
        .collect()
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
