//! The JSON API under `/api/v1`: the same use cases and permissions as the pages, authenticated
//! by `Authorization: Bearer TOKEN` (`styr token create`). The DTOs live here, made from domain
//! values, so that an internal change does not change the API. Money is given in öre (integers:
//! exact), decimals as strings.

use crate::WebState;
use crate::error::status_of;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use styr_app::{Actor, AppError, PlanSelector};
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{EntryKind, FollowUpReport, ReportEntry};
use styr_domain::ledger::Month;
use styr_store::{AuditFilter, EntryFilter, StoreError};

/// An API error: a status and a JSON body `{"error": …, "problems": [{"field", "message"}]}`.
pub struct ApiError {
    status: StatusCode,
    body: Value,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: json!({"error": message.into()}),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        let status = status_of(&error);
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("fel i styr-web (api): {error}");
            return ApiError::new(status, "internt fel");
        }
        let mut body = json!({"error": error.to_string()});
        match &error {
            AppError::Invalid(problems) => {
                body["problems"] = json!(
                    problems
                        .iter()
                        .map(|p| json!({"field": p.field, "message": p.message}))
                        .collect::<Vec<_>>()
                );
            }
            AppError::Store(StoreError::StaleVersion { current, .. }) => {
                if let Some(current) = current.as_ref() {
                    body["current"] = json!({
                        "version": current.version,
                        "text": current.report.entry.to_string(),
                        "reported_by": current.reported_by,
                        "reported_at": current.reported_at,
                    });
                }
            }
            _ => {}
        }
        ApiError { status, body }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

/// The actor of a bearer token; every API route needs one.
async fn api_actor(state: &WebState, headers: &HeaderMap) -> Result<Actor, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "Authorization: Bearer saknas"))?;
    state
        .app
        .token_actor(token)
        .await?
        .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "okänd API-nyckel"))
}

fn month(text: &str) -> Result<Month, ApiError> {
    Month::parse(text).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("{text:?} är inte en månad (ÅÅÅÅ-MM)"),
        )
    })
}

fn ore(money: Option<Money>) -> Value {
    money.map_or(Value::Null, |m| json!(m.ore()))
}

