//! `/api/v1/alternatives`: alternative budgets through the same use cases as the pages
//! (`App::create_alternative`, `set_alternative_frames`, `submit_alternative`,
//! `publish_alternative`, `compare_alternatives`). Money in öre (exact integers); a refusal by the balance rule is a
//! 422 whose problem (`result`) says by how much; an edit based on an older version is a 409.

use crate::WebState;
use crate::api::{ApiError, ErrorDto, ProblemDto, api_actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use styr_app::{AlternativeView, FrameInput, NewAlternative};
use styr_domain::alternative::Comparison;
use utoipa::{IntoParams, OpenApi, ToSchema};

#[derive(OpenApi)]
#[openapi(
    paths(
        list_alternatives,
        get_alternative,
        create_alternative,
        set_frames,
        submit_alternative,
        publish_alternative,
        compare_alternatives
    ),
    components(schemas(
        AlternativeDto,
        AlternativeFrameDto,
        NewAlternativeBody,
        FramesBody,
        FrameBody,
        VersionBody,
        ComparisonDto,
        ComparisonColumnDto,
        ComparisonRowDto,
        ComparisonCellDto,
        ErrorDto,
        ProblemDto
    ))
)]
pub struct AlternativesDoc;

/// One body's frame in an alternative.
#[derive(Serialize, ToSchema)]
pub struct AlternativeFrameDto {
    pub body: String,
    pub name: String,
    /// The proposal's frame (KF's plan), öre.
    pub proposal_ore: i64,
    /// The alternative's frame, öre.
    pub amount_ore: i64,
    pub changed: bool,
}

/// An alternative budget with its computed result and the balance rule.
#[derive(Serialize, ToSchema)]
pub struct AlternativeDto {
    pub id: i64,
    pub year: i32,
    pub party: String,
    pub title: String,
    pub author: String,
    /// `draft`, `submitted` or `published`.
    pub state: String,
    /// The version an edit must name.
    pub version: i64,
    pub base_version: String,
    pub frames: Vec<AlternativeFrameDto>,
    /// Σ the frames, öre.
    pub frames_total_ore: i64,
    pub result_ore: i64,
    /// The least result allowed (KF's financial goal, never below zero), öre.
    pub required_ore: i64,
    /// result − required; negative when the balance rule is broken.
    pub margin_ore: i64,
    /// Why it cannot be submitted or published, when the rule is broken.
    pub refusal: Option<String>,
    pub goals: Vec<String>,
    pub assignments: Vec<String>,
}

fn dto(view: &AlternativeView) -> AlternativeDto {
    let a = &view.alternative;
    AlternativeDto {
        id: a.id,
        year: a.year,
        party: a.party.clone(),
        title: a.title.clone(),
        author: a.author.clone(),
        state: a.state.code().to_owned(),
        version: a.version,
        base_version: a.base_version.clone(),
        frames: view
            .lines
            .iter()
            .map(|l| AlternativeFrameDto {
                body: l.body.to_string(),
                name: l.name.clone(),
                proposal_ore: l.proposal.ore(),
                amount_ore: l.amount.ore(),
                changed: l.changed,
            })
            .collect(),
        frames_total_ore: view.frames_total.ore(),
        result_ore: view.balance.result.ore(),
        required_ore: view.balance.required().ore(),
        margin_ore: view.balance.margin().ore(),
        refusal: view.refusal.clone(),
        goals: a.goals.iter().map(|g| g.text.clone()).collect(),
        assignments: a.assignments.iter().map(|g| g.text.clone()).collect(),
    }
}

/// The alternative budgets the user may see.
#[utoipa::path(get, path = "/api/v1/alternatives",
    responses((status = 200, body = [AlternativeDto]), (status = 401, body = ErrorDto)))]
pub async fn list_alternatives(
    State(state): State<WebState>,
    headers: HeaderMap,
) -> Result<Json<Vec<AlternativeDto>>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let views = state.app.alternatives(&actor, None).await?;
    Ok(Json(views.iter().map(dto).collect()))
}

/// One alternative budget.
#[utoipa::path(get, path = "/api/v1/alternatives/{id}",
    params(("id" = i64, Path, description = "The alternative's number")),
    responses((status = 200, body = AlternativeDto), (status = 401, body = ErrorDto),
              (status = 404, body = ErrorDto)))]
pub async fn get_alternative(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<AlternativeDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    Ok(Json(dto(&state.app.alternative(&actor, None, id).await?)))
}

/// A new alternative budget.
#[derive(Deserialize, ToSchema)]
pub struct NewAlternativeBody {
    pub party: String,
    pub title: String,
    /// The budget year; default: the first year of KF's plan.
    pub year: Option<i32>,
}

/// Creates an alternative from KF's stored plan of the year (a politician or an administrator).
#[utoipa::path(post, path = "/api/v1/alternatives", request_body = NewAlternativeBody,
    responses((status = 200, body = AlternativeDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 422, body = ErrorDto)))]
pub async fn create_alternative(
    State(state): State<WebState>,
    headers: HeaderMap,
    Json(body): Json<NewAlternativeBody>,
) -> Result<Json<AlternativeDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let new = NewAlternative {
        party: body.party,
        title: body.title,
        year: body.year,
    };
    Ok(Json(dto(&state
        .app
        .create_alternative(&actor, None, &new)
        .await?)))
}

