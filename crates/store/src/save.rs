//! Importing a plan: every element written in one transaction under the plan's key, replacing
//! a stored plan with the same key, and a row in the audit log.
//!
//! Each list is written with its printed position, so that loading restores the order. The
//! import refuses to replace a decided version and changes nothing then. It does not check the
//! plan (sums, references, claims): that is `styr-checks`' job before importing; the schema
//! only enforces what the package format itself guarantees (unique ids where ids must be
//! unique), so a plan the format could not hold is refused rather than stored.

use crate::connect::{Backend, begin_serialised};
use crate::row::Value;
use crate::{ImportSummary, StoreError, audit, time};
use sqlx::AnyConnection;
use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::collections::BTreeMap;
use std::fmt::Write as _;
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
    /// Inserts one row: the plan's key and the given columns.
    async fn insert(
        &mut self,
        table: &'static str,
        columns: &[&'static str],
        values: Vec<Value>,
    ) -> Result<(), StoreError> {
        debug_assert_eq!(columns.len(), values.len(), "columns and values of {table}");
        let mut sql = format!("INSERT INTO {table} (municipality, version");
        for column in columns {
            let _ = write!(sql, ", {column}");
        }
        sql.push_str(") VALUES ($1, $2");
        for index in 0..values.len() {
            let _ = write!(sql, ", ${}", index + 3);
        }
        sql.push(')');
        // The SQL is built from the constant table and column names above, never from data.
        let mut query = sqlx::query(AssertSqlSafe(sql))
            .bind(self.municipality.clone())
            .bind(self.version.clone());
        for value in values {
            query = match value {
                Value::Int(int) => query.bind(int),
                Value::Text(text) => query.bind(text),
            };
        }
        query.execute(&mut *self.connection).await?;
        match self.rows.iter_mut().find(|(name, _)| *name == table) {
            Some((_, count)) => *count += 1,
            None => self.rows.push((table, 1)),
        }
        Ok(())
    }

    async fn years(&mut self, list: &'static str, years: &[Year]) -> Result<(), StoreError> {
        for (position, year) in years.iter().enumerate() {
            let values = vec![list.into(), position.into(), (*year).into()];
            self.insert("plan_years", &["list", "position", "year"], values)
                .await?;
        }
        Ok(())
    }

    async fn amounts(
        &mut self,
        table: &'static str,
        owner_columns: &[&'static str],
        owner: &[Value],
        amounts: &BTreeMap<Year, Money>,
    ) -> Result<(), StoreError> {
        let mut columns = owner_columns.to_vec();
        columns.extend(["year", "amount_ore"]);
        for (year, amount) in amounts {
            let mut values = owner.to_vec();
            values.extend([(*year).into(), (*amount).into()]);
            self.insert(table, &columns, values).await?;
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
    let municipality = plan.municipality.id.as_str().to_owned();
    let version = plan.budget.version.id.as_str().to_owned();
    let (mut transaction, seq) = begin_serialised(pool, backend).await?;
    let stored_kind: Option<String> =
        sqlx::query("SELECT version_kind FROM plans WHERE municipality = $1 AND version = $2")
            .bind(&municipality)
            .bind(&version)
            .fetch_optional(&mut *transaction)
            .await?
            .map(|row| row.try_get("version_kind"))
            .transpose()?;
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
        connection: &mut transaction,
        municipality: municipality.clone(),
        version: version.clone(),
        rows: Vec::new(),
    };
    write_plan(&mut writer, plan, seq, &imported_at, actor).await?;
    let mut rows = writer.rows;
    let calendar =
        crate::followup::merge_calendar(&mut transaction, &municipality, &plan.periods).await?;
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
    audit::record_import(&mut transaction, seq, &summary, actor, note).await?;
    crate::connect::plan_changed(&mut transaction).await?;
    transaction.commit().await?;
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
    write_ledger_mapping(writer, plan).await
}

/// The columns of `acknowledgements` after the plan's key, named once for the import and for
/// `Store::acknowledge`.
pub(crate) const ACKNOWLEDGEMENT_COLUMNS: [&str; 5] = [
    "position",
    "finding",
    "reason",
    "acknowledged_by",
    "acknowledged_at",
];

async fn write_acknowledgements(
    writer: &mut PlanWriter<'_>,
    plan: &Plan,
) -> Result<(), StoreError> {
    for (position, acknowledgement) in plan.acknowledgements.iter().enumerate() {
        insert_acknowledgement(writer, position.into(), acknowledgement).await?;
    }
    Ok(())
}

/// One acknowledgement's row: the plan's import and a single acknowledgement write it alike.
async fn insert_acknowledgement(
    writer: &mut PlanWriter<'_>,
    position: Value,
    acknowledgement: &Acknowledgement,
) -> Result<(), StoreError> {
    let values = vec![
        position,
        (&acknowledgement.finding).into(),
        (&acknowledgement.reason).into(),
        (&acknowledgement.by).into(),
        (&acknowledgement.at).into(),
    ];
    writer
        .insert("acknowledgements", &ACKNOWLEDGEMENT_COLUMNS, values)
        .await
}

async fn write_ledger_mapping(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    let ledger = &plan.ledger;
    for (position, rule) in ledger.rules.iter().enumerate() {
        let columns = [
            "position",
            "account_from",
            "account_to",
            "ansvar",
            "target",
            "note",
        ];
        let values = vec![
            position.into(),
            rule.accounts.from().into(),
            rule.accounts.to().into(),
            rule.ansvar.join(";").into(),
            rule.target.to_string().into(),
            rule.note.as_ref().into(),
        ];
        writer.insert("ledger_rules", &columns, values).await?;
    }
    for (position, unit) in ledger.units.iter().enumerate() {
        let values = vec![
            position.into(),
            (&unit.object).into(),
            (&unit.unit).into(),
            unit.name.as_ref().into(),
        ];
        writer
            .insert(
                "ledger_units",
                &["position", "object", "unit", "name"],
                values,
            )
            .await?;
    }
    for (position, project) in ledger.projects.iter().enumerate() {
        let values = vec![
            position.into(),
            (&project.object).into(),
            (&project.project).into(),
        ];
        writer
            .insert(
                "ledger_projects",
                &["position", "object", "project"],
                values,
            )
            .await?;
    }
    for (position, profile) in ledger.profiles.iter().enumerate() {
        for (month, weight) in profile.weights.iter().enumerate() {
            let values = vec![
                position.into(),
                profile.line.to_string().into(),
                (month + 1).into(),
                (*weight).into(),
            ];
            let columns = ["position", "line", "month", "weight"];
            writer.insert("ledger_profiles", &columns, values).await?;
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
    let values = vec![
        version.kind.code().into(),
        version.name.as_str().into(),
        version.decision.as_ref().into(),
        version.based_on.as_ref().into(),
        plan.municipality.name.as_str().into(),
        plan.municipality.code.as_str().into(),
        plan.document.title.as_str().into(),
        (&plan.document.body).into(),
        plan.document.source.as_deref().into(),
        budget.investment.title.as_str().into(),
        budget.investment.budget_year.into(),
        budget.investment.decision.as_ref().into(),
        budget.exploitation.title.as_str().into(),
        budget.exploitation.year.into(),
        budget.finance.title.as_str().into(),
        budget.finance.summary_title.as_str().into(),
        change.is_some().into(),
        change.map(|c| c.from_label.as_str()).into(),
        change.map(|c| c.to_year).into(),
        change.map(|c| c.stated).into(),
        plan.forecast_rules.percent.into(),
        plan.forecast_rules.amount.into(),
        plan.kolada.comparison_name.as_ref().into(),
        plan.control.synthetic.into(),
        seq.into(),
        imported_at.into(),
        actor.into(),
    ];
    let columns = [
        "version_kind",
        "version_name",
        "version_decision",
        "version_based_on",
        "municipality_name",
        "municipality_code",
        "document_title",
        "document_body",
        "document_source",
        "investment_title",
        "investment_budget_year",
        "investment_decision",
        "exploitation_title",
        "exploitation_year",
        "finance_title",
        "finance_summary_title",
        "has_frame_change",
        "frame_change_from_label",
        "frame_change_to_year",
        "frame_change_stated_ore",
        "forecast_explanation_percent",
        "forecast_explanation_ore",
        "kolada_comparison_name",
        "control_synthetic",
        "import_seq",
        "imported_at",
        "imported_by",
    ];
    writer.insert("plans", &columns, values).await?;
    writer.years("document", &plan.document.years).await?;
    writer.years("investment", &budget.investment.years).await?;
    writer.years("finance", &budget.finance.years).await?;
    writer
        .years("finance_summary", &budget.finance.summary_years)
        .await
}

async fn write_organisation(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, body) in plan.bodies.iter().enumerate() {
        let columns = ["position", "id", "name", "short", "kind", "parent", "note"];
        let values = vec![
            position.into(),
            (&body.id).into(),
            (&body.name).into(),
            body.short.as_ref().into(),
            body.kind.code().into(),
            body.parent.as_ref().into(),
            body.note.as_ref().into(),
        ];
        writer.insert("bodies", &columns, values).await?;
    }
    for (position, unit) in plan.units.iter().enumerate() {
        let columns = ["position", "id", "name", "short", "body", "parent"];
        let values = vec![
            position.into(),
            (&unit.id).into(),
            (&unit.name).into(),
            unit.short.as_ref().into(),
            (&unit.body).into(),
            unit.parent.as_ref().into(),
        ];
        writer.insert("units", &columns, values).await?;
    }
    for (position, decision) in plan.decisions.iter().enumerate() {
        let columns = [
            "position",
            "id",
            "body",
            "decision_date",
            "paragraph",
            "case_number",
            "title",
        ];
        let values = vec![
            position.into(),
            (&decision.id).into(),
            (&decision.body).into(),
            decision.date.as_ref().into(),
            decision.paragraph.into(),
            decision.case.as_ref().map(ToString::to_string).into(),
            (&decision.title).into(),
        ];
        writer.insert("decisions", &columns, values).await?;
    }
    Ok(())
}

async fn write_goals(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, point) in plan.starting_points.iter().enumerate() {
        let values = vec![position.into(), (&point.id).into(), (&point.title).into()];
        writer
            .insert("starting_points", &["position", "id", "title"], values)
            .await?;
    }
    for (position, area) in plan.goal_areas.iter().enumerate() {
        let columns = ["position", "id", "name", "description"];
        let values = vec![
            position.into(),
            (&area.id).into(),
            (&area.name).into(),
            area.description.as_ref().into(),
        ];
        writer.insert("goal_areas", &columns, values).await?;
    }
    for (position, goal) in plan.goals.iter().enumerate() {
        let columns = ["position", "id", "area", "number", "title", "description"];
        let values = vec![
            position.into(),
            (&goal.id).into(),
            (&goal.area).into(),
            goal.number.into(),
            (&goal.title).into(),
            goal.description.as_ref().into(),
        ];
        writer.insert("goals", &columns, values).await?;
    }
    for (position, priority) in plan.priorities.iter().enumerate() {
        let columns = ["position", "id", "goal", "content"];
        let values = vec![
            position.into(),
            (&priority.id).into(),
            (&priority.goal).into(),
            (&priority.text).into(),
        ];
        writer.insert("priorities", &columns, values).await?;
    }
    for (position, indicator) in plan.indicators.iter().enumerate() {
        let columns = [
            "position",
            "id",
            "goal",
            "level",
            "name",
            "unit",
            "direction",
            "cadence",
            "source",
            "kolada_kpi",
            "footnote",
            "responsible",
        ];
        let values = vec![
            position.into(),
            (&indicator.id).into(),
            (&indicator.goal).into(),
            indicator.level.code().into(),
            (&indicator.name).into(),
            indicator.unit.as_ref().into(),
            indicator.direction.map(|d| d.code()).into(),
            indicator.cadence.map(|c| c.code()).into(),
            indicator.source.map(|s| s.code()).into(),
            indicator.kolada_kpi.as_ref().into(),
            indicator.footnote.as_ref().into(),
            indicator.responsible.as_ref().into(),
        ];
        writer.insert("indicators", &columns, values).await?;
    }
    for (position, value) in plan.indicator_values.iter().enumerate() {
        let columns = ["position", "indicator", "year", "kind", "value"];
        let values = vec![
            position.into(),
            (&value.indicator).into(),
            value.year.into(),
            value.kind.code().into(),
            value.value.into(),
        ];
        writer.insert("indicator_values", &columns, values).await?;
    }
    for (position, member) in plan.kolada.comparison.iter().enumerate() {
        let columns = ["position", "code", "name"];
        let values = vec![
            position.into(),
            member.code.as_str().into(),
            member.name.as_str().into(),
        ];
        writer.insert("kolada_comparison", &columns, values).await?;
    }
    Ok(())
}

async fn write_assignments(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, assignment) in plan.assignments.iter().enumerate() {
        let columns = [
            "position",
            "id",
            "code",
            "title",
            "description",
            "given_by",
            "given_year",
        ];
        let values = vec![
            position.into(),
            (&assignment.id).into(),
            assignment.code.as_ref().into(),
            (&assignment.title).into(),
            assignment.description.as_ref().into(),
            assignment.given_by.as_ref().into(),
            assignment.given_year.into(),
        ];
        writer.insert("assignments", &columns, values).await?;
        for (position, body) in assignment.responsible.iter().enumerate() {
            let values = vec![(&assignment.id).into(), position.into(), body.into()];
            let columns = ["assignment", "position", "body"];
            writer
                .insert("assignment_responsible", &columns, values)
                .await?;
        }
    }
    for (position, mention) in plan.mentions.iter().enumerate() {
        let columns = ["position", "assignment", "section", "label"];
        let values = vec![
            position.into(),
            (&mention.assignment).into(),
            (&mention.section).into(),
            (&mention.label).into(),
        ];
        writer
            .insert("assignment_mentions", &columns, values)
            .await?;
    }
    for (position, status) in plan.statuses.iter().enumerate() {
        let columns = ["position", "assignment", "period", "status", "comment"];
        let values = vec![
            position.into(),
            (&status.assignment).into(),
            (&status.period).into(),
            status.status.code().into(),
            status.comment.as_ref().into(),
        ];
        writer
            .insert("assignment_statuses", &columns, values)
            .await?;
    }
    Ok(())
}

const AMOUNT_ROW_COLUMNS: [&str; 6] = ["position", "id", "name", "kind", "parent", "reference"];

fn amount_row_values(position: usize, row: &AmountRow) -> Vec<Value> {
    vec![
        position.into(),
        (&row.id).into(),
        (&row.name).into(),
        row.kind.code().into(),
        row.parent.as_ref().into(),
        row.reference.as_ref().into(),
    ]
}

async fn write_budget(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    let budget = &plan.budget;
    for (position, frame) in budget.frames.iter().enumerate() {
        let columns = ["position", "year", "amount_ore", "decision"];
        let values = vec![
            position.into(),
            frame.year.into(),
            frame.amount.into(),
            frame.decision.as_ref().into(),
        ];
        writer.insert("frames", &columns, values).await?;
    }
    for (position, table) in budget.operating.iter().enumerate() {
        let columns = ["position", "id", "title", "summary"];
        let values = vec![
            position.into(),
            (&table.id).into(),
            (&table.title).into(),
            table.summary.into(),
        ];
        writer.insert("operating_tables", &columns, values).await?;
        for (position, year) in table.years.iter().enumerate() {
            let values = vec![(&table.id).into(), position.into(), (*year).into()];
            let columns = ["table_id", "position", "year"];
            writer
                .insert("operating_table_years", &columns, values)
                .await?;
        }
        for (position, row) in table.rows.iter().enumerate() {
            let mut columns = vec!["table_id"];
            columns.extend(AMOUNT_ROW_COLUMNS);
            let mut values = vec![(&table.id).into()];
            values.extend(amount_row_values(position, row));
            writer.insert("operating_rows", &columns, values).await?;
            let owner = [(&table.id).into(), (&row.id).into()];
            writer
                .amounts(
                    "operating_amounts",
                    &["table_id", "row_id"],
                    &owner,
                    &row.amounts,
                )
                .await?;
        }
    }
    for (position, row) in budget.investment.rows.iter().enumerate() {
        let columns = ["position", "id", "name", "kind", "until_ore"];
        let values = vec![
            position.into(),
            (&row.id).into(),
            (&row.name).into(),
            row.kind.code().into(),
            row.until.into(),
        ];
        writer.insert("investment_rows", &columns, values).await?;
        let owner = [(&row.id).into()];
        writer
            .amounts("investment_amounts", &["row_id"], &owner, &row.amounts)
            .await?;
    }
    for (position, row) in budget.exploitation.rows.iter().enumerate() {
        let columns = [
            "position",
            "id",
            "project",
            "name",
            "kind",
            "income_ore",
            "cost_ore",
            "net_ore",
        ];
        let values = vec![
            position.into(),
            (&row.id).into(),
            (&row.project).into(),
            (&row.name).into(),
            row.kind.code().into(),
            row.income.into(),
            row.cost.into(),
            row.net.into(),
        ];
        writer.insert("exploitation_rows", &columns, values).await?;
    }
    for (position, row) in budget.finance.rows.iter().enumerate() {
        let columns = ["position", "id", "name", "kind", "group_id"];
        let values = vec![
            position.into(),
            (&row.id).into(),
            (&row.name).into(),
            row.kind.code().into(),
            row.group.as_ref().into(),
        ];
        writer.insert("finance_rows", &columns, values).await?;
        let row_position = position;
        for (position, line) in row.lines.iter().enumerate() {
            let values = vec![
                row_position.into(),
                position.into(),
                line.measure.code().into(),
            ];
            let columns = ["row_position", "position", "measure"];
            writer.insert("finance_lines", &columns, values).await?;
            let owner = [row_position.into(), position.into()];
            let owner_columns = ["row_position", "line_position"];
            writer
                .amounts("finance_amounts", &owner_columns, &owner, &line.amounts)
                .await?;
        }
    }
    for (position, row) in budget.finance.summary.iter().enumerate() {
        let values = amount_row_values(position, row);
        writer
            .insert("finance_summary_rows", &AMOUNT_ROW_COLUMNS, values)
            .await?;
        let owner = [(&row.id).into()];
        writer
            .amounts("finance_summary_amounts", &["row_id"], &owner, &row.amounts)
            .await?;
    }
    if let Some(change) = &budget.frame_change {
        for (position, component) in change.components.iter().enumerate() {
            let columns = ["position", "id", "label", "amount_ore", "reference"];
            let values = vec![
                position.into(),
                (&component.id).into(),
                (&component.label).into(),
                component.amount.into(),
                component.reference.as_ref().into(),
            ];
            writer
                .insert("frame_change_components", &columns, values)
                .await?;
        }
    }
    Ok(())
}

/// The plan's figures; its calendar is the municipality's (`followup::merge_calendar`).
async fn write_followup(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, figure) in plan.figures.iter().enumerate() {
        let columns = ["position", "id", "period", "label", "value", "unit"];
        let values = vec![
            position.into(),
            (&figure.id).into(),
            (&figure.period).into(),
            (&figure.label).into(),
            figure.value.into(),
            (&figure.unit).into(),
        ];
        writer.insert("followup_figures", &columns, values).await?;
    }
    Ok(())
}

