//! The financial statements (issue 22) from a small, hand-written SIE file
//! (tests/data/statements-small-2021.se) imported as a bokslut file, through KF's Kommun-Bas
//! mapping of the example (examples/haninge-kf-2021/redovisning/kommunbas.csv), on both
//! databases.
//!
//! The file, in kr (ledger sign: debit +):
//!   2020 (year −1): #IB −1 1110 1 000 000, 1930 200 000, 2010 −700 000, 2310 −500 000;
//!     #RES −1 5110 250 000, 6810 20 000, 8010 −300 000 (årets resultat 2020 = 30 000);
//!     #UB −1 1110 980 000, 1930 250 000, 2010 −700 000, 2310 −500 000.
//!   2021: #IB 0 = #UB −1 with 2020's result in 2010 (−730 000). Vouchers:
//!     1 Jan  skatt          1930 +400 000 / 8010 −400 000
//!     2 Feb  avgifter       1510 +60 000  / 3110 −60 000
//!     3 Mar  löner          5110 +300 000 / 1930 −300 000
//!     4 May  upplupna löner 5110 +40 000  / 2440 −40 000
//!     5 Jun  försäljning    1930 +100 000 / 1110 −70 000 / 3710 −30 000 (realisationsvinst)
//!     6 Jul  investering    1110 +200 000 / 1930 −200 000
//!     7 Sep  nytt lån       1930 +150 000 / 2310 −150 000
//!     8 Oct  ränta          8510 +10 000  / 1930 −10 000
//!     9 Dec  avskrivning    6810 +25 000  / 1110 −25 000
//!
//! By hand, the whole year 2021 (report sign):
//!   RR: intäkter 60 000 + 30 000 = 90 000; kostnader −340 000; avskrivningar −25 000;
//!     nettokostnader −275 000; skatteintäkter 400 000; verksamhetens resultat 125 000;
//!     finansiella kostnader −10 000; årets resultat 115 000. Previous year: kostnader
//!     −250 000, avskrivningar −20 000, skatt 300 000, årets resultat 30 000.
//!   BR: mark och byggnader 980 000 − 70 000 + 200 000 − 25 000 = 1 085 000; fordringar
//!     60 000; kassa 390 000; summa tillgångar 1 535 000. Eget kapital 730 000 + 115 000 =
//!     845 000; långfristiga skulder 650 000; kortfristiga 40 000; summa 1 535 000.
//!     Previous year: 980 000 + 250 000 = 1 230 000 = 700 000 + 30 000 + 500 000.
//!   KFA: löpande 115 000 + 25 000 − 30 000 − 60 000 + 40 000 = 90 000; investering
//!     −105 000 − 25 000 + 30 000 = −100 000; finansiering 150 000; årets kassaflöde 140 000 =
//!     390 000 − 250 000. Previous year: 30 000 + 20 000 = 50 000; investering 20 000 − 20 000
//!     = 0; 50 000 = 250 000 − 200 000.
//!   Balanskrav: 115 000 − 30 000 = 85 000.
//! Through August (vouchers 1–6): RR intäkter 90 000, kostnader −340 000, avskrivningar 0,
//!   skatt 400 000, årets resultat 150 000; BR byggnader 1 110 000, fordringar 60 000, kassa
//!   250 000 (summa 1 420 000 = 880 000 + 500 000 + 40 000); KFA löpande 150 000 − 30 000 −
//!   60 000 + 40 000 = 100 000, investering −130 000 + 30 000 = −100 000, kassaflöde 0.

use crate::db::TestDb;
use crate::{admin, all, example_dir};
use std::path::{Path, PathBuf};
use styr_app::{ActualsOptions, App, AppError, NoProgress, PlanSelector};
use styr_domain::statements::{BalanceItem, BalanceItemKind};
use styr_domain::{Money, Month, Plan};
use styr_reports::statements::StatementsReport;

fn small_file() -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/statements-small-2021.se"),
    )
    .unwrap()
}

