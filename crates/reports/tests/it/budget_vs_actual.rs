//! Budget vs actual on the example plan with hand-made ledger amounts: every figure exact.

use std::path::PathBuf;
use styr_domain::ledger::{BudgetLineRef, LedgerAmount, ManualForecast, Month, UnmappedReason};
use styr_domain::{Money, Plan};
use styr_reports::{
    Cell, ForecastMethod, LedgerData, ProfileSource, ReportRow, RowKind, budget_vs_actual,
};

fn example() -> Plan {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    styr_package::read_dir(&dir).expect("the example reads")
}

fn kr(kr: i64) -> Money {
    Money::from_kr(kr).unwrap()
}

fn amount(
    account: &str,
    ansvar: Option<&str>,
    project: Option<&str>,
    month: &str,
    kr_: i64,
) -> LedgerAmount {
    LedgerAmount {
        account: account.into(),
        ansvar: ansvar.map(str::to_owned),
        project: project.map(str::to_owned),
        month: Month::parse(month).unwrap(),
        amount: kr(kr_),
        rows: 1,
    }
}

fn row<'a>(rows: &'a [ReportRow], line: &str, kind: RowKind) -> &'a ReportRow {
    let line = BudgetLineRef::parse(line).unwrap();
    rows.iter()
        .find(|r| r.line.as_ref() == Some(&line) && r.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} row for {line}"))
}

fn period() -> Month {
    Month::parse("2021-10").unwrap()
}

#[test]
fn an_even_spread_with_both_forecasts() {
    let plan = example();
    let actual: Vec<LedgerAmount> = (1..=10)
        .map(|m| {
            amount(
                "51150",
                Some("1000"),
                None,
                &format!("2021-{m:02}"),
                250_000,
            )
        })
        .collect();
    let data = LedgerData {
        actual: &actual,
        budget: &[],
        forecasts: &[],
    };
    let report = budget_vs_actual(&plan, period(), data);
    assert_eq!((report.year, report.months), (2021, 10));
    let kf = row(&report.rows, "op.fortroende.kf", RowKind::Line);
    let Cell::Both(budget, actual, comparison) = kf.cell else {
        panic!("{:?}", kf.cell)
    };
    assert_eq!(budget.annual, kr(3_513_000));
    assert_eq!(budget.to_date, kr(2_927_500));
    assert_eq!(budget.profile, ProfileSource::Even);
    assert_eq!((actual.to_date, actual.rows), (kr(2_500_000), 10));
    assert_eq!(actual.run_rate, kr(3_000_000));
    assert_eq!(comparison.deviation, kr(427_500));
    assert_eq!(comparison.budget_profile, kr(3_085_500));
    assert_eq!(
        kf.forecast,
        Some((ForecastMethod::BudgetProfile, kr(3_085_500)))
    );
    assert_eq!(kf.forecast_deviation, Some(kr(427_500)));
    // A line without bookings has booked 0: its deviation is its whole budget to date, and
    // its computed forecast the budget of the rest of the year. KF has no unit, so no unit rows.
    let tolk = row(&report.rows, "op.fortroende.tolk", RowKind::Line);
    let Cell::Both(budget, actual, comparison) = tolk.cell else {
        panic!("{:?}", tolk.cell)
    };
    assert_eq!((actual.to_date, actual.rows), (Money::ZERO, 0));
    assert_eq!(comparison.deviation, budget.to_date);
    assert_eq!(comparison.deviation, Money::from_ore(8_333_333));
    assert_eq!(
        tolk.forecast,
        Some((ForecastMethod::BudgetProfile, Money::from_ore(1_666_667)))
    );
    assert!(tolk.forecast_computed);
    assert_eq!(tolk.forecast_deviation, Some(Money::from_ore(8_333_333)));
    assert!(!report.rows.iter().any(|r| r.kind == RowKind::Unit));
    // The operating total: every budget, this one actual.
    let total = report
        .rows
        .iter()
        .find(|r| r.kind == RowKind::OperatingTotal)
        .unwrap();
    assert_eq!(total.cell.budget().unwrap().annual, kr(247_000_000));
    assert_eq!(total.cell.actual().unwrap().to_date, kr(2_500_000));
    assert_eq!(total.cell.budget().unwrap().profile, ProfileSource::Mixed);
}

#[test]
fn ledger_budget_shapes_before_plan_profile_before_even() {
    let plan = example();
    // #PBUDGET for the administration: a quarter of the year's shape in January, the rest even
    // over the other months (level irrelevant: the plan's 84 198 tkr is the budget).
    let mut budget = vec![amount("51110", Some("1100"), None, "2021-01", 300)];
    for m in 2..=12 {
        budget.push(amount(
            "51110",
            Some("1130"),
            None,
            &format!("2021-{m:02}"),
            100,
        ));
    }
    // Unmappable #PBUDGET rows are ignored.
    budget.push(amount("51110", Some("1990"), None, "2021-01", 1_000_000));
    let actual = vec![amount("69810", Some("1900"), None, "2021-01", 15_041_500)];
    let data = LedgerData {
        actual: &actual,
        budget: &budget,
        forecasts: &[],
    };
    let report = budget_vs_actual(&plan, Month::parse("2021-02").unwrap(), data);
    let ksf = row(&report.rows, "op.ksf.ksf", RowKind::Line);
    let budgeted = ksf.cell.budget().unwrap();
    assert_eq!(budgeted.profile, ProfileSource::Ledger);
    // 84 198 000 kr × 400 / 1 400.
    assert_eq!(budgeted.to_date, Money::from_ore(2_405_657_143));
    // The fire brigade: plan profile, a quarter paid in January, due by February.
    let brand = row(&report.rows, "op.gemensamma.brand", RowKind::Line);
    let Cell::Both(budget, actual, comparison) = brand.cell else {
        panic!()
    };
    assert_eq!(budget.profile, ProfileSource::Plan);
    assert_eq!(budget.to_date, kr(15_041_500));
    assert_eq!(comparison.deviation, Money::ZERO);
    assert_eq!(comparison.budget_profile, kr(60_166_000));
    // The run rate would say six times as much: the reason for two methods.
    assert_eq!(actual.run_rate, kr(90_249_000));
}

