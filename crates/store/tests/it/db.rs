//! A fresh, migrated database per test: a SQLite file in a temporary folder, or a new database
//! on the PostgreSQL server that `STYR_TEST_POSTGRES_URL` names (created here, dropped after).

use sqlx::{AnyPool, AssertSqlSafe, Row};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};
use tempfile::TempDir;

pub const POSTGRES_URL_VARIABLE: &str = "STYR_TEST_POSTGRES_URL";

/// Runs each named `async fn(&TestDb)` of the calling module on both backends, as
/// `<module>::sqlite::<name>` and `<module>::postgres::<name>`. (This file is the test database
/// helper of the store, the use cases and the web application alike: `#[path]` in their
/// `tests/it/main.rs`.)
#[macro_export]
macro_rules! on_both_backends {
    ($($test:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    let db = $crate::db::TestDb::sqlite().await;
                    super::$test(&db).await;
                    db.remove().await;
                }
            )+
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $test() {
                    // Skips with a reason outside CI when no server is named; fails in CI.
                    let Some(db) = $crate::db::TestDb::postgres().await else {
                        return;
                    };
                    super::$test(&db).await;
                    db.remove().await;
                }
            )+
        }
    };
}

/// What [`TestDb::count`] counts as the voucher rows stored: the rows of every pack
/// (`ledger_packs.row_count`), one per transaction.
pub const VOUCHER_ROWS: &str = "voucher rows";

/// What [`TestDb::count`] counts as the vouchers stored: those of every voucher pack.
pub const VOUCHERS: &str = "vouchers";

/// A database for one test.
pub struct TestDb {
    /// What `Store::open` and `App::open` are given: a file path for SQLite, a URL for PostgreSQL.
    pub url: String,
    /// The URL sqlx itself connects to, for the tests' own queries.
    sqlx_url: String,
    /// PostgreSQL: the server's admin URL and the database made for the test.
    postgres: Option<(String, String)>,
    _folder: Option<TempDir>,
}

fn unique_name() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("test_{}_{nanos}_{count}", std::process::id())
}

/// The URL with its database (the last path segment) replaced.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let server = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    format!("{server}/{database}{query}")
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let path = folder.path().join("styr test.db");
        let path = path.to_str().expect("a UTF-8 temporary path").to_owned();
        TestDb {
            sqlx_url: format!("sqlite:{}", path.replace(' ', "%20")),
            url: path,
            postgres: None,
            _folder: Some(folder),
        }
    }

    /// A fresh database on the server `STYR_TEST_POSTGRES_URL` names; `None` (the test skips,
    /// saying why) when it is unset outside CI, a failure in CI (`tests/tool.rs`).
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = crate::tool::postgres_url()?;
        let name = unique_name();
        let admin = admin_pool(&admin_url).await;
        sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&admin)
            .await
            .expect("CREATE DATABASE");
        admin.close().await;
        let url = with_database(&admin_url, &name);
        Some(TestDb {
            sqlx_url: url.clone(),
            url,
            postgres: Some((admin_url, name)),
            _folder: None,
        })
    }

    /// Whether the test's database is on a PostgreSQL server.
    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// The number of rows in a table, counted by the test itself; [`VOUCHER_ROWS`] and
    /// [`VOUCHERS`]: the voucher rows and vouchers the packs hold.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::any::install_default_drivers();
        let pool = AnyPool::connect(&self.sqlx_url)
            .await
            .expect("a test connection");
        let sql = match table {
            VOUCHER_ROWS => {
                "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) AS n FROM ledger_packs"
                    .to_owned()
            }
            VOUCHERS => {
                "SELECT CAST(COALESCE(SUM(vouchers), 0) AS BIGINT) AS n FROM ledger_voucher_packs"
                    .to_owned()
            }
            _ => format!("SELECT COUNT(*) AS n FROM {table}"),
        };
        let count: i64 = sqlx::query(AssertSqlSafe(sql))
            .fetch_one(&pool)
            .await
            .expect("COUNT(*)")
            .try_get("n")
            .expect("a count");
        pool.close().await;
        count
    }

    /// Runs a statement of the test's own, returning the database's answer.
    pub async fn execute(&self, sql: &str) -> Result<u64, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let pool = AnyPool::connect(&self.sqlx_url)
            .await
            .expect("a test connection");
        let result = sqlx::query(AssertSqlSafe(sql.to_owned()))
            .execute(&pool)
            .await
            .map(|done| done.rows_affected());
        pool.close().await;
        result
    }

    /// Row counts of the given tables.
    pub async fn counts(&self, tables: &[&str]) -> Vec<(String, i64)> {
        let mut counts = Vec::new();
        for table in tables {
            counts.push(((*table).to_owned(), self.count(table).await));
        }
        counts
    }

    /// Drops the PostgreSQL database (the SQLite folder goes with `self`).
    pub async fn remove(self) {
        if let Some((admin_url, name)) = &self.postgres {
            let admin = admin_pool(admin_url).await;
            sqlx::query(AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&admin)
            .await
            .expect("DROP DATABASE");
            admin.close().await;
        }
    }
}

async fn admin_pool(url: &str) -> AnyPool {
    sqlx::any::install_default_drivers();
    match AnyPool::connect(url).await {
        Ok(pool) => pool,
        Err(error) => panic!("connecting to {url} ({POSTGRES_URL_VARIABLE}): {error}"),
    }
}

/// Every table of a stored plan (not the audit log or the bookkeeping tables).
pub const PLAN_TABLES: &[&str] = &[
    "plans",
    "plan_years",
    "bodies",
    "units",
    "decisions",
    "starting_points",
    "goal_areas",
    "goals",
    "priorities",
    "indicators",
    "indicator_values",
    "assignments",
    "assignment_responsible",
    "assignment_mentions",
    "assignment_statuses",
    "frames",
    "operating_tables",
    "operating_table_years",
    "operating_rows",
    "operating_amounts",
    "investment_rows",
    "investment_amounts",
    "exploitation_rows",
    "finance_rows",
    "finance_lines",
    "finance_amounts",
    "finance_summary_rows",
    "finance_summary_amounts",
    "frame_change_components",
    "followup_figures",
    "risks",
    "controls",
    "audits",
    "audit_recommendations",
    "sections",
    "section_show",
    "narratives",
    "ledger_rules",
    "ledger_units",
    "ledger_projects",
    "ledger_profiles",
];

#[test]
fn replaces_the_database_of_a_url() {
    assert_eq!(
        with_database("postgres://styr@127.0.0.1:55432/postgres", "t1"),
        "postgres://styr@127.0.0.1:55432/t1"
    );
    assert_eq!(
        with_database("postgres://h:1/postgres?sslmode=disable", "t1"),
        "postgres://h:1/t1?sslmode=disable"
    );
    assert_eq!(with_database("postgresql://h", "t1"), "postgresql://h/t1");
}
