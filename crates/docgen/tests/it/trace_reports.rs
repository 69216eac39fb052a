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
use styr_reports::municipal::{BodyData, MunicipalOverview, Progress, overview};
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
    let (_, overview, parts) = example_municipality();
    compose_municipal_report(&overview, &parts)
}

/// The example municipality of August 2021 (KF, BUN, SN and the company): its plans, its
/// overview and the bodies' own reports.
fn example_municipality() -> (Vec<Plan>, MunicipalOverview, Vec<(Plan, PeriodReport)>) {
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
    drop(data);
    (plans, overview, parts)
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

/// The statutory report of the example municipality as the app composes it (`App::
/// statutory_parts`): the roll-up's sections, the statements and the balanskravsutredning, the
/// R14 driftredovisning in place of the roll-up's, the investeringsredovisning and exploatering
/// and finansförvaltning of KS's example with its small ledger (`crate::accounts::ledger`).
fn statutory_document(kind: &str, period: Month) -> Document {
    use styr_docgen::accounts::{
        exploitation_finance_section, investment_report_section, operating_accounts_section,
    };
    use styr_docgen::statements::{balance_requirement_section_at, statement_sections_at};
    use styr_docgen::statutory::{StatutoryParts, StatutoryReport, compose_statutory_report};
    use styr_domain::Id;
    use styr_domain::statutory::R15Heading;
    use styr_reports::accounts::{EarlierLedgers, investment_accounts};
    use styr_reports::accounts_ledger::{exploitation_accounts, finance_accounts};
    let (plans, overview, parts) = example_municipality();
    let kf = plans.iter().find(|p| p.council.is_some()).unwrap();
    let mut statutory = StatutoryParts::from_overview(&overview);
    let statements = report(250_000);
    let mut accounts = statement_sections_at(&statements, 1);
    accounts.extend(statutory.accounts.drain(..).map(|section| {
        if section.id == styr_docgen::municipal::OPERATING_SECTION_ID {
            operating_accounts_section(&overview)
        } else {
            section
        }
    }));
    statutory.accounts = accounts;
    statutory.add(
        R15Heading::BalanceRequirement,
        vec![balance_requirement_section_at(&statements, 1)],
    );
    let ks = crate::example().clone();
    let (this_year, earlier) = crate::accounts::ledger();
    let economy = budget_vs_actual(
        &ks,
        august(),
        LedgerData {
            actual: &this_year,
            budget: &[],
            forecasts: &[],
        },
    );
    let ledgers = EarlierLedgers::from_amounts(&ks.ledger, &earlier, august());
    let body = || (Id::parse("ks").unwrap(), "Kommunstyrelsen".to_owned());
    let with = |value| {
        let (id, name) = body();
        (id, name, value)
    };
    statutory
        .accounts
        .push(investment_report_section(&[with(investment_accounts(
            &ks, &economy, &ledgers,
        ))]));
    statutory.accounts.push(exploitation_finance_section(
        &[(
            body().0,
            body().1,
            exploitation_accounts(&ks, august(), &this_year, &earlier),
        )],
        &[(
            body().0,
            body().1,
            finance_accounts(&ks, august(), &this_year, &earlier),
        )],
    ));
    compose_statutory_report(&StatutoryReport {
        kind: styr_reports::ReportKind::by_slug(kind).unwrap(),
        period,
        council: kf,
        overview: &overview,
        parts: &parts,
        statutory: &statutory,
    })
}

/// The document's own sections: the bodies' parts left out. Excluded on purpose: each part is
/// that body's own period report as its own document has it (`compose_period_report_traced`),
/// whose economy tables trace their outcomes only; the budget and forecast columns of a
/// body's report are that report's figures, not the municipality's (issue 24's period report
/// traces), so they are not walked here.
fn without_parts(document: &Document, first_part: impl Fn(&str) -> bool) -> Document {
    let mut document = document.clone();
    if let Some(at) = document.sections.iter().position(|s| first_part(&s.id)) {
        document.sections.truncate(at);
    }
    document
}

/// The tables of the walk and how many amount cells are traced (to show the walk walked).
fn traced_cells(document: &Document) -> usize {
    document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .flat_map(|t| &t.rows)
        .flat_map(|r| &r.cells)
        .filter(|c| {
            c.content
                .iter()
                .any(|run| matches!(run, Inline::Trace { .. }))
        })
        .count()
}

#[test]
fn every_amount_of_the_statutory_and_municipal_reports_has_a_trace() {
    use styr_docgen::trace::untraced_cells;
    let municipal = without_parts(&municipal_document(), |id| id.ends_with("_del"));
    let untraced = untraced_cells(&municipal, |_| false);
    assert!(
        untraced.is_empty(),
        "untraced in the municipal report:\n{}",
        untraced.join("\n")
    );
    assert!(
        traced_cells(&municipal) >= 15,
        "{}",
        traced_cells(&municipal)
    );
    for (kind, period) in [
        ("arsredovisning", Month::parse("2021-12").unwrap()),
        ("delarsrapport", august()),
    ] {
        let document = without_parts(&statutory_document(kind, period), |id| {
            id == styr_docgen::statutory::PARTS_ID
        });
        let untraced = untraced_cells(&document, |_| false);
        assert!(
            untraced.is_empty(),
            "untraced in the {kind}:\n{}",
            untraced.join("\n")
        );
        let traced = traced_cells(&document);
        assert!(traced >= 150, "{kind}: {traced} traced cells");
        let html = styr_docgen::render_document_html(&{
            let mut linked = document.clone();
            link_traces(&mut linked, Some(BASE));
            linked
        });
        for path in [
            "/spar/kommun/2021-12/rakenskaper/rr.skatteintakter/budget",
            "/spar/kommun/2021-12/rakenskaper/br.t.summa/foregaende-ar",
            "/spar/kommun/2021-08/namnd/bun/anslagsforandringar",
            "/spar/kommun/2021-08/summa/budget-efter-forandringar",
            "/spar/kommun/2021-08/investering/ks/vattenplan/tidigare-ar",
            "/spar/kommun/2021-08/investering/ks/summa/beraknad",
            "/spar/kommun/2021-08/exploatering/ks/summa/utfall-netto",
        ] {
            assert!(html.contains(&format!("{BASE}{path}")), "{kind}: {path}");
        }
    }
}

#[test]
fn an_untraced_amount_is_listed() {
    // The walk fails on a figure that is not traced: the statements without their traces.
    let mut document = compose_statements(&report(250_000));
    link_traces(&mut document, None);
    let untraced = styr_docgen::trace::untraced_cells(&document, |_| false);
    assert!(
        untraced
            .iter()
            .any(|cell| cell.starts_with("resultatrakning_tabell, rad")),
        "{untraced:?}"
    );
    // A skipped table is not walked.
    let none = styr_docgen::trace::untraced_cells(&document, |_| true);
    assert!(none.is_empty());
}
