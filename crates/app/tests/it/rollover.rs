//! The year rollover: refused with open periods unless forced with a reason, idempotent,
//! finished assignments archived, plan years shifted, the old year readable.

use crate::db::TestDb;
use crate::{admin, all, app_with_example};
use styr_app::{AppError, PlanSelector};
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::budget::VersionKind;
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::Month;
use styr_store::AuditFilter;

async fn rollover_makes_next_years_proposal_once(db: &TestDb) {
    let app = app_with_example(db).await;
    app.report(
        &admin(),
        &all(),
        FollowUpReport {
            period: Month::parse("2021-08").unwrap(),
            entry: ReportEntry::Status {
                assignment: styr_domain::Id::parse("ks2020_1").unwrap(),
                status: AssignmentStatus::Done,
                comment: Some("Kostnaderna är genomlysta.".into()),
            },
        },
    )
    .await
    .unwrap();
    let refused = app.rollover(&admin(), &all(), 2022, None).await;
    let Err(AppError::Conflict(message)) = refused else {
        panic!("expected a refusal while 2021 has open periods")
    };
    assert!(message.contains("2021-02"), "{message}");
    assert_eq!(app.plans(&admin()).await.unwrap().len(), 1);

    let summary = app
        .rollover(&admin(), &all(), 2022, Some("Budgetarbetet 2022 börjar"))
        .await
        .unwrap();
    assert!(summary.created);
    assert_eq!(summary.to_version, "ks_2022_proposal");
    assert_eq!(
        summary.archived,
        [styr_domain::Id::parse("ks2020_1").unwrap()]
    );
    assert_eq!(summary.continued.len(), 18);
    assert_eq!(summary.open_periods.len(), 10);

    // Twice gives one result.
    let again = app
        .rollover(&admin(), &all(), 2022, Some("igen"))
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(app.plans(&admin()).await.unwrap().len(), 2);

    let next = app.load_plan(&admin(), &all()).await.unwrap();
    assert_eq!(next.budget.version.kind, VersionKind::Proposal);
    assert_eq!(
        next.document.title,
        "Kommunstyrelsens Strategi och Budget 2022–2023"
    );
    assert_eq!(next.document.years, [2022, 2023]);
    assert_eq!(next.budget.investment.budget_year, 2022);
    assert!(!next.assignments.iter().any(|a| a.id.as_str() == "ks2020_1"));
    // The plan year 2022 of the investment budget became the budget year.
    let reserve = next
        .budget
        .investment
        .lines()
        .find(|r| r.id.as_str() == "investeringsreserv")
        .unwrap();
    assert_eq!(
        reserve.amounts.keys().copied().collect::<Vec<_>>(),
        [2022, 2023, 2024]
    );
    assert_eq!(reserve.amounts[&2022], Money::from_tkr(50_000).unwrap());
    // Operating tables: 2021 stays, 2022 starts from 2021.
    let ksf = next.budget.operating_table("ksf").unwrap();
    assert_eq!(ksf.years, [2021, 2022]);
    let line = ksf.row("ksf").unwrap();
    assert_eq!(line.amounts[&2022], line.amounts[&2021]);
    // The new calendar, and the old one still there.
    let periods = app.periods(&admin(), &all(), Some(2022)).await.unwrap();
    assert_eq!(periods.len(), 10);
    let old = app
        .load_plan(
            &admin(),
            &PlanSelector {
                municipality: None,
                body: None,
                version: Some("ks_2021_proposal".into()),
            },
        )
        .await
        .unwrap();
    // The old year is unchanged (its plan; the calendar is the municipality's and has grown).
    let stored = crate::example_plan_as_stored().await;
    assert_eq!(
        (&old.budget, &old.assignments, &old.document),
        (&stored.budget, &stored.assignments, &stored.document)
    );
    let log = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("import plan haninge/ks_2022_proposal".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert!(
        log[0]
            .detail
            .contains("rollover from=ks_2021_proposal to=ks_2022_proposal forced"),
        "{}",
        log[0].detail
    );
    assert!(log[0].detail.ends_with("reason=Budgetarbetet 2022 börjar"));
    app.close().await;
}

async fn rollover_needs_no_force_when_the_year_is_closed(db: &TestDb) {
    let app = app_with_example(db).await;
    for overview in app.periods(&admin(), &all(), Some(2021)).await.unwrap() {
        let month = overview.period.month;
        app.close_period(&admin(), &all(), month).await.unwrap();
    }
    let summary = app.rollover(&admin(), &all(), 2022, None).await.unwrap();
    assert!(summary.created && summary.open_periods.is_empty());
    // Rolling over from the wrong year is refused.
    let wrong = app.rollover(&admin(), &all(), 2024, None).await;
    assert!(matches!(wrong, Err(AppError::Conflict(_))));
    app.close().await;
}

crate::on_both_backends!(
    rollover_makes_next_years_proposal_once,
    rollover_needs_no_force_when_the_year_is_closed,
);
