//! Paged drill-down (keyset pagination): walking every page of a figure's rows, forwards and
//! backwards, with pages of any size, gives exactly the unpaged list in its order — across
//! files and runs, with many rows on the same day and some rows of a pair left out by project.

use crate::db::TestDb;
use crate::{example_plan, on_both_backends};
use std::collections::BTreeMap;
use styr_domain::ledger::{LedgerTransaction, Month, TransactionKind};
use styr_store::{
    AmountFilter, FileSelection, LedgerDate, LedgerFileInfo, LedgerPair, LedgerRowKey,
    LedgerSelection, LedgerSource, PageAt, RowRecord, Store, VoucherRecord,
};

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

const ACCOUNTS: [&str; 3] = ["51110", "51120", "2440"];
const ANSVAR: [Option<&str>; 3] = [Some("1100"), Some("1130"), None];
const PROJECTS: [Option<&str>; 3] = [None, Some("P1"), Some("P2")];

/// Loads a file of `vouchers` vouchers of one to four rows over January to March, most on the
/// same few days, in runs of `run_rows` rows; every eleventh row struck.
async fn load_file(store: &Store, company: &str, vouchers: u32, run_rows: usize, seed: u32) {
    let mut load = store.begin_ledger_load("haninge", "anna").await.unwrap();
    load.set_run_rows(run_rows);
    let mut n = seed;
    let mut next = || {
        n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        (n >> 16) as usize
    };
    for number in 0..vouchers {
        let date = LedgerDate {
            year: 2021,
            month: u8::try_from(1 + next() % 3).unwrap(),
            day: [2, 15, 28][next() % 3],
        };
        load.voucher(&VoucherRecord {
            series: if number.is_multiple_of(2) { "A" } else { "B" },
            number: &number.to_string(),
            date,
            text: "Faktura",
        })
        .unwrap();
        for line in 0..1 + next() % 4 {
            let account = ACCOUNTS[next() % 3];
            let mut objects: Vec<(u32, String)> = Vec::new();
            if let Some(ansvar) = ANSVAR[next() % 3] {
                objects.push((1, ansvar.to_owned()));
            }
            if let Some(project) = PROJECTS[next() % 3] {
                objects.push((6, project.to_owned()));
            }
            let objects: Vec<(u32, &str)> = objects.iter().map(|(d, o)| (*d, o.as_str())).collect();
            // Some rows carry a date of their own, a day before their voucher's.
            let row_date = if next().is_multiple_of(5) {
                LedgerDate {
                    day: date.day - 1,
                    ..date
                }
            } else {
                date
            };
            load.row(&RowRecord {
                kind: if (number + line as u32).is_multiple_of(11) {
                    TransactionKind::Struck
                } else {
                    TransactionKind::Normal
                },
                account,
                objects: &objects,
                date: row_date,
                amount_ore: i64::from(number) * 100 + line as i64,
                text: "",
                spelling: None,
            })
            .unwrap();
        }
    }
    let info = LedgerFileInfo {
        company: company.into(),
        company_name: None,
        year_start: "2021-01-01".into(),
        year_end: "2021-12-31".into(),
        file_name: format!("{company}.se"),
        program: None,
    };
    load.finish(&info, &[]).await.unwrap();
}

