//! The one place that maps a use case's error to an HTTP status and a page. Internals (database
//! errors, template errors) are logged on the server and never shown to the client.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use styr_app::AppError;
use styr_store::StoreError;

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
            StoreError::NotFound(_)
            | StoreError::NoSuchPeriod { .. }
            | StoreError::AmbiguousMunicipality(_) => StatusCode::NOT_FOUND,
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
            WebError::App(AppError::Store(StoreError::AmbiguousMunicipality(_))) => vec![
                "Databasen har planer för flera kommuner och servern visar ingen av dem för \
                 allmänheten (styr serve --kommun anger vilken). Logga in för att se din \
                 kommuns plan."
                    .to_owned(),
            ],
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

/// HTML escaping for the few strings written outside the templates.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// 413 for a request body over the limit, as a page of its own.
pub fn too_large(limit: usize) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Fel – styr</title>\
         <link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main id=\"innehall\">\
         <h1>Det gick inte</h1><div class=\"error\" role=\"alert\"><p>Det som skickades är för \
         stort: en begäran får vara högst {} kB.</p></div><p><a href=\"/\">Till översikten</a></p>\
         </main></body></html>",
        limit / 1024
    );
    (StatusCode::PAYLOAD_TOO_LARGE, Html(body)).into_response()
}
