//! Users, sessions, API tokens and failed logins.
//!
//! The store keeps what the use cases decide: it never sees a password or a token, only the
//! argon2id hash of a password and the SHA-256 of a token (`styr-app` makes both). Adding a user
//! or a token is audited; sessions are not changes to the data and are not.
//!
//! Ending a session (a logout, or a user's password replaced) moves the change counter: a
//! server that keeps session lookups until the counter moves (`App::session_at`, also in
//! another process on the same database) sees it on its next request.

use crate::audit;
use crate::connect::{Backend, begin_change, begin_serialised};
use crate::row::Cells;
use crate::write::row;
use crate::{StoreError, time};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe, Row};

/// A stored user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub login: String,
    pub municipality: String,
    /// `admin`, `controller`, `reporter`, `auditor` or `reader`.
    pub role: String,
    /// Body or unit ids the user reports for.
    pub units: Vec<String>,
    pub password_hash: String,
    pub created_at: String,
    /// The display name ("Anna Lindqvist"); `None`: shown by the login.
    pub name: Option<String>,
}

const USER_COLUMNS: &str =
    "u.login, u.municipality, u.role, u.units, u.password_hash, u.created_at, u.name";

fn user_from_row(row: &AnyRow) -> Result<UserRecord, StoreError> {
    let c = Cells {
        row,
        table: "users",
    };
    Ok(UserRecord {
        login: c.text("login")?,
        municipality: c.text("municipality")?,
        role: c.text("role")?,
        units: c
            .text("units")?
            .split(';')
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .collect(),
        password_hash: c.text("password_hash")?,
        created_at: c.text("created_at")?,
        name: c.opt_text("name")?,
    })
}

/// Adds a user, or replaces the role, units and password of one with the same login in the
/// same municipality; audited (never with the hash).
pub async fn put_user(
    pool: &AnyPool,
    backend: Backend,
    user: &UserRecord,
    actor: &str,
) -> Result<bool, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let existing = sqlx::query(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.login = $1"
    )))
    .bind(&user.login)
    .fetch_optional(&mut *transaction)
    .await?
    .as_ref()
    .map(user_from_row)
    .transpose()?;
    if let Some(existing) = &existing
        && existing.municipality != user.municipality
    {
        return Err(StoreError::NotFound(format!(
            "användaren {} hör till en annan kommun",
            user.login
        )));
    }
    let at = time::now_utc();
    let cells = row! {
        "municipality" => &user.municipality,
        "role" => &user.role,
        "units" => user.units.join(";"),
        "password_hash" => &user.password_hash,
        "created_at" => &at,
        "name" => user.name.clone(),
    };
    let key = row! { "login" => &user.login };
    if let Some(existing) = &existing {
        cells.update("users", key, &mut transaction).await?;
        // A replaced password ends the user's sessions: whoever knew the old one is out.
        if existing.password_hash != user.password_hash {
            sqlx::query("DELETE FROM sessions WHERE login = $1")
                .bind(&user.login)
                .execute(&mut *transaction)
                .await?;
        }
    } else {
        key.and(cells).insert("users", &mut transaction).await?;
    }
    let describe = |u: &UserRecord| {
        format!(
            "role: {}; units: {}; name: {}",
            u.role,
            u.units.join(";"),
            u.name.as_deref().unwrap_or("")
        )
    };
    let before = existing.as_ref().map(describe);
    let after = describe(user);
    let action = format!("put user {}", user.login);
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: &user.municipality,
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
    Ok(existing.is_none())
}

pub async fn user(pool: &AnyPool, login: &str) -> Result<Option<UserRecord>, StoreError> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u WHERE u.login = $1"
    )))
    .bind(login)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

pub async fn users(pool: &AnyPool) -> Result<Vec<UserRecord>, StoreError> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM users u ORDER BY u.municipality, u.login"
    )))
    .fetch_all(pool)
    .await?;
    rows.iter().map(user_from_row).collect()
}

/// Starts a session; `expires_at` is UTC ISO text.
pub async fn create_session(
    pool: &AnyPool,
    token_hash: &str,
    login: &str,
    csrf: &str,
    expires_at: &str,
) -> Result<(), StoreError> {
    let mut connection = pool.acquire().await?;
    row! {
        "token_hash" => token_hash,
        "login" => login,
        "csrf" => csrf,
        "created_at" => time::now_utc(),
        "expires_at" => expires_at,
    }
    .insert("sessions", &mut connection)
    .await?;
    Ok(())
}

