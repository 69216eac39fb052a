//! The budget out of styr: to the ledger system as SIE #PBUDGET (per account, ansvar object and
//! month), and to open-data portals as the rows of a Fiscal Data Package. Both are computed by
//! `styr-reports` from the plan and its ledger mapping; the SIE file is written by the one
//! SIE writer (`styr_sie::write_sie4`).

use crate::{Actor, App, AppError, PlanSelector, Problem};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use styr_domain::Money;
use styr_domain::ledger::Month;
use styr_domain::{Plan, Year};
use styr_reports::{FiscalData, Phase, fiscal_data, monthly_budget, with_executed};
use styr_sie::{
    Account, AccountNo, Amount, Date, Dimension, FiscalYear, Generated, ObjectRef, PeriodAmount,
    Program, SieFile, SieType, write_sie4,
};

/// The net-budget account of a line whose rule covers a range of accounts (`3`–`7` per ansvar).
pub const DEFAULT_NET_ACCOUNT: &str = "7999";

/// What the SIE budget file holds, for the command's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SieBudget {
    pub bytes: Vec<u8>,
    /// #PBUDGET rows written.
    pub rows: usize,
    /// Budget lines in the file.
    pub lines: usize,
    /// The sum of every row, in öre (the plan's operating budget for the year).
    pub total_ore: i64,
}

/// The Fiscal Data Package's descriptor file.
pub const FDP_DESCRIPTOR_FILE: &str = "datapackage.json";
/// The one CSV resource of the Fiscal Data Package.
pub const FDP_DATA_FILE: &str = "budget.csv";
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
    amount.map_or_else(String::new, |m| {
        styr_domain::number::plain_money(m, styr_domain::number::MoneyUnit::Tkr)
    })
}

fn data_csv(data: &FiscalData) -> csv::Result<Vec<u8>> {
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
    writer.into_inner().map_err(|e| e.into_error().into())
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
            "path": FDP_DATA_FILE,
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

/// A Fiscal Data Package's two files: the descriptor (pretty JSON) and the data (CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiscalDataPackage {
    pub descriptor: Vec<u8>,
    pub data: Vec<u8>,
}

/// The budget as a Fiscal Data Package ([`FDP_DESCRIPTOR_FILE`] and [`FDP_DATA_FILE`]).
pub fn fiscal_data_package(data: &FiscalData) -> FiscalDataPackage {
    let mut descriptor =
        serde_json::to_vec_pretty(&descriptor(data)).expect("a JSON value always serialises");
    descriptor.push(b'\n');
    FiscalDataPackage {
        descriptor,
        data: data_csv(data).expect("CSV into memory does not fail"),
    }
}

fn invalid(field: &str, message: String) -> AppError {
    AppError::Invalid(vec![Problem::new(field, message)])
}

