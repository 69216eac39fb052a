//! Where a figure comes from ("Varifrån kommer siffran"): the use cases behind the trace of
//! each figure the documents and pages print (`styr_docgen::trace` names them).
//!
//! - a figure of an operating table of the plan → its check: the figure as printed, the rows
//!   (or parts) it sums and their sum, or the reference it states, and the checker's findings
//!   ([`App::trace_plan_cell`]);
//! - a claim in a text → the data it was checked against: each figure the expression names,
//!   the value it gives, and the finding ([`App::trace_claim`]);
//! - an outcome to date of a period's report → the ledger behind it: accounts × units for the
//!   period ([`App::trace_outcome`]); a total's → the lines it sums ([`App::trace_outcome_sum`]).
//!
//! Every use case names the plan version (and the period) it is about. The public follows
//! traces of a decided plan only (a proposal is not found, as everywhere) and of a closed
//! period only, down to the sums per account and unit; the vouchers behind them (whose texts
//! may name persons) are for logged-in users, through the drill-down (`App::voucher_page`).

use crate::{Actor, App, AppError, PlanSelector, Role};
use rust_decimal::Decimal;
use styr_checks::Finding;
use styr_docgen::trace::{self as paths, OutcomeSum};
use styr_domain::budget::{AmountRow, RowKind, sum_lines};
use styr_domain::claim::{ClaimCheck, in_claim_unit, plan_texts, text_claims};
use styr_domain::expr::{Expr, Formula};
use styr_domain::followup::PeriodState;
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::number::MoneyUnit;
use styr_domain::{Id, Money, Plan, Year};
use styr_reports::budget_vs_actual::{ReportRow, RowKind as EconomyKind, Section};

/// One row a trace lists: its label, its figure and, where it has one, its own trace path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TracedRow {
    pub label: String,
    pub amount: Option<Money>,
    /// The row's own trace (`styr_docgen::trace`), to follow on.
    pub path: Option<String>,
}

/// How a figure of a plan's table is made.
#[derive(Debug, Clone, PartialEq)]
pub enum CellSource {
    /// A total: the sum of the rows listed.
    Sum {
        rows: Vec<TracedRow>,
        sum: Option<Money>,
    },
    /// A line with parts (varav): the sum of its parts.
    Parts { rows: Vec<TracedRow>, sum: Money },
    /// A line that states another figure of the plan (`ref`): the expression in words and what
    /// it gives.
    Reference {
        described: String,
        computed: Option<Money>,
    },
    /// A figure as printed in the plan, with nothing to compute it from.
    Printed,
}

/// The trace of a figure of an operating table of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct CellTrace {
    pub version: Id,
    pub version_name: String,
    pub decided: bool,
    pub table: String,
    pub row: String,
    /// The column: a year, or "Budget tom".
    pub column: String,
    /// The figure as printed (the plan's own); `None` when the plan prints none.
    pub stated: Option<Money>,
    /// The figure the document shows: the printed one, else the computed sum.
    pub shown: Option<Money>,
    pub source: CellSource,
    /// Where the figure is written: the plan package's file and line.
    pub place: String,
    /// The checker's findings about this figure (none: it agrees).
    pub findings: Vec<Finding>,
}

/// One figure an expression names, with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct TracedFigure {
    /// As written (`op.gemensamma.brand@2021`).
    pub reference: String,
    pub described: String,
    /// The value, formatted with its unit; `None` when the data has none.
    pub value: Option<String>,
    /// The figure's own trace, when it is a cell of an operating table.
    pub path: Option<String>,
}

/// The trace of a claim in a text of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimTrace {
    pub version: Id,
    pub version_name: String,
    /// The printed words.
    pub words: String,
    /// The expression as written and in words.
    pub formula: String,
    pub described: String,
    /// What the data gives, in the claim's unit (`None`: a comparison, or no value).
    pub computed: Option<String>,
    pub figures: Vec<TracedFigure>,
    /// Where the claim is written: the file and line, and the field outside the narrative.
    pub place: String,
    pub finding: Option<Finding>,
}

