//! Sign-in with the municipality's identity provider (OpenID Connect): the authorization code
//! flow with PKCE, through the `openidconnect` crate. This module speaks the protocol —
//! discovery from the issuer's `.well-known/openid-configuration`, the redirect to the
//! provider, the code exchange, the ID token's signature, issuer, audience, expiry and nonce —
//! and `styr-app` decides who the person is, makes the session and audits every outcome.
//!
//! The state, nonce and PKCE verifier of a sign-in begun are kept in the database (taken once by
//! the callback, so a replayed callback URL is refused by any server process), and the state is
//! also kept in a cookie of the browser that began it (`styr_oidc_state`, for `/oidc` only), so
//! that a callback URL cannot sign another browser in.

use crate::WebState;
use crate::auth::{COOKIE, cookie, login_form};
use crate::error::WebError;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken, IssuerUrl,
    Nonce, PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout,
    RedirectUrl, Scope, TokenResponse,
};
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use styr_app::{ProviderClaims, SignInRefused};
use tokio::sync::Mutex;

/// The cookie that binds a sign-in to the browser that began it.
pub const STATE_COOKIE: &str = "styr_oidc_state";
/// Set at a provider sign-in, so that logging out also ends the provider's session.
pub const SSO_COOKIE: &str = "styr_sso";
/// How long discovery and the provider's keys are kept before they are fetched again.
const METADATA_SECONDS: u64 = 3600;

/// The identity provider styr signs people in with (`styr serve --oidc-…`).
#[derive(Clone, Default)]
pub struct OidcOptions {
    /// The issuer, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`.
    pub issuer: String,
    pub client_id: String,
    /// The client secret (from `STYR_OIDC_CLIENT_SECRET`); never printed.
    pub client_secret: Option<String>,
    /// The callback registered at the provider: `https://styr.kommun.se/oidc/callback`.
    pub redirect_url: String,
    /// What the login page calls the provider ("Logga in med …").
    pub provider_name: String,
}

impl std::fmt::Debug for OidcOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcOptions")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "(dold)"),
            )
            .field("redirect_url", &self.redirect_url)
            .field("provider_name", &self.provider_name)
            .finish()
    }
}

impl OidcOptions {
    /// Where the provider sends the browser back after its logout: the login page of the
    /// site the callback is on.
    fn post_logout_url(&self) -> Option<String> {
        let url = openidconnect::url::Url::parse(&self.redirect_url).ok()?;
        Some(format!("{}/logga-in", url.origin().ascii_serialization()))
    }
}

/// The provider's metadata (with its keys), fetched on the first sign-in.
struct Discovered {
    metadata: ProviderMetadataWithLogout,
    fetched: Instant,
}

/// The provider and what was discovered of it.
pub struct Oidc {
    pub options: OidcOptions,
    http: openidconnect::reqwest::Client,
    discovered: Mutex<Option<Arc<Discovered>>>,
}

impl Oidc {
    pub fn new(options: OidcOptions) -> Oidc {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider's answer send styr elsewhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            // A sign-in's requests are minutes apart: a kept connection the provider has
            // closed meanwhile would fail the code exchange (a POST is not retried).
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        Oidc {
            options,
            http,
            discovered: Mutex::new(None),
        }
    }

    /// The provider's metadata and keys: kept for an hour, fetched again after.
    async fn metadata(&self) -> Result<Arc<Discovered>, String> {
        let mut kept = self.discovered.lock().await;
        if let Some(found) = kept.as_ref()
            && found.fetched.elapsed() < Duration::from_secs(METADATA_SECONDS)
        {
            return Ok(found.clone());
        }
        let issuer = IssuerUrl::new(self.options.issuer.clone()).map_err(|e| e.to_string())?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|e| error_chain(&e))?;
        let found = Arc::new(Discovered {
            metadata,
            fetched: Instant::now(),
        });
        *kept = Some(found.clone());
        Ok(found)
    }

    /// The provider's end-session endpoint, when it has one and it is known.
    async fn end_session(&self) -> Option<openidconnect::url::Url> {
        let found = self.discovered.lock().await.clone()?;
        found
            .metadata
            .additional_metadata()
            .end_session_endpoint
            .as_ref()
            .map(|url| url.url().clone())
    }
}

/// An error and its sources in one line (the provider's answer is in a source).
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn secure(state: &WebState) -> &'static str {
    if state.options.secure_cookies {
        "; Secure"
    } else {
        ""
    }
}

fn set_cookie(response: &mut Response, value: &str) -> Result<(), WebError> {
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_str(value).map_err(|_| WebError::Csrf)?,
    );
    Ok(())
}

/// The refusal page: the login page with the reason, 403.
fn refused(state: &WebState, message: &str) -> Result<Response, WebError> {
    login_form(
        state,
        StatusCode::FORBIDDEN,
        "",
        Some(&format!("Inloggningen nekades. {message}")),
    )
}