fn kf_dir() -> PathBuf {
    example_dir().join("../haninge-kf-2021")
}

/// KF's example plan with the balanskrav data given instead of the example's.
fn kf_plan(items: &[(i32, BalanceItemKind, i64)]) -> Plan {
    let mut plan = styr_package::read_dir(&kf_dir()).unwrap();
    plan.statements.balance_items = items
        .iter()
        .map(|(year, kind, tkr)| BalanceItem {
            year: *year,
            kind: *kind,
            amount: Money::from_tkr(*tkr).unwrap(),
            note: None,
            at: Default::default(),
        })
        .collect();
    plan
}

fn kr(n: i64) -> Money {
    Money::from_kr(n).unwrap()
}

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

fn bokslut() -> ActualsOptions {
    ActualsOptions {
        statements: true,
        ..ActualsOptions::default()
    }
}

/// KF's plan and `text` imported as the bokslut file `name`.
async fn with_file(
    db: &TestDb,
    plan: &Plan,
    name: &str,
    text: &str,
) -> (App, Result<styr_app::ActualsImported, AppError>) {
    let app = App::open(&db.url).await.expect("open");
    app.import_plan(&admin(), plan).await.unwrap();
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join(name);
    std::fs::write(&path, text).unwrap();
    let imported = app
        .import_actuals_with(&admin(), &all(), &path, bokslut(), &mut NoProgress)
        .await;
    (app, imported)
}

async fn statements_of(db: &TestDb, text: &str, through: &str) -> StatementsReport {
    let (app, imported) = with_file(db, &kf_plan(&[]), "small.se", text).await;
    imported.unwrap();
    let report = app
        .financial_statements(&admin(), None, month(through))
        .await
        .unwrap();
    app.close().await;
    report
}

fn outcome(report: &StatementsReport, id: &str) -> Money {
    report
        .row(id)
        .unwrap_or_else(|| panic!("no row {id}"))
        .outcome
}

fn previous(report: &StatementsReport, id: &str) -> Option<Money> {
    report.row(id).unwrap().previous
}

fn finding_ids(report: &StatementsReport) -> Vec<&str> {
    report.findings.iter().map(|f| f.id.as_str()).collect()
}

async fn the_statements_of_a_small_file_match_the_hand_computation(db: &TestDb) {
    let report = statements_of(db, &small_file(), "2021-12").await;
    assert!(report.annual);
    assert_eq!(finding_ids(&report), Vec::<&str>::new());
    for (id, now, before) in [
        ("rr.intakter", 90_000, 0),
        ("rr.kostnader", -340_000, -250_000),
        ("rr.avskrivningar", -25_000, -20_000),
        ("rr.nettokostnader", -275_000, -270_000),
        ("rr.skatteintakter", 400_000, 300_000),
        ("rr.verksamhetens_resultat", 125_000, 30_000),
        ("rr.finansiella_kostnader", -10_000, 0),
        ("rr.arets_resultat", 115_000, 30_000),
        ("br.t.mark_byggnader", 1_085_000, 980_000),
        ("br.t.fordringar", 60_000, 0),
        ("br.t.kassa", 390_000, 250_000),
        ("br.t.summa", 1_535_000, 1_230_000),
        ("br.ek.arets_resultat", 115_000, 30_000),
        ("br.ek.ovrigt", 730_000, 700_000),
        ("br.ek.summa", 845_000, 730_000),
        ("br.s.langfristiga", 650_000, 500_000),
        ("br.s.kortfristiga", 40_000, 0),
        ("br.eks.summa", 1_535_000, 1_230_000),
        ("kfa.lopande", 90_000, 50_000),
        ("kfa.realisationsvinster", -30_000, 0),
        ("kfa.nettoinvesteringar", -100_000, 0),
        ("kfa.investering", -100_000, 0),
        ("kfa.finansiering", 150_000, 0),
        ("kfa.arets_kassaflode", 140_000, 50_000),
        ("kfa.likvida_borjan", 250_000, 200_000),
        ("kfa.likvida_slut", 390_000, 250_000),
    ] {
        assert_eq!(outcome(&report, id), kr(now), "{id}");
        assert_eq!(previous(&report, id), Some(kr(before)), "{id} previous");
    }
    // The budget column: KF's council budget and the example's redovisning/budget.csv (tkr).
    let budget = |id: &str| report.row(id).unwrap().budget;
    assert_eq!(budget("rr.skatteintakter"), Money::from_tkr(4_350_000));
    assert_eq!(budget("rr.nettokostnader"), Money::from_tkr(-5_168_000));
    assert_eq!(budget("rr.arets_resultat"), Money::from_tkr(107_000));
    assert_eq!(report.balance_requirement.result, kr(85_000));
}

