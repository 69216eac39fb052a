//! The pages of vouchers behind a figure walk every row once, forwards and back, with pages of
//! any size; a bad request is refused.

use crate::db::TestDb;
use crate::drill::{every_page, rows_of};
use crate::{admin, all, app_with_example, example_dir};
use styr_app::{AppError, NoProgress, VoucherRequest};
use styr_domain::ledger::{BudgetLineRef, Month};

/// Pages of any size give the same rows in the same order (by date, then voucher and row; many
/// share a date), one page's `previous` gives back the page before it, and a bad request is
/// refused.
async fn pages_of_vouchers_walk_every_row_once(db: &TestDb) {
    let app = app_with_example(db).await;
    for file in ["ledger/ks-2021.se", "ledger/ks-2020.se"] {
        app.import_actuals(&admin(), &all(), &example_dir().join(file), &mut NoProgress)
            .await
            .unwrap();
    }
    let october = Month::parse("2021-10").unwrap();
    let line = BudgetLineRef::parse("op.ksf.ksf").unwrap();
    let whole = every_page(
        &app,
        &line,
        october,
        &VoucherRequest {
            limit: styr_app::MAX_PAGE_ROWS,
            ..VoucherRequest::default()
        },
    )
    .await;
    assert_eq!(whole.len(), 1);
    let all_rows = rows_of(&whole);
    assert!(all_rows.len() > 50, "{}", all_rows.len());
    assert_eq!(all_rows.len() as u64, whole[0].rows);
    assert!(
        all_rows
            .windows(2)
            .all(|w| w[0].transaction_date <= w[1].transaction_date),
        "in date order"
    );
    assert!(
        all_rows
            .windows(2)
            .any(|w| w[0].transaction_date == w[1].transaction_date),
        "rows share a date"
    );
    assert!(
        all_rows
            .iter()
            .all(|r| r.transaction_date.starts_with("2021-"))
    );
    for limit in [1, 4, 25] {
        let request = VoucherRequest {
            limit,
            ..VoucherRequest::default()
        };
        let pages = every_page(&app, &line, october, &request).await;
        assert_eq!(rows_of(&pages), all_rows, "limit {limit}");
        assert!(pages[0].previous.is_none());
        assert!(pages.last().unwrap().next.is_none());
        // Each page's previous is the page before it.
        for index in 1..pages.len().min(6) {
            let back = app
                .voucher_page(
                    &admin(),
                    &all(),
                    &line,
                    october,
                    &VoucherRequest {
                        before: pages[index].previous,
                        limit,
                        ..VoucherRequest::default()
                    },
                )
                .await
                .unwrap();
            assert_eq!(back.vouchers, pages[index - 1].vouchers, "limit {limit}");
            assert_eq!(back.next, pages[index - 1].next, "limit {limit}");
            assert_eq!(back.previous.is_some(), index > 1, "limit {limit}");
        }
    }
    // The cursor is an opaque token that reads back; a bad one is refused.
    let first = every_page(&app, &line, october, &VoucherRequest::default()).await;
    let token = first[0].next.unwrap().to_string();
    assert_eq!(
        token.parse::<styr_app::VoucherCursor>().unwrap(),
        first[0].next.unwrap()
    );
    for bad in [
        "",
        "zz",
        "abc",
        "31",
        "312e322e33",
        &token[..token.len() - 2],
    ] {
        assert!(bad.parse::<styr_app::VoucherCursor>().is_err(), "{bad:?}");
    }
    for limit in [0, styr_app::MAX_PAGE_ROWS + 1] {
        let refused = app
            .voucher_page(
                &admin(),
                &all(),
                &line,
                october,
                &VoucherRequest {
                    limit,
                    ..VoucherRequest::default()
                },
            )
            .await;
        assert!(matches!(refused, Err(AppError::Invalid(_))), "{limit}");
    }
    let both = app
        .voucher_page(
            &admin(),
            &all(),
            &line,
            october,
            &VoucherRequest {
                after: first[0].next,
                before: first[0].next,
                ..VoucherRequest::default()
            },
        )
        .await;
    assert!(matches!(both, Err(AppError::Invalid(_))));
    let public = styr_app::Actor::public(None);
    assert!(matches!(
        app.voucher_page(&public, &all(), &line, october, &VoucherRequest::default())
            .await,
        Err(AppError::Forbidden(_))
    ));
    app.close().await;
}

crate::on_both_backends!(pages_of_vouchers_walk_every_row_once);
