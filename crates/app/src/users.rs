//! Users and their sessions: adding a user (administrators), logging in with a password
//! (argon2id; throttled after repeated failures), the session behind a cookie with its CSRF
//! token, and API tokens. Secrets leave here once, to the person, and are stored only hashed.

use crate::{Actor, App, AppError, Role};
use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use styr_domain::{Id, Plan};
use styr_store::{UserRecord, utc_offset};

/// How long a session lasts.
pub const SESSION_SECONDS: i64 = 8 * 3600;
/// Failed logins for one login from one client address within `THROTTLE_SECONDS` before that
/// client must wait between attempts.
pub const MAX_FAILURES: u64 = 5;
/// The window in which failures count.
pub const THROTTLE_SECONDS: i64 = 60 * 60;
/// The first wait after `MAX_FAILURES` failures from one address; it doubles with each further
/// failure up to `MAX_DELAY_SECONDS`.
pub const FIRST_DELAY_SECONDS: i64 = 30;
pub const MAX_DELAY_SECONDS: i64 = 15 * 60;
/// Failed logins for one login from all addresses within `THROTTLE_SECONDS` after which
/// clients that are not known-good (no successful login for the account from that address
/// within `KNOWN_GOOD_SECONDS`) get one attempt per `ACCOUNT_SPACING_SECONDS` for the account.
pub const ACCOUNT_FAILURES: u64 = 20;
pub const ACCOUNT_SPACING_SECONDS: i64 = 10;
pub const KNOWN_GOOD_SECONDS: i64 = 90 * 24 * 3600;

/// The wait after `failures` failed logins from one address (0: none).
pub fn throttle_delay(failures: u64) -> i64 {
    if failures < MAX_FAILURES {
        return 0;
    }
    let doublings = u32::try_from(failures - MAX_FAILURES)
        .unwrap_or(u32::MAX)
        .min(16);
    (FIRST_DELAY_SECONDS << doublings).min(MAX_DELAY_SECONDS)
}

/// A password hash to verify against when the login does not exist, so that a failed login
/// takes the same time whether or not the account exists.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        Argon2::default()
            .hash_password(b"no such user: the time of a failed login says nothing")
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// The longest display name.
pub const NAME_LIMIT: usize = 100;

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub login: String,
    pub role: Role,
    pub units: Vec<Id>,
    /// The body whose plan names `units` (unit ids are unique only inside one plan). `None`:
    /// the body of the only plan whose ids they are; the units are stored qualified
    /// (`sn:sof`) when the municipality holds several bodies' plans and unqualified (as before)
    /// when they name the executive board's plan of a municipality with one plan.
    pub body: Option<String>,
    /// The municipality; `None`: the only one in the database.
    pub municipality: Option<String>,
    pub password: String,
    /// The display name shown in the audit log, beside reports and in the web header; the login
    /// stays the user's id. `None`: shown by the login.
    pub name: Option<String>,
}

/// A user as listed (never with the hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub login: String,
    pub municipality: String,
    pub role: Role,
    pub units: Vec<String>,
    pub name: Option<String>,
}

/// A logged-in session: the token for the cookie (shown once) and the CSRF token of its forms.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub actor: Actor,
}

/// A random token: 32 bytes from the operating system, as hex (sessions, API keys, the login
/// form's CSRF token).
pub fn random_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Conflict(format!("ingen slumpkälla: {e}")))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of a text as lower-case hex: what the store keeps of a token, and a section's
/// text in an editor's base token.
pub(crate) fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// What the store keeps of a token.
fn token_hash(token: &str) -> String {
    sha256_hex(token)
}

/// A stored unit: `body:unit` (qualified by the body whose plan names it) or `unit`.
pub(crate) fn split_unit(stored: &str) -> (Option<&str>, &str) {
    match stored.split_once(':') {
        Some((body, unit)) => (Some(body), unit),
        None => (None, stored),
    }
}

pub(crate) fn actor_of(user: &UserRecord) -> Result<Actor, AppError> {
    let role = Role::parse(&user.role)
        .ok_or_else(|| AppError::Conflict(format!("okänd roll {}", user.role)))?;
    let body = user
        .units
        .iter()
        .find_map(|u| split_unit(u).0)
        .map(str::to_owned);
    Ok(Actor {
        login: user.login.clone(),
        role,
        municipality: Some(user.municipality.clone()),
        units: user
            .units
            .iter()
            .filter_map(|u| Id::parse(split_unit(u).1).ok())
            .collect(),
        body,
    })
}

