//! Exploatering and finansförvaltning followed up against the ledger like the operating budget
//! (issue 22, item 2): per exploitation project and per finance row the year's budget beside the
//! outcome to date and the previous year's same period (R17), and the realisationsvinster the
//! exploitation brings (wanted by the balanskravsutredning).
//!
//! The rules, once:
//!
//! - A ledger row belongs to an exploitation project when an `expl` account rule matches it and
//!   its dimension-6 object maps (`ledger/projects.csv`) to the exploitation row's id; to a
//!   finance row when a `fin.ROW` rule matches it (`LedgerMapping::classify`).
//! - **Income and cost** of the outcome: each monthly sum per account and objects is income when
//!   it is a credit (negative in the ledger), cost when a debit; the net is exact either way.
//! - **Exploitation** keeps the exploitation budget's signs: income positive, cost negative,
//!   net = income + cost (a positive net is a surplus). So the outcome's income = −Σ credits,
//!   cost = −Σ debits. **Avvikelse** = utfall netto − budget netto (positive: better than the
//!   budget). The budget's net is the stated one, else income + cost.
//! - **Finance** keeps the finance budget's signs, which are the ledger's (income negative,
//!   cost positive, net = their sum: a net cost). **Avvikelse** = budget netto − utfall netto
//!   (positive: better than the budget), as in the operating budget vs actual.
//! - The budget is the year's (annual), the outcome the year's to the period's month: at the
//!   year's end the deviation is the year's.
//! - A row the ledger mapping cannot reach (an exploitation row no `ledger/projects.csv` object
//!   maps to, or no `expl` rule exists; a finance row no `fin.ROW` rule names) has no outcome
//!   and no deviation: it is not followed up against the ledger, which is not the same as
//!   nothing booked.
//! - **Realisationsvinster** of the exploitation: the sum of the projects' positive nets (a
//!   project that sells land above its costs makes a gain; a negative net makes none). The
//!   balanskravsutredning takes them from [`ExploitationAccounts::realisation_gains`].
//! - Every total is the sum of the rows shown, column by column.

use crate::municipal::sum_some;
use std::collections::BTreeMap;
use styr_domain::budget::{Measure, RowKind};
use styr_domain::ledger::{Classification, LedgerAmount, LedgerMapping, RuleTarget};
use styr_domain::number::MoneyUnit;
use styr_domain::{Id, Money, Month, Plan, Year};

/// Income, cost and net of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Amounts {
    pub income: Money,
    pub cost: Money,
    pub net: Money,
}

impl Amounts {
    /// Income and cost rounded once to whole `unit`s and the net their sum — unless the net
    /// is not their sum (a budget that states only its net), then it is rounded on its own.
    pub fn in_whole(self, unit: MoneyUnit) -> Amounts {
        let (income, cost) = (self.income.rounded_to(unit), self.cost.rounded_to(unit));
        let net = if self.net == self.income + self.cost {
            income + cost
        } else {
            self.net.rounded_to(unit)
        };
        Amounts { income, cost, net }
    }

    fn add(self, other: Amounts) -> Amounts {
        Amounts {
            income: self.income + other.income,
            cost: self.cost + other.cost,
            net: self.net + other.net,
        }
    }
}

/// What a ledger row is followed up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    Exploitation,
    Finance,
}

/// (Σ credits, Σ debits) per exploitation or finance row, in the ledger's sign.
type Booked = BTreeMap<Id, (Money, Money)>;

/// The ledger's booked sums per exploitation or finance row in the ledger's sign: (Σ credits,
/// Σ debits) per row, for `year`'s months 1 to `until`.
fn booked(
    mapping: &LedgerMapping,
    amounts: &[LedgerAmount],
    year: Year,
    until: u8,
    target: Target,
) -> Booked {
    booked_by(mapping, amounts, year, until, target, |row, _| {
        Some(row.clone())
    })
}

/// The credits and debits of one exploitation project (`exploitation`) or finance row booked
/// in `year` through month `until`, per account: by the same rule as the follow-up's sums, so
/// that [`exploitation_amounts`] / [`finance_amounts`] of them add up to the row's outcome.
pub fn booked_accounts(
    mapping: &LedgerMapping,
    amounts: &[LedgerAmount],
    year: Year,
    until: u8,
    exploitation: bool,
    row: &Id,
) -> BTreeMap<String, (Money, Money)> {
    let target = if exploitation {
        Target::Exploitation
    } else {
        Target::Finance
    };
    booked_by(mapping, amounts, year, until, target, |booked, amount| {
        (booked == row).then(|| amount.account.clone())
    })
}

