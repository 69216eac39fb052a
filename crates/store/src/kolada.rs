//! Kolada values in the database (`kolada_values`, migration 0010): one row per (KPI, area,
//! year, gender) and municipality, the latest retrieval of it.
//!
//! A batch is written in one transaction with one audit row holding every changed value before
//! and after. A value equal to the stored one (same number or the same absence, same status) is
//! not written again, so importing the same response twice changes nothing and keeps the first
//! retrieval date.

use crate::audit;
use crate::connect::{Backend, begin_serialised};
use crate::row::Cells;
use crate::write::row;
use crate::{StoreError, time};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool};
use styr_domain::kolada::{Gender, KoladaValue};

/// What recording Kolada values wrote.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KoladaRecorded {
    /// Values new or different from the stored ones (written).
    pub changed: usize,
    /// Values equal to the stored ones (not written again).
    pub unchanged: usize,
}

const COLUMNS: &str = "kpi, area, year, gender, value, status, source, retrieved_on";

fn value_from_row(row: &AnyRow) -> Result<KoladaValue, StoreError> {
    let c = Cells {
        row,
        table: "kolada_values",
    };
    Ok(KoladaValue {
        kpi: c.text("kpi")?,
        municipality: c.text("area")?,
        year: c.small("year")?,
        gender: c.code("gender", Gender::parse)?,
        value: match c.opt_text("value")? {
            Some(_) => Some(c.decimal("value")?),
            None => None,
        },
        status: c.text("status")?,
        source: c.text("source")?,
        retrieved: c.text("retrieved_on")?,
    })
}

/// The audit log's text for one value: `N00914 0136 2020 T: 80.9 (Kolada …, 2026-11-27)`.
fn audit_line(value: &KoladaValue) -> String {
    format!(
        "{} {} {} {}: {}{} ({}, {})",
        value.kpi,
        value.municipality,
        value.year,
        value.gender.code(),
        value
            .value
            .map_or_else(|| "saknas".to_owned(), |v| v.to_string()),
        if value.status.is_empty() {
            String::new()
        } else {
            format!(" status {}", value.status)
        },
        value.source,
        value.retrieved
    )
}

async fn stored(
    connection: &mut AnyConnection,
    municipality: &str,
    value: &KoladaValue,
) -> Result<Option<KoladaValue>, StoreError> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM kolada_values WHERE municipality = $1 AND kpi = $2 AND area = $3 \
         AND year = $4 AND gender = $5"
    )))
    .bind(municipality)
    .bind(&value.kpi)
    .bind(&value.municipality)
    .bind(i64::from(value.year))
    .bind(value.gender.code())
    .fetch_optional(connection)
    .await?;
    row.as_ref().map(value_from_row).transpose()
}

/// Records values in one transaction with one audit row, all-or-nothing. A later value in the
/// batch with the same key as an earlier one wins.
pub async fn record(
    pool: &AnyPool,
    backend: Backend,
    municipality: &str,
    values: &[KoladaValue],
    actor: &str,
    action: &str,
) -> Result<KoladaRecorded, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let mut latest: Vec<&KoladaValue> = Vec::new();
    for value in values {
        match latest.iter().position(|v| v.key() == value.key()) {
            Some(index) => latest[index] = value,
            None => latest.push(value),
        }
    }
    let mut before = Vec::new();
    let mut after = Vec::new();
    let mut unchanged = 0;
    for value in latest {
        let old = stored(&mut transaction, municipality, value).await?;
        if old
            .as_ref()
            .is_some_and(|old| old.value == value.value && old.status == value.status)
        {
            unchanged += 1;
            continue;
        }
        sqlx::query(
            "DELETE FROM kolada_values WHERE municipality = $1 AND kpi = $2 AND area = $3 \
             AND year = $4 AND gender = $5",
        )
        .bind(municipality)
        .bind(&value.kpi)
        .bind(&value.municipality)
        .bind(i64::from(value.year))
        .bind(value.gender.code())
        .execute(&mut *transaction)
        .await?;
        row! {
            "municipality" => municipality,
            "kpi" => &value.kpi,
            "area" => &value.municipality,
            "year" => i64::from(value.year),
            "gender" => value.gender.code(),
            "value" => value.value.map(|v| v.to_string()),
            "status" => &value.status,
            "source" => &value.source,
            "retrieved_on" => &value.retrieved,
            "change_seq" => seq,
        }
        .insert("kolada_values", &mut transaction)
        .await?;
        before.push(old.as_ref().map_or_else(|| "–".to_owned(), audit_line));
        after.push(audit_line(value));
    }
    let recorded = KoladaRecorded {
        changed: after.len(),
        unchanged,
    };
    if recorded.changed > 0 {
        let at = time::now_utc();
        let detail = format!("changed={} unchanged={unchanged}", recorded.changed);
        audit::record(
            &mut transaction,
            &audit::Change {
                seq,
                municipality,
                at: &at,
                actor,
                action,
                detail: &detail,
                before: Some(&before.join("\n")),
                after: Some(&after.join("\n")),
            },
        )
        .await?;
        transaction.commit().await?;
    }
    // With nothing to write, dropping the transaction rolls back the counter too.
    Ok(recorded)
}

/// Every stored value of a municipality, by KPI, area, year and gender.
pub async fn values(pool: &AnyPool, municipality: &str) -> Result<Vec<KoladaValue>, StoreError> {
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM kolada_values WHERE municipality = $1 \
         ORDER BY kpi, area, year, gender"
    )))
    .bind(municipality)
    .fetch_all(pool)
    .await?;
    rows.iter().map(value_from_row).collect()
}
