//! Integration tests of document generation: the example's HTML as a snapshot, number
//! formatting and escaping, live claims, the PDF's text and determinism, the HTML in a
//! headless browser, and the interim and annual reports.

// The one rule for a tool a test needs: skip with a reason locally, fail in CI.
#[path = "../../../../tests/tool.rs"]
mod tool;

mod accounts;
mod browser;
mod charts;
mod formatting;
mod frame_calculation;
mod html;
#[cfg(feature = "pdf")]
mod layout;
mod live_figures;
mod municipal;
#[cfg(feature = "pdf")]
mod pdf;
#[cfg(feature = "pdf")]
mod pdf_ua;
mod period_report;
mod personnel;
mod readers;
mod reconciliation;
mod statements;
mod statutory;
mod totals;
mod trace;
mod trace_followup;
mod trace_reports;

use std::path::PathBuf;
use std::sync::OnceLock;
use styr_docgen::model::{Block, Document, Table};
use styr_domain::Plan;

pub fn example_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/haninge-ks-2021")
}

/// The example package with a change made to its files, read.
pub fn example_files_plan(change: impl FnOnce(&mut styr_package::Files)) -> Plan {
    let mut files = styr_package::Files::load(&example_dir()).expect("the example loads");
    change(&mut files);
    styr_package::read_files(&files).expect("still a valid package")
}

/// The example plan, read once.
pub fn example() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| styr_package::read_dir(&example_dir()).expect("the example reads"))
}

/// Every table row name, indicator name and assignment title and code of the example.
pub fn example_names() -> Vec<String> {
    let plan = example();
    let budget = &plan.budget;
    let mut names = Vec::new();
    for table in &budget.operating {
        names.extend(table.rows.iter().map(|r| r.name.clone()));
    }
    names.extend(budget.investment.rows.iter().map(|r| r.name.clone()));
    names.extend(budget.exploitation.rows.iter().map(|r| {
        if r.name.is_empty() {
            r.project.clone()
        } else {
            r.name.clone()
        }
    }));
    names.extend(budget.finance.rows.iter().map(|r| r.name.clone()));
    names.extend(budget.finance.summary.iter().map(|r| r.name.clone()));
    names.extend(plan.indicators.iter().map(|i| i.name.clone()));
    let shown: Vec<&str> = plan
        .sections
        .iter()
        .flat_map(|s| s.show.iter())
        .filter_map(|block| match block {
            styr_domain::document::ShowBlock::Assignments(section) => Some(section.as_str()),
            _ => None,
        })
        .collect();
    for mention in plan
        .mentions
        .iter()
        .filter(|m| shown.contains(&m.section.as_str()))
    {
        let assignment = plan
            .assignments
            .iter()
            .find(|a| a.id == mention.assignment)
            .unwrap();
        names.push(assignment.title.clone());
        if let Some(code) = &assignment.code {
            names.push(code.clone());
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Every table of a composed document in order, also those inside lists and quotes (typst
/// numbers them in this order: "Tabell N").
pub fn tables(document: &Document) -> Vec<&Table> {
    fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Table>) {
        for block in blocks {
            match block {
                Block::Table(table) => out.push(table),
                Block::List { items, .. } => {
                    for item in items {
                        walk(item, out);
                    }
                }
                Block::Quote(inner) => walk(inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for section in &document.sections {
        walk(&section.blocks, &mut out);
    }
    out
}
