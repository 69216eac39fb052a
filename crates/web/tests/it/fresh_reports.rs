//! The pages that present a computed report are computed once per change of the data (issue
//! 23): a write — a forecast, an assignment's status, a ledger import — is on the very next
//! request, though the page before it came from memory; on both backends.

use crate::cached_pages::{PAGES, fresh_server, page, session};
use crate::db::TestDb;
use crate::{example_dir, logged_in, spawn_app};
use styr_app::{Actor, NoProgress, PlanSelector};
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::number::{Decimals, MoneyUnit, format_money};

/// Every kind of space taken out of a figure: "1 234" is "1234".
fn digits(figure: &str) -> String {
    figure
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect()
}

/// The figures the page shows as whole elements (a table cell's "2 674"), without their
/// spaces. Whole elements, not substrings of the page: a figure's digits also occur by chance
/// inside other numbers and in the session's random CSRF token (64 hex digits), which made
/// this test fail once in CI looking for "2674".
fn figures(page: &str) -> Vec<String> {
    page.split('>')
        .filter_map(|after_tag| after_tag.split('<').next())
        .map(str::trim)
        .filter(|text| {
            text.chars().any(|c| c.is_ascii_digit())
                && text.chars().all(|c| {
                    c.is_ascii_digit()
                        || matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '-' | '\u{2212}')
                })
        })
        .map(digits)
        .collect()
}

fn shows(page: &str, figure: &str) -> bool {
    figures(page).contains(&digits(figure))
}

