//! The follow-up of KF's budget the law asks for beside the statements (issue 22, items 2–3):
//! the investeringsredovisning per project over its whole life (RKR R14), the previous year's
//! same period (R17), and the figures god ekonomisk hushållning is assessed from
//! (`styr_domain::geh`). The driftredovisning per nämnd is the municipal overview's
//! ([`crate::municipal`]); exploitation and finance are [`crate::accounts_ledger`]'s.
//!
//! The rules of the investeringsredovisning, once:
//!
//! - The projects are the investment budget's lines, in its order; a project's whole-life data
//!   (beslutad totalutgift, utfall t.o.m. a year as stated, reported beräknad totalutgift) come
//!   from `budget/investment_projects.csv` (`InvestmentProject`).
//! - **The year**: annual budget, outcome to date, full-year forecast and its deviation are the
//!   project's row of the plan's budget vs actual (nothing recomputed here).
//! - **Earlier years' outcome** = the stated outcome t.o.m. `outcome_until` + the outcome of
//!   every year after it and before the period's year in the ledgers held. Without a stated
//!   outcome, the ledgers held before the year. A year in between that no ledger covers is named
//!   ([`InvestmentAccount::missing_years`]) and the earlier outcome is then incomplete.
//! - **Utfall hittills** (to date) = earlier years' outcome + the year's outcome to date.
//! - **Beräknad totalutgift** = the reported one, else computed: earlier years' outcome + the
//!   year's forecast + the investment budget of the years after the period's year.
//! - **Avvikelse** = beslutad totalutgift − beräknad totalutgift (positive: under the decided
//!   total).
//! - **The previous year's same period**: the project's outcome in the ledger of the year
//!   before, months 1 to the period's month.
//! - Every total is the sum of the rows shown, column by column ([`sum_some`]).

use crate::budget_vs_actual::{BudgetVsActual, RowKind};
use crate::municipal::{MunicipalOverview, sum_some};
use std::collections::BTreeMap;
use styr_domain::geh::{GehBasis, GehFigures, GoalCounts};
use styr_domain::ledger::{Classification, LedgerAmount, LedgerMapping};
use styr_domain::number::MoneyUnit;
use styr_domain::{Id, Money, Month, Plan, Year};

/// Each project's outcome in one year's ledger, months 1 to `until_month`.
pub fn project_outcome(
    mapping: &LedgerMapping,
    amounts: &[LedgerAmount],
    year: Year,
    until_month: u8,
) -> BTreeMap<Id, Money> {
    let mut sums: BTreeMap<Id, Money> = BTreeMap::new();
    for amount in amounts
        .iter()
        .filter(|a| a.month.year() == year && a.month.month() <= until_month)
    {
        if let Classification::Investment { project, .. } = mapping.classify(
            &amount.account,
            amount.ansvar.as_deref(),
            amount.project.as_deref(),
        ) {
            let sum = sums.entry(project.clone()).or_insert(Money::ZERO);
            *sum = *sum + amount.amount;
        }
    }
    sums
}

/// The ledgers of earlier years the investeringsredovisning may use: per year, whether any
/// booking is held, and each project's full-year outcome.
#[derive(Debug, Clone, Default)]
pub struct EarlierLedgers {
    pub years: BTreeMap<Year, BTreeMap<Id, Money>>,
    /// The previous year's outcome per project, months 1 to the period's month (R17); `None`
    /// when no ledger of that year is held.
    pub previous_same_period: Option<BTreeMap<Id, Money>>,
}

impl EarlierLedgers {
    /// From the ledger amounts of the years before `period`'s year (any months): the years
    /// with at least one booking are held.
    pub fn from_amounts(mapping: &LedgerMapping, amounts: &[LedgerAmount], period: Month) -> Self {
        let mut years: BTreeMap<Year, BTreeMap<Id, Money>> = BTreeMap::new();
        for year in amounts
            .iter()
            .map(|a| a.month.year())
            .filter(|y| *y < period.year())
        {
            years
                .entry(year)
                .or_insert_with(|| project_outcome(mapping, amounts, year, 12));
        }
        let previous = period.year() - 1;
        let previous_same_period = years
            .contains_key(&previous)
            .then(|| project_outcome(mapping, amounts, previous, period.month()));
        EarlierLedgers {
            years,
            previous_same_period,
        }
    }
}

impl EarlierLedgers {
    /// Each project's outcome of each year in whole `unit`s, as a table prints it: the
    /// investeringsredovisning made from these and a report [`BudgetVsActual::in_whole`] adds
    /// up as printed (utfall hittills = tidigare år + årets utfall, the total the sum of the
    /// rows).
    pub fn in_whole(&self, unit: MoneyUnit) -> EarlierLedgers {
        let round = |outcomes: &BTreeMap<Id, Money>| -> BTreeMap<Id, Money> {
            outcomes
                .iter()
                .map(|(project, money)| (project.clone(), money.rounded_to(unit)))
                .collect()
        };
        EarlierLedgers {
            years: self
                .years
                .iter()
                .map(|(year, outcomes)| (*year, round(outcomes)))
                .collect(),
            previous_same_period: self.previous_same_period.as_ref().map(round),
        }
    }
}

