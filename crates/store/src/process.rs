//! The budget process's tables (migration 0020): each proposal's states (append-only, the
//! current state is the latest row), the budget calendar, beredning's questions. Every write is
//! one serialised transaction with its audit row.

use crate::audit;
use crate::connect::{Backend, begin_serialised, next_seq};
use crate::row::Cells;
use crate::write::row;
use crate::{StoreError, time};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};
use styr_domain::process::{Milestone, ProposalState};

/// One recorded state of a proposal: who moved it there, when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRecord {
    pub municipality: String,
    pub body: String,
    pub version: String,
    /// 1, 2, … per version: the latest is the current state.
    pub seq: i64,
    pub state: ProposalState,
    /// A return's reason (or any mover's note).
    pub comment: Option<String>,
    /// KF's decision (a decision id of the plan), on the move to beslutad.
    pub decision: Option<String>,
    pub actor: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub at: String,
}

/// A move to record: from the state whose row is `expected_seq` (0: none recorded yet).
#[derive(Debug, Clone)]
pub struct ProposalMove<'a> {
    pub municipality: &'a str,
    pub body: &'a str,
    pub version: &'a str,
    pub expected_seq: i64,
    pub from: ProposalState,
    pub to: ProposalState,
    pub comment: Option<&'a str>,
    /// On the move to beslutad: the version is marked decided by it in the same transaction.
    pub decision: Option<&'a str>,
    pub actor: &'a str,
}

/// A date of the budget calendar: for every body (`body` `None`) or for one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub year: i64,
    pub milestone: Milestone,
    pub body: Option<String>,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// A made-up date (the demo's).
    pub synthetic: bool,
}

/// A date of the calendar to set, or with `date` `None` to remove.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarChange<'a> {
    pub year: i64,
    pub milestone: Milestone,
    pub body: Option<&'a str>,
    pub date: Option<&'a str>,
    pub synthetic: bool,
}

/// A question of beredning and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: i64,
    pub municipality: String,
    pub year: i64,
    pub body: String,
    /// The budget line asked about: free text or an item id of the plan.
    pub line: String,
    pub question: String,
    pub asked_by: String,
    pub asked_at: String,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<String>,
    pub published: bool,
}

impl Question {
    /// Open until answered.
    pub fn is_open(&self) -> bool {
        self.answer.is_none()
    }
}

fn record_from_row(row: &AnyRow) -> Result<ProposalRecord, StoreError> {
    let c = Cells {
        row,
        table: "proposal_states",
    };
    Ok(ProposalRecord {
        municipality: c.text("municipality")?,
        body: c.text("body")?,
        version: c.text("version")?,
        seq: c.int("seq")?,
        state: c.code("state", ProposalState::parse)?,
        comment: c.opt_text("comment")?,
        decision: c.opt_text("decision")?,
        actor: c.text("actor")?,
        at: c.text("at")?,
    })
}

const RECORD_COLUMNS: &str =
    "municipality, body, version, seq, state, comment, decision, actor, at";

/// A version's recorded states, oldest first.
pub async fn history(
    pool: &AnyPool,
    municipality: &str,
    version: &str,
) -> Result<Vec<ProposalRecord>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM proposal_states \
         WHERE municipality = $1 AND version = $2 ORDER BY seq"
    )))
    .bind(municipality)
    .bind(version)
    .fetch_all(pool)
    .await?;
    rows.iter().map(record_from_row).collect()
}

/// The latest recorded state of every version of a municipality.
pub async fn latest_states(
    pool: &AnyPool,
    municipality: &str,
) -> Result<Vec<ProposalRecord>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM proposal_states p WHERE municipality = $1 AND seq = \
         (SELECT MAX(seq) FROM proposal_states q \
          WHERE q.municipality = p.municipality AND q.version = p.version) \
         ORDER BY body, version"
    )))
    .bind(municipality)
    .fetch_all(pool)
    .await?;
    rows.iter().map(record_from_row).collect()
}

