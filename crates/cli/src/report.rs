//! `styr report budget-vs-actual` and `styr forecast set`: the follow-up report from the
//! database, rendered as a table (tkr, Swedish style), CSV or JSON (kronor with a dot), and
//! manual forecasts entered per line and month.
//!
//! The figures are computed by `styr-reports`; this module loads the inputs and renders.

use crate::output::json_number;
use crate::store::{StoredPlan, with_app};
use anyhow::Result;
use clap::{Subcommand, ValueEnum};
use serde_json::json;
use std::process::ExitCode;
use styr_app::App;
use styr_domain::ledger::Month;
use styr_domain::number::{
    Decimals, MoneyUnit, Written, format_money, format_swedish, parse_money,
};
use styr_domain::{Money, Plan};
use styr_reports::{BudgetVsActual, Cell, ReportRow, RowKind};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
}

#[derive(Subcommand)]
pub enum ReportCommand {
    /// Budget mot utfall per månad: per budgetrad och enhet, med helårsprognoser.
    BudgetVsActual {
        /// Uppföljningsmånaden, ÅÅÅÅ-MM (årets månader till och med den räknas).
        #[arg(long)]
        period: String,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Hela kommunen för en period: varje nämnds ram, budget, utfall, prognos och avvikelse med
    /// summor, rapporteringen och kommunfullmäktiges mål med den sammanvägda bedömningen.
    Kommun(crate::municipal::MunicipalArgs),
    /// Hela kommunens redovisning av en period (RKR R14/R17): driftredovisning per nämnd med
    /// anslagsförändringar, investeringsredovisning, exploatering och finansförvaltning mot
    /// bokföringen och god ekonomisk hushållning, med föregående års samma period.
    Redovisning(crate::accounts::AccountsArgs),
}

/// `styr forecast set`: the older name of `styr followup forecast`, kept hidden so that
/// scripts keep working; both run `followup::run_forecast`.
#[derive(Subcommand)]
pub enum ForecastCommand {
    /// Samma som `styr followup forecast`.
    Set(crate::followup::ForecastArgs),
}

pub fn parse_period(text: &str) -> Result<Month> {
    Ok(text.parse()?)
}

/// An amount in tkr as a person types it (the domain's one money parser).
pub fn parse_tkr(text: &str) -> Result<Money> {
    parse_money(text, MoneyUnit::Tkr, Written::Typed).map_err(anyhow::Error::msg)
}

pub fn run_report(command: ReportCommand) -> Result<ExitCode> {
    let (period, format, stored) = match command {
        ReportCommand::BudgetVsActual {
            period,
            format,
            stored,
        } => (period, format, stored),
        ReportCommand::Kommun(args) => return crate::municipal::run(args),
        ReportCommand::Redovisning(args) => return crate::accounts::run(args),
    };
    let period = parse_period(&period)?;
    let output = with_app(&stored.db, async |app: &App| {
        app.budget_vs_actual(&crate::store::actor(None), &stored.selector(), period)
            .await
    })?;
    match format {
        ReportFormat::Table => print!("{}", table(&output.plan, &output.report, &output.sources)),
        ReportFormat::Csv => print!("{}", csv(&output.report)),
        ReportFormat::Json => println!("{}", json(&output.report)),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_forecast(command: ForecastCommand) -> Result<ExitCode> {
    let ForecastCommand::Set(args) = command;
    crate::followup::run_forecast(args)
}

fn tkr(money: Money) -> String {
    format_money(money, MoneyUnit::Tkr, Decimals::Fixed(0), ' ')
}

/// The figures of a row, in the column order of every format; `None` is an empty cell.
fn figures(row: &ReportRow) -> [Option<Money>; 9] {
    let budget = row.cell.budget();
    let actual = row.cell.actual();
    let comparison = row.cell.comparison();
    [
        budget.map(|b| b.annual),
        budget.map(|b| b.to_date),
        actual.map(|a| a.to_date),
        comparison.map(|c| c.deviation),
        actual.map(|a| a.run_rate),
        comparison.map(|c| c.budget_profile),
        row.manual_forecast,
        row.forecast.map(|(_, forecast)| forecast),
        row.forecast_deviation,
    ]
}

/// The column of [`figures`] that holds the forecast the deviation uses.
const FORECAST_COLUMN: usize = 7;

fn cell_kind(cell: &Cell) -> &'static str {
    match cell {
        Cell::BudgetOnly(_) => "budget",
        Cell::ActualOnly(_) => "actual",
        Cell::Both(..) => "both",
    }
}

const HEADERS: [&str; 9] = [
    "Budget år",
    "Budget ack",
    "Utfall ack",
    "Avvikelse",
    "Prognos takt",
    "Prognos profil",
    "Prognos manuell",
    "Prognos",
    "Avvikelse prognos",
];

fn profile_label(row: &ReportRow) -> &'static str {
    match row.cell.budget().map(|b| b.profile) {
        Some(styr_reports::ProfileSource::Ledger) => "SIE",
        Some(styr_reports::ProfileSource::Plan) => "plan",
        Some(styr_reports::ProfileSource::Even) => "jämn",
        Some(styr_reports::ProfileSource::Mixed) => "blandad",
        None => "",
    }
}

/// The report as a text table in tkr.
fn table(plan: &Plan, exact: &BudgetVsActual, sources: &[String]) -> String {
    // The table's figures as printed: whole tkr that add up (the rows without a budget line
    // are listed in kronor and öre, from the exact report).
    let report = &exact.in_whole(MoneyUnit::Tkr);
    let month = styr_domain::followup::month_name(report.months);
    let mut out = format!(
        "Budget mot utfall per {month} {} — {} (tkr)\n",
        report.year, plan.municipality.name
    );
    out.push_str(&format!(
        "Plan: {}. Bokföring: {}.\n\n",
        plan.budget.version.name,
        if sources.is_empty() {
            "ingen importerad".to_owned()
        } else {
            sources.join(", ")
        }
    ));
    if let Some(reason) = styr_reports::Completeness::of(report, &[]).reason_sv() {
        out.push_str(&format!("Preliminär: {reason}\n\n"));
    }
    if report.synthetic {
        out.push_str(&format!(
            "{}\n\n",
            styr_domain::followup::SYNTHETIC_FOLLOWUP_NOTE
        ));
    }
    let mut lines: Vec<(String, Vec<String>, &'static str)> = Vec::new();
    let mut section = None;
    for row in &report.rows {
        if section != Some(row.section) {
            section = Some(row.section);
            let title = match row.section {
                styr_reports::Section::Operating => "Driftbudget",
                styr_reports::Section::Investment => "Investeringar",
            };
            lines.push((title.to_owned(), Vec::new(), ""));
        }
        let indent = match row.kind {
            RowKind::Unit => "    ",
            RowKind::Line | RowKind::Project => "  ",
            RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal => "",
        };
        let cells = figures(row)
            .iter()
            .enumerate()
            .map(|(index, figure)| match figure {
                Some(money) if index == FORECAST_COLUMN && row.forecast_computed => {
                    format!("{} *", tkr(*money))
                }
                Some(money) => tkr(*money),
                None => "–".to_owned(),
            })
            .collect();
        lines.push((format!("{indent}{}", row.label), cells, profile_label(row)));
    }
    let label_width = lines
        .iter()
        .map(|(label, _, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let widths: Vec<usize> = HEADERS
        .iter()
        .enumerate()
        .map(|(index, header)| {
            lines
                .iter()
                .filter_map(|(_, cells, _)| cells.get(index))
                .map(|cell| cell.chars().count())
                .chain([header.chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let pad_left = |text: &str, width: usize| {
        format!(
            "{}{text}",
            " ".repeat(width.saturating_sub(text.chars().count()))
        )
    };
    let pad_right = |text: &str, width: usize| {
        format!(
            "{text}{}",
            " ".repeat(width.saturating_sub(text.chars().count()))
        )
    };
    let mut header = pad_right("", label_width);
    for (text, width) in HEADERS.iter().zip(&widths) {
        header.push_str("  ");
        header.push_str(&pad_left(text, *width));
    }
    header.push_str("  Profil");
    out.push_str(header.trim_end());
    out.push('\n');
    for (label, cells, profile) in &lines {
        let mut line = pad_right(label, label_width);
        for (text, width) in cells.iter().zip(&widths) {
            line.push_str("  ");
            line.push_str(&pad_left(text, *width));
        }
        if !cells.is_empty() {
            line.push_str("  ");
            line.push_str(profile);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(
        "Avvikelse = budget ack − utfall ack (positiv: under budget; en rad utan bokningar har \
         utfall 0). Prognos takt = utfall ack / månader × 12; prognos profil = utfall ack + \
         återstående budget; prognos = den manuella där den finns, annars profil (* = beräknad); \
         en summas prognos är summan av radernas (* = minst en beräknad); avvikelse prognos = \
         budget år − prognos, på en summa summan av radernas. Varje rads belopp är avrundat \
         till hela tkr och summor, avvikelser och beräknade prognoser räknas på de avrundade \
         beloppen, så att tabellen summerar som den står; varav-raderna fördelar radens utfall.\n",
    );
    out.push_str(
        "Profil: hur budget ack fördelas över året — SIE (#PBUDGET i bokföringen), plan \
         (ledger/profiles.csv) eller jämn (en tolftedel per månad).\n",
    );
    let (rows, amount) = exact.unmapped_total();
    out.push_str(&format!(
        "Utan budgetrad: {rows} rader, {} tkr{}\n",
        tkr(amount),
        if exact.unmapped.is_empty() { "." } else { ":" }
    ));
    for row in &exact.unmapped {
        let objects = [
            row.ansvar.as_ref().map(|a| format!("ansvar {a}")),
            row.project.as_ref().map(|p| format!("projekt {p}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let reason = match row.reason {
            styr_domain::ledger::UnmappedReason::NoRule => "ingen regel i ledger/accounts.csv",
            styr_domain::ledger::UnmappedReason::NoProject => "investering utan projekt",
            styr_domain::ledger::UnmappedReason::UnknownProject => {
                "projektet finns inte i ledger/projects.csv"
            }
        };
        out.push_str(&format!(
            "  konto {}{}{}: {} rader, {} kr ({reason})\n",
            row.account,
            if objects.is_empty() { "" } else { ", " },
            objects,
            row.rows,
            format_swedish(row.amount.kr(), 2, ' ')
        ));
    }
    out.push_str(&format!(
        "Utanför uppföljningen (exclude, t.ex. balansräkningen): {} rader, {} tkr.\n",
        report.excluded.rows,
        tkr(report.excluded.amount)
    ));
    out.push_str(&format!(
        "Bokfört efter perioden (ingår inte): {} rader, {} tkr.\n",
        report.later.rows,
        tkr(report.later.amount)
    ));
    out
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// One CSV row per report row; amounts in kronor with two decimals and a dot, empty when absent.
fn csv(report: &BudgetVsActual) -> String {
    let mut out = String::from(
        "period,section,kind,line,unit,label,cell,annual_budget,budget_to_date,actual_to_date,\
         deviation,forecast_run_rate,forecast_budget_profile,forecast_manual,forecast,\
         forecast_deviation,forecast_method,forecast_computed,profile,rows,synthetic\n",
    );
    for row in &report.rows {
        let mut cells = vec![
            report.period.to_string(),
            row.section.code().to_owned(),
            row.kind.code().to_owned(),
            row.line
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            row.unit
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            csv_field(&row.label),
            cell_kind(&row.cell).to_owned(),
        ];
        cells.extend(
            figures(row)
                .iter()
                .map(|figure| figure.map(|m| m.to_string()).unwrap_or_default()),
        );
        cells.push(
            row.forecast
                .map(|(m, _)| m.code())
                .unwrap_or_default()
                .to_owned(),
        );
        cells.push(row.forecast_computed.to_string());
        cells.push(
            row.cell
                .budget()
                .map(|b| b.profile.code())
                .unwrap_or_default()
                .to_owned(),
        );
        cells.push(
            row.cell
                .actual()
                .map(|a| a.rows.to_string())
                .unwrap_or_default(),
        );
        cells.push(report.synthetic.to_string());
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

fn kr(money: Option<Money>) -> serde_json::Value {
    json_number(money.map(Money::kr))
}

fn json(report: &BudgetVsActual) -> String {
    let rows: Vec<serde_json::Value> = report
        .rows
        .iter()
        .map(|row| {
            let [
                annual,
                to_date,
                actual,
                deviation,
                run_rate,
                profile,
                manual,
                forecast,
                forecast_deviation,
            ] = figures(row);
            json!({
                "section": row.section.code(),
                "kind": row.kind.code(),
                "line": row.line.as_ref().map(ToString::to_string),
                "unit": row.unit.as_ref().map(ToString::to_string),
                "label": row.label,
                "cell": cell_kind(&row.cell),
                "annual_budget": kr(annual),
                "budget_to_date": kr(to_date),
                "actual_to_date": kr(actual),
                "deviation": kr(deviation),
                "forecast_run_rate": kr(run_rate),
                "forecast_budget_profile": kr(profile),
                "forecast_manual": kr(manual),
                "forecast": kr(forecast),
                "forecast_deviation": kr(forecast_deviation),
                "forecast_method": row.forecast.map(|(m, _)| m.code()),
                "forecast_computed": row.forecast_computed,
                "profile": row.cell.budget().map(|b| b.profile.code()),
                "rows": row.cell.actual().map(|a| a.rows),
            })
        })
        .collect();
    let unmapped: Vec<serde_json::Value> = report
        .unmapped
        .iter()
        .map(|row| {
            json!({
                "account": row.account,
                "ansvar": row.ansvar,
                "project": row.project,
                "reason": row.reason.code(),
                "rows": row.rows,
                "amount": kr(Some(row.amount)),
            })
        })
        .collect();
    let value = json!({
        "period": report.period.to_string(),
        "year": report.year,
        "months": report.months,
        "synthetic": report.synthetic,
        "unit": "kr",
        "rows": rows,
        "unmapped": unmapped,
        "excluded": {"rows": report.excluded.rows, "amount": kr(Some(report.excluded.amount))},
        "after_period": {"rows": report.later.rows, "amount": kr(Some(report.later.amount))},
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tkr_amounts_are_exact() {
        assert_eq!(parse_tkr("86500").unwrap(), Money::from_ore(8_650_000_000));
        assert_eq!(parse_tkr("-1.00001").unwrap(), Money::from_ore(-100_001));
        assert!(parse_tkr("1.000001").is_err());
        assert_eq!(parse_tkr("12 000").unwrap(), Money::from_ore(1_200_000_000));
        assert!(parse_tkr("12 tkr").is_err());
    }
}
