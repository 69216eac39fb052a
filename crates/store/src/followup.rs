//! The follow-up year in the database: each body's calendar (`periods`) and what is reported
//! per period (`followup_entries`), with history. Both are keyed by the [`Owner`] (municipality
//! and body): item ids are only unique inside one body's plan.
//!
//! Reports are only ever added: each is a version of its (period, kind, subject), stored with it
//! (migration 0027; a unique index decides between two writers of one version, see
//! `versioned`), the current report is the highest version, and every earlier one stays as
//! history. A report for a closed period is refused inside the transaction that would write
//! it, with the period's row locked (PostgreSQL) or the write lock held (SQLite), so a period
//! closed in between cannot be written to. A report equal to the current one is not
//! written again (importing the same file twice changes nothing), and is no conflict even when
//! based on an older version (an edit sent again after its answer was lost, e.g. in a database
//! failover, is stored once).
//!
//! The rules a report must meet (required comments, thresholds) are the domain's
//! (`styr_domain::followup::check_report`), applied by the caller before it gets here; this
//! module stores and returns values.

use crate::audit;
use crate::connect::{Backend, begin_change, begin_serialised};
use crate::row::Cells;
use crate::write::row;
use crate::{Owner, StoreError, time, versioned};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, Row};
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::{
    EntryKind, FollowUpPeriod, FollowUpReport, GoalAssessment, PeriodKind, PeriodState,
    ReportEntry, ReportedEntry,
};
use styr_domain::ledger::{BudgetLineRef, ManualForecast, Month};
use styr_domain::{Id, Location};

mod one;

/// A body's calendar, by month.
pub async fn periods(
    connection: &mut AnyConnection,
    owner: Owner<'_>,
) -> Result<Vec<FollowUpPeriod>, StoreError> {
    let rows = sqlx::query(
        "SELECT month, id, kind, title, deadline, state, synthetic FROM periods \
         WHERE municipality = $1 AND body = $2 ORDER BY month",
    )
    .bind(owner.municipality)
    .bind(owner.body)
    .fetch_all(connection)
    .await?;
    rows.iter().map(period_from_row).collect()
}

fn period_from_row(row: &AnyRow) -> Result<FollowUpPeriod, StoreError> {
    let c = Cells {
        row,
        table: "periods",
    };
    Ok(FollowUpPeriod {
        id: c.id("id")?,
        month: c.month("month")?,
        kind: c.code("kind", PeriodKind::parse)?,
        title: c.text("title")?,
        deadline: c.opt_text("deadline")?,
        state: c.code("state", PeriodState::parse)?,
        synthetic: c.flag("synthetic")?,
        at: Location::default(),
    })
}

async fn period(
    connection: &mut AnyConnection,
    owner: Owner<'_>,
    month: Month,
) -> Result<Option<FollowUpPeriod>, StoreError> {
    let row = sqlx::query(
        "SELECT month, id, kind, title, deadline, state, synthetic FROM periods \
         WHERE municipality = $1 AND body = $2 AND month = $3",
    )
    .bind(owner.municipality)
    .bind(owner.body)
    .bind(month.to_string())
    .fetch_optional(connection)
    .await?;
    row.as_ref().map(period_from_row).transpose()
}

/// Merges a plan's calendar into its body's, inside the plan import's transaction:
/// a new month is added as given; an open period takes the plan's id, kind, title, deadline and
/// state (so a package can close it); a closed period is never changed by an import (reopening
/// takes the admin role and a reason). Returns how many periods were added or changed.
pub async fn merge_calendar(
    connection: &mut AnyConnection,
    owner: Owner<'_>,
    calendar: &[FollowUpPeriod],
) -> Result<u64, StoreError> {
    let mut changed = 0;
    for given in calendar {
        let stored = period(connection, owner, given.month).await?;
        let same = |p: &FollowUpPeriod| {
            p.id == given.id
                && p.kind == given.kind
                && p.title == given.title
                && p.deadline == given.deadline
                && p.state == given.state
                && p.synthetic == given.synthetic
        };
        let cells = row! {
            "id" => given.id.as_str(),
            "kind" => given.kind.code(),
            "title" => &given.title,
            "deadline" => given.deadline.clone(),
            "state" => given.state.code(),
            "synthetic" => i64::from(given.synthetic),
        };
        let key = row! {
            "municipality" => owner.municipality,
            "body" => owner.body,
            "month" => &given.month,
        };
        match &stored {
            None => key.and(cells).insert("periods", connection).await?,
            Some(stored) if stored.state == PeriodState::Closed || same(stored) => continue,
            Some(_) => cells.update("periods", key, connection).await?,
        };
        changed += 1;
    }
    Ok(changed)
}

