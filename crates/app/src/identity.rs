//! Sign-in with the municipality's identity provider (OpenID Connect): who a person the
//! provider vouches for is in styr, and the one-time state of a sign-in begun. The web crate
//! speaks the protocol (discovery, the authorization code flow with PKCE, the ID token's
//! signature, audience, expiry and nonce); this decides and audits every outcome.
//!
//! Matching: an administrator names the e-mail each user signs in with (`styr user oidc LOGIN
//! --epost …`): the user's one address (`users.email`, migration 0033), where reminders go too. The first sign-in whose verified e-mail claim is that e-mail stores the
//! provider's issuer and subject for the user; from then on the user is that (issuer, subject),
//! whatever e-mail the provider gives later, and another subject with the same e-mail is
//! refused. Roles and units stay styr's.

use crate::users::{actor_of, random_token, sha256_hex};
use crate::{Actor, App, AppError, Session};
use styr_store::{PendingLogin, SignInRecord, TakenLogin, utc_offset};

/// How long a sign-in may take at the provider (from leaving styr to the callback).
pub const PROVIDER_LOGIN_SECONDS: i64 = 10 * 60;

/// Who the identity provider says the person is, from an ID token whose signature, issuer,
/// audience, expiry and nonce the caller has verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderClaims {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    /// `None`: the provider does not say (Microsoft Entra ID); `Some(false)` is refused.
    pub email_verified: Option<bool>,
}

/// A sign-in refused: the page's Swedish message and the reason the audit log records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInRefused {
    /// What the person is told.
    pub message: String,
    /// Why, for the audit log (English code and detail).
    pub reason: String,
}

impl std::fmt::Display for SignInRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The e-mail as stored and compared: trimmed, lower case (sign-in and reminders alike).
pub(crate) fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// A user's e-mail address as stored (trimmed, lower case), or why it is none: the one rule of
/// `styr user epost` and `styr user oidc --epost`, which write the same address (migration
/// 0033).
pub(crate) fn checked_email(email: &str) -> Result<String, AppError> {
    let email = normalise_email(email);
    if !plausible_email(&email) {
        return Err(AppError::invalid(
            "epost",
            format!("{email} är ingen e-postadress"),
        ));
    }
    email
        .parse::<lettre::Address>()
        .map_err(|e| AppError::invalid("epost", format!("{email} är ingen e-postadress: {e}")))?;
    Ok(email)
}

/// Refuses an address that another user who signs in with the provider has: an address the
/// provider gives names one user (the unique index `users_sign_in_email` refuses a race).
pub(crate) async fn refuse_taken_sign_in_email(
    app: &App,
    login: &str,
    email: &str,
) -> Result<(), AppError> {
    if let Some(other) = app.store.identity_by_email(email).await?
        && other.login != login
    {
        return Err(AppError::invalid(
            "epost",
            format!(
                "e-postadressen {email} används redan för inloggning av {}",
                other.login
            ),
        ));
    }
    Ok(())
}

