//! A decided budget version is never edited in place: importing its key again fails and
//! changes nothing; a change is imported as an adjusted version under a new key.

use crate::db::{PLAN_TABLES, TestDb};
use crate::{assert_same_plan, example_plan, on_both_backends};
use styr_domain::Id;
use styr_domain::budget::VersionKind;
use styr_store::StoreError;

async fn a_decided_version_cannot_be_imported_again(db: &TestDb) {
    let mut decided = example_plan();
    decided.budget.version.kind = VersionKind::Decided;
    decided.budget.version.decision = Some(decided.decisions[0].id.clone());
    let store = db.open().await;
    store.import_plan(&decided, "anna").await.unwrap();
    let keys = store.plans().await.unwrap();
    let log = store.audit_log(&Default::default()).await.unwrap();
    let counts = db.counts(PLAN_TABLES).await;

    let mut changed = decided.clone();
    changed.assignments[0].title = "Ändrat i efterhand".into();
    changed.budget.exploitation.rows.truncate(3);
    let error = store.import_plan(&changed, "bertil").await.unwrap_err();
    match &error {
        StoreError::DecidedVersion { version } => assert_eq!(version, "ks_2021_proposal"),
        other => panic!("expected DecidedVersion, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "budgetversionen ks_2021_proposal är beslutad och ändras aldrig på plats: \
         importera en justerad version (kind = \"adjusted\") i stället"
    );
    // Not even the same plan again.
    let error = store.import_plan(&decided, "anna").await.unwrap_err();
    assert!(matches!(error, StoreError::DecidedVersion { .. }));

    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &decided);
    assert_eq!(store.plans().await.unwrap(), keys);
    assert_eq!(store.audit_log(&Default::default()).await.unwrap(), log);
    assert_eq!(db.counts(PLAN_TABLES).await, counts);

    // The way to change it: an adjusted version, based on the decided one.
    let mut adjusted = changed;
    adjusted.budget.version.id = Id::parse("ks_2021_adjusted").unwrap();
    adjusted.budget.version.kind = VersionKind::Adjusted;
    adjusted.budget.version.based_on = Some(decided.budget.version.id.clone());
    store.import_plan(&adjusted, "bertil").await.unwrap();
    let kinds: Vec<(String, String)> = store
        .plans()
        .await
        .unwrap()
        .into_iter()
        .map(|key| (key.version, key.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("ks_2021_proposal".to_owned(), "decided".to_owned()),
            ("ks_2021_adjusted".to_owned(), "adjusted".to_owned()),
        ]
    );
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &adjusted);
    assert_same_plan(
        &store
            .load_plan(None, None, Some("ks_2021_proposal"))
            .await
            .unwrap(),
        &decided,
    );
    store.close().await;
}

async fn a_proposal_may_become_decided(db: &TestDb) {
    let proposal = example_plan();
    let mut decided = proposal.clone();
    decided.budget.version.kind = VersionKind::Decided;
    decided.budget.version.decision = Some(decided.decisions[0].id.clone());
    let store = db.open().await;
    store.import_plan(&proposal, "anna").await.unwrap();
    let summary = store.import_plan(&decided, "anna").await.unwrap();
    assert!(summary.replaced);
    assert_eq!(summary.kind, "decided");
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &decided);
    store.close().await;
}

on_both_backends!(
    a_decided_version_cannot_be_imported_again,
    a_proposal_may_become_decided
);