/// The trace of an outcome to date: the ledger sums behind it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeTrace {
    pub version: Id,
    pub period: Month,
    pub line: BudgetLineRef,
    pub label: String,
    pub unit: Option<Id>,
    /// The outcome, exact: the sum of the groups.
    pub outcome: Money,
    /// The outcome as the report prints it: whole tkr, a unit's share of its line's
    /// (`BudgetVsActual::in_whole`).
    pub printed: Money,
    /// Per unit and account: (unit, unit's name, account, rows, amount).
    pub groups: Vec<OutcomeGroup>,
    /// Whether the actor may follow a group to its vouchers (logged in).
    pub vouchers: bool,
}

/// One account × unit sum behind an outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeGroup {
    pub unit: Option<Id>,
    pub unit_name: String,
    pub account: String,
    pub rows: u64,
    pub amount: Money,
}

impl OutcomeTrace {
    /// The sum of the groups listed.
    pub fn total(&self) -> Money {
        self.groups.iter().map(|g| g.amount).sum()
    }
}

/// The trace of a total of outcomes: the lines it sums.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeSumTrace {
    pub version: Id,
    pub period: Month,
    pub label: String,
    /// The total the report prints.
    pub outcome: Money,
    pub rows: Vec<TracedRow>,
}

impl OutcomeSumTrace {
    /// The sum of the rows listed.
    pub fn sum(&self) -> Money {
        self.rows.iter().filter_map(|r| r.amount).sum()
    }
}

pub(crate) fn selector_of(actor: &Actor, version: &str) -> PlanSelector {
    PlanSelector {
        municipality: actor.municipality.clone(),
        body: None,
        version: Some(version.to_owned()),
    }
}

pub(crate) fn not_found(what: String) -> AppError {
    AppError::NotFound(what)
}

pub(crate) fn tkr_text(value: Decimal, unit: &str) -> String {
    let decimals = value.scale().min(2);
    format!(
        "{} {unit}",
        styr_domain::number::format_swedish(value, decimals, '\u{a0}')
    )
    .trim_end()
    .to_owned()
}

impl App {
    /// The plan of a trace: the version named, visible to the actor (a proposal is not found
    /// by the public), with its package's locations.
    pub(crate) async fn trace_plan(&self, actor: &Actor, version: &str) -> Result<Plan, AppError> {
        self.document_plan(actor, &selector_of(actor, version))
            .await
    }

