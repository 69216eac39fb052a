//! A report in whole tkr (what the web, the CLI's text and the documents print) adds up as
//! printed: each total is the sum of the lines it shows, each line's "varav" rows add up to
//! it, each row's derived figures are derived from its shown ones, and every figure a line
//! states is its exact one rounded once. On generated ledgers over the example plan: amounts
//! with öre, several units under one line, projects, manual forecasts, any month.

use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::LazyLock;
use styr_domain::ledger::{BudgetLineRef, LedgerAmount, ManualForecast, Month};
use styr_domain::number::MoneyUnit;
use styr_domain::{Money, Plan};
use styr_reports::{
    BudgetVsActual, Cell, ForecastMethod, LedgerData, ReportRow, RowKind, budget_vs_actual,
};

static PLAN: LazyLock<Plan> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    styr_package::read_dir(&dir).expect("the example reads")
});

const TKR: i64 = 100_000;

/// Where a booking goes (the example's `ledger/accounts.csv`): account, ansvar, project.
const OBJECTS: [(&str, Option<&str>, Option<&str>); 12] = [
    ("51110", Some("1000"), None),
    ("51110", Some("1010"), None),
    ("45610", Some("1040"), None),
    // Three ansvar of op.ksf.ksf on two units: its "varav" rows.
    ("51110", Some("1100"), None),
    ("45610", Some("1110"), None),
    ("51110", Some("1130"), None),
    ("51110", Some("1160"), None),
    ("69810", Some("1900"), None),
    ("63100", Some("1900"), None),
    ("40100", None, Some("P7001")),
    ("40100", None, Some("P7002")),
    ("40100", None, Some("P7005")),
];

const FORECAST_LINES: [&str; 4] = [
    "op.fortroende.kf",
    "op.ksf.ksf",
    "op.gemensamma.brand",
    "inv.it_investeringar",
];

fn bookings() -> impl Strategy<Value = Vec<LedgerAmount>> {
    prop::collection::vec(
        (0..OBJECTS.len(), 1..=12u8, -80_000_000i64..120_000_000),
        1..60,
    )
    .prop_map(|bookings| {
        bookings
            .into_iter()
            .map(|(object, month, ore)| {
                let (account, ansvar, project) = OBJECTS[object];
                LedgerAmount {
                    account: account.into(),
                    ansvar: ansvar.map(str::to_owned),
                    project: project.map(str::to_owned),
                    month: Month::parse(&format!("2021-{month:02}")).unwrap(),
                    amount: Money::from_ore(ore),
                    rows: 1,
                }
            })
            .collect()
    })
}

fn forecasts(period: Month) -> impl Strategy<Value = Vec<ManualForecast>> {
    prop::collection::vec(
        (0..FORECAST_LINES.len(), -500_000_000i64..2_000_000_000),
        0..4,
    )
    .prop_map(move |forecasts| {
        forecasts
            .into_iter()
            .map(|(line, ore)| ManualForecast {
                line: BudgetLineRef::parse(FORECAST_LINES[line]).unwrap(),
                period,
                amount: Money::from_ore(ore),
                comment: None,
            })
            .collect()
    })
}

fn report() -> impl Strategy<Value = BudgetVsActual> {
    (1..=12u8, bookings())
        .prop_flat_map(|(month, actual)| {
            let period = Month::parse(&format!("2021-{month:02}")).unwrap();
            (Just(period), Just(actual), forecasts(period))
        })
        .prop_map(|(period, actual, forecasts)| {
            budget_vs_actual(
                &PLAN,
                period,
                LedgerData {
                    actual: &actual,
                    budget: &[],
                    forecasts: &forecasts,
                },
            )
        })
}

/// The figures a table shows of a row, in its columns' order.
fn shown(row: &ReportRow) -> [Option<Money>; 7] {
    let (budget, actual, comparison) =
        (row.cell.budget(), row.cell.actual(), row.cell.comparison());
    [
        budget.map(|b| b.annual),
        budget.map(|b| b.to_date),
        actual.map(|a| a.to_date),
        comparison.map(|c| c.deviation),
        actual.map(|a| a.run_rate),
        row.forecast.map(|(_, f)| f),
        row.forecast_deviation,
    ]
}

fn within(shown: Option<Money>, exact: Option<Money>, limit: i64) -> bool {
    match (shown, exact) {
        (Some(shown), Some(exact)) => (shown.ore() - exact.ore()).abs() <= limit,
        (None, None) => true,
        _ => false,
    }
}

fn sum(rows: &[&ReportRow], column: usize) -> Option<Money> {
    let figures: Vec<Money> = rows.iter().filter_map(|r| shown(r)[column]).collect();
    (!figures.is_empty()).then(|| figures.into_iter().sum())
}

