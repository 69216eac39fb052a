//! Plan → document model: the sections in the order of `document.toml`, each with its
//! narrative and the data blocks of its `show` list, and the cover.
//!
//! This is where the document's figures are decided: sums are computed with the domain's sum
//! functions, a printed total is shown as the computed sum and, where the printed figure
//! differs, marked with a footnote giving both; printed lines are shown as printed (a line that
//! does not agree with its parts or its reference is marked, never corrected). Missing stays
//! missing. No markup is written here: see `html` and `typst_markup`.

use crate::chart::{self, IndicatorSeries};
use crate::format;
use crate::model::{
    Block, Cell, Chart, Column, Document, DocumentKind, Drawing, Inline, Row, RowStyle, Section,
    Table,
};
use crate::narrative;
use crate::orgchart;
use crate::trace::{FramePart, IndicatorFigure};
use rust_decimal::Decimal;
use std::collections::HashMap;
use styr_checks::Cell as CheckCell;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::budget::{AmountRow, Measure, RowKind, sum_lines};
use styr_domain::claim::{figure_word, missing_base, missing_base_note};
use styr_domain::control::{SYNTHETIC_NOTE, recommendation_is_open, risk_matrix};
use styr_domain::document::ShowBlock;
use styr_domain::expr::Formula;
use styr_domain::goal::{Direction, IndicatorLevel, ValueKind};
use styr_domain::kolada;
use styr_domain::{Money, Plan, Year};

/// Builds the document of a plan.
pub fn compose(plan: &Plan) -> Document {
    let mut document = compose_traced(plan);
    crate::trace::link_traces(&mut document, None);
    document
}

/// [`compose`] with each figure inside a trace to where it comes from (`crate::trace`).
pub fn compose_traced(plan: &Plan) -> Document {
    let body = plan
        .body(&plan.document.body)
        .map(|b| b.name.clone())
        .unwrap_or_else(|| plan.document.body.to_string());
    let mut cover_lines = vec![plan.budget.version.name.clone()];
    for frame in &plan.budget.frames {
        let decision = frame
            .decision
            .as_ref()
            .and_then(|id| decision_reference(plan, id))
            .map(|reference| format!(" enligt {reference}"))
            .unwrap_or_default();
        cover_lines.push(format!(
            "Ram {}: {} mnkr{decision}",
            frame.year,
            format::mnkr(frame.amount, 1)
        ));
    }
    // The checker runs once: its smallest corrections place the table markers, and a
    // proposal's reconciliation lists its findings.
    let report = styr_checks::check(plan);
    let fixes = Fixes::new(plan, &report);
    let mut sections = plan
        .sections
        .iter()
        .map(|section| {
            let mut blocks = Vec::new();
            let narrative = section
                .file
                .as_ref()
                .and_then(|file| plan.narratives.iter().find(|n| &n.file == file));
            let mut placed: Vec<&ShowBlock> = Vec::new();
            if let Some(narrative) = narrative {
                // A paragraph `{{op.fortroende}}` places a block of `show` where the print has
                // it; the blocks not placed follow the text.
                for block in narrative::markdown_blocks_traced(
                    plan,
                    &narrative.file,
                    &narrative.text,
                    section.level,
                ) {
                    match placement(&block)
                        .and_then(|name| section.show.iter().find(|s| **s == name))
                    {
                        Some(shown) => {
                            blocks.extend(show_block(
                                plan,
                                &fixes,
                                section.id.as_str(),
                                section.level,
                                shown,
                            ));
                            placed.push(shown);
                        }
                        None => blocks.push(block),
                    }
                }
            }
            for name in section.show.iter().filter(|n| !placed.contains(n)) {
                blocks.extend(show_block(
                    plan,
                    &fixes,
                    section.id.as_str(),
                    section.level,
                    name,
                ));
            }
            Section {
                id: section.id.to_string(),
                level: section.level.clamp(1, 3),
                title: section.title.clone(),
                blocks,
            }
        })
        .collect::<Vec<Section>>();
    // Cross-references to sections: `{{sida:ID}}` in the text.
    let titles: Vec<(String, String)> = sections
        .iter()
        .map(|s| (s.id.clone(), s.title.clone()))
        .collect();
    for section in &mut sections {
        section_refs(&titles, &mut section.blocks);
    }
    // The legend of statuses once, before the first table that shows a status.
    let mut legend_seen = false;
    for section in &mut sections {
        section.blocks.retain(|block| match block {
            Block::StatusLegend(_) if legend_seen => false,
            Block::StatusLegend(_) => {
                legend_seen = true;
                true
            }
            _ => true,
        });
    }
    // A proposal ends with what does not add up, for the people deciding.
    sections.extend(crate::reconciliation::section_of(plan, &report));
    Document {
        kind: DocumentKind::Plan,
        title: plan.document.title.clone(),
        subtitle: None,
        municipality: plan.municipality.name.clone(),
        body,
        cover_lines,
        sections,
    }
}

/// The names in `show` lists that no block answers to, as `section: name`.
/// The budget's tables as the document draws them, each under its heading: the summary, the
/// operating tables, the investment, exploitation and finance budgets. Printed totals keep their
/// stated figure and mark a difference from the computed one, as in the document.
pub fn budget_blocks(plan: &Plan) -> Vec<(String, Vec<Block>)> {
    let mut parts = budget_blocks_traced(plan);
    for (_, blocks) in &mut parts {
        crate::trace::link_blocks(blocks, None);
    }
    parts
}

/// [`budget_blocks`] with each figure inside a trace to where it comes from (`crate::trace`).
pub fn budget_blocks_traced(plan: &Plan) -> Vec<(String, Vec<Block>)> {
    let budget = &plan.budget;
    let fixes = Fixes::new(plan, &styr_checks::check(plan));
    let show_block = |plan: &Plan, section: &str, level: u8, name: ShowBlock| {
        show_block(plan, &fixes, section, level, &name)
    };
    let mut parts: Vec<(String, Vec<Block>)> = budget
        .operating
        .iter()
        .map(|table| {
            (
                table.title.clone(),
                show_block(plan, "budget", 2, ShowBlock::Operating(table.id.clone())),
            )
        })
        .collect();
    if budget.frame_change.is_some() {
        parts.push((
            "Ramförändring".to_owned(),
            show_block(plan, "budget", 2, ShowBlock::FrameChange),
        ));
    }
    if budget.frame_calculation.is_some() {
        parts.push((
            "Ramberäkning".to_owned(),
            show_block(plan, "budget", 2, ShowBlock::FrameCalculation),
        ));
    }
    parts.push((
        budget.investment.title.clone(),
        show_block(plan, "budget", 2, ShowBlock::Investment),
    ));
    parts.push((
        budget.exploitation.title.clone(),
        show_block(plan, "budget", 2, ShowBlock::Exploitation),
    ));
    parts.push((
        budget.finance.title.clone(),
        show_block(plan, "budget", 2, ShowBlock::Finance),
    ));
    parts.push((
        budget.finance.summary_title.clone(),
        show_block(plan, "budget", 2, ShowBlock::FinanceSummary),
    ));
    parts
}

pub fn unknown_blocks(plan: &Plan) -> Vec<String> {
    let fixes = Fixes::default();
    plan.sections
        .iter()
        .flat_map(|section| {
            section
                .show
                .iter()
                .filter(|name| {
                    matches!(
                        show_block(plan, &fixes, section.id.as_str(), section.level, name).first(),
                        Some(Block::Notice(_))
                    )
                })
                .map(move |name| format!("{}: {name}", section.id))
        })
        .collect()
}

fn decision_reference(plan: &Plan, id: &styr_domain::Id) -> Option<String> {
    let decision = plan.decision(id)?;
    let body = plan.body(&decision.body)?;
    Some(decision.reference(body.label()))
}

