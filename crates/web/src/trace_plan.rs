//! `/spar/plan/…` of the plan's other tables: the exploitation budget, the finance
//! administration and its summary, the ramförändring, the ramberäkning and the indicators
//! (`App::trace_exploitation_cell`, `App::trace_finance_cell`, `App::trace_finance_summary_cell`,
//! `App::trace_frame_change`, `App::trace_frame_calculation`, `App::trace_indicator`). Each
//! page shows one figure's source with links to follow on; the paths are
//! `styr_docgen::trace`'s. Merged beside `crate::trace::routes`.

use crate::WebState;
use crate::auth::Viewer;
use crate::error::WebError;
use crate::pages::page;
use crate::trace::{findings_view, href, opt_tkr, rows_view, year_of};
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use serde_json::{Value, json};
use styr_app::{FigureSource, FigureTrace, IndicatorTrace, TracedFigure};
use styr_docgen::format;
use styr_docgen::trace::{FramePart, IndicatorFigure, parse_measure_segment};
use styr_domain::budget::Measure;
use styr_domain::goal::{Direction, IndicatorLevel, IndicatorSource};
use styr_domain::localtime::stockholm_minute;

/// The routes of the plan's other tables' traces (merged into the application's router).
pub fn routes() -> Router<WebState> {
    Router::new()
        .route(
            "/spar/plan/{version}/exploatering/{row}/{measure}",
            get(exploitation),
        )
        .route(
            "/spar/plan/{version}/finans/{row}/{measure}/{year}",
            get(finance),
        )
        .route(
            "/spar/plan/{version}/finanssammanstallning/{row}/{year}",
            get(finance_summary),
        )
        .route("/spar/plan/{version}/ramforandring", get(frame_change))
        .route(
            "/spar/plan/{version}/ramforandring/{component}",
            get(frame_change_part),
        )
        .route(
            "/spar/plan/{version}/ramberakning/rad/{line}",
            get(frame_line),
        )
        .route("/spar/plan/{version}/ramberakning/{part}", get(frame_part))
        .route(
            "/spar/plan/{version}/indikator/{indicator}/{figure}/{year}",
            get(indicator),
        )
}

fn measure_of(text: &str) -> Result<Measure, WebError> {
    parse_measure_segment(text)
        .ok_or_else(|| WebError::NotFound(format!("{text:?} är ingen kolumn")))
}

fn figures_view(figures: &[TracedFigure]) -> Vec<Value> {
    figures
        .iter()
        .map(|f| {
            json!({
                "reference": f.reference,
                "described": f.described,
                "value": f.value.clone().unwrap_or_else(|| "–".to_owned()),
                "href": f.path.as_deref().map(href),
            })
        })
        .collect()
}

fn figure_page(
    state: &WebState,
    viewer: &Viewer,
    trace: &FigureTrace,
) -> Result<Response, WebError> {
    let (kind, rule, rows, figures, described) = match &trace.source {
        FigureSource::Rows { rule, rows, .. } => (
            "rows",
            Some(rule.clone()),
            rows_view(rows, format::tkr),
            Vec::new(),
            None,
        ),
        FigureSource::Reference {
            described, figures, ..
        } => (
            "reference",
            None,
            Vec::new(),
            figures_view(figures),
            Some(described.clone()),
        ),
        FigureSource::Computed { how, factors, .. } => (
            "computed",
            Some(how.clone()),
            Vec::new(),
            figures_view(factors),
            None,
        ),
        FigureSource::Printed => ("printed", None, Vec::new(), Vec::new(), None),
    };
    let title = format!("{} {}: {}", trace.row, trace.column, opt_tkr(trace.shown()));
    let context = json!({
        "kind": kind,
        "version": trace.version_name,
        "table": trace.table,
        "row": trace.row,
        "column": trace.column,
        "stated": trace.stated.map(format::tkr),
        "shown": opt_tkr(trace.shown()),
        "computed": opt_tkr(trace.computed()),
        "differs": trace.differs(),
        "rule": rule,
        "described": described,
        "rows": rows,
        "figures": figures,
        "decision": trace.decision,
        "note": trace.note,
        "related": rows_view(&trace.related, format::tkr),
        "place": trace.place,
        "findings": findings_view(&trace.findings),
    });
    page(
        state,
        viewer,
        None,
        "trace_plan.html",
        "spar",
        &title,
        context,
    )
}

