//! Reporting per period: the comment rules, history and the audit log's before and after,
//! closed periods, scope by unit, and the all-or-nothing follow-up file.

use crate::db::TestDb;
use crate::{actor, admin, all, app_with_example};
use rust_decimal::Decimal;
use styr_app::{AppError, Role};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{EntryKind, FollowUpReport, GoalAssessment, ReportEntry};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::{Id, Money};
use styr_store::{AuditFilter, EntryFilter};

fn august() -> Month {
    Month::parse("2021-08").unwrap()
}

fn status(assignment: &str, status: AssignmentStatus, comment: Option<&str>) -> FollowUpReport {
    FollowUpReport {
        period: august(),
        entry: ReportEntry::Status {
            assignment: Id::parse(assignment).unwrap(),
            status,
            comment: comment.map(str::to_owned),
        },
    }
}

fn fields(error: AppError) -> Vec<String> {
    match error {
        AppError::Invalid(problems) => problems.into_iter().map(|p| p.field).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}

async fn a_status_keeps_its_history_and_audits_before_and_after(db: &TestDb) {
    let app = app_with_example(db).await;
    let started = status(
        "ks2020_3",
        AssignmentStatus::Started,
        Some("Utredningen pågår."),
    );
    let reported = app.report(&admin(), &all(), started.clone()).await.unwrap();
    assert_eq!(reported.changes.len(), 1);
    assert_eq!(reported.changes[0].before, None);

    // Avvikelse without a comment is asked for, and changes nothing.
    let error = app
        .report(
            &admin(),
            &all(),
            status("ks2020_3", AssignmentStatus::Deviation, None),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["comment"]);

    let deviation = status(
        "ks2020_3",
        AssignmentStatus::Deviation,
        Some("Konsulternas rapport är försenad."),
    );
    let reported = app
        .report(&admin(), &all(), deviation.clone())
        .await
        .unwrap();
    assert_eq!(
        reported.changes[0].before.as_ref().map(|b| &b.report),
        Some(&started)
    );
    // The same report again is no change.
    let again = app
        .report(&admin(), &all(), deviation.clone())
        .await
        .unwrap();
    assert_eq!((again.changes.len(), again.unchanged), (0, 1));

    let filter = EntryFilter {
        kind: Some(EntryKind::Status),
        subject: Some("ks2020_3".into()),
        history: true,
        ..EntryFilter::default()
    };
    let (_, history) = app.reports(&admin(), &all(), &filter).await.unwrap();
    let reports: Vec<&FollowUpReport> = history.iter().map(|e| &e.report).collect();
    assert_eq!(reports, [&started, &deviation]);
    let current = EntryFilter {
        history: false,
        ..filter
    };
    let (_, now) = app.reports(&admin(), &all(), &current).await.unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].report, deviation);

    let log = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("report status".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    let last = &log[1];
    assert_eq!(last.actor, "admin");
    assert_eq!(last.action, "report status haninge/ks/2021-08/ks2020_3");
    assert_eq!(
        last.before.as_deref(),
        Some("2021-08 status ks2020_3: status: Påbörjad; kommentar: Utredningen pågår.")
    );
    assert_eq!(
        last.after.as_deref(),
        Some(
            "2021-08 status ks2020_3: status: Avvikelse; kommentar: Konsulternas rapport är \
             försenad."
        )
    );
    app.close().await;
}

async fn done_at_an_interim_report_needs_a_result(db: &TestDb) {
    let app = app_with_example(db).await;
    let error = app
        .report(
            &admin(),
            &all(),
            status("ks2020_1", AssignmentStatus::Done, None),
        )
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["comment"]);
    // In a monthly closing Färdig needs no comment.
    let mut monthly = status("ks2020_1", AssignmentStatus::Done, None);
    monthly.period = Month::parse("2021-10").unwrap();
    app.report(&admin(), &all(), monthly).await.unwrap();
    // Goals are assessed at interim and annual reports only, with a motivation.
    let assess = |period: &str, motivation: &str| FollowUpReport {
        period: Month::parse(period).unwrap(),
        entry: ReportEntry::Assessment {
            goal: Id::parse("mal2").unwrap(),
            assessment: GoalAssessment::PartlyMet,
            motivation: motivation.to_owned(),
        },
    };
    let error = app
        .report(&admin(), &all(), assess("2021-10", "Bostäder byggs."))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["period"]);
    let error = app
        .report(&admin(), &all(), assess("2021-08", " "))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["comment"]);
    app.report(&admin(), &all(), assess("2021-08", "Bostäder byggs."))
        .await
        .unwrap();
    app.close().await;
}

