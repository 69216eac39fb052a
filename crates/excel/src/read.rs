//! Reading a workbook that styr wrote (and a person edited): what kind it is (the sheet
//! «Om arbetsboken»), each sheet's cells as text, and formulas evaluated again. A plan
//! workbook's table sheets become the package's CSV files, which the package reader then
//! validates: this module checks no plan rules, it only turns cells into the format's text and
//! remembers where each line and column came from, so every problem names its sheet and cell.

use crate::ExcelError;
use crate::layout::{
    HEADER_ROW, INFO_SHEET, STATED_PREFIX, cell_name, column_of_heading, heading, value_words,
};
use calamine::{Data, Range, Reader, Xlsx};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Cursor;

/// A problem located in a workbook: `Drift ksf!C7`, the column's heading, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellProblem {
    /// `Sheet!C7`, `Sheet!7` (a row) or `Sheet` (the whole sheet).
    pub at: String,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for CellProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}: {}", self.at, self.message)
        } else {
            write!(f, "{}: {}: {}", self.at, self.field, self.message)
        }
    }
}

/// What a workbook is, from its sheet «Om arbetsboken».
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkbookKind {
    /// A plan's tables (`styr excel export`): sheet name → package file.
    Plan { sheets: Vec<(String, String)> },
    /// A unit's report for a period (`styr excel template`).
    Report { period: String, unit: String },
}

/// The facts of the sheet «Om arbetsboken».
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkbookInfo {
    pub kind: WorkbookKind,
    pub municipality: String,
    pub version: String,
}

/// An opened workbook.
pub struct Book {
    xlsx: Xlsx<Cursor<Vec<u8>>>,
    pub info: WorkbookInfo,
}

/// One sheet: its values and formulas.
pub struct Sheet {
    pub name: String,
    values: Range<Data>,
    formulas: Range<String>,
}

impl Book {
    pub fn open(bytes: Vec<u8>) -> Result<Book, ExcelError> {
        let mut xlsx: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
            .map_err(|error| ExcelError::NotAWorkbook(error.to_string()))?;
        if !xlsx.sheet_names().iter().any(|name| name == INFO_SHEET) {
            return Err(ExcelError::NotOurs);
        }
        let info_sheet = read_sheet(&mut xlsx, INFO_SHEET)?;
        let info = read_info(&info_sheet)?;
        Ok(Book { xlsx, info })
    }

    pub fn sheet(&mut self, name: &str) -> Result<Option<Sheet>, ExcelError> {
        if !self.xlsx.sheet_names().iter().any(|n| n == name) {
            return Ok(None);
        }
        Ok(Some(read_sheet(&mut self.xlsx, name)?))
    }
}

fn read_sheet(xlsx: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Result<Sheet, ExcelError> {
    let values = xlsx
        .worksheet_range(name)
        .map_err(|error| ExcelError::NotAWorkbook(format!("{name}: {error}")))?;
    let formulas = xlsx
        .worksheet_formula(name)
        .map_err(|error| ExcelError::NotAWorkbook(format!("{name}: {error}")))?;
    Ok(Sheet {
        name: name.to_owned(),
        values,
        formulas,
    })
}

fn read_info(sheet: &Sheet) -> Result<WorkbookInfo, ExcelError> {
    let mut facts: BTreeMap<String, String> = BTreeMap::new();
    let mut sheets = Vec::new();
    let mut in_sheets = false;
    for row in HEADER_ROW + 1..=sheet.last_row() {
        let key = sheet.text(row, 0).map_err(ExcelError::Cell)?;
        let value = sheet.text(row, 1).map_err(ExcelError::Cell)?;
        if key.is_empty() {
            continue;
        }
        if key == "Blad" {
            in_sheets = true;
        } else if in_sheets {
            sheets.push((key, value));
        } else {
            facts.insert(key, value);
        }
    }
    let fact = |key: &str| {
        facts.get(key).cloned().ok_or_else(|| {
            ExcelError::Cell(CellProblem {
                at: INFO_SHEET.to_owned(),
                field: key.to_owned(),
                message: format!("uppgiften {key} saknas"),
            })
        })
    };
    let kind = match fact("Typ")?.as_str() {
        "plan" => WorkbookKind::Plan { sheets },
        "rapport" => WorkbookKind::Report {
            period: fact("Period")?,
            unit: fact("Enhet")?,
        },
        other => {
            return Err(ExcelError::Cell(CellProblem {
                at: INFO_SHEET.to_owned(),
                field: "Typ".to_owned(),
                message: format!("{other:?} är ingen känd typ av arbetsbok (plan, rapport)"),
            }));
        }
    };
    Ok(WorkbookInfo {
        kind,
        municipality: fact("Kommun")?,
        version: fact("Budgetversion")?,
    })
}

/// A spreadsheet number as the package's text: integers without a decimal point, other
/// numbers in the shortest form that reads back as the same double (`80.9`).
pub fn number_text(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        format!("{number}")
    }
}

