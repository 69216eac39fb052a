//! Ledger actuals in the store: every voucher row kept, monthly sums summed over imports, the
//! same file twice doubling nothing, a corrected export replacing what it covers, a failed
//! import changing nothing, and manual forecasts — on both backends.

use crate::KS;
use crate::db::{TestDb, VOUCHER_ROWS, VOUCHERS};
use crate::{example_plan, on_both_backends};
use styr_domain::Money;
use styr_domain::followup::{FollowUpReport, PeriodState, ReportEntry};
use styr_domain::ledger::{
    BudgetLineRef, LedgerAmount, LedgerTransaction, ManualForecast, Month, TransactionKind,
};
use styr_store::{
    AuditFilter, EntryFilter, LedgerDate, LedgerFileInfo, LedgerImport, LedgerSource, RowRecord,
    StoreError, VoucherRecord,
};

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

/// A voucher of two rows per month and ansvar: a cost on `account` and accounts payable.
fn ledger(company: &str, year: i32, months: u8, ore: i64) -> LedgerImport {
    let mut transactions = Vec::new();
    for m in 1..=months {
        for (index, ansvar) in ["1100", "1130"].into_iter().enumerate() {
            let date = format!("{year}-{m:02}-1{index}");
            let row = |account: &str, ansvar: Option<&str>, amount: i64, kind| LedgerTransaction {
                series: "LF".into(),
                voucher_number: format!("{m}{index}"),
                voucher_date: date.clone(),
                transaction_date: date.clone(),
                month: Month::new(year, m).unwrap(),
                kind,
                account: account.into(),
                ansvar: ansvar.map(str::to_owned),
                project: None,
                objects: ansvar.map(|a| format!("1={a}")).unwrap_or_default(),
                amount: Money::from_ore(amount),
                voucher_text: "Faktura".into(),
                text: String::new(),
            };
            transactions.push(row("51110", Some(ansvar), ore, TransactionKind::Normal));
            transactions.push(row("2440", None, -ore, TransactionKind::Normal));
        }
        // A struck row is kept for drill-down but not summed.
        transactions.push(LedgerTransaction {
            kind: TransactionKind::Struck,
            ..transactions[transactions.len() - 2].clone()
        });
    }
    let budget = vec![LedgerAmount {
        account: "51110".into(),
        ansvar: Some("1100".into()),
        project: None,
        month: Month::new(year, 1).unwrap(),
        amount: Money::from_ore(777),
        rows: 1,
    }];
    LedgerImport {
        municipality: "haninge".into(),
        info: LedgerFileInfo {
            company: company.into(),
            company_name: Some("Haninge kommun".into()),
            year_start: format!("{year}-01-01"),
            year_end: format!("{year}-12-31"),
            file_name: "ks.se".into(),
            program: Some("test 1".into()),
        },
        transactions,
        budget,
    }
}

const TABLES: &[&str] = &["ledger_files", VOUCHER_ROWS, "ledger_sums"];

async fn counts(db: &TestDb) -> Vec<(String, i64)> {
    db.counts(TABLES).await
}

fn counted(rows: &[(String, i64)]) -> Vec<i64> {
    rows.iter().map(|(_, n)| *n).collect()
}

