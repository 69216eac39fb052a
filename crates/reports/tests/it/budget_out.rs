//! The budget out: per account, ansvar and month through the example's mapping and profiles,
//! and as open-data rows; every sum equal to the plan's.

use std::collections::BTreeMap;
use styr_domain::ledger::{BudgetLineRef, Classification, MONTHS};
use styr_domain::{Money, Plan};
use styr_reports::{FiscalDirection, Phase, fiscal_data, monthly_budget, sums_by_line};

fn example() -> Plan {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021");
    styr_package::read_dir(&dir).expect("the example reads")
}

fn tkr(amount: i64) -> Money {
    Money::from_tkr(amount).unwrap()
}

#[test]
fn a_split_adds_up_to_the_annual_amount_in_ore() {
    let even = styr_reports::monthly_budget::split(Money::from_ore(100), &[1; MONTHS]);
    assert_eq!(even.map(Money::ore), [8, 8, 9, 8, 8, 9, 8, 8, 9, 8, 8, 9]);
    let negative = styr_reports::monthly_budget::split(Money::from_ore(-100), &[1; MONTHS]);
    assert_eq!(
        negative.iter().copied().sum::<Money>(),
        Money::from_ore(-100)
    );
    let quarterly =
        styr_reports::monthly_budget::split(tkr(7770), &[1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0]);
    assert_eq!(quarterly[0], Money::from_ore(194_250_000));
    assert_eq!(quarterly[1], Money::from_ore(0));
    assert_eq!(quarterly.iter().copied().sum::<Money>(), tkr(7770));
}

#[test]
fn every_operating_line_of_2021_is_placed_and_maps_back_to_itself() {
    let plan = example();
    let cells = monthly_budget(&plan, 2021, "7999").unwrap();
    assert_eq!(cells.len(), 163);
    // Each cell's account and ansvar map back to its own line through the plan's mapping.
    for cell in &cells {
        match plan
            .ledger
            .classify(&cell.account, cell.ansvar.as_deref(), None)
        {
            Classification::Operating { table, line, .. } => assert_eq!(
                BudgetLineRef::Operating {
                    table: table.clone(),
                    line: line.clone()
                },
                cell.line
            ),
            other => panic!("{cell:?} maps to {other:?}"),
        }
    }
    // The sums per line are the plan's, and the total is the summary table's 247 000 tkr.
    let sums = sums_by_line(&cells);
    for table in plan.budget.operating.iter().filter(|t| !t.summary) {
        for row in table
            .rows
            .iter()
            .filter(|r| r.kind == styr_domain::budget::RowKind::Line)
        {
            let line = BudgetLineRef::Operating {
                table: table.id.clone(),
                line: row.id.clone(),
            };
            let planned = row.amounts[&2021];
            assert_eq!(
                sums.get(&line).copied().unwrap_or(Money::from_ore(0)),
                planned,
                "{line}"
            );
        }
    }
    let summary = plan.budget.operating_table("sammanstallning").unwrap();
    assert_eq!(
        sums.values().copied().sum::<Money>(),
        summary.sum(2021).unwrap()
    );
    assert_eq!(summary.sum(2021), Some(tkr(247_000)));
    // Partistöd follows its profile (January and July), the brand fee its quarters.
    let months = |id: &str| -> BTreeMap<u8, Money> {
        cells
            .iter()
            .filter(|c| c.line.to_string() == id)
            .map(|c| (c.month, c.amount))
            .collect()
    };
    assert_eq!(
        months("op.fortroende.partistod"),
        BTreeMap::from([(1, tkr(1774)), (7, tkr(1774))])
    );
    assert_eq!(months("op.gemensamma.brand").len(), 4);
    assert_eq!(months("op.ksf.ksf").len(), 12);
    let ksf = cells
        .iter()
        .find(|c| c.line.to_string() == "op.ksf.ksf")
        .unwrap();
    assert_eq!(
        (ksf.account.as_str(), ksf.ansvar.as_deref()),
        ("7999", Some("1100"))
    );
}

#[test]
fn a_net_account_outside_the_rules_is_refused_by_line() {
    let plan = example();
    let problems = monthly_budget(&plan, 2021, "8999").unwrap_err();
    // The eleven lines on the range 3–7; the lines on their own accounts are fine.
    assert_eq!(problems.len(), 11);
    assert_eq!(problems[0].line.to_string(), "op.fortroende.reserv");
    assert_eq!(
        problems[0].message,
        "nettobudgetkontot 8999 ligger utanför regelns konton 3–7"
    );
}

#[test]
fn open_data_rows_carry_phase_direction_and_classifications() {
    let plan = example();
    let data = fiscal_data(&plan);
    assert_eq!(data.phase, Phase::Proposed);
    assert_eq!(data.years, vec![2021, 2022]);
    let sum = |budget: &str, year: i32, direction: FiscalDirection| -> Money {
        data.rows
            .iter()
            .filter(|r| r.budget == budget && r.year == year)
            .filter_map(|r| r.amount(direction))
            .sum()
    };
    assert_eq!(
        sum("operating", 2021, FiscalDirection::Expenditure),
        tkr(247_000)
    );
    assert_eq!(sum("operating", 2021, FiscalDirection::Revenue), tkr(0));
    assert_eq!(
        sum("investment", 2021, FiscalDirection::Expenditure),
        plan.budget.investment.sum(2021).unwrap()
    );
    let ksf = data.rows.iter().find(|r| r.line == "op.ksf.ksf").unwrap();
    assert_eq!(ksf.administrative_code, "ks.ksf");
    assert_eq!(ksf.economic_code, None);
    let brand = data
        .rows
        .iter()
        .find(|r| r.line == "op.gemensamma.brand")
        .unwrap();
    assert_eq!(brand.economic_code.as_deref(), Some("69810"));
    assert_eq!(brand.administrative_code, "ks");
    let internal_interest = data
        .rows
        .iter()
        .find(|r| r.line == "fin.internranta" && r.year == 2021)
        .unwrap();
    assert_eq!(internal_interest.revenue, Some(tkr(32_000)));
    assert_eq!(internal_interest.expenditure, Some(tkr(9_000)));
    let taxes = data
        .rows
        .iter()
        .find(|r| r.line == "fin.skatter" && r.year == 2021)
        .unwrap();
    assert_eq!(
        (taxes.expenditure, taxes.revenue),
        (None, Some(tkr(5_303_000)))
    );
}