async fn a_write_is_on_the_next_request_of_a_report_page(db: &TestDb) {
    let test = spawn_app(db).await;
    let reader = logged_in(&test, "lasare").await;
    let get = async |path: &str| {
        let response = reader
            .get(format!("{}{path}", test.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        response.text().await.unwrap()
    };
    let (admin, all) = (Actor::local_admin("test"), PlanSelector::default());
    let period = Month::parse("2021-08").unwrap();
    let budget = "/budget?period=2021-08";
    // Twice: the second page comes from memory.
    let first = get(budget).await;
    assert_eq!(get(budget).await, first);

    // A forecast of a line: its figure is on the next page.
    let line = BudgetLineRef::parse("op.ksf.ksf").unwrap();
    test.app
        .report_confirmed(
            &admin,
            &all,
            FollowUpReport {
                period,
                entry: ReportEntry::Forecast {
                    line,
                    amount: Money::from_ore(987_654_000 * 100),
                    comment: Some("Ny prognos mellan två sidvisningar.".into()),
                    action_plan: Some("Åtgärder.".into()),
                },
            },
            None,
            true,
        )
        .await
        .unwrap();
    assert!(!shows(&first, "987 654"));
    let after_forecast = get(budget).await;
    assert!(
        shows(&after_forecast, "987 654"),
        "the forecast is not on the next page"
    );

    // A status of an assignment: on its page and the overview at once.
    let assignment = "/uppdrag/ks2020_1?period=2021-08";
    let shown = get(assignment).await;
    let comment = "Skrivet mellan två sidvisningar";
    assert!(!shown.contains(comment));
    test.app
        .report(
            &admin,
            &all,
            FollowUpReport {
                period,
                entry: ReportEntry::Status {
                    assignment: styr_domain::Id::parse("ks2020_1").unwrap(),
                    status: AssignmentStatus::Done,
                    comment: Some(comment.into()),
                },
            },
        )
        .await
        .unwrap();
    assert!(get(assignment).await.contains(comment));

    // A ledger import: the actuals are on the next page.
    get(budget).await;
    test.app
        .import_actuals(
            &admin,
            &all,
            &example_dir().join("ledger/ks-2021.se"),
            &mut NoProgress,
        )
        .await
        .unwrap();
    let report = test
        .app
        .budget_vs_actual(&admin, &all, period)
        .await
        .unwrap()
        .report;
    let booked = report
        .rows
        .iter()
        .filter_map(|row| row.cell.actual())
        .map(|actual| actual.to_date)
        .find(|amount| amount.ore().abs() > 100_000_000)
        .expect("a line with more than a million booked");
    let shown = format_money(booked, MoneyUnit::Tkr, Decimals::Fixed(0), ' ');
    assert!(!shows(&after_forecast, &shown));
    assert!(
        shows(&get(budget).await, &shown),
        "the import's actual {shown} is not on the next page"
    );
}

/// Every page the web keeps rendered per session (`page_cache.rs`), after each kind of write:
/// what a second server on the same database that has never kept it renders.
async fn every_write_is_on_the_next_request_of_every_kept_page(db: &TestDb) {
    let test = spawn_app(db).await;
    let fresh = fresh_server(db).await;
    let (cookie, _) = session(&test, "controller").await;
    let (admin, all) = (Actor::local_admin("test"), PlanSelector::default());
    let period = Month::parse("2021-08").unwrap();
    // Each page kept: asked twice, the same.
    let mut before = Vec::new();
    for path in PAGES {
        let (status, first) = page(&test.url, &cookie, path).await;
        assert_eq!(status, 200, "{path}");
        assert_eq!(page(&test.url, &cookie, path).await.1, first, "{path}");
        before.push(first);
    }
    let mut changed = vec![false; PAGES.len()];
    // After each write, every page is the fresh server's.
    let check = async |what: &str, changed: &mut Vec<bool>, before: &mut Vec<String>| {
        for (index, path) in PAGES.iter().enumerate() {
            let (status, kept) = page(&test.url, &cookie, path).await;
            let (_, expected) = page(&fresh, &cookie, path).await;
            assert_eq!(status, 200, "{path} after {what}");
            assert!(kept == expected, "{path} after {what} is not fresh");
            changed[index] |= kept != before[index];
            before[index] = kept;
        }
    };
    test.app
        .report_confirmed(
            &admin,
            &all,
            FollowUpReport {
                period,
                entry: ReportEntry::Forecast {
                    line: BudgetLineRef::parse("op.ksf.ksf").unwrap(),
                    amount: Money::from_ore(987_654_000 * 100),
                    comment: Some("Ny prognos mellan två sidvisningar.".into()),
                    action_plan: Some("Åtgärder.".into()),
                },
            },
            None,
            true,
        )
        .await
        .unwrap();
    check("a forecast", &mut changed, &mut before).await;
    test.app
        .report(
            &admin,
            &all,
            FollowUpReport {
                period,
                entry: ReportEntry::Status {
                    assignment: styr_domain::Id::parse("ks2020_1").unwrap(),
                    status: AssignmentStatus::Done,
                    comment: Some("Skrivet mellan två sidvisningar".into()),
                },
            },
        )
        .await
        .unwrap();
    check("a status", &mut changed, &mut before).await;
    // The first report of delårsrapport 1: its document is listed.
    test.app
        .report(
            &admin,
            &all,
            FollowUpReport {
                period: Month::parse("2021-04").unwrap(),
                entry: ReportEntry::Status {
                    assignment: styr_domain::Id::parse("ks2020_1").unwrap(),
                    status: AssignmentStatus::Started,
                    comment: None,
                },
            },
        )
        .await
        .unwrap();
    check("another period's first report", &mut changed, &mut before).await;
    test.app
        .import_actuals(
            &admin,
            &all,
            &example_dir().join("ledger/ks-2021.se"),
            &mut NoProgress,
        )
        .await
        .unwrap();
    check("a ledger import", &mut changed, &mut before).await;
    test.app.close_period(&admin, &all, period).await.unwrap();
    check("a closed period", &mut changed, &mut before).await;
    for (path, changed) in PAGES.iter().zip(&changed) {
        assert!(
            changed,
            "no write changed {path}: the test shows nothing of it"
        );
    }
}

crate::on_both_backends!(
    a_write_is_on_the_next_request_of_a_report_page,
    every_write_is_on_the_next_request_of_every_kept_page,
);
