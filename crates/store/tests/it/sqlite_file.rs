//! What only the SQLite backend has: a database file named by a plain path or a `sqlite:` URL,
//! created when missing and switched to WAL mode, and the in-memory database. (Everything the
//! two backends share is tested on both in the other modules.)

use crate::{assert_same_plan, example_plan};
use sqlx::{AnyPool, Row};
use styr_store::Store;

#[tokio::test]
async fn a_plain_path_is_a_sqlite_file_in_wal_mode() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("ny mapp #1").join("styr.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let path = path.to_str().unwrap().to_owned();
    let store = Store::open(&path).await.unwrap();
    store.import_plan(&example_plan(), "test").await.unwrap();
    store.close().await;
    assert!(std::path::Path::new(&path).is_file());

    // The same file through a `sqlite:` URL.
    let url = format!("sqlite:{}", path.replace(' ', "%20").replace('#', "%23"));
    let store = Store::open(&url).await.unwrap();
    assert_same_plan(
        &store.load_plan(None, None, None).await.unwrap(),
        &example_plan(),
    );
    store.close().await;

    sqlx::any::install_default_drivers();
    let pool = AnyPool::connect(&url).await.unwrap();
    let mode: String = sqlx::query("PRAGMA journal_mode")
        .fetch_one(&pool)
        .await
        .unwrap()
        .try_get(0)
        .unwrap();
    assert_eq!(mode, "wal");
    pool.close().await;
}

#[tokio::test]
async fn an_in_memory_database_keeps_its_plan_while_open() {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let plan = example_plan();
    store.import_plan(&plan, "test").await.unwrap();
    assert_same_plan(&store.load_plan(None, None, None).await.unwrap(), &plan);
    assert_eq!(store.plans().await.unwrap().len(), 1);
    store.close().await;
}

#[tokio::test]
async fn a_folder_that_does_not_exist_is_an_error() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("saknas").join("styr.db");
    let error = Store::open(path.to_str().unwrap()).await.unwrap_err();
    assert!(
        matches!(error, styr_store::StoreError::Database(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn opening_an_existing_database_never_creates_one() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("mina planer").join("saknas #1.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let plain = path.to_str().unwrap().to_owned();
    let url = format!("sqlite:{}", plain.replace(' ', "%20").replace('#', "%23"));
    for given in [&plain, &url] {
        let error = Store::open_existing(given).await.unwrap_err();
        match &error {
            styr_store::StoreError::NoDatabase { path } => assert_eq!(path, &plain),
            other => panic!("{other:?}"),
        }
        assert_eq!(error.to_string(), format!("databasen {plain} finns inte"));
        assert!(!path.exists(), "{given} created the file");
    }
    // Once the file exists, it opens.
    Store::open(&plain).await.unwrap().close().await;
    let store = Store::open_existing(&url).await.unwrap();
    assert!(store.plans().await.unwrap().is_empty());
    store.close().await;
}