/// An Excel serial date (days since 1899-12-30) as an ISO date.
fn serial_date(serial: f64) -> String {
    // Days from 1970-01-01 (civil-from-days, Howard Hinnant's algorithm).
    let z = serial.floor() as i64 - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

impl Sheet {
    pub fn last_row(&self) -> u32 {
        let values = self.values.end().map_or(0, |(row, _)| row);
        let formulas = self.formulas.end().map_or(0, |(row, _)| row);
        values.max(formulas)
    }

    pub fn last_column(&self, row: u32) -> u32 {
        let end = self.values.end().map_or(0, |(_, column)| column);
        (0..=end)
            .rev()
            .find(|&column| !matches!(self.value(row, column), Data::Empty))
            .unwrap_or(0)
    }

    fn value(&self, row: u32, column: u32) -> &Data {
        self.values.get_value((row, column)).unwrap_or(&Data::Empty)
    }

    /// The formula of a cell, without its `=`; `None` for a plain value.
    pub fn formula(&self, row: u32, column: u32) -> Option<&str> {
        self.formulas
            .get_value((row, column))
            .map(String::as_str)
            .filter(|f| !f.trim().is_empty())
    }

    pub fn problem(&self, row: u32, column: u32, field: &str, message: String) -> CellProblem {
        CellProblem {
            at: cell_name(&self.name, row, column),
            field: field.to_owned(),
            message,
        }
    }

    /// A cell's value as text (empty = missing). A formula's cached value counts as a value;
    /// use [`Sheet::evaluate`] for sums.
    pub fn text(&self, row: u32, column: u32) -> Result<String, CellProblem> {
        Ok(match self.value(row, column) {
            Data::Empty => String::new(),
            Data::String(text) => text.trim().to_owned(),
            Data::Int(number) => number.to_string(),
            Data::Float(number) => number_text(*number),
            Data::Bool(value) => if *value { "SANT" } else { "FALSKT" }.to_owned(),
            Data::DateTime(date) => serial_date(date.as_f64()),
            Data::DateTimeIso(text) | Data::DurationIso(text) => {
                text.get(..10).unwrap_or(text).to_owned()
            }
            Data::Error(error) => {
                return Err(self.problem(
                    row,
                    column,
                    "",
                    format!("cellen innehåller ett fel ({error})"),
                ));
            }
        })
    }

    /// The value of a cell as a spreadsheet computes it: a formula of sums (`=SUM(F3:F9)`,
    /// `=E3+F3`, numbers) is evaluated over the sheet's cells, so a workbook saved by a program
    /// that keeps no computed values (openpyxl) still reads right; any other formula counts
    /// with its saved value.
    pub fn evaluate(&self, row: u32, column: u32) -> Result<Option<Decimal>, CellProblem> {
        self.evaluate_at(row, column, 0)
    }

    fn evaluate_at(
        &self,
        row: u32,
        column: u32,
        depth: usize,
    ) -> Result<Option<Decimal>, CellProblem> {
        if depth > 32 {
            return Err(self.problem(row, column, "", "formlerna hänvisar i cirkel".to_owned()));
        }
        if let Some(formula) = self.formula(row, column) {
            let Some(terms) = parse_sum_formula(formula) else {
                return match self.value(row, column) {
                    Data::Float(number) => Ok(Decimal::from_f64_retain(*number)
                        .map(|d| number_text(*number).parse().unwrap_or(d))),
                    Data::Int(number) => Ok(Some(Decimal::from(*number))),
                    _ => Err(self.problem(
                        row,
                        column,
                        "",
                        format!(
                            "formeln ={formula} kan inte beräknas här och har inget sparat värde; \
                             skriv ett tal eller en summa (=SUM(…), =A1+B1)"
                        ),
                    )),
                };
            };
            let mut total = Decimal::ZERO;
            for (sign, term) in terms {
                let value = match term {
                    Term::Number(number) => number,
                    Term::Cells(from, to) => {
                        let mut sum = Decimal::ZERO;
                        for r in from.0.min(to.0)..=from.0.max(to.0) {
                            for c in from.1.min(to.1)..=from.1.max(to.1) {
                                sum += self.evaluate_at(r, c, depth + 1)?.unwrap_or_default();
                            }
                        }
                        sum
                    }
                };
                total += sign * value;
            }
            return Ok(Some(total));
        }
        let text = self.text(row, column)?;
        if text.is_empty() {
            return Ok(None);
        }
        // Text counts as nothing in a sum, as in a spreadsheet's SUM; the package reader
        // reports the cell itself where it must hold a number.
        Ok(styr_domain::number::parse_number(&text))
    }
}

enum Term {
    Number(Decimal),
    /// A cell or a range, 0-based (row, column).
    Cells((u32, u32), (u32, u32)),
}

/// Reads `SUM(A1:A9,B3)+C4-5`: sums of cells, ranges and numbers. `None` for anything else.
fn parse_sum_formula(formula: &str) -> Option<Vec<(Decimal, Term)>> {
    let text: String = formula
        .trim()
        .trim_start_matches('=')
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let mut terms = Vec::new();
    let mut rest = text.as_str();
    let mut sign = Decimal::ONE;
    while !rest.is_empty() {
        if let Some(inner) = rest.strip_prefix("SUM(") {
            let close = inner.find(')')?;
            for argument in inner[..close].split([',', ';']) {
                terms.push((sign, cells(argument)?));
            }
            rest = &inner[close + 1..];
        } else {
            let end = rest.find(['+', '-']).unwrap_or(rest.len());
            let token = &rest[..end];
            let term = match token.parse::<Decimal>() {
                Ok(number) => Term::Number(number),
                Err(_) => cells(token)?,
            };
            terms.push((sign, term));
            rest = &rest[end..];
        }
        match rest.chars().next() {
            None => break,
            Some('+') => sign = Decimal::ONE,
            Some('-') => sign = -Decimal::ONE,
            Some(_) => return None,
        }
        rest = &rest[1..];
    }
    Some(terms)
}

fn cells(text: &str) -> Option<Term> {
    match text.split_once(':') {
        Some((from, to)) => Some(Term::Cells(cell_ref(from)?, cell_ref(to)?)),
        None => {
            let at = cell_ref(text)?;
            Some(Term::Cells(at, at))
        }
    }
}

/// `$F$12` → (11, 5).
fn cell_ref(text: &str) -> Option<(u32, u32)> {
    let text = text.replace('$', "");
    let split = text.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = text.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let mut column: u32 = 0;
    for c in letters.chars() {
        column = column.checked_mul(26)? + (c as u32 - 'A' as u32 + 1);
    }
    let row: u32 = digits.parse().ok()?;
    (row >= 1 && column >= 1).then(|| (row - 1, column - 1))
}

/// Where the lines and columns of a package file came from in a workbook.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    /// file → (sheet, the 0-based sheet row of each CSV line (index 0 = line 1), CSV column →
    /// sheet column).
    files: BTreeMap<String, FileLocation>,
    /// The lines of a report workbook's follow-up file from line 2 on: (sheet, 0-based row,
    /// follow-up column → sheet column, follow-up column → heading).
    report: Vec<ReportLine>,
}

