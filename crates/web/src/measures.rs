//! Verksamhetsmått (issue 22, item 6) under Rapportering: the measures of the plan for January
//! up to a month, each as a table and a chart against its budgeted volume (the document's
//! section, `styr_docgen::measures_section`), and a form per measure for the month's outcome
//! for whoever reports for the measure's unit. A save goes through the use case (CSRF, roles,
//! audit row); a save built on another change than the current one is refused with 409.

use crate::WebState;
use crate::auth::{LoggedIn, Viewer};
use crate::error::WebError;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use styr_app::{AppError, StoreError};
use styr_docgen::model::{Block, Inline, Table};
use styr_domain::activity::MeasureValue;
use styr_domain::{Id, Month};

#[derive(Deserialize, Default)]
pub struct MeasuresQuery {
    period: Option<String>,
}

fn table_view(table: &Table) -> Value {
    json!({
        "caption": table.caption,
        "columns": table.columns.iter().map(|c| json!({"label": c.label, "numeric": c.numeric})).collect::<Vec<_>>(),
        "rows": table.rows.iter().map(|r| {
            let cells: Vec<String> = r.cells.iter().map(|c| {
                if c.missing { "–".to_owned() } else { Inline::plain(&c.content) }
            }).collect();
            json!({"header": cells.first().cloned().unwrap_or_default(), "cells": cells.get(1..).unwrap_or_default()})
        }).collect::<Vec<_>>(),
    })
}

/// The month a page shows: the one asked for, else the latest month with an outcome, else
/// the plan's first year's December.
fn month_of(asked: Option<&str>, latest: Option<Month>, year: i32) -> Result<Month, WebError> {
    match asked.filter(|a| !a.is_empty()) {
        Some(text) => Ok(text.parse::<Month>()?),
        None => Ok(latest.unwrap_or_else(|| Month::new(year, 12).expect("a month"))),
    }
}

async fn measures_page(
    state: &WebState,
    viewer: &Viewer,
    asked: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let selector = viewer.selector();
    let (plan, values) = state.app.measure_values(&viewer.actor, &selector).await?;
    let year = plan.document.years.first().copied().unwrap_or(2021);
    let latest = values.iter().map(|v| v.value.month).max();
    let month = month_of(asked, latest, year)?;
    let report = state.app.measures(&viewer.actor, &selector, month).await?;
    let section = styr_docgen::measures_section(&report, "matt", 2);
    let (_, cells) = state
        .app
        .measure_cells(&viewer.actor, &selector, month)
        .await?;
    // The section's blocks per measure: a subheading, a table, a chart.
    let mut measures = Vec::new();
    let mut blocks = section
        .blocks
        .iter()
        .filter(|b| !matches!(b, Block::Synthetic(_)));
    for (measure, (cell, may)) in report.measures.iter().zip(&cells) {
        let (
            Some(Block::Subheading { text, .. }),
            Some(Block::Table(table)),
            Some(Block::Chart(chart)),
        ) = (blocks.next(), blocks.next(), blocks.next())
        else {
            break;
        };
        measures.push(json!({
            "id": measure.measure.id.as_str(),
            "heading": text,
            "table": table_view(table),
            "svg": chart.svg,
            "description": chart.description,
            "may_report": may,
            "value": cell.value.map(|v| v.normalize().to_string().replace('.', ",")).unwrap_or_default(),
            "based_on": cell.version,
            "reported_by": cell.reported_by.clone().unwrap_or_default(),
            "unit_of_measure": measure.measure.unit_of_measure,
        }));
    }
    let context = json!({
        "month": month.to_string(),
        "measures": measures,
        "error": error,
        "synthetic": report.synthetic.then_some(styr_docgen::measures::SYNTHETIC_MEASURES),
    });
    let mut response = crate::pages::page(
        state,
        viewer,
        Some(&plan),
        "measures.html",
        "rapportering",
        "Verksamhetsmått",
        context,
    )?;
    *response.status_mut() = status;
    Ok(response)
}

pub async fn measures(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Query(query): Query<MeasuresQuery>,
) -> Result<Response, WebError> {
    measures_page(
        &state,
        &viewer,
        query.period.as_deref(),
        None,
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize)]
pub struct MeasureForm {
    #[serde(default)]
    csrf: String,
    measure: String,
    month: String,
    #[serde(default)]
    value: String,
    /// The version the form was built on (0: no value yet).
    #[serde(default)]
    based_on: i64,
}

pub async fn save(
    State(state): State<WebState>,
    LoggedIn(viewer): LoggedIn,
    Form(form): Form<MeasureForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    let month: Month = form.month.parse()?;
    let invalid =
        |message: String| AppError::Invalid(vec![styr_app::Problem::new("value", message)]);
    let measure = Id::parse(&form.measure)
        .map_err(|_| AppError::NotFound(format!("måttet {} finns inte", form.measure)))?;
    let result = match styr_domain::number::parse_number(form.value.trim()) {
        None if form.value.trim().is_empty() => Err(invalid("ange utfallet".to_owned())),
        None => Err(invalid(format!("{:?} är inte ett tal", form.value))),
        Some(value) => {
            state
                .app
                .save_measure_value(
                    &viewer.actor,
                    &viewer.selector(),
                    MeasureValue {
                        measure,
                        month,
                        value,
                    },
                    form.based_on,
                )
                .await
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/rapportering/matt?period={month}")).into_response()),
        Err(error @ (AppError::Invalid(_) | AppError::Store(StoreError::StaleMeasure { .. }))) => {
            let status = crate::error::status_of(&error);
            measures_page(
                &state,
                &viewer,
                Some(&month.to_string()),
                Some(error.to_string()),
                status,
            )
            .await
        }
        Err(error) => Err(error.into()),
    }
}
