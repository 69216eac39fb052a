//! Importing a plan: every element written in one transaction under the plan's key, replacing
//! a stored plan with the same key, and a row in the audit log.
//!
//! Each list is written with its printed position, so that loading restores the order. The
//! import refuses to replace a decided version and changes nothing then. It does not check the
//! plan (sums, references, claims): that is `styr-checks`' job before importing; the schema
//! only enforces what the package format itself guarantees (unique ids where ids must be
//! unique), so a plan the format could not hold is refused rather than stored.
//!
//! Every row is written with [`row!`]: each column named beside its value.

use crate::connect::{Backend, begin_serialised};
use crate::write::{Row, row};
use crate::{ImportSummary, StoreError, audit, time};
use sqlx::AnyConnection;
use sqlx::{AnyPool, Row as _};
use std::collections::BTreeMap;
use styr_domain::acknowledgement::Acknowledgement;
use styr_domain::budget::AmountRow;
use styr_domain::{Money, Plan, Year};

/// Writes the rows of one plan, counting them per table.
struct PlanWriter<'c> {
    connection: &'c mut AnyConnection,
    municipality: String,
    version: String,
    rows: Vec<(&'static str, u64)>,
}

impl PlanWriter<'_> {
    /// Inserts one row: the plan's key and the given cells.
    async fn insert(&mut self, table: &'static str, cells: Row) -> Result<(), StoreError> {
        let key = row! {
            "municipality" => self.municipality.as_str(),
            "version" => self.version.as_str(),
        };
        key.and(cells).insert(table, self.connection).await?;
        match self.rows.iter_mut().find(|(name, _)| *name == table) {
            Some((_, count)) => *count += 1,
            None => self.rows.push((table, 1)),
        }
        Ok(())
    }

    async fn years(&mut self, list: &'static str, years: &[Year]) -> Result<(), StoreError> {
        for (position, year) in years.iter().enumerate() {
            let cells = row! { "list" => list, "position" => position, "year" => *year };
            self.insert("plan_years", cells).await?;
        }
        Ok(())
    }

    /// One row per year of `amounts`: the owner's cells, `year` and `amount_ore`.
    async fn amounts(
        &mut self,
        table: &'static str,
        owner: &Row,
        amounts: &BTreeMap<Year, Money>,
    ) -> Result<(), StoreError> {
        for (year, amount) in amounts {
            let cells = owner
                .clone()
                .and(row! { "year" => *year, "amount_ore" => *amount });
            self.insert(table, cells).await?;
        }
        Ok(())
    }
}

/// Imports a plan; see `Store::import_plan`.
pub async fn import_plan(
    pool: &AnyPool,
    backend: Backend,
    plan: &Plan,
    actor: &str,
    note: Option<&str>,
) -> Result<ImportSummary, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let summary = import_in(&mut transaction, seq, plan, actor, Some(note)).await?;
    crate::connect::plan_changed(&mut transaction).await?;
    transaction.commit().await?;
    Ok(summary)
}

/// A save of one section of a plan (one file of its package), as [`save_section`] stores it.
#[derive(Debug, Clone, Copy)]
pub struct SectionSave<'a> {
    /// The file of the package: `narrative/ordforande.md`, `budget/investment.csv` …
    pub path: &'a str,
    /// The revision the editor started from; the save is revision `base + 1`.
    pub base: i64,
    /// The `import_seq` of the stored plan the new plan was built from.
    pub plan_seq: i64,
    /// The section's text before the save (stored as revision 0 at its first save).
    pub before: &'a str,
    /// The section's text after the save.
    pub text: &'a str,
    /// The number of the proposal's latest state move (`None`: none recorded) when the save
    /// was allowed: a move since (a submit) refuses the save as stale, so the state the
    /// permission was decided on is the state the save lands in.
    pub proposal_seq: Option<i64>,
    /// Only the section's text changes, in a plan that may be decided: the förvaltningsberättelse
    /// of a decided plan (issue 22), which is follow-up and not the decided budget. Its
    /// `narratives` row is replaced (or added); nothing else of the plan is written.
    pub text_only: bool,
}

