//! Rapportering as one page per period: everything the period asks of the user's units
//! (`App::period_due`) in grids — forecasts per budget line beside budget and booked, the
//! assignments' statuses, indicator outcomes, goal assessments, control results, audit
//! actions — moved through with the keyboard like a spreadsheet (`/static/grid.js`) and saved
//! in one action through one use case (`App::report_period`), all or nothing.
//!
//! A save redirects back (POST-redirect-GET: reloading never posts again) with the
//! confirmation in the page's status bar and the cell last used focused. A refused save keeps
//! everything typed: each problem sits at its field (focused first), and each item someone else
//! reported in between shows their report (409) while the user's text stays in the cells.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use crate::pages::tkr;
use crate::reporting::{ReportSubmit, entry_of};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use styr_app::{DueEntry, PeriodSave, Refusal, Submitted};
use styr_domain::Money;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::due::PeriodPhase;
use styr_domain::followup::{
    EntryKind, GoalAssessment, ReportEntry, line_budget, reportable_statuses,
};
use styr_domain::ledger::Month;
use styr_domain::number::{Decimals, MoneyUnit, format_money, format_swedish};

#[derive(Deserialize, Default)]
pub struct GridQuery {
    period: Option<String>,
    /// Set after a save: how many reports it changed.
    sparat: Option<usize>,
    /// Set after a save: how many were equal to the current ones.
    oforandrade: Option<usize>,
}

/// What a refused save shows: per item key, what was typed, the version and shown report to
/// base the next save on, the problems and the conflict.
#[derive(Default)]
struct Feedback {
    typed: HashMap<String, HashMap<String, String>>,
    versions: HashMap<String, (u64, String)>,
    errors: HashMap<String, Vec<(String, String)>>,
    conflicts: HashMap<String, String>,
    /// A problem of the whole form.
    general: Option<String>,
    /// Some item looks wrong: the page offers "Spara ändå".
    unconfirmed: bool,
}

/// One message per field: a second problem with the same field joins the first, so each
/// field's message has one element (and one id) to point to.
fn add_error(errors: &mut Vec<(String, String)>, field: String, message: String) {
    match errors.iter_mut().find(|(f, _)| *f == field) {
        Some((_, first)) => {
            first.push_str("; ");
            first.push_str(&message);
        }
        None => errors.push((field, message)),
    }
}

/// The fields a report shows in its cells.
fn fields_of(entry: Option<&ReportEntry>) -> HashMap<&'static str, String> {
    let mut fields = HashMap::new();
    let text = |t: &Option<String>| t.clone().unwrap_or_default();
    match entry {
        Some(ReportEntry::Status {
            status, comment, ..
        }) => {
            fields.insert("value", status.code().to_owned());
            fields.insert("comment", text(comment));
        }
        Some(ReportEntry::Forecast {
            amount,
            comment,
            action_plan,
            ..
        }) => {
            fields.insert(
                "value",
                format_money(*amount, MoneyUnit::Tkr, Decimals::AsHeld, ' '),
            );
            fields.insert("comment", text(comment));
            fields.insert("action_plan", text(action_plan));
        }
        Some(ReportEntry::Outcome {
            value,
            measured_on,
            source,
            comment,
            ..
        }) => {
            fields.insert(
                "value",
                format_swedish(*value, value.normalize().scale(), ' '),
            );
            fields.insert("date", text(measured_on));
            fields.insert("source", text(source));
            fields.insert("comment", text(comment));
        }
        Some(ReportEntry::Assessment {
            assessment,
            motivation,
            ..
        }) => {
            fields.insert("value", assessment.code().to_owned());
            fields.insert("comment", motivation.clone());
        }
        Some(ReportEntry::Control {
            result,
            light,
            finding,
            action,
            ..
        }) => {
            fields.insert("value", result.code().to_owned());
            fields.insert("light", light.code().to_owned());
            fields.insert("comment", text(finding));
            fields.insert("action_plan", text(action));
        }
        Some(ReportEntry::AuditAction {
            status,
            evidence,
            comment,
            ..
        }) => {
            fields.insert("value", status.code().to_owned());
            fields.insert("source", text(evidence));
            fields.insert("comment", text(comment));
        }
        None => {}
    }
    fields
}

