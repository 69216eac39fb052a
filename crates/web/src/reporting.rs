//! Rapportering: the forms of a period for what the user reports — each assignment's status
//! (on the assignment's page), and here the forecasts per budget line, the indicator outcomes,
//! the goal assessments, the results of the internal control plan's controls due in the period
//! and the progress of the actions on audit recommendations. One post route takes them all; the use case's rules answer, and a
//! required comment or a conflict is shown at the form it concerns, with what was typed kept.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use crate::pages::tkr;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use styr_app::AppError;
use styr_app::{EntryFilter, StoreError};
use styr_domain::Id;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::{
    EntryKind, FollowUpReport, GoalAssessment, PeriodState, ReportEntry, ReportedEntry,
};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::localtime::stockholm_minute;
use styr_domain::number::{
    Decimals, MoneyUnit, format_money, format_swedish, parse_number, parse_tkr,
};
use styr_domain::plausibility::{ForecastWarning, forecast_warnings};
use styr_reports::{RowKind, assignment_label};

#[derive(Deserialize, Default)]
pub struct ReportingQuery {
    period: Option<String>,
}

/// What a failed submit shows at its form.
#[derive(Default)]
struct Feedback {
    /// `kind/subject` of the form.
    key: String,
    errors: Vec<String>,
    conflict: Option<String>,
    typed: HashMap<String, String>,
    version: Option<u64>,
    /// Why the typed amount looks wrong: saved only when confirmed.
    warnings: Vec<String>,
}

fn decimal(value: Decimal) -> String {
    format_swedish(value, value.normalize().scale(), ' ')
}

/// The form of one subject: its current values (or what was typed), its version, and the
/// feedback of a failed submit.
fn form(
    key: &str,
    current: Option<&ReportedEntry>,
    fields: Value,
    feedback: &Feedback,
    names: &BTreeMap<String, String>,
) -> Value {
    let mut fields = fields;
    let mine = feedback.key == key;
    if mine && let Value::Object(map) = &mut fields {
        for (name, value) in &feedback.typed {
            map.insert(name.clone(), json!(value));
        }
    }
    let version = match (mine, feedback.version) {
        (true, Some(version)) => version,
        _ => current.map_or(0, |c| c.version),
    };
    json!({
        "key": key,
        "subject": key.split_once('/').map_or(key, |(_, subject)| subject),
        "anchor": key.replace(['/', '.'], "-"),
        "version": version,
        "fields": fields,
        "errors": if mine { feedback.errors.clone() } else { Vec::new() },
        "conflict": if mine { feedback.conflict.clone() } else { None },
        "warnings": if mine { feedback.warnings.clone() } else { Vec::new() },
        "by": current.map(|c| {
            format!(
                "{} {}",
                styr_app::display_name(names, &c.reported_by),
                stockholm_minute(&c.reported_at)
            )
        }),
    })
}