/// The credits and debits booked to each exploitation or finance row, grouped by `key`
/// (`None`: left out).
fn booked_by<K: Ord>(
    mapping: &LedgerMapping,
    amounts: &[LedgerAmount],
    year: Year,
    until: u8,
    target: Target,
    key: impl Fn(&Id, &LedgerAmount) -> Option<K>,
) -> BTreeMap<K, (Money, Money)> {
    let mut sums = BTreeMap::new();
    for amount in amounts
        .iter()
        .filter(|a| a.month.year() == year && a.month.month() <= until)
    {
        let row = match (
            mapping.classify(
                &amount.account,
                amount.ansvar.as_deref(),
                amount.project.as_deref(),
            ),
            target,
        ) {
            (Classification::Exploitation { row }, Target::Exploitation)
            | (Classification::Finance { row }, Target::Finance) => row,
            _ => continue,
        };
        let Some(key) = key(row, amount) else {
            continue;
        };
        let entry = sums.entry(key).or_insert((Money::ZERO, Money::ZERO));
        if amount.amount.ore() < 0 {
            entry.0 = entry.0 + amount.amount;
        } else {
            entry.1 = entry.1 + amount.amount;
        }
    }
    sums
}

/// The booked sums of the period's year up to its month and of the previous year's same
/// period (R17), each `None` when the ledger holds no booking of that span.
fn booked_to_period(
    plan: &Plan,
    period: Month,
    this_year: &[LedgerAmount],
    earlier: &[LedgerAmount],
    target: Target,
) -> (Option<Booked>, Option<Booked>) {
    let (year, month) = (period.year(), period.month());
    let actual =
        held(this_year, year, month).then(|| booked(&plan.ledger, this_year, year, month, target));
    let previous = held(earlier, year - 1, month)
        .then(|| booked(&plan.ledger, earlier, year - 1, month, target));
    (actual, previous)
}

/// Whether the ledger holds any booking of `year` up to `until`.
fn held(amounts: &[LedgerAmount], year: Year, until: u8) -> bool {
    amounts
        .iter()
        .any(|a| a.month.year() == year && a.month.month() <= until)
}

/// One exploitation project followed up.
#[derive(Debug, Clone, PartialEq)]
pub struct ExploitationAccount {
    pub id: Id,
    /// The project number as printed ("77055").
    pub project: String,
    pub name: String,
    /// The year's budget; `None` when the exploitation budget is of another year.
    pub budget: Option<Amounts>,
    /// Whether the budget gives income and cost, not only the net (else they are shown as
    /// missing; they count as zero in the sums).
    pub budget_split: bool,
    /// The outcome to the period's month; `None` without any ledger booking of the year.
    pub actual: Option<Amounts>,
    /// Utfall netto − budget netto.
    pub deviation: Option<Money>,
    /// The previous year's same period.
    pub previous: Option<Amounts>,
}

/// The exploitation follow-up of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct ExploitationAccounts {
    pub period: Month,
    pub rows: Vec<ExploitationAccount>,
    pub total: ExploitationAccount,
}

impl ExploitationAccounts {
    /// The realisationsvinster of the outcome to date: Σ the projects' positive nets.
    pub fn realisation_gains(&self) -> Option<Money> {
        sum_some(
            self.rows
                .iter()
                .map(|r| r.actual.map(|a| a.net.max(Money::ZERO))),
        )
    }

    /// The realisationsvinster the budget counts on: Σ the projects' positive budgeted nets.
    pub fn budgeted_realisation_gains(&self) -> Option<Money> {
        sum_some(
            self.rows
                .iter()
                .map(|r| r.budget.map(|b| b.net.max(Money::ZERO))),
        )
    }
}

fn sum_amounts<'a>(amounts: impl Iterator<Item = Option<&'a Amounts>>) -> Option<Amounts> {
    amounts.flatten().fold(None, |sum: Option<Amounts>, a| {
        Some(sum.unwrap_or_default().add(*a))
    })
}

/// Exploitation as ledger amounts show it: credits are income, debits cost, in the budget's
/// signs (income positive, cost negative).
pub fn exploitation_amounts((credits, debits): (Money, Money)) -> Amounts {
    let (income, cost) = (Money::ZERO - credits, Money::ZERO - debits);
    Amounts {
        income,
        cost,
        net: income + cost,
    }
}