async fn the_same_file_twice_doubles_nothing(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let import = ledger("212000-0000", 2021, 10, 100_000);
    let first = store.import_actuals(&import, "anna").await.unwrap();
    assert_eq!(first.replaced, None);
    assert_eq!(first.vouchers, 20);
    assert_eq!(first.transactions, 50);
    assert_eq!(first.monthly_rows, 31);
    assert_eq!(first.fiscal_year, "2021-01-01..2021-12-31");
    assert_eq!(counted(&counts(db).await), vec![1, 50, 31]);

    let second = store.import_actuals(&import, "bertil").await.unwrap();
    assert_eq!(second.replaced, Some(50));
    assert_eq!(counted(&counts(db).await), vec![1, 50, 31]);

    let amounts = store
        .ledger_amounts(
            "haninge",
            LedgerSource::Actual,
            month("2021-01"),
            month("2021-12"),
        )
        .await
        .unwrap();
    assert_eq!(amounts.len(), 30);
    let total: Money = amounts.iter().map(|a| a.amount).sum();
    assert_eq!(total, Money::ZERO);
    let wages: Money = amounts
        .iter()
        .filter(|a| a.account == "51110")
        .map(|a| a.amount)
        .sum();
    assert_eq!(wages, Money::from_ore(2_000_000));
    assert_eq!(amounts[0].ansvar, None);
    assert_eq!(amounts[0].rows, 2);
    let budget = store
        .ledger_amounts(
            "haninge",
            LedgerSource::Budget,
            month("2021-01"),
            month("2021-12"),
        )
        .await
        .unwrap();
    assert_eq!(budget.len(), 1);
    assert_eq!(budget[0].amount, Money::from_ore(777));

    let log = store.audit_log(&Default::default()).await.unwrap();
    let actions: Vec<(&str, &str)> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("anna", "import plan haninge/ks_2021_proposal"),
            (
                "anna",
                "import actuals haninge/212000-0000/2021-01-01..2021-12-31"
            ),
            (
                "bertil",
                "import actuals haninge/212000-0000/2021-01-01..2021-12-31"
            ),
        ]
    );
    assert_eq!(
        log[2].detail,
        "file=ks.se vouchers=20 transactions=50 monthly_rows=31 replaced=true \
         replaced_transactions=50"
    );
    store.close().await;
}

async fn a_corrected_export_replaces_what_it_covers(db: &TestDb) {
    let store = db.open().await;
    store
        .import_actuals(&ledger("212000-0000", 2021, 10, 100_000), "anna")
        .await
        .unwrap();
    // Another year and another company are kept beside it.
    store
        .import_actuals(&ledger("212000-0000", 2020, 12, 5), "anna")
        .await
        .unwrap();
    store
        .import_actuals(&ledger("556000-0001", 2021, 1, 3), "anna")
        .await
        .unwrap();
    assert_eq!(
        counted(&counts(db).await),
        vec![3, 50 + 60 + 5, 31 + 37 + 4]
    );
    // The corrected 2021 export: eleven months, other amounts.
    let summary = store
        .import_actuals(&ledger("212000-0000", 2021, 11, 200_000), "anna")
        .await
        .unwrap();
    assert_eq!(summary.replaced, Some(50));
    assert_eq!(
        counted(&counts(db).await),
        vec![3, 55 + 60 + 5, 34 + 37 + 4]
    );
    let wages: Money = store
        .ledger_amounts(
            "haninge",
            LedgerSource::Actual,
            month("2021-01"),
            month("2021-12"),
        )
        .await
        .unwrap()
        .iter()
        .filter(|a| a.account == "51110")
        .map(|a| a.amount)
        .sum();
    assert_eq!(wages, Money::from_ore(11 * 2 * 200_000 + 2 * 3));
    let imports = store.ledger_imports("haninge").await.unwrap();
    let keys: Vec<(&str, &str, u64)> = imports
        .iter()
        .map(|i| (i.company.as_str(), i.fiscal_year.as_str(), i.transactions))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("212000-0000", "2020-01-01..2020-12-31", 60),
            ("212000-0000", "2021-01-01..2021-12-31", 55),
            ("556000-0001", "2021-01-01..2021-12-31", 5),
        ]
    );
    store.close().await;
}

