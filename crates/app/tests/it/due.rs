//! What a period asks for, through the use cases (`App::period_due`, `App::report_period`):
//! per unit, with the current reports; the calendar's current period; a period's report
//! saved all or nothing with every stale item named.

use crate::db::TestDb;
use crate::{actor, admin, all, app_with_example};
use styr_app::{PeriodSave, Refusal, Role, Submitted};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::{ControlResult, TrafficLight};
use styr_domain::followup::{EntryKind, FollowUpReport, ReportEntry};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::{Id, Money};
use styr_store::{AuditFilter, EntryFilter};

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn forecast(line: &str, tkr: i64, comment: Option<&str>) -> ReportEntry {
    ReportEntry::Forecast {
        line: BudgetLineRef::parse(line).unwrap(),
        amount: Money::from_ore(tkr * 100_000),
        comment: comment.map(str::to_owned),
        action_plan: None,
    }
}

fn started(assignment: &str) -> ReportEntry {
    ReportEntry::Status {
        assignment: Id::parse(assignment).unwrap(),
        status: AssignmentStatus::Started,
        comment: None,
    }
}

async fn a_units_period_is_what_its_reporters_may_report(db: &TestDb) {
    let app = app_with_example(db)
        .await
        .with_reporting_date(Some("2021-11-05".to_owned()));
    let ksf = Id::parse("ksf").unwrap();
    let an = Id::parse("an").unwrap();
    // Without a period: October, the one the calendar is reporting on 5 November.
    let due = app
        .period_due(&admin(), &all(), None, Some(&ksf))
        .await
        .unwrap();
    assert_eq!(due.period.month.to_string(), "2021-10");
    let kinds = |kind: EntryKind| due.of_kind(kind).count();
    assert_eq!(kinds(EntryKind::Forecast), 26);
    assert_eq!(kinds(EntryKind::Outcome), 6);
    assert!(kinds(EntryKind::Status) >= 17);
    // Äldrenämnden's reporter answers for one assignment (shared with KS) and nothing else.
    let elderly = app
        .period_due(&admin(), &all(), Some(month("2021-08")), Some(&an))
        .await
        .unwrap();
    let subjects: Vec<&str> = elderly
        .items
        .iter()
        .map(|e| e.item.subject.as_str())
        .collect();
    assert_eq!(subjects, ["ny2021_seniorbostadskon"]);
    // A reporter may not ask for another unit's report, and sees may_report per item.
    let reporter = actor("r", Role::Reporter, &["an"]);
    assert!(
        app.period_due(&reporter, &all(), None, Some(&ksf))
            .await
            .is_err()
    );
    let everything = app.period_due(&reporter, &all(), None, None).await.unwrap();
    let mine: Vec<&str> = everything
        .items
        .iter()
        .filter(|e| e.may_report)
        .map(|e| e.item.subject.as_str())
        .collect();
    assert_eq!(mine, ["ny2021_seniorbostadskon"]);
    app.close().await;
}

async fn the_default_period_follows_the_calendar_not_the_latest_report(db: &TestDb) {
    let app = app_with_example(db)
        .await
        .with_reporting_date(Some("2021-11-05".to_owned()));
    // One control result saved for the annual report (issue 18 item 10).
    app.report(
        &admin(),
        &all(),
        FollowUpReport {
            period: month("2021-12"),
            entry: ReportEntry::Control {
                control: Id::parse("ikp21_evakuering").unwrap(),
                result: ControlResult::NoRemarks,
                light: TrafficLight::Green,
                finding: None,
                action: None,
            },
        },
    )
    .await
    .unwrap();
    let view = app.follow_up_view(&admin(), &all(), None).await.unwrap();
    assert_eq!(view.report.period.month.to_string(), "2021-10");
    let later = app.with_reporting_date(Some("2021-11-11".to_owned()));
    let view = later.follow_up_view(&admin(), &all(), None).await.unwrap();
    assert_eq!(view.report.period.month.to_string(), "2021-11");
    later.close().await;
}

/// How many reports the period holds.
async fn reports_in(app: &styr_app::App, period: Month) -> usize {
    let filter = EntryFilter {
        period: Some(period),
        ..EntryFilter::default()
    };
    app.reports(&admin(), &all(), &filter)
        .await
        .unwrap()
        .1
        .len()
}

