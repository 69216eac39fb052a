//! `styr statements`: the financial statements (resultaträkning, balansräkning,
//! kassaflödesanalys) and the balanskravsutredning of a year through a month, from
//! `App::financial_statements`, as a text table (whole tkr that add up as printed,
//! `StatementsReport::in_whole`), CSV or JSON (exact kronor with a dot). Every figure, sum and
//! finding is computed there; this module only prints.

use crate::output::json_number;
use crate::store::with_app;
use anyhow::{Result, bail};
use serde_json::json;
use std::fmt::Write as _;
use std::process::ExitCode;
use styr_app::App;
use styr_domain::number::{Decimals, MoneyUnit, format_money};
use styr_domain::{Money, Month};
use styr_reports::statements::{RowKind, StatementRow, StatementsReport};

/// The output formats of `styr statements`.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum StatementsFormat {
    Table,
    Csv,
    Json,
}

/// What `styr statements` was asked for.
#[derive(clap::Args)]
pub struct StatementsArgs {
    /// Räkenskapsåret.
    #[arg(long)]
    pub year: i32,
    /// Den sista månaden som räknas med, ÅÅÅÅ-MM (2021-08 för delårsrapporten); utan den hela
    /// året (årsredovisningen).
    #[arg(long)]
    pub period: Option<String>,
    /// Utdataformat.
    #[arg(long, value_enum, default_value = "table")]
    pub format: StatementsFormat,
    /// Databasen: en SQLite-fil eller en postgres://-adress.
    #[arg(long, default_value = "styr.db")]
    pub db: String,
    /// Kommunens id (behövs när databasen har flera kommuner).
    #[arg(long)]
    pub municipality: Option<String>,
}

pub fn run(args: StatementsArgs) -> Result<ExitCode> {
    let through = match &args.period {
        Some(text) => {
            let month = crate::report::parse_period(text)?;
            if month.year() != args.year {
                bail!("--period {text} ligger inte i --year {}", args.year);
            }
            month
        }
        None => match Month::new(args.year, 12) {
            Some(month) => month,
            None => bail!("--year {}: inget räkenskapsår", args.year),
        },
    };
    let report = with_app(&args.db, async |app: &App| {
        app.financial_statements(
            &crate::store::actor(None),
            args.municipality.as_deref(),
            through,
        )
        .await
    })?;
    match args.format {
        // The table prints whole tkr that add up as printed; CSV and JSON stay exact.
        StatementsFormat::Table => print!("{}", table(&report.in_whole(MoneyUnit::Tkr))),
        StatementsFormat::Csv => print!("{}", csv(&report)),
        StatementsFormat::Json => println!("{}", json(&report)),
    }
    Ok(ExitCode::SUCCESS)
}

fn tkr(money: Option<Money>) -> String {
    money.map_or_else(
        || "–".to_owned(),
        |m| format_money(m, MoneyUnit::Tkr, Decimals::Fixed(0), ' '),
    )
}

