//! Many municipalities in one database (issue 23): one tenant never reads another's ledger.
//!
//! Through the store's public read functions on both backends (every read names its
//! municipality), and on PostgreSQL through plain SQL as an application role that does not own
//! the tables (row-level security, migration 0029): without `styr.municipality` it sees no
//! ledger row at all, with it only that municipality's, also when it names another
//! municipality's file or partition outright. A re-import drops only its own file's partitions.

use crate::db::{TestDb, VOUCHER_ROWS};
use crate::on_both_backends;
use sqlx::{Connection, PgConnection, Row};
use styr_domain::Money;
use styr_domain::ledger::{LedgerTransaction, Month, TransactionKind};
use styr_store::{LedgerFileInfo, LedgerImport, LedgerSource, Store};

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

/// A municipality's ledger for 2021: `months` vouchers of two rows, a cost of `ore` on account
/// 51110 (ansvar 1100) and its payable, with row texts naming the municipality.
fn ledger(municipality: &str, months: u8, ore: i64) -> LedgerImport {
    let mut transactions = Vec::new();
    for m in 1..=months {
        let date = format!("2021-{m:02}-15");
        let row = |account: &str, ansvar: Option<&str>, amount: i64| LedgerTransaction {
            series: "LF".into(),
            voucher_number: format!("{m}"),
            voucher_date: date.clone(),
            transaction_date: date.clone(),
            month: Month::new(2021, m).unwrap(),
            kind: TransactionKind::Normal,
            account: account.into(),
            ansvar: ansvar.map(str::to_owned),
            project: None,
            objects: ansvar.map(|a| format!("1={a}")).unwrap_or_default(),
            amount: Money::from_ore(amount),
            voucher_text: format!("Faktura {municipality}"),
            text: format!("rad i {municipality}"),
        };
        transactions.push(row("51110", Some("1100"), ore));
        transactions.push(row("2440", None, -ore));
    }
    LedgerImport {
        municipality: municipality.into(),
        // The same company and year in both: only the municipality tells them apart.
        info: LedgerFileInfo {
            company: "212000-0000".into(),
            company_name: Some("Kommunen".into()),
            year_start: "2021-01-01".into(),
            year_end: "2021-12-31".into(),
            file_name: format!("{municipality}.se"),
            program: None,
        },
        transactions,
        budget: Vec::new(),
    }
}

/// Both municipalities' ledgers, Haninge's with 3 months of 100 kr, Nynäshamn's with 5 of 7 kr.
async fn two_tenants(store: &Store) {
    store
        .import_actuals(&ledger("haninge", 3, 10_000), "anna")
        .await
        .unwrap();
    store
        .import_actuals(&ledger("nynashamn", 5, 700), "nils")
        .await
        .unwrap();
}

