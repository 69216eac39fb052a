//! The money cells of a plan's budget tables, and figure expressions as linear combinations of
//! them. The table checks state each arithmetic check as an equation over cells
//! ([`crate::tables::Equation`]); the correction search changes cells. Indicator values and
//! follow-up figures are not cells: an expression reading them is not linear over the tables.

use styr_domain::budget::{Measure, RowKind};
use styr_domain::expr::{BinaryOp, Expr, FigureRef, YearSelector};
use styr_domain::{Location, Money, Plan, Year};

/// One printed amount of the budget, addressed by its position in the plan's tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cell {
    Frame {
        frame: usize,
    },
    Operating {
        table: usize,
        row: usize,
        year: Year,
    },
    FinanceSummary {
        row: usize,
        year: Year,
    },
    /// `year: None` is "Budget tom".
    Investment {
        row: usize,
        year: Option<Year>,
    },
    Exploitation {
        row: usize,
        measure: Measure,
    },
    Finance {
        row: usize,
        line: usize,
        year: Year,
    },
    FrameChangeStated,
    FrameChangeComponent {
        component: usize,
    },
}

impl Cell {
    /// The amount printed in the cell; `None` for an empty cell.
    pub fn get(self, plan: &Plan) -> Option<Money> {
        let budget = &plan.budget;
        match self {
            Cell::Frame { frame } => budget.frames.get(frame).map(|f| f.amount),
            Cell::Operating { table, row, year } => budget
                .operating
                .get(table)?
                .rows
                .get(row)?
                .amounts
                .get(&year)
                .copied(),
            Cell::FinanceSummary { row, year } => {
                budget.finance.summary.get(row)?.amounts.get(&year).copied()
            }
            Cell::Investment { row, year } => {
                let row = budget.investment.rows.get(row)?;
                match year {
                    Some(year) => row.amounts.get(&year).copied(),
                    None => row.until,
                }
            }
            Cell::Exploitation { row, measure } => budget.exploitation.rows.get(row)?.get(measure),
            Cell::Finance { row, line, year } => budget
                .finance
                .rows
                .get(row)?
                .lines
                .get(line)?
                .amounts
                .get(&year)
                .copied(),
            Cell::FrameChangeStated => budget.frame_change.as_ref().map(|c| c.stated),
            Cell::FrameChangeComponent { component } => budget
                .frame_change
                .as_ref()?
                .components
                .get(component)
                .map(|c| c.amount),
        }
    }

    /// Replaces the amount of a cell that holds one (a correction tried on a copy of the plan).
    pub fn set(self, plan: &mut Plan, amount: Money) {
        let budget = &mut plan.budget;
        let slot: Option<&mut Money> =
            match self {
                Cell::Frame { frame } => budget.frames.get_mut(frame).map(|f| &mut f.amount),
                Cell::Operating { table, row, year } => budget
                    .operating
                    .get_mut(table)
                    .and_then(|t| t.rows.get_mut(row))
                    .and_then(|r| r.amounts.get_mut(&year)),
                Cell::FinanceSummary { row, year } => budget
                    .finance
                    .summary
                    .get_mut(row)
                    .and_then(|r| r.amounts.get_mut(&year)),
                Cell::Investment { row, year } => {
                    budget
                        .investment
                        .rows
                        .get_mut(row)
                        .and_then(|r| match year {
                            Some(year) => r.amounts.get_mut(&year),
                            None => r.until.as_mut(),
                        })
                }
                Cell::Exploitation { row, measure } => budget
                    .exploitation
                    .rows
                    .get_mut(row)
                    .and_then(|r| match measure {
                        Measure::Income => r.income.as_mut(),
                        Measure::Cost => r.cost.as_mut(),
                        Measure::Net => r.net.as_mut(),
                    }),
                Cell::Finance { row, line, year } => budget
                    .finance
                    .rows
                    .get_mut(row)
                    .and_then(|r| r.lines.get_mut(line))
                    .and_then(|l| l.amounts.get_mut(&year)),
                Cell::FrameChangeStated => budget.frame_change.as_mut().map(|c| &mut c.stated),
                Cell::FrameChangeComponent { component } => budget
                    .frame_change
                    .as_mut()
                    .and_then(|c| c.components.get_mut(component))
                    .map(|c| &mut c.amount),
            };
        if let Some(slot) = slot {
            *slot = amount;
        }
    }