async fn forecasts_need_explanations_and_deficits_an_action_plan(db: &TestDb) {
    let app = app_with_example(db).await;
    // Kommunstyrelseförvaltningen has 84 198 tkr for 2021: the threshold is 500 tkr.
    let forecast = |tkr: i64, comment: Option<&str>, action_plan: Option<&str>| FollowUpReport {
        period: august(),
        entry: ReportEntry::Forecast {
            line: BudgetLineRef::parse("op.ksf.ksf").unwrap(),
            amount: Money::from_tkr(tkr).unwrap(),
            comment: comment.map(str::to_owned),
            action_plan: action_plan.map(str::to_owned),
        },
    };
    // 400 tkr under budget: within the threshold, nothing required.
    app.report(&admin(), &all(), forecast(83_798, None, None))
        .await
        .unwrap();
    // 600 tkr under budget: an explanation.
    let error = app
        .report(&admin(), &all(), forecast(83_598, None, None))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["comment"]);
    // 1 000 tkr over budget: an explanation and an action plan.
    let error = app
        .report(&admin(), &all(), forecast(85_198, None, None))
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["comment", "action_plan"]);
    app.report(
        &admin(),
        &all(),
        forecast(85_198, Some("Konsulter."), Some("Anställningsstopp.")),
    )
    .await
    .unwrap();
    let report = app
        .budget_vs_actual(&admin(), &all(), august())
        .await
        .unwrap();
    let row = report
        .report
        .rows
        .iter()
        .find(|r| r.line == BudgetLineRef::parse("op.ksf.ksf"))
        .unwrap();
    assert_eq!(row.manual_forecast, Money::from_tkr(85_198));
    app.close().await;
}

async fn a_closed_period_is_immutable_until_an_admin_reopens_it(db: &TestDb) {
    let app = app_with_example(db).await;
    let april = Month::parse("2021-04").unwrap();
    let controller = actor("kontroller", Role::Controller, &[]);
    app.close_period(&controller, &all(), april).await.unwrap();
    let mut report = status("ks2020_3", AssignmentStatus::Started, None);
    report.period = april;
    let error = app
        .report(&admin(), &all(), report.clone())
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["period"]);
    assert_eq!(db.count("followup_entries").await, 0);

    // A controller may not reopen; an admin must give a reason.
    assert!(matches!(
        app.reopen_period(&controller, &all(), april, "Rättelse")
            .await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        app.reopen_period(&admin(), &all(), april, "  ").await,
        Err(AppError::Invalid(_))
    ));
    app.reopen_period(&admin(), &all(), april, "Fel status för 2020 KS 3")
        .await
        .unwrap();
    app.report(&admin(), &all(), report).await.unwrap();
    let log = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("period".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    let actions: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("kontroller", "close period haninge/ks/2021-04", ""),
            (
                "admin",
                "reopen period haninge/ks/2021-04",
                "reason=Fel status för 2020 KS 3"
            ),
        ]
    );
    // Importing the plan again does not reopen or close anything it did not say.
    app.close_period(&admin(), &all(), april).await.unwrap();
    app.import_plan(&admin(), &crate::example_plan())
        .await
        .unwrap();
    let periods = app.periods(&admin(), &all(), Some(2021)).await.unwrap();
    let april_state = periods
        .iter()
        .find(|p| p.period.month.to_string() == "2021-04")
        .map(|p| p.period.state.code());
    assert_eq!(april_state, Some("closed"));
    app.close().await;
}

