//! The statutory sections (issue 22) from values computed by hand: a small ledger of two years
//! for KS's investment, exploitation and finance follow-up, KF's anslagsförändringar, and GEH
//! figures. Each section holds the rows and figures it should, its totals the sums of its rows.

use crate::example;
use styr_docgen::accounts::{
    exploitation_finance_section, geh_section, investment_report_section,
    operating_accounts_section,
};
use styr_docgen::model::{Block, Inline, Section, Table};
use styr_domain::geh::{GehFigures, assess};
use styr_domain::ledger::{LedgerAmount, Month};
use styr_domain::{Id, Money, Plan};
use styr_reports::accounts::{EarlierLedgers, investment_accounts};
use styr_reports::accounts_ledger::{exploitation_accounts, finance_accounts};
use styr_reports::budget_vs_actual::{LedgerData, budget_vs_actual};
use styr_reports::municipal::{BodyData, Progress, overview};

fn kf() -> Plan {
    let dir = crate::example_dir().join("../haninge-kf-2021");
    styr_package::read_dir(&dir).unwrap()
}

fn august() -> Month {
    Month::parse("2021-08").unwrap()
}

fn amount(
    account: &str,
    ansvar: &str,
    project: Option<&str>,
    month: &str,
    kr: i64,
) -> LedgerAmount {
    LedgerAmount {
        account: account.to_owned(),
        ansvar: Some(ansvar.to_owned()),
        project: project.map(str::to_owned),
        month: Month::parse(month).unwrap(),
        amount: Money::from_ore(kr * 100),
        rows: 1,
    }
}

/// The small ledger: 2021 and 2020.
pub(crate) fn ledger() -> (Vec<LedgerAmount>, Vec<LedgerAmount>) {
    let this_year = vec![
        // Vattenplan 600 000 kr in April, kommunhuset 100 000 kr in May.
        amount("40310", "1900", Some("P7003"), "2021-04", 600_000),
        amount("4010", "1900", Some("P7005"), "2021-05", 100_000),
        // Albyberg 1: sold for 5 000 000 kr, 1 000 000 kr of costs.
        amount("3610", "1500", Some("E77055"), "2021-05", -5_000_000),
        amount("6421", "1500", Some("E77055"), "2021-03", 1_000_000),
        // Interest: 300 000 kr of income, 100 000 kr of cost.
        amount("8311", "1800", None, "2021-02", -300_000),
        amount("8411", "1800", None, "2021-06", 100_000),
        // After the period: not counted.
        amount("40310", "1900", Some("P7003"), "2021-09", 999_000),
        // An investment account with an exploitation object: no investment project.
        amount("4020", "1900", Some("E77055"), "2021-02", 70_000),
    ];
    let earlier = vec![
        // 2020: vattenplan 1 000 000 kr in March and 2 000 000 in November.
        amount("40310", "1900", Some("P7003"), "2020-03", 1_000_000),
        amount("40310", "1900", Some("P7003"), "2020-11", 2_000_000),
        amount("3610", "1500", Some("E77055"), "2020-07", -4_000_000),
        amount("8311", "1800", None, "2020-01", -200_000),
    ];
    (this_year, earlier)
}

