//! `/spar/…`: where a figure comes from ("Varifrån kommer siffran"). Each figure of the
//! documents (`/dokument/…`) and of the pages that show figures links here; each page shows one
//! figure's source (`App::trace_plan_cell`, `App::trace_claim`, `App::trace_outcome`,
//! `App::trace_outcome_sum`) with links to follow on, down to the drill-down's vouchers
//! (`/budget/rad`) for a logged-in user. The paths are `styr_docgen::trace`'s.

use crate::WebState;
use crate::auth::Viewer;
use crate::drill::query_string;
use crate::error::WebError;
use crate::pages::{kronor, page};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use styr_app::{CellSource, TracedRow};
use styr_docgen::format;
use styr_docgen::trace::OutcomeSum;
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::{Id, Money, Year};

/// The routes of the traces (merged into the application's router).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/spar/plan/{version}/drift/{table}/{row}/{year}",
            get(plan_cell),
        )
        .route(
            "/spar/plan/{version}/investering/{row}/{column}",
            get(investment_cell),
        )
        .route("/spar/plan/{version}/pastaende/{key}", get(claim))
        .route(
            "/spar/rapport/{version}/{period}/utfall/{line}",
            get(outcome_line),
        )
        .route(
            "/spar/rapport/{version}/{period}/utfall/{line}/{unit}",
            get(outcome_unit),
        )
        .route(
            "/spar/rapport/{version}/{period}/summa/tabell/{table}",
            get(outcome_table),
        )
        .route(
            "/spar/rapport/{version}/{period}/summa/{which}",
            get(outcome_sum),
        )
}

pub(crate) fn href(path: &str) -> String {
    format!("/spar/{path}")
}

pub(crate) fn rows_view(rows: &[TracedRow], amount: impl Fn(Money) -> String) -> Vec<Value> {
    rows.iter()
        .map(|r| {
            json!({
                "label": r.label,
                "amount": r.amount.map_or_else(|| "–".to_owned(), &amount),
                "href": r.path.as_deref().map(href),
            })
        })
        .collect()
}

pub(crate) fn findings_view(findings: &[styr_app::Finding]) -> Vec<Value> {
    findings
        .iter()
        .map(|f| {
            json!({
                "id": f.id,
                "severity": f.severity.label_sv(),
                "text": f.describe(),
                "place": f.place(),
            })
        })
        .collect()
}

pub(crate) fn opt_tkr(money: Option<Money>) -> String {
    money.map_or_else(|| "–".to_owned(), format::tkr)
}

pub async fn plan_cell(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, table, row, year)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let year = year_of(&year)?;
    let trace = state
        .app
        .trace_plan_cell(&viewer.actor, &version, &table, &row, year)
        .await?;
    cell_page(&state, &viewer, &trace)
}

pub async fn investment_cell(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, row, column)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let year: Option<Year> = match column.as_str() {
        "tom" => None,
        year => Some(year_of(year)?),
    };
    let trace = state
        .app
        .trace_investment_cell(&viewer.actor, &version, &row, year)
        .await?;
    cell_page(&state, &viewer, &trace)
}

pub(crate) fn cell_page(
    state: &WebState,
    viewer: &Viewer,
    trace: &styr_app::CellTrace,
) -> Result<Response, WebError> {
    let (kind, rows, computed, described) = match &trace.source {
        CellSource::Sum { rows, sum } => ("sum", rows_view(rows, format::tkr), opt_tkr(*sum), None),
        CellSource::Parts { rows, sum } => (
            "parts",
            rows_view(rows, format::tkr),
            format::tkr(*sum),
            None,
        ),
        CellSource::Reference {
            described,
            computed,
        } => (
            "reference",
            Vec::new(),
            opt_tkr(*computed),
            Some(described.clone()),
        ),
        CellSource::Printed => ("printed", Vec::new(), String::new(), None),
    };
    let differs = match &trace.source {
        CellSource::Sum { sum, .. } => trace.stated.is_some() && *sum != trace.stated,
        CellSource::Parts { sum, .. } => trace.stated.is_some_and(|s| s != *sum),
        CellSource::Reference { computed, .. } => {
            trace.stated.is_some() && computed.is_some() && *computed != trace.stated
        }
        CellSource::Printed => false,
    };
    let title = format!("{} {}: {}", trace.row, trace.column, opt_tkr(trace.shown));
    let context = json!({
        "kind": kind,
        "version": trace.version_name,
        "table": trace.table,
        "row": trace.row,
        "year": trace.column,
        "stated": trace.stated.map(format::tkr),
        "shown": opt_tkr(trace.shown),
        "computed": computed,
        "described": described,
        "differs": differs,
        "rows": rows,
        "place": trace.place,
        "findings": findings_view(&trace.findings),
    });
    page(state, viewer, None, "trace.html", "spar", &title, context)
}

