//! `styr report kommun`: the whole municipality's roll-up of a period as a text table (tkr,
//! Swedish style) or JSON (kronor with a dot), from `App::municipal_overview`. The figures,
//! totals and the roll-up are computed there; this module only prints them.

use crate::output::json_number;
use crate::store::with_app;
use anyhow::Result;
use serde_json::json;
use std::process::ExitCode;
use styr_app::{App, MunicipalOverview, Progress};
use styr_domain::Money;
use styr_domain::number::{Decimals, MoneyUnit, format_money};

/// The output formats of `styr report kommun`.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum MunicipalFormat {
    Table,
    Json,
}

/// What `styr report kommun` was asked for.
#[derive(clap::Args)]
pub struct MunicipalArgs {
    /// Uppföljningsmånaden, ÅÅÅÅ-MM (2021-08 för delårsrapport 2).
    #[arg(long)]
    pub period: String,
    /// Utdataformat.
    #[arg(long, value_enum, default_value = "table")]
    pub format: MunicipalFormat,
    /// Databasen: en SQLite-fil eller en postgres://-adress.
    #[arg(long, default_value = "styr.db")]
    pub db: String,
    /// Kommunens id (behövs när databasen har flera kommuner).
    #[arg(long)]
    pub municipality: Option<String>,
}

pub fn run(args: MunicipalArgs) -> Result<ExitCode> {
    let period = crate::report::parse_period(&args.period)?;
    let overview = with_app(&args.db, async |app: &App| {
        app.municipal_overview(
            &crate::store::actor(None),
            args.municipality.as_deref(),
            period,
        )
        .await
    })?;
    match args.format {
        MunicipalFormat::Table => print!("{}", table(&overview)),
        MunicipalFormat::Json => println!("{}", json(&overview)),
    }
    Ok(ExitCode::SUCCESS)
}

fn tkr(money: Option<Money>) -> String {
    money.map_or_else(
        || "–".to_owned(),
        |m| format_money(m, MoneyUnit::Tkr, Decimals::Fixed(0), ' '),
    )
}

fn kronor(money: Option<Money>) -> serde_json::Value {
    json_number(money.map(Money::kr))
}

const HEADERS: [&str; 6] = [
    "Ram",
    "Budget år",
    "Utfall ack",
    "Prognos helår",
    "Avvikelse",
    "Rapporterat",
];

