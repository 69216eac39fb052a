//! Any workbook's sheet as CSV text, for files that are a plain table rather than a view of the
//! plan package (the outcomes of verksamhetsmått): the sheet named `Utfall`, else the first
//! one. A sheet row is a CSV line (row 1 the header), so a reader's line numbers are the
//! sheet's row numbers.

use crate::ExcelError;
use crate::read::number_text;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

fn quoted(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// The sheet `Utfall` (else the first sheet) of an xlsx workbook as CSV text.
pub fn sheet_as_csv(bytes: Vec<u8>) -> Result<String, ExcelError> {
    let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|error| ExcelError::NotAWorkbook(error.to_string()))?;
    let names = xlsx.sheet_names();
    let name = names
        .iter()
        .find(|n| n.as_str() == "Utfall")
        .or_else(|| names.first())
        .cloned()
        .ok_or_else(|| ExcelError::NotAWorkbook("arbetsboken har inga blad".into()))?;
    let range = xlsx
        .worksheet_range(&name)
        .map_err(|error| ExcelError::NotAWorkbook(format!("{name}: {error}")))?;
    let Some((last_row, last_column)) = range.end() else {
        return Ok(String::new());
    };
    let mut out = String::new();
    for row in 0..=last_row {
        let cells: Vec<String> = (0..=last_column)
            .map(|column| match range.get_value((row, column)) {
                None | Some(Data::Empty) => String::new(),
                Some(Data::String(text)) => quoted(text.trim()),
                Some(Data::Float(number)) => number_text(*number),
                Some(Data::Int(number)) => number.to_string(),
                Some(Data::Bool(value)) => value.to_string(),
                Some(other) => quoted(&other.to_string()),
            })
            .collect();
        // An empty row stays an empty line, so line numbers stay the sheet's rows.
        if cells.iter().all(String::is_empty) {
            out.push('\n');
        } else {
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    Ok(out)
}
