//! The web application: server-rendered pages in Swedish and a JSON API under `/api/v1`, on the
//! use cases of `styr-app`. This is the only crate that knows HTTP, cookies and JSON; it holds
//! no business rule and no SQL — handlers parse, call one use case and present.
//!
//! Security: sessions in an HttpOnly, SameSite=Lax cookie (Secure when served behind TLS), a
//! CSRF token in every form, argon2id passwords and throttled logins (in `styr-app`), a Content
//! Security Policy without inline script, every page escaped by the template engine.

mod alternatives;
mod api;
mod api_alternatives;
mod api_process;
mod auth;
mod authoring;
mod control;
mod drill;
mod error;
mod etag;
mod grid;
mod measures;
mod municipality;
mod open_data;
mod page_cache;

mod oidc;
mod ops;
mod pages;
mod periods;
mod process;
mod public;
mod reminders;
mod reporting;
mod sections_api;
mod statutory;
mod templates;
mod trace;
mod trace_followup;
mod trace_plan;
mod trace_reports;
mod trace_statutory;
mod vouchers_api;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::routing::{get, post, put};
use std::sync::Arc;
use styr_app::App;

pub use api::openapi_json;
pub use error::WebError;
pub use public::AccessibilityOptions;

pub use oidc::OidcOptions;

/// How the application is served.
#[derive(Debug, Clone, Default)]
pub struct WebOptions {
    /// Mark the session cookie Secure (when served behind TLS).
    pub secure_cookies: bool,
    /// Take the client's address (for login throttling) from the last `X-Forwarded-For`
    /// entry: only when a reverse proxy in front sets it.
    pub trust_proxy: bool,
    /// The municipality whose published plan the public sees; `None`: the only one in the
    /// database (with several, public pages say that none is chosen).
    pub public_municipality: Option<String>,
    /// The licence open data (`/data/`) is published under (`styr serve --licens`; CC0).
    pub licence: styr_app::Licence,
    /// What the public site's tillgänglighetsredogörelse says of contact and assessment.
    pub accessibility: AccessibilityOptions,
    /// The site's public address (`styr serve --bas-url https://…`): a generated PDF links
    /// each figure to its trace under it (`/spar/…`); without it a PDF has no such links.
    pub base_url: Option<String>,
    /// Sign-in with the municipality's identity provider (OpenID Connect).
    pub oidc: Option<OidcOptions>,
    /// Local passwords switched off: the login page offers the identity provider only and
    /// `POST /logga-in` is refused.
    pub passwords_off: bool,
}

/// What every handler gets: the use cases and the templates.
#[derive(Clone)]
pub struct WebState {
    pub app: App,
    templates: Arc<templates::Templates>,
    options: WebOptions,
    /// What `/metrics` reports; shared by the clones.
    metrics: Arc<ops::Metrics>,
    /// Rendered public answers (open data, public pages), kept until the data changes.
    pub(crate) public: Arc<etag::PublicCache>,
    /// Rendered logged-in report pages, per session, kept until the data changes.
    pub(crate) pages: Arc<page_cache::PageCache>,
    /// The identity provider, when one is configured; shared by the clones.
    oidc: Option<Arc<oidc::Oidc>>,
}

impl WebState {
    pub fn new(app: App, options: WebOptions) -> WebState {
        WebState {
            app,
            templates: Arc::new(templates::Templates::new()),
            oidc: options.oidc.clone().map(|o| Arc::new(oidc::Oidc::new(o))),
            options,
            metrics: Arc::default(),
            public: Arc::default(),
            pages: Arc::default(),
        }
    }
}

impl WebState {
    /// The base of a document's trace links: a PDF's only where the site's address is
    /// configured (a PDF is read away from the site); an HTML page's from the site's root
    /// otherwise (it is read on the site).
    pub(crate) fn trace_base(&self, format: styr_app::DocumentFormat) -> Option<&str> {
        match (format, self.options.base_url.as_deref()) {
            (_, Some(base)) => Some(base),
            (styr_app::DocumentFormat::Html, None) => Some(""),
            (styr_app::DocumentFormat::Pdf, None) => None,
        }
    }
}