async fn reporters_report_for_their_own_units(db: &TestDb) {
    let app = app_with_example(db).await;
    // Äldrenämnden answers, with the board, for the review of the senior housing queue.
    let an = actor("an_chef", Role::Reporter, &["an"]);
    app.report(
        &an,
        &all(),
        status("ny2021_seniorbostadskon", AssignmentStatus::Started, None),
    )
    .await
    .unwrap();
    let error = app
        .report(
            &an,
            &all(),
            status("ks2020_3", AssignmentStatus::Started, None),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    // Reporters report; reading the audit log is for the others.
    assert!(matches!(
        app.audit_log(&an, &AuditFilter::default()).await,
        Err(AppError::Forbidden(_))
    ));
    app.close().await;
}

const BAD_FILE: &str = "municipality,period,kind,subject,value,comment,action_plan,source,date
haninge,2021-08,status,ks2020_3,Påbörjad,Pågår.,,,
haninge,2021-08,status,finns_inte,Påbörjad,,,,
haninge,2021-08,status,ks2020_4,Klar,,,,
haninge,2021-08,status,ks2020_5,Avvikelse,,,,
haninge,2021-04,status,ks2020_6,Påbörjad,,,,
nacka,2021-08,status,ks2019_1,Påbörjad,,,,
haninge,2021-08,utfall,bostader,\"412,5\",,,SCB,2021-08-31
";

async fn a_followup_file_is_all_or_nothing_with_file_line_and_field(db: &TestDb) {
    let app = app_with_example(db).await;
    app.close_period(&admin(), &all(), Month::parse("2021-04").unwrap())
        .await
        .unwrap();
    let error = app
        .import_followup(&admin(), &all(), "ks.csv", BAD_FILE.as_bytes())
        .await
        .unwrap_err();
    // The unknown status word is found by the reader, before anything else is looked at.
    let AppError::Invalid(problems) = error else {
        panic!("expected invalid input")
    };
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "ks.csv:4: value: \"Klar\" är ingen status (Ej påbörjad, Påbörjad, Färdig, Väntar, \
          Avvikelse, Dialog behövs)"
        ]
    );
    let fixed = BAD_FILE.replace("Klar", "Väntar");
    let error = app
        .import_followup(&admin(), &all(), "ks.csv", fixed.as_bytes())
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = error else {
        panic!("expected invalid input")
    };
    let located: Vec<(Option<u32>, &str)> = problems
        .iter()
        .map(|p| (p.line, p.field.as_str()))
        .collect();
    assert_eq!(
        located,
        [
            (Some(3), "subject"),
            (Some(5), "comment"),
            (Some(6), "period"),
            (Some(7), "municipality"),
        ]
    );
    assert!(problems[0].message.contains("finns_inte finns inte"));
    assert_eq!(db.count("followup_entries").await, 0);

    let good = "municipality,period,kind,subject,value,comment,action_plan,source,date
haninge,2021-08,status,ks2020_3,Påbörjad,Pågår.,,,
haninge,2021-08,utfall,bostader,\"412,5\",,,SCB,2021-08-31
haninge,2021-08,bedömning,mal2,Delvis uppfyllt,Bostadsbyggandet ligger under målet.,,,
haninge,2021-08,prognos,op.ksf.ksf,84 198,,,,
";
    let imported = app
        .import_followup(&admin(), &all(), "ks.csv", good.as_bytes())
        .await
        .unwrap();
    assert_eq!((imported.rows, imported.recorded.changes.len()), (4, 4));
    let again = app
        .import_followup(&admin(), &all(), "ks.csv", good.as_bytes())
        .await
        .unwrap();
    assert_eq!(
        (again.recorded.changes.len(), again.recorded.unchanged),
        (0, 4)
    );
    assert_eq!(db.count("followup_entries").await, 4);
    let (_, entries) = app
        .reports(&admin(), &all(), &EntryFilter::default())
        .await
        .unwrap();
    let outcome = entries
        .iter()
        .find_map(|e| match &e.report.entry {
            ReportEntry::Outcome { value, .. } => Some(*value),
            _ => None,
        })
        .unwrap();
    assert_eq!(outcome, Decimal::new(4125, 1));
    app.close().await;
}