    /// Where a figure of an operating table comes from.
    pub async fn trace_plan_cell(
        &self,
        actor: &Actor,
        version: &str,
        table: &str,
        row: &str,
        year: Year,
    ) -> Result<CellTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let table = plan
            .budget
            .operating_table(table)
            .ok_or_else(|| not_found(format!("tabellen {table} finns inte i planen")))?;
        let amount_row = table
            .row(row)
            .ok_or_else(|| not_found(format!("raden {row} finns inte i {}", table.title)))?;
        if !table.years.contains(&year) {
            return Err(not_found(format!(
                "{} har ingen kolumn {year}",
                table.title
            )));
        }
        let path = |row: &Id| paths::plan_cell(&plan.budget.version.id, &table.id, row, year);
        Ok(amount_cell_trace(
            &plan,
            &table.title,
            &table.rows,
            amount_row,
            year,
            path,
        ))
    }

    /// Where a figure of the investment budget comes from: a total's projects and their sum,
    /// a project's figure as printed. `year` `None`: the Budget tom column.
    pub async fn trace_investment_cell(
        &self,
        actor: &Actor,
        version: &str,
        row: &str,
        year: Option<Year>,
    ) -> Result<CellTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let investment = &plan.budget.investment;
        let amount_row = investment
            .rows
            .iter()
            .find(|r| r.id.as_str() == row)
            .ok_or_else(|| not_found(format!("raden {row} finns inte i {}", investment.title)))?;
        if year.is_some_and(|y| !investment.years.contains(&y)) {
            return Err(not_found(format!(
                "{} har ingen kolumn för året",
                investment.title
            )));
        }
        let amount = |r: &styr_domain::budget::InvestmentRow| match year {
            Some(year) => r.amounts.get(&year).copied(),
            None => r.until,
        };
        let version_id = &plan.budget.version.id;
        let stated = amount(amount_row);
        let source = match amount_row.kind {
            RowKind::Total => CellSource::Sum {
                rows: investment
                    .lines()
                    .filter(|r| amount(r).is_some())
                    .map(|r| TracedRow {
                        label: r.name.clone(),
                        amount: amount(r),
                        path: Some(paths::plan_investment(version_id, &r.id, year)),
                    })
                    .collect(),
                sum: match year {
                    Some(year) => investment.sum(year),
                    None => investment.sum_until(),
                },
            },
            _ => CellSource::Printed,
        };
        let shown = match (&source, stated) {
            (_, Some(stated)) => Some(stated),
            (CellSource::Sum { sum, .. }, None) => *sum,
            _ => None,
        };
        let column = year.map_or_else(|| "tom".to_owned(), |y| y.to_string());
        let suffix = format!(":{}:{column}", amount_row.id);
        let findings = styr_checks::check_plan(&plan)
            .into_iter()
            .filter(|f| f.file == amount_row.at.file && f.id.ends_with(&suffix))
            .collect();
        Ok(CellTrace {
            version: version_id.clone(),
            version_name: plan.budget.version.name.clone(),
            decided: plan.budget.version.kind.is_public(),
            table: investment.title.clone(),
            row: amount_row.name.clone(),
            column: year.map_or_else(|| "Budget tom".to_owned(), |y| y.to_string()),
            stated,
            shown,
            source,
            place: place(&amount_row.at),
            findings,
        })
    }

    /// Where a claim in a text of the plan comes from: the figures its expression names.
    pub async fn trace_claim(
        &self,
        actor: &Actor,
        version: &str,
        key: &str,
    ) -> Result<ClaimTrace, AppError> {
        let plan = self.trace_plan(actor, version).await?;
        let mut found = None;
        for narrative in &plan.narratives {
            if let Some(claim) = narrative.claims.iter().find(|c| paths::claim_key(c) == key) {
                found = Some((claim.clone(), None));
                break;
            }
        }
        if found.is_none() {
            for text in plan_texts(&plan) {
                let (claims, _) = text_claims(&text);
                if let Some(claim) = claims.into_iter().find(|c| paths::claim_key(c) == key) {
                    found = Some((claim, Some(text.field.clone())));
                    break;
                }
            }
        }
        let (claim, field) =
            found.ok_or_else(|| not_found(format!("påståendet {key} finns inte i planen")))?;
        let ClaimCheck::Formula(formula) = &claim.check else {
            return Err(not_found(format!(
                "påståendet {key} kan inte kontrolleras mot data"
            )));
        };
        let version_id = plan.budget.version.id.clone();
        let figures = formula
            .formula
            .refs()
            .into_iter()
            .map(|figure| {
                let value = plan.evaluate(&Expr::Ref(figure.clone())).ok();
                TracedFigure {
                    reference: figure.to_string(),
                    described: plan.describe_ref(figure),
                    value: value.map(|q| quantity_text(&q)),
                    path: figure_path(&plan, figure),
                }
            })
            .collect();
        let computed = match &formula.formula {
            Formula::Value(expr) => {
                plan.evaluate(expr)
                    .ok()
                    .map(|q| match in_claim_unit(&q, claim.unit) {
                        Some(value) => {
                            tkr_text(value, claim.unit.map(|u| u.code()).unwrap_or_default())
                        }
                        None => quantity_text(&q),
                    })
            }
            Formula::Compare(..) => None,
        };
        let subject = styr_checks::claim_subject(&claim);
        let finding = styr_checks::check_plan(&plan)
            .into_iter()
            .find(|f| f.check == "claim" && f.id.ends_with(&subject));
        let mut where_ = place(&claim.at);
        if let Some(field) = field {
            where_ = format!("{where_} ({field})");
        }
        Ok(ClaimTrace {
            version: version_id,
            version_name: plan.budget.version.name.clone(),
            words: claim.text.clone(),
            formula: formula.text.clone(),
            described: plan.describe_formula(&formula.formula),
            computed,
            figures,
            place: where_,
            finding,
        })
    }

    /// The plan and the report's economy of a trace of outcomes: the period must be in the
    /// plan's calendar, and closed for the public.
    pub(crate) async fn trace_economy(
        &self,
        actor: &Actor,
        version: &str,
        period: Month,
    ) -> Result<(Plan, styr_reports::BudgetVsActual), AppError> {
        let plan = (*self
            .shared_plan(actor, &selector_of(actor, version))
            .await?)
            .clone();
        let calendar = plan
            .periods
            .iter()
            .find(|p| p.month == period)
            .ok_or_else(|| {
                not_found(format!(
                    "perioden {period} finns inte i uppföljningskalendern"
                ))
            })?;
        if actor.role == Role::Public && calendar.state == PeriodState::Open {
            return Err(not_found(format!(
                "{} är inte publicerad: perioden är öppen",
                calendar.title
            )));
        }
        let economy = self.economy(&plan, period).await?;
        Ok((plan, economy))
    }

    /// Where an outcome to date of a budget line (or of one unit of it) comes from: the
    /// ledger's sums per account and unit for the period's year up to the period.
    pub async fn trace_outcome(
        &self,
        actor: &Actor,
        version: &str,
        period: Month,
        line: &BudgetLineRef,
        unit: Option<&Id>,
    ) -> Result<OutcomeTrace, AppError> {
        let (plan, economy) = self.trace_economy(actor, version, period).await?;
        let printed = economy.in_whole(MoneyUnit::Tkr);
        let find = |economy: &'_ styr_reports::BudgetVsActual| {
            economy
                .rows
                .iter()
                .find(|r| {
                    r.line.as_ref() == Some(line)
                        && match unit {
                            None => matches!(r.kind, EconomyKind::Line | EconomyKind::Project),
                            Some(unit) => {
                                r.kind == EconomyKind::Unit && r.unit.as_ref() == Some(unit)
                            }
                        }
                })
                .map(outcome_of)
                .ok_or_else(|| not_found(format!("{line} har inget utfall {period}")))
        };
        let (outcome, printed) = (find(&economy)?, find(&printed)?);
        let selector = selector_of(actor, version);
        let (label, groups) = self.ledger_groups(actor, &selector, line, period).await?;
        let unit_name = |id: &Option<Id>| match id {
            Some(id) => plan
                .units
                .iter()
                .find(|u| &u.id == id)
                .map_or_else(|| id.to_string(), |u| u.name.clone()),
            None => "utan enhet".to_owned(),
        };
        let groups = groups
            .into_iter()
            .filter(|g| unit.is_none_or(|u| g.unit.as_ref() == Some(u)))
            .map(|g| OutcomeGroup {
                unit_name: unit_name(&g.unit),
                unit: g.unit,
                account: g.account,
                rows: g.rows,
                amount: g.amount,
            })
            .collect();
        Ok(OutcomeTrace {
            version: plan.budget.version.id.clone(),
            period,
            line: line.clone(),
            label,
            unit: unit.cloned(),
            outcome,
            printed,
            groups,
            vouchers: actor.role != Role::Public,
        })
    }

    /// Where a total of outcomes comes from: the lines it sums, each with its own trace.
    pub async fn trace_outcome_sum(
        &self,
        actor: &Actor,
        version: &str,
        period: Month,
        sum: &OutcomeSum,
    ) -> Result<OutcomeSumTrace, AppError> {
        let (plan, economy) = self.trace_economy(actor, version, period).await?;
        // The lines and the total as the tables print them (whole tkr): the total the reader
        // clicked is the sum of the lines listed.
        let economy = economy.in_whole(MoneyUnit::Tkr);
        let version_id = plan.budget.version.id.clone();
        let total = economy
            .rows
            .iter()
            .find(|r| match sum {
                OutcomeSum::Table(table) => {
                    r.kind == EconomyKind::TableTotal && r.table.as_ref() == Some(table)
                }
                OutcomeSum::Operating => r.kind == EconomyKind::OperatingTotal,
                OutcomeSum::Investment => r.kind == EconomyKind::InvestmentTotal,
            })
            .ok_or_else(|| not_found(format!("summan finns inte i ekonomin {period}")))?;
        let rows = economy
            .rows
            .iter()
            .filter(|r| matches!(r.kind, EconomyKind::Line | EconomyKind::Project))
            .filter(|r| match sum {
                OutcomeSum::Table(table) => r.table.as_ref() == Some(table),
                OutcomeSum::Operating => r.section == Section::Operating,
                OutcomeSum::Investment => r.section == Section::Investment,
            })
            .map(|r| TracedRow {
                label: r.label.clone(),
                amount: Some(outcome_of(r)),
                path: r
                    .line
                    .as_ref()
                    .map(|line| paths::outcome_line(&version_id, period, line, None)),
            })
            .collect();
        Ok(OutcomeSumTrace {
            version: version_id,
            period,
            label: total.label.clone(),
            outcome: outcome_of(total),
            rows,
        })
    }
}