fn plausible_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl App {
    /// Names the e-mail a user signs in with at the identity provider (administrators): the
    /// user's one address, where reminders go too; a new e-mail forgets the provider identity
    /// stored for the old one. Audited.
    pub async fn set_sign_in_email(
        &self,
        actor: &Actor,
        login: &str,
        email: &str,
    ) -> Result<(), AppError> {
        actor.require_admin("koppla en användare till identitetsleverantören")?;
        let email = checked_email(email)?;
        let user = self
            .store
            .user(login)
            .await?
            .filter(|u| {
                actor
                    .municipality
                    .as_ref()
                    .is_none_or(|m| *m == u.municipality)
            })
            .ok_or_else(|| AppError::NotFound(format!("användaren {login} finns inte")))?;
        refuse_taken_sign_in_email(self, login, &email).await?;
        Ok(self
            .store
            .put_identity(&user.municipality, login, &email, &actor.login)
            .await?)
    }

    /// Stores a sign-in begun at the provider: its state (kept as its SHA-256), nonce and PKCE
    /// verifier, for the callback to take once.
    pub async fn begin_provider_login(
        &self,
        issuer: &str,
        state: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<(), AppError> {
        Ok(self
            .store
            .begin_oidc_login(
                &sha256_hex(state),
                &PendingLogin {
                    issuer: issuer.to_owned(),
                    nonce: nonce.to_owned(),
                    pkce_verifier: pkce_verifier.to_owned(),
                },
                &utc_offset(-24 * 3600),
            )
            .await?)
    }

    /// Takes the sign-in a callback's state names, once: a state used before (a replayed
    /// callback URL), unknown, or older than [`PROVIDER_LOGIN_SECONDS`] is refused.
    pub async fn take_provider_login(
        &self,
        state: &str,
    ) -> Result<Result<PendingLogin, SignInRefused>, AppError> {
        let taken = self
            .store
            .take_oidc_login(&sha256_hex(state), &utc_offset(-PROVIDER_LOGIN_SECONDS))
            .await?;
        Ok(match taken {
            TakenLogin::Taken(pending) => Ok(pending),
            TakenLogin::Used => Err(SignInRefused {
                message: "Inloggningen är redan använd: samma svar från identitetsleverantören \
                          kan bara användas en gång. Logga in igen."
                    .to_owned(),
                reason: "state already used (replayed callback)".to_owned(),
            }),
            TakenLogin::Unknown => Err(SignInRefused {
                message: "Inloggningen är okänd eller för gammal (högst 10 minuter får gå \
                          hos identitetsleverantören). Logga in igen."
                    .to_owned(),
                reason: "unknown or expired state".to_owned(),
            }),
        })
    }

    /// Signs in the user the provider's verified claims name: a new session exactly as a
    /// password login makes (cookie token, CSRF token), audited; or a refusal, audited too.
    pub async fn provider_login(
        &self,
        claims: &ProviderClaims,
        municipality_hint: Option<&str>,
    ) -> Result<Result<Session, SignInRefused>, AppError> {
        let email = claims.email.as_deref().map(normalise_email);
        let by_subject = self
            .store
            .identity_by_subject(&claims.issuer, &claims.subject)
            .await?;
        let (identity, link) = match by_subject {
            Some(identity) => (identity, false),
            None => {
                let by_email = match &email {
                    Some(email) if claims.email_verified != Some(false) => {
                        self.store.identity_by_email(email).await?
                    }
                    Some(_) => {
                        return self
                            .refuse(
                                claims,
                                municipality_hint,
                                "Identitetsleverantören har inte bekräftat din e-postadress, \
                                 så styr kan inte veta vem du är. Kontakta kommunens \
                                 IT-avdelning."
                                    .to_owned(),
                                "e-mail not verified by the provider",
                            )
                            .await;
                    }
                    None => None,
                };
                match by_email {
                    Some(identity) if identity.subject.is_none() => (identity, true),
                    Some(identity) => {
                        return self
                            .refuse(
                                claims,
                                municipality_hint,
                                format!(
                                    "Användaren med e-postadressen {} är redan kopplad till en \
                                     annan identitet hos identitetsleverantören. Kontakta \
                                     styrs administratör.",
                                    identity.email.as_deref().unwrap_or_default()
                                ),
                                &format!(
                                    "e-mail linked to another subject (user {})",
                                    identity.login
                                ),
                            )
                            .await;
                    }
                    None => {
                        let who = email.as_deref().unwrap_or("(ingen e-postadress)");
                        return self
                            .refuse(
                                claims,
                                municipality_hint,
                                format!(
                                    "Identitetsleverantören känner dig som {who}, men du har \
                                     inget konto i styr. Be styrs administratör lägga till dig."
                                ),
                                "no styr user for this identity",
                            )
                            .await;
                    }
                }
            }
        };
        let Some(user) = self.store.user(&identity.login).await? else {
            return self
                .refuse(
                    claims,
                    municipality_hint,
                    "Ditt konto i styr finns inte längre.".to_owned(),
                    "linked user removed",
                )
                .await;
        };
        let actor = actor_of(&user)?;
        let detail = format!("issuer: {}; subject: {}", claims.issuer, claims.subject);
        let action = if link {
            "oidc login (first; identity linked)"
        } else {
            "oidc login"
        };
        let recorded = self
            .store
            .record_sign_in(&SignInRecord {
                municipality: &user.municipality,
                actor: &user.login,
                action,
                detail: &detail,
                link: link.then_some((claims.issuer.as_str(), claims.subject.as_str())),
            })
            .await?;
        if !recorded {
            return self
                .refuse(
                    claims,
                    municipality_hint,
                    "Någon annan loggade in med samma e-postadress i samma ögonblick. Försök igen."
                        .to_owned(),
                    "identity linked concurrently",
                )
                .await;
        }
        let token = random_token()?;
        let csrf = random_token()?;
        self.store
            .create_session(
                &sha256_hex(&token),
                &user.login,
                &csrf,
                &utc_offset(crate::SESSION_SECONDS),
            )
            .await?;
        Ok(Ok(Session { token, csrf, actor }))
    }

    /// Audits a sign-in refused before the claims were known to be true (a replayed or unknown
    /// state, a token the provider did not give this client, an expired token, the provider's
    /// own error). `who` is what is known of the person (nothing, usually).
    pub async fn record_provider_refusal(
        &self,
        issuer: &str,
        municipality_hint: Option<&str>,
        reason: &str,
    ) -> Result<(), AppError> {
        let municipality = self.refusal_municipality(municipality_hint).await;
        self.store
            .record_sign_in(&SignInRecord {
                municipality: &municipality,
                actor: "(okänd)",
                action: "oidc login refused",
                detail: &format!("issuer: {issuer}; reason: {reason}"),
                link: None,
            })
            .await?;
        Ok(())
    }

    async fn refuse(
        &self,
        claims: &ProviderClaims,
        municipality_hint: Option<&str>,
        message: String,
        reason: &str,
    ) -> Result<Result<Session, SignInRefused>, AppError> {
        let municipality = self.refusal_municipality(municipality_hint).await;
        let who = claims.email.as_deref().unwrap_or("(okänd)");
        self.store
            .record_sign_in(&SignInRecord {
                municipality: &municipality,
                actor: who,
                action: "oidc login refused",
                detail: &format!(
                    "issuer: {}; subject: {}; reason: {reason}",
                    claims.issuer, claims.subject
                ),
                link: None,
            })
            .await?;
        Ok(Err(SignInRefused {
            message,
            reason: reason.to_owned(),
        }))
    }

    /// The municipality a refusal is audited in: the one the server shows the public, else the
    /// only one stored, else none.
    async fn refusal_municipality(&self, hint: Option<&str>) -> String {
        if let Some(hint) = hint {
            return hint.to_owned();
        }
        self.working_municipality(&Actor::public(None), None)
            .await
            .unwrap_or_default()
    }
}
