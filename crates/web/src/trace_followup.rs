//! `/spar/…` of a body's follow-up report besides the outcomes (`crate::trace`): where a
//! budget, budget to date, deviation, forecast or forecast deviation of the economy comes from
//! (`App::trace_economy_figure`, on `trace_report.html`), and which risks a cell of the risk
//! matrix counts (`App::trace_risk_cell`, on `trace.html`). The paths are
//! `styr_docgen::trace`'s (`economy_figure`, `risk_cell`).

use crate::WebState;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::page;
use crate::trace::{month_of, year_of};
use crate::trace_reports::figure_page;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::json;
use styr_docgen::trace::{EconomyColumn, EconomyRow, OutcomeSum};
use styr_domain::Id;
use styr_domain::ledger::BudgetLineRef;

/// The routes (merged beside `crate::trace::routes`).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/spar/rapport/{version}/{period}/{column}/rad/{line}",
            get(economy_line),
        )
        .route(
            "/spar/rapport/{version}/{period}/{column}/summa/tabell/{table}",
            get(economy_table),
        )
        .route(
            "/spar/rapport/{version}/{period}/{column}/summa/{which}",
            get(economy_sum),
        )
        .route(
            "/spar/plan/{version}/riskmatris/{year}/{likelihood}/{consequence}",
            get(risk_cell),
        )
}

fn column_of(text: &str) -> Result<EconomyColumn, WebError> {
    EconomyColumn::parse(text)
        .ok_or_else(|| WebError::NotFound(format!("{text:?} är ingen kolumn i ekonomin")))
}

async fn economy(
    state: WebState,
    viewer: Viewer,
    version: &str,
    period: &str,
    column: &str,
    row: EconomyRow,
) -> Result<Response, WebError> {
    let period = month_of(period)?;
    let column = column_of(column)?;
    let trace = state
        .app
        .trace_economy_figure(&viewer.actor, version, period, column, &row)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn economy_line(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, period, column, line)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let line = BudgetLineRef::parse(&line)
        .ok_or_else(|| WebError::NotFound(format!("{line:?} är ingen budgetrad")))?;
    economy(
        state,
        viewer,
        &version,
        &period,
        &column,
        EconomyRow::Line(line),
    )
    .await
}

pub async fn economy_table(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, period, column, table)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let table =
        Id::parse(&table).map_err(|_| WebError::NotFound(format!("{table:?} är ingen tabell")))?;
    let row = EconomyRow::Sum(OutcomeSum::Table(table));
    economy(state, viewer, &version, &period, &column, row).await
}

pub async fn economy_sum(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, period, column, which)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let sum = match which.as_str() {
        "drift" => OutcomeSum::Operating,
        "investeringar" => OutcomeSum::Investment,
        _ => return Err(WebError::NotFound(format!("{which:?} är ingen summa"))),
    };
    economy(
        state,
        viewer,
        &version,
        &period,
        &column,
        EconomyRow::Sum(sum),
    )
    .await
}

pub async fn risk_cell(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, year, likelihood, consequence)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let year = year_of(&year)?;
    let scale = |text: &str| {
        text.parse::<u8>()
            .map_err(|_| WebError::NotFound(format!("{text:?} är inget steg i riskmatrisen")))
    };
    let (likelihood, consequence) = (scale(&likelihood)?, scale(&consequence)?);
    let trace = state
        .app
        .trace_risk_cell(&viewer.actor, &version, year, likelihood, consequence)
        .await?;
    let risks: Vec<_> = trace
        .risks
        .iter()
        .map(|r| {
            json!({
                "number": r.number,
                "title": r.title,
                "process": r.process.clone().unwrap_or_else(|| "–".to_owned()),
                "owner": r.owner.clone().unwrap_or_else(|| "–".to_owned()),
                "assessment": r.assessment,
                "place": r.place,
            })
        })
        .collect();
    let context = json!({
        "kind": "risks",
        "version": trace.version_name,
        "year": trace.year,
        "likelihood": trace.likelihood,
        "consequence": trace.consequence,
        "score": u16::from(trace.likelihood) * u16::from(trace.consequence),
        "band": trace.band,
        "count": trace.count,
        "risks": risks,
    });
    page(
        &state,
        &viewer,
        None,
        "trace.html",
        "spar",
        &format!(
            "Riskmatris {}: sannolikhet {} × konsekvens {}: {} risker",
            trace.year, trace.likelihood, trace.consequence, trace.count
        ),
        context,
    )
}