async fn the_interim_statements_read_through_the_month(db: &TestDb) {
    let report = statements_of(db, &small_file(), "2021-08").await;
    assert!(!report.annual);
    assert_eq!(finding_ids(&report), Vec::<&str>::new());
    for (id, now) in [
        ("rr.intakter", 90_000),
        ("rr.kostnader", -340_000),
        ("rr.avskrivningar", 0),
        ("rr.arets_resultat", 150_000),
        ("br.t.mark_byggnader", 1_110_000),
        ("br.t.kassa", 250_000),
        ("br.t.summa", 1_420_000),
        ("br.eks.summa", 1_420_000),
        ("kfa.lopande", 100_000),
        ("kfa.investering", -100_000),
        ("kfa.arets_kassaflode", 0),
    ] {
        assert_eq!(outcome(&report, id), kr(now), "{id}");
    }
}

async fn a_balance_sheet_that_does_not_balance_is_reported_with_the_difference(db: &TestDb) {
    // The opening bank balance 10 000 too high: the year's BR is out by the same.
    let text = small_file().replace("#IB 0 1930 250000.00", "#IB 0 1930 260000.00");
    let report = statements_of(db, &text, "2021-12").await;
    let unbalanced = report
        .findings
        .iter()
        .find(|f| f.id == "statements.unbalanced")
        .expect("the unbalanced BR is reported");
    assert!(
        unbalanced.message.contains("skillnad 10 000"),
        "{unbalanced:?}"
    );
    assert!(finding_ids(&report).contains(&"statements.opening_unbalanced"));
    assert_eq!(
        outcome(&report, "br.t.summa") - outcome(&report, "br.eks.summa"),
        kr(10_000)
    );
}

async fn a_cash_flow_that_does_not_tie_is_reported(db: &TestDb) {
    // 5 000 paid straight out of eget kapital: BR still balances, but the cash flow (which
    // knows no equity movement beside the result) no longer ties to the bank.
    let text = small_file()
        .replace("#UB 0 1930 390000.00", "#UB 0 1930 385000.00")
        .replace("#UB 0 2010 -730000.00", "#UB 0 2010 -725000.00")
        + "#VER \"A\" \"10\" 20211231 \"Rattelse mot eget kapital\"\r\n{\r\n\
           #TRANS 2010 {} 5000.00\r\n#TRANS 1930 {} -5000.00\r\n}\r\n";
    let report = statements_of(db, &text, "2021-12").await;
    assert_eq!(finding_ids(&report), vec!["statements.cash_flow"]);
    assert!(report.findings[0].message.contains("skillnad 5 000"));
    assert_eq!(
        outcome(&report, "br.t.summa"),
        outcome(&report, "br.eks.summa")
    );
}

async fn a_closing_balance_that_differs_from_the_movements_is_reported(db: &TestDb) {
    let text = small_file().replace("#UB 0 1930 390000.00", "#UB 0 1930 391000.00");
    let (app, imported) = with_file(db, &kf_plan(&[]), "small.se", &text).await;
    imported.unwrap();
    let report = app
        .financial_statements(&admin(), None, month("2021-12"))
        .await
        .unwrap();
    assert_eq!(finding_ids(&report), vec!["statements.ub.1930"]);
    assert!(report.findings[0].message.contains("skillnad 1 000"));
    // A delårsrapport does not compare: the year has not ended.
    let report = app
        .financial_statements(&admin(), None, month("2021-08"))
        .await
        .unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    app.close().await;
}

