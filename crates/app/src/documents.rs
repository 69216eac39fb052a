//! Reports and documents: budget vs actual per period, the follow-up of a period (the
//! delårsrapport and the annual report), and the generated documents as HTML or PDF.

use crate::{Actor, App, AppError, PlanSelector};
use styr_domain::Plan;
use styr_domain::ledger::Month;
use styr_reports::{
    BalanceData, BudgetVsActual, PeriodReport, ReportKind, budget_vs_actual_of_balances,
    period_report,
};
use styr_store::{EntryFilter, LedgerSource};

/// The format of a generated document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentFormat {
    /// One self-contained HTML file.
    Html,
    /// A tagged A4 PDF.
    Pdf,
}

/// Budget vs actual for a period, with the plan it was computed from and the ledger files.
#[derive(Debug, Clone)]
pub struct BudgetReport {
    pub plan: Plan,
    pub report: BudgetVsActual,
    /// The ledger imports the actuals come from, as `FILE (COMPANY, YEAR)`.
    pub sources: Vec<String>,
}

impl App {
    /// Budget vs actual per period: the plan's budget, the ledger's actuals of the period's
    /// year up to it, and the forecasts reported for it.
    pub async fn budget_vs_actual(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        period: Month,
    ) -> Result<BudgetReport, AppError> {
        let plan = self.load_plan(actor, selector).await?;
        let report = self.economy(&plan, period).await?;
        let imports = self
            .store
            .ledger_imports(plan.municipality.id.as_str())
            .await?;
        let sources = imports
            .iter()
            .filter(|i| !i.statements)
            .map(|i| format!("{} ({}, {})", i.file_name, i.company, i.fiscal_year))
            .collect();
        Ok(BudgetReport {
            plan,
            report,
            sources,
        })
    }

    pub(crate) async fn economy(
        &self,
        plan: &Plan,
        period: Month,
    ) -> Result<BudgetVsActual, AppError> {
        let id = plan.municipality.id.as_str();
        let year = period.year();
        let actual = self
            .ledger_year_balances(id, LedgerSource::Actual, year, &plan.ledger)
            .await?;
        let budget = self
            .ledger_year_balances(id, LedgerSource::Budget, year, &plan.ledger)
            .await?;
        let forecasts = self
            .store
            .forecasts(styr_store::Owner::of(plan), period)
            .await?;
        Ok(budget_vs_actual_of_balances(
            plan,
            period,
            BalanceData {
                actual: &actual,
                budget: &budget,
                forecasts: &forecasts,
            },
        ))
    }

    /// The follow-up of a period of the calendar: economy, assignments, indicators, goal
    /// assessments and what needs attention.
    pub async fn period_report(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        period: Month,
    ) -> Result<(Plan, PeriodReport), AppError> {
        self.period_report_named(actor, selector, period, false)
            .await
    }

    /// [`App::period_report`]; with `named`, who reported is given by display name (a
    /// document is read by people; the login stays in the database and the API).
    pub(crate) async fn period_report_named(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        period: Month,
        named: bool,
    ) -> Result<(Plan, PeriodReport), AppError> {
        let (plan, mut entries) = self
            .reports(actor, selector, &EntryFilter::default())
            .await?;
        if named {
            let names = self.user_names(actor).await?;
            for entry in &mut entries {
                entry.reported_by = crate::users::display_name(&names, &entry.reported_by);
            }
        }
        let calendar_period = plan
            .periods
            .iter()
            .find(|p| p.month == period)
            .cloned()
            .ok_or_else(|| {
                AppError::NotFound(format!(
                    "perioden {period} finns inte i uppföljningskalendern"
                ))
            })?;
        // The public sees the follow-up of a closed period only: an open one is still a draft.
        if actor.role == crate::Role::Public
            && calendar_period.state == styr_domain::followup::PeriodState::Open
        {
            return Err(AppError::NotFound(format!(
                "{} är inte publicerad: perioden är öppen",
                calendar_period.title
            )));
        }
        let economy = self.economy(&plan, period).await?;
        let report = period_report(&plan, &plan.periods, &calendar_period, &entries, economy);
        Ok((plan, report))
    }
}

