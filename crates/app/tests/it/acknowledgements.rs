//! Acknowledging a finding: controllers only, a current error or warning only, once; the
//! finding then reports as acknowledged, the audit log has who, when and why, and the
//! acknowledgement survives an export to a package and its import.

use crate::db::TestDb;
use crate::{actor, admin, all, app_with_example};
use styr_app::{AppError, Role};
use styr_checks::Severity;
use styr_store::AuditFilter;

const FINDING: &str = "row:budget/finance.csv:personalomkostnader:2020";

async fn a_controller_acknowledges_a_finding_once_with_a_reason(db: &TestDb) {
    let app = app_with_example(db).await;
    let controller = actor("controller", Role::Controller, &[]);
    let reader = actor("lasare", Role::Reader, &[]);
    let reason = "Tryckfel i källan; rättas i nästa version";
    assert!(matches!(
        app.acknowledge_finding(&reader, &all(), FINDING, reason)
            .await,
        Err(AppError::Forbidden(_))
    ));
    for (finding, reason) in [
        (FINDING, "  "),
        ("row:budget/finance.csv:finns_inte:2020", reason),
        // An info finding is a note, not something to acknowledge.
        ("status:assignment_status.csv:2020_08", reason),
    ] {
        assert!(
            matches!(
                app.acknowledge_finding(&controller, &all(), finding, reason)
                    .await,
                Err(AppError::Invalid(_))
            ),
            "{finding}"
        );
    }
    let acknowledged = app
        .acknowledge_finding(&controller, &all(), FINDING, reason)
        .await
        .unwrap();
    assert_eq!(
        (acknowledged.by.as_str(), acknowledged.reason.as_str()),
        ("controller", reason)
    );
    assert!(matches!(
        app.acknowledge_finding(&controller, &all(), FINDING, "igen")
            .await,
        Err(AppError::Invalid(_))
    ));

    let plan = app.load_plan_as_package(&admin(), &all()).await.unwrap();
    let report = styr_checks::check(&plan);
    let finding = report.findings.iter().find(|f| f.id == FINDING).unwrap();
    assert_eq!(finding.severity, Severity::Acknowledged);
    assert_eq!(
        finding.acknowledgement.as_ref(),
        Some(&acknowledged)
            .map(|a| {
                let mut a = a.clone();
                a.location = plan.acknowledgements[0].location.clone();
                a
            })
            .as_ref()
    );
    let errors = |report: &styr_checks::Report| {
        report
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    };
    // The example has 9 errors (the frame change on the unheld base is a warning); one is acknowledged.
    assert_eq!(errors(&report), 8);

    let log = app
        .audit_log(
            &admin(),
            &AuditFilter {
                action_contains: Some("acknowledge finding".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (
            log[0].actor.as_str(),
            log[0].at.as_str(),
            log[0].detail.as_str()
        ),
        ("controller", acknowledged.at.as_str(), FINDING)
    );
    assert_eq!(
        log[0].after.as_deref(),
        Some(format!("finding: {FINDING}; reason: {reason}").as_str())
    );

    // Export and import again: the acknowledgement travels in acknowledgements.toml.
    let files = styr_package::write_files(&plan);
    assert!(files.files.contains_key("acknowledgements.toml"));
    let reread = styr_package::read_files(&files).unwrap();
    assert_eq!(reread.acknowledgements, plan.acknowledgements);
    app.import_plan(&admin(), &reread).await.unwrap();
    let again = app.load_plan_as_package(&admin(), &all()).await.unwrap();
    assert_eq!(again.acknowledgements, plan.acknowledgements);
    assert_eq!(errors(&styr_checks::check(&again)), 8);
    app.close().await;
}

crate::on_both_backends!(a_controller_acknowledges_a_finding_once_with_a_reason);
