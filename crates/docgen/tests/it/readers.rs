//! The strategy document as a reader gets it (issue 18): every table adds up or marks the cell
//! that breaks it (on the cell the checker found, printed sums kept), the frame change's parts on
//! an unheld base noted like the claim on it, names and sentences instead of identifiers, and
//! statuses the source lost said once.

use crate::{example, tables};
use styr_docgen::compose;
use styr_docgen::model::{Block, Cell, Document, Inline, Row, RowStyle, Table};

fn table<'a>(document: &'a Document, id: &str) -> &'a Table {
    tables(document)
        .into_iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("table {id}"))
}

fn marked(cell: &Cell) -> bool {
    cell.content
        .iter()
        .any(|run| matches!(run, Inline::Marked(_) | Inline::Unverified(_)))
}

fn notes(cell: &Cell) -> String {
    cell.content
        .iter()
        .filter_map(|run| match run {
            Inline::Note(note) => Some(Inline::plain(note)),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The amount a cell shows, in tkr ("−851 500" → −851500); `None` for a missing cell.
fn amount(cell: &Cell) -> Option<i64> {
    if cell.missing {
        return None;
    }
    let text: String = Inline::plain(&cell.content)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\u{2212}' { '-' } else { c })
        .collect();
    text.parse().ok()
}

/// The finance table's rows as (name, measure, cells), the row name carried over spanned rows.
fn finance_rows(table: &Table) -> Vec<(String, String, Vec<&Cell>)> {
    let mut name = String::new();
    table
        .rows
        .iter()
        .filter(|row| row.style != RowStyle::Group)
        .map(|row: &Row| {
            let mut cells = row.cells.iter();
            if row.header_span > 0 {
                name = Inline::plain(&cells.next().unwrap().content);
            }
            let measure = Inline::plain(&cells.next().unwrap().content);
            (name.clone(), measure, cells.collect())
        })
        .collect()
}

fn finance_cell<'a>(
    rows: &'a [(String, String, Vec<&'a Cell>)],
    name: &str,
    measure: &str,
) -> &'a Cell {
    rows.iter()
        .find(|(n, m, _)| n == name && m == measure)
        .map(|(_, _, cells)| cells[0])
        .unwrap_or_else(|| panic!("{name} {measure}"))
}

#[test]
fn the_marker_sits_on_the_cell_the_checker_found_and_the_printed_sum_stays() {
    let document = compose(example());
    let finance = table(&document, "tab-finansforvaltning-fin");
    let rows = finance_rows(finance);
    // 2020 is the first year column.
    let total_cost = finance_cell(&rows, "Summa övriga kostnader", "Kostnader");
    assert_eq!(amount(total_cost), Some(943_500), "the printed sum is kept");
    assert!(!marked(total_cost), "the sum was right: {total_cost:?}");
    let total_net = finance_cell(&rows, "Summa övriga kostnader", "Netto");
    assert_eq!(amount(total_net), Some(92_000));
    assert!(!marked(total_net));
    let personnel_cost = finance_cell(&rows, "Personalomkostnader", "Kostnader");
    assert_eq!(
        amount(personnel_cost),
        Some(615_000),
        "printed, never replaced"
    );
    assert!(marked(personnel_cost), "{personnel_cost:?}");
    let note = notes(personnel_cost);
    assert!(
        note.contains("615\u{a0}000") && note.contains("620\u{a0}000"),
        "{note}"
    );
    // The row is consistent once the marked cell is read as corrected: not marked twice.
    assert!(!marked(finance_cell(&rows, "Personalomkostnader", "Netto")));
}

