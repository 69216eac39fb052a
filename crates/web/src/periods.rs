//! Perioder: the follow-up calendar with what each period still lacks; controllers close a
//! period, administrators reopen a closed one with a reason (both audited by the use case).

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use styr_app::{AppError, Role};
use styr_domain::followup::PeriodState;
use styr_domain::ledger::Month;

async fn calendar_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let selector = viewer.selector();
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let periods = state.app.periods(&viewer.actor, &selector, None).await?;
    let rows: Vec<Value> = periods
        .iter()
        .map(|o| {
            json!({
                "month": o.period.month,
                "title": o.period.title,
                "synthetic": o.period.synthetic,
                "kind": o.period.kind.label_sv(),
                "deadline": o.period.deadline.clone().unwrap_or_else(|| "–".to_owned()),
                "reported": o.reported,
                "missing": o.missing.len(),
                "late": o.late(),
                "state": o.period.state.label_sv(),
                "phase": o.phase.label_sv(),
                "is_late": o.late() > 0,
                "open": o.period.state == PeriodState::Open,
            })
        })
        .collect();
    let context = json!({
        "periods": rows,
        "error": error,
        "may_close": matches!(viewer.actor.role, Role::Admin | Role::Controller),
        "may_reopen": viewer.actor.role == Role::Admin,
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        Some(&plan),
        "periods_admin.html",
        "perioder",
        "Perioder",
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn calendar(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
) -> Result<Response, WebError> {
    calendar_page(&state, &viewer, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct PeriodForm {
    #[serde(default)]
    csrf: String,
    period: String,
    #[serde(default)]
    reason: String,
}

async fn change(
    state: WebState,
    viewer: Viewer,
    form: PeriodForm,
    open: bool,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let month: Month = form.period.parse()?;
    let selector = viewer.selector();
    let result = if open {
        state
            .app
            .reopen_period(&viewer.actor, &selector, month, &form.reason)
            .await
    } else {
        state
            .app
            .close_period(&viewer.actor, &selector, month)
            .await
    };
    match result {
        Ok(_) => Ok(Redirect::to("/perioder").into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Store(_))) => {
            let status = crate::error::status_of(&error);
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                return Err(error.into());
            }
            calendar_page(&state, &viewer, Some(error.to_string()), status).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn close(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<PeriodForm>,
) -> Result<Response, WebError> {
    change(state, viewer, form, false).await
}

pub async fn reopen(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<PeriodForm>,
) -> Result<Response, WebError> {
    change(state, viewer, form, true).await
}
