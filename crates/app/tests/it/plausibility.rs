//! Limits and plausibility of what is reported: a field over its limit is refused whoever
//! sends it; a forecast below what is booked or far from its budget is saved only once
//! confirmed, and the period report lists it under "Kräver uppmärksamhet".

use crate::db::TestDb;
use crate::{admin, all, app_with_example, example_dir};
use styr_app::{AppError, NoProgress};
use styr_domain::Money;
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_reports::Attention;
use styr_store::EntryFilter;

fn forecast(line: &str, amount: Money, comment: Option<String>) -> FollowUpReport {
    FollowUpReport {
        period: Month::parse("2021-08").unwrap(),
        entry: ReportEntry::Forecast {
            line: BudgetLineRef::parse(line).unwrap(),
            amount,
            comment,
            action_plan: None,
        },
    }
}

fn tkr(value: i64) -> Money {
    Money::from_tkr(value).unwrap()
}

async fn implausible_forecasts_are_saved_only_when_confirmed(db: &TestDb) {
    let app = app_with_example(db).await;
    app.import_actuals(
        &admin(),
        &all(),
        &example_dir().join("ledger/ks-2021.se"),
        &mut NoProgress,
    )
    .await
    .unwrap();
    let explained = || Some("Färre skador med självrisk.".to_owned());
    let stored = async || {
        app.reports(&admin(), &all(), &EntryFilter::default())
            .await
            .unwrap()
            .1
            .len()
    };
    let before = stored().await;

    // Försäkringar, August 2021: 2 900 forecast with 3 273 booked.
    let below = forecast("op.gemensamma.forsakringar", tkr(2_900), explained());
    match app
        .report_confirmed(&admin(), &all(), below.clone(), None, false)
        .await
    {
        Err(AppError::Unconfirmed(warnings)) => {
            assert_eq!(warnings.len(), 1);
            assert_eq!(warnings[0].field, "value");
            assert!(
                warnings[0].message.contains(
                    "prognosen för helåret (2 900 tkr) är lägre än det som redan är bokfört i år (3 273 tkr)"
                ),
                "{}",
                warnings[0].message
            );
        }
        other => panic!("expected a warning, got {other:?}"),
    }
    assert_eq!(
        stored().await,
        before,
        "nothing written before it is confirmed"
    );

    // Kommunstyrelseförvaltningen: −5 000 against 84 198 is far from the budget.
    let far = forecast("op.ksf.ksf", tkr(-5_000), explained());
    let error = app
        .report_confirmed(&admin(), &all(), far, None, false)
        .await
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("långt från årets budget (84 198 tkr)"),
        "{error}"
    );

    // Over a limit: refused even when confirmed, naming the field.
    let huge = forecast("op.ksf.ksf", tkr(1_000_000_000_000), explained());
    match app
        .report_confirmed(&admin(), &all(), huge, None, true)
        .await
    {
        Err(AppError::Invalid(problems)) => {
            assert_eq!(problems[0].field, "value");
            assert!(
                problems[0]
                    .message
                    .contains("större än gränsen 100 000 000 tkr")
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let long = forecast("op.ksf.ksf", tkr(84_198), Some("x".repeat(200_000)));
    match app.report(&admin(), &all(), long).await {
        Err(AppError::Invalid(problems)) => {
            assert_eq!(problems[0].field, "comment");
            assert!(
                problems[0]
                    .message
                    .starts_with("Kommentaren är för lång: 200 000 tecken, högst 4 000 tecken")
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(stored().await, before);

    // Confirmed: written, and the period report asks for attention to it.
    app.report_confirmed(&admin(), &all(), below, None, true)
        .await
        .unwrap();
    assert_eq!(stored().await, before + 1);
    let view = app
        .follow_up_view(&admin(), &all(), Some(Month::parse("2021-08").unwrap()))
        .await
        .unwrap();
    let flagged: Vec<&str> = view
        .report
        .attention
        .iter()
        .filter_map(|a| match a {
            Attention::Implausible(note) => Some(note.label.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(flagged, vec!["Försäkringar"]);
    // The investments' underspend is a notable deviation too.
    assert!(view.report.attention.iter().any(|a| matches!(
        a,
        Attention::Deviation(block) if block.investment && block.deviation > Money::ZERO
    )));
    app.close().await;
}

crate::on_both_backends!(implausible_forecasts_are_saved_only_when_confirmed);
