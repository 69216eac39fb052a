//! Budgetprocessen: every body's proposal with its state, deadline and questions
//! (`/budgetprocess`), one body's history of states and the moves the viewer may make
//! (`/budgetprocess/{body}`), and beredning's questions and answers (`/beredning`). Every rule
//! is the use cases' (`styr_app::process`); a form posts, the use case decides, and the page
//! redirects back (POST-redirect-GET) or shows the refusal beside the form.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use styr_app::process::{
    CalendarChange, Milestone, MoveInput, ProcessOverview, ProposalRecord, Question,
    QuestionFilter, Transition,
};
use styr_app::{App, AppError, PlanSelector, display_name};
use styr_domain::localtime::stockholm_minute;

fn of(body: &str) -> PlanSelector {
    PlanSelector {
        body: Some(body.to_owned()),
        ..PlanSelector::default()
    }
}

fn record_view(names: &BTreeMap<String, String>, record: &ProposalRecord) -> Value {
    json!({
        "seq": record.seq,
        "state": record.state.label_sv(),
        "by": display_name(names, &record.actor),
        "login": record.actor,
        "at": stockholm_minute(&record.at),
        "comment": record.comment,
        "decision": record.decision,
    })
}

fn calendar_view(overview: &ProcessOverview) -> Vec<Value> {
    overview
        .calendar
        .iter()
        .map(|e| {
            json!({
                "milestone": e.milestone.label_sv(),
                "body": e.body.clone().unwrap_or_else(|| "alla".to_owned()),
                "date": e.date,
                "synthetic": e.synthetic,
            })
        })
        .collect()
}

/// An error a form shows beside itself (with its status), rather than an error page: bad
/// input, a move the process does not have, someone else's move first.
fn shown_beside_form(error: AppError) -> Result<(String, StatusCode), WebError> {
    let status = crate::error::status_of(&error);
    match status {
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT => {
            let lines = crate::error::WebError::App(error).public_lines();
            Ok((lines.join(" "), status))
        }
        _ => Err(error.into()),
    }
}

