//! `styr report redovisning`: the statutory follow-up of a period (`App::statutory_accounts`):
//! the driftredovisning per nämnd with anslagsförändringar (R14), the investeringsredovisning,
//! exploatering and finansförvaltning against the ledger, and god ekonomisk hushållning, each
//! with the previous year's same period. As text (tkr, Swedish style), CSV (tkr with a dot) or
//! JSON (kronor with a dot). Every figure and total is computed in `styr_reports`; this module
//! only lays them out.

use crate::output::json_number;
use crate::store::with_app;
use anyhow::Result;
use serde_json::json;
use std::process::ExitCode;
use styr_app::{App, StatutoryAccounts};
use styr_domain::Money;
use styr_domain::number::{Decimals, MoneyUnit, format_money, plain_money};
use styr_reports::accounts_ledger::Amounts;
use styr_reports::municipal::TOTAL_LABEL;

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum AccountsFormat {
    Table,
    Csv,
    Json,
}

/// Which part of the follow-up.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum AccountsPart {
    /// Allt.
    Alla,
    /// Driftredovisning per nämnd med anslagsförändringar.
    Drift,
    /// Investeringsredovisning per projekt.
    Investeringar,
    /// Exploatering mot bokföringen.
    Exploatering,
    /// Finansförvaltning mot bokföringen.
    Finans,
    /// God ekonomisk hushållning.
    Geh,
}

#[derive(clap::Args)]
pub struct AccountsArgs {
    /// Uppföljningsmånaden, ÅÅÅÅ-MM (2021-08 för delårsrapporten, 2021-12 för året).
    #[arg(long)]
    pub period: String,
    /// Vilken del.
    #[arg(long, value_enum, default_value = "alla")]
    pub part: AccountsPart,
    /// Utdataformat.
    #[arg(long, value_enum, default_value = "table")]
    pub format: AccountsFormat,
    /// Databasen: en SQLite-fil eller en postgres://-adress.
    #[arg(long, default_value = "styr.db")]
    pub db: String,
    /// Kommunens id (behövs när databasen har flera kommuner).
    #[arg(long)]
    pub municipality: Option<String>,
}

/// A cell: text or an amount.
enum Value {
    Text(String),
    Amount(Option<Money>),
}

/// One table of the output.
struct Sheet {
    id: &'static str,
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<Value>>,
}

pub fn run(args: AccountsArgs) -> Result<ExitCode> {
    let period = crate::report::parse_period(&args.period)?;
    let accounts = with_app(&args.db, async |app: &App| {
        app.statutory_accounts(
            &crate::store::actor(None),
            args.municipality.as_deref(),
            period,
        )
        .await
    })?;
    let sheets = sheets(&accounts, args.part);
    match args.format {
        AccountsFormat::Table => print!("{}", table(&sheets, &accounts, args.part)),
        AccountsFormat::Csv => print!("{}", csv(&sheets)),
        AccountsFormat::Json => println!("{}", json(&sheets, &accounts, args.part)),
    }
    Ok(ExitCode::SUCCESS)
}

fn wants(part: AccountsPart, this: AccountsPart) -> bool {
    part == AccountsPart::Alla || part == this
}

/// Income, cost and net; `split` false: the budget gives the net only.
fn amounts(a: Option<Amounts>, split: bool) -> Vec<Value> {
    vec![
        Value::Amount(a.map(|a| a.income).filter(|_| split)),
        Value::Amount(a.map(|a| a.cost).filter(|_| split)),
        Value::Amount(a.map(|a| a.net)),
    ]
}