/// Replaces `{{sida:ID}}` in text runs by a reference to the section `ID` (an unknown id stays
/// as written, visible).
fn section_refs(titles: &[(String, String)], blocks: &mut [Block]) {
    fn runs(titles: &[(String, String)], list: &mut Vec<Inline>) {
        let mut out = Vec::with_capacity(list.len());
        for run in list.drain(..) {
            match run {
                Inline::Text(text) if text.contains("{{sida:") => {
                    let mut rest = text.as_str();
                    while let Some(start) = rest.find("{{sida:") {
                        let after = &rest[start + "{{sida:".len()..];
                        let Some(end) = after.find("}}") else {
                            break;
                        };
                        let id = after[..end].trim();
                        let Some((_, title)) = titles.iter().find(|(i, _)| i == id) else {
                            out.push(Inline::Text(rest[..start + 2].to_owned()));
                            rest = &rest[start + 2..];
                            continue;
                        };
                        if start > 0 {
                            out.push(Inline::Text(rest[..start].to_owned()));
                        }
                        out.push(Inline::SectionRef {
                            id: id.to_owned(),
                            title: title.clone(),
                        });
                        rest = &after[end + 2..];
                    }
                    if !rest.is_empty() {
                        out.push(Inline::Text(rest.to_owned()));
                    }
                }
                Inline::Strong(mut inner) => {
                    runs(titles, &mut inner);
                    out.push(Inline::Strong(inner));
                }
                Inline::Emph(mut inner) => {
                    runs(titles, &mut inner);
                    out.push(Inline::Emph(inner));
                }
                Inline::Note(mut inner) => {
                    runs(titles, &mut inner);
                    out.push(Inline::Note(inner));
                }
                other => out.push(other),
            }
        }
        *list = out;
    }
    for block in blocks {
        match block {
            Block::Paragraph(list) | Block::Notice(list) => runs(titles, list),
            Block::List { items, .. } => {
                for item in items {
                    section_refs(titles, item);
                }
            }
            Block::Quote(inner) => section_refs(titles, inner),
            _ => {}
        }
    }
}

/// The block a paragraph places (`{{op.fortroende}}` alone in its paragraph), if it is one.
fn placement(block: &Block) -> Option<ShowBlock> {
    let Block::Paragraph(runs) = block else {
        return None;
    };
    let text = Inline::plain(runs);
    let name = text.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    name.parse().ok()
}

/// Internal control the package marks as synthetic is said to be so before it is shown.
fn synthetic_first(plan: &Plan, mut blocks: Vec<Block>) -> Vec<Block> {
    if plan.control.synthetic {
        blocks.insert(0, Block::Synthetic(SYNTHETIC_NOTE.to_owned()));
    }
    blocks
}

fn notice(text: String) -> Vec<Block> {
    vec![Block::Notice(vec![Inline::Text(text)])]
}

/// Where the checker has found which printed cell is wrong — a group of findings with exactly
/// one smallest correction — the marker goes on that cell, and the other figures of the table
/// are checked against the plan with that correction applied: a printed sum the correction
/// confirms is shown unmarked, as printed. A printed figure is never replaced.
#[derive(Default)]
pub(crate) struct Fixes {
    /// The plan with every unique correction applied; `None` when there is none.
    corrected: Option<Plan>,
    /// The corrected cells and what the correction gives them.
    cells: HashMap<CheckCell, Money>,
}

impl Fixes {
    pub(crate) fn new(plan: &Plan, report: &styr_checks::Report) -> Fixes {
        let mut fixes = Fixes::default();
        for correction in &report.corrections {
            if let ([changes], 0) = (
                correction.alternatives.as_slice(),
                correction.more_alternatives,
            ) {
                for change in changes {
                    fixes.cells.insert(change.cell, change.to);
                }
            }
        }
        if !fixes.cells.is_empty() {
            let mut corrected = plan.clone();
            for (cell, to) in &fixes.cells {
                cell.set(&mut corrected, *to);
            }
            fixes.corrected = Some(corrected);
        }
        fixes
    }

    /// The plan the figures are checked against.
    fn plan<'a>(&'a self, plan: &'a Plan) -> &'a Plan {
        self.corrected.as_ref().unwrap_or(plan)
    }

    /// The cell marked as the one the correction changes, if it is.
    fn fixed(&self, cell: CheckCell, stated: Option<Money>, what: &str) -> Option<Cell> {
        let to = *self.cells.get(&cell)?;
        let stated = stated?;
        Some(Cell::runs(vec![
            Inline::Marked(vec![Inline::Text(format::tkr(stated))]),
            Inline::Note(vec![Inline::Text(format!(
                "{what}: i det tryckta dokumentet står {} tkr. Avstämningens minsta rättelse är {} tkr (skillnad {} tkr): med den stämmer tabellens rader och summor.",
                format::tkr(stated),
                format::tkr(to),
                format::tkr(stated - to)
            ))]),
        ]))
    }
}

fn show_block(
    plan: &Plan,
    fixes: &Fixes,
    section: &str,
    level: u8,
    block: &ShowBlock,
) -> Vec<Block> {
    let table_id = format!("tab-{section}-{}", block.to_string().replace('.', "-"));
    match block {
        ShowBlock::Operating(id) => match plan.budget.operating_table(id.as_str()) {
            Some(table) => vec![Block::Table(amount_table(
                plan,
                fixes,
                &table_id,
                &table.title,
                &table.years,
                AmountRows::Operating(
                    plan.budget
                        .operating
                        .iter()
                        .position(|t| t.id == table.id)
                        .unwrap_or_default(),
                ),
            ))],
            None => notice(format!("Tabellen {id} finns inte i planen.")),
        },
        ShowBlock::Investment => vec![Block::Table(investment_table(plan, fixes, &table_id))],
        ShowBlock::Exploitation => vec![Block::Table(exploitation_table(plan, fixes, &table_id))],
        ShowBlock::Finance => vec![Block::Table(finance_table(plan, fixes, &table_id))],
        ShowBlock::FinanceSummary => {
            let finance = &plan.budget.finance;
            vec![Block::Table(amount_table(
                plan,
                fixes,
                &table_id,
                &finance.summary_title,
                &finance.summary_years,
                AmountRows::FinanceSummary,
            ))]
        }
        ShowBlock::FrameCalculation => frame_calculation_blocks(plan, &table_id),
        ShowBlock::FrameChange => match frame_change_table(plan, fixes, &table_id) {
            Some(table) => vec![Block::Table(table)],
            None => notice("Planen har ingen ramförändring.".to_owned()),
        },
        ShowBlock::Goal(id) => goal_blocks(plan, id.as_str(), level),
        ShowBlock::Priorities(id) => priority_blocks(plan, id.as_str(), level, false),
        ShowBlock::Assignments(id) => assignment_blocks(plan, id.as_str(), &table_id),
        ShowBlock::Audits => {
            synthetic_first(plan, vec![Block::Table(audits_table(plan, &table_id))])
        }
        ShowBlock::Risks => synthetic_first(plan, risk_blocks(plan, &table_id, plan_year(plan))),
        ShowBlock::Controls => {
            synthetic_first(plan, vec![Block::Table(controls_table(plan, &table_id))])
        }
        ShowBlock::Org => org_blocks(plan, section, level),
    }
}

// ------------------------------------------------------------------ cells

fn amount_cell(money: Option<Money>) -> Cell {
    match money {
        Some(money) => Cell::text(format::tkr(money)),
        None => Cell::missing(),
    }
}

/// A total as printed, marked with both figures where the lines give another sum; the computed
/// sum where nothing is printed.
fn total_cell(stated: Option<Money>, computed: Option<Money>, what: &str) -> Cell {
    match (stated, computed) {
        (Some(stated), Some(computed)) if stated != computed => Cell::runs(vec![
            Inline::Marked(vec![Inline::Text(format::tkr(stated))]),
            Inline::Note(vec![Inline::Text(format!(
                "{what}: i det tryckta dokumentet står {} tkr; raderna summerar till {} tkr (skillnad {} tkr).",
                format::tkr(stated),
                format::tkr(computed),
                format::tkr(stated - computed)
            ))]),
        ]),
        (Some(stated), None) => Cell::runs(vec![
            Inline::Marked(vec![Inline::Text(format::tkr(stated))]),
            Inline::Note(vec![Inline::Text(format!(
                "{what}: tryckt summa {} tkr; det finns inga rader att summera.",
                format::tkr(stated)
            ))]),
        ]),
        (Some(amount), Some(_)) | (None, Some(amount)) => Cell::text(format::tkr(amount)),
        (None, None) => Cell::missing(),
    }
}

/// A printed figure shown as printed, marked with a note when it disagrees with `expected`.
fn checked_cell(stated: Option<Money>, expected: Option<(Money, String)>) -> Cell {
    match (stated, expected) {
        (Some(stated), Some((expected, explanation))) if stated != expected => Cell::runs(vec![
            Inline::Marked(vec![Inline::Text(format::tkr(stated))]),
            Inline::Note(vec![Inline::Text(format!(
                "I det tryckta dokumentet står {} tkr; {explanation} {} tkr (skillnad {} tkr).",
                format::tkr(stated),
                format::tkr(expected),
                format::tkr(stated - expected)
            ))]),
        ]),
        (stated, _) => amount_cell(stated),
    }
}

