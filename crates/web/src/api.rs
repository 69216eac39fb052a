//! The JSON API under `/api/v1`: the same use cases and permissions as the pages, authenticated
//! by `Authorization: Bearer TOKEN` (`styr token create`). The DTOs live here, made from domain
//! values, so that an internal change does not change the API; the OpenAPI document is generated
//! from them and the handlers' annotations (utoipa), served at `/api/v1/openapi.json` and checked
//! in as `docs/openapi.json`. Money is given in öre (integers: exact).

use crate::WebState;
use crate::error::status_of;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use styr_app::{Actor, AppError, PlanSelector};
use styr_app::{AuditFilter, EntryFilter, StoreError};
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{EntryKind, FollowUpReport, ReportEntry};
use styr_domain::{Month, MonthError};
use styr_reports::ReportKind;
use utoipa::{IntoParams, OpenApi, ToSchema};

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "styr API",
        description = "Strategi och budget som data: planen, uppföljningskalendern, uppdragens status, budget mot utfall, händelseloggen och budgetprocessen (förslagens lägen, budgetkalendern, beredningens frågor). Autentisering: Authorization: Bearer API-NYCKEL (styr token create).",
        version = "1"
    ),
    paths(
        plan,
        periods,
        assignments,
        put_assignment_report,
        budget_vs_actual,
        audit,
        crate::sections_api::sections,
        crate::sections_api::section,
        crate::sections_api::put_section,
        crate::sections_api::preview_section,
        crate::api_process::process,
        crate::api_process::proposal,
        crate::api_process::move_proposal,
        crate::api_process::calendar,
        crate::api_process::set_calendar,
        crate::api_process::questions,
        crate::api_process::ask,
        crate::api_process::answer
    ),
    components(schemas(
        PlanDto,
        VersionDto,
        GoalDto,
        IndicatorDto,
        AssignmentRefDto,
        PeriodDto,
        AssignmentStatusDto,
        StatusReportBody,
        StatusReportResult,
        BudgetVsActualDto,
        BvaRowDto,
        AuditEntryDto,
        ErrorDto,
        ProblemDto,
        CurrentReportDto,
        SectionConflictDto,
        crate::sections_api::SectionInfoDto,
        crate::sections_api::SectionDto,
        crate::sections_api::SectionSaveBody,
        crate::sections_api::SectionSavedDto,
        crate::sections_api::SectionRevisionDto,
        crate::sections_api::FindingDto,
        crate::sections_api::SectionPreviewBody,
        crate::sections_api::SectionPreviewDto,
        crate::api_process::ProcessDto,
        crate::api_process::BodyProcessDto,
        crate::api_process::ProposalDto,
        crate::api_process::ProposalMoveDto,
        crate::api_process::TransitionBody,
        crate::api_process::CalendarDto,
        crate::api_process::CalendarBody,
        crate::api_process::QuestionDto,
        crate::api_process::QuestionBody,
        crate::api_process::AnswerBody
    ))
)]
pub struct ApiDoc;

/// The OpenAPI document as served and checked in.
pub fn openapi_json() -> String {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::api_alternatives::AlternativesDoc::openapi());
    doc.merge(crate::vouchers_api::VouchersDoc::openapi());
    let mut text = doc
        .to_pretty_json()
        .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"));
    text.push('\n');
    text
}

