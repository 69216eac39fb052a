//! Every figure traced, the plan's other tables: the exploitation budget's and the finance
//! administration's nets are their income and cost from the data, totals the rows they sum, a
//! stated figure that disagrees carries the checker's finding; the ramförändring and the
//! ramberäkning lead to their parts, factors and decisions; an indicator's value names its
//! source, its Kolada KPI and what the follow-up reported.

use crate::db::TestDb;
use crate::{admin, all, example_plan};
use rust_decimal::Decimal;
use std::str::FromStr;
use styr_app::{Actor, App, AppError, FigureSource, KoladaResponse};
use styr_docgen::trace::{FramePart, IndicatorFigure};
use styr_domain::budget::{Measure, RowKind};
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::goal::{IndicatorValue, ValueKind};
use styr_domain::ledger::Month;
use styr_domain::{Id, Location, Money, Plan};

const VERSION: &str = "ks_2021_proposal";

async fn app_with(db: &TestDb, plan: &Plan) -> App {
    let app = App::open(&db.url).await.expect("open");
    app.import_plan(&admin(), plan).await.expect("import");
    app
}

fn rows_of(source: &FigureSource) -> (&[styr_app::TracedRow], Option<Money>) {
    match source {
        FigureSource::Rows { rows, sum, .. } => (rows, *sum),
        other => panic!("not rows: {other:?}"),
    }
}

async fn exploitation_and_finance_nets_are_income_plus_cost_and_totals_their_rows(db: &TestDb) {
    let mut plan = example_plan();
    // One printed net that disagrees with its income and cost.
    let wrong = plan
        .budget
        .exploitation
        .rows
        .iter()
        .position(|r| r.kind == RowKind::Line && r.income.is_some_and(|i| i != Money::ZERO))
        .unwrap();
    let printed = plan.budget.exploitation.rows[wrong].net.unwrap() + Money::from_tkr(7).unwrap();
    plan.budget.exploitation.rows[wrong].net = Some(printed);
    let app = app_with(db, &plan).await;
    let exploitation = &plan.budget.exploitation;
    let mut nets = 0;
    for row in exploitation.rows.iter().filter(|r| r.kind == RowKind::Line) {
        let trace = app
            .trace_exploitation_cell(&admin(), VERSION, row.id.as_str(), Measure::Net)
            .await
            .unwrap();
        let (rows, sum) = rows_of(&trace.source);
        // The net from the data: income + cost, each with its own trace.
        assert_eq!(
            sum,
            Some(row.income.unwrap() + row.cost.unwrap()),
            "{}",
            row.id
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].amount, row.income);
        assert_eq!(rows[1].amount, row.cost);
        assert!(rows[0].path.as_deref().unwrap().ends_with("/intakter"));
        assert!(rows[1].path.as_deref().unwrap().ends_with("/kostnader"));
        assert_eq!(trace.stated, row.net);
        assert_eq!(
            trace.shown(),
            row.net,
            "the printed figure is never replaced"
        );
        if row.id == exploitation.rows[wrong].id {
            assert!(trace.differs());
            assert_eq!(trace.findings.len(), 1, "{:?}", trace.findings);
            assert!(
                trace.findings[0]
                    .describe()
                    .contains("intäkt + kostnad = netto stämmer inte"),
                "{}",
                trace.findings[0].describe()
            );
        } else {
            assert!(!trace.differs(), "{}", row.id);
            assert!(
                trace.findings.is_empty(),
                "{}: {:?}",
                row.id,
                trace.findings
            );
        }
        nets += 1;
    }
    assert!(nets > 30, "{nets}");
    // An income is as printed.
    let income = app
        .trace_exploitation_cell(
            &admin(),
            VERSION,
            exploitation.rows[0].id.as_str(),
            Measure::Income,
        )
        .await
        .unwrap();
    assert_eq!(income.source, FigureSource::Printed);
    // The total's net sums the projects' printed nets: the changed one makes it disagree.
    let total = exploitation
        .rows
        .iter()
        .find(|r| r.kind == RowKind::Total)
        .unwrap();
    let trace = app
        .trace_exploitation_cell(&admin(), VERSION, total.id.as_str(), Measure::Net)
        .await
        .unwrap();
    let (rows, sum) = rows_of(&trace.source);
    let lines: Money = exploitation
        .rows
        .iter()
        .filter(|r| r.kind == RowKind::Line)
        .filter_map(|r| r.net)
        .sum();
    assert_eq!(sum, Some(lines));
    assert_eq!(rows.iter().filter_map(|r| r.amount).sum::<Money>(), lines);
    assert!(
        rows.iter()
            .all(|r| r.path.as_deref().unwrap().ends_with("/netto"))
    );
    assert_eq!(trace.stated, total.net);
    assert!(trace.differs());
    assert!(
        trace.findings.iter().any(|f| f.check == "total"),
        "{:?}",
        trace.findings
    );

    // The finance administration: a net is income + cost of its year, a group's total its lines.
    let finance = &plan.budget.finance;
    let mut checked = 0;
    for row in &finance.rows {
        for &year in &finance.years {
            let trace = app
                .trace_finance_cell(&admin(), VERSION, row.id.as_str(), Measure::Net, year)
                .await;
            let Ok(trace) = trace else { continue };
            match (&row.kind, &trace.source) {
                (RowKind::Total, FigureSource::Rows { rows, sum, .. }) => {
                    let group = row.group.as_ref().unwrap();
                    assert_eq!(*sum, finance.group_sum(group, Measure::Net, year));
                    assert_eq!(
                        rows.iter().filter_map(|r| r.amount).sum::<Money>(),
                        sum.unwrap()
                    );
                    checked += 1;
                }
                (RowKind::Line, FigureSource::Rows { sum, .. }) => {
                    assert_eq!(
                        *sum,
                        Some(
                            row.amount(Measure::Income, year).unwrap()
                                + row.amount(Measure::Cost, year).unwrap()
                        )
                    );
                    assert_eq!(
                        trace.findings.is_empty(),
                        *sum == row.amount(Measure::Net, year),
                        "{} {year}",
                        row.id
                    );
                    checked += 1;
                }
                (_, FigureSource::Printed) => {
                    assert!(row.amount(Measure::Income, year).is_none());
                }
                other => panic!("{other:?}"),
            }
        }
    }
    assert!(checked >= 10, "{checked}");
    // An unknown row, or a year the table has not, is not found.
    for result in [
        app.trace_finance_cell(&admin(), VERSION, "ingen", Measure::Net, 2021)
            .await,
        app.trace_finance_cell(&admin(), VERSION, "skatter", Measure::Net, 1999)
            .await,
    ] {
        assert!(matches!(result, Err(AppError::NotFound(_))), "{result:?}");
    }
    app.close().await;
}

