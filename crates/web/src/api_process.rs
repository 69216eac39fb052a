//! The budget process in the API (`/api/v1/process`, `/api/v1/proposals/{body}`,
//! `/api/v1/calendar`, `/api/v1/questions`): the same use cases as `/budgetprocess` and
//! `/beredning` (`styr_app::process`), with DTOs of their own.

use crate::WebState;
use crate::api::{ApiError, ErrorDto, api_actor};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use styr_app::PlanSelector;
use styr_app::process::{
    CalendarChange, CalendarEntry, Milestone, MoveInput, ProposalRecord, ProposalStatus, Question,
    QuestionFilter, Transition,
};
use utoipa::{IntoParams, ToSchema};

fn of(body: &str) -> PlanSelector {
    PlanSelector {
        body: Some(body.to_owned()),
        ..PlanSelector::default()
    }
}

fn invalid(field: &str, message: &str) -> ApiError {
    styr_app::AppError::invalid(field, message).into()
}

/// One recorded move of a proposal.
#[derive(Serialize, ToSchema)]
pub struct ProposalMoveDto {
    pub seq: i64,
    /// `utkast`, `inlamnad`, `aterremitterad`, `ks_forslag` or `beslutad`.
    pub state: String,
    pub actor: String,
    /// UTC.
    pub at: String,
    pub comment: Option<String>,
    pub decision: Option<String>,
}

impl From<&ProposalRecord> for ProposalMoveDto {
    fn from(r: &ProposalRecord) -> ProposalMoveDto {
        ProposalMoveDto {
            seq: r.seq,
            state: r.state.code().to_owned(),
            actor: r.actor.clone(),
            at: r.at.clone(),
            comment: r.comment.clone(),
            decision: r.decision.clone(),
        }
    }
}

/// A body's proposal: its state, the moves the caller may make and its history.
#[derive(Serialize, ToSchema)]
pub struct ProposalDto {
    pub body: String,
    pub body_name: String,
    pub version: String,
    pub year: i64,
    /// `utkast`, `inlamnad`, `aterremitterad`, `ks_forslag` or `beslutad`.
    pub state: String,
    /// The seq a move from this state gives as `seq` (0: nothing recorded yet).
    pub seq: i64,
    /// The moves the caller may make: `submit`, `return`, `propose`, `decide`.
    pub transitions: Vec<String>,
    /// Oldest first.
    pub history: Vec<ProposalMoveDto>,
}

fn proposal_dto(status: &ProposalStatus, history: &[ProposalRecord]) -> ProposalDto {
    ProposalDto {
        body: status.body.clone(),
        body_name: status.body_name.clone(),
        version: status.version.clone(),
        year: status.year,
        state: status.state.code().to_owned(),
        seq: status.seq(),
        transitions: status
            .transitions
            .iter()
            .map(|t| t.code().to_owned())
            .collect(),
        history: history.iter().map(ProposalMoveDto::from).collect(),
    }
}

/// A body's proposal with its history.
#[utoipa::path(get, path = "/api/v1/proposals/{body}",
    params(("body" = String, Path, description = "The body's id, e.g. sn")),
    responses((status = 200, body = ProposalDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 404, body = ErrorDto)))]
pub async fn proposal(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(body): Path<String>,
) -> Result<Json<ProposalDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let status = state.app.proposal_state(&actor, &of(&body)).await?;
    let history = state.app.proposal_history(&actor, &of(&body)).await?;
    Ok(Json(proposal_dto(&status, &history)))
}

/// A move of a proposal.
#[derive(Deserialize, ToSchema)]
pub struct TransitionBody {
    /// `submit` (utkast | återremitterad → inlämnad), `return` (inlämnad → återremitterad,
    /// with a comment), `propose` (inlämnad → KS-förslag), `decide` (KS-förslag → beslutad,
    /// with a decision).
    pub transition: String,
    /// The seq of the state the caller saw (a move of a state moved since is 409).
    pub seq: Option<i64>,
    pub comment: Option<String>,
    /// A decision id of the plan, e.g. kf_2020_11_09_185.
    pub decision: Option<String>,
}

/// Moves a body's proposal.
#[utoipa::path(post, path = "/api/v1/proposals/{body}/transitions",
    params(("body" = String, Path, description = "The body's id, e.g. sn")),
    request_body = TransitionBody,
    responses((status = 200, body = ProposalDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto, description = "The caller may not make the move"),
              (status = 409, body = ErrorDto, description = "The state moved since, or the move does not exist from it"),
              (status = 422, body = ErrorDto, description = "A comment or decision missing")))]