async fn a_failed_import_changes_nothing(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let good = ledger("212000-0000", 2021, 10, 100_000);
    store.import_actuals(&good, "anna").await.unwrap();
    let before = counts(db).await;
    let log = store.audit_log(&Default::default()).await.unwrap();

    // Many rows, the first batches written, then a row whose date the store cannot keep: the
    // import stops, and its transaction is rolled back.
    let mut bad = ledger("212000-0000", 2021, 10, 300_000);
    let template = bad.transactions[0].clone();
    for _ in 0..1000 {
        bad.transactions.push(template.clone());
    }
    bad.transactions[900].transaction_date = "0999-12-01".into();
    let error = store.import_actuals(&bad, "bertil").await.unwrap_err();
    assert!(
        error
            .to_string()
            .contains("0999-12-01 ligger utanför åren 1000–9999"),
        "{error}"
    );

    assert_eq!(counts(db).await, before);
    assert_eq!(store.audit_log(&Default::default()).await.unwrap(), log);
    let wages: Money = store
        .ledger_amounts(
            "haninge",
            LedgerSource::Actual,
            month("2021-01"),
            month("2021-12"),
        )
        .await
        .unwrap()
        .iter()
        .filter(|a| a.account == "51110")
        .map(|a| a.amount)
        .sum();
    assert_eq!(wages, Money::from_ore(2_000_000));
    // Still usable afterwards.
    store.import_actuals(&good, "anna").await.unwrap();
    store.close().await;
}

