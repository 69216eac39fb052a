//! An import that fails part-way changes nothing: the transaction is rolled back, the plan
//! stored before is intact, and the audit log has no row for it.

use crate::db::{PLAN_TABLES, TestDb};
use crate::{assert_same_plan, example_plan, on_both_backends};
use styr_domain::Id;
use styr_store::StoreError;

async fn a_failed_import_changes_nothing(db: &TestDb) {
    let plan = example_plan();
    let store = db.open().await;
    store.import_plan(&plan, "anna").await.unwrap();
    let keys = store.plans().await.unwrap();
    let log = store.audit_log(&Default::default()).await.unwrap();
    let counts = db.counts(PLAN_TABLES).await;

    // Changed early (bodies are written near the start), broken late: the exploitation row id
    // repeated violates the table's unique id after most of the plan has been written.
    let mut broken = plan.clone();
    broken.bodies[0].name = "Skrivet före felet".into();
    broken.assignments.truncate(5);
    let repeated = broken.budget.exploitation.rows[0].clone();
    broken.budget.exploitation.rows.push(repeated);
    let error = store.import_plan(&broken, "bertil").await.unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");

    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &plan);
    assert_eq!(store.plans().await.unwrap(), keys);
    assert_eq!(store.audit_log(&Default::default()).await.unwrap(), log);
    assert_eq!(db.counts(PLAN_TABLES).await, counts);

    // A failed import of a new key stores nothing under it.
    broken.budget.version.id = Id::parse("ks_2021_broken").unwrap();
    store.import_plan(&broken, "bertil").await.unwrap_err();
    assert_eq!(store.plans().await.unwrap(), keys);
    let error = store
        .load_plan(Some("haninge"), None, Some("ks_2021_broken"))
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "planen haninge/ks_2021_broken finns inte i databasen"
    );
    assert_eq!(db.counts(PLAN_TABLES).await, counts);

    // The store is still usable afterwards.
    assert!(store.import_plan(&plan, "anna").await.unwrap().replaced);
    store.close().await;
}

on_both_backends!(a_failed_import_changes_nothing);
