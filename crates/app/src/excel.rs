//! Excel both ways: a plan's tables out to a workbook and back in, and a unit's report for a
//! period as a workbook filled in offline. The workbooks are `styr-excel`'s; the rules are the
//! ones every other way in uses. A plan workbook becomes the plan package's tables, which the
//! package reader validates and [`App::import_plan`] stores (one transaction, one audit row);
//! a report workbook becomes the follow-up file that [`App::import_followup`] takes, with its
//! roles, closed periods and required comments. Every problem names the sheet and cell.

use crate::{Actor, App, AppError, FollowUpImported, PlanSelector, Problem, Role, may_report};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::budget::RowKind;
use styr_domain::followup::{EntryKind, ReportEntry};
use styr_domain::goal::ValueKind;
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::{Id, Money, Plan};
use styr_excel::{
    AssignmentLine, Book, ExcelError, ForecastLine, GoalLine, IndicatorLine, Locations, PlanTables,
    REPORT_FILE, ReportLines, ReportTemplate, Reports, WorkbookKind,
};
use styr_package::{Diagnostic, Files};
use styr_store::{EntryFilter, ImportSummary};

/// What reading a workbook wrote.
#[derive(Debug)]
pub enum WorkbookImported {
    /// A plan workbook, stored as the plan it updates.
    Plan {
        plan: Box<Plan>,
        summary: ImportSummary,
    },
    /// A unit's report workbook, through the follow-up import.
    Report {
        period: String,
        unit: String,
        imported: FollowUpImported,
    },
}

/// A plan's tables as a workbook, from a package (no report sheets: those need the database).
pub fn plan_workbook(plan: &Plan) -> Result<Vec<u8>, AppError> {
    styr_excel::write_plan_workbook(plan, &Reports::default()).map_err(|e| excel_error("", e))
}

