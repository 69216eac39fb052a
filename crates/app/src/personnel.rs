//! Personnel figures and verksamhetsmått (issue 22, items 6–7): the figures of a body or the
//! whole municipality for a period or a year, the measures of a body with their outcomes, the
//! import of outcomes from CSV or Excel (all or nothing) and one outcome entered in the web.

use crate::{Actor, App, AppError, PlanSelector, Problem};
use rust_decimal::Decimal;
use styr_domain::activity::MeasureValue;
use styr_domain::personnel::{Personnel, Span};
use styr_domain::{Id, Month, Plan};
use styr_reports::{MeasuresReport, PersonnelFigures, measures_report, personnel_figures};
use styr_store::{MeasureEdit, MeasuresRecorded, Owner, StoredMeasureValue};

/// What an import of outcomes did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasuresImported {
    pub rows: usize,
    pub recorded: MeasuresRecorded,
}

/// One outcome as a form shows it: the measure, the month, the current value and its version
/// (sent back with an edit; 0 when there is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureCell {
    pub measure: Id,
    pub month: Month,
    pub value: Option<Decimal>,
    pub version: i64,
    pub reported_by: Option<String>,
}

/// The span a command asks for: the year, or January up to the period's month in it.
pub fn span_of(year: i32, period: Option<Month>) -> Result<Span, AppError> {
    match period {
        None => Ok(Span::Year(year)),
        Some(month) if month.year() == year => Ok(Span::YearToDate(month)),
        Some(month) => Err(AppError::Invalid(vec![Problem::new(
            "period",
            format!("perioden {month} ligger inte i året {year}"),
        )])),
    }
}

impl App {
    /// The personnel figures of the selected body's plan (every unit of it, or `unit` and the
    /// units below it), or with no body selected of every body's plan of the municipality.
    pub async fn personnel(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        unit: Option<&str>,
        span: Span,
    ) -> Result<PersonnelFigures, AppError> {
        let selector = actor.scope(selector)?;
        if selector.body.is_none() && unit.is_none() {
            let plans = self
                .body_plans(actor, selector.municipality.as_deref())
                .await?;
            if plans.len() > 1 {
                let mut all = Personnel::default();
                for plan in &plans {
                    all.hours.extend(plan.personnel.hours.iter().cloned());
                    all.staff.extend(plan.personnel.staff.iter().cloned());
                }
                let name = plans[0].municipality.name.clone();
                return Ok(personnel_figures(&all, None, span, name));
            }
        }
        let plan = self.load_plan(actor, &selector).await?;
        let (units, scope) = match unit {
            Some(unit) => {
                let units = plan.unit_scope(unit).map_err(|_| {
                    AppError::NotFound(format!("enheten {unit} finns inte i planen"))
                })?;
                (units, crate::unit_name(&plan, unit))
            }
            None => {
                let body = plan.document.body.as_str();
                (None, crate::unit_name(&plan, body))
            }
        };
        Ok(personnel_figures(
            &plan.personnel,
            units.as_ref(),
            span,
            scope,
        ))
    }

    /// The selected plan's verksamhetsmått for January up to `until`, with their outcomes.
    pub async fn measures(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        until: Month,
    ) -> Result<MeasuresReport, AppError> {
        let (plan, values) = self.measure_values(actor, selector).await?;
        let values: Vec<MeasureValue> = values.into_iter().map(|v| v.value).collect();
        Ok(measures_report(&plan, &plan.activity, None, until, &values))
    }

