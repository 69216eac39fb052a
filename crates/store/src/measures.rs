//! Outcomes of verksamhetsmått (migration 0026): one current value per (body, measure, month),
//! written with its change number, its stored version (migration 0027) and an audit row (the
//! value before and after), refused as stale when the editor saw another version than the
//! current one: one compare-and-set on the version (`versioned`, as the follow-up reports).

use crate::connect::{Backend, begin_change};
use crate::row::Cells;
use crate::versioned;
use crate::write::row;
use crate::{Owner, StoreError, audit, time};
use rust_decimal::Decimal;
use sqlx::AnyPool;
use styr_domain::activity::MeasureValue;

/// A stored outcome with who wrote it, when, the change that did and its version (what an edit
/// is based on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeasureValue {
    pub value: MeasureValue,
    pub change_seq: i64,
    pub version: i64,
    pub reported_at: String,
    pub reported_by: String,
}

/// One outcome to write, with the version the editor saw (`Some(0)`: none; `None`: unchecked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureEdit {
    pub value: MeasureValue,
    pub based_on: Option<i64>,
}

/// What a write did: how many values changed and how many were already so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MeasuresRecorded {
    pub changed: usize,
    pub unchanged: usize,
    /// The change number of the write; 0 when nothing changed.
    pub change_seq: i64,
}

fn from_cells(c: &Cells<'_>) -> Result<StoredMeasureValue, StoreError> {
    Ok(StoredMeasureValue {
        value: MeasureValue {
            measure: c.id("measure")?,
            month: c.month("month")?,
            value: c.decimal("value")?,
        },
        change_seq: c.int("change_seq")?,
        version: c.int("version")?,
        reported_at: c.text("reported_at")?,
        reported_by: c.text("reported_by")?,
    })
}

/// Every current outcome of a body, by measure and month.
pub async fn values(
    pool: &AnyPool,
    owner: Owner<'_>,
) -> Result<Vec<StoredMeasureValue>, StoreError> {
    let rows = sqlx::query(
        "SELECT measure, month, value, change_seq, version, reported_at, reported_by \
         FROM measure_values WHERE municipality = $1 AND body = $2 ORDER BY measure, month",
    )
    .bind(owner.municipality)
    .bind(owner.body)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            from_cells(&Cells {
                row,
                table: "measure_values",
            })
        })
        .collect()
}

fn text(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Writes outcomes in one transaction with one audit row: all or nothing. An edit based on a
/// version that is no longer current is [`StoreError::StaleMeasure`]; an unchecked one is
/// written on whatever version is current.
pub async fn record(
    pool: &AnyPool,
    backend: Backend,
    owner: Owner<'_>,
    edits: &[MeasureEdit],
    actor: &str,
    action: &str,
) -> Result<MeasuresRecorded, StoreError> {
    let mut change = begin_change(pool, backend).await?;
    let seq = change.seq;
    let transaction = &mut *change.transaction;
    let at = time::now_utc();
    let mut before_lines = Vec::new();
    let mut after_lines = Vec::new();
    let mut unchanged = 0;
    for edit in edits {
        let measure = edit.value.measure.as_str();
        let month = edit.value.month.to_string();
        let current = loop {
            let current = current(transaction, owner, measure, &month).await?;
            let current_version = current.as_ref().map_or(0, |c| c.version);
            if let Some(expected) = edit.based_on
                && expected != current_version
            {
                return Err(StoreError::StaleMeasure {
                    measure: measure.to_owned(),
                    month,
                    expected,
                    current: current_version,
                });
            }
            if current
                .as_ref()
                .is_some_and(|c| c.value.value == edit.value.value)
            {
                break None;
            }
            let written = versioned::write(
                transaction,
                versioned::Kind::Replace,
                "measure_values",
                row! {
                    "municipality" => owner.municipality,
                    "body" => owner.body,
                    "measure" => measure,
                    "month" => &month,
                },
                row! {
                    "value" => text(edit.value.value),
                    "change_seq" => seq,
                    "reported_at" => &at,
                    "reported_by" => actor,
                },
                current_version,
            )
            .await?;
            if written == versioned::Outcome::Written {
                break Some(current);
            }
            // Someone else wrote it in between: read it again (a checked edit is stale now).
        };
        let Some(current) = current else {
            unchanged += 1;
            continue;
        };
        before_lines.push(current.map_or_else(
            || format!("{measure} {month}: –"),
            |c| format!("{measure} {month}: {}", text(c.value.value)),
        ));
        after_lines.push(format!("{measure} {month}: {}", text(edit.value.value)));
    }
    if after_lines.is_empty() {
        // Nothing to write: dropping the transaction rolls back the counter too.
        return Ok(MeasuresRecorded {
            changed: 0,
            unchanged,
            change_seq: 0,
        });
    }
    let detail = format!("changed={} unchanged={unchanged}", after_lines.len());
    let (before, after) = (before_lines.join("\n"), after_lines.join("\n"));
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
    change.commit().await?;
    Ok(MeasuresRecorded {
        changed: after_lines.len(),
        unchanged,
        change_seq: seq,
    })
}

/// The current outcome of a measure in a month.
async fn current(
    connection: &mut sqlx::AnyConnection,
    owner: Owner<'_>,
    measure: &str,
    month: &str,
) -> Result<Option<StoredMeasureValue>, StoreError> {
    let row = sqlx::query(
        "SELECT measure, month, value, change_seq, version, reported_at, reported_by \
         FROM measure_values WHERE municipality = $1 AND body = $2 AND measure = $3 \
         AND month = $4",
    )
    .bind(owner.municipality)
    .bind(owner.body)
    .bind(measure)
    .bind(month)
    .fetch_optional(connection)
    .await?;
    row.as_ref()
        .map(|row| {
            from_cells(&Cells {
                row,
                table: "measure_values",
            })
        })
        .transpose()
}
