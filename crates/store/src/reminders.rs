//! E-mail reminders (migration 0031): the schedule per municipality, users' e-mail addresses
//! and the outbox of decided mails.
//!
//! The outbox is what makes sending idempotent: a mail is decided by inserting its row, whose
//! primary key (municipality, body, period, deadline, step, recipient) refuses a second
//! decision, in one transaction for a whole pass. A sender takes a row by setting its lease in
//! one conditional `UPDATE` (so two senders never both send it), and records the result:
//! `skickad`, or `misslyckad` with the error, the attempt count and when to try again. Nothing is
//! ever deleted, so a failing server never loses a reminder. Schedule and address changes are
//! audited; the outbox is its own log and is not.

use crate::audit;
use crate::connect::{Backend, begin_serialised};
use crate::row::Cells;
use crate::write::row;
use crate::{StoreError, time};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe, Row as _};

/// A stored step of a municipality's schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleRow {
    pub municipality: String,
    /// `fore` or `efter`.
    pub step: String,
    pub days: i64,
    pub active: bool,
    pub changed_by: String,
    pub changed_at: String,
}

/// One outbox row's key: one reminder of one step of one deadline to one person.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutboxKey {
    pub municipality: String,
    pub body: String,
    /// The period's month, `YYYY-MM`.
    pub period: String,
    /// ISO date.
    pub deadline: String,
    /// `fore` or `efter`.
    pub step: String,
    /// The recipient's login.
    pub recipient: String,
}

/// A decided mail, with where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub key: OutboxKey,
    /// `rapportor` or `controller`.
    pub audience: String,
    pub address: String,
    pub subject: String,
    pub text_body: String,
    pub html_body: Option<String>,
    pub message_id: String,
    /// How many items the mail lists.
    pub items: i64,
    /// `vantar`, `skickad` or `misslyckad`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub next_attempt_at: String,
    pub decided_at: String,
    pub sent_at: Option<String>,
}

/// The outbox by status: how many rows and how many attempts they took.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxCounts {
    pub waiting: i64,
    pub sent: i64,
    pub failed: i64,
    /// Attempts that failed, over every row (a sent row's earlier failures included).
    pub failed_attempts: i64,
}

const OUTBOX_COLUMNS: &str = "municipality, body, period, deadline, step, recipient, audience, \
     address, subject, text_body, html_body, message_id, items, status, attempts, last_error, \
     next_attempt_at, decided_at, sent_at";

fn outbox_from_row(row: &AnyRow) -> Result<OutboxRow, StoreError> {
    let c = Cells {
        row,
        table: "reminder_outbox",
    };
    Ok(OutboxRow {
        key: OutboxKey {
            municipality: c.text("municipality")?,
            body: c.text("body")?,
            period: c.text("period")?,
            deadline: c.text("deadline")?,
            step: c.text("step")?,
            recipient: c.text("recipient")?,
        },
        audience: c.text("audience")?,
        address: c.text("address")?,
        subject: c.text("subject")?,
        text_body: c.text("text_body")?,
        html_body: c.opt_text("html_body")?,
        message_id: c.text("message_id")?,
        items: c.int("items")?,
        status: c.text("status")?,
        attempts: c.int("attempts")?,
        last_error: c.opt_text("last_error")?,
        next_attempt_at: c.text("next_attempt_at")?,
        decided_at: c.text("decided_at")?,
        sent_at: c.opt_text("sent_at")?,
    })
}

fn key_row(key: &OutboxKey) -> crate::write::Row {
    row! {
        "municipality" => &key.municipality,
        "body" => &key.body,
        "period" => &key.period,
        "deadline" => &key.deadline,
        "step" => &key.step,
        "recipient" => &key.recipient,
    }
}

/// The condition naming one row by its key, its placeholders numbered from `first` (SQLite
/// numbers `$n` in the order they first appear, so a statement's placeholders must appear in
/// the order they are bound).
fn key_where(first: usize) -> String {
    let [a, b, c, d, e, f] = std::array::from_fn(|i| first + i);
    format!(
        "municipality = ${a} AND body = ${b} AND period = ${c} AND deadline = ${d} \
         AND step = ${e} AND recipient = ${f}"
    )
}

/// Binds a key's six values in [`key_where`]'s order.
fn bind_key<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    key: &'q OutboxKey,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(&key.municipality)
        .bind(&key.body)
        .bind(&key.period)
        .bind(&key.deadline)
        .bind(&key.step)
        .bind(&key.recipient)
}

