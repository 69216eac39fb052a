//! Every table of a composed document as a workbook (issue 22): one sheet per table (a chart's
//! data table included), in the
//! document's order, after a sheet `Innehåll` that lists them with the section each stands in.
//! Whatever part a document holds, its tables are in the workbook with no code of their own.
//!
//! The cells are the document's values, not formulas: a total row holds the total the
//! document shows (computed once, by `styr_reports`), in bold. A cell the document prints as a
//! Swedish number in a numeric column ("1 234", "−5", "2,0") is a spreadsheet number with as
//! many decimals as printed (a forecast marked computed, "1 234 *", is the number with the
//! mark in its number format); anything else (a figure with a footnote's mark, a word) is text
//! as printed; a missing value ("–") is an empty cell.

use crate::ExcelError;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet};
use styr_docgen::model::{Block, Document, Inline, RowStyle, Table};
use styr_domain::number::parse_swedish;

/// The name of the first sheet.
pub const CONTENTS_SHEET: &str = "Innehåll";

/// The row (0-based) of a table sheet's column headings; the data follows it.
pub const HEADER_ROW: u32 = 2;

/// The tables of a document, each with the title of the section it stands in.
pub fn document_tables(document: &Document) -> Vec<(&str, &Table)> {
    fn collect<'a>(section: &'a str, blocks: &'a [Block], out: &mut Vec<(&'a str, &'a Table)>) {
        for block in blocks {
            match block {
                Block::Table(table) => out.push((section, table)),
                // A chart's values are a table too (the one its HTML and PDF show beside it).
                Block::Chart(chart) => out.push((section, &chart.data)),
                Block::List { items, .. } => {
                    for item in items {
                        collect(section, item, out);
                    }
                }
                Block::Quote(inner) => collect(section, inner, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for section in &document.sections {
        collect(&section.title, &section.blocks, &mut out);
    }
    out
}

/// A sheet name from a table's number and caption: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(number: usize, caption: &str) -> String {
    let clean: String = caption
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let name = format!(
        "{number} {}",
        clean.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    name.chars()
        .take(31)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// The document's tables as a workbook.
pub fn write_document_workbook(document: &Document) -> Result<Vec<u8>, ExcelError> {
    let tables = document_tables(document);
    let title = Format::new().set_bold().set_font_size(13);
    let heading = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin)
        .set_text_wrap();
    let bold = Format::new().set_bold();
    let mut workbook = Workbook::new();
    let names: Vec<String> = tables
        .iter()
        .enumerate()
        .map(|(index, (_, table))| sheet_name(index + 1, &table.caption))
        .collect();
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name(CONTENTS_SHEET)?;
        let mut heading_line = format!("{} — {}", document.municipality, document.title);
        if let Some(subtitle) = &document.subtitle
            && *subtitle != document.municipality
        {
            heading_line.push_str(&format!(", {subtitle}"));
        }
        sheet.write_string_with_format(0, 0, &heading_line, &title)?;
        sheet.write_string(
            1,
            0,
            "Varje tabell i dokumentet på ett eget blad, med värdena som dokumentet visar dem (summaraderna är dokumentets summor i fetstil, inte formler).",
        )?;
        for (column, label) in ["Blad", "Tabell", "Avsnitt"].iter().enumerate() {
            sheet.write_string_with_format(3, column as u16, *label, &heading)?;
        }
        for (index, ((section, table), name)) in tables.iter().zip(&names).enumerate() {
            let row = 4 + index as u32;
            sheet.write_string(row, 0, name)?;
            sheet.write_string(row, 1, &table.caption)?;
            sheet.write_string(row, 2, *section)?;
        }
        sheet.set_column_width(0, 32)?;
        sheet.set_column_width(1, 60)?;
        sheet.set_column_width(2, 40)?;
    }
    for ((_, table), name) in tables.iter().zip(&names) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        write_table(sheet, table, &title, &heading, &bold)?;
    }
    Ok(workbook.save_to_buffer()?)
}

fn write_table(
    sheet: &mut Worksheet,
    table: &Table,
    title: &Format,
    heading: &Format,
    bold: &Format,
) -> Result<(), ExcelError> {
    sheet.write_string_with_format(0, 0, &table.caption, title)?;
    for (column, label) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, column as u16, &label.label, heading)?;
        sheet.set_column_width(column as u16, if column == 0 { 40 } else { 16 })?;
    }
    let mut row_at = HEADER_ROW + 1;
    // The header of rows a spanning header covers (their `cells` start at the data).
    let mut spanning: Option<(String, usize)> = None;
    for row in &table.rows {
        let total = row.style == RowStyle::Total;
        let mut cells: Vec<(String, bool)> = row
            .cells
            .iter()
            .map(|cell| (Inline::plain(&cell.content), cell.missing))
            .collect();
        if row.header_span == 0 {
            let header = spanning
                .as_mut()
                .filter(|(_, left)| *left > 0)
                .map(|(text, left)| {
                    *left -= 1;
                    text.clone()
                })
                .unwrap_or_default();
            cells.insert(0, (header, false));
        } else if row.header_span > 1 {
            spanning = cells
                .first()
                .map(|(text, _)| (text.clone(), row.header_span - 1));
        }
        for (column, (text, missing)) in cells.iter().enumerate() {
            if *missing || text.is_empty() {
                continue;
            }
            let at = column as u16;
            let numeric = column > 0 && table.columns.get(column).is_some_and(|c| c.numeric);
            // A figure marked computed ("205 191 *") is the number with the mark in its format.
            let (figure, mark) = match text.strip_suffix('*') {
                Some(figure) => (figure.trim_end(), " *"),
                None => (text.as_str(), ""),
            };
            let number = numeric.then(|| parse_swedish(figure)).flatten();
            match number {
                Some(stated) => {
                    let value: f64 = stated.value.to_string().parse().unwrap_or(f64::NAN);
                    let mut pattern = if stated.decimals == 0 {
                        "#,##0".to_owned()
                    } else {
                        format!("#,##0.{}", "0".repeat(stated.decimals as usize))
                    };
                    if !mark.is_empty() {
                        pattern.push_str(&format!("\"{mark}\""));
                    }
                    let mut format = Format::new().set_num_format(pattern);
                    if total {
                        format = format.set_bold();
                    }
                    sheet.write_number_with_format(row_at, at, value, &format)?;
                }
                None if total || row.style == RowStyle::Group => {
                    sheet.write_string_with_format(row_at, at, text, bold)?;
                }
                None => {
                    sheet.write_string(row_at, at, text)?;
                }
            }
        }
        row_at += 1;
    }
    if let Some(note) = &table.note {
        sheet.write_string(row_at + 1, 0, Inline::plain(note))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_short_numbered_and_plain() {
        assert_eq!(
            sheet_name(3, "Driftredovisning per nämnd"),
            "3 Driftredovisning per nämnd"
        );
        let long = sheet_name(
            12,
            "Utfall och helårsprognos per nämnd per augusti 2021 [x]",
        );
        assert!(long.chars().count() <= 31, "{long}");
        assert!(!long.contains('['));
        assert!(long.starts_with("12 "));
    }
}