type ReportLine = (String, u32, BTreeMap<String, u32>, BTreeMap<String, String>);
type FileLocation = (String, Vec<u32>, BTreeMap<String, u32>);

impl Locations {
    pub fn add(&mut self, file: &str, sheet: &str, rows: Vec<u32>, columns: BTreeMap<String, u32>) {
        self.files
            .insert(file.to_owned(), (sheet.to_owned(), rows, columns));
    }

    pub fn add_report_line(
        &mut self,
        sheet: &str,
        row: u32,
        columns: BTreeMap<String, u32>,
        headings: &[(&str, &str)],
    ) {
        let headings = headings
            .iter()
            .filter(|(field, _)| !field.is_empty())
            .map(|(field, heading)| ((*field).to_owned(), (*heading).to_owned()))
            .collect();
        self.report.push((sheet.to_owned(), row, columns, headings));
    }

    /// The Swedish words a column of a file from the workbook takes (`Ej påbörjad`, …), for a
    /// message about a value that is none of them; empty for a free column.
    pub fn words(&self, file: &str, field: &str) -> Vec<&'static str> {
        if !self.files.contains_key(file) {
            return Vec::new();
        }
        value_words(file, field)
            .into_iter()
            .map(|(_, word)| word)
            .collect()
    }

    /// `(Sheet!C7, heading)` for a line and field of a file that came from a sheet (or of the
    /// report file); `None` for a file that did not.
    pub fn locate(&self, file: &str, line: u32, field: &str) -> Option<(String, String)> {
        if file == crate::template::REPORT_FILE {
            let (sheet, row, columns, headings) =
                self.report.get((line as usize).checked_sub(2)?)?;
            let heading = headings
                .get(field)
                .cloned()
                .unwrap_or_else(|| field.to_owned());
            let at = match columns.get(field) {
                Some(&column) => cell_name(sheet, *row, column),
                None => format!("{sheet}!{}", row + 1),
            };
            return Some((at, heading));
        }
        let (sheet, rows, columns) = self.files.get(file)?;
        let field_heading = if field.is_empty() {
            String::new()
        } else {
            heading(field)
        };
        if line == 0 {
            return Some((sheet.clone(), field_heading));
        }
        let row = rows.get(line as usize - 1).copied()?;
        let at = match columns.get(field) {
            Some(&column) => cell_name(sheet, row, column),
            None => format!("{sheet}!{}", row + 1),
        };
        Some((at, field_heading))
    }
}