/// Stores a plan in which one section changed, in one transaction: the plan replaced as an
/// import replaces it, the section's next revision, one audit row (the section's text before
/// and after). Refused with `StalePlan`, changing nothing, when the stored plan is no longer
/// the one the save was built on, the section's latest revision is not `base` (someone
/// saved or imported first) or the proposal's state moved since the save was allowed; of two
/// saves racing past those reads, the revision's primary key lets one through.
pub async fn save_section(
    pool: &AnyPool,
    backend: Backend,
    plan: &Plan,
    actor: &str,
    save: SectionSave<'_>,
) -> Result<crate::SectionStored, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let municipality = plan.municipality.id.as_str();
    let version = plan.budget.version.id.as_str();
    let stale = || StoreError::StalePlan {
        version: version.to_owned(),
    };
    let stored = sqlx::query(
        "SELECT import_seq, imported_at, imported_by FROM plans \
         WHERE municipality = $1 AND version = $2",
    )
    .bind(municipality)
    .bind(version)
    .fetch_optional(&mut *transaction)
    .await?;
    let Some(stored) = stored else {
        return Err(stale());
    };
    let stored_seq: i64 = stored.try_get("import_seq")?;
    if stored_seq != save.plan_seq {
        return Err(stale());
    }
    let latest = latest_revision(&mut transaction, municipality, version, save.path).await?;
    if latest.unwrap_or(0) != save.base {
        return Err(stale());
    }
    let moved: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(seq) FROM proposal_states WHERE municipality = $1 AND version = $2",
    )
    .bind(municipality)
    .bind(version)
    .fetch_one(&mut *transaction)
    .await?;
    if moved != save.proposal_seq {
        return Err(stale());
    }
    if latest.is_none() {
        // The text as it was before its first save in the web, by whoever imported it.
        let imported_at: String = stored.try_get("imported_at")?;
        let imported_by: String = stored.try_get("imported_by")?;
        insert_revision(
            &mut transaction,
            (municipality, version, save.path, 0),
            save.before,
            &imported_by,
            &imported_at,
        )
        .await?;
    }
    let revision = save.base + 1;
    let summary = if save.text_only {
        replace_text(&mut transaction, plan, save.path, save.text).await?
    } else {
        import_in(&mut transaction, seq, plan, actor, None).await?
    };
    insert_revision(
        &mut transaction,
        (municipality, version, save.path, revision),
        save.text,
        actor,
        &summary.imported_at,
    )
    .await?;
    let action = format!("save section {municipality}/{version}/{}", save.path);
    let detail = format!("revision={revision} rows={}", summary.total_rows());
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality,
            at: &summary.imported_at,
            actor,
            action: &action,
            detail: &detail,
            before: Some(save.before),
            after: Some(save.text),
        },
    )
    .await?;
    let generation = crate::connect::plan_changed_to(&mut transaction).await?;
    transaction.commit().await?;
    Ok(crate::SectionStored {
        summary,
        revision,
        generation,
    })
}

/// Replaces one narrative text of a stored plan (adds it after the others when new), and
/// nothing else: [`SectionSave::text_only`].
async fn replace_text(
    transaction: &mut AnyConnection,
    plan: &Plan,
    path: &str,
    text: &str,
) -> Result<ImportSummary, StoreError> {
    let municipality = plan.municipality.id.as_str();
    let version = plan.budget.version.id.as_str();
    let key = row! {
        "municipality" => municipality,
        "version" => version,
        "file" => path,
    };
    let updated = row! { "content" => text }
        .update("narratives", key, &mut *transaction)
        .await?;
    if updated == 0 {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(position) FROM narratives WHERE municipality = $1 AND version = $2",
        )
        .bind(municipality)
        .bind(version)
        .fetch_one(&mut *transaction)
        .await?;
        let position = next.map_or(0, |p| p + 1);
        let cells = row! {
            "municipality" => municipality,
            "version" => version,
            "position" => position,
            "file" => path,
            "content" => text,
        };
        cells.insert("narratives", &mut *transaction).await?;
    }
    Ok(ImportSummary {
        municipality: municipality.to_owned(),
        version: version.to_owned(),
        kind: plan.budget.version.kind.code().to_owned(),
        replaced: false,
        imported_at: time::now_utc(),
        rows: vec![("narratives", 1)],
    })
}

/// The latest revision of a section, `None` before its first save.
async fn latest_revision(
    connection: &mut AnyConnection,
    municipality: &str,
    version: &str,
    path: &str,
) -> Result<Option<i64>, StoreError> {
    let row = sqlx::query(
        "SELECT MAX(revision) AS latest FROM section_revisions \
         WHERE municipality = $1 AND version = $2 AND path = $3",
    )
    .bind(municipality)
    .bind(version)
    .bind(path)
    .fetch_one(connection)
    .await?;
    Ok(row.try_get::<Option<i64>, _>("latest")?)
}

/// Inserts one revision of a section; a revision already there (a save that raced this one)
/// is `StalePlan`.
async fn insert_revision(
    connection: &mut AnyConnection,
    (municipality, version, path, revision): (&str, &str, &str, i64),
    text: &str,
    saved_by: &str,
    saved_at: &str,
) -> Result<(), StoreError> {
    let cells = row! {
        "municipality" => municipality,
        "version" => version,
        "path" => path,
        "revision" => revision,
        "text" => text,
        "saved_by" => saved_by,
        "saved_at" => saved_at,
    };
    match cells.insert("section_revisions", connection).await {
        Err(StoreError::Database(sqlx::Error::Database(error))) if error.is_unique_violation() => {
            Err(StoreError::StalePlan {
                version: version.to_owned(),
            })
        }
        other => other.map(|_| ()),
    }
}