/// A session that has not expired: its user, its CSRF token and when it expires (UTC ISO
/// text, as `time::now_utc` writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub user: UserRecord,
    pub csrf: String,
    pub expires_at: String,
}

/// The session of a token's hash, unless it has expired.
pub async fn session(
    pool: &AnyPool,
    token_hash: &str,
) -> Result<Option<SessionRecord>, StoreError> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS}, s.csrf, s.expires_at FROM sessions s \
         JOIN users u ON u.login = s.login WHERE s.token_hash = $1 AND s.expires_at > $2"
    )))
    .bind(token_hash)
    .bind(time::now_utc())
    .fetch_optional(pool)
    .await?;
    match row {
        Some(row) => Ok(Some(SessionRecord {
            csrf: row.try_get("csrf")?,
            expires_at: row.try_get("expires_at")?,
            user: user_from_row(&row)?,
        })),
        None => Ok(None),
    }
}

/// Ends a session; the change counter moves with it (see the module's documentation).
pub async fn delete_session(
    pool: &AnyPool,
    backend: Backend,
    token_hash: &str,
) -> Result<(), StoreError> {
    let mut change = begin_change(pool, backend).await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *change.transaction)
        .await?;
    change.commit().await
}

/// Stores an API token's hash for a user, audited.
pub async fn create_token(
    pool: &AnyPool,
    backend: Backend,
    token_hash: &str,
    user: &UserRecord,
    actor: &str,
) -> Result<(), StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let at = time::now_utc();
    row! { "token_hash" => token_hash, "login" => &user.login, "created_at" => &at }
        .insert("api_tokens", &mut transaction)
        .await?;
    let action = format!("create token {}", user.login);
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: &user.municipality,
            at: &at,
            actor,
            action: &action,
            detail: "",
            before: None,
            after: None,
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

pub async fn token(pool: &AnyPool, token_hash: &str) -> Result<Option<UserRecord>, StoreError> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {USER_COLUMNS} FROM api_tokens t JOIN users u ON u.login = t.login \
         WHERE t.token_hash = $1"
    )))
    .bind(token_hash)
    .fetch_optional(pool)
    .await?
    .as_ref()
    .map(user_from_row)
    .transpose()
}

/// Records a failed login from a client address.
pub async fn record_login_failure(
    pool: &AnyPool,
    login: &str,
    address: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO login_failures (login, address, at) VALUES ($1, $2, $3)")
        .bind(login)
        .bind(address)
        .bind(time::now_utc())
        .execute(pool)
        .await?;
    Ok(())
}

/// Failed logins since a time: how many and the time of the last, for one login from one
/// address (`Some`) or from every address (`None`).
pub async fn login_failures(
    pool: &AnyPool,
    login: &str,
    address: Option<&str>,
    since: &str,
) -> Result<(u64, Option<String>), StoreError> {
    let query = match address {
        Some(address) => sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, MAX(at) AS last FROM login_failures \
             WHERE login = $1 AND at >= $2 AND address = $3",
        )
        .bind(login)
        .bind(since)
        .bind(address),
        None => sqlx::query(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n, MAX(at) AS last FROM login_failures \
             WHERE login = $1 AND at >= $2",
        )
        .bind(login)
        .bind(since),
    };
    let row = query.fetch_one(pool).await?;
    let n: i64 = row.try_get("n")?;
    let last: Option<String> = row.try_get("last")?;
    Ok((u64::try_from(n).unwrap_or(0), last))
}

/// Records a successful login from a client address: the address is known-good for the login.
pub async fn record_login_success(
    pool: &AnyPool,
    login: &str,
    address: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO login_successes (login, address, at) VALUES ($1, $2, $3) \
         ON CONFLICT (login, address) DO UPDATE SET at = excluded.at",
    )
    .bind(login)
    .bind(address)
    .bind(time::now_utc())
    .execute(pool)
    .await?;
    Ok(())
}

/// Whether a login succeeded from an address since a time.
pub async fn known_address(
    pool: &AnyPool,
    login: &str,
    address: &str,
    since: &str,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM login_successes \
         WHERE login = $1 AND address = $2 AND at >= $3",
    )
    .bind(login)
    .bind(address)
    .bind(since)
    .fetch_one(pool)
    .await?;
    let n: i64 = row.try_get("n")?;
    Ok(n > 0)
}
