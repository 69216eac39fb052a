//! Totals are the sums of their lines, forecasts included; nothing booked is 0 booked; and a
//! report over months the ledger does not cover says so.

use std::path::PathBuf;
use styr_domain::followup::default_calendar;
use styr_domain::ledger::{BudgetLineRef, LedgerAmount, ManualForecast, Month};
use styr_domain::{Money, Plan};
use styr_reports::{
    BudgetVsActual, Cell, Completeness, ForecastMethod, LedgerData, ReportRow, RowKind,
    budget_vs_actual, period_report,
};

fn example() -> Plan {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    styr_package::read_dir(&dir).expect("the example reads")
}

fn tkr(tkr: i64) -> Money {
    Money::from_ore(tkr * 100_000)
}

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn booked(account: &str, ansvar: &str, month_: &str, tkr_: i64) -> LedgerAmount {
    LedgerAmount {
        account: account.into(),
        ansvar: Some(ansvar.to_owned()),
        project: None,
        month: month(month_),
        amount: tkr(tkr_),
        rows: 1,
    }
}

fn forecast(line: &str, period: &str, tkr_: i64) -> ManualForecast {
    ManualForecast {
        line: BudgetLineRef::parse(line).unwrap(),
        period: month(period),
        amount: tkr(tkr_),
        comment: None,
    }
}

/// The administration and KF booked every month January to November.
fn ledger() -> Vec<LedgerAmount> {
    (1..=11)
        .flat_map(|m| {
            let m = format!("2021-{m:02}");
            [
                booked("51110", "1100", &m, 7_000),
                booked("51150", "1000", &m, 250),
            ]
        })
        .collect()
}

fn report(actual: &[LedgerAmount], forecasts: &[ManualForecast], period: &str) -> BudgetVsActual {
    budget_vs_actual(
        &example(),
        month(period),
        LedgerData {
            actual,
            budget: &[],
            forecasts,
        },
    )
}

fn total<'a>(report: &'a BudgetVsActual, kind: RowKind, table: Option<&str>) -> &'a ReportRow {
    report
        .rows
        .iter()
        .find(|r| r.kind == kind && r.table.as_ref().map(|t| t.as_str()) == table)
        .unwrap_or_else(|| panic!("no {kind:?} {table:?}"))
}

fn forecast_of(row: &ReportRow) -> Money {
    row.forecast.map(|(_, f)| f).expect("a forecast")
}

#[test]
fn a_total_forecast_is_the_sum_of_its_lines_forecasts() {
    let actual = ledger();
    let forecasts = vec![
        forecast("op.fortroende.kf", "2021-10", 3_330),
        forecast("op.ksf.ksf", "2021-10", 86_500),
    ];
    let report = report(&actual, &forecasts, "2021-10");
    let fortroende = total(&report, RowKind::TableTotal, Some("fortroende"));
    let lines: Vec<&ReportRow> = report
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Line && r.table == fortroende.table)
        .collect();
    let sum: Money = lines.iter().map(|r| forecast_of(r)).sum();
    assert_eq!(forecast_of(fortroende), sum);
    assert_eq!(fortroende.forecast.unwrap().0, ForecastMethod::LineSum);
    // KF's is reported, the others computed: the total says it holds computed ones.
    assert!(fortroende.forecast_computed);
    let budget = fortroende.cell.budget().unwrap().annual;
    assert_eq!(fortroende.forecast_deviation, Some(budget - sum));
    // Not actual + the rest of the budget, which ignores KF's reported forecast.
    let comparison = fortroende.cell.comparison().unwrap();
    assert_ne!(forecast_of(fortroende), comparison.budget_profile);
    let line_deviations: Money = lines.iter().filter_map(|r| r.forecast_deviation).sum();
    assert_eq!(fortroende.forecast_deviation, Some(line_deviations));

    // The operating total is the sum of every operating line's forecast.
    let operating = total(&report, RowKind::OperatingTotal, None);
    let all: Money = report
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Line)
        .map(forecast_of)
        .sum();
    assert_eq!(forecast_of(operating), all);
}

#[test]
fn changing_one_line_forecast_moves_the_total_by_exactly_that() {
    let actual = ledger();
    let before = report(
        &actual,
        &[forecast("op.fortroende.kf", "2021-10", 3_330)],
        "2021-10",
    );
    let after = report(
        &actual,
        &[forecast("op.fortroende.kf", "2021-10", 3_330 + 1_234)],
        "2021-10",
    );
    for (kind, table) in [
        (RowKind::TableTotal, Some("fortroende")),
        (RowKind::OperatingTotal, None),
    ] {
        let (b, a) = (total(&before, kind, table), total(&after, kind, table));
        assert_eq!(forecast_of(a) - forecast_of(b), tkr(1_234), "{}", b.label);
        assert_eq!(
            b.forecast_deviation.unwrap() - a.forecast_deviation.unwrap(),
            tkr(1_234)
        );
    }
    // A table the line is not in does not move.
    let ksf = |r: &BudgetVsActual| forecast_of(total(r, RowKind::TableTotal, Some("ksf")));
    assert_eq!(ksf(&before), ksf(&after));
}

