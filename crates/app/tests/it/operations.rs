//! Backup and restore, on both backends: a backup taken while writers keep reporting (statuses
//! and forecasts) holds
//! every report acknowledged before it started and is a consistent database; a restore refuses
//! a non-empty target without `force` and a backup of a newer schema, naming both versions.

use crate::db::TestDb;
use crate::{admin, all, app_with_example};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use styr_app::{App, AppError, EntryFilter, StoreError, newest_schema_version, restore};
use styr_domain::Id;
use styr_domain::Money;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{FollowUpReport, ReportEntry};
use styr_domain::ledger::{BudgetLineRef, Month};

/// A fresh database of the same backend as `db`, for a restore.
async fn another_like(db: &TestDb) -> TestDb {
    if db.url.starts_with("postgres") {
        TestDb::postgres().await.expect("the PostgreSQL server")
    } else {
        TestDb::sqlite().await
    }
}

fn status(assignment: &str, comment: String) -> FollowUpReport {
    FollowUpReport {
        period: Month::parse("2021-08").unwrap(),
        entry: ReportEntry::Status {
            assignment: Id::parse(assignment).unwrap(),
            status: AssignmentStatus::Started,
            comment: Some(comment),
        },
    }
}

fn forecast(n: i64, comment: String) -> FollowUpReport {
    FollowUpReport {
        period: Month::parse("2021-08").unwrap(),
        entry: ReportEntry::Forecast {
            line: BudgetLineRef::parse("op.ksf.ksf").unwrap(),
            amount: Money::from_ore((100_000 + n) * 100_000),
            comment: Some(comment),
            action_plan: Some("Åtgärder enligt plan.".to_owned()),
        },
    }
}

/// The comments of every status and forecast report stored, history included.
async fn stored_comments(app: &App) -> BTreeSet<String> {
    let filter = EntryFilter {
        history: true,
        ..EntryFilter::default()
    };
    let (_, entries) = app.reports(&admin(), &all(), &filter).await.unwrap();
    entries
        .into_iter()
        .filter_map(|entry| match entry.report.entry {
            ReportEntry::Status { comment, .. } | ReportEntry::Forecast { comment, .. } => comment,
            _ => None,
        })
        .collect()
}

/// `PRAGMA integrity_check` of a SQLite file, and its migrations.
async fn check_sqlite_file(path: &std::path::Path) -> (String, Vec<i64>) {
    use sqlx::Row;
    sqlx::any::install_default_drivers();
    let url = format!(
        "sqlite:{}?mode=ro",
        path.to_str().unwrap().replace(' ', "%20")
    );
    let pool = sqlx::AnyPool::connect(&url)
        .await
        .expect("the backup opens");
    let integrity: String = sqlx::query("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    let versions: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations ORDER BY version")
        .fetch_all(&pool)
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get("version").unwrap())
        .collect();
    pool.close().await;
    (integrity, versions)
}

