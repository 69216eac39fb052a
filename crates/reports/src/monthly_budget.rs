//! The budget per account, ansvar object and month, as a ledger system takes it (SIE
//! #PBUDGET): each operating-budget line of a year through the plan's ledger mapping (the
//! first account rule that targets the line gives the account and the ansvar object) and its
//! monthly profile (`ledger/profiles.csv`, else twelve equal months).
//!
//! A rule over one account (`69810`–`69810`) puts the line on that account; a rule over a
//! range (`3`–`7`, a net budget per ansvar) puts it on the caller's net-budget account, which
//! must lie in the range. Every cell is checked to map back to its own line through the same
//! mapping, so the ledger's budget vs actual finds exactly the plan's budget. Months are split
//! in öre and always add up to the line's annual amount exactly. Investment projects are not
//! part of it: the mapping names no account for them (only the prefix `40`).

use std::collections::BTreeMap;
use styr_domain::Plan;
use styr_domain::budget::RowKind;
use styr_domain::ledger::{BudgetLineRef, Classification, MONTHS, RuleTarget};
use styr_domain::{Location, Money, Year};

/// One month of one line's budget on one account and ansvar object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyBudget {
    pub line: BudgetLineRef,
    /// The line's name (for the account's or object's name where the plan has none).
    pub line_name: String,
    pub account: String,
    /// The dimension-1 object (ansvar); `None` when the rule names none.
    pub ansvar: Option<String>,
    /// 1–12.
    pub month: u8,
    pub amount: Money,
}

/// Why a line cannot be given an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthlyBudgetProblem {
    pub line: BudgetLineRef,
    /// The account rule at fault (`ledger/accounts.csv` and its line); `None` when no rule
    /// targets the line.
    pub at: Option<Location>,
    pub message: String,
}

/// Splits `total` over the weights in öre, exactly: month i gets the difference of the
/// rounded-down cumulative shares, so the months add up to `total`.
pub fn split(total: Money, weights: &[i64; MONTHS]) -> [Money; MONTHS] {
    let sum: i128 = weights.iter().map(|w| i128::from(*w)).sum();
    let mut out = [Money::from_ore(0); MONTHS];
    if sum == 0 {
        return out;
    }
    let total = i128::from(total.ore());
    let mut cumulative: i128 = 0;
    let mut before: i128 = 0;
    for (index, weight) in weights.iter().enumerate() {
        cumulative += i128::from(*weight);
        let until = (total * cumulative).div_euclid(sum);
        out[index] = Money::from_ore(i64::try_from(until - before).unwrap_or(i64::MAX));
        before = until;
    }
    out
}

/// The year's operating budget per line, account, ansvar and month (months with zero left
/// out), or every line that cannot be placed.
pub fn monthly_budget(
    plan: &Plan,
    year: Year,
    net_account: &str,
) -> Result<Vec<MonthlyBudget>, Vec<MonthlyBudgetProblem>> {
    let mapping = &plan.ledger;
    let mut cells = Vec::new();
    let mut problems = Vec::new();
    for table in plan.budget.operating.iter().filter(|t| !t.summary) {
        for row in table.rows.iter().filter(|r| r.kind == RowKind::Line) {
            let Some(amount) = row.amounts.get(&year).copied() else {
                continue;
            };
            let line = BudgetLineRef::Operating {
                table: table.id.clone(),
                line: row.id.clone(),
            };
            let mut fail = |at: Option<&Location>, message: String| {
                problems.push(MonthlyBudgetProblem {
                    line: line.clone(),
                    at: at.cloned(),
                    message,
                });
            };
            let Some(rule) = mapping.rules.iter().find(|rule| {
                matches!(&rule.target, RuleTarget::Operating { table: t, line: l }
                    if *t == table.id && *l == row.id)
            }) else {
                fail(
                    None,
                    "ingen regel i ledger/accounts.csv pekar på raden".to_owned(),
                );
                continue;
            };
            let range = &rule.accounts;
            let account = if range.from() == range.to() && range.from().len() >= 3 {
                range.from().to_owned()
            } else if range.contains(net_account) {
                net_account.to_owned()
            } else {
                fail(
                    Some(&rule.at),
                    format!(
                        "nettobudgetkontot {net_account} ligger utanför regelns konton {}–{}",
                        range.from(),
                        range.to()
                    ),
                );
                continue;
            };
            let ansvar = rule.ansvar.first().cloned();
            let maps_back = match mapping.classify(&account, ansvar.as_deref(), None) {
                Classification::Operating {
                    table: t, line: l, ..
                } => *t == table.id && *l == row.id,
                _ => false,
            };
            if !maps_back {
                fail(
                    Some(&rule.at),
                    format!(
                        "konto {account}{} hamnar enligt ledger/accounts.csv på en annan rad (en tidigare regel vinner)",
                        ansvar
                            .as_deref()
                            .map(|a| format!(" med ansvar {a}"))
                            .unwrap_or_default()
                    ),
                );
                continue;
            }
            let weights = mapping
                .profile(&line)
                .map_or([1; MONTHS], |profile| profile.weights);
            for (index, month_amount) in split(amount, &weights).into_iter().enumerate() {
                if month_amount.ore() == 0 {
                    continue;
                }
                cells.push(MonthlyBudget {
                    line: line.clone(),
                    line_name: row.name.clone(),
                    account: account.clone(),
                    ansvar: ansvar.clone(),
                    month: u8::try_from(index + 1).unwrap_or(12),
                    amount: month_amount,
                });
            }
        }
    }
    if problems.is_empty() {
        Ok(cells)
    } else {
        Err(problems)
    }
}

/// The annual sum per line of monthly cells: what a reader of the file should find again.
pub fn sums_by_line(cells: &[MonthlyBudget]) -> BTreeMap<BudgetLineRef, Money> {
    let mut sums: BTreeMap<BudgetLineRef, Money> = BTreeMap::new();
    for cell in cells {
        let sum = sums.entry(cell.line.clone()).or_insert(Money::from_ore(0));
        *sum = *sum + cell.amount;
    }
    sums
}