/// A change of one report: what was current before (if anything) and what was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportChange {
    pub before: Option<ReportedEntry>,
    pub after: ReportedEntry,
}

/// What recording reports wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordSummary {
    pub changes: Vec<ReportChange>,
    /// Reports equal to the current ones, not written again.
    pub unchanged: usize,
    /// Those current reports, as stored (one per `unchanged`): the version an edit sent again
    /// after its answer was lost now has.
    pub kept: Vec<ReportedEntry>,
}

/// The audit log's text for one report: `2021-08 status ks2020_3: status: Påbörjad; …`.
fn audit_line(report: &FollowUpReport) -> String {
    format!(
        "{} {} {}: {}",
        report.period,
        report.entry.kind().code(),
        report.entry.subject(),
        report.entry
    )
}

/// Records reports in one transaction, all-or-nothing, with one audit row for the change:
/// `action` and `detail` name what was done, the before and after are the reports' texts.
/// Every report's period must exist and be open ([`StoreError::PeriodClosed`],
/// [`StoreError::NoSuchPeriod`]); then nothing is written.
///
/// A report based on a version (`expected_versions[i]`) is written as the next version only if
/// that version is still the current one, decided by the stored version's unique index
/// ([`crate::versioned`]); otherwise [`StoreError::StaleVersion`] with the current report and
/// nothing is written. A stale edit is refused on a read before any write begins. A report
/// based on no version is written on whatever is current when it is written.
///
/// On PostgreSQL each call is its own transaction ([`begin_change`]: not queued behind other
/// writers). SQLite has one writer and a commit costs a sync of its journal, so there calls
/// that arrive while another's commit is under way share the next transaction ([`Reports`]):
/// each keeps its own change number, audit row and all-or-nothing (a savepoint), and the
/// journal is synced once for all of them.
#[allow(clippy::too_many_arguments)]
pub async fn record(
    pool: &AnyPool,
    backend: Backend,
    queue: &Reports,
    owner: Owner<'_>,
    reports: &[FollowUpReport],
    expected_versions: &[Option<u64>],
    actor: &str,
    action: &str,
) -> Result<RecordSummary, StoreError> {
    let expected_of = |index: usize| expected_versions.get(index).copied().flatten();
    // The common collision costs one read: no transaction is begun for an edit already stale.
    for (index, report) in reports.iter().enumerate() {
        if let Some(expected) = expected_of(index) {
            let mut connection = pool.acquire().await?;
            let current = latest_of(&mut connection, owner, report).await?;
            let current = check_based_on(report, expected, current)?;
            // One report to write on the version current, on PostgreSQL: one statement.
            if backend == Backend::Postgres
                && reports.len() == 1
                && current.as_ref().map_or(0, |c| c.version) == expected
                && current.as_ref().is_none_or(|c| c.report != *report)
            {
                return one::record(
                    &mut connection,
                    owner,
                    report,
                    expected,
                    current,
                    actor,
                    action,
                )
                .await;
            }
        }
    }
    let job = Job {
        owner: (owner.municipality.to_owned(), owner.body.to_owned()),
        reports: reports.to_vec(),
        expected: expected_versions.to_vec(),
        actor: actor.to_owned(),
        action: action.to_owned(),
    };
    match backend {
        Backend::Sqlite => queue.submit(pool, job).await,
        Backend::Postgres => {
            let mut change = begin_change(pool, backend).await?;
            let summary = job
                .record_in(&mut change.transaction, backend, change.seq)
                .await?;
            if !summary.changes.is_empty() {
                change.commit().await?;
            }
            // With nothing to write, dropping the transaction rolls it back.
            Ok(summary)
        }
    }
}

