//! The outcome file of verksamhetsmått, as `styr measures import` reads it (CSV UTF-8, or the
//! first sheet of an Excel workbook turned into the same text by `styr-excel`):
//!
//! ```text
//! measure,month,value
//! diarieforda,2021-01,1596
//! ```
//!
//! `value` is a number (decimal comma or dot, spaces between thousands allowed). This module
//! reads the shape and every cell; whether the measure exists and who may report it is the use
//! case's business.

use crate::Diagnostic;
use crate::csv_table::{CsvTable, RowReader};
use styr_domain::Month;
use styr_domain::activity::MeasureValue;
use styr_domain::number::parse_number;

pub const MEASURE_VALUE_COLUMNS: [&str; 3] = ["measure", "month", "value"];

/// One row of an outcome file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureRow {
    pub line: u32,
    pub value: MeasureValue,
}

/// Reads an outcome file: every row, or every problem with line and field.
pub fn read_measure_csv(file: &str, bytes: &[u8]) -> Result<Vec<MeasureRow>, Vec<Diagnostic>> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        vec![Diagnostic::new(
            file,
            0,
            "",
            format!("filen är inte UTF-8 ({error}): spara den som CSV UTF-8"),
        )]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let table = CsvTable::parse(file, text).map_err(|d| vec![d])?;
    let mut diagnostics = table.require(&MEASURE_VALUE_COLUMNS);
    diagnostics.extend(table.unknown_columns(&MEASURE_VALUE_COLUMNS, false));
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let mut rows = Vec::new();
    for row in &table.rows {
        let mut reader = RowReader {
            table: &table,
            row,
            diagnostics: &mut diagnostics,
        };
        let measure = reader.id("measure");
        let month_text = reader.text("month");
        let month = match month_text.parse::<Month>() {
            Ok(month) => Some(month),
            Err(error) => {
                if !month_text.trim().is_empty() {
                    reader.error("month", error.to_string());
                }
                None
            }
        };
        let value_text = reader.text("value");
        let value = parse_number(&value_text);
        if value.is_none() && !value_text.trim().is_empty() {
            reader.error("value", format!("{value_text:?} är inte ett tal"));
        }
        if let (Some(month), Some(value)) = (month, value) {
            rows.push(MeasureRow {
                line: row.line,
                value: MeasureValue {
                    measure,
                    month,
                    value,
                },
            });
        }
    }
    let mut seen = std::collections::BTreeMap::new();
    for row in &rows {
        let key = (row.value.measure.clone(), row.value.month);
        if let Some(first) = seen.insert(key, row.line) {
            diagnostics.push(Diagnostic::new(
                file,
                row.line,
                "month",
                format!(
                    "{} {} står redan på rad {first}",
                    row.value.measure, row.value.month
                ),
            ));
        }
    }
    if diagnostics.is_empty() {
        Ok(rows)
    } else {
        diagnostics.sort();
        Err(diagnostics)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_cell_is_named() {
        let text = "measure,month,value\nx,2021-01,12\nx,2021-13,1\nx,2021-02,tolv\nx,2021-01,3\n";
        let diagnostics = read_measure_csv("u.csv", text.as_bytes()).unwrap_err();
        let places: Vec<(u32, &str)> = diagnostics
            .iter()
            .map(|d| (d.line, d.field.as_str()))
            .collect();
        assert_eq!(places, [(3, "month"), (4, "value"), (5, "month")]);
        let rows =
            read_measure_csv("u.csv", b"measure,month,value\nx,2021-01,\"1 596,5\"\n").unwrap();
        assert_eq!(rows[0].value.value, rust_decimal::Decimal::new(15965, 1));
    }
}
