//! The one rule of what a period asks for (`styr_domain::due`), on the bundled example: a test
//! per rule.

use styr_domain::Plan;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::control::ActionStatus;
use styr_domain::due::{
    PeriodPhase, accepts_reports, control_due, current_period, due_items, outstanding, owners,
    phase,
};
use styr_domain::followup::{
    EntryKind, FollowUpPeriod, FollowUpReport, PeriodState, ReportEntry, ReportedEntry,
};
use styr_domain::ledger::Month;

fn example() -> Plan {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    styr_package::read_dir(&dir).expect("the example reads")
}

fn period<'a>(plan: &'a Plan, month: &str) -> &'a FollowUpPeriod {
    plan.periods
        .iter()
        .find(|p| p.month.to_string() == month)
        .expect("in the calendar")
}

fn reported(month: &str, entry: ReportEntry) -> ReportedEntry {
    ReportedEntry {
        report: FollowUpReport {
            period: Month::parse(month).unwrap(),
            entry,
        },
        reported_by: "test".to_owned(),
        reported_at: format!("{month}-28T10:00:00.000000Z"),
        version: 1,
    }
}

fn count(items: &[styr_domain::due::DueItem], kind: EntryKind, required: bool) -> usize {
    items
        .iter()
        .filter(|i| i.kind == kind && i.required == required)
        .count()
}

#[test]
fn a_monthly_closing_asks_for_statuses_and_forecasts_and_accepts_outcomes() {
    let plan = example();
    let items = due_items(&plan, period(&plan, "2021-10"), &[]);
    assert_eq!(
        count(&items, EntryKind::Status, true),
        plan.assignments.len()
    );
    // 21 operating lines and 5 investment projects.
    assert_eq!(count(&items, EntryKind::Forecast, true), 26);
    assert_eq!(
        count(&items, EntryKind::Outcome, false),
        plan.indicators.len()
    );
    assert_eq!(count(&items, EntryKind::Outcome, true), 0);
    assert_eq!(count(&items, EntryKind::Assessment, true), 0);
    // No control of the plan names October.
    assert_eq!(count(&items, EntryKind::Control, true), 0);
    // Open audit actions are accepted, not required, at a monthly closing.
    assert!(count(&items, EntryKind::AuditAction, false) > 0);
    assert_eq!(count(&items, EntryKind::AuditAction, true), 0);
}

#[test]
fn an_interim_report_asks_for_assessments_controls_and_actions() {
    let plan = example();
    let items = due_items(&plan, period(&plan, "2021-08"), &[]);
    assert_eq!(count(&items, EntryKind::Assessment, true), plan.goals.len());
    assert_eq!(count(&items, EntryKind::Control, true), 3);
    let open_actions = plan
        .control
        .actions()
        .filter(|(_, _, a)| !a.status.is_closed())
        .count();
    assert_eq!(count(&items, EntryKind::AuditAction, true), open_actions);
    assert_eq!(count(&items, EntryKind::Forecast, true), 26);
    // The annual report asks for outcomes and no forecasts.
    let annual = due_items(&plan, period(&plan, "2021-12"), &[]);
    assert_eq!(
        count(&annual, EntryKind::Outcome, true),
        plan.indicators.len()
    );
    assert_eq!(count(&annual, EntryKind::Forecast, true), 0);
    assert_eq!(count(&annual, EntryKind::Forecast, false), 26);
}

#[test]
fn a_finished_assignment_and_a_closed_action_are_no_longer_asked_for() {
    let plan = example();
    let entries = vec![
        reported(
            "2021-04",
            ReportEntry::Status {
                assignment: styr_domain::Id::parse("ks2020_2").unwrap(),
                status: AssignmentStatus::Done,
                comment: None,
            },
        ),
        reported(
            "2021-04",
            ReportEntry::AuditAction {
                action: styr_domain::Id::parse("gdpr_a1").unwrap(),
                status: ActionStatus::Done,
                evidence: Some("Förteckningen".to_owned()),
                comment: None,
            },
        ),
    ];
    let items = due_items(&plan, period(&plan, "2021-08"), &entries);
    assert!(!items.iter().any(|i| i.subject == "ks2020_2"));
    assert!(!items.iter().any(|i| i.subject == "gdpr_a1"));
    // In the period it was reported done in, it is still asked for (and reported).
    let april = due_items(&plan, period(&plan, "2021-04"), &entries);
    assert!(april.iter().any(|i| i.subject == "ks2020_2"));
}