/// The revisions of a section, oldest first.
pub async fn section_revisions(
    pool: &AnyPool,
    municipality: &str,
    version: &str,
    path: &str,
) -> Result<Vec<crate::SectionRevision>, StoreError> {
    let rows = sqlx::query(
        "SELECT revision, text, saved_by, saved_at FROM section_revisions \
         WHERE municipality = $1 AND version = $2 AND path = $3 ORDER BY revision",
    )
    .bind(municipality)
    .bind(version)
    .bind(path)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(crate::SectionRevision {
                revision: row.try_get("revision")?,
                text: row.try_get("text")?,
                saved_by: row.try_get("saved_by")?,
                saved_at: row.try_get("saved_at")?,
            })
        })
        .collect()
}

/// The latest revision of every section of a plan that has been saved in the web, and the
/// stored plan's `import_seq` (`None`: no such plan).
pub async fn section_state(
    pool: &AnyPool,
    municipality: &str,
    version: &str,
) -> Result<(Option<i64>, BTreeMap<String, i64>), StoreError> {
    let seq = sqlx::query("SELECT import_seq FROM plans WHERE municipality = $1 AND version = $2")
        .bind(municipality)
        .bind(version)
        .fetch_optional(pool)
        .await?
        .map(|row| row.try_get::<i64, _>("import_seq"))
        .transpose()?;
    let rows = sqlx::query(
        "SELECT path, MAX(revision) AS latest FROM section_revisions \
         WHERE municipality = $1 AND version = $2 GROUP BY path",
    )
    .bind(municipality)
    .bind(version)
    .fetch_all(pool)
    .await?;
    let mut latest = BTreeMap::new();
    for row in &rows {
        latest.insert(row.try_get("path")?, row.try_get("latest")?);
    }
    Ok((seq, latest))
}

/// Imports several plans (a municipality's bodies) in one transaction: all or none. Each plan
/// gets its own change number and audit row.
pub async fn import_plans(
    pool: &AnyPool,
    backend: Backend,
    plans: &[Plan],
    actor: &str,
) -> Result<Vec<ImportSummary>, StoreError> {
    let (mut transaction, first) = begin_serialised(pool, backend).await?;
    let mut summaries = Vec::with_capacity(plans.len());
    for (index, plan) in plans.iter().enumerate() {
        let seq = match index {
            0 => first,
            _ => crate::connect::next_seq(&mut transaction).await?,
        };
        summaries.push(import_in(&mut transaction, seq, plan, actor, Some(None)).await?);
    }
    crate::connect::plan_changed(&mut transaction).await?;
    transaction.commit().await?;
    Ok(summaries)
}

/// Writes one plan inside a transaction that has taken the write lock; change number `seq`.
/// `audit`: the import's audit row with its note, or `None` when the caller writes its own row
/// (a section's save).
async fn import_in(
    transaction: &mut sqlx::AnyConnection,
    seq: i64,
    plan: &Plan,
    actor: &str,
    audit: Option<Option<&str>>,
) -> Result<ImportSummary, StoreError> {
    let municipality = plan.municipality.id.as_str().to_owned();
    let version = plan.budget.version.id.as_str().to_owned();
    let stored: Option<(String, String)> = sqlx::query(
        "SELECT version_kind, document_body FROM plans WHERE municipality = $1 AND version = $2",
    )
    .bind(&municipality)
    .bind(&version)
    .fetch_optional(&mut *transaction)
    .await?
    .map(|row| Ok::<_, sqlx::Error>((row.try_get("version_kind")?, row.try_get("document_body")?)))
    .transpose()?;
    let body = plan.document.body.as_str();
    if let Some((_, stored_body)) = stored.as_ref().filter(|(_, b)| b != body) {
        // A version id is unique inside a municipality: one body's import never replaces
        // another body's plan.
        return Err(StoreError::VersionOfAnotherBody {
            version,
            stored_body: stored_body.clone(),
            body: body.to_owned(),
        });
    }
    let stored_kind = stored.map(|(kind, _)| kind);
    if stored_kind.as_deref() == Some("decided") {
        // Dropping the transaction rolls it back: not even the counter moves.
        return Err(StoreError::DecidedVersion { version });
    }
    if stored_kind.is_some() {
        // Every other table refers to `plans` with ON DELETE CASCADE.
        sqlx::query("DELETE FROM plans WHERE municipality = $1 AND version = $2")
            .bind(&municipality)
            .bind(&version)
            .execute(&mut *transaction)
            .await?;
    }
    let imported_at = time::now_utc();
    let mut writer = PlanWriter {
        connection: &mut *transaction,
        municipality: municipality.clone(),
        version: version.clone(),
        rows: Vec::new(),
    };
    write_plan(&mut writer, plan, seq, &imported_at, actor).await?;
    let mut rows = writer.rows;
    let calendar =
        crate::followup::merge_calendar(&mut *transaction, crate::Owner::of(plan), &plan.periods)
            .await?;
    if calendar > 0 {
        rows.push(("periods", calendar));
    }
    let kind = plan.budget.version.kind.code().to_owned();
    let summary = ImportSummary {
        municipality,
        version,
        kind,
        replaced: stored_kind.is_some(),
        imported_at,
        rows,
    };
    if let Some(note) = audit {
        audit::record_import(&mut *transaction, seq, &summary, actor, note).await?;
    }
    Ok(summary)
}

