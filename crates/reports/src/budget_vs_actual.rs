//! Budget vs actual per follow-up month: per budget line (and, under it, per organisational
//! unit) the annual budget, the budget accumulated to the month, the actual accumulated, the
//! deviation, and full-year forecasts by several methods.
//!
//! Definitions (all amounts exact öre; a division rounds half away from zero to the öre):
//!
//! - The **year** is the calendar year of the period; the months elapsed are 1 to the period's
//!   month. Ledger rows booked later in the year are left out and reported as [`LaterRows`].
//! - **Annual budget**: the plan's amount for the year on the line (operating line, or an
//!   investment project's budget-year column).
//! - **Budget to date**: the annual budget × the share of the year's profile up to the month.
//!   The profile is, in this order: the ledger's own #PBUDGET rows mapped to the line (their
//!   shape, not their level: the plan's annual budget is the budget), the plan's profile
//!   (`ledger/profiles.csv`), else an even spread (m/12). [`ProfileSource`] says which.
//! - **Actual to date**: the sum of the mapped ledger rows of the months elapsed. Net cost
//!   lines and ledger rows share a sign (debit = cost positive), so no sign is flipped.
//! - **Deviation** = budget to date − actual to date: positive is under budget (a surplus).
//! - **Forecast, run rate** = actual to date / months elapsed × 12.
//! - **Forecast, budget profile** = actual to date + (annual budget − budget to date): the rest
//!   of the year is assumed to go as budgeted.
//! - **Manual forecast**: entered by hand per line and month, where there is one.
//! - **A line's forecast** is the manual one when entered, else the budget-profile one
//!   (computed; [`ForecastMethod`] says which). **Forecast deviation** = annual budget − that
//!   forecast.
//!
//! - **Totals** (per table, the operating budget, the investments) are the sums of the figures
//!   their lines show, column by column: budgets, actuals, deviations, run rates, and the
//!   forecast, which is the sum of the lines' forecasts ([`ForecastMethod::LineSum`];
//!   [`ReportRow::forecast_computed`] says whether any of them is computed). A total's forecast
//!   deviation is the sum of its lines' (= its annual budget − that forecast when every line
//!   has both). Every output (CLI, web, API, Excel, documents) takes these figures from here.
//!
//! Cells say what they hold ([`Cell`]): a budgeted line with nothing booked has booked 0 (and
//! so a deviation and a forecast), as long as the ledger has any booking in the year up to the
//! period; with no ledger at all for those months it is `BudgetOnly` and shows no actual,
//! deviation or forecast. A unit under a line has actuals only, because
//! the plan budgets lines, not units. [`BudgetVsActual::booked_months`] says which months of
//! the year the ledger has bookings for, so that a report over months it does not cover can say
//! so ([`BudgetVsActual::uncovered_months`]). Rows that map nowhere are never dropped: they are listed
//! in [`BudgetVsActual::unmapped`] (account, objects, reason, rows, sum), and rows that a rule
//! excludes (the balance sheet) are summed in [`BudgetVsActual::excluded`].

use std::collections::{BTreeMap, HashMap};
use styr_domain::budget::RowKind as PlanRowKind;
use styr_domain::ledger::{
    BudgetLineRef, Classification, LedgerAmount, ManualForecast, Month, UnmappedReason,
};
use styr_domain::number::MoneyUnit;
use styr_domain::year_balance::{YearBalance, year_balances};
use styr_domain::{Id, Money, Plan, Year, code_enum};

code_enum!(
    /// Where a line's budget to date got its monthly shape.
    ProfileSource {
        /// The ledger's #PBUDGET rows for the line.
        Ledger => "pbudget",
        /// The plan's profile (`ledger/profiles.csv`).
        Plan => "plan",
        /// An even spread: a twelfth a month.
        Even => "even",
        /// A total over lines with different sources.
        Mixed => "mixed",
    }
);

code_enum!(
    /// How a full-year forecast was made.
    ForecastMethod {
        RunRate => "run_rate",
        BudgetProfile => "budget_profile",
        Manual => "manual",
        /// A total: the sum of its lines' forecasts.
        LineSum => "line_sum",
    }
);

code_enum!(
    /// What a row of the report is.
    RowKind {
        /// A budget line of an operating table.
        Line => "line",
        /// The part of the line above booked on one organisational unit.
        Unit => "unit",
        /// The sum of an operating table's lines.
        TableTotal => "table_total",
        /// The sum of the whole operating budget.
        OperatingTotal => "operating_total",
        /// An investment project.
        Project => "project",
        /// The sum of the investment budget.
        InvestmentTotal => "investment_total",
    }
);

