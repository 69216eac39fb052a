//! The follow-up year on the command line: `styr followup …` (report a status, an outcome, a
//! goal assessment or a forecast, or a unit's whole report from a file), `styr period …` (the
//! calendar with who has not reported, closing and reopening), `styr audit list`,
//! `styr version …` (decide, adjust, diff) and `styr year rollover`. Every rule is the use
//! case's in `styr-app`; this module parses, calls and prints.

use crate::Format;
use crate::report::{parse_period, parse_tkr};
use crate::store::{StoredPlan, actor, with_app};
use anyhow::{Context, Result};
use clap::Subcommand;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;
use styr_app::AuditFilter;
use styr_app::{Actor, App, Reported};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{FollowUpReport, GoalAssessment, ReportEntry, reportable_statuses};
use styr_domain::ledger::BudgetLineRef;
use styr_domain::number::{Decimals, MoneyUnit, format_money};
use styr_domain::{Id, Money};

#[derive(Subcommand)]
pub enum FollowUpCommand {
    /// Rapportera ett uppdrags status: `styr followup status "2020 KS 3" Påbörjad --period 2021-08`.
    Status {
        /// Uppdraget: dess id (ks2020_3) eller dess tryckta beteckning ("2020 KS 3").
        assignment: String,
        /// Ej påbörjad, Påbörjad, Färdig, Väntar, Avvikelse eller Dialog behövs.
        status: String,
        /// Uppföljningsperioden, ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        /// En kommentar till statusen.
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Registrera en indikators utfall: `styr followup indicator bostader 412 --period 2021-08`.
    Indicator {
        /// Indikatorns id, t.ex. bostader.
        indicator: String,
        /// Värdet (decimalkomma eller punkt).
        value: String,
        /// Uppföljningsperioden, ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        /// Varifrån värdet kommer, t.ex. SCB eller Kolada.
        #[arg(long)]
        source: Option<String>,
        /// Dagen då värdet mättes eller publicerades, ÅÅÅÅ-MM-DD.
        #[arg(long)]
        date: Option<String>,
        /// En kommentar till värdet.
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Bedöm ett mål i en delårsrapport eller årsredovisning.
    Assess {
        /// Målets id.
        goal: String,
        /// Uppfyllt, Delvis uppfyllt, Ej uppfyllt eller Kan inte bedömas.
        assessment: String,
        /// Perioden (delårsrapporten eller årsredovisningen), ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        /// Motiveringen till bedömningen.
        #[arg(long)]
        motivation: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Lämna en helårsprognos för en budgetrad (op.TABELL.RAD eller inv.PROJEKT), i tkr.
    Forecast(ForecastArgs),
    /// Läs in en enhets hela rapport från en CSV-fil, allt eller inget.
    Import {
        /// CSV-filen med enhetens rapport.
        file: PathBuf,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Vad en periods rapport innehåller för en enhet (eller för alla): allt som ska rapporteras,
    /// med vad som är rapporterat, saknas och är försenat (standard: perioden som kalendern
    /// säger rapporteras nu).
    Due {
        /// Perioden, ÅÅÅÅ-MM (standard: den som rapporteras nu).
        #[arg(long)]
        period: Option<String>,
        /// En nämnd eller enhet (t.ex. ksf): bara det dess rapportörer rapporterar.
        #[arg(long)]
        unit: Option<String>,
        /// Läs kalendern som på den här dagen (ÅÅÅÅ-MM-DD; standard: i dag).
        #[arg(long)]
        today: Option<String>,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Lista en periods gällande rapporter (eller hela historiken).
    List {
        /// Bara den här perioden, ÅÅÅÅ-MM (standard: alla perioder).
        #[arg(long)]
        period: Option<String>,
        /// Alla rapporter, inte bara de gällande.
        #[arg(long)]
        history: bool,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        stored: StoredPlan,
    },
}

#[derive(Subcommand)]
pub enum PeriodCommand {
    /// Uppföljningskalendern med vem som inte har rapporterat.
    List {
        /// Bara det här årets perioder.
        #[arg(long)]
        year: Option<i32>,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Stäng en period: det som rapporterats för den kan sedan inte ändras.
    Close {
        /// Perioden, ÅÅÅÅ-MM.
        period: String,
        /// Stäng perioden för hela kommunen: varje organs period som är öppen, i en ändring.
        #[arg(long, conflicts_with = "body")]
        kommun: bool,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Öppna en stängd period igen (administratörer; skälet skrivs i händelseloggen).
    Reopen {
        /// Perioden, ÅÅÅÅ-MM.
        period: String,
        /// Varför perioden öppnas igen (skrivs i händelseloggen).
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Händelseloggen, äldst först.
    List {
        /// Bara ändringar av den här inloggningen.
        #[arg(long)]
        who: Option<String>,
        /// Bara händelser som innehåller de här orden, t.ex. "report status".
        #[arg(long)]
        what: Option<String>,
        /// Från den här dagen eller tiden (UTC), t.ex. 2021-08-01.
        #[arg(long)]
        since: Option<String>,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum VersionCommand {
    /// Besluta den valda versionen genom ett av planens beslut (t.ex. kf_2020_11_09_185).
    Decide {
        /// Beslutets id i planen, t.ex. kf_2020_11_09_185.
        #[arg(long)]
        decision: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Skapa en justerad version (ombudgetering, tilläggsbudget) av en beslutad.
    Adjust {
        /// Den nya versionens id.
        id: String,
        /// Den nya versionens namn, t.ex. "Tilläggsbudget 1".
        #[arg(long)]
        name: String,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Jämför två versioner rad för rad, med summorna.
    Diff {
        /// Den första versionens id.
        a: String,
        /// Den andra versionens id.
        b: String,
        /// Alla rader, inte bara de som skiljer sig.
        #[arg(long)]
        all: bool,
        /// Kommunens id (behövs när databasen har flera kommuner).
        #[arg(long)]
        municipality: Option<String>,
        /// Databasen: en SQLite-fil eller en postgres://-adress.
        #[arg(long, default_value = "styr.db")]
        db: String,
    },
}

#[derive(Subcommand)]
pub enum YearCommand {
    /// Skapa nästa års plan som förslag utifrån årets.
    Rollover {
        /// Det nya budgetåret, t.ex. 2022.
        year: i32,
        /// Gör årsskiftet fast det gamla årets perioder är öppna (kräver --reason).
        #[arg(long, requires = "reason")]
        force: bool,
        /// Varför årsskiftet görs med öppna perioder (skrivs i händelseloggen).
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som gör ändringen, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

/// An assignment by id or printed code.
fn assignment_id(plan: &styr_domain::Plan, given: &str) -> Result<Id> {
    if let Some(a) = plan.assignments.iter().find(|a| {
        a.id.as_str() == given
            || a.code
                .as_deref()
                .is_some_and(|code| code.eq_ignore_ascii_case(given.trim()))
    }) {
        return Ok(a.id.clone());
    }
    Id::parse(given).with_context(|| format!("uppdraget {given:?} finns inte i planen"))
}

pub(crate) fn id(given: &str) -> Result<Id> {
    Id::parse(given).map_err(|e| anyhow::anyhow!("{given:?}: {e}"))
}

/// A full-year forecast: `styr followup forecast` (and its hidden older name `styr forecast
/// set`).
#[derive(clap::Args)]
pub struct ForecastArgs {
    /// Budgetraden: op.TABELL.RAD eller inv.PROJEKT.
    line: String,
    /// Helårsbelopp i tkr, t.ex. 86500, "86 500" eller -1200,5 (nettokostnad: en kostnad är
    /// positiv).
    #[arg(allow_hyphen_values = true)]
    amount: String,
    /// Uppföljningsmånaden prognosen lämnas i, ÅÅÅÅ-MM.
    #[arg(long)]
    period: String,
    /// Förklaringen till avvikelsen mot budget (krävs över tröskeln).
    #[arg(long)]
    comment: Option<String>,
    /// Åtgärdsplanen, som krävs när prognosen visar underskott.
    #[arg(long)]
    action_plan: Option<String>,
    /// Spara prognosen fast den är lägre än det bokförda eller långt från budgeten.
    #[arg(long)]
    confirm: bool,
    #[command(flatten)]
    stored: StoredPlan,
    /// Vem som lämnar prognosen, för händelseloggen (standard: inloggningsnamnet).
    #[arg(long)]
    actor: Option<String>,
}

/// Reports a full-year forecast.
pub fn run_forecast(args: ForecastArgs) -> Result<ExitCode> {
    let entry = forecast_entry(&args.line, &args.amount, args.comment, args.action_plan)?;
    report_confirmed(&args.stored, args.actor, &args.period, entry, args.confirm)
}

fn forecast_entry(
    line: &str,
    amount: &str,
    comment: Option<String>,
    action_plan: Option<String>,
) -> Result<ReportEntry> {
    Ok(ReportEntry::Forecast {
        line: BudgetLineRef::parse(line)
            .with_context(|| format!("{line:?} är inte op.TABELL.RAD eller inv.PROJEKT"))?,
        amount: parse_tkr(amount)?,
        comment,
        action_plan,
    })
}

fn print_reported(reported: &Reported) {
    for change in &reported.changes {
        let report = &change.after.report;
        match &change.before {
            Some(before) => println!(
                "{} {}: {} (var: {})",
                report.period,
                report.entry.subject(),
                report.entry,
                before.report.entry
            ),
            None => println!(
                "{} {}: {}",
                report.period,
                report.entry.subject(),
                report.entry
            ),
        }
    }
    if reported.unchanged > 0 {
        println!("{} rapporter oförändrade", reported.unchanged);
    }
}

/// Reports one entry for a period.
pub fn report(
    stored: &StoredPlan,
    actor_name: Option<String>,
    period: &str,
    entry: ReportEntry,
) -> Result<ExitCode> {
    report_confirmed(stored, actor_name, period, entry, false)
}

/// Reports one thing; a forecast that looks wrong (below what is booked, far from the budget)
/// is saved only when `confirmed` (`--confirm`).
pub fn report_confirmed(
    stored: &StoredPlan,
    actor_name: Option<String>,
    period: &str,
    entry: ReportEntry,
    confirmed: bool,
) -> Result<ExitCode> {
    let period = parse_period(period)?;
    let acting = actor(actor_name);
    let reported = with_app(&stored.db, async |app: &App| {
        app.report_confirmed(
            &acting,
            &stored.selector(),
            FollowUpReport { period, entry },
            None,
            confirmed,
        )
        .await
    })?;
    print_reported(&reported);
    Ok(ExitCode::SUCCESS)
}

pub fn run_followup(command: FollowUpCommand) -> Result<ExitCode> {
    match command {
        FollowUpCommand::Status {
            assignment,
            status,
            period,
            comment,
            stored,
            actor: name,
        } => {
            let status_value = AssignmentStatus::parse_word(&status)
                .filter(|s| *s != AssignmentStatus::Unknown)
                .with_context(|| {
                    format!(
                        "{status:?} är ingen status: {}",
                        reportable_statuses()
                            .iter()
                            .map(|s| s.label_sv())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })?;
            let acting = actor(name.clone());
            let plan = with_app(&stored.db, async |app: &App| {
                app.load_plan(&acting, &stored.selector()).await
            })?;
            let entry = ReportEntry::Status {
                assignment: assignment_id(&plan, &assignment)?,
                status: status_value,
                comment,
            };
            report(&stored, name, &period, entry)
        }
        FollowUpCommand::Indicator {
            indicator,
            value,
            period,
            source,
            date,
            comment,
            stored,
            actor: name,
        } => {
            let parsed = styr_domain::number::parse_number(&value)
                .with_context(|| format!("{value:?} är inte ett tal"))?;
            let entry = ReportEntry::Outcome {
                indicator: id(&indicator)?,
                value: parsed,
                measured_on: date,
                source,
                comment,
            };
            report(&stored, name, &period, entry)
        }
        FollowUpCommand::Assess {
            goal,
            assessment,
            period,
            motivation,
            stored,
            actor: name,
        } => {
            let assessment = GoalAssessment::parse_word(&assessment).with_context(|| {
                format!(
                    "{assessment:?} är ingen målbedömning (Uppfyllt, Delvis uppfyllt, Ej \
                     uppfyllt, Kan inte bedömas)"
                )
            })?;
            let entry = ReportEntry::Assessment {
                goal: id(&goal)?,
                assessment,
                motivation,
            };
            report(&stored, name, &period, entry)
        }
        FollowUpCommand::Forecast(args) => run_forecast(args),
        FollowUpCommand::Import {
            file,
            stored,
            actor: name,
        } => {
            let bytes = std::fs::read(&file)
                .with_context(|| format!("kan inte läsa {}", file.display()))?;
            let acting = actor(name);
            let file_name = file.display().to_string();
            let imported = with_app(&stored.db, async |app: &App| {
                app.import_followup(&acting, &stored.selector(), &file_name, &bytes)
                    .await
            })?;
            println!(
                "importerade {file_name}: {} rader, {} ändrade, {} oförändrade",
                imported.rows,
                imported.recorded.changes.len(),
                imported.recorded.unchanged
            );
            Ok(ExitCode::SUCCESS)
        }
        FollowUpCommand::Due {
            period,
            unit,
            today,
            format,
            stored,
        } => crate::due::run_due(
            period.as_deref(),
            unit.as_deref(),
            today.as_deref(),
            format,
            &stored,
        ),
        FollowUpCommand::List {
            period,
            history,
            format,
            stored,
        } => {
            let filter = styr_app::EntryFilter {
                period: period.as_deref().map(parse_period).transpose()?,
                history,
                ..Default::default()
            };
            let acting = actor(None);
            let (plan, entries, names) = with_app(&stored.db, async |app: &App| {
                let (plan, entries) = app.reports(&acting, &stored.selector(), &filter).await?;
                Ok((plan, entries, app.user_names(&acting).await?))
            })?;
            // A report of a period the package marks synthetic says so on its line.
            let synthetic = |month: styr_domain::ledger::Month| {
                plan.periods.iter().any(|p| p.synthetic && p.month == month)
            };
            match format {
                Format::Text => {
                    if entries.iter().any(|e| synthetic(e.report.period)) {
                        println!("{}", styr_domain::followup::SYNTHETIC_FOLLOWUP_NOTE);
                    }
                    for entry in &entries {
                        let r = &entry.report;
                        println!(
                            "{} {} {}: {} — {} {}{}",
                            r.period,
                            r.entry.kind().label_sv(),
                            r.entry.subject(),
                            r.entry,
                            crate::store::person(&names, &entry.reported_by),
                            styr_domain::localtime::stockholm_minute(&entry.reported_at),
                            if synthetic(r.period) {
                                " (syntetiska exempeldata)"
                            } else {
                                ""
                            }
                        );
                    }
                }
                Format::Json => {
                    let rows: Vec<serde_json::Value> = entries
                        .iter()
                        .map(|e| {
                            json!({
                                "period": e.report.period.to_string(),
                                "kind": e.report.entry.kind().code(),
                                "subject": e.report.entry.subject(),
                                "text": e.report.entry.to_string(),
                                "reported_by": e.reported_by,
                                "reported_at": e.reported_at,
                                "synthetic": synthetic(e.report.period),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run_period(command: PeriodCommand) -> Result<ExitCode> {
    match command {
        PeriodCommand::List {
            year,
            format,
            stored,
        } => {
            let acting = actor(None);
            let (plan, periods) = with_app(&stored.db, async |app: &App| {
                let plan = app.load_plan(&acting, &stored.selector()).await?;
                let periods = app.periods(&acting, &stored.selector(), year).await?;
                Ok((plan, periods))
            })?;
            let body_name = |id: &Id| {
                plan.body(id)
                    .map_or_else(|| id.to_string(), |b| b.name.clone())
            };
            match format {
                Format::Text => {
                    for overview in &periods {
                        let p = &overview.period;
                        println!(
                            "{}  {:<38} {:<16} sista dag {}  {}  {} rapporter{}",
                            p.month,
                            p.title,
                            p.kind.label_sv(),
                            p.deadline.as_deref().unwrap_or("–"),
                            p.state.label_sv(),
                            overview.reported,
                            if p.synthetic {
                                "  (syntetiska exempeldata)"
                            } else {
                                ""
                            }
                        );
                        for missing in &overview.missing {
                            println!(
                                "    ej rapporterat: {} — {}: {}",
                                body_name(&missing.body),
                                missing.what.label_sv(),
                                missing.label
                            );
                        }
                    }
                }
                Format::Json => {
                    let rows: Vec<serde_json::Value> = periods
                        .iter()
                        .map(|o| {
                            json!({
                                "month": o.period.month,
                                "id": o.period.id.as_str(),
                                "kind": o.period.kind.code(),
                                "title": o.period.title,
                                "end": o.period.end_date(),
                                "deadline": o.period.deadline,
                                "state": o.period.state.code(),
                                "synthetic": o.period.synthetic,
                                "reported": o.reported,
                                "missing": o.missing.iter().map(|m| json!({
                                    "body": m.body.as_str(),
                                    "what": m.what.label_sv(),
                                    "subject": m.subject.as_str(),
                                    "label": m.label,
                                })).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        PeriodCommand::Close {
            period,
            kommun: true,
            stored,
            actor: name,
        } => {
            let month = parse_period(&period)?;
            let acting = actor(name);
            let closed = with_app(&stored.db, async |app: &App| {
                app.close_period_everywhere(&acting, stored.municipality.as_deref(), month)
                    .await
            })?;
            for (body, period) in &closed {
                println!("stängde {} ({}) för {body}", period.month, period.title);
            }
            Ok(ExitCode::SUCCESS)
        }
        PeriodCommand::Close {
            period,
            kommun: false,
            stored,
            actor: name,
        } => {
            let month = parse_period(&period)?;
            let acting = actor(name);
            let closed = with_app(&stored.db, async |app: &App| {
                app.close_period(&acting, &stored.selector(), month).await
            })?;
            println!("stängde {} ({})", closed.month, closed.title);
            Ok(ExitCode::SUCCESS)
        }
        PeriodCommand::Reopen {
            period,
            reason,
            stored,
            actor: name,
        } => {
            let month = parse_period(&period)?;
            let acting = actor(name);
            let opened = with_app(&stored.db, async |app: &App| {
                app.reopen_period(&acting, &stored.selector(), month, &reason)
                    .await
            })?;
            println!("öppnade {} ({}) igen: {reason}", opened.month, opened.title);
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run_audit(command: AuditCommand) -> Result<ExitCode> {
    let AuditCommand::List {
        who,
        what,
        since,
        format,
        db,
    } = command;
    let filter = AuditFilter {
        actor: who,
        action_contains: what,
        since,
        ..AuditFilter::default()
    };
    let acting = actor(None);
    let described = with_app(&db, async |app: &App| {
        app.audit_log_described(&acting, &filter).await
    })?;
    let entries: Vec<_> = described.iter().map(|d| d.entry.clone()).collect();
    match format {
        Format::Text => {
            for (entry, described) in entries.iter().zip(&described) {
                let who = crate::store::named(Some(&described.actor_name), &entry.actor);
                println!(
                    "{} {who} {}",
                    styr_domain::localtime::stockholm_minute(&entry.at),
                    described.description
                );
                if let Some(after) = &described.after {
                    let before = described.before.as_deref().unwrap_or("–");
                    let mut old = before.lines();
                    for new in after.lines() {
                        println!("    {}  →  {new}", old.next().unwrap_or("–"));
                    }
                }
            }
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = entries
                .iter()
                .map(|e| {
                    json!({
                        "seq": e.seq,
                        "municipality": e.municipality,
                        "at": e.at,
                        "actor": e.actor,
                        "action": e.action,
                        "detail": e.detail,
                        "before": e.before,
                        "after": e.after,
                    })
                })
                .collect();
            println!("{}", serde_json::to_string_pretty(&rows)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn tkr(money: Money) -> String {
    format_money(money, MoneyUnit::Tkr, Decimals::Fixed(0), ' ')
}

pub fn run_version(command: VersionCommand) -> Result<ExitCode> {
    match command {
        VersionCommand::Decide {
            decision,
            stored,
            actor: name,
        } => {
            let acting = actor(name);
            let plan = with_app(&stored.db, async |app: &App| {
                app.decide_version(&acting, &stored.selector(), &decision)
                    .await
            })?;
            println!(
                "{} är beslutad ({decision}) och ändras inte längre på plats",
                plan.budget.version.id
            );
            Ok(ExitCode::SUCCESS)
        }
        VersionCommand::Adjust {
            id: new_id,
            name,
            stored,
            actor: acting_name,
        } => {
            let acting = actor(acting_name);
            let summary = with_app(&stored.db, async |app: &App| {
                app.adjust_version(&acting, &stored.selector(), &new_id, &name)
                    .await
            })?;
            println!(
                "skapade den justerade versionen {} ({} rader)",
                summary.version,
                summary.total_rows()
            );
            Ok(ExitCode::SUCCESS)
        }
        VersionCommand::Diff {
            a,
            b,
            all,
            municipality,
            db,
        } => {
            let acting = actor(None);
            let diff = with_app(&db, async |app: &App| {
                app.diff_versions(&acting, municipality.as_deref(), &a, &b)
                    .await
            })?;
            println!("{} → {} (tkr)", diff.a, diff.b);
            let dash = || "–".to_owned();
            for row in diff.rows.iter().filter(|r| all || r.changed()) {
                println!(
                    "  {:<44} {:<6} {:>12} {:>12} {:>12}",
                    format!("{} ({})", row.label, row.line),
                    row.year,
                    row.a.map_or_else(dash, tkr),
                    row.b.map_or_else(dash, tkr),
                    row.change().map_or_else(dash, tkr)
                );
            }
            for (title, sums) in [
                ("Summa driftbudget", &diff.operating_sums),
                ("Summa investeringar", &diff.investment_sums),
            ] {
                for (year, x, y) in sums {
                    println!(
                        "  {:<44} {:<6} {:>12} {:>12} {:>12}",
                        title,
                        year,
                        tkr(*x),
                        tkr(*y),
                        tkr(*y - *x)
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub fn run_year(command: YearCommand) -> Result<ExitCode> {
    let YearCommand::Rollover {
        year,
        force,
        reason,
        stored,
        actor: name,
    } = command;
    let acting: Actor = actor(name);
    let reason = if force { reason } else { None };
    let summary = with_app(&stored.db, async |app: &App| {
        app.rollover(&acting, &stored.selector(), year, reason.as_deref())
            .await
    })?;
    if summary.created {
        println!(
            "skapade {} från {}: {} uppdrag fortsätter, {} avslutade arkiveras",
            summary.to_version,
            summary.from_version,
            summary.continued.len(),
            summary.archived.len()
        );
        if !summary.open_periods.is_empty() {
            println!(
                "  trots öppna perioder {}: {}",
                styr_domain::month::list(&summary.open_periods),
                reason.unwrap_or_default()
            );
        }
    } else {
        println!(
            "{} finns redan (skapad från {}); inget ändrades",
            summary.to_version, summary.from_version
        );
    }
    Ok(ExitCode::SUCCESS)
}