async fn a_periods_report_is_saved_all_or_nothing(db: &TestDb) {
    let app = app_with_example(db).await;
    let may = month("2021-05");
    let reporter = actor("ks", Role::Reporter, &["ksf"]);
    // One bad item (a deviation without an explanation): nothing is written.
    let items = vec![
        Submitted {
            entry: started("ks2020_3"),
            based_on: 0,
        },
        Submitted {
            entry: forecast("op.fortroende.kf", 3_000, None),
            based_on: 0,
        },
    ];
    match app
        .report_period(&reporter, &all(), may, items, false)
        .await
        .unwrap()
    {
        PeriodSave::Refused(refusals) => {
            assert_eq!(refusals.len(), 1, "{refusals:?}");
            assert_eq!(refusals[0].key(), "forecast/op.fortroende.kf");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(reports_in(&app, may).await, 0);
    // Both good: both written, in one transaction with one audit row.
    let items = vec![
        Submitted {
            entry: started("ks2020_3"),
            based_on: 0,
        },
        Submitted {
            entry: forecast(
                "op.fortroende.kf",
                3_000,
                Some("Färre sammanträden på plats."),
            ),
            based_on: 0,
        },
    ];
    let PeriodSave::Saved(saved) = app
        .report_period(&reporter, &all(), may, items, false)
        .await
        .unwrap()
    else {
        panic!("expected a save");
    };
    assert_eq!(saved.changes.len(), 2);
    assert_eq!(reports_in(&app, may).await, 2);
    let audit = app
        .audit_log(&admin(), &AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(
        audit
            .iter()
            .filter(|a| a.action.starts_with("report period"))
            .count(),
        1
    );
    // Two edits based on what is now stale: both named, nothing written.
    let items = vec![
        Submitted {
            entry: ReportEntry::Status {
                assignment: Id::parse("ks2020_3").unwrap(),
                status: AssignmentStatus::Waiting,
                comment: None,
            },
            based_on: 0,
        },
        Submitted {
            entry: forecast("op.fortroende.kf", 3_100, Some("Något fler.")),
            based_on: 0,
        },
        Submitted {
            entry: started("ks2020_4"),
            based_on: 0,
        },
    ];
    match app
        .report_period(&reporter, &all(), may, items, false)
        .await
        .unwrap()
    {
        PeriodSave::Refused(refusals) => {
            let stale: Vec<&str> = refusals
                .iter()
                .filter(|r| matches!(r, Refusal::Stale { .. }))
                .map(Refusal::key)
                .collect();
            assert_eq!(stale, ["status/ks2020_3", "forecast/op.fortroende.kf"]);
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(reports_in(&app, may).await, 2);
    // A reporter of another unit is refused per item, not written.
    let other = actor("an", Role::Reporter, &["an"]);
    let items = vec![Submitted {
        entry: started("ks2020_5"),
        based_on: 0,
    }];
    assert!(matches!(
        app.report_period(&other, &all(), may, items, false)
            .await
            .unwrap(),
        PeriodSave::Refused(_)
    ));
    app.close().await;
}

/// The grid asks the same plausibility question as the single form (issue 18 items 2 and 15):
/// a forecast far from its budget is refused unconfirmed, nothing is written, and the same
/// save confirmed goes through.
async fn a_periods_implausible_forecast_is_saved_only_when_confirmed(db: &TestDb) {
    let app = app_with_example(db).await;
    let may = month("2021-05");
    let reporter = actor("ks", Role::Reporter, &["ksf"]);
    // Kommunfullmäktige's budget is 3 513 tkr: 500 tkr is more than half of it and more than
    // 1 000 tkr away.
    let items = || {
        vec![
            Submitted {
                entry: started("ks2020_3"),
                based_on: 0,
            },
            Submitted {
                entry: forecast("op.fortroende.kf", 500, Some("Inga sammanträden på plats.")),
                based_on: 0,
            },
        ]
    };
    match app
        .report_period(&reporter, &all(), may, items(), false)
        .await
        .unwrap()
    {
        PeriodSave::Refused(refusals) => {
            assert_eq!(refusals.len(), 1, "{refusals:?}");
            assert!(
                matches!(&refusals[0], Refusal::Unconfirmed { key, field, .. }
                    if key == "forecast/op.fortroende.kf" && field == "value"),
                "{refusals:?}"
            );
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(
        reports_in(&app, may).await,
        0,
        "nothing written unconfirmed"
    );
    let PeriodSave::Saved(saved) = app
        .report_period(&reporter, &all(), may, items(), true)
        .await
        .unwrap()
    else {
        panic!("expected a save when confirmed");
    };
    assert_eq!(saved.changes.len(), 2);
    assert_eq!(reports_in(&app, may).await, 2);
    app.close().await;
}

crate::on_both_backends!(
    a_units_period_is_what_its_reporters_may_report,
    the_default_period_follows_the_calendar_not_the_latest_report,
    a_periods_report_is_saved_all_or_nothing,
    a_periods_implausible_forecast_is_saved_only_when_confirmed,
    who_still_has_to_report_follows_every_report,
);

/// Who still has to report is computed once per change of the data (the overview shows it on
/// every request): a report written in between is counted at once, never a stale figure.
async fn who_still_has_to_report_follows_every_report(db: &TestDb) {
    let app = app_with_example(db).await;
    app.add_user(
        &admin(),
        &styr_app::NewUser {
            login: "aldre".to_owned(),
            role: Role::Reporter,
            units: vec![Id::parse("an").unwrap()],
            body: None,
            municipality: None,
            password: "ett-langt-losenord-2021".to_owned(),
            name: None,
        },
    )
    .await
    .unwrap();
    let august = Some(month("2021-08"));
    let reader = actor("lasare", Role::Reader, &[]);
    let missing = async |app: &styr_app::App| {
        let people = app
            .missing_by_person(&reader, &all(), august)
            .await
            .unwrap();
        people
            .iter()
            .find(|p| p.login == "aldre")
            .map(|p| p.missing)
    };
    assert_eq!(missing(&app).await, Some(1));
    // Asked again without a change: the same answer (from the cache).
    assert_eq!(missing(&app).await, Some(1));
    app.report(
        &admin(),
        &all(),
        FollowUpReport {
            period: month("2021-08"),
            entry: started("ny2021_seniorbostadskon"),
        },
    )
    .await
    .unwrap();
    assert_eq!(missing(&app).await, Some(0));
    app.close().await;
}
