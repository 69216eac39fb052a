//! Drill-down: the rows behind a line add up to the report's actual to date, and the vouchers
//! of a unit and account are the rows of its group.

use crate::db::TestDb;
use crate::{admin, all, app_with_example, example_dir};
use styr_app::{AppError, NoProgress};
use styr_domain::ledger::{BudgetLineRef, Month};

async fn the_rows_behind_a_line_add_up_to_its_actual(db: &TestDb) {
    let app = app_with_example(db).await;
    app.import_actuals(
        &admin(),
        &all(),
        &example_dir().join("ledger/ks-2021.se"),
        &mut NoProgress,
    )
    .await
    .unwrap();
    let october = Month::parse("2021-10").unwrap();
    let report = app
        .budget_vs_actual(&admin(), &all(), october)
        .await
        .unwrap();
    for text in ["op.ksf.ksf", "op.fortroende.kf", "inv.it_investeringar"] {
        let line = BudgetLineRef::parse(text).unwrap();
        let drill = app
            .drill_down(&admin(), &all(), &line, october, None, None)
            .await
            .unwrap();
        let actual = report
            .report
            .rows
            .iter()
            .find(|r| r.line.as_ref() == Some(&line) && r.unit.is_none())
            .and_then(|r| r.cell.actual())
            .map(|a| a.to_date)
            .unwrap();
        assert_eq!(drill.total(), actual, "{text}");
        let rows: u64 = drill.groups.iter().map(|g| g.rows).sum();
        assert_eq!(drill.vouchers.len() as u64, rows, "{text}");
        let group = &drill.groups[0];
        let narrowed = app
            .drill_down(
                &admin(),
                &all(),
                &line,
                october,
                group.unit.as_ref().map(|u| u.as_str()),
                Some(&group.account),
            )
            .await
            .unwrap();
        assert_eq!(narrowed.vouchers.len() as u64, group.rows, "{text}");
        let sum: styr_domain::Money = narrowed.vouchers.iter().map(|v| v.amount).sum();
        assert_eq!(sum, group.amount, "{text}");
    }
    let public = styr_app::Actor::public(None);
    assert!(matches!(
        app.drill_down(
            &public,
            &all(),
            &BudgetLineRef::parse("op.ksf.ksf").unwrap(),
            october,
            None,
            None
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    app.close().await;
}

crate::on_both_backends!(the_rows_behind_a_line_add_up_to_its_actual);