pub async fn exploitation(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, row, measure)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let measure = measure_of(&measure)?;
    let trace = state
        .app
        .trace_exploitation_cell(&viewer.actor, &version, &row, measure)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn finance(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, row, measure, year)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let (measure, year) = (measure_of(&measure)?, year_of(&year)?);
    let trace = state
        .app
        .trace_finance_cell(&viewer.actor, &version, &row, measure, year)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn finance_summary(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, row, year)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let year = year_of(&year)?;
    let trace = state
        .app
        .trace_finance_summary_cell(&viewer.actor, &version, &row, year)
        .await?;
    crate::trace::cell_page(&state, &viewer, &trace)
}

pub async fn frame_change(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(version): Path<String>,
) -> Result<Response, WebError> {
    let trace = state
        .app
        .trace_frame_change(&viewer.actor, &version, None)
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn frame_change_part(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, component)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let trace = state
        .app
        .trace_frame_change(&viewer.actor, &version, Some(&component))
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn frame_line(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, line)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let line = styr_domain::Id::parse(&line)
        .map_err(|_| WebError::NotFound(format!("{line:?} är ingen rad")))?;
    let trace = state
        .app
        .trace_frame_calculation(&viewer.actor, &version, &FramePart::Line(line))
        .await?;
    figure_page(&state, &viewer, &trace)
}

pub async fn frame_part(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, part)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let part = match part.as_str() {
        "grund" => FramePart::Base,
        "ram" => FramePart::Frame,
        "forandring" => FramePart::Change,
        "budgetram" => FramePart::Stated,
        other => return Err(WebError::NotFound(format!("{other:?} finns inte"))),
    };
    let trace = state
        .app
        .trace_frame_calculation(&viewer.actor, &version, &part)
        .await?;
    figure_page(&state, &viewer, &trace)
}

fn decimal(value: rust_decimal::Decimal) -> String {
    format::decimal_as_written(value)
}

fn indicator_view(trace: &IndicatorTrace) -> Value {
    let figure = match trace.figure {
        IndicatorFigure::Outcome => "Utfall",
        IndicatorFigure::Target => "Mål",
        IndicatorFigure::Comparison => "Jämförelsegruppens medel",
    };
    let kolada = |k: &styr_app::KoladaFigure| {
        json!({
            "municipality": k.municipality,
            "code": k.code,
            "value": k.value.map_or_else(|| "–".to_owned(), decimal),
            "source": k.source,
            "retrieved": k.retrieved,
        })
    };
    let reported: Vec<Value> = trace
        .reported
        .iter()
        .map(|r| {
            json!({
                "period": r.period.to_string(),
                "value": decimal(r.value),
                "measured_on": r.measured_on,
                "source": r.source,
                "by": r.by,
                "at": stockholm_minute(&r.at),
            })
        })
        .collect();
    json!({
        "kind": "indicator",
        "version": trace.version_name,
        "name": trace.name,
        "goal": trace.goal,
        "figure": figure,
        "comparison": trace.figure == IndicatorFigure::Comparison,
        "outcome": trace.figure == IndicatorFigure::Outcome,
        "year": trace.year,
        "value": trace.value.map_or_else(|| "–".to_owned(), decimal),
        "origin": trace.origin,
        "level": match trace.level {
            IndicatorLevel::Council => "Kommunfullmäktige (KF)",
            IndicatorLevel::Board => "Nämnden",
        },
        "unit": trace.unit,
        "direction": trace.direction.map(|d| match d {
            Direction::Higher => "Högre är bättre",
            Direction::Lower => "Lägre är bättre",
        }),
        "source": trace.source.map(|s| match s {
            IndicatorSource::Local => "Lokal mätning",
            IndicatorSource::OpenComparisons => "Öppna jämförelser",
            IndicatorSource::Kolada => "Kolada",
        }),
        "kpi": trace.kolada_kpi,
        "footnote": trace.footnote,
        "responsible": trace.responsible,
        "kolada": trace.kolada.as_ref().map(kolada),
        "members": trace.members.iter().map(kolada).collect::<Vec<_>>(),
        "reported": reported,
        "place": trace.place,
    })
}

pub async fn indicator(
    State(state): State<WebState>,
    viewer: Viewer,
    Path((version, indicator, figure, year)): Path<(String, String, String, String)>,
) -> Result<Response, WebError> {
    let figure = IndicatorFigure::parse(&figure)
        .ok_or_else(|| WebError::NotFound(format!("{figure:?} finns inte")))?;
    let year = year_of(&year)?;
    let trace = state
        .app
        .trace_indicator(&viewer.actor, &version, &indicator, figure, year)
        .await?;
    let context = indicator_view(&trace);
    let title = format!(
        "{}: {} {}",
        trace.name,
        context["figure"]
            .as_str()
            .unwrap_or_default()
            .to_lowercase(),
        trace.year
    );
    page(
        &state,
        &viewer,
        None,
        "trace_plan.html",
        "spar",
        &title,
        context,
    )
}