/// The stored steps of a municipality's schedule.
pub async fn schedule(pool: &AnyPool, municipality: &str) -> Result<Vec<ScheduleRow>, StoreError> {
    let rows = sqlx::query(
        "SELECT municipality, step, days, active, changed_by, changed_at FROM reminder_schedule \
         WHERE municipality = $1 ORDER BY step DESC",
    )
    .bind(municipality)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let c = Cells {
                row,
                table: "reminder_schedule",
            };
            Ok(ScheduleRow {
                municipality: c.text("municipality")?,
                step: c.text("step")?,
                days: c.int("days")?,
                active: c.flag("active")?,
                changed_by: c.text("changed_by")?,
                changed_at: c.text("changed_at")?,
            })
        })
        .collect()
}

/// Sets one step of a municipality's schedule, with one audit row saying it before (`before`,
/// as the use case describes the step in force, the default included) and after. `seen`: the
/// step's `changed_at` the change was made from (`""`: the default, no row), checked inside the
/// transaction; a step changed since is [`StoreError::StaleSchedule`] and nothing is written.
pub async fn set_schedule(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    (step, days, active): (&str, i64, bool),
    actor: &str,
    (before, after): (&str, &str),
    seen: Option<&str>,
) -> Result<(), StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    if let Some(seen) = seen {
        let current = sqlx::query(
            "SELECT changed_by, changed_at FROM reminder_schedule \
             WHERE municipality = $1 AND step = $2",
        )
        .bind(municipality)
        .bind(step)
        .fetch_optional(&mut *transaction)
        .await?;
        let (by, at): (String, String) = match &current {
            Some(row) => (row.try_get("changed_by")?, row.try_get("changed_at")?),
            None => (String::new(), String::new()),
        };
        if at != seen {
            return Err(StoreError::StaleSchedule {
                step: step.to_owned(),
                by,
                at: styr_domain::localtime::stockholm_minute(&at),
            });
        }
    }
    let at = time::now_utc();
    sqlx::query("DELETE FROM reminder_schedule WHERE municipality = $1 AND step = $2")
        .bind(municipality)
        .bind(step)
        .execute(&mut *transaction)
        .await?;
    row! {
        "municipality" => municipality,
        "step" => step,
        "days" => days,
        "active" => active,
        "changed_by" => actor,
        "changed_at" => &at,
    }
    .insert("reminder_schedule", &mut transaction)
    .await?;
    let action = format!("set reminder schedule {municipality} {step}");
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality,
            at: &at,
            actor,
            action: &action,
            detail: "",
            before: Some(before),
            after: Some(after),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// Every user's e-mail address that is set: (municipality, login, address).
pub async fn user_emails(pool: &AnyPool) -> Result<Vec<(String, String, String)>, StoreError> {
    let rows = sqlx::query(
        "SELECT municipality, login, email FROM users WHERE email IS NOT NULL ORDER BY login",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok((
                row.try_get::<String, _>("municipality")?,
                row.try_get::<String, _>("login")?,
                row.try_get::<String, _>("email")?,
            ))
        })
        .collect()
}

/// Sets (or with `None` removes) a user's e-mail address; audited. `NotFound` for no such user.
pub async fn set_user_email(
    pool: &AnyPool,
    backend: Backend,
    login: &str,
    email: Option<&str>,
    actor: &str,
) -> Result<(), StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let Some(existing) = sqlx::query("SELECT municipality, email FROM users WHERE login = $1")
        .bind(login)
        .fetch_optional(&mut *transaction)
        .await?
    else {
        return Err(StoreError::NotFound(format!(
            "användaren {login} finns inte"
        )));
    };
    let municipality: String = existing.try_get("municipality")?;
    let before: Option<String> = existing.try_get("email")?;
    row! { "email" => email }
        .update("users", row! { "login" => login }, &mut transaction)
        .await?;
    let at = time::now_utc();
    let action = format!("set user email {login}");
    let describe = |e: Option<&str>| format!("e-post: {}", e.unwrap_or("(ingen)"));
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: &municipality,
            at: &at,
            actor,
            action: &action,
            detail: "",
            before: Some(&describe(before.as_deref())),
            after: Some(&describe(email)),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// Decides mails: inserts each row unless its key is in the outbox already, all in one
/// transaction. Returns the rows that were new (the ones this decision will send).
pub async fn decide(
    pool: &AnyPool,
    backend: Backend,
    mails: &[OutboxRow],
) -> Result<Vec<OutboxKey>, StoreError> {
    let mut transaction = match backend {
        Backend::Sqlite => pool.begin_with("BEGIN IMMEDIATE").await?,
        Backend::Postgres => pool.begin().await?,
    };
    let mut new = Vec::new();
    for mail in mails {
        let written = key_row(&mail.key)
            .and(row! {
                "audience" => &mail.audience,
                "address" => &mail.address,
                "subject" => &mail.subject,
                "text_body" => &mail.text_body,
                "html_body" => mail.html_body.as_deref(),
                "message_id" => &mail.message_id,
                "items" => mail.items,
                "status" => "vantar",
                "attempts" => 0i64,
                "next_attempt_at" => &mail.next_attempt_at,
                "decided_at" => &mail.decided_at,
            })
            .insert_unless_conflict(
                "reminder_outbox",
                "municipality, body, period, deadline, step, recipient",
                &mut transaction,
            )
            .await?;
        if written == 1 {
            new.push(mail.key.clone());
        }
    }
    transaction.commit().await?;
    Ok(new)
}