async fn write_plan(
    writer: &mut PlanWriter<'_>,
    plan: &Plan,
    seq: i64,
    imported_at: &str,
    actor: &str,
) -> Result<(), StoreError> {
    write_plan_row(writer, plan, seq, imported_at, actor).await?;
    write_organisation(writer, plan).await?;
    write_goals(writer, plan).await?;
    write_assignments(writer, plan).await?;
    write_budget(writer, plan).await?;
    write_followup(writer, plan).await?;
    write_control(writer, plan).await?;
    write_document(writer, plan).await?;
    write_acknowledgements(writer, plan).await?;
    write_municipal(writer, plan).await?;
    write_personnel(writer, plan).await?;
    write_ledger_mapping(writer, plan).await?;
    write_statement_mapping(writer, plan).await
}

/// Personnel hours and headcount (migration 0025), measures and their budget (0026).
async fn write_personnel(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, r) in plan.personnel.hours.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "unit" => &r.unit,
            "month" => r.month,
            "gender" => r.gender.code(),
            "age_group" => r.age.code(),
            "working_hours" => r.working,
            "sick_hours" => r.sick,
            "long_term_hours" => r.long_term,
            "synthetic" => r.synthetic,
        };
        writer.insert("personnel_hours", cells).await?;
    }
    for (position, r) in plan.personnel.staff.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "unit" => &r.unit,
            "month" => r.month,
            "gender" => r.gender.code(),
            "permanent" => r.permanent,
            "temporary" => r.temporary,
            "full_time_equivalents" => r.full_time_equivalents,
            "leavers" => r.leavers,
            "synthetic" => r.synthetic,
        };
        writer.insert("personnel_staff", cells).await?;
    }
    for (position, m) in plan.activity.measures.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &m.id,
            "unit" => &m.unit,
            "name" => &m.name,
            "unit_of_measure" => &m.unit_of_measure,
            "synthetic" => m.synthetic,
        };
        writer.insert("activity_measures", cells).await?;
    }
    for (position, b) in plan.activity.budget.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "measure" => &b.measure,
            "period" => b.period.to_string(),
            "volume" => b.volume,
        };
        writer.insert("activity_budget", cells).await?;
    }
    Ok(())
}

/// KF's budget and a company's budget (migration 0017): a row in `councils` / `companies`
/// when the plan has one, and their lines.
async fn write_municipal(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    if let Some(council) = &plan.council {
        let cells = row! {
            "synthetic" => council.synthetic,
            "decision" => council.decision.as_ref(),
            // Migration 0024: the goals are in `council_geh_goals`; the column is read only
            // when that table has no row (a database from before).
            "financial_goal_share" => None::<rust_decimal::Decimal>,
        };
        writer.insert("councils", cells).await?;
        for (position, goal) in council.financial_goals.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "kind" => goal.kind.code(),
                "share" => goal.share,
                "text" => goal.text.as_ref(),
            };
            writer.insert("council_geh_goals", cells).await?;
        }
        for (position, judgement) in council.geh_judgements.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "period" => judgement.period,
                "verdict" => judgement.verdict.code(),
                "text" => &judgement.text,
            };
            writer.insert("council_geh_judgements", cells).await?;
        }
        for (position, change) in council.appropriation_changes.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "body" => &change.body,
                "year" => change.year,
                "amount_ore" => change.amount,
                "kind" => change.kind.code(),
                "decision" => &change.decision,
                "decided_on" => &change.date,
                "text" => &change.text,
            };
            writer
                .insert("council_appropriation_changes", cells)
                .await?;
        }
        for (position, year) in council.years.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "year" => year.year,
                "tax_rate" => year.tax_rate,
                "tax_revenue_ore" => year.tax_revenue,
                "grants_ore" => year.grants,
                "financial_net_ore" => year.financial_net,
                "result_ore" => year.result,
            };
            writer.insert("council_years", cells).await?;
        }
        for (position, frame) in council.frames.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "body" => &frame.body,
                "year" => frame.year,
                "amount_ore" => frame.amount,
                "decision" => frame.decision.as_ref(),
            };
            writer.insert("council_frames", cells).await?;
        }
        for (position, item) in council.central_items.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "id" => &item.id,
                "name" => &item.name,
                "year" => item.year,
                "amount_ore" => item.amount,
            };
            writer.insert("council_items", cells).await?;
        }
        for (position, elimination) in council.eliminations.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "id" => &elimination.id,
                "name" => &elimination.name,
                "year" => elimination.year,
                "amount_ore" => elimination.amount,
            };
            writer.insert("council_eliminations", cells).await?;
        }
    }
    if let Some(company) = &plan.company {
        let cells = row! {
            "synthetic" => company.synthetic,
            "decision" => company.decision.as_ref(),
        };
        writer.insert("companies", cells).await?;
        for (position, year) in company.years.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "year" => year.year,
                "result_before_tax_ore" => year.result_before_tax,
                "investments_ore" => year.investments,
            };
            writer.insert("company_years", cells).await?;
        }
    }
    Ok(())
}