pub async fn openapi() -> Response {
    let mut response = openapi_json().into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

/// A problem with one field of the input.
#[derive(Serialize, ToSchema)]
pub struct ProblemDto {
    pub field: String,
    pub message: String,
    /// The file of the input (a section's save: the package file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// A section's save that lost to another save or an import: both texts.
#[derive(Serialize, ToSchema)]
pub struct SectionConflictDto {
    pub path: String,
    /// The text the refused save carried.
    pub yours: String,
    /// The section's text now.
    pub current: String,
    /// The base token of a save from the current text.
    pub base: String,
}

/// The report that was current when an edit on an older version was refused.
#[derive(Serialize, ToSchema)]
pub struct CurrentReportDto {
    pub version: u64,
    pub text: String,
    pub reported_by: String,
    pub reported_at: String,
}

/// An error: what went wrong in Swedish, the fields of bad input, the current report of a
/// conflict.
#[derive(Serialize, ToSchema)]
pub struct ErrorDto {
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ProblemDto>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<CurrentReportDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section_conflict: Option<SectionConflictDto>,
}

/// An API error: a status and an [`ErrorDto`] (boxed: errors are rare, results common).
pub(crate) struct ApiError {
    status: StatusCode,
    body: Box<ErrorDto>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            body: Box::new(ErrorDto {
                error: message.into(),
                problems: None,
                current: None,
                section_conflict: None,
            }),
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
        if status == StatusCode::SERVICE_UNAVAILABLE {
            tracing::warn!(error = %error, "databasen går inte att använda just nu");
            return ApiError::new(status, crate::error::UNAVAILABLE);
        }
        let mut api = ApiError::new(status, error.to_string());
        match &error {
            AppError::Invalid(problems) => {
                api.body.problems = Some(
                    problems
                        .iter()
                        .map(|p| ProblemDto {
                            field: p.field.clone(),
                            message: p.message.clone(),
                            file: p.file.clone(),
                            line: p.line,
                        })
                        .collect(),
                );
            }
            AppError::SectionConflict(conflict) => {
                api.body.section_conflict = Some(SectionConflictDto {
                    path: conflict.path.clone(),
                    yours: conflict.yours.clone(),
                    current: conflict.current.clone(),
                    base: conflict.base.to_string(),
                });
            }
            AppError::Store(StoreError::StaleVersion { current, .. }) => {
                api.body.current = current.as_ref().as_ref().map(|c| CurrentReportDto {
                    version: c.version,
                    text: c.report.entry.to_string(),
                    reported_by: c.reported_by.clone(),
                    reported_at: c.reported_at.clone(),
                });
            }
            _ => {}
        }
        api
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(*self.body)).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(crate::error::RETRY_AFTER_SECONDS),
            );
        }
        response
    }
}

/// The actor of a bearer token; every API route needs one.
pub(crate) async fn api_actor(state: &WebState, headers: &HeaderMap) -> Result<Actor, ApiError> {
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

/// The body a call is about, when the municipality holds several bodies' plans.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganParam {
    /// The body whose plan the call is about (`sn`). Default: the user's own body (the body
    /// of a reporter's units), else the executive board's (kommunstyrelsen's). Needed only
    /// when the municipality holds several bodies' plans.
    #[allow(dead_code)]
    organ: Option<String>,
}

/// The actor of a bearer token and the plan the call is about (`?organ=`, else the default
/// body: `App::choose_body`). A body the municipality does not hold is not found.
pub(crate) async fn api_scope(
    state: &WebState,
    headers: &HeaderMap,
    uri: &Uri,
) -> Result<(Actor, PlanSelector), ApiError> {
    let actor = api_actor(state, headers).await?;
    let asked = crate::auth::asked_organ(uri.query());
    let selector = match state.app.choose_body(&actor, None, asked.as_deref()).await {
        Ok(choice) => choice.selector,
        Err(error) if asked.is_some() => return Err(error.into()),
        // No plan, or several municipalities: the use case says what is wrong.
        Err(_) => PlanSelector::default(),
    };
    Ok((actor, selector))
}

fn month(text: &str) -> Result<Month, ApiError> {
    text.parse().map_err(|error: MonthError| {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, error.to_string())
    })
}

fn ore(money: Option<Money>) -> Option<i64> {
    money.map(Money::ore)
}