/// Records a move in one transaction: refused with [`StoreError::ProposalMoved`] when the
/// current state is no longer the one moved from (someone else moved it first). The move to
/// beslutad marks the version decided in the same transaction.
pub async fn move_proposal(
    pool: &AnyPool,
    backend: Backend,
    step: &ProposalMove<'_>,
) -> Result<ProposalRecord, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let latest = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM proposal_states \
         WHERE municipality = $1 AND version = $2 ORDER BY seq DESC LIMIT 1"
    )))
    .bind(step.municipality)
    .bind(step.version)
    .fetch_optional(&mut *transaction)
    .await?
    .map(|row| record_from_row(&row))
    .transpose()?;
    let current_seq = latest.as_ref().map_or(0, |r| r.seq);
    if current_seq != step.expected_seq {
        let latest = latest.expect("a seq above 0 has a row");
        return Err(StoreError::ProposalMoved {
            version: step.version.to_owned(),
            expected: step.from.label_sv(),
            current: latest.state.label_sv(),
            by: latest.actor,
            at: latest.at,
        });
    }
    let at = time::now_utc();
    let record = ProposalRecord {
        municipality: step.municipality.to_owned(),
        body: step.body.to_owned(),
        version: step.version.to_owned(),
        seq: current_seq + 1,
        state: step.to,
        comment: step.comment.map(str::to_owned),
        decision: step.decision.map(str::to_owned),
        actor: step.actor.to_owned(),
        at: at.clone(),
    };
    row! {
        "municipality" => step.municipality,
        "body" => step.body,
        "version" => step.version,
        "seq" => record.seq,
        "state" => step.to.code(),
        "comment" => step.comment,
        "decision" => step.decision,
        "actor" => step.actor,
        "at" => &at,
    }
    .insert("proposal_states", &mut transaction)
    .await?;
    let action = format!(
        "proposal state {}/{}/{}",
        step.municipality, step.body, step.version
    );
    let before = format!("state: {}", step.from.code());
    let mut after = format!("state: {}", step.to.code());
    if let Some(comment) = step.comment {
        after.push_str(&format!("; comment: {comment}"));
    }
    if let Some(decision) = step.decision {
        after.push_str(&format!("; decision: {decision}"));
    }
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: step.municipality,
            at: &at,
            actor: step.actor,
            action: &action,
            detail: "",
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    if step.to == ProposalState::Beslutad {
        let decision = step.decision.ok_or_else(|| {
            StoreError::Corrupt("ett beslut saknas för övergången till beslutad".to_owned())
        })?;
        let seq = next_seq(&mut transaction).await?;
        crate::followup::decide_in(
            &mut transaction,
            seq,
            step.municipality,
            step.version,
            decision,
            step.actor,
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(record)
}

fn calendar_from_row(row: &AnyRow) -> Result<CalendarEntry, StoreError> {
    let c = Cells {
        row,
        table: "budget_calendar",
    };
    Ok(CalendarEntry {
        year: c.int("year")?,
        milestone: c.code("milestone", Milestone::parse)?,
        body: c.opt_text("body")?,
        date: c.text("date")?,
        synthetic: c.flag("synthetic")?,
    })
}

/// The calendar of a municipality's budget year, by date.
pub async fn calendar(
    pool: &AnyPool,
    municipality: &str,
    year: i64,
) -> Result<Vec<CalendarEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT year, milestone, body, date, synthetic FROM budget_calendar \
         WHERE municipality = $1 AND year = $2 ORDER BY date, milestone, body",
    )
    .bind(municipality)
    .bind(year)
    .fetch_all(pool)
    .await?;
    rows.iter().map(calendar_from_row).collect()
}

/// Sets (or with `date` `None` removes) a date of the calendar, with an audit row.
pub async fn set_calendar(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    change: &CalendarChange<'_>,
    actor: &str,
) -> Result<(), StoreError> {
    let CalendarChange {
        year,
        milestone,
        body,
        date,
        synthetic,
    } = *change;
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let before: Option<String> = sqlx::query(
        "SELECT date FROM budget_calendar WHERE municipality = $1 AND year = $2 \
         AND milestone = $3 AND COALESCE(body, '') = $4",
    )
    .bind(municipality)
    .bind(year)
    .bind(milestone.code())
    .bind(body.unwrap_or(""))
    .fetch_optional(&mut *transaction)
    .await?
    .map(|row| row.try_get("date"))
    .transpose()?;
    sqlx::query(
        "DELETE FROM budget_calendar WHERE municipality = $1 AND year = $2 \
         AND milestone = $3 AND COALESCE(body, '') = $4",
    )
    .bind(municipality)
    .bind(year)
    .bind(milestone.code())
    .bind(body.unwrap_or(""))
    .execute(&mut *transaction)
    .await?;
    if let Some(date) = date {
        row! {
            "municipality" => municipality,
            "year" => year,
            "milestone" => milestone.code(),
            "body" => body,
            "date" => date,
            "synthetic" => synthetic,
        }
        .insert("budget_calendar", &mut transaction)
        .await?;
    }
    let at = time::now_utc();
    let action = format!(
        "budget calendar {municipality}/{year} {}{}",
        milestone.code(),
        body.map(|b| format!(" {b}")).unwrap_or_default()
    );
    let before = before.map(|d| format!("date: {d}"));
    let after = date.map(|d| format!("date: {d}"));
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
            after: after.as_deref(),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

fn question_from_row(row: &AnyRow) -> Result<Question, StoreError> {
    let c = Cells {
        row,
        table: "beredning_questions",
    };
    Ok(Question {
        id: c.int("id")?,
        municipality: c.text("municipality")?,
        year: c.int("year")?,
        body: c.text("body")?,
        line: c.text("line")?,
        question: c.text("question")?,
        asked_by: c.text("asked_by")?,
        asked_at: c.text("asked_at")?,
        answer: c.opt_text("answer")?,
        answered_by: c.opt_text("answered_by")?,
        answered_at: c.opt_text("answered_at")?,
        published: c.flag("published")?,
    })
}

const QUESTION_COLUMNS: &str = "municipality, id, year, body, line, question, asked_by, \
     asked_at, answer, answered_by, answered_at, published";

/// A municipality's questions, newest first.
pub async fn questions(pool: &AnyPool, municipality: &str) -> Result<Vec<Question>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {QUESTION_COLUMNS} FROM beredning_questions WHERE municipality = $1 \
         ORDER BY id DESC"
    )))
    .bind(municipality)
    .fetch_all(pool)
    .await?;
    rows.iter().map(question_from_row).collect()
}

