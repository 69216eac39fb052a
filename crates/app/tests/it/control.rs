//! Internal control through the use cases: a control's result and an audit action's progress
//! are reported like an assignment's status (rules, scope, history, audit log, closed periods),
//! a file of them is all-or-nothing, and the year's report puts the matrix, the results and the
//! recommendations together.

use crate::db::TestDb;
use crate::{actor, admin, all, app_with_example, example_dir};
use styr_app::{AppError, Role};
use styr_domain::Id;
use styr_domain::control::{ActionStatus, ControlResult, TrafficLight};
use styr_domain::followup::{EntryKind, FollowUpReport, ReportEntry};
use styr_domain::ledger::Month;
use styr_store::{AuditFilter, EntryFilter};

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn result(
    control: &str,
    period: &str,
    result: ControlResult,
    finding: Option<&str>,
    action: Option<&str>,
) -> FollowUpReport {
    FollowUpReport {
        period: month(period),
        entry: ReportEntry::Control {
            control: Id::parse(control).unwrap(),
            result,
            light: result.default_light(),
            finding: finding.map(str::to_owned),
            action: action.map(str::to_owned),
        },
    }
}

fn forbidden(error: AppError) -> String {
    match error {
        AppError::Forbidden(message) => message,
        other => panic!("expected a refusal, got {other}"),
    }
}

fn fields(error: AppError) -> Vec<String> {
    match error {
        AppError::Invalid(problems) => problems.into_iter().map(|p| p.field).collect(),
        other => panic!("expected invalid input, got {other}"),
    }
}

async fn a_control_result_follows_the_rules_keeps_history_and_locks_with_its_period(db: &TestDb) {
    let app = app_with_example(db).await;
    let deficient = ControlResult::WithDeficiencies;
    let cases = [
        (
            result("ikp21_attest", "2021-08", deficient, None, None),
            vec!["comment", "action_plan"],
        ),
        (
            result("ikp21_attest", "2021-08", deficient, Some("3 av 20"), None),
            vec!["action_plan"],
        ),
        // The attest control is reported in August and December only.
        (
            result(
                "ikp21_attest",
                "2021-04",
                ControlResult::NoRemarks,
                None,
                None,
            ),
            vec!["period"],
        ),
        (
            result(
                "finns_inte",
                "2021-08",
                ControlResult::NoRemarks,
                None,
                None,
            ),
            vec!["subject"],
        ),
        (
            result(
                "ikp21_attest",
                "2021-08",
                ControlResult::NotPerformed,
                None,
                None,
            ),
            vec!["comment"],
        ),
    ];
    for (report, expected) in cases {
        let error = app.report(&admin(), &all(), report).await.unwrap_err();
        assert_eq!(fields(error), expected);
    }
    let mut red_but_fine = result(
        "ikp21_attest",
        "2021-08",
        ControlResult::NoRemarks,
        None,
        None,
    );
    if let ReportEntry::Control { light, .. } = &mut red_but_fine.entry {
        *light = TrafficLight::Red;
    }
    let error = app
        .report(&admin(), &all(), red_but_fine)
        .await
        .unwrap_err();
    assert_eq!(fields(error), ["light"]);
    assert_eq!(db.count("followup_entries").await, 0);

    let first = result(
        "ikp21_attest",
        "2021-08",
        deficient,
        Some("3 av 20"),
        Some("Rensa"),
    );
    app.report(&admin(), &all(), first.clone()).await.unwrap();
    let fixed = result(
        "ikp21_attest",
        "2021-08",
        ControlResult::NoRemarks,
        None,
        None,
    );
    let reported = app.report(&admin(), &all(), fixed.clone()).await.unwrap();
    assert_eq!(reported.changes[0].before.as_ref().unwrap().report, first);
    let filter = EntryFilter {
        kind: Some(EntryKind::Control),
        history: true,
        ..EntryFilter::default()
    };
    let (_, history) = app.reports(&admin(), &all(), &filter).await.unwrap();
    let reports: Vec<_> = history.iter().map(|e| e.report.clone()).collect();
    assert_eq!(reports, [first, fixed.clone()]);
    assert_eq!(history[1].version, 2);
    let log = app
        .audit_log(&admin(), &AuditFilter::default())
        .await
        .unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        last.before.as_deref(),
        Some(
            "2021-08 control ikp21_attest: resultat: Med brister; trafikljus: gul; iakttagelse: 3 av 20; åtgärd: Rensa"
        )
    );
    assert_eq!(
        last.after.as_deref(),
        Some("2021-08 control ikp21_attest: resultat: Utan anmärkning; trafikljus: grön")
    );

    app.close_period(&admin(), &all(), month("2021-08"))
        .await
        .unwrap();
    let again = result("ikp21_attest", "2021-08", deficient, Some("Ny"), Some("Ny"));
    let error = app.report(&admin(), &all(), again).await.unwrap_err();
    assert_eq!(fields(error), ["period"]);
    assert_eq!(db.count("followup_entries").await, 2);
}

