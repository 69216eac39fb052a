//! Stored versions (migration 0027): writers of one record at the same time, from separate
//! pools as separate server processes would be, are told apart by the record's stored version
//! — exactly one edit based on a version wins, every other is refused naming the winner's
//! report, and nothing is lost; edits that ask for no check all land, each as its own version;
//! and the migration gives existing rows the versions that were computed for them.

use crate::db::TestDb;
use crate::{KS, example_plan, on_both_backends};
use rust_decimal::Decimal;
use styr_domain::Id;
use styr_domain::activity::MeasureValue;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{EntryKind, FollowUpReport, ReportEntry};
use styr_domain::ledger::Month;
use styr_store::{AuditFilter, EntryFilter, MeasureEdit, Store, StoreError};

/// Reporters on separate pools.
const POOLS: usize = 4;
/// Reporters per pool.
const PER_POOL: usize = 3;

fn status(comment: String) -> FollowUpReport {
    FollowUpReport {
        period: Month::parse("2021-08").unwrap(),
        entry: ReportEntry::Status {
            assignment: Id::parse("ks2020_3").unwrap(),
            status: AssignmentStatus::Started,
            comment: Some(comment),
        },
    }
}

fn history() -> EntryFilter {
    EntryFilter {
        period: Some(Month::parse("2021-08").unwrap()),
        kind: Some(EntryKind::Status),
        subject: Some("ks2020_3".to_owned()),
        history: true,
    }
}

async fn stores(db: &TestDb) -> Vec<Store> {
    let mut stores = Vec::new();
    for _ in 0..POOLS {
        stores.push(db.open().await);
    }
    stores
}

async fn reports_logged(store: &Store) -> usize {
    let filter = AuditFilter {
        action_contains: Some("report status".into()),
        ..AuditFilter::default()
    };
    store.audit_log(&filter).await.unwrap().len()
}

async fn concurrent_reporters_on_one_subject_one_wins_per_version(db: &TestDb) {
    let stores = stores(db).await;
    stores[0]
        .import_plan(&example_plan(), "anna")
        .await
        .unwrap();
    let rounds = 4u64;
    for round in 0..rounds {
        // Everyone read version `round` and reports on it at once.
        let tasks: Vec<_> = (0..POOLS * PER_POOL)
            .map(|n| {
                let store = stores[n % POOLS].clone();
                tokio::spawn(async move {
                    let report = status(format!("rapportör {n} omgång {round}"));
                    let result = store
                        .record_reports_based_on(
                            KS,
                            std::slice::from_ref(&report),
                            &[Some(round)],
                            &format!("r{n}"),
                            "report status",
                        )
                        .await;
                    (report, result)
                })
            })
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        let won: Vec<_> = results
            .iter()
            .filter_map(|(report, result)| result.as_ref().ok().map(|r| (report, r)))
            .collect();
        assert_eq!(won.len(), 1, "round {round}: {results:?}");
        let (winner, summary) = won[0];
        assert_eq!(summary.changes.len(), 1);
        assert_eq!(summary.changes[0].after.version, round + 1);
        for (report, result) in &results {
            if report == winner {
                continue;
            }
            match result {
                Err(StoreError::StaleVersion {
                    expected, current, ..
                }) => {
                    assert_eq!(*expected, round);
                    let current = current.as_ref().as_ref().expect("the winner's report");
                    assert_eq!(current.version, round + 1);
                    assert_eq!(&current.report, winner, "the 409 names the winner's report");
                }
                other => panic!("round {round}: {other:?}"),
            }
        }
    }
    // No lost update: one version per round, each the winner's, each with its audit row.
    let stored = stores[0].reports(KS, &history()).await.unwrap();
    let versions: Vec<u64> = stored.iter().map(|e| e.version).collect();
    assert_eq!(versions, (1..=rounds).collect::<Vec<_>>());
    assert_eq!(reports_logged(&stores[0]).await, rounds as usize);
    let current = stores[0]
        .reports(
            KS,
            &EntryFilter {
                history: false,
                ..history()
            },
        )
        .await
        .unwrap();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0].version, rounds);
    for store in stores {
        store.close().await;
    }
}

