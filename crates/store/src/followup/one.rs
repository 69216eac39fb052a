//! One report based on the version its editor saw, on PostgreSQL, in one statement.
//!
//! The common report (a form or an API client sending one report on the version it read) was
//! nine round trips inside its transaction: BEGIN, the change number, the period locked, the
//! current report read again, the compare-and-set, the audit row, the change counter, COMMIT.
//! When the read before any transaction (`followup::record`) found the version the edit was
//! based on current, everything else is one statement in its own transaction:
//!
//! - the period's row is locked `FOR SHARE` and must be open (a period closed in between waits
//!   for it or is seen closed, as in `open_period`);
//! - the change number is drawn from `change_seq` only then;
//! - the compare-and-set is `versioned`'s: `INSERT … ON CONFLICT (key…, version) DO NOTHING`
//!   of version `based_on + 1`;
//! - the audit row and the change counter's move (the `import.N` row of `Change::commit`) are
//!   written from what that insert returned, so neither is written when it lost.
//!
//! The report before is the one that read found: versions are appended one after the other and
//! never changed, so when version `based_on + 1` is written, the current report before it was
//! version `based_on`, the row read. A lost compare-and-set writes nothing, and the answer is
//! the one `Job::record_in` gives: the report equal to ours is kept, else it is stale.

use super::{RecordSummary, ReportChange, audit_line, check_based_on, entry_row, latest_of, stale};
use crate::audit;
use crate::connect::CHANGE_COUNTERS;
use crate::row::Value;
use crate::write::{bind, row};
use crate::{Owner, StoreError, time};
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use std::fmt::Write as _;
use styr_domain::followup::{FollowUpReport, PeriodState, ReportedEntry};

/// Writes `report` as version `current`'s + 1 (1 with none), with its audit row and the move
/// of the change counter, in one statement; `current` is the current report a read found, of
/// version `expected`, not equal to `report`.
pub(super) async fn record(
    connection: &mut AnyConnection,
    owner: Owner<'_>,
    report: &FollowUpReport,
    expected: u64,
    current: Option<ReportedEntry>,
    actor: &str,
    action: &str,
) -> Result<RecordSummary, StoreError> {
    let month = report.period.to_string();
    let after = ReportedEntry {
        report: report.clone(),
        reported_by: actor.to_owned(),
        reported_at: time::now_utc(),
        version: expected + 1,
    };
    // The change number is the statement's (`change.seq`), not a bound value.
    let (key, cells) = entry_row(owner, 0, 0, &after);
    let conflict: Vec<&str> = key.columns().chain(["version"]).collect();
    let version = i64::try_from(after.version).unwrap_or(i64::MAX);
    let entry: Vec<(&str, Value)> = key
        .and(cells)
        .and(row! { "version" => version })
        .into_cells()
        .into_iter()
        .filter(|(column, _)| *column != "change_seq")
        .collect();
    let before_text = current
        .as_ref()
        .map_or_else(|| "–".to_owned(), |c| audit_line(&c.report));
    let after_text = audit_line(report);
    let change = audit::Change {
        seq: 0,
        municipality: owner.municipality,
        at: &after.reported_at,
        actor,
        action,
        detail: "changed=1 unchanged=0",
        before: Some(&before_text),
        after: Some(&after_text),
    };
    // The audit row's values after its change number, which is `written.change_seq`.
    let logged: Vec<Value> = change.values().into_iter().skip(1).collect();
    debug_assert_eq!(audit::TABLE.columns.first(), Some(&"seq"));

    // $1–$4: the period and the state it must have; then the report's cells; then the audit
    // row's. Built from the code's table and column names and numbered placeholders only.
    let mut next = 4;
    let mut placeholders = |count: usize| {
        let list: Vec<String> = (0..count)
            .map(|_| {
                next += 1;
                format!("${next}")
            })
            .collect();
        list.join(", ")
    };
    let entry_columns: Vec<&str> = entry.iter().map(|(column, _)| *column).collect();
    let entry_values = placeholders(entry.len());
    let audit_values = placeholders(logged.len());
    let mut sql = String::new();
    let _ = write!(
        sql,
        "WITH period AS (SELECT state FROM periods \
         WHERE municipality = $1 AND body = $2 AND month = $3 FOR SHARE), \
         change AS (SELECT nextval('change_seq') AS seq FROM period WHERE state = $4), \
         written AS (INSERT INTO followup_entries (change_seq, {}) \
         SELECT change.seq, {entry_values} FROM change \
         ON CONFLICT ({}) DO NOTHING RETURNING change_seq), \
         logged AS (INSERT INTO audit_log ({}) SELECT written.change_seq, {audit_values} \
         FROM written), \
         moved AS (UPDATE counters SET value = value + 1 WHERE name = \
         (SELECT 'import.' || CAST(MOD(change_seq, {CHANGE_COUNTERS}) + 1 AS TEXT) FROM written)) \
         SELECT (SELECT state FROM period) AS state, (SELECT change_seq FROM written) AS seq",
        entry_columns.join(", "),
        conflict.join(", "),
        audit::TABLE.columns.join(", "),
    );
    let mut query = sqlx::query(AssertSqlSafe(sql))
        .bind(owner.municipality)
        .bind(owner.body)
        .bind(month.clone())
        .bind(PeriodState::Open.code());
    for (_, value) in entry {
        query = bind(query, value);
    }
    for value in logged {
        query = bind(query, value);
    }
    let answer = query.fetch_one(&mut *connection).await?;
    let state: Option<String> = answer.try_get("state")?;
    let seq: Option<i64> = answer.try_get("seq")?;
    match (state.as_deref().map(PeriodState::parse), seq) {
        (None, _) => Err(StoreError::NoSuchPeriod { month }),
        (Some(Some(PeriodState::Closed)), _) => Err(StoreError::PeriodClosed { month }),
        (Some(None), _) => Err(StoreError::Corrupt(format!(
            "periods.state {:?}",
            state.unwrap_or_default()
        ))),
        (Some(Some(PeriodState::Open)), Some(_)) => Ok(RecordSummary {
            changes: vec![ReportChange {
                before: current,
                after,
            }],
            unchanged: 0,
            kept: Vec::new(),
        }),
        (Some(Some(PeriodState::Open)), None) => {
            // Someone else wrote a version of this report in between.
            let current = latest_of(connection, owner, report).await?;
            if let Some(same) = current.as_ref().filter(|c| c.report == *report) {
                return Ok(RecordSummary {
                    changes: Vec::new(),
                    unchanged: 1,
                    kept: vec![same.clone()],
                });
            }
            check_based_on(report, expected, current)?;
            Err(stale(report, expected, None))
        }
    }
}
