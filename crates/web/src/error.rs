//! The one place that maps a use case's error to an HTTP status and a page. Internals (database
//! errors, template errors) are logged on the server and never shown to the client.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use styr_app::AppError;
use styr_app::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error(transparent)]
    App(#[from] AppError),
    #[error("mallfel: {0}")]
    Template(#[from] minijinja::Error),
    /// A form without the session's CSRF token.
    #[error("formuläret saknar giltig CSRF-token; ladda om sidan och försök igen")]
    Csrf,
    /// Not found by the router's own parsing (a period, a format).
    #[error("{0}")]
    NotFound(String),
}

/// The status a use case's error answers with.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Store(store) => match store {
            StoreError::NotFound(_) | StoreError::NoSuchPeriod { .. } => StatusCode::NOT_FOUND,
            StoreError::StaleVersion { .. }
            | StoreError::DecidedVersion { .. }
            | StoreError::PeriodState { .. } => StatusCode::CONFLICT,
            StoreError::PeriodClosed { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        },
        AppError::Kolada(_) => StatusCode::BAD_GATEWAY,
        AppError::Render(_) | AppError::Read { .. } => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::App(error) => status_of(error),
            WebError::Template(_) => StatusCode::INTERNAL_SERVER_ERROR,
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
        }
    }

    /// What the client is told: the error's own Swedish text, or a generic one for internals.
    pub fn public_lines(&self) -> Vec<String> {
        if self.status() == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("fel i styr-web: {self}");
            return vec!["Något gick fel på servern. Försök igen om en stund.".to_owned()];
        }
        match self {
            WebError::App(AppError::Invalid(problems)) => {
                problems.iter().map(ToString::to_string).collect()
            }
            other => vec![other.to_string()],
        }
    }
}

/// A minimal page of its own (it must render even when the templates or the data cannot).
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let mut body = String::from(
            "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Fel – styr</title>\
             <link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main id=\"innehall\">\
             <h1>Det gick inte</h1><div class=\"error\" role=\"alert\">",
        );
        for line in self.public_lines() {
            body.push_str("<p>");
            body.push_str(&escape(&line));
            body.push_str("</p>");
        }
        body.push_str("</div><p><a href=\"/\">Till översikten</a></p></main></body></html>");
        (status, Html(body)).into_response()
    }
}

/// HTML escaping for the few strings written outside the templates: the document's one
/// escaper (`styr_docgen::html::escape`), so the web and the document escape alike.
pub fn escape(text: &str) -> String {
    styr_docgen::html::escape(text)
}