const FIELDS: [&str; 6] = ["value", "comment", "action_plan", "source", "date", "light"];

/// One row of a grid: the item, its index in the form, its cells' values and feedback.
fn row(
    index: usize,
    entry: &DueEntry,
    feedback: &Feedback,
    extra: Value,
    names: &std::collections::BTreeMap<String, String>,
) -> Value {
    let key = entry.item.key();
    let current = entry.current.as_ref().map(|c| &c.report.entry);
    let shown: HashMap<String, String> = match feedback.typed.get(&key) {
        Some(typed) => typed.clone(),
        None => fields_of(current)
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    };
    let (version, was) = feedback.versions.get(&key).cloned().unwrap_or_else(|| {
        (
            entry.current.as_ref().map_or(0, |c| c.version),
            current.map(ToString::to_string).unwrap_or_default(),
        )
    });
    let errors: Vec<Value> = feedback
        .errors
        .get(&key)
        .map(|errors| {
            errors
                .iter()
                .map(|(field, message)| json!({"field": field, "message": message}))
                .collect()
        })
        .unwrap_or_default();
    let invalid: Vec<&str> = feedback
        .errors
        .get(&key)
        .map(|e| e.iter().map(|(f, _)| f.as_str()).collect())
        .unwrap_or_default();
    let mut fields = serde_json::Map::new();
    for name in FIELDS {
        fields.insert(
            name.to_owned(),
            json!(shown.get(name).cloned().unwrap_or_default()),
        );
    }
    json!({
        "i": index,
        "key": key,
        "label": entry.item.label,
        "version": version,
        "was": was,
        "fields": fields,
        "errors": errors,
        "invalid": invalid,
        "conflict": feedback.conflicts.get(&key),
        "required": entry.item.required,
        "missing": entry.missing(),
        "late": entry.late,
        "by": entry
            .current
            .as_ref()
            .map(|c| styr_app::display_name(names, &c.reported_by)),
        "extra": extra,
    })
}

fn options<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<Value> {
    all.iter()
        .map(|v| json!({"code": code(*v), "label": label(*v)}))
        .collect()
}