fn header(text: impl Into<String>) -> Cell {
    Cell::text(text)
}

fn columns(first: &str, rest: impl IntoIterator<Item = String>) -> Vec<Column> {
    let mut out = vec![Column {
        label: first.to_owned(),
        numeric: false,
    }];
    out.extend(rest.into_iter().map(|label| Column {
        label,
        numeric: true,
    }));
    out
}

/// What every budget table says under it about its sums.
const SUMS_NOTE: &str = "Summor står som de är tryckta; en figur som inte stämmer med de andra är markerad med båda beloppen i en fotnot.";

fn tkr_note() -> Option<Vec<Inline>> {
    Some(vec![Inline::text(format!(
        "Belopp i tkr. – betyder att uppgiften saknas. {SUMS_NOTE}"
    ))])
}

// ------------------------------------------------------------------ budget tables

/// Which rows an amount table shows: an operating table (by position) or the finance summary.
#[derive(Clone, Copy)]
enum AmountRows {
    Operating(usize),
    FinanceSummary,
}

impl AmountRows {
    fn rows(self, plan: &Plan) -> &[AmountRow] {
        match self {
            AmountRows::Operating(table) => plan
                .budget
                .operating
                .get(table)
                .map_or(&[], |t| t.rows.as_slice()),
            AmountRows::FinanceSummary => &plan.budget.finance.summary,
        }
    }

    fn cell(self, row: usize, year: Year) -> CheckCell {
        match self {
            AmountRows::Operating(table) => CheckCell::Operating { table, row, year },
            AmountRows::FinanceSummary => CheckCell::FinanceSummary { row, year },
        }
    }
}

/// An operating table or the finance summary: every figure as printed, a figure that does not
/// agree with its lines, parts or reference marked.
fn amount_table(
    plan: &Plan,
    fixes: &Fixes,
    id: &str,
    title: &str,
    years: &[Year],
    which: AmountRows,
) -> Table {
    let rows = which.rows(plan);
    let checked = fixes.plan(plan);
    let checked_rows = which.rows(checked);
    let mut table_rows = Vec::new();
    for (index, row) in rows.iter().enumerate() {
        let mut cells = Vec::new();
        let style = match row.kind {
            RowKind::Line => RowStyle::Normal,
            RowKind::Total => RowStyle::Total,
            RowKind::Part => RowStyle::Part,
        };
        cells.push(header(match row.kind {
            RowKind::Part => format!("varav {}", row.name),
            _ => row.name.clone(),
        }));
        for &year in years {
            let stated = row.amounts.get(&year).copied();
            let what = format!("{} {year}", row.name);
            // Each figure of an operating table links to its trace (`crate::trace`).
            let traced = |cell: Cell| match which {
                AmountRows::Operating(table) => match plan.budget.operating.get(table) {
                    Some(table) => crate::trace::wrap_cell(
                        cell,
                        crate::trace::plan_cell(&plan.budget.version.id, &table.id, &row.id, year),
                    ),
                    None => cell,
                },
                AmountRows::FinanceSummary => crate::trace::wrap_cell(
                    cell,
                    crate::trace::plan_finance_summary(&plan.budget.version.id, &row.id, year),
                ),
            };
            if let Some(cell) = fixes.fixed(which.cell(index, year), stated, &what) {
                cells.push(traced(cell));
                continue;
            }
            let cell = match row.kind {
                RowKind::Total => total_cell(stated, sum_lines(checked_rows, year), &what),
                RowKind::Line | RowKind::Part => {
                    let parts: Vec<Money> = checked_rows
                        .iter()
                        .filter(|r| r.kind == RowKind::Part && r.parent.as_ref() == Some(&row.id))
                        .filter_map(|r| r.amounts.get(&year).copied())
                        .collect();
                    let from_parts = (!parts.is_empty()).then(|| {
                        (
                            parts.iter().copied().sum::<Money>(),
                            "delarna (varav-raderna) summerar till".to_owned(),
                        )
                    });
                    let from_reference =
                        row.reference.as_ref().and_then(|reference| {
                            match reference.formula.with_default_year(year) {
                                Formula::Value(expr) => {
                                    checked.evaluate(&expr).ok().and_then(|q| {
                                        money_from_tkr(q.value).map(|m| {
                                            (
                                                m,
                                                format!(
                                                    "beräknat från data ({}) blir beloppet",
                                                    plan.describe_expr(&expr)
                                                ),
                                            )
                                        })
                                    })
                                }
                                Formula::Compare(..) => None,
                            }
                        });
                    match (stated, from_parts.clone().or(from_reference.clone())) {
                        (Some(s), _) if from_parts.as_ref().is_some_and(|(p, _)| *p != s) => {
                            checked_cell(stated, from_parts)
                        }
                        _ => checked_cell(stated, from_reference),
                    }
                }
            };
            cells.push(traced(cell));
        }
        table_rows.push(Row::new(style, cells));
    }
    Table {
        id: id.to_owned(),
        caption: title.to_owned(),
        columns: columns("Post", years.iter().map(|y| format!("Budget {y}"))),
        rows: table_rows,
        note: tkr_note(),
    }
}

fn money_from_tkr(value: Decimal) -> Option<Money> {
    let ore = value.checked_mul(Decimal::from(100_000))?;
    if ore.fract().is_zero() {
        i64::try_from(ore).ok().map(Money::from_ore)
    } else {
        None
    }
}

fn investment_table(plan: &Plan, fixes: &Fixes, id: &str) -> Table {
    let investment = &plan.budget.investment;
    let checked = &fixes.plan(plan).budget.investment;
    let label = |year: Year| match year.cmp(&investment.budget_year) {
        std::cmp::Ordering::Equal => format!("Budget {year}"),
        std::cmp::Ordering::Greater => format!("Plan {year}"),
        std::cmp::Ordering::Less => year.to_string(),
    };
    let mut cols = columns("Projekt", ["Budget tom".to_owned()]);
    cols.extend(
        columns("", investment.years.iter().map(|&y| label(y)))
            .into_iter()
            .skip(1),
    );
    let rows = investment
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let mut cells = vec![header(row.name.clone())];
            let columns = std::iter::once((None, row.until, format!("{} Budget tom", row.name)))
                .chain(investment.years.iter().map(|&year| {
                    (
                        Some(year),
                        row.amounts.get(&year).copied(),
                        format!("{} {}", row.name, label(year)),
                    )
                }));
            for (year, stated, what) in columns {
                let address = CheckCell::Investment { row: index, year };
                let cell = match fixes.fixed(address, stated, &what) {
                    Some(cell) => cell,
                    None if row.kind == RowKind::Total => {
                        let computed = match year {
                            Some(year) => checked.sum(year),
                            None => checked.sum_until(),
                        };
                        total_cell(stated, computed, &what)
                    }
                    None => amount_cell(stated),
                };
                cells.push(crate::trace::wrap_cell(
                    cell,
                    crate::trace::plan_investment(&plan.budget.version.id, &row.id, year),
                ));
            }
            Row::new(row_style(row.kind), cells)
        })
        .collect();
    Table {
        id: id.to_owned(),
        caption: investment.title.clone(),
        columns: cols,
        rows,
        note: Some(vec![Inline::text(format!(
            "Belopp i tkr. Budget tom = budget till och med föregående år. – betyder att uppgiften saknas. {SUMS_NOTE}"
        ))]),
    }
}

/// A budget table's row drawn as what it is: a total in bold, a line plainly.
fn row_style(kind: RowKind) -> RowStyle {
    if kind == RowKind::Total {
        RowStyle::Total
    } else {
        RowStyle::Normal
    }
}

fn net_expectation(income: Option<Money>, cost: Option<Money>) -> Option<(Money, String)> {
    match (income, cost) {
        (Some(income), Some(cost)) => Some((income + cost, "intäkter + kostnader blir".to_owned())),
        _ => None,
    }
}

