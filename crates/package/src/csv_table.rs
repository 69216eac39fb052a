//! Reading the cells of a CSV file by column name, collecting a diagnostic for every bad cell.
//!
//! A bad cell yields a placeholder value and a diagnostic; since any diagnostic fails the whole
//! read, placeholders never leave the reader. This keeps the conversion code straight-line.

use crate::Diagnostic;
use rust_decimal::Decimal;
use styr_domain::number::{MoneyUnit, Written, parse_money};
use styr_domain::{Id, Location, Money, Year};

pub struct CsvTable {
    pub file: String,
    pub headers: Vec<String>,
    pub rows: Vec<CsvRow>,
}

pub struct CsvRow {
    pub line: u32,
    pub cells: Vec<String>,
}

impl CsvTable {
    pub fn parse(file: &str, text: &str) -> Result<CsvTable, Diagnostic> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(text.as_bytes());
        let csv_error = |error: csv::Error| {
            let line = error
                .position()
                .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
            let message = match error.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("raden har {len} fält men rubrikraden har {expected_len}"),
                _ => format!("ogiltig CSV: {error}"),
            };
            Diagnostic::new(file, line, "", message)
        };
        let headers: Vec<String> = reader
            .headers()
            .map_err(csv_error)?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = record
                .position()
                .map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
            rows.push(CsvRow {
                line,
                cells: record.iter().map(str::to_owned).collect(),
            });
        }
        Ok(CsvTable {
            file: file.to_owned(),
            headers,
            rows,
        })
    }

    /// A diagnostic for every required column that is missing.
    pub fn require(&self, columns: &[&str]) -> Vec<Diagnostic> {
        columns
            .iter()
            .filter(|column| !self.headers.iter().any(|h| h == *column))
            .map(|column| {
                Diagnostic::new(&self.file, 1, column, format!("kolumnen {column} saknas"))
            })
            .collect()
    }

    /// The columns whose header is a four-digit year, in order.
    pub fn year_columns(&self) -> Vec<(usize, Year)> {
        self.headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.len() == 4 && h.bytes().all(|b| b.is_ascii_digit()))
            .filter_map(|(index, h)| h.parse().ok().map(|year| (index, year)))
            .collect()
    }

    /// Columns that are neither known nor years: kept out, so they are reported.
    pub fn unknown_columns(&self, known: &[&str], allow_years: bool) -> Vec<Diagnostic> {
        let years: Vec<usize> = self.year_columns().into_iter().map(|(i, _)| i).collect();
        self.headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !(known.contains(&h.as_str()) || allow_years && years.contains(i)))
            .map(|(_, h)| Diagnostic::new(&self.file, 1, h, format!("okänd kolumn {h:?}")))
            .collect()
    }
}

/// One row being read: cell accessors that record problems.
pub struct RowReader<'a> {
    pub table: &'a CsvTable,
    pub row: &'a CsvRow,
    pub diagnostics: &'a mut Vec<Diagnostic>,
}

