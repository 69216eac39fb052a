//! A package CSV file as a grid of text cells, and the sums a workbook shows as formulas.
//!
//! Which cells of a table are sums is the package format's rule (`docs/plan-format.md`): a
//! `total` row sums the `line` rows of its column (in the finance table: of its group and
//! measure); a net cell is income + cost where both are given. The writer turns each such cell
//! into a formula over the cells it sums, and the reader evaluates those formulas again.

use crate::layout::{HEADER_ROW, is_amount_column};
use std::collections::HashMap;

/// A CSV table: its header and rows of text (empty = missing).
#[derive(Debug, Clone)]
pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Grid {
    pub fn parse(bytes: &[u8]) -> Result<Grid, String> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut records = reader.records();
        let header = match records.next() {
            Some(record) => record
                .map_err(|e| e.to_string())?
                .iter()
                .map(str::to_owned)
                .collect(),
            None => Vec::new(),
        };
        let mut rows = Vec::new();
        for record in records {
            rows.push(
                record
                    .map_err(|e| e.to_string())?
                    .iter()
                    .map(str::to_owned)
                    .collect(),
            );
        }
        Ok(Grid { header, rows })
    }

    pub fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(&self.header);
        for row in &self.rows {
            let _ = writer.write_record(row);
        }
        let bytes = writer.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    pub fn cell(&self, row: usize, column: usize) -> &str {
        self.rows
            .get(row)
            .and_then(|r| r.get(column))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// A cell that is a sum of other cells: `(row, column)` of the grid (0-based data rows) and
/// the cells it adds up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumCell {
    pub row: usize,
    pub column: usize,
    pub terms: Vec<(usize, usize)>,
    /// Net = income + cost (written `=E3+F3`), rather than a column's total (`=SUM(…)`).
    pub net: bool,
}

/// The sheet row (0-based) of a data row of the grid.
pub fn sheet_row(data_row: usize) -> u32 {
    HEADER_ROW + 1 + data_row as u32
}

/// The cells of a package table that are sums, by the format's rules. Only cells that hold a
/// stated figure are sums: a missing total stays missing.
pub fn sum_cells(file: &str, grid: &Grid) -> Vec<SumCell> {
    let kind = grid.column("kind");
    let amount_columns: Vec<usize> = grid
        .header
        .iter()
        .enumerate()
        .filter(|(_, name)| is_amount_column(file, name))
        .map(|(index, _)| index)
        .collect();
    let mut sums = Vec::new();
    let is_kind =
        |row: usize, wanted: &str| kind.is_some_and(|k| grid.cell(row, k).trim() == wanted);
    let stated = |row: usize, column: usize| !grid.cell(row, column).trim().is_empty();
    if file == "budget/finance.csv" {
        let (Some(id), Some(group), Some(measure)) = (
            grid.column("id"),
            grid.column("group"),
            grid.column("measure"),
        ) else {
            return sums;
        };
        for row in 0..grid.rows.len() {
            for &column in &amount_columns {
                if !stated(row, column) {
                    continue;
                }
                if is_kind(row, "total") {
                    let terms = (0..grid.rows.len())
                        .filter(|&other| {
                            is_kind(other, "line")
                                && grid.cell(other, group) == grid.cell(row, group)
                                && grid.cell(other, measure) == grid.cell(row, measure)
                        })
                        .map(|other| (other, column))
                        .collect();
                    sums.push(SumCell {
                        row,
                        column,
                        terms,
                        net: false,
                    });
                } else if grid.cell(row, measure).trim() == "net" {
                    let part = |wanted: &str| {
                        (0..grid.rows.len()).find(|&other| {
                            grid.cell(other, id) == grid.cell(row, id)
                                && grid.cell(other, measure).trim() == wanted
                                && stated(other, column)
                        })
                    };
                    if let (Some(income), Some(cost)) = (part("income"), part("cost")) {
                        sums.push(SumCell {
                            row,
                            column,
                            terms: vec![(income, column), (cost, column)],
                            net: true,
                        });
                    }
                }
            }
        }
        return sums;
    }
    if file == "budget/finance_summary.csv" {
        return sums;
    }
    let (income, cost, net) = (
        grid.column("income"),
        grid.column("cost"),
        grid.column("net"),
    );
    for row in 0..grid.rows.len() {
        for &column in &amount_columns {
            if !stated(row, column) {
                continue;
            }
            if Some(column) == net
                && let (Some(income), Some(cost)) = (income, cost)
                && stated(row, income)
                && stated(row, cost)
            {
                sums.push(SumCell {
                    row,
                    column,
                    terms: vec![(row, income), (row, cost)],
                    net: true,
                });
            } else if is_kind(row, "total") {
                let terms = (0..grid.rows.len())
                    .filter(|&other| is_kind(other, "line"))
                    .map(|other| (other, column))
                    .collect();
                sums.push(SumCell {
                    row,
                    column,
                    terms,
                    net: false,
                });
            }
        }
    }
    sums
}

/// The value of every sum cell as a spreadsheet computes it: the sum of its terms' computed
/// values (a term that is itself a sum counts with its computed value, not its stated one).
/// `None` where a term is not an integer (the package reader reports that cell).
pub fn computed_values(grid: &Grid, sums: &[SumCell]) -> HashMap<(usize, usize), Option<i64>> {
    let by_cell: HashMap<(usize, usize), &SumCell> = sums
        .iter()
        .map(|sum| ((sum.row, sum.column), sum))
        .collect();
    let mut values = HashMap::new();
    for sum in sums {
        let value = compute(grid, &by_cell, sum, &mut values, 0);
        values.insert((sum.row, sum.column), value);
    }
    values
}

fn compute(
    grid: &Grid,
    by_cell: &HashMap<(usize, usize), &SumCell>,
    sum: &SumCell,
    values: &mut HashMap<(usize, usize), Option<i64>>,
    depth: usize,
) -> Option<i64> {
    if let Some(value) = values.get(&(sum.row, sum.column)) {
        return *value;
    }
    if depth > 16 {
        return None;
    }
    let mut total: i64 = 0;
    for &term in &sum.terms {
        let value = match by_cell.get(&term) {
            Some(inner) => {
                let value = compute(grid, by_cell, inner, values, depth + 1);
                values.insert(term, value);
                value?
            }
            None => {
                let text = grid.cell(term.0, term.1).trim();
                if text.is_empty() {
                    continue;
                }
                text.parse::<i64>().ok()?
            }
        };
        total = total.checked_add(value)?;
    }
    Some(total)
}