async fn grid_page(
    state: &WebState,
    viewer: &Viewer,
    query: &GridQuery,
    feedback: Feedback,
    status: StatusCode,
) -> Result<Response, WebError> {
    let month = query
        .period
        .as_deref()
        .map(str::parse::<Month>)
        .transpose()?;
    let selector = viewer.selector();
    let due = state
        .app
        .period_due(&viewer.actor, &selector, month, None)
        .await?;
    let period_month = due.period.month;
    let view = state
        .app
        .follow_up_view(&viewer.actor, &selector, Some(period_month))
        .await?;
    let plan = &due.plan;
    let names = state.app.user_names(&viewer.actor).await?;
    // In the page's order: the forecast grid first, then statuses, indicators, goals,
    // controls and audit actions; the form numbers the items in that order.
    let order = |kind: EntryKind| match kind {
        EntryKind::Forecast => 0,
        EntryKind::Status => 1,
        EntryKind::Outcome => 2,
        EntryKind::Assessment => 3,
        EntryKind::Control => 4,
        EntryKind::AuditAction => 5,
    };
    let mut mine: Vec<&DueEntry> = due.items.iter().filter(|e| e.may_report).collect();
    mine.sort_by_key(|e| order(e.item.kind));
    let mut sections: HashMap<EntryKind, Vec<Value>> = HashMap::new();
    for (index, entry) in mine.iter().enumerate() {
        let extra = match entry.item.kind {
            EntryKind::Forecast => {
                let line = entry.item.line();
                let economy = view
                    .report
                    .economy
                    .rows
                    .iter()
                    .find(|r| r.line.is_some() && r.line == line);
                let budget = economy
                    .and_then(|r| r.cell.budget().map(|b| b.annual))
                    .or_else(|| {
                        line.as_ref()
                            .and_then(|l| line_budget(plan, l, period_month.year()))
                    });
                json!({
                    "budget": tkr(budget),
                    "actual": tkr(economy.map(|r| r.cell.actual().map_or(Money::ZERO, |a| a.to_date))),
                })
            }
            EntryKind::Assessment => json!({
                "suggestion": view
                    .report
                    .goals
                    .iter()
                    .find(|g| g.goal.as_str() == entry.item.subject)
                    .map(|g| g.suggestion.label_sv()),
            }),
            EntryKind::Outcome => json!({
                "unit": plan
                    .indicators
                    .iter()
                    .find(|i| i.id.as_str() == entry.item.subject)
                    .and_then(|i| i.unit.clone()),
            }),
            _ => Value::Null,
        };
        sections
            .entry(entry.item.kind)
            .or_default()
            .push(row(index, entry, &feedback, extra, &names));
    }
    let take = |kind: EntryKind, sections: &mut HashMap<EntryKind, Vec<Value>>| {
        sections.remove(&kind).unwrap_or_default()
    };
    let missing = mine.iter().filter(|e| e.missing()).count();
    let late = mine.iter().filter(|e| e.late).count();
    // The first field with a problem gets the focus.
    let first_error = mine.iter().enumerate().find_map(|(index, e)| {
        feedback
            .errors
            .get(&e.item.key())
            .and_then(|errors| errors.first())
            .map(|(field, _)| format!("f{index}-{field}"))
            .or_else(|| {
                feedback
                    .conflicts
                    .contains_key(&e.item.key())
                    .then(|| format!("f{index}-value"))
            })
    });
    let error_list: Vec<Value> = mine
        .iter()
        .enumerate()
        .flat_map(|(index, e)| {
            let key = e.item.key();
            let mut list: Vec<Value> = feedback
                .errors
                .get(&key)
                .map(|errors| {
                    errors
                        .iter()
                        .map(|(field, message)| {
                            json!({"target": format!("f{index}-{field}"), "text": format!("{}: {message}", e.item.label)})
                        })
                        .collect()
                })
                .unwrap_or_default();
            if let Some(conflict) = feedback.conflicts.get(&key) {
                list.push(json!({"target": format!("f{index}-value"), "text": format!("{}: {conflict}", e.item.label)}));
            }
            list
        })
        .collect();
    let statuses: Vec<Value> = reportable_statuses()
        .iter()
        .map(|s| json!({"code": s.code(), "label": s.label_sv()}))
        .collect();
    let saved = query.sparat.map(|changed| {
        let unchanged = query.oforandrade.unwrap_or(0);
        format!(
            "Sparat: {changed} {} ändrade, {unchanged} oförändrade.",
            if changed == 1 { "rapport" } else { "rapporter" }
        )
    });
    let context = json!({
        "periods": due.calendar.iter().map(|p| json!({
            "month": p.month, "title": p.title, "state": p.state.label_sv(),
        })).collect::<Vec<_>>(),
        "period": {
            "month": due.period.month,
            "title": due.period.title,
            "deadline": due.period.deadline.clone().unwrap_or_else(|| "–".to_owned()),
            "phase": due.phase.label_sv(),
        },
        "today": due.today,
        "open": due.phase != PeriodPhase::Closed,
        "count": mine.len(),
        "missing": missing,
        "late": late,
        "saved": saved,
        "general": feedback.general,
        "unconfirmed": feedback.unconfirmed,
        "error_list": error_list,
        "first_error": first_error,
        "forecasts": take(EntryKind::Forecast, &mut sections),
        "assignments": take(EntryKind::Status, &mut sections),
        "indicators": take(EntryKind::Outcome, &mut sections),
        "goals": take(EntryKind::Assessment, &mut sections),
        "controls": take(EntryKind::Control, &mut sections),
        "actions": take(EntryKind::AuditAction, &mut sections),
        "statuses": statuses,
        "assessments": options(GoalAssessment::ALL, GoalAssessment::code, GoalAssessment::label_sv),
        "results": options(ControlResult::ALL, ControlResult::code, ControlResult::label_sv),
        "lights": options(TrafficLight::ALL, TrafficLight::code, TrafficLight::label_sv),
        "action_statuses": options(ActionStatus::ALL, ActionStatus::code, ActionStatus::label_sv),
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        Some(plan),
        "grid.html",
        "rapportering",
        "Rapportering",
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn grid(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Query(query): Query<GridQuery>,
) -> Result<Response, WebError> {
    match grid_page(&state, &viewer, &query, Feedback::default(), StatusCode::OK).await {
        Ok(page) => Ok(page),
        Err(error) => {
            crate::pages::without_calendar(&state, &viewer, error, "rapportering", "Rapportering")
                .await
        }
    }
}

/// A submitted grid: `csrf`, `period`, `at` (the cell last used) and per item `i`: `k{i}` (its
/// key), `v{i}` (the version it was based on), `w{i}` (the report it showed) and its fields
/// `value{i}`, `comment{i}`, `action_plan{i}`, `source{i}`, `date{i}`, `light{i}`.
pub async fn save(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Query(asked): Query<GridQuery>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let fields: HashMap<&str, &str> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let get = |name: &str| fields.get(name).copied().unwrap_or("");
    viewer.check_csrf(get("csrf"))?;
    let period = get("period");
    let month: Month = period.parse()?;
    let query = GridQuery {
        period: Some(period.to_owned()),
        ..GridQuery::default()
    };
    let mut feedback = Feedback::default();
    let mut submitted = Vec::new();
    let mut index = 0;
    while let Some(key) = fields.get(format!("k{index}").as_str()) {
        let i = index;
        index += 1;
        let typed: HashMap<String, String> = FIELDS
            .iter()
            .map(|name| ((*name).to_owned(), get(&format!("{name}{i}")).to_owned()))
            .collect();
        let version: u64 = get(&format!("v{i}")).parse().unwrap_or(0);
        let was = get(&format!("w{i}")).to_owned();
        feedback.typed.insert((*key).to_owned(), typed.clone());
        feedback
            .versions
            .insert((*key).to_owned(), (version, was.clone()));
        if typed.values().all(|v| v.trim().is_empty()) {
            continue;
        }
        let Some((kind, subject)) = key.split_once('/') else {
            continue;
        };
        let submit = ReportSubmit {
            csrf: String::new(),
            kind: kind.to_owned(),
            subject: subject.to_owned(),
            period: period.to_owned(),
            version,
            value: typed["value"].clone(),
            comment: typed["comment"].clone(),
            action_plan: typed["action_plan"].clone(),
            source: typed["source"].clone(),
            date: typed["date"].clone(),
            light: typed["light"].clone(),
            confirm: String::new(),
        };
        match entry_of(&submit) {
            // Untouched: what the page showed, sent back as it was.
            Ok(entry) if entry.to_string() == was => {}
            Ok(entry) => submitted.push(Submitted {
                entry,
                based_on: version,
            }),
            Err((field, message)) => feedback
                .errors
                .entry((*key).to_owned())
                .or_default()
                .push((field, message)),
        }
    }
    // A save goes to the period the user sees: the address the form posts to and the period
    // it carries agree.
    if let Some(asked) = asked.period.as_deref()
        && asked != period
    {
        feedback.general = Some(format!(
            "Formuläret gäller perioden {period} men skickades från sidan för {asked}; inget sparades."
        ));
        return grid_page(&state, &viewer, &query, feedback, StatusCode::CONFLICT).await;
    }
    if !feedback.errors.is_empty() {
        feedback.general = Some("Inget sparades: rätta det som är markerat.".to_owned());
        return grid_page(
            &state,
            &viewer,
            &query,
            feedback,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let at = Some(get("at")).filter(|at| {
        !at.is_empty()
            && at.len() < 40
            && at
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    });
    match state
        .app
        .report_period(
            &viewer.actor,
            &viewer.selector(),
            month,
            submitted,
            get("confirm") == "1",
        )
        .await?
    {
        PeriodSave::Saved(recorded) => {
            let location = format!(
                "/rapportering?period={period}&sparat={}&oforandrade={}{}",
                recorded.changes.len(),
                recorded.unchanged,
                at.map(|a| format!("#{a}")).unwrap_or_default()
            );
            Ok(Redirect::to(&location).into_response())
        }
        PeriodSave::Refused(refusals) => {
            let mut stale = false;
            for refusal in refusals {
                match refusal {
                    Refusal::Invalid {
                        key,
                        field,
                        message,
                    } => add_error(feedback.errors.entry(key).or_default(), field, message),
                    Refusal::Unconfirmed {
                        key,
                        field,
                        message,
                    } => {
                        feedback.unconfirmed = true;
                        add_error(feedback.errors.entry(key).or_default(), field, message);
                    }
                    Refusal::Stale { key, current } => {
                        stale = true;
                        let theirs = crate::pages::their_report((*current).as_ref());
                        // The next save is based on their report: what the user typed stays.
                        let version = (*current).as_ref().map_or(0, |c| c.version);
                        let was = (*current)
                            .as_ref()
                            .map(|c| c.report.entry.to_string())
                            .unwrap_or_default();
                        feedback.versions.insert(key.clone(), (version, was));
                        feedback.conflicts.insert(
                            key,
                            format!("Någon annan har rapporterat sedan du öppnade sidan: {theirs}. Det du skrev står kvar; spara igen för att ersätta deras rapport."),
                        );
                    }
                }
            }
            feedback.general = Some(if feedback.unconfirmed {
                "Inget sparades: rätta det som är markerat, eller välj Spara ändå om prognoserna stämmer.".to_owned()
            } else {
                "Inget sparades: rätta det som är markerat.".to_owned()
            });
            let status = if stale {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            grid_page(&state, &viewer, &query, feedback, status).await
        }
    }
}

/// The grid's keyboard movement.
pub async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../static/grid.js"),
    )
        .into_response()
}

/// "Ej rapporterat" of a period for the overview: per unit (the body or unit that answers)
/// and per person (each reporter), with how many are late.
pub(crate) async fn missing_overview(
    state: &WebState,
    viewer: &Viewer,
    view: &styr_app::FollowUpView,
) -> Result<Value, WebError> {
    let plan = &view.plan;
    let report = &view.report;
    let late = view
        .periods
        .iter()
        .find(|p| p.period.month == report.period.month)
        .is_some_and(|p| p.phase == PeriodPhase::Late);
    let name = |id: &styr_domain::Id| {
        plan.units
            .iter()
            .find(|u| &u.id == id)
            .map(|u| u.name.clone())
            .or_else(|| plan.body(id).map(|b| b.name.clone()))
            .unwrap_or_else(|| id.to_string())
    };
    let mut units: Vec<(String, usize)> = Vec::new();
    for missing in &report.missing {
        let unit = name(&missing.owner);
        match units.iter_mut().find(|(u, _)| *u == unit) {
            Some((_, count)) => *count += 1,
            None => units.push((unit, 1)),
        }
    }
    let month = Some(report.period.month);
    let people = state
        .app
        .missing_by_person(&viewer.actor, &viewer.selector(), month)
        .await?;
    Ok(json!({
        "late": late,
        "units": units.iter().map(|(unit, count)| json!({
            "name": unit, "missing": count, "late": if late { *count } else { 0 },
        })).collect::<Vec<_>>(),
        "people": people.iter().filter(|p| p.missing > 0).map(|p| json!({
            "login": p.login, "units": p.units.join(", "), "missing": p.missing, "late": p.late,
        })).collect::<Vec<_>>(),
    }))
}
