//! Påminnelser: the e-mail reminders' schedule and outbox for controllers and administrators
//! (`/paminnelser`). The schedule is changed through the use case the command line uses
//! (`styr paminnelser schema`), which audits it; the form carries the step's stamp as it was
//! shown, so a change someone made since is refused (409) and nothing is overwritten.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use styr_app::AppError;
use styr_app::reminders::{ScheduleChange, Step};
use styr_domain::localtime::stockholm_minute;

/// How many sent mails the page lists (the newest); waiting and failed ones are all listed.
const SENT_SHOWN: usize = 50;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/paminnelser", get(page))
        .route("/paminnelser/schema", post(change))
}

fn status_sv(status: &str) -> &'static str {
    match status {
        "skickad" => "skickad",
        "misslyckad" => "misslyckad",
        _ => "väntar",
    }
}

async fn draw(
    state: &WebState,
    viewer: &Viewer,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let overview = state.app.reminder_overview(&viewer.actor, None).await?;
    let names = state.app.user_names(&viewer.actor).await?;
    let steps: Vec<Value> = overview
        .schedule
        .steps
        .iter()
        .map(|s| {
            json!({
                "code": s.step.code(),
                "label": s.step.label_sv(),
                "days": s.days,
                "active": s.active,
                "stamp": s.stamp(),
                "changed": s.changed.as_ref().map(|(by, at)| json!({
                    "by": styr_app::display_name(&names, by),
                    "at": stockholm_minute(at),
                })),
            })
        })
        .collect();
    let mut sent = 0;
    let mails: Vec<Value> = overview
        .outbox
        .iter()
        .filter(|m| {
            if m.status != "skickad" {
                return true;
            }
            sent += 1;
            sent <= SENT_SHOWN
        })
        .map(|m| {
            json!({
                "recipient": styr_app::display_name(&names, &m.key.recipient),
                "address": m.address,
                "audience": if m.audience == "controller" { "controller" } else { "rapportör" },
                "body": m.key.body,
                "period": m.key.period,
                "deadline": m.key.deadline,
                "step": Step::parse(&m.key.step).map_or("", Step::label_sv),
                "subject": m.subject,
                "status": status_sv(&m.status),
                "failed": m.status == "misslyckad",
                "attempts": m.attempts,
                "error": m.last_error,
                "next_attempt": (m.status != "skickad").then(|| stockholm_minute(&m.next_attempt_at)),
                "decided": stockholm_minute(&m.decided_at),
                "sent": m.sent_at.as_deref().map(stockholm_minute),
            })
        })
        .collect();
    let context = json!({
        "error": error,
        "steps": steps,
        "max_days": styr_app::reminders::MAX_DAYS,
        "mails": mails,
        "waiting": overview.count("vantar"),
        "sent": overview.count("skickad"),
        "failed": overview.count("misslyckad"),
        "sent_hidden": overview.count("skickad").saturating_sub(SENT_SHOWN),
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        None,
        "reminders.html",
        "paminnelser",
        "Påminnelser",
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

async fn page(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
) -> Result<Response, WebError> {
    draw(&state, &viewer, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    csrf: String,
    steg: String,
    dagar: String,
    /// The checkbox: present when ticked.
    aktiv: Option<String>,
    /// The step's stamp as the page showed it.
    #[serde(default)]
    sedd: String,
}

async fn change(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<ScheduleForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let step = Step::parse(&form.steg).ok_or_else(|| {
        WebError::from(AppError::invalid(
            "steg",
            format!("{:?} är inget steg (fore eller efter)", form.steg),
        ))
    })?;
    let result = match form.dagar.trim().parse::<i64>() {
        Ok(days) => {
            let change = ScheduleChange {
                step,
                days: Some(days),
                active: Some(form.aktiv.is_some()),
                seen: Some(form.sedd),
            };
            state
                .app
                .change_reminder_schedule(&viewer.actor, None, &change)
                .await
        }
        Err(_) => Err(AppError::invalid(
            "dagar",
            format!("{:?} är inget antal dagar", form.dagar),
        )),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/paminnelser").into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Store(_))) => {
            let status = crate::error::status_of(&error);
            if status == StatusCode::INTERNAL_SERVER_ERROR {
                return Err(error.into());
            }
            draw(&state, &viewer, Some(error.to_string()), status).await
        }
        Err(error) => Err(error.into()),
    }
}