    /// The selected plan and the current outcomes of its measures.
    pub async fn measure_values(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<(Plan, Vec<StoredMeasureValue>), AppError> {
        let plan = self.load_plan(actor, selector).await?;
        let values = self.store.measure_values(Owner::of(&plan)).await?;
        Ok((plan, values))
    }

    /// The outcome cells of a month for the measures the actor may report (every measure for
    /// controllers), for a form.
    pub async fn measure_cells(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        month: Month,
    ) -> Result<(Plan, Vec<(MeasureCell, bool)>), AppError> {
        let (plan, values) = self.measure_values(actor, selector).await?;
        let cells = plan
            .activity
            .measures
            .iter()
            .map(|measure| {
                let current = values
                    .iter()
                    .find(|v| v.value.measure == measure.id && v.value.month == month);
                let may = actor.may_report_for(&plan, std::slice::from_ref(&measure.unit));
                (
                    MeasureCell {
                        measure: measure.id.clone(),
                        month,
                        value: current.map(|c| c.value.value),
                        version: current.map_or(0, |c| c.version),
                        reported_by: current.map(|c| c.reported_by.clone()),
                    },
                    may,
                )
            })
            .collect();
        Ok((plan, cells))
    }

    /// Imports outcomes from a CSV file or an Excel workbook (`.xlsx`: the sheet «Utfall», else
    /// the first), all or nothing: every problem of every row with file, line and field, a
    /// measure the plan does not have or the actor may not report among them; then nothing is
    /// written.
    pub async fn import_measures(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<MeasuresImported, AppError> {
        let invalid = |diagnostics: Vec<styr_package::Diagnostic>| {
            AppError::Invalid(
                diagnostics
                    .into_iter()
                    .map(|d| Problem::at(&d.file, d.line, d.field, d.message))
                    .collect(),
            )
        };
        let text = if file_name.to_ascii_lowercase().ends_with(".xlsx") {
            styr_excel::sheet_as_csv(bytes).map_err(|error| {
                AppError::Invalid(vec![Problem::at(file_name, 0, "", error.to_string())])
            })?
        } else {
            String::from_utf8(bytes).map_err(|error| {
                AppError::Invalid(vec![Problem::at(
                    file_name,
                    0,
                    "",
                    format!("filen är inte UTF-8 ({error}): spara den som CSV UTF-8"),
                )])
            })?
        };
        let rows = styr_package::read_measure_csv(file_name, text.as_bytes()).map_err(invalid)?;
        let plan = self.load_plan(actor, selector).await?;
        let mut found = Vec::new();
        for row in &rows {
            match plan.activity.find(&row.value.measure) {
                None => found.push(Problem::at(
                    file_name,
                    row.line,
                    "measure",
                    format!(
                        "måttet {} finns inte i planen (matt/matt.csv)",
                        row.value.measure
                    ),
                )),
                Some(measure) => {
                    if !plan.units.iter().any(|u| u.id == measure.unit) {
                        found.push(Problem::at(
                            file_name,
                            row.line,
                            "measure",
                            format!("måttets enhet {} finns inte i planen", measure.unit),
                        ));
                    } else if !actor.may_report_for(&plan, std::slice::from_ref(&measure.unit)) {
                        found.push(Problem::at(
                            file_name,
                            row.line,
                            "measure",
                            format!(
                                "du får inte rapportera måttet {}: det hör till {}",
                                measure.name,
                                crate::unit_name(&plan, measure.unit.as_str())
                            ),
                        ));
                    }
                }
            }
        }
        if !found.is_empty() {
            return Err(AppError::Invalid(found));
        }
        let edits: Vec<MeasureEdit> = rows
            .iter()
            .map(|r| MeasureEdit {
                value: r.value.clone(),
                based_on: None,
            })
            .collect();
        let action = format!("import measures {}/{file_name}", Owner::of(&plan));
        let recorded = self
            .store
            .record_measure_values(Owner::of(&plan), &edits, &actor.login, &action)
            .await?;
        Ok(MeasuresImported {
            rows: rows.len(),
            recorded,
        })
    }

    /// Saves one outcome, based on the version the editor saw (0: none): someone else's save in
    /// between is `StoreError::StaleMeasure` and nothing is written.
    pub async fn save_measure_value(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        value: MeasureValue,
        based_on: i64,
    ) -> Result<MeasuresRecorded, AppError> {
        let plan = self.load_plan(actor, selector).await?;
        let measure = plan.activity.find(&value.measure).ok_or_else(|| {
            AppError::NotFound(format!("måttet {} finns inte i planen", value.measure))
        })?;
        if !actor.may_report_for(&plan, std::slice::from_ref(&measure.unit)) {
            return Err(AppError::Forbidden(format!(
                "Du får inte rapportera måttet {}: det hör till {}.",
                measure.name,
                crate::unit_name(&plan, measure.unit.as_str())
            )));
        }
        let action = format!(
            "report measure {}/{}/{}",
            Owner::of(&plan),
            value.month,
            value.measure
        );
        Ok(self
            .store
            .record_measure_values(
                Owner::of(&plan),
                &[MeasureEdit {
                    value,
                    based_on: Some(based_on),
                }],
                &actor.login,
                &action,
            )
            .await?)
    }
}