/// The trace of a figure of an amount table (an operating table, the finance summary): a
/// total's lines and their sum, a line's parts, a line's reference, or the figure as printed,
/// with the checker's findings about it. `path` names a row's own trace.
pub(crate) fn amount_cell_trace(
    plan: &Plan,
    title: &str,
    rows: &[AmountRow],
    amount_row: &AmountRow,
    year: Year,
    path: impl Fn(&Id) -> String,
) -> CellTrace {
    let traced = |r: &AmountRow| TracedRow {
        label: r.name.clone(),
        amount: r.amounts.get(&year).copied(),
        path: Some(path(&r.id)),
    };
    let stated = amount_row.amounts.get(&year).copied();
    let parts: Vec<TracedRow> = rows
        .iter()
        .filter(|r| r.kind == RowKind::Part && r.parent.as_ref() == Some(&amount_row.id))
        .filter(|r| r.amounts.contains_key(&year))
        .map(traced)
        .collect();
    let source = match amount_row.kind {
        RowKind::Total => CellSource::Sum {
            rows: rows
                .iter()
                .filter(|r| r.kind == RowKind::Line && r.amounts.contains_key(&year))
                .map(traced)
                .collect(),
            sum: sum_lines(rows, year),
        },
        _ if !parts.is_empty() => CellSource::Parts {
            sum: parts.iter().filter_map(|p| p.amount).sum(),
            rows: parts,
        },
        _ => match &amount_row.reference {
            Some(reference) => match reference.formula.with_default_year(year) {
                Formula::Value(expr) => CellSource::Reference {
                    described: plan.describe_expr(&expr),
                    computed: plan
                        .evaluate(&expr)
                        .ok()
                        .and_then(|q| money_of_tkr(q.value)),
                },
                Formula::Compare(..) => CellSource::Printed,
            },
            None => CellSource::Printed,
        },
    };
    let shown = match (&source, stated) {
        (_, Some(stated)) => Some(stated),
        (CellSource::Sum { sum, .. }, None) => *sum,
        _ => None,
    };
    let suffix = format!(":{}:{year}", amount_row.id);
    let findings = styr_checks::check_plan(plan)
        .into_iter()
        .filter(|f| f.file == amount_row.at.file && f.id.ends_with(&suffix))
        .collect();
    CellTrace {
        version: plan.budget.version.id.clone(),
        version_name: plan.budget.version.name.clone(),
        decided: plan.budget.version.kind.is_public(),
        table: title.to_owned(),
        row: amount_row.name.clone(),
        column: year.to_string(),
        stated,
        shown,
        source,
        place: place(&amount_row.at),
        findings,
    }
}

