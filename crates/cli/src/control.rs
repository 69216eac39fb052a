//! Internal control on the command line: `styr control matrix` (the risk matrix as text or
//! SVG), `styr control results` (the year's control plan with each result per period),
//! `styr control audits` (open recommendations oldest first, overdue actions flagged), and
//! reporting a control's result or an audit action's progress for a period. Reports go
//! through the follow-up use case (`followup::report`), a file of them through
//! `styr followup import`. Every rule is in `styr-app` and the domain; this module parses,
//! calls and prints.

use crate::Format;
use crate::followup::{id, report};
use crate::store::with_app;
use crate::store::{StoredPlan, actor};
use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};
use serde_json::json;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;
use styr_app::{App, PlanSelector};
use styr_docgen::chart::{matrix_risks, risk_matrix_chart};
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::ReportEntry;
use styr_domain::{Id, Plan, Year};
use styr_reports::InternalControlReport;

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum MatrixFormat {
    Text,
    Svg,
}

#[derive(Subcommand)]
pub enum ControlCommand {
    /// Ett års riskmatris: antal risker per ruta, och riskerna under den.
    Matrix {
        /// Året (standard: planens första år).
        #[arg(long)]
        year: Option<Year>,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: MatrixFormat,
        /// Skriv till en fil i stället för till standard ut.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Årets internkontrollplan med varje kontrolls resultat per rapportperiod.
    Results {
        /// Året (standard: planens första år).
        #[arg(long)]
        year: Option<Year>,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Revisionens rekommendationer med sina åtgärder, äldst först; försenade åtgärder märks.
    Audits {
        /// Även de avslutade rekommendationerna.
        #[arg(long)]
        all: bool,
        /// Bedöm förfallodagar som på den här dagen (ÅÅÅÅ-MM-DD; standard: i dag).
        #[arg(long)]
        today: Option<String>,
        /// Utdataformat.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        #[command(flatten)]
        stored: StoredPlan,
    },
    /// Rapportera en kontrolls resultat: `styr control result ikp21_attest "Med brister" --period 2021-08 …`.
    Result {
        /// Kontrollens id, t.ex. ikp21_attest.
        control: String,
        /// Utan anmärkning, Med brister eller Ej genomförd.
        result: String,
        /// Rapportperioden, ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        /// Vad som hittades (krävs om resultatet inte är Utan anmärkning).
        #[arg(long)]
        finding: Option<String>,
        /// Vad som görs åt det (krävs för Med brister).
        #[arg(long)]
        action: Option<String>,
        /// grön, gul eller röd (standard: efter resultatet).
        #[arg(long)]
        light: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som rapporterar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
    /// Rapportera hur en åtgärd efter revisionen går: `styr control action gdpr_a1 Genomförd --period 2021-08 --evidence …`.
    Action {
        /// Åtgärdens id, t.ex. gdpr_a1.
        action: String,
        /// Ej påbörjad, Pågår, Genomförd eller Avslutad utan åtgärd.
        status: String,
        /// Rapportperioden, ÅÅÅÅ-MM.
        #[arg(long)]
        period: String,
        /// Det som visar att åtgärden är genomförd (krävs för Genomförd).
        #[arg(long)]
        evidence: Option<String>,
        /// En kommentar; skälet när åtgärden avslutas utan åtgärd.
        #[arg(long)]
        comment: Option<String>,
        #[command(flatten)]
        stored: StoredPlan,
        /// Vem som rapporterar, för händelseloggen (standard: inloggningsnamnet).
        #[arg(long)]
        actor: Option<String>,
    },
}

fn load(
    stored: &StoredPlan,
    year: Option<Year>,
    today: Option<&str>,
) -> Result<(Plan, InternalControlReport)> {
    let acting = actor(None);
    let selector: PlanSelector = stored.selector();
    with_app(&stored.db, async |app: &App| {
        let plan = app.load_plan(&acting, &selector).await?;
        let year = year.unwrap_or_else(|| styr_docgen::compose::plan_year(&plan));
        app.internal_control(&acting, &selector, year, today).await
    })
}

/// The package's mark of synthetic example data, first in every text output.
fn synthetic_line(report: &InternalControlReport) -> String {
    if report.synthetic {
        format!("{}\n\n", styr_domain::control::SYNTHETIC_NOTE)
    } else {
        String::new()
    }
}

fn risk_titles(plan: &Plan) -> Vec<(Id, String)> {
    plan.control
        .risks
        .iter()
        .map(|r| (r.id.clone(), r.title.clone()))
        .collect()
}

/// The matrix as text: likelihood rows from the top, a count per cell with its band, the
/// numbered risks below.
pub fn matrix_text(plan: &Plan, report: &InternalControlReport) -> String {
    let matrix = &report.matrix;
    let risks = matrix_risks(matrix, &risk_titles(plan));
    let mut out = synthetic_line(report);
    let _ = write!(
        out,
        "Riskmatris {} — {} (sannolikhet × konsekvens, antal risker per cell)\n\n",
        matrix.year, plan.municipality.name
    );
    let _ = write!(out, "{:>12}", "");
    for consequence in 1..=matrix.scale.consequence {
        let _ = write!(out, "{:>14}", format!("K{consequence}"));
    }
    out.push('\n');
    for likelihood in (1..=matrix.scale.likelihood).rev() {
        let _ = write!(out, "{:>12}", format!("S{likelihood}"));
        for consequence in 1..=matrix.scale.consequence {
            let cell = matrix.cell(likelihood, consequence);
            let count = cell.map_or(0, |c| c.risks.len());
            let band = cell
                .and_then(|c| c.band.as_ref())
                .map_or("", |b| b.label.as_str());
            let _ = write!(out, "{:>14}", format!("{count} {band}"));
        }
        out.push('\n');
    }
    out.push('\n');
    for risk in &risks {
        let place = match risk.cell {
            Some((l, c)) => format!("S{l} × K{c}"),
            None => "ej bedömd".to_owned(),
        };
        let _ = writeln!(out, "{:>3}. {} ({place})", risk.number, risk.title);
    }
    out
}

fn results_text(plan: &Plan, report: &InternalControlReport) -> String {
    let mut out = synthetic_line(report);
    let _ = write!(
        out,
        "Intern kontrollplan {} — {}\n\n",
        report.year, plan.municipality.name
    );
    if report.controls.is_empty() {
        out.push_str("Planen har ingen kontroll för året.\n");
    }
    let mut previous: Option<&Id> = None;
    for row in &report.controls {
        if previous != Some(&row.control.id) {
            let _ = writeln!(out, "{} ({})", row.control.title, row.control.id);
            previous = Some(&row.control.id);
        }
        match row.reported() {
            Some(control) => {
                let _ = writeln!(
                    out,
                    "  {}: {} ({}) — {}, {}",
                    row.period,
                    control.result.label_sv(),
                    control.light.label_sv(),
                    control.reported_by,
                    control.reported_on
                );
                if let Some(finding) = control.finding {
                    let _ = writeln!(out, "    iakttagelse: {finding}");
                }
                if let Some(action) = control.action {
                    let _ = writeln!(out, "    åtgärd: {action}");
                }
            }
            None => {
                let _ = writeln!(out, "  {}: ej rapporterat", row.period);
            }
        }
    }
    out
}

/// Recommendations oldest first, each with its actions' states; overdue ones flagged.
pub fn audits_text(report: &InternalControlReport, all: bool) -> String {
    let mut out = synthetic_line(report);
    let _ = writeln!(
        out,
        "Revisionens rekommendationer per {}{}",
        report.today,
        if all { "" } else { " (öppna)" }
    );
    let mut shown = 0;
    for state in &report.recommendations {
        if !all && !state.open {
            continue;
        }
        shown += 1;
        let audit = &state.audit;
        let when = audit
            .date
            .clone()
            .or_else(|| audit.year.map(|y| y.to_string()))
            .unwrap_or_else(|| "–".to_owned());
        let case = audit
            .case
            .as_ref()
            .map_or_else(|| "–".to_owned(), ToString::to_string);
        let _ = writeln!(
            out,
            "\n{} ({case}, {when}){}{}",
            audit.title,
            if state.open { "" } else { " — avslutad" },
            if state.overdue { " — FÖRSENAD" } else { "" }
        );
        let _ = writeln!(
            out,
            "  {}: {}",
            state.recommendation.id, state.recommendation.text
        );
        if state.actions.is_empty() {
            out.push_str("    ingen åtgärd beslutad\n");
        }
        for action in &state.actions {
            let due = action.action.due.as_deref().unwrap_or("–");
            let _ = writeln!(
                out,
                "    {} {}: {} (senast {due}){}",
                action.action.id,
                action.action.text,
                action.status.label_sv(),
                if action.overdue { " FÖRSENAD" } else { "" }
            );
            if let Some(evidence) = &action.evidence {
                let _ = writeln!(out, "      underlag: {evidence}");
            }
            if let Some(comment) = &action.comment {
                let _ = writeln!(out, "      kommentar: {comment}");
            }
            if let Some(reported) = &action.reported {
                let _ = writeln!(
                    out,
                    "      rapporterat {} av {} ({})",
                    reported
                        .reported_at
                        .get(..10)
                        .unwrap_or(&reported.reported_at),
                    reported.reported_by,
                    reported.report.period
                );
            }
        }
    }
    let open = report.open_recommendations().count();
    let overdue = report.recommendations.iter().filter(|r| r.overdue).count();
    let _ = writeln!(
        out,
        "\n{shown} visade, {open} öppna av {}, {overdue} med försenade åtgärder",
        report.recommendations.len()
    );
    out
}

/// The recommendations as JSON: the same rows as the text, with codes and ISO dates.
fn audits_json(report: &InternalControlReport, all: bool) -> serde_json::Value {
    let recommendations: Vec<serde_json::Value> = report
        .recommendations
        .iter()
        .filter(|state| all || state.open)
        .map(|state| {
            json!({
                "audit": state.audit.id.as_str(),
                "title": state.audit.title,
                "case": state.audit.case.as_ref().map(ToString::to_string),
                "date": state.audit.date,
                "year": state.audit.year,
                "recommendation": state.recommendation.id.as_str(),
                "text": state.recommendation.text,
                "open": state.open,
                "overdue": state.overdue,
                "actions": state.actions.iter().map(|action| json!({
                    "id": action.action.id.as_str(),
                    "text": action.action.text,
                    "owner": action.action.owner.as_ref().map(Id::as_str),
                    "due": action.action.due,
                    "status": action.status.code(),
                    "evidence": action.evidence,
                    "comment": action.comment,
                    "overdue": action.overdue,
                    "reported_by": action.reported.as_ref().map(|r| r.reported_by.clone()),
                    "reported_at": action.reported.as_ref().map(|r| r.reported_at.clone()),
                    "period": action.reported.as_ref().map(|r| r.report.period.to_string()),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({"today": report.today, "recommendations": recommendations})
}

fn write_out(output: Option<PathBuf>, text: &str) -> Result<()> {
    match output {
        Some(path) => std::fs::write(&path, text)
            .with_context(|| format!("kan inte skriva {}", path.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

pub fn run(command: ControlCommand) -> Result<ExitCode> {
    match command {
        ControlCommand::Matrix {
            year,
            format,
            output,
            stored,
        } => {
            let (plan, report) = load(&stored, year, None)?;
            let text = match format {
                MatrixFormat::Text => matrix_text(&plan, &report),
                MatrixFormat::Svg => {
                    let risks = matrix_risks(&report.matrix, &risk_titles(&plan));
                    let title = format!("Riskmatris {}", report.year);
                    let mut svg = risk_matrix_chart("riskmatris", &title, &report.matrix, &risks);
                    svg.push('\n');
                    svg
                }
            };
            write_out(output, &text)?;
            Ok(ExitCode::SUCCESS)
        }
        ControlCommand::Results { year, stored } => {
            let (plan, report) = load(&stored, year, None)?;
            print!("{}", results_text(&plan, &report));
            Ok(ExitCode::SUCCESS)
        }
        ControlCommand::Audits {
            all,
            today,
            format,
            stored,
        } => {
            let (_, report) = load(&stored, None, today.as_deref())?;
            match format {
                Format::Text => print!("{}", audits_text(&report, all)),
                Format::Json => println!(
                    "{}",
                    serde_json::to_string_pretty(&audits_json(&report, all))?
                ),
            }
            Ok(ExitCode::SUCCESS)
        }
        ControlCommand::Result {
            control,
            result,
            period,
            finding,
            action,
            light,
            stored,
            actor: name,
        } => {
            let result = ControlResult::parse_word(&result).with_context(|| {
                format!("{result:?} är inget kontrollresultat (Utan anmärkning, Med brister, Ej genomförd)")
            })?;
            let light = match light {
                Some(word) => TrafficLight::parse_word(&word)
                    .with_context(|| format!("{word:?} är inget trafikljus (grön, gul, röd)"))?,
                None => result.default_light(),
            };
            let entry = ReportEntry::Control {
                control: id(&control)?,
                result,
                light,
                finding,
                action,
            };
            report(&stored, name, &period, entry)
        }
        ControlCommand::Action {
            action,
            status,
            period,
            evidence,
            comment,
            stored,
            actor: name,
        } => {
            let status = ActionStatus::parse_word(&status).with_context(|| {
                format!(
                    "{status:?} är ingen åtgärdsstatus (Ej påbörjad, Pågår, Genomförd, Avslutad utan åtgärd)"
                )
            })?;
            let entry = ReportEntry::AuditAction {
                action: id(&action)?,
                status,
                evidence,
                comment,
            };
            report(&stored, name, &period, entry)
        }
    }
}