    /// Where the cell is printed and which column: (`budget/finance.csv:22`, "kostnader 2020").
    pub fn place(self, plan: &Plan) -> (Location, String) {
        let budget = &plan.budget;
        let lower = |measure: Measure| measure.label_sv().to_lowercase();
        let found = match self {
            Cell::Frame { frame } => budget
                .frames
                .get(frame)
                .map(|f| (f.at.clone(), format!("ram {}", f.year))),
            Cell::Operating { table, row, year } => budget
                .operating
                .get(table)
                .and_then(|t| t.rows.get(row))
                .map(|r| (r.at.clone(), year.to_string())),
            Cell::FinanceSummary { row, year } => budget
                .finance
                .summary
                .get(row)
                .map(|r| (r.at.clone(), year.to_string())),
            Cell::Investment { row, year } => budget.investment.rows.get(row).map(|r| {
                let column = year.map_or("budget tom".to_owned(), |y| y.to_string());
                (r.at.clone(), column)
            }),
            Cell::Exploitation { row, measure } => budget
                .exploitation
                .rows
                .get(row)
                .map(|r| (r.at.clone(), lower(measure))),
            Cell::Finance { row, line, year } => budget
                .finance
                .rows
                .get(row)
                .and_then(|r| r.lines.get(line))
                .map(|l| (l.at.clone(), format!("{} {year}", lower(l.measure)))),
            Cell::FrameChangeStated => budget
                .frame_change
                .as_ref()
                .map(|c| (c.at.clone(), "ramförändring".to_owned())),
            Cell::FrameChangeComponent { component } => budget
                .frame_change
                .as_ref()
                .and_then(|c| c.components.get(component))
                .map(|c| (c.at.clone(), "belopp".to_owned())),
        };
        found.unwrap_or_default()
    }
}

/// `constant + Σ coefficient × cell`, in öre.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Linear {
    pub terms: Vec<(Cell, i64)>,
    pub constant: Money,
}

impl Linear {
    pub fn cell(cell: Cell) -> Linear {
        Linear {
            terms: vec![(cell, 1)],
            constant: Money::ZERO,
        }
    }

    pub fn cells(cells: impl IntoIterator<Item = Cell>) -> Linear {
        Linear {
            terms: cells.into_iter().map(|cell| (cell, 1)).collect(),
            constant: Money::ZERO,
        }
    }

    /// The value with the plan's amounts (an empty cell counts as nothing: terms are built
    /// from the cells that hold an amount).
    pub fn value(&self, plan: &Plan) -> Money {
        self.terms
            .iter()
            .map(|&(cell, coefficient)| {
                Money::from_ore(cell.get(plan).unwrap_or(Money::ZERO).ore() * coefficient)
            })
            .sum::<Money>()
            + self.constant
    }

    fn scaled(mut self, factor: i64) -> Linear {
        for term in &mut self.terms {
            term.1 *= factor;
        }
        self.constant = Money::from_ore(self.constant.ore() * factor);
        self
    }

    fn plus(mut self, other: Linear) -> Linear {
        self.terms.extend(other.terms);
        self.constant = self.constant + other.constant;
        self
    }
}

/// An expression over budget amounts as a linear combination of cells; `None` when it reads
/// anything else (indicators, follow-up figures, percentages) or a figure the plan lacks.
pub fn linear(plan: &Plan, expr: &Expr) -> Option<Linear> {
    match expr {
        Expr::Number(value) => {
            let ore = value * rust_decimal::Decimal::from(100_000);
            (ore.fract().is_zero())
                .then(|| i64::try_from(ore).ok())
                .flatten()
                .map(|ore| Linear {
                    terms: Vec::new(),
                    constant: Money::from_ore(ore),
                })
        }
        Expr::Ref(figure) => figure_cells(plan, figure).map(Linear::cells),
        Expr::Negate(inner) => linear(plan, inner).map(|l| l.scaled(-1)),
        Expr::Binary(left, op, right) => {
            let (left, right) = (linear(plan, left)?, linear(plan, right)?);
            Some(match op {
                BinaryOp::Add => left.plus(right),
                BinaryOp::Sub => left.plus(right.scaled(-1)),
            })
        }
        Expr::Call(..) => None,
    }
}

