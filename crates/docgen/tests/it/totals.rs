//! Property: in every generated table a total is the sum of the lines it shows.
//!
//! For generated budgets, ledger bookings and manual forecasts on the example plan, checked in
//!
//! - the budget vs actual report value (exact, to the öre, every figure column, and a total's
//!   forecast marked computed exactly when one of its lines' is);
//! - the period report's document tables (driftredovisning, investeringsredovisning), whose
//!   figures are whole tkr rounded once for printing: a total may differ from the sum of its
//!   rounded lines by the roundings only, at most half a tkr per figure;
//! - every table of the strategy document: a total row equals the sum of the lines above it
//!   exactly, or its cell carries the stated-figure marker (with its note giving both figures).
//!
//! And: changing one line's forecast moves its totals' forecasts by exactly that amount.

use crate::{example, tables};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;
use styr_docgen::model::{Cell, Document, Inline, RowStyle, Table};
use styr_docgen::{compose, compose_period_report};
use styr_domain::budget::RowKind as PlanRowKind;
use styr_domain::followup::{FollowUpPeriod, default_calendar};
use styr_domain::ledger::{
    BudgetLineRef, Classification, LedgerAmount, ManualForecast, Month, RuleTarget,
};
use styr_domain::{Money, Plan};
use styr_reports::{
    BudgetVsActual, LedgerData, ReportRow, RowKind, budget_vs_actual, period_report,
};

const YEAR: i32 = 2021;

/// A budget line of the example with a ledger row that maps to it.
#[derive(Debug, Clone)]
struct Line {
    line: BudgetLineRef,
    account: String,
    ansvar: Option<String>,
    project: Option<String>,
}

/// Every operating line and investment project of the example, each with an account (and
/// ansvar or project object) that the example's mapping sends to it.
fn lines() -> &'static [Line] {
    static LINES: OnceLock<Vec<Line>> = OnceLock::new();
    LINES.get_or_init(|| {
        let plan = example();
        let mapping = &plan.ledger;
        let mut lines = Vec::new();
        for rule in &mapping.rules {
            let candidates: Vec<(Option<String>, Option<String>)> = match &rule.target {
                RuleTarget::Operating { .. } => vec![(rule.ansvar.first().cloned(), None)],
                // The investment projects of the list (its other objects are exploitation rows).
                RuleTarget::Investment => mapping
                    .projects
                    .iter()
                    .filter(|p| plan.budget.investment.project_line(&p.project))
                    .map(|p| (rule.ansvar.first().cloned(), Some(p.object.clone())))
                    .collect(),
                RuleTarget::Excluded | RuleTarget::Exploitation | RuleTarget::Finance { .. } => {
                    Vec::new()
                }
            };
            let account = rule.accounts.from().to_owned();
            for (ansvar, project) in candidates {
                let line = match mapping.classify(&account, ansvar.as_deref(), project.as_deref()) {
                    Classification::Operating { table, line, .. } => BudgetLineRef::Operating {
                        table: table.clone(),
                        line: line.clone(),
                    },
                    Classification::Investment { project, .. } => BudgetLineRef::Investment {
                        project: project.clone(),
                    },
                    _ => continue,
                };
                if !lines.iter().any(|l: &Line| l.line == line) {
                    lines.push(Line {
                        line,
                        account: account.clone(),
                        ansvar: ansvar.clone(),
                        project,
                    });
                }
            }
        }
        assert!(lines.len() > 20, "the example maps its lines: {lines:?}");
        lines
    })
}

/// What one case generates, per line of [`lines`].
#[derive(Debug, Clone)]
struct Case {
    /// The budget of the year, öre.
    budgets: Vec<i64>,
    /// Bookings: (month, öre).
    bookings: Vec<Vec<(u8, i64)>>,
    forecasts: Vec<Option<i64>>,
    /// Which period of the calendar.
    period: usize,
    /// A printed total changed: (which total row of the plan, by how many öre).
    stated: Option<(usize, i64)>,
}

fn case() -> impl Strategy<Value = Case> {
    let n = lines().len();
    let ore = -5_000_000_000i64..5_000_000_000i64;
    (
        prop::collection::vec(ore.clone(), n),
        prop::collection::vec(
            prop::collection::vec((1u8..=12, -500_000_000i64..2_000_000_000i64), 0..4),
            n,
        ),
        prop::collection::vec(prop::option::weighted(0.5, ore.clone()), n),
        0usize..10,
        prop::option::of((0usize..8, -100_000_000i64..100_000_000i64)),
    )
        .prop_map(|(budgets, bookings, forecasts, period, stated)| Case {
            budgets,
            bookings,
            forecasts,
            period,
            stated,
        })
}

