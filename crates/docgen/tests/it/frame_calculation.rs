//! The ramberäkning in the document: its table's total is the computed frame and the sum of
//! the rows above it; a stated figure that differs is kept and marked; the chart is there with
//! its text alternative, in the HTML and in the tagged PDF.

use crate::example_files_plan;
use styr_docgen::model::{Block, Cell, Chart, Document, Inline, RowStyle, Table};
use styr_docgen::{compose, render_html};
use styr_domain::{Money, Plan};

const TABLE: &str = "tab-driftbudget-frame_calculation";

fn blocks(document: &Document) -> Vec<&Block> {
    document
        .sections
        .iter()
        .flat_map(|s| s.blocks.iter())
        .collect()
}

fn table(document: &Document) -> &Table {
    blocks(document)
        .into_iter()
        .find_map(|b| match b {
            Block::Table(t) if t.id == TABLE => Some(t),
            _ => None,
        })
        .expect("the ramberäkning's table")
}

fn chart(document: &Document) -> &Chart {
    blocks(document)
        .into_iter()
        .find_map(|b| match b {
            Block::Chart(c) if c.id == format!("{TABLE}-diagram") => Some(c),
            _ => None,
        })
        .expect("the ramberäkning's chart")
}

fn amount(cell: &Cell) -> i64 {
    let text: String = Inline::plain(&cell.content)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .replace('−', "-");
    text.parse().unwrap_or_else(|_| panic!("{text:?}"))
}

/// Text with no-break spaces as spaces.
fn plain(text: &str) -> String {
    text.replace('\u{a0}', " ")
}

/// The text of a cell's footnote.
fn note(cell: &Cell) -> String {
    cell.content
        .iter()
        .filter_map(|i| match i {
            Inline::Note(runs) => Some(plain(&Inline::plain(runs))),
            _ => None,
        })
        .collect()
}

fn marked(cell: &Cell) -> bool {
    cell.content.iter().any(|i| matches!(i, Inline::Marked(_)))
}

fn plan_with(file: &str, from: &str, to: &str) -> Plan {
    example_files_plan(|files| {
        let text = String::from_utf8(files.files[file].clone()).unwrap();
        assert!(text.contains(from), "{from:?} not in {file}");
        files.insert(file, text.replacen(from, to, 1));
    })
}

#[test]
fn the_total_is_the_computed_frame_and_the_sum_of_the_rows_above_it() {
    let plan = crate::example();
    let document = compose(plan);
    let table = table(&document);
    let total = table
        .rows
        .iter()
        .position(|r| r.style == RowStyle::Total)
        .expect("a total row");
    let figures: Vec<i64> = table.rows[..total]
        .iter()
        .map(|r| amount(r.cells.last().unwrap()))
        .collect();
    assert_eq!(figures, [218_600, 4_372, 10_000, 19_500, -5_472]);
    let frame = amount(table.rows[total].cells.last().unwrap());
    assert_eq!(frame, figures.iter().sum::<i64>());
    let computed = plan
        .budget
        .frame_calculation
        .as_ref()
        .unwrap()
        .computed_frame()
        .unwrap();
    assert_eq!(Money::from_tkr(frame), Some(computed));
    // The frame change under it: 28 400, the stated figure, unmarked because it holds.
    let change = &table.rows[total + 1];
    assert_eq!(change.style, RowStyle::Part);
    assert_eq!(amount(change.cells.last().unwrap()), 28_400);
    assert!(!marked(change.cells.last().unwrap()));
    // Each line names its decision.
    assert!(
        Inline::plain(&table.rows[2].cells[2].content).contains("KF 2020-11-09 § 185"),
        "{:?}",
        table.rows[2]
    );
    // Synthetic figures are said to be.
    assert!(
        blocks(&document)
            .iter()
            .any(|b| matches!(b, Block::Synthetic(t) if t.contains("ramberäkningen"))),
    );
}

#[test]
fn the_chart_goes_from_the_base_to_the_frame_with_a_text_alternative() {
    let document = compose(crate::example());
    let chart = chart(&document);
    let description = plain(&chart.description);
    assert!(
        description.starts_with(
            "Justerad budget 2020 218 600 tkr; Pris- och löneuppräkning (PKV 2021) +4 372 tkr;"
        ),
        "{description}"
    );
    assert!(
        description.contains("Ram 2021 247 000 tkr. Axeln börjar vid 210 000, inte vid 0."),
        "{description}"
    );
    assert!(chart.svg.contains("role=\"img\""));
    assert!(
        chart
            .svg
            .contains(&format!("<desc id=\"{}-desc\">", chart.id))
    );
    assert_eq!(chart.data.rows.len(), 6);
    let html = render_html(crate::example());
    assert!(html.contains(&format!("id=\"{}\"", chart.id)));
}

#[test]
fn a_frame_that_differs_from_the_calculation_is_kept_and_marked() {
    let plan = plan_with("budget.toml", "amount = 247000", "amount = 246000");
    let document = compose(&plan);
    let table = table(&document);
    let total = table
        .rows
        .iter()
        .position(|r| r.style == RowStyle::Total)
        .unwrap();
    // The total stays the computed sum; the stated frame follows, marked with both figures.
    assert_eq!(amount(table.rows[total].cells.last().unwrap()), 247_000);
    let stated = table.rows.last().unwrap();
    let cell = stated.cells.last().unwrap();
    assert!(marked(cell), "{stated:?}");
    let note = note(cell);
    assert!(
        note.contains("246 000") && note.contains("247 000"),
        "{note}"
    );
}

#[test]
fn a_typed_amount_that_differs_from_its_computation_is_marked() {
    let plan = plan_with("budget/frame_calculation.csv", "2.0,,,,", "2.0,,,4400,");
    let document = compose(&plan);
    let table = table(&document);
    let cell = table.rows[1].cells.last().unwrap();
    assert!(marked(cell), "{:?}", table.rows[1]);
    let note = note(cell);
    assert!(note.contains("4 400") && note.contains("4 372"), "{note}");
}

#[cfg(feature = "pdf")]
#[test]
fn the_tagged_pdf_holds_the_table_and_the_charts_alternative_text() {
    let pdf = styr_docgen::render_pdf(crate::example()).unwrap();
    let Some(text) = crate::pdf::pdftotext(&pdf) else {
        return;
    };
    let text = crate::pdf::squeeze(&text);
    assert!(
        text.contains(&crate::pdf::squeeze("Ramberäkning 2021")),
        "caption"
    );
    assert!(text.contains(&crate::pdf::squeeze("Pris- och löneuppräkning (PKV 2021)")));
    // The chart is an image whose alternative text is its description (typst's `alt`).
    let typst = styr_docgen::render_typst(crate::example());
    let chart = chart_description();
    let at = typst
        .find("alt: \"Ramberäkning 2021: från justerad budget 2020 till ram 2021.")
        .expect("the chart's alternative text");
    let alt = &typst[at..at + typst[at..].find("caption:").unwrap()];
    assert!(alt.contains("Pris- och löneuppräkning (PKV 2021)"), "{alt}");
    assert!(alt.contains("Ram 2021"), "{alt} / {chart}");
}

#[cfg(feature = "pdf")]
fn chart_description() -> String {
    let document = compose(crate::example());
    chart(&document).description.clone()
}