/// Takes the rows that are due to be sent at `now` (waiting or failed, their next attempt
/// reached, not held by another sender) by leasing each until `lease_until`; returns the rows
/// taken, oldest decision first.
pub async fn take_due(
    pool: &AnyPool,
    now: &str,
    lease_until: &str,
) -> Result<Vec<OutboxRow>, StoreError> {
    let candidates = sqlx::query(AssertSqlSafe(format!(
        "SELECT {OUTBOX_COLUMNS} FROM reminder_outbox WHERE status <> 'skickad' \
         AND next_attempt_at <= $1 AND (leased_until IS NULL OR leased_until < $1) \
         ORDER BY decided_at, municipality, body, period, step, recipient"
    )))
    .bind(now)
    .fetch_all(pool)
    .await?;
    let mut taken = Vec::new();
    for row in &candidates {
        let row = outbox_from_row(row)?;
        let query = sqlx::query(AssertSqlSafe(format!(
            "UPDATE reminder_outbox SET leased_until = $1 WHERE {} \
             AND status <> 'skickad' AND (leased_until IS NULL OR leased_until < $8)",
            key_where(2)
        )))
        .bind(lease_until);
        let leased = bind_key(query, &row.key)
            .bind(now)
            .execute(pool)
            .await?
            .rows_affected();
        if leased == 1 {
            taken.push(row);
        }
    }
    Ok(taken)
}

/// Records that a taken row was sent at `at`.
pub async fn mark_sent(pool: &AnyPool, key: &OutboxKey, at: &str) -> Result<(), StoreError> {
    let query = sqlx::query(AssertSqlSafe(format!(
        "UPDATE reminder_outbox SET status = 'skickad', sent_at = $1, leased_until = NULL, \
         attempts = attempts + 1 WHERE {}",
        key_where(2)
    )))
    .bind(at);
    bind_key(query, key).execute(pool).await?;
    Ok(())
}

/// Records that sending a taken row failed: the error, and when to try again.
pub async fn mark_failed(
    pool: &AnyPool,
    key: &OutboxKey,
    error: &str,
    next_attempt_at: &str,
) -> Result<(), StoreError> {
    let query = sqlx::query(AssertSqlSafe(format!(
        "UPDATE reminder_outbox SET status = 'misslyckad', last_error = $1, \
         next_attempt_at = $2, leased_until = NULL, attempts = attempts + 1 WHERE {}",
        key_where(3)
    )))
    .bind(error)
    .bind(next_attempt_at);
    bind_key(query, key).execute(pool).await?;
    Ok(())
}

/// The outbox (of one municipality, or all), newest decision first.
pub async fn outbox(
    pool: &AnyPool,
    municipality: Option<&str>,
) -> Result<Vec<OutboxRow>, StoreError> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {OUTBOX_COLUMNS} FROM reminder_outbox WHERE ($1 = '' OR municipality = $1) \
         ORDER BY decided_at DESC, municipality, body, period, step, recipient"
    )))
    .bind(municipality.unwrap_or(""))
    .fetch_all(pool)
    .await?;
    rows.iter().map(outbox_from_row).collect()
}

/// The outbox's rows and failed attempts by status (for `/metrics`).
pub async fn outbox_counts(pool: &AnyPool) -> Result<OutboxCounts, StoreError> {
    let rows = sqlx::query(
        "SELECT status, COUNT(*) AS n, CAST(COALESCE(SUM(attempts), 0) AS BIGINT) AS attempts \
         FROM reminder_outbox GROUP BY status",
    )
    .fetch_all(pool)
    .await?;
    let mut counts = OutboxCounts::default();
    for row in &rows {
        let status: String = row.try_get("status")?;
        let n: i64 = row.try_get("n")?;
        let attempts: i64 = row.try_get("attempts")?;
        match status.as_str() {
            "vantar" => counts.waiting = n,
            "skickad" => {
                counts.sent = n;
                // A sent row's last attempt succeeded.
                counts.failed_attempts += attempts - n;
            }
            _ => {
                counts.failed = n;
                counts.failed_attempts += attempts;
            }
        }
    }
    Ok(counts)
}