/// The example with the case's budgets (and a changed printed total, if any).
fn plan_of(case: &Case) -> Plan {
    let mut plan = example().clone();
    let budgets: BTreeMap<&BudgetLineRef, Money> = lines()
        .iter()
        .zip(&case.budgets)
        .map(|(line, ore)| (&line.line, Money::from_ore(*ore)))
        .collect();
    let mut totals = Vec::new();
    for table in plan.budget.operating.iter_mut().filter(|t| !t.summary) {
        for row in &mut table.rows {
            let line = BudgetLineRef::Operating {
                table: table.id.clone(),
                line: row.id.clone(),
            };
            if let Some(budget) = budgets.get(&line) {
                row.amounts.insert(YEAR, *budget);
            }
            if row.kind == PlanRowKind::Total {
                totals.push(row);
            }
        }
    }
    for row in &mut plan.budget.investment.rows {
        let line = BudgetLineRef::Investment {
            project: row.id.clone(),
        };
        if let Some(budget) = budgets.get(&line) {
            row.amounts.insert(YEAR, *budget);
        }
    }
    if let Some((index, delta)) = case.stated
        && !totals.is_empty()
    {
        let count = totals.len();
        let row = &mut totals[index % count];
        let stated = row.amounts.get(&YEAR).copied().unwrap_or(Money::ZERO);
        row.amounts.insert(YEAR, stated + Money::from_ore(delta));
    }
    plan
}

fn calendar() -> Vec<FollowUpPeriod> {
    default_calendar(YEAR)
}

fn period_of(case: &Case) -> FollowUpPeriod {
    let calendar = calendar();
    calendar[case.period % calendar.len()].clone()
}

fn ledger_of(case: &Case) -> Vec<LedgerAmount> {
    lines()
        .iter()
        .zip(&case.bookings)
        .flat_map(|(line, bookings)| {
            bookings.iter().map(|(month, ore)| LedgerAmount {
                account: line.account.clone(),
                ansvar: line.ansvar.clone(),
                project: line.project.clone(),
                month: Month::new(YEAR, *month).unwrap(),
                amount: Money::from_ore(*ore),
                rows: 1,
            })
        })
        .collect()
}

fn forecasts_of(case: &Case, period: Month) -> Vec<ManualForecast> {
    lines()
        .iter()
        .zip(&case.forecasts)
        .filter_map(|(line, forecast)| {
            forecast.map(|ore| ManualForecast {
                line: line.line.clone(),
                period,
                amount: Money::from_ore(ore),
                comment: None,
            })
        })
        .collect()
}

fn report_of(plan: &Plan, case: &Case, forecasts: &[ManualForecast]) -> BudgetVsActual {
    let period = period_of(case).month;
    let actual = ledger_of(case);
    budget_vs_actual(
        plan,
        period,
        LedgerData {
            actual: &actual,
            budget: &[],
            forecasts,
        },
    )
}

// ------------------------------------------------------------------ the report value

/// The figure columns of a report row, by name.
fn figures(row: &ReportRow) -> [(&'static str, Option<Money>); 7] {
    let budget = row.cell.budget();
    let actual = row.cell.actual();
    let comparison = row.cell.comparison();
    [
        ("budget år", budget.map(|b| b.annual)),
        ("budget ack", budget.map(|b| b.to_date)),
        ("utfall ack", actual.map(|a| a.to_date)),
        ("avvikelse", comparison.map(|c| c.deviation)),
        ("prognos takt", actual.map(|a| a.run_rate)),
        ("prognos", row.forecast.map(|(_, f)| f)),
        ("avvikelse prognos", row.forecast_deviation),
    ]
}

/// The lines a total of the report sums.
fn lines_of<'a>(report: &'a BudgetVsActual, total: &ReportRow) -> Vec<&'a ReportRow> {
    report
        .rows
        .iter()
        .filter(|row| match total.kind {
            RowKind::TableTotal => row.kind == RowKind::Line && row.table == total.table,
            RowKind::OperatingTotal => row.kind == RowKind::Line && row.table.is_some(),
            RowKind::InvestmentTotal => row.kind == RowKind::Project,
            _ => false,
        })
        .collect()
}

fn check_report_value(report: &BudgetVsActual) -> Result<(), TestCaseError> {
    let totals = report.rows.iter().filter(|row| {
        matches!(
            row.kind,
            RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal
        )
    });
    for total in totals {
        let lines = lines_of(report, total);
        for (index, (column, figure)) in figures(total).into_iter().enumerate() {
            let shown: Vec<Money> = lines
                .iter()
                .filter_map(|line| figures(line)[index].1)
                .collect();
            let sum = (!shown.is_empty()).then(|| shown.iter().copied().sum::<Money>());
            prop_assert_eq!(figure, sum, "{}: {}", total.label, column);
        }
        prop_assert_eq!(
            total.forecast_computed,
            lines.iter().any(|line| line.forecast_computed),
            "{}: marked computed",
            total.label
        );
    }
    Ok(())
}