/// The three statements with their title, in print order.
fn statements(report: &StatementsReport) -> [(&'static str, &[StatementRow]); 3] {
    [
        ("Resultaträkning", &report.result),
        ("Balansräkning", &report.balance),
        ("Kassaflödesanalys", &report.cash_flow),
    ]
}

fn table(report: &StatementsReport) -> String {
    let period = if report.annual {
        format!("räkenskapsåret {}", report.year)
    } else {
        format!(
            "perioden januari–{} {}",
            styr_domain::followup::month_name(report.through.month()),
            report.year
        )
    };
    let mut out = format!(
        "{} — finansiella rapporter för {period} (tkr)\nKällor: {}\n",
        report.municipality,
        report.sources.join("; ")
    );
    if report.synthetic {
        let _ = writeln!(out, "{}", styr_docgen::statements::SYNTHETIC_NOTE);
    }
    for (title, rows) in statements(report) {
        let budget = title == "Resultaträkning" && report.has_budget;
        let _ = write!(out, "\n{title}\n{:<72} {:>14}", "", "Utfall");
        if budget {
            let _ = write!(out, " {:>14}", "Budget år");
        }
        let previous = if report.annual || title == "Balansräkning" {
            "Föregående år"
        } else if report.previous_same_period {
            "Period året före"
        } else {
            "Helår året före"
        };
        let _ = writeln!(out, " {previous:>14}");
        for row in rows {
            if let Some(heading) = &row.heading {
                let _ = writeln!(out, "{heading}");
            }
            let label = match row.kind {
                RowKind::Sum => row.label.clone(),
                RowKind::Line => format!("  {}", row.label),
            };
            let _ = write!(out, "{label:<72} {:>14}", tkr(Some(row.outcome)));
            if budget {
                let _ = write!(out, " {:>14}", tkr(row.budget));
            }
            let _ = writeln!(out, " {:>14}", tkr(row.previous));
        }
    }
    let requirement = &report.balance_requirement;
    let _ = writeln!(out, "\nBalanskravsutredning");
    for row in &requirement.rows {
        let _ = writeln!(out, "{:<72} {:>14}", row.label, tkr(Some(row.amount)));
    }
    if let Some(stated) = requirement.stated {
        let _ = writeln!(
            out,
            "{:<72} {:>14}",
            "Balanskravsresultat enligt angivet",
            tkr(Some(stated))
        );
    }
    for deficit in &requirement.deficits {
        let _ = writeln!(
            out,
            "Underskott {}: {} tkr, återstår {} tkr, ska återställas senast {}{}",
            deficit.year,
            tkr(Some(deficit.amount)),
            tkr(Some(-deficit.remaining)),
            deficit.deadline,
            if deficit.overdue {
                " — EJ ÅTERSTÄLLT"
            } else {
                ""
            }
        );
    }
    let _ = writeln!(out, "{}", requirement.rule);
    if report.findings.is_empty() {
        let _ = writeln!(
            out,
            "\nInga avvikelser: balansräkningen balanserar och kassaflödet stämmer."
        );
    } else {
        let _ = writeln!(out, "\nAvvikelser ({}):", report.findings.len());
        for finding in &report.findings {
            let _ = writeln!(out, "- {} [{}]", finding.message, finding.id);
        }
    }
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn kronor_text(money: Option<Money>) -> String {
    money.map(|m| m.kr().to_string()).unwrap_or_default()
}

/// One CSV row per statement row and balanskrav row, amounts in kronor with a dot.
fn csv(report: &StatementsReport) -> String {
    let mut out = String::from("rapport,id,rad,typ,utfall_kr,budget_kr,foregaende_ar_kr\n");
    for (title, rows) in statements(report) {
        for row in rows {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{}",
                csv_field(title),
                row.id,
                csv_field(&row.label),
                kind(row.kind),
                kronor_text(Some(row.outcome)),
                kronor_text(row.budget),
                kronor_text(row.previous)
            );
        }
    }
    for row in &report.balance_requirement.rows {
        let _ = writeln!(
            out,
            "Balanskravsutredning,,{},{},{},,",
            csv_field(&row.label),
            kind(row.kind),
            kronor_text(Some(row.amount))
        );
    }
    out
}

fn kind(kind: RowKind) -> &'static str {
    match kind {
        RowKind::Line => "rad",
        RowKind::Sum => "summa",
    }
}

fn json(report: &StatementsReport) -> serde_json::Value {
    let rows = |rows: &[StatementRow]| -> Vec<serde_json::Value> {
        rows.iter()
            .map(|row| {
                json!({
                    "id": row.id,
                    "label": row.label,
                    "kind": kind(row.kind),
                    "outcome": json_number(Some(row.outcome.kr())),
                    "budget": json_number(row.budget.map(Money::kr)),
                    "previous": json_number(row.previous.map(Money::kr)),
                })
            })
            .collect()
    };
    let requirement = &report.balance_requirement;
    json!({
        "municipality": report.municipality,
        "year": report.year,
        "through": report.through.to_string(),
        "annual": report.annual,
        "sources": report.sources,
        "result": rows(&report.result),
        "balance": rows(&report.balance),
        "cash_flow": rows(&report.cash_flow),
        "balance_requirement": {
            "rows": requirement.rows.iter().map(|row| json!({
                "label": row.label,
                "kind": kind(row.kind),
                "amount": json_number(Some(row.amount.kr())),
            })).collect::<Vec<_>>(),
            "result": json_number(Some(requirement.result.kr())),
            "stated": json_number(requirement.stated.map(Money::kr)),
            "deficits": requirement.deficits.iter().map(|d| json!({
                "year": d.year,
                "amount": json_number(Some(d.amount.kr())),
                "remaining": json_number(Some(d.remaining.kr())),
                "deadline": d.deadline,
                "overdue": d.overdue,
            })).collect::<Vec<_>>(),
            "rule": requirement.rule,
        },
        "findings": report.findings.iter().map(|f| json!({
            "id": f.id,
            "message": f.message,
        })).collect::<Vec<_>>(),
    })
}