/// The cells a figure reference sums, as `Plan::resolve` reads them.
fn figure_cells(plan: &Plan, figure: &FigureRef) -> Option<Vec<Cell>> {
    let path: Vec<&str> = figure.path.iter().map(String::as_str).collect();
    let year = match figure.year {
        Some(YearSelector::Year(year)) => Some(year),
        _ => None,
    };
    let until = figure.year == Some(YearSelector::Until);
    let budget = &plan.budget;
    let cells: Vec<Cell> = match path.as_slice() {
        ["frame"] => {
            let year = year?;
            vec![Cell::Frame {
                frame: budget.frames.iter().position(|f| f.year == year)?,
            }]
        }
        ["op", table_id] => {
            let year = year?;
            let table = budget
                .operating
                .iter()
                .position(|t| t.id.as_str() == *table_id)?;
            budget.operating[table]
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.kind == RowKind::Line && r.amounts.contains_key(&year))
                .map(|(row, _)| Cell::Operating { table, row, year })
                .collect()
        }
        ["op", table_id, line] => {
            let year = year?;
            let table = budget
                .operating
                .iter()
                .position(|t| t.id.as_str() == *table_id)?;
            let row = budget.operating[table]
                .rows
                .iter()
                .position(|r| r.id.as_str() == *line)?;
            vec![Cell::Operating { table, row, year }]
        }
        ["inv"] => {
            let year = if until { None } else { Some(year?) };
            budget
                .investment
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.kind == RowKind::Line)
                .map(|(row, _)| Cell::Investment { row, year })
                .collect()
        }
        ["inv", project] => {
            let year = if until { None } else { Some(year?) };
            let row = budget
                .investment
                .rows
                .iter()
                .position(|r| r.id.as_str() == *project)?;
            vec![Cell::Investment { row, year }]
        }
        ["exp", measure] => {
            let measure = Measure::parse(measure)?;
            budget
                .exploitation
                .rows
                .iter()
                .enumerate()
                .filter(|(_, r)| r.kind == RowKind::Line)
                .map(|(row, _)| Cell::Exploitation { row, measure })
                .collect()
        }
        ["exp", row_id, measure] => {
            let measure = Measure::parse(measure)?;
            let row = budget
                .exploitation
                .rows
                .iter()
                .position(|r| r.id.as_str() == *row_id)?;
            vec![Cell::Exploitation { row, measure }]
        }
        ["fin", row_id, measure] => {
            let (measure, year) = (Measure::parse(measure)?, year?);
            let finance = &budget.finance;
            let index = finance.rows.iter().position(|r| r.id.as_str() == *row_id)?;
            let row = &finance.rows[index];
            match (&row.kind, &row.group) {
                (RowKind::Total, Some(group)) => finance_group_cells(plan, group, measure, year),
                _ => vec![finance_cell(plan, index, measure, year)?],
            }
        }
        _ => return None,
    };
    // Only cells that hold an amount: an empty cell is missing, not zero.
    Some(
        cells
            .into_iter()
            .filter(|cell| cell.get(plan).is_some())
            .collect(),
    )
}

/// The cell of a finance row's measure in a year.
pub fn finance_cell(plan: &Plan, row: usize, measure: Measure, year: Year) -> Option<Cell> {
    let line = plan.budget.finance.rows[row]
        .lines
        .iter()
        .position(|l| l.measure == measure)?;
    Some(Cell::Finance { row, line, year })
}

/// The cells of a measure over a finance group's lines, as `FinanceBudget::group_sum` reads.
pub fn finance_group_cells(
    plan: &Plan,
    group: &styr_domain::Id,
    measure: Measure,
    year: Year,
) -> Vec<Cell> {
    plan.budget
        .finance
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == RowKind::Line && r.group.as_ref() == Some(group))
        .filter_map(|(row, _)| finance_cell(plan, row, measure, year))
        .filter(|cell| cell.get(plan).is_some())
        .collect()
}