/// One call of [`record`], owned, so that it can wait in the queue.
struct Job {
    owner: (String, String),
    reports: Vec<FollowUpReport>,
    expected: Vec<Option<u64>>,
    actor: String,
    action: String,
}

impl Job {
    /// Writes the reports inside an open transaction under the change number `seq`, with the
    /// audit row; nothing is committed here.
    async fn record_in(
        &self,
        transaction: &mut AnyConnection,
        backend: Backend,
        seq: i64,
    ) -> Result<RecordSummary, StoreError> {
        let owner = Owner {
            municipality: &self.owner.0,
            body: &self.owner.1,
        };
        let (reports, actor, action) = (&self.reports, self.actor.as_str(), self.action.as_str());
        let expected_of = |index: usize| self.expected.get(index).copied().flatten();
        let at = time::now_utc();
        let mut changes = Vec::new();
        // Per change: the version its report was based on, if it asked for a check.
        let mut checked: Vec<Option<u64>> = Vec::new();
        let mut unchanged = 0;
        let mut kept = Vec::new();
        for (index, report) in reports.iter().enumerate() {
            let month = report.period.to_string();
            match open_period(transaction, backend, owner, report.period).await? {
                None => return Err(StoreError::NoSuchPeriod { month }),
                Some(p) if p.state == PeriodState::Closed => {
                    return Err(StoreError::PeriodClosed { month });
                }
                Some(_) => {}
            }
            let before = latest_of(transaction, owner, report).await?;
            let before = match expected_of(index) {
                Some(expected) => check_based_on(report, expected, before)?,
                None => before,
            };
            if let Some(current) = before.as_ref().filter(|b| b.report == *report) {
                unchanged += 1;
                kept.push(current.clone());
                continue;
            }
            // A later report in the same change for the same subject replaces an earlier one.
            let (kind, subject) = (report.entry.kind(), report.entry.subject());
            let before = match changes.iter().position(|c: &ReportChange| {
                c.after.report.entry.kind() == kind
                    && c.after.report.period == report.period
                    && c.after.report.entry.subject() == subject
            }) {
                Some(index) => {
                    checked.remove(index);
                    changes.remove(index).before
                }
                None => before,
            };
            let version = before.as_ref().map_or(0, |b| b.version) + 1;
            changes.push(ReportChange {
                before,
                after: ReportedEntry {
                    report: report.clone(),
                    reported_by: actor.to_owned(),
                    reported_at: at.clone(),
                    version,
                },
            });
            checked.push(expected_of(index));
        }
        let mut position = 0;
        let mut index = 0;
        while index < changes.len() {
            let based_on = changes[index].after.version - 1;
            let (key, cells) = entry_row(owner, seq, position, &changes[index].after);
            let written = versioned::write(
                transaction,
                versioned::Kind::Append,
                "followup_entries",
                key,
                cells,
                i64::try_from(based_on).unwrap_or(i64::MAX),
            )
            .await?;
            if written == versioned::Outcome::Written {
                index += 1;
                position += 1;
                continue;
            }
            // Someone else wrote a version of this report in between.
            let report = changes[index].after.report.clone();
            let current = latest_of(transaction, owner, &report).await?;
            if let Some(current) = current.as_ref().filter(|c| c.report == report) {
                changes.remove(index);
                checked.remove(index);
                unchanged += 1;
                kept.push(current.clone());
                continue;
            }
            if let Some(expected) = checked[index] {
                check_based_on(&report, expected, current)?;
                // A check that passes found the version it was based on current again: impossible
                // after losing; refuse rather than loop.
                return Err(stale(&report, expected, None));
            }
            let change = &mut changes[index];
            change.after.version = current.as_ref().map_or(0, |c| c.version) + 1;
            change.before = current;
        }
        if !changes.is_empty() {
            let lines = |pick: fn(&ReportChange) -> Option<&ReportedEntry>| {
                let text: Vec<String> = changes
                    .iter()
                    .map(|c| pick(c).map_or_else(|| "–".to_owned(), |e| audit_line(&e.report)))
                    .collect();
                text.join("\n")
            };
            let before = lines(|c| c.before.as_ref());
            let after = lines(|c| Some(&c.after));
            let detail = format!("changed={} unchanged={unchanged}", changes.len());
            audit::record(
                transaction,
                &audit::Change {
                    seq,
                    municipality: owner.municipality,
                    at: &at,
                    actor,
                    action,
                    detail: &detail,
                    before: Some(&before),
                    after: Some(&after),
                },
            )
            .await?;
        }
        Ok(RecordSummary {
            changes,
            unchanged,
            kept,
        })
    }
}