/// The largest request body (a form or an API call's JSON): 1 MiB, far above the largest form
/// (a period's reporting page) and below what would let a client make the server hold much.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Refuses a body that says it is over [`MAX_BODY_BYTES`] with 413 and a Swedish sentence
/// before it is read; a body without a length is cut at the same size by `DefaultBodyLimit`.
async fn body_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return error::too_large(MAX_BODY_BYTES);
    }
    next.run(request).await
}

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                   frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

async fn security_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// What every page answer gets besides the security headers: an error answer (a `WebError`, or
/// axum's own plain-text refusal of a request it cannot read) is drawn as a page in the site's
/// frame, with the header and menu of whoever asks; and an answer to a logged-in browser is
/// never stored (`Cache-Control: no-store`), so that the back button after logging out does not
/// show what only the user could see. The API and the stylesheet are left as they are.
async fn page_frame(
    axum::extract::State(state): axum::extract::State<WebState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = request.uri().path().to_owned();
    let organ = auth::asked_organ(request.uri().query());
    let headers = request.headers().clone();
    let mut response = next.run(request).await;
    if path.starts_with("/api/")
        || path.starts_with("/static/")
        || path == "/healthz"
        || path == "/metrics"
    {
        return response;
    }
    let framed = error::framed_error(&state, &headers, &mut response).await;
    if let Some(framed) = framed {
        response = framed;
    }
    // A body chosen in the query (the header's switcher) is kept for the following pages.
    if let Some(organ) = organ
        && styr_domain::Id::parse(&organ).is_ok()
        && response.status().as_u16() < 400
    {
        let secure = if state.options.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!(
            "{}={organ}; HttpOnly; SameSite=Lax; Path=/; Max-Age=31536000{secure}",
            auth::ORGAN_COOKIE
        );
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    if auth::has_session_cookie(&headers) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// The application's routes. Every route decides its permission through the use case it calls;
/// pages that need a login redirect to it.
pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/", get(pages::overview))
        .route("/kommun", get(municipality::kommun))
        .route(
            "/alternativ",
            get(alternatives::list).post(alternatives::create),
        )
        .route("/alternativ/jamfor", get(alternatives::compare))
        .route(
            "/alternativ/jamfor/dokument",
            get(alternatives::comparison_document),
        )
        .route("/alternativ/{id}", get(alternatives::show))
        .route("/alternativ/{id}/ramar", post(alternatives::frames))
        .route("/alternativ/{id}/skatt", post(alternatives::tax))
        .route("/alternativ/{id}/mal", post(alternatives::add_goal))
        .route(
            "/alternativ/{id}/mal/ta-bort",
            post(alternatives::remove_goal),
        )
        .route(
            "/alternativ/{id}/uppdrag",
            post(alternatives::add_assignment),
        )
        .route(
            "/alternativ/{id}/uppdrag/ta-bort",
            post(alternatives::remove_assignment),
        )
        .route("/alternativ/{id}/lamna-in", post(alternatives::submit))
        .route("/alternativ/{id}/publicera", post(alternatives::publish))
        .route(
            "/alternativ/{id}/dokument",
            get(alternatives::alternative_document),
        )
        .route("/logga-in", get(auth::login_page).post(auth::login))
        .route("/logga-ut", post(auth::logout))
        .route("/logga-in/oidc", get(oidc::begin))
        .route("/oidc/callback", get(oidc::callback))
        .route("/mal", get(pages::goals))
        .route("/uppdrag", get(pages::assignments))
        .route("/uppdrag/{id}", get(pages::assignment))
        .route("/rapportering", get(grid::grid).post(grid::save))
        .route("/rapportering/formular", get(reporting::reporting))
        .route("/rapportering/rapport", post(reporting::submit))
        .route("/rapportering/status", post(pages::report_status))
        .route(
            "/rapportering/matt",
            get(measures::measures).post(measures::save),
        )
        .route("/perioder", get(periods::calendar))
        .route("/perioder/stang", post(periods::close))
        .route("/perioder/oppna", post(periods::reopen))
        .route("/kontroll", get(control::internal_control))
        .route("/plan/skriv", get(authoring::sections))
        .route(
            "/plan/skriv/{*path}",
            get(authoring::section).post(authoring::save),
        )
        .route("/budget", get(pages::budget))
        .route("/budget/rad", get(drill::drill_down))
        .route("/dokument", get(pages::documents))
        .route("/dokument/plan.{format}", get(pages::plan_document))
        .route("/dokument/rapport/{file}", get(pages::period_document))
        .route("/dokument/kommun/{file}", get(statutory::document))
        .route("/handelselogg", get(pages::audit))
        .route("/budgetprocess", get(process::overview))
        .route("/budgetprocess/kalender", post(process::set_calendar))
        .route(
            "/budgetprocess/{body}",
            get(process::body).post(process::move_proposal),
        )
        .route("/beredning", get(process::questions))
        .route("/beredning/fraga", post(process::ask))
        .route("/beredning/svar", post(process::answer))
        .route("/static/style.css", get(pages::stylesheet))
        .route("/static/grid.js", get(grid::script))
        .route("/api/v1/plan", get(api::plan))
        .route("/api/v1/periods", get(api::periods))
        .route("/api/v1/assignments", get(api::assignments))
        .route(
            "/api/v1/assignments/{id}/reports/{period}",
            put(api::put_assignment_report),
        )
        .route("/api/v1/budget-vs-actual", get(api::budget_vs_actual))
        .route(
            "/api/v1/budget-vs-actual/vouchers",
            get(vouchers_api::vouchers),
        )
        .route("/api/v1/audit", get(api::audit))
        .route("/api/v1/plan/sections", get(sections_api::sections))
        .route(
            "/api/v1/plan/sections/{*path}",
            get(sections_api::section)
                .put(sections_api::put_section)
                .post(sections_api::preview_section),
        )
        .route(
            "/api/v1/alternatives",
            get(api_alternatives::list_alternatives).post(api_alternatives::create_alternative),
        )
        .route(
            "/api/v1/alternatives/compare",
            get(api_alternatives::compare_alternatives),
        )
        .route(
            "/api/v1/alternatives/{id}",
            get(api_alternatives::get_alternative),
        )
        .route(
            "/api/v1/alternatives/{id}/frames",
            put(api_alternatives::set_frames),
        )
        .route(
            "/api/v1/alternatives/{id}/submit",
            post(api_alternatives::submit_alternative),
        )
        .route(
            "/api/v1/alternatives/{id}/publish",
            post(api_alternatives::publish_alternative),
        )
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/process", get(api_process::process))
        .route("/api/v1/proposals/{body}", get(api_process::proposal))
        .route(
            "/api/v1/proposals/{body}/transitions",
            post(api_process::move_proposal),
        )
        .route(
            "/api/v1/calendar",
            get(api_process::calendar).put(api_process::set_calendar),
        )
        .route(
            "/api/v1/questions",
            get(api_process::questions).post(api_process::ask),
        )
        .route("/api/v1/questions/{id}/answer", put(api_process::answer))
        .merge(open_data::routes())
        .route("/healthz", get(ops::healthz))
        .route("/metrics", get(ops::metrics))
        .merge(public::routes())
        .merge(trace::routes())
        .merge(trace_followup::routes())
        .merge(trace_plan::routes())
        .merge(trace_reports::routes())
        .merge(trace_statutory::routes())
        .merge(reminders::routes())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_cache::serve,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            page_frame,
        ))
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(body_limit))
        .layer(axum::middleware::from_fn(security_headers))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            ops::observe,
        ))
        .with_state(state)
}

/// Serves the application until the process ends.
pub async fn serve(state: WebState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await
}