async fn write_acknowledgements(
    writer: &mut PlanWriter<'_>,
    plan: &Plan,
) -> Result<(), StoreError> {
    for (position, acknowledgement) in plan.acknowledgements.iter().enumerate() {
        insert_acknowledgement(writer, position, acknowledgement).await?;
    }
    Ok(())
}

/// One acknowledgement's row: the plan's import and a single acknowledgement write it alike.
async fn insert_acknowledgement(
    writer: &mut PlanWriter<'_>,
    position: usize,
    acknowledgement: &Acknowledgement,
) -> Result<(), StoreError> {
    let cells = row! {
        "position" => position,
        "finding" => &acknowledgement.finding,
        "reason" => &acknowledgement.reason,
        "acknowledged_by" => &acknowledgement.by,
        "acknowledged_at" => &acknowledgement.at,
    };
    writer.insert("acknowledgements", cells).await
}

/// KF's Kommun-Bas mapping, the lines' budget and the balanskrav data (migration 0023).
async fn write_statement_mapping(
    writer: &mut PlanWriter<'_>,
    plan: &Plan,
) -> Result<(), StoreError> {
    let mapping = &plan.statements;
    for (position, rule) in mapping.rules.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "account_from" => rule.accounts.from(),
            "account_to" => rule.accounts.to(),
            "line" => rule.line.as_str(),
            "tag" => rule.tag.map(|tag| tag.code()),
            "note" => rule.note.as_ref(),
        };
        writer.insert("statement_rules", cells).await?;
    }
    for (position, budget) in mapping.budget.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "line" => budget.line.as_str(),
            "year" => budget.year,
            "amount_ore" => budget.amount,
        };
        writer.insert("statement_budget", cells).await?;
    }
    for (position, item) in mapping.balance_items.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "year" => item.year,
            "item" => item.kind.code(),
            "amount_ore" => item.amount,
            "note" => item.note.as_ref(),
        };
        writer.insert("balance_requirement_items", cells).await?;
    }
    Ok(())
}

async fn write_ledger_mapping(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    let ledger = &plan.ledger;
    for (position, rule) in ledger.rules.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "account_from" => rule.accounts.from(),
            "account_to" => rule.accounts.to(),
            "ansvar" => rule.ansvar.join(";"),
            "target" => rule.target.to_string(),
            "note" => rule.note.as_ref(),
        };
        writer.insert("ledger_rules", cells).await?;
    }
    for (position, unit) in ledger.units.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "object" => &unit.object,
            "unit" => &unit.unit,
            "name" => unit.name.as_ref(),
        };
        writer.insert("ledger_units", cells).await?;
    }
    for (position, project) in ledger.projects.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "object" => &project.object,
            "project" => &project.project,
        };
        writer.insert("ledger_projects", cells).await?;
    }
    for (position, profile) in ledger.profiles.iter().enumerate() {
        for (month, weight) in profile.weights.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "line" => profile.line.to_string(),
                "month" => month + 1,
                "weight" => *weight,
            };
            writer.insert("ledger_profiles", cells).await?;
        }
    }
    Ok(())
}

async fn write_plan_row(
    writer: &mut PlanWriter<'_>,
    plan: &Plan,
    seq: i64,
    imported_at: &str,
    actor: &str,
) -> Result<(), StoreError> {
    let budget = &plan.budget;
    let version = &budget.version;
    let change = budget.frame_change.as_ref();
    let cells = row! {
        "version_kind" => version.kind.code(),
        "version_name" => version.name.as_str(),
        "version_decision" => version.decision.as_ref(),
        "version_based_on" => version.based_on.as_ref(),
        "municipality_name" => plan.municipality.name.as_str(),
        "municipality_code" => plan.municipality.code.as_str(),
        "document_title" => plan.document.title.as_str(),
        "document_body" => &plan.document.body,
        "document_source" => plan.document.source.as_deref(),
        "investment_title" => budget.investment.title.as_str(),
        "investment_budget_year" => budget.investment.budget_year,
        "investment_decision" => budget.investment.decision.as_ref(),
        "exploitation_title" => budget.exploitation.title.as_str(),
        "exploitation_year" => budget.exploitation.year,
        "finance_title" => budget.finance.title.as_str(),
        "finance_summary_title" => budget.finance.summary_title.as_str(),
        "has_frame_change" => change.is_some(),
        "frame_change_from_label" => change.map(|c| c.from_label.as_str()),
        "frame_change_to_year" => change.map(|c| c.to_year),
        "frame_change_stated_ore" => change.map(|c| c.stated),
        "forecast_explanation_percent" => plan.forecast_rules.percent,
        "forecast_explanation_ore" => plan.forecast_rules.amount,
        "kolada_comparison_name" => plan.kolada.comparison_name.as_ref(),
        "control_synthetic" => plan.control.synthetic,
        "import_seq" => seq,
        "imported_at" => imported_at,
        "imported_by" => actor,
    };
    writer.insert("plans", cells).await?;
    writer.years("document", &plan.document.years).await?;
    writer.years("investment", &budget.investment.years).await?;
    writer.years("finance", &budget.finance.years).await?;
    writer
        .years("finance_summary", &budget.finance.summary_years)
        .await
}