async fn only_the_owning_unit_reports_a_control_or_an_action(db: &TestDb) {
    let app = app_with_example(db).await;
    let social = actor("sara", Role::Reporter, &["saf"]);
    let finance = actor("ebba", Role::Reporter, &["ekonomiavdelningen"]);
    let report = result(
        "ikp21_attest",
        "2021-08",
        ControlResult::NoRemarks,
        None,
        None,
    );
    let error = app
        .report(&social, &all(), report.clone())
        .await
        .unwrap_err();
    assert_eq!(
        forbidden(error),
        "Du får inte rapportera för kontrollen «Attesträtter i ekonomisystemet»: det \
         rapporteras av Ekonomiavdelningen, och du rapporterar för Social- och \
         äldreförvaltningen."
    );
    app.report(&finance, &all(), report).await.unwrap();
    // ens_a1 is owned by the social administration, ens_a2 by the finance department.
    let progress = |action: &str| FollowUpReport {
        period: month("2021-08"),
        entry: ReportEntry::AuditAction {
            action: Id::parse(action).unwrap(),
            status: ActionStatus::InProgress,
            evidence: None,
            comment: None,
        },
    };
    app.report(&social, &all(), progress("ens_a1"))
        .await
        .unwrap();
    let error = app
        .report(&social, &all(), progress("ens_a2"))
        .await
        .unwrap_err();
    assert_eq!(
        forbidden(error),
        "Du får inte rapportera för åtgärden «Inför kostnadsuppföljning mot statsbidrag i \
         delårsrapporterna»: det rapporteras av Ekonomiavdelningen, och du rapporterar för \
         Social- och äldreförvaltningen."
    );
    let reader = actor("lasse", Role::Reader, &[]);
    let error = app
        .report(&reader, &all(), progress("ens_a1"))
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Forbidden(_)), "{error}");
    assert_eq!(db.count("followup_entries").await, 2);
}

