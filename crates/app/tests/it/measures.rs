//! Verksamhetsmått (issue 22, item 6): outcomes imported from CSV and Excel all or nothing
//! (file, line and field; a measure the plan lacks refused), one outcome saved from a form with
//! its audit row and refused as stale when someone else saved first, the report against the
//! budget; and the personnel figures of the example (item 7).

use crate::db::TestDb;
use crate::{actor, admin, all, app_with_example, example_dir};
use rust_decimal::Decimal;
use styr_app::{AppError, Role, StoreError};
use styr_domain::activity::MeasureValue;
use styr_domain::personnel::{SickFigure, Span};
use styr_domain::{Id, Month};
use styr_store::AuditFilter;

fn problems(error: AppError) -> Vec<(Option<u32>, String)> {
    match error {
        AppError::Invalid(problems) => problems.into_iter().map(|p| (p.line, p.field)).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}

async fn stored(app: &styr_app::App) -> usize {
    app.measure_values(&admin(), &all()).await.unwrap().1.len()
}

async fn outcomes_import_all_or_nothing(db: &TestDb) {
    let app = app_with_example(db).await;
    // A measure for an unknown unit's measure, a bad month and a bad number: every problem
    // named, nothing stored.
    let bad = "measure,month,value\ndiarieforda,2021-01,1596\nokant,2021-01,3\n\
               kontaktcenter,2021-13,5\nkontaktcenter,2021-02,många\n";
    let error = app
        .import_measures(&admin(), &all(), "utfall.csv", bad.as_bytes().to_vec())
        .await
        .unwrap_err();
    assert_eq!(
        problems(error),
        [(Some(4), "month".to_owned()), (Some(5), "value".to_owned())]
    );
    let unknown = "measure,month,value\ndiarieforda,2021-01,1596\nokant,2021-01,3\n";
    let error = app
        .import_measures(&admin(), &all(), "utfall.csv", unknown.as_bytes().to_vec())
        .await
        .unwrap_err();
    assert_eq!(problems(error), [(Some(3), "measure".to_owned())]);
    assert_eq!(stored(&app).await, 0);
    // A reporter of another unit may not import KSF's measures.
    let other = actor("ann", Role::Reporter, &["saf"]);
    let error = app
        .import_measures(
            &other,
            &all(),
            "utfall.csv",
            b"measure,month,value\ndiarieforda,2021-01,1\n".to_vec(),
        )
        .await
        .unwrap_err();
    assert_eq!(problems(error), [(Some(2), "measure".to_owned())]);
    // The example's file: 30 outcomes.
    let bytes = std::fs::read(example_dir().join("matt/utfall-2021.csv")).unwrap();
    let imported = app
        .import_measures(&admin(), &all(), "utfall-2021.csv", bytes.clone())
        .await
        .unwrap();
    assert_eq!((imported.rows, imported.recorded.changed), (30, 30));
    assert_eq!(stored(&app).await, 30);
    // Again: nothing changes, and nothing is logged.
    let again = app
        .import_measures(&admin(), &all(), "utfall-2021.csv", bytes)
        .await
        .unwrap();
    assert_eq!((again.recorded.changed, again.recorded.unchanged), (0, 30));
    let log = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("import measures".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    // The report: diarieförda handlingar January–August against their monthly budget
    // (1 500 + 1 600 + 1 750 + 1 600 + 1 550 + 1 500 + 900 + 1 200 = 11 600).
    let report = app
        .measures(&admin(), &all(), Month::parse("2021-08").unwrap())
        .await
        .unwrap();
    let diarieforda = report
        .measures
        .iter()
        .find(|m| m.measure.id.as_str() == "diarieforda")
        .unwrap();
    let months = &diarieforda.series.months;
    assert_eq!(months.len(), 8);
    let sum: Decimal = months.iter().filter_map(|m| m.actual).sum();
    assert_eq!(diarieforda.series.actual_to_date, Some(sum));
    assert_eq!(
        diarieforda.series.budget_to_date,
        Some(Decimal::from(11_600))
    );
    app.close().await;
}

/// A workbook with the sheet «Utfall».
fn workbook(rows: &[(&str, &str, f64)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Utfall").unwrap();
    for (column, heading) in ["measure", "month", "value"].iter().enumerate() {
        sheet.write_string(0, column as u16, *heading).unwrap();
    }
    for (index, (measure, month, value)) in rows.iter().enumerate() {
        let row = index as u32 + 1;
        sheet.write_string(row, 0, *measure).unwrap();
        sheet.write_string(row, 1, *month).unwrap();
        sheet.write_number(row, 2, *value).unwrap();
    }
    book.save_to_buffer().unwrap()
}

async fn outcomes_import_from_excel(db: &TestDb) {
    let app = app_with_example(db).await;
    let bad = workbook(&[("diarieforda", "2021-01", 1596.0), ("nej", "2021-02", 1.0)]);
    let error = app
        .import_measures(&admin(), &all(), "utfall.xlsx", bad)
        .await
        .unwrap_err();
    // Line 3 is the sheet's row 3.
    assert_eq!(problems(error), [(Some(3), "measure".to_owned())]);
    assert_eq!(stored(&app).await, 0);
    let good = workbook(&[
        ("diarieforda", "2021-01", 1596.0),
        ("kontaktcenter", "2021-01", 2787.5),
    ]);
    let imported = app
        .import_measures(&admin(), &all(), "utfall.xlsx", good)
        .await
        .unwrap();
    assert_eq!(imported.recorded.changed, 2);
    let (_, values) = app.measure_values(&admin(), &all()).await.unwrap();
    assert_eq!(values[1].value.value, Decimal::new(27875, 1));
    app.close().await;
}

async fn a_stale_edit_is_refused_and_every_save_is_audited(db: &TestDb) {
    let app = app_with_example(db).await;
    let reporter = actor("kim", Role::Reporter, &["ksf"]);
    let value = |v: i64| MeasureValue {
        measure: Id::parse("kontaktcenter").unwrap(),
        month: Month::parse("2021-03").unwrap(),
        value: Decimal::from(v),
    };
    let first = app
        .save_measure_value(&reporter, &all(), value(2500), 0)
        .await
        .unwrap();
    assert_eq!(first.changed, 1);
    // Someone who saw no value (0) is refused: kim saved in between.
    let stale = app
        .save_measure_value(&admin(), &all(), value(2600), 0)
        .await
        .unwrap_err();
    assert!(
        matches!(stale, AppError::Store(StoreError::StaleMeasure { .. })),
        "{stale}"
    );
    // Based on kim's version (the first: 1) it goes through.
    app.save_measure_value(&admin(), &all(), value(2600), 1)
        .await
        .unwrap();
    let (_, cells) = app
        .measure_cells(&reporter, &all(), Month::parse("2021-03").unwrap())
        .await
        .unwrap();
    let (cell, may) = cells
        .iter()
        .find(|(c, _)| c.measure.as_str() == "kontaktcenter")
        .unwrap();
    assert_eq!((cell.value, *may), (Some(Decimal::from(2600)), true));
    assert_eq!(cell.version, 2);
    // A reporter of another unit may not.
    let other = actor("ann", Role::Reporter, &["saf"]);
    let error = app
        .save_measure_value(&other, &all(), value(1), cell.version)
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    let log = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("report measure".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1].before.as_deref(),
        Some("kontaktcenter 2021-03: 2500")
    );
    assert_eq!(log[1].after.as_deref(), Some("kontaktcenter 2021-03: 2600"));
    app.close().await;
}

async fn personnel_figures_of_the_stored_example(db: &TestDb) {
    let app = app_with_example(db).await;
    let figures = app
        .personnel(&admin(), &all(), Some("ksf"), Span::Year(2019))
        .await
        .unwrap();
    let total = figures.sick.figure(SickFigure::Total).unwrap();
    assert_eq!(total.round_dp(1), Decimal::new(37, 1));
    let september = app
        .personnel(
            &admin(),
            &all(),
            None,
            Span::Month(Month::parse("2020-09").unwrap()),
        )
        .await
        .unwrap();
    assert_eq!(
        september
            .sick
            .figure(SickFigure::Total)
            .unwrap()
            .round_dp(1),
        Decimal::new(34, 1)
    );
    assert!(september.synthetic);
    let error = app
        .personnel(&admin(), &all(), Some("nej"), Span::Year(2019))
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::NotFound(_)));
    app.close().await;
}

