//! Alternative budgets (migration 0021): an alternative's row, the frames it changes, its goals
//! and assignments. Every change writes the whole alternative again in one transaction with an
//! audit row (before and after as text), after comparing the version it was based on with the
//! stored one: an edit based on an older version is refused and nothing is written.

use crate::audit;
use crate::connect::{Backend, begin_serialised};
use crate::row::Cells;
use crate::write::row;
use crate::{StoreError, time};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AnyPool, AssertSqlSafe};
use styr_domain::Id;
use styr_domain::alternative::{
    Alternative, AlternativeAssignment, AlternativeFrame, AlternativeGoal, AlternativeState, Stamp,
};

const COLUMNS: &str = "municipality, id, year, base_version, party, title, author, state, \
    version, created_at, changed_at, submitted_by, submitted_at, published_by, published_at, \
    tax_rate, tax_revenue_ore";

fn head(row: &AnyRow) -> Result<Alternative, StoreError> {
    let c = Cells {
        row,
        table: "alternatives",
    };
    let stamp = |by: &str, at: &str| -> Result<Option<Stamp>, StoreError> {
        Ok(match (c.opt_text(by)?, c.opt_text(at)?) {
            (Some(by), Some(at)) => Some(Stamp { by, at }),
            _ => None,
        })
    };
    Ok(Alternative {
        id: c.int("id")?,
        municipality: c.text("municipality")?,
        year: c.small("year")?,
        base_version: c.text("base_version")?,
        party: c.text("party")?,
        title: c.text("title")?,
        author: c.text("author")?,
        state: c.code("state", AlternativeState::parse)?,
        version: c.int("version")?,
        created_at: c.text("created_at")?,
        changed_at: c.text("changed_at")?,
        submitted: stamp("submitted_by", "submitted_at")?,
        published: stamp("published_by", "published_at")?,
        frames: Vec::new(),
        tax_rate: c.opt_decimal("tax_rate")?,
        tax_revenue: c.opt_money("tax_revenue_ore")?,
        goals: Vec::new(),
        assignments: Vec::new(),
    })
}

/// Every alternative of a municipality, by number, with its frames, goals and assignments.
pub async fn alternatives(
    pool: &AnyPool,
    municipality: &str,
) -> Result<Vec<Alternative>, StoreError> {
    let mut connection = pool.acquire().await?;
    load(&mut connection, municipality, None).await
}

async fn load(
    connection: &mut AnyConnection,
    municipality: &str,
    only: Option<i64>,
) -> Result<Vec<Alternative>, StoreError> {
    let filter = if only.is_some() { " AND id = $2" } else { "" };
    let query = |sql: String| {
        let query = sqlx::query(AssertSqlSafe(sql)).bind(municipality.to_owned());
        match only {
            Some(id) => query.bind(id),
            None => query,
        }
    };
    let rows = query(format!(
        "SELECT {COLUMNS} FROM alternatives WHERE municipality = $1{filter} ORDER BY id"
    ))
    .fetch_all(&mut *connection)
    .await?;
    let mut alternatives = rows.iter().map(head).collect::<Result<Vec<_>, _>>()?;
    let filter = filter.replace("id", "alternative");
    let frames = query(format!(
        "SELECT alternative, body, amount_ore FROM alternative_frames \
         WHERE municipality = $1{filter} ORDER BY alternative, body"
    ))
    .fetch_all(&mut *connection)
    .await?;
    let goals = query(format!(
        "SELECT alternative, text, parent FROM alternative_goals \
         WHERE municipality = $1{filter} ORDER BY alternative, position"
    ))
    .fetch_all(&mut *connection)
    .await?;
    let assignments = query(format!(
        "SELECT alternative, text, body FROM alternative_assignments \
         WHERE municipality = $1{filter} ORDER BY alternative, position"
    ))
    .fetch_all(&mut *connection)
    .await?;
    let find = |row: &AnyRow, table: &'static str| -> Result<Option<usize>, StoreError> {
        let number = Cells { row, table }.int("alternative")?;
        Ok(alternatives.iter().position(|a| a.id == number))
    };
    let mut placed_frames = Vec::new();
    for row in &frames {
        let c = Cells {
            row,
            table: "alternative_frames",
        };
        if let Some(index) = find(row, "alternative_frames")? {
            placed_frames.push((
                index,
                AlternativeFrame {
                    body: c.id("body")?,
                    amount: c.money("amount_ore")?,
                },
            ));
        }
    }
    let mut placed_goals = Vec::new();
    for row in &goals {
        let c = Cells {
            row,
            table: "alternative_goals",
        };
        if let Some(index) = find(row, "alternative_goals")? {
            placed_goals.push((
                index,
                AlternativeGoal {
                    text: c.text("text")?,
                    parent: c.opt_id("parent")?,
                },
            ));
        }
    }
    let mut placed_assignments = Vec::new();
    for row in &assignments {
        let c = Cells {
            row,
            table: "alternative_assignments",
        };
        if let Some(index) = find(row, "alternative_assignments")? {
            placed_assignments.push((
                index,
                AlternativeAssignment {
                    text: c.text("text")?,
                    body: c.opt_id("body")?,
                },
            ));
        }
    }
    for (index, frame) in placed_frames {
        alternatives[index].frames.push(frame);
    }
    for (index, goal) in placed_goals {
        alternatives[index].goals.push(goal);
    }
    for (index, assignment) in placed_assignments {
        alternatives[index].assignments.push(assignment);
    }
    Ok(alternatives)
}