async fn reporting_page(
    state: &WebState,
    viewer: &Viewer,
    asked: Option<&str>,
    feedback: Feedback,
    status: StatusCode,
) -> Result<Response, WebError> {
    let month = asked.map(str::parse::<Month>).transpose()?;
    let selector = viewer.selector();
    let view = state
        .app
        .follow_up_view(&viewer.actor, &selector, month)
        .await?;
    let (plan, report) = (&view.plan, &view.report);
    let period_month = report.period.month;
    let filter = EntryFilter {
        period: Some(period_month),
        ..EntryFilter::default()
    };
    let (_, current) = state.app.reports(&viewer.actor, &selector, &filter).await?;
    let find = |kind: &str, subject: &str| {
        current
            .iter()
            .find(|e| e.report.entry.kind().code() == kind && e.report.entry.subject() == subject)
    };
    // What the period asks of this user: the app's one rule (`App::period_due`).
    let due = state
        .app
        .period_due(&viewer.actor, &selector, Some(period_month), None)
        .await?;
    let mine: std::collections::HashSet<(EntryKind, String)> = due
        .items
        .iter()
        .filter(|e| e.may_report)
        .map(|e| (e.item.kind, e.item.subject.clone()))
        .collect();
    let may = |kind: EntryKind, subject: &str| mine.contains(&(kind, subject.to_owned()));
    let open = report.period.state == PeriodState::Open;
    let names = state.app.user_names(&viewer.actor).await?;

    let assignments: Vec<Value> = report
        .assignments
        .iter()
        .filter(|a| may(EntryKind::Status, a.assignment.as_str()))
        .map(|a| {
            json!({
                "id": a.assignment.as_str(),
                "label": assignment_label(a.code.as_deref(), &a.title),
                "status": a.status.map_or("Ej rapporterat", |s| s.label_sv()),
                "by": a
                    .reported_by
                    .as_deref()
                    .map(|login| styr_app::display_name(&names, login))
                    .unwrap_or_default(),
            })
        })
        .collect();

    let forecasts: Vec<Value> = report
        .economy
        .rows
        .iter()
        .filter(|row| row.kind == RowKind::Line || row.kind == RowKind::Project)
        .filter_map(|row| row.line.as_ref().map(|line| (row, line)))
        .filter(|(_, line)| may(EntryKind::Forecast, &line.to_string()))
        .map(|(row, line)| {
            let subject = line.to_string();
            let current_entry = find("forecast", &subject);
            let (amount, comment, action_plan) = match current_entry.map(|e| &e.report.entry) {
                Some(ReportEntry::Forecast {
                    amount,
                    comment,
                    action_plan,
                    ..
                }) => (
                    format_money(*amount, MoneyUnit::Tkr, Decimals::AsHeld, ' '),
                    comment.clone().unwrap_or_default(),
                    action_plan.clone().unwrap_or_default(),
                ),
                _ => (String::new(), String::new(), String::new()),
            };
            // The current forecast judged by the same rule a save is.
            let now_warnings: Vec<String> = match current_entry.map(|e| &e.report.entry) {
                Some(ReportEntry::Forecast { amount, .. }) => forecast_warnings(
                    *amount,
                    row.cell.budget().map(|b| b.annual),
                    row.cell.actual().map(|a| a.to_date),
                )
                .iter()
                .map(ForecastWarning::message_sv)
                .collect(),
                _ => Vec::new(),
            };
            json!({
                "label": row.label,
                "budget": tkr(row.cell.budget().map(|b| b.annual)),
                "actual": tkr(row.cell.actual().map(|a| a.to_date)),
                "now_warnings": now_warnings,
                "form": form(
                    &format!("forecast/{subject}"),
                    current_entry,
                    json!({"value": amount, "comment": comment, "action_plan": action_plan}),
                    &feedback,
                    &names,
                ),
            })
        })
        .collect();

    let indicators: Vec<Value> = plan
        .indicators
        .iter()
        .filter(|i| may(EntryKind::Outcome, i.id.as_str()))
        .map(|indicator| {
            let current_entry = find("outcome", indicator.id.as_str());
            let fields = match current_entry.map(|e| &e.report.entry) {
                Some(ReportEntry::Outcome {
                    value,
                    measured_on,
                    source,
                    comment,
                    ..
                }) => json!({
                    "value": decimal(*value),
                    "date": measured_on.clone().unwrap_or_default(),
                    "source": source.clone().unwrap_or_default(),
                    "comment": comment.clone().unwrap_or_default(),
                }),
                _ => json!({"value": "", "date": "", "source": "", "comment": ""}),
            };
            json!({
                "label": indicator.name,
                "unit": indicator.unit.clone().unwrap_or_default(),
                "form": form(&format!("outcome/{}", indicator.id), current_entry, fields, &feedback, &names),
            })
        })
        .collect();

    let goals: Vec<Value> = {
        report
            .goals
            .iter()
            .filter(|g| may(EntryKind::Assessment, g.goal.as_str()))
            .map(|goal| {
                let current_entry = find("assessment", goal.goal.as_str());
                let fields = match current_entry.map(|e| &e.report.entry) {
                    Some(ReportEntry::Assessment {
                        assessment,
                        motivation,
                        ..
                    }) => json!({"value": assessment.code(), "comment": motivation}),
                    _ => json!({"value": "", "comment": ""}),
                };
                json!({
                    "label": goal.title,
                    "suggestion": goal.suggestion.label_sv(),
                    "form": form(&format!("assessment/{}", goal.goal), current_entry, fields, &feedback, &names),
                })
            })
            .collect()
    };
    let controls: Vec<Value> = plan
        .control
        .controls
        .iter()
        .filter(|c| may(EntryKind::Control, c.id.as_str()))
        .map(|control| {
            let current_entry = find("control", control.id.as_str());
            let fields = match current_entry.map(|e| &e.report.entry) {
                Some(ReportEntry::Control {
                    result,
                    light,
                    finding,
                    action,
                    ..
                }) => json!({
                    "value": result.code(),
                    "light": light.code(),
                    "comment": finding.clone().unwrap_or_default(),
                    "action_plan": action.clone().unwrap_or_default(),
                }),
                _ => json!({"value": "", "light": "", "comment": "", "action_plan": ""}),
            };
            json!({
                "label": control.title,
                "checks": control.checks.clone().unwrap_or_default(),
                "form": form(&format!("control/{}", control.id), current_entry, fields, &feedback, &names),
            })
        })
        .collect();
    let actions: Vec<Value> = plan
        .control
        .actions()
        .filter(|(_, _, action)| may(EntryKind::AuditAction, action.id.as_str()))
        .map(|(audit, recommendation, action)| {
            let current_entry = find("audit_action", action.id.as_str());
            let fields = match current_entry.map(|e| &e.report.entry) {
                Some(ReportEntry::AuditAction {
                    status,
                    evidence,
                    comment,
                    ..
                }) => json!({
                    "value": status.code(),
                    "source": evidence.clone().unwrap_or_default(),
                    "comment": comment.clone().unwrap_or_default(),
                }),
                _ => json!({"value": "", "source": "", "comment": ""}),
            };
            json!({
                "label": action.text,
                "audit": match &audit.case {
                    Some(case) => format!("{} ({case})", audit.title),
                    None => audit.title.clone(),
                },
                "recommendation": recommendation.text,
                "due": action.due.clone().unwrap_or_default(),
                "form": form(&format!("audit_action/{}", action.id), current_entry, fields, &feedback, &names),
            })
        })
        .collect();
    let results: Vec<Value> = ControlResult::ALL
        .iter()
        .map(|r| json!({"code": r.code(), "label": r.label_sv()}))
        .collect();
    let lights: Vec<Value> = TrafficLight::ALL
        .iter()
        .map(|l| json!({"code": l.code(), "label": l.label_sv()}))
        .collect();
    let action_statuses: Vec<Value> = ActionStatus::ALL
        .iter()
        .map(|s| json!({"code": s.code(), "label": s.label_sv()}))
        .collect();
    let assessments: Vec<Value> = GoalAssessment::ALL
        .iter()
        .map(|a| json!({"code": a.code(), "label": a.label_sv()}))
        .collect();
    let context = json!({
        "periods": view.periods.iter().map(|p| json!({
            "month": p.period.month, "title": p.period.title, "state": p.period.state.label_sv(),
        })).collect::<Vec<_>>(),
        "period": {
            "month": report.period.month,
            "title": report.period.title,
            "state": report.period.state.label_sv(),
        },
        "open": open,
        "assignments": assignments,
        "forecasts": forecasts,
        "indicators": indicators,
        "goals": goals,
        "assessments": assessments,
        "controls": controls,
        "actions": actions,
        "results": results,
        "lights": lights,
        "action_statuses": action_statuses,
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        Some(plan),
        "reporting.html",
        "rapportering",
        "Rapportering",
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn reporting(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Query(query): Query<ReportingQuery>,
) -> Result<Response, WebError> {
    match reporting_page(
        &state,
        &viewer,
        query.period.as_deref(),
        Feedback::default(),
        StatusCode::OK,
    )
    .await
    {
        Ok(page) => Ok(page),
        Err(error) => {
            crate::pages::without_calendar(&state, &viewer, error, "rapportering", "Rapportering")
                .await
        }
    }
}

/// A submitted form of the Rapportering page.
#[derive(Deserialize)]
pub struct ReportSubmit {
    #[serde(default)]
    pub(crate) csrf: String,
    pub(crate) kind: String,
    pub(crate) subject: String,
    pub(crate) period: String,
    pub(crate) version: u64,
    pub(crate) value: String,
    #[serde(default)]
    pub(crate) comment: String,
    #[serde(default)]
    pub(crate) action_plan: String,
    #[serde(default)]
    pub(crate) source: String,
    #[serde(default)]
    pub(crate) date: String,
    /// A control result's traffic light; empty: the result's own.
    #[serde(default)]
    pub(crate) light: String,
    /// "1": save a forecast even though it looks wrong ("Spara ändå").
    #[serde(default)]
    pub(crate) confirm: String,
}

fn optional(text: &str) -> Option<String> {
    Some(text.trim().to_owned()).filter(|t| !t.is_empty())
}

/// The entry a form describes, or the problem with a value the rules never get to see.
pub(crate) fn entry_of(form: &ReportSubmit) -> Result<ReportEntry, (String, String)> {
    let bad = |field: &str, message: String| (field.to_owned(), message);
    let id = || Id::parse(&form.subject).map_err(|e| bad("subject", e.to_string()));
    match form.kind.as_str() {
        "forecast" => {
            let line = BudgetLineRef::parse(&form.subject)
                .ok_or_else(|| bad("subject", format!("{:?} är ingen budgetrad", form.subject)))?;
            let amount = parse_tkr(&form.value).ok_or_else(|| {
                bad(
                    "value",
                    format!(
                        "{:?} är inget belopp i tkr med högst fem decimaler (skriv t.ex. 86 500)",
                        form.value
                    ),
                )
            })?;
            Ok(ReportEntry::Forecast {
                line,
                amount,
                comment: optional(&form.comment),
                action_plan: optional(&form.action_plan),
            })
        }
        "status" => Ok(ReportEntry::Status {
            assignment: id()?,
            status: styr_domain::assignment::AssignmentStatus::parse_word(&form.value)
                .ok_or_else(|| bad("value", "välj en status".to_owned()))?,
            comment: optional(&form.comment),
        }),
        "outcome" => Ok(ReportEntry::Outcome {
            indicator: id()?,
            value: parse_number(&form.value)
                .ok_or_else(|| bad("value", format!("{:?} är inget tal", form.value)))?,
            measured_on: optional(&form.date),
            source: optional(&form.source),
            comment: optional(&form.comment),
        }),
        "assessment" => Ok(ReportEntry::Assessment {
            goal: id()?,
            assessment: GoalAssessment::parse(&form.value)
                .ok_or_else(|| bad("value", "välj en bedömning".to_owned()))?,
            motivation: form.comment.trim().to_owned(),
        }),
        "control" => {
            let result = ControlResult::parse(&form.value)
                .ok_or_else(|| bad("value", "välj ett resultat".to_owned()))?;
            let light = match optional(&form.light) {
                None => result.default_light(),
                Some(code) => TrafficLight::parse(&code)
                    .ok_or_else(|| bad("light", "välj ett trafikljus".to_owned()))?,
            };
            Ok(ReportEntry::Control {
                control: id()?,
                result,
                light,
                finding: optional(&form.comment),
                action: optional(&form.action_plan),
            })
        }
        "audit_action" => Ok(ReportEntry::AuditAction {
            action: id()?,
            status: ActionStatus::parse(&form.value)
                .ok_or_else(|| bad("value", "välj en status".to_owned()))?,
            evidence: optional(&form.source),
            comment: optional(&form.comment),
        }),
        other => Err(bad("kind", format!("{other:?} rapporteras inte här"))),
    }
}

pub async fn submit(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<ReportSubmit>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let month: Month = form.period.parse()?;
    let key = format!("{}/{}", form.kind, form.subject);
    let typed: HashMap<String, String> = [
        ("value", &form.value),
        ("comment", &form.comment),
        ("action_plan", &form.action_plan),
        ("source", &form.source),
        ("date", &form.date),
        ("light", &form.light),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.clone()))
    .collect();
    let feedback = |errors: Vec<String>, conflict: Option<String>, version: Option<u64>| Feedback {
        key: key.clone(),
        errors,
        conflict,
        typed: typed.clone(),
        version,
        warnings: Vec::new(),
    };
    let entry = match entry_of(&form) {
        Ok(entry) => entry,
        Err((field, message)) => {
            let feedback = feedback(vec![format!("{field}: {message}")], None, None);
            return reporting_page(
                &state,
                &viewer,
                Some(&form.period),
                feedback,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let report = FollowUpReport {
        period: month,
        entry,
    };
    let result = state
        .app
        .report_confirmed(
            &viewer.actor,
            &viewer.selector(),
            report,
            Some(form.version),
            form.confirm == "1",
        )
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/rapportering/formular?period={}#{}",
            form.period,
            key.replace(['/', '.'], "-")
        ))
        .into_response()),
        Err(AppError::Invalid(problems)) => {
            let errors = problems.iter().map(|p| p.message.clone()).collect();
            reporting_page(
                &state,
                &viewer,
                Some(&form.period),
                feedback(errors, None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        // Implausible: the form again with the warnings and a "Spara ändå" button.
        Err(AppError::Unconfirmed(problems)) => {
            let feedback = Feedback {
                warnings: problems.into_iter().map(|p| p.message).collect(),
                ..feedback(Vec::new(), None, Some(form.version))
            };
            reporting_page(
                &state,
                &viewer,
                Some(&form.period),
                feedback,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Store(StoreError::StaleVersion { current, .. })) => {
            let current = *current;
            let theirs = crate::pages::their_report(current.as_ref());
            let version = current.map_or(0, |c| c.version);
            let conflict = format!(
                "Någon annan har rapporterat sedan du öppnade sidan; ingenting skrevs över. Deras rapport: {theirs}. Det du skrev står kvar nedan."
            );
            reporting_page(
                &state,
                &viewer,
                Some(&form.period),
                feedback(Vec::new(), Some(conflict), Some(version)),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}