async fn an_unmapped_account_refuses_the_bokslut_file(db: &TestDb) {
    let text = small_file().replace(
        "#KONTO 8510 \"Rantekostnader\"",
        "#KONTO 8510 \"Rantekostnader\"\r\n#KONTO 9100 \"Interna poster\"",
    ) + "#VER \"A\" \"10\" 20211231 \"Internt\"\r\n{\r\n\
         #TRANS 9100 {} 1000.00\r\n#TRANS 1930 {} -1000.00\r\n}\r\n";
    let (app, imported) = with_file(db, &kf_plan(&[]), "okand.se", &text).await;
    let AppError::Invalid(problems) = imported.unwrap_err() else {
        panic!("expected Invalid");
    };
    let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{problems:?}");
    // Line 23 is #KONTO 9100.
    assert!(problems[0].contains("okand.se:23: konto"), "{problems:?}");
    assert!(problems[0].contains("kontot 9100"), "{problems:?}");
    // An account booked in and out again (zero for the year, not for a period) is refused too.
    let text = small_file().replace(
        "#KONTO 8510 \"Rantekostnader\"",
        "#KONTO 8510 \"Rantekostnader\"\r\n#KONTO 9100 \"Interna poster\"",
    ) + "#VER \"A\" \"10\" 20210331 \"Internt\"\r\n{\r\n\
         #TRANS 9100 {} 1000.00\r\n#TRANS 1930 {} -1000.00\r\n}\r\n\
         #VER \"A\" \"11\" 20211231 \"Internt tillbaka\"\r\n{\r\n\
         #TRANS 9100 {} -1000.00\r\n#TRANS 1930 {} 1000.00\r\n}\r\n";
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("in-och-ut.se");
    std::fs::write(&path, &text).unwrap();
    let AppError::Invalid(problems) = app
        .import_actuals_with(&admin(), &all(), &path, bokslut(), &mut NoProgress)
        .await
        .unwrap_err()
    else {
        panic!("expected Invalid");
    };
    assert!(
        problems[0].to_string().contains("in-och-ut.se:23: konto"),
        "{problems:?}"
    );
    // Nothing stored.
    assert!(matches!(
        app.financial_statements(&admin(), None, month("2021-12"))
            .await
            .unwrap_err(),
        AppError::NotFound(_)
    ));
    app.close().await;
}

async fn the_balance_requirement_follows_the_three_year_rule(db: &TestDb) {
    use BalanceItemKind::{RurReservation, StatedResult};
    // 115 000 − 30 000 (realisationsvinst) − 0 (reservation) = 85 000 kr; the data states
    // 86 tkr for 2021 (a finding naming both) and a deficit of 2017 not restored by 2020.
    let plan = kf_plan(&[
        (2017, StatedResult, -50),
        (2018, StatedResult, 10),
        (2019, StatedResult, 10),
        (2020, StatedResult, 10),
        (2021, RurReservation, 0),
        (2021, StatedResult, 86),
    ]);
    let (app, imported) = with_file(db, &plan, "small.se", &small_file()).await;
    imported.unwrap();
    let report = app
        .financial_statements(&admin(), None, month("2021-12"))
        .await
        .unwrap();
    let requirement = &report.balance_requirement;
    assert_eq!(requirement.result, kr(85_000));
    assert_eq!(requirement.stated, Money::from_tkr(86));
    let labels: Vec<(&str, Money)> = requirement
        .rows
        .iter()
        .map(|r| (r.label.as_str(), r.amount))
        .collect();
    assert_eq!(
        labels[0],
        ("Årets resultat enligt resultaträkningen", kr(115_000))
    );
    assert_eq!(
        labels[1],
        ("Samtliga realisationsvinster (avgår)", kr(-30_000))
    );
    // 2017's deficit of 50 tkr: 30 restored by 2020, 20 left after its deadline.
    let deficit = &requirement.deficits[0];
    assert_eq!((deficit.year, deficit.deadline), (2017, 2020));
    assert_eq!(deficit.remaining, Money::from_tkr(-20).unwrap());
    assert!(deficit.overdue);
    let ids = finding_ids(&report);
    assert!(
        ids.contains(&"statements.balance_requirement.deficit.2017"),
        "{ids:?}"
    );
    assert!(
        ids.contains(&"statements.balance_requirement.stated"),
        "{ids:?}"
    );
    app.close().await;
}

