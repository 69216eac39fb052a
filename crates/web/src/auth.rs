//! Logging in and out, the session cookie, and who is asking: a logged-in user (with the CSRF
//! token of their session) or the public.

use crate::WebState;
use crate::error::WebError;
use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use styr_app::{Actor, Role};

pub const COOKIE: &str = "styr_session";

/// Who is asking.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub actor: Actor,
    /// The session's token and CSRF token; `None` for the public.
    pub session: Option<(String, String)>,
    /// The user's display name; `None`: shown by the login.
    pub name: Option<String>,
}

/// The user as the page header shows it.
#[derive(Serialize)]
pub struct UserView {
    pub login: String,
    /// The display name, else the login.
    pub name: String,
    pub role: &'static str,
    pub may_report: bool,
    pub may_read_audit: bool,
}

impl Viewer {
    pub fn csrf(&self) -> &str {
        self.session.as_ref().map_or("", |(_, csrf)| csrf.as_str())
    }

    pub fn user(&self) -> Option<UserView> {
        self.session.as_ref().map(|_| UserView {
            login: self.actor.login.clone(),
            name: self
                .name
                .clone()
                .unwrap_or_else(|| self.actor.login.clone()),
            role: self.actor.role.label_sv(),
            may_report: matches!(
                self.actor.role,
                Role::Admin | Role::Controller | Role::Reporter
            ),
            may_read_audit: self.actor.require_audit_reader().is_ok(),
        })
    }

    /// Refuses a form whose CSRF token is not the session's.
    pub fn check_csrf(&self, given: &str) -> Result<(), WebError> {
        match &self.session {
            Some((_, csrf)) if constant_time_eq(csrf.as_bytes(), given.as_bytes()) => Ok(()),
            _ => Err(WebError::Csrf),
        }
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| value.to_owned())
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, COOKIE)
}

/// Whether the request carries a session cookie (a logged-in browser, or one that was).
pub fn has_session_cookie(headers: &HeaderMap) -> bool {
    session_token(headers).is_some_and(|token| !token.is_empty())
}

/// The viewer of a request: the session's user, or the public.
pub async fn viewer(state: &WebState, headers: &HeaderMap) -> Result<Viewer, WebError> {
    if let Some(token) = session_token(headers)
        && let Some((actor, csrf, name)) = state.app.session(&token).await?
    {
        return Ok(Viewer {
            actor,
            session: Some((token, csrf)),
            name,
        });
    }
    Ok(Viewer {
        actor: Actor::public(state.options.public_municipality.clone()),
        session: None,
        name: None,
    })
}

/// The cookie that carries the login form's CSRF token (double submit: the form's hidden field
/// must equal it). Only sent to the login form's own path.
pub const LOGIN_CSRF_COOKIE: &str = "styr_login_csrf";

fn login_form(
    state: &WebState,
    status: StatusCode,
    login: &str,
    error: Option<&str>,
) -> Result<Response, WebError> {
    let csrf = styr_app::random_token()?;
    let page = state.templates.render(
        "login.html",
        &json!({
            "title": "Logga in",
            "municipality_name": "",
            "page": "login",
            "user": null,
            "csrf": csrf,
            "login": login,
            "error": error,
        }),
    )?;
    let secure = if state.options.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LOGIN_CSRF_COOKIE}={csrf}; HttpOnly; SameSite=Strict; Path=/logga-in; Max-Age=3600{secure}"
    );
    let mut response = (status, Html(page)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|_| WebError::Csrf)?,
    );
    Ok(response)
}

pub async fn login_page(State(state): State<WebState>) -> Result<Response, WebError> {
    login_form(&state, StatusCode::OK, "", None)
}

#[derive(Deserialize)]
pub struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    csrf: String,
}

/// The address of the client: the connection's peer, or with `trust_proxy` the last address
/// in `X-Forwarded-For` (the one the trusted proxy added).
pub fn client_address(
    state: &WebState,
    extensions: &axum::http::Extensions,
    headers: &HeaderMap,
) -> String {
    if state.options.trust_proxy
        && let Some(forwarded) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .rfind(|address| !address.is_empty())
    {
        return forwarded.to_owned();
    }
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_default()
}

pub async fn login(
    State(state): State<WebState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let cookie_csrf = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if cookie_csrf.is_empty() || !constant_time_eq(cookie_csrf.as_bytes(), form.csrf.as_bytes()) {
        return Err(WebError::Csrf);
    }
    let address = client_address(&state, &extensions, &headers);
    match state
        .app
        .login_from(form.login.trim(), &form.password, &address)
        .await
    {
        Ok(session) => {
            let secure = if state.options.secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let cookie = format!(
                "{COOKIE}={}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{secure}",
                session.token,
                styr_app::SESSION_SECONDS
            );
            let mut response = Redirect::to("/").into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_str(&cookie).map_err(|_| WebError::Csrf)?,
            );
            Ok(response)
        }
        Err(styr_app::AppError::Forbidden(message)) => login_form(
            &state,
            StatusCode::UNAUTHORIZED,
            &form.login,
            Some(&message),
        ),
        Err(error) => Err(error.into()),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<WebState>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    if let Some((token, _)) = &viewer.session {
        state.app.logout(token).await?;
    }
    let mut response = Redirect::to("/logga-in").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("styr_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"),
    );
    Ok(response)
}

/// The viewer of a request as a handler's argument: the session's user, or the public.
impl FromRequestParts<WebState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Viewer, WebError> {
        viewer(state, &parts.headers).await
    }
}

/// A logged-in viewer as a handler's argument: pages for logged-in users only send the public
/// to the login page, before anything else of the request is read.
pub struct LoggedIn(pub Viewer);

impl FromRequestParts<WebState> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<LoggedIn, Response> {
        let viewer = viewer(state, &parts.headers)
            .await
            .map_err(IntoResponse::into_response)?;
        if viewer.session.is_none() {
            return Err(Redirect::to("/logga-in").into_response());
        }
        Ok(LoggedIn(viewer))
    }
}
