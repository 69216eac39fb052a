//! The municipality's statutory reports on the web (issue 22): `/dokument/kommun/2021-12.html`
//! (and `.pdf`, `.xlsx`) is the årsredovisning or delårsrapport of a period, the same document
//! `styr render --report` gives, linked from `/dokument` and `/kommun`. Who may see which is
//! `App::statutory_document`'s rule (the public: closed periods only); this only presents.

use crate::WebState;
use crate::auth::Viewer;
use crate::error::WebError;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use styr_app::{DocumentFormat, StatutoryListing};
use styr_domain::ledger::Month;

/// The reports as the templates list them.
pub fn listing_view(listings: &[StatutoryListing]) -> Value {
    json!(
        listings
            .iter()
            .map(|l| json!({ "month": l.month.to_string(), "title": l.title }))
            .collect::<Vec<_>>()
    )
}

pub async fn document(
    State(state): State<WebState>,
    viewer: Viewer,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let (month, format) = file
        .rsplit_once('.')
        .ok_or_else(|| WebError::NotFound(file.clone()))?;
    let month: Month = month.parse()?;
    let listing = state
        .app
        .statutory_reports(&viewer.actor, None)
        .await?
        .into_iter()
        .find(|l| l.month == month)
        .ok_or_else(|| WebError::NotFound(format!("det finns ingen rapport för {month}")))?;
    let (bytes, content_type) = match format {
        "html" | "pdf" => {
            let document_format = if format == "html" {
                DocumentFormat::Html
            } else {
                DocumentFormat::Pdf
            };
            let rendered = state
                .app
                .render_statutory_report_traced(
                    &viewer.actor,
                    None,
                    listing.kind,
                    month,
                    document_format,
                    state.trace_base(document_format),
                )
                .await?;
            let content_type = if format == "html" {
                "text/html; charset=utf-8"
            } else {
                "application/pdf"
            };
            (rendered.bytes, content_type)
        }
        "xlsx" => (
            state
                .app
                .statutory_workbook(&viewer.actor, None, listing.kind, month)
                .await?
                .bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        other => return Err(WebError::NotFound(format!("formatet {other} finns inte"))),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if format == "xlsx" {
        let name = format!(
            "attachment; filename=\"{}-{month}.xlsx\"",
            listing.kind.slug
        );
        if let Ok(value) = HeaderValue::from_str(&name) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
    }
    Ok(response)
}
