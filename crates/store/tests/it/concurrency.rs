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

/// Two edits of one alternative budget based on the same version, from two pools at once:
/// exactly one lands, the other is stale, and the stored frame is the one that landed.
async fn concurrent_edits_of_one_alternative_one_lands(db: &TestDb) {
    use styr_domain::Money;
    use styr_domain::alternative::{Alternative, AlternativeState};
    use styr_store::StoreError;
    let first_store = db.open().await;
    let second_store = db.open().await;
    let draft = Alternative {
        id: 0,
        municipality: "haninge".into(),
        year: 2021,
        base_version: "kf_2021_decided".into(),
        party: "P".into(),
        title: "T".into(),
        author: "p".into(),
        state: AlternativeState::Draft,
        version: 0,
        created_at: String::new(),
        changed_at: String::new(),
        submitted: None,
        published: None,
        frames: Vec::new(),
        tax_rate: None,
        tax_revenue: None,
        goals: Vec::new(),
        assignments: Vec::new(),
    };
    let stored = first_store
        .save_alternative(&draft, "p", "create")
        .await
        .unwrap();
    assert_eq!((stored.id, stored.version), (1, 1));
    for round in 0..5_i64 {
        let edit = |store: styr_store::Store, amount: i64| {
            let mut edited = stored.clone();
            edited.version = 1 + round;
            edited.set_frame(
                Id::parse("sn").unwrap(),
                Money::from_tkr(amount).unwrap(),
                None,
            );
            tokio::spawn(async move { store.save_alternative(&edited, "p", "frames").await })
        };
        let first = edit(first_store.clone(), 1000 + round);
        let second = edit(second_store.clone(), 2000 + round);
        let results = [first.await.unwrap(), second.await.unwrap()];
        let landed: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
        assert_eq!(landed.len(), 1, "round {round}: {results:?}");
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(StoreError::StaleAlternative { .. })))
        );
        let now = first_store.alternatives("haninge").await.unwrap().remove(0);
        assert_eq!(now.version, 2 + round);
        assert_eq!(now.frames, landed[0].frames);
    }
    first_store.close().await;
    second_store.close().await;
}

on_both_backends!(
    concurrent_imports_of_two_versions_both_land,
    concurrent_edits_of_one_alternative_one_lands
);