async fn overview_page(
    state: &WebState,
    viewer: &Viewer,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let today = state.app.today();
    let overview = state
        .app
        .process_overview(&viewer.actor, None, None, &today)
        .await?;
    let names = state.app.user_names(&viewer.actor).await?;
    let rows: Vec<Value> = overview
        .bodies
        .iter()
        .map(|b| {
            json!({
                "body": b.status.body,
                "name": b.status.body_name,
                "version": b.status.version,
                "state": b.status.state.label_sv(),
                "seq": b.status.seq(),
                "last": b.status.last.as_ref().map(|r| record_view(&names, r)),
                "deadline": b.deadline,
                "late": b.late,
                "open_questions": b.open_questions,
                "questions": b.questions,
                "transitions": b.status.transitions.iter().map(|t| json!({
                    "code": t.code(), "label": t.label_sv(),
                    "needs_comment": t.needs_comment(), "needs_decision": t.needs_decision(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let calendar = calendar_view(&overview);
    let synthetic = overview.calendar.iter().any(|e| e.synthetic);
    let plan = state
        .app
        .load_plan(&viewer.actor, &viewer.selector())
        .await
        .ok();
    let context = json!({
        "year": overview.year,
        "today": overview.today,
        "rows": rows,
        "late": overview.late().count(),
        "calendar": calendar,
        "synthetic": synthetic,
        "may_set_calendar": viewer.actor.require_strategist("").is_ok(),
        "milestones": Milestone::ALL.iter().map(|m| json!({"code": m.code(), "label": m.label_sv()})).collect::<Vec<_>>(),
        "error": error,
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        plan.as_ref(),
        "process.html",
        "budgetprocess",
        &format!("Budgetprocessen {}", overview.year),
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn overview(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
) -> Result<Response, WebError> {
    overview_page(&state, &viewer, None, StatusCode::OK).await
}

/// What a form about a proposal typed, kept when it is refused (nothing is lost).
#[derive(Deserialize, Default, Clone)]
pub struct MoveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    transition: String,
    /// The seq of the state the page showed.
    #[serde(default)]
    seq: Option<i64>,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    decision: String,
}

async fn body_page(
    state: &WebState,
    viewer: &Viewer,
    body: &str,
    typed: Option<&MoveForm>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let selector = of(body);
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let current = state.app.proposal_state(&viewer.actor, &selector).await?;
    let history = state.app.proposal_history(&viewer.actor, &selector).await?;
    let names = state.app.user_names(&viewer.actor).await?;
    let decisions: Vec<Value> = plan
        .decisions
        .iter()
        .map(|d| json!({"id": d.id.as_str(), "label": format!("{} – {}", d.id, d.title)}))
        .collect();
    let context = json!({
        "body": current.body,
        "name": current.body_name,
        "version": current.version,
        "state": current.state.label_sv(),
        "seq": current.seq(),
        "history": history.iter().rev().map(|r| record_view(&names, r)).collect::<Vec<_>>(),
        "transitions": current.transitions.iter().map(|t| json!({
            "code": t.code(), "label": t.label_sv(),
            "needs_comment": t.needs_comment(), "needs_decision": t.needs_decision(),
        })).collect::<Vec<_>>(),
        "decisions": decisions,
        "comment": typed.map(|f| f.comment.clone()).unwrap_or_default(),
        "decision": typed.map(|f| f.decision.clone()).unwrap_or_default(),
        "error": error,
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        Some(&plan),
        "process_body.html",
        "budgetprocess",
        &format!("{}s förslag", current.body_name),
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn body(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(body): Path<String>,
) -> Result<Response, WebError> {
    body_page(&state, &viewer, &body, None, None, StatusCode::OK).await
}

/// A move of a body's proposal: redirects to the body's page, or shows the refusal there (a
/// 409 when someone else moved it first, with what was typed kept).
pub async fn move_proposal(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Path(body): Path<String>,
    Form(form): Form<MoveForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let Some(transition) = Transition::parse(&form.transition) else {
        return Err(AppError::invalid("transition", "okänd övergång").into());
    };
    let input = MoveInput {
        expected_seq: form.seq,
        comment: Some(form.comment.clone()).filter(|c| !c.trim().is_empty()),
        decision: Some(form.decision.clone()).filter(|d| !d.trim().is_empty()),
    };
    match state
        .app
        .move_proposal(&viewer.actor, &of(&body), transition, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/budgetprocess/{body}")).into_response()),
        Err(error) => {
            let (message, status) = shown_beside_form(error)?;
            body_page(&state, &viewer, &body, Some(&form), Some(message), status).await
        }
    }
}

#[derive(Deserialize)]
pub struct CalendarForm {
    #[serde(default)]
    csrf: String,
    milestone: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    body: String,
    year: i64,
}

/// The strategist sets a date of the calendar (an empty date removes it).
pub async fn set_calendar(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<CalendarForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let Some(milestone) = Milestone::parse(&form.milestone) else {
        return Err(AppError::invalid("milestone", "okänd tidpunkt i kalendern").into());
    };
    let date = Some(form.date.trim()).filter(|d| !d.is_empty());
    let body = Some(form.body.trim()).filter(|b| !b.is_empty());
    let change = CalendarChange {
        year: form.year,
        milestone,
        body,
        date,
        synthetic: false,
    };
    match state.app.set_calendar(&viewer.actor, None, &change).await {
        Ok(_) => Ok(Redirect::to("/budgetprocess").into_response()),
        Err(error) => {
            let (message, status) = shown_beside_form(error)?;
            overview_page(&state, &viewer, Some(message), status).await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct QuestionQuery {
    /// The body the list is narrowed to.
    #[serde(default)]
    avser: Option<String>,
    /// `oppen` or `besvarad`.
    #[serde(default)]
    lage: Option<String>,
}

fn question_view(
    names: &BTreeMap<String, String>,
    viewer: &Viewer,
    bodies: &BTreeMap<String, String>,
    q: &Question,
) -> Value {
    json!({
        "id": q.id,
        "body": q.body,
        "body_name": bodies.get(&q.body).cloned().unwrap_or_else(|| q.body.clone()),
        "line": q.line,
        "question": q.question,
        "asked_by": display_name(names, &q.asked_by),
        "asked_at": stockholm_minute(&q.asked_at),
        "answer": q.answer,
        "answered_by": q.answered_by.as_ref().map(|a| display_name(names, a)),
        "answered_at": q.answered_at.as_ref().map(|a| stockholm_minute(a)),
        "published": q.published,
        "open": q.is_open(),
        "may_answer": App::may_answer(&viewer.actor, &q.body),
    })
}

async fn questions_page(
    state: &WebState,
    viewer: &Viewer,
    query: &QuestionQuery,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let open = match query.lage.as_deref() {
        Some("oppen") => Some(true),
        Some("besvarad") => Some(false),
        _ => None,
    };
    let body = query.avser.clone().filter(|b| !b.is_empty());
    let filter = QuestionFilter {
        body: body.clone(),
        open,
        year: None,
    };
    let questions = state.app.questions(&viewer.actor, None, &filter).await?;
    let names = state.app.user_names(&viewer.actor).await?;
    // The bodies by name: every body's latest plan the viewer may read (the public: the
    // decided ones).
    let bodies: BTreeMap<String, String> = state
        .app
        .body_plans(&viewer.actor, None)
        .await?
        .iter()
        .map(|plan| {
            let id = plan.document.body.to_string();
            let name = plan
                .body(&plan.document.body)
                .map_or_else(|| id.clone(), |b| b.name.clone());
            (id, name)
        })
        .collect();
    let plan = state
        .app
        .load_plan(&viewer.actor, &viewer.selector())
        .await
        .ok();
    let context = json!({
        "questions": questions.iter().map(|q| question_view(&names, viewer, &bodies, q)).collect::<Vec<_>>(),
        "bodies": bodies.iter().map(|(id, name)| json!({"id": id, "name": name})).collect::<Vec<_>>(),
        "avser": body.unwrap_or_default(),
        "lage": query.lage.clone().unwrap_or_default(),
        "may_ask": viewer.actor.require_politician("").is_ok(),
        "public": viewer.session.is_none(),
        "error": error,
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        plan.as_ref(),
        "beredning.html",
        "beredning",
        "Budgetberedning: frågor och svar",
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

/// Beredning's questions: everyone logged in sees all; the public those whose answer is
/// published.
pub async fn questions(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<QuestionQuery>,
) -> Result<Response, WebError> {
    questions_page(&state, &viewer, &query, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct AskForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    line: String,
    #[serde(default)]
    question: String,
}

pub async fn ask(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<AskForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    match state
        .app
        .ask_question(&viewer.actor, &of(&form.body), &form.line, &form.question)
        .await
    {
        Ok(_) => Ok(Redirect::to("/beredning").into_response()),
        Err(error) => {
            let (message, status) = shown_beside_form(error)?;
            questions_page(
                &state,
                &viewer,
                &QuestionQuery::default(),
                Some(message),
                status,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
    id: i64,
    #[serde(default)]
    answer: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    published: Option<String>,
}

pub async fn answer(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<AnswerForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    match state
        .app
        .answer_question(
            &viewer.actor,
            None,
            form.id,
            &form.answer,
            form.published.is_some(),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/beredning#fraga-{}", form.id)).into_response()),
        Err(error) => {
            let (message, status) = shown_beside_form(error)?;
            questions_page(
                &state,
                &viewer,
                &QuestionQuery::default(),
                Some(message),
                status,
            )
            .await
        }
    }
}
