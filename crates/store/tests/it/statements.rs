//! A bokslut ledger file (issue 22, migration 0023) in the store: its #IB/#UB/#RES records kept
//! with the file and replaced with it, its movements read by the statements and never by a
//! body's budget vs actual — on both backends.

use crate::db::TestDb;
use crate::{example_plan, on_both_backends};
use styr_domain::Money;
use styr_domain::ledger::{LedgerTransaction, Month, TransactionKind};
use styr_domain::statements::{AccountBalance, AccountMovement, BalanceKind};
use styr_store::{LedgerFileInfo, LedgerImport, LedgerScope, LedgerSource};

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

/// Two vouchers of the municipality's ledger: a tax payment in January, a loan in September.
fn bokslut(company: &str) -> LedgerImport {
    let row = |number: &str, date: &str, account: &str, ore: i64| LedgerTransaction {
        series: "A".into(),
        voucher_number: number.into(),
        voucher_date: date.into(),
        transaction_date: date.into(),
        month: month(&date[..7]),
        kind: TransactionKind::Normal,
        account: account.into(),
        ansvar: None,
        project: None,
        objects: String::new(),
        amount: Money::from_ore(ore),
        voucher_text: "V".into(),
        text: String::new(),
    };
    LedgerImport {
        municipality: "haninge".into(),
        info: LedgerFileInfo {
            company: company.into(),
            company_name: Some("Haninge kommun".into()),
            year_start: "2021-01-01".into(),
            year_end: "2021-12-31".into(),
            file_name: "kommun.se".into(),
            program: None,
        },
        transactions: vec![
            row("1", "2021-01-20", "1930", 40_000),
            row("1", "2021-01-20", "8010", -40_000),
            row("2", "2021-09-30", "1930", 15_000),
            row("2", "2021-09-30", "2310", -15_000),
        ],
        budget: Vec::new(),
    }
}

fn balance(kind: BalanceKind, year: i32, account: &str, ore: i64) -> AccountBalance {
    AccountBalance {
        kind,
        year,
        account: account.into(),
        amount: Money::from_ore(ore),
    }
}

fn balances() -> Vec<AccountBalance> {
    vec![
        balance(BalanceKind::Opening, 0, "1930", 25_000),
        balance(BalanceKind::Opening, 0, "2010", -25_000),
        balance(BalanceKind::Closing, 0, "1930", 80_000),
        balance(BalanceKind::Closing, -1, "1930", 25_000),
        balance(BalanceKind::Result, 0, "8010", -40_000),
        balance(BalanceKind::Result, -1, "8010", -1),
    ]
}

async fn a_bokslut_file_keeps_its_balances_apart_from_the_follow_up(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let import = bokslut("212000-0000 (bokslut)");
    store
        .import_ledger_as(&import, LedgerScope::Statements, balances(), "anna")
        .await
        .unwrap();
    // Imported again (a corrected export): replaced, not doubled.
    store
        .import_ledger_as(&import, LedgerScope::Statements, balances(), "bertil")
        .await
        .unwrap();
    assert_eq!(db.count("ledger_balances").await, 6);

    let ledgers = store
        .statement_ledgers("haninge", 2021, month("2021-08"))
        .await
        .unwrap();
    assert_eq!(ledgers.len(), 1);
    assert_eq!(ledgers[0].company, "212000-0000 (bokslut)");
    assert_eq!(ledgers[0].balances, balances());
    // Through August: January's voucher only.
    assert_eq!(
        ledgers[0].movements,
        vec![
            AccountMovement {
                account: "1930".into(),
                month: month("2021-01"),
                amount: Money::from_ore(40_000),
            },
            AccountMovement {
                account: "8010".into(),
                month: month("2021-01"),
                amount: Money::from_ore(-40_000),
            },
        ]
    );
    let december = store
        .statement_ledgers("haninge", 2021, month("2021-12"))
        .await
        .unwrap();
    assert_eq!(december[0].movements.len(), 4);
    assert!(
        store
            .statement_ledgers("haninge", 2020, month("2020-12"))
            .await
            .unwrap()
            .is_empty()
    );
    // A body's budget vs actual never reads it; the list of files says what it is.
    let followup = store
        .ledger_amounts(
            "haninge",
            LedgerSource::Actual,
            month("2021-01"),
            month("2021-12"),
        )
        .await
        .unwrap();
    assert!(followup.is_empty(), "{followup:?}");
    let files = store.ledger_imports("haninge").await.unwrap();
    assert_eq!(files.len(), 1);
    assert!(files[0].statements);

    // A follow-up file of the same organisation and year stands beside it.
    store
        .import_actuals(&bokslut("212000-0000"), "anna")
        .await
        .unwrap();
    assert_eq!(store.ledger_imports("haninge").await.unwrap().len(), 2);
    assert_eq!(db.count("ledger_balances").await, 6);
    let followup = store
        .ledger_amounts(
            "haninge",
            LedgerSource::Actual,
            month("2021-01"),
            month("2021-12"),
        )
        .await
        .unwrap();
    assert_eq!(followup.len(), 4);
    store.close().await;
}

on_both_backends!(a_bokslut_file_keeps_its_balances_apart_from_the_follow_up);