pub async fn move_proposal(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(body): Path<String>,
    Json(input): Json<TransitionBody>,
) -> Result<Json<ProposalDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let Some(transition) = Transition::parse(&input.transition) else {
        return Err(invalid(
            "transition",
            "okänd övergång (submit, return, propose, decide)",
        ));
    };
    let selector = of(&body);
    state
        .app
        .move_proposal(
            &actor,
            &selector,
            transition,
            &MoveInput {
                expected_seq: input.seq,
                comment: input.comment,
                decision: input.decision,
            },
        )
        .await?;
    let status = state.app.proposal_state(&actor, &selector).await?;
    let history = state.app.proposal_history(&actor, &selector).await?;
    Ok(Json(proposal_dto(&status, &history)))
}

/// A date of the budget calendar.
#[derive(Serialize, ToSchema)]
pub struct CalendarDto {
    pub year: i64,
    /// `planeringsdirektiv`, `inlamning`, `beredning`, `ks` or `kf`.
    pub milestone: String,
    /// `null`: every body's date.
    pub body: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// A made-up date (the demo's).
    pub synthetic: bool,
}

impl From<&CalendarEntry> for CalendarDto {
    fn from(e: &CalendarEntry) -> CalendarDto {
        CalendarDto {
            year: e.year,
            milestone: e.milestone.code().to_owned(),
            body: e.body.clone(),
            date: e.date.clone(),
            synthetic: e.synthetic,
        }
    }
}

/// One body's row of the process overview.
#[derive(Serialize, ToSchema)]
pub struct BodyProcessDto {
    pub proposal: ProposalDto,
    /// The inlämning date that applies to the body.
    pub deadline: Option<String>,
    /// The deadline has passed and the proposal is not submitted.
    pub late: bool,
    pub open_questions: usize,
    pub questions: usize,
}

/// The budget process of a year.
#[derive(Serialize, ToSchema)]
pub struct ProcessDto {
    pub municipality: String,
    pub year: i64,
    /// The day `late` is judged by.
    pub today: String,
    pub calendar: Vec<CalendarDto>,
    pub bodies: Vec<BodyProcessDto>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParam {
    /// The budget year (default: the latest year with a plan).
    pub year: Option<i64>,
}

/// Every body's proposal of a year with its state, deadline and questions, and the calendar.
#[utoipa::path(get, path = "/api/v1/process", params(YearParam),
    responses((status = 200, body = ProcessDto), (status = 401, body = ErrorDto)))]
pub async fn process(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<YearParam>,
) -> Result<Json<ProcessDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let today = state.app.today();
    let overview = state
        .app
        .process_overview(&actor, None, query.year, &today)
        .await?;
    Ok(Json(ProcessDto {
        municipality: overview.municipality.clone(),
        year: overview.year,
        today: overview.today.clone(),
        calendar: overview.calendar.iter().map(CalendarDto::from).collect(),
        bodies: overview
            .bodies
            .iter()
            .map(|b| BodyProcessDto {
                proposal: proposal_dto(&b.status, b.status.last.as_slice()),
                deadline: b.deadline.clone(),
                late: b.late,
                open_questions: b.open_questions,
                questions: b.questions,
            })
            .collect(),
    }))
}

/// The budget calendar of a year.
#[utoipa::path(get, path = "/api/v1/calendar", params(YearParam),
    responses((status = 200, body = Vec<CalendarDto>), (status = 401, body = ErrorDto)))]
pub async fn calendar(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<YearParam>,
) -> Result<Json<Vec<CalendarDto>>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let year = match query.year {
        Some(year) => year,
        None => {
            state
                .app
                .process_overview(&actor, None, None, &state.app.today())
                .await?
                .year
        }
    };
    let calendar = state.app.calendar(&actor, None, year).await?;
    Ok(Json(calendar.iter().map(CalendarDto::from).collect()))
}

/// A date to set in the calendar.
#[derive(Deserialize, ToSchema)]
pub struct CalendarBody {
    pub year: i64,
    /// `planeringsdirektiv`, `inlamning`, `beredning`, `ks` or `kf`.
    pub milestone: String,
    /// A body's own date; absent: every body's.
    pub body: Option<String>,
    /// `YYYY-MM-DD`; absent: the date is removed.
    pub date: Option<String>,
}

/// Sets or removes a date of the calendar (the budget strategist's); answers the year's
/// calendar.
#[utoipa::path(put, path = "/api/v1/calendar", request_body = CalendarBody,
    responses((status = 200, body = Vec<CalendarDto>), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 422, body = ErrorDto)))]