// ------------------------------------------------------------------ document tables

/// A figure as printed: "−1 234,5" → −1234.5; a computed-forecast mark is not part of it.
fn number(cell: &Cell) -> Option<Decimal> {
    if cell.missing {
        return None;
    }
    let text: String = Inline::plain(&cell.content)
        .chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '−' | '-' => Some('-'),
            ',' => Some('.'),
            _ => None,
        })
        .collect();
    Some(Decimal::from_str(&text).unwrap_or_else(|_| panic!("not a figure: {cell:?}")))
}

fn marked(cell: &Cell) -> bool {
    cell.content
        .iter()
        .any(|run| matches!(run, Inline::Marked(_)))
}

fn computed_mark(cell: &Cell) -> bool {
    Inline::plain(&cell.content).contains('*')
}

/// The numeric cells of a row by column index (header cells and text columns left out).
fn row_figures(table: &Table, cells: &[Cell], header_span: usize) -> BTreeMap<usize, Cell> {
    // A row whose header a row above covers starts with its first data cell.
    let offset = usize::from(header_span == 0);
    cells
        .iter()
        .enumerate()
        .map(|(index, cell)| (index + offset, cell))
        .filter(|(index, _)| table.columns.get(*index).is_some_and(|c| c.numeric))
        .map(|(index, cell)| (index, cell.clone()))
        .collect()
}

/// How a total row relates to its lines.
struct Check {
    /// Whole-tkr figures rounded once each: a total may differ by the roundings.
    rounded: bool,
}

/// A total row's column against the sum of `lines`: equal (within the roundings when
/// rounded), or the total's cell carries the marker.
fn refs(cells: &[Cell]) -> Vec<&Cell> {
    cells.iter().collect()
}

fn adds_up(check: &Check, total: &Cell, lines: &[&Cell]) -> bool {
    // The marker with both figures sits on the cell the checker found wrong: the total, or
    // one of its lines (issue 18: "one of the cells involved carries the marker").
    if marked(total) || lines.iter().any(|cell| marked(cell)) {
        return true;
    }
    let shown: Vec<Decimal> = lines.iter().filter_map(|cell| number(cell)).collect();
    let sum = (!shown.is_empty()).then(|| shown.iter().copied().sum::<Decimal>());
    match (number(total), sum) {
        (Some(total), Some(sum)) if check.rounded => {
            // Each printed figure is within half a tkr of its exact value.
            (total - sum).abs() * Decimal::TWO <= Decimal::from(shown.len() + 1)
        }
        (total, sum) => total == sum,
    }
}

/// Every total row of a table is the sum of the normal rows since the total before it, or of
/// every normal row above it (a grand total), column by column; measured per "Slag" when the
/// table has one (income, cost and net lines of the finance table).
fn check_table(table: &Table, check: &Check) -> Result<(), TestCaseError> {
    let kind_column = table.columns.iter().position(|c| c.label == "Slag");
    let mut since: Vec<(Option<String>, BTreeMap<usize, Cell>)> = Vec::new();
    let mut all: Vec<(Option<String>, BTreeMap<usize, Cell>)> = Vec::new();
    for row in &table.rows {
        let offset = usize::from(row.header_span == 0);
        let kind = kind_column.and_then(|column| {
            row.cells
                .get(column - offset)
                .map(|cell| Inline::plain(&cell.content))
        });
        let figures = row_figures(table, &row.cells, row.header_span);
        match row.style {
            RowStyle::Part | RowStyle::Group => {}
            RowStyle::Normal => {
                since.push((kind.clone(), figures.clone()));
                all.push((kind, figures));
            }
            RowStyle::Total => {
                let label = row
                    .cells
                    .first()
                    .map(|c| Inline::plain(&c.content))
                    .unwrap_or_default();
                for (column, cell) in &figures {
                    let pick = |rows: &[(Option<String>, BTreeMap<usize, Cell>)]| -> Vec<Cell> {
                        rows.iter()
                            .filter(|(k, _)| *k == kind)
                            .filter_map(|(_, f)| f.get(column).cloned())
                            .collect()
                    };
                    let group = pick(&since);
                    let grand = pick(&all);
                    // In a table of kinds (the finance table) a subtotal sums a run of lines
                    // directly above it: any such run will do.
                    let runs = if kind.is_some() { group.len() } else { 1 };
                    let ok = (0..runs).any(|start| {
                        !group.is_empty() && adds_up(check, cell, &refs(&group[start..]))
                    }) || adds_up(check, cell, &refs(&grand));
                    prop_assert!(
                        ok,
                        "table {} «{}», {} {}: {:?} is not the sum of {:?}",
                        table.id,
                        table.caption,
                        label,
                        table.columns[*column].label,
                        Inline::plain(&cell.content),
                        group
                            .iter()
                            .map(|c| Inline::plain(&c.content))
                            .collect::<Vec<_>>()
                    );
                }
                since.retain(|(k, _)| *k != kind);
            }
        }
    }
    Ok(())
}

