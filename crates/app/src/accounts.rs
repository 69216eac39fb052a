//! The statutory follow-up of KF's budget (issue 22, items 2–3): the driftredovisning per
//! nämnd with KF's anslagsförändringar and the previous year's same period (the municipal
//! overview, [`App::municipal_overview`]), the investeringsredovisning per project, and god
//! ekonomisk hushållning assessed from figures with KF's stated judgement checked. The rules
//! are `styr_domain::geh`, `styr_reports::municipal` and `styr_reports::accounts`; this module
//! only loads the data and hands it to them.

use crate::{Actor, App, AppError, Finding};
use styr_domain::geh::{GehAssessment, GehFigures, assess};
use styr_domain::ledger::Month;
use styr_domain::number::MoneyUnit;
use styr_domain::{Id, Plan};
use styr_reports::ReportRow;
use styr_reports::RowKind;
use styr_reports::accounts::{
    EarlierLedgers, InvestmentAccounts, geh_budget_figures, geh_statement_figures,
    investment_accounts,
};
use styr_reports::accounts_ledger::{ExploitationAccounts, FinanceAccounts};
use styr_reports::municipal::{MunicipalOverview, is_council};
use styr_store::LedgerSource;

/// How many years before the period's the investeringsredovisning looks for ledgers.
const EARLIER_YEARS: i32 = 10;

/// The follow-up of a period the delårsrapport and the årsredovisning show beside the
/// statements.
#[derive(Debug, Clone)]
pub struct StatutoryAccounts {
    /// The municipality's overview: its `bodies` and `totals` are the driftredovisning per
    /// nämnd (R14) with anslagsförändringar and the previous year's same period.
    pub overview: MunicipalOverview,
    /// God ekonomisk hushållning; `None` without KF's budget in the database.
    pub geh: Option<GehAssessment>,
    /// The figures it was assessed from.
    pub geh_figures: GehFigures,
    /// The checker's findings on it (KF's stated judgement against the goals').
    pub geh_findings: Vec<Finding>,
    /// The investeringsredovisning of each body with an investment budget: (body, its name,
    /// the report).
    pub investments: Vec<(Id, String, InvestmentAccounts)>,
    /// Exploatering and finansförvaltning followed up against the ledger, per body that has them.
    pub exploitation: Vec<(Id, String, ExploitationAccounts)>,
    pub finance: Vec<(Id, String, FinanceAccounts)>,
}

impl App {
    /// The statutory follow-up of `period` for the municipality (`None`: the only one): the
    /// driftredovisning, the investeringsredovisning, exploatering and finansförvaltning, and
    /// god ekonomisk hushållning assessed from the financial statements of the period when the
    /// municipality's bokslut file is held ([`App::financial_statements`],
    /// [`styr_reports::accounts::geh_statement_figures`], basis outcome), else from KF's budget
    /// ([`styr_reports::accounts::geh_budget_figures`], basis budget). Other figures:
    /// [`App::geh_assessment`].
    pub async fn statutory_accounts(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        period: Month,
    ) -> Result<StatutoryAccounts, AppError> {
        let overview = self.municipal_overview(actor, municipality, period).await?;
        let plans = self
            .body_plans(actor, Some(overview.municipality.as_str()))
            .await?;
        // GEH from the statements when the municipality's bokslut file of the year is held,
        // else from KF's budget.
        let figures = match self
            .financial_statements(actor, Some(overview.municipality.as_str()), period)
            .await
        {
            // As the statements print them (whole tkr that add up), so that the figures the
            // assessment shows are BR's and RR's printed lines, not a tkr beside them.
            Ok(report) => geh_statement_figures(&report.in_whole(MoneyUnit::Tkr), &overview),
            Err(AppError::NotFound(_)) => geh_budget_figures(&overview, &plans),
            Err(error) => return Err(error),
        };
        let (geh, geh_findings) = geh_of(&plans, period, &figures)?;
        let mut investments = Vec::new();
        let mut exploitation = Vec::new();
        let mut finance = Vec::new();
        for plan in plans.iter().filter(|p| !is_council(p)) {
            let budget = &plan.budget;
            if budget.investment.is_absent()
                && budget.exploitation.rows.is_empty()
                && budget.finance.is_absent()
            {
                continue;
            }
            if !self.period_visible(actor, plan, period).await? {
                continue;
            }
            let name = plan
                .body(&plan.document.body)
                .map_or_else(|| plan.document.body.to_string(), |b| b.name.clone());
            let body = plan.document.body.clone();
            let (this_year, earlier) = self.ledger_years(plan, period).await?;
            if !budget.investment.is_absent() {
                // Made from its inputs as the tables print them (whole tkr), so that the
                // investeringsredovisning adds up as printed, across and down.
                let economy = self.economy(plan, period).await?.in_whole(MoneyUnit::Tkr);
                let ledgers = EarlierLedgers::from_amounts(&plan.ledger, &earlier, period)
                    .in_whole(MoneyUnit::Tkr);
                investments.push((
                    body.clone(),
                    name.clone(),
                    investment_accounts(plan, &economy, &ledgers),
                ));
            }
            if !budget.exploitation.rows.is_empty() {
                exploitation.push((
                    body.clone(),
                    name.clone(),
                    // As printed (whole tkr that add up), like the investments.
                    styr_reports::accounts_ledger::exploitation_accounts(
                        plan, period, &this_year, &earlier,
                    )
                    .in_whole(MoneyUnit::Tkr),
                ));
            }
            if !budget.finance.is_absent() {
                finance.push((
                    body.clone(),
                    name.clone(),
                    styr_reports::accounts_ledger::finance_accounts(
                        plan, period, &this_year, &earlier,
                    )
                    .in_whole(MoneyUnit::Tkr),
                ));
            }
        }
        Ok(StatutoryAccounts {
            overview,
            geh,
            geh_figures: figures,
            geh_findings,
            investments,
            exploitation,
            finance,
        })
    }