fn sheets(accounts: &StatutoryAccounts, part: AccountsPart) -> Vec<Sheet> {
    let mut sheets = Vec::new();
    let overview = &accounts.overview;
    let (period, year) = (overview.period, overview.period.year());
    if wants(part, AccountsPart::Drift) {
        let mut rows: Vec<Vec<Value>> = overview
            .bodies
            .iter()
            .map(|b| {
                vec![
                    Value::Text(b.name.clone()),
                    Value::Amount(b.frame.as_ref().map(|f| f.amount)),
                    Value::Amount(Some(b.appropriation_sum())),
                    Value::Amount(b.budget_after_changes()),
                    Value::Amount(b.actual()),
                    Value::Amount(b.previous_actual()),
                    Value::Amount(b.forecast()),
                    Value::Amount(b.deviation_after_changes()),
                ]
            })
            .collect();
        let t = &overview.totals;
        rows.push(vec![
            Value::Text(TOTAL_LABEL.to_owned()),
            Value::Amount(Some(t.frame)),
            Value::Amount(Some(t.appropriations)),
            Value::Amount(Some(t.budget_after_changes)),
            Value::Amount(t.actual()),
            Value::Amount(t.previous_actual),
            Value::Amount(t.forecast()),
            Value::Amount(t.deviation_after_changes),
        ]);
        sheets.push(Sheet {
            id: "drift",
            title: format!("Driftredovisning per nämnd per {period} (tkr)"),
            headers: vec![
                "Nämnd".to_owned(),
                "Budget (ram)".to_owned(),
                "Anslagsförändringar".to_owned(),
                "Budget efter förändringar".to_owned(),
                format!("Utfall {period}"),
                format!("Utfall {}-{:02}", year - 1, period.month()),
                format!("Prognos {year}"),
                "Avvikelse".to_owned(),
            ],
            rows,
        });
        let mut rows: Vec<Vec<Value>> = overview
            .bodies
            .iter()
            .flat_map(|b| {
                b.appropriations.iter().map(move |c| {
                    vec![
                        Value::Text(b.name.clone()),
                        Value::Text(c.kind.label_sv().to_owned()),
                        Value::Text(c.decision.to_string()),
                        Value::Text(c.date.clone()),
                        Value::Text(c.text.clone()),
                        Value::Amount(Some(c.amount)),
                    ]
                })
            })
            .collect();
        rows.push(vec![
            Value::Text("Summa anslagsförändringar".to_owned()),
            Value::Text(String::new()),
            Value::Text(String::new()),
            Value::Text(String::new()),
            Value::Text(String::new()),
            Value::Amount(Some(t.appropriations)),
        ]);
        sheets.push(Sheet {
            id: "anslagsforandringar",
            title: format!("Anslagsförändringar {year} till och med {period} (tkr)"),
            headers: ["Nämnd", "Slag", "Beslut", "Datum", "Beskrivning", "Belopp"]
                .map(str::to_owned)
                .to_vec(),
            rows,
        });
    }
    if wants(part, AccountsPart::Investeringar) {
        for (_, name, inv) in &accounts.investments {
            let row = |r: &styr_reports::accounts::InvestmentAccount| {
                vec![
                    Value::Text(r.name.clone()),
                    Value::Amount(r.decided_total),
                    Value::Amount(r.earlier),
                    Value::Amount(r.year_actual),
                    Value::Amount(r.to_date),
                    Value::Amount(r.forecast_total),
                    Value::Amount(r.deviation),
                    Value::Amount(r.year_budget),
                    Value::Amount(r.year_forecast),
                    Value::Amount(r.previous_same_period),
                ]
            };
            let mut rows: Vec<Vec<Value>> = inv.rows.iter().map(row).collect();
            rows.push(row(&inv.total));
            sheets.push(Sheet {
                id: "investeringar",
                title: format!("Investeringsredovisning, {name}, per {period} (tkr)"),
                headers: vec![
                    "Projekt".to_owned(),
                    "Beslutad totalutgift".to_owned(),
                    "Utfall tidigare år".to_owned(),
                    format!("Utfall {period}"),
                    "Utfall hittills".to_owned(),
                    "Beräknad totalutgift".to_owned(),
                    "Avvikelse".to_owned(),
                    format!("Budget {year}"),
                    format!("Prognos {year}"),
                    format!("Utfall {}-{:02}", year - 1, period.month()),
                ],
                rows,
            });
        }
    }
    let follow_headers = |first: &str| {
        vec![
            first.to_owned(),
            "Budget intäkter".to_owned(),
            "Budget kostnader".to_owned(),
            "Budget netto".to_owned(),
            "Utfall intäkter".to_owned(),
            "Utfall kostnader".to_owned(),
            "Utfall netto".to_owned(),
            "Avvikelse netto".to_owned(),
            format!("Utfall netto {}-{:02}", year - 1, period.month()),
        ]
    };
    if wants(part, AccountsPart::Exploatering) {
        for (_, name, expl) in &accounts.exploitation {
            let row = |r: &styr_reports::accounts_ledger::ExploitationAccount| {
                let mut cells = vec![Value::Text(if r.project.is_empty() {
                    r.name.clone()
                } else {
                    format!("{} {}", r.project, r.name)
                })];
                cells.extend(amounts(r.budget, r.budget_split));
                cells.extend(amounts(r.actual, true));
                cells.push(Value::Amount(r.deviation));
                cells.push(Value::Amount(r.previous.map(|p| p.net)));
                cells
            };
            let mut rows: Vec<Vec<Value>> = expl.rows.iter().map(row).collect();
            rows.push(row(&expl.total));
            rows.push(
                [Value::Text(
                    "Realisationsvinster (positiva nettoutfall)".to_owned(),
                )]
                .into_iter()
                .chain((0..5).map(|_| Value::Text(String::new())))
                .chain([Value::Amount(expl.realisation_gains())])
                .chain((0..2).map(|_| Value::Text(String::new())))
                .collect(),
            );
            sheets.push(Sheet {
                id: "exploatering",
                title: format!("Exploatering, {name}, per {period} (tkr)"),
                headers: follow_headers("Projekt"),
                rows,
            });
        }
    }
    if wants(part, AccountsPart::Finans) {
        for (_, name, fin) in &accounts.finance {
            let row = |r: &styr_reports::accounts_ledger::FinanceAccount| {
                let mut cells = vec![Value::Text(r.name.clone())];
                cells.extend(amounts(r.budget, r.budget_split));
                cells.extend(amounts(r.actual, true));
                cells.push(Value::Amount(r.deviation));
                cells.push(Value::Amount(r.previous.map(|p| p.net)));
                cells
            };
            let mut rows: Vec<Vec<Value>> = fin.rows.iter().map(row).collect();
            rows.push(row(&fin.total));
            sheets.push(Sheet {
                id: "finans",
                title: format!("Finansförvaltning, {name}, per {period} (tkr)"),
                headers: follow_headers("Post"),
                rows,
            });
        }
    }
    if wants(part, AccountsPart::Geh)
        && let Some(geh) = &accounts.geh
    {
        sheets.push(Sheet {
            id: "geh",
            title: format!("God ekonomisk hushållning {period}"),
            headers: ["Mål", "Regel", "Underlag", "Bedömning"]
                .map(str::to_owned)
                .to_vec(),
            rows: geh
                .goals
                .iter()
                .map(|g| {
                    vec![
                        Value::Text(g.goal.kind.code().to_owned()),
                        Value::Text(g.rule_sv.clone()),
                        Value::Text(g.computation_sv.clone().unwrap_or_default()),
                        Value::Text(g.statement_sv()),
                    ]
                })
                .collect(),
        });
    }
    sheets
}