async fn unchecked_reports_at_the_same_time_all_land(db: &TestDb) {
    let stores = stores(db).await;
    stores[0]
        .import_plan(&example_plan(), "anna")
        .await
        .unwrap();
    let tasks: Vec<_> = (0..POOLS * PER_POOL)
        .map(|n| {
            let store = stores[n % POOLS].clone();
            tokio::spawn(async move {
                store
                    .record_reports(
                        KS,
                        &[status(format!("rapportör {n}"))],
                        "import",
                        "report status",
                    )
                    .await
            })
        })
        .collect();
    let mut versions = Vec::new();
    for task in tasks {
        let summary = task.await.unwrap().unwrap();
        versions.push(summary.changes[0].after.version);
    }
    versions.sort_unstable();
    let all: Vec<u64> = (1..=(POOLS * PER_POOL) as u64).collect();
    assert_eq!(versions, all, "every report its own version");
    let stored = stores[0].reports(KS, &history()).await.unwrap();
    assert_eq!(stored.iter().map(|e| e.version).collect::<Vec<_>>(), all);
    assert_eq!(reports_logged(&stores[0]).await, POOLS * PER_POOL);
    for store in stores {
        store.close().await;
    }
}

async fn concurrent_edits_of_one_measure_one_wins_per_version(db: &TestDb) {
    let stores = stores(db).await;
    let edit = |value: i64, based_on: i64| MeasureEdit {
        value: MeasureValue {
            measure: Id::parse("kontaktcenter").unwrap(),
            month: Month::parse("2021-03").unwrap(),
            value: Decimal::from(value),
        },
        based_on: Some(based_on),
    };
    for round in 0..3i64 {
        let tasks: Vec<_> = (0..POOLS * PER_POOL)
            .map(|n| {
                let store = stores[n % POOLS].clone();
                let edit = edit(1000 * (round + 1) + n as i64, round);
                tokio::spawn(async move {
                    store
                        .record_measure_values(KS, &[edit], "r", "report measure")
                        .await
                })
            })
            .collect();
        let mut won = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(recorded) => {
                    assert_eq!(recorded.changed, 1);
                    won += 1;
                }
                Err(StoreError::StaleMeasure {
                    expected, current, ..
                }) => assert_eq!((expected, current), (round, round + 1)),
                Err(other) => panic!("{other}"),
            }
        }
        assert_eq!(won, 1, "round {round}");
    }
    let values = stores[0].measure_values(KS).await.unwrap();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].version, 3);
    for store in stores {
        store.close().await;
    }
}

/// A database of schema 26 with reports and an outcome: after migration 0027 each report has
/// the version that was computed for it (its place among its key's reports in change order),
/// the outcome the change number forms were given, a second row of a version is refused, and
/// the next report and change continue from there.
async fn the_migration_stores_the_computed_versions(db: &TestDb) {
    let store = Store::open_at_schema_version(&db.url, 26).await.unwrap();
    store.close().await;
    let entry = |seq: i64, position: i64, subject: &str| {
        format!(
            "INSERT INTO followup_entries (municipality, body, change_seq, position, period, \
             kind, subject, value, reported_at, reported_by) VALUES ('haninge', 'ks', {seq}, \
             {position}, '2021-08', 'status', '{subject}', 'started', \
             '2021-09-01T00:00:00.000000Z', 'anna')"
        )
    };
    for sql in [
        "INSERT INTO periods (municipality, body, month, id, kind, title, state) \
         VALUES ('haninge', 'ks', '2021-08', 'p2021_08', 'interim', 'Delårsrapport 2', 'open')"
            .to_owned(),
        entry(3, 0, "ks2020_3"),
        entry(5, 0, "ks2020_3"),
        entry(5, 1, "ks2020_4"),
        entry(9, 0, "ks2020_3"),
        "INSERT INTO measure_values (municipality, body, measure, month, value, change_seq, \
         reported_at, reported_by) VALUES ('haninge', 'ks', 'kontaktcenter', '2021-03', '12', \
         5, '2021-04-01T00:00:00.000000Z', 'anna')"
            .to_owned(),
        "INSERT INTO audit_log (seq, municipality, at, actor, action, detail) VALUES \
         (9, 'haninge', '2021-09-01T00:00:00.000000Z', 'anna', 'report status', '')"
            .to_owned(),
        "UPDATE counters SET value = 9 WHERE name = 'import'".to_owned(),
    ] {
        db.execute(&sql).await.unwrap();
    }
    let store = db.open().await;
    let all = EntryFilter {
        history: true,
        ..EntryFilter::default()
    };
    let versions: Vec<(String, u64)> = store
        .reports(KS, &all)
        .await
        .unwrap()
        .iter()
        .map(|e| (e.report.entry.subject(), e.version))
        .collect();
    let expected = [
        ("ks2020_3", 1),
        ("ks2020_3", 2),
        ("ks2020_3", 3),
        ("ks2020_4", 1),
    ];
    assert_eq!(
        versions,
        expected.map(|(s, v)| (s.to_owned(), v)).to_vec(),
        "the computed versions, stored"
    );
    assert_eq!(store.measure_values(KS).await.unwrap()[0].version, 5);
    // The unique index: a second version 3 is refused by the database itself.
    let duplicate = "INSERT INTO followup_entries (municipality, body, change_seq, position, \
         period, kind, subject, value, reported_at, reported_by, version) VALUES ('haninge', \
         'ks', 10, 0, '2021-08', 'status', 'ks2020_3', 'done', '2021-09-01T00:00:00.000000Z', \
         'mallory', 3)";
    assert!(db.execute(duplicate).await.is_err());
    // The next report is version 4, in a change numbered after the stored ones.
    let recorded = store
        .record_reports_based_on(
            KS,
            &[status("efter".to_owned())],
            &[Some(3)],
            "anna",
            "report status",
        )
        .await
        .unwrap();
    assert_eq!(recorded.changes[0].after.version, 4);
    let log = store.audit_log(&Default::default()).await.unwrap();
    assert_eq!(log.len(), 2);
    assert!(log[1].seq > 9, "{}", log[1].seq);
    store.close().await;
}