async fn the_frame_change_and_calculation_lead_to_their_parts_factors_and_decisions(db: &TestDb) {
    let plan = example_plan();
    let app = app_with(db, &plan).await;
    let change = plan.budget.frame_change.as_ref().unwrap();
    let total = app
        .trace_frame_change(&admin(), VERSION, None)
        .await
        .unwrap();
    let (rows, sum) = rows_of(&total.source);
    assert_eq!(rows.len(), change.components.len());
    assert_eq!(sum, Some(change.components.iter().map(|c| c.amount).sum()));
    assert_eq!(total.stated, Some(change.stated));
    assert!(total.related.iter().any(|r| {
        r.path
            .as_deref()
            .unwrap()
            .ends_with("/ramberakning/forandring")
    }));
    // A part with a reference names the figures it is computed from.
    let trygghet = app
        .trace_frame_change(&admin(), VERSION, Some("trygghet"))
        .await
        .unwrap();
    match &trygghet.source {
        FigureSource::Reference { figures, .. } => {
            assert!(
                figures.iter().any(|f| f.reference == "op.ksf.trygghet@2021"
                    && f.path
                        .as_deref()
                        .is_some_and(|p| p.contains("/drift/ksf/trygghet/2021"))),
                "{figures:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    // The part's finding (a base the plan does not hold) is the checker's.
    assert!(
        trygghet
            .findings
            .iter()
            .all(|f| f.id.ends_with(":ramforandring:trygghet")),
        "{:?}",
        trygghet.findings
    );

    let calc = plan.budget.frame_calculation.as_ref().unwrap();
    let frame = app
        .trace_frame_calculation(&admin(), VERSION, &FramePart::Frame)
        .await
        .unwrap();
    let (rows, sum) = rows_of(&frame.source);
    assert_eq!(sum, calc.computed_frame());
    assert_eq!(sum, Some(Money::from_tkr(247_000).unwrap()));
    assert_eq!(rows.len(), calc.lines.len() + 1, "the base and each line");
    assert_eq!(
        rows.iter().filter_map(|r| r.amount).sum::<Money>(),
        sum.unwrap()
    );
    assert!(
        frame.decision.as_deref().is_some_and(|d| d.contains("185")),
        "{:?}",
        frame.decision
    );
    // The price and wage line: percent × the base, with the base to follow.
    let pkv = app
        .trace_frame_calculation(
            &admin(),
            VERSION,
            &FramePart::Line(Id::parse("pkv").unwrap()),
        )
        .await
        .unwrap();
    match &pkv.source {
        FigureSource::Computed {
            factors, computed, ..
        } => {
            assert_eq!(*computed, Some(Money::from_tkr(4_372).unwrap()));
            assert!(factors.iter().any(|f| {
                f.path
                    .as_deref()
                    .is_some_and(|p| p.ends_with("/ramberakning/grund"))
            }));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(pkv.shown(), Some(Money::from_tkr(4_372).unwrap()));
    // The effektivisering is subtracted.
    let efficiency = app
        .trace_frame_calculation(
            &admin(),
            VERSION,
            &FramePart::Line(Id::parse("effektivisering").unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(efficiency.shown(), Some(-Money::from_tkr(5_472).unwrap()));
    // The base of a version the plan does not hold: as stated, and the checker says so.
    let base = app
        .trace_frame_calculation(&admin(), VERSION, &FramePart::Base)
        .await
        .unwrap();
    assert_eq!(base.stated, Some(calc.base_amount));
    assert!(base.findings.iter().any(|f| f.id.ends_with(":2021:base")));
    // The change: the lines, against the ramförändring's stated figure.
    let changed = app
        .trace_frame_calculation(&admin(), VERSION, &FramePart::Change)
        .await
        .unwrap();
    assert_eq!(changed.computed(), calc.change());
    assert_eq!(changed.stated, Some(change.stated));
    let missing = app
        .trace_frame_calculation(
            &admin(),
            VERSION,
            &FramePart::Line(Id::parse("ingen").unwrap()),
        )
        .await;
    assert!(matches!(missing, Err(AppError::NotFound(_))));
    app.close().await;
}

fn kolada(name: &str) -> KoladaResponse {
    let path = format!("{}/../kolada/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    KoladaResponse {
        source: name.to_owned(),
        bytes: std::fs::read(&path).unwrap(),
    }
}

async fn an_indicator_value_names_its_source_kolada_kpi_and_who_reported_it(db: &TestDb) {
    let mut plan = example_plan();
    // An outcome of 2021 in the plan, to be reported in the follow-up too.
    plan.indicator_values.push(IndicatorValue {
        indicator: Id::parse("forvarvsarbetande").unwrap(),
        year: 2021,
        kind: ValueKind::Outcome,
        value: Decimal::from_str("81.9").unwrap(),
        at: Location::new("indicator_values.csv", 99),
    });
    let app = app_with(db, &plan).await;
    app.import_kolada(
        &admin(),
        &all(),
        &[
            kolada("v2_N00914_page1.json"),
            kolada("v2_N00914_page2.json"),
        ],
        "2026-11-20",
    )
    .await
    .unwrap();
    // 2019: the plan has no outcome; the document shows Kolada's, and the trace says so.
    let trace = app
        .trace_indicator(
            &admin(),
            VERSION,
            "forvarvsarbetande",
            IndicatorFigure::Outcome,
            2019,
        )
        .await
        .unwrap();
    assert_eq!(trace.kolada_kpi.as_deref(), Some("N00914"));
    assert_eq!(trace.value, Some(Decimal::from_str("81.2").unwrap()));
    assert!(
        trace.origin.contains("Kolada, nyckeltal N00914"),
        "{}",
        trace.origin
    );
    assert!(trace.origin.contains("2026-11-20"), "{}", trace.origin);
    assert_eq!(trace.unit.as_deref(), Some("%"));
    // The comparison group's mean is the mean of the members listed.
    let comparison = app
        .trace_indicator(
            &admin(),
            VERSION,
            "forvarvsarbetande",
            IndicatorFigure::Comparison,
            2019,
        )
        .await
        .unwrap();
    assert!(!comparison.members.is_empty());
    let values: Vec<Decimal> = comparison.members.iter().filter_map(|m| m.value).collect();
    let mean = (values.iter().sum::<Decimal>() / Decimal::from(values.len()))
        .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    assert_eq!(comparison.value, Some(mean));
    // A target is the plan's, where it is written.
    let target = app
        .trace_indicator(
            &admin(),
            VERSION,
            "forvarvsarbetande",
            IndicatorFigure::Target,
            2021,
        )
        .await
        .unwrap();
    assert_eq!(target.value, Some(Decimal::from_str("82.0").unwrap()));
    assert!(
        target.origin.starts_with("indicator_values.csv"),
        "{}",
        target.origin
    );

    // Reported in the follow-up: who and when for a logged-in user, never who for the public.
    app.report(
        &admin(),
        &all(),
        FollowUpReport {
            period: Month::parse("2021-08").unwrap(),
            entry: ReportEntry::Outcome {
                indicator: Id::parse("forvarvsarbetande").unwrap(),
                value: Decimal::from_str("81.9").unwrap(),
                measured_on: Some("2021-06-30".to_owned()),
                source: Some("SCB".to_owned()),
                comment: None,
            },
        },
    )
    .await
    .unwrap();
    let outcome = app
        .trace_indicator(
            &admin(),
            VERSION,
            "forvarvsarbetande",
            IndicatorFigure::Outcome,
            2021,
        )
        .await
        .unwrap();
    assert_eq!(outcome.value, Some(Decimal::from_str("81.9").unwrap()));
    assert!(
        outcome.origin.starts_with("indicator_values.csv:"),
        "{}",
        outcome.origin
    );
    assert_eq!(outcome.reported.len(), 1, "{:?}", outcome.reported);
    assert_eq!(outcome.reported[0].by.as_deref(), Some("admin"));
    assert!(outcome.reported[0].at.starts_with("20"));
    assert_eq!(
        outcome.reported[0].measured_on.as_deref(),
        Some("2021-06-30")
    );
    let public = Actor::public(Some("haninge".to_owned()));
    let hidden = app
        .trace_indicator(
            &public,
            VERSION,
            "forvarvsarbetande",
            IndicatorFigure::Outcome,
            2021,
        )
        .await;
    assert!(matches!(hidden, Err(AppError::NotFound(_))), "a proposal");
    app.decide_version(&admin(), &all(), "kf_2020_11_09_185")
        .await
        .unwrap();
    let open = app
        .trace_indicator(
            &public,
            VERSION,
            "forvarvsarbetande",
            IndicatorFigure::Outcome,
            2021,
        )
        .await
        .unwrap();
    assert!(
        open.reported.is_empty(),
        "an open period's report is a draft"
    );
    app.close_period(&admin(), &all(), Month::parse("2021-08").unwrap())
        .await
        .unwrap();
    let closed = app
        .trace_indicator(
            &public,
            VERSION,
            "forvarvsarbetande",
            IndicatorFigure::Outcome,
            2021,
        )
        .await
        .unwrap();
    assert_eq!(closed.reported.len(), 1);
    assert_eq!(closed.reported[0].by, None);
    // Without a value there is nothing to trace.
    for (figure, year) in [
        (IndicatorFigure::Outcome, 2030),
        (IndicatorFigure::Target, 1990),
    ] {
        let result = app
            .trace_indicator(&admin(), VERSION, "forvarvsarbetande", figure, year)
            .await;
        assert!(
            matches!(result, Err(AppError::NotFound(_))),
            "{figure:?} {year}"
        );
    }
    let result = app
        .trace_indicator(
            &admin(),
            VERSION,
            "bostader",
            IndicatorFigure::Comparison,
            2019,
        )
        .await;
    assert!(matches!(result, Err(AppError::NotFound(_))), "no KPI");
    app.close().await;
}

crate::on_both_backends!(
    exploitation_and_finance_nets_are_income_plus_cost_and_totals_their_rows,
    the_frame_change_and_calculation_lead_to_their_parts_factors_and_decisions,
    an_indicator_value_names_its_source_kolada_kpi_and_who_reported_it,
);
