//! Several bodies' plans in one municipality (issue 20): each body's plan, calendar and
//! follow-up are its own, a body is named where several exist, one body's import never
//! replaces another's plan, and a database made by the release before migration 0016 keeps
//! every row under its one body.

use crate::db::TestDb;
use crate::{KS, assert_same_plan, example_plan, on_both_backends};
use styr_domain::Id;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{FollowUpReport, PeriodState, ReportEntry};
use styr_domain::ledger::Month;
use styr_store::{EntryFilter, Owner, StoreError};

const SN: Owner<'static> = Owner {
    municipality: "haninge",
    body: "sn",
};

/// The example's plan as if it were Socialnämnden's: same item ids, its own version id.
fn socialnamnden() -> styr_domain::Plan {
    let mut plan = example_plan();
    plan.document.body = Id::parse("sn").unwrap();
    plan.document.title = "Socialnämndens verksamhetsplan 2021".into();
    plan.budget.version.id = Id::parse("sn_2021_proposal").unwrap();
    plan
}

fn status(month: &str, status: AssignmentStatus) -> FollowUpReport {
    FollowUpReport {
        period: Month::parse(month).unwrap(),
        entry: ReportEntry::Status {
            assignment: Id::parse("ks2020_3").unwrap(),
            status,
            comment: Some("Enligt plan".into()),
        },
    }
}

async fn two_bodies_keep_their_plans_and_follow_up_apart(db: &TestDb) {
    let ks = example_plan();
    let sn = socialnamnden();
    let store = db.open().await;
    store.import_plan(&ks, "anna").await.unwrap();
    store.import_plan(&sn, "bertil").await.unwrap();

    // Both plans are stored; without a body the municipality's plan is ambiguous.
    let error = store.load_plan(None, None, None).await.unwrap_err();
    assert!(
        matches!(&error, StoreError::AmbiguousBody { bodies, .. } if bodies == &["ks", "sn"]),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "databasen har planer för flera organ i haninge (ks, sn): ange vilket organ"
    );
    assert_same_plan(&store.load_plan(None, Some("ks"), None).await.unwrap(), &ks);
    assert_same_plan(&store.load_plan(None, Some("sn"), None).await.unwrap(), &sn);
    // A version names its body; asking for it under another body finds nothing.
    let error = store
        .load_plan(None, Some("sn"), Some("ks_2021_proposal"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound(_)), "{error:?}");
    let keys: Vec<(String, i64, String)> = store
        .plans()
        .await
        .unwrap()
        .into_iter()
        .map(|key| (key.body, key.year, key.version))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("ks".to_owned(), 2021, "ks_2021_proposal".to_owned()),
            ("sn".to_owned(), 2021, "sn_2021_proposal".to_owned()),
        ]
    );

    // The same item id in two bodies' plans: each body reports and sees its own.
    store
        .record_reports(
            KS,
            &[status("2021-08", AssignmentStatus::Done)],
            "anna",
            "report status haninge/ks/2021-08/ks2020_3",
        )
        .await
        .unwrap();
    store
        .record_reports(
            SN,
            &[status("2021-08", AssignmentStatus::Started)],
            "bertil",
            "report status haninge/sn/2021-08/ks2020_3",
        )
        .await
        .unwrap();
    let current = |owner| {
        let store = store.clone();
        async move {
            store
                .reports(owner, &EntryFilter::default())
                .await
                .unwrap()
                .into_iter()
                .map(|entry| (entry.reported_by, entry.version))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(current(KS).await, vec![("anna".to_owned(), 1)]);
    assert_eq!(current(SN).await, vec![("bertil".to_owned(), 1)]);

    // Closing Socialnämndens period leaves Kommunstyrelsens open.
    let august = Month::parse("2021-08").unwrap();
    store
        .set_period_state(SN, august, PeriodState::Closed, "admin", None)
        .await
        .unwrap();
    let state = |periods: Vec<styr_domain::followup::FollowUpPeriod>| {
        periods
            .into_iter()
            .find(|p| p.month == august)
            .map(|p| p.state)
    };
    assert_eq!(
        state(store.periods(SN).await.unwrap()),
        Some(PeriodState::Closed)
    );
    assert_eq!(
        state(store.periods(KS).await.unwrap()),
        Some(PeriodState::Open)
    );
    let error = store
        .record_reports(
            SN,
            &[status("2021-08", AssignmentStatus::Done)],
            "bertil",
            "report status haninge/sn/2021-08/ks2020_3",
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::PeriodClosed { .. }),
        "{error:?}"
    );
    store
        .record_reports(
            KS,
            &[status("2021-08", AssignmentStatus::Waiting)],
            "anna",
            "report status haninge/ks/2021-08/ks2020_3",
        )
        .await
        .unwrap();

    // Re-importing Socialnämndens plan leaves Kommunstyrelsens untouched.
    let mut changed = socialnamnden();
    changed.assignments[0].title = "Socialnämndens eget uppdrag".into();
    store.import_plan(&changed, "bertil").await.unwrap();
    assert_same_plan(&store.load_plan(None, Some("ks"), None).await.unwrap(), &ks);
    store.close().await;
}

async fn a_body_cannot_take_another_bodys_version_id(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let before = db.count("audit_log").await;
    let mut sn = socialnamnden();
    sn.budget.version.id = Id::parse("ks_2021_proposal").unwrap();
    let error = store.import_plan(&sn, "bertil").await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "budgetversionen ks_2021_proposal finns redan som organet kss plan; organet sn kan inte \
         ersätta den (ge versionen ett eget id, t.ex. sn_…)"
    );
    assert_eq!(db.count("audit_log").await, before, "nothing was written");
    assert_same_plan(
        &store.load_plan(None, None, None).await.unwrap(),
        &example_plan(),
    );
    store.close().await;
}