fn tkr(money: Option<Money>) -> String {
    money.map_or_else(
        || "–".to_owned(),
        |m| format_money(m, MoneyUnit::Tkr, Decimals::Fixed(0), ' '),
    )
}

fn table(sheets: &[Sheet], accounts: &StatutoryAccounts, part: AccountsPart) -> String {
    let mut out = String::new();
    for sheet in sheets {
        out.push_str(&format!("{}\n", sheet.title));
        let cells: Vec<Vec<String>> = sheet
            .rows
            .iter()
            .map(|row| {
                row.iter()
                    .map(|v| match v {
                        Value::Text(t) => t.clone(),
                        Value::Amount(m) => tkr(*m),
                    })
                    .collect()
            })
            .collect();
        let widths: Vec<usize> = (0..sheet.headers.len())
            .map(|i| {
                cells
                    .iter()
                    .map(|r| r[i].chars().count())
                    .chain([sheet.headers[i].chars().count()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |row: &[String]| {
            let mut text = String::new();
            for (i, (cell, width)) in row.iter().zip(&widths).enumerate() {
                if i == 0 {
                    text.push_str(&format!("{cell:<width$}"));
                } else {
                    text.push_str(&format!("  {cell:>width$}"));
                }
            }
            text.trim_end().to_owned() + "\n"
        };
        out.push_str(&line(&sheet.headers));
        for row in &cells {
            out.push_str(&line(row));
        }
        out.push('\n');
    }
    if wants(part, AccountsPart::Geh) {
        match &accounts.geh {
            Some(geh) => {
                let computed = geh.computed.map_or("kan inte bedömas", |v| v.label_sv());
                out.push_str(&format!(
                    "Bedömning enligt målen ({}): {computed}.\n",
                    accounts
                        .geh_figures
                        .basis
                        .map_or("underlag", |b| b.label_sv())
                ));
                match &geh.stated {
                    Some(stated) => out.push_str(&format!(
                        "Kommunfullmäktiges bedömning: {}. {}\n",
                        stated.verdict.label_sv(),
                        stated.text
                    )),
                    None => out.push_str("Kommunfullmäktige har inte angett någon bedömning.\n"),
                }
                for finding in &accounts.geh_findings {
                    out.push_str(&format!("varning: {}\n", finding.message));
                }
            }
            None => out.push_str(
                "God ekonomisk hushållning: kommunfullmäktiges plan finns inte i databasen.\n",
            ),
        }
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One CSV per table, after a line naming it; amounts in tkr with a dot.
fn csv(sheets: &[Sheet]) -> String {
    let mut out = String::new();
    for sheet in sheets {
        let header: Vec<String> = ["tabell".to_owned()]
            .into_iter()
            .chain(sheet.headers.iter().map(|h| csv_field(h)))
            .collect();
        out.push_str(&header.join(","));
        out.push('\n');
        for row in &sheet.rows {
            let cells: Vec<String> = [sheet.id.to_owned()]
                .into_iter()
                .chain(row.iter().map(|v| {
                    match v {
                        Value::Text(t) => csv_field(t),
                        Value::Amount(m) => m
                            .map(|m| plain_money(m, MoneyUnit::Tkr))
                            .unwrap_or_default(),
                    }
                }))
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}

/// The tables with amounts in kronor, and GEH's judgements.
fn json(sheets: &[Sheet], accounts: &StatutoryAccounts, part: AccountsPart) -> serde_json::Value {
    let tables: Vec<serde_json::Value> = sheets
        .iter()
        .map(|sheet| {
            json!({
                "id": sheet.id,
                "title": sheet.title,
                "headers": sheet.headers,
                "rows": sheet.rows.iter().map(|row| row.iter().map(|v| match v {
                    Value::Text(t) => json!(t),
                    Value::Amount(m) => json_number(m.map(Money::kr)),
                }).collect::<Vec<_>>()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let geh = accounts
        .geh
        .as_ref()
        .filter(|_| wants(part, AccountsPart::Geh))
        .map(|geh| {
            json!({
                "computed": geh.computed.map(|v| v.code()),
                "stated": geh.stated.as_ref().map(|s| s.verdict.code()),
                "stated_text": geh.stated.as_ref().map(|s| s.text.clone()),
                "disagrees": geh.disagrees(),
                "findings": accounts.geh_findings.iter().map(|f| f.message.clone()).collect::<Vec<_>>(),
            })
        });
    json!({
        "municipality": accounts.overview.municipality.as_str(),
        "period": accounts.overview.period.to_string(),
        "tables": tables,
        "geh": geh,
    })
}
