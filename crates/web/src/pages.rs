//! The pages: Översikt, Mål och indikatorer, Uppdrag (with each assignment's history and the
//! status form), Rapportering, Budget, Dokument and Händelselogg. Each handler finds who is
//! asking, calls one use case, and fills a template; forms post back with the session's CSRF
//! token and the version of what they edit.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;
use styr_app::{AppError, DocumentFormat, FollowUpView, PeriodOverview};
use styr_app::{AuditFilter, EntryFilter, StoreError};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{
    EntryKind, FollowUpPeriod, FollowUpReport, ReportEntry, ReportedEntry, TargetStatus,
    reportable_statuses,
};
use styr_domain::ledger::Month;
use styr_domain::localtime::stockholm_minute;
use styr_domain::number::{Decimals, MoneyUnit, format_money, format_swedish};
use styr_domain::{Id, Money, Plan};
use styr_reports::deviations::{BlockDeviation, Tone, block_deviations};
use styr_reports::{Attention, ReportKind, RowKind, assignment_label};

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    period: Option<String>,
    unit: Option<String>,
}

/// An amount in whole tkr (halves away from zero), or "–" when missing.
pub(crate) fn tkr(money: Option<Money>) -> String {
    money.map_or_else(
        || "–".to_owned(),
        |m| format_money(m, MoneyUnit::Tkr, Decimals::Fixed(0), ' '),
    )
}

/// Kronor and öre, as the ledger has them ("24 629 874,84"): the accounts behind a line's
/// outcome add up to its exact outcome, which the tables print rounded to whole tkr.
pub(crate) fn kronor(money: Money) -> String {
    format_money(money, MoneyUnit::Kr, Decimals::Fixed(2), ' ')
}