/// One report on the version current: written with its audit row and the change counter moved
/// (seen by another pool, as another process would), or refused with nothing written when
/// stale or when its period is closed (on PostgreSQL this is one statement, `followup::one`).
async fn one_report_on_its_version_writes_its_audit_row_or_nothing(db: &TestDb) {
    let stores = stores(db).await;
    let (store, other) = (&stores[0], &stores[1]);
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let report = |comment: &str, on: u64| {
        let (store, report) = (store.clone(), status(comment.to_owned()));
        async move {
            store
                .record_reports_based_on(KS, &[report], &[Some(on)], "anna", "report status")
                .await
        }
    };
    let seen = other.generation().await.unwrap();
    let first = report("först", 0).await.unwrap();
    assert_eq!(first.changes.len(), 1);
    assert_eq!(first.changes[0].before, None);
    assert_eq!(first.changes[0].after.version, 1);
    assert!(
        other.generation().await.unwrap() > seen,
        "the counter moved"
    );
    let second = report("sedan", 1).await.unwrap();
    assert_eq!(second.changes[0].after.version, 2);
    assert_eq!(
        second.changes[0].before.as_ref().map(|b| b.version),
        Some(1)
    );
    // The same report again on the version before it: kept, not written twice.
    let again = report("sedan", 1).await.unwrap();
    assert_eq!((again.changes.len(), again.unchanged), (0, 1));
    assert_eq!(again.kept[0].version, 2);
    // Stale: refused naming the current report.
    match report("för sent", 1).await {
        Err(StoreError::StaleVersion { current, .. }) => {
            assert_eq!(current.as_ref().as_ref().map(|c| c.version), Some(2));
        }
        other => panic!("{other:?}"),
    }
    let log = store
        .audit_log(&AuditFilter {
            action_contains: Some("report status".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].detail, "changed=1 unchanged=0");
    assert_eq!(log[0].before.as_deref(), Some("–"));
    assert_eq!(
        log[0].after, log[1].before,
        "the second's before is the first's after"
    );
    assert!(
        log[1].after.as_deref().unwrap().contains("sedan"),
        "{log:?}"
    );
    assert!(log[0].seq < log[1].seq);
    let stored = store.reports(KS, &history()).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[1].reported_at, log[1].at);
    // A closed period: refused, nothing written, the counter not moved.
    store
        .set_period_state(
            KS,
            Month::parse("2021-08").unwrap(),
            styr_domain::followup::PeriodState::Closed,
            "anna",
            None,
        )
        .await
        .unwrap();
    let closed = other.generation().await.unwrap();
    assert!(
        matches!(
            report("stängd", 2).await,
            Err(StoreError::PeriodClosed { .. })
        ),
        "a closed period is refused"
    );
    assert_eq!(store.reports(KS, &history()).await.unwrap().len(), 2);
    assert_eq!(reports_logged(store).await, 2);
    assert_eq!(other.generation().await.unwrap(), closed);
    for store in stores {
        store.close().await;
    }
}

on_both_backends!(
    one_report_on_its_version_writes_its_audit_row_or_nothing,
    concurrent_reporters_on_one_subject_one_wins_per_version,
    unchecked_reports_at_the_same_time_all_land,
    concurrent_edits_of_one_measure_one_wins_per_version,
    the_migration_stores_the_computed_versions
);