/// The figure's selection: every pair of the 51… accounts, (51110, 1100) only without a
/// project or with P1.
async fn selection(store: &Store, first: Month, last: Month) -> LedgerSelection {
    let sums = store
        .ledger_amounts_where(
            "haninge",
            LedgerSource::Actual,
            first,
            last,
            &[AmountFilter {
                accounts: ("51".into(), "5199999999".into()),
                ansvar: Vec::new(),
            }],
        )
        .await
        .unwrap();
    assert!(sums.amounts.iter().all(|s| s.account.starts_with("51")));
    let mut files: BTreeMap<_, BTreeMap<(String, Option<String>), LedgerPair>> = BTreeMap::new();
    for a in &sums.amounts {
        let restricted = a.account == "51110" && a.ansvar.as_deref() == Some("1100");
        files
            .entry(a.file)
            .or_default()
            .entry((a.account.clone(), a.ansvar.clone()))
            .or_insert_with(|| LedgerPair {
                account: a.account.clone(),
                ansvar: a.ansvar.clone(),
                projects: restricted.then(|| vec![None, Some("P1".to_owned())]),
            });
    }
    LedgerSelection {
        first,
        last,
        files: files
            .into_iter()
            .map(|(file, pairs)| FileSelection {
                file,
                pairs: pairs.into_values().collect(),
                monthly_rows: sums
                    .monthly_rows
                    .iter()
                    .filter(|(f, _, _)| *f == file)
                    .map(|(_, month, rows)| (*month, *rows))
                    .collect(),
            })
            .collect(),
    }
}

/// The unpaged list of the same rows.
async fn unpaged(store: &Store, first: Month, last: Month) -> Vec<LedgerTransaction> {
    store
        .ledger_transactions(
            "haninge",
            first,
            last,
            &["51110".into(), "51120".into()],
            &[],
        )
        .await
        .unwrap()
        .into_iter()
        .filter(|row| {
            !(row.account == "51110"
                && row.ansvar.as_deref() == Some("1100")
                && row.project.as_deref() == Some("P2"))
        })
        .collect()
}

async fn walk_forwards(
    store: &Store,
    selection: &LedgerSelection,
    limit: usize,
) -> Vec<(LedgerRowKey, LedgerTransaction)> {
    let mut out: Vec<(LedgerRowKey, LedgerTransaction)> = Vec::new();
    let mut at = PageAt::First;
    loop {
        let page = store
            .ledger_transactions_page("haninge", selection, at, limit)
            .await
            .unwrap();
        assert!(page.rows.len() <= limit);
        if page.more {
            assert_eq!(page.rows.len(), limit, "a page before the last is full");
        }
        out.extend(page.rows);
        match (page.more, out.last()) {
            (true, Some((key, _))) => at = PageAt::After(*key),
            _ => return out,
        }
    }
}