pub async fn plan(
    State(state): State<WebState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let plan = state
        .app
        .load_plan(&actor, &PlanSelector::default())
        .await?;
    Ok(Json(json!({
        "municipality": plan.municipality.id.as_str(),
        "municipality_name": plan.municipality.name,
        "title": plan.document.title,
        "version": {
            "id": plan.budget.version.id.as_str(),
            "kind": plan.budget.version.kind.code(),
            "name": plan.budget.version.name,
        },
        "years": plan.document.years,
        "goals": plan.goals.iter().map(|g| json!({"id": g.id.as_str(), "area": g.area.as_str(), "title": g.title})).collect::<Vec<_>>(),
        "indicators": plan.indicators.iter().map(|i| json!({"id": i.id.as_str(), "goal": i.goal.as_str(), "name": i.name, "unit": i.unit})).collect::<Vec<_>>(),
        "assignments": plan.assignments.iter().map(|a| json!({
            "id": a.id.as_str(), "code": a.code, "title": a.title,
            "responsible": a.responsible.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })))
}

pub async fn periods(
    State(state): State<WebState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let periods = state
        .app
        .periods(&actor, &PlanSelector::default(), None)
        .await?;
    Ok(Json(json!(
        periods
            .iter()
            .map(|o| json!({
                "month": o.period.month,
                "kind": o.period.kind.code(),
                "title": o.period.title,
                "end": o.period.end_date(),
                "deadline": o.period.deadline,
                "state": o.period.state.code(),
                "reported": o.reported,
                "missing": o.missing.len(),
            }))
            .collect::<Vec<_>>()
    )))
}

#[derive(Deserialize)]
pub struct PeriodParam {
    period: String,
}

pub async fn assignments(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<PeriodParam>,
) -> Result<Json<Value>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let period = month(&query.period)?;
    let filter = EntryFilter {
        period: Some(period),
        kind: Some(EntryKind::Status),
        ..EntryFilter::default()
    };
    let (plan, entries) = state
        .app
        .reports(&actor, &PlanSelector::default(), &filter)
        .await?;
    let rows: Vec<Value> = plan
        .assignments
        .iter()
        .map(|a| {
            let current = entries
                .iter()
                .find(|e| e.report.entry.subject() == a.id.as_str());
            let (status, comment) = match current.map(|e| &e.report.entry) {
                Some(ReportEntry::Status {
                    status, comment, ..
                }) => (Some(status.code()), comment.clone()),
                _ => (None, None),
            };
            json!({
                "id": a.id.as_str(),
                "code": a.code,
                "title": a.title,
                "responsible": a.responsible.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                "status": status,
                "comment": comment,
                "version": current.map_or(0, |e| e.version),
                "reported_by": current.map(|e| e.reported_by.clone()),
                "reported_at": current.map(|e| e.reported_at.clone()),
            })
        })
        .collect();
    Ok(Json(json!(rows)))
}

/// The body of `PUT /api/v1/assignments/{id}/reports/{period}`.
#[derive(Deserialize, Serialize)]
pub struct StatusReportBody {
    /// A status code (`started`) or its Swedish label (`Påbörjad`).
    pub status: String,
    pub comment: Option<String>,
    /// The version of the current report this edit is based on (0: none).
    pub version: u64,
}

pub async fn put_assignment_report(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path((id, period)): Path<(String, String)>,
    Json(body): Json<StatusReportBody>,
) -> Result<Json<Value>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let period = month(&period)?;
    let status = AssignmentStatus::parse_word(&body.status).ok_or_else(|| {
        ApiError::from(AppError::invalid(
            "status",
            format!("{:?} är ingen status", body.status),
        ))
    })?;
    let assignment = styr_domain::Id::parse(&id)
        .map_err(|e| ApiError::new(StatusCode::NOT_FOUND, e.to_string()))?;
    let report = FollowUpReport {
        period,
        entry: ReportEntry::Status {
            assignment,
            status,
            comment: body.comment.filter(|c| !c.trim().is_empty()),
        },
    };
    let reported = state
        .app
        .report_based_on(&actor, &PlanSelector::default(), report, Some(body.version))
        .await?;
    let version = reported
        .changes
        .last()
        .map_or(body.version, |c| c.after.version);
    Ok(Json(json!({
        "id": id,
        "period": period.to_string(),
        "status": status.code(),
        "version": version,
        "changed": !reported.changes.is_empty(),
    })))
}

pub async fn budget_vs_actual(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<PeriodParam>,
) -> Result<Json<Value>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let period = month(&query.period)?;
    let output = state
        .app
        .budget_vs_actual(&actor, &PlanSelector::default(), period)
        .await?;
    let rows: Vec<Value> = output
        .report
        .rows
        .iter()
        .map(|row| {
            json!({
                "label": row.label,
                "line": row.line.as_ref().map(ToString::to_string),
                "unit": row.unit.as_ref().map(|u| u.as_str()),
                "budget_ore": ore(row.cell.budget().map(|b| b.annual)),
                "budget_to_date_ore": ore(row.cell.budget().map(|b| b.to_date)),
                "actual_to_date_ore": ore(row.cell.actual().map(|a| a.to_date)),
                "forecast_ore": ore(row.forecast.map(|(_, f)| f)),
                "forecast_deviation_ore": ore(row.forecast_deviation),
            })
        })
        .collect();
    Ok(Json(json!({"period": period.to_string(), "rows": rows})))
}

#[derive(Deserialize)]
pub struct SinceParam {
    since: Option<String>,
}

pub async fn audit(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<SinceParam>,
) -> Result<Json<Value>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let filter = AuditFilter {
        since: query.since,
        ..AuditFilter::default()
    };
    let entries = state.app.audit_log(&actor, &filter).await?;
    Ok(Json(json!(
        entries
            .iter()
            .map(|e| json!({
                "seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action,
                "detail": e.detail, "before": e.before, "after": e.after,
            }))
            .collect::<Vec<_>>()
    )))
}