/// One project of the investeringsredovisning.
/// What a project's utfall tidigare år is made of: the stated outcome up to a year, then each
/// later year before the period's from the ledgers held (`None`: no ledger of that year).
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierParts {
    /// Utfall t.o.m. the year, as stated in the plan.
    pub stated: Option<(Option<Year>, Money)>,
    pub years: Vec<(Year, Option<Money>)>,
}

impl EarlierParts {
    /// Utfall tidigare år: the stated outcome plus the years held; `None` when neither is.
    pub fn sum(&self) -> Option<Money> {
        self.years
            .iter()
            .filter_map(|(_, amount)| *amount)
            .fold(self.stated.map(|(_, m)| m), |sum, amount| {
                Some(sum.unwrap_or(Money::ZERO) + amount)
            })
    }
}

/// The parts of a project's utfall tidigare år (the one rule of [`investment_accounts`]): the
/// stated outcome up to `outcome_until`, then each year after it (or from the first ledger
/// year held) up to the year before `year`.
pub fn earlier_parts(
    whole: Option<&styr_domain::budget::InvestmentProject>,
    project: &Id,
    earlier: &EarlierLedgers,
    year: Year,
) -> EarlierParts {
    let from = whole
        .and_then(|w| w.outcome_until)
        .map(|until| until + 1)
        .or_else(|| earlier.years.keys().next().copied())
        .unwrap_or(year);
    EarlierParts {
        stated: whole.and_then(|w| w.outcome.map(|m| (w.outcome_until, m))),
        years: (from..year)
            .map(|y| {
                (
                    y,
                    earlier
                        .years
                        .get(&y)
                        .map(|outcome| outcome.get(project).copied().unwrap_or(Money::ZERO)),
                )
            })
            .collect(),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentAccount {
    pub project: Id,
    pub name: String,
    /// Beslutad totalutgift and its decision; `None` when the package gives none.
    pub decided_total: Option<Money>,
    pub decision: Option<Id>,
    /// The year: annual budget, outcome to date, forecast, annual budget − forecast.
    pub year_budget: Option<Money>,
    pub year_actual: Option<Money>,
    pub year_forecast: Option<Money>,
    pub year_forecast_computed: bool,
    pub year_deviation: Option<Money>,
    /// Utfall tidigare år: the stated outcome + the ledgers of the years after it.
    pub earlier: Option<Money>,
    /// Years between the stated outcome and the period's year without a ledger.
    pub missing_years: Vec<Year>,
    /// Utfall hittills: earlier + the year's outcome to date.
    pub to_date: Option<Money>,
    /// Beräknad totalutgift, and whether it is the reported one.
    pub forecast_total: Option<Money>,
    pub forecast_total_reported: bool,
    /// Beslutad − beräknad totalutgift.
    pub deviation: Option<Money>,
    /// The previous year's outcome of the same period (R17).
    pub previous_same_period: Option<Money>,
}

/// The investeringsredovisning of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentAccounts {
    pub period: Month,
    pub rows: Vec<InvestmentAccount>,
    /// The sums of the rows, column by column.
    pub total: InvestmentAccount,
}

/// The label of the total's row.
pub const INVESTMENT_TOTAL_LABEL: &str = "Summa investeringar";

/// The investeringsredovisning of `plan` for the period of `economy` (its budget vs actual),
/// with `earlier` the ledgers of the years before; the rules are the module's.
pub fn investment_accounts(
    plan: &Plan,
    economy: &BudgetVsActual,
    earlier: &EarlierLedgers,
) -> InvestmentAccounts {
    let period = economy.period;
    let year = period.year();
    let investment = &plan.budget.investment;
    let mut rows = Vec::new();
    for line in investment.lines() {
        let whole = investment.project(&line.id);
        let bva = economy.rows.iter().find(|row| {
            row.kind == RowKind::Project
                && matches!(&row.line, Some(styr_domain::ledger::BudgetLineRef::Investment { project }) if project == &line.id)
        });
        let year_budget = bva.and_then(|r| r.cell.budget()).map(|b| b.annual);
        let year_actual = bva.and_then(|r| r.cell.actual()).map(|a| a.to_date);
        let year_forecast = bva.and_then(|r| r.forecast).map(|(_, f)| f);
        // Earlier years: the stated outcome, then the ledgers of the years after it.
        let parts = earlier_parts(whole, &line.id, earlier, year);
        let missing_years: Vec<Year> = parts
            .years
            .iter()
            .filter(|(_, amount)| amount.is_none())
            .map(|(y, _)| *y)
            .collect();
        let earlier_sum = parts.sum();
        let to_date = match (earlier_sum, year_actual) {
            (None, None) => None,
            (e, a) => Some(e.unwrap_or(Money::ZERO) + a.unwrap_or(Money::ZERO)),
        };
        let later_budget: Money = line
            .amounts
            .iter()
            .filter(|(y, _)| **y > year)
            .map(|(_, amount)| *amount)
            .sum();
        let reported = whole.and_then(|w| w.forecast_total);
        let forecast_total = reported.or_else(|| {
            let this_year = year_forecast.or(year_budget)?;
            Some(earlier_sum.unwrap_or(Money::ZERO) + this_year + later_budget)
        });
        let decided_total = whole.map(|w| w.decided_total);
        rows.push(InvestmentAccount {
            project: line.id.clone(),
            name: line.name.clone(),
            decided_total,
            decision: whole.and_then(|w| w.decision.clone()),
            year_budget,
            year_actual,
            year_forecast,
            year_forecast_computed: bva.is_some_and(|r| r.forecast_computed),
            year_deviation: bva.and_then(|r| r.forecast_deviation),
            earlier: earlier_sum,
            missing_years,
            to_date,
            forecast_total,
            forecast_total_reported: reported.is_some(),
            deviation: decided_total.zip(forecast_total).map(|(d, f)| d - f),
            previous_same_period: earlier
                .previous_same_period
                .as_ref()
                .map(|outcome| outcome.get(&line.id).copied().unwrap_or(Money::ZERO)),
        });
    }
    let sum = |get: fn(&InvestmentAccount) -> Option<Money>| sum_some(rows.iter().map(get));
    let total = InvestmentAccount {
        project: Id::parse("summa").expect("an id"),
        name: INVESTMENT_TOTAL_LABEL.to_owned(),
        decided_total: sum(|r| r.decided_total),
        decision: None,
        year_budget: sum(|r| r.year_budget),
        year_actual: sum(|r| r.year_actual),
        year_forecast: sum(|r| r.year_forecast),
        year_forecast_computed: rows.iter().any(|r| r.year_forecast_computed),
        year_deviation: sum(|r| r.year_deviation),
        earlier: sum(|r| r.earlier),
        missing_years: Vec::new(),
        to_date: sum(|r| r.to_date),
        forecast_total: sum(|r| r.forecast_total),
        forecast_total_reported: rows.iter().all(|r| r.forecast_total_reported),
        deviation: sum(|r| r.deviation),
        previous_same_period: sum(|r| r.previous_same_period),
    };
    InvestmentAccounts {
        period,
        rows,
        total,
    }
}

/// The figures of god ekonomisk hushållning that exist before the statements: KF's budget for
/// the period's year (result as stated, skatteintäkter + generella statsbidrag), the net
/// investments as the bodies' investment budgets of the year (Σ of every plan's), and KF's goals'
/// rolled-up assessments from the overview. Depreciation and the balance sheet are left `None`
/// (the statements give them); basis: budget.
pub fn geh_budget_figures(overview: &MunicipalOverview, plans: &[Plan]) -> GehFigures {
    let year = overview.period.year();
    let council = plans.iter().find_map(|p| p.council.as_ref());
    let figures = council.and_then(|c| c.year(year));
    let investments = sum_some(plans.iter().map(|p| p.budget.investment.sum(year)));
    GehFigures {
        basis: Some(GehBasis::Budget),
        result: figures.map(|f| f.result),
        tax_and_grants: figures.map(|f| f.tax_revenue + f.grants),
        net_investments: investments,
        goals: (!overview.goals.is_empty())
            .then(|| GoalCounts::of(overview.goals.iter().map(|g| &g.rolled_up.overall))),
        ..GehFigures::default()
    }
}

/// The figures of god ekonomisk hushållning from the financial statements of the period
/// (`crate::statements`): årets resultat, skatteintäkter + generella statsbidrag, avskrivningar
/// and nettoinvesteringar (as positive amounts) from RR and KFA, eget kapital and totala
/// tillgångar from BR with the previous column beside them, and KF's goals' rolled-up
/// assessments from the overview. Basis: outcome. A row the statements lack is `None`. Given
/// the statements as printed (`StatementsReport::in_whole`), the figures are the printed lines.
pub fn geh_statement_figures(
    report: &crate::statements::StatementsReport,
    overview: &MunicipalOverview,
) -> GehFigures {
    let outcome = |id: &str| report.row(id).map(|row| row.outcome);
    let previous = |id: &str| report.row(id).and_then(|row| row.previous);
    let negated = |value: Option<Money>| value.map(|m| Money::ZERO - m);
    GehFigures {
        basis: Some(GehBasis::Outcome),
        result: outcome("rr.arets_resultat"),
        tax_and_grants: outcome("rr.skatteintakter")
            .zip(outcome("rr.statsbidrag"))
            .map(|(tax, grants)| tax + grants),
        depreciation: negated(outcome("rr.avskrivningar")),
        net_investments: negated(outcome("kfa.nettoinvesteringar")),
        equity: outcome("br.ek.summa"),
        total_assets: outcome("br.t.summa"),
        previous_equity: previous("br.ek.summa"),
        previous_total_assets: previous("br.t.summa"),
        goals: (!overview.goals.is_empty())
            .then(|| GoalCounts::of(overview.goals.iter().map(|g| &g.rolled_up.overall))),
    }
}