code_enum!(
    /// The budget a row belongs to.
    Section { Operating => "operating", Investment => "investment" }
);

/// The budget side of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgeted {
    pub annual: Money,
    pub to_date: Money,
    pub profile: ProfileSource,
}

/// The actual side of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actual {
    pub to_date: Money,
    /// Ledger rows summed.
    pub rows: u64,
    /// Full-year forecast at the same rate: to date / months × 12.
    pub run_rate: Money,
}

/// What needs both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    /// Budget to date − actual to date (positive: under budget).
    pub deviation: Money,
    /// Actual to date + the budget of the rest of the year.
    pub budget_profile: Money,
}

/// The figures of a row: budget only, actual only, or both with their comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    BudgetOnly(Budgeted),
    ActualOnly(Actual),
    Both(Budgeted, Actual, Comparison),
}

impl Cell {
    fn new(budget: Option<Budgeted>, actual: Option<Actual>) -> Option<Cell> {
        match (budget, actual) {
            (Some(budget), Some(actual)) => Some(Cell::Both(
                budget,
                actual,
                Comparison {
                    deviation: budget.to_date - actual.to_date,
                    budget_profile: actual.to_date + (budget.annual - budget.to_date),
                },
            )),
            (Some(budget), None) => Some(Cell::BudgetOnly(budget)),
            (None, Some(actual)) => Some(Cell::ActualOnly(actual)),
            (None, None) => None,
        }
    }

    pub fn budget(&self) -> Option<&Budgeted> {
        match self {
            Cell::BudgetOnly(budget) | Cell::Both(budget, _, _) => Some(budget),
            Cell::ActualOnly(_) => None,
        }
    }

    pub fn actual(&self) -> Option<&Actual> {
        match self {
            Cell::ActualOnly(actual) | Cell::Both(_, actual, _) => Some(actual),
            Cell::BudgetOnly(_) => None,
        }
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        match self {
            Cell::Both(_, _, comparison) => Some(comparison),
            Cell::BudgetOnly(_) | Cell::ActualOnly(_) => None,
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRow {
    pub kind: RowKind,
    pub section: Section,
    /// The budget line of a line, unit or project row.
    pub line: Option<BudgetLineRef>,
    /// The operating table of a line, unit or table-total row.
    pub table: Option<Id>,
    /// The organisational unit of a unit row (`None` on the row for rows without a unit).
    pub unit: Option<Id>,
    pub label: String,
    pub cell: Cell,
    pub manual_forecast: Option<Money>,
    /// The forecast the deviation is measured on, and how it was made: a line's manual
    /// forecast, else its budget-profile one; a total's is the sum of its lines' forecasts.
    pub forecast: Option<(ForecastMethod, Money)>,
    /// Whether the forecast is computed rather than reported: a line's budget-profile
    /// forecast, or a total that sums at least one such line.
    pub forecast_computed: bool,
    /// Annual budget − the forecast (positive: a surplus for the year).
    pub forecast_deviation: Option<Money>,
}

/// Ledger rows that map to no budget line, summed per account, objects and reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnmappedRow {
    pub account: String,
    pub ansvar: Option<String>,
    pub project: Option<String>,
    pub reason: UnmappedReason,
    pub rows: u64,
    pub amount: Money,
}

/// Rows a rule excludes from the follow-up (the balance sheet), summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Excluded {
    pub rows: u64,
    pub amount: Money,
}

/// Rows booked in the year after the period (other than excluded ones): not part of this
/// report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LaterRows {
    pub rows: u64,
    pub amount: Money,
}

/// The report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetVsActual {
    pub period: Month,
    pub year: Year,
    /// Months elapsed: 1 to the period's month.
    pub months: u8,
    /// The months of the year (1–12, ascending) in which the ledger has any booked row, mapped
    /// or not, the period's later months included.
    pub booked_months: Vec<u8>,
    pub rows: Vec<ReportRow>,
    pub unmapped: Vec<UnmappedRow>,
    pub excluded: Excluded,
    pub later: LaterRows,
    /// The plan's calendar marks the period synthetic example data
    /// (`FollowUpPeriod::synthetic`): every output of this report says so.
    pub synthetic: bool,
}

impl BudgetVsActual {
    /// The months elapsed (1 to the period's month) in which the ledger has no booking: a
    /// report over them is not complete.
    pub fn uncovered_months(&self) -> Vec<u8> {
        (1..=self.months)
            .filter(|month| !self.booked_months.contains(month))
            .collect()
    }

