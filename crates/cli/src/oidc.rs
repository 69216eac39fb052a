//! `styr serve --oidc-…`: sign-in with the municipality's identity provider (OpenID Connect),
//! and `styr user oidc LOGIN --epost …`: the e-mail a user signs in with there.

use crate::store::{actor, with_app};
use anyhow::{Result, bail};
use std::process::ExitCode;
use styr_app::App;

/// The environment variable that holds the client secret (never a command-line argument: it
/// would show in the process list).
pub const SECRET_VARIABLE: &str = "STYR_OIDC_CLIENT_SECRET";

#[derive(clap::Args, Debug, Default)]
pub struct OidcArgs {
    /// Identitetsleverantörens utfärdare (issuer), t.ex.
    /// https://login.microsoftonline.com/<tenant-id>/v2.0; klienthemligheten läses från
    /// miljövariabeln STYR_OIDC_CLIENT_SECRET.
    #[arg(long = "oidc-issuer")]
    pub issuer: Option<String>,
    /// Klient-id (application id) som styr är registrerad med hos leverantören.
    #[arg(long = "oidc-client-id")]
    pub client_id: Option<String>,
    /// Adressen leverantören skickar tillbaka till: https://<styr>/oidc/callback.
    #[arg(long = "oidc-redirect-url")]
    pub redirect_url: Option<String>,
    /// Vad inloggningssidan kallar leverantören ("Logga in med …").
    #[arg(long = "oidc-namn", default_value = "kommunens inloggning")]
    pub provider_name: String,
    /// false: inloggning med lokala lösenord är avstängd (bara identitetsleverantören).
    #[arg(long = "lokala-losenord", default_value_t = true, action = clap::ArgAction::Set)]
    pub local_passwords: bool,
}

impl OidcArgs {
    /// The server's sign-in options: the provider (when named) and whether local passwords are
    /// switched off. The secret comes from [`SECRET_VARIABLE`].
    pub fn options(self) -> Result<(Option<styr_web::OidcOptions>, bool)> {
        let provider = match (self.issuer, self.client_id, self.redirect_url) {
            (None, None, None) => None,
            (Some(issuer), Some(client_id), Some(redirect_url)) => {
                for (flag, url) in [
                    ("--oidc-issuer", &issuer),
                    ("--oidc-redirect-url", &redirect_url),
                ] {
                    if !(url.starts_with("https://") || url.starts_with("http://")) {
                        bail!("{flag} {url}: ska vara en adress som börjar med https://");
                    }
                }
                if !redirect_url.ends_with("/oidc/callback") {
                    bail!(
                        "--oidc-redirect-url {redirect_url}: ska sluta på /oidc/callback (styrs \
                         adress för svaret)"
                    );
                }
                let client_secret = std::env::var(SECRET_VARIABLE)
                    .ok()
                    .filter(|secret| !secret.is_empty());
                Some(styr_web::OidcOptions {
                    issuer: issuer.trim_end_matches('/').to_owned(),
                    client_id,
                    client_secret,
                    redirect_url,
                    provider_name: self.provider_name,
                })
            }
            _ => bail!(
                "inloggning med identitetsleverantör behöver alla tre: --oidc-issuer, \
                 --oidc-client-id och --oidc-redirect-url"
            ),
        };
        if !self.local_passwords && provider.is_none() {
            bail!(
                "--lokala-losenord false utan --oidc-issuer: då kan ingen logga in; ange \
                 identitetsleverantören"
            );
        }
        Ok((provider, !self.local_passwords))
    }
}

/// `styr user oidc LOGIN --epost …`.
pub fn link(login: &str, email: &str, db: &str) -> Result<ExitCode> {
    let operator = actor(None);
    with_app(db, async |app: &App| {
        app.set_sign_in_email(&operator, login, email).await
    })?;
    println!(
        "{login} loggar in med {} hos identitetsleverantören (kopplas vid första inloggningen)",
        email.trim().to_lowercase()
    );
    Ok(ExitCode::SUCCESS)
}