async fn question_in(
    connection: &mut AnyConnection,
    municipality: &str,
    id: i64,
) -> Result<Option<Question>, StoreError> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {QUESTION_COLUMNS} FROM beredning_questions WHERE municipality = $1 AND id = $2"
    )))
    .bind(municipality)
    .bind(id)
    .fetch_optional(connection)
    .await?
    .map(|row| question_from_row(&row))
    .transpose()
}

/// One question.
pub async fn question(
    pool: &AnyPool,
    municipality: &str,
    id: i64,
) -> Result<Option<Question>, StoreError> {
    let mut connection = pool.acquire().await?;
    question_in(&mut connection, municipality, id).await
}

/// What a new question says.
#[derive(Debug, Clone)]
pub struct NewQuestion<'a> {
    pub municipality: &'a str,
    pub year: i64,
    pub body: &'a str,
    pub line: &'a str,
    pub question: &'a str,
    pub actor: &'a str,
}

/// Records a question (the next id of the municipality), with an audit row.
pub async fn ask(
    pool: &AnyPool,
    backend: Backend,
    new: &NewQuestion<'_>,
) -> Result<Question, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let last: Option<i64> =
        sqlx::query("SELECT MAX(id) AS last FROM beredning_questions WHERE municipality = $1")
            .bind(new.municipality)
            .fetch_one(&mut *transaction)
            .await?
            .try_get("last")?;
    let id = last.unwrap_or(0) + 1;
    let at = time::now_utc();
    row! {
        "municipality" => new.municipality,
        "id" => id,
        "year" => new.year,
        "body" => new.body,
        "line" => new.line,
        "question" => new.question,
        "asked_by" => new.actor,
        "asked_at" => &at,
        "published" => false,
    }
    .insert("beredning_questions", &mut transaction)
    .await?;
    let action = format!("beredning question {}/{id} {}", new.municipality, new.body);
    let after = format!("line: {}; question: {}", new.line, new.question);
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: new.municipality,
            at: &at,
            actor: new.actor,
            action: &action,
            detail: "",
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    let question = question_in(&mut transaction, new.municipality, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("frågan {id} finns inte")))?;
    transaction.commit().await?;
    Ok(question)
}

/// Records (or replaces) a question's answer and whether it is published, with an audit row
/// holding the answer before and after.
pub async fn answer(
    pool: &AnyPool,
    backend: Backend,
    (municipality, id): (&str, i64),
    answer: &str,
    published: bool,
    actor: &str,
) -> Result<Question, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let Some(before) = question_in(&mut transaction, municipality, id).await? else {
        return Err(StoreError::NotFound(format!("frågan {id} finns inte")));
    };
    let at = time::now_utc();
    row! {
        "answer" => answer,
        "answered_by" => actor,
        "answered_at" => &at,
        "published" => published,
    }
    .update(
        "beredning_questions",
        row! { "municipality" => municipality, "id" => id },
        &mut transaction,
    )
    .await?;
    let action = format!("beredning answer {municipality}/{id} {}", before.body);
    let before_text = before
        .answer
        .as_ref()
        .map(|a| format!("answer: {a}; published: {}", u8::from(before.published)));
    let after_text = format!("answer: {answer}; published: {}", u8::from(published));
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality,
            at: &at,
            actor,
            action: &action,
            detail: "",
            before: before_text.as_deref(),
            after: Some(&after_text),
        },
    )
    .await?;
    let question = question_in(&mut transaction, municipality, id)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("frågan {id} finns inte")))?;
    transaction.commit().await?;
    Ok(question)
}