/// A deviation with its sign always shown: "+46 271", "−1 509", "0".
fn signed_tkr(amount: Money) -> String {
    let text = tkr(Some(amount));
    if amount > Money::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

/// A block's deviation as the overview marks it: sign, words and a colour class.
fn deviation_view(block: &BlockDeviation) -> Value {
    let class = match block.tone() {
        Tone::Good => "dev dev-pos",
        Tone::Bad => "dev dev-neg",
        Tone::Watch => "dev dev-warn",
        Tone::None => "dev",
    };
    json!({
        "label": block.label,
        "amount": signed_tkr(block.deviation),
        "words": block.words_sv(),
        "class": class,
        "forecast": tkr(Some(block.forecast)),
        "budget": tkr(Some(block.budget)),
        "notable": block.notable,
    })
}

pub(crate) fn period_view(period: &FollowUpPeriod) -> Value {
    json!({
        "month": period.month,
        "title": period.title,
        "kind": period.kind.label_sv(),
        "end": period.end_date(),
        "deadline": period.deadline.clone().unwrap_or_else(|| "–".to_owned()),
        "state": period.state.label_sv(),
        "synthetic": period
            .synthetic
            .then_some(styr_domain::followup::SYNTHETIC_FOLLOWUP_NOTE),
    })
}

fn body_names(plan: &Plan, ids: &[Id]) -> String {
    ids.iter()
        .map(|id| {
            plan.body(id)
                .map_or_else(|| id.to_string(), |b| b.name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Renders a page with the frame every page has.
pub(crate) fn page(
    state: &WebState,
    viewer: &Viewer,
    plan: Option<&Plan>,
    template: &str,
    page: &str,
    title: &str,
    context: Value,
) -> Result<Response, WebError> {
    let municipality_name = plan.map_or("", |p| p.municipality.name.as_str());
    let html = page_html(
        state,
        viewer,
        municipality_name,
        template,
        page,
        title,
        context,
    )?;
    Ok(Html(html).into_response())
}

/// A template drawn in the site's frame for a viewer (title, menu, user, CSRF token, the body
/// switcher), as HTML text: for [`page`] and for answers that are cached as bytes.
pub(crate) fn page_html(
    state: &WebState,
    viewer: &Viewer,
    municipality_name: &str,
    template: &str,
    page: &str,
    title: &str,
    mut context: Value,
) -> Result<String, WebError> {
    if let Value::Object(map) = &mut context {
        map.insert("title".into(), json!(title));
        map.insert("page".into(), json!(page));
        map.insert("municipality_name".into(), json!(municipality_name));
        map.insert("user".into(), json!(viewer.user()));
        map.insert("csrf".into(), json!(viewer.csrf()));
        if let Value::Object(bodies) = viewer.bodies_view() {
            map.extend(bodies);
        }
    }
    Ok(state.templates.render(template, &context)?)
}

/// A period asked for in a query, parsed.
pub(crate) fn asked_month(asked: Option<&str>) -> Result<Option<Month>, WebError> {
    asked
        .map(str::parse::<Month>)
        .transpose()
        .map_err(WebError::from)
}

/// The period a page shows, of the calendar.
fn choose_period(
    state: &WebState,
    periods: &[PeriodOverview],
    asked: Option<&str>,
) -> Result<FollowUpPeriod, WebError> {
    let calendar: Vec<FollowUpPeriod> = periods.iter().map(|p| p.period.clone()).collect();
    Ok(styr_app::choose_period(
        &calendar,
        asked_month(asked)?,
        &state.app.today(),
    )?)
}

/// The plan, the calendar, the chosen period and its report (computed once per change of the
/// data: `App::follow_up_view`).
async fn period_context(
    state: &WebState,
    viewer: &Viewer,
    asked: Option<&str>,
) -> Result<Arc<FollowUpView>, WebError> {
    Ok(state
        .app
        .follow_up_view(&viewer.actor, &viewer.selector(), asked_month(asked)?)
        .await?)
}

/// A follow-up page of a body whose plan has no follow-up calendar (KF's plan: its frames and
/// goals are followed up in the bodies' plans): the page says so and shows the way to the
/// municipality's overview, instead of failing. Any other error stands.
pub(crate) async fn without_calendar(
    state: &WebState,
    viewer: &Viewer,
    error: WebError,
    page_id: &str,
    title: &str,
) -> Result<Response, WebError> {
    let Ok(plan) = state.app.load_plan(&viewer.actor, &viewer.selector()).await else {
        return Err(error);
    };
    if !plan.periods.is_empty() {
        return Err(error);
    }
    let body_name = plan
        .body(&plan.document.body)
        .map_or_else(|| plan.document.body.to_string(), |b| b.name.clone());
    let context = json!({"plan_title": plan.document.title, "body_name": body_name});
    page(
        state,
        viewer,
        Some(&plan),
        "no_followup.html",
        page_id,
        title,
        context,
    )
}

fn periods_view(periods: &[PeriodOverview]) -> Value {
    json!(
        periods
            .iter()
            .map(|p| period_view(&p.period))
            .collect::<Vec<_>>()
    )
}

fn attention_text(plan: &Plan, item: &Attention) -> String {
    match item {
        Attention::Assignment {
            label,
            status,
            comment,
            ..
        } => format!(
            "{}: {label}{}",
            status.label_sv(),
            comment
                .as_deref()
                .map(|c| format!(" – {c}"))
                .unwrap_or_default()
        ),
        Attention::Deficit(note) => format!(
            "Underskott {}: prognos {} tkr mot budget {} tkr. Åtgärdsplan: {}",
            note.label,
            tkr(Some(note.forecast)),
            tkr(note.budget),
            note.action_plan.as_deref().unwrap_or("saknas")
        ),
        Attention::Deviation(block) => format!(
            "{}: {} tkr, {} (prognos {} tkr mot budget {} tkr)",
            block.label,
            signed_tkr(block.deviation),
            block.words_sv(),
            tkr(Some(block.forecast)),
            tkr(Some(block.budget))
        ),
        Attention::Implausible(note) => format!(
            "Kontrollera prognosen för {}: {}",
            note.label,
            note.warnings
                .iter()
                .map(styr_domain::plausibility::ForecastWarning::message_sv)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        Attention::Missing(missing) => format!(
            "Ej rapporterat av {}: {} {}",
            body_names(plan, std::slice::from_ref(&missing.body)),
            missing.what.label_sv(),
            missing.label
        ),
    }
}

pub async fn overview(
    State(state): State<WebState>,
    headers: axum::http::HeaderMap,
    uri: axum::http::Uri,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    // An anonymous visitor's start page is the public site's (`public.rs`): served from its
    // cache before anything else of the request is looked up.
    let anonymous = !crate::auth::has_session_cookie(&headers);
    if anonymous
        && query.period.is_none()
        && let Some(page) = crate::public::start(&state, &headers).await?
    {
        return Ok(page);
    }
    let viewer = crate::auth::viewer_of(&state, &headers, uri.path(), uri.query()).await?;
    // A cookie of a session that has ended: the public too.
    if !anonymous
        && viewer.session.is_none()
        && query.period.is_none()
        && let Some(page) = crate::public::start(&state, &headers).await?
    {
        return Ok(page);
    }
    let view = match period_context(&state, &viewer, query.period.as_deref()).await {
        Ok(view) => view,
        // A visitor at the start page with nothing public to follow up yet: the way in.
        Err(error) if viewer.session.is_none() && query.period.is_none() => {
            return start_page(&state, &viewer, error).await;
        }
        Err(error) => {
            return without_calendar(&state, &viewer, error, "oversikt", "Översikt").await;
        }
    };
    let (plan, periods, report) = (&view.plan, &view.periods, &view.report);
    // The figures as the page prints them (whole tkr that add up).
    let shown = report.economy.in_whole(MoneyUnit::Tkr);
    let deviations = block_deviations(&shown);
    let economy: Vec<Value> = shown
        .rows
        .iter()
        .filter(|row| {
            matches!(
                row.kind,
                RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal
            )
        })
        .map(|row| {
            json!({
                "label": row.label,
                "budget": tkr(row.cell.budget().map(|b| b.annual)),
                "budget_to_date": tkr(row.cell.budget().map(|b| b.to_date)),
                "actual": tkr(row.cell.actual().map(|a| a.to_date)),
                "forecast": tkr(row.forecast.map(|(_, f)| f)),
                "forecast_computed": row.forecast_computed,
                "deviation": tkr(row.forecast_deviation),
                "marked": deviations.iter().find(|b| b.label == row.label).map(deviation_view),
            })
        })
        .collect();
    let deviation_list: Vec<Value> = deviations.iter().map(deviation_view).collect();
    let statuses: Vec<Value> = report
        .status_counts()
        .iter()
        .map(|(status, count)| json!({"label": status.label_sv(), "count": count}))
        .collect();
    let count = |wanted: Option<TargetStatus>| {
        report
            .indicators
            .iter()
            .filter(|i| i.trend.map(|t| t.status) == wanted)
            .count()
    };
    let indicators = json!({
        "on_track": count(Some(TargetStatus::OnTrack)),
        "off_track": count(Some(TargetStatus::OffTrack)),
        "unjudged": report.indicators.len() - count(Some(TargetStatus::OnTrack)) - count(Some(TargetStatus::OffTrack)),
    });
    let attention: Vec<String> = report
        .attention
        .iter()
        .filter(|a| !matches!(a, Attention::Missing(_)))
        .map(|a| attention_text(plan, a))
        .collect();
    let missing: Vec<String> = report
        .missing
        .iter()
        .map(|m| attention_text(plan, &Attention::Missing(m.clone())))
        .collect();
    let year = report.economy.year;
    let frame = plan.budget.frame(year).map(|frame| {
        let decision = frame
            .decision
            .as_ref()
            .and_then(|id| plan.decision(id))
            .and_then(|d| {
                plan.body(&d.body)
                    .map(|body| format!(" ({})", d.reference(body.label())))
            })
            .unwrap_or_default();
        format!("Ram {year}: {} tkr{decision}", tkr(Some(frame.amount)))
    });
    let context = json!({
        "periods": periods_view(periods),
        "period": period_view(&report.period),
        "frame": frame,
        "economy": economy,
        "deviations": deviation_list,
        "statuses": statuses,
        "indicators": indicators,
        "attention": attention,
        "missing": missing,
        "preliminary": report.completeness.reason_sv(),
        "missing_by": crate::grid::missing_overview(&state, &viewer, &view).await?,
    });
    page(
        &state,
        &viewer,
        Some(plan),
        "overview.html",
        "oversikt",
        "Översikt",
        context,
    )
}

/// The start page of a visitor when no period's follow-up is public: what styr is, the decided
/// plan when there is one, and the way to log in. Errors other than "nothing public" stand.
async fn start_page(
    state: &WebState,
    viewer: &Viewer,
    error: WebError,
) -> Result<Response, WebError> {
    if error.status() != StatusCode::NOT_FOUND {
        return Err(error);
    }
    let plan = state
        .app
        .load_plan(&viewer.actor, &viewer.selector())
        .await
        .ok();
    let context = json!({
        "plan_title": plan.as_ref().map(|p| p.document.title.clone()),
        "published": plan.is_some(),
    });
    page(
        state,
        viewer,
        plan.as_ref(),
        "start.html",
        "oversikt",
        "Välkommen till styr",
        context,
    )
}

pub async fn assignments(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let view = match period_context(&state, &viewer, query.period.as_deref()).await {
        Ok(view) => view,
        Err(error) => return without_calendar(&state, &viewer, error, "uppdrag", "Uppdrag").await,
    };
    let (plan, periods, report) = (&view.plan, &view.periods, &view.report);
    let rows: Vec<Value> = report
        .assignments
        .iter()
        .filter(|a| {
            query
                .unit
                .as_deref()
                .is_none_or(|unit| a.responsible.iter().any(|r| r.as_str() == unit))
        })
        .map(|a| {
            json!({
                "id": a.assignment.as_str(),
                "label": assignment_label(a.code.as_deref(), &a.title),
                "responsible": body_names(plan, &a.responsible),
                "status": a.status.map_or("Ej rapporterat", |s| s.label_sv()),
                "previous": a.previous.map_or("–", |s| s.label_sv()),
                "comment": a.comment.clone().unwrap_or_default(),
            })
        })
        .collect();
    let context = json!({
        "periods": periods_view(periods),
        "period": period_view(&report.period),
        "assignments": rows,
    });
    page(
        &state,
        &viewer,
        Some(plan),
        "assignments.html",
        "uppdrag",
        "Uppdrag",
        context,
    )
}

/// What the status form shows: the assignment, the period, the version it is based on and what
/// was typed.
struct StatusForm {
    assignment: String,
    period: FollowUpPeriod,
    version: u64,
    status: String,
    comment: String,
    errors: Vec<(String, String)>,
}

impl StatusForm {
    fn view(&self) -> Value {
        let statuses: Vec<Value> = reportable_statuses()
            .iter()
            .map(|s| json!({"code": s.code(), "label": s.label_sv()}))
            .collect();
        json!({
            "assignment": self.assignment,
            "period": self.period.month,
            "period_title": self.period.title,
            "version": self.version,
            "status": self.status,
            "comment": self.comment,
            "statuses": statuses,
            "errors": self.errors.iter().map(|(field, message)| json!({"field": field, "message": message})).collect::<Vec<_>>(),
        })
    }
}

/// What an assignment page shows besides the assignment: a form already filled in (after a
/// failed submit), the status to answer with, and for a conflict the other person's report.
struct AssignmentView<'a> {
    id: &'a str,
    period: Option<&'a str>,
    form: Option<StatusForm>,
    status: StatusCode,
    template: &'static str,
    theirs: Option<String>,
}

impl<'a> AssignmentView<'a> {
    fn plain(id: &'a str, period: Option<&'a str>) -> AssignmentView<'a> {
        AssignmentView {
            id,
            period,
            form: None,
            status: StatusCode::OK,
            template: "assignment.html",
            theirs: None,
        }
    }
}

/// The assignment page: its history, and the status form when the viewer may report it in an
/// open period.
async fn assignment_page(
    state: &WebState,
    viewer: &Viewer,
    view: AssignmentView<'_>,
) -> Result<Response, WebError> {
    let AssignmentView {
        id,
        period: asked_period,
        form,
        status,
        template,
        theirs,
    } = view;
    let selector = viewer.selector();
    let filter = EntryFilter {
        kind: Some(EntryKind::Status),
        subject: Some(id.to_owned()),
        history: true,
        ..EntryFilter::default()
    };
    let (plan, history) = state.app.reports(&viewer.actor, &selector, &filter).await?;
    let assignment = plan
        .assignments
        .iter()
        .find(|a| a.id.as_str() == id)
        .ok_or_else(|| WebError::NotFound(format!("uppdraget {id} finns inte")))?;
    let periods = state.app.periods(&viewer.actor, &selector, None).await?;
    let period = choose_period(state, &periods, asked_period)?;
    let current = history
        .iter()
        .rev()
        .find(|e| e.report.period == period.month);
    let entry = ReportEntry::Status {
        assignment: assignment.id.clone(),
        status: AssignmentStatus::Started,
        comment: None,
    };
    let may_edit = viewer.session.is_some()
        && period.state == styr_domain::followup::PeriodState::Open
        && styr_app::may_report(&viewer.actor, &plan, &entry);
    let form = match form {
        Some(form) => Some(form),
        None if may_edit => {
            let (status, comment) = match current.map(|e| &e.report.entry) {
                Some(ReportEntry::Status {
                    status, comment, ..
                }) => (
                    status.code().to_owned(),
                    comment.clone().unwrap_or_default(),
                ),
                _ => (AssignmentStatus::Started.code().to_owned(), String::new()),
            };
            Some(StatusForm {
                assignment: assignment.id.to_string(),
                period: period.clone(),
                version: current.map_or(0, |e| e.version),
                status,
                comment,
                errors: Vec::new(),
            })
        }
        None => None,
    };
    let names = state.app.user_names(&viewer.actor).await?;
    let history: Vec<Value> = history
        .iter()
        .map(|e| {
            let (status, comment) = match &e.report.entry {
                ReportEntry::Status {
                    status, comment, ..
                } => (status.label_sv(), comment.clone().unwrap_or_default()),
                _ => ("", String::new()),
            };
            json!({
                "period": e.report.period.to_string(),
                "status": status,
                "comment": comment,
                "by": styr_app::display_name(&names, &e.reported_by),
                "at": stockholm_minute(&e.reported_at),
                "synthetic": plan
                    .periods
                    .iter()
                    .any(|p| p.synthetic && p.month == e.report.period),
            })
        })
        .collect();
    let context = json!({
        "assignment": {
            "description": assignment.description.clone().unwrap_or_default(),
            "responsible": body_names(&plan, &assignment.responsible),
        },
        "history": history,
        "form": form.as_ref().map(StatusForm::view),
        "theirs": theirs,
    });
    let title = assignment_label(assignment.code.as_deref(), &assignment.title);
    let mut response = page(
        state,
        viewer,
        Some(&plan),
        template,
        "uppdrag",
        &title,
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn assignment(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    assignment_page(
        &state,
        &viewer,
        AssignmentView::plain(&id, query.period.as_deref()),
    )
    .await
}

#[derive(Deserialize)]
pub struct StatusSubmit {
    #[serde(default)]
    csrf: String,
    assignment: String,
    period: String,
    version: u64,
    status: String,
    comment: String,
}

pub async fn report_status(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<StatusSubmit>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let month: Month = form.period.parse()?;
    let assignment = Id::parse(&form.assignment).map_err(|e| WebError::NotFound(e.to_string()))?;
    let status = AssignmentStatus::parse(&form.status)
        .ok_or_else(|| WebError::NotFound(format!("{:?} är ingen status", form.status)))?;
    let comment = Some(form.comment.trim().to_owned()).filter(|c| !c.is_empty());
    let report = FollowUpReport {
        period: month,
        entry: ReportEntry::Status {
            assignment: assignment.clone(),
            status,
            comment,
        },
    };
    let result = state
        .app
        .report_based_on(
            &viewer.actor,
            &viewer.selector(),
            report,
            Some(form.version),
        )
        .await;
    let periods = state
        .app
        .periods(&viewer.actor, &viewer.selector(), None)
        .await?;
    let period = choose_period(&state, &periods, Some(&form.period))?;
    let typed = |version: u64, errors: Vec<(String, String)>| StatusForm {
        assignment: form.assignment.clone(),
        period: period.clone(),
        version,
        status: form.status.clone(),
        comment: form.comment.clone(),
        errors,
    };
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/uppdrag/{}?period={}", assignment, form.period))
                .into_response(),
        ),
        // A rule not met: the form again with what was typed and each problem by its field.
        Err(AppError::Invalid(problems)) => {
            let errors = problems.into_iter().map(|p| (p.field, p.message)).collect();
            let view = AssignmentView {
                form: Some(typed(form.version, errors)),
                status: StatusCode::UNPROCESSABLE_ENTITY,
                ..AssignmentView::plain(assignment.as_str(), Some(&form.period))
            };
            assignment_page(&state, &viewer, view).await
        }
        // Someone else was first: their report, and the form with what was typed, now based on
        // their version.
        Err(AppError::Store(StoreError::StaleVersion { current, .. })) => {
            let current = *current;
            let theirs = their_report(current.as_ref());
            let view = AssignmentView {
                form: Some(typed(current.map_or(0, |c| c.version), Vec::new())),
                status: StatusCode::CONFLICT,
                template: "conflict.html",
                theirs: Some(theirs),
                ..AssignmentView::plain(assignment.as_str(), Some(&form.period))
            };
            assignment_page(&state, &viewer, view).await
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn budget(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let view = match period_context(&state, &viewer, query.period.as_deref()).await {
        Ok(view) => view,
        Err(error) => return without_calendar(&state, &viewer, error, "budget", "Budget").await,
    };
    // The table and the plan's tables are the same for every reader of the view: rendered
    // once per change of the data.
    let content = view.derived("budget.table", |view| {
        state
            .templates
            .render("budget_table.html", &budget_table(view))
            .ok()
    });
    let content = match content.as_ref() {
        Some(content) => content.clone(),
        // A template error is not kept: rendered again, it says what it is.
        None => state
            .templates
            .render("budget_table.html", &budget_table(&view))?,
    };
    let (plan, periods, report) = (&view.plan, &view.periods, &view.report);
    let context = json!({
        "periods": periods_view(periods),
        "period": period_view(&report.period),
        "content": content,
        "preliminary": report.completeness.reason_sv(),
    });
    page(
        &state,
        &viewer,
        Some(plan),
        "budget.html",
        "budget",
        "Budget",
        context,
    )
}

/// Where a row's outcome to date comes from: its `/spar/…` page (a line's or a unit's ledger,
/// a total's lines).
fn actual_trace(
    plan: &Plan,
    period: Month,
    row: &styr_reports::budget_vs_actual::ReportRow,
) -> Option<String> {
    use styr_docgen::trace::{OutcomeSum, outcome_line, outcome_sum};
    let version = &plan.budget.version.id;
    let path = match (row.kind, &row.line, &row.table) {
        (RowKind::Line | RowKind::Project, Some(line), _) => {
            outcome_line(version, period, line, None)
        }
        (RowKind::Unit, Some(line), _) => {
            outcome_line(version, period, line, Some(row.unit.as_ref()?))
        }
        (RowKind::TableTotal, _, Some(table)) => {
            outcome_sum(version, period, &OutcomeSum::Table(table.clone()))
        }
        (RowKind::OperatingTotal, _, _) => outcome_sum(version, period, &OutcomeSum::Operating),
        (RowKind::InvestmentTotal, _, _) => outcome_sum(version, period, &OutcomeSum::Investment),
        _ => return None,
    };
    Some(format!("/spar/{path}"))
}

/// What `budget_table.html` shows of a view: the report's rows and the plan's budget tables.
fn budget_table(view: &styr_app::FollowUpView) -> Value {
    let (plan, report) = (&view.plan, &view.report);
    // The figures as the table prints them (whole tkr that add up).
    let rows: Vec<Value> = report
        .economy
        .in_whole(MoneyUnit::Tkr)
        .rows
        .iter()
        .map(|row| {
            let class = match row.kind {
                RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal => "total",
                RowKind::Unit => "unit",
                RowKind::Line | RowKind::Project => "line",
            };
            let label = match row.kind {
                RowKind::Unit => format!("varav {}", row.label),
                _ => row.label.clone(),
            };
            let href = match row.kind {
                RowKind::Line | RowKind::Project => row
                    .line
                    .as_ref()
                    .map(|line| format!("/budget/rad?line={line}&period={}", report.period.month)),
                _ => None,
            };
            json!({
                "class": class,
                "href": href,
                "actual_href": actual_trace(plan, report.period.month, row),
                "label": label,
                "budget": tkr(row.cell.budget().map(|b| b.annual)),
                "budget_to_date": tkr(row.cell.budget().map(|b| b.to_date)),
                "actual": tkr(row.cell.actual().map(|a| a.to_date)),
                "deviation": tkr(row.cell.comparison().map(|c| c.deviation)),
                "forecast": tkr(row.forecast.map(|(_, f)| f)),
                "forecast_computed": row.forecast_computed,
                "forecast_deviation": tkr(row.forecast_deviation),
            })
        })
        .collect();
    // The plan's own tables, drawn by the document's renderer (stated totals marked where
    // they differ from the computed sums).
    let tables: Vec<Value> = styr_docgen::budget_blocks_traced(plan)
        .into_iter()
        .enumerate()
        .map(|(index, (title, mut blocks))| {
            // Each figure links to its trace (`/spar/…`).
            styr_docgen::trace::link_blocks(&mut blocks, Some(""));
            json!({
                "id": format!("budgettabell-{index}"),
                "title": title,
                "html": styr_docgen::html::render_fragment(&blocks),
            })
        })
        .collect();
    json!({
        "period": period_view(&report.period),
        "rows": rows,
        "tables": tables,
    })
}

pub async fn goals(
    State(state): State<WebState>,
    viewer: Viewer,
    Query(query): Query<PeriodQuery>,
) -> Result<Response, WebError> {
    let view = match period_context(&state, &viewer, query.period.as_deref()).await {
        Ok(view) => view,
        Err(error) => {
            return without_calendar(&state, &viewer, error, "mal", "Mål och indikatorer").await;
        }
    };
    let (plan, periods, report) = (&view.plan, &view.periods, &view.report);
    let decimal = |value: Option<rust_decimal::Decimal>| {
        value.map_or_else(
            || "–".to_owned(),
            |v| format_swedish(v, v.normalize().scale(), ' '),
        )
    };
    let goals: Vec<Value> = report
        .goals
        .iter()
        .map(|goal| {
            let indicators: Vec<Value> = report
                .indicators
                .iter()
                .filter(|i| i.goal == goal.goal)
                .map(|i| {
                    // The same chart as the period's report document (one SVG code path).
                    let chart = styr_docgen::period_report::indicator_series(plan, report, i).map(
                        |series| {
                            json!({
                                "svg": styr_docgen::chart::follow_up_chart(&series),
                                "description": styr_docgen::chart::describe_follow_up(&series),
                            })
                        },
                    );
                    json!({
                        "name": i.name,
                        "chart": chart,
                        "outcome": decimal(i.outcome),
                        "target": decimal(i.trend.and_then(|t| t.target)),
                        "status": i.trend.map_or("inget utfall", |t| t.status.label_sv()),
                    })
                })
                .collect();
            json!({
                "id": goal.goal.as_str(),
                "title": goal.title,
                "assessment": goal.assessment.map_or("ej bedömt", |a| a.label_sv()),
                "motivation": goal.motivation,
                "suggestion": goal.suggestion.label_sv(),
                "indicators": indicators,
            })
        })
        .collect();
    let context = json!({
        "periods": periods_view(periods),
        "period": period_view(&report.period),
        "goals": goals,
    });
    page(
        &state,
        &viewer,
        Some(plan),
        "goals.html",
        "mal",
        "Mål och indikatorer",
        context,
    )
}

pub async fn documents(
    State(state): State<WebState>,
    viewer: Viewer,
) -> Result<Response, WebError> {
    let selector = viewer.selector();
    let plan = state.app.load_plan(&viewer.actor, &selector).await?;
    let periods = state.app.periods(&viewer.actor, &selector, None).await?;
    let reports: Vec<Value> = periods
        .iter()
        .filter(|p| ReportKind::for_period(p.period.kind).is_some() && p.reported > 0)
        .map(|p| period_view(&p.period))
        .collect();
    let statutory = state.app.statutory_reports(&viewer.actor, None).await?;
    let context = json!({
        "plan_title": plan.document.title,
        "reports": reports,
        "statutory": crate::statutory::listing_view(&statutory),
    });
    page(
        &state,
        &viewer,
        Some(&plan),
        "documents.html",
        "dokument",
        "Dokument",
        context,
    )
}

fn document_response(bytes: Vec<u8>, format: DocumentFormat) -> Response {
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

fn format_of(text: &str) -> Result<DocumentFormat, WebError> {
    match text {
        "html" => Ok(DocumentFormat::Html),
        "pdf" => Ok(DocumentFormat::Pdf),
        other => Err(WebError::NotFound(format!("formatet {other} finns inte"))),
    }
}

pub async fn plan_document(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(format): Path<String>,
) -> Result<Response, WebError> {
    let format = format_of(&format)?;
    let bytes = state
        .app
        .render_document_traced(
            &viewer.actor,
            &viewer.selector(),
            format,
            state.trace_base(format),
        )
        .await?;
    Ok(document_response(bytes, format))
}

pub async fn period_document(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let (month, format) = file
        .rsplit_once('.')
        .ok_or_else(|| WebError::NotFound(file.clone()))?;
    let format = format_of(format)?;
    let month: Month = month.parse()?;
    let selector = viewer.selector();
    let periods = state.app.periods(&viewer.actor, &selector, None).await?;
    let period = choose_period(&state, &periods, Some(&month.to_string()))?;
    let kind = ReportKind::for_period(period.kind)
        .ok_or_else(|| WebError::NotFound(format!("{} har ingen rapport", period.title)))?;
    let bytes = state
        .app
        .render_period_report_traced(
            &viewer.actor,
            &selector,
            kind,
            month,
            format,
            state.trace_base(format),
        )
        .await?
        .bytes;
    Ok(document_response(bytes, format))
}

/// The report someone else made first, as a conflict names it: the report, who made it and
/// when (Swedish local time); one text for the assignment page, the form and the grid.
pub(crate) fn their_report(current: Option<&ReportedEntry>) -> String {
    current.map_or_else(
        || "Den andra rapporten finns inte längre.".to_owned(),
        |c| {
            format!(
                "{} ({}, {})",
                c.report.entry,
                c.reported_by,
                stockholm_minute(&c.reported_at)
            )
        },
    )
}

#[derive(Deserialize, Default)]
pub struct AuditQuery {
    who: Option<String>,
    what: Option<String>,
    since: Option<String>,
}

pub async fn audit(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Query(query): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let blank = |text: &Option<String>| text.clone().filter(|t| !t.trim().is_empty());
    let filter = AuditFilter {
        actor: blank(&query.who),
        action_contains: blank(&query.what),
        since: blank(&query.since),
        ..AuditFilter::default()
    };
    let entries = state
        .app
        .audit_log_described(&viewer.actor, &filter)
        .await?;
    let plan = state
        .app
        .load_plan(&viewer.actor, &viewer.selector())
        .await
        .ok();
    let rows: Vec<Value> = entries
        .iter()
        .map(|described| {
            let e = &described.entry;
            json!({
                "at": stockholm_minute(&e.at), "actor": e.actor, "actor_name": described.actor_name, "description": described.description,
                "before": described.before.clone().unwrap_or_default(),
                "after": described.after.clone().unwrap_or_default(),
            })
        })
        .collect();
    let context = json!({
        "entries": rows,
        "filter": {
            "who": query.who.unwrap_or_default(),
            "what": query.what.unwrap_or_default(),
            "since": query.since.unwrap_or_default(),
        },
    });
    page(
        &state,
        &viewer,
        plan.as_ref(),
        "audit.html",
        "handelselogg",
        "Händelselogg",
        context,
    )
}

pub async fn stylesheet() -> Response {
    let mut response = include_str!("../static/style.css").into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    response
}
