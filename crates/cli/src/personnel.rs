//! Personnel figures and verksamhetsmått on the command line (issue 22, items 6–7):
//! `styr personnel --year 2021 [--period 2021-08] [--body ks] [--unit ksf]` prints the seven
//! sjukfrånvaro figures beside the previous year's, antal anställda, årsarbetare and
//! personalomsättning; `styr measures list --period 2021-08` the measures against their budget;
//! `styr measures import FIL` reads outcomes (CSV or .xlsx), all or nothing. Every rule is in
//! `styr-app`, `styr-reports` and the domain; this module parses, calls and prints.

use crate::store::{StoredPlan, actor, with_app};
use anyhow::{Context, Result};
use clap::{Args, Subcommand};
use rust_decimal::Decimal;
use std::path::PathBuf;
use std::process::ExitCode;
use styr_app::{App, MeasuresReport, PersonnelFigures};
use styr_docgen::format;
use styr_domain::Month;

#[derive(Args)]
pub struct PersonnelArgs {
    /// Året.
    #[arg(long)]
    pub year: i32,
    /// Januari till och med den här månaden (ÅÅÅÅ-MM) i stället för hela året.
    #[arg(long)]
    pub period: Option<String>,
    /// En enhet (t.ex. ksf) med enheterna under den; standard: hela organets plan, eller hela
    /// kommunen när inget organ anges och databasen har flera organs planer.
    #[arg(long)]
    pub unit: Option<String>,
    #[command(flatten)]
    pub stored: StoredPlan,
}

#[derive(Subcommand)]
pub enum MeasuresCommand {
    /// Verksamhetsmåtten med budget, utfall och avvikelse per månad till och med perioden.
    List {
        /// Till och med den här månaden, ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Läs in utfall ur en CSV-fil (measure,month,value) eller en Excel-arbetsbok (bladet
    /// Utfall, annars det första), allt eller inget.
    Import {
        /// Filen (.csv eller .xlsx).
        file: PathBuf,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

fn month(text: &str) -> Result<Month> {
    text.parse::<Month>().map_err(anyhow::Error::new)
}

fn percent(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format::decimal(v, 1))
}

pub fn personnel_text(figures: &PersonnelFigures) -> String {
    let mut out = String::new();
    let now = figures.span.label_sv();
    let before = figures.span.previous_year().label_sv();
    if figures.synthetic {
        out.push_str("SYNTETISKA DATA: timmarna är påhittade exempeldata.\n");
    }
    out.push_str(&format!("Sjukfrånvaro, {} (procent)\n", figures.scope));
    out.push_str(&format!("{:<84} {:>22} {:>22}\n", "", now, before));
    for (figure, this, previous) in figures.rows() {
        out.push_str(&format!(
            "{:<84} {:>22} {:>22}\n",
            figure.label_sv(),
            percent(this),
            percent(previous)
        ));
    }
    let staff = |s: &styr_domain::personnel::StaffFigures,
                 f: fn(&styr_domain::personnel::StaffFigures) -> String| {
        if s.has_headcount {
            f(s)
        } else {
            "–".to_owned()
        }
    };
    let (a, b) = (&figures.staff, &figures.previous_staff);
    out.push_str(&format!(
        "\nAnställda {} resp. {}\n",
        figures.span.last_month().last_day(),
        figures.span.previous_year().last_month().last_day()
    ));
    type Pick = fn(&styr_domain::personnel::StaffFigures) -> String;
    let rows: [(&str, Pick); 4] = [
        ("Tillsvidareanställda", |s| s.permanent.to_string()),
        ("Visstidsanställda", |s| s.temporary.to_string()),
        ("Antal anställda", |s| s.employees().to_string()),
        ("Årsarbetare", |s| {
            format::decimal(s.full_time_equivalents, 1)
        }),
    ];
    for (label, pick) in rows {
        out.push_str(&format!(
            "{label:<84} {:>22} {:>22}\n",
            staff(a, pick),
            staff(b, pick)
        ));
    }
    out.push_str(&format!(
        "{:<84} {:>22} {:>22}\n",
        "Personalomsättning (%)",
        percent(a.turnover_percent()),
        percent(b.turnover_percent())
    ));
    out
}

fn number(value: Option<Decimal>) -> String {
    value.map_or_else(|| "–".to_owned(), |v| format::decimal(v, 0))
}

pub fn measures_text(report: &MeasuresReport) -> String {
    let mut out = String::new();
    if report.synthetic {
        out.push_str("SYNTETISKA DATA: måtten och deras utfall är påhittade exempeldata.\n");
    }
    for m in &report.measures {
        out.push_str(&format!(
            "\n{} ({}), {}\n{:<12} {:>10} {:>10} {:>10}\n",
            m.measure.name,
            m.measure.unit_of_measure,
            m.unit_name,
            "Månad",
            "Budget",
            "Utfall",
            "Avvikelse"
        ));
        let deviation = |a: Option<Decimal>, b: Option<Decimal>| match (a, b) {
            (Some(a), Some(b)) => format::signed((a - b).round_dp(0)),
            _ => "–".to_owned(),
        };
        for month in &m.series.months {
            out.push_str(&format!(
                "{:<12} {:>10} {:>10} {:>10}\n",
                month.month.to_string(),
                number(month.budget),
                number(month.actual),
                deviation(month.actual, month.budget)
            ));
        }
        out.push_str(&format!(
            "{:<12} {:>10} {:>10} {:>10}\n{:<12} {:>10}\n",
            "Ackumulerat",
            number(m.series.budget_to_date),
            number(m.series.actual_to_date),
            deviation(m.series.actual_to_date, m.series.budget_to_date),
            "Budget år",
            number(m.series.budget_year)
        ));
    }
    out
}

pub fn run_personnel(args: PersonnelArgs) -> Result<ExitCode> {
    let period = args.period.as_deref().map(month).transpose()?;
    let span = styr_app::span_of(args.year, period)?;
    let acting = actor(None);
    let figures = with_app(&args.stored.db, async |app: &App| {
        app.personnel(&acting, &args.stored.selector(), args.unit.as_deref(), span)
            .await
    })?;
    print!("{}", personnel_text(&figures));
    Ok(ExitCode::SUCCESS)
}

pub fn run_measures(command: MeasuresCommand) -> Result<ExitCode> {
    match command {
        MeasuresCommand::List { period, stored } => {
            let until = month(&period)?;
            let acting = actor(None);
            let report = with_app(&stored.db, async |app: &App| {
                app.measures(&acting, &stored.selector(), until).await
            })?;
            print!("{}", measures_text(&report));
            Ok(ExitCode::SUCCESS)
        }
        MeasuresCommand::Import {
            file,
            stored,
            actor: name,
        } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("kan inte läsa {}", file.display()))?;
            let acting = actor(name);
            let file_name = file.display().to_string();
            let imported = with_app(&stored.db, async |app: &App| {
                app.import_measures(&acting, &stored.selector(), &file_name, bytes)
                    .await
            })?;
            println!(
                "importerade {file_name}: {} rader, {} ändrade, {} oförändrade",
                imported.rows, imported.recorded.changed, imported.recorded.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