/// The period report's economy tables: totals add up within the roundings, and a total's
/// forecast carries the computed mark exactly when one of its lines' does.
fn check_period_document(document: &Document) -> Result<(), TestCaseError> {
    let economy: Vec<&Table> = tables(document)
        .into_iter()
        .filter(|t| t.id.starts_with("tab-ekonomi"))
        .collect();
    for table in &economy {
        check_table(table, &Check { rounded: true })?;
        let forecast = table
            .columns
            .iter()
            .position(|c| c.label == "Prognos helår")
            .expect("a forecast column");
        // (lines since the total before, any of them marked), and the same for all lines.
        let (mut since, mut all) = ((0, false), (0, false));
        for row in &table.rows {
            let mark = row.cells.get(forecast).is_some_and(computed_mark);
            match row.style {
                RowStyle::Normal => {
                    since = (since.0 + 1, since.1 | mark);
                    all = (all.0 + 1, all.1 | mark);
                }
                RowStyle::Part | RowStyle::Group => {}
                RowStyle::Total => {
                    let expected = if since.0 > 0 { since.1 } else { all.1 };
                    prop_assert_eq!(
                        mark,
                        expected,
                        "{}: the computed mark of {:?}",
                        table.id,
                        Inline::plain(&row.cells[0].content)
                    );
                    since = (0, false);
                }
            }
        }
    }
    Ok(())
}

fn check_strategy_document(document: &Document) -> Result<(), TestCaseError> {
    let tables = tables(document);
    prop_assert!(tables.len() > 4);
    for table in tables {
        check_table(table, &Check { rounded: false })?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_total_is_the_sum_of_the_lines_it_shows(case in case()) {
        let plan = plan_of(&case);
        let period = period_of(&case);
        let month = period.month;
        let forecasts = forecasts_of(&case, month);
        let report = report_of(&plan, &case, &forecasts);
        check_report_value(&report)?;

        let follow_up = period_report(&plan, &calendar(), &period, &[], report);
        check_period_document(&compose_period_report(&plan, &follow_up))?;
        check_strategy_document(&compose(&plan))?;
    }

    #[test]
    fn a_changed_line_forecast_moves_its_totals_by_exactly_that(
        case in case(),
        which in 0usize..64,
        delta in -1_000_000_000i64..1_000_000_000,
    ) {
        let plan = plan_of(&case);
        let month = period_of(&case).month;
        let mut forecasts = forecasts_of(&case, month);
        let before = report_of(&plan, &case, &forecasts);
        let line = &lines()[which % lines().len()].line;
        let old = before
            .rows
            .iter()
            .find(|r| r.line.as_ref() == Some(line) && r.unit.is_none())
            .and_then(|r| r.forecast)
            .map(|(_, f)| f);
        let new = old.unwrap_or(Money::ZERO) + Money::from_ore(delta);
        forecasts.retain(|f| &f.line != line);
        forecasts.push(ManualForecast { line: line.clone(), period: month, amount: new, comment: None });
        let after = report_of(&plan, &case, &forecasts);
        // Only when the line had a forecast before does the change move by `delta` exactly;
        // a line with none gets one of `new`.
        let moved = match old { Some(_) => Money::from_ore(delta), None => new };
        for (b, a) in before.rows.iter().zip(&after.rows) {
            let contains = match b.kind {
                RowKind::TableTotal => matches!(line, BudgetLineRef::Operating { table, .. } if b.table.as_ref() == Some(table)),
                RowKind::OperatingTotal => matches!(line, BudgetLineRef::Operating { .. }),
                RowKind::InvestmentTotal => matches!(line, BudgetLineRef::Investment { .. }),
                _ => continue,
            };
            let f = |row: &ReportRow| row.forecast.map(|(_, f)| f).unwrap_or(Money::ZERO);
            let expected = if contains { f(b) + moved } else { f(b) };
            prop_assert_eq!(f(a), expected, "{}", b.label);
            if contains && let (Some(db), Some(da)) = (b.forecast_deviation, a.forecast_deviation) {
                prop_assert_eq!(db - da, moved, "{}: avvikelse prognos", b.label);
            }
        }
    }
}