#[derive(Serialize, ToSchema)]
pub struct VersionDto {
    pub id: String,
    /// `proposal`, `decided` or `adjusted`.
    pub kind: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct GoalDto {
    pub id: String,
    pub area: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorDto {
    pub id: String,
    pub goal: String,
    pub name: String,
    pub unit: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AssignmentRefDto {
    pub id: String,
    /// The printed code, e.g. "2020 KS 3".
    pub code: Option<String>,
    pub title: String,
    /// Responsible bodies, the leading body first.
    pub responsible: Vec<String>,
}

/// The plan.
#[derive(Serialize, ToSchema)]
pub struct PlanDto {
    pub municipality: String,
    pub municipality_name: String,
    pub title: String,
    pub version: VersionDto,
    pub years: Vec<i32>,
    pub goals: Vec<GoalDto>,
    pub indicators: Vec<IndicatorDto>,
    pub assignments: Vec<AssignmentRefDto>,
}

/// The plan of the user's municipality (the last imported version).
#[utoipa::path(get, path = "/api/v1/plan", params(OrganParam), responses(
    (status = 200, body = PlanDto), (status = 401, body = ErrorDto), (status = 404, body = ErrorDto)
))]
pub async fn plan(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Json<PlanDto>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    let plan = state.app.load_plan(&actor, &selector).await?;
    Ok(Json(PlanDto {
        municipality: plan.municipality.id.to_string(),
        municipality_name: plan.municipality.name.clone(),
        title: plan.document.title.clone(),
        version: VersionDto {
            id: plan.budget.version.id.to_string(),
            kind: plan.budget.version.kind.code().to_owned(),
            name: plan.budget.version.name.clone(),
        },
        years: plan.document.years.clone(),
        goals: plan
            .goals
            .iter()
            .map(|g| GoalDto {
                id: g.id.to_string(),
                area: g.area.to_string(),
                title: g.title.clone(),
            })
            .collect(),
        indicators: plan
            .indicators
            .iter()
            .map(|i| IndicatorDto {
                id: i.id.to_string(),
                goal: i.goal.to_string(),
                name: i.name.clone(),
                unit: i.unit.clone(),
            })
            .collect(),
        assignments: plan
            .assignments
            .iter()
            .map(|a| AssignmentRefDto {
                id: a.id.to_string(),
                code: a.code.clone(),
                title: a.title.clone(),
                responsible: a.responsible.iter().map(ToString::to_string).collect(),
            })
            .collect(),
    }))
}

/// A period of the follow-up calendar.
#[derive(Serialize, ToSchema)]
pub struct PeriodDto {
    /// `YYYY-MM`.
    pub month: String,
    /// `monthly`, `interim` or `annual`.
    pub kind: String,
    pub title: String,
    /// The last day, `YYYY-MM-DD`.
    pub end: String,
    pub deadline: Option<String>,
    /// `open` or `closed`.
    pub state: String,
    /// The kind of report made for the period (`delarsrapport`, `arsredovisning`: the value
    /// of `styr render --report`; its document is `/dokument/rapport/MONTH.html` or `.pdf`);
    /// none for a monthly closing.
    pub report: Option<String>,
    /// Current reports made for the period.
    pub reported: usize,
    /// Reports the period expects that nobody has made.
    pub missing: usize,
    /// The package marks the period's reports as synthetic example data, not the
    /// municipality's own.
    pub synthetic: bool,
}

