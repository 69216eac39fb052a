//! `/spar/kommun/…` of the statutory reports' remaining figures: the statements' budget and
//! previous year's columns (`App::trace_statement_column`), a body's forecast, deviation,
//! anslagsförändringar, budget after them and previous year's outcome in the tables per nämnd
//! (`App::trace_body_figure`), and every cell of the investeringsredovisning and of exploatering
//! and finansförvaltning (`App::trace_accounts_cell`). The pages are `crate::trace_reports`'
//! (one figure, its facts, its rows with their own traces); the paths `styr_docgen::trace`'s.

use crate::WebState;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::trace::month_of;
use crate::trace_reports::figure_page;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use styr_docgen::trace::{AccountsTable, MunicipalSum, StatementColumn};

/// The routes (merged beside `crate::trace_reports::routes`).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/spar/kommun/{period}/rakenskaper/{line}/{column}",
            get(statement_column),
        )
        .route(
            "/spar/kommun/{period}/namnd/{body}/{which}",
            get(body_figure),
        )
        .route(
            "/spar/kommun/{period}/investering/{body}/{row}/{column}",
            get(investment),
        )
        .route(
            "/spar/kommun/{period}/exploatering/{body}/{row}/{column}",
            get(exploitation),
        )
        .route(
            "/spar/kommun/{period}/finans/{body}/{row}/{column}",
            get(finance),
        )
}

pub async fn statement_column(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((period, line, column)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let column = StatementColumn::parse(&column)
        .ok_or_else(|| WebError::NotFound(format!("{column:?} är ingen kolumn")))?;
    let trace = state
        .app
        .trace_statement_column(&viewer.actor, month_of(&period)?, &line, column)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn body_figure(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((period, body, which)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let which = MunicipalSum::parse(&which)
        .filter(|w| w.per_body())
        .ok_or_else(|| WebError::NotFound(format!("{which:?} är ingen siffra per nämnd")))?;
    let trace = state
        .app
        .trace_body_figure(&viewer.actor, month_of(&period)?, &body, which)
        .await?;
    figure_page(&state, &viewer, &trace)
}

async fn accounts_cell(
    state: WebState,
    viewer: Viewer,
    table: AccountsTable,
    (period, body, row, column): (String, String, String, String),
) -> Result<Response, WebError> {
    let trace = state
        .app
        .trace_accounts_cell(
            &viewer.actor,
            month_of(&period)?,
            table,
            &body,
            &row,
            &column,
        )
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn investment(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(path): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    accounts_cell(state, viewer, AccountsTable::Investment, path).await
}

pub async fn exploitation(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(path): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    accounts_cell(state, viewer, AccountsTable::Exploitation, path).await
}

pub async fn finance(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(path): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    accounts_cell(state, viewer, AccountsTable::Finance, path).await
}