fn tables(section: &Section) -> Vec<&Table> {
    section
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn row(table: &Table, label: &str) -> Vec<String> {
    table
        .rows
        .iter()
        .find(|r| Inline::plain(&r.cells[0].content).starts_with(label))
        .unwrap_or_else(|| panic!("{label} not in {}", table.caption))
        .cells
        .iter()
        .map(|c| {
            if c.missing {
                "–".to_owned()
            } else {
                Inline::plain(&c.content).replace('\u{a0}', " ")
            }
        })
        .collect()
}

fn text(section: &Section) -> String {
    section
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(runs) => Some(Inline::plain(runs)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_investment_exploitation_and_finance_sections_hold_the_hand_computed_figures() {
    let ks = example().clone();
    let (this_year, earlier) = ledger();
    let economy = budget_vs_actual(
        &ks,
        august(),
        LedgerData {
            actual: &this_year,
            budget: &[],
            forecasts: &[],
        },
    );
    assert_eq!(economy.unmapped.len(), 1);
    assert_eq!(economy.unmapped[0].project.as_deref(), Some("E77055"));
    let ledgers = EarlierLedgers::from_amounts(&ks.ledger, &earlier, august());
    let investments = investment_accounts(&ks, &economy, &ledgers);
    let vattenplan = investments
        .rows
        .iter()
        .find(|r| r.project.as_str() == "vattenplan")
        .unwrap();
    // 19 800 tkr stated to 2019 + 3 000 tkr in 2020; 600 tkr this year; 1 000 tkr Jan–Aug 2020.
    assert_eq!(vattenplan.earlier, Some(Money::from_tkr(22_800).unwrap()));
    assert_eq!(vattenplan.year_actual, Some(Money::from_tkr(600).unwrap()));
    assert_eq!(vattenplan.to_date, Some(Money::from_tkr(23_400).unwrap()));
    assert_eq!(
        vattenplan.previous_same_period,
        Some(Money::from_tkr(1_000).unwrap())
    );
    // The forecast: 600 + the rest of the year's budget (2 500 × 4/12 left… by the profile).
    let forecast = vattenplan.year_forecast.unwrap();
    assert_eq!(
        vattenplan.forecast_total,
        Some(Money::from_tkr(22_800).unwrap() + forecast + Money::from_tkr(7_500).unwrap())
    );
    let section = investment_report_section(&[(
        Id::parse("ks").unwrap(),
        "Kommunstyrelsen".to_owned(),
        investments.clone(),
    )]);
    let found = tables(&section);
    let whole = row(found[0], "Vattenplan");
    assert_eq!(&whole[1..5], ["34 500", "22 800", "600", "23 400"]);
    let kommunhuset = row(found[0], "Investeringar i kommunhuset");
    // Reported 900 against 1 000 decided; no stated earlier outcome and no 2020 booking: 0.
    assert_eq!(
        &kommunhuset[1..],
        ["1 000", "0", "100", "100", "900", "100"]
    );
    let total = row(found[0], "Summa investeringar");
    assert_eq!(
        total[4],
        styr_docgen::format::tkr_whole(investments.total.to_date.unwrap()).replace('\u{a0}', " ")
    );
    let year = row(found[1], "Vattenplan");
    assert_eq!(&year[1..4], ["2 500", "600", "1 000"]);

    let exploitation = exploitation_accounts(&ks, august(), &this_year, &earlier);
    let finance = finance_accounts(&ks, august(), &this_year, &earlier);
    assert_eq!(
        exploitation.realisation_gains(),
        Some(Money::from_tkr(4_000).unwrap())
    );
    let section = exploitation_finance_section(
        &[(
            Id::parse("ks").unwrap(),
            "Kommunstyrelsen".to_owned(),
            exploitation,
        )],
        &[(
            Id::parse("ks").unwrap(),
            "Kommunstyrelsen".to_owned(),
            finance,
        )],
    );
    let found = tables(&section);
    // Albyberg 1: budget 50 000 / −18 000 / 32 000; outcome 5 000 / −1 000 / 4 000; 2020 4 000.
    let albyberg = row(found[0], "77055 Albyberg 1");
    assert_eq!(
        &albyberg[1..],
        [
            "50 000",
            "−18 000",
            "32 000",
            "5 000",
            "−1 000",
            "4 000",
            "−28 000",
            "4 000"
        ]
    );
    assert_eq!(row(found[0], "77025 Vallagränd")[4], "–");
    assert!(text(&section).contains("Realisationsvinster från exploateringen (summan av projektens positiva nettoutfall): 4\u{a0}000 tkr"));
    // A budget row that gives only its net: income and cost missing, not 0.
    assert_eq!(
        &row(found[1], "Skatter och generella")[1..4],
        ["–", "–", "−5 303 000"]
    );
    let finansiella = row(found[1], "Finansiella intäkter och kostnader");
    // Outcome −300 / 100 / −200 against the budget's −14 000 net: 13 800 worse; 2020: −200.
    assert_eq!(
        &finansiella[4..],
        ["−300", "100", "−200", "−13 800", "−200"]
    );
}

#[test]
fn the_driftredovisning_and_geh_sections_show_anslagsforandringar_and_both_judgements() {
    let kf = kf();
    let ks = example().clone();
    let plans = vec![kf.clone(), ks.clone()];
    let data: Vec<BodyData<'_>> = plans
        .iter()
        .map(|plan| BodyData {
            plan,
            economy: None,
            progress: Progress::NoPeriod,
            entries: Vec::new(),
            previous: None,
        })
        .collect();
    let overview = overview(&plans, &data, august()).unwrap();
    let section = operating_accounts_section(&overview);
    let found = tables(&section);
    let ks_row = row(found[0], "Kommunstyrelsen");
    assert_eq!(&ks_row[1..4], ["247 000", "2 000", "249 000"]);
    let kfn = row(found[0], "Kultur- och fritidsnämnden");
    assert_eq!(&kfn[1..4], ["180 000", "1 500", "181 500"]);
    let total = row(found[0], "Summa nämnder och styrelser");
    assert_eq!(&total[1..4], ["4 813 000", "3 500", "4 816 500"]);
    // The anslagsförändringar one by one and their sum.
    assert_eq!(found[1].rows.len(), 4);
    assert_eq!(row(found[1], "Summa anslagsförändringar")[1], "3 500");

    let council = kf.council.as_ref().unwrap();
    let figures = GehFigures {
        result: Some(Money::from_tkr(130_000).unwrap()),
        tax_and_grants: Some(Money::from_tkr(5_000_000).unwrap()),
        ..GehFigures::default()
    };
    let assessment = assess(council, august(), &figures);
    let section = geh_section(&assessment, &figures);
    let goals = &tables(&section)[0];
    assert_eq!(goals.rows.len(), 4);
    assert_eq!(row(goals, "Resultatet ska")[3], "2,6 % ≥ 2,0 %: uppfyllt");
    assert_eq!(
        row(goals, "Investeringarna ska")[3],
        "kan inte bedömas (saknas: avskrivningar, nettoinvesteringar)"
    );
    let words = text(&section);
    assert!(words.contains("Bedömning enligt målen: Delvis uppfylld."));
    assert!(words.contains("Kommunfullmäktiges bedömning: Delvis uppfylld."));
    assert!(!words.contains("skiljer sig"));
}
