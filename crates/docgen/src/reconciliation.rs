//! The section "Avstämning" at the end of a proposal's document: what `styr check` finds in
//! the plan — errors and warnings with the smallest correction beside them — so that the people
//! deciding see what does not add up. The findings come from `styr_checks` itself, so the
//! document and `styr check` cannot disagree.

use crate::model::{Block, Cell, Column, Inline, Row, RowStyle, Section, Table};
use styr_checks::{Report, Severity};
use styr_domain::Plan;
use styr_domain::budget::VersionKind;

/// The section for a proposal; `None` for a decided or adjusted budget.
pub fn section(plan: &Plan) -> Option<Section> {
    if plan.budget.version.kind != VersionKind::Proposal {
        return None;
    }
    let report = styr_checks::check(plan);
    Some(Section {
        id: "avstamning".to_owned(),
        level: 1,
        title: "Avstämning".to_owned(),
        blocks: blocks(&report),
    })
}

fn blocks(report: &Report) -> Vec<Block> {
    let count = |severity| {
        report
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    };
    let (errors, warnings, notes) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let mut blocks = vec![Block::Paragraph(vec![Inline::text(format!(
        "Förslaget är avstämt mot sina egna data: varje tryckt summa mot den beräknade och \
         varje siffra i texten mot data. Avstämningen ger {errors} fel, {warnings} varningar \
         och {notes} uppgifter som inte kan kontrolleras mot data. Där fel har en enkel \
         förklaring anges den minsta rättelsen: de färrest ändrade celler som får alla \
         beräkningar att stämma."
    ))])];
    let rows: Vec<Row> = report
        .findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .map(|finding| {
            let correction = report
                .corrections
                .iter()
                .find(|c| c.explains.contains(&finding.id))
                .map(|c| Cell::text(c.describe()))
                .unwrap_or_else(Cell::missing);
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(finding.severity.label_sv()),
                    Cell::text(finding.place()),
                    Cell::text(finding.describe()),
                    correction,
                ],
            )
        })
        .collect();
    if rows.is_empty() {
        blocks.push(Block::Paragraph(vec![Inline::text(
            "Inga fel eller varningar.",
        )]));
        return blocks;
    }
    let column = |label: &str| Column {
        label: label.to_owned(),
        numeric: false,
    };
    blocks.push(Block::Table(Table {
        id: "avstamning-fynd".to_owned(),
        caption: "Fel och varningar i förslaget".to_owned(),
        columns: vec![
            column("Typ"),
            column("Plats"),
            column("Fynd"),
            column("Minsta rättelse"),
        ],
        rows,
        note: Some(vec![Inline::text(
            "Plats anger fil och rad i planpaketet. – betyder att ingen rättelse föreslås.",
        )]),
    }));
    blocks
}
