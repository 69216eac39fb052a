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
    /// A query the router cannot read (a page's cursor).
    #[error("{0}")]
    BadRequest(String),
}

/// A period in a path, query or form that is not a month: the domain's one message.
impl From<styr_domain::MonthError> for WebError {
    fn from(error: styr_domain::MonthError) -> WebError {
        WebError::NotFound(error.to_string())
    }
}

/// The status a use case's error answers with.
pub fn status_of(error: &AppError) -> StatusCode {
    match error {
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Invalid(_) | AppError::Unconfirmed(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Conflict(_) | AppError::SectionConflict(_) => StatusCode::CONFLICT,
        AppError::Store(store) => match store {
            // No server takes writes just now (a primary lost, its replica not yet promoted):
            // the client may ask again.
            unavailable if unavailable.is_unavailable() => StatusCode::SERVICE_UNAVAILABLE,
            StoreError::NotFound(_)
            | StoreError::NoSuchPeriod { .. }
            | StoreError::AmbiguousMunicipality(_) => StatusCode::NOT_FOUND,
            StoreError::StaleVersion { .. }
            | StoreError::StalePlan { .. }
            | StoreError::ProposalMoved { .. }
            | StoreError::StaleAlternative { .. }
            | StoreError::StaleMeasure { .. }
            | StoreError::StaleSchedule { .. }
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
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
        }
    }

    /// What the client is told: the error's own Swedish text, or a generic one for internals.
    pub fn public_lines(&self) -> Vec<String> {
        match self.status() {
            StatusCode::INTERNAL_SERVER_ERROR => {
                tracing::error!(error = %self, "fel i styr-web");
                return vec!["Något gick fel på servern. Försök igen om en stund.".to_owned()];
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                tracing::warn!(error = %self, "databasen går inte att använda just nu");
                return vec![UNAVAILABLE.to_owned()];
            }
            _ => {}
        }
        match self {
            WebError::App(AppError::Store(StoreError::AmbiguousMunicipality(_))) => vec![
                "Databasen har planer för flera kommuner och servern visar ingen av dem för \
                 allmänheten (styr serve --kommun anger vilken). Logga in för att se din \
                 kommuns plan."
                    .to_owned(),
            ],
            WebError::App(AppError::Invalid(problems) | AppError::Unconfirmed(problems)) => {
                problems.iter().map(ToString::to_string).collect()
            }
            other => vec![other.to_string()],
        }
    }
}

/// What a client is told while no database server takes writes (a primary lost, its replica
/// being promoted): the request may or may not have been stored, and asking again is safe (an
/// edit based on a version is refused if it was stored, or stored once).
pub const UNAVAILABLE: &str = "Databasen går inte att nå just nu – den kan hålla på att bytas \
     till reservservern. Vänta en stund och försök igen.";

/// How many seconds a 503 asks the client to wait before asking again (`Retry-After`).
pub const RETRY_AFTER_SECONDS: &str = "2";

/// The lines of an error answer, kept on the response for `framed_error` to draw in the site's
/// frame.
#[derive(Debug, Clone)]
pub(crate) struct ErrorLines(pub Vec<String>);

/// A page the router does not know.
pub async fn not_found(uri: axum::http::Uri) -> WebError {
    WebError::NotFound(format!("sidan {} finns inte", uri.path()))
}

/// The heading of an error page.
fn error_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        401 | 403 => "Du har inte behörighet",
        503 => "Försök igen om en stund",
        404 => "Sidan finns inte",
        409 => "Någon annan hann före",
        400 | 405 | 413 | 415 | 422 => "Det gick inte",
        _ => "Något gick fel",
    }
}

/// What a plain-text refusal of axum's own (a form it cannot read, a wrong method) says, in
/// Swedish: its English text is for developers.
fn refusal_lines(status: StatusCode) -> Vec<String> {
    let line = match status.as_u16() {
        404 => "Sidan finns inte.",
        405 => "Sidan tar inte emot den sortens anrop.",
        413 => "Det som skickades är för stort.",
        400 | 415 | 422 => {
            "Formuläret saknar ett fält eller har ett värde som inte kan läsas. Ladda om sidan och försök igen."
        }
        _ => "Något gick fel på servern. Försök igen om en stund.",
    };
    vec![line.to_owned()]
}

/// An error answer drawn again in the site's frame (header, menu and footer, with the user who
/// asks), keeping its status: a `WebError`'s own lines, or a Swedish sentence in place of a
/// plain-text refusal. `None` for an answer that is no error or already a page of its own (the
/// conflict page, a form with its problems).
pub(crate) async fn framed_error(
    state: &crate::WebState,
    headers: &axum::http::HeaderMap,
    response: &mut Response,
) -> Option<Response> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return None;
    }
    let lines = match response.extensions_mut().remove::<ErrorLines>() {
        Some(ErrorLines(lines)) => lines,
        None => {
            let plain = response
                .headers()
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_none_or(|v| v.starts_with("text/plain"));
            if !plain {
                return None;
            }
            refusal_lines(status)
        }
    };
    let viewer = crate::auth::viewer(state, headers).await.ok()?;
    let context = serde_json::json!({
        "title": error_title(status),
        "page": "",
        "municipality_name": "",
        "user": viewer.user(),
        "csrf": viewer.csrf(),
        "lines": lines,
        "status": status.as_u16(),
    });
    let html = state.templates.render("error.html", &context).ok()?;
    let mut framed = (status, Html(html)).into_response();
    if let Some(retry) = response.headers().get(axum::http::header::RETRY_AFTER) {
        framed
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, retry.clone());
    }
    Some(framed)
}

/// A minimal page of its own (it must render even when the templates or the data cannot); the
/// page frame draws it again in the site's frame when it can (`framed_error`).
impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        let lines = self.public_lines();
        let mut body = String::from(
            "<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><title>Fel – styr</title>\
             <link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main id=\"innehall\">\
             <h1>Det gick inte</h1><div class=\"error\" role=\"alert\">",
        );
        for line in &lines {
            body.push_str("<p>");
            body.push_str(&escape(line));
            body.push_str("</p>");
        }
        body.push_str("</div><p><a href=\"/\">Till översikten</a></p></main></body></html>");
        let mut response = (status, Html(body)).into_response();
        if status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        response.extensions_mut().insert(ErrorLines(lines));
        response
    }
}

/// HTML escaping for the few strings written outside the templates: the document's one
/// escaper (`styr_docgen::html::escape`), so the web and the document escape alike.
pub fn escape(text: &str) -> String {
    styr_docgen::html::escape(text)
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