/// The example's bokslut file: every statement renders, BR balances, the cash flow ties, the
/// balanskravsresultat is the one the data states; and KS's budget vs actual is the same
/// before and after it is imported (a bokslut file is not a follow-up file).
async fn the_example_bokslut_file_leaves_ks_reports_alone(db: &TestDb) {
    let app = App::open(&db.url).await.expect("open");
    for name in ["kf", "ks"] {
        let plan =
            styr_package::read_dir(&example_dir().join(format!("../haninge-{name}-2021"))).unwrap();
        app.import_plan(&admin(), &plan).await.unwrap();
    }
    let ks = PlanSelector {
        body: Some("ks".into()),
        ..PlanSelector::default()
    };
    let kf = PlanSelector {
        body: Some("kf".into()),
        ..PlanSelector::default()
    };
    app.import_actuals(
        &admin(),
        &ks,
        &example_dir().join("ledger/ks-2021.se"),
        &mut NoProgress,
    )
    .await
    .unwrap();
    let before = app
        .budget_vs_actual(&admin(), &ks, month("2021-08"))
        .await
        .unwrap();
    let imported = app
        .import_actuals_with(
            &admin(),
            &kf,
            &kf_dir().join("ledger/kommun-2021.se"),
            bokslut(),
            &mut NoProgress,
        )
        .await
        .unwrap();
    assert_eq!(imported.company, "212000-0000 (bokslut)");
    assert!(imported.mapping.unmapped.is_empty());
    let after = app
        .budget_vs_actual(&admin(), &ks, month("2021-08"))
        .await
        .unwrap();
    assert_eq!(after.report, before.report);
    assert_eq!(after.sources, before.sources);
    assert_eq!(
        after.sources,
        vec!["ks-2021.se (212000-0000, 2021-01-01..2021-12-31)"]
    );

    let report = app
        .financial_statements(&admin(), None, month("2021-12"))
        .await
        .unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // The bokslut file did not replace KS's (same #ORGNR and year): both are stored.
    assert_eq!(
        report.sources,
        vec!["kommun-2021.se (212000-0000 (bokslut), 2021-01-01..2021-12-31)"]
    );
    let tkr = |n| Money::from_tkr(n).unwrap();
    assert_eq!(outcome(&report, "rr.arets_resultat"), tkr(83_000));
    assert_eq!(previous(&report, "rr.arets_resultat"), Some(tkr(112_000)));
    assert_eq!(outcome(&report, "kfa.arets_kassaflode"), tkr(98_000));
    assert_eq!(outcome(&report, "br.t.kassa"), tkr(513_000));
    assert_eq!(report.balance_requirement.result, tkr(58_000));
    assert_eq!(report.balance_requirement.stated, Some(tkr(58_000)));
    app.close().await;
}

