//! The budget as open data: one row per budget line and year with its expenditure and revenue,
//! classified administratively (the body and unit that answer for the line) and economically
//! (the Kommun-Bas account or account group, where the plan's ledger mapping names one), for a
//! Fiscal Data Package. Pure data; writing the package (CSV + datapackage.json) is the front
//! end's.
//!
//! Phase: the plan's budget version (proposal → proposed, decided → approved, adjusted →
//! adjusted). Direction: an operating line is a net cost (expenditure; a negative one is net
//! revenue), an investment is expenditure, a finance row's income is revenue and its cost
//! expenditure (its net only when it has neither). Amounts are positive, in tkr as the tables
//! print them. The years are the document's budget years. Exploitation is not included: its
//! rows are one year's project balances with their own sign convention, not a budget line.

use crate::budget_vs_actual::{BudgetVsActual, Cell, RowKind as ReportRowKind};
use styr_domain::budget::{Measure, RowKind, VersionKind};
use styr_domain::ledger::{Month, RuleTarget};
use styr_domain::{Id, Money, Plan, Year};

/// proposed | approved | adjusted | executed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Proposed,
    Approved,
    Adjusted,
    Executed,
}

impl Phase {
    pub fn code(self) -> &'static str {
        match self {
            Phase::Proposed => "proposed",
            Phase::Approved => "approved",
            Phase::Adjusted => "adjusted",
            Phase::Executed => "executed",
        }
    }

    pub fn of_version(kind: VersionKind) -> Phase {
        match kind {
            VersionKind::Proposal => Phase::Proposed,
            VersionKind::Decided => Phase::Approved,
            VersionKind::Adjusted => Phase::Adjusted,
        }
    }
}

/// expenditure | revenue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FiscalDirection {
    Expenditure,
    Revenue,
}

impl FiscalDirection {
    pub fn code(self) -> &'static str {
        match self {
            FiscalDirection::Expenditure => "expenditure",
            FiscalDirection::Revenue => "revenue",
        }
    }
}

/// One row of the package's data: one budget line and year, with its expenditure and its
/// revenue (a finance row has both; most lines one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiscalRow {
    pub year: Year,
    /// `operating`, `investment` or `finance`.
    pub budget: &'static str,
    /// `op.TABLE.LINE`, `inv.PROJECT` or `fin.ROW`.
    pub line: String,
    pub line_name: String,
    /// Body, then units down to the line's unit, joined by dots: `ks.ksf`.
    pub administrative_code: String,
    pub administrative_name: String,
    /// A Kommun-Bas account or group (`69810`, `631`, `40`) when the mapping names one.
    pub economic_code: Option<String>,
    /// Positive; `None` when the line has none.
    pub expenditure: Option<Money>,
    /// Positive; `None` when the line has none.
    pub revenue: Option<Money>,
    /// The ledger's actual to date (phase executed), as net expenditure or net revenue; only
    /// with [`with_executed`], on the rows of the report's year.
    pub executed_expenditure: Option<Money>,
    pub executed_revenue: Option<Money>,
}

impl FiscalRow {
    /// The amount in one direction.
    pub fn amount(&self, direction: FiscalDirection) -> Option<Money> {
        match direction {
            FiscalDirection::Expenditure => self.expenditure,
            FiscalDirection::Revenue => self.revenue,
        }
    }
}

/// The whole package's data, and what it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FiscalData {
    pub municipality_name: String,
    pub municipality_code: String,
    pub title: String,
    pub version_name: String,
    /// The phase of every budget amount: the plan's version.
    pub phase: Phase,
    /// The month the executed amounts run to (from the start of its year), when there are any.
    pub executed_through: Option<Month>,
    pub years: Vec<Year>,
    pub rows: Vec<FiscalRow>,
}

/// The administrative classification of a line: the unit all its ansvar objects fall under
/// (the nearest common one), else the body the document belongs to.
fn administration(plan: &Plan, units: &[&Id]) -> (String, String) {
    let chain = |unit: &Id| -> Vec<Id> {
        let mut chain = vec![unit.clone()];
        let mut current = unit.clone();
        while let Some(parent) = plan
            .units
            .iter()
            .find(|u| u.id == current)
            .and_then(|u| u.parent.clone())
        {
            if chain.contains(&parent) {
                break;
            }
            chain.push(parent.clone());
            current = parent;
        }
        chain.reverse();
        chain
    };
    let common: Option<Vec<Id>> = units.iter().map(|u| chain(u)).reduce(|a, b| {
        a.iter()
            .zip(&b)
            .take_while(|(x, y)| x == y)
            .map(|(x, _)| x.clone())
            .collect()
    });
    let body = &plan.document.body;
    let body_name = plan
        .bodies
        .iter()
        .find(|b| &b.id == body)
        .map_or_else(|| body.to_string(), |b| b.name.clone());
    match common.filter(|c| !c.is_empty()) {
        Some(path) => {
            let unit = path.last().cloned().unwrap_or_else(|| body.clone());
            let owner = plan
                .units
                .iter()
                .find(|u| u.id == path[0])
                .map_or_else(|| body.clone(), |u| u.body.clone());
            let name = plan
                .units
                .iter()
                .find(|u| u.id == unit)
                .map_or_else(|| unit.to_string(), |u| u.name.clone());
            let mut code = vec![owner.to_string()];
            code.extend(path.iter().map(ToString::to_string));
            (code.join("."), name)
        }
        None => (body.to_string(), body_name),
    }
}

