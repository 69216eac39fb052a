//! Budget versions: decide (then immutable), adjust (a new version based on the decided one),
//! diff line by line with the sums.

use crate::db::TestDb;
use crate::{admin, all, app_with_example, example_plan};
use styr_app::{Actor, AppError, PlanSelector};
use styr_domain::Money;
use styr_domain::budget::VersionKind;
use styr_store::StoreError;

async fn a_decided_version_is_adjusted_not_edited(db: &TestDb) {
    let app = app_with_example(db).await;
    let error = app
        .decide_version(&admin(), &all(), "finns_inte")
        .await
        .unwrap_err();
    assert!(matches!(error, AppError::Invalid(_)));
    let decided = app
        .decide_version(&admin(), &all(), "kf_2020_11_09_185")
        .await
        .unwrap();
    assert_eq!(decided.budget.version.kind, VersionKind::Decided);
    assert_eq!(
        decided.budget.version.decision.as_ref().map(|d| d.as_str()),
        Some("kf_2020_11_09_185")
    );
    // Importing over it is refused; deciding again too.
    let error = app
        .import_plan(&admin(), &example_plan())
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        AppError::Store(StoreError::DecidedVersion { .. })
    ));
    assert!(
        app.decide_version(&admin(), &all(), "kf_2020_11_09_185")
            .await
            .is_err()
    );

    app.adjust_version(
        &admin(),
        &all(),
        "ks_2021_adjusted_1",
        "Tilläggsbudget 1 2021",
    )
    .await
    .unwrap();
    let adjusted = app.load_plan(&admin(), &all()).await.unwrap();
    assert_eq!(adjusted.budget.version.kind, VersionKind::Adjusted);
    assert_eq!(
        adjusted
            .budget
            .version
            .based_on
            .as_ref()
            .map(|d| d.as_str()),
        Some("ks_2021_proposal")
    );
    // A second adjustment with the same id is refused.
    assert!(matches!(
        app.adjust_version(&admin(), &all(), "ks_2021_adjusted_1", "igen")
            .await,
        Err(AppError::Conflict(_))
    ));

    // Change one line of the adjusted version and compare.
    let mut changed = adjusted.clone();
    let table = changed
        .budget
        .operating
        .iter_mut()
        .find(|t| t.id.as_str() == "ksf")
        .unwrap();
    let row = table
        .rows
        .iter_mut()
        .find(|r| r.id.as_str() == "ksf")
        .unwrap();
    row.amounts.insert(2021, Money::from_tkr(86_198).unwrap());
    app.import_plan(&admin(), &changed).await.unwrap();
    let diff = app
        .diff_versions(&admin(), None, "ks_2021_proposal", "ks_2021_adjusted_1")
        .await
        .unwrap();
    let changes: Vec<(String, i32, Option<Money>)> = diff
        .rows
        .iter()
        .filter(|r| r.changed())
        .map(|r| (r.line.to_string(), r.year, r.change()))
        .collect();
    assert_eq!(
        changes,
        [("op.ksf.ksf".to_owned(), 2021, Money::from_tkr(2_000))]
    );
    let (year, a, b) = diff
        .operating_sums
        .iter()
        .find(|(year, _, _)| *year == 2021)
        .copied()
        .unwrap();
    assert_eq!((year, b - a), (2021, Money::from_tkr(2_000).unwrap()));
    let decided_again = app
        .load_plan(
            &admin(),
            &PlanSelector {
                municipality: None,
                body: None,
                version: Some("ks_2021_proposal".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(decided_again.budget.version.kind, VersionKind::Decided);

    // The public sees the decided version, not the adjusted draft with its changed line; the
    // draft named outright is not found.
    let public = Actor::public(None);
    let seen = app.load_plan(&public, &all()).await.unwrap();
    assert_eq!(seen.budget.version.id.as_str(), "ks_2021_proposal");
    assert_eq!(seen.budget.version.kind, VersionKind::Decided);
    let draft = PlanSelector {
        municipality: None,
        body: None,
        version: Some("ks_2021_adjusted_1".into()),
    };
    assert!(matches!(
        app.load_plan(&public, &draft).await,
        Err(AppError::NotFound(_))
    ));
    // Decided, the adjustment is what the public sees.
    app.decide_version(&admin(), &draft, "kf_2020_11_09_185")
        .await
        .unwrap();
    let seen = app.load_plan(&public, &all()).await.unwrap();
    assert_eq!(seen.budget.version.id.as_str(), "ks_2021_adjusted_1");
    app.close().await;
}

crate::on_both_backends!(a_decided_version_is_adjusted_not_edited);
