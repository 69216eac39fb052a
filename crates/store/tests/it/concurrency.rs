//! Imports running at the same time, from two tasks with separate connection pools (as two
//! processes would), all land: each waits for the other's transaction instead of failing or
//! losing rows.

use crate::db::TestDb;
use crate::{assert_same_plan, example_plan, on_both_backends};
use styr_domain::Id;
use styr_domain::budget::VersionKind;

async fn concurrent_imports_of_two_versions_both_land(db: &TestDb) {
    let proposal = example_plan();
    let mut adjusted = example_plan();
    adjusted.budget.version.id = Id::parse("ks_2021_adjusted").unwrap();
    adjusted.budget.version.kind = VersionKind::Adjusted;
    adjusted.budget.version.decision = Some(adjusted.decisions[0].id.clone());
    adjusted.budget.exploitation.rows.truncate(20);

    let first_store = db.open().await;
    let second_store = db.open().await;
    let rounds = 3;
    let first = {
        let (store, plan) = (first_store.clone(), proposal.clone());
        tokio::spawn(async move {
            for _ in 0..rounds {
                store.import_plan(&plan, "task1").await.unwrap();
            }
        })
    };
    let second = {
        let (store, plan) = (second_store.clone(), adjusted.clone());
        tokio::spawn(async move {
            for _ in 0..rounds {
                store.import_plan(&plan, "task2").await.unwrap();
            }
        })
    };
    first.await.unwrap();
    second.await.unwrap();

    let store = first_store;
    let mut versions: Vec<String> = store
        .plans()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.version)
        .collect();
    versions.sort();
    assert_eq!(versions, vec!["ks_2021_adjusted", "ks_2021_proposal"]);
    assert_same_plan(
        &store
            .load_plan(None, None, Some("ks_2021_proposal"))
            .await
            .unwrap(),
        &proposal,
    );
    assert_same_plan(
        &store
            .load_plan(None, None, Some("ks_2021_adjusted"))
            .await
            .unwrap(),
        &adjusted,
    );
    assert_eq!(db.count("assignments").await, 38);
    assert_eq!(db.count("exploitation_rows").await, 37 + 20);
    let log = store.audit_log(&Default::default()).await.unwrap();
    assert_eq!(log.len(), 2 * rounds);
    let by_task1 = log.iter().filter(|e| e.actor == "task1").count();
    assert_eq!(by_task1, rounds);
    store.close().await;
    second_store.close().await;
}

on_both_backends!(concurrent_imports_of_two_versions_both_land);