/// The previous year's bokslut file (2020) of the small file's municipality: #IB 0 as the small
/// file's #IB −1; tax in February (300 000), wages in April (250 000), depreciation in
/// December (20 000). Through August 2020: skatt 300 000, kostnader −250 000, årets resultat
/// 50 000; kassa 200 000 → 250 000, kassaflöde 50 000.
fn previous_year_file() -> String {
    [
        "#FLAGGA 0",
        "#PROGRAM \"handskriven\" \"1\"",
        "#SIETYP 4",
        "#PROSA \"SYNTETISK testfil 2020\"",
        "#ORGNR \"212000-0000\"",
        "#RAR 0 20200101 20201231",
        "#KONTO 1110 \"Byggnader\"",
        "#KONTO 1930 \"Bank\"",
        "#KONTO 2010 \"Eget kapital\"",
        "#KONTO 2310 \"Lan\"",
        "#KONTO 5110 \"Loner\"",
        "#KONTO 6810 \"Avskrivningar\"",
        "#KONTO 8010 \"Skatteintakter\"",
        "#IB 0 1110 1000000.00",
        "#IB 0 1930 200000.00",
        "#IB 0 2010 -700000.00",
        "#IB 0 2310 -500000.00",
        "#VER \"A\" \"1\" 20200215 \"Skatt\"",
        "{",
        "#TRANS 1930 {} 300000.00",
        "#TRANS 8010 {} -300000.00",
        "}",
        "#VER \"A\" \"2\" 20200425 \"Loner\"",
        "{",
        "#TRANS 5110 {} 250000.00",
        "#TRANS 1930 {} -250000.00",
        "}",
        "#VER \"A\" \"3\" 20201231 \"Avskrivningar\"",
        "{",
        "#TRANS 6810 {} 20000.00",
        "#TRANS 1110 {} -20000.00",
        "}",
    ]
    .join("\r\n")
        + "\r\n"
}

async fn an_interim_report_compares_with_the_previous_years_same_period(db: &TestDb) {
    let (app, imported) = with_file(db, &kf_plan(&[]), "small.se", &small_file()).await;
    imported.unwrap();
    // Without the previous year's file: its whole year (#RES −1).
    let report = app
        .financial_statements(&admin(), None, month("2021-08"))
        .await
        .unwrap();
    assert!(!report.previous_same_period);
    assert_eq!(previous(&report, "rr.arets_resultat"), Some(kr(30_000)));
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("kommun-2020.se");
    std::fs::write(&path, previous_year_file()).unwrap();
    app.import_actuals_with(&admin(), &all(), &path, bokslut(), &mut NoProgress)
        .await
        .unwrap();
    let report = app
        .financial_statements(&admin(), None, month("2021-08"))
        .await
        .unwrap();
    assert!(report.previous_same_period);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    for (id, before) in [
        ("rr.kostnader", -250_000),
        ("rr.avskrivningar", 0),
        ("rr.skatteintakter", 300_000),
        ("rr.arets_resultat", 50_000),
        ("kfa.lopande", 50_000),
        ("kfa.arets_kassaflode", 50_000),
        ("kfa.likvida_borjan", 200_000),
        ("kfa.likvida_slut", 250_000),
        // BR's previous column stays the previous year-end, with its whole year's result.
        ("br.t.kassa", 250_000),
        ("br.ek.arets_resultat", 30_000),
        ("br.eks.summa", 1_230_000),
    ] {
        assert_eq!(previous(&report, id), Some(kr(before)), "{id}");
    }
    // The annual report keeps #RES −1.
    let report = app
        .financial_statements(&admin(), None, month("2021-12"))
        .await
        .unwrap();
    assert!(!report.previous_same_period);
    assert_eq!(previous(&report, "rr.arets_resultat"), Some(kr(30_000)));
    app.close().await;
}

crate::on_both_backends!(
    an_interim_report_compares_with_the_previous_years_same_period,
    the_statements_of_a_small_file_match_the_hand_computation,
    the_interim_statements_read_through_the_month,
    a_balance_sheet_that_does_not_balance_is_reported_with_the_difference,
    a_cash_flow_that_does_not_tie_is_reported,
    a_closing_balance_that_differs_from_the_movements_is_reported,
    an_unmapped_account_refuses_the_bokslut_file,
    the_balance_requirement_follows_the_three_year_rule,
    the_example_bokslut_file_leaves_ks_reports_alone,
);