async fn write_organisation(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, body) in plan.bodies.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &body.id,
            "name" => &body.name,
            "short" => body.short.as_ref(),
            "kind" => body.kind.code(),
            "parent" => body.parent.as_ref(),
            "note" => body.note.as_ref(),
            "ownership_percent" => body.ownership_percent,
        };
        writer.insert("bodies", cells).await?;
    }
    for (position, unit) in plan.units.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &unit.id,
            "name" => &unit.name,
            "short" => unit.short.as_ref(),
            "body" => &unit.body,
            "parent" => unit.parent.as_ref(),
        };
        writer.insert("units", cells).await?;
    }
    for (position, decision) in plan.decisions.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &decision.id,
            "body" => &decision.body,
            "decision_date" => decision.date.as_ref(),
            "paragraph" => decision.paragraph,
            "case_number" => decision.case.as_ref().map(ToString::to_string),
            "title" => &decision.title,
        };
        writer.insert("decisions", cells).await?;
    }
    Ok(())
}

async fn write_goals(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, point) in plan.starting_points.iter().enumerate() {
        let cells = row! { "position" => position, "id" => &point.id, "title" => &point.title };
        writer.insert("starting_points", cells).await?;
    }
    for (position, area) in plan.goal_areas.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &area.id,
            "name" => &area.name,
            "description" => area.description.as_ref(),
        };
        writer.insert("goal_areas", cells).await?;
    }
    for (position, goal) in plan.goals.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &goal.id,
            "area" => &goal.area,
            "number" => goal.number,
            "title" => &goal.title,
            "description" => goal.description.as_ref(),
            "parent" => goal.parent.as_ref(),
        };
        writer.insert("goals", cells).await?;
    }
    for (position, priority) in plan.priorities.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &priority.id,
            "goal" => &priority.goal,
            "content" => &priority.text,
        };
        writer.insert("priorities", cells).await?;
    }
    for (position, indicator) in plan.indicators.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &indicator.id,
            "goal" => &indicator.goal,
            "level" => indicator.level.code(),
            "name" => &indicator.name,
            "unit" => indicator.unit.as_ref(),
            "direction" => indicator.direction.map(|d| d.code()),
            "cadence" => indicator.cadence.map(|c| c.code()),
            "source" => indicator.source.map(|s| s.code()),
            "kolada_kpi" => indicator.kolada_kpi.as_ref(),
            "footnote" => indicator.footnote.as_ref(),
            "responsible" => indicator.responsible.as_ref(),
        };
        writer.insert("indicators", cells).await?;
    }
    for (position, value) in plan.indicator_values.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "indicator" => &value.indicator,
            "year" => value.year,
            "kind" => value.kind.code(),
            "value" => value.value,
        };
        writer.insert("indicator_values", cells).await?;
    }
    for (position, member) in plan.kolada.comparison.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "code" => member.code.as_str(),
            "name" => member.name.as_str(),
        };
        writer.insert("kolada_comparison", cells).await?;
    }
    Ok(())
}

async fn write_assignments(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, assignment) in plan.assignments.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &assignment.id,
            "code" => assignment.code.as_ref(),
            "title" => &assignment.title,
            "description" => assignment.description.as_ref(),
            "given_by" => assignment.given_by.as_ref(),
            "given_year" => assignment.given_year,
            "goal" => assignment.goal.as_ref(),
        };
        writer.insert("assignments", cells).await?;
        for (position, body) in assignment.responsible.iter().enumerate() {
            let cells = row! {
                "assignment" => &assignment.id,
                "position" => position,
                "body" => body,
            };
            writer.insert("assignment_responsible", cells).await?;
        }
    }
    for (position, mention) in plan.mentions.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "assignment" => &mention.assignment,
            "section" => &mention.section,
            "label" => &mention.label,
        };
        writer.insert("assignment_mentions", cells).await?;
    }
    for (position, status) in plan.statuses.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "assignment" => &status.assignment,
            "period" => &status.period,
            "status" => status.status.code(),
            "comment" => status.comment.as_ref(),
        };
        writer.insert("assignment_statuses", cells).await?;
    }
    Ok(())
}

/// The cells of an amount row (operating and finance summary tables alike).
fn amount_row(position: usize, row: &AmountRow) -> Row {
    row! {
        "position" => position,
        "id" => &row.id,
        "name" => &row.name,
        "kind" => row.kind.code(),
        "parent" => row.parent.as_ref(),
        "reference" => row.reference.as_ref(),
    }
}

