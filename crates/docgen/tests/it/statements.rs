//! The financial statements' document sections (issue 22): RR, BR and KFA with outcome,
//! budget and previous year, the balanskravsutredning with its rule, and the findings as
//! visible notes — checked in the HTML of a document holding them.
//!
//! The ledger is the small file of the app's golden test (crates/app/tests/data/
//! statements-small-2021.se) given as stored balances and movements; its figures are
//! computed by hand there (årets resultat 115 000 kr, summa tillgångar 1 535 000 kr, årets
//! kassaflöde 140 000 kr, balanskravsresultat 85 000 kr).

use styr_docgen::model::{Block, Document, DocumentKind};
use styr_docgen::render_document_html;
use styr_docgen::statements::{
    balance_requirement_section, compose_statements, statement_sections,
};
use styr_domain::statements::{AccountBalance, AccountMovement, BalanceKind, StatementLedger};
use styr_domain::{Money, Month, Plan};
use styr_reports::statements::{StatementsReport, statements};

fn kf() -> Plan {
    let dir = crate::example_dir().join("../haninge-kf-2021");
    let mut plan = styr_package::read_dir(&dir).expect("KF's example reads");
    plan.statements.balance_items.clear();
    plan
}

fn ledger(opening_bank: i64) -> StatementLedger {
    let b = |kind, year, account: &str, kr: i64| AccountBalance {
        kind,
        year,
        account: account.into(),
        amount: Money::from_kr(kr).unwrap(),
    };
    let m = |account: &str, month: &str, kr: i64| AccountMovement {
        account: account.into(),
        month: Month::parse(month).unwrap(),
        amount: Money::from_kr(kr).unwrap(),
    };
    use BalanceKind::{Closing, Opening, Result};
    StatementLedger {
        company: "212000-0000 (bokslut)".into(),
        fiscal_year: "2021-01-01..2021-12-31".into(),
        file_name: "small.se".into(),
        balances: vec![
            b(Opening, -1, "1110", 1_000_000),
            b(Opening, -1, "1930", 200_000),
            b(Opening, -1, "2010", -700_000),
            b(Opening, -1, "2310", -500_000),
            b(Closing, -1, "1110", 980_000),
            b(Closing, -1, "1930", 250_000),
            b(Closing, -1, "2010", -700_000),
            b(Closing, -1, "2310", -500_000),
            b(Result, -1, "5110", 250_000),
            b(Result, -1, "6810", 20_000),
            b(Result, -1, "8010", -300_000),
            b(Opening, 0, "1110", 980_000),
            b(Opening, 0, "1930", opening_bank),
            b(Opening, 0, "2010", -730_000),
            b(Opening, 0, "2310", -500_000),
        ],
        movements: vec![
            m("1110", "2021-06", -70_000),
            m("1110", "2021-07", 200_000),
            m("1110", "2021-12", -25_000),
            m("1510", "2021-02", 60_000),
            m("1930", "2021-01", 400_000),
            m("1930", "2021-03", -300_000),
            m("1930", "2021-06", 100_000),
            m("1930", "2021-07", -200_000),
            m("1930", "2021-09", 150_000),
            m("1930", "2021-10", -10_000),
            m("2310", "2021-09", -150_000),
            m("2440", "2021-05", -40_000),
            m("3110", "2021-02", -60_000),
            m("3710", "2021-06", -30_000),
            m("5110", "2021-03", 300_000),
            m("5110", "2021-05", 40_000),
            m("6810", "2021-12", 25_000),
            m("8010", "2021-01", -400_000),
            m("8510", "2021-10", 10_000),
        ],
    }
}

pub(crate) fn report(opening_bank: i64) -> StatementsReport {
    statements(
        &kf(),
        &[ledger(opening_bank)],
        Month::parse("2021-12").unwrap(),
    )
}

fn html_of(report: &StatementsReport) -> String {
    let mut sections = statement_sections(report);
    sections.push(balance_requirement_section(report));
    render_document_html(&Document {
        kind: DocumentKind::FollowUp,
        title: "Årsredovisning 2021".into(),
        subtitle: None,
        municipality: "Haninge kommun".into(),
        body: "Kommunfullmäktige".into(),
        cover_lines: Vec::new(),
        sections,
    })
}

#[test]
fn the_sections_hold_every_statement_with_its_columns_and_sums() {
    let report = report(250_000);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let sections = statement_sections(&report);
    let ids: Vec<&str> = sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        ["resultatrakning", "balansrakning", "kassaflodesanalys"]
    );
    let html = html_of(&report);
    for text in [
        "Resultaträkning",
        "Verksamhetens nettokostnader",
        "Resultat efter finansiella poster",
        "Budget 2021",
        "Utfall 2020",
        "Balansräkning",
        "SUMMA TILLGÅNGAR",
        "1\u{a0}535",
        "SUMMA EGET KAPITAL, AVSÄTTNINGAR OCH SKULDER",
        "Kassaflödesanalys",
        "Kassaflöde från den löpande verksamheten",
        "Likvida medel vid periodens slut",
        "Balanskravsutredning",
        "Samtliga realisationsvinster (avgår)",
        "11 kap. 12 § kommunallagen",
        "Syntetiska exempeldata",
    ] {
        assert!(html.contains(text), "the HTML lacks {text:?}");
    }
    // Årets resultat 115 tkr (2020: 30), the budget's 107 000 tkr; kassaflöde 140 tkr.
    assert!(html.contains(">115<"), "årets resultat");
    assert!(html.contains(">107\u{a0}000<"), "KF's budgeted result");
    assert!(html.contains(">140<"), "årets kassaflöde");
    assert!(html.contains(">85<"), "balanskravsresultat");
    assert!(!html.contains("Avvikelse:"));
}

#[test]
fn an_unbalanced_balance_sheet_is_a_visible_note_naming_the_difference() {
    let report = report(260_000);
    let sections = statement_sections(&report);
    let notes: Vec<String> = sections[1]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Notice(runs) => Some(styr_docgen::model::Inline::plain(runs)),
            _ => None,
        })
        .collect();
    assert!(
        notes
            .iter()
            .any(|n| n.contains("balansräkningen balanserar inte") && n.contains("10 000")),
        "{notes:?}"
    );
    assert!(html_of(&report).contains("Avvikelse:"));
    // The whole document of the statements renders too.
    let document = compose_statements(&report);
    assert_eq!(document.sections.len(), 4);
    assert!(render_document_html(&document).contains("Finansiella rapporter 2021"));
}

/// The sections in a PDF (typst): every statement's sums and the balanskravsresultat are in
/// its text, the unbalanced BR's note too.
#[cfg(feature = "pdf")]
#[test]
fn the_statements_render_as_pdf() {
    let report = report(260_000);
    let pdf = styr_docgen::render_document_pdf(&compose_statements(&report)).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let Some(text) = crate::pdf::pdftotext(&pdf) else {
        return;
    };
    let text = crate::pdf::squeeze(&text);
    for expected in [
        "Verksamhetensnettokostnader",
        "SUMMATILLGÅNGAR",
        "Kassaflödefråndenlöpandeverksamheten",
        "Balanskravsresultat",
        "balansräkningenbalanserarinte",
    ] {
        assert!(text.contains(expected), "the PDF lacks {expected:?}");
    }
}