/// Renders the strategy-and-budget document of a plan.
pub fn render_plan(plan: &Plan, format: DocumentFormat) -> Result<Vec<u8>, AppError> {
    render_plan_traced(plan, format, None)
}

/// Renders the strategy-and-budget document with each traced figure a link to
/// `BASE/spar/…` (`styr_docgen::trace`); without a base (or, for a PDF, without an absolute
/// one) the figures are plain text, as [`render_plan`] gives them.
pub fn render_plan_traced(
    plan: &Plan,
    format: DocumentFormat,
    base: Option<&str>,
) -> Result<Vec<u8>, AppError> {
    Ok(match format {
        DocumentFormat::Html => styr_docgen::render_html_traced(plan, base).into_bytes(),
        DocumentFormat::Pdf => styr_docgen::render_pdf_traced(plan, base)?,
    })
}

impl App {
    /// A stored plan as the document shows it: with the locations of its package (so that
    /// notes name the file and line) and the municipality's Kolada values, which belong to the
    /// municipality rather than to the package.
    pub async fn document_plan(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
    ) -> Result<Plan, AppError> {
        let mut plan = self.load_plan_as_package(actor, selector).await?;
        plan.kolada_values = self
            .store
            .kolada_values(plan.municipality.id.as_str())
            .await?;
        Ok(plan)
    }

    /// The strategy-and-budget document of a stored plan ([`App::document_plan`]).
    pub async fn render_document(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        format: DocumentFormat,
    ) -> Result<Vec<u8>, AppError> {
        self.render_document_traced(actor, selector, format, None)
            .await
    }

    /// [`App::render_document`] with the figures linked to their traces under `base`
    /// ([`render_plan_traced`]).
    pub async fn render_document_traced(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        format: DocumentFormat,
        base: Option<&str>,
    ) -> Result<Vec<u8>, AppError> {
        render_plan_traced(&self.document_plan(actor, selector).await?, format, base)
    }

    /// The report of a follow-up period, of one of the kinds of [`styr_reports::kinds`] (the
    /// delårsrapport of an interim period, the annual report of the annual one). `kind` says
    /// which the reader asked for; a period of another kind is refused rather than rendered
    /// under the wrong title.
    /// A report whose data is not complete ([`styr_reports::Completeness`]: the ledger does not
    /// cover its months, or reports are missing) is rendered as preliminary, on its cover and in
    /// its tables, and [`RenderedReport::preliminary`] says why.
    pub async fn render_period_report(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        kind: &ReportKind,
        period: Month,
        format: DocumentFormat,
    ) -> Result<RenderedReport, AppError> {
        self.render_period_report_traced(actor, selector, kind, period, format, None)
            .await
    }

    /// [`App::render_period_report`] with the figures linked to their traces under `base`
    /// (the outcomes to the ledger behind them; `styr_docgen::trace`).
    pub async fn render_period_report_traced(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        kind: &ReportKind,
        period: Month,
        format: DocumentFormat,
        base: Option<&str>,
    ) -> Result<RenderedReport, AppError> {
        let (plan, report) = self
            .period_report_named(actor, selector, period, true)
            .await?;
        if report.period.kind != kind.period {
            return Err(AppError::invalid(
                "period",
                format!(
                    "{} är en {}, inte en {}",
                    report.period.title,
                    report.period.kind.label_sv(),
                    kind.name_sv
                ),
            ));
        }
        let bytes = match format {
            DocumentFormat::Html => {
                styr_docgen::render_period_report_html_traced(&plan, &report, base).into_bytes()
            }
            DocumentFormat::Pdf => {
                styr_docgen::render_period_report_pdf_traced(&plan, &report, base)?
            }
        };
        Ok(RenderedReport {
            bytes,
            preliminary: report.completeness.reason_sv(),
        })
    }
}

/// A rendered period report.
#[derive(Debug, Clone)]
pub struct RenderedReport {
    pub bytes: Vec<u8>,
    /// Why the report is preliminary (its data is not complete); `None`: it is complete.
    pub preliminary: Option<String>,
}