/// A database schema 15 made before follow-up belonged to a body, written by SQL as that
/// release wrote it: after the migration every row is the plan's body's.
async fn the_body_migration_places_rows_under_the_plans_body(db: &TestDb) {
    let store = styr_store::Store::open_at_schema_version(&db.url, 15)
        .await
        .unwrap();
    store.close().await;
    for sql in [
        "INSERT INTO plans (municipality, version, version_kind, version_name, municipality_name, \
         municipality_code, document_title, document_body, investment_title, \
         investment_budget_year, exploitation_title, exploitation_year, finance_title, \
         finance_summary_title, has_frame_change, import_seq, imported_at, imported_by) VALUES \
         ('haninge', 'v1', 'proposal', 'Förslag', 'Haninge kommun', '0136', 'Plan', 'ks', \
         'Investeringar', 2021, 'Exploatering', 2021, 'Finans', 'Finans', 0, 1, \
         '2021-01-01T00:00:00.000000Z', 'anna')",
        "INSERT INTO periods (municipality, month, id, kind, title, state) \
         VALUES ('haninge', '2021-08', 'p2021_08', 'interim', 'Delårsrapport 2', 'closed')",
        "INSERT INTO followup_entries (municipality, change_seq, position, period, kind, subject, \
         value, reported_at, reported_by) VALUES ('haninge', 7, 0, '2021-08', 'status', \
         'ks2020_3', 'started', '2021-09-01T00:00:00.000000Z', 'anna'), \
         ('haninge', 8, 0, '2021-08', 'status', 'ks2020_3', 'done', \
         '2021-09-02T00:00:00.000000Z', 'bertil')",
    ] {
        db.execute(sql).await.unwrap();
    }

    let store = db.open().await;
    let periods = store.periods(KS).await.unwrap();
    assert_eq!(periods.len(), 1);
    assert_eq!(periods[0].state, PeriodState::Closed);
    let history = store
        .reports(
            KS,
            &EntryFilter {
                history: true,
                ..EntryFilter::default()
            },
        )
        .await
        .unwrap();
    let who: Vec<(&str, u64)> = history
        .iter()
        .map(|e| (e.reported_by.as_str(), e.version))
        .collect();
    assert_eq!(who, vec![("anna", 1), ("bertil", 2)]);
    assert!(store.periods(SN).await.unwrap().is_empty());
    store.close().await;
    // Still append-only after the rebuild.
    assert!(db.execute("DELETE FROM followup_entries").await.is_err());
    assert!(
        db.execute("UPDATE followup_entries SET value = 'waiting'")
            .await
            .is_err()
    );
    assert_eq!(db.count("followup_entries").await, 2);
}

async fn a_period_closes_for_the_whole_municipality_at_once(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    store.import_plan(&socialnamnden(), "bertil").await.unwrap();
    let august = Month::parse("2021-08").unwrap();
    // Kommunstyrelsen has closed its own already: only Socialnämnden's is closed now.
    store
        .set_period_state(KS, august, PeriodState::Closed, "anna", None)
        .await
        .unwrap();
    let closed = store
        .close_period_everywhere("haninge", august, "admin")
        .await
        .unwrap();
    let bodies: Vec<&str> = closed.iter().map(|(body, _)| body.as_str()).collect();
    assert_eq!(bodies, vec!["sn"]);
    for owner in [KS, SN] {
        let period = store
            .periods(owner)
            .await
            .unwrap()
            .into_iter()
            .find(|p| p.month == august)
            .unwrap();
        assert_eq!(period.state, PeriodState::Closed, "{owner}");
    }
    let error = store
        .close_period_everywhere("haninge", august, "admin")
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::PeriodState { .. }), "{error:?}");
    let error = store
        .close_period_everywhere("haninge", Month::parse("1999-01").unwrap(), "admin")
        .await
        .unwrap_err();
    assert!(
        matches!(error, StoreError::NoSuchPeriod { .. }),
        "{error:?}"
    );
    let log = store
        .audit_log(&styr_store::AuditFilter::default())
        .await
        .unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.action, "close period haninge/*/2021-08");
    assert_eq!(last.after.as_deref(), Some("body: sn; state: stängd"));
    store.close().await;
}

on_both_backends!(
    a_period_closes_for_the_whole_municipality_at_once,
    two_bodies_keep_their_plans_and_follow_up_apart,
    a_body_cannot_take_another_bodys_version_id,
    the_body_migration_places_rows_under_the_plans_body,
);

/// A SQLite database written by the release before migration 0016 (schema 15; see
/// `tests/fixtures/README.md`): the example imported, two interim reports' follow-up files,
/// a status and a closed period. Opening it migrates it; nothing is lost and everything is
/// Kommunstyrelsens.
#[tokio::test]
async fn a_database_of_the_previous_release_opens_with_every_row_under_its_body() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("release-15.db");
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("fixtures")
        .join("release-15.db");
    std::fs::copy(&fixture, &path).unwrap();
    let url = path.to_str().unwrap();
    let store = styr_store::Store::open(url).await.unwrap();
    assert_eq!(
        store.schema_version().await.unwrap(),
        styr_store::newest_schema_version()
    );
    let history = store
        .reports(
            KS,
            &EntryFilter {
                history: true,
                ..EntryFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(history.len(), 94, "every report of the old database");
    let closed: Vec<String> = store
        .periods(KS)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.state == PeriodState::Closed)
        .map(|p| p.month.to_string())
        .collect();
    assert_eq!(closed, vec!["2020-08", "2020-10", "2021-04"]);
    let plan = store.load_plan(None, None, None).await.unwrap();
    assert_eq!(plan.document.body.as_str(), "ks");
    assert_eq!(plan.periods.len(), 12);
    store.close().await;
}
