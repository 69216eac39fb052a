//! Importing a plan under a key that is already stored replaces the stored plan completely:
//! no rows are left over from the earlier import and none are doubled.

use crate::db::{PLAN_TABLES, TestDb};
use crate::{assert_same_plan, example_plan, on_both_backends};

async fn importing_the_same_key_again_replaces(db: &TestDb) {
    let plan = example_plan();
    let store = db.open().await;
    let first = store.import_plan(&plan, "test").await.unwrap();
    let counts = db.counts(PLAN_TABLES).await;
    assert_eq!(db.count("assignments").await, 19);
    assert_eq!(db.count("exploitation_rows").await, 37);
    assert_eq!(db.count("plans").await, 1);

    let second = store.import_plan(&plan, "test").await.unwrap();
    assert!(second.replaced);
    // The plan's rows again; the calendar is the municipality's and already holds its periods.
    assert_eq!(first.rows_in("periods"), 12);
    let plan_rows = |rows: &[(&'static str, u64)]| -> Vec<(&'static str, u64)> {
        rows.iter()
            .filter(|(t, _)| *t != "periods")
            .copied()
            .collect()
    };
    assert_eq!(second.rows, plan_rows(&first.rows));
    assert_eq!(db.counts(PLAN_TABLES).await, counts);
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &plan);

    // A changed plan under the same key: the stored plan is the new one, nothing more.
    let mut changed = plan.clone();
    let dropped = changed.assignments.pop().unwrap();
    changed.mentions.retain(|m| m.assignment != dropped.id);
    changed.statuses.retain(|s| s.assignment != dropped.id);
    changed.budget.exploitation.rows.truncate(10);
    changed.goals[0].title = "Ett nytt mål".into();
    store.import_plan(&changed, "test").await.unwrap();
    assert_eq!(db.count("assignments").await, 18);
    assert_eq!(db.count("exploitation_rows").await, 10);
    assert_eq!(db.count("plans").await, 1);
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &changed);
    assert_eq!(store.plans().await.unwrap().len(), 1);
    store.close().await;
}

on_both_backends!(importing_the_same_key_again_replaces);