/// A net amount as (expenditure, revenue): a negative net is revenue.
fn signed(amount: Money) -> (Option<Money>, Option<Money>) {
    if amount.ore() < 0 {
        (None, Some(amount.abs()))
    } else {
        (Some(amount), None)
    }
}

/// The plan's budget as open-data rows.
pub fn fiscal_data(plan: &Plan) -> FiscalData {
    let phase = Phase::of_version(plan.budget.version.kind);
    let years = &plan.document.years;
    let mapping = &plan.ledger;
    let mut rows = Vec::new();
    for table in plan.budget.operating.iter().filter(|t| !t.summary) {
        for row in table.rows.iter().filter(|r| r.kind == RowKind::Line) {
            let rules: Vec<_> = mapping
                .rules
                .iter()
                .filter(|rule| {
                    matches!(&rule.target, RuleTarget::Operating { table: t, line: l }
                        if *t == table.id && *l == row.id)
                })
                .collect();
            let units: Vec<&Id> = rules
                .iter()
                .flat_map(|rule| rule.ansvar.iter())
                .filter_map(|object| mapping.unit_of(object))
                .collect();
            let (administrative_code, administrative_name) = administration(plan, &units);
            let economic_code = match rules.as_slice() {
                [rule] if rule.accounts.from() == rule.accounts.to() => {
                    Some(rule.accounts.from().to_owned())
                }
                _ => None,
            };
            for year in years {
                let Some(amount) = row.amounts.get(year) else {
                    continue;
                };
                let (expenditure, revenue) = signed(*amount);
                rows.push(FiscalRow {
                    year: *year,
                    budget: "operating",
                    line: format!("op.{}.{}", table.id, row.id),
                    line_name: row.name.clone(),
                    administrative_code: administrative_code.clone(),
                    administrative_name: administrative_name.clone(),
                    economic_code: economic_code.clone(),
                    expenditure,
                    revenue,
                    executed_expenditure: None,
                    executed_revenue: None,
                });
            }
        }
    }
    let investment_account = mapping
        .rules
        .iter()
        .find(|rule| rule.target == RuleTarget::Investment)
        .filter(|rule| rule.accounts.from() == rule.accounts.to())
        .map(|rule| rule.accounts.from().to_owned());
    let (body_code, body_name) = administration(plan, &[]);
    for row in plan.budget.investment.lines() {
        for year in years {
            let Some(amount) = row.amounts.get(year) else {
                continue;
            };
            rows.push(FiscalRow {
                year: *year,
                budget: "investment",
                line: format!("inv.{}", row.id),
                line_name: row.name.clone(),
                administrative_code: body_code.clone(),
                administrative_name: body_name.clone(),
                economic_code: investment_account.clone(),
                expenditure: Some(*amount),
                revenue: None,
                executed_expenditure: None,
                executed_revenue: None,
            });
        }
    }
    for row in plan
        .budget
        .finance
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Line)
    {
        let has_parts = row.line(Measure::Income).is_some() || row.line(Measure::Cost).is_some();
        for year in years {
            let (expenditure, revenue) = if has_parts {
                // Income is written negative in the finance table, cost positive.
                (
                    row.amount(Measure::Cost, *year),
                    row.amount(Measure::Income, *year)
                        .map(|income| Money::from_ore(-income.ore())),
                )
            } else {
                row.amount(Measure::Net, *year).map_or((None, None), signed)
            };
            if expenditure.is_none() && revenue.is_none() {
                continue;
            }
            rows.push(FiscalRow {
                year: *year,
                budget: "finance",
                line: format!("fin.{}", row.id),
                line_name: row.name.clone(),
                administrative_code: body_code.clone(),
                administrative_name: body_name.clone(),
                economic_code: None,
                expenditure,
                revenue,
                executed_expenditure: None,
                executed_revenue: None,
            });
        }
    }
    FiscalData {
        municipality_name: plan.municipality.name.clone(),
        municipality_code: plan.municipality.code.clone(),
        title: plan.document.title.clone(),
        version_name: plan.budget.version.name.clone(),
        phase,
        executed_through: None,
        years: years.clone(),
        rows,
    }
}

/// Adds the ledger's actuals (phase executed) from budget vs actual of a period: each operating
/// line's and investment project's actual from the start of the year to the period, on the
/// rows of that year. Finance rows have none (the ledger mapping excludes them).
pub fn with_executed(mut data: FiscalData, report: &BudgetVsActual) -> FiscalData {
    for report_row in &report.rows {
        if !matches!(
            report_row.kind,
            ReportRowKind::Line | ReportRowKind::Project
        ) {
            continue;
        }
        let (Some(line), Cell::ActualOnly(actual) | Cell::Both(_, actual, _)) =
            (&report_row.line, &report_row.cell)
        else {
            continue;
        };
        let line = line.to_string();
        if let Some(row) = data
            .rows
            .iter_mut()
            .find(|row| row.year == report.year && row.line == line)
        {
            (row.executed_expenditure, row.executed_revenue) = signed(actual.to_date);
        }
    }
    data.executed_through = Some(report.period);
    data
}