/// Who a login is to people who read: the user's display name from [`App::user_names`], else
/// the login itself.
pub fn display_name(names: &BTreeMap<String, String>, login: &str) -> String {
    names
        .get(login)
        .cloned()
        .unwrap_or_else(|| login.to_owned())
}

/// A session as a front end uses it ([`App::session_at`]).
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub actor: Actor,
    /// The session's CSRF token.
    pub csrf: String,
    /// The user's display name; `None`: shown by the login.
    pub name: Option<String>,
    /// When the session ends (UTC ISO text).
    expires_at: String,
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
        if let Some(name) = &new.name {
            let length = name.chars().count();
            if name.trim().is_empty() || length > NAME_LIMIT || name.chars().any(char::is_control) {
                return Err(AppError::invalid(
                    "name",
                    format!(
                        "namnet ska ha 1–{NAME_LIMIT} tecken utan styrtecken (det har {length})"
                    ),
                ));
            }
        }
        // A unit is a unit of one body's plan: the body named, else the only plan that knows
        // every unit (a reporter of Socialnämnden names its units in Socialnämnden's plan).
        let plans = self.body_plans(actor, new.municipality.as_deref()).await?;
        let Some(municipality) = plans.first().map(|p| p.municipality.id.to_string()) else {
            return Err(AppError::NotFound(
                "databasen har inga planer: importera en plan först".to_owned(),
            ));
        };
        let knows = |plan: &Plan, unit: &Id| {
            plan.bodies.iter().any(|b| &b.id == unit) || plan.units.iter().any(|u| &u.id == unit)
        };
        let home: Option<&Plan> = match &new.body {
            Some(body) => Some(
                plans
                    .iter()
                    .find(|p| p.document.body.as_str() == body)
                    .ok_or_else(|| {
                        AppError::invalid("organ", format!("{body} har ingen plan i kommunen"))
                    })?,
            ),
            None if new.units.is_empty() => None,
            None => {
                let candidates: Vec<&Plan> = plans
                    .iter()
                    .filter(|p| new.units.iter().all(|unit| knows(p, unit)))
                    .collect();
                match candidates.as_slice() {
                    [one] => Some(*one),
                    [] => None,
                    several => {
                        return Err(AppError::invalid(
                            "organ",
                            format!(
                                "enheterna finns i flera organs planer ({}): ange organet",
                                several
                                    .iter()
                                    .map(|p| p.document.body.to_string())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                    }
                }
            }
        };
        for unit in &new.units {
            if !home.is_some_and(|plan| knows(plan, unit)) {
                return Err(AppError::invalid(
                    "unit",
                    format!("{unit} är varken ett organ eller en enhet i planen"),
                ));
            }
        }
        // Unqualified as before when the units name the executive board's plan of a
        // municipality with one plan; qualified by the body otherwise.
        let qualify = home.filter(|plan| plans.len() > 1 || !crate::actor::plan_is_executive(plan));
        let units: Vec<String> = new
            .units
            .iter()
            .map(|unit| match qualify {
                Some(plan) => format!("{}:{unit}", plan.document.body),
                None => unit.to_string(),
            })
            .collect();
        // The same password again keeps its hash, and with it the user's sessions; a new one
        // ends them (the store deletes them with the changed hash).
        let same = self.store.user(&new.login).await?.filter(|user| {
            PasswordHash::new(&user.password_hash).is_ok_and(|hash| {
                Argon2::default()
                    .verify_password(new.password.as_bytes(), &hash)
                    .is_ok()
            })
        });
        let hash = match same {
            Some(user) => user.password_hash,
            None => Argon2::default()
                .hash_password(new.password.as_bytes())
                .map_err(|e| AppError::Conflict(format!("kan inte hasha lösenordet: {e}")))?
                .to_string(),
        };
        let record = UserRecord {
            login: new.login.clone(),
            municipality,
            role: new.role.code().to_owned(),
            units,
            password_hash: hash,
            created_at: String::new(),
            name: new.name.clone(),
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
                name: record.name,
            });
        }
        Ok(users)
    }

    /// The display names of the users of the actor's municipality (login → name; users
    /// without one are left out), for showing who did what: the audit log, "rapporterad av",
    /// the web header. Names are no secret to anyone who sees reports; the public sees none.
    pub async fn user_names(&self, actor: &Actor) -> Result<BTreeMap<String, String>, AppError> {
        if actor.role == Role::Public {
            return Ok(BTreeMap::new());
        }
        Ok(self
            .store
            .users()
            .await?
            .into_iter()
            .filter(|u| {
                actor
                    .municipality
                    .as_ref()
                    .is_none_or(|own| *own == u.municipality)
            })
            .filter_map(|u| Some((u.login, u.name?)))
            .collect())
    }

    /// Logs in from an unnamed client (the command line, tests); see [`App::login_from`].
    pub async fn login(&self, login: &str, password: &str) -> Result<Session, AppError> {
        self.login_from(login, password, "").await
    }

    /// Logs in from a client address: a new session for a right password. A wrong login or
    /// password says nothing about which was wrong, and takes as long (an unknown login is
    /// verified against a dummy hash). Guessing is slowed per (login, address): after
    /// `MAX_FAILURES` failures that address waits `throttle_delay` between attempts; after
    /// `ACCOUNT_FAILURES` failures from anywhere, addresses that never logged in to the account
    /// get one attempt per `ACCOUNT_SPACING_SECONDS`. An address the owner has logged in from
    /// is never held back by other addresses' failures, so a stranger cannot lock them out.
    pub async fn login_from(
        &self,
        login: &str,
        password: &str,
        address: &str,
    ) -> Result<Session, AppError> {
        let since = utc_offset(-THROTTLE_SECONDS);
        let wait = |seconds: i64| {
            AppError::Forbidden(format!(
                "för många misslyckade inloggningar: försök igen om {}",
                if seconds < 60 {
                    format!("{seconds} sekunder")
                } else {
                    format!("{} minuter", (seconds + 59) / 60)
                }
            ))
        };
        let (failures, last) = self
            .store
            .login_failures(login, Some(address), &since)
            .await?;
        let delay = throttle_delay(failures);
        if delay > 0 && last.as_deref() > Some(utc_offset(-delay).as_str()) {
            return Err(wait(delay));
        }
        let (account_failures, account_last) =
            self.store.login_failures(login, None, &since).await?;
        if account_failures >= ACCOUNT_FAILURES
            && account_last.as_deref() > Some(utc_offset(-ACCOUNT_SPACING_SECONDS).as_str())
            && !self
                .store
                .known_address(login, address, &utc_offset(-KNOWN_GOOD_SECONDS))
                .await?
        {
            return Err(wait(ACCOUNT_SPACING_SECONDS));
        }
        let user = self.store.user(login).await?;
        let hash = user
            .as_ref()
            .map_or(dummy_hash(), |user| user.password_hash.as_str());
        let verified = self.verify_password(hash, password) && user.is_some();
        let Some(user) = user.filter(|_| verified) else {
            self.store.record_login_failure(login, address).await?;
            return Err(AppError::Forbidden(
                "fel användarnamn eller lösenord".to_owned(),
            ));
        };
        self.store
            .record_login_success(&user.login, address)
            .await?;
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

    /// Verifies a password against an argon2 PHC string, counted in `password_verifications`.
    fn verify_password(&self, hash: &str, password: &str) -> bool {
        self.password_verifications
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        PasswordHash::new(hash).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    }

    /// How many argon2 password verifications this application (and its clones) has made:
    /// every login attempt that is not throttled makes exactly one, for a known login or not.
    pub fn password_verifications(&self) -> u64 {
        self.password_verifications
            .load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The actor and CSRF token of a session cookie's token; `None` when unknown or expired.
    /// The session's user, its CSRF token and the user's display name.
    pub async fn session(
        &self,
        token: &str,
    ) -> Result<Option<(Actor, String, Option<String>)>, AppError> {
        let generation = self.change_counter().await?;
        Ok(self
            .session_at(token, generation)
            .await?
            .map(|s| (s.actor.clone(), s.csrf.clone(), s.name.clone())))
    }

    /// The session of a cookie's token as [`App::session`] gives it, with `generation` the
    /// change counter the caller read before (one read for the whole request). A session found
    /// is kept in memory until the counter moves: ending a session (a logout, a replaced
    /// password) and every change of a user move it, so the next request reads the session
    /// again, in this process or another on the same database; expiry is checked on every
    /// call. An unknown token is never kept (a session made later must be found).
    pub async fn session_at(
        &self,
        token: &str,
        generation: i64,
    ) -> Result<Option<std::sync::Arc<SessionUser>>, AppError> {
        let hash = token_hash(token);
        let key = format!("session {hash}");
        let session = match self.kept_at::<SessionUser>(generation, &key) {
            Some(session) => session,
            None => match self.store.session(&hash).await? {
                Some(record) => {
                    let session = std::sync::Arc::new(SessionUser {
                        actor: actor_of(&record.user)?,
                        csrf: record.csrf,
                        name: record.user.name,
                        expires_at: record.expires_at,
                    });
                    self.keep_at(generation, key, std::sync::Arc::clone(&session));
                    session
                }
                None => return Ok(None),
            },
        };
        Ok((session.expires_at > styr_store::now_utc()).then_some(session))
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