/// The reports waiting for SQLite's writer (see [`record`]): a call queues its job, and the
/// first in line writes every job queued by then in one transaction, each in a savepoint of
/// its own, commits once and hands each its answer. A leader that is cancelled (its request
/// dropped) does not take the others down: the batch runs in a task of its own.
#[derive(Default)]
pub struct Reports {
    waiting: std::sync::Mutex<Vec<(Job, Reply)>>,
    leader: tokio::sync::Mutex<()>,
}

type Reply = tokio::sync::oneshot::Sender<Result<RecordSummary, StoreError>>;

impl std::fmt::Debug for Reports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reports")
    }
}

impl Reports {
    async fn submit(&self, pool: &AnyPool, job: Job) -> Result<RecordSummary, StoreError> {
        let (reply, mut answer) = tokio::sync::oneshot::channel();
        self.lock().push((job, reply));
        let leader = self.leader.lock().await;
        // A leader before us took our job and answered before it let go.
        if let Ok(result) = answer.try_recv() {
            return result;
        }
        let jobs = std::mem::take(&mut *self.lock());
        if !jobs.is_empty() {
            let pool = pool.clone();
            let _ = tokio::spawn(write_batch(pool, jobs)).await;
        }
        drop(leader);
        answer.await.unwrap_or_else(|_| {
            Err(StoreError::Database(sqlx::Error::Protocol(
                "rapporten skrevs inte: skrivningen avbröts".to_owned(),
            )))
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(Job, Reply)>> {
        self.waiting
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Writes a batch of jobs in one SQLite transaction and answers each.
async fn write_batch(pool: AnyPool, jobs: Vec<(Job, Reply)>) {
    let failed = |error: &dyn std::fmt::Display| {
        StoreError::Database(sqlx::Error::Protocol(format!(
            "rapporten skrevs inte: {error}"
        )))
    };
    let mut transaction = match pool.begin_with("BEGIN IMMEDIATE").await {
        Ok(transaction) => transaction,
        Err(error) => {
            for (_, reply) in jobs {
                let _ = reply.send(Err(failed(&error)));
            }
            return;
        }
    };
    let mut results = Vec::with_capacity(jobs.len());
    for (job, _) in &jobs {
        results.push(write_one(&mut transaction, job).await);
    }
    if let Err(error) = transaction.commit().await {
        for result in &mut results {
            if result.is_ok() {
                *result = Err(failed(&error));
            }
        }
    }
    for ((_, reply), result) in jobs.into_iter().zip(results) {
        let _ = reply.send(result);
    }
}

/// One job of a batch in a savepoint: kept when it wrote something, rolled back (with its
/// change number) when it failed or changed nothing.
async fn write_one(
    transaction: &mut sqlx::Transaction<'static, sqlx::Any>,
    job: &Job,
) -> Result<RecordSummary, StoreError> {
    let mut savepoint = sqlx::Connection::begin(&mut **transaction).await?;
    let seq = crate::connect::next_seq(&mut savepoint).await?;
    let result = job.record_in(&mut savepoint, Backend::Sqlite, seq).await;
    match &result {
        Ok(summary) if !summary.changes.is_empty() => savepoint.commit().await?,
        _ => savepoint.rollback().await?,
    }
    result
}

/// The error for a report based on `expected` when `current` is the current one.
fn stale(report: &FollowUpReport, expected: u64, current: Option<ReportedEntry>) -> StoreError {
    StoreError::StaleVersion {
        subject: report.entry.subject(),
        expected,
        current: Box::new(current),
    }
}

/// `current` when it is the version `expected` (0: none) a report was based on, or when it
/// equals the report (the same edit sent again after its answer was lost, e.g. in a database
/// failover: it is kept, not written twice, and is no conflict); else
/// [`StoreError::StaleVersion`] with it.
fn check_based_on(
    report: &FollowUpReport,
    expected: u64,
    current: Option<ReportedEntry>,
) -> Result<Option<ReportedEntry>, StoreError> {
    if current.as_ref().map_or(0, |c| c.version) == expected
        || current.as_ref().is_some_and(|c| c.report == *report)
    {
        Ok(current)
    } else {
        Err(stale(report, expected, current))
    }
}

/// The current report of the same (period, kind, subject) as `report`.
async fn latest_of(
    connection: &mut AnyConnection,
    owner: Owner<'_>,
    report: &FollowUpReport,
) -> Result<Option<ReportedEntry>, StoreError> {
    let month = report.period.to_string();
    let subject = report.entry.subject();
    latest(connection, owner, &month, report.entry.kind(), &subject).await
}

/// A period read by a report's change: on PostgreSQL its row is locked against a change of its
/// state until the report commits (`FOR SHARE`: reports do not wait for each other), so a
/// period closed in between cannot be written to. SQLite's writer holds the write lock already.
async fn open_period(
    connection: &mut AnyConnection,
    backend: Backend,
    owner: Owner<'_>,
    month: Month,
) -> Result<Option<FollowUpPeriod>, StoreError> {
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT month, id, kind, title, deadline, state, synthetic FROM periods \
             WHERE municipality = $1 AND body = $2 AND month = $3"
        }
        Backend::Postgres => {
            "SELECT month, id, kind, title, deadline, state, synthetic FROM periods \
             WHERE municipality = $1 AND body = $2 AND month = $3 FOR SHARE"
        }
    };
    let row = sqlx::query(sql)
        .bind(owner.municipality)
        .bind(owner.body)
        .bind(month.to_string())
        .fetch_optional(connection)
        .await?;
    row.as_ref().map(period_from_row).transpose()
}

/// The columns of a report, with its stored version (migration 0027).
const ENTRY_COLUMNS: &str = "e.period, e.kind, e.subject, e.value, e.amount_ore, e.comment, \
     e.action_plan, e.source, e.measured_on, e.reported_at, e.reported_by, e.light, e.version";

/// A report's row: its record's key (body, period, kind, subject) and the other cells but its
/// version, which [`versioned::write`] adds.
fn entry_row(
    owner: Owner<'_>,
    seq: i64,
    position: usize,
    entry: &ReportedEntry,
) -> (crate::write::Row, crate::write::Row) {
    let report = &entry.report;
    // The columns a kind of report fills; the others stay NULL.
    let cells = match &report.entry {
        ReportEntry::Status {
            status, comment, ..
        } => row! {
            "value" => status.code(),
            "comment" => comment.as_ref(),
        },
        ReportEntry::Outcome {
            value,
            measured_on,
            source,
            comment,
            ..
        } => row! {
            "value" => value.to_string(),
            "comment" => comment.as_ref(),
            "source" => source.as_ref(),
            "measured_on" => measured_on.as_ref(),
        },
        ReportEntry::Assessment {
            assessment,
            motivation,
            ..
        } => row! {
            "value" => assessment.code(),
            "comment" => motivation,
        },
        ReportEntry::Forecast {
            amount,
            comment,
            action_plan,
            ..
        } => row! {
            "amount_ore" => *amount,
            "comment" => comment.as_ref(),
            "action_plan" => action_plan.as_ref(),
        },
        ReportEntry::Control {
            light,
            result,
            finding,
            action,
            ..
        } => row! {
            "value" => result.code(),
            "comment" => finding.as_ref(),
            "action_plan" => action.as_ref(),
            "light" => light.code(),
        },
        ReportEntry::AuditAction {
            status,
            evidence,
            comment,
            ..
        } => row! {
            "value" => status.code(),
            "comment" => comment.as_ref(),
            "source" => evidence.as_ref(),
        },
    };
    let key = row! {
        "municipality" => owner.municipality,
        "body" => owner.body,
        "period" => report.period.to_string(),
        "kind" => report.entry.kind().code(),
        "subject" => report.entry.subject(),
    };
    let written = row! {
        "change_seq" => seq,
        "position" => position,
        "reported_at" => &entry.reported_at,
        "reported_by" => &entry.reported_by,
    };
    (key, written.and(cells))
}

fn entry_from_row(row: &AnyRow) -> Result<ReportedEntry, StoreError> {
    let c = Cells {
        row,
        table: "followup_entries",
    };
    let period = c.month("period")?;
    let kind = c.code("kind", EntryKind::parse)?;
    let subject = c.text("subject")?;
    let id = || {
        Id::parse(&subject)
            .map_err(|_| StoreError::Corrupt(format!("followup_entries.subject {subject:?}")))
    };
    let value = || {
        c.opt_text("value")?
            .ok_or_else(|| StoreError::Corrupt("followup_entries.value saknas".to_owned()))
    };
    let entry = match kind {
        EntryKind::Status => ReportEntry::Status {
            assignment: id()?,
            status: c.code("value", AssignmentStatus::parse)?,
            comment: c.opt_text("comment")?,
        },
        EntryKind::Outcome => ReportEntry::Outcome {
            indicator: id()?,
            value: value()?
                .parse()
                .map_err(|_| StoreError::Corrupt("followup_entries.value".to_owned()))?,
            measured_on: c.opt_text("measured_on")?,
            source: c.opt_text("source")?,
            comment: c.opt_text("comment")?,
        },
        EntryKind::Assessment => ReportEntry::Assessment {
            goal: id()?,
            assessment: c.code("value", GoalAssessment::parse)?,
            motivation: c.opt_text("comment")?.unwrap_or_default(),
        },
        EntryKind::Forecast => ReportEntry::Forecast {
            line: BudgetLineRef::parse(&subject).ok_or_else(|| {
                StoreError::Corrupt(format!("followup_entries.subject {subject:?}"))
            })?,
            amount: Money::from_ore(c.int("amount_ore")?),
            comment: c.opt_text("comment")?,
            action_plan: c.opt_text("action_plan")?,
        },
        EntryKind::Control => ReportEntry::Control {
            control: id()?,
            result: c.code("value", ControlResult::parse)?,
            light: c.code("light", TrafficLight::parse)?,
            finding: c.opt_text("comment")?,
            action: c.opt_text("action_plan")?,
        },
        EntryKind::AuditAction => ReportEntry::AuditAction {
            action: id()?,
            status: c.code("value", ActionStatus::parse)?,
            evidence: c.opt_text("source")?,
            comment: c.opt_text("comment")?,
        },
    };
    Ok(ReportedEntry {
        report: FollowUpReport { period, entry },
        reported_by: c.text("reported_by")?,
        reported_at: c.text("reported_at")?,
        version: c.small("version")?,
    })
}

/// Whether a statement over `followup_entries` keeps its plan between calls: not on
/// PostgreSQL, where a connection's kept plan is made once, and one made while the table was
/// nearly empty (a new database, a new municipality) scans the whole table ever after, until
/// autovacuum's ANALYZE happens to replan it. In the 100-reporter benchmark half the reads of
/// the current report did (22 M rows read in 10 s). Planning each call costs a fraction of a
/// millisecond.
fn plan_kept(backend: Backend) -> bool {
    backend == Backend::Sqlite
}

async fn latest(
    connection: &mut AnyConnection,
    owner: Owner<'_>,
    month: &str,
    kind: EntryKind,
    subject: &str,
) -> Result<Option<ReportedEntry>, StoreError> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM followup_entries e \
         WHERE e.municipality = $1 AND e.body = $2 AND e.period = $3 AND e.kind = $4 \
         AND e.subject = $5 ORDER BY e.version DESC LIMIT 1"
    );
    let backend = crate::connect::backend_of(connection);
    let row = sqlx::query(sqlx::AssertSqlSafe(sql))
        .persistent(plan_kept(backend))
        .bind(owner.municipality)
        .bind(owner.body)
        .bind(month)
        .bind(kind.code())
        .bind(subject)
        .fetch_optional(connection)
        .await?;
    row.as_ref().map(entry_from_row).transpose()
}

/// Which reports to list.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    /// Only this period; `None` for every period.
    pub period: Option<Month>,
    pub kind: Option<EntryKind>,
    pub subject: Option<String>,
    /// Every report, not only the current one per (period, kind, subject).
    pub history: bool,
}

