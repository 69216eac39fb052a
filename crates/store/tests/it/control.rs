//! Migration 0009 (internal control) keeps what was stored before it: a risk's likelihood and
//! consequence become its assessment for the plan's year, follow-up reports keep every row and
//! stay append-only, a recommendation's typed status becomes an action, and the two new kinds
//! of report are tied to their columns.

use crate::db::TestDb;
use crate::on_both_backends;

async fn the_internal_control_migration_keeps_risks_and_reports(db: &TestDb) {
    let store = styr_store::Store::open_at_schema_version(&db.url, 8)
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
        "INSERT INTO risks (municipality, version, position, id, title, likelihood, consequence) \
         VALUES ('haninge', 'v1', 0, 'lokalbanken', 'Underskott', 3, 2)",
        "INSERT INTO risks (municipality, version, position, id, title) \
         VALUES ('haninge', 'v1', 1, 'evakuering', 'Evakuering')",
        "INSERT INTO audits (municipality, version, position, id, title) \
         VALUES ('haninge', 'v1', 0, 'gdpr', 'Granskning av GDPR')",
        "INSERT INTO audit_recommendations (municipality, version, audit, position, id, content, \
         status) VALUES ('haninge', 'v1', 'gdpr', 0, 'r1', 'Rutin', 'open'), \
         ('haninge', 'v1', 'gdpr', 1, 'r2', 'Register', 'in_progress'), \
         ('haninge', 'v1', 'gdpr', 2, 'r3', 'Utbildning', 'done')",
        "INSERT INTO periods (municipality, month, id, kind, title, state) \
         VALUES ('haninge', '2021-08', 'p2021_08', 'interim', 'Delårsrapport 2', 'open')",
        "INSERT INTO followup_entries (municipality, change_seq, position, period, kind, subject, \
         value, reported_at, reported_by) VALUES ('haninge', 7, 0, '2021-08', 'status', \
         'ks2020_3', 'started', '2021-09-01T00:00:00.000000Z', 'anna')",
    ] {
        db.execute(sql).await.unwrap();
    }

    let store = db.open().await;
    store.close().await;
    assert_eq!(
        db.count("schema_migrations").await,
        styr_store::newest_schema_version()
    );
    assert_eq!(db.count("risk_assessments").await, 1);
    assert_eq!(
        db.execute(
            "DELETE FROM risk_assessments WHERE risk = 'lokalbanken' AND year = 2021 \
             AND likelihood = 3 AND consequence = 2"
        )
        .await
        .unwrap(),
        1
    );
    // A typed recommendation status became an action; open needs none.
    assert_eq!(db.count("audit_actions").await, 2);
    assert_eq!(
        db.execute(
            "DELETE FROM audit_actions WHERE (recommendation = 'r2' AND status = 'in_progress' \
             AND id = 'gdpr_r2_status' AND evidence IS NULL) OR (recommendation = 'r3' \
             AND status = 'done' AND evidence IS NOT NULL)"
        )
        .await
        .unwrap(),
        2
    );
    assert_eq!(db.count("followup_entries").await, 1);
    // Still append-only after SQLite's rebuild of the table.
    assert!(
        db.execute("UPDATE followup_entries SET value = 'done'")
            .await
            .is_err()
    );
    assert!(db.execute("DELETE FROM followup_entries").await.is_err());
    let control = |light: &str| {
        format!(
            "INSERT INTO followup_entries (municipality, body, change_seq, position, period, \
             kind, subject, value, light, reported_at, reported_by) VALUES ('haninge', 'ks', 8, \
             0, '2021-08', 'control', 'ikp21_attest', 'no_remarks', {light}, \
             '2021-09-01T00:00:00.000000Z', 'anna')"
        )
    };
    assert!(db.execute(&control("NULL")).await.is_err());
    assert!(db.execute(&control("'lila'")).await.is_err());
    assert_eq!(db.execute(&control("'green'")).await.unwrap(), 1);
    assert_eq!(db.count("followup_entries").await, 2);
}

on_both_backends!(the_internal_control_migration_keeps_risks_and_reports);