/// The alternative as the audit log shows it: one line per field and changed frame, goal and
/// assignment.
fn describe(alternative: &Alternative) -> String {
    let mut lines = vec![
        format!("party: {}", alternative.party),
        format!("title: {}", alternative.title),
        format!("year: {}", alternative.year),
        format!("state: {}", alternative.state.code()),
    ];
    if let Some(rate) = alternative.tax_rate {
        lines.push(format!("tax_rate: {rate}"));
    }
    if let Some(revenue) = alternative.tax_revenue {
        lines.push(format!("tax_revenue: {}", revenue.tkr()));
    }
    for frame in &alternative.frames {
        lines.push(format!("frame {}: {}", frame.body, frame.amount.tkr()));
    }
    for goal in &alternative.goals {
        let parent = goal.parent.as_ref().map(Id::as_str).unwrap_or("");
        lines.push(format!("goal ({parent}): {}", goal.text));
    }
    for assignment in &alternative.assignments {
        let body = assignment.body.as_ref().map(Id::as_str).unwrap_or("");
        lines.push(format!("assignment ({body}): {}", assignment.text));
    }
    lines.join("\n")
}

/// Stores an alternative: a new one (`alternative.id` 0) gets the municipality's next number;
/// an existing one is written again when its stored version is `alternative.version`, else
/// `StoreError::StaleAlternative` and nothing is written. The stored alternative (its number,
/// its next version, its change time) is returned; `action` names the change in the audit row.
pub async fn save(
    pool: &AnyPool,
    backend: Backend,
    alternative: &Alternative,
    actor: &str,
    action: &str,
) -> Result<Alternative, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let municipality = alternative.municipality.as_str();
    let at = time::now_utc();
    let mut stored = alternative.clone();
    stored.changed_at = at.clone();
    let before = if alternative.id == 0 {
        let next: Option<i64> = sqlx::Row::try_get(
            &sqlx::query("SELECT MAX(id) AS newest FROM alternatives WHERE municipality = $1")
                .bind(municipality)
                .fetch_one(&mut *transaction)
                .await?,
            "newest",
        )?;
        stored.id = next.unwrap_or(0) + 1;
        stored.version = 1;
        stored.created_at = at.clone();
        None
    } else {
        let current = load(&mut transaction, municipality, Some(alternative.id))
            .await?
            .pop()
            .ok_or_else(|| {
                StoreError::NotFound(format!("alternativ budget {} finns inte", alternative.id))
            })?;
        if current.version != alternative.version {
            return Err(StoreError::StaleAlternative {
                id: alternative.id,
                expected: alternative.version,
                current: current.version,
            });
        }
        stored.version = current.version + 1;
        for table in [
            "alternative_frames",
            "alternative_goals",
            "alternative_assignments",
        ] {
            sqlx::query(AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE municipality = $1 AND alternative = $2"
            )))
            .bind(municipality)
            .bind(alternative.id)
            .execute(&mut *transaction)
            .await?;
        }
        sqlx::query("DELETE FROM alternatives WHERE municipality = $1 AND id = $2")
            .bind(municipality)
            .bind(alternative.id)
            .execute(&mut *transaction)
            .await?;
        Some(describe(&current))
    };
    let stamp_by = |stamp: &Option<Stamp>| stamp.as_ref().map(|s| s.by.clone());
    let stamp_at = |stamp: &Option<Stamp>| stamp.as_ref().map(|s| s.at.clone());
    row! {
        "municipality" => municipality,
        "id" => stored.id,
        "year" => stored.year,
        "base_version" => &stored.base_version,
        "party" => &stored.party,
        "title" => &stored.title,
        "author" => &stored.author,
        "state" => stored.state.code(),
        "version" => stored.version,
        "created_at" => &stored.created_at,
        "changed_at" => &stored.changed_at,
        "submitted_by" => stamp_by(&stored.submitted),
        "submitted_at" => stamp_at(&stored.submitted),
        "published_by" => stamp_by(&stored.published),
        "published_at" => stamp_at(&stored.published),
        "tax_rate" => stored.tax_rate,
        "tax_revenue_ore" => stored.tax_revenue,
    }
    .insert("alternatives", &mut transaction)
    .await?;
    for frame in &stored.frames {
        row! {
            "municipality" => municipality,
            "alternative" => stored.id,
            "body" => &frame.body,
            "amount_ore" => frame.amount,
        }
        .insert("alternative_frames", &mut transaction)
        .await?;
    }
    for (position, goal) in stored.goals.iter().enumerate() {
        row! {
            "municipality" => municipality,
            "alternative" => stored.id,
            "position" => position,
            "text" => &goal.text,
            "parent" => goal.parent.as_ref(),
        }
        .insert("alternative_goals", &mut transaction)
        .await?;
    }
    for (position, assignment) in stored.assignments.iter().enumerate() {
        row! {
            "municipality" => municipality,
            "alternative" => stored.id,
            "position" => position,
            "text" => &assignment.text,
            "body" => assignment.body.as_ref(),
        }
        .insert("alternative_assignments", &mut transaction)
        .await?;
    }
    let after = describe(&stored);
    let action = format!("{action} alternative {municipality}/{}", stored.id);
    let detail = format!("version={}", stored.version);
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality,
            at: &at,
            actor,
            action: &action,
            detail: &detail,
            before: before.as_deref(),
            after: Some(&after),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(stored)
}