/// A plan workbook's tables put into a plan package (`base`: the package the workbook was
/// exported from, which holds everything that is not a table), read and validated as a
/// package: the merged files and the plan they read into, or every problem located by sheet
/// and cell. Changes nothing anywhere.
pub fn workbook_into_package(
    base: &Files,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<(Files, Plan), AppError> {
    let mut book = Book::open(bytes).map_err(|e| excel_error(file_name, e))?;
    let tables = styr_excel::read_plan_tables(&mut book).map_err(|e| excel_error(file_name, e))?;
    merge_tables(base.clone(), tables)
}

/// A plan workbook's tables over the files of `files`, read by the package reader: the merged
/// files and their plan, or every problem located by sheet and cell.
fn merge_tables(mut files: Files, tables: PlanTables) -> Result<(Files, Plan), AppError> {
    for (file, text) in tables.files {
        files.insert(&file, text);
    }
    let plan = styr_package::read_files(&files).map_err(|diagnostics| {
        AppError::Invalid(
            diagnostics
                .into_iter()
                .map(|d| located(&tables.locations, d))
                .collect(),
        )
    })?;
    Ok((files, plan))
}

/// A package reader's problem, at its sheet and cell where its file came from the workbook.
fn located(locations: &Locations, diagnostic: Diagnostic) -> Problem {
    match locations.locate(&diagnostic.file, diagnostic.line, &diagnostic.field) {
        Some((at, field)) => {
            // The package reader names the codes; the sheet shows Swedish words.
            let words = locations.words(&diagnostic.file, &diagnostic.field);
            let message = if words.is_empty() {
                diagnostic.message
            } else {
                format!(
                    "{} (i arbetsboken: {})",
                    diagnostic.message,
                    words.join(", ")
                )
            };
            Problem {
                file: Some(at),
                line: None,
                field,
                message,
            }
        }
        None => Problem::at(
            &diagnostic.file,
            diagnostic.line,
            diagnostic.field,
            diagnostic.message,
        ),
    }
}

fn excel_error(file_name: &str, error: ExcelError) -> AppError {
    let problems = error.problems();
    if problems.is_empty() {
        return AppError::Invalid(vec![Problem {
            file: (!file_name.is_empty()).then(|| file_name.to_owned()),
            line: None,
            field: "arbetsbok".to_owned(),
            message: error.to_string(),
        }]);
    }
    AppError::Invalid(
        problems
            .into_iter()
            .map(|p| Problem {
                file: Some(p.at),
                line: None,
                field: p.field,
                message: p.message,
            })
            .collect(),
    )
}

impl App {
    /// The stored plan's tables as a workbook, with the forecasts reported for every period and
    /// budget vs actual for every period of the calendar the ledger has actuals for.
    pub async fn export_workbook(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<Vec<u8>, AppError> {
        let filter = EntryFilter {
            kind: Some(EntryKind::Forecast),
            ..EntryFilter::default()
        };
        let (plan, forecasts) = self.reports(actor, selector, &filter).await?;
        let mut economy = Vec::new();
        if actor.role != Role::Public {
            for period in &plan.periods {
                let Some(month) = Month::parse(&period.month) else {
                    continue;
                };
                let report = self.economy(&plan, month).await?;
                if report.rows.iter().any(|row| row.cell.actual().is_some()) {
                    economy.push(report);
                }
            }
        }
        let reports = Reports {
            forecasts: &forecasts,
            economy: &economy,
        };
        styr_excel::write_plan_workbook(&plan, &reports).map_err(|e| excel_error("", e))
    }

    /// Reads a workbook that `export_workbook` or `report_template` wrote and a person edited.
    /// A plan workbook replaces the tables of the stored plan it came from (the municipality
    /// and version on its sheet «Om arbetsboken»), all or nothing; a report workbook is the
    /// unit's report, imported as a follow-up file.
    pub async fn import_workbook(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: Vec<u8>,
    ) -> Result<WorkbookImported, AppError> {
        let mut book = Book::open(bytes).map_err(|e| excel_error(file_name, e))?;
        let selector = PlanSelector {
            municipality: Some(book.info.municipality.clone()),
            version: Some(book.info.version.clone()),
        };
        match book.info.kind.clone() {
            WorkbookKind::Plan { .. } => {
                actor.require_controller("läsa in en plan från en arbetsbok")?;
                let tables = styr_excel::read_plan_tables(&mut book)
                    .map_err(|e| excel_error(file_name, e))?;
                let stored = self.load_plan(actor, &selector).await?;
                let (_, plan) = merge_tables(styr_package::write_files(&stored), tables)?;
                let summary = self.import_plan(actor, &plan).await?;
                Ok(WorkbookImported::Plan {
                    plan: Box::new(plan),
                    summary,
                })
            }
            WorkbookKind::Report { period, unit } => {
                let (csv, locations) =
                    styr_excel::read_report(&mut book).map_err(|e| excel_error(file_name, e))?;
                let imported = self
                    .import_followup(actor, &selector, REPORT_FILE, csv.as_bytes())
                    .await
                    .map_err(|error| match error {
                        AppError::Invalid(problems) => AppError::Invalid(
                            problems
                                .into_iter()
                                .map(|p| {
                                    let diagnostic = Diagnostic::new(
                                        p.file.as_deref().unwrap_or(REPORT_FILE),
                                        p.line.unwrap_or(0),
                                        &p.field,
                                        p.message,
                                    );
                                    located(&locations, diagnostic)
                                })
                                .collect(),
                        ),
                        other => other,
                    })?;
                Ok(WorkbookImported::Report {
                    period,
                    unit,
                    imported,
                })
            }
        }
    }

    /// A unit's report for a period as a workbook to fill in: what the unit's reporters may
    /// report (the same rule as the web form's), with what is reported already.
    pub async fn report_template(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        period: Month,
        unit: &str,
    ) -> Result<Vec<u8>, AppError> {
        let filter = EntryFilter {
            period: Some(period),
            ..EntryFilter::default()
        };
        let (plan, current) = self.reports(actor, selector, &filter).await?;
        let unit_id = Id::parse(unit).map_err(|e| AppError::invalid("enhet", e.to_string()))?;
        if !plan.units.iter().any(|u| u.id == unit_id)
            && !plan.bodies.iter().any(|b| b.id == unit_id)
        {
            return Err(AppError::invalid(
                "enhet",
                format!("{unit} är varken ett organ eller en enhet i planen"),
            ));
        }
        if !plan.periods.iter().any(|p| p.month == period.to_string()) {
            return Err(AppError::invalid(
                "period",
                format!("perioden {period} finns inte i uppföljningskalendern"),
            ));
        }
        if !actor.may_report_for(&plan, std::slice::from_ref(&unit_id)) {
            return Err(AppError::Forbidden(format!(
                "{} får inte rapportera för {unit}",
                actor.login
            )));
        }
        let reporter = Actor {
            login: String::new(),
            role: Role::Reporter,
            municipality: None,
            units: vec![unit_id],
        };
        let current_entry = |kind: EntryKind, subject: &str| {
            current
                .iter()
                .rev()
                .find(|e| e.report.entry.kind() == kind && e.report.entry.subject() == subject)
                .map(|e| e.report.entry.clone())
        };
        let mut lines = ReportLines::default();
        for assignment in &plan.assignments {
            let probe = ReportEntry::Status {
                assignment: assignment.id.clone(),
                status: AssignmentStatus::Unknown,
                comment: None,
            };
            if !may_report(&reporter, &plan, &probe) {
                continue;
            }
            let mut line = AssignmentLine {
                id: assignment.id.to_string(),
                code: assignment.code.clone().unwrap_or_default(),
                title: assignment.title.clone(),
                ..AssignmentLine::default()
            };
            if let Some(ReportEntry::Status {
                status, comment, ..
            }) = current_entry(EntryKind::Status, assignment.id.as_str())
            {
                line.status = Some(status);
                line.comment = comment;
            }
            lines.assignments.push(line);
        }
        for indicator in &plan.indicators {
            let probe = ReportEntry::Outcome {
                indicator: indicator.id.clone(),
                value: Default::default(),
                measured_on: None,
                source: None,
                comment: None,
            };
            if !may_report(&reporter, &plan, &probe) {
                continue;
            }
            let mut line = IndicatorLine {
                id: indicator.id.to_string(),
                name: indicator.name.clone(),
                unit: indicator.unit.clone().unwrap_or_default(),
                target: plan
                    .indicator_values
                    .iter()
                    .find(|v| {
                        v.indicator == indicator.id
                            && v.year == period.year()
                            && v.kind == ValueKind::Target
                    })
                    .map(|v| v.value),
                ..IndicatorLine::default()
            };
            if let Some(ReportEntry::Outcome {
                value,
                measured_on,
                source,
                comment,
                ..
            }) = current_entry(EntryKind::Outcome, indicator.id.as_str())
            {
                line.outcome = Some(value);
                line.measured_on = measured_on;
                line.source = source;
                line.comment = comment;
            }
            lines.indicators.push(line);
        }
        for goal in &plan.goals {
            let probe = ReportEntry::Assessment {
                goal: goal.id.clone(),
                assessment: styr_domain::followup::GoalAssessment::CannotAssess,
                motivation: String::new(),
            };
            if !may_report(&reporter, &plan, &probe) {
                continue;
            }
            let mut line = GoalLine {
                id: goal.id.to_string(),
                title: format!("{}. {}", goal.number, goal.title),
                ..GoalLine::default()
            };
            if let Some(ReportEntry::Assessment {
                assessment,
                motivation,
                ..
            }) = current_entry(EntryKind::Assessment, goal.id.as_str())
            {
                line.assessment = Some(assessment);
                line.motivation = Some(motivation);
            }
            lines.goals.push(line);
        }
        for table in plan.budget.operating.iter().filter(|t| !t.summary) {
            for row in table.rows.iter().filter(|r| r.kind == RowKind::Line) {
                let reference = BudgetLineRef::Operating {
                    table: table.id.clone(),
                    line: row.id.clone(),
                };
                let probe = ReportEntry::Forecast {
                    line: reference.clone(),
                    amount: Money::default(),
                    comment: None,
                    action_plan: None,
                };
                if !may_report(&reporter, &plan, &probe) {
                    continue;
                }
                let subject = reference.to_string();
                let mut line = ForecastLine {
                    line: subject.clone(),
                    name: row.name.clone(),
                    budget: row.amounts.get(&period.year()).copied(),
                    ..ForecastLine::default()
                };
                if let Some(ReportEntry::Forecast {
                    amount,
                    comment,
                    action_plan,
                    ..
                }) = current_entry(EntryKind::Forecast, &subject)
                {
                    line.forecast = Some(amount);
                    line.comment = comment;
                    line.action_plan = action_plan;
                }
                lines.forecasts.push(line);
            }
        }
        let template = ReportTemplate {
            title: format!(
                "Rapport för {unit} per {period} — {}",
                plan.municipality.name
            ),
            municipality: plan.municipality.id.to_string(),
            version: plan.budget.version.id.to_string(),
            period: period.to_string(),
            unit: unit.to_owned(),
            lines,
        };
        styr_excel::write_report_template(&template).map_err(|e| excel_error("", e))
    }
}