    /// The sum of the unmapped rows.
    pub fn unmapped_total(&self) -> (u64, Money) {
        self.unmapped
            .iter()
            .fold((0, Money::ZERO), |(rows, amount), row| {
                (rows + row.rows, amount + row.amount)
            })
    }
}

impl BudgetVsActual {
    /// A report as a table in whole units shows it (tkr on the web, in the CLI's text and in the
    /// documents): every figure a whole `unit`, and the table adds up as printed.
    ///
    /// - A line's (or project's) budgets, actual, run rate and manual forecast are its exact
    ///   figures rounded once, half away from zero.
    /// - What a line derives is derived again from those rounded figures by the same rules
    ///   ([`row_of`]): its deviation, its budget-profile forecast and its forecast deviation, so a
    ///   row's "Budget ack − Utfall ack" is its shown "Avvikelse".
    /// - A line's "varav" rows (its units) share out the line's rounded actual and run rate by the
    ///   largest remainder: each within one unit of its exact figure, and they add up to the line.
    /// - Totals are the sums of the rounded lines they sum ([`Totals`]), never rounded themselves.
    ///
    /// The rows outside the table (unmapped, excluded, later) stay exact: each is printed on its
    /// own, rounded when printed.
    ///
    /// The exact report (öre) stays the one the API, the workbook and the open data give.
    pub fn in_whole(&self, unit: MoneyUnit) -> BudgetVsActual {
        let round = |money: Money| money.rounded_to(unit);
        let mut rows: Vec<ReportRow> = Vec::with_capacity(self.rows.len());
        let mut exact = self.rows.iter().peekable();
        while let Some(row) = exact.next() {
            match row.kind {
                RowKind::Line | RowKind::Project | RowKind::Unit => {
                    let budget = row.cell.budget().map(|budget| Budgeted {
                        annual: round(budget.annual),
                        to_date: round(budget.to_date),
                        profile: budget.profile,
                    });
                    let actual = row.cell.actual().map(|actual| Actual {
                        to_date: round(actual.to_date),
                        rows: actual.rows,
                        run_rate: round(actual.run_rate),
                    });
                    let Some(cell) = Cell::new(budget, actual) else {
                        continue;
                    };
                    let line = row_of(head_of(row), cell, row.manual_forecast.map(round));
                    let mut units = Vec::new();
                    while let Some(varav) = exact.next_if(|next| next.kind == RowKind::Unit) {
                        units.push(varav);
                    }
                    rows.push(line.clone());
                    rows.extend(share_out(&line, &units, unit));
                }
                RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal => {
                    let mut totals = Totals::default();
                    for line in rows.iter().filter(|line| match row.kind {
                        RowKind::TableTotal => {
                            line.kind == RowKind::Line && line.table == row.table
                        }
                        RowKind::OperatingTotal => line.kind == RowKind::Line,
                        _ => line.kind == RowKind::Project,
                    }) {
                        totals.add(line);
                    }
                    rows.extend(totals.row(
                        row.kind,
                        row.section,
                        row.table.clone(),
                        row.label.clone(),
                    ));
                }
            }
        }
        BudgetVsActual {
            rows,
            ..self.clone()
        }
    }
}

fn head_of(row: &ReportRow) -> Head {
    Head {
        kind: row.kind,
        section: row.section,
        line: row.line.clone(),
        table: row.table.clone(),
        unit: row.unit.clone(),
        label: row.label.clone(),
    }
}

/// A line's unit rows in whole units that add up to the line's rounded actual and run rate.
fn share_out(line: &ReportRow, units: &[&ReportRow], unit: MoneyUnit) -> Vec<ReportRow> {
    let actuals: Vec<Actual> = units
        .iter()
        .filter_map(|u| u.cell.actual().copied())
        .collect();
    let (Some(total), true) = (line.cell.actual(), actuals.len() == units.len()) else {
        // Cannot happen: a unit row is a share of its line's actual.
        return units.iter().map(|row| rounded_unit(row, unit)).collect();
    };
    let to_date = whole_shares(
        &actuals.iter().map(|a| a.to_date).collect::<Vec<_>>(),
        total.to_date,
        unit,
    );
    let run_rate = whole_shares(
        &actuals.iter().map(|a| a.run_rate).collect::<Vec<_>>(),
        total.run_rate,
        unit,
    );
    units
        .iter()
        .zip(actuals.iter().zip(to_date.into_iter().zip(run_rate)))
        .map(|(row, (actual, (to_date, run_rate)))| {
            let cell = Cell::ActualOnly(Actual {
                to_date,
                rows: actual.rows,
                run_rate,
            });
            row_of(head_of(row), cell, None)
        })
        .collect()
}