async fn write_budget(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    let budget = &plan.budget;
    for (position, frame) in budget.frames.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "year" => frame.year,
            "amount_ore" => frame.amount,
            "decision" => frame.decision.as_ref(),
        };
        writer.insert("frames", cells).await?;
    }
    for (position, table) in budget.operating.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &table.id,
            "title" => &table.title,
            "summary" => table.summary,
        };
        writer.insert("operating_tables", cells).await?;
        for (position, year) in table.years.iter().enumerate() {
            let cells = row! {
                "table_id" => &table.id,
                "position" => position,
                "year" => *year,
            };
            writer.insert("operating_table_years", cells).await?;
        }
        for (position, row) in table.rows.iter().enumerate() {
            let cells = row! { "table_id" => &table.id }.and(amount_row(position, row));
            writer.insert("operating_rows", cells).await?;
            let owner = row! { "table_id" => &table.id, "row_id" => &row.id };
            writer
                .amounts("operating_amounts", &owner, &row.amounts)
                .await?;
        }
    }
    for (position, row) in budget.investment.rows.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &row.id,
            "name" => &row.name,
            "kind" => row.kind.code(),
            "until_ore" => row.until,
        };
        writer.insert("investment_rows", cells).await?;
        let owner = row! { "row_id" => &row.id };
        writer
            .amounts("investment_amounts", &owner, &row.amounts)
            .await?;
    }
    for (position, project) in budget.investment.projects.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "project" => &project.project,
            "decided_total_ore" => project.decided_total,
            "decision" => project.decision.as_ref(),
            "outcome_until" => project.outcome_until,
            "outcome_ore" => project.outcome,
            "forecast_total_ore" => project.forecast_total,
        };
        writer.insert("investment_projects", cells).await?;
    }
    for (position, row) in budget.exploitation.rows.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &row.id,
            "project" => &row.project,
            "name" => &row.name,
            "kind" => row.kind.code(),
            "income_ore" => row.income,
            "cost_ore" => row.cost,
            "net_ore" => row.net,
        };
        writer.insert("exploitation_rows", cells).await?;
    }
    for (position, row) in budget.finance.rows.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &row.id,
            "name" => &row.name,
            "kind" => row.kind.code(),
            "group_id" => row.group.as_ref(),
        };
        writer.insert("finance_rows", cells).await?;
        let row_position = position;
        for (position, line) in row.lines.iter().enumerate() {
            let cells = row! {
                "row_position" => row_position,
                "position" => position,
                "measure" => line.measure.code(),
            };
            writer.insert("finance_lines", cells).await?;
            let owner = row! { "row_position" => row_position, "line_position" => position };
            writer
                .amounts("finance_amounts", &owner, &line.amounts)
                .await?;
        }
    }
    for (position, row) in budget.finance.summary.iter().enumerate() {
        writer
            .insert("finance_summary_rows", amount_row(position, row))
            .await?;
        let owner = row! { "row_id" => &row.id };
        writer
            .amounts("finance_summary_amounts", &owner, &row.amounts)
            .await?;
    }
    if let Some(calc) = &budget.frame_calculation {
        let cells = row! {
            "year" => calc.year,
            "base_label" => &calc.base_label,
            "base_version" => calc.base_version.as_ref(),
            "base_amount_ore" => calc.base_amount,
            "decision" => calc.decision.as_ref(),
            "synthetic" => calc.synthetic,
        };
        writer.insert("frame_calculations", cells).await?;
        for (position, line) in calc.lines.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "id" => &line.id,
                "kind" => line.kind.code(),
                "label" => &line.label,
                "percent" => line.percent,
                "volume" => line.volume,
                "unit_cost" => line.unit_cost,
                "amount_ore" => line.amount,
                "decision" => line.decision.as_ref(),
            };
            writer.insert("frame_calculation_lines", cells).await?;
        }
    }
    if let Some(change) = &budget.frame_change {
        for (position, component) in change.components.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "id" => &component.id,
                "label" => &component.label,
                "amount_ore" => component.amount,
                "reference" => component.reference.as_ref(),
            };
            writer.insert("frame_change_components", cells).await?;
        }
    }
    Ok(())
}

/// The plan's figures; its calendar is its body's (`followup::merge_calendar`).
async fn write_followup(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, figure) in plan.figures.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &figure.id,
            "period" => &figure.period,
            "label" => &figure.label,
            "value" => figure.value,
            "unit" => &figure.unit,
            "computed" => figure.computed.as_ref(),
        };
        writer.insert("followup_figures", cells).await?;
    }
    Ok(())
}

