//! Alternative budgets as documents (issue 21): one alternative (its frames beside the
//! administration's proposal, its result against the balance rule, its goals and assignments)
//! and the comparison of every alternative with the proposal. Every figure comes from the
//! [`Comparison`] value (`styr_domain::alternative::compare`); nothing is summed here. A cell
//! that differs from the proposal carries its difference in text ("(+3 000)"), so the
//! difference is never told by colour alone.

use crate::format::{self, GROUP};
use crate::model::{
    Block, Cell, Column, Document, DocumentKind, Inline, Row, RowStyle, Section, Table,
};
use styr_domain::alternative::{Alternative, Comparison, ComparisonRow, ComparisonRowKind};
use styr_domain::number::{Decimals, MoneyUnit, format_money};
use styr_domain::{Id, Money};

fn difference(money: Money) -> String {
    let text = format_money(money, MoneyUnit::Tkr, Decimals::AsHeld, GROUP);
    if money > Money::ZERO {
        format!("+{text}")
    } else {
        text
    }
}

fn style(row: &ComparisonRow) -> RowStyle {
    match row.kind {
        ComparisonRowKind::FramesTotal
        | ComparisonRowKind::CentralTotal
        | ComparisonRowKind::Result => RowStyle::Total,
        _ => RowStyle::Normal,
    }
}

/// The comparison's rows as a table: the proposal and each column in `shown`.
fn table(id: &str, caption: String, comparison: &Comparison, shown: &[usize]) -> Table {
    let mut columns = vec![Column {
        label: "Tkr".to_owned(),
        numeric: false,
    }];
    for &index in shown {
        columns.push(Column {
            label: comparison.columns[index].label.clone(),
            numeric: true,
        });
    }
    let rows = comparison
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![Cell::text(&row.label)];
            for &index in shown {
                let cell = &row.cells[index];
                let mut text = format::tkr(cell.amount);
                if index > 0 && cell.differs() {
                    text = format!("{text} ({})", difference(cell.difference));
                }
                cells.push(Cell::text(text));
            }
            Row::new(style(row), cells)
        })
        .collect();
    Table {
        id: id.to_owned(),
        caption,
        columns,
        rows,
        note: Some(vec![Inline::text(
            "Ramar och centrala poster är nettokostnader. Resultat = skatteintäkter + generella \
             statsbidrag + finansnetto − summa ramar − summa centrala poster. Inom parentes: \
             skillnaden mot förvaltningens förslag.",
        )]),
    }
}

fn balance_paragraph(comparison: &Comparison, index: usize) -> Block {
    let balance = &comparison.columns[index].balance;
    let text = balance.refusal().unwrap_or_else(|| {
        format!(
            "Resultatet {} tkr uppfyller balanskravet: {} tkr över det finansiella målet.",
            format::tkr(balance.result),
            format::tkr(balance.margin())
        )
    });
    Block::Paragraph(vec![Inline::text(text)])
}

/// One alternative as a document.
pub fn compose_alternative(
    municipality: &str,
    comparison: &Comparison,
    alternative: &Alternative,
    name_of: &dyn Fn(&Id) -> Option<String>,
) -> Document {
    let mut sections = vec![Section {
        id: "alternativ-ramar".to_owned(),
        level: 1,
        title: "Ramar och resultat".to_owned(),
        blocks: vec![
            Block::Table(table(
                "tab-alternativ",
                format!(
                    "{} {}: ramar per nämnd och resultat mot förvaltningens förslag",
                    alternative.party, comparison.year
                ),
                comparison,
                &[0, 1],
            )),
            balance_paragraph(comparison, 1),
        ],
    }];
    let goals: Vec<Vec<Block>> = alternative
        .goals
        .iter()
        .map(|goal| {
            let mut text = goal.text.clone();
            if let Some(parent) = &goal.parent {
                let name = name_of(parent).unwrap_or_else(|| parent.to_string());
                text = format!("{text} ({name})");
            }
            vec![Block::Paragraph(vec![Inline::text(text)])]
        })
        .collect();
    sections.push(Section {
        id: "alternativ-mal".to_owned(),
        level: 1,
        title: "Mål".to_owned(),
        blocks: if goals.is_empty() {
            vec![Block::Paragraph(vec![Inline::text(
                "Alternativet har inga egna mål.",
            )])]
        } else {
            vec![Block::List {
                ordered: true,
                items: goals,
            }]
        },
    });
    let assignments: Vec<Vec<Block>> = alternative
        .assignments
        .iter()
        .map(|assignment| {
            let mut text = assignment.text.clone();
            if let Some(body) = &assignment.body {
                let name = name_of(body).unwrap_or_else(|| body.to_string());
                text = format!("{name}: {text}");
            }
            vec![Block::Paragraph(vec![Inline::text(text)])]
        })
        .collect();
    sections.push(Section {
        id: "alternativ-uppdrag".to_owned(),
        level: 1,
        title: "Uppdrag".to_owned(),
        blocks: if assignments.is_empty() {
            vec![Block::Paragraph(vec![Inline::text(
                "Alternativet har inga egna uppdrag.",
            )])]
        } else {
            vec![Block::List {
                ordered: true,
                items: assignments,
            }]
        },
    });
    Document {
        kind: DocumentKind::Alternative,
        title: alternative.title.clone(),
        subtitle: Some(format!(
            "Alternativ budget {} – {}",
            comparison.year, alternative.party
        )),
        municipality: municipality.to_owned(),
        body: alternative.party.clone(),
        cover_lines: vec![
            format!("Status: {}", alternative.state.label_sv()),
            format!(
                "Utgår från kommunfullmäktiges plan {}",
                alternative.base_version
            ),
        ],
        sections,
    }
}

/// The proposal and every alternative side by side, as a document.
pub fn compose_comparison(municipality: &str, comparison: &Comparison) -> Document {
    let shown: Vec<usize> = (0..comparison.columns.len()).collect();
    let mut blocks = vec![Block::Table(table(
        "tab-jamforelse",
        format!(
            "Förvaltningens förslag och de alternativa budgetarna {}",
            comparison.year
        ),
        comparison,
        &shown,
    ))];
    for index in 1..comparison.columns.len() {
        blocks.push(Block::Subheading {
            level: 3,
            text: comparison.columns[index].label.clone(),
        });
        blocks.push(balance_paragraph(comparison, index));
    }
    if comparison.columns.len() == 1 {
        blocks.push(Block::Paragraph(vec![Inline::text(
            "Det finns ingen alternativ budget att jämföra med.",
        )]));
    }
    Document {
        kind: DocumentKind::Alternative,
        title: format!("Alternativa budgetar {}", comparison.year),
        subtitle: Some("Jämförelse med förvaltningens förslag".to_owned()),
        municipality: municipality.to_owned(),
        body: "Kommunfullmäktige".to_owned(),
        cover_lines: vec![format!(
            "{} alternativ",
            comparison.columns.len().saturating_sub(1)
        )],
        sections: vec![Section {
            id: "jamforelse".to_owned(),
            level: 1,
            title: "Ramar och resultat sida vid sida".to_owned(),
            blocks,
        }],
    }
}