/// The follow-up calendar.
#[utoipa::path(get, path = "/api/v1/periods", params(OrganParam), responses(
    (status = 200, body = Vec<PeriodDto>), (status = 401, body = ErrorDto)
))]
pub async fn periods(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Json<Vec<PeriodDto>>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    let periods = state.app.periods(&actor, &selector, None).await?;
    Ok(Json(
        periods
            .iter()
            .map(|o| PeriodDto {
                month: o.period.month.to_string(),
                kind: o.period.kind.code().to_owned(),
                title: o.period.title.clone(),
                end: o.period.end_date(),
                deadline: o.period.deadline.clone(),
                state: o.period.state.code().to_owned(),
                report: ReportKind::for_period(o.period.kind).map(|kind| kind.slug.to_owned()),
                reported: o.reported,
                missing: o.missing.len(),
                synthetic: o.period.synthetic,
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodParam {
    /// The follow-up period, `YYYY-MM`.
    period: String,
}

/// An assignment with its current status in a period.
#[derive(Serialize, ToSchema)]
pub struct AssignmentStatusDto {
    pub id: String,
    pub code: Option<String>,
    pub title: String,
    pub responsible: Vec<String>,
    /// The status code (`not_started`, `started`, `done`, `waiting`, `deviation`, `dialogue`);
    /// `null` when not reported.
    pub status: Option<String>,
    pub comment: Option<String>,
    /// The version an edit is based on (0: none reported).
    pub version: u64,
    pub reported_by: Option<String>,
    pub reported_at: Option<String>,
    /// The status is synthetic example data (the package marks its period so).
    pub synthetic: bool,
}

/// The assignments with their current status in a period.
#[utoipa::path(get, path = "/api/v1/assignments", params(PeriodParam, OrganParam), responses(
    (status = 200, body = Vec<AssignmentStatusDto>), (status = 401, body = ErrorDto),
    (status = 422, body = ErrorDto)
))]
pub async fn assignments(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<PeriodParam>,
) -> Result<Json<Vec<AssignmentStatusDto>>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    let period = month(&query.period)?;
    let filter = EntryFilter {
        period: Some(period),
        kind: Some(EntryKind::Status),
        ..EntryFilter::default()
    };
    let (plan, entries) = state.app.reports(&actor, &selector, &filter).await?;
    let synthetic = plan
        .periods
        .iter()
        .any(|p| p.synthetic && p.month == period);
    Ok(Json(
        plan.assignments
            .iter()
            .map(|a| {
                let current = entries
                    .iter()
                    .find(|e| e.report.entry.subject() == a.id.as_str());
                let (status, comment) = match current.map(|e| &e.report.entry) {
                    Some(ReportEntry::Status {
                        status, comment, ..
                    }) => (Some(status.code().to_owned()), comment.clone()),
                    _ => (None, None),
                };
                AssignmentStatusDto {
                    id: a.id.to_string(),
                    code: a.code.clone(),
                    title: a.title.clone(),
                    responsible: a.responsible.iter().map(ToString::to_string).collect(),
                    status,
                    comment,
                    version: current.map_or(0, |e| e.version),
                    reported_by: current.map(|e| e.reported_by.clone()),
                    reported_at: current.map(|e| e.reported_at.clone()),
                    synthetic: synthetic && current.is_some(),
                }
            })
            .collect(),
    ))
}

/// The body of a status report.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct StatusReportBody {
    /// A status code (`started`) or its Swedish label (`Påbörjad`).
    pub status: String,
    /// Required for Avvikelse and Dialog behövs, and for Färdig at an interim or annual period.
    pub comment: Option<String>,
    /// The version of the current report this edit is based on (0: none).
    pub version: u64,
}

/// What a status report stored.
#[derive(Serialize, ToSchema)]
pub struct StatusReportResult {
    pub id: String,
    pub period: String,
    pub status: String,
    /// The report's version now.
    pub version: u64,
    /// False when the report equalled the current one (nothing was written).
    pub changed: bool,
}

/// Reports an assignment's status for a period.
#[utoipa::path(put, path = "/api/v1/assignments/{id}/reports/{period}",
    params(("id" = String, Path, description = "The assignment's id"),
           ("period" = String, Path, description = "The period, YYYY-MM"), OrganParam),
    request_body = StatusReportBody,
    responses(
        (status = 200, body = StatusReportResult),
        (status = 401, body = ErrorDto, description = "No valid API key"),
        (status = 403, body = ErrorDto, description = "Outside the user's units"),
        (status = 404, body = ErrorDto),
        (status = 409, body = ErrorDto, description = "Someone else reported first: the current report"),
        (status = 422, body = ErrorDto, description = "A rule not met, with the field"),
        (status = 503, body = ErrorDto, description = "No database server takes writes just now (e.g. a replica being promoted): send the same request again after Retry-After seconds; a report that was stored after all answers 200 with changed false")
    )
)]
pub async fn put_assignment_report(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
    Path((id, period)): Path<(String, String)>,
    Json(body): Json<StatusReportBody>,
) -> Result<Json<StatusReportResult>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
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
        .report_based_on(&actor, &selector, report, Some(body.version))
        .await?;
    // Written: the new version; equal to the current report (also when sent again after a
    // lost answer, based on the version before it): the current one.
    let version = reported
        .changes
        .last()
        .map(|c| c.after.version)
        .or_else(|| reported.kept.last().map(|k| k.version))
        .unwrap_or(body.version);
    Ok(Json(StatusReportResult {
        id,
        period: period.to_string(),
        status: status.code().to_owned(),
        version,
        changed: !reported.changes.is_empty(),
    }))
}

