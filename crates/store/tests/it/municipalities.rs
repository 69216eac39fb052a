//! Plans of several municipalities side by side, and which plan `load_plan` picks when the
//! municipality or the version is left out.

use crate::db::TestDb;
use crate::{assert_same_plan, example_plan, on_both_backends};
use styr_domain::Id;
use styr_store::StoreError;

fn nynashamn() -> styr_domain::Plan {
    let mut plan = example_plan();
    plan.municipality.id = Id::parse("nynashamn").unwrap();
    plan.municipality.name = "Nynäshamns kommun".into();
    plan.municipality.code = "0192".into();
    plan.assignments[0].title = "Nynäshamns eget uppdrag".into();
    plan
}

async fn two_municipalities_side_by_side(db: &TestDb) {
    let haninge = example_plan();
    let nynashamn = nynashamn();
    let store = db.open().await;
    store.import_plan(&haninge, "anna").await.unwrap();
    store.import_plan(&nynashamn, "bertil").await.unwrap();

    let error = store.load_plan(None, None, None).await.unwrap_err();
    match &error {
        StoreError::AmbiguousMunicipality(names) => {
            assert_eq!(names, &vec!["haninge", "nynashamn"])
        }
        other => panic!("expected AmbiguousMunicipality, got {other:?}"),
    }
    assert_eq!(
        error.to_string(),
        "databasen har planer för flera kommuner (haninge, nynashamn): ange vilken"
    );
    let error = store
        .load_plan(None, None, Some("ks_2021_proposal"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::AmbiguousMunicipality(_)));

    assert_same_plan(
        &store.load_plan(Some("haninge"), None, None).await.unwrap(),
        &haninge,
    );
    assert_same_plan(
        &store
            .load_plan(Some("nynashamn"), None, None)
            .await
            .unwrap(),
        &nynashamn,
    );
    let keys: Vec<(String, String)> = store
        .plans()
        .await
        .unwrap()
        .into_iter()
        .map(|key| (key.municipality, key.version))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("haninge".to_owned(), "ks_2021_proposal".to_owned()),
            ("nynashamn".to_owned(), "ks_2021_proposal".to_owned()),
        ]
    );
    assert_eq!(db.count("assignments").await, 38);

    let error = store
        .load_plan(Some("solna"), None, None)
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "databasen har inga planer för kommunen solna"
    );
    let error = store
        .load_plan(Some("haninge"), None, Some("ks_1999"))
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::NotFound(_)));
    store.close().await;
}

async fn the_latest_import_is_the_default_version(db: &TestDb) {
    let proposal = example_plan();
    let mut adjusted = example_plan();
    adjusted.budget.version.id = Id::parse("ks_2021_adjusted").unwrap();
    adjusted.budget.version.kind = styr_domain::budget::VersionKind::Adjusted;
    adjusted.budget.version.decision = Some(adjusted.decisions[0].id.clone());
    let store = db.open().await;
    store.import_plan(&proposal, "anna").await.unwrap();
    store.import_plan(&adjusted, "anna").await.unwrap();
    assert_same_plan(
        &store.load_plan(Some("haninge"), None, None).await.unwrap(),
        &adjusted,
    );
    store.import_plan(&proposal, "anna").await.unwrap();
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &proposal);
    let versions: Vec<String> = store
        .plans()
        .await
        .unwrap()
        .into_iter()
        .map(|k| k.version)
        .collect();
    assert_eq!(versions, vec!["ks_2021_adjusted", "ks_2021_proposal"]);
    store.close().await;
}

on_both_backends!(
    two_municipalities_side_by_side,
    the_latest_import_is_the_default_version
);