async fn a_backup_under_concurrent_writes_holds_every_acknowledged_report(db: &TestDb) {
    let app = app_with_example(db).await;
    let acknowledged: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for (writer, assignment) in ["ks2020_1", "ks2020_2", "ks2020_3"].into_iter().enumerate() {
        let (app, acknowledged, stop) = (app.clone(), acknowledged.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let comment = format!("skrivning {writer}-{n}");
                app.report(&admin(), &all(), status(assignment, comment.clone()))
                    .await
                    .expect("a report");
                // Acknowledged: the use case returned after its commit.
                acknowledged.lock().unwrap().push(comment);
                n += 1;
            }
        }));
    }
    // And one writer of forecasts (confirmed: the amounts need not look plausible).
    {
        let (app, acknowledged, stop) = (app.clone(), acknowledged.clone(), stop.clone());
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let comment = format!("prognos {n}");
                app.report_confirmed(&admin(), &all(), forecast(n, comment.clone()), None, true)
                    .await
                    .expect("a forecast");
                acknowledged.lock().unwrap().push(comment);
                n += 1;
            }
        }));
    }
    // Both kinds acknowledged before the backup starts (the forecast writer is the slower one:
    // its amounts are checked for plausibility).
    let ready = |written: &[String]| {
        written.len() >= 30 && written.iter().any(|c| c.starts_with("prognos"))
    };
    while !ready(&acknowledged.lock().unwrap()) {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("säkerhetskopia 1");
    let before: Vec<String> = acknowledged.lock().unwrap().clone();
    let summary = app.backup(&admin(), &file).await.expect("a backup");
    // The writers go on a little after the backup, then stop.
    let after_backup = acknowledged.lock().unwrap().len();
    while acknowledged.lock().unwrap().len() < after_backup + 10 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let all_written = acknowledged.lock().unwrap().len();
    assert_eq!(summary.schema_version, newest_schema_version());
    assert!(summary.bytes > 0);
    if !db.url.starts_with("postgres") {
        let (integrity, versions) = check_sqlite_file(&file).await;
        assert_eq!(integrity, "ok");
        assert_eq!(versions, (1..=newest_schema_version()).collect::<Vec<_>>());
    }

    let target = another_like(db).await;
    let restored = restore(&admin(), &target.url, &file, false)
        .await
        .expect("the restore");
    assert_eq!(
        (
            restored.backup_version,
            restored.schema_version,
            restored.replaced
        ),
        (newest_schema_version(), newest_schema_version(), false)
    );
    assert_eq!(
        target.count("schema_migrations").await,
        newest_schema_version()
    );
    let copy = App::open(&target.url).await.expect("the restored database");
    let comments = stored_comments(&copy).await;
    let missing: Vec<&String> = before.iter().filter(|c| !comments.contains(*c)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before the backup but not in it: {missing:?}"
    );
    // The writes after the backup began are not all in it: it is the database of one moment.
    assert!(
        comments.len() < all_written,
        "{} of {all_written}",
        comments.len()
    );
    // Every report in the copy has its audit row, as in a database that was never copied.
    let audit = copy
        .audit_log(
            &admin(),
            &styr_app::AuditFilter {
                action_contains: Some("report ".into()),
                ..styr_app::AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), comments.len());
    assert!(before.iter().any(|c| c.starts_with("prognos")));
    copy.close().await;
    app.close().await;
    target.remove().await;
}

async fn a_restore_refuses_a_full_target_and_a_newer_schema(db: &TestDb) {
    let app = app_with_example(db).await;
    let folder = tempfile::tempdir().unwrap();
    let file = folder.path().join("styr.backup");
    app.backup(&admin(), &file).await.unwrap();

    // Into a database that holds something: refused, unless forced.
    let target = another_like(db).await;
    let other = App::open(&target.url).await.unwrap();
    other
        .report(&admin(), &all(), status("ks2020_1", "skriven".into()))
        .await
        .expect_err("no plan: nothing to report on");
    other.close().await;
    let error = restore(&admin(), &target.url, &file, false)
        .await
        .expect_err("a non-empty target");
    assert!(
        error.to_string().contains("är inte tom") && error.to_string().contains("--force"),
        "{error}"
    );
    assert_eq!(target.count("plans").await, 0);
    let forced = restore(&admin(), &target.url, &file, true).await.unwrap();
    assert!(forced.replaced);
    assert_eq!(target.count("plans").await, 1);
    target.remove().await;

    // A backup of a newer schema: refused with both versions, the target untouched.
    let future = newest_schema_version() + 1;
    db.execute(&format!(
        "INSERT INTO schema_migrations (version, name, applied_at) \
         VALUES ({future}, 'from_the_future', '2030-01-01T00:00:00.000000Z')"
    ))
    .await
    .unwrap();
    let newer = folder.path().join("newer.backup");
    app.backup(&admin(), &newer).await.unwrap();
    let target = another_like(db).await;
    match restore(&admin(), &target.url, &newer, false).await {
        Err(AppError::Store(StoreError::BackupTooNew { backup, binary, .. })) => {
            assert_eq!((backup, binary), (future, newest_schema_version()));
        }
        other => panic!("expected BackupTooNew, got {other:?}"),
    }
    let message = restore(&admin(), &target.url, &newer, false)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&format!("schemaversion {future}"))
            && message.contains(&format!("schemaversion {}", newest_schema_version())),
        "{message}"
    );
    if target.url.starts_with("postgres") {
        assert!(
            target
                .execute("SELECT 1 FROM schema_migrations")
                .await
                .is_err()
        );
    } else {
        assert!(!std::path::Path::new(&target.url).exists());
    }
    // Only administrators back up.
    let reader = crate::actor("lasare", styr_app::Role::Reader, &[]);
    assert!(matches!(
        app.backup(&reader, &folder.path().join("x")).await,
        Err(AppError::Forbidden(_))
    ));
    app.close().await;
    target.remove().await;
}

crate::on_both_backends!(
    a_backup_under_concurrent_writes_holds_every_acknowledged_report,
    a_restore_refuses_a_full_target_and_a_newer_schema,
);
