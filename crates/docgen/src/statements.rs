//! The financial statements as document sections (issue 22): resultaträkning, balansräkning
//! and kassaflödesanalys in RKR's uppställningsform with outcome, budget (RR) and previous
//! year, and the balanskravsutredning with its rule and the three-year rule's deficits. Each
//! statement's findings (a balance sheet that does not balance, a cash flow that does not tie,
//! a file's #UB that differs, a stated balanskravsresultat that differs …) are visible notes in
//! its section.
//!
//! Every figure and sum comes from the [`StatementsReport`] (`styr_reports::statements`) in
//! whole tkr ([`StatementsReport::in_whole`]: each sum the sum of the printed lines); nothing
//! is summed or rounded here. The sections are self-contained: the statutory report
//! (årsredovisning, delårsrapport) places them where its outline wants them, and
//! [`compose_statements`] makes a document of them alone.

use crate::format;
use crate::model::{
    Block, Cell, Column, Document, DocumentKind, Inline, Row, RowStyle, Section, Table,
};
use styr_domain::Money;
use styr_domain::followup::month_name;
use styr_domain::number::MoneyUnit;
use styr_reports::statements::{RowKind, StatementFinding, StatementRow, StatementsReport};

/// The section ids.
pub const RESULT_ID: &str = "resultatrakning";
pub const BALANCE_ID: &str = "balansrakning";
pub const CASH_FLOW_ID: &str = "kassaflodesanalys";
pub const BALANCE_REQUIREMENT_ID: &str = "balanskravsutredning";

/// The synthetic data note of the statements.
pub const SYNTHETIC_NOTE: &str = "Syntetiska exempeldata: bokföringen, balanserna och \
budgeten bakom de finansiella rapporterna är påhittade för exemplet och är inte kommunens egna.";

/// What the tables' whole tkr are (`StatementsReport::in_whole`).
const WHOLE_NOTE: &str = "Belopp i hela tkr, avrundade så att rapporten summerar som den står: \
varje summa är summan av raderna den summerar. En rad kan därför skilja sig från sitt eget exakta \
belopp med upp till ett tkr (i sällsynta fall något mer).";

const SIGN_NOTE: &str = "Uppställning enligt RKR. Intäkter är positiva och kostnader negativa; \
tillgångar samt eget kapital, avsättningar och skulder är positiva.";

/// "januari–augusti 2021" or "2021".
fn period_label(report: &StatementsReport) -> String {
    if report.annual {
        report.year.to_string()
    } else {
        format!(
            "januari–{} {}",
            month_name(report.through.month()),
            report.year
        )
    }
}

/// RR, BR and KFA, each a section (level `level`) with its table and its findings.
pub fn statement_sections(report: &StatementsReport) -> Vec<Section> {
    statement_sections_at(report, 2)
}

/// [`statement_sections`] at a chosen heading level.
pub fn statement_sections_at(report: &StatementsReport, level: u8) -> Vec<Section> {
    // The tables print whole tkr that add up as printed.
    let report = &report.in_whole(MoneyUnit::Tkr);
    let period = period_label(report);
    let outcome = if report.annual {
        format!("Utfall {}", report.year)
    } else {
        format!("Utfall {period}")
    };
    let previous = if report.annual {
        format!("Utfall {}", report.year - 1)
    } else if report.previous_same_period {
        format!(
            "Utfall januari–{} {}",
            month_name(report.through.month()),
            report.year - 1
        )
    } else {
        format!("Helår {}", report.year - 1)
    };
    let balance_outcome = if report.annual {
        format!("{}-12-31", report.year)
    } else {
        format!("Per {} {}", month_name(report.through.month()), report.year)
    };
    vec![
        section(
            report,
            RESULT_ID,
            level,
            "Resultaträkning",
            &report.result,
            &[
                (outcome.clone(), true),
                (format!("Budget {}", report.year), report.has_budget),
                (previous.clone(), report.has_previous),
            ],
            |id| id.starts_with("statements.budget") || id.starts_with("statements.res."),
        ),
        section(
            report,
            BALANCE_ID,
            level,
            "Balansräkning",
            &report.balance,
            &[
                (balance_outcome, true),
                (format!("{}-12-31", report.year - 1), report.has_previous),
            ],
            |id| {
                id.starts_with("statements.unbalanced")
                    || id.starts_with("statements.opening")
                    || id.starts_with("statements.ub.")
                    || id.starts_with("statements.unmapped")
            },
        ),
        section(
            report,
            CASH_FLOW_ID,
            level,
            "Kassaflödesanalys",
            &report.cash_flow,
            &[(outcome, true), (previous, report.has_previous)],
            |id| id.starts_with("statements.cash_flow"),
        ),
    ]
}