fn rounded_unit(row: &ReportRow, unit: MoneyUnit) -> ReportRow {
    let actual = row.cell.actual().map(|actual| Actual {
        to_date: actual.to_date.rounded_to(unit),
        rows: actual.rows,
        run_rate: actual.run_rate.rounded_to(unit),
    });
    let cell = Cell::new(None, actual).unwrap_or(row.cell);
    row_of(head_of(row), cell, None)
}

pub use styr_domain::number::whole_shares;

/// The ledger data a report is made from.
#[derive(Debug, Clone, Copy)]
pub struct LedgerData<'a> {
    /// Booked amounts per month (any months: the report takes those of its year).
    pub actual: &'a [LedgerAmount],
    /// The ledger's #PBUDGET amounts per month.
    pub budget: &'a [LedgerAmount],
    /// Manual forecasts of the period.
    pub forecasts: &'a [ManualForecast],
}

#[derive(Debug, Clone, Default)]
struct Booked {
    amount: i128,
    rows: u64,
}

impl Booked {
    fn join(&mut self, other: &Booked) {
        self.amount += other.amount;
        self.rows += other.rows;
    }
}

#[derive(Debug, Default)]
struct LineActuals {
    total: Booked,
    by_unit: BTreeMap<Option<Id>, Booked>,
}

/// `value × numerator / denominator`, rounded half away from zero; saturating.
fn scale(value: i128, numerator: i128, denominator: i128) -> Money {
    if denominator == 0 {
        return Money::ZERO;
    }
    let product = value.saturating_mul(numerator);
    let (quotient, remainder) = (product / denominator, product % denominator);
    let rounded = if remainder.abs().saturating_mul(2) >= denominator.abs() {
        quotient
            + if (product < 0) == (denominator < 0) {
                1
            } else {
                -1
            }
    } else {
        quotient
    };
    Money::from_ore(i64::try_from(rounded).unwrap_or(if rounded < 0 { i64::MIN } else { i64::MAX }))
}

fn money(value: i128) -> Money {
    scale(value, 1, 1)
}

/// What a row is, before its figures.
struct Head {
    kind: RowKind,
    section: Section,
    line: Option<BudgetLineRef>,
    table: Option<Id>,
    unit: Option<Id>,
    label: String,
}

struct Builder<'a> {
    plan: &'a Plan,
    year: Year,
    months: u8,
    /// Whether the ledger has any booking in the months elapsed: then a budgeted line with
    /// nothing booked has booked 0.
    ledger_present: bool,
    actuals: HashMap<BudgetLineRef, LineActuals>,
    ledger_profiles: HashMap<BudgetLineRef, [i128; 12]>,
    forecasts: HashMap<&'a BudgetLineRef, Money>,
    rows: Vec<ReportRow>,
}

/// The ledger data of a report as year balances: what the store keeps at import.
#[derive(Debug, Clone, Copy)]
pub struct BalanceData<'a> {
    /// Booked amounts per key and year (any years: the report takes its own). A key may come
    /// more than once (one per ledger file): the report adds them up. The project may be
    /// left out (`None`) of a key whose first matching rule is neither `inv` nor `expl`
    /// ([`styr_domain::rule_index::RuleIndex::needs_project`]): nothing else looks at it.
    pub actual: &'a [YearBalance],
    /// The ledger's #PBUDGET amounts, the same way.
    pub budget: &'a [YearBalance],
    /// Manual forecasts of the period.
    pub forecasts: &'a [ManualForecast],
}

/// Builds the report per `period` from the plan (its budget and its ledger mapping) and ledger
/// data; see the module documentation for the definitions.
pub fn budget_vs_actual(plan: &Plan, period: Month, ledger: LedgerData<'_>) -> BudgetVsActual {
    let year = period.year();
    let in_year = |amounts: &[LedgerAmount]| -> Vec<LedgerAmount> {
        amounts
            .iter()
            .filter(|a| a.month.year() == year)
            .cloned()
            .collect()
    };
    let actual = year_balances(&in_year(ledger.actual));
    let budget = year_balances(&in_year(ledger.budget));
    budget_vs_actual_of_balances(
        plan,
        period,
        BalanceData {
            actual: &actual,
            budget: &budget,
            forecasts: ledger.forecasts,
        },
    )
}

