//! The API of authoring (issue 21): a plan's sections, one section's text with its base
//! token, saving it (`PUT`: 200 with the checker's findings in the section, 409 with both
//! texts, 422 with the reader's problems at file, line and field) and its history. The same
//! use cases as `/plan/skriv`.

use crate::WebState;
use crate::api::{ApiError, ErrorDto, OrganParam, api_scope};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use styr_app::{BaseToken, SectionKind};
use utoipa::ToSchema;

/// One section of the plan.
#[derive(Serialize, ToSchema)]
pub struct SectionInfoDto {
    /// The file of the plan package (`narrative/driftbudget.md`, `budget/investment.csv`).
    pub path: String,
    pub title: String,
    /// `narrative`, `table` or `toml` (goals.toml).
    pub kind: String,
    /// The latest revision saved (0: none yet).
    pub revision: i64,
    /// The checker's findings in the section.
    pub findings: usize,
}

/// A finding of the checker in a section.
#[derive(Serialize, ToSchema)]
pub struct FindingDto {
    pub id: String,
    /// `error`, `warning`, `info`.
    pub severity: String,
    pub line: u32,
    pub check: String,
    pub message: String,
}

/// A section's text and what a save from it must carry.
#[derive(Serialize, ToSchema)]
pub struct SectionDto {
    pub path: String,
    pub title: String,
    pub kind: String,
    pub text: String,
    /// The base token (`REVISION-SHA256`) a save from this text carries.
    pub base: String,
    /// Why the user may not edit it; absent: the user may.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_only: Option<String>,
    pub findings: Vec<FindingDto>,
}

/// A save of a section.
#[derive(Deserialize, ToSchema)]
pub struct SectionSaveBody {
    /// The base token of the text the edit started from (`base` of the GET).
    pub base: String,
    /// The section's whole new text.
    pub text: String,
}

/// What a save stored.
#[derive(Serialize, ToSchema)]
pub struct SectionSavedDto {
    pub path: String,
    pub revision: i64,
    /// The base token of the next save.
    pub base: String,
    pub text: String,
    /// The checker's findings in the section after the save (stored nonetheless).
    pub findings: Vec<FindingDto>,
}

/// One revision of a section.
#[derive(Serialize, ToSchema)]
pub struct SectionRevisionDto {
    pub revision: i64,
    pub saved_by: String,
    pub saved_by_name: String,
    pub saved_at: String,
}

fn kind(kind: SectionKind) -> String {
    match kind {
        SectionKind::Narrative => "narrative",
        SectionKind::Table => "table",
        SectionKind::Toml => "toml",
    }
    .to_owned()
}

fn findings(findings: &[styr_app::Finding]) -> Vec<FindingDto> {
    findings
        .iter()
        .map(|f| FindingDto {
            id: f.id.clone(),
            severity: f.severity.code().to_owned(),
            line: f.line,
            check: f.check.to_owned(),
            message: f.message.clone(),
        })
        .collect()
}

/// The sections of the plan.
#[utoipa::path(get, path = "/api/v1/plan/sections", params(OrganParam), responses(
    (status = 200, body = Vec<SectionInfoDto>), (status = 401, body = ErrorDto),
    (status = 404, body = ErrorDto)
))]
pub async fn sections(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Json<Vec<SectionInfoDto>>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    let (_, sections) = state.app.sections(&actor, &selector).await?;
    Ok(Json(
        sections
            .into_iter()
            .map(|s| SectionInfoDto {
                path: s.path,
                title: s.title,
                kind: kind(s.kind),
                revision: s.revision,
                findings: s.findings,
            })
            .collect(),
    ))
}

/// A section's text, base token and findings; `…/history` its revisions.
#[utoipa::path(get, path = "/api/v1/plan/sections/{path}",
    params(("path" = String, Path, description = "The section's file, e.g. narrative/driftbudget.md; with /history appended: its revisions (Vec<SectionRevisionDto>)"), OrganParam),
    responses(
        (status = 200, body = SectionDto), (status = 401, body = ErrorDto),
        (status = 404, body = ErrorDto)
    )
)]
pub async fn section(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    if let Some(path) = path.strip_suffix("/history") {
        let revisions = state.app.section_history(&actor, &selector, path).await?;
        let rows: Vec<SectionRevisionDto> = revisions
            .into_iter()
            .map(|r| SectionRevisionDto {
                revision: r.revision,
                saved_by: r.saved_by,
                saved_by_name: r.saved_by_name,
                saved_at: r.saved_at,
            })
            .collect();
        return Ok(Json(rows).into_response());
    }
    let section = state.app.section(&actor, &selector, &path).await?;
    Ok(Json(SectionDto {
        path: section.info.path,
        title: section.info.title,
        kind: kind(section.info.kind),
        text: section.text,
        base: section.base.to_string(),
        read_only: section.read_only,
        findings: findings(&section.findings),
    })
    .into_response())
}

/// Saves a section: read and checked as `styr import` does, stored with its next revision.
#[utoipa::path(put, path = "/api/v1/plan/sections/{path}",
    params(("path" = String, Path, description = "The section's file"), OrganParam),
    request_body = SectionSaveBody,
    responses(
        (status = 200, body = SectionSavedDto, description = "Stored; the checker's findings in the section"),
        (status = 401, body = ErrorDto),
        (status = 403, body = ErrorDto, description = "Not the user's body, or the plan may not change"),
        (status = 404, body = ErrorDto),
        (status = 409, body = ErrorDto, description = "Someone saved or imported first: both texts in section_conflict"),
        (status = 422, body = ErrorDto, description = "The package cannot be read with the text: problems at file, line and field; nothing stored")
    )
)]
pub async fn put_section(
    State(state): State<WebState>,
    headers: HeaderMap,
    uri: Uri,
    Path(path): Path<String>,
    Json(body): Json<SectionSaveBody>,
) -> Result<Json<SectionSavedDto>, ApiError> {
    let (actor, selector) = api_scope(&state, &headers, &uri).await?;
    let base = BaseToken::parse(&body.base)?;
    let saved = state
        .app
        .save_section(&actor, &selector, &path, &base, &body.text)
        .await?;
    Ok(Json(SectionSavedDto {
        path: saved.path,
        revision: saved.revision,
        base: saved.base.to_string(),
        text: saved.text,
        findings: findings(&saved.findings),
    }))
}