    /// God ekonomisk hushållning of `period` assessed from `figures` (e.g. the statements'),
    /// with the checker's findings on KF's stated judgement. `None` without KF's budget.
    pub async fn geh_assessment(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        period: Month,
        figures: &GehFigures,
    ) -> Result<(Option<GehAssessment>, Vec<Finding>), AppError> {
        let plans = self.body_plans(actor, municipality).await?;
        geh_of(&plans, period, figures)
    }

    /// The operating total of a body's budget vs actual for the same month a year earlier
    /// (R17); `None` when the ledger holds no booking of that year up to that month.
    pub(crate) async fn previous_operating_total(
        &self,
        plan: &Plan,
        period: Month,
    ) -> Result<Option<ReportRow>, AppError> {
        let Some(previous) = Month::new(period.year() - 1, period.month()) else {
            return Ok(None);
        };
        let report = self.economy(plan, previous).await?;
        if report.booked_months.iter().all(|m| *m > previous.month()) {
            return Ok(None);
        }
        // As the body's report of that period printed it (whole tkr), like the period's own.
        Ok(report
            .in_whole(MoneyUnit::Tkr)
            .rows
            .into_iter()
            .find(|row| row.kind == RowKind::OperatingTotal))
    }

    /// The ledger's booked amounts of the period's year and of the years before it.
    pub(crate) async fn ledger_years(
        &self,
        plan: &Plan,
        period: Month,
    ) -> Result<
        (
            std::sync::Arc<Vec<styr_domain::ledger::LedgerAmount>>,
            std::sync::Arc<Vec<styr_domain::ledger::LedgerAmount>>,
        ),
        AppError,
    > {
        let id = plan.municipality.id.as_str();
        let year = period.year();
        let month = |y: i32, m: u8| Month::new(y, m).unwrap_or(period);
        let this_year = self
            .ledger_amounts(id, LedgerSource::Actual, month(year, 1), month(year, 12))
            .await?;
        let earlier = self
            .ledger_amounts(
                id,
                LedgerSource::Actual,
                month(year - EARLIER_YEARS, 1),
                month(year - 1, 12),
            )
            .await?;
        Ok((this_year, earlier))
    }
}

/// GEH assessed from KF's plan among `plans` (with its package's locations, so that a finding
/// names the file and line of KF's stated judgement), with the checker's findings.
fn geh_of(
    plans: &[Plan],
    period: Month,
    figures: &GehFigures,
) -> Result<(Option<GehAssessment>, Vec<Finding>), AppError> {
    let Some(plan) = plans.iter().find(|p| p.council.is_some()) else {
        return Ok((None, Vec::new()));
    };
    let located = crate::as_package(plan)?;
    let Some(council) = located.council.as_ref() else {
        return Ok((None, Vec::new()));
    };
    let assessment = assess(council, period, figures);
    let findings = styr_checks::geh::check(&assessment);
    Ok((Some(assessment), findings))
}