fn check(exact: &BudgetVsActual, whole: &BudgetVsActual) -> Result<(), TestCaseError> {
    prop_assert_eq!(exact.rows.len(), whole.rows.len());
    // A total sums the lines since the previous total; one with none of its own (Summa
    // driftbudget) every line of its section so far. Read from the order, as a reader does.
    let (mut pending, mut section): (Vec<&ReportRow>, Vec<&ReportRow>) = (Vec::new(), Vec::new());
    let mut line: Option<(&ReportRow, Vec<&ReportRow>)> = None;
    let close_line =
        |line: &mut Option<(&ReportRow, Vec<&ReportRow>)>| -> Result<(), TestCaseError> {
            if let Some((line, units)) = line.take()
                && !units.is_empty()
            {
                let units_actual: Money = units.iter().filter_map(|u| shown(u)[2]).sum();
                prop_assert_eq!(Some(units_actual), shown(line)[2], "{} varav", &line.label);
                let units_run_rate: Money = units.iter().filter_map(|u| shown(u)[4]).sum();
                prop_assert_eq!(
                    Some(units_run_rate),
                    shown(line)[4],
                    "{} varav",
                    &line.label
                );
            }
            Ok(())
        };
    for (exact_row, row) in exact.rows.iter().zip(&whole.rows) {
        prop_assert_eq!((exact_row.kind, &exact_row.label), (row.kind, &row.label));
        let figures = shown(row);
        for figure in figures.iter().flatten() {
            prop_assert_eq!(
                figure.ore() % TKR,
                0,
                "{}: {:?} is not whole tkr",
                &row.label,
                figure
            );
        }
        // Derived from the shown figures, on every row.
        if let (Some(budget), Some(actual), Some(comparison)) =
            (row.cell.budget(), row.cell.actual(), row.cell.comparison())
        {
            prop_assert_eq!(comparison.deviation, budget.to_date - actual.to_date);
            if row.kind != RowKind::Line && row.kind != RowKind::Project {
            } else if row.forecast_computed {
                prop_assert_eq!(
                    row.forecast,
                    Some((
                        ForecastMethod::BudgetProfile,
                        actual.to_date + budget.annual - budget.to_date
                    ))
                );
            }
        }
        if let (Some(budget), Some((_, forecast))) = (row.cell.budget(), row.forecast)
            && matches!(row.kind, RowKind::Line | RowKind::Project)
        {
            prop_assert_eq!(row.forecast_deviation, Some(budget.annual - forecast));
        }
        match row.kind {
            RowKind::Line | RowKind::Project => {
                close_line(&mut line)?;
                line = Some((row, Vec::new()));
                pending.push(row);
                // What a line states is its exact figure rounded once.
                let exact_figures = shown(exact_row);
                for column in [0, 1, 2, 4] {
                    prop_assert!(
                        within(figures[column], exact_figures[column], TKR / 2),
                        "{} column {}: {:?} against {:?}",
                        &row.label,
                        column,
                        figures[column],
                        exact_figures[column]
                    );
                }
                prop_assert!(within(
                    row.manual_forecast,
                    exact_row.manual_forecast,
                    TKR / 2
                ));
            }
            RowKind::Unit => {
                let exact_figures = shown(exact_row);
                for column in [2, 4] {
                    prop_assert!(within(figures[column], exact_figures[column], TKR - 1));
                }
                line.as_mut().expect("a unit under a line").1.push(row);
            }
            RowKind::TableTotal | RowKind::OperatingTotal | RowKind::InvestmentTotal => {
                close_line(&mut line)?;
                let lines = if pending.is_empty() {
                    std::mem::take(&mut section)
                } else {
                    section.append(&mut pending.clone());
                    std::mem::take(&mut pending)
                };
                prop_assert!(!lines.is_empty(), "{} sums no line", &row.label);
                for (column, total) in figures.iter().enumerate() {
                    prop_assert_eq!(
                        *total,
                        sum(&lines, column),
                        "{} column {}",
                        &row.label,
                        column
                    );
                }
                if row.kind == RowKind::OperatingTotal {
                    section.clear();
                }
            }
        }
    }
    close_line(&mut line)?;
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_report_in_whole_tkr_adds_up_as_printed(exact in report()) {
        check(&exact, &exact.in_whole(MoneyUnit::Tkr))?;
    }
}