/// A plan workbook's tables as the package's CSV files, with where each came from.
#[derive(Debug, Clone, Default)]
pub struct PlanTables {
    /// (package file, CSV text).
    pub files: Vec<(String, String)>,
    pub locations: Locations,
}

/// Reads the table sheets of a plan workbook. Problems that are the workbook's own (a cell
/// holding an error, a sum that cannot be computed) are returned here, all of them; the plan's
/// rules are the package reader's.
pub fn read_plan_tables(book: &mut Book) -> Result<PlanTables, ExcelError> {
    let WorkbookKind::Plan { sheets } = book.info.kind.clone() else {
        return Err(ExcelError::WrongKind("en plan".to_owned()));
    };
    let mut tables = PlanTables::default();
    let mut problems = Vec::new();
    for (sheet_name, file) in sheets {
        let Some(sheet) = book.sheet(&sheet_name)? else {
            problems.push(CellProblem {
                at: sheet_name.clone(),
                field: String::new(),
                message: format!("bladet saknas (det ska hålla {file})"),
            });
            continue;
        };
        match read_table(&sheet, &file) {
            Ok((csv, rows, columns)) => {
                tables.files.push((file.clone(), csv));
                tables.locations.add(&file, &sheet_name, rows, columns);
            }
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(tables)
    } else {
        Err(ExcelError::Cells(problems))
    }
}

type Table = (String, Vec<u32>, BTreeMap<String, u32>);

fn read_table(sheet: &Sheet, file: &str) -> Result<Table, Vec<CellProblem>> {
    let mut problems = Vec::new();
    let last_column = sheet.last_column(HEADER_ROW);
    let mut header: Vec<(String, u32)> = Vec::new();
    let mut stated_of: BTreeMap<String, u32> = BTreeMap::new();
    for column in 0..=last_column {
        let text = match sheet.text(HEADER_ROW, column) {
            Ok(text) => text,
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        if let Some(of) = text.strip_prefix(STATED_PREFIX) {
            stated_of.insert(column_of_heading(of), column);
        } else {
            header.push((column_of_heading(&text), column));
        }
    }
    let mut grid = crate::grid::Grid {
        header: header.iter().map(|(name, _)| name.clone()).collect(),
        rows: Vec::new(),
    };
    let mut rows = vec![HEADER_ROW];
    for row in HEADER_ROW + 1..=sheet.last_row() {
        let mut cells = Vec::with_capacity(header.len());
        for (name, column) in &header {
            match cell_text(
                sheet,
                file,
                name,
                row,
                *column,
                stated_of.get(name).copied(),
            ) {
                Ok(text) => cells.push(text),
                Err(problem) => {
                    problems.push(problem);
                    cells.push(String::new());
                }
            }
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        grid.rows.push(cells);
        rows.push(row);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let columns = header.into_iter().collect();
    Ok((grid.to_csv(), rows, columns))
}

/// One cell as the package's text: the stated figure where one is kept beside a sum, else a
/// sum's computed value, else the value (a Swedish word back to its code).
fn cell_text(
    sheet: &Sheet,
    file: &str,
    column_name: &str,
    row: u32,
    column: u32,
    stated_column: Option<u32>,
) -> Result<String, CellProblem> {
    let field = heading(column_name);
    let located = |mut problem: CellProblem| {
        problem.field = field.clone();
        problem
    };
    if let Some(stated_column) = stated_column {
        let stated = sheet.text(row, stated_column).map_err(located)?;
        if !stated.is_empty() {
            return Ok(stated);
        }
    }
    if sheet.formula(row, column).is_some() {
        let value = sheet.evaluate(row, column).map_err(located)?;
        return Ok(value.map(|v| v.normalize().to_string()).unwrap_or_default());
    }
    let text = sheet.text(row, column).map_err(located)?;
    let words = value_words(file, column_name);
    Ok(words
        .iter()
        .find(|(_, word)| {
            word.eq_ignore_ascii_case(&text) || word.to_lowercase() == text.to_lowercase()
        })
        .map(|(code, _)| (*code).to_owned())
        .unwrap_or(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_formulas_are_read() {
        let terms = parse_sum_formula("SUM(F3:F11,F14)+$E$2-7").unwrap();
        assert_eq!(terms.len(), 4);
        assert!(matches!(terms[0].1, Term::Cells((2, 5), (10, 5))));
        assert!(matches!(terms[2].1, Term::Cells((1, 4), (1, 4))));
        assert!(
            matches!(terms[3], (sign, Term::Number(n)) if sign == -Decimal::ONE && n == Decimal::from(7))
        );
        assert!(parse_sum_formula("VLOOKUP(A1,B:C,2)").is_none());
        assert!(parse_sum_formula("A1*2").is_none());
    }

    #[test]
    fn numbers_and_dates_read_as_the_package_writes_them() {
        assert_eq!(number_text(58357.0), "58357");
        assert_eq!(number_text(-5303000.0), "-5303000");
        assert_eq!(number_text(80.9), "80.9");
        assert_eq!(serial_date(44439.0), "2021-08-31");
        assert_eq!(serial_date(25569.0), "1970-01-01");
    }
}
