//! The financial statements in whole tkr (what the documents and the CLI's text print) add up
//! as printed: every sum of RR and BR is the sum of its printed parts (read from
//! `styr_domain::statements::LINES`), KFA's section totals the sums of their printed lines,
//! årets resultat the same in RR, BR, KFA and the balanskravsutredning, a BR that balances
//! exactly balances as printed and a KFA that ties exactly ties as printed. On generated bokslut
//! ledgers over KF's example plan: amounts with öre, balanced and unbalanced, any month, with
//! and without a split budget (with one, in öre).

use proptest::prelude::*;
use std::path::PathBuf;
use std::sync::LazyLock;
use styr_domain::number::MoneyUnit;
use styr_domain::statements::{
    AccountBalance, AccountMovement, BalanceKind, LINES, LineBudget, LineKind, StatementLedger,
};
use styr_domain::{Money, Month, Plan};
use styr_reports::statements::{RowKind, StatementRow, StatementsReport, statements};

static KF: LazyLock<Plan> = LazyLock::new(|| {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-kf-2021");
    styr_package::read_dir(&dir).expect("KF's example reads")
});

const TKR: i64 = 100_000;

/// Balance accounts, one or more per BR line (the example's `redovisning/kommunbas.csv`).
const BALANCE_ACCOUNTS: [&str; 14] = [
    "1010", "1110", "1210", "1310", "1410", "1510", "1810", "1930", "2050", "2010", "2210", "2250",
    "2310", "2440",
];

/// Result accounts, one or more per RR line, with the tagged ones (3710 realisationsvinst, 8480
/// orealiserade vinster).
const RESULT_ACCOUNTS: [&str; 11] = [
    "3010", "3710", "4010", "6810", "8010", "8210", "8410", "8480", "8510", "8610", "5110",
];

fn account(index: usize) -> &'static str {
    BALANCE_ACCOUNTS
        .get(index)
        .copied()
        .unwrap_or_else(|| RESULT_ACCOUNTS[index - BALANCE_ACCOUNTS.len()])
}

const ANY_ACCOUNT: usize = BALANCE_ACCOUNTS.len() + RESULT_ACCOUNTS.len();

/// A double entry: debit one account, credit another.
fn entries(accounts: usize, max: usize) -> impl Strategy<Value = Vec<(usize, usize, i64)>> {
    prop::collection::vec((0..accounts, 0..accounts, 1i64..2_000_000_000), 0..max)
}

#[derive(Debug, Clone)]
struct Case {
    ledger: StatementLedger,
    through: Month,
    /// Budgets per RR line in öre (none: KF's totals stand for the sums).
    budget: Option<Vec<(usize, i64)>>,
}

fn cases() -> impl Strategy<Value = Case> {
    (
        entries(BALANCE_ACCOUNTS.len(), 12),
        entries(ANY_ACCOUNT, 16),
        entries(BALANCE_ACCOUNTS.len(), 12),
        (
            entries(ANY_ACCOUNT, 30),
            prop::collection::vec(1..=12u8, 30),
        ),
        prop::option::of((0..ANY_ACCOUNT, -500_000_000i64..500_000_000)),
        1..=12u8,
        prop::option::of(prop::collection::vec(
            (0..7usize, -900_000_000i64..900_000_000),
            1..7,
        )),
    )
        .prop_map(
            |(
                opening,
                previous_close,
                previous_opening,
                (movements, months),
                stray,
                month,
                budget,
            )| {
                let mut balances = Vec::new();
                let mut balance = |kind, year, index: usize, ore: i64| {
                    let result = index >= BALANCE_ACCOUNTS.len();
                    let kind = if result && kind == BalanceKind::Closing {
                        BalanceKind::Result
                    } else {
                        kind
                    };
                    balances.push(AccountBalance {
                        kind,
                        year,
                        account: account(index).into(),
                        amount: Money::from_ore(ore),
                    });
                };
                for (year, kind, list) in [
                    (0, BalanceKind::Opening, &opening),
                    (-1, BalanceKind::Closing, &previous_close),
                    (-1, BalanceKind::Opening, &previous_opening),
                ] {
                    for &(debit, credit, ore) in list {
                        balance(kind, year, debit, ore);
                        balance(kind, year, credit, -ore);
                    }
                }
                let mut moves = Vec::new();
                let mut movement = |index: usize, month: u8, ore: i64| {
                    moves.push(AccountMovement {
                        account: account(index).into(),
                        month: Month::new(2021, month).unwrap(),
                        amount: Money::from_ore(ore),
                    });
                };
                for (&(debit, credit, ore), &month) in movements.iter().zip(&months) {
                    movement(debit, month, ore);
                    movement(credit, month, -ore);
                }
                // An entry without its other side: a BR that does not balance.
                if let Some((index, ore)) = stray {
                    movement(index, 6, ore);
                }
                Case {
                    ledger: StatementLedger {
                        company: "212000-0000".into(),
                        fiscal_year: "2021-01-01..2021-12-31".into(),
                        file_name: "generated.se".into(),
                        balances,
                        movements: moves,
                    },
                    through: Month::new(2021, month).unwrap(),
                    budget,
                }
            },
        )
}