/// The whole municipality's figures are the sum of every body's hours: KS's 2019 hours
/// (18 614 sick of 503 094) and one made-up row of BUN's Utbildningsförvaltningen (21 386 of
/// 496 906) give 40 000 / 1 000 000 = 4,0 %; BUN alone is 21 386 / 496 906 = 4,30… %.
async fn the_municipalitys_figures_sum_every_bodys_hours(db: &TestDb) {
    use styr_domain::personnel::{AgeGroup, Gender, HoursRow};
    let app = styr_app::App::open(&db.url).await.unwrap();
    for name in ["kf", "ks", "bun", "son", "bostader"] {
        let dir = example_dir().join(format!("../haninge-{name}-2021"));
        let mut plan = styr_package::read_dir(&dir).unwrap();
        if name == "bun" {
            plan.personnel.hours.push(HoursRow {
                unit: Id::parse("uf").unwrap(),
                month: Month::parse("2019-06").unwrap(),
                gender: Gender::Woman,
                age: AgeGroup::From30To49,
                working: Decimal::from(496_906),
                sick: Decimal::from(21_386),
                long_term: Decimal::ZERO,
                synthetic: true,
                at: Default::default(),
            });
        }
        app.import_plan(&admin(), &plan).await.unwrap();
    }
    let all_bodies = app
        .personnel(&admin(), &all(), None, Span::Year(2019))
        .await
        .unwrap();
    assert_eq!(all_bodies.scope, "Haninge kommun");
    assert_eq!(
        all_bodies.sick.figure(SickFigure::Total),
        Some(Decimal::from(4))
    );
    let bun = styr_app::PlanSelector {
        body: Some("bun".into()),
        ..Default::default()
    };
    let figures = app
        .personnel(&admin(), &bun, None, Span::Year(2019))
        .await
        .unwrap();
    assert_eq!(
        figures.sick.figure(SickFigure::Total).unwrap().round_dp(2),
        Decimal::new(430, 2)
    );
    app.close().await;
}

crate::on_both_backends!(
    the_municipalitys_figures_sum_every_bodys_hours,
    outcomes_import_all_or_nothing,
    outcomes_import_from_excel,
    a_stale_edit_is_refused_and_every_save_is_audited,
    personnel_figures_of_the_stored_example,
);
