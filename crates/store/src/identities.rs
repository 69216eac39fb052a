//! Sign-in with an identity provider (OpenID Connect): which provider identity is which user,
//! the sign-ins begun and not yet finished, and the audit row of every sign-in's outcome
//! (migration 0032). The e-mail a user signs in with is the user's one address, `users.email`
//! (migration 0033), the one reminders go to; `users.oidc` marks the users who sign in with the
//! provider. The protocol itself is the web crate's; the rules are `styr-app`'s.

use crate::audit;
use crate::connect::{Backend, begin_serialised};
use crate::{StoreError, time};
use sqlx::{AnyPool, Row};

/// A user's identity at the provider: the user's e-mail (`users.email`, `None` when removed
/// since), and the provider's issuer and subject once the user has signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityRecord {
    pub login: String,
    pub email: Option<String>,
    pub issuer: Option<String>,
    pub subject: Option<String>,
}

fn identity_from_row(row: &sqlx::any::AnyRow) -> Result<IdentityRecord, StoreError> {
    Ok(IdentityRecord {
        login: row.try_get("login")?,
        email: row.try_get("email")?,
        issuer: row.try_get("issuer")?,
        subject: row.try_get("subject")?,
    })
}

/// The identity's columns, from `user_identities i` joined with `users u`.
const IDENTITY_COLUMNS: &str = "i.login AS login, u.email AS email, i.issuer AS issuer, \
     i.subject AS subject FROM user_identities i JOIN users u ON u.login = i.login";

/// Names the e-mail a user signs in with (lower case; the caller has made sure no other user
/// who signs in with the provider has it, and the unique index refuses a race): it becomes the
/// user's one address (`users.email`, where reminders go too) and the user one who signs in with
/// the provider. A new e-mail forgets the provider identity stored for the old one. Audited in
/// the user's municipality.
pub async fn put_identity(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    login: &str,
    email: &str,
    actor: &str,
) -> Result<(), StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let Some(user) = sqlx::query("SELECT email FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(&mut *transaction)
        .await?
    else {
        return Err(StoreError::NotFound(format!(
            "användaren {login} finns inte"
        )));
    };
    let before: Option<String> = user.try_get("email")?;
    let named = sqlx::query("SELECT login FROM user_identities WHERE login = $1")
        .bind(login)
        .fetch_optional(&mut *transaction)
        .await?
        .is_some();
    let at = time::now_utc();
    match (named, before.as_deref() == Some(email)) {
        (true, true) => {}
        (true, false) => {
            sqlx::query(
                "UPDATE user_identities SET issuer = NULL, subject = NULL, linked_at = NULL, \
                 created_by = $1, created_at = $2 WHERE login = $3",
            )
            .bind(actor)
            .bind(&at)
            .bind(login)
            .execute(&mut *transaction)
            .await?;
        }
        (false, _) => {
            sqlx::query(
                "INSERT INTO user_identities (login, created_by, created_at) VALUES ($1, $2, $3)",
            )
            .bind(login)
            .bind(actor)
            .bind(&at)
            .execute(&mut *transaction)
            .await?;
        }
    }
    sqlx::query("UPDATE users SET email = $1, oidc = 1 WHERE login = $2")
        .bind(email)
        .bind(login)
        .execute(&mut *transaction)
        .await?;
    let action = format!("put identity {login}");
    let after = format!("e-post: {email}");
    let before = if named {
        Some(format!(
            "e-post: {}",
            before.as_deref().unwrap_or("(ingen)")
        ))
    } else {
        None
    };
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality,
            at: &at,
            actor,
            action: &action,
            detail: "",
            before: before.as_deref(),
            after: Some(&after),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// The identity stored for a provider's (issuer, subject).
pub async fn identity_by_subject(
    pool: &AnyPool,
    issuer: &str,
    subject: &str,
) -> Result<Option<IdentityRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {IDENTITY_COLUMNS} WHERE i.issuer = $1 AND i.subject = $2"
    )))
    .bind(issuer)
    .bind(subject)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(identity_from_row)
    .transpose()
}