/// The exploitation follow-up of `plan` for `period`: `this_year` the ledger amounts of the
/// period's year, `earlier` those of the years before (the previous year's same period is
/// taken from them). The rules are the module's.
pub fn exploitation_accounts(
    plan: &Plan,
    period: Month,
    this_year: &[LedgerAmount],
    earlier: &[LedgerAmount],
) -> ExploitationAccounts {
    let year = period.year();
    let budget = &plan.budget.exploitation;
    let (actual, previous) =
        booked_to_period(plan, period, this_year, earlier, Target::Exploitation);
    let has_rule = plan
        .ledger
        .rules
        .iter()
        .any(|rule| rule.target == RuleTarget::Exploitation);
    let rows: Vec<ExploitationAccount> = budget
        .rows
        .iter()
        .filter(|row| row.kind == RowKind::Line)
        .map(|row| {
            let mapped = has_rule && plan.ledger.projects.iter().any(|p| p.project == row.id);
            let planned = (budget.year == year).then(|| {
                let income = row.income.unwrap_or(Money::ZERO);
                let cost = row.cost.unwrap_or(Money::ZERO);
                Amounts {
                    income,
                    cost,
                    net: row.net.unwrap_or(income + cost),
                }
            });
            let of = |sums: &Option<Booked>| {
                sums.as_ref().filter(|_| mapped).map(|sums| {
                    exploitation_amounts(
                        sums.get(&row.id)
                            .copied()
                            .unwrap_or((Money::ZERO, Money::ZERO)),
                    )
                })
            };
            let outcome = of(&actual);
            ExploitationAccount {
                id: row.id.clone(),
                project: row.project.clone(),
                name: row.name.clone(),
                budget: planned,
                budget_split: row.income.is_some() || row.cost.is_some(),
                actual: outcome,
                deviation: exploitation_deviation(outcome, planned),
                previous: of(&previous),
            }
        })
        .collect();
    ExploitationAccounts {
        period,
        total: exploitation_total(&rows),
        rows,
    }
}

/// The sums of the projects, column by column.
fn exploitation_total(rows: &[ExploitationAccount]) -> ExploitationAccount {
    ExploitationAccount {
        id: Id::parse("summa").expect("an id"),
        project: String::new(),
        name: "Summa exploatering".to_owned(),
        budget: sum_amounts(rows.iter().map(|r| r.budget.as_ref())),
        budget_split: true,
        actual: sum_amounts(rows.iter().map(|r| r.actual.as_ref())),
        deviation: sum_some(rows.iter().map(|r| r.deviation)),
        previous: sum_amounts(rows.iter().map(|r| r.previous.as_ref())),
    }
}

/// A row's budget, outcome and previous year as a table in whole units prints them.
struct Printed {
    budget: Option<Amounts>,
    actual: Option<Amounts>,
    previous: Option<Amounts>,
}

impl Printed {
    fn of(
        budget: Option<Amounts>,
        actual: Option<Amounts>,
        previous: Option<Amounts>,
        unit: MoneyUnit,
    ) -> Printed {
        let whole = |amounts: Option<Amounts>| amounts.map(|a| a.in_whole(unit));
        Printed {
            budget: whole(budget),
            actual: whole(actual),
            previous: whole(previous),
        }
    }
}

/// Utfall netto − budget netto (the budget's signs: positive is better than budget).
fn exploitation_deviation(actual: Option<Amounts>, budget: Option<Amounts>) -> Option<Money> {
    actual.zip(budget).map(|(a, b)| a.net - b.net)
}

impl ExploitationAccounts {
    /// As a table in whole `unit`s prints it, adding up as printed: each project's booked
    /// income and cost rounded once, its net their sum, its deviation from those, and the
    /// total the sum of the projects (the budget is the plan's whole tkr).
    pub fn in_whole(&self, unit: MoneyUnit) -> ExploitationAccounts {
        let rows: Vec<ExploitationAccount> = self
            .rows
            .iter()
            .map(|row| {
                let printed = Printed::of(row.budget, row.actual, row.previous, unit);
                ExploitationAccount {
                    deviation: exploitation_deviation(printed.actual, printed.budget),
                    budget: printed.budget,
                    actual: printed.actual,
                    previous: printed.previous,
                    ..row.clone()
                }
            })
            .collect();
        ExploitationAccounts {
            period: self.period,
            total: exploitation_total(&rows),
            rows,
        }
    }
}

