//! The "Avstämning" section: at the end of a proposal's document, absent from a decided one.

use crate::example;
use styr_docgen::compose;
use styr_docgen::model::Block;
use styr_domain::budget::VersionKind;

#[test]
fn a_proposal_ends_with_what_check_finds() {
    let plan = example();
    assert_eq!(plan.budget.version.kind, VersionKind::Proposal);
    let document = compose(plan);
    let last = document.sections.last().expect("sections");
    assert_eq!(
        (last.id.as_str(), last.title.as_str()),
        ("avstamning", "Avstämning")
    );
    let Some(Block::Table(table)) = last.blocks.get(1) else {
        panic!("a table of findings: {:?}", last.blocks);
    };
    let report = styr_checks::check(plan);
    let shown = report
        .findings
        .iter()
        .filter(|f| f.severity != styr_checks::Severity::Info)
        .count();
    assert_eq!(table.rows.len(), shown);
    assert_eq!(shown, 14);
    let personnel = table
        .rows
        .iter()
        .find(|row| {
            styr_docgen::model::Inline::plain(&row.cells[1].content)
                == "Finansförvaltning: Personalomkostnader"
        })
        .expect("the personnel row");
    assert_eq!(
        styr_docgen::model::Inline::plain(&personnel.cells[3].content),
        "Finansförvaltning: Personalomkostnader: kostnader 2020 från 615\u{a0}000 till 620\u{a0}000 tkr förklarar 2 fel"
    );
}

#[test]
fn a_decided_budget_has_no_reconciliation() {
    let mut plan = example().clone();
    plan.budget.version.kind = VersionKind::Decided;
    let document = compose(&plan);
    assert!(!document.sections.iter().any(|s| s.id == "avstamning"));
    assert_eq!(
        document.sections.len() + 1,
        compose(example()).sections.len()
    );
}