/// Reports of a body, by period, kind, subject and then oldest first.
pub async fn entries(
    pool: &AnyPool,
    owner: Owner<'_>,
    filter: &EntryFilter,
) -> Result<Vec<ReportedEntry>, StoreError> {
    let mut sql = format!(
        "SELECT {ENTRY_COLUMNS}, e.change_seq, e.position FROM followup_entries e \
         WHERE e.municipality = $1 AND e.body = $2"
    );
    let mut binds = vec![owner.municipality.to_owned(), owner.body.to_owned()];
    let mut bind = |sql: &mut String, column: &str, value: String| {
        binds.push(value);
        sql.push_str(&format!(" AND e.{column} = ${}", binds.len()));
    };
    if let Some(period) = filter.period {
        bind(&mut sql, "period", period.to_string());
    }
    if let Some(kind) = filter.kind {
        bind(&mut sql, "kind", kind.code().to_owned());
    }
    if let Some(subject) = &filter.subject {
        bind(&mut sql, "subject", subject.clone());
    }
    if !filter.history {
        sql.push_str(
            " AND NOT EXISTS (SELECT 1 FROM followup_entries n WHERE n.municipality = \
             e.municipality AND n.body = e.body AND n.period = e.period AND n.kind = e.kind \
             AND n.subject = e.subject AND n.version > e.version)",
        );
    }
    sql.push_str(" ORDER BY e.period, e.kind, e.subject, e.version");
    // The SQL holds constant column names only; every value is a bound parameter.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for value in binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(pool).await?;
    rows.iter().map(entry_from_row).collect()
}