/// A row of budget vs actual.
#[derive(Serialize, ToSchema)]
pub struct BvaRowDto {
    pub label: String,
    /// `op.TABLE.LINE` or `inv.PROJECT` for a line, a unit's row or a project.
    pub line: Option<String>,
    /// The organisational unit of a unit's row.
    pub unit: Option<String>,
    pub budget_ore: Option<i64>,
    pub budget_to_date_ore: Option<i64>,
    pub actual_to_date_ore: Option<i64>,
    /// Budget to date − actual to date (a budgeted line with nothing booked has booked 0).
    pub deviation_ore: Option<i64>,
    /// A line's reported forecast, else its computed one; a total's is the sum of its lines'.
    pub forecast_ore: Option<i64>,
    /// `manual`, `budget_profile` (computed) or `line_sum` (a total).
    pub forecast_method: Option<String>,
    /// The forecast is computed, or a total sums at least one computed forecast.
    pub forecast_computed: bool,
    pub forecast_deviation_ore: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct BudgetVsActualDto {
    pub period: String,
    /// The package marks the period's follow-up (forecasts, ledger) as synthetic example data.
    pub synthetic: bool,
    pub rows: Vec<BvaRowDto>,
}

/// Budget vs actual per period, with forecasts.
#[utoipa::path(get, path = "/api/v1/budget-vs-actual", params(PeriodParam, OrganParam), responses(
    (status = 200, body = BudgetVsActualDto), (status = 401, body = ErrorDto),
    (status = 422, body = ErrorDto)
))]
pub async fn budget_vs_actual(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
    Query(query): Query<PeriodParam>,
) -> Result<Json<BudgetVsActualDto>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    let period = month(&query.period)?;
    let output = state
        .app
        .budget_vs_actual(&actor, &selector, period)
        .await?;
    Ok(Json(BudgetVsActualDto {
        period: period.to_string(),
        synthetic: output.report.synthetic,
        rows: output
            .report
            .rows
            .iter()
            .map(|row| BvaRowDto {
                label: row.label.clone(),
                line: row.line.as_ref().map(ToString::to_string),
                unit: row.unit.as_ref().map(ToString::to_string),
                budget_ore: ore(row.cell.budget().map(|b| b.annual)),
                budget_to_date_ore: ore(row.cell.budget().map(|b| b.to_date)),
                actual_to_date_ore: ore(row.cell.actual().map(|a| a.to_date)),
                deviation_ore: ore(row.cell.comparison().map(|c| c.deviation)),
                forecast_ore: ore(row.forecast.map(|(_, f)| f)),
                forecast_method: row.forecast.map(|(method, _)| method.code().to_owned()),
                forecast_computed: row.forecast_computed,
                forecast_deviation_ore: ore(row.forecast_deviation),
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SinceParam {
    /// From this time (UTC, ISO) or date, inclusive.
    since: Option<String>,
}

/// A row of the audit log.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryDto {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The audit log, oldest first.
#[utoipa::path(get, path = "/api/v1/audit", params(SinceParam), responses(
    (status = 200, body = Vec<AuditEntryDto>), (status = 401, body = ErrorDto),
    (status = 403, body = ErrorDto)
))]
pub async fn audit(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<SinceParam>,
) -> Result<Json<Vec<AuditEntryDto>>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let filter = AuditFilter {
        since: query.since,
        ..AuditFilter::default()
    };
    let entries = state.app.audit_log(&actor, &filter).await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| AuditEntryDto {
                seq: e.seq,
                at: e.at,
                actor: e.actor,
                action: e.action,
                detail: e.detail,
                before: e.before,
                after: e.after,
            })
            .collect(),
    ))
}