/// In every budget table of the document, each row that prints income, cost and net, and each
/// total, adds up from what the table shows, or one of the cells involved is marked.
#[test]
fn every_budget_table_adds_up_or_marks_a_cell_involved() {
    let document = compose(example());
    let finance = table(&document, "tab-finansforvaltning-fin");
    let rows = finance_rows(finance);
    let years = rows[0].2.len();
    let mut checked = 0;
    for year in 0..years {
        // Rows: income + cost = net.
        let mut names: Vec<&String> = rows.iter().map(|(n, _, _)| n).collect();
        names.dedup();
        for name in names {
            let get = |measure: &str| {
                rows.iter()
                    .find(|(n, m, _)| n == name && m == measure)
                    .map(|(_, _, cells)| cells[year])
            };
            if let (Some(i), Some(c), Some(n)) = (get("Intäkter"), get("Kostnader"), get("Netto"))
                && let (Some(a), Some(b), Some(sum)) = (amount(i), amount(c), amount(n))
            {
                checked += 1;
                assert!(
                    a + b == sum || marked(i) || marked(c) || marked(n),
                    "{name}: {a} + {b} ≠ {sum} and nothing marked"
                );
            }
        }
        // Columns: the group's lines sum to its total.
        for measure in ["Intäkter", "Kostnader", "Netto"] {
            let in_group: Vec<&Cell> = rows
                .iter()
                .skip_while(|(n, _, _)| n != "Internränta")
                .filter(|(n, m, _)| m == measure && n != "Summa övriga kostnader")
                .map(|(_, _, cells)| cells[year])
                .collect();
            let total = rows
                .iter()
                .find(|(n, m, _)| n == "Summa övriga kostnader" && m == measure)
                .map(|(_, _, cells)| cells[year])
                .unwrap();
            let sum: i64 = in_group.iter().filter_map(|c| amount(c)).sum();
            checked += 1;
            assert!(
                Some(sum) == amount(total) || marked(total) || in_group.iter().any(|c| marked(c)),
                "{measure} year {year}: lines {sum} ≠ {:?} and nothing marked",
                amount(total)
            );
        }
    }
    // Operating tables and the finance summary: totals against their lines.
    for table in tables(&document)
        .into_iter()
        .filter(|t| t.id.starts_with("tab-") && t.rows.iter().any(|r| r.style == RowStyle::Total))
        .filter(|t| t.columns.first().is_some_and(|c| c.label == "Post"))
        .filter(|t| t.id != "tab-finansforvaltning-fin")
    {
        for column in 1..table.columns.len() {
            let lines: Vec<&Cell> = table
                .rows
                .iter()
                .filter(|r| r.style == RowStyle::Normal)
                .map(|r| &r.cells[column])
                .collect();
            let sum: i64 = lines.iter().filter_map(|c| amount(c)).sum();
            for total in table.rows.iter().filter(|r| r.style == RowStyle::Total) {
                let cell = &total.cells[column];
                checked += 1;
                assert!(
                    amount(cell) == Some(sum) || marked(cell) || lines.iter().any(|c| marked(c)),
                    "{}: column {column}: {sum} ≠ {:?}",
                    table.caption,
                    amount(cell)
                );
            }
        }
    }
    assert!(checked > 20, "{checked}");
}

#[test]
fn a_wrong_printed_total_is_kept_and_marked_with_both_figures() {
    let document = compose(example());
    let summary = table(&document, "tab-driftbudget-op-sammanstallning");
    let total = summary
        .rows
        .iter()
        .find(|r| r.style == RowStyle::Total)
        .expect("Summa Kommunstyrelsen");
    let cell = &total.cells[1];
    assert_eq!(amount(cell), Some(228_600), "{cell:?}");
    assert!(marked(cell));
    let note = notes(cell);
    assert!(
        note.contains("228\u{a0}600") && note.contains("230\u{a0}034"),
        "{note}"
    );
}

#[test]
fn the_html_and_the_pdf_print_the_sum_ks_printed_and_mark_the_personnel_cost() {
    let html = styr_docgen::render_html(example());
    assert!(
        !html.contains("938\u{a0}500"),
        "the computed sum is not printed as the sum"
    );
    assert!(html.contains("943\u{a0}500"));
    assert!(
        html.contains("<mark class=\"diff\">615\u{a0}000"),
        "the marker on the cell"
    );
    #[cfg(feature = "pdf")]
    {
        let pdf = styr_docgen::render_pdf(example()).unwrap();
        let Some(text) = crate::pdf::pdftotext(&pdf) else {
            return;
        };
        let text = crate::pdf::squeeze(&text);
        // The tables, before the reconciliation (which names the computed sum as what the
        // rows give).
        let tables = &text[..text
            .find("Förslagetäravstämtmotsinaegnadata")
            .expect("Avstämning")];
        assert!(!tables.contains("938500"));
        assert!(
            tables.contains("Kostnader943500968500"),
            "the printed sum in its row"
        );
        assert!(tables.contains("228600"));
    }
}