fn notices(findings: &[StatementFinding], keep: impl Fn(&str) -> bool) -> Vec<Block> {
    findings
        .iter()
        .filter(|f| keep(&f.id))
        .map(|f| {
            Block::Notice(vec![
                Inline::Strong(vec![Inline::text("Avvikelse: ")]),
                Inline::text(f.message.clone()),
            ])
        })
        .collect()
}

fn amount(money: Money) -> Cell {
    Cell::text(format::tkr_whole(money))
}

fn optional(money: Option<Money>) -> Cell {
    money.map_or_else(Cell::missing, amount)
}

fn section(
    report: &StatementsReport,
    id: &str,
    level: u8,
    title: &str,
    rows: &[StatementRow],
    columns: &[(String, bool)],
    keep: impl Fn(&str) -> bool,
) -> Section {
    let shown: Vec<&(String, bool)> = columns.iter().filter(|(_, shown)| *shown).collect();
    let mut table_columns = vec![Column {
        label: "Post".into(),
        numeric: false,
    }];
    table_columns.extend(shown.iter().map(|(label, _)| Column {
        label: label.clone(),
        numeric: true,
    }));
    let mut table_rows = Vec::new();
    for row in rows {
        if let Some(heading) = &row.heading {
            table_rows.push(Row::new(RowStyle::Group, vec![Cell::text(heading.clone())]));
        }
        // The outcome traces to the accounts (a line) or the lines (a sum) behind it.
        let mut cells = vec![
            Cell::text(row.label.clone()),
            crate::trace::wrap_cell(
                amount(row.outcome),
                crate::trace::statement_line(report.through, &row.id),
            ),
        ];
        // The columns after the outcome, in order: budget (RR only), previous year; each
        // traces to where it comes from (`crate::trace::statement_column`).
        for (label, _) in shown.iter().skip(1) {
            let (figure, column) = if label.starts_with("Budget") {
                (row.budget, crate::trace::StatementColumn::Budget)
            } else {
                (row.previous, crate::trace::StatementColumn::Previous)
            };
            cells.push(crate::trace::wrap_cell(
                optional(figure),
                crate::trace::statement_column(report.through, &row.id, column),
            ));
        }
        let style = match row.kind {
            RowKind::Sum => RowStyle::Total,
            RowKind::Line => RowStyle::Normal,
        };
        table_rows.push(Row::new(style, cells));
    }
    let mut blocks = Vec::new();
    if report.synthetic {
        blocks.push(Block::Synthetic(SYNTHETIC_NOTE.to_owned()));
    }
    blocks.push(Block::Table(Table {
        id: format!("{id}_tabell"),
        caption: format!("{title} {}", period_label(report)),
        columns: table_columns,
        rows: table_rows,
        note: Some(vec![Inline::text(format!("{WHOLE_NOTE} {SIGN_NOTE}"))]),
    }));
    blocks.extend(notices(&report.findings, keep));
    Section {
        id: id.to_owned(),
        level,
        title: title.to_owned(),
        blocks,
    }
}

/// The balanskravsutredning: the table from årets resultat to balanskravsresultat, a stated
/// balanskravsresultat beside the computed one (marked when they differ), the deficits of the
/// three-year rule, the rule, and the findings.
pub fn balance_requirement_section(report: &StatementsReport) -> Section {
    balance_requirement_section_at(report, 2)
}