async fn pages_walk_every_row_once_in_order(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    load_file(&store, "212000-0000", 400, 97, 1).await;
    load_file(&store, "556000-0001", 600, 1_000_000, 2).await;
    let runs = db.count("ledger_files WHERE runs > 5").await;
    assert_eq!(runs, 1, "the first file is written in many runs");
    // The second file's one run holds more rows of a pair than a pack does: a pair's rows
    // continue from pack to pack, and packs of a pair share days.
    let packs_of_a_pair = db
        .count(
            "(SELECT account, ansvar FROM ledger_packs WHERE file = (SELECT MAX(id) FROM \
             ledger_files) GROUP BY account, ansvar HAVING COUNT(*) > 1) AS pairs",
        )
        .await;
    assert!(
        packs_of_a_pair > 0,
        "no pair of the one-run file fills two packs"
    );
    for (first, last) in [("2021-01", "2021-03"), ("2021-02", "2021-02")] {
        let (first, last) = (month(first), month(last));
        let selection = selection(&store, first, last).await;
        let expected = unpaged(&store, first, last).await;
        assert!(expected.len() > 200, "{}", expected.len());
        let rows: u64 = selection
            .files
            .iter()
            .flat_map(|f| &f.monthly_rows)
            .map(|(_, rows)| rows)
            .sum();
        assert!(
            rows > expected.len() as u64,
            "the months count P2's rows too"
        );
        for limit in [1, 2, 7, 100, 10_000] {
            let walked = walk_forwards(&store, &selection, limit).await;
            let keys: Vec<LedgerRowKey> = walked.iter().map(|(key, _)| *key).collect();
            assert!(keys.windows(2).all(|w| w[0] < w[1]), "limit {limit}");
            let listed: Vec<LedgerTransaction> = walked.into_iter().map(|(_, row)| row).collect();
            assert_eq!(listed, expected, "limit {limit}, {first}–{last}");
        }
        // Backwards from the last row, page by page, to the first.
        let all = walk_forwards(&store, &selection, 10_000).await;
        for limit in [1, 3, 50] {
            let (mut key, last_row) = all.last().cloned().unwrap();
            let mut backwards = vec![last_row];
            loop {
                let page = store
                    .ledger_transactions_page("haninge", &selection, PageAt::Before(key), limit)
                    .await
                    .unwrap();
                let Some((first_key, _)) = page.rows.first().cloned() else {
                    break;
                };
                assert!(page.rows.iter().all(|(k, _)| *k < key));
                let more = page.more;
                backwards.splice(0..0, page.rows.into_iter().map(|(_, row)| row));
                key = first_key;
                if !more {
                    break;
                }
            }
            assert_eq!(backwards, expected, "backwards, limit {limit}");
        }
        // After the last row, nothing; before the first, nothing.
        let (last_key, _) = all.last().cloned().unwrap();
        let (first_key, _) = all.first().cloned().unwrap();
        let after_last = store
            .ledger_transactions_page("haninge", &selection, PageAt::After(last_key), 5)
            .await
            .unwrap();
        assert!(after_last.rows.is_empty() && !after_last.more);
        let before_first = store
            .ledger_transactions_page("haninge", &selection, PageAt::Before(first_key), 5)
            .await
            .unwrap();
        assert!(before_first.rows.is_empty() && !before_first.more);
    }
    // Another municipality's selection of the same files reads nothing.
    let selection = selection(&store, month("2021-01"), month("2021-03")).await;
    let other = store
        .ledger_transactions_page("nynashamn", &selection, PageAt::First, 10)
        .await
        .unwrap();
    assert!(other.rows.is_empty());
    store.close().await;
}

/// A sum's key: file, account, ansvar and project.
type SumKey = (
    styr_store::LedgerFileId,
    String,
    Option<String>,
    Option<String>,
);

/// `old` with each key's project left out where `needs_project` says no rule looks at it, summed:
/// what the figure's sums from the year balances must equal.
fn collapsed(
    old: &[styr_store::FileAmount],
    needs_project: &dyn Fn(&str, Option<&str>) -> bool,
) -> BTreeMap<SumKey, (i64, u64)> {
    let mut out = BTreeMap::new();
    for sum in old {
        let project = sum
            .project
            .clone()
            .filter(|_| needs_project(&sum.account, sum.ansvar.as_deref()));
        let entry: &mut (i64, u64) = out
            .entry((sum.file, sum.account.clone(), sum.ansvar.clone(), project))
            .or_default();
        entry.0 += sum.amount.ore();
        entry.1 += sum.rows;
    }
    out
}