/// The current manual forecasts of a follow-up month.
pub async fn forecasts(
    pool: &AnyPool,
    owner: Owner<'_>,
    period: Month,
) -> Result<Vec<ManualForecast>, StoreError> {
    let filter = EntryFilter {
        period: Some(period),
        kind: Some(EntryKind::Forecast),
        ..EntryFilter::default()
    };
    Ok(entries(pool, owner, &filter)
        .await?
        .into_iter()
        .filter_map(|entry| match entry.report.entry {
            ReportEntry::Forecast {
                line,
                amount,
                comment,
                ..
            } => Some(ManualForecast {
                line,
                period,
                amount,
                comment,
            }),
            _ => None,
        })
        .collect())
}

/// Opens or closes a period, with an audit row (`reason` in its detail). Refuses a period that
/// does not exist; changing to the state it already has is an error too
/// ([`StoreError::PeriodState`]), so that the log only holds real changes.
pub async fn set_state(
    pool: &AnyPool,
    backend: Backend,
    owner: Owner<'_>,
    month: Month,
    state: PeriodState,
    actor: &str,
    reason: Option<&str>,
) -> Result<FollowUpPeriod, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let month_text = month.to_string();
    let Some(mut stored) = period(&mut transaction, owner, month).await? else {
        return Err(StoreError::NoSuchPeriod { month: month_text });
    };
    if stored.state == state {
        return Err(StoreError::PeriodState {
            month: month_text,
            state: state.label_sv(),
        });
    }
    row! { "state" => state.code() }
        .update(
            "periods",
            row! {
                "municipality" => owner.municipality,
                "body" => owner.body,
                "month" => &month_text,
            },
            &mut transaction,
        )
        .await?;
    crate::connect::plan_changed(&mut transaction).await?;
    let at = time::now_utc();
    let verb = match state {
        PeriodState::Open => "reopen",
        PeriodState::Closed => "close",
    };
    let action = format!("{verb} period {owner}/{month_text}");
    let detail = match reason {
        Some(reason) => format!("reason={reason}"),
        None => String::new(),
    };
    let before = format!("state: {}", stored.state.label_sv());
    let after = format!("state: {}", state.label_sv());
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality: owner.municipality,
            at: &at,
            actor,
            action: &action,
            detail: &detail,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    transaction.commit().await?;
    stored.state = state;
    Ok(stored)
}