/// [`budget_vs_actual`] from year balances: the same report, read from the monthly balances
/// the store keeps instead of every monthly sum.
pub fn budget_vs_actual_of_balances(
    plan: &Plan,
    period: Month,
    ledger: BalanceData<'_>,
) -> BudgetVsActual {
    let (year, months) = (period.year(), period.month());
    let index = plan.ledger.index();
    let mut actuals: HashMap<BudgetLineRef, LineActuals> = HashMap::new();
    let mut unmapped: BTreeMap<(String, Option<String>, Option<String>, UnmappedReason), Booked> =
        BTreeMap::new();
    let mut excluded = Booked::default();
    let mut later = Booked::default();
    let mut booked_mask = 0u16;
    for balance in ledger.actual.iter().filter(|b| b.year == year) {
        booked_mask |= balance.months;
        let classification = index.classify(
            &balance.account,
            balance.ansvar.as_deref(),
            balance.project.as_deref(),
        );
        // Exploitation and finance rows are followed up in their own reports
        // (`accounts_ledger`), not in the operating and investment budget vs actual.
        if matches!(
            classification,
            Classification::Exploitation { .. } | Classification::Finance { .. }
        ) {
            continue;
        }
        let (after, after_rows, _) = balance.span(months + 1, 12);
        if !matches!(classification, Classification::Excluded { .. }) {
            later.amount += after;
            later.rows += after_rows;
        }
        let (amount, rows, booked) = balance.span(1, months);
        if !booked {
            continue;
        }
        let to_date = Booked { amount, rows };
        let (line, unit) = match classification {
            Classification::Operating { table, line, unit } => (
                BudgetLineRef::Operating {
                    table: table.clone(),
                    line: line.clone(),
                },
                unit,
            ),
            // The project list also maps objects to exploitation rows (for `expl` rules): such
            // an object under an `inv` rule is no investment project.
            Classification::Investment { project, .. }
                if !plan.budget.investment.project_line(project) =>
            {
                let key = (
                    balance.account.clone(),
                    balance.ansvar.clone(),
                    balance.project.clone(),
                    UnmappedReason::UnknownProject,
                );
                unmapped.entry(key).or_default().join(&to_date);
                continue;
            }
            Classification::Investment { project, unit } => (
                BudgetLineRef::Investment {
                    project: project.clone(),
                },
                unit,
            ),
            Classification::Excluded { .. } => {
                excluded.join(&to_date);
                continue;
            }
            Classification::Exploitation { .. } | Classification::Finance { .. } => continue,
            Classification::Unmapped(reason) => {
                // No rule looks at the project of a key no rule matches: it is left out, so
                // that a key is one unmapped row whatever projects its rows carry.
                let project = match reason {
                    UnmappedReason::NoRule => None,
                    UnmappedReason::NoProject | UnmappedReason::UnknownProject => {
                        balance.project.clone()
                    }
                };
                let key = (
                    balance.account.clone(),
                    balance.ansvar.clone(),
                    project,
                    reason,
                );
                unmapped.entry(key).or_default().join(&to_date);
                continue;
            }
        };
        let entry = actuals.entry(line).or_default();
        entry.total.join(&to_date);
        entry
            .by_unit
            .entry(unit.cloned())
            .or_default()
            .join(&to_date);
    }
    let mut ledger_profiles: HashMap<BudgetLineRef, [i128; 12]> = HashMap::new();
    for balance in ledger.budget.iter().filter(|b| b.year == year) {
        let line = match index.classify(
            &balance.account,
            balance.ansvar.as_deref(),
            balance.project.as_deref(),
        ) {
            Classification::Operating { table, line, .. } => BudgetLineRef::Operating {
                table: table.clone(),
                line: line.clone(),
            },
            Classification::Investment { project, .. } => BudgetLineRef::Investment {
                project: project.clone(),
            },
            Classification::Excluded { .. }
            | Classification::Unmapped(_)
            | Classification::Exploitation { .. }
            | Classification::Finance { .. } => continue,
        };
        let profile = ledger_profiles.entry(line).or_insert([0; 12]);
        for (month, amount) in profile.iter_mut().zip(balance.amounts) {
            *month += amount;
        }
    }
    let forecasts = ledger
        .forecasts
        .iter()
        .filter(|forecast| forecast.period == period)
        .map(|forecast| (&forecast.line, forecast.amount))
        .collect();
    let booked_months: Vec<u8> = (1..=12u8)
        .filter(|month| booked_mask & (1 << (month - 1)) != 0)
        .collect();
    let mut builder = Builder {
        plan,
        year,
        months,
        ledger_present: booked_months.iter().any(|month| *month <= months),
        actuals,
        ledger_profiles,
        forecasts,
        rows: Vec::new(),
    };
    builder.operating();
    builder.investment();
    builder.leftovers();
    let synthetic = plan
        .periods
        .iter()
        .any(|p| p.synthetic && p.month == period);
    BudgetVsActual {
        period,
        year,
        months,
        booked_months,
        synthetic,
        rows: builder.rows,
        unmapped: unmapped
            .into_iter()
            .map(|((account, ansvar, project, reason), booked)| UnmappedRow {
                account,
                ansvar,
                project,
                reason,
                rows: booked.rows,
                amount: money(booked.amount),
            })
            .collect(),
        excluded: Excluded {
            rows: excluded.rows,
            amount: money(excluded.amount),
        },
        later: LaterRows {
            rows: later.rows,
            amount: money(later.amount),
        },
    }
}

