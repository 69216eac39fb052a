//! Ledger actuals in the store: every voucher row kept, monthly sums summed over imports, the
//! same file twice doubling nothing, a corrected export replacing what it covers, a failed
//! import changing nothing, and manual forecasts — on both backends.

use crate::db::TestDb;
use crate::{example_plan, on_both_backends};
use styr_domain::Money;
use styr_domain::followup::{FollowUpReport, PeriodState, ReportEntry};
use styr_domain::ledger::{
    BudgetLineRef, LedgerAmount, LedgerTransaction, ManualForecast, Month, TransactionKind,
};
use styr_store::{AuditFilter, EntryFilter, LedgerImport, LedgerSource, StoreError};

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
    let mut actual = Vec::new();
    for m in 1..=months {
        for ansvar in ["1100", "1130"] {
            actual.push(LedgerAmount {
                account: "51110".into(),
                ansvar: Some(ansvar.into()),
                project: None,
                month: Month::new(year, m).unwrap(),
                amount: Money::from_ore(ore),
                rows: 1,
            });
        }
        actual.push(LedgerAmount {
            account: "2440".into(),
            ansvar: None,
            project: None,
            month: Month::new(year, m).unwrap(),
            amount: Money::from_ore(-2 * ore),
            rows: 2,
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
        company: company.into(),
        company_name: Some("Haninge kommun".into()),
        year_start: format!("{year}-01-01"),
        year_end: format!("{year}-12-31"),
        file_name: "ks.se".into(),
        program: Some("test 1".into()),
        vouchers: u64::from(months) * 2,
        transactions,
        actual,
        budget,
    }
}

const TABLES: &[&str] = &["ledger_imports", "ledger_transactions", "ledger_monthly"];

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
    let mut seen = Vec::new();
    let first = store
        .import_actuals(&import, "anna", |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!(first.replaced, None);
    assert_eq!(first.transactions, 50);
    assert_eq!(first.monthly_rows, 31);
    assert_eq!(first.fiscal_year, "2021-01-01..2021-12-31");
    assert_eq!(seen, vec![50]);
    assert_eq!(counted(&counts(db).await), vec![1, 50, 31]);

    let second = store
        .import_actuals(&import, "bertil", |_| {})
        .await
        .unwrap();
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
        .import_actuals(&ledger("212000-0000", 2021, 10, 100_000), "anna", |_| {})
        .await
        .unwrap();
    // Another year and another company are kept beside it.
    store
        .import_actuals(&ledger("212000-0000", 2020, 12, 5), "anna", |_| {})
        .await
        .unwrap();
    store
        .import_actuals(&ledger("556000-0001", 2021, 1, 3), "anna", |_| {})
        .await
        .unwrap();
    assert_eq!(
        counted(&counts(db).await),
        vec![3, 50 + 60 + 5, 31 + 37 + 4]
    );
    // The corrected 2021 export: eleven months, other amounts.
    let summary = store
        .import_actuals(&ledger("212000-0000", 2021, 11, 200_000), "anna", |_| {})
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
    store.import_actuals(&good, "anna", |_| {}).await.unwrap();
    let before = counts(db).await;
    let log = store.audit_log(&Default::default()).await.unwrap();

    // Many rows, the first batches fine, then a row whose month disagrees with its date: the
    // database refuses it after the old import was deleted and new rows were written.
    let mut bad = ledger("212000-0000", 2021, 10, 300_000);
    let template = bad.transactions[0].clone();
    for _ in 0..1000 {
        bad.transactions.push(template.clone());
    }
    bad.transactions[900].month = month("2021-12");
    let error = store
        .import_actuals(&bad, "bertil", |_| {})
        .await
        .unwrap_err();
    assert!(matches!(error, StoreError::Database(_)), "{error:?}");

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
    store.import_actuals(&good, "anna", |_| {}).await.unwrap();
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
        .record_reports("haninge", &[report(86_000)], "anna", action)
        .await
        .unwrap();
    store
        .record_reports("haninge", &[report(86_500)], "bertil", action)
        .await
        .unwrap();
    let stored = store.forecasts("haninge", month("2021-10")).await.unwrap();
    assert_eq!(stored, vec![forecast(86_500)]);
    assert_eq!(
        store.forecasts("haninge", month("2021-09")).await.unwrap(),
        vec![]
    );
    let history = store
        .reports(
            "haninge",
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
        .set_period_state(
            "haninge",
            month("2021-10"),
            PeriodState::Closed,
            "anna",
            None,
        )
        .await
        .unwrap();
    let closed = store
        .record_reports("haninge", &[report(90_000)], "anna", action)
        .await;
    assert!(matches!(closed, Err(StoreError::PeriodClosed { .. })));
    let missing = store
        .record_reports(
            "haninge",
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

/// Rows handed over one at a time store what the same rows in `transactions` store.
async fn streamed_rows_store_the_same(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let import = ledger("212000-0000", 2021, 10, 100_000);
    let whole = store.import_actuals(&import, "anna", |_| {}).await.unwrap();
    let before = counts(db).await;
    let amounts = |store: &styr_store::Store| {
        let store = store.clone();
        async move {
            store
                .ledger_amounts(
                    "haninge",
                    LedgerSource::Actual,
                    month("2021-01"),
                    month("2021-12"),
                )
                .await
                .unwrap()
        }
    };
    let whole_amounts = amounts(&store).await;

    let mut head = import.clone();
    let rows = std::mem::take(&mut head.transactions);
    let mut seen = Vec::new();
    let streamed = store
        .import_actuals_streamed(&head, rows.len() as u64, rows, "anna", |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!(streamed.replaced, Some(whole.transactions));
    assert_eq!(streamed.transactions, whole.transactions);
    assert_eq!(streamed.monthly_rows, whole.monthly_rows);
    assert_eq!(seen.last(), Some(&50));
    assert_eq!(counts(db).await, before);
    assert_eq!(amounts(&store).await, whole_amounts);
    store.close().await;
}

/// Rows that stop short of what was announced (a reader that failed part-way) roll the whole
/// import back: the earlier import stays as it was.
async fn rows_that_stop_short_change_nothing(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let import = ledger("212000-0000", 2021, 10, 100_000);
    store.import_actuals(&import, "anna", |_| {}).await.unwrap();
    let before = counts(db).await;
    let log_before = store.audit_log(&Default::default()).await.unwrap().len();

    let mut head = import.clone();
    let mut rows = std::mem::take(&mut head.transactions);
    let announced = rows.len() as u64;
    rows.truncate(rows.len() / 2);
    let error = store
        .import_actuals_streamed(&head, announced, rows, "bertil", |_| {})
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "importen fick {} rader men väntade {announced}; inget ändrades",
            announced / 2
        )
    );
    assert_eq!(counts(db).await, before);
    assert_eq!(
        store.audit_log(&Default::default()).await.unwrap().len(),
        log_before
    );
    store.close().await;
}

on_both_backends!(
    rows_that_stop_short_change_nothing,
    streamed_rows_store_the_same,
    the_same_file_twice_doubles_nothing,
    a_corrected_export_replaces_what_it_covers,
    a_failed_import_changes_nothing,
    forecasts_are_replaced_and_logged,
);