async fn write_control(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    let control = &plan.control;
    if let Some(scale) = &control.scale {
        let cells = row! {
            "likelihood" => scale.likelihood,
            "consequence" => scale.consequence,
        };
        writer.insert("risk_scales", cells).await?;
        for (position, band) in scale.bands.iter().enumerate() {
            let cells = row! {
                "position" => position,
                "min_score" => i64::from(band.min_score),
                "label" => &band.label,
                "colour" => &band.colour,
            };
            writer.insert("risk_bands", cells).await?;
        }
    }
    for (position, risk) in control.risks.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &risk.id,
            "title" => &risk.title,
            "description" => risk.description.as_ref(),
            "process" => risk.process.as_ref(),
            "owner" => risk.owner.as_ref(),
            "decision" => risk.decision.map(|d| d.code()),
        };
        writer.insert("risks", cells).await?;
        for (position, assessment) in risk.assessments.iter().enumerate() {
            let cells = row! {
                "risk" => &risk.id,
                "position" => position,
                "year" => assessment.year,
                "likelihood" => assessment.likelihood,
                "consequence" => assessment.consequence,
            };
            writer.insert("risk_assessments", cells).await?;
        }
    }
    for (position, item) in control.controls.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &item.id,
            "risk" => item.risk.as_ref(),
            "title" => &item.title,
            "checks" => item.checks.as_ref(),
            "method" => item.method.as_ref(),
            "frequency" => item.frequency.as_ref(),
            "responsible" => item.responsible.as_ref(),
            "year" => item.year,
            "decision" => item.decision.as_ref(),
        };
        writer.insert("controls", cells).await?;
        for (position, month) in item.periods.iter().enumerate() {
            let cells = row! {
                "control" => &item.id,
                "position" => position,
                "month" => month,
            };
            writer.insert("control_periods", cells).await?;
        }
    }
    for (position, audit) in control.audits.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &audit.id,
            "title" => &audit.title,
            "case_number" => audit.case.as_ref().map(ToString::to_string),
            "year" => audit.year,
            "report_date" => audit.date.as_ref(),
            "auditor" => audit.auditor.as_ref(),
            "received_by" => audit.received_by.as_ref(),
            "note" => audit.note.as_ref(),
        };
        writer.insert("audits", cells).await?;
        for (position, recommendation) in audit.recommendations.iter().enumerate() {
            let cells = row! {
                "audit" => &audit.id,
                "position" => position,
                "id" => &recommendation.id,
                "content" => &recommendation.text,
            };
            writer.insert("audit_recommendations", cells).await?;
            for (position, action) in recommendation.actions.iter().enumerate() {
                let cells = row! {
                    "audit" => &audit.id,
                    "recommendation" => &recommendation.id,
                    "position" => position,
                    "id" => &action.id,
                    "content" => &action.text,
                    "owner" => action.owner.as_ref(),
                    "due" => action.due.as_ref(),
                    "status" => action.status.code(),
                    "evidence" => action.evidence.as_ref(),
                    "reason" => action.reason.as_ref(),
                };
                writer.insert("audit_actions", cells).await?;
            }
        }
    }
    Ok(())
}

async fn write_document(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, section) in plan.sections.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "id" => &section.id,
            "title" => &section.title,
            "level" => section.level,
            "file" => section.file.as_ref(),
        };
        writer.insert("sections", cells).await?;
        for (position, block) in section.show.iter().enumerate() {
            let cells = row! {
                "section" => &section.id,
                "position" => position,
                "block" => block,
            };
            writer.insert("section_show", cells).await?;
        }
    }
    for (position, narrative) in plan.narratives.iter().enumerate() {
        let cells = row! {
            "position" => position,
            "file" => &narrative.file,
            "content" => &narrative.text,
        };
        writer.insert("narratives", cells).await?;
    }
    Ok(())
}

/// Adds one acknowledgement to a stored plan; see `Store::acknowledge`. Written by the same
/// `PlanWriter` as the import, in one transaction with its audit row; a finding acknowledged
/// twice is refused by the table's unique key.
pub async fn acknowledge(
    pool: &AnyPool,
    backend: Backend,
    (municipality, version): (&str, &str),
    finding: &str,
    reason: &str,
    actor: &str,
) -> Result<Acknowledgement, StoreError> {
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let acknowledgement = Acknowledgement {
        finding: finding.to_owned(),
        reason: reason.to_owned(),
        by: actor.to_owned(),
        at: time::now_utc(),
        location: styr_domain::Location::default(),
    };
    let exists = sqlx::query("SELECT version FROM plans WHERE municipality = $1 AND version = $2")
        .bind(municipality)
        .bind(version)
        .fetch_optional(&mut *transaction)
        .await?
        .is_some();
    if !exists {
        return Err(StoreError::NotFound(format!(
            "budgetversionen {municipality}/{version} finns inte i databasen"
        )));
    }
    let position: i64 = sqlx::query(
        "SELECT CAST(COALESCE(MAX(position) + 1, 0) AS BIGINT) AS next FROM acknowledgements \
         WHERE municipality = $1 AND version = $2",
    )
    .bind(municipality)
    .bind(version)
    .fetch_one(&mut *transaction)
    .await?
    .try_get("next")?;
    let mut writer = PlanWriter {
        connection: &mut transaction,
        municipality: municipality.to_owned(),
        version: version.to_owned(),
        rows: Vec::new(),
    };
    insert_acknowledgement(
        &mut writer,
        usize::try_from(position).unwrap_or(0),
        &acknowledgement,
    )
    .await?;
    crate::connect::plan_changed(&mut transaction).await?;
    let action = format!("acknowledge finding {municipality}/{version}");
    let after = format!(
        "finding: {}; reason: {}",
        acknowledgement.finding, acknowledgement.reason
    );
    audit::record(
        &mut transaction,
        &audit::Change {
            seq,
            municipality,
            at: &acknowledgement.at,
            actor: &acknowledgement.by,
            action: &action,
            detail: &acknowledgement.finding,
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    transaction.commit().await?;
    Ok(acknowledgement)
}