/// Sums of the rows of a total.
#[derive(Default)]
struct Totals {
    annual: i128,
    to_date: i128,
    profiles: Vec<ProfileSource>,
    budgeted: bool,
    actual: i128,
    rows: u64,
    run_rate: i128,
    booked: bool,
    /// The sum of the lines' forecasts, if any line has one.
    forecast: Option<i128>,
    forecast_computed: bool,
    /// The sum of the lines' forecast deviations, if any line has one.
    forecast_deviation: Option<i128>,
}

impl Totals {
    /// Adds a line's row (its cell and its forecast).
    fn add(&mut self, row: &ReportRow) {
        if let Some((_, forecast)) = row.forecast {
            *self.forecast.get_or_insert(0) += i128::from(forecast.ore());
            self.forecast_computed |= row.forecast_computed;
        }
        if let Some(deviation) = row.forecast_deviation {
            *self.forecast_deviation.get_or_insert(0) += i128::from(deviation.ore());
        }
        let cell = &row.cell;
        if let Some(budget) = cell.budget() {
            self.annual += i128::from(budget.annual.ore());
            self.to_date += i128::from(budget.to_date.ore());
            if !self.profiles.contains(&budget.profile) {
                self.profiles.push(budget.profile);
            }
            self.budgeted = true;
        }
        if let Some(actual) = cell.actual() {
            self.actual += i128::from(actual.to_date.ore());
            self.rows += actual.rows;
            self.run_rate += i128::from(actual.run_rate.ore());
            self.booked = true;
        }
    }
}

impl Totals {
    /// The total's row: the sums column by column, its forecast the sum of its lines'
    /// ([`ForecastMethod::LineSum`]); `None` when no line had a budget or an actual.
    fn row(
        &self,
        kind: RowKind,
        section: Section,
        table: Option<Id>,
        label: String,
    ) -> Option<ReportRow> {
        let budget = self.budgeted.then(|| Budgeted {
            annual: money(self.annual),
            to_date: money(self.to_date),
            profile: match self.profiles.as_slice() {
                [one] => *one,
                _ => ProfileSource::Mixed,
            },
        });
        let actual = self.booked.then(|| Actual {
            to_date: money(self.actual),
            rows: self.rows,
            // The sum of the lines' run rates (each rounded to the öre), so the column adds up.
            run_rate: money(self.run_rate),
        });
        let cell = Cell::new(budget, actual)?;
        Some(ReportRow {
            kind,
            section,
            line: None,
            table,
            unit: None,
            label,
            cell,
            manual_forecast: None,
            // The sums of the lines' forecasts and forecast deviations, so that both columns
            // add up even where a line shows none.
            forecast: self
                .forecast
                .map(|sum| (ForecastMethod::LineSum, money(sum))),
            forecast_computed: self.forecast_computed,
            forecast_deviation: self.forecast_deviation.map(money),
        })
    }
}

/// The total of rows shown together (another report's totals, e.g. every body's operating
/// total in the municipality's driftredovisning): each column the sum of the rows', the
/// forecast the sum of their forecasts, by the same rule as the totals of one report. `None`
/// when no row has a budget or an actual.
pub fn total_of<'a>(
    kind: RowKind,
    section: Section,
    label: impl Into<String>,
    rows: impl IntoIterator<Item = &'a ReportRow>,
) -> Option<ReportRow> {
    let mut totals = Totals::default();
    for row in rows {
        totals.add(row);
    }
    totals.row(kind, section, None, label.into())
}