#[test]
fn nothing_is_dropped() {
    let plan = example();
    let actual = vec![
        // Mapped: the administration, on two units.
        amount("51110", Some("1100"), None, "2021-03", 1_000),
        amount("3490", Some("1130"), None, "2021-03", -200),
        // An investment with and without its project.
        amount("4010", Some("1150"), Some("P7002"), "2021-04", 500),
        amount("4010", Some("1150"), None, "2021-04", 70),
        amount("4020", None, Some("P9999"), "2021-04", 30),
        // No rule: an ansvar that no rule names, and a class 8 account.
        amount("7990", Some("1990"), None, "2021-05", 11),
        amount("8410", None, None, "2021-05", 3),
        // The balance sheet, excluded.
        amount("2440", None, None, "2021-03", -1_414),
        // After the period (an excluded one not counted there), and another year.
        amount("6420", Some("1100"), None, "2021-11", 40),
        amount("2440", None, None, "2021-11", -40),
        amount("6420", Some("1100"), None, "2020-12", 99),
    ];
    let data = LedgerData {
        actual: &actual,
        budget: &[],
        forecasts: &[],
    };
    let report = budget_vs_actual(&plan, period(), data);
    let ksf = row(&report.rows, "op.ksf.ksf", RowKind::Line);
    assert_eq!(ksf.cell.actual().unwrap().to_date, kr(800));
    let units: Vec<(Option<&str>, Money)> = report
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Unit && r.line == ksf.line)
        .map(|r| {
            assert!(matches!(r.cell, Cell::ActualOnly(_)));
            (
                r.unit.as_ref().map(|u| u.as_str()),
                r.cell.actual().unwrap().to_date,
            )
        })
        .collect();
    assert_eq!(
        units,
        vec![
            (Some("ksf"), kr(1_000)),
            (Some("ekonomiavdelningen"), kr(-200))
        ]
    );
    let it = row(&report.rows, "inv.it_investeringar", RowKind::Project);
    assert_eq!(it.cell.actual().unwrap().to_date, kr(500));
    let unmapped: Vec<(&str, UnmappedReason, Money)> = report
        .unmapped
        .iter()
        .map(|u| (u.account.as_str(), u.reason, u.amount))
        .collect();
    assert_eq!(
        unmapped,
        vec![
            ("4010", UnmappedReason::NoProject, kr(70)),
            ("4020", UnmappedReason::UnknownProject, kr(30)),
            ("7990", UnmappedReason::NoRule, kr(11)),
            ("8410", UnmappedReason::NoRule, kr(3)),
        ]
    );
    assert_eq!(report.unmapped_total(), (4, kr(114)));
    assert_eq!(
        (report.excluded.rows, report.excluded.amount),
        (1, kr(-1_414))
    );
    assert_eq!((report.later.rows, report.later.amount), (1, kr(40)));
    // The rows of the months counted add up to zero, as balanced vouchers do.
    let mapped: Money = report
        .rows
        .iter()
        .filter(|r| matches!(r.kind, RowKind::Line | RowKind::Project))
        .filter_map(|r| r.cell.actual().map(|a| a.to_date))
        .sum();
    assert_eq!(
        mapped + report.unmapped_total().1 + report.excluded.amount,
        Money::ZERO
    );
}

#[test]
fn a_manual_forecast_is_the_one_the_deviation_uses() {
    let plan = example();
    let actual = vec![amount("6420", Some("1160"), None, "2021-10", 14_000_000)];
    let line = BudgetLineRef::parse("op.ksf.trygghet").unwrap();
    let forecasts = vec![
        ManualForecast {
            line: line.clone(),
            period: period(),
            amount: kr(16_500_000),
            comment: None,
        },
        // Another month's forecast does not count.
        ManualForecast {
            line,
            period: Month::parse("2021-09").unwrap(),
            amount: kr(1),
            comment: None,
        },
    ];
    let data = LedgerData {
        actual: &actual,
        budget: &[],
        forecasts: &forecasts,
    };
    let report = budget_vs_actual(&plan, period(), data);
    let trygghet = row(&report.rows, "op.ksf.trygghet", RowKind::Line);
    assert_eq!(trygghet.manual_forecast, Some(kr(16_500_000)));
    assert_eq!(
        trygghet.forecast,
        Some((ForecastMethod::Manual, kr(16_500_000)))
    );
    assert_eq!(trygghet.forecast_deviation, Some(kr(500_000)));
    // The unit row carries no forecast of its own.
    let unit = row(&report.rows, "op.ksf.trygghet", RowKind::Unit);
    assert_eq!((unit.manual_forecast, unit.forecast), (None, None));
}