/// A row's outcome to date (a budgeted line with nothing booked has booked 0).
fn outcome_of(row: &ReportRow) -> Money {
    row.cell.actual().map_or(Money::ZERO, |a| a.to_date)
}

pub(crate) fn place(at: &styr_domain::Location) -> String {
    if at.line > 0 {
        format!("{}:{}", at.file, at.line)
    } else {
        at.file.clone()
    }
}

pub(crate) fn money_of_tkr(value: Decimal) -> Option<Money> {
    let ore = value.checked_mul(Decimal::from(100_000))?;
    if !ore.fract().is_zero() {
        return None;
    }
    i64::try_from(ore).ok().map(Money::from_ore)
}

pub(crate) fn quantity_text(quantity: &styr_domain::plan::Quantity) -> String {
    use styr_domain::plan::QuantityUnit;
    let unit = match &quantity.unit {
        QuantityUnit::Plain => "",
        QuantityUnit::Tkr => "tkr",
        QuantityUnit::Percent => "%",
        QuantityUnit::Other(unit) => unit.as_str(),
    };
    tkr_text(quantity.value, unit)
}

/// The trace of a figure an expression names, when it is a cell of an operating table
/// (`op.TABLE.ROW@YEAR`).
pub(crate) fn figure_path(plan: &Plan, figure: &styr_domain::expr::FigureRef) -> Option<String> {
    let [op, table, row] = figure.path.as_slice() else {
        return None;
    };
    let Some(styr_domain::expr::YearSelector::Year(year)) = figure.year else {
        return None;
    };
    let table = plan.budget.operating_table(table).filter(|_| op == "op")?;
    let row = table.row(row)?;
    table
        .years
        .contains(&year)
        .then(|| paths::plan_cell(&plan.budget.version.id, &table.id, &row.id, year))
}