fn plan_of(case: &Case) -> Plan {
    let mut plan = KF.clone();
    let budgeted: Vec<&str> = LINES
        .iter()
        .filter(|line| line.is_mapped() && line.id.starts_with("rr."))
        .map(|line| line.id)
        .collect();
    plan.statements.budget = match &case.budget {
        None => Vec::new(),
        Some(lines) => lines
            .iter()
            .map(|&(index, ore)| LineBudget {
                line: budgeted[index % budgeted.len()].into(),
                year: 2021,
                amount: Money::from_ore(ore),
                at: Default::default(),
            })
            .collect(),
    };
    plan
}

fn whole(money: Money) -> bool {
    money.ore() % TKR == 0
}

/// How a column's figure is read from a row: outcome, budget or previous.
type Pick = fn(&StatementRow) -> Option<Money>;

/// The figures of one column of a statement: outcome, budget or previous.
fn column(rows: &[StatementRow], pick: Pick, id: &str) -> Option<Money> {
    rows.iter().find(|row| row.id == id).and_then(pick)
}

const COLUMNS: [(&str, Pick); 3] = [
    ("outcome", |row| Some(row.outcome)),
    ("budget", |row| row.budget),
    ("previous", |row| row.previous),
];

fn check(exact: &StatementsReport, printed: &StatementsReport) -> Result<(), TestCaseError> {
    let rounded = |money: Money| money.rounded_to(MoneyUnit::Tkr);
    prop_assert_eq!(&printed.findings, &exact.findings);
    for rows in [&printed.result, &printed.balance, &printed.cash_flow] {
        for row in rows {
            for (name, pick) in COLUMNS {
                if let Some(figure) = pick(row) {
                    prop_assert!(whole(figure), "{} {name} {figure} is not whole tkr", row.id);
                }
            }
        }
    }
    // RR and BR: every sum the sum of its printed parts; a stated budget sum its own figure.
    for rows in [
        (&exact.result, &printed.result),
        (&exact.balance, &printed.balance),
    ] {
        let (exact_rows, printed_rows) = rows;
        for line in LINES {
            let LineKind::Sum(parts) = line.kind else {
                continue;
            };
            for (name, pick) in COLUMNS {
                let Some(shown) = column(printed_rows, pick, line.id) else {
                    continue;
                };
                let exact_parts: Option<Money> =
                    parts.iter().map(|p| column(exact_rows, pick, p)).sum();
                let exact_sum = column(exact_rows, pick, line.id);
                if exact_parts != exact_sum {
                    prop_assert_eq!(
                        Some(shown),
                        exact_sum.map(rounded),
                        "stated {} {}",
                        line.id,
                        name
                    );
                    continue;
                }
                let printed_parts: Option<Money> =
                    parts.iter().map(|p| column(printed_rows, pick, p)).sum();
                prop_assert_eq!(
                    Some(shown),
                    printed_parts,
                    "{} {} is not its parts' sum",
                    line.id,
                    name
                );
            }
        }
    }
    // Each line within one tkr of its exact figure where it shares a figure rounded once (RR)
    // or is one; within two where it shares a difference of two rounded figures (BR, KFA).
    for (exact_rows, printed_rows) in [
        (&exact.result, &printed.result),
        (&exact.balance, &printed.balance),
        (&exact.cash_flow, &printed.cash_flow),
    ] {
        for (exact_row, printed_row) in exact_rows.iter().zip(printed_rows) {
            let mapped =
                styr_domain::statements::line(&exact_row.id).is_some_and(|l| l.is_mapped());
            let within = if exact_row.id.starts_with("rr.") || exact_row.id == "br.t.kassa" {
                TKR
            } else {
                2 * TKR - 1
            };
            if !(mapped || exact_row.id.starts_with("kfa.")) {
                continue;
            }
            for (name, pick) in [COLUMNS[0], COLUMNS[2]] {
                if let (Some(e), Some(p)) = (pick(exact_row), pick(printed_row)) {
                    prop_assert!(
                        (p - e).abs().ore() <= within,
                        "{} {name}: {p} for {e}",
                        exact_row.id
                    );
                }
            }
        }
    }
    // Årets resultat: RR's rounded once, the same in BR, KFA and the balanskravsutredning.
    for (name, pick) in [COLUMNS[0], COLUMNS[2]] {
        let rr = column(&printed.result, pick, "rr.arets_resultat");
        prop_assert_eq!(
            rr,
            column(&exact.result, pick, "rr.arets_resultat").map(rounded)
        );
        if column(&exact.balance, pick, "br.ek.arets_resultat")
            == column(&exact.result, pick, "rr.arets_resultat")
        {
            prop_assert_eq!(
                column(&printed.balance, pick, "br.ek.arets_resultat"),
                rr,
                "BR {}",
                name
            );
        }
        prop_assert_eq!(
            column(&printed.cash_flow, pick, "kfa.arets_resultat"),
            rr,
            "KFA {}",
            name
        );
        // KFA's likvida medel at the period's end is BR's Kassa och bank as printed.
        if column(&exact.cash_flow, pick, "kfa.likvida_slut")
            == column(&exact.balance, pick, "br.t.kassa")
        {
            prop_assert_eq!(
                column(&printed.cash_flow, pick, "kfa.likvida_slut"),
                column(&printed.balance, pick, "br.t.kassa"),
                "likvida medel {}",
                name
            );
        }
        // BR balances as printed when it balances exactly.
        let sides = |rows: &[StatementRow]| {
            (
                column(rows, pick, "br.t.summa"),
                column(rows, pick, "br.eks.summa"),
            )
        };
        let (assets, claims) = sides(&exact.balance);
        if assets == claims {
            let (assets, claims) = sides(&printed.balance);
            prop_assert_eq!(assets, claims, "BR {} does not balance as printed", name);
        }
        // KFA: each section total the sum of its lines, årets kassaflöde the three totals;
        // ties as printed when it ties exactly.
        let mut section = Money::ZERO;
        let mut totals = Money::ZERO;
        for row in &printed.cash_flow {
            let Some(figure) = pick(row) else { continue };
            match (row.kind, row.id.as_str()) {
                (RowKind::Sum, "kfa.arets_kassaflode") => {
                    prop_assert_eq!(figure, totals, "årets kassaflöde {}", name)
                }
                (RowKind::Sum, _) => {
                    prop_assert_eq!(figure, section, "{} {}", row.id, name);
                    totals = totals + figure;
                    section = Money::ZERO;
                }
                (_, "kfa.likvida_borjan" | "kfa.likvida_slut") => {}
                _ => section = section + figure,
            }
        }
        let ties = |rows: &[StatementRow]| {
            let get = |id| column(rows, pick, id);
            (
                get("kfa.arets_kassaflode"),
                get("kfa.likvida_slut")
                    .zip(get("kfa.likvida_borjan"))
                    .map(|(e, s)| e - s),
            )
        };
        let (flow, change) = ties(&exact.cash_flow);
        if flow == change {
            let (flow, change) = ties(&printed.cash_flow);
            prop_assert_eq!(flow, change, "KFA {} does not tie as printed", name);
        }
    }
    // The balanskravsutredning: årets resultat RR's, adjustments rounded once, each result
    // the sum of the printed lines above it.
    let requirement = &printed.balance_requirement;
    let mut lines_above = Money::ZERO;
    for (index, (row, exact_row)) in requirement
        .rows
        .iter()
        .zip(&exact.balance_requirement.rows)
        .enumerate()
    {
        prop_assert!(whole(row.amount));
        match row.kind {
            RowKind::Sum => prop_assert_eq!(row.amount, lines_above, "{}", row.label),
            RowKind::Line if index == 0 => prop_assert_eq!(
                Some(row.amount),
                column(&printed.result, COLUMNS[0].1, "rr.arets_resultat")
            ),
            RowKind::Line => prop_assert_eq!(row.amount, rounded(exact_row.amount)),
        }
        if row.kind == RowKind::Line {
            lines_above = lines_above + row.amount;
        }
    }
    prop_assert_eq!(
        Some(requirement.result),
        requirement.rows.last().map(|r| r.amount)
    );
    prop_assert_eq!(
        requirement.stated,
        exact.balance_requirement.stated.map(rounded)
    );
    for deficit in &requirement.deficits {
        prop_assert!(whole(deficit.amount) && whole(deficit.remaining));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_statements_in_whole_tkr_add_up_as_printed(case in cases()) {
        let exact = statements(&plan_of(&case), std::slice::from_ref(&case.ledger), case.through);
        let printed = exact.in_whole(MoneyUnit::Tkr);
        check(&exact, &printed)?;
        // A presenter may print a report that is already whole: it stays as it is.
        prop_assert_eq!(printed.in_whole(MoneyUnit::Tkr), printed);
    }
}

/// A balanced ledger whose lines each round up: the printed sums would be off by one or two
/// tkr if they were summed before rounding.
#[test]
fn lines_that_each_round_up_still_add_up_as_printed() {
    let ore = |kr_and_ore: i64| Money::from_ore(kr_and_ore);
    let movement = |account: &str, ore_amount: i64| AccountMovement {
        account: account.into(),
        month: Month::new(2021, 12).unwrap(),
        amount: ore(ore_amount),
    };
    // 600,6 tkr of intäkter, 400,6 tkr of kostnader, 100,6 tkr of skatteintäkter: årets
    // resultat 300,6 tkr → 301; the lines share it (601 − 401 + 101 = 301).
    let ledger = StatementLedger {
        company: "212000-0000".into(),
        fiscal_year: "2021-01-01..2021-12-31".into(),
        file_name: "round.se".into(),
        balances: Vec::new(),
        movements: vec![
            movement("3010", -60_060_000),
            movement("4010", 40_060_000),
            movement("8010", -10_060_000),
            movement("1930", 30_060_000),
        ],
    };
    let exact = statements(&KF, &[ledger], Month::new(2021, 12).unwrap());
    let printed = exact.in_whole(MoneyUnit::Tkr);
    let outcome = |id: &str| printed.row(id).unwrap().outcome.ore() / TKR;
    assert_eq!(outcome("rr.arets_resultat"), 301);
    assert_eq!(
        outcome("rr.intakter") + outcome("rr.kostnader") + outcome("rr.skatteintakter"),
        301
    );
    assert_eq!(outcome("br.t.summa"), outcome("br.eks.summa"));
    assert_eq!(outcome("br.ek.arets_resultat"), 301);
    assert_eq!(outcome("kfa.arets_resultat"), 301);
}