#[test]
fn every_reported_forecast_makes_a_total_without_the_computed_mark() {
    let plan = example();
    let table = plan
        .budget
        .operating
        .iter()
        .find(|t| t.id.as_str() == "fortroende")
        .unwrap();
    let forecasts: Vec<ManualForecast> = table
        .rows
        .iter()
        .filter(|r| r.kind == styr_domain::budget::RowKind::Line)
        .map(|r| forecast(&format!("op.fortroende.{}", r.id), "2021-10", 100))
        .collect();
    let count = i64::try_from(forecasts.len()).unwrap();
    let actual = ledger();
    let report = report(&actual, &forecasts, "2021-10");
    let fortroende = total(&report, RowKind::TableTotal, Some("fortroende"));
    assert_eq!(forecast_of(fortroende), tkr(100 * count));
    assert!(!fortroende.forecast_computed);
    assert!(total(&report, RowKind::OperatingTotal, None).forecast_computed);
}

#[test]
fn a_budgeted_line_with_nothing_booked_has_booked_zero() {
    let actual = ledger();
    let report = report(&actual, &[], "2021-08");
    let reserve = report
        .rows
        .iter()
        .find(|r| r.label == "Investeringsreserv")
        .expect("the investment reserve");
    let Cell::Both(budget, actual, comparison) = reserve.cell else {
        panic!("{:?}", reserve.cell)
    };
    assert_eq!(actual.to_date, Money::ZERO);
    // 50 000 tkr a year, 8/12 of it to date.
    assert_eq!(budget.to_date, Money::from_ore(3_333_333_333));
    assert_eq!(comparison.deviation, budget.to_date);
    assert_eq!(reserve.forecast_deviation, Some(budget.to_date));
    // The investment total sums it: its deviation is no longer only the booked projects'.
    let investments = total(&report, RowKind::InvestmentTotal, None);
    let deviations: Money = report
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Project)
        .filter_map(|r| r.cell.comparison().map(|c| c.deviation))
        .sum();
    assert_eq!(
        investments.cell.comparison().map(|c| c.deviation),
        Some(deviations)
    );
}

#[test]
fn without_any_ledger_a_line_has_its_budget_only() {
    let report = report(&[], &[], "2021-08");
    let reserve = report
        .rows
        .iter()
        .find(|r| r.label == "Investeringsreserv")
        .unwrap();
    assert!(matches!(reserve.cell, Cell::BudgetOnly(_)));
    assert_eq!(report.uncovered_months(), (1..=8).collect::<Vec<u8>>());
}

#[test]
fn a_year_the_ledger_does_not_cover_is_preliminary() {
    let plan = example();
    // Booked January to November: the annual report lacks December.
    let actual = ledger();
    let economy = report(&actual, &[], "2021-12");
    assert_eq!(economy.booked_months, (1..=11).collect::<Vec<u8>>());
    assert_eq!(economy.uncovered_months(), vec![12]);
    let calendar = default_calendar(2021);
    let annual = calendar
        .iter()
        .find(|p| p.month.to_string() == "2021-12")
        .unwrap();
    let follow_up = period_report(&plan, &calendar, annual, &[], economy);
    let completeness = &follow_up.completeness;
    assert!(!completeness.is_complete());
    assert_eq!(completeness.missing_reports, follow_up.missing.len());
    assert!(completeness.missing_reports > 0);
    assert_eq!(completeness.covered_sv(), "januari–november");
    assert_eq!(
        completeness.reason_sv().unwrap(),
        format!(
            "Huvudboken har bokningar för januari–november men inte för december, så 11 av periodens 12 månader. {} rapporter som perioden kräver saknas.",
            follow_up.missing.len()
        )
    );

    // October is covered; a month with no report due and every month booked is complete.
    let october = report(&actual, &[], "2021-10");
    let complete = Completeness::of(&october, &[]);
    assert!(complete.is_complete());
    assert_eq!(complete.reason_sv(), None);
    // A gap in the middle is named.
    let gap: Vec<LedgerAmount> = actual
        .into_iter()
        .filter(|a| !matches!(a.month.month(), 3 | 4 | 6))
        .collect();
    let gapped = Completeness::of(&report(&gap, &[], "2021-10"), &[]);
    assert_eq!(gapped.uncovered_months, vec![3, 4, 6]);
    assert_eq!(
        gapped.reason_sv().unwrap(),
        "Huvudboken har bokningar för januari–februari, maj och juli–oktober men inte för mars–april och juni, så 7 av periodens 10 månader."
    );
}