async fn tenant_reads_through_the_store_name_their_municipality(db: &TestDb) {
    let store = db.open().await;
    two_tenants(&store).await;
    let (first, last) = (month("2021-01"), month("2021-12"));
    let wages = |amounts: &[styr_domain::ledger::LedgerAmount]| -> Money {
        amounts
            .iter()
            .filter(|a| a.account == "51110")
            .map(|a| a.amount)
            .sum()
    };
    let haninge = store
        .ledger_amounts("haninge", LedgerSource::Actual, first, last)
        .await
        .unwrap();
    assert_eq!(wages(&haninge), Money::from_ore(30_000));
    assert_eq!(haninge.iter().map(|a| a.rows).sum::<u64>(), 6);
    let everything = |_: &str, _: Option<&str>| false;
    let balances = store
        .ledger_year_balances("haninge", LedgerSource::Actual, 2021, &everything)
        .await
        .unwrap();
    let booked: i128 = balances
        .iter()
        .filter(|b| b.account == "51110")
        .map(|b| b.amounts.iter().sum::<i128>())
        .sum();
    assert_eq!(booked, 30_000);
    assert!(
        store
            .ledger_year_balances("tyreso", LedgerSource::Actual, 2021, &everything)
            .await
            .unwrap()
            .is_empty()
    );
    let rows = store
        .ledger_transactions("haninge", first, last, &[], &[])
        .await
        .unwrap();
    assert_eq!(rows.len(), 6);
    assert!(
        rows.iter()
            .all(|r| r.text == "rad i haninge" && r.voucher_text == "Faktura haninge"),
        "{rows:?}"
    );
    let imports = store.ledger_imports("haninge").await.unwrap();
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].file_name, "haninge.se");
    assert_eq!(
        store
            .ledger_actual_months("haninge", "212000-0000", "2021-01-01..2021-12-31")
            .await
            .unwrap()
            .len(),
        3
    );
    // A municipality without a ledger reads nothing, not another's.
    assert!(
        store
            .ledger_transactions("tyreso", first, last, &[], &[])
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .ledger_amounts("tyreso", LedgerSource::Actual, first, last)
            .await
            .unwrap()
            .is_empty()
    );

    // Nynäshamn re-imports: its file is replaced (on PostgreSQL its partitions dropped),
    // Haninge's is untouched.
    store
        .import_actuals(&ledger("nynashamn", 6, 900), "nils")
        .await
        .unwrap();
    let nynashamn = store
        .ledger_amounts("nynashamn", LedgerSource::Actual, first, last)
        .await
        .unwrap();
    assert_eq!(wages(&nynashamn), Money::from_ore(5_400));
    let haninge_after = store
        .ledger_amounts("haninge", LedgerSource::Actual, first, last)
        .await
        .unwrap();
    assert_eq!(haninge_after, haninge);
    assert_eq!(
        store
            .ledger_transactions("haninge", first, last, &[], &[])
            .await
            .unwrap(),
        rows
    );
    assert_eq!(db.count(VOUCHER_ROWS).await, 6 + 12);
    store.close().await;
}

on_both_backends!(tenant_reads_through_the_store_name_their_municipality);

/// `url` with its user replaced by `user:password`.
fn as_user(url: &str, user: &str, password: &str) -> String {
    let start = url.find("://").map_or(0, |i| i + 3);
    let rest = &url[start..];
    let host = rest.split_once('@').map_or(rest, |(_, host)| host);
    format!("{}{user}:{password}@{host}", &url[..start])
}

async fn count(connection: &mut PgConnection, sql: &str) -> i64 {
    match sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .fetch_one(&mut *connection)
        .await
    {
        Ok(row) => row.get::<i64, _>(0),
        Err(error) => panic!("{sql}: {error}"),
    }
}