async fn the_calendar_says_who_has_not_reported(db: &TestDb) {
    let app = app_with_example(db).await;
    let periods = app.periods(&admin(), &all(), Some(2021)).await.unwrap();
    assert_eq!(periods.len(), 10);
    let august = periods
        .iter()
        .find(|p| p.period.month.to_string() == "2021-08")
        .unwrap();
    let plan = crate::example_plan();
    // The domain's one rule: every assignment's status, every budget line's forecast (21
    // operating lines, 5 projects), every goal's assessment, the result of every control the
    // internal control plan names August for and the progress of every open audit action.
    let controls = plan
        .control
        .controls
        .iter()
        .filter(|c| c.periods.iter().any(|p| p.to_string() == "2021-08"))
        .count();
    assert_eq!(controls, 3);
    let open_actions = plan
        .control
        .actions()
        .filter(|(_, _, a)| !a.status.is_closed())
        .count();
    let expected = plan.assignments.len() + 26 + plan.goals.len() + controls + open_actions;
    assert_eq!(august.missing.len(), expected);
    app.report(
        &admin(),
        &all(),
        status("ks2020_3", AssignmentStatus::Started, None),
    )
    .await
    .unwrap();
    let periods = app.periods(&admin(), &all(), Some(2021)).await.unwrap();
    let august = periods
        .iter()
        .find(|p| p.period.month.to_string() == "2021-08")
        .unwrap();
    assert_eq!(august.reported, 1);
    assert_eq!(august.missing.len(), expected - 1);
    // A monthly closing asks for every status and every forecast (issue 18: October showed
    // "Ej rapporterat 0" with 14 assignments unreported).
    let october = periods
        .iter()
        .find(|p| p.period.month.to_string() == "2021-10")
        .unwrap();
    assert_eq!(october.missing.len(), plan.assignments.len() + 26);
    // Judged today (after 2021) every open period of 2021 is late.
    assert_eq!(october.phase, styr_domain::due::PeriodPhase::Late);
    assert_eq!(october.late(), october.missing.len());
    app.close().await;
}

async fn the_cached_view_follows_every_change(db: &TestDb) {
    let app = app_with_example(db).await;
    let view = app
        .follow_up_view(&admin(), &all(), Some(august()))
        .await
        .unwrap();
    let status_of = |view: &styr_app::FollowUpView| {
        view.report
            .assignments
            .iter()
            .find(|a| a.assignment.as_str() == "ks2020_3")
            .and_then(|a| a.status)
    };
    assert_eq!(status_of(&view), None);
    // Asked again without a change: the same computed view.
    let again = app
        .follow_up_view(&admin(), &all(), Some(august()))
        .await
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&view, &again));
    app.report(
        &admin(),
        &all(),
        status("ks2020_3", AssignmentStatus::Waiting, None),
    )
    .await
    .unwrap();
    let after = app
        .follow_up_view(&admin(), &all(), Some(august()))
        .await
        .unwrap();
    assert_eq!(status_of(&after), Some(AssignmentStatus::Waiting));
    // Without a period: the one the calendar is reporting (judged today, after 2021: the
    // latest open one), not the one with the latest report.
    let latest = app.follow_up_view(&admin(), &all(), None).await.unwrap();
    assert_eq!(latest.report.period.month.to_string(), "2021-12");
    // A reporter of another municipality's scope is refused even when the view is cached.
    let outsider = styr_app::Actor {
        municipality: Some("nacka".into()),
        ..actor("nacka", Role::Reader, &[])
    };
    assert!(matches!(
        app.follow_up_view(&outsider, &all(), Some(august())).await,
        Err(AppError::Store(_)) | Err(AppError::NotFound(_))
    ));
    app.close().await;
}

crate::on_both_backends!(
    the_cached_view_follows_every_change,
    a_status_keeps_its_history_and_audits_before_and_after,
    done_at_an_interim_report_needs_a_result,
    forecasts_need_explanations_and_deficits_an_action_plan,
    a_closed_period_is_immutable_until_an_admin_reopens_it,
    reporters_report_for_their_own_units,
    a_followup_file_is_all_or_nothing_with_file_line_and_field,
    the_calendar_says_who_has_not_reported,
);