async fn a_file_of_control_results_is_all_or_nothing(db: &TestDb) {
    let app = app_with_example(db).await;
    let bad = "municipality,period,kind,subject,value,comment,action_plan,source,date,light\n\
               haninge,2021-08,kontroll,ikp21_attest,Utan anmärkning,,,,,\n\
               haninge,2021-08,kontroll,ikp21_attest,Med brister,Brist,,,,\n\
               haninge,2021-08,kontroll,ikp21_lokalbanken,Utan anmärkning,,,,,lila\n\
               haninge,2021-08,åtgärd,gdpr_a2,Avslutad utan åtgärd,,,,,\n\
               haninge,2021-08,åtgärd,gdpr_a1,Genomförd,,,,,\n\
               haninge,2021-08,åtgärd,finns_inte,Pågår,,,,,\n";
    let error = app
        .import_followup(&admin(), &all(), "kontroll.csv", bad.as_bytes())
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = error else {
        panic!("expected invalid input");
    };
    // The reader's error comes alone: a file that does not read is not checked further.
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        ["kontroll.csv:4: light: \"lila\" är inget trafikljus (grön, gul, röd)"]
    );
    let bad = bad.replace(",lila", ",");
    let error = app
        .import_followup(&admin(), &all(), "kontroll.csv", bad.as_bytes())
        .await
        .unwrap_err();
    let AppError::Invalid(problems) = error else {
        panic!("expected invalid input");
    };
    let located: Vec<(Option<u32>, String)> =
        problems.iter().map(|p| (p.line, p.field.clone())).collect();
    assert_eq!(
        located,
        [
            (Some(3), "action_plan".to_owned()),
            (Some(5), "comment".to_owned()),
            (Some(6), "source".to_owned()),
            (Some(7), "subject".to_owned()),
        ]
    );
    assert_eq!(db.count("followup_entries").await, 0);

    let bytes = std::fs::read(example_dir().join("followup/kontroll-2021.csv")).unwrap();
    let imported = app
        .import_followup(&admin(), &all(), "kontroll-2021.csv", &bytes)
        .await
        .unwrap();
    assert_eq!((imported.rows, imported.recorded.changes.len()), (9, 9));
    let again = app
        .import_followup(&admin(), &all(), "kontroll-2021.csv", &bytes)
        .await
        .unwrap();
    assert_eq!(
        (again.recorded.changes.len(), again.recorded.unchanged),
        (0, 9)
    );
}

async fn the_year_puts_matrix_results_and_recommendations_together(db: &TestDb) {
    let app = app_with_example(db).await;
    let bytes = std::fs::read(example_dir().join("followup/kontroll-2021.csv")).unwrap();
    app.import_followup(&admin(), &all(), "kontroll-2021.csv", &bytes)
        .await
        .unwrap();
    let auditor = actor("rut", Role::Auditor, &[]);
    let (_, report) = app
        .internal_control(&auditor, &all(), 2021, Some("2021-09-30"))
        .await
        .unwrap();
    let lokalbanken = Id::parse("lokalbanken").unwrap();
    assert_eq!(report.matrix.cell(4, 3).unwrap().risks, [lokalbanken]);
    assert_eq!(report.matrix.unassessed.len(), 0);
    assert_eq!(report.controls.len(), 9);
    assert_eq!(
        report
            .controls
            .iter()
            .filter(|c| c.result.is_some())
            .count(),
        5
    );
    let open: Vec<&str> = report
        .open_recommendations()
        .map(|r| r.recommendation.id.as_str())
        .collect();
    assert_eq!(open, ["ens_r2", "gdpr_r2", "dig_r1"]);
    let overdue: Vec<&str> = report
        .recommendations
        .iter()
        .filter(|r| r.overdue)
        .map(|r| r.recommendation.id.as_str())
        .collect();
    assert_eq!(overdue, ["ens_r2", "gdpr_r2"]);
    assert_eq!(report.recommendations.len(), 8);
    // gdpr_a1 was in progress in the package and reported done in August, with its evidence.
    let gdpr_a1 = report
        .recommendations
        .iter()
        .flat_map(|r| &r.actions)
        .find(|a| a.action.id.as_str() == "gdpr_a1")
        .unwrap();
    assert_eq!(gdpr_a1.status, ActionStatus::Done);
    assert_eq!(
        gdpr_a1.evidence.as_deref(),
        Some("Förteckning över behandlingar 2021-08-20")
    );
    assert_eq!(
        gdpr_a1.reported.as_ref().unwrap().report.period,
        month("2021-08")
    );
    // A year later the strategy's due date has passed too.
    let (_, later) = app
        .internal_control(&admin(), &all(), 2021, Some("2021-11-01"))
        .await
        .unwrap();
    assert_eq!(
        later.recommendations.iter().filter(|r| r.overdue).count(),
        3
    );
}

crate::on_both_backends!(
    a_control_result_follows_the_rules_keeps_history_and_locks_with_its_period,
    only_the_owning_unit_reports_a_control_or_an_action,
    a_file_of_control_results_is_all_or_nothing,
    the_year_puts_matrix_results_and_recommendations_together,
);
