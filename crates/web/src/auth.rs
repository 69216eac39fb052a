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
    /// The bodies of the municipality and the one this request is about (`?organ=`, else the
    /// cookie, else the default body: `App::choose_body`); `None` when it could not be
    /// told (no plan, several municipalities), and the pages then ask as before.
    pub bodies: Option<styr_app::BodyChoice>,
    /// The request's path, for the body switcher's form.
    pub path: String,
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
    /// Whether the user writes some body's plan (the menu's «Skriv»).
    pub may_write: bool,
    /// Whether the user sees and changes the e-mail reminders (the menu's «Påminnelser»).
    pub may_remind: bool,
}

impl Viewer {
    /// The plan this request is about: the chosen body's (no body named when the
    /// municipality holds one body's plan).
    pub fn selector(&self) -> styr_app::PlanSelector {
        self.bodies
            .as_ref()
            .map(|choice| choice.selector.clone())
            .unwrap_or_default()
    }

    /// What the page frame shows of the bodies: the switcher's options, the chosen one and
    /// where the switcher's form goes (the page itself, or the start page for a page of one
    /// item: that item need not exist in the other body's plan). Empty with one body.
    pub fn bodies_view(&self) -> serde_json::Value {
        let Some(choice) = self.bodies.as_ref().filter(|choice| choice.several()) else {
            return json!({"organ": "", "bodies": [], "switch_action": "/"});
        };
        let depth = self.path.trim_matches('/').split('/').count();
        let action = if depth <= 1 { self.path.as_str() } else { "/" };
        json!({
            "organ": choice.chosen,
            "bodies": choice
                .bodies
                .iter()
                .map(|b| json!({"id": b.id, "name": b.name}))
                .collect::<Vec<_>>(),
            "switch_action": action,
        })
    }

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
            may_write: matches!(
                self.actor.role,
                Role::Admin | Role::Controller | Role::Strategist | Role::Writer
            ),
            may_remind: self.actor.require_controller("").is_ok(),
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

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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

/// The cookie that keeps the body chosen in the header's switcher (`?organ=`), so that the
/// menu's links need not carry it.
pub const ORGAN_COOKIE: &str = "styr_organ";

/// The body a request asks for in its query (`?organ=sn`), as written.
pub fn asked_organ(query: Option<&str>) -> Option<String> {
    query?
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "organ")
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// The body kept in the cookie, when it is an id.
fn organ_cookie(headers: &HeaderMap) -> Option<String> {
    cookie(headers, ORGAN_COOKIE).filter(|value| styr_domain::Id::parse(value).is_ok())
}

/// The viewer of a request: the session's user, or the public, with the body it is about.
/// A body asked for in the query that the municipality does not hold is not found; one kept
/// in the cookie is forgotten.
pub async fn viewer_of(
    state: &WebState,
    headers: &HeaderMap,
    path: &str,
    query: Option<&str>,
) -> Result<Viewer, WebError> {
    let (actor, session, name) = match session_token(headers) {
        Some(token) => match state.app.session(&token).await? {
            Some((actor, csrf, name)) => (actor, Some((token, csrf)), name),
            None => (
                Actor::public(state.options.public_municipality.clone()),
                None,
                None,
            ),
        },
        None => (
            Actor::public(state.options.public_municipality.clone()),
            None,
            None,
        ),
    };
    let bodies = match asked_organ(query) {
        Some(asked) => Some(state.app.choose_body(&actor, None, Some(&asked)).await?),
        None => {
            let kept = organ_cookie(headers);
            match state.app.choose_body(&actor, None, kept.as_deref()).await {
                Ok(choice) => Some(choice),
                Err(_) if kept.is_some() => state.app.choose_body(&actor, None, None).await.ok(),
                Err(_) => None,
            }
        }
    };
    Ok(Viewer {
        actor,
        session,
        name,
        bodies,
        path: path.to_owned(),
    })
}

/// The viewer of a request without its path and query (an error page's frame).
pub async fn viewer(state: &WebState, headers: &HeaderMap) -> Result<Viewer, WebError> {
    viewer_of(state, headers, "/", None).await
}

/// The cookie that carries the login form's CSRF token (double submit: the form's hidden field
/// must equal it). Only sent to the login form's own path.
pub const LOGIN_CSRF_COOKIE: &str = "styr_login_csrf";

pub(crate) fn login_form(
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
            "provider": state.oidc.as_ref().map(|oidc| oidc.options.provider_name.clone()),
            "passwords": !state.options.passwords_off,
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
    if state.options.passwords_off {
        return login_form(
            &state,
            StatusCode::FORBIDDEN,
            "",
            Some("Inloggning med lösenord är avstängd här: logga in via identitetsleverantören."),
        );
    }
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

/// Ends the styr session; a session begun at the identity provider goes on to the provider's
/// end-session endpoint when it has one.
pub async fn logout(
    State(state): State<WebState>,
    headers: HeaderMap,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> Result<Response, WebError> {
    viewer.check_csrf(&form.csrf)?;
    if let Some((token, _)) = &viewer.session {
        state.app.logout(token).await?;
    }
    let target = crate::oidc::logout_target(&state, &headers).await;
    let mut response = Redirect::to(&target).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("styr_session=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0"),
    );
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("styr_sso=; HttpOnly; SameSite=Lax; Path=/logga-ut; Max-Age=0"),
    );
    Ok(response)
}

/// The viewer of a request as a handler's argument: the session's user, or the public.
impl FromRequestParts<WebState> for Viewer {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Viewer, WebError> {
        viewer_of(state, &parts.headers, parts.uri.path(), parts.uri.query()).await
    }
}

/// A logged-in viewer as a handler's argument: pages for logged-in users only send the public
/// to the login page, before anything else of the request is read.
pub struct LoggedIn(pub Viewer);

impl FromRequestParts<WebState> for LoggedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<LoggedIn, Response> {
        let viewer = viewer_of(state, &parts.headers, parts.uri.path(), parts.uri.query())
            .await
            .map_err(IntoResponse::into_response)?;
        if viewer.session.is_none() {
            return Err(Redirect::to("/logga-in").into_response());
        }
        Ok(LoggedIn(viewer))
    }
}
