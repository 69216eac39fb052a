//! Every figure of the municipality's reports traced (issue 24, item 3): with a base URL each
//! figure of the municipal report's driftredovisning per nämnd (ram, budget år, utfall ack and
//! their totals), of its companies' and koncern's tables, and each outcome of the
//! resultaträkning, balansräkning, kassaflödesanalys and balanskravsutredning is a link to its
//! trace under `/spar/`; without one the figures are the same text with no link.

use crate::statements::report;
use styr_docgen::compose_municipal_report;
use styr_docgen::model::{Block, Cell, Document, Inline, Table};
use styr_docgen::statements::compose_statements;
use styr_docgen::trace::link_traces;
use styr_domain::Plan;
use styr_domain::followup::default_calendar;
use styr_domain::ledger::Month;
use styr_reports::municipal::{BodyData, Progress, overview};
use styr_reports::{LedgerData, PeriodReport, RowKind, budget_vs_actual, period_report};

const BASE: &str = "https://styr.example.se";

fn august() -> Month {
    Month::parse("2021-08").unwrap()
}

fn package(name: &str) -> Plan {
    let dir = crate::example_dir().join(format!("../haninge-{name}-2021"));
    let mut plan = styr_package::read_dir(&dir).unwrap_or_else(|d| panic!("{name}: {d:?}"));
    if plan.periods.is_empty() {
        plan.periods = default_calendar(2021);
    }
    plan
}

fn august_report(plan: &Plan) -> Option<PeriodReport> {
    let period = plan.periods.iter().find(|p| p.month == august())?.clone();
    let economy = budget_vs_actual(
        plan,
        august(),
        LedgerData {
            actual: &[],
            budget: &[],
            forecasts: &[],
        },
    );
    Some(period_report(plan, &plan.periods, &period, &[], economy))
}

/// The example municipality's report of August 2021 (KF, BUN, SN and the company).
fn municipal_document() -> Document {
    let plans: Vec<Plan> = ["kf", "bun", "son", "bostader"]
        .into_iter()
        .map(package)
        .collect();
    let parts: Vec<(Plan, PeriodReport)> = plans
        .iter()
        .filter(|p| p.council.is_none() && p.company.is_none())
        .filter_map(|plan| Some((plan.clone(), august_report(plan)?)))
        .collect();
    let data: Vec<BodyData<'_>> = plans
        .iter()
        .map(|plan| {
            let report = parts
                .iter()
                .find(|(p, _)| p.document.body == plan.document.body)
                .map(|(_, r)| r);
            BodyData {
                plan,
                economy: report.and_then(|r| {
                    r.economy
                        .rows
                        .iter()
                        .find(|row| row.kind == RowKind::OperatingTotal)
                        .cloned()
                }),
                progress: Progress::NoPeriod,
                entries: Vec::new(),
                previous: None,
            }
        })
        .collect();
    let overview = overview(&plans, &data, august()).unwrap();
    assert!(overview.council.is_some() && overview.koncern.is_some());
    compose_municipal_report(&overview, &parts)
}

fn table<'a>(document: &'a Document, id: &str) -> &'a Table {
    document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .find_map(|b| match b {
            Block::Table(t) if t.id == id => Some(t),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table {id}"))
}

/// The cell's figure is a link to a trace under the base (its text unchanged), or the cell is
/// missing (–).
fn assert_linked(cell: &Cell, what: &str) -> usize {
    if cell.missing {
        return 0;
    }
    match cell.content.first() {
        Some(Inline::Link { url, content }) => {
            assert!(url.starts_with(&format!("{BASE}/spar/")), "{what}: {url}");
            assert!(!Inline::plain(content).trim().is_empty(), "{what}");
            1
        }
        other => panic!("{what}: the figure is not linked: {other:?}"),
    }
}

fn no_links(document: &Document) {
    let html = styr_docgen::render_document_html(document);
    assert!(!html.contains("/spar/"), "a link without a base");
}

#[test]
fn every_figure_of_the_municipal_reports_tables_links_to_its_trace() {
    let plain = municipal_document();
    let mut document = plain.clone();
    link_traces(&mut document, Some(BASE));
    let mut linked = 0;
    let operating = table(&document, "tab-kommun-drift");
    for (i, row) in operating.rows.iter().enumerate() {
        for column in [1, 2, 3] {
            linked += assert_linked(
                &row.cells[column],
                &format!("driftredovisning {i}:{column}"),
            );
        }
    }
    let companies = table(&document, "tab-kommun-bolag");
    for row in &companies.rows {
        for column in [1, 2, 3] {
            linked += assert_linked(&row.cells[column], "bolag");
        }
    }
    let koncern = table(&document, "tab-kommun-koncern");
    for row in &koncern.rows {
        linked += assert_linked(&row.cells[1], "koncern");
    }
    assert!(linked >= 12, "{linked} figures linked");
    // KF's frames link to KF's decided plan; the total to the rows it sums.
    let html = styr_docgen::render_document_html(&document);
    assert!(html.contains(&format!("{BASE}/spar/plan/kf_2021_decided/ram/bun/2021")));
    assert!(html.contains(&format!("{BASE}/spar/kommun/2021-08/summa/ramar")));
    assert!(html.contains(&format!(
        "{BASE}/spar/plan/kf_2021_decided/kf/resultat/2021"
    )));
    // Without a base: the same figures, no links.
    let mut unlinked = plain;
    link_traces(&mut unlinked, None);
    no_links(&unlinked);
    let text = |d: &Document| Inline::plain(&table(d, "tab-kommun-drift").rows[0].cells[1].content);
    assert_eq!(text(&unlinked), text(&document));
}

#[test]
fn every_outcome_of_the_statements_links_to_its_trace() {
    let report = report(250_000);
    let plain = compose_statements(&report);
    let mut document = plain.clone();
    link_traces(&mut document, Some(BASE));
    let mut linked = 0;
    for id in [
        "resultatrakning_tabell",
        "balansrakning_tabell",
        "kassaflodesanalys_tabell",
        "balanskravsutredning_tabell",
    ] {
        for (i, row) in table(&document, id).rows.iter().enumerate() {
            // Group headings have one cell; the outcome is the first figure.
            if let Some(cell) = row.cells.get(1) {
                linked += assert_linked(cell, &format!("{id} {i}"));
            }
        }
    }
    let lines = report.result.len() + report.balance.len() + report.cash_flow.len();
    assert_eq!(linked, lines + report.balance_requirement.rows.len());
    let html = styr_docgen::render_document_html(&document);
    assert!(html.contains(&format!(
        "{BASE}/spar/kommun/2021-12/rakenskaper/rr.arets_resultat"
    )));
    assert!(html.contains(&format!(
        "{BASE}/spar/kommun/2021-12/balanskrav/balanskravsresultat"
    )));
    let mut unlinked = plain;
    link_traces(&mut unlinked, None);
    no_links(&unlinked);
}
