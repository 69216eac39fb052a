//! The section "Avstämning" at the end of a proposal's document: what `styr check` finds in
//! the plan — errors and warnings with the smallest correction beside them — so that the people
//! deciding see what does not add up. The findings come from `styr_checks` itself, so the
//! document and `styr check` cannot disagree.

use crate::format;
use crate::model::{Block, Cell, Column, Inline, Row, RowStyle, Section, Table};
use styr_checks::{Report, Severity};
use styr_domain::Plan;
use styr_domain::budget::VersionKind;

/// The section for a proposal; `None` for a decided or adjusted budget.
pub fn section(plan: &Plan) -> Option<Section> {
    section_of(plan, &styr_checks::check(plan))
}

/// The section from a report `check` already gave (the document checks the plan once).
pub fn section_of(plan: &Plan, report: &Report) -> Option<Section> {
    if plan.budget.version.kind != VersionKind::Proposal {
        return None;
    }
    Some(Section {
        id: "avstamning".to_owned(),
        level: 1,
        title: "Avstämning".to_owned(),
        blocks: blocks(plan, report),
    })
}

/// Where a finding is, for a reader: the section of the text, or the table and its row — never
/// a file and line of the package (those are in `styr check`).
pub fn place(plan: &Plan, file: &str, line: u32) -> String {
    let budget = &plan.budget;
    let at = |l: &styr_domain::Location| l.file == file && l.line == line;
    if let Some(section) = plan
        .sections
        .iter()
        .find(|s| s.file.as_deref() == Some(file))
    {
        return format!("Avsnittet {}", section.title);
    }
    for table in &budget.operating {
        if let Some(row) = table.rows.iter().find(|r| at(&r.at)) {
            return format!("{}: {}", table.title, row.name);
        }
    }
    if let Some(row) = budget.finance.summary.iter().find(|r| at(&r.at)) {
        return format!("{}: {}", budget.finance.summary_title, row.name);
    }
    if let Some(row) = budget
        .finance
        .rows
        .iter()
        .find(|r| r.lines.iter().any(|l| at(&l.at)))
    {
        return format!("{}: {}", budget.finance.title, row.name);
    }
    if let Some(row) = budget.investment.rows.iter().find(|r| at(&r.at)) {
        return format!("{}: {}", budget.investment.title, row.name);
    }
    if let Some(row) = budget.exploitation.rows.iter().find(|r| at(&r.at)) {
        let name = if row.name.is_empty() {
            &row.project
        } else {
            &row.name
        };
        return format!("{}: {name}", budget.exploitation.title);
    }
    if let Some(change) = &budget.frame_change {
        if let Some(component) = change.components.iter().find(|c| at(&c.at)) {
            return format!("Ramförändring {}: {}", change.to_year, component.label);
        }
        if at(&change.at) {
            return format!("Ramförändring {}", change.to_year);
        }
    }
    if let Some(frame) = budget.frames.iter().find(|f| at(&f.at)) {
        return format!("Ram {}", frame.year);
    }
    match file {
        "assignment_status.csv" => "Uppdragens status".to_owned(),
        "assignments.csv" | "assignment_mentions.csv" => "Uppdragen".to_owned(),
        "goals.toml" => "Mål och prioriteringar".to_owned(),
        "control.toml" => "Intern kontroll".to_owned(),
        _ => "Planens uppgifter".to_owned(),
    }
}

/// A correction in words: "Personalomkostnader, kostnader 2020 från 615 000 till 620 000 tkr".
fn correction_text(plan: &Plan, correction: &styr_checks::Correction) -> String {
    let explained = correction.explains.len();
    let change_text = |changes: &[styr_checks::Change]| {
        changes
            .iter()
            .map(|change| {
                format!(
                    "{}: {} från {} till {} tkr",
                    place(plan, &change.at.file, change.at.line),
                    change.column,
                    format::tkr(change.from),
                    format::tkr(change.to)
                )
            })
            .collect::<Vec<_>>()
            .join(" och ")
    };
    match correction.alternatives.as_slice() {
        [] if correction.search_cut => {
            format!("ingen rättelse hittad för {explained} fel: sökningen nådde sin gräns")
        }
        [] => format!("ingen rättelse med högst två ändringar förklarar {explained} fel"),
        [changes] => format!("{} förklarar {explained} fel", change_text(changes)),
        alternatives => {
            let total = alternatives.len() + correction.more_alternatives;
            let listed: Vec<String> = alternatives.iter().map(|c| change_text(c)).collect();
            format!(
                "{explained} fel förklaras lika enkelt på {total} sätt: {}",
                listed.join("; eller ")
            )
        }
    }
}

fn blocks(plan: &Plan, report: &Report) -> Vec<Block> {
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
                .map(|c| Cell::text(correction_text(plan, c)))
                .unwrap_or_else(Cell::missing);
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::text(finding.severity.label_sv()),
                    Cell::text(place(plan, &finding.file, finding.line)),
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
            "Plats anger avsnittet eller tabellen och raden. – betyder att ingen rättelse föreslås.",
        )]),
    }));
    blocks
}
