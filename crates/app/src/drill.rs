//! Drill-down: the ledger rows behind a figure of budget vs actual — a budget line, per unit and
//! account, down to the vouchers. Rows are mapped with the plan's own mapping, as the report
//! maps them, so the sums here add up to the report's figure.

use crate::{Actor, App, AppError, PlanSelector};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use styr_domain::ledger::{BudgetLineRef, Classification, LedgerTransaction, Month};
use styr_domain::{Id, Money};
use styr_store::LedgerSource;

/// The rows of one unit and account behind a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillGroup {
    pub unit: Option<Id>,
    pub account: String,
    pub rows: u64,
    pub amount: Money,
}

/// What stands behind a budget line's actual to date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrillDown {
    pub line: BudgetLineRef,
    pub label: String,
    pub period: Month,
    /// Per unit and account, by unit and account.
    pub groups: Vec<DrillGroup>,
    /// The voucher rows of the unit and account asked for (all of the line's when neither is).
    pub vouchers: Vec<LedgerTransaction>,
}

impl DrillDown {
    /// The sum of every group: the line's actual to date.
    pub fn total(&self) -> Money {
        self.groups.iter().map(|g| g.amount).sum()
    }
}

fn maps_to(classification: Classification<'_>, line: &BudgetLineRef) -> Option<Option<Id>> {
    match (classification, line) {
        (
            Classification::Operating {
                table,
                line: l,
                unit,
            },
            BudgetLineRef::Operating {
                table: t,
                line: wanted,
            },
        ) if table == t && l == wanted => Some(unit.cloned()),
        (
            Classification::Investment { project, unit },
            BudgetLineRef::Investment { project: p },
        ) if project == p => Some(unit.cloned()),
        _ => None,
    }
}

impl App {
    /// The ledger rows behind a budget line's actual to date in a period's year, per unit and
    /// account; the vouchers of one unit and/or account when asked for. For logged-in users:
    /// voucher texts are not published.
    pub async fn drill_down(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        line: &BudgetLineRef,
        period: Month,
        unit: Option<&str>,
        account: Option<&str>,
    ) -> Result<DrillDown, AppError> {
        if actor.role == crate::Role::Public {
            return Err(AppError::Forbidden(
                "verifikationerna visas för inloggade användare".to_owned(),
            ));
        }
        let plan = self.load_plan(actor, selector).await?;
        let label = plan
            .budget
            .operating
            .iter()
            .filter(|t| !t.summary)
            .flat_map(|t| t.rows.iter().map(move |r| (t, r)))
            .find(|(t, r)| {
                matches!(line, BudgetLineRef::Operating { table, line } if &t.id == table && &r.id == line)
            })
            .map(|(_, r)| r.name.clone())
            .or_else(|| match line {
                BudgetLineRef::Investment { project } => plan
                    .budget
                    .investment
                    .lines()
                    .find(|r| &r.id == project)
                    .map(|r| r.name.clone()),
                BudgetLineRef::Operating { .. } => None,
            })
            .ok_or_else(|| AppError::NotFound(format!("budgetraden {line} finns inte i planen")))?;
        let first = Month::new(period.year(), 1).unwrap_or(period);
        let municipality = plan.municipality.id.as_str();
        // The groups come from the monthly sums the report reads, so they add up to its figure;
        // only the vouchers asked for are read, through the rows' key (account, ansvar, day).
        let sums = self
            .store
            .ledger_amounts(municipality, LedgerSource::Actual, first, period)
            .await?;
        let mut groups: BTreeMap<(Option<Id>, String), (u64, Money)> = BTreeMap::new();
        let mut wanted_accounts: BTreeSet<String> = BTreeSet::new();
        let mut wanted_ansvar: BTreeSet<String> = BTreeSet::new();
        // (account, ansvar, project) of the rows to list: classified once per combination here,
        // not once per row below.
        let mut wanted: HashSet<(&str, Option<&str>, Option<&str>)> = HashSet::new();
        for sum in &sums {
            let classification =
                plan.ledger
                    .classify(&sum.account, sum.ansvar.as_deref(), sum.project.as_deref());
            let Some(sum_unit) = maps_to(classification, line) else {
                continue;
            };
            let unit_matches =
                unit.is_none_or(|u| sum_unit.as_ref().is_some_and(|r| r.as_str() == u));
            if unit_matches && account.is_none_or(|a| a == sum.account) {
                wanted_accounts.insert(sum.account.clone());
                wanted_ansvar.insert(sum.ansvar.clone().unwrap_or_default());
                wanted.insert((
                    sum.account.as_str(),
                    sum.ansvar.as_deref(),
                    sum.project.as_deref(),
                ));
            }
            let group = groups
                .entry((sum_unit, sum.account.clone()))
                .or_insert((0, Money::ZERO));
            group.0 += sum.rows;
            group.1 = group.1 + sum.amount;
        }
        let mut vouchers = Vec::new();
        if !wanted_accounts.is_empty() {
            let accounts: Vec<String> = wanted_accounts.into_iter().collect();
            let ansvar: Vec<String> = wanted_ansvar.into_iter().collect();
            let rows = self
                .store
                .ledger_transactions(municipality, first, period, &accounts, &ansvar)
                .await?;
            vouchers = rows
                .into_iter()
                .filter(|row| {
                    wanted.contains(&(
                        row.account.as_str(),
                        row.ansvar.as_deref(),
                        row.project.as_deref(),
                    ))
                })
                .collect();
        }
        Ok(DrillDown {
            line: line.clone(),
            label,
            period,
            groups: groups
                .into_iter()
                .map(|((unit, account), (rows, amount))| DrillGroup {
                    unit,
                    account,
                    rows,
                    amount,
                })
                .collect(),
            vouchers,
        })
    }
}