/// The case that showed the need (issue 23's note): lines each just under half a tkr make a
/// total that, rounded by itself, is a tkr more than the sum of the shown lines.
#[test]
fn totals_are_the_sums_of_rounded_lines_not_rounded_sums() {
    let booked = |ansvar: &str, ore: i64| LedgerAmount {
        account: "51110".into(),
        ansvar: Some(ansvar.into()),
        project: None,
        month: Month::parse("2021-01").unwrap(),
        amount: Money::from_ore(ore),
        rows: 1,
    };
    // 1,4 tkr on each of three lines of the same table: 4,2 tkr exact, 3 tkr as shown.
    let actual = [
        booked("1000", 140_000),
        booked("1010", 140_000),
        booked("1020", 140_000),
    ];
    let exact = budget_vs_actual(
        &PLAN,
        Month::parse("2021-01").unwrap(),
        LedgerData {
            actual: &actual,
            budget: &[],
            forecasts: &[],
        },
    );
    let whole = exact.in_whole(MoneyUnit::Tkr);
    let total = |report: &BudgetVsActual| {
        report
            .rows
            .iter()
            .find(|r| r.kind == RowKind::TableTotal)
            .and_then(|r| r.cell.actual())
            .map(|a| a.to_date)
    };
    assert_eq!(total(&exact), Some(Money::from_ore(420_000)));
    assert_eq!(total(&whole), Some(Money::from_ore(3 * TKR)));
    assert!(matches!(whole.rows[0].cell, Cell::Both(..)));
}

/// The exploitation and finance tables in whole tkr: each row's income and cost its booked
/// ones rounded once, its net their sum, its deviation from those, the totals the sums of the
/// rows — on amounts with öre, for both projects and the finance row.
#[test]
fn exploitation_and_finance_add_up_as_printed() {
    use styr_reports::accounts_ledger::{Amounts, exploitation_accounts, finance_accounts};
    let booked =
        |account: &str, ansvar: &str, project: Option<&str>, month: u8, ore: i64| LedgerAmount {
            account: account.into(),
            ansvar: Some(ansvar.into()),
            project: project.map(str::to_owned),
            month: Month::parse(&format!("2021-{month:02}")).unwrap(),
            amount: Money::from_ore(ore),
            rows: 1,
        };
    let this_year = [
        booked("36110", "1500", Some("E77055"), 5, -3_000_040_000),
        booked("45610", "1500", Some("E77055"), 3, 140_000),
        booked("45610", "1500", Some("E77055"), 4, 140_000),
        booked("45610", "1500", Some("E77090"), 6, 140_000),
        booked("36110", "1500", Some("E77090"), 6, -60_000),
        booked("84100", "1800", None, 2, -110_049_999),
        booked("84500", "1800", None, 3, 20_940_000),
    ];
    let period = Month::parse("2021-08").unwrap();
    let check = |rows: Vec<(Option<Amounts>, Option<Amounts>, Option<Money>)>,
                 total: (Option<Amounts>, Option<Money>)| {
        let whole = |m: Money| m.ore() % TKR == 0;
        let mut sum = Amounts::default();
        let mut deviations = Money::ZERO;
        for (actual, exact, deviation) in &rows {
            let (Some(actual), Some(exact)) = (actual, exact) else {
                continue;
            };
            assert!(whole(actual.income) && whole(actual.cost) && whole(actual.net));
            assert_eq!(actual.net, actual.income + actual.cost);
            assert!((actual.income.ore() - exact.income.ore()).abs() <= TKR / 2);
            assert!((actual.cost.ore() - exact.cost.ore()).abs() <= TKR / 2);
            sum = Amounts {
                income: sum.income + actual.income,
                cost: sum.cost + actual.cost,
                net: sum.net + actual.net,
            };
            deviations = deviations + deviation.unwrap_or(Money::ZERO);
        }
        assert_eq!(total.0, Some(sum));
        assert_eq!(total.1.unwrap_or(Money::ZERO), deviations);
    };
    let exact = exploitation_accounts(&PLAN, period, &this_year, &[]);
    let printed = exact.in_whole(MoneyUnit::Tkr);
    // The exact figures have öre: the printed ones are rounded, not copied.
    assert_ne!(exact.total.actual, printed.total.actual);
    check(
        printed
            .rows
            .iter()
            .zip(&exact.rows)
            .map(|(p, e)| (p.actual, e.actual, p.deviation))
            .collect(),
        (printed.total.actual, printed.total.deviation),
    );
    let exact = finance_accounts(&PLAN, period, &this_year, &[]);
    let printed = exact.in_whole(MoneyUnit::Tkr);
    check(
        printed
            .rows
            .iter()
            .zip(&exact.rows)
            .map(|(p, e)| (p.actual, e.actual, p.deviation))
            .collect(),
        (printed.total.actual, printed.total.deviation),
    );
    assert!(printed.rows.iter().any(|r| r.actual.is_some()));
}