pub async fn claim(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, key)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let trace = state.app.trace_claim(&viewer.actor, &version, &key).await?;
    let figures: Vec<Value> = trace
        .figures
        .iter()
        .map(|f| {
            json!({
                "reference": f.reference,
                "described": f.described,
                "value": f.value.clone().unwrap_or_else(|| "–".to_owned()),
                "href": f.path.as_deref().map(href),
            })
        })
        .collect();
    let context = json!({
        "kind": "claim",
        "version": trace.version_name,
        "words": trace.words,
        "formula": trace.formula,
        "described": trace.described,
        "computed": trace.computed,
        "figures": figures,
        "place": trace.place,
        "findings": findings_view(trace.finding.as_slice()),
    });
    page(
        &state,
        &viewer,
        None,
        "trace.html",
        "spar",
        &format!("”{}”", trace.words),
        context,
    )
}

pub(crate) fn year_of(text: &str) -> Result<Year, WebError> {
    text.parse()
        .map_err(|_| WebError::NotFound(format!("{text:?} är inget år")))
}

pub(crate) fn month_of(text: &str) -> Result<Month, WebError> {
    text.parse()
        .map_err(|_| WebError::NotFound(format!("{text:?} är ingen period")))
}

pub(crate) fn line_of(text: &str) -> Result<BudgetLineRef, WebError> {
    BudgetLineRef::parse(text)
        .ok_or_else(|| WebError::NotFound(format!("{text:?} är ingen budgetrad")))
}

/// A table's sum named by a path (`…/tabell/{table}`).
pub(crate) fn table_sum_of(table: &str) -> Result<OutcomeSum, WebError> {
    Id::parse(table)
        .map(OutcomeSum::Table)
        .map_err(|_| WebError::NotFound(format!("{table:?} är ingen tabell")))
}

/// The operating or the investment budget's sum named by a path (`…/drift`,
/// `…/investeringar`).
pub(crate) fn sum_of(which: &str) -> Result<OutcomeSum, WebError> {
    match which {
        "drift" => Ok(OutcomeSum::Operating),
        "investeringar" => Ok(OutcomeSum::Investment),
        _ => Err(WebError::NotFound(format!("{which:?} är ingen summa"))),
    }
}

async fn outcome(
    state: WebState,
    viewer: Viewer,
    (version, period, line): (String, String, String),
    unit: Option<String>,
) -> Result<Response, WebError> {
    let period = month_of(&period)?;
    let line = line_of(&line)?;
    let unit = unit
        .map(|u| Id::parse(&u).map_err(|_| WebError::NotFound(format!("{u:?} är ingen enhet"))))
        .transpose()?;
    let trace = state
        .app
        .trace_outcome(&viewer.actor, &version, period, &line, unit.as_ref())
        .await?;
    let (line_text, period_text) = (trace.line.to_string(), period.to_string());
    let groups: Vec<Value> = trace
        .groups
        .iter()
        .map(|g| {
            let drill = trace.vouchers.then(|| {
                format!(
                    "/budget/rad{}#verifikationer",
                    query_string(&[
                        ("line", &line_text),
                        ("period", &period_text),
                        ("unit", g.unit.as_ref().map_or("", |u| u.as_str())),
                        ("account", &g.account),
                    ])
                )
            });
            json!({
                "unit": g.unit_name,
                "account": g.account,
                "rows": g.rows,
                "amount": kronor(g.amount),
                "href": drill,
            })
        })
        .collect();
    let context = json!({
        "kind": "outcome",
        "label": trace.label,
        "period": period_text,
        "outcome": format::tkr_whole(trace.printed),
        "groups": groups,
        "total": kronor(trace.total()),
        "total_rows": trace.groups.iter().map(|g| g.rows).sum::<u64>(),
        "vouchers": trace.vouchers,
    });
    page(
        &state,
        &viewer,
        None,
        "trace.html",
        "spar",
        &format!("Utfall {}: {}", trace.label, period_text),
        context,
    )
}

pub async fn outcome_line(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(path): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    outcome(state, viewer, path, None).await
}

pub async fn outcome_unit(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, period, line, unit)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    outcome(state, viewer, (version, period, line), Some(unit)).await
}

async fn sum_page(
    state: WebState,
    viewer: Viewer,
    version: &str,
    period: &str,
    sum: OutcomeSum,
) -> Result<Response, WebError> {
    let period = month_of(period)?;
    let trace = state
        .app
        .trace_outcome_sum(&viewer.actor, version, period, &sum)
        .await?;
    let context = json!({
        "kind": "outcome_sum",
        "label": trace.label,
        "period": period.to_string(),
        "outcome": format::tkr_whole(trace.outcome),
        "rows": rows_view(&trace.rows, format::tkr_whole),
        "sum": format::tkr_whole(trace.sum()),
    });
    page(
        &state,
        &viewer,
        None,
        "trace.html",
        "spar",
        &format!("{}: utfall {period}", trace.label),
        context,
    )
}

pub async fn outcome_table(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, period, table)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let sum = table_sum_of(&table)?;
    sum_page(state, viewer, &version, &period, sum).await
}

pub async fn outcome_sum(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, period, which)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let sum = sum_of(&which)?;
    sum_page(state, viewer, &version, &period, sum).await
}