/// A line's or a unit's row: its forecast is the manual one when there is one, else the
/// budget-profile one of its cell; its forecast deviation the annual budget − that forecast.
fn row_of(head: Head, cell: Cell, manual_forecast: Option<Money>) -> ReportRow {
    let Head {
        kind,
        section,
        line,
        table,
        unit,
        label,
    } = head;
    let (forecast, forecast_computed) = match (manual_forecast, cell.comparison()) {
        (Some(manual), _) => (Some((ForecastMethod::Manual, manual)), false),
        (None, Some(comparison)) => (
            Some((ForecastMethod::BudgetProfile, comparison.budget_profile)),
            true,
        ),
        (None, None) => (None, false),
    };
    let forecast_deviation = cell
        .budget()
        .zip(forecast)
        .map(|(budget, (_, forecast))| budget.annual - forecast);
    ReportRow {
        kind,
        section,
        line,
        table,
        unit,
        label,
        cell,
        manual_forecast,
        forecast,
        forecast_computed,
        forecast_deviation,
    }
}

impl Builder<'_> {
    fn actual(&self, booked: &Booked) -> Actual {
        Actual {
            to_date: money(booked.amount),
            rows: booked.rows,
            run_rate: scale(booked.amount, 12, i128::from(self.months)),
        }
    }

    fn budgeted(&self, line: &BudgetLineRef, annual: Money) -> Budgeted {
        let elapsed = usize::from(self.months);
        let shaped = |weights: &[i128; 12]| {
            let total: i128 = weights.iter().sum();
            (total != 0).then(|| {
                let so_far: i128 = weights[..elapsed].iter().sum();
                scale(i128::from(annual.ore()), so_far, total)
            })
        };
        let from_ledger = self.ledger_profiles.get(line).and_then(shaped);
        let from_plan = || {
            let profile = self.plan.ledger.profile(line)?;
            shaped(&profile.weights.map(i128::from))
        };
        let (to_date, profile) = match (from_ledger, from_plan()) {
            (Some(to_date), _) => (to_date, ProfileSource::Ledger),
            (None, Some(to_date)) => (to_date, ProfileSource::Plan),
            (None, None) => (
                scale(i128::from(annual.ore()), i128::from(self.months), 12),
                ProfileSource::Even,
            ),
        };
        Budgeted {
            annual,
            to_date,
            profile,
        }
    }

    /// Pushes a line's or a unit's row with its forecast (a total's row is [`Totals::row`]).
    fn push(&mut self, head: Head, cell: Cell) {
        let manual_forecast = head
            .line
            .as_ref()
            .filter(|_| head.kind != RowKind::Unit)
            .and_then(|line| self.forecasts.get(line).copied());
        self.rows.push(row_of(head, cell, manual_forecast));
    }

    /// A line's row and its unit rows; returns the line's row for the totals.
    fn line(
        &mut self,
        section: Section,
        line: BudgetLineRef,
        table: Option<Id>,
        label: &str,
        annual: Option<Money>,
    ) -> Option<ReportRow> {
        let booked = self.actuals.remove(&line);
        let budget = annual.map(|annual| self.budgeted(&line, annual));
        // Nothing booked on a budgeted line is 0 booked (when there is a ledger to look in).
        let actual = match &booked {
            Some(booked) => Some(self.actual(&booked.total)),
            None => {
                (budget.is_some() && self.ledger_present).then(|| self.actual(&Booked::default()))
            }
        };
        let cell = Cell::new(budget, actual)?;
        let kind = match section {
            Section::Operating => RowKind::Line,
            Section::Investment => RowKind::Project,
        };
        let head = Head {
            kind,
            section,
            line: Some(line.clone()),
            table: table.clone(),
            unit: None,
            label: label.to_owned(),
        };
        self.push(head, cell);
        let row = self.rows.last().cloned();
        if let Some(booked) = booked
            && booked.by_unit.keys().any(Option::is_some)
        {
            let mut units: Vec<(Option<Id>, Booked)> = booked.by_unit.into_iter().collect();
            let position = |unit: &Option<Id>| {
                unit.as_ref().map_or(usize::MAX, |unit| {
                    self.plan
                        .units
                        .iter()
                        .position(|u| &u.id == unit)
                        .unwrap_or(usize::MAX - 1)
                })
            };
            units.sort_by_key(|(unit, _)| position(unit));
            for (unit, booked) in units {
                let name = match &unit {
                    Some(unit) => self
                        .plan
                        .units
                        .iter()
                        .find(|u| &u.id == unit)
                        .map_or_else(|| unit.to_string(), |u| u.name.clone()),
                    None => "(ingen enhet)".to_owned(),
                };
                let cell = Cell::ActualOnly(self.actual(&booked));
                let head = Head {
                    kind: RowKind::Unit,
                    section,
                    line: Some(line.clone()),
                    table: table.clone(),
                    unit,
                    label: name,
                };
                self.push(head, cell);
            }
        }
        row
    }

    fn total(
        &mut self,
        kind: RowKind,
        section: Section,
        table: Option<Id>,
        label: String,
        totals: &Totals,
    ) {
        if let Some(row) = totals.row(kind, section, table, label) {
            self.rows.push(row);
        }
    }

    fn operating(&mut self) {
        let plan = self.plan;
        let mut all = Totals::default();
        for table in plan.budget.operating.iter().filter(|t| !t.summary) {
            let mut totals = Totals::default();
            for row in table.rows.iter().filter(|r| r.kind == PlanRowKind::Line) {
                let line = BudgetLineRef::Operating {
                    table: table.id.clone(),
                    line: row.id.clone(),
                };
                let annual = row.amounts.get(&self.year).copied();
                if let Some(line_row) = self.line(
                    Section::Operating,
                    line,
                    Some(table.id.clone()),
                    &row.name,
                    annual,
                ) {
                    totals.add(&line_row);
                    all.add(&line_row);
                }
            }
            let title = table
                .title
                .rsplit_once(" (")
                .map_or(table.title.as_str(), |(title, _)| title);
            self.total(
                RowKind::TableTotal,
                Section::Operating,
                Some(table.id.clone()),
                format!("Summa {}", title.to_lowercase()),
                &totals,
            );
        }
        self.total(
            RowKind::OperatingTotal,
            Section::Operating,
            None,
            "Summa driftbudget".to_owned(),
            &all,
        );
    }

    fn investment(&mut self) {
        let plan = self.plan;
        let mut totals = Totals::default();
        for row in plan.budget.investment.lines() {
            let line = BudgetLineRef::Investment {
                project: row.id.clone(),
            };
            let annual = row.amounts.get(&self.year).copied();
            if let Some(line_row) = self.line(Section::Investment, line, None, &row.name, annual) {
                totals.add(&line_row);
            }
        }
        self.total(
            RowKind::InvestmentTotal,
            Section::Investment,
            None,
            "Summa investeringar".to_owned(),
            &totals,
        );
    }

    /// Lines the ledger maps to that the plan's tables did not list (cannot happen with a
    /// checked plan): shown rather than dropped.
    fn leftovers(&mut self) {
        let mut lines: Vec<BudgetLineRef> = self.actuals.keys().cloned().collect();
        lines.sort();
        for line in lines {
            let section = match line {
                BudgetLineRef::Operating { .. } => Section::Operating,
                BudgetLineRef::Investment { .. } => Section::Investment,
            };
            let label = line.to_string();
            self.line(section, line, None, &label, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_shares_add_up_to_the_total() {
        let tkr = |ore: &[i64]| ore.iter().map(|o| Money::from_ore(*o)).collect::<Vec<_>>();
        let shares = |parts: &[i64], total: i64| {
            whole_shares(&tkr(parts), Money::from_ore(total), MoneyUnit::Tkr)
                .into_iter()
                .map(Money::ore)
                .collect::<Vec<_>>()
        };
        // 1,4 + 1,4 + 1,4 = 4,2 → 4: the first two of the equal remainders get the unit.
        assert_eq!(
            shares(&[140_000, 140_000, 140_000], 400_000),
            [200_000, 100_000, 100_000]
        );
        // Negative parts round down (toward −∞) before the remainders are given out.
        assert_eq!(shares(&[-140_000, 290_000], 200_000), [-100_000, 300_000]);
        // A total printed from other rounded figures, one unit off the parts' exact sum.
        assert_eq!(shares(&[140_000, 140_000], 200_000), [100_000, 100_000]);
        assert_eq!(shares(&[160_000, 160_000], 200_000), [100_000, 100_000]);
        assert_eq!(shares(&[100_000, 100_000], 400_000), [200_000, 200_000]);
        assert_eq!(shares(&[], 0), Vec::<i64>::new());
    }

    #[test]
    fn scaling_rounds_half_away_from_zero() {
        assert_eq!(scale(100, 1, 3), Money::from_ore(33));
        assert_eq!(scale(5, 1, 2), Money::from_ore(3));
        assert_eq!(scale(-5, 1, 2), Money::from_ore(-3));
        assert_eq!(scale(-4, 1, 3), Money::from_ore(-1));
        assert_eq!(scale(7, 12, 10), Money::from_ore(8));
        assert_eq!(scale(1, 1, 0), Money::ZERO);
    }
}