/// Closes a month's period for every body of a municipality that has it open, in one
/// transaction with one audit row (`close period haninge/*/2021-08`, before and after per
/// body). Returns the bodies' periods as closed; a body whose period is closed already, or
/// that has no such period, is left as it is. [`StoreError::NoSuchPeriod`] when no body has
/// the period at all; [`StoreError::PeriodState`] when every body has closed it already.
pub async fn close_everywhere(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    month: Month,
    actor: &str,
) -> Result<Vec<(String, FollowUpPeriod)>, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let month_text = month.to_string();
    let rows = sqlx::query(
        "SELECT body, month, id, kind, title, deadline, state, synthetic FROM periods \
         WHERE municipality = $1 AND month = $2 ORDER BY body",
    )
    .bind(municipality)
    .bind(&month_text)
    .fetch_all(&mut *transaction)
    .await?;
    if rows.is_empty() {
        return Err(StoreError::NoSuchPeriod { month: month_text });
    }
    let mut closed = Vec::new();
    for row in &rows {
        let body = Cells {
            row,
            table: "periods",
        }
        .text("body")?;
        let mut period = period_from_row(row)?;
        if period.state == PeriodState::Closed {
            continue;
        }
        row! { "state" => PeriodState::Closed.code() }
            .update(
                "periods",
                row! {
                    "municipality" => municipality,
                    "body" => &body,
                    "month" => &month_text,
                },
                &mut transaction,
            )
            .await?;
        period.state = PeriodState::Closed;
        closed.push((body, period));
    }
    if closed.is_empty() {
        return Err(StoreError::PeriodState {
            month: month_text,
            state: PeriodState::Closed.label_sv(),
        });
    }
    crate::connect::plan_changed(&mut transaction).await?;
    let lines = |state: PeriodState| {
        closed
            .iter()
            .map(|(body, _)| format!("body: {body}; state: {}", state.label_sv()))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let (before, after) = (lines(PeriodState::Open), lines(PeriodState::Closed));
    let at = time::now_utc();
    let action = format!("close period {municipality}/*/{month_text}");
    let detail = format!("bodies={}", closed.len());
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality,
            at: &at,
            actor,
            action: &action,
            detail: &detail,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(closed)
}

