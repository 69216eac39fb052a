//! Users and their sessions: adding a user (administrators), logging in with a password
//! (argon2id; throttled after repeated failures), the session behind a cookie with its CSRF
//! token, and API tokens. Secrets leave here once, to the person, and are stored only hashed.

use crate::{Actor, App, AppError, Role};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use styr_domain::Id;
use styr_store::{UserRecord, utc_offset};

/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 8 * 3600;
/// Failed logins for one login within `THROTTLE_SECONDS` before further attempts are refused.
pub const MAX_FAILURES: u64 = 5;
pub const THROTTLE_SECONDS: i64 = 15 * 60;

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub role: Role,
    pub units: Vec<Id>,
    /// The municipality; `None`: the only one in the database.
    pub municipality: Option<String>,
    pub password: String,
}

/// A user as listed (never with the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub login: String,
    pub municipality: String,
    pub role: Role,
    pub units: Vec<String>,
}

/// A logged-in session: the token for the cookie (shown once) and the CSRF token of its forms.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub actor: Actor,
}

/// A random token: 32 bytes from the operating system, as hex.
fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Conflict(format!("ingen slumpkälla: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the store keeps of a token.
fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

pub(crate) fn actor_of(user: &UserRecord) -> Result<Actor, AppError> {
    let role = Role::parse(&user.role)
        .ok_or_else(|| AppError::Conflict(format!("okänd roll {}", user.role)))?;
    Ok(Actor {
        login: user.login.clone(),
        role,
        municipality: Some(user.municipality.clone()),
        units: user
            .units
            .iter()
            .filter_map(|u| Id::parse(u).ok())
            .collect(),
    })
}

impl App {
    /// Adds a user (or replaces the role, units and password of an existing one), audited.
    /// Administrators only.
    pub async fn add_user(&self, actor: &Actor, new: &NewUser) -> Result<bool, AppError> {
        actor.require_admin("lägga till användare")?;
        if new.role == Role::Public {
            return Err(AppError::invalid(
                "role",
                "allmänheten är ingen roll för en användare",
            ));
        }
        if new.password.chars().count() < 12 {
            return Err(AppError::invalid(
                "password",
                "lösenordet ska ha minst 12 tecken",
            ));
        }
        Id::parse(&new.login).map_err(|e| AppError::invalid("login", e.to_string()))?;
        let plan = self
            .load_plan(
                actor,
                &crate::PlanSelector {
                    municipality: new.municipality.clone(),
                    version: None,
                },
            )
            .await?;
        for unit in &new.units {
            let known = plan.bodies.iter().any(|b| &b.id == unit)
                || plan.units.iter().any(|u| &u.id == unit);
            if !known {
                return Err(AppError::invalid(
                    "unit",
                    format!("{unit} är varken ett organ eller en enhet i planen"),
                ));
            }
        }
        let hash = Argon2::default()
            .hash_password(new.password.as_bytes())
            .map_err(|e| AppError::Conflict(format!("kan inte hasha lösenordet: {e}")))?
            .to_string();
        let record = UserRecord {
            login: new.login.clone(),
            municipality: plan.municipality.id.to_string(),
            role: new.role.code().to_owned(),
            units: new.units.iter().map(ToString::to_string).collect(),
            password_hash: hash,
            created_at: String::new(),
        };
        Ok(self.store.put_user(&record, &actor.login).await?)
    }

    /// Every user of the actor's municipality (administrators).
    pub async fn users(&self, actor: &Actor) -> Result<Vec<User>, AppError> {
        actor.require_admin("lista användare")?;
        let mut users = Vec::new();
        for record in self.store.users().await? {
            if actor
                .municipality
                .as_ref()
                .is_some_and(|own| *own != record.municipality)
            {
                continue;
            }
            let role = actor_of(&record)?.role;
            users.push(User {
                login: record.login,
                municipality: record.municipality,
                role,
                units: record.units,
            });
        }
        Ok(users)
    }

    /// Logs in: a new session for a right password. A wrong login or password says nothing
    /// about which was wrong; after `MAX_FAILURES` failures within `THROTTLE_SECONDS` every
    /// attempt for that login is refused until the window has passed.
    pub async fn login(&self, login: &str, password: &str) -> Result<Session, AppError> {
        let since = utc_offset(-THROTTLE_SECONDS);
        let refused = || AppError::Forbidden("fel användarnamn eller lösenord".to_owned());
        if self.store.login_failures(login, &since).await? >= MAX_FAILURES {
            return Err(AppError::Forbidden(
                "för många misslyckade inloggningar: försök igen om en stund".to_owned(),
            ));
        }
        let user = self.store.user(login).await?;
        let verified = user.as_ref().is_some_and(|user| {
            PasswordHash::new(&user.password_hash).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &hash)
                    .is_ok()
            })
        });
        let Some(user) = user.filter(|_| verified) else {
            self.store.record_login_failure(login, &since).await?;
            return Err(refused());
        };
        let token = random_token()?;
        let csrf = random_token()?;
        self.store
            .create_session(
                &token_hash(&token),
                &user.login,
                &csrf,
                &utc_offset(SESSION_SECONDS),
            )
            .await?;
        Ok(Session {
            token,
            csrf,
            actor: actor_of(&user)?,
        })
    }

    /// The actor and CSRF token of a session cookie's token; `None` when unknown or expired.
    pub async fn session(&self, token: &str) -> Result<Option<(Actor, String)>, AppError> {
        match self.store.session(&token_hash(token)).await? {
            Some((user, csrf)) => Ok(Some((actor_of(&user)?, csrf))),
            None => Ok(None),
        }
    }

    pub async fn logout(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&token_hash(token)).await?)
    }

    /// Makes an API token for a user (administrators, or the user for themself); the token is
    /// returned once and stored hashed.
    pub async fn create_token(&self, actor: &Actor, login: &str) -> Result<String, AppError> {
        if actor.login != login {
            actor.require_admin("skapa en API-nyckel åt någon annan")?;
        }
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
        let token = random_token()?;
        self.store
            .create_token(&token_hash(&token), &user, &actor.login)
            .await?;
        Ok(token)
    }

    /// The actor of an API token (`Authorization: Bearer TOKEN`).
    pub async fn token_actor(&self, token: &str) -> Result<Option<Actor>, AppError> {
        match self.store.token(&token_hash(token)).await? {
            Some(user) => Ok(Some(actor_of(&user)?)),
            None => Ok(None),
        }
    }
}
