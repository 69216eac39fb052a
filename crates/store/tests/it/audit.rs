//! Every import leaves a row in the audit log: who, when (UTC), what, and how much.

use crate::KS;
use crate::db::TestDb;
use crate::{example_plan, on_both_backends};
use styr_domain::Id;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::Month;

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
fn is_utc_timestamp(text: &str) -> bool {
    let shape = "dddd-dd-ddTdd:dd:dd.ddddddZ";
    text.len() == shape.len()
        && text.chars().zip(shape.chars()).all(|(c, s)| match s {
            'd' => c.is_ascii_digit(),
            other => c == other,
        })
}

async fn the_audit_log_has_who_and_when(db: &TestDb) {
    let plan = example_plan();
    let store = db.open().await;
    let first = store.import_plan(&plan, "anna.andersson").await.unwrap();
    let second = store.import_plan(&plan, "bertil").await.unwrap();

    let log = store.audit_log(&Default::default()).await.unwrap();
    assert_eq!(log.len(), 2);
    let actors: Vec<&str> = log.iter().map(|e| e.actor.as_str()).collect();
    assert_eq!(actors, vec!["anna.andersson", "bertil"]);
    for entry in &log {
        assert_eq!(entry.action, "import plan haninge/ks_2021_proposal");
        assert!(is_utc_timestamp(&entry.at), "{}", entry.at);
    }
    assert_eq!(
        (log[0].at.as_str(), log[1].at.as_str()),
        (first.imported_at.as_str(), second.imported_at.as_str())
    );
    assert!(log[0].at <= log[1].at);
    let total = first.total_rows();
    assert!(
        log[0].detail.starts_with(&format!(
            "kind=proposal replaced=false rows={total} plans=1 "
        )),
        "{}",
        log[0].detail
    );
    let again = second.total_rows();
    assert!(
        log[1]
            .detail
            .starts_with(&format!("kind=proposal replaced=true rows={again} "))
    );
    assert!(
        log[0].detail.contains(" assignments=19 "),
        "{}",
        log[0].detail
    );
    assert!(
        log[0].detail.contains(" exploitation_rows=37 "),
        "{}",
        log[0].detail
    );

    let keys = store.plans().await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].imported_at, second.imported_at);
    store.close().await;
}

/// No program, not even one with the database's own credentials, edits the log or the reports.
async fn the_log_and_the_reports_are_append_only(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let report = FollowUpReport {
        period: Month::parse("2021-08").unwrap(),
        entry: ReportEntry::Status {
            assignment: Id::parse("ks2020_3").unwrap(),
            status: AssignmentStatus::Started,
            comment: None,
        },
    };
    store
        .record_reports(KS, &[report], "anna", "report status")
        .await
        .unwrap();
    store.close().await;
    for sql in [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
        "UPDATE followup_entries SET reported_by = 'mallory'",
        "DELETE FROM followup_entries",
    ] {
        let error = db.execute(sql).await.expect_err(sql).to_string();
        assert!(error.contains("bara för tillägg"), "{sql}: {error}");
    }
    assert_eq!(db.count("audit_log").await, 2);
    assert_eq!(db.count("followup_entries").await, 1);
    if db.url.starts_with("postgres") {
        let error = db
            .execute("TRUNCATE audit_log")
            .await
            .expect_err("TRUNCATE");
        assert!(error.to_string().contains("bara för tillägg"), "{error}");
    }
    assert_eq!(db.count("audit_log").await, 2);
}

on_both_backends!(
    the_audit_log_has_who_and_when,
    the_log_and_the_reports_are_append_only
);