/// Sets a stored plan's version kind to decided, with the decision that decided it, and logs
/// it. Refuses a version that is already decided.
pub async fn decide_version(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    version: &str,
    decision: &str,
    actor: &str,
) -> Result<(), StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    decide_in(
        &mut transaction,
        seq,
        municipality,
        version,
        decision,
        actor,
    )
    .await?;
    transaction.commit().await?;
    Ok(())
}

/// Marks a version decided inside a transaction begun by [`begin_serialised`], with its audit
/// row numbered `seq`: the one write of a decision, for `styr version decide` and for KF's
/// decision in the budget process alike.
pub(crate) async fn decide_in(
    transaction: &mut AnyConnection,
    seq: i64,
    municipality: &str,
    version: &str,
    decision: &str,
    actor: &str,
) -> Result<(), StoreError> {
    let row =
        sqlx::query("SELECT version_kind FROM plans WHERE municipality = $1 AND version = $2")
            .bind(municipality)
            .bind(version)
            .fetch_optional(&mut *transaction)
            .await?;
    let Some(row) = row else {
        return Err(StoreError::NotFound(format!(
            "budgetversionen {municipality}/{version} finns inte i databasen"
        )));
    };
    let kind: String = row.try_get("version_kind")?;
    if kind == "decided" {
        return Err(StoreError::DecidedVersion {
            version: version.to_owned(),
        });
    }
    row! { "version_kind" => "decided", "version_decision" => decision }
        .update(
            "plans",
            row! { "municipality" => municipality, "version" => version },
            &mut *transaction,
        )
        .await?;
    crate::connect::plan_changed(&mut *transaction).await?;
    let at = time::now_utc();
    let action = format!("decide version {municipality}/{version}");
    let before = format!("kind: {kind}");
    let after = format!("kind: decided; decision: {decision}");
    audit::record(
        &mut *transaction,
        &audit::Change {
            seq,
            municipality,
            at: &at,
            actor,
            action: &action,
            detail: "",
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(())
}