#[test]
fn a_control_is_due_in_the_periods_it_names_else_at_the_annual_report() {
    let plan = example();
    let attest = plan
        .control
        .controls
        .iter()
        .find(|c| c.id.as_str() == "ikp21_attest")
        .unwrap();
    assert!(control_due(attest, period(&plan, "2021-08")));
    assert!(!control_due(attest, period(&plan, "2021-04")));
    let mut unnamed = attest.clone();
    unnamed.periods.clear();
    assert!(control_due(&unnamed, period(&plan, "2021-12")));
    assert!(!control_due(&unnamed, period(&plan, "2021-08")));
    // The domain's report rule asks the same question: not due, refused.
    let entry = ReportEntry::Control {
        control: attest.id.clone(),
        result: styr_domain::control::ControlResult::NoRemarks,
        light: styr_domain::control::TrafficLight::Green,
        finding: None,
        action: None,
    };
    let problems = styr_domain::followup::check_report(
        &plan,
        period(&plan, "2021-04"),
        &entry,
        &plan.forecast_rules,
    );
    assert!(problems.iter().any(|p| p.field == "period"), "{problems:?}");
}

#[test]
fn who_answers_for_what() {
    let plan = example();
    let id = |s: &str| styr_domain::Id::parse(s).unwrap();
    assert_eq!(
        owners(&plan, EntryKind::Control, "ikp21_attest"),
        vec![id("ekonomiavdelningen")]
    );
    assert_eq!(
        owners(&plan, EntryKind::Forecast, "op.ksf.ksf"),
        vec![plan.document.body.clone()]
    );
    assert_eq!(
        owners(&plan, EntryKind::Status, "ny2021_seniorbostadskon"),
        vec![id("ks"), id("an")]
    );
    assert_eq!(
        owners(&plan, EntryKind::AuditAction, "ens_a2"),
        vec![id("ekonomiavdelningen")]
    );
}

#[test]
fn the_current_period_is_the_one_the_calendar_is_reporting() {
    let plan = example();
    let current = |today: &str| {
        current_period(&plan.periods, today)
            .unwrap()
            .month
            .to_string()
    };
    // Before October's deadline (10 November): October.
    assert_eq!(current("2021-11-05"), "2021-10");
    // After it: November, the earliest open period whose deadline has not passed.
    assert_eq!(current("2021-11-11"), "2021-11");
    // Every deadline passed: the latest open period.
    assert_eq!(current("2026-12-06"), "2021-12");
    // A control result saved for December moves nothing: the rule reads no reports.
    let mut closed = plan.periods.clone();
    for p in &mut closed {
        p.state = PeriodState::Closed;
    }
    // Nothing open: the latest period.
    assert_eq!(
        current_period(&closed, "2021-11-05")
            .unwrap()
            .month
            .to_string(),
        "2021-12"
    );
}

#[test]
fn a_period_is_open_until_closed_and_late_after_its_deadline() {
    let plan = example();
    let october = period(&plan, "2021-10");
    assert!(accepts_reports(october));
    assert_eq!(phase(october, "2021-10-15"), PeriodPhase::Upcoming);
    assert_eq!(phase(october, "2021-11-05"), PeriodPhase::Reporting);
    assert_eq!(phase(october, "2021-11-11"), PeriodPhase::Late);
    let mut closed = october.clone();
    closed.state = PeriodState::Closed;
    assert!(!accepts_reports(&closed));
    assert_eq!(phase(&closed, "2021-11-11"), PeriodPhase::Closed);
    // Missing before the deadline, late after it; a reported item is neither.
    let entries = vec![reported(
        "2021-10",
        ReportEntry::Status {
            assignment: styr_domain::Id::parse("ks2020_3").unwrap(),
            status: AssignmentStatus::Started,
            comment: None,
        },
    )];
    let before = outstanding(&plan, october, &entries, "2021-11-05");
    assert_eq!(before.len(), plan.assignments.len() - 1 + 26);
    assert!(before.iter().all(|o| !o.late));
    let after = outstanding(&plan, october, &entries, "2021-11-11");
    assert!(after.iter().all(|o| o.late));
    assert!(!after.iter().any(|o| o.item.subject == "ks2020_3"));
    assert!(
        outstanding(&plan, &closed, &entries, "2021-11-11")
            .iter()
            .all(|o| !o.late)
    );
}