/// The overview as text: the driftredovisning per nämnd with its totals, the companies, and
/// KF's goals with the rolled-up assessment and the spread.
fn table(overview: &MunicipalOverview) -> String {
    let mut out = format!(
        "{} per {} — driftredovisning per nämnd (tkr)\n",
        overview.municipality_name, overview.period
    );
    match &overview.council {
        Some(council) => out.push_str(&format!("Ramar: {}.\n\n", council.title)),
        None => out.push_str(
            "Kommunfullmäktiges plan finns inte i databasen: ramarna är nämndernas egna.\n\n",
        ),
    }
    let mut lines: Vec<(String, Vec<String>)> = overview
        .bodies
        .iter()
        .map(|body| {
            let forecast = match (body.forecast(), body.economy.as_ref()) {
                (Some(f), Some(row)) if row.forecast_computed => format!("{} *", tkr(Some(f))),
                (f, _) => tkr(f),
            };
            (
                body.name.clone(),
                vec![
                    tkr(body.frame.as_ref().map(|f| f.amount)),
                    tkr(body.budget),
                    tkr(body.actual()),
                    forecast,
                    tkr(body.forecast_deviation()),
                    body.progress.label_sv(),
                ],
            )
        })
        .collect();
    let totals = &overview.totals;
    let total_forecast = match (totals.forecast(), totals.economy.as_ref()) {
        (Some(f), Some(row)) if row.forecast_computed => format!("{} *", tkr(Some(f))),
        (f, _) => tkr(f),
    };
    lines.push((
        styr_reports::municipal::TOTAL_LABEL.to_owned(),
        vec![
            tkr(Some(totals.frame)),
            tkr(Some(totals.budget)),
            tkr(totals.actual()),
            total_forecast,
            tkr(totals.forecast_deviation()),
            format!("{} av {}", totals.reported, totals.due),
        ],
    ));
    let label_width = lines
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let widths: Vec<usize> = (0..HEADERS.len())
        .map(|i| {
            lines
                .iter()
                .map(|(_, cells)| cells[i].chars().count())
                .chain([HEADERS[i].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let row = |label: &str, cells: &[String]| {
        let mut line = format!("{label:<label_width$}");
        for (cell, width) in cells.iter().zip(&widths) {
            line.push_str(&format!("  {cell:>width$}"));
        }
        line.push('\n');
        line
    };
    out.push_str(&row(
        "",
        &HEADERS.iter().map(|h| (*h).to_owned()).collect::<Vec<_>>(),
    ));
    let count = lines.len();
    for (index, (label, cells)) in lines.iter().enumerate() {
        if index + 1 == count {
            out.push_str(&format!(
                "{}\n",
                "-".repeat(label_width + widths.iter().map(|w| w + 2).sum::<usize>())
            ));
        }
        out.push_str(&row(label, cells));
    }
    out.push_str("* minst en radprognos är beräknad (utfall ack + budgeten för resten av året).\n");
    if !overview.companies.is_empty() {
        out.push_str("\nBolag (ingår inte i summan)\n");
        for company in &overview.companies {
            out.push_str(&format!(
                "  {}: ägarandel {} %, resultatkrav {}, budgeterat resultat före skatt {}, rapporterat {}\n",
                company.name,
                company
                    .ownership_percent
                    .map_or_else(|| "–".to_owned(), |p| p.normalize().to_string().replace('.', ",")),
                tkr(company.requirement.as_ref().map(|f| f.amount)),
                tkr(company.budgeted_result),
                company.progress.label_sv()
            ));
        }
    }
    if !overview.goals.is_empty() {
        out.push_str("\nKommunens mål (sämsta lämnade bedömning; ej bedömd så länge någon nämnd inte har bedömt)\n");
        for goal in &overview.goals {
            let spread: Vec<String> = goal
                .rolled_up
                .counts
                .iter()
                .map(|(level, n)| format!("{} {n}", level.label_sv()))
                .chain([format!("ej bedömt {}", goal.rolled_up.not_assessed)])
                .collect();
            out.push_str(&format!(
                "  Mål {}: {} — {} ({})\n",
                goal.number,
                goal.title,
                goal.rolled_up.overall.label_sv(),
                spread.join(", ")
            ));
            for contribution in &goal.contributions {
                out.push_str(&format!(
                    "    {}: {} — {}\n",
                    contribution.body_name,
                    contribution.title,
                    contribution
                        .assessment
                        .map_or("ingen bedömning lämnad", |a| a.label_sv())
                ));
            }
        }
    }
    out
}

fn progress_json(progress: &Progress) -> serde_json::Value {
    match progress {
        Progress::NoPlan => json!({ "state": "no_plan" }),
        Progress::NoPeriod => json!({ "state": "no_period" }),
        Progress::NotPublished => json!({ "state": "not_published" }),
        Progress::Due {
            reported,
            due,
            late,
            state,
        } => json!({
            "state": state.code(),
            "reported": reported,
            "due": due,
            "late": late,
        }),
    }
}

/// The overview as JSON: amounts in kronor with a dot, ids and codes as stored.
fn json(overview: &MunicipalOverview) -> serde_json::Value {
    let totals = &overview.totals;
    json!({
        "municipality": overview.municipality.as_str(),
        "period": overview.period.to_string(),
        "council": overview.council.as_ref().map(|c| json!({
            "body": c.body.as_str(),
            "title": c.title,
            "version": c.version.as_str(),
            "decision": c.decision.as_ref().map(|d| d.as_str()),
        })),
        "bodies": overview.bodies.iter().map(|b| json!({
            "body": b.body.as_str(),
            "name": b.name,
            "kind": b.kind.code(),
            "version": b.plan.as_ref().map(|p| p.version.as_str()),
            "frame": kronor(b.frame.as_ref().map(|f| f.amount)),
            "frame_source": b.frame.as_ref().map(|f| match f.source {
                styr_app::FrameSource::Council => "council",
                styr_app::FrameSource::Own => "own",
            }),
            "budget": kronor(b.budget),
            "actual": kronor(b.actual()),
            "forecast": kronor(b.forecast()),
            "forecast_computed": b.economy.as_ref().map(|r| r.forecast_computed),
            "forecast_deviation": kronor(b.forecast_deviation()),
            "progress": progress_json(&b.progress),
        })).collect::<Vec<_>>(),
        "totals": {
            "frame": kronor(Some(totals.frame)),
            "budget": kronor(Some(totals.budget)),
            "actual": kronor(totals.actual()),
            "forecast": kronor(totals.forecast()),
            "forecast_deviation": kronor(totals.forecast_deviation()),
            "reported": totals.reported,
            "due": totals.due,
        },
        "companies": overview.companies.iter().map(|c| json!({
            "body": c.body.as_str(),
            "name": c.name,
            "ownership_percent": json_number(c.ownership_percent),
            "requirement": kronor(c.requirement.as_ref().map(|f| f.amount)),
            "budgeted_result": kronor(c.budgeted_result),
            "progress": progress_json(&c.progress),
        })).collect::<Vec<_>>(),
        "goals": overview.goals.iter().map(|g| json!({
            "goal": g.goal.as_str(),
            "number": g.number,
            "title": g.title,
            "overall": match g.rolled_up.overall {
                styr_domain::assessment::Overall::NotAssessed => "not_assessed",
                styr_domain::assessment::Overall::Assessed(a) => a.code(),
            },
            "counts": g.rolled_up.counts.iter().map(|(level, n)| json!({ "level": level.code(), "count": n })).collect::<Vec<_>>(),
            "not_assessed": g.rolled_up.not_assessed,
            "contributions": g.contributions.iter().map(|c| json!({
                "body": c.body.as_str(),
                "goal": c.goal.as_str(),
                "title": c.title,
                "assessment": c.assessment.map(|a| a.code()),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}