async fn write_control(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    let control = &plan.control;
    if let Some(scale) = &control.scale {
        let values = vec![scale.likelihood.into(), scale.consequence.into()];
        writer
            .insert("risk_scales", &["likelihood", "consequence"], values)
            .await?;
        for (position, band) in scale.bands.iter().enumerate() {
            let columns = ["position", "min_score", "label", "colour"];
            let values = vec![
                position.into(),
                i64::from(band.min_score).into(),
                (&band.label).into(),
                (&band.colour).into(),
            ];
            writer.insert("risk_bands", &columns, values).await?;
        }
    }
    for (position, risk) in control.risks.iter().enumerate() {
        let columns = [
            "position",
            "id",
            "title",
            "description",
            "process",
            "owner",
            "decision",
        ];
        let values = vec![
            position.into(),
            (&risk.id).into(),
            (&risk.title).into(),
            risk.description.as_ref().into(),
            risk.process.as_ref().into(),
            risk.owner.as_ref().into(),
            risk.decision.map(|d| d.code()).into(),
        ];
        writer.insert("risks", &columns, values).await?;
        for (position, assessment) in risk.assessments.iter().enumerate() {
            let columns = ["risk", "position", "year", "likelihood", "consequence"];
            let values = vec![
                (&risk.id).into(),
                position.into(),
                assessment.year.into(),
                assessment.likelihood.into(),
                assessment.consequence.into(),
            ];
            writer.insert("risk_assessments", &columns, values).await?;
        }
    }
    for (position, item) in control.controls.iter().enumerate() {
        let columns = [
            "position",
            "id",
            "risk",
            "title",
            "checks",
            "method",
            "frequency",
            "responsible",
            "year",
            "decision",
        ];
        let values = vec![
            position.into(),
            (&item.id).into(),
            item.risk.as_ref().into(),
            (&item.title).into(),
            item.checks.as_ref().into(),
            item.method.as_ref().into(),
            item.frequency.as_ref().into(),
            item.responsible.as_ref().into(),
            item.year.into(),
            item.decision.as_ref().into(),
        ];
        writer.insert("controls", &columns, values).await?;
        for (position, month) in item.periods.iter().enumerate() {
            let values = vec![(&item.id).into(), position.into(), month.into()];
            writer
                .insert("control_periods", &["control", "position", "month"], values)
                .await?;
        }
    }
    for (position, audit) in control.audits.iter().enumerate() {
        let columns = [
            "position",
            "id",
            "title",
            "case_number",
            "year",
            "report_date",
            "auditor",
            "received_by",
            "note",
        ];
        let values = vec![
            position.into(),
            (&audit.id).into(),
            (&audit.title).into(),
            audit.case.as_ref().map(ToString::to_string).into(),
            audit.year.into(),
            audit.date.as_ref().into(),
            audit.auditor.as_ref().into(),
            audit.received_by.as_ref().into(),
            audit.note.as_ref().into(),
        ];
        writer.insert("audits", &columns, values).await?;
        for (position, recommendation) in audit.recommendations.iter().enumerate() {
            let columns = ["audit", "position", "id", "content"];
            let values = vec![
                (&audit.id).into(),
                position.into(),
                (&recommendation.id).into(),
                (&recommendation.text).into(),
            ];
            writer
                .insert("audit_recommendations", &columns, values)
                .await?;
            for (position, action) in recommendation.actions.iter().enumerate() {
                let columns = [
                    "audit",
                    "recommendation",
                    "position",
                    "id",
                    "content",
                    "owner",
                    "due",
                    "status",
                    "evidence",
                    "reason",
                ];
                let values = vec![
                    (&audit.id).into(),
                    (&recommendation.id).into(),
                    position.into(),
                    (&action.id).into(),
                    (&action.text).into(),
                    action.owner.as_ref().into(),
                    action.due.as_ref().into(),
                    action.status.code().into(),
                    action.evidence.as_ref().into(),
                    action.reason.as_ref().into(),
                ];
                writer.insert("audit_actions", &columns, values).await?;
            }
        }
    }
    Ok(())
}

async fn write_document(writer: &mut PlanWriter<'_>, plan: &Plan) -> Result<(), StoreError> {
    for (position, section) in plan.sections.iter().enumerate() {
        let columns = ["position", "id", "title", "level", "file"];
        let values = vec![
            position.into(),
            (&section.id).into(),
            (&section.title).into(),
            section.level.into(),
            section.file.as_ref().into(),
        ];
        writer.insert("sections", &columns, values).await?;
        for (position, block) in section.show.iter().enumerate() {
            let values = vec![(&section.id).into(), position.into(), block.into()];
            writer
                .insert("section_show", &["section", "position", "block"], values)
                .await?;
        }
    }
    for (position, narrative) in plan.narratives.iter().enumerate() {
        let values = vec![
            position.into(),
            (&narrative.file).into(),
            (&narrative.text).into(),
        ];
        writer
            .insert("narratives", &["position", "file", "content"], values)
            .await?;
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
    insert_acknowledgement(&mut writer, position.into(), &acknowledgement).await?;
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