/// `GET /logga-in/oidc`: begins a sign-in and sends the browser to the provider.
pub async fn begin(State(state): State<WebState>) -> Result<Response, WebError> {
    let Some(oidc) = state.oidc.clone() else {
        return Err(WebError::NotFound(
            "inloggning med identitetsleverantör är inte inställd".to_owned(),
        ));
    };
    let found = match oidc.metadata().await {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(issuer = %oidc.options.issuer, error = %error, "oidc discovery failed");
            return login_form(
                &state,
                StatusCode::BAD_GATEWAY,
                "",
                Some(&format!(
                    "{} svarar inte just nu, så inloggningen kan inte börja. Försök igen om en \
                     stund.",
                    oidc.options.provider_name
                )),
            );
        }
    };
    let redirect = RedirectUrl::new(oidc.options.redirect_url.clone()).map_err(|e| {
        WebError::App(styr_app::AppError::Conflict(format!(
            "--oidc-redirect-url: {e}"
        )))
    })?;
    let client = CoreClient::from_provider_metadata(
        found.metadata.clone(),
        ClientId::new(oidc.options.client_id.clone()),
        oidc.options.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(redirect);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf_state, nonce) = client
        .authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .add_scope(Scope::new("email".to_owned()))
        .add_scope(Scope::new("profile".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    state
        .app
        .begin_provider_login(
            &oidc.options.issuer,
            csrf_state.secret(),
            nonce.secret(),
            verifier.secret(),
        )
        .await?;
    let mut response = Redirect::to(url.as_str()).into_response();
    set_cookie(
        &mut response,
        &format!(
            "{STATE_COOKIE}={}; HttpOnly; SameSite=Lax; Path=/oidc; Max-Age={}{}",
            csrf_state.secret(),
            styr_app::PROVIDER_LOGIN_SECONDS,
            secure(&state)
        ),
    )?;
    Ok(response)
}

/// What the provider sends back.
#[derive(Deserialize)]
pub struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// `GET /oidc/callback`: the provider's answer. Every outcome is audited; a refusal is the login
/// page with the reason.
pub async fn callback(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(answer): Query<Callback>,
) -> Result<Response, WebError> {
    let Some(oidc) = state.oidc.clone() else {
        return Err(WebError::NotFound(
            "inloggning med identitetsleverantör är inte inställd".to_owned(),
        ));
    };
    let hint = state.options.public_municipality.clone();
    let issuer = oidc.options.issuer.clone();
    let refuse = |message: String, reason: String| {
        let state = state.clone();
        let issuer = issuer.clone();
        let hint = hint.clone();
        async move {
            tracing::info!(issuer = %issuer, reason = %reason, "oidc login refused");
            state
                .app
                .record_provider_refusal(&issuer, hint.as_deref(), &reason)
                .await?;
            refused(&state, &message)
        }
    };
    if let Some(error) = &answer.error {
        return refuse(
            format!(
                "{} avbröt inloggningen ({error}{}).",
                oidc.options.provider_name,
                answer
                    .error_description
                    .as_deref()
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
            format!(
                "provider error {error}: {}",
                answer.error_description.as_deref().unwrap_or("")
            ),
        )
        .await;
    }
    let (Some(code), Some(given_state)) = (&answer.code, &answer.state) else {
        return refuse(
            "Svaret från identitetsleverantören saknar kod eller state.".to_owned(),
            "callback without code or state".to_owned(),
        )
        .await;
    };
    let kept = cookie(&headers, STATE_COOKIE).unwrap_or_default();
    if kept.is_empty() || !crate::auth::constant_time_eq(kept.as_bytes(), given_state.as_bytes()) {
        return refuse(
            "Inloggningen började inte i den här webbläsaren (eller tog mer än 10 minuter). \
             Logga in igen."
                .to_owned(),
            "state does not match the browser's cookie".to_owned(),
        )
        .await;
    }
    let pending = match state.app.take_provider_login(given_state).await? {
        Ok(pending) => pending,
        Err(SignInRefused { message, reason }) => return refuse(message, reason).await,
    };
    if pending.issuer != issuer {
        return refuse(
            "Inloggningen började hos en annan identitetsleverantör. Logga in igen.".to_owned(),
            format!("begun at issuer {}", pending.issuer),
        )
        .await;
    }
    let claims = match exchange(&oidc, code, &pending).await {
        Ok(claims) => claims,
        Err(SignInRefused { message, reason }) => return refuse(message, reason).await,
    };
    match state.app.provider_login(&claims, hint.as_deref()).await? {
        Ok(session) => {
            tracing::info!(issuer = %issuer, login = %session.actor.login, "oidc login");
            let mut response = Redirect::to("/").into_response();
            set_cookie(
                &mut response,
                &format!(
                    "{COOKIE}={}; HttpOnly; SameSite=Lax; Path=/; Max-Age={}{}",
                    session.token,
                    styr_app::SESSION_SECONDS,
                    secure(&state)
                ),
            )?;
            set_cookie(
                &mut response,
                &format!(
                    "{SSO_COOKIE}=1; HttpOnly; SameSite=Lax; Path=/logga-ut; Max-Age={}{}",
                    styr_app::SESSION_SECONDS,
                    secure(&state)
                ),
            )?;
            set_cookie(
                &mut response,
                &format!(
                    "{STATE_COOKIE}=; HttpOnly; SameSite=Lax; Path=/oidc; Max-Age=0{}",
                    secure(&state)
                ),
            )?;
            Ok(response)
        }
        Err(SignInRefused { message, .. }) => refused(&state, &message),
    }
}

/// Exchanges the code (with the PKCE verifier) at the provider's token endpoint and verifies
/// the ID token: signature by the provider's keys, issuer, audience (this client), expiry and
/// the nonce of this sign-in.
async fn exchange(
    oidc: &Oidc,
    code: &str,
    pending: &styr_app::PendingLogin,
) -> Result<ProviderClaims, SignInRefused> {
    let unreachable = |reason: String| SignInRefused {
        message: format!(
            "{} svarade inte som väntat. Försök igen om en stund.",
            oidc.options.provider_name
        ),
        reason,
    };
    let found = oidc.metadata().await.map_err(unreachable)?;
    let redirect = RedirectUrl::new(oidc.options.redirect_url.clone())
        .map_err(|e| unreachable(e.to_string()))?;
    let client = CoreClient::from_provider_metadata(
        found.metadata.clone(),
        ClientId::new(oidc.options.client_id.clone()),
        oidc.options.client_secret.clone().map(ClientSecret::new),
    )
    .set_redirect_uri(redirect);
    let response = client
        .exchange_code(AuthorizationCode::new(code.to_owned()))
        .map_err(|e| unreachable(format!("token endpoint: {e}")))?
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier.clone()))
        .request_async(&oidc.http)
        .await
        .map_err(|e| SignInRefused {
            message: format!(
                "{} godtog inte inloggningens kod. Logga in igen.",
                oidc.options.provider_name
            ),
            reason: format!("code exchange failed: {}", error_chain(&e)),
        })?;
    let Some(id_token) = response.id_token() else {
        return Err(unreachable("no ID token in the token response".to_owned()));
    };
    let verifier = client.id_token_verifier();
    let claims = id_token
        .claims(&verifier, &Nonce::new(pending.nonce.clone()))
        .map_err(|error| {
            let message = match &error {
                ClaimsVerificationError::InvalidAudience(_) => {
                    "Identitetsbeviset (ID-token) är utfärdat för en annan tjänst än styr."
                }
                ClaimsVerificationError::Expired(_) => {
                    "Identitetsbeviset (ID-token) har redan gått ut. Logga in igen; går det \
                     inte, kontrollera att serverns klocka går rätt."
                }
                ClaimsVerificationError::InvalidNonce(_) => {
                    "Identitetsbeviset (ID-token) hör till en annan inloggning."
                }
                ClaimsVerificationError::InvalidIssuer(_) => {
                    "Identitetsbeviset (ID-token) är utfärdat av en annan identitetsleverantör."
                }
                _ => "Identitetsbeviset (ID-token) gick inte att kontrollera.",
            };
            SignInRefused {
                message: message.to_owned(),
                reason: format!("ID token refused: {error}"),
            }
        })?;
    Ok(ProviderClaims {
        issuer: claims.issuer().as_str().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        email: claims.email().map(|email| email.as_str().to_owned()),
        email_verified: claims.email_verified(),
    })
}

/// Where logging out goes: the provider's end-session endpoint when the session began there and
/// the provider has one (it sends the browser back to the login page), else the login page.
pub async fn logout_target(state: &WebState, headers: &HeaderMap) -> String {
    let Some(oidc) = state.oidc.as_ref() else {
        return "/logga-in".to_owned();
    };
    if cookie(headers, SSO_COOKIE).is_none_or(|value| value.is_empty()) {
        return "/logga-in".to_owned();
    }
    let Some(mut end) = oidc.end_session().await else {
        return "/logga-in".to_owned();
    };
    {
        let mut query = end.query_pairs_mut();
        query.append_pair("client_id", &oidc.options.client_id);
        if let Some(back) = oidc
            .options
            .post_logout_url()
            .and_then(|url| PostLogoutRedirectUrl::new(url).ok())
        {
            query.append_pair("post_logout_redirect_uri", back.as_str());
        }
    }
    end.to_string()
}