/// [`balance_requirement_section`] at a chosen heading level.
pub fn balance_requirement_section_at(report: &StatementsReport, level: u8) -> Section {
    let report = &report.in_whole(MoneyUnit::Tkr);
    let requirement = &report.balance_requirement;
    // Each row traces to its inputs (`crate::trace::balance_requirement_row`).
    let trace = |index: usize, cell: Cell| match crate::trace::balance_requirement_row(
        report.through,
        index,
    ) {
        Some(path) => crate::trace::wrap_cell(cell, path),
        None => cell,
    };
    let mut rows: Vec<Row> = requirement
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let style = match row.kind {
                RowKind::Sum => RowStyle::Total,
                RowKind::Line => RowStyle::Normal,
            };
            Row::new(
                style,
                vec![
                    Cell::text(row.label.clone()),
                    trace(index, amount(row.amount)),
                ],
            )
        })
        .collect();
    if let Some(stated) = requirement.stated {
        let last = crate::trace::BALANCE_REQUIREMENT_ROWS.len() - 1;
        let cell = if stated == requirement.result {
            trace(last, amount(stated))
        } else {
            trace(
                last,
                Cell::runs(vec![
                    Inline::Marked(vec![Inline::text(format::tkr_whole(stated))]),
                    Inline::Note(vec![Inline::text(format!(
                        "Angivet {} tkr; utredningen ger {} tkr.",
                        format::tkr_whole(stated),
                        format::tkr_whole(requirement.result)
                    ))]),
                ]),
            )
        };
        rows.push(Row::new(
            RowStyle::Normal,
            vec![Cell::text("Balanskravsresultat enligt angivet"), cell],
        ));
    }
    let mut blocks = Vec::new();
    if report.synthetic {
        blocks.push(Block::Synthetic(SYNTHETIC_NOTE.to_owned()));
    }
    blocks.push(Block::Table(Table {
        id: format!("{BALANCE_REQUIREMENT_ID}_tabell"),
        caption: format!("Balanskravsutredning {}", period_label(report)),
        columns: vec![
            Column {
                label: "Post".into(),
                numeric: false,
            },
            Column {
                label: "Belopp".into(),
                numeric: true,
            },
        ],
        rows,
        note: Some(vec![Inline::text(WHOLE_NOTE)]),
    }));
    if !requirement.deficits.is_empty() {
        let rows = requirement
            .deficits
            .iter()
            .map(|d| {
                Row::new(
                    RowStyle::Normal,
                    vec![
                        Cell::text(d.year.to_string()),
                        amount(d.amount),
                        amount(-d.remaining),
                        Cell::text(d.deadline.to_string()),
                        Cell::text(if d.overdue {
                            "Nej, inte i tid"
                        } else if d.remaining == Money::ZERO {
                            "Ja"
                        } else {
                            "Inte ännu"
                        }),
                    ],
                )
            })
            .collect();
        blocks.push(Block::Table(Table {
            id: format!("{BALANCE_REQUIREMENT_ID}_underskott"),
            caption: "Underskott mot balanskravet att återställa".into(),
            columns: [
                "År",
                "Underskott",
                "Kvar att återställa",
                "Senast",
                "Återställt",
            ]
            .iter()
            .enumerate()
            .map(|(i, label)| Column {
                label: (*label).into(),
                numeric: (1..=2).contains(&i),
            })
            .collect(),
            rows,
            note: None,
        }));
    }
    blocks.push(Block::Paragraph(vec![Inline::text(
        requirement.rule.clone(),
    )]));
    blocks.extend(notices(&report.findings, |id| {
        id.starts_with("statements.balance_requirement")
    }));
    Section {
        id: BALANCE_REQUIREMENT_ID.to_owned(),
        level,
        title: "Balanskravsutredning".to_owned(),
        blocks,
    }
}

/// The statements and the balanskravsutredning alone as a document (for a preview or a test).
pub fn compose_statements(report: &StatementsReport) -> Document {
    let mut sections = statement_sections_at(report, 1);
    sections.push(balance_requirement_section_at(report, 1));
    Document {
        kind: DocumentKind::FollowUp,
        title: format!("Finansiella rapporter {}", period_label(report)),
        subtitle: None,
        municipality: report.municipality.clone(),
        body: "Kommunfullmäktige".to_owned(),
        cover_lines: report
            .sources
            .iter()
            .map(|s| format!("Bokföring: {s}"))
            .collect(),
        sections,
    }
}