async fn forecasts_are_replaced_and_logged(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let line = BudgetLineRef::parse("op.ksf.ksf").unwrap();
    let forecast = |tkr: i64| ManualForecast {
        line: line.clone(),
        period: month("2021-10"),
        amount: Money::from_tkr(tkr).unwrap(),
        comment: Some("Konsulter".into()),
    };
    let report = |tkr: i64| FollowUpReport {
        period: month("2021-10"),
        entry: ReportEntry::Forecast {
            line: line.clone(),
            amount: Money::from_tkr(tkr).unwrap(),
            comment: Some("Konsulter".into()),
            action_plan: None,
        },
    };
    let action = "report forecast haninge/2021-10/op.ksf.ksf";
    store
        .record_reports(KS, &[report(86_000)], "anna", action)
        .await
        .unwrap();
    store
        .record_reports(KS, &[report(86_500)], "bertil", action)
        .await
        .unwrap();
    let stored = store.forecasts(KS, month("2021-10")).await.unwrap();
    assert_eq!(stored, vec![forecast(86_500)]);
    assert_eq!(store.forecasts(KS, month("2021-09")).await.unwrap(), vec![]);
    let history = store
        .reports(
            KS,
            &EntryFilter {
                history: true,
                ..EntryFilter::default()
            },
        )
        .await
        .unwrap();
    let who: Vec<&str> = history.iter().map(|e| e.reported_by.as_str()).collect();
    assert_eq!(who, ["anna", "bertil"]);
    let log = store
        .audit_log(&AuditFilter {
            action_contains: Some("report forecast".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let entries: Vec<(&str, Option<&str>, Option<&str>)> = log
        .iter()
        .map(|e| (e.actor.as_str(), e.before.as_deref(), e.after.as_deref()))
        .collect();
    assert_eq!(
        entries,
        vec![
            (
                "anna",
                Some("–"),
                Some("2021-10 forecast op.ksf.ksf: prognos: 86 000 tkr; förklaring: Konsulter")
            ),
            (
                "bertil",
                Some("2021-10 forecast op.ksf.ksf: prognos: 86 000 tkr; förklaring: Konsulter"),
                Some("2021-10 forecast op.ksf.ksf: prognos: 86 500 tkr; förklaring: Konsulter")
            ),
        ]
    );
    // A closed period refuses, inside the transaction, and nothing changes.
    store
        .set_period_state(KS, month("2021-10"), PeriodState::Closed, "anna", None)
        .await
        .unwrap();
    let closed = store
        .record_reports(KS, &[report(90_000)], "anna", action)
        .await;
    assert!(matches!(closed, Err(StoreError::PeriodClosed { .. })));
    let missing = store
        .record_reports(
            KS,
            &[FollowUpReport {
                period: month("2031-10"),
                ..report(1)
            }],
            "anna",
            action,
        )
        .await;
    assert!(matches!(missing, Err(StoreError::NoSuchPeriod { .. })));
    assert_eq!(db.count("followup_entries").await, 2);
    store.close().await;
}

/// A load fed voucher by voucher stores what `import_actuals` stores, and its drill-down gives
/// back every counted row with its texts, objects and dates.
async fn a_load_stores_rows_and_gives_them_back(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let date = |day: u8| LedgerDate {
        year: 2021,
        month: 3,
        day,
    };
    let mut load = store.begin_ledger_load("haninge", "anna").await.unwrap();
    // Runs of two rows: the rows of one voucher land in two runs.
    load.set_run_rows(2);
    load.voucher(&VoucherRecord {
        series: "A",
        number: "17",
        date: date(15),
        text: "Faktura 4711",
    })
    .unwrap();
    let rows = [
        (
            TransactionKind::Normal,
            "51110",
            vec![(1, "1100"), (6, "P1")],
            12_345,
            "Konsult, Faktura 4711",
        ),
        (TransactionKind::Normal, "2440", vec![], -12_345, ""),
        (
            TransactionKind::Struck,
            "51110",
            vec![(1, "1100")],
            999,
            "fel; strukits",
        ),
    ];
    for (kind, account, objects, amount_ore, text) in &rows {
        load.row(&RowRecord {
            kind: *kind,
            account,
            objects,
            date: date(16),
            amount_ore: *amount_ore,
            text,
            spelling: None,
        })
        .unwrap();
    }
    let info = ledger("212000-0000", 2021, 1, 1).info;
    let summary = load.finish(&info, &[]).await.unwrap();
    assert_eq!((summary.vouchers, summary.transactions), (1, 3));
    assert_eq!(counted(&counts(db).await), vec![1, 3, 2]);

    let found = store
        .ledger_transactions(
            "haninge",
            month("2021-03"),
            month("2021-03"),
            &["51110".into()],
            &["1100".into()],
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    let row = &found[0];
    assert_eq!(
        (
            row.series.as_str(),
            row.voucher_number.as_str(),
            row.voucher_date.as_str()
        ),
        ("A", "17", "2021-03-15")
    );
    assert_eq!(row.transaction_date, "2021-03-16");
    assert_eq!(row.month, month("2021-03"));
    assert_eq!(row.text, "Konsult, Faktura 4711");
    assert_eq!(row.voucher_text, "Faktura 4711");
    assert_eq!(row.objects, "1=1100;6=P1");
    assert_eq!(row.ansvar.as_deref(), Some("1100"));
    assert_eq!(row.project.as_deref(), Some("P1"));
    assert_eq!(row.amount, Money::from_ore(12_345));
    let all = store
        .ledger_transactions("haninge", month("2021-01"), month("2021-12"), &[], &[])
        .await
        .unwrap();
    assert_eq!(all.len(), 2, "the struck row does not count");
    let without_ansvar = store
        .ledger_transactions(
            "haninge",
            month("2021-03"),
            month("2021-03"),
            &[],
            &["".into()],
        )
        .await
        .unwrap();
    assert_eq!(without_ansvar.len(), 1);
    assert_eq!(without_ansvar[0].account, "2440");
    let other_ansvar = store
        .ledger_transactions(
            "haninge",
            month("2021-03"),
            month("2021-03"),
            &["51110".into()],
            &["1130".into()],
        )
        .await
        .unwrap();
    assert!(other_ansvar.is_empty());
    assert_eq!(db.count("ledger_files WHERE runs = 2").await, 1);
    assert!(
        store
            .ledger_transactions(
                "haninge",
                month("2021-04"),
                month("2021-12"),
                &["51110".into()],
                &[]
            )
            .await
            .unwrap()
            .is_empty()
    );
    store.close().await;
}

/// A load dropped before it finishes (the reader found an error, or the process was stopped)
/// changes nothing: the earlier import stays as it was.
async fn a_load_dropped_unfinished_changes_nothing(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let import = ledger("212000-0000", 2021, 10, 100_000);
    store.import_actuals(&import, "anna").await.unwrap();
    let before = counts(db).await;
    let log_before = store.audit_log(&Default::default()).await.unwrap().len();

    let mut load = store.begin_ledger_load("haninge", "bertil").await.unwrap();
    for number in 0..5_000 {
        load.voucher(&VoucherRecord {
            series: "B",
            number: &number.to_string(),
            date: LedgerDate {
                year: 2021,
                month: 5,
                day: 2,
            },
            text: "",
        })
        .unwrap();
        load.row(&RowRecord {
            kind: TransactionKind::Normal,
            account: "3010",
            objects: &[],
            date: LedgerDate {
                year: 2021,
                month: 5,
                day: 2,
            },
            amount_ore: 1,
            text: "",
            spelling: None,
        })
        .unwrap();
    }
    drop(load);
    assert_eq!(counts(db).await, before);
    assert_eq!(
        store.audit_log(&Default::default()).await.unwrap().len(),
        log_before
    );
    // The database is free for the next writer.
    store.import_actuals(&import, "anna").await.unwrap();
    store.close().await;
}

/// PostgreSQL: each run of voucher rows goes to the server with `COPY` as soon as it is sorted,
/// while the file is still being read, not spooled until the end; the import stays one
/// transaction. (SQLite has written run by run since issue 9: nothing to see from outside.)
async fn runs_are_sent_while_the_file_is_read(db: &TestDb) {
    if !db.url.starts_with("postgres") {
        return;
    }
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let mut load = store.begin_ledger_load("haninge", "anna").await.unwrap();
    load.set_run_rows(100);
    let date = LedgerDate {
        year: 2021,
        month: 4,
        day: 7,
    };
    for number in 0..50 {
        load.voucher(&VoucherRecord {
            series: "A",
            number: &number.to_string(),
            date,
            text: "Faktura",
        })
        .unwrap();
        for line in 0..10 {
            load.row(&RowRecord {
                kind: TransactionKind::Normal,
                account: if line % 2 == 0 { "5410" } else { "2440" },
                objects: &[(1, "1100")],
                date,
                amount_ore: if line % 2 == 0 { 100 } else { -100 },
                text: "",
                spelling: None,
            })
            .unwrap();
        }
    }
    // Five runs handed to the writer: the import's connection is seen copying voucher rows
    // before the load is finished.
    let copying = "pg_stat_activity WHERE datname = current_database() \
                   AND query LIKE 'COPY ledger_packs%'";
    let mut seen = false;
    for _ in 0..100 {
        if db.count(copying).await > 0 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(seen, "no COPY of ledger_packs before the load finished");
    // The file's partitions are filled unattached and attached at the commit: while it loads,
    // the import holds no lock on the partitioned tables that would keep others' `VACUUM`,
    // `ANALYZE` or imports waiting.
    let parents_locked = "pg_locks l JOIN pg_class c ON c.oid = l.relation \
                          WHERE c.relname IN ('ledger_texts', 'ledger_voucher_packs', 'ledger_packs', \
                          'ledger_sums', 'ledger_balances', 'ledger_year_balances') \
                          AND l.mode = 'ShareUpdateExclusiveLock' AND l.database = \
                          (SELECT oid FROM pg_database WHERE datname = current_database())";
    assert_eq!(db.count(parents_locked).await, 0);
    // Nothing is visible to others before the commit.
    assert_eq!(db.count(VOUCHER_ROWS).await, 0);
    let info = ledger("212000-0000", 2021, 1, 1).info;
    let summary = load.finish(&info, &[]).await.unwrap();
    assert_eq!((summary.vouchers, summary.transactions), (50, 500));
    assert_eq!(db.count(VOUCHER_ROWS).await, 500);
    assert_eq!(db.count(VOUCHERS).await, 50);
    store.close().await;
}

/// A load given the reader's spelling numbers (one per account and object list) stores
/// exactly what a load without them stores: the same rows, objects, texts and monthly sums.
async fn spelling_numbers_change_nothing_stored(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let accounts = ["51110", "2440", "30101", "51110"];
    let lists: [&[(u32, &str)]; 5] = [
        &[(1, "1100")],
        &[],
        &[(1, "1130"), (6, "P1")],
        &[(6, "P2")],
        &[(1, "1100"), (6, "P1")],
    ];
    let mut stored = Vec::new();
    for numbered in [false, true] {
        let mut load = store.begin_ledger_load("haninge", "anna").await.unwrap();
        load.set_run_rows(7);
        let mut numbers: Vec<((usize, usize), u32)> = Vec::new();
        for v in 0..40u8 {
            let date = LedgerDate {
                year: 2021,
                month: 1 + v % 12,
                day: 1 + v % 28,
            };
            load.voucher(&VoucherRecord {
                series: "A",
                number: &v.to_string(),
                date,
                text: if v % 3 == 0 { "Faktura" } else { "" },
            })
            .unwrap();
            for r in 0..6usize {
                let spelled = (
                    (usize::from(v) + r) % accounts.len(),
                    (usize::from(v) * 7 + r) % lists.len(),
                );
                let next = numbers.len() as u32;
                let number = match numbers.iter().find(|(key, _)| *key == spelled) {
                    Some((_, n)) => *n,
                    None => {
                        numbers.push((spelled, next));
                        next
                    }
                };
                load.row(&RowRecord {
                    kind: if r == 5 {
                        TransactionKind::Struck
                    } else {
                        TransactionKind::Normal
                    },
                    account: accounts[spelled.0],
                    objects: lists[spelled.1],
                    date,
                    amount_ore: i64::from(v) * 100 + r as i64 - 250,
                    text: ["", "Konsult, Faktura", "hyra"][r % 3],
                    spelling: numbered.then_some(number),
                })
                .unwrap();
            }
        }
        let info = ledger("212000-0000", 2021, 1, 1).info;
        // The second load replaces the first (the same company and year).
        let summary = load.finish(&info, &[]).await.unwrap();
        let rows = store
            .ledger_transactions("haninge", month("2021-01"), month("2021-12"), &[], &[])
            .await
            .unwrap();
        assert_eq!(rows.len(), 40 * 5);
        stored.push((summary.actual, rows));
    }
    assert_eq!(stored[0], stored[1]);
    assert_eq!(db.count("ledger_files").await, 1);
    store.close().await;
}

on_both_backends!(
    spelling_numbers_change_nothing_stored,
    runs_are_sent_while_the_file_is_read,
    a_load_dropped_unfinished_changes_nothing,
    a_load_stores_rows_and_gives_them_back,
    the_same_file_twice_doubles_nothing,
    a_corrected_export_replaces_what_it_covers,
    a_failed_import_changes_nothing,
    forecasts_are_replaced_and_logged,
    the_lean_ledger_migration_keeps_every_row,
    the_packs_migration_keeps_every_row,
);

/// A database with ledger rows in the old wide table (migration 3) keeps every row, text,
/// date and sum when migration 8 moves them into the lean tables.
async fn the_lean_ledger_migration_keeps_every_row(db: &TestDb) {
    let store = styr_store::Store::open_at_schema_version(&db.url, 7)
        .await
        .unwrap();
    store.close().await;
    db.execute(
        "INSERT INTO ledger_imports (municipality, company, fiscal_year, company_name, \
         year_start, year_end, file_name, program, vouchers, transactions, import_seq, \
         imported_at, imported_by) VALUES ('haninge', '212000-0000', \
         '2021-01-01..2021-12-31', 'Haninge kommun', '2021-01-01', '2021-12-31', 'ks.se', \
         'Visma 1', 2, 3, 5, '2021-11-01T00:00:00.000000Z', 'anna')",
    )
    .await
    .unwrap();
    for (position, series, number, date, kind, account, objects, ansvar, amount, vtext, text) in [
        (
            0,
            "A",
            "1",
            "2021-02-03",
            "normal",
            "5410",
            "1=1100;6=P1",
            "1100",
            1_000,
            "Faktura",
            "Papper",
        ),
        (
            1,
            "A",
            "1",
            "2021-02-03",
            "normal",
            "2440",
            "",
            "",
            -1_000,
            "Faktura",
            "",
        ),
        (
            2,
            "B",
            "7",
            "2021-03-31",
            "struck",
            "5410",
            "1=1100",
            "1100",
            50,
            "Rättelse",
            "x",
        ),
    ] {
        let ansvar = if ansvar.is_empty() {
            "NULL".to_owned()
        } else {
            format!("'{ansvar}'")
        };
        let project = if objects.contains("6=") {
            "'P1'"
        } else {
            "NULL"
        };
        db.execute(&format!(
            "INSERT INTO ledger_transactions (municipality, company, fiscal_year, position, \
             series, voucher_number, voucher_date, transaction_date, month, kind, account, \
             ansvar, project, objects, amount_ore, voucher_text, transaction_text) VALUES \
             ('haninge', '212000-0000', '2021-01-01..2021-12-31', {position}, '{series}', \
             '{number}', '{date}', '{date}', '{}', '{kind}', '{account}', {ansvar}, {project}, \
             '{objects}', {amount}, '{vtext}', '{text}')",
            &date[..7]
        ))
        .await
        .unwrap();
    }
    db.execute(
        "INSERT INTO ledger_monthly (municipality, company, fiscal_year, position, source, \
         account, ansvar, project, month, amount_ore, row_count) VALUES ('haninge', \
         '212000-0000', '2021-01-01..2021-12-31', 0, 'actual', '5410', '1100', 'P1', \
         '2021-02', 1000, 1)",
    )
    .await
    .unwrap();

    let store = db.open().await;
    assert_eq!(
        db.count("schema_migrations").await,
        styr_store::newest_schema_version()
    );
    assert_eq!(counted(&counts(db).await), vec![1, 3, 1]);
    assert_eq!(db.count(VOUCHERS).await, 2);
    let imports = store.ledger_imports("haninge").await.unwrap();
    assert_eq!(
        (
            imports[0].file_name.as_str(),
            imports[0].vouchers,
            imports[0].transactions
        ),
        ("ks.se", 2, 3)
    );
    let rows = store
        .ledger_transactions("haninge", month("2021-01"), month("2021-12"), &[], &[])
        .await
        .unwrap();
    type Seen<'a> = (
        &'a str,
        &'a str,
        &'a str,
        &'a str,
        Option<&'a str>,
        i64,
        &'a str,
    );
    let seen: Vec<Seen<'_>> = rows
        .iter()
        .map(|r| {
            (
                r.series.as_str(),
                r.voucher_date.as_str(),
                r.account.as_str(),
                r.objects.as_str(),
                r.project.as_deref(),
                r.amount.ore(),
                r.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "A",
                "2021-02-03",
                "5410",
                "1=1100;6=P1",
                Some("P1"),
                1_000,
                "Papper"
            ),
            ("A", "2021-02-03", "2440", "", None, -1_000, ""),
        ]
    );
    let sums = store
        .ledger_amounts(
            "haninge",
            LedgerSource::Actual,
            month("2021-01"),
            month("2021-12"),
        )
        .await
        .unwrap();
    assert_eq!(sums.len(), 1);
    assert_eq!(sums[0].amount, Money::from_ore(1_000));
    // Migration 0028 made the monthly balances of the stored sums: without the project, and
    // split by it where asked.
    for (split, project) in [(false, None), (true, Some("P1"))] {
        let balances = store
            .ledger_year_balances("haninge", LedgerSource::Actual, 2021, &|_, _| split)
            .await
            .unwrap();
        assert_eq!(balances.len(), 1);
        let balance = &balances[0];
        assert_eq!(
            (
                balance.account.as_str(),
                balance.ansvar.as_deref(),
                balance.project.as_deref()
            ),
            ("5410", Some("1100"), project)
        );
        assert_eq!(
            (balance.amounts[1], balance.rows[1], balance.months),
            (1_000, 1, 0b10)
        );
    }
    store.close().await;
}

/// A database of schema 34, whose voucher rows are one SQL row each in `ledger_rows` (two
/// runs; a row text by id, one inline, one followed by its voucher's text; a struck row),
/// gives every row back the same once migration 35 has packed them.
async fn the_packs_migration_keeps_every_row(db: &TestDb) {
    let store = styr_store::Store::open_at_schema_version(&db.url, 34)
        .await
        .unwrap();
    store.close().await;
    if db.is_postgres() {
        // Schema 34 partitions a file's tables by file (migration 0029).
        for table in ["ledger_texts", "ledger_vouchers", "ledger_rows"] {
            db.execute(&format!(
                "CREATE TABLE {table}_9 PARTITION OF {table} FOR VALUES IN (9)"
            ))
            .await
            .unwrap();
        }
    }
    for sql in [
        "INSERT INTO ledger_files (id, municipality, company, fiscal_year, company_name, \
         year_start, year_end, file_name, program, vouchers, transactions, runs, run_days, \
         imported_at, imported_by, scope) VALUES (9, 'haninge', '212000-0000', \
         '2021-01-01..2021-12-31', 'Haninge kommun', '2021-01-01', '2021-12-31', 'ks.se', \
         'Visma 1', 2, 5, 2, '18661-18661,18717-18717', '2021-11-01T00:00:00.000000Z', 'anna', \
         'followup')",
        // 0 A, 1 5410, 2 2440, 3 '', 4 1=1100;6=P1, 5 Papper, 6 Faktura, 7 B
        "INSERT INTO ledger_texts (file, id, text) VALUES (9, 0, 'A'), (9, 1, '5410'), \
         (9, 2, '2440'), (9, 3, ''), (9, 4, '1=1100;6=P1'), (9, 5, 'Papper '), \
         (9, 6, '1100'), (9, 7, 'B')",
        // 2021-02-03 is day 18661, 2021-03-31 day 18717.
        "INSERT INTO ledger_vouchers (file, id, series, number, day, text) VALUES \
         (9, 1, 0, '1', 18661, 'Faktura'), (9, 2, 7, '7', 18717, 'Rättelse')",
        "INSERT INTO ledger_rows (file, run, account, ansvar, day, voucher, line, kind, \
         objects, amount_ore, text, text_inline, text_tail) VALUES \
         (9, 0, 1, 6, 18661, 1, 1, 0, 4, 1000, 5, NULL, 1), \
         (9, 0, 2, 3, 18661, 1, 2, 0, NULL, -1000, 3, NULL, 0), \
         (9, 1, 1, 6, 18717, 2, 1, 2, 4, 50, NULL, 'struken', 0), \
         (9, 1, 1, 6, 18717, 2, 2, 1, 4, 70, NULL, 'Tillagd \"rad\"', 0), \
         (9, 1, 2, 3, 18717, 2, 3, 0, NULL, -70, NULL, NULL, 0)",
    ] {
        db.execute(sql).await.unwrap();
    }

    let store = db.open().await;
    assert_eq!(db.count("ledger_packs").await, 4);
    assert_eq!(db.count(VOUCHER_ROWS).await, 5);
    let rows = store
        .ledger_transactions("haninge", month("2021-01"), month("2021-12"), &[], &[])
        .await
        .unwrap();
    let seen: Vec<_> = rows
        .iter()
        .map(|r| {
            (
                r.series.as_str(),
                r.voucher_number.as_str(),
                r.transaction_date.as_str(),
                r.kind,
                r.account.as_str(),
                r.project.as_deref(),
                r.amount.ore(),
                r.text.as_str(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            (
                "A",
                "1",
                "2021-02-03",
                TransactionKind::Normal,
                "5410",
                Some("P1"),
                1_000,
                "Papper Faktura"
            ),
            (
                "A",
                "1",
                "2021-02-03",
                TransactionKind::Normal,
                "2440",
                None,
                -1_000,
                ""
            ),
            (
                "B",
                "7",
                "2021-03-31",
                TransactionKind::Added,
                "5410",
                Some("P1"),
                70,
                "Tillagd \"rad\""
            ),
            (
                "B",
                "7",
                "2021-03-31",
                TransactionKind::Normal,
                "2440",
                None,
                -70,
                ""
            ),
        ]
    );
    store.close().await;
}