/// One frame to set.
#[derive(Deserialize, ToSchema)]
pub struct FrameBody {
    pub body: String,
    /// Tkr as text ("927 000", "927000.5").
    pub amount_tkr: String,
}

/// Frames to set, based on a version.
#[derive(Deserialize, ToSchema)]
pub struct FramesBody {
    pub version: i64,
    pub frames: Vec<FrameBody>,
}

/// Sets frames of a draft (its author or an administrator); all or nothing.
#[utoipa::path(put, path = "/api/v1/alternatives/{id}/frames", request_body = FramesBody,
    params(("id" = i64, Path, description = "The alternative's number")),
    responses((status = 200, body = AlternativeDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 404, body = ErrorDto),
              (status = 409, body = ErrorDto, description = "Changed since the version, or no longer a draft"),
              (status = 422, body = ErrorDto, description = "A frame refused, with its field")))]
pub async fn set_frames(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<FramesBody>,
) -> Result<Json<AlternativeDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let frames: Vec<FrameInput> = body
        .frames
        .into_iter()
        .map(|f| FrameInput {
            body: f.body,
            amount: f.amount_tkr,
        })
        .collect();
    Ok(Json(dto(&state
        .app
        .set_alternative_frames(&actor, None, id, Some(body.version), &frames)
        .await?)))
}

/// The version an action is based on.
#[derive(Deserialize, ToSchema)]
pub struct VersionBody {
    pub version: i64,
}

/// Submits a draft: refused with 422 (problem `result`, saying by how much) when the result is
/// negative or below KF's financial goal.
#[utoipa::path(post, path = "/api/v1/alternatives/{id}/submit", request_body = VersionBody,
    params(("id" = i64, Path, description = "The alternative's number")),
    responses((status = 200, body = AlternativeDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 404, body = ErrorDto),
              (status = 409, body = ErrorDto), (status = 422, body = ErrorDto, description = "The balance rule")))]
pub async fn submit_alternative(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<VersionBody>,
) -> Result<Json<AlternativeDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    Ok(Json(dto(&state
        .app
        .submit_alternative(&actor, None, id, Some(body.version))
        .await?)))
}

/// Publishes a submitted alternative (the administration or the secretary): the balance rule
/// is checked again; refused with 422 when it no longer holds, 409 when not submitted.
#[utoipa::path(post, path = "/api/v1/alternatives/{id}/publish", request_body = VersionBody,
    params(("id" = i64, Path, description = "The alternative's number")),
    responses((status = 200, body = AlternativeDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 404, body = ErrorDto),
              (status = 409, body = ErrorDto), (status = 422, body = ErrorDto, description = "The balance rule")))]
pub async fn publish_alternative(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<VersionBody>,
) -> Result<Json<AlternativeDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    Ok(Json(dto(&state
        .app
        .publish_alternative(&actor, None, id, Some(body.version))
        .await?)))
}

#[derive(Serialize, ToSchema)]
pub struct ComparisonColumnDto {
    /// `null` for the administration's proposal.
    pub alternative: Option<i64>,
    pub label: String,
    pub state: Option<String>,
    pub holds: bool,
    pub refusal: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ComparisonCellDto {
    pub amount_ore: i64,
    /// Against the proposal (the first column).
    pub difference_ore: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ComparisonRowDto {
    /// `frame`, `frames_total`, `central`, `central_total`, `tax_revenue`, `grants`,
    /// `financial_net`, `result`, `required`, `margin`.
    pub kind: String,
    pub id: Option<String>,
    pub label: String,
    pub cells: Vec<ComparisonCellDto>,
}

/// The proposal and the alternatives side by side.
#[derive(Serialize, ToSchema)]
pub struct ComparisonDto {
    pub year: i32,
    pub columns: Vec<ComparisonColumnDto>,
    pub rows: Vec<ComparisonRowDto>,
}

pub(crate) fn comparison_dto(comparison: &Comparison) -> ComparisonDto {
    ComparisonDto {
        year: comparison.year,
        columns: comparison
            .columns
            .iter()
            .map(|c| ComparisonColumnDto {
                alternative: c.alternative,
                label: c.label.clone(),
                state: c.state.map(|s| s.code().to_owned()),
                holds: c.balance.holds(),
                refusal: c.balance.refusal(),
            })
            .collect(),
        rows: comparison
            .rows
            .iter()
            .map(|r| ComparisonRowDto {
                kind: r.kind.code().to_owned(),
                id: r.id.as_ref().map(ToString::to_string),
                label: r.label.clone(),
                cells: r
                    .cells
                    .iter()
                    .map(|c| ComparisonCellDto {
                        amount_ore: c.amount.ore(),
                        difference_ore: c.difference.ore(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParam {
    /// The budget year; default: the first year of KF's plan.
    year: Option<i32>,
}

/// The proposal and every alternative the user may see, side by side.
#[utoipa::path(get, path = "/api/v1/alternatives/compare", params(YearParam),
    responses((status = 200, body = ComparisonDto), (status = 401, body = ErrorDto),
              (status = 404, body = ErrorDto)))]
pub async fn compare_alternatives(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<YearParam>,
) -> Result<Json<ComparisonDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let comparison = state
        .app
        .compare_alternatives(&actor, None, query.year)
        .await?;
    Ok(Json(comparison_dto(&comparison)))
}