/// The year's operating budget as a SIE 4 file of #PBUDGET rows (with #KONTO, #DIM 1 and the
/// ansvar objects it uses), generated on `today` (YYYYMMDD). A line the mapping cannot place is
/// an error naming it; then there is no file.
pub fn sie_budget(
    plan: &Plan,
    year: Year,
    net_account: &str,
    today: &str,
) -> Result<SieBudget, AppError> {
    if AccountNo::parse(net_account).is_err() {
        return Err(invalid(
            "net-account",
            format!("{net_account:?} är inte ett kontonummer"),
        ));
    }
    let cells = monthly_budget(plan, year, net_account).map_err(|problems| {
        AppError::Invalid(
            problems
                .into_iter()
                .map(|p| match p.at {
                    Some(at) => Problem::at(&at.file, at.line, p.line.to_string(), p.message),
                    None => Problem {
                        file: Some("ledger/accounts.csv".to_owned()),
                        line: None,
                        field: p.line.to_string(),
                        message: p.message,
                    },
                })
                .collect(),
        )
    })?;
    if cells.is_empty() {
        return Err(invalid(
            "year",
            format!("driftbudgeten har inga belopp för {year}"),
        ));
    }
    let calendar = u16::try_from(year)
        .ok()
        .and_then(|y| Date::new(y, 1, 1).zip(Date::new(y, 12, 31)));
    let Some((start, end)) = calendar else {
        return Err(invalid("year", format!("{year} är inte ett år")));
    };
    let mut file = SieFile {
        flag: 0,
        program: Some(Program {
            name: "styr".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }),
        generated: Date::parse(today).ok().map(|date| Generated {
            date,
            sign: String::new(),
        }),
        sie_type: Some(SieType::Type4),
        company_name: Some(plan.municipality.name.clone()),
        fiscal_years: vec![FiscalYear {
            index: 0,
            start,
            end,
        }],
        chart_type: Some("KOMMUNBAS".to_owned()),
        currency: Some("SEK".to_owned()),
        ..SieFile::default()
    };
    file.dimensions.insert(
        1,
        Dimension {
            name: "Ansvar".to_owned(),
            parent: None,
        },
    );
    let mut lines = BTreeMap::new();
    for cell in &cells {
        let account = AccountNo::parse(&cell.account)
            .map_err(|_| invalid("account", format!("{:?} är inte ett konto", cell.account)))?;
        file.accounts
            .entry(account.clone())
            .or_insert_with(|| Account {
                name: if cell.account == net_account {
                    "Nettobudget (ram)".to_owned()
                } else {
                    cell.line_name.clone()
                },
                kind: None,
                unit: String::new(),
                sru: Vec::new(),
            });
        let objects: Vec<ObjectRef> = cell
            .ansvar
            .iter()
            .map(|ansvar| ObjectRef {
                dimension: 1,
                object: ansvar.clone(),
            })
            .collect();
        for object in &objects {
            let name = plan
                .ledger
                .units
                .iter()
                .find(|u| u.object == object.object)
                .and_then(|u| u.name.clone())
                .unwrap_or_else(|| cell.line_name.clone());
            file.objects.entry(object.clone()).or_insert(name);
        }
        let period = u16::try_from(year)
            .ok()
            .and_then(|y| styr_sie::Period::new(y, cell.month))
            .ok_or_else(|| invalid("year", format!("{year} är inte ett år")))?;
        file.period_budgets.push(PeriodAmount {
            year: 0,
            period,
            account,
            objects,
            amount: Amount(cell.amount.ore()),
            quantity: None,
        });
        lines.insert(cell.line.clone(), ());
    }
    let bytes = write_sie4(&file)
        .map_err(|error| invalid("sie", format!("kan inte skriva SIE-filen: {error}")))?;
    Ok(SieBudget {
        bytes,
        rows: file.period_budgets.len(),
        lines: lines.len(),
        total_ore: cells.iter().map(|c| c.amount.ore()).sum(),
    })
}

impl App {
    /// The stored plan's operating budget for `year` as a SIE #PBUDGET file.
    pub async fn sie_budget(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        year: Year,
        net_account: &str,
        today: &str,
    ) -> Result<SieBudget, AppError> {
        let plan = self.load_plan(actor, selector).await?;
        sie_budget(&plan, year, net_account, today)
    }

    /// The stored plan's budget as open-data rows (a Fiscal Data Package's data), with the
    /// ledger's actuals from the start of the year to `executed_through` when it is given.
    pub async fn fiscal_data(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        executed_through: Option<Month>,
    ) -> Result<FiscalData, AppError> {
        match executed_through {
            None => Ok(fiscal_data(&self.load_plan(actor, selector).await?)),
            Some(period) => {
                let report = self.budget_vs_actual(actor, selector, period).await?;
                if report.sources.is_empty() {
                    return Err(AppError::invalid(
                        "executed-through",
                        "databasen har ingen bokföring; importera den först (styr actuals import)"
                            .to_owned(),
                    ));
                }
                Ok(with_executed(fiscal_data(&report.plan), &report.report))
            }
        }
    }
}
