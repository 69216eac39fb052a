//! `/spar/…` of the municipality's reports: where a figure of the municipal report, the
//! årsredovisning and delårsrapport, and `/kommun` comes from. Each page shows one figure's
//! source (`App::trace_frame`, `trace_allocation`, `trace_council_figure`,
//! `trace_municipal_sum`, `trace_company`, `trace_koncern`, `trace_statement_line`,
//! `trace_balance_requirement`) with links to follow on: a body's outcome leads into
//! `crate::trace`'s pages and on to the vouchers. The paths are `styr_docgen::trace`'s.

use crate::WebState;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::page;
use crate::trace::{href, month_of, year_of};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use styr_app::ReportFigureTrace;
use styr_docgen::format;
use styr_docgen::trace::{CouncilFigure, MunicipalSum};
use styr_domain::Money;

/// The routes of the municipality's traces (merged beside `crate::trace::routes`).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/spar/plan/{version}/ram/{body}/{year}", get(frame))
        .route("/spar/plan/{version}/fordelning/{year}", get(allocation))
        .route(
            "/spar/plan/{version}/kf/{which}/{year}",
            get(council_figure),
        )
        .route("/spar/kommun/{period}/summa/{which}", get(municipal_sum))
        .route("/spar/kommun/{period}/bolag/{body}", get(company))
        .route("/spar/kommun/{period}/koncern", get(koncern))
        .route(
            "/spar/kommun/{period}/rakenskaper/{line}",
            get(statement_line),
        )
        .route(
            "/spar/kommun/{period}/balanskrav/{row}",
            get(balance_requirement),
        )
}

/// The page of one figure's trace.
pub(crate) fn figure_page(
    state: &WebState,
    viewer: &Viewer,
    trace: &ReportFigureTrace,
) -> Result<Response, WebError> {
    let money = |m: Money| {
        if trace.whole_tkr {
            format::tkr_whole(m)
        } else {
            format::tkr(m)
        }
    };
    let optional = |m: Option<Money>| m.map_or_else(|| "–".to_owned(), money);
    let facts: Vec<Value> = trace
        .facts
        .iter()
        .map(|f| {
            json!({
                "label": f.label,
                "text": f.text.clone().or_else(|| f.amount.map(money)).unwrap_or_default(),
                "href": f.path.as_deref().map(href),
            })
        })
        .collect();
    let rows: Vec<Value> = trace
        .rows
        .iter()
        .map(|r| {
            json!({
                "label": r.label,
                "amount": optional(r.amount),
                "href": r.path.as_deref().map(href),
            })
        })
        .collect();
    let figure = optional(trace.figure);
    let context = json!({
        "figure": figure,
        "facts": facts,
        "caption": trace.rows_caption,
        "rows": rows,
        "summed": trace.summed,
        "sum": money(trace.sum()),
        "agrees": !trace.summed || trace.figure == Some(trace.sum()),
        "rule": trace.rule,
        "whole": trace.whole_tkr,
    });
    page(
        state,
        viewer,
        None,
        "trace_report.html",
        "spar",
        &format!("{}: {figure}", trace.title),
        context,
    )
}

pub async fn frame(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, body, year)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let year = year_of(&year)?;
    let trace = state
        .app
        .trace_frame(&viewer.actor, &version, &body, year)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn allocation(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, year)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = year_of(&year)?;
    let trace = state
        .app
        .trace_allocation(&viewer.actor, &version, year)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn council_figure(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, which, year)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let which = CouncilFigure::parse(&which)
        .ok_or_else(|| WebError::NotFound(format!("{which:?} är ingen uppgift i budgeten")))?;
    let year = year_of(&year)?;
    let trace = state
        .app
        .trace_council_figure(&viewer.actor, &version, which, year)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn municipal_sum(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((period, which)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let which = MunicipalSum::parse(&which)
        .ok_or_else(|| WebError::NotFound(format!("{which:?} är ingen summa")))?;
    let trace = state
        .app
        .trace_municipal_sum(&viewer.actor, month_of(&period)?, which)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn company(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((period, body)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let trace = state
        .app
        .trace_company(&viewer.actor, month_of(&period)?, &body)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn koncern(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(period): Path<String>,
) -> Result<Response, WebError> {
    let trace = state
        .app
        .trace_koncern(&viewer.actor, month_of(&period)?)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn statement_line(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((period, line)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let trace = state
        .app
        .trace_statement_line(&viewer.actor, month_of(&period)?, &line)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn balance_requirement(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((period, row)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let trace = state
        .app
        .trace_balance_requirement(&viewer.actor, month_of(&period)?, &row)
        .await?;
    figure_page(&state, &viewer, &trace)
}
