//! Alternativa budgetar (issue 21, item 5): the list with a form to create one
//! (`/alternativ`), one alternative with its frames per body, tax, goals and assignments and
//! the submit and publish buttons (`/alternativ/{id}`), the comparison side by side
//! (`/alternativ/jamfor?ar=2021`) and both as documents. Every rule is `App`'s (who may edit,
//! the balance rule, the comparison's sums); this only parses forms and presents. A refused
//! save shows the page again with the message next to its field and the typed values kept; a
//! stale save answers 409 with both the typed and the stored values.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::{WebError, status_of};
use crate::pages::page;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use styr_app::{AlternativeView, AppError, DocumentFormat, FrameInput, NewAlternative, Role};
use styr_domain::Money;
use styr_domain::alternative::{Comparison, ComparisonRowKind};
use styr_domain::number::{Decimals, MoneyUnit, format_money, format_swedish};

/// An amount in tkr as typed and shown: "247 000", "−1 500,5".
fn tkr(money: Money) -> String {
    format_money(money, MoneyUnit::Tkr, Decimals::AsHeld, ' ')
}

fn signed(money: Money) -> String {
    if money > Money::ZERO {
        format!("+{}", tkr(money))
    } else {
        tkr(money)
    }
}

fn may_create(viewer: &Viewer) -> bool {
    matches!(viewer.actor.role, Role::Admin | Role::Politician)
}

fn summary(view: &AlternativeView) -> Value {
    let a = &view.alternative;
    json!({
        "id": a.id,
        "party": a.party,
        "title": a.title,
        "year": a.year,
        "state": a.state.label_sv(),
        "author": a.author,
        "result": tkr(view.balance.result),
        "margin": signed(view.balance.margin()),
        "holds": view.balance.holds(),
    })
}

/// What a page of one alternative shows. `typed`: the frame amounts as the person typed them
/// (a refused or stale save); `problems`: field → message.
fn detail(
    view: &AlternativeView,
    typed: &HashMap<String, String>,
    problems: &HashMap<String, String>,
) -> Value {
    let a = &view.alternative;
    let lines: Vec<Value> = view
        .lines
        .iter()
        .map(|line| {
            let field = format!("frame.{}", line.body);
            json!({
                "body": line.body.as_str(),
                "name": line.name,
                "proposal": tkr(line.proposal),
                "amount": typed.get(&field).cloned().unwrap_or_else(|| tkr(line.amount)),
                "stored": tkr(line.amount),
                "changed": line.changed,
                "difference": signed(line.amount - line.proposal),
                "problem": problems.get(&field),
            })
        })
        .collect();
    let goals: Vec<Value> = a
        .goals
        .iter()
        .enumerate()
        .map(|(index, goal)| {
            json!({
                "index": index,
                "text": goal.text,
                "parent": goal.parent.as_ref().map(|p| view
                    .council_goals
                    .iter()
                    .find(|(id, _)| id == p)
                    .map_or_else(|| p.to_string(), |(_, title)| title.clone())),
            })
        })
        .collect();
    let assignments: Vec<Value> = a
        .assignments
        .iter()
        .enumerate()
        .map(|(index, assignment)| {
            json!({
                "index": index,
                "text": assignment.text,
                "body": assignment.body.as_ref().map(|b| view
                    .lines
                    .iter()
                    .find(|l| &l.body == b)
                    .map_or_else(|| b.to_string(), |l| l.name.clone())),
            })
        })
        .collect();
    let parts = &view.parts;
    json!({
        "alt": summary(view),
        "version": a.version,
        "lines": lines,
        "frames_total": tkr(view.frames_total),
        "proposal_total": tkr(view.lines.iter().map(|l| l.proposal).sum()),
        "tax_revenue": tkr(parts.tax_revenue),
        "grants": tkr(parts.grants),
        "financial_net": tkr(parts.financial_net),
        "central_items": tkr(parts.central_items),
        "result": tkr(view.balance.result),
        "required": tkr(view.balance.required()),
        "goal_share": view.balance.goal.map(|(share, _)| format_swedish(share, share.scale().max(1), ' ')),
        "margin": signed(view.balance.margin()),
        "refusal": view.refusal,
        "tax_rate": typed.get("tax_rate").cloned().or_else(|| a.tax_rate.map(|r| format_swedish(r, r.scale(), ' '))).unwrap_or_default(),
        "tax_revenue_typed": typed.get("tax_revenue").cloned().or_else(|| a.tax_revenue.map(tkr)).unwrap_or_default(),
        "goals": goals,
        "assignments": assignments,
        "council_goals": view.council_goals.iter().map(|(id, title)| json!({"id": id.as_str(), "title": title})).collect::<Vec<_>>(),
        "bodies": view.lines.iter().map(|l| json!({"id": l.body.as_str(), "name": l.name})).collect::<Vec<_>>(),
        "may_edit": view.may_edit,
        "may_submit": view.may_submit,
        "may_publish": view.may_publish,
        "newer_base": view.newer_base,
        "base_version": a.base_version,
        "problem": problems,
    })
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    ar: Option<i32>,
}

