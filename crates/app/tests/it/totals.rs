//! The example's ledger and follow-up: a total's forecast is the sum of its lines' forecasts,
//! and the annual report of a year the ledger does not cover is preliminary wherever it is
//! rendered.

use crate::db::TestDb;
use crate::{admin, all, app_with_example, example_dir};
use styr_app::{App, DocumentFormat, NoProgress};
use styr_domain::Money;
use styr_domain::ledger::Month;
use styr_reports::{ForecastMethod, ReportRow, RowKind};

async fn with_ledger_and_followup(db: &TestDb) -> App {
    let app = app_with_example(db).await;
    app.import_actuals(
        &admin(),
        &all(),
        &example_dir().join("ledger/ks-2021.se"),
        &mut NoProgress,
    )
    .await
    .unwrap();
    for file in ["delar1-2021.csv", "delar2-2021.csv", "oktober-2021.csv"] {
        let bytes = std::fs::read(example_dir().join("followup").join(file)).unwrap();
        app.import_followup(&admin(), &all(), file, &bytes)
            .await
            .unwrap();
    }
    app
}

fn forecast(row: &ReportRow) -> Money {
    row.forecast.map(|(_, f)| f).expect("a forecast")
}

async fn the_example_totals_sum_their_lines_forecasts(db: &TestDb) {
    let app = with_ledger_and_followup(db).await;
    let october = Month::parse("2021-10").unwrap();
    let report = app
        .budget_vs_actual(&admin(), &all(), october)
        .await
        .unwrap()
        .report;
    let fortroende = report
        .rows
        .iter()
        .find(|r| {
            r.kind == RowKind::TableTotal && r.table.as_ref().unwrap().as_str() == "fortroende"
        })
        .unwrap();
    let lines: Vec<&ReportRow> = report
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Line && r.table == fortroende.table)
        .collect();
    // Every line has a reported forecast in October; they sum to 53 133 tkr (the total used to
    // show actual + the rest of the budget, 44 254 tkr).
    assert!(
        lines
            .iter()
            .all(|l| l.forecast.unwrap().0 == ForecastMethod::Manual)
    );
    let sum: Money = lines.iter().map(|l| forecast(l)).sum();
    assert_eq!(sum, Money::from_ore(53_133 * 100_000));
    assert_eq!(forecast(fortroende), sum);
    assert!(!fortroende.forecast_computed);
    assert_eq!(
        fortroende.forecast_deviation,
        Some(fortroende.cell.budget().unwrap().annual - sum)
    );
    // Summa driftbudget: the sum of every operating line's forecast and so of the tables'.
    let operating = report
        .rows
        .iter()
        .find(|r| r.kind == RowKind::OperatingTotal)
        .unwrap();
    let tables: Money = report
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::TableTotal)
        .map(forecast)
        .sum();
    assert_eq!(forecast(operating), tables);
    let budget = operating.cell.budget().unwrap().annual;
    assert_eq!(operating.forecast_deviation, Some(budget - tables));
    app.close().await;
}

async fn an_annual_report_beyond_the_ledger_is_preliminary(db: &TestDb) {
    let app = with_ledger_and_followup(db).await;
    let december = Month::parse("2021-12").unwrap();
    let (_, report) = app.period_report(&admin(), &all(), december).await.unwrap();
    let completeness = &report.completeness;
    assert!(!completeness.is_complete());
    assert_eq!(completeness.uncovered_months, vec![12]);
    assert_eq!(completeness.missing_reports, report.missing.len());
    let rendered = app
        .render_period_report(
            &admin(),
            &all(),
            styr_reports::ReportKind::by_slug("arsredovisning").unwrap(),
            december,
            DocumentFormat::Html,
        )
        .await
        .unwrap();
    let reason = rendered.preliminary.expect("preliminary");
    assert!(
        reason.contains("januari–november men inte för december"),
        "{reason}"
    );
    let html = String::from_utf8(rendered.bytes).unwrap();
    assert!(html.contains(&format!("Preliminär: {reason}")), "the cover");
    assert!(
        html.contains("Driftredovisning per 31 december 2021 (preliminär)"),
        "the table"
    );
    // August is covered by the ledger.
    let (_, august) = app
        .period_report(&admin(), &all(), Month::parse("2021-08").unwrap())
        .await
        .unwrap();
    assert!(august.completeness.uncovered_months.is_empty());
    app.close().await;
}

crate::on_both_backends!(
    the_example_totals_sum_their_lines_forecasts,
    an_annual_report_beyond_the_ledger_is_preliminary
);