/// Plain SQL as an application role that does not own the ledger tables: row-level security
/// shows it one municipality's ledger, the one its transaction names, and nothing without one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tenant_role_reads_only_the_municipality_it_names() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let store = db.open().await;
    two_tenants(&store).await;
    let mut owner = PgConnection::connect(&db.url).await.unwrap();
    let file = |municipality: &'static str| {
        format!("SELECT id FROM ledger_files WHERE municipality = '{municipality}'")
    };
    let haninge: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(file("haninge")))
        .fetch_one(&mut owner)
        .await
        .unwrap();
    let nynashamn: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(file("nynashamn")))
        .fetch_one(&mut owner)
        .await
        .unwrap();
    // The owner (who migrates and imports) is not subject to the policies.
    assert_eq!(
        count(
            &mut owner,
            "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) FROM ledger_packs"
        )
        .await,
        16
    );
    let role = format!(
        "styr_app_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    for sql in [
        format!("CREATE ROLE {role} LOGIN PASSWORD 'app'"),
        format!("GRANT USAGE ON SCHEMA public TO {role}"),
        // Every table, the partitions too: the policies, not missing grants, keep it out.
        format!("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}"),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut owner)
            .await
            .unwrap();
    }

    let app_url = as_user(&db.url, &role, "app");
    let mut app = PgConnection::connect(&app_url).await.unwrap();
    let tables = [
        "ledger_files",
        "ledger_texts",
        "ledger_voucher_packs",
        "ledger_packs",
        "ledger_sums",
        "ledger_year_balances",
    ];
    // No municipality named: nothing.
    for table in tables {
        assert_eq!(
            count(&mut app, &format!("SELECT COUNT(*) FROM {table}")).await,
            0,
            "{table} without styr.municipality"
        );
    }
    // Haninge named for the transaction: Haninge's rows, none of Nynäshamn's even when asked
    // for by its file or its partition.
    let mut transaction = app.begin().await.unwrap();
    sqlx::query("SELECT set_config('styr.municipality', 'haninge', true)")
        .execute(&mut *transaction)
        .await
        .unwrap();
    assert_eq!(
        count(
            &mut transaction,
            "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) FROM ledger_packs"
        )
        .await,
        6
    );
    assert_eq!(
        count(&mut transaction, "SELECT COUNT(*) FROM ledger_files").await,
        1
    );
    for table in tables {
        let key = if table == "ledger_files" {
            "id"
        } else {
            "file"
        };
        assert_eq!(
            count(
                &mut transaction,
                &format!("SELECT COUNT(*) FROM {table} WHERE {key} = {nynashamn}")
            )
            .await,
            0,
            "{table} of another municipality"
        );
        if table != "ledger_files" {
            assert!(
                count(
                    &mut transaction,
                    &format!("SELECT COUNT(*) FROM {table} WHERE file = {haninge}")
                )
                .await
                    > 0,
                "{table} of its own municipality"
            );
            assert_eq!(
                count(
                    &mut transaction,
                    &format!("SELECT COUNT(*) FROM {table}_{nynashamn}")
                )
                .await,
                0,
                "{table}'s partition of another municipality, read directly"
            );
        }
    }
    let sum: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_ore), 0) AS BIGINT) FROM ledger_sums \
         WHERE account = '51110'",
    )
    .fetch_one(&mut *transaction)
    .await
    .unwrap();
    assert_eq!(sum, 30_000);
    // Nor can it write into another municipality's ledger.
    let refused = sqlx::query(
        "UPDATE ledger_files SET municipality = 'haninge' WHERE municipality = 'nynashamn'",
    )
    .execute(&mut *transaction)
    .await
    .unwrap();
    assert_eq!(refused.rows_affected(), 0);
    transaction.commit().await.unwrap();
    // The setting was for that transaction only.
    assert_eq!(
        count(
            &mut app,
            "SELECT CAST(COALESCE(SUM(row_count), 0) AS BIGINT) FROM ledger_packs"
        )
        .await,
        0
    );
    app.close().await.unwrap();

    // The store opened as the application role names each read's municipality itself.
    let as_app = Store::open(&app_url).await.unwrap();
    let (first, last) = (month("2021-01"), month("2021-12"));
    for municipality in ["haninge", "nynashamn"] {
        assert_eq!(
            as_app
                .ledger_amounts(municipality, LedgerSource::Actual, first, last)
                .await
                .unwrap(),
            store
                .ledger_amounts(municipality, LedgerSource::Actual, first, last)
                .await
                .unwrap(),
            "{municipality}"
        );
        assert_eq!(
            as_app
                .ledger_transactions(municipality, first, last, &[], &[])
                .await
                .unwrap()
                .len(),
            if municipality == "haninge" { 6 } else { 10 }
        );
    }
    let everything = |_: &str, _: Option<&str>| false;
    for municipality in ["haninge", "nynashamn"] {
        assert_eq!(
            as_app
                .ledger_year_balances(municipality, LedgerSource::Actual, 2021, &everything)
                .await
                .unwrap(),
            store
                .ledger_year_balances(municipality, LedgerSource::Actual, 2021, &everything)
                .await
                .unwrap(),
            "{municipality}"
        );
    }
    as_app.close().await;
    store.close().await;
    owner.close().await.unwrap();
    db.remove().await;
    // The role's grants went with the database; the role itself is the server's.
    let server = std::env::var(crate::db::POSTGRES_URL_VARIABLE).unwrap();
    let mut admin = PgConnection::connect(&server).await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP ROLE {role}")))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
}