fn exploitation_table(plan: &Plan, fixes: &Fixes, id: &str) -> Table {
    let exploitation = &plan.budget.exploitation;
    let checked = &fixes.plan(plan).budget.exploitation;
    let rows = exploitation
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let name = if row.name.is_empty() {
                row.project.clone()
            } else {
                row.name.clone()
            };
            let mut cells = vec![header(name.clone())];
            cells.push(if row.project.is_empty() {
                Cell::missing()
            } else {
                Cell::text(row.project.clone())
            });
            let checked_row = checked.rows.get(index).unwrap_or(row);
            for measure in Measure::ALL {
                let what = format!("{name}, {}", measure.label_sv().to_lowercase());
                let address = CheckCell::Exploitation {
                    row: index,
                    measure,
                };
                let stated = row.get(measure);
                let cell = match fixes.fixed(address, stated, &what) {
                    Some(cell) => cell,
                    None if row.kind == RowKind::Total => {
                        total_cell(stated, checked.sum(measure), &what)
                    }
                    None if measure == Measure::Net => checked_cell(
                        stated,
                        net_expectation(checked_row.income, checked_row.cost),
                    ),
                    None => amount_cell(stated),
                };
                cells.push(crate::trace::wrap_cell(
                    cell,
                    crate::trace::plan_exploitation(&plan.budget.version.id, &row.id, measure),
                ));
            }
            Row::new(row_style(row.kind), cells)
        })
        .collect();
    let mut cols = columns("Exploateringsprojekt", Vec::new());
    cols.push(Column {
        label: "Projektnummer".to_owned(),
        numeric: false,
    });
    cols.extend(
        ["Intäkter", "Kostnader", "Nettoresultat"]
            .into_iter()
            .map(|label| Column {
                label: label.to_owned(),
                numeric: true,
            }),
    );
    Table {
        id: id.to_owned(),
        caption: exploitation.title.clone(),
        columns: cols,
        rows,
        note: Some(vec![Inline::text(format!(
            "Belopp i tkr; intäkter positiva, kostnader negativa. Projektnummer kan förekomma på flera rader. – betyder att uppgiften saknas. {SUMS_NOTE}"
        ))]),
    }
}

fn finance_table(plan: &Plan, fixes: &Fixes, id: &str) -> Table {
    let finance = &plan.budget.finance;
    let checked = &fixes.plan(plan).budget.finance;
    let mut rows = Vec::new();
    let mut groups_headed: Vec<&styr_domain::Id> = Vec::new();
    for (row_index, row) in finance.rows.iter().enumerate() {
        let checked_row = checked.rows.get(row_index).unwrap_or(row);
        // A group of several lines with a total ("Summa övriga kostnader") is headed by the
        // total's name without "Summa", as the print heads it ("Övriga kostnader").
        if let (RowKind::Line, Some(group)) = (&row.kind, &row.group)
            && !groups_headed.contains(&group)
        {
            groups_headed.push(group);
            let lines = finance
                .rows
                .iter()
                .filter(|r| r.kind == RowKind::Line && r.group.as_ref() == Some(group))
                .count();
            let label = finance
                .rows
                .iter()
                .find(|r| r.kind == RowKind::Total && r.group.as_ref() == Some(group))
                .and_then(|total| total.name.strip_prefix("Summa "))
                .map(|label| {
                    let mut chars = label.chars();
                    chars
                        .next()
                        .map(|first| first.to_uppercase().chain(chars).collect::<String>())
                        .unwrap_or_default()
                });
            if let (true, Some(label)) = (lines > 1, label) {
                rows.push(Row::new(RowStyle::Group, vec![header(label)]));
            }
        }
        let span = row.lines.len();
        for (index, line) in row.lines.iter().enumerate() {
            let mut cells = Vec::new();
            if index == 0 {
                cells.push(header(row.name.clone()));
            }
            cells.push(Cell::text(line.measure.label_sv()));
            for &year in &finance.years {
                let stated = line.amounts.get(&year).copied();
                let what = format!(
                    "{}, {} {year}",
                    row.name,
                    line.measure.label_sv().to_lowercase()
                );
                let address = CheckCell::Finance {
                    row: row_index,
                    line: index,
                    year,
                };
                let traced = |cell: Cell| {
                    crate::trace::wrap_cell(
                        cell,
                        crate::trace::plan_finance(
                            &plan.budget.version.id,
                            &row.id,
                            line.measure,
                            year,
                        ),
                    )
                };
                if let Some(cell) = fixes.fixed(address, stated, &what) {
                    cells.push(traced(cell));
                    continue;
                }
                let cell = match (&row.kind, &row.group) {
                    (RowKind::Total, Some(group)) => {
                        total_cell(stated, checked.group_sum(group, line.measure, year), &what)
                    }
                    _ if line.measure == Measure::Net => checked_cell(
                        stated,
                        net_expectation(
                            checked_row.amount(Measure::Income, year),
                            checked_row.amount(Measure::Cost, year),
                        ),
                    ),
                    _ => amount_cell(stated),
                };
                cells.push(traced(cell));
            }
            let style = if row.kind == RowKind::Total {
                RowStyle::Total
            } else {
                RowStyle::Normal
            };
            rows.push(Row {
                style,
                header_span: if index == 0 { span } else { 0 },
                cells,
            });
        }
    }
    let mut cols = columns("Post", Vec::new());
    cols.push(Column {
        label: "Slag".to_owned(),
        numeric: false,
    });
    cols.extend(finance.years.iter().map(|y| Column {
        label: format!("Budget {y}"),
        numeric: true,
    }));
    Table {
        id: id.to_owned(),
        caption: finance.title.clone(),
        columns: cols,
        rows,
        note: tkr_note(),
    }
}

fn frame_change_table(plan: &Plan, fixes: &Fixes, id: &str) -> Option<Table> {
    let change = plan.budget.frame_change.as_ref()?;
    let checked = fixes.plan(plan);
    // Parts measured from a base the plan does not hold are shown as printed and noted as not
    // verifiable, like a claim on that base in the text (the checker's warning).
    let unheld_base = missing_base(&plan.budget.version, &change.from_label);
    let mut rows: Vec<Row> = change
        .components
        .iter()
        .enumerate()
        .map(|(index, component)| {
            let expr =
                component
                    .reference
                    .as_ref()
                    .and_then(|reference| match &reference.formula {
                        Formula::Value(expr) => Some((reference, expr)),
                        Formula::Compare(..) => None,
                    });
            let address = CheckCell::FrameChangeComponent { component: index };
            let cell = match (
                fixes.fixed(address, Some(component.amount), &component.label),
                expr,
                unheld_base,
            ) {
                (Some(cell), _, _) => cell,
                (None, Some((reference, expr)), Some(base)) => {
                    let outcome = match checked.evaluate(expr) {
                        Ok(q) => format!(
                            "blir {} {} tkr",
                            figure_word(expr),
                            format::decimal_as_written(q.value)
                        ),
                        Err(error) => format!("kan beloppet inte beräknas: {error}"),
                    };
                    Cell::runs(vec![
                        Inline::Unverified(format::tkr(component.amount)),
                        Inline::Note(vec![Inline::Text(format!(
                            "{}: {} tkr {}.",
                            component.label,
                            format::tkr(component.amount),
                            missing_base_note(base, &reference.formula, &outcome)
                        ))]),
                    ])
                }
                (None, Some((_, expr)), None) => checked_cell(
                    Some(component.amount),
                    checked
                        .evaluate(expr)
                        .ok()
                        .and_then(|q| money_from_tkr(q.value))
                        .map(|m| {
                            (
                                m,
                                format!(
                                    "beräknat från data ({}) blir beloppet",
                                    plan.describe_expr(expr)
                                ),
                            )
                        }),
                ),
                (None, None, _) => amount_cell(Some(component.amount)),
            };
            let cell = crate::trace::wrap_cell(
                cell,
                crate::trace::plan_frame_change(&plan.budget.version.id, Some(&component.id)),
            );
            Row::new(
                RowStyle::Normal,
                vec![header(component.label.clone()), cell],
            )
        })
        .collect();
    let what = "Ramförändringen";
    let computed: Money = checked
        .budget
        .frame_change
        .as_ref()
        .map_or(Money::ZERO, |c| c.components.iter().map(|c| c.amount).sum());
    let total = fixes
        .fixed(CheckCell::FrameChangeStated, Some(change.stated), what)
        .unwrap_or_else(|| total_cell(Some(change.stated), Some(computed), what));
    let total = crate::trace::wrap_cell(
        total,
        crate::trace::plan_frame_change(&plan.budget.version.id, None),
    );
    rows.push(Row::new(
        RowStyle::Total,
        vec![
            header(format!(
                "Ramförändring från {} till {}",
                change.from_label, change.to_year
            )),
            total,
        ],
    ));
    Some(Table {
        id: id.to_owned(),
        caption: format!("Ramförändring {}", change.to_year),
        columns: columns("Del", ["Belopp".to_owned()]),
        rows,
        note: tkr_note(),
    })
}

// ------------------------------------------------------------------ ramberäkning