impl RowReader<'_> {
    pub fn at(&self) -> Location {
        Location::new(&self.table.file, self.row.line)
    }

    pub fn error(&mut self, field: &str, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic::new(
            &self.table.file,
            self.row.line,
            field,
            message,
        ));
    }

    fn raw(&self, column: &str) -> &str {
        self.table
            .headers
            .iter()
            .position(|h| h == column)
            .and_then(|i| self.row.cells.get(i))
            .map_or("", String::as_str)
    }

    pub fn cell_at(&self, index: usize) -> &str {
        self.row.cells.get(index).map_or("", String::as_str)
    }

    /// A required text cell.
    pub fn text(&mut self, column: &str) -> String {
        let value = self.raw(column).to_owned();
        if value.trim().is_empty() {
            self.error(column, "värde saknas");
        }
        value
    }

    pub fn optional_text(&self, column: &str) -> Option<String> {
        let value = self.raw(column);
        (!value.is_empty()).then(|| value.to_owned())
    }

    pub fn id(&mut self, column: &str) -> Id {
        let value = self.raw(column).to_owned();
        self.parse_id(column, &value)
    }

    pub fn optional_id(&mut self, column: &str) -> Option<Id> {
        let value = self.raw(column).to_owned();
        (!value.is_empty()).then(|| self.parse_id(column, &value))
    }

    /// A `;`-separated list of ids.
    pub fn id_list(&mut self, column: &str) -> Vec<Id> {
        let value = self.raw(column).to_owned();
        value
            .split(';')
            .filter(|part| !part.is_empty())
            .map(|part| self.parse_id(column, part))
            .collect()
    }

    fn parse_id(&mut self, column: &str, value: &str) -> Id {
        Id::parse(value).unwrap_or_else(|error| {
            self.error(column, error.to_string());
            placeholder_id()
        })
    }

    /// A closed set of codes: `parse` gives the value, `codes` the accepted ones.
    pub fn code<T: Copy>(
        &mut self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        codes: &str,
        fallback: T,
    ) -> T {
        let value = self.raw(column).to_owned();
        parse(&value).unwrap_or_else(|| {
            self.error(column, format!("{value:?} är inte en av {codes}"));
            fallback
        })
    }

    pub fn optional_code<T: Copy>(
        &mut self,
        column: &str,
        parse: fn(&str) -> Option<T>,
        codes: &str,
    ) -> Option<T> {
        let value = self.raw(column).to_owned();
        if value.is_empty() {
            return None;
        }
        let parsed = parse(&value);
        if parsed.is_none() {
            self.error(column, format!("{value:?} är inte en av {codes}"));
        }
        parsed
    }

    /// An amount in whole tkr; empty is missing.
    pub fn tkr(&mut self, column: &str) -> Option<Money> {
        let value = self.raw(column).to_owned();
        self.tkr_value(column, &value)
    }

    pub fn tkr_value(&mut self, column: &str, value: &str) -> Option<Money> {
        if value.is_empty() {
            return None;
        }
        match parse_tkr(value) {
            Ok(money) => Some(money),
            Err(message) => {
                self.error(column, message);
                None
            }
        }
    }

    pub fn year(&mut self, column: &str) -> Year {
        let value = self.raw(column).to_owned();
        parse_year(&value).unwrap_or_else(|| {
            self.error(column, format!("{value:?} är inte ett år (fyra siffror)"));
            0
        })
    }

    pub fn optional_year(&mut self, column: &str) -> Option<Year> {
        (!self.raw(column).is_empty()).then(|| self.year(column))
    }

    pub fn decimal(&mut self, column: &str) -> Decimal {
        let value = self.raw(column).to_owned();
        parse_decimal(&value).unwrap_or_else(|| {
            self.error(
                column,
                format!("{value:?} är inte ett tal (skriv t.ex. 80.9 med punkt)"),
            );
            Decimal::ZERO
        })
    }
}

pub fn placeholder_id() -> Id {
    Id::parse("invalid").expect("a valid id")
}

/// Whole tkr: an optional minus and digits, nothing else (the domain's one money parser,
/// [`Written::Whole`]).
pub fn parse_tkr(value: &str) -> Result<Money, String> {
    parse_money(value, MoneyUnit::Tkr, Written::Whole)
}

pub fn parse_year(value: &str) -> Option<Year> {
    (value.len() == 4 && value.bytes().all(|b| b.is_ascii_digit()))
        .then(|| value.parse().ok())
        .flatten()
}

/// An exact decimal with a dot: `-12`, `80.9`.
pub fn parse_decimal(value: &str) -> Option<Decimal> {
    styr_domain::number::parse_plain_number(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tkr_accepts_plain_integers_only() {
        assert_eq!(parse_tkr("-53900").unwrap().whole_tkr(), Some(-53_900));
        for bad in ["53 900", "12a", "1.5", "+5", "-", "1e3"] {
            assert!(parse_tkr(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn decimal_is_exact() {
        assert_eq!(parse_decimal("80.9"), Some(Decimal::new(809, 1)));
        assert_eq!(parse_decimal("80,9"), None);
        assert_eq!(parse_decimal("1e3"), None);
    }
}
