//! Excel both ways: a plan's tables out to a workbook and back in, and a unit's report for a
//! period as a workbook filled in offline. The workbooks are `styr-excel`'s; the rules are the
//! ones every other way in uses. A plan workbook becomes the plan package's tables, which the
//! package reader validates and [`App::import_plan`] stores (one transaction, one audit row);
//! a report workbook becomes the follow-up file that [`App::import_followup`] takes, with its
//! roles, closed periods and required comments. Every problem names the sheet and cell.

use crate::{Actor, App, AppError, FollowUpImported, PlanSelector, Problem, Role};
use styr_domain::followup::{EntryKind, ReportEntry, line_budget, target_of};
use styr_domain::ledger::Month;
use styr_domain::{Id, Plan};
use styr_excel::{
    ActionLine, AssignmentLine, Book, ControlLine, ExcelError, ForecastLine, GoalLine,
    IndicatorLine, Locations, PlanTables, REPORT_FILE, ReportLines, ReportTemplate, Reports,
    WorkbookKind,
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

pub(crate) fn excel_error(file_name: &str, error: ExcelError) -> AppError {
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
                let report = self.economy(&plan, period.month).await?;
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
            body: None,
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

    /// A unit's report for a period as a workbook to fill in: what the period asks of the unit
    /// ([`App::period_due`], the rule the web's reporting page and `styr followup due` use),
    /// with what is reported already.
    pub async fn report_template(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        period: Month,
        unit: &str,
    ) -> Result<Vec<u8>, AppError> {
        let unit_id = Id::parse(unit).map_err(|e| AppError::invalid("enhet", e.to_string()))?;
        let probe = self.load_plan(actor, selector).await?;
        if !probe.periods.iter().any(|p| p.month == period) {
            return Err(AppError::invalid(
                "period",
                format!("perioden {period} finns inte i uppföljningskalendern"),
            ));
        }
        if !actor.may_report_for(&probe, std::slice::from_ref(&unit_id)) {
            return Err(AppError::Forbidden(format!(
                "{} får inte rapportera för {unit}",
                actor.login
            )));
        }
        let due = self
            .period_due(actor, selector, Some(period), Some(&unit_id))
            .await?;
        let plan = &due.plan;
        let mut lines = ReportLines::default();
        for entry in &due.items {
            let item = &entry.item;
            let current = entry.current.as_ref().map(|c| c.report.entry.clone());
            match item.kind {
                EntryKind::Status => {
                    let assignment = plan
                        .assignments
                        .iter()
                        .find(|a| a.id.as_str() == item.subject);
                    let mut line = AssignmentLine {
                        id: item.subject.clone(),
                        code: assignment.and_then(|a| a.code.clone()).unwrap_or_default(),
                        title: assignment.map_or(item.label.clone(), |a| a.title.clone()),
                        ..AssignmentLine::default()
                    };
                    if let Some(ReportEntry::Status {
                        status, comment, ..
                    }) = current
                    {
                        line.status = Some(status);
                        line.comment = comment;
                    }
                    lines.assignments.push(line);
                }
                EntryKind::Outcome => {
                    let indicator = plan
                        .indicators
                        .iter()
                        .find(|i| i.id.as_str() == item.subject);
                    let mut line = IndicatorLine {
                        id: item.subject.clone(),
                        name: item.label.clone(),
                        unit: indicator.and_then(|i| i.unit.clone()).unwrap_or_default(),
                        target: indicator.and_then(|i| target_of(plan, &i.id, period.year())),
                        ..IndicatorLine::default()
                    };
                    if let Some(ReportEntry::Outcome {
                        value,
                        measured_on,
                        source,
                        comment,
                        ..
                    }) = current
                    {
                        line.outcome = Some(value);
                        line.measured_on = measured_on;
                        line.source = source;
                        line.comment = comment;
                    }
                    lines.indicators.push(line);
                }
                EntryKind::Assessment => {
                    let mut line = GoalLine {
                        id: item.subject.clone(),
                        title: item.label.clone(),
                        ..GoalLine::default()
                    };
                    if let Some(ReportEntry::Assessment {
                        assessment,
                        motivation,
                        ..
                    }) = current
                    {
                        line.assessment = Some(assessment);
                        line.motivation = Some(motivation);
                    }
                    lines.goals.push(line);
                }
                EntryKind::Forecast => {
                    let mut line = ForecastLine {
                        line: item.subject.clone(),
                        name: item.label.clone(),
                        budget: item
                            .line()
                            .and_then(|l| line_budget(plan, &l, period.year())),
                        ..ForecastLine::default()
                    };
                    if let Some(ReportEntry::Forecast {
                        amount,
                        comment,
                        action_plan,
                        ..
                    }) = current
                    {
                        line.forecast = Some(amount);
                        line.comment = comment;
                        line.action_plan = action_plan;
                    }
                    lines.forecasts.push(line);
                }
                EntryKind::Control => {
                    let mut line = ControlLine {
                        id: item.subject.clone(),
                        title: item.label.clone(),
                        ..ControlLine::default()
                    };
                    if let Some(ReportEntry::Control {
                        result,
                        light,
                        finding,
                        action,
                        ..
                    }) = current
                    {
                        line.result = Some(result);
                        line.light = Some(light);
                        line.finding = finding;
                        line.action = action;
                    }
                    lines.controls.push(line);
                }
                EntryKind::AuditAction => {
                    let mut line = ActionLine {
                        id: item.subject.clone(),
                        text: item.label.clone(),
                        ..ActionLine::default()
                    };
                    if let Some(ReportEntry::AuditAction {
                        status,
                        evidence,
                        comment,
                        ..
                    }) = current
                    {
                        line.status = Some(status);
                        line.evidence = evidence;
                        line.comment = comment;
                    }
                    lines.actions.push(line);
                }
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
            synthetic: plan
                .periods
                .iter()
                .any(|p| p.synthetic && p.month == period),
        };
        styr_excel::write_report_template(&template).map_err(|e| excel_error("", e))
    }
}