/// What the document says beside a frame calculation the package marks synthetic.
pub const FRAME_CALCULATION_SYNTHETIC_NOTE: &str = "Syntetiska exempeldata: ramberäkningen innehåller belopp som är påhittade för exemplet och inte kommunens egna uppgifter eller beslut.";

/// A decision's printed reference, or its id when the plan lacks it; empty for none.
pub fn decision_text(plan: &Plan, id: Option<&styr_domain::Id>) -> String {
    id.map(|id| decision_reference(plan, id).unwrap_or_else(|| id.to_string()))
        .unwrap_or_default()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The ramberäkning: a table from the base through each line (with how it is computed and its
/// decision) to the computed frame, and a waterfall chart of the same steps with its data
/// table. The total is the computed sum of the rows shown; the plan's stated frame and frame
/// change, and a line's typed amount, are shown as printed and marked where they differ.
fn frame_calculation_blocks(plan: &Plan, id: &str) -> Vec<Block> {
    let Some(calc) = &plan.budget.frame_calculation else {
        return notice("Planen har ingen ramberäkning.".to_owned());
    };
    let mut blocks = Vec::new();
    if calc.synthetic {
        blocks.push(Block::Synthetic(
            FRAME_CALCULATION_SYNTHETIC_NOTE.to_owned(),
        ));
    }
    let base = calc.base_amount;
    let base_cell = match &calc.base_version {
        Some(version) if version != &plan.budget.version.id => Cell::runs(vec![
            Inline::Unverified(format::tkr(base)),
            Inline::Note(vec![Inline::Text(format!(
                "{}: {} tkr kan inte kontrolleras här: versionen {version} finns inte i planen.",
                capitalised(&calc.base_label),
                format::tkr(base)
            ))]),
        ]),
        _ => amount_cell(Some(base)),
    };
    let text = |t: String| Cell::text(t);
    // Each figure links to its trace (`crate::trace::FramePart`).
    let version = &plan.budget.version.id;
    let traced = |cell: Cell, part: FramePart| {
        crate::trace::wrap_cell(cell, crate::trace::plan_frame_calculation(version, &part))
    };
    let mut rows = vec![Row::new(
        RowStyle::Normal,
        vec![
            header(capitalised(&calc.base_label)),
            text(String::new()),
            text(
                calc.base_version
                    .as_ref()
                    .map(|v| format!("version {v}"))
                    .unwrap_or_default(),
            ),
            traced(base_cell, FramePart::Base),
        ],
    )];
    // The trace of each step of the chart, in the same order.
    let mut step_paths = vec![FramePart::Base];
    let mut steps = vec![chart::WaterfallStep {
        label: capitalised(&calc.base_label),
        total: true,
        from: base.tkr(),
        to: base.tkr(),
    }];
    let mut running = base;
    for computed in calc.computed_lines() {
        let line = computed.line;
        let how = match (line.percent, line.volume, line.unit_cost) {
            (Some(percent), _, _) => format!(
                "{} % av {} tkr",
                format::decimal_as_written(percent),
                format::tkr(base)
            ),
            (_, Some(volume), Some(cost)) => format!(
                "{} × {} tkr",
                format::decimal_as_written(volume),
                format::decimal_as_written(cost)
            ),
            _ => line.kind.label_sv().to_owned(),
        };
        let amount = match (computed.effect, line.stated_differs(base)) {
            (Some(_), Some((stated, value))) => {
                let signed = |m: Money| {
                    if line.kind == styr_domain::budget::FrameLineKind::Efficiency {
                        -m
                    } else {
                        m
                    }
                };
                checked_cell(
                    Some(signed(stated)),
                    Some((signed(value), format!("beräknat ({how}) blir beloppet"))),
                )
            }
            (effect, _) => amount_cell(effect),
        };
        rows.push(Row::new(
            RowStyle::Normal,
            vec![
                header(line.label.clone()),
                text(how),
                text(decision_text(plan, line.decision.as_ref())),
                traced(amount, FramePart::Line(line.id.clone())),
            ],
        ));
        if let Some(effect) = computed.effect {
            step_paths.push(FramePart::Line(line.id.clone()));
            steps.push(chart::WaterfallStep {
                label: line.label.clone(),
                total: false,
                from: running.tkr(),
                to: (running + effect).tkr(),
            });
            running = running + effect;
        }
    }
    let change = calc.change();
    let stated_change = plan
        .budget
        .frame_change
        .as_ref()
        .filter(|c| c.to_year == calc.year)
        .map(|c| c.stated);
    let change_cell = match (stated_change, change) {
        (Some(stated), Some(computed)) => checked_cell(
            Some(stated),
            Some((computed, "raderna summerar till".to_owned())),
        ),
        (_, computed) => amount_cell(computed),
    };
    let frame = calc.computed_frame();
    rows.push(Row::new(
        RowStyle::Total,
        vec![
            header(format!("Ram {}", calc.year)),
            text(String::new()),
            text(decision_text(plan, calc.decision.as_ref())),
            traced(amount_cell(frame), FramePart::Frame),
        ],
    ));
    // The change is the frame less the base: shown under the total, not summed again.
    rows.push(Row::new(
        RowStyle::Part,
        vec![
            header(format!("Förändring från {}", calc.base_label)),
            text(String::new()),
            text(String::new()),
            traced(change_cell, FramePart::Change),
        ],
    ));
    if let (Some(stated), Some(computed)) = (plan.budget.frame(calc.year), frame)
        && stated.amount != computed
    {
        rows.push(Row::new(
            RowStyle::Normal,
            vec![
                header(format!("Ram {} enligt budgeten", calc.year)),
                text(String::new()),
                text(decision_text(plan, stated.decision.as_ref())),
                traced(
                    checked_cell(
                        Some(stated.amount),
                        Some((computed, "ramberäkningen ger".to_owned())),
                    ),
                    FramePart::Stated,
                ),
            ],
        ));
    }
    let column = |label: &str, numeric: bool| Column {
        label: label.to_owned(),
        numeric,
    };
    blocks.push(Block::Table(Table {
        id: id.to_owned(),
        caption: format!("Ramberäkning {}", calc.year),
        columns: vec![
            column("Del", false),
            column("Beräkning", false),
            column("Beslut", false),
            column("Belopp", true),
        ],
        rows,
        note: Some(vec![Inline::text(format!(
            "Belopp i tkr. Beräknade belopp (procent av grundbeloppet, volym × styckkostnad) är \
             avrundade till hela tkr; ramen är summan av raderna. {SUMS_NOTE}"
        ))]),
    }));
    if let Some(frame) = frame {
        step_paths.push(FramePart::Frame);
        steps.push(chart::WaterfallStep {
            label: format!("Ram {}", calc.year),
            total: true,
            from: frame.tkr(),
            to: frame.tkr(),
        });
        let chart_id = format!("{id}-diagram");
        let title = format!(
            "Ramberäkning {}: från {} till ram {}",
            calc.year, calc.base_label, calc.year
        );
        let data_rows = steps
            .iter()
            .zip(step_paths)
            .map(|(step, part)| {
                let value = if step.total {
                    step.to
                } else {
                    step.to - step.from
                };
                Row::new(
                    RowStyle::Normal,
                    vec![
                        header(step.label.clone()),
                        traced(
                            Cell::text(if step.total {
                                format::decimal_as_written(value)
                            } else {
                                format::signed(value)
                            }),
                            part,
                        ),
                    ],
                )
            })
            .collect();
        blocks.push(Block::Chart(Chart {
            id: chart_id.clone(),
            title: title.clone(),
            description: chart::describe_waterfall(&steps, "tkr"),
            svg: chart::waterfall_chart(&chart_id, &title, &steps, "tkr"),
            data: Table {
                id: format!("{chart_id}-data"),
                caption: format!("Data: ramberäkning {}", calc.year),
                columns: columns("Steg", ["Belopp (tkr)".to_owned()]),
                rows: data_rows,
                note: None,
            },
        }));
    }
    blocks
}

// ------------------------------------------------------------------ goals

fn unit_suffix(unit: &Option<String>) -> String {
    match unit.as_deref() {
        Some("%") => "\u{a0}%".to_owned(),
        _ => String::new(),
    }
}

fn goal_blocks(plan: &Plan, goal_id: &str, level: u8) -> Vec<Block> {
    let Some(goal) = plan.goals.iter().find(|g| g.id.as_str() == goal_id) else {
        return notice(format!("Målet {goal_id} finns inte i planen."));
    };
    let mut blocks = Vec::new();
    if let Some(description) = &goal.description {
        blocks.extend(narrative::markdown_blocks_traced(
            plan,
            &goal.at.file,
            description,
            level,
        ));
    }
    let indicators: Vec<_> = plan
        .indicators
        .iter()
        .filter(|i| i.goal == goal.id)
        .collect();
    if !indicators.is_empty() {
        let values = |id: &styr_domain::Id, kind: ValueKind| -> Vec<(Year, Decimal)> {
            let mut out: Vec<(Year, Decimal)> = plan
                .indicator_values
                .iter()
                .filter(|v| &v.indicator == id && v.kind == kind)
                .map(|v| (v.year, v.value))
                .collect();
            out.sort_by_key(|(year, _)| *year);
            out
        };
        let years_of = |kind: ValueKind| -> Vec<Year> {
            let mut years: Vec<Year> = indicators
                .iter()
                .flat_map(|i| values(&i.id, kind).into_iter().map(|(y, _)| y))
                .collect();
            years.sort_unstable();
            years.dedup();
            years
        };
        let outcome_years = years_of(ValueKind::Outcome);
        let target_years = years_of(ValueKind::Target);
        let mut cols = columns("Indikator", Vec::new());
        for label in ["Nivå", "Enhet", "Bättre"] {
            cols.push(Column {
                label: label.to_owned(),
                numeric: false,
            });
        }
        cols.extend(outcome_years.iter().map(|y| Column {
            label: format!("Utfall {y}"),
            numeric: true,
        }));
        cols.extend(target_years.iter().map(|y| Column {
            label: format!("Mål {y}"),
            numeric: true,
        }));
        let mut rows = Vec::new();
        let mut charts = Vec::new();
        for indicator in &indicators {
            let mut name = vec![Inline::Text(indicator.name.clone())];
            if let Some(footnote) = &indicator.footnote {
                name.push(Inline::Note(vec![Inline::Text(footnote.clone())]));
            }
            let mut cells = vec![Cell::runs(name)];
            cells.push(Cell::text(match indicator.level {
                IndicatorLevel::Council => "KF",
                IndicatorLevel::Board => "Nämnd",
            }));
            cells.push(match &indicator.unit {
                Some(unit) => Cell::text(unit.clone()),
                None => Cell::missing(),
            });
            cells.push(match indicator.direction {
                Some(Direction::Higher) => Cell::text("Högre"),
                Some(Direction::Lower) => Cell::text("Lägre"),
                None => Cell::missing(),
            });
            let outcomes = values(&indicator.id, ValueKind::Outcome);
            let targets = values(&indicator.id, ValueKind::Target);
            let suffix = unit_suffix(&indicator.unit);
            let value_cell = |list: &[(Year, Decimal)], year: Year| match list
                .iter()
                .find(|(y, _)| *y == year)
            {
                Some((_, value)) => {
                    Cell::text(format!("{}{suffix}", format::decimal_as_written(*value)))
                }
                None => Cell::missing(),
            };
            // Each value links to its trace (`crate::trace::IndicatorFigure`).
            let traced = |cell: Cell, figure: IndicatorFigure, year: Year| {
                crate::trace::wrap_cell(
                    cell,
                    crate::trace::plan_indicator(
                        &plan.budget.version.id,
                        &indicator.id,
                        figure,
                        year,
                    ),
                )
            };
            for &year in &outcome_years {
                cells.push(traced(
                    value_cell(&outcomes, year),
                    IndicatorFigure::Outcome,
                    year,
                ));
            }
            for &year in &target_years {
                cells.push(traced(
                    value_cell(&targets, year),
                    IndicatorFigure::Target,
                    year,
                ));
            }
            rows.push(Row::new(RowStyle::Normal, cells));

            let kolada = kolada_series(plan, indicator, &outcomes);
            let series = IndicatorSeries {
                id: format!("chart-{}", indicator.id),
                title: indicator.name.clone(),
                unit: indicator.unit.clone().unwrap_or_default(),
                direction: indicator.direction,
                outcomes: kolada.outcomes.clone(),
                targets: targets.clone(),
                comparison: kolada.mean.clone(),
                comparison_label: kolada.label.clone(),
            };
            let mut chart_years: Vec<Year> = kolada
                .outcomes
                .iter()
                .chain(&targets)
                .chain(&kolada.mean)
                .map(|(y, _)| *y)
                .collect();
            chart_years.sort_unstable();
            chart_years.dedup();
            let data_rows = chart_years
                .iter()
                .map(|&year| {
                    let mut cells = vec![
                        header(year.to_string()),
                        traced(
                            value_cell(&kolada.outcomes, year),
                            IndicatorFigure::Outcome,
                            year,
                        ),
                        traced(value_cell(&targets, year), IndicatorFigure::Target, year),
                    ];
                    for (_, member_values) in &kolada.members {
                        cells.push(traced(
                            value_cell(member_values, year),
                            IndicatorFigure::Comparison,
                            year,
                        ));
                    }
                    if !kolada.members.is_empty() {
                        cells.push(traced(
                            value_cell(&kolada.mean, year),
                            IndicatorFigure::Comparison,
                            year,
                        ));
                    }
                    Row::new(RowStyle::Normal, cells)
                })
                .collect();
            let mut data_columns = vec!["Utfall".to_owned(), "Mål".to_owned()];
            data_columns.extend(kolada.members.iter().map(|(name, _)| name.clone()));
            if !kolada.members.is_empty() {
                data_columns.push(kolada.label.clone());
            }
            charts.push(Block::Chart(Chart {
                id: series.id.clone(),
                title: if kolada.members.is_empty() {
                    format!("{} – utfall och mål", indicator.name)
                } else {
                    format!("{} – utfall, mål och jämförelse", indicator.name)
                },
                description: chart::describe(&series),
                svg: chart::indicator_chart(&series),
                data: Table {
                    id: format!("{}-data", series.id),
                    caption: format!("Data: {}", indicator.name),
                    columns: columns("År", data_columns),
                    rows: data_rows,
                    note: kolada.note.map(|note| vec![Inline::text(note)]),
                },
            }));
        }
        blocks.push(Block::Table(Table {
            id: format!("tab-indikatorer-{goal_id}"),
            caption: format!("Indikatorer för mål {}", goal.number),
            columns: cols,
            rows,
            note: Some(vec![Inline::text(
                "Nivå KF = indikatorn är beslutad av kommunfullmäktige. Bättre = vilket håll som är bättre. – betyder att värdet saknas (inte mätt eller inte angivet).",
            )]),
        }));
        blocks.extend(charts);
    }
    let shown_elsewhere = plan.sections.iter().any(|s| {
        s.show
            .iter()
            .any(|block| matches!(block, ShowBlock::Priorities(id) if id.as_str() == goal_id))
    });
    if !shown_elsewhere {
        blocks.extend(priority_blocks(plan, goal_id, level, true));
    }
    blocks
}

fn priority_blocks(plan: &Plan, goal_id: &str, level: u8, with_heading: bool) -> Vec<Block> {
    let priorities: Vec<_> = plan
        .priorities
        .iter()
        .filter(|p| p.goal.as_str() == goal_id)
        .collect();
    if priorities.is_empty() {
        return Vec::new();
    }
    let mut blocks = Vec::new();
    if with_heading {
        blocks.push(Block::Subheading {
            level: (level + 1).min(6),
            text: "Prioriteringar".to_owned(),
        });
    }
    blocks.push(Block::List {
        ordered: false,
        items: priorities
            .iter()
            .map(|p| narrative::markdown_blocks_traced(plan, &p.at.file, &p.text, level + 1))
            .collect(),
    });
    blocks
}

// ------------------------------------------------------------------ assignments

fn assignment_blocks(plan: &Plan, section_id: &str, table_id: &str) -> Vec<Block> {
    let mentions: Vec<_> = plan
        .mentions
        .iter()
        .filter(|m| m.section.as_str() == section_id)
        .collect();
    if mentions.is_empty() {
        return notice(format!("Inga uppdrag nämns i avsnittet {section_id}."));
    }
    let mut periods_used = Vec::new();
    let mut unknown = 0;
    let mut shown: Vec<AssignmentStatus> = Vec::new();
    let mut rows: Vec<Row> = mentions
        .iter()
        .map(|mention| {
            let assignment = plan.assignments.iter().find(|a| a.id == mention.assignment);
            let mut first = Vec::new();
            match assignment {
                Some(assignment) => {
                    let label = mention.label.trim();
                    let code_shown = assignment
                        .code
                        .as_ref()
                        .is_none_or(|code| label.contains(code.as_str()));
                    if label.contains(assignment.title.as_str()) {
                        if !code_shown {
                            first.push(Inline::Strong(vec![Inline::Text(format!(
                                "{} ",
                                assignment.code.clone().unwrap_or_default()
                            ))]));
                        }
                        first.extend(narrative::text_runs_traced(plan, &mention.at.file, label));
                    } else {
                        let heading = match &assignment.code {
                            Some(code) if !code_shown => format!("{code} {}", assignment.title),
                            _ => assignment.title.clone(),
                        };
                        first.push(Inline::Strong(narrative::text_runs_traced(
                            plan,
                            &assignment.at.file,
                            &heading,
                        )));
                        first.push(Inline::LineBreak);
                        first.extend(narrative::text_runs_traced(plan, &mention.at.file, label));
                    }
                }
                None => first.extend(narrative::text_runs_traced(
                    plan,
                    &mention.at.file,
                    &mention.label,
                )),
            }
            let responsible = assignment
                .map(|a| {
                    a.responsible
                        .iter()
                        .map(|id| {
                            plan.body(id)
                                .map(|b| b.label().to_owned())
                                .unwrap_or_else(|| id.to_string())
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .filter(|text| !text.is_empty());
            let latest = plan
                .statuses
                .iter()
                .filter(|s| s.assignment == mention.assignment)
                .filter_map(|s| {
                    plan.periods
                        .iter()
                        .find(|p| p.id == s.period)
                        .map(|p| (p, s))
                })
                .max_by(|(a, _), (b, _)| a.month.cmp(&b.month));
            let (status_cell, comment_cell) = match latest {
                Some((period, report)) => {
                    if !periods_used.contains(&period.title) {
                        periods_used.push(period.title.clone());
                    }
                    // A status the source does not show is said once, under the table, not
                    // as a row of "Okänd".
                    let status_cell = if report.status == AssignmentStatus::Unknown {
                        unknown += 1;
                        Cell::missing()
                    } else {
                        if !shown.contains(&report.status) {
                            shown.push(report.status);
                        }
                        Cell::runs(vec![Inline::Status(report.status)])
                    };
                    (
                        status_cell,
                        match &report.comment {
                            Some(comment) => Cell::runs(narrative::text_runs_traced(
                                plan,
                                &report.at.file,
                                comment,
                            )),
                            None => Cell::missing(),
                        },
                    )
                }
                None => (Cell::text("Ingen rapport"), Cell::missing()),
            };
            Row::new(
                RowStyle::Normal,
                vec![
                    Cell::runs(first),
                    responsible.map(Cell::text).unwrap_or_else(Cell::missing),
                    status_cell,
                    comment_cell,
                ],
            )
        })
        .collect();
    let title = plan
        .sections
        .iter()
        .find(|s| s.id.as_str() == section_id)
        .map(|s| s.title.clone())
        .unwrap_or_else(|| section_id.to_owned());
    let period_text = if periods_used.is_empty() {
        String::new()
    } else {
        format!(" – status per {}", periods_used.join(", "))
    };
    // Every status unknown: no column of dashes, one sentence instead.
    let status_column = unknown < rows.len();
    if !status_column {
        for row in &mut rows {
            row.cells.remove(2);
        }
    }
    let mut cols = columns("Uppdrag", Vec::new());
    for label in ["Ansvarig", "Status", "Kommentar"] {
        if label == "Status" && !status_column {
            continue;
        }
        cols.push(Column {
            label: label.to_owned(),
            numeric: false,
        });
    }
    let mut note = String::new();
    if unknown > 0 {
        let period = if periods_used.is_empty() {
            String::new()
        } else {
            format!(" i {}", periods_used.join(", "))
        };
        if status_column {
            note.push_str(&format!(
                "Källan visar inte status{period} för {unknown} av {} uppdrag (symbolerna saknas i det tryckta dokumentet); deras status står som –. styr gissar aldrig en status. ",
                rows.len()
            ));
        } else {
            note.push_str(&format!(
                "Källan visar inte uppdragens status{period} (symbolerna saknas i det tryckta dokumentet), så tabellen har ingen statuskolumn; styr gissar aldrig en status. "
            ));
        }
    }
    note.push_str("– betyder att uppgiften saknas.");
    let mut blocks = Vec::new();
    if !shown.is_empty() {
        blocks.push(Block::StatusLegend(
            AssignmentStatus::ALL
                .iter()
                .copied()
                .filter(|s| *s != AssignmentStatus::Unknown)
                .collect(),
        ));
    }
    blocks.push(Block::Table(Table {
        id: table_id.to_owned(),
        caption: format!("Uppdrag: {title}{period_text}"),
        columns: cols,
        rows,
        note: Some(vec![Inline::text(note)]),
    }));
    blocks
}

// ------------------------------------------------------------------ internal control

fn text_or_missing(text: Option<String>) -> Cell {
    text.map(Cell::text).unwrap_or_else(Cell::missing)
}

fn unit_name(plan: &Plan, unit: Option<&styr_domain::Id>) -> Option<String> {
    unit.and_then(|u| plan.units.iter().find(|x| &x.id == u))
        .map(|u| u.name.clone())
}

fn audits_table(plan: &Plan, id: &str) -> Table {
    let rows = plan
        .control
        .audits
        .iter()
        .map(|audit| {
            let recommendations = if audit.recommendations.is_empty() {
                None
            } else {
                Some(
                    audit
                        .recommendations
                        .iter()
                        .map(|r| {
                            let states: Vec<_> = r.actions.iter().map(|a| a.status).collect();
                            let state = if recommendation_is_open(&states) {
                                "öppen"
                            } else {
                                "avslutad"
                            };
                            format!("{} ({state})", r.text)
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            };
            Row::new(
                RowStyle::Normal,
                vec![
                    header(audit.title.clone()),
                    text_or_missing(audit.case.as_ref().map(ToString::to_string)),
                    text_or_missing(audit.year.map(|y| y.to_string())),
                    text_or_missing(recommendations),
                ],
            )
        })
        .collect();
    let mut cols = columns("Granskning", Vec::new());
    for label in ["Diarienummer", "År", "Rekommendationer"] {
        cols.push(Column {
            label: label.to_owned(),
            numeric: false,
        });
    }
    Table {
        id: id.to_owned(),
        caption: "Revisionens granskningar".to_owned(),
        columns: cols,
        rows,
        note: Some(vec![Inline::text(
            "En rekommendation är öppen tills varje åtgärd är genomförd eller avslutad utan åtgärd. – betyder att uppgiften saknas.",
        )]),
    }
}

/// The year a plan's risk matrix is drawn for: the plan's first year.
pub fn plan_year(plan: &Plan) -> Year {
    plan.document
        .years
        .first()
        .copied()
        .unwrap_or(plan.budget.investment.budget_year)
}

/// The risk matrix of a year as a chart (the SVG, its description, and the counts per cell as
/// its data table), followed by the register: the risks below the matrix.
pub fn risk_blocks(plan: &Plan, id: &str, year: Year) -> Vec<Block> {
    let matrix = risk_matrix(&plan.control, year);
    let titles: Vec<(styr_domain::Id, String)> = plan
        .control
        .risks
        .iter()
        .map(|r| (r.id.clone(), r.title.clone()))
        .collect();
    let risks = chart::matrix_risks(&matrix, &titles);
    let title = format!("Riskmatris {year}");
    let chart_id = format!("{id}-matris");
    let mut cols = vec![Column {
        label: "Sannolikhet".to_owned(),
        numeric: false,
    }];
    for consequence in 1..=matrix.scale.consequence {
        cols.push(Column {
            label: format!("Konsekvens {consequence}"),
            numeric: true,
        });
    }
    let data_rows = (1..=matrix.scale.likelihood)
        .rev()
        .map(|likelihood| {
            let mut cells = vec![header(likelihood.to_string())];
            for consequence in 1..=matrix.scale.consequence {
                let count = matrix
                    .cell(likelihood, consequence)
                    .map_or(0, |c| c.risks.len());
                cells.push(crate::trace::wrap_cell(
                    Cell::text(count.to_string()),
                    crate::trace::risk_cell(&plan.budget.version.id, year, likelihood, consequence),
                ));
            }
            Row::new(RowStyle::Normal, cells)
        })
        .collect();
    let chart = Chart {
        id: chart_id.clone(),
        title: title.clone(),
        description: chart::describe_risk_matrix(&matrix, &risks),
        svg: chart::risk_matrix_chart(&chart_id, &title, &matrix, &risks),
        data: Table {
            id: format!("{chart_id}-data"),
            caption: format!("{title}: antal risker per cell"),
            columns: cols,
            rows: data_rows,
            note: None,
        },
    };
    vec![
        Block::Chart(chart),
        Block::Table(risks_table(plan, id, year)),
    ]
}

fn risks_table(plan: &Plan, id: &str, year: Year) -> Table {
    let scale = plan.control.scale();
    let rows = plan
        .control
        .risks
        .iter()
        .enumerate()
        .map(|(index, risk)| {
            let assessment = risk.assessment(year);
            let history: Vec<String> = risk
                .assessments
                .iter()
                .map(|a| format!("{}: {} × {}", a.year, a.likelihood, a.consequence))
                .collect();
            Row::new(
                RowStyle::Normal,
                vec![
                    header(format!("{}. {}", index + 1, risk.title)),
                    text_or_missing(risk.process.clone()),
                    text_or_missing(unit_name(plan, risk.owner.as_ref())),
                    text_or_missing(assessment.map(|a| {
                        let band = scale
                            .band(a.score())
                            .map_or(String::new(), |b| format!(" ({})", b.label.to_lowercase()));
                        format!("{} × {} = {}{band}", a.likelihood, a.consequence, a.score())
                    })),
                    text_or_missing((!history.is_empty()).then(|| history.join("; "))),
                    text_or_missing(risk.decision.map(|d| d.label_sv().to_owned())),
                ],
            )
        })
        .collect();
    let mut cols = columns("Risk", Vec::new());
    for label in [
        "Process",
        "Ägare",
        "Sannolikhet × konsekvens",
        "Bedömningar",
        "Beslut",
    ] {
        cols.push(Column {
            label: label.to_owned(),
            numeric: false,
        });
    }
    Table {
        id: id.to_owned(),
        caption: format!("Risker {year}"),
        columns: cols,
        rows,
        note: Some(vec![Inline::text(format!(
            "Sannolikhet 1–{} och konsekvens 1–{}; riskvärdet är produkten. – betyder att risken inte är bedömd.",
            scale.likelihood, scale.consequence
        ))]),
    }
}

fn controls_table(plan: &Plan, id: &str) -> Table {
    let rows = plan
        .control
        .controls
        .iter()
        .map(|control| {
            let risk = control
                .risk
                .as_ref()
                .and_then(|r| plan.control.risks.iter().find(|risk| &risk.id == r))
                .map(|risk| risk.title.clone());
            let periods =
                (!control.periods.is_empty()).then(|| styr_domain::month::list(&control.periods));
            let decision = control
                .decision
                .as_ref()
                .and_then(|d| decision_reference(plan, d));
            Row::new(
                RowStyle::Normal,
                vec![
                    header(control.title.clone()),
                    text_or_missing(control.checks.clone()),
                    text_or_missing(risk),
                    text_or_missing(control.method.clone()),
                    text_or_missing(control.frequency.clone()),
                    text_or_missing(unit_name(plan, control.responsible.as_ref())),
                    text_or_missing(periods),
                    text_or_missing(decision),
                ],
            )
        })
        .collect();
    let mut cols = columns("Kontroll", Vec::new());
    for label in [
        "Vad kontrolleras",
        "Risk",
        "Metod",
        "Frekvens",
        "Ansvarig",
        "Rapporteras",
        "Beslut",
    ] {
        cols.push(Column {
            label: label.to_owned(),
            numeric: false,
        });
    }
    Table {
        id: id.to_owned(),
        caption: "Intern kontrollplan".to_owned(),
        columns: cols,
        rows,
        note: Some(vec![Inline::text("– betyder att uppgiften saknas.")]),
    }
}

// ------------------------------------------------------------------ organisation

fn org_blocks(plan: &Plan, section: &str, level: u8) -> Vec<Block> {
    let (trees, others) = orgchart::org_trees(plan);
    let lines = orgchart::outline(&trees);
    let description = format!(
        "Organisationsschema. {}",
        lines
            .iter()
            .map(|(depth, name)| if *depth == 0 {
                name.clone()
            } else {
                format!("{} under nivå {depth}", name)
            })
            .collect::<Vec<_>>()
            .join("; ")
    );
    let id = format!("org-{section}");
    let title = format!("Organisation: {}", plan.municipality.name);
    let mut blocks = vec![Block::Drawing(Drawing {
        id: id.clone(),
        caption: "Politiska organ och förvaltningar enligt planens data".to_owned(),
        alt: description.clone(),
        svg: orgchart::org_chart_svg(&id, &trees, &title, &description),
    })];
    // The same tree as text.
    fn nest(lines: &[(usize, String)], depth: usize) -> Vec<Vec<Block>> {
        let mut items = Vec::new();
        let mut index = 0;
        while index < lines.len() {
            let (d, name) = &lines[index];
            if *d != depth {
                index += 1;
                continue;
            }
            let end = lines[index + 1..]
                .iter()
                .position(|(other, _)| *other <= depth)
                .map_or(lines.len(), |p| index + 1 + p);
            let mut item = vec![Block::Paragraph(vec![Inline::Text(name.clone())])];
            let children = nest(&lines[index + 1..end], depth + 1);
            if !children.is_empty() {
                item.push(Block::List {
                    ordered: false,
                    items: children,
                });
            }
            items.push(item);
            index = end;
        }
        items
    }
    blocks.push(Block::Subheading {
        level: (level + 1).min(6),
        text: "Organisationen som text".to_owned(),
    });
    blocks.push(Block::List {
        ordered: false,
        items: nest(&lines, 0),
    });
    if !others.is_empty() {
        blocks.push(Block::Paragraph(vec![Inline::Text(format!(
            "Förbund, gemensamma nämnder och organisationer utanför schemat: {}.",
            others.join(", ")
        ))]));
    }
    blocks
}

/// An indicator's chart values with Kolada: the plan's outcomes completed by Kolada's for the
/// years the plan lacks, each comparison municipality's values, and the group's mean.
struct KoladaSeries {
    outcomes: Vec<(Year, Decimal)>,
    /// (name, values) of each comparison municipality with at least one value.
    members: Vec<(String, Vec<(Year, Decimal)>)>,
    /// The unweighted mean of the members that have a value that year, to one decimal.
    mean: Vec<(Year, Decimal)>,
    label: String,
    note: Option<String>,
}

fn kolada_series(
    plan: &Plan,
    indicator: &styr_domain::goal::Indicator,
    outcomes: &[(Year, Decimal)],
) -> KoladaSeries {
    let mut series = KoladaSeries {
        outcomes: outcomes.to_vec(),
        members: Vec::new(),
        mean: Vec::new(),
        label: String::new(),
        note: None,
    };
    let Some(kpi) = indicator.kolada_kpi.as_deref() else {
        return series;
    };
    let own = kolada::totals(&plan.kolada_values, kpi, &plan.municipality.code);
    let added: Vec<(Year, Decimal)> = own
        .into_iter()
        .filter(|(year, _)| !outcomes.iter().any(|(y, _)| y == year))
        .collect();
    series.outcomes.extend(added.iter().copied());
    series.outcomes.sort_by_key(|(year, _)| *year);
    for member in &plan.kolada.comparison {
        let values = kolada::totals(&plan.kolada_values, kpi, &member.code);
        if !values.is_empty() {
            series.members.push((member.name.clone(), values));
        }
    }
    let codes: Vec<&str> = plan
        .kolada
        .comparison
        .iter()
        .map(|member| member.code.as_str())
        .collect();
    series.mean = kolada::group_mean(&plan.kolada_values, kpi, &codes);
    let group = plan
        .kolada
        .comparison_name
        .clone()
        .unwrap_or_else(|| "Jämförelsekommuner".to_owned());
    series.label = format!("{group}, medel");
    let retrieved: Vec<&str> = {
        let mut dates: Vec<&str> = plan
            .kolada_values
            .iter()
            .filter(|v| v.kpi == kpi)
            .map(|v| v.retrieved.as_str())
            .collect();
        dates.sort_unstable();
        dates.dedup();
        dates
    };
    if !added.is_empty() || !series.members.is_empty() {
        let mut note = format!(
            "Källa: Kolada, nyckeltal {kpi}, hämtat {}.",
            retrieved.join(", ")
        );
        if !added.is_empty() {
            let years: Vec<String> = added.iter().map(|(y, _)| y.to_string()).collect();
            note.push_str(&format!(" Utfall {} är Koladas.", years.join(", ")));
        }
        if !series.members.is_empty() {
            note.push_str(&format!(
                " {group}, medel = ovägt medelvärde av de jämförelsekommuner som har ett värde det året, avrundat till en decimal."
            ));
        }
        series.note = Some(note);
    }
    series
}