/// One row of the finance administration followed up.
#[derive(Debug, Clone, PartialEq)]
pub struct FinanceAccount {
    pub id: Id,
    pub name: String,
    pub budget: Option<Amounts>,
    /// Whether the budget gives income and cost, not only the net.
    pub budget_split: bool,
    pub actual: Option<Amounts>,
    /// Budget netto − utfall netto.
    pub deviation: Option<Money>,
    pub previous: Option<Amounts>,
}

/// The finance follow-up of a period.
#[derive(Debug, Clone, PartialEq)]
pub struct FinanceAccounts {
    pub period: Month,
    pub rows: Vec<FinanceAccount>,
    pub total: FinanceAccount,
}

/// Finance as ledger amounts show it, in the ledger's (and the finance budget's) signs.
pub fn finance_amounts((credits, debits): (Money, Money)) -> Amounts {
    Amounts {
        income: credits,
        cost: debits,
        net: credits + debits,
    }
}

/// The finance follow-up of `plan` for `period` (see [`exploitation_accounts`] for the ledger
/// amounts). The rows are the finance budget's line rows.
pub fn finance_accounts(
    plan: &Plan,
    period: Month,
    this_year: &[LedgerAmount],
    earlier: &[LedgerAmount],
) -> FinanceAccounts {
    let year = period.year();
    let budget = &plan.budget.finance;
    let (actual, previous) = booked_to_period(plan, period, this_year, earlier, Target::Finance);
    let rows: Vec<FinanceAccount> = budget
        .rows
        .iter()
        .filter(|row| row.kind == RowKind::Line)
        .map(|row| {
            let mapped =
                plan.ledger.rules.iter().any(
                    |rule| matches!(&rule.target, RuleTarget::Finance { row: r } if r == &row.id),
                );
            let income = row.amount(Measure::Income, year);
            let cost = row.amount(Measure::Cost, year);
            let net = row.amount(Measure::Net, year);
            let planned = (income.is_some() || cost.is_some() || net.is_some()).then(|| {
                let (income, cost) = (income.unwrap_or(Money::ZERO), cost.unwrap_or(Money::ZERO));
                Amounts {
                    income,
                    cost,
                    net: net.unwrap_or(income + cost),
                }
            });
            let of = |sums: &Option<Booked>| {
                sums.as_ref().filter(|_| mapped).map(|sums| {
                    finance_amounts(
                        sums.get(&row.id)
                            .copied()
                            .unwrap_or((Money::ZERO, Money::ZERO)),
                    )
                })
            };
            let outcome = of(&actual);
            FinanceAccount {
                id: row.id.clone(),
                name: row.name.clone(),
                budget: planned,
                budget_split: income.is_some() || cost.is_some(),
                actual: outcome,
                deviation: finance_deviation(outcome, planned),
                previous: of(&previous),
            }
        })
        .collect();
    FinanceAccounts {
        period,
        total: finance_total(&rows),
        rows,
    }
}

/// The sums of the rows, column by column.
fn finance_total(rows: &[FinanceAccount]) -> FinanceAccount {
    FinanceAccount {
        id: Id::parse("summa").expect("an id"),
        name: "Summa finansförvaltning".to_owned(),
        budget: sum_amounts(rows.iter().map(|r| r.budget.as_ref())),
        budget_split: true,
        actual: sum_amounts(rows.iter().map(|r| r.actual.as_ref())),
        deviation: sum_some(rows.iter().map(|r| r.deviation)),
        previous: sum_amounts(rows.iter().map(|r| r.previous.as_ref())),
    }
}

/// Budget netto − utfall netto (the ledger's signs: positive is better than budget).
fn finance_deviation(actual: Option<Amounts>, budget: Option<Amounts>) -> Option<Money> {
    actual.zip(budget).map(|(a, b)| b.net - a.net)
}

impl FinanceAccounts {
    /// As a table in whole `unit`s prints it, adding up as printed (see
    /// [`ExploitationAccounts::in_whole`]).
    pub fn in_whole(&self, unit: MoneyUnit) -> FinanceAccounts {
        let rows: Vec<FinanceAccount> = self
            .rows
            .iter()
            .map(|row| {
                let printed = Printed::of(row.budget, row.actual, row.previous, unit);
                FinanceAccount {
                    deviation: finance_deviation(printed.actual, printed.budget),
                    budget: printed.budget,
                    actual: printed.actual,
                    previous: printed.previous,
                    ..row.clone()
                }
            })
            .collect();
        FinanceAccounts {
            period: self.period,
            total: finance_total(&rows),
            rows,
        }
    }
}
