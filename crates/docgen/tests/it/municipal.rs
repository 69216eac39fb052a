//! The whole municipality's report (issue 20): each body's part is that body's own report
//! (the same sections, titles and tables, one level down), ids stay unique across parts, and
//! the totals row is the sum of the body rows.

use crate::example;
use std::collections::HashSet;
use styr_docgen::compose_municipal_report;
use styr_docgen::model::{Block, Document, Inline, Section, Table};
use styr_docgen::{compose_period_report, render_municipal_report_html};
use styr_domain::followup::default_calendar;
use styr_domain::ledger::Month;
use styr_domain::{Id, Plan};
use styr_reports::municipal::{BodyData, MunicipalOverview, Progress, TOTAL_LABEL, overview};
use styr_reports::{LedgerData, PeriodReport, RowKind, budget_vs_actual, period_report};

fn august() -> Month {
    Month::parse("2021-08").unwrap()
}

/// The example as body `body` with its own version id.
fn as_body(body: &str) -> Plan {
    let mut plan = example().clone();
    plan.document.body = Id::parse(body).unwrap();
    plan.budget.version.id = Id::parse(&format!("{body}_2021")).unwrap();
    plan.periods = default_calendar(2021);
    plan
}

/// A body's report of August with nothing reported and an empty ledger.
fn august_report(plan: &Plan) -> PeriodReport {
    let period = plan
        .periods
        .iter()
        .find(|p| p.month == august())
        .unwrap()
        .clone();
    let economy = budget_vs_actual(
        plan,
        august(),
        LedgerData {
            actual: &[],
            budget: &[],
            forecasts: &[],
        },
    );
    period_report(plan, &plan.periods, &period, &[], economy)
}

fn municipality() -> (MunicipalOverview, Vec<(Plan, PeriodReport)>) {
    let plans = vec![as_body("ks"), as_body("sn")];
    let parts: Vec<(Plan, PeriodReport)> = plans
        .iter()
        .map(|plan| (plan.clone(), august_report(plan)))
        .collect();
    let data: Vec<BodyData<'_>> = parts
        .iter()
        .map(|(plan, report)| BodyData {
            plan,
            economy: report
                .economy
                .rows
                .iter()
                .find(|r| r.kind == RowKind::OperatingTotal)
                .cloned(),
            progress: Progress::Due {
                reported: 0,
                due: report.missing.len(),
                late: 0,
                state: report.period.state,
            },
            entries: Vec::new(),
            previous: None,
        })
        .collect();
    let overview = overview(&plans, &data, august()).unwrap();
    (overview, parts)
}

fn tables(blocks: &[Block]) -> Vec<&Table> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect()
}

fn cell_text(table: &Table, row: usize, column: usize) -> String {
    Inline::plain(&table.rows[row].cells[column].content)
}

fn outline(sections: &[Section]) -> Vec<(u8, String, Vec<String>)> {
    sections
        .iter()
        .map(|s| {
            (
                s.level,
                s.title.clone(),
                tables(&s.blocks)
                    .iter()
                    .map(|t| t.caption.clone())
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn each_part_is_the_bodys_own_report_one_level_down() {
    let (overview, parts) = municipality();
    let document: Document = compose_municipal_report(&overview, &parts);
    for (plan, report) in &parts {
        let own = compose_period_report(plan, report);
        let prefix = format!("{}_", plan.document.body);
        let start = document
            .sections
            .iter()
            .position(|s| s.id == format!("{prefix}del"))
            .expect("the part's heading");
        let part = &document.sections[start + 1..start + 1 + own.sections.len()];
        let expected: Vec<(u8, String, Vec<String>)> = outline(&own.sections)
            .into_iter()
            .map(|(level, title, tables)| (level + 1, title, tables))
            .collect();
        assert_eq!(outline(part), expected);
        assert!(part.iter().all(|s| s.id.starts_with(&prefix)));
    }
    // No two sections, tables or charts share an id.
    let mut ids = HashSet::new();
    for section in &document.sections {
        assert!(ids.insert(section.id.clone()), "section id {}", section.id);
        for table in tables(&section.blocks) {
            assert!(ids.insert(table.id.clone()), "table id {}", table.id);
        }
    }
    let html = render_municipal_report_html(&overview, &parts);
    assert!(html.contains("id=\"ks_ekonomi\"") && html.contains("id=\"sn_ekonomi\""));
    // Every id of the HTML page (sections, tables, charts, notes) once; every link inside the
    // page leads to one of them.
    let ids: Vec<&str> = html
        .split(" id=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    let mut seen = HashSet::new();
    let twice: Vec<&str> = ids.iter().copied().filter(|id| !seen.insert(*id)).collect();
    assert!(twice.is_empty(), "ids twice in the page: {twice:?}");
    for target in html.split("href=\"#").skip(1) {
        let target = &target[..target.find('"').unwrap()];
        assert!(
            unique.contains(target),
            "a link to #{target}, which is not in the page"
        );
    }
}

#[test]
fn the_totals_row_is_the_sum_of_the_body_rows() {
    let (overview, parts) = municipality();
    let document = compose_municipal_report(&overview, &parts);
    let section = document
        .sections
        .iter()
        .find(|s| s.id == styr_docgen::municipal::OPERATING_SECTION_ID)
        .unwrap();
    let table = tables(&section.blocks)[0];
    assert_eq!(table.rows.len(), 3);
    assert_eq!(cell_text(table, 2, 0), TOTAL_LABEL);
    // Ram and budget år: 247 000 each, 494 000 together.
    for column in [1, 2] {
        assert_eq!(cell_text(table, 0, column), "247\u{a0}000");
        assert_eq!(cell_text(table, 1, column), "247\u{a0}000");
        assert_eq!(cell_text(table, 2, column), "494\u{a0}000");
    }
    // Reported: 0 of each body's due.
    let due: usize = parts.iter().map(|(_, r)| r.missing.len()).sum();
    assert_eq!(cell_text(table, 2, 6), format!("0 av {due}"));
    // Without KF's plan the goals section says so instead of inventing goals.
    let goals = &document.sections[0];
    assert_eq!(goals.title, "Kommunens mål");
    assert!(tables(&goals.blocks).is_empty());
}