/// The figure's sums from the year balances (`Store::ledger_figure_sums`) are the sums from
/// `ledger_sums` (`Store::ledger_amounts_where`) with the project left out of the keys no rule
/// looks at by project, and the same rows per file and month.
async fn figure_sums_from_balances_equal_those_from_the_monthly_sums(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    load_file(&store, "212000-0000", 400, 97, 1).await;
    load_file(&store, "556000-0001", 150, 1_000_000, 2).await;
    let filters = [
        AmountFilter {
            accounts: ("51".into(), "5199999999".into()),
            ansvar: Vec::new(),
        },
        AmountFilter {
            accounts: ("2440".into(), "2440".into()),
            ansvar: vec!["1100".into()],
        },
    ];
    let needs_project = |account: &str, _: Option<&str>| account == "51110";
    let mut split = 0;
    for (first, last) in [
        ("2021-01", "2021-03"),
        ("2021-02", "2021-02"),
        ("2021-01", "2021-12"),
    ] {
        let (first, last) = (month(first), month(last));
        let old = store
            .ledger_amounts_where("haninge", LedgerSource::Actual, first, last, &filters)
            .await
            .unwrap();
        let new = store
            .ledger_figure_sums(
                "haninge",
                LedgerSource::Actual,
                first,
                last,
                &filters,
                &needs_project,
            )
            .await
            .unwrap();
        assert!(!new.amounts.is_empty());
        assert!(new.amounts.len() < old.amounts.len(), "{first}–{last}");
        assert!(new.amounts.iter().any(|s| s.account == "2440"));
        split += new.amounts.iter().filter(|s| s.project.is_some()).count();
        assert!(
            new.amounts
                .iter()
                .all(|s| s.project.is_none() || s.account == "51110")
        );
        let as_map = |sums: &[styr_store::FileAmount]| -> BTreeMap<_, _> {
            sums.iter()
                .map(|s| {
                    let key = (
                        s.file,
                        s.account.clone(),
                        s.ansvar.clone(),
                        s.project.clone(),
                    );
                    (key, (s.amount.ore(), s.rows))
                })
                .collect()
        };
        assert_eq!(
            as_map(&new.amounts),
            collapsed(&old.amounts, &needs_project),
            "{first}–{last}"
        );
        assert_eq!(new.monthly_rows, old.monthly_rows, "{first}–{last}");
        // In amounts_where's order.
        let mut sorted = new.amounts.clone();
        sorted.sort_by(|a, b| {
            (a.file, &a.account, &a.ansvar, &a.project)
                .cmp(&(b.file, &b.account, &b.ansvar, &b.project))
        });
        assert_eq!(sorted, new.amounts);
    }
    assert!(split > 0, "a key read per project");
    // Another municipality's figure is empty.
    let other = store
        .ledger_figure_sums(
            "nynashamn",
            LedgerSource::Actual,
            month("2021-01"),
            month("2021-03"),
            &filters,
            &needs_project,
        )
        .await
        .unwrap();
    assert!(other.amounts.is_empty() && other.monthly_rows.is_empty());
    store.close().await;
}

/// What a drill-down reads of a plan alone (`Store::load_plan_ledger`) is what it takes from the
/// whole plan (`PlanLedger::of`), and the same selectors are refused.
async fn the_plan_ledger_alone_is_the_whole_plans(db: &TestDb) {
    let store = db.open().await;
    store.import_plan(&example_plan(), "anna").await.unwrap();
    let whole = store.load_plan(None, None, None).await.unwrap();
    let alone = store.load_plan_ledger(None, None, None).await.unwrap();
    assert_eq!(alone, styr_store::PlanLedger::of(&whole));
    assert!(!alone.ledger.rules.is_empty() && !alone.ledger.units.is_empty());
    let ksf = styr_domain::ledger::BudgetLineRef::parse("op.ksf.ksf").unwrap();
    assert!(alone.label(&ksf).is_some_and(|name| !name.is_empty()));
    let it = styr_domain::ledger::BudgetLineRef::parse("inv.it_investeringar").unwrap();
    assert!(alone.label(&it).is_some());
    let version = whole.budget.version.id.as_str();
    let named = store
        .load_plan_ledger(Some("haninge"), None, Some(version))
        .await
        .unwrap();
    assert_eq!(named, alone);
    for (municipality, body, version) in [
        (Some("nynashamn"), None, None),
        (Some("haninge"), Some("kf"), Some(version)),
        (Some("haninge"), None, Some("no_such_version")),
    ] {
        let whole = store.load_plan(municipality, body, version).await;
        let alone = store.load_plan_ledger(municipality, body, version).await;
        assert!(
            whole.is_err() && alone.is_err(),
            "{municipality:?} {body:?} {version:?}"
        );
        assert_eq!(
            whole.unwrap_err().to_string(),
            alone.unwrap_err().to_string()
        );
    }
    store.close().await;
}

on_both_backends!(
    pages_walk_every_row_once_in_order,
    figure_sums_from_balances_equal_those_from_the_monthly_sums,
    the_plan_ledger_alone_is_the_whole_plans,
);
