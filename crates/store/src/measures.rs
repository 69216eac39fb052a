//! Outcomes of verksamhetsmått (migration 0026): one current value per (body, measure, month),
//! written with its change number and an audit row (the value before and after), refused as
//! stale when the editor saw another change than the current one.

use crate::connect::{Backend, begin_serialised};
use crate::row::Cells;
use crate::write::row;
use crate::{Owner, StoreError, audit, time};
use rust_decimal::Decimal;
use sqlx::AnyPool;
use styr_domain::activity::MeasureValue;

/// A stored outcome with who wrote it, when, and the change that did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredMeasureValue {
    pub value: MeasureValue,
    pub change_seq: i64,
    pub reported_at: String,
    pub reported_by: String,
}

/// One outcome to write, with the change the editor saw (`Some(0)`: none; `None`: unchecked).
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
        "SELECT measure, month, value, change_seq, reported_at, reported_by FROM measure_values \
         WHERE municipality = $1 AND body = $2 ORDER BY measure, month",
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

/// Writes outcomes in one transaction with one audit row: all or nothing.
pub async fn record(
    pool: &AnyPool,
    backend: Backend,
    owner: Owner<'_>,
    edits: &[MeasureEdit],
    actor: &str,
    action: &str,
) -> Result<MeasuresRecorded, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let at = time::now_utc();
    let mut before_lines = Vec::new();
    let mut after_lines = Vec::new();
    let mut unchanged = 0;
    for edit in edits {
        let measure = edit.value.measure.as_str();
        let month = edit.value.month.to_string();
        let current = sqlx::query(
            "SELECT measure, month, value, change_seq, reported_at, reported_by \
             FROM measure_values WHERE municipality = $1 AND body = $2 AND measure = $3 \
             AND month = $4",
        )
        .bind(owner.municipality)
        .bind(owner.body)
        .bind(measure)
        .bind(&month)
        .fetch_optional(&mut *transaction)
        .await?;
        let current = current
            .as_ref()
            .map(|row| {
                from_cells(&Cells {
                    row,
                    table: "measure_values",
                })
            })
            .transpose()?;
        let current_seq = current.as_ref().map_or(0, |c| c.change_seq);
        if let Some(expected) = edit.based_on
            && expected != current_seq
        {
            return Err(StoreError::StaleMeasure {
                measure: measure.to_owned(),
                month,
                expected,
                current: current_seq,
            });
        }
        if current
            .as_ref()
            .is_some_and(|c| c.value.value == edit.value.value)
        {
            unchanged += 1;
            continue;
        }
        let cells = row! {
            "value" => text(edit.value.value),
            "change_seq" => seq,
            "reported_at" => &at,
            "reported_by" => actor,
        };
        let key = row! {
            "municipality" => owner.municipality,
            "body" => owner.body,
            "measure" => measure,
            "month" => &month,
        };
        if current.is_some() {
            cells
                .update("measure_values", key, &mut transaction)
                .await?;
        } else {
            row! {
                "municipality" => owner.municipality,
                "body" => owner.body,
                "measure" => measure,
                "month" => &month,
                "value" => text(edit.value.value),
                "change_seq" => seq,
                "reported_at" => &at,
                "reported_by" => actor,
            }
            .insert("measure_values", &mut transaction)
            .await?;
        }
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
        &mut transaction,
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
    transaction.commit().await?;
    Ok(MeasuresRecorded {
        changed: after_lines.len(),
        unchanged,
        change_seq: seq,
    })
}