#[test]
fn the_frame_changes_parts_on_the_unheld_base_are_noted_like_the_claim_not_marked_wrong() {
    // The frame change is drawn where the budget's tables are (the web's budget page).
    let blocks = styr_docgen::budget_blocks(example());
    let change = blocks
        .iter()
        .flat_map(|(_, blocks)| blocks)
        .find_map(|block| match block {
            Block::Table(table) if table.caption.starts_with("Ramförändring") => Some(table),
            _ => None,
        })
        .expect("the frame change table");
    let trygghet = change
        .rows
        .iter()
        .find(|r| Inline::plain(&r.cells[0].content).starts_with("åtgärder för ökad trygghet"))
        .expect("the trygghet part");
    let cell = &trygghet.cells[1];
    assert!(
        cell.content
            .iter()
            .any(|r| matches!(r, Inline::Unverified(_))),
        "{cell:?}"
    );
    assert!(!cell.content.iter().any(|r| matches!(r, Inline::Marked(_))));
    assert!(
        notes(cell).contains("justerad budget 2020 finns inte i data"),
        "{}",
        notes(cell)
    );
}

/// Every text a reader sees, footnotes included.
fn all_text(document: &Document) -> String {
    fn runs(out: &mut String, list: &[Inline]) {
        for run in list {
            match run {
                Inline::Text(t) | Inline::Code(t) | Inline::Unverified(t) => out.push_str(t),
                Inline::Strong(inner)
                | Inline::Emph(inner)
                | Inline::Marked(inner)
                | Inline::Note(inner)
                | Inline::Link { content: inner, .. }
                | Inline::Trace { content: inner, .. } => runs(out, inner),
                _ => {}
            }
            out.push(' ');
        }
    }
    fn blocks(out: &mut String, list: &[Block]) {
        for block in list {
            match block {
                Block::Paragraph(r) | Block::Notice(r) => runs(out, r),
                Block::List { items, .. } => items.iter().for_each(|i| blocks(out, i)),
                Block::Quote(inner) => blocks(out, inner),
                Block::Table(t) => table(out, t),
                Block::Chart(c) => table(out, &c.data),
                _ => {}
            }
        }
    }
    fn table(out: &mut String, t: &Table) {
        out.push_str(&t.caption);
        for row in &t.rows {
            for cell in &row.cells {
                runs(out, &cell.content);
            }
        }
        if let Some(note) = &t.note {
            runs(out, note);
        }
    }
    let mut out = String::new();
    for section in &document.sections {
        blocks(&mut out, &section.blocks);
    }
    out
}

#[test]
fn readers_get_names_and_sentences_not_identifiers() {
    let text = all_text(&compose(example()));
    for id in [
        "op.gemensamma",
        "op.ksf",
        "pct_change",
        "@2020",
        "@2021",
        "budget.toml",
        ".csv:",
        "count.statuses",
        " == ",
    ] {
        assert!(!text.contains(id), "{id} in: {}", around(&text, id));
    }
    // The footnote on «oförändrad» names the row.
    assert!(
        text.contains(
            "Södertörns miljö- och hälsoskyddsförbund 2021 (7\u{a0}770 tkr) är inte lika med"
        ),
        "{}",
        around(&text, "7\u{a0}770 tkr")
    );
    assert!(
        text.contains("förändringen i procent från"),
        "pct_change in words"
    );
}

fn around(text: &str, needle: &str) -> String {
    let at = text.find(needle).unwrap_or(0);
    let start = text.floor_char_boundary(at.saturating_sub(120));
    let end = text.ceil_char_boundary((at + 120).min(text.len()));
    text[start..end].to_owned()
}

#[test]
fn statuses_the_source_lost_are_said_once_not_as_a_row_of_okand() {
    let document = compose(example());
    let text = all_text(&document);
    assert!(!text.contains("Okänd"), "{}", around(&text, "Okänd"));
    let legends = document
        .sections
        .iter()
        .flat_map(|s| &s.blocks)
        .filter(|b| matches!(b, Block::StatusLegend(_)))
        .count();
    assert_eq!(legends, 1, "the status legend once");
    let tables: Vec<&Table> = tables(&document)
        .into_iter()
        .filter(|t| t.caption.starts_with("Uppdrag:"))
        .collect();
    assert!(!tables.is_empty());
    let mut said = 0;
    for table in tables {
        let note = Inline::plain(table.note.as_deref().unwrap_or_default());
        let unknown = note.matches("Källan visar inte").count();
        assert!(unknown <= 1, "{note}");
        said += unknown;
    }
    assert!(said > 0, "the lost statuses are said");
}