async fn list_page(
    state: &WebState,
    viewer: &Viewer,
    error: Option<Vec<String>>,
    typed: (String, String),
    status: StatusCode,
) -> Result<Response, WebError> {
    // Without KF's plan there is nothing to derive from: the page says so (not a 404).
    let (views, missing) = match state.app.alternatives(&viewer.actor, None).await {
        Ok(views) => (views, None),
        Err(AppError::NotFound(message)) => (Vec::new(), Some(message)),
        Err(error) => return Err(error.into()),
    };
    let plan = state
        .app
        .load_plan(&viewer.actor, &viewer.selector())
        .await
        .ok();
    let mut years: Vec<i32> = views.iter().map(|v| v.alternative.year).collect();
    years.sort_unstable();
    years.dedup();
    let context = json!({
        "alternatives": views.iter().map(summary).collect::<Vec<_>>(),
        "may_create": may_create(viewer) && missing.is_none(),
        "missing": missing,
        "errors": error,
        "party": typed.0,
        "alt_title": typed.1,
        "years": years,
    });
    let mut response = page(
        state,
        viewer,
        plan.as_ref(),
        "alternatives.html",
        "alternativ",
        "Alternativa budgetar",
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn list(State(state): State<WebState>, viewer: Viewer) -> Result<Response, WebError> {
    list_page(&state, &viewer, None, Default::default(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    party: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    year: String,
}

pub async fn create(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<CreateForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let year = form.year.trim().parse().ok();
    let new = NewAlternative {
        party: form.party.clone(),
        title: form.title.clone(),
        year,
    };
    match state
        .app
        .create_alternative(&viewer.actor, None, &new)
        .await
    {
        Ok(view) => {
            Ok(Redirect::to(&format!("/alternativ/{}", view.alternative.id)).into_response())
        }
        Err(error @ AppError::Invalid(_)) => {
            let status = status_of(&error);
            let lines = WebError::from(error).public_lines();
            list_page(
                &state,
                &viewer,
                Some(lines),
                (form.party, form.title),
                status,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

async fn detail_page(
    state: &WebState,
    viewer: &Viewer,
    view: &AlternativeView,
    typed: &HashMap<String, String>,
    problems: &HashMap<String, String>,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let plan = state
        .app
        .load_plan(&viewer.actor, &viewer.selector())
        .await
        .ok();
    let mut context = detail(view, typed, problems);
    if let Value::Object(map) = &mut context {
        map.insert("message".into(), json!(message));
    }
    let a = &view.alternative;
    let mut response = page(
        state,
        viewer,
        plan.as_ref(),
        "alternative.html",
        "alternativ",
        &format!("{}: {}", a.party, a.title),
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn show(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let view = state.app.alternative(&viewer.actor, None, id).await?;
    detail_page(
        &state,
        &viewer,
        &view,
        &HashMap::new(),
        &HashMap::new(),
        None,
        StatusCode::OK,
    )
    .await
}

/// A form of the alternative's page: every field as sent (frame amounts are `frame.<body>`).
type Fields = Vec<(String, String)>;

fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map_or("", |(_, value)| value.as_str())
}

/// Runs one edit of the alternative's page: on success back to the page (POST-redirect-GET);
/// refused input or the balance rule → the page again with the messages beside their fields
/// and what was typed; a stale version → 409 with the stored alternative and the typed values.
async fn edit<F, Fut>(
    state: WebState,
    viewer: Viewer,
    id: i64,
    fields: Fields,
    run: F,
) -> Result<Response, WebError>
where
    F: FnOnce(WebState, Viewer, Option<i64>, Fields) -> Fut,
    Fut: std::future::Future<Output = Result<AlternativeView, AppError>>,
{
    viewer.check_csrf(field(&fields, "csrf"))?;
    let version = field(&fields, "version").trim().parse().ok();
    let typed: HashMap<String, String> = fields.iter().cloned().collect();
    match run(state.clone(), viewer.clone(), version, fields).await {
        Ok(_) => Ok(Redirect::to(&format!("/alternativ/{id}")).into_response()),
        Err(AppError::Invalid(problems)) => {
            let view = state.app.alternative(&viewer.actor, None, id).await?;
            let message = problems
                .iter()
                .map(|p| p.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let by_field = problems.into_iter().map(|p| (p.field, p.message)).collect();
            detail_page(
                &state,
                &viewer,
                &view,
                &typed,
                &by_field,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(error @ (AppError::Store(_) | AppError::Conflict(_)))
            if status_of(&error) == StatusCode::CONFLICT =>
        {
            let view = state.app.alternative(&viewer.actor, None, id).await?;
            let message = format!(
                "{error} Dina inskrivna värden står kvar i formuläret; de sparade står bredvid \
                 (\"Sparat\")."
            );
            detail_page(
                &state,
                &viewer,
                &view,
                &typed,
                &HashMap::new(),
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn frames(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, fields| async move {
            let inputs: Vec<FrameInput> = fields
                .iter()
                .filter_map(|(key, value)| {
                    key.strip_prefix("frame.").map(|body| FrameInput {
                        body: body.to_owned(),
                        amount: value.clone(),
                    })
                })
                .collect();
            state
                .app
                .set_alternative_frames(&viewer.actor, None, id, version, &inputs)
                .await
        },
    )
    .await
}

pub async fn tax(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, fields| async move {
            state
                .app
                .set_alternative_tax(
                    &viewer.actor,
                    None,
                    id,
                    version,
                    field(&fields, "tax_rate"),
                    field(&fields, "tax_revenue"),
                )
                .await
        },
    )
    .await
}

pub async fn add_goal(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, fields| async move {
            let parent = Some(field(&fields, "parent")).filter(|p| !p.is_empty());
            state
                .app
                .add_alternative_goal(
                    &viewer.actor,
                    None,
                    id,
                    version,
                    field(&fields, "goal"),
                    parent,
                )
                .await
        },
    )
    .await
}

pub async fn add_assignment(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, fields| async move {
            let body = Some(field(&fields, "body")).filter(|b| !b.is_empty());
            state
                .app
                .add_alternative_assignment(
                    &viewer.actor,
                    None,
                    id,
                    version,
                    field(&fields, "assignment"),
                    body,
                )
                .await
        },
    )
    .await
}

pub async fn remove_goal(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, fields| async move {
            let index = field(&fields, "index").parse().unwrap_or(usize::MAX);
            state
                .app
                .remove_alternative_goal(&viewer.actor, None, id, version, index)
                .await
        },
    )
    .await
}

pub async fn remove_assignment(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, fields| async move {
            let index = field(&fields, "index").parse().unwrap_or(usize::MAX);
            state
                .app
                .remove_alternative_assignment(&viewer.actor, None, id, version, index)
                .await
        },
    )
    .await
}

pub async fn submit(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, _| async move {
            state
                .app
                .submit_alternative(&viewer.actor, None, id, version)
                .await
        },
    )
    .await
}

pub async fn publish(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    edit(
        state,
        viewer,
        id,
        fields,
        move |state, viewer, version, _| async move {
            state
                .app
                .publish_alternative(&viewer.actor, None, id, version)
                .await
        },
    )
    .await
}

/// The comparison as the page's table: bodies as rows, the proposal and each alternative as
/// columns, every cell with whether it differs from the proposal and by how much.
pub(crate) fn comparison_view(comparison: &Comparison) -> Value {
    let columns: Vec<Value> = comparison
        .columns
        .iter()
        .map(|c| {
            json!({
                "id": c.alternative,
                "label": c.label,
                "state": c.state.map(|s| s.label_sv()),
                "holds": c.balance.holds(),
                "refusal": c.balance.refusal(),
            })
        })
        .collect();
    let rows: Vec<Value> = comparison
        .rows
        .iter()
        .map(|row| {
            json!({
                "label": row.label,
                "kind": row.kind.code(),
                "total": matches!(row.kind, ComparisonRowKind::FramesTotal | ComparisonRowKind::CentralTotal | ComparisonRowKind::Result),
                "cells": row.cells.iter().enumerate().map(|(index, cell)| json!({
                    "amount": tkr(cell.amount),
                    "differs": index > 0 && cell.differs(),
                    "difference": signed(cell.difference),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "year": comparison.year, "columns": columns, "rows": rows })
}

pub async fn compare(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<ListQuery>,
) -> Result<Response, WebError> {
    let comparison = state
        .app
        .compare_alternatives(&viewer.actor, None, query.ar)
        .await?;
    let plan = state
        .app
        .load_plan(&viewer.actor, &viewer.selector())
        .await
        .ok();
    page(
        &state,
        &viewer,
        plan.as_ref(),
        "alternatives_compare.html",
        "alternativ",
        &format!("Alternativa budgetar {} sida vid sida", comparison.year),
        json!({ "comparison": comparison_view(&comparison) }),
    )
}

#[derive(Deserialize, Default)]
pub struct DocumentQuery {
    ar: Option<i32>,
    format: Option<String>,
}

fn document_format(query: &DocumentQuery) -> Result<DocumentFormat, WebError> {
    match query.format.as_deref().unwrap_or("html") {
        "html" => Ok(DocumentFormat::Html),
        "pdf" => Ok(DocumentFormat::Pdf),
        other => Err(WebError::NotFound(format!("formatet {other} finns inte"))),
    }
}

fn document(bytes: Vec<u8>, format: DocumentFormat) -> Response {
    let content_type = match format {
        DocumentFormat::Html => "text/html; charset=utf-8",
        DocumentFormat::Pdf => "application/pdf",
    };
    let mut response = bytes.into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

pub async fn alternative_document(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<i64>,
    Query(query): Query<DocumentQuery>,
) -> Result<Response, WebError> {
    let format = document_format(&query)?;
    let bytes = state
        .app
        .render_alternative(&viewer.actor, None, id, format)
        .await?;
    Ok(document(bytes, format))
}

pub async fn comparison_document(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<DocumentQuery>,
) -> Result<Response, WebError> {
    let format = document_format(&query)?;
    let bytes = state
        .app
        .render_comparison(&viewer.actor, None, query.ar, format)
        .await?;
    Ok(document(bytes, format))
}