pub async fn set_calendar(
    State(state): State<WebState>,
    headers: HeaderMap,
    Json(input): Json<CalendarBody>,
) -> Result<Json<Vec<CalendarDto>>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let Some(milestone) = Milestone::parse(&input.milestone) else {
        return Err(invalid("milestone", "okänd tidpunkt i kalendern"));
    };
    let calendar = state
        .app
        .set_calendar(
            &actor,
            None,
            &CalendarChange {
                year: input.year,
                milestone,
                body: input.body.as_deref(),
                date: input.date.as_deref(),
                synthetic: false,
            },
        )
        .await?;
    Ok(Json(calendar.iter().map(CalendarDto::from).collect()))
}

/// A question of beredning and its answer.
#[derive(Serialize, ToSchema)]
pub struct QuestionDto {
    pub id: i64,
    pub year: i64,
    pub body: String,
    /// The budget line asked about: free text or an item id of the plan.
    pub line: String,
    pub question: String,
    pub asked_by: String,
    pub asked_at: String,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub published: bool,
    /// `open` or `answered`.
    pub state: String,
}

impl From<&Question> for QuestionDto {
    fn from(q: &Question) -> QuestionDto {
        QuestionDto {
            id: q.id,
            year: q.year,
            body: q.body.clone(),
            line: q.line.clone(),
            question: q.question.clone(),
            asked_by: q.asked_by.clone(),
            asked_at: q.asked_at.clone(),
            answer: q.answer.clone(),
            answered_by: q.answered_by.clone(),
            answered_at: q.answered_at.clone(),
            published: q.published,
            state: if q.is_open() { "open" } else { "answered" }.to_owned(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionParams {
    /// Only the questions about this body.
    pub body: Option<String>,
    /// `open` or `answered`.
    pub state: Option<String>,
}

/// Beredning's questions, newest first.
#[utoipa::path(get, path = "/api/v1/questions", params(QuestionParams),
    responses((status = 200, body = Vec<QuestionDto>), (status = 401, body = ErrorDto),
              (status = 422, body = ErrorDto)))]
pub async fn questions(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(query): Query<QuestionParams>,
) -> Result<Json<Vec<QuestionDto>>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let open = match query.state.as_deref() {
        None => None,
        Some("open") => Some(true),
        Some("answered") => Some(false),
        Some(_) => return Err(invalid("state", "open eller answered")),
    };
    let filter = QuestionFilter {
        body: query.body,
        open,
        year: None,
    };
    let questions = state.app.questions(&actor, None, &filter).await?;
    Ok(Json(questions.iter().map(QuestionDto::from).collect()))
}

/// A new question.
#[derive(Deserialize, ToSchema)]
pub struct QuestionBody {
    pub body: String,
    pub line: String,
    pub question: String,
}

/// Asks a question (politicians).
#[utoipa::path(post, path = "/api/v1/questions", request_body = QuestionBody,
    responses((status = 201, body = QuestionDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 422, body = ErrorDto)))]
pub async fn ask(
    State(state): State<WebState>,
    headers: HeaderMap,
    Json(input): Json<QuestionBody>,
) -> Result<(StatusCode, Json<QuestionDto>), ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let question = state
        .app
        .ask_question(&actor, &of(&input.body), &input.line, &input.question)
        .await?;
    Ok((StatusCode::CREATED, Json(QuestionDto::from(&question))))
}

/// An answer.
#[derive(Deserialize, ToSchema)]
pub struct AnswerBody {
    pub answer: String,
    #[serde(default)]
    pub published: bool,
}

/// Answers a question (the strategist, or a writer of its body), published or not.
#[utoipa::path(put, path = "/api/v1/questions/{id}/answer",
    params(("id" = i64, Path, description = "The question's number")),
    request_body = AnswerBody,
    responses((status = 200, body = QuestionDto), (status = 401, body = ErrorDto),
              (status = 403, body = ErrorDto), (status = 404, body = ErrorDto),
              (status = 422, body = ErrorDto)))]
pub async fn answer(
    State(state): State<WebState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(input): Json<AnswerBody>,
) -> Result<Json<QuestionDto>, ApiError> {
    let actor = api_actor(&state, &headers).await?;
    let question = state
        .app
        .answer_question(&actor, None, id, &input.answer, input.published)
        .await?;
    Ok(Json(QuestionDto::from(&question)))
}