/// The identity of a user who signs in with the provider; `None` for one who does not.
pub async fn identity_of(
    pool: &AnyPool,
    login: &str,
) -> Result<Option<IdentityRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {IDENTITY_COLUMNS} WHERE i.login = $1"
    )))
    .bind(login)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(identity_from_row)
    .transpose()
}

/// The identity of the user who signs in with the provider by an e-mail (lower case): at most
/// one (the unique index `users_sign_in_email`).
pub async fn identity_by_email(
    pool: &AnyPool,
    email: &str,
) -> Result<Option<IdentityRecord>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {IDENTITY_COLUMNS} WHERE u.email = $1 AND u.oidc = 1"
    )))
    .bind(email)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(identity_from_row)
    .transpose()
}

/// The outcome of a sign-in, as the audit log records it.
pub struct SignInRecord<'a> {
    pub municipality: &'a str,
    /// The user signed in, or who the provider said the person was for a refusal.
    pub actor: &'a str,
    pub action: &'a str,
    pub detail: &'a str,
    /// Store the provider's (issuer, subject) for the user `actor` (the first sign-in).
    pub link: Option<(&'a str, &'a str)>,
}

/// Records a sign-in's outcome in the audit log, and on a first sign-in links the identity
/// (only while it has no subject: of two first sign-ins at once one links, and the other gets
/// `false` and records nothing).
pub async fn record_sign_in(
    pool: &AnyPool,
    backend: Backend,
    record: &SignInRecord<'_>,
) -> Result<bool, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let at = time::now_utc();
    if let Some((issuer, subject)) = record.link {
        let linked = sqlx::query(
            "UPDATE user_identities SET issuer = $1, subject = $2, linked_at = $3 \
             WHERE login = $4 AND subject IS NULL",
        )
        .bind(issuer)
        .bind(subject)
        .bind(&at)
        .bind(record.actor)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if linked != 1 {
            return Ok(false);
        }
    }
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: record.municipality,
            at: &at,
            actor: record.actor,
            action: record.action,
            detail: record.detail,
            before: None,
            after: None,
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(true)
}

/// A sign-in begun: what its callback needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    pub issuer: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// What became of a callback's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakenLogin {
    /// Taken now, by this callback only.
    Taken(PendingLogin),
    /// Taken before (a replayed callback URL).
    Used,
    /// Never begun here, or begun before `since`.
    Unknown,
}

/// Stores a sign-in begun (the state's hash), and forgets those begun before `forget_before`.
pub async fn begin_login(
    pool: &AnyPool,
    state_hash: &str,
    pending: &PendingLogin,
    forget_before: &str,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM oidc_logins WHERE created_at < $1")
        .bind(forget_before)
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO oidc_logins (state_hash, issuer, nonce, pkce_verifier, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(state_hash)
    .bind(&pending.issuer)
    .bind(&pending.nonce)
    .bind(&pending.pkce_verifier)
    .bind(time::now_utc())
    .execute(pool)
    .await?;
    Ok(())
}

/// Takes a sign-in begun at or after `since` for its callback, once: the one UPDATE that sets
/// `used_at` decides, so of two callbacks with the same state (one server or several) one wins.
pub async fn take_login(
    pool: &AnyPool,
    state_hash: &str,
    since: &str,
) -> Result<TakenLogin, StoreError> {
    let taken = sqlx::query(
        "UPDATE oidc_logins SET used_at = $1 \
         WHERE state_hash = $2 AND used_at IS NULL AND created_at >= $3",
    )
    .bind(time::now_utc())
    .bind(state_hash)
    .bind(since)
    .execute(pool)
    .await?
    .rows_affected();
    let row = sqlx::query(
        "SELECT issuer, nonce, pkce_verifier, used_at FROM oidc_logins WHERE state_hash = $1",
    )
    .bind(state_hash)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        Some(row) if taken == 1 => TakenLogin::Taken(PendingLogin {
            issuer: row.try_get("issuer")?,
            nonce: row.try_get("nonce")?,
            pkce_verifier: row.try_get("pkce_verifier")?,
        }),
        Some(row) if row.try_get::<Option<String>, _>("used_at")?.is_some() => TakenLogin::Used,
        _ => TakenLogin::Unknown,
    })
}
