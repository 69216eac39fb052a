//! Drill-down: the rows behind a line add up to the report's actual to date, the vouchers of a
//! unit and account are the rows of its group, and the pages of vouchers walk every row once,
//! forwards and back.

use crate::db::TestDb;
use crate::{admin, all, app_with_example, example_dir};
use styr_app::{App, AppError, NoProgress, VoucherPage, VoucherRequest};
use styr_domain::ledger::{BudgetLineRef, LedgerTransaction, Month};

/// Every page of `request` from the first on, as `App::voucher_page` gives them one by one.
pub(crate) async fn every_page(
    app: &App,
    line: &BudgetLineRef,
    period: Month,
    request: &VoucherRequest,
) -> Vec<VoucherPage> {
    let mut request = request.clone();
    let mut pages = Vec::new();
    loop {
        let page = app
            .voucher_page(&admin(), &all(), line, period, &request)
            .await
            .unwrap();
        let next = page.next;
        pages.push(page);
        match next {
            Some(next) => request.after = Some(next),
            None => return pages,
        }
    }
}

pub(crate) fn rows_of(pages: &[VoucherPage]) -> Vec<LedgerTransaction> {
    pages.iter().flat_map(|p| p.vouchers.clone()).collect()
}

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
            .drill_down(&admin(), &all(), &line, october)
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
        let request = VoucherRequest {
            limit: 7,
            ..VoucherRequest::default()
        };
        let pages = every_page(&app, &line, october, &request).await;
        let listed = rows_of(&pages);
        assert_eq!(listed.len() as u64, rows, "{text}");
        assert_eq!(pages[0].rows, rows, "{text}");
        let sum: styr_domain::Money = listed.iter().map(|v| v.amount).sum();
        assert_eq!(sum, actual, "{text}");
        assert_eq!(pages[0].amount, actual, "{text}");
        let group = &drill.groups[0];
        let narrowed = every_page(
            &app,
            &line,
            october,
            &VoucherRequest {
                unit: group.unit.as_ref().map(|u| u.to_string()),
                account: Some(group.account.clone()),
                limit: 3,
                ..VoucherRequest::default()
            },
        )
        .await;
        let narrowed = rows_of(&narrowed);
        assert_eq!(narrowed.len() as u64, group.rows, "{text}");
        let sum: styr_domain::Money = narrowed.iter().map(|v| v.amount).sum();
        assert_eq!(sum, group.amount, "{text}");
    }
    let public = styr_app::Actor::public(None);
    assert!(matches!(
        app.drill_down(
            &public,
            &all(),
            &BudgetLineRef::parse("op.ksf.ksf").unwrap(),
            october,
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    app.close().await;
}

/// A drill-down lists the same pages whether it reads only the plan's ledger side (a fresh
/// process: `styr actuals list`) or takes it from the whole plan in the plan cache (a served
/// app that has shown the plan), for an operating line and an investment line (whose rules
/// look at the project), of a unit and account too.
async fn the_plans_ledger_side_alone_gives_the_whole_plans_pages(db: &TestDb) {
    let app = app_with_example(db).await;
    for file in ["ledger/ks-2021.se", "ledger/ks-2020.se"] {
        app.import_actuals(&admin(), &all(), &example_dir().join(file), &mut NoProgress)
            .await
            .unwrap();
    }
    // The whole plan in `app`'s cache; nothing in a second app's.
    app.load_plan(&admin(), &all()).await.unwrap();
    let fresh = App::open(&db.url).await.unwrap();
    let october = Month::parse("2021-10").unwrap();
    for text in ["op.ksf.ksf", "op.fortroende.kf", "inv.it_investeringar"] {
        let line = BudgetLineRef::parse(text).unwrap();
        let whole_drill = app.drill_down(&admin(), &all(), &line, october).await;
        let alone_drill = fresh.drill_down(&admin(), &all(), &line, october).await;
        let (whole_drill, alone_drill) = (whole_drill.unwrap(), alone_drill.unwrap());
        assert_eq!(alone_drill, whole_drill, "{text}");
        assert!(!alone_drill.label.is_empty() && !alone_drill.groups.is_empty());
        let group = &whole_drill.groups[0];
        for request in [
            VoucherRequest {
                limit: 9,
                ..VoucherRequest::default()
            },
            VoucherRequest {
                unit: group.unit.as_ref().map(|u| u.to_string()),
                account: Some(group.account.clone()),
                limit: 4,
                ..VoucherRequest::default()
            },
        ] {
            let whole = every_page(&app, &line, october, &request).await;
            let alone = every_page(&fresh, &line, october, &request).await;
            assert!(!alone.is_empty() && !alone[0].vouchers.is_empty(), "{text}");
            assert_eq!(alone, whole, "{text}");
        }
    }
    let missing = BudgetLineRef::parse("op.ksf.no_such_line").unwrap();
    assert!(matches!(
        fresh.drill_down(&admin(), &all(), &missing, october).await,
        Err(AppError::NotFound(_))
    ));
    fresh.close().await;
    app.close().await;
}

crate::on_both_backends!(
    the_rows_behind_a_line_add_up_to_its_actual,
    the_plans_ledger_side_alone_gives_the_whole_plans_pages,
);
