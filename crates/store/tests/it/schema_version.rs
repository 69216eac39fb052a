//! Schema versions: a database of an older schema is migrated forward with its data kept, and
//! one of a newer schema than this program's is refused, with both versions named, and left as
//! it was; an older backup is restored and migrated forward.

use crate::db::TestDb;
use styr_store::{AuditFilter, Store, StoreError, newest_schema_version};

/// Writes a plan row and an audit row with the statements of schema version 2.
async fn fill_version_2(db: &TestDb) {
    for statement in [
        "INSERT INTO plans (municipality, version, version_kind, version_name, \
         municipality_name, municipality_code, document_title, document_body, \
         investment_title, investment_budget_year, exploitation_title, exploitation_year, \
         finance_title, finance_summary_title, has_frame_change, import_seq, imported_at, \
         imported_by) VALUES ('gamla', 'v2019', 'decided', 'Budget 2019', 'Gamla kommun', \
         '0999', 'Mål och budget 2019', 'KF', 'Investeringar', 2019, 'Exploatering', 2019, \
         'Finansförvaltning', 'Sammanställning', 0, 1, '2019-06-01T10:00:00.000000Z', 'anna')",
        "INSERT INTO audit_log (seq, municipality, at, actor, action, detail) VALUES \
         (1, 'gamla', '2019-06-01T10:00:00.000000Z', 'anna', 'import plan gamla/v2019', \
         'kind=decided')",
        "UPDATE counters SET value = 1 WHERE name = 'import'",
    ] {
        db.execute(statement).await.expect(statement);
    }
}

async fn an_older_schema_is_migrated_forward_with_its_data(db: &TestDb) {
    let old = Store::open_at_schema_version(&db.url, 2)
        .await
        .expect("a database of schema version 2");
    assert_eq!(old.schema_version().await.unwrap(), 2);
    old.close().await;
    fill_version_2(db).await;

    let store = db.open().await;
    assert_eq!(
        store.schema_version().await.unwrap(),
        newest_schema_version()
    );
    assert_eq!(db.count("schema_migrations").await, newest_schema_version());
    let plans = store.plans().await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(
        (plans[0].municipality.as_str(), plans[0].version.as_str()),
        ("gamla", "v2019")
    );
    let audit = store.audit_log(&AuditFilter::default()).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(
        (
            audit[0].seq,
            audit[0].actor.as_str(),
            audit[0].action.as_str()
        ),
        (1, "anna", "import plan gamla/v2019")
    );
    store.close().await;
}

async fn a_newer_schema_is_refused_with_both_versions_and_left_as_it_was(db: &TestDb) {
    db.open().await.close().await;
    let future = newest_schema_version() + 1;
    db.execute(&format!(
        "INSERT INTO schema_migrations (version, name, applied_at) \
         VALUES ({future}, 'from_the_future', '2030-01-01T00:00:00.000000Z')"
    ))
    .await
    .unwrap();
    let before = db
        .counts(&["schema_migrations", "audit_log", "counters"])
        .await;

    for attempt in [
        Store::open(&db.url).await,
        Store::open_existing(&db.url).await,
    ] {
        match attempt {
            Err(StoreError::SchemaTooNew { database, binary }) => {
                assert_eq!((database, binary), (future, newest_schema_version()));
                let message = StoreError::SchemaTooNew { database, binary }.to_string();
                assert!(
                    message.contains(&format!("schemaversion {future}")),
                    "{message}"
                );
                assert!(
                    message.contains(&format!("schemaversion {}", newest_schema_version())),
                    "{message}"
                );
            }
            Err(other) => panic!("expected SchemaTooNew, got {other}"),
            Ok(_) => panic!("a database of a newer schema was opened"),
        }
    }
    assert_eq!(
        db.counts(&["schema_migrations", "audit_log", "counters"])
            .await,
        before
    );
}

async fn an_older_backup_is_restored_and_migrated_forward(db: &TestDb) {
    let old = Store::open_at_schema_version(&db.url, 2)
        .await
        .expect("a database of schema version 2");
    fill_version_2(db).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("gammal säkerhetskopia");
    let backup = old.backup(&file).await.expect("a backup of the old schema");
    assert_eq!(backup.schema_version, 2);
    old.close().await;

    let target = if db.url.starts_with("postgres") {
        TestDb::postgres().await.expect("the PostgreSQL server")
    } else {
        TestDb::sqlite().await
    };
    let restored = styr_store::restore(&target.url, &file, false)
        .await
        .expect("the restore");
    assert_eq!(
        (restored.backup_version, restored.schema_version),
        (2, newest_schema_version())
    );
    let store = target.open().await;
    let plans = store.plans().await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].municipality, "gamla");
    assert_eq!(
        store
            .audit_log(&AuditFilter::default())
            .await
            .unwrap()
            .len(),
        1
    );
    store.close().await;
    target.remove().await;
}

crate::on_both_backends!(
    an_older_backup_is_restored_and_migrated_forward,
    an_older_schema_is_migrated_forward_with_its_data,
    a_newer_schema_is_refused_with_both_versions_and_left_as_it_was,
);
