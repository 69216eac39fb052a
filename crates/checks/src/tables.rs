//! Checks of the budget tables: printed totals, rows with all their parts printed, parts of a
//! line, lines that reference other figures, the frame, and the frame change.
//!
//! Every arithmetic check is an [`Equation`] over the tables' cells (stated = computed); a
//! finding is an equation that does not hold. The correction search reads the same equations,
//! so a check and its explanation cannot disagree about what was compared.

use crate::cells::{Cell, Linear, finance_cell, finance_group_cells, linear};
use crate::finding::{Finding, Severity, figure};
use rust_decimal::Decimal;
use styr_domain::budget::{AmountRow, Measure, RowKind};
use styr_domain::claim::{figure_word, missing_base, missing_base_note};
use styr_domain::expr::{Expr, Formula};
use styr_domain::{Location, Money, Plan, Year};

const TKR: &str = "tkr";

fn tkr(money: Money) -> Decimal {
    money.tkr()
}

/// One arithmetic check: the stated side must equal the computed side.
#[derive(Debug, Clone)]
pub struct Equation {
    /// The id of the finding the equation gives when it does not hold.
    pub id: String,
    pub at: Location,
    pub check: &'static str,
    /// "… stämmer inte": the finding's message before the difference.
    pub message: String,
    pub stated: Linear,
    pub computed: Linear,
}

impl Equation {
    /// Stated minus computed, in öre: zero when the check holds.
    pub fn residual(&self, plan: &Plan) -> Money {
        self.stated.value(plan) - self.computed.value(plan)
    }

    /// The finding for an equation that does not hold.
    pub fn finding(&self, plan: &Plan) -> Option<Finding> {
        let (stated, computed) = (self.stated.value(plan), self.computed.value(plan));
        (stated != computed).then(|| {
            let difference = figure(tkr(stated - computed), TKR);
            Finding::new(
                Severity::Error,
                &self.at,
                self.check,
                format!("{} (skillnad {difference})", self.message),
            )
            .with_id(self.id.clone())
            .figures(Some(tkr(stated)), Some(tkr(computed)), TKR)
        })
    }
}

/// What the table checks produce: equations, and findings that are not equations (a total
/// with nothing to sum, an expression that cannot be evaluated).
#[derive(Debug, Default)]
pub struct TableChecks {
    pub equations: Vec<Equation>,
    pub findings: Vec<Finding>,
}

impl TableChecks {
    fn equation(
        &mut self,
        at: &Location,
        check: &'static str,
        subject: String,
        message: String,
        stated: Linear,
        computed: Linear,
    ) {
        self.equations.push(Equation {
            id: format!("{check}:{}:{subject}", at.file),
            at: at.clone(),
            check,
            message,
            stated,
            computed,
        });
    }
}

/// An operating-style table's place, for its cells.
#[derive(Clone, Copy)]
enum RowsOf {
    Operating(usize),
    FinanceSummary,
}

impl RowsOf {
    fn cell(self, row: usize, year: Year) -> Cell {
        match self {
            RowsOf::Operating(table) => Cell::Operating { table, row, year },
            RowsOf::FinanceSummary => Cell::FinanceSummary { row, year },
        }
    }
}

/// A row's stated amount compared with an expression: an equation when the expression is
/// linear over the tables, else a plain comparison of values.
fn compare_with_expr(
    plan: &Plan,
    out: &mut TableChecks,
    at: &Location,
    subject: String,
    what: String,
    (stated_cell, stated): (Cell, Money),
    expr: &Expr,
) {
    let message = format!("{what} stämmer inte med {}", plan.describe_expr(expr));
    match plan.evaluate(expr) {
        Ok(quantity) => match linear(plan, expr) {
            Some(computed) => out.equation(
                at,
                "ref",
                subject,
                message,
                Linear::cell(stated_cell),
                computed,
            ),
            None if quantity.value != tkr(stated) => out.findings.push(
                Finding::new(Severity::Error, at, "ref", message)
                    .about(&subject)
                    .figures(Some(tkr(stated)), Some(quantity.value), TKR),
            ),
            None => {}
        },
        Err(error) => out.findings.push(
            Finding::new(Severity::Error, at, "ref", format!("{what}: {error}")).about(&subject),
        ),
    }
}

/// Totals, parts and references of rows with amounts per year.
fn check_amount_rows(
    plan: &Plan,
    title: &str,
    rows_of: RowsOf,
    rows: &[AmountRow],
    out: &mut TableChecks,
) {
    let lines_of = |year: Year| -> Vec<Cell> {
        rows.iter()
            .enumerate()
            .filter(|(_, r)| r.kind == RowKind::Line && r.amounts.contains_key(&year))
            .map(|(index, _)| rows_of.cell(index, year))
            .collect()
    };
    // Parts by their parent, found once: a table of thousands of rows stays linear.
    let mut parts_of: std::collections::HashMap<&styr_domain::Id, Vec<usize>> =
        std::collections::HashMap::new();
    for (index, row) in rows.iter().enumerate() {
        if let (RowKind::Part, Some(parent)) = (row.kind, &row.parent) {
            parts_of.entry(parent).or_default().push(index);
        }
    }
    for (index, row) in rows.iter().enumerate() {
        let subject = |year: Year| format!("{}:{year}", row.id);
        if row.kind == RowKind::Total {
            for &year in row.amounts.keys() {
                let lines = lines_of(year);
                if lines.is_empty() {
                    out.findings.push(
                        Finding::new(
                            Severity::Error,
                            &row.at,
                            "total",
                            format!("{title}: {} {year} har inga rader att summera", row.name),
                        )
                        .about(&subject(year))
                        .figures(
                            row.amounts.get(&year).map(|m| tkr(*m)),
                            None,
                            TKR,
                        ),
                    );
                } else {
                    out.equation(
                        &row.at,
                        "total",
                        subject(year),
                        format!("{title}: {} {year} stämmer inte", row.name),
                        Linear::cell(rows_of.cell(index, year)),
                        Linear::cells(lines),
                    );
                }
            }
        }
        let parts: &[usize] = parts_of.get(&row.id).map_or(&[], Vec::as_slice);
        if !parts.is_empty() {
            let years: std::collections::BTreeSet<Year> = parts
                .iter()
                .flat_map(|&p| rows[p].amounts.keys().copied())
                .collect();
            for year in years {
                let part_cells = parts
                    .iter()
                    .filter(|&&p| rows[p].amounts.contains_key(&year))
                    .map(|&p| rows_of.cell(p, year));
                if row.amounts.contains_key(&year) {
                    out.equation(
                        &row.at,
                        "part",
                        subject(year),
                        format!("{title}: delarna av {} {year} stämmer inte", row.name),
                        Linear::cell(rows_of.cell(index, year)),
                        Linear::cells(part_cells),
                    );
                } else {
                    let computed: Money = parts
                        .iter()
                        .filter_map(|&p| rows[p].amounts.get(&year).copied())
                        .sum();
                    out.findings.push(
                        Finding::new(
                            Severity::Error,
                            &rows[parts[0]].at,
                            "part",
                            format!("{title}: {} saknar belopp {year} men har delar", row.name),
                        )
                        .about(&subject(year))
                        .figures(None, Some(tkr(computed)), TKR),
                    );
                }
            }
        }
        if let Some(reference) = &row.reference {
            for (&year, &stated) in &row.amounts {
                let formula = reference.formula.with_default_year(year);
                let Formula::Value(expr) = formula else {
                    out.findings.push(
                        Finding::new(
                            Severity::Error,
                            &row.at,
                            "ref",
                            format!(
                                "{title}: {}: ref ska vara ett värde, inte en jämförelse",
                                row.name
                            ),
                        )
                        .about(row.id.as_str()),
                    );
                    break;
                };
                compare_with_expr(
                    plan,
                    out,
                    &row.at,
                    subject(year),
                    format!("{title}: {} {year}", row.name),
                    (rows_of.cell(index, year), stated),
                    &expr,
                );
            }
        }
    }
}

pub fn check_operating(plan: &Plan, out: &mut TableChecks) {
    for (table_index, table) in plan.budget.operating.iter().enumerate() {
        check_amount_rows(
            plan,
            &table.title,
            RowsOf::Operating(table_index),
            &table.rows,
            out,
        );
        if table.summary {
            for (frame_index, frame) in plan.budget.frames.iter().enumerate() {
                let lines: Vec<Cell> = table
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.kind == RowKind::Line && r.amounts.contains_key(&frame.year))
                    .map(|(row, _)| Cell::Operating {
                        table: table_index,
                        row,
                        year: frame.year,
                    })
                    .collect();
                if !lines.is_empty() {
                    out.equation(
                        &frame.at,
                        "frame",
                        format!("{}:{}", frame.year, table.id),
                        format!(
                            "ramen {} mot summan av {} stämmer inte",
                            frame.year, table.title
                        ),
                        Linear::cell(Cell::Frame { frame: frame_index }),
                        Linear::cells(lines),
                    );
                }
            }
        }
    }
    let summaries = plan.budget.operating.iter().filter(|t| t.summary).count();
    if summaries > 1 {
        let at = &plan.budget.operating[0].at;
        out.findings.push(
            Finding::new(
                Severity::Warning,
                at,
                "frame",
                format!("{summaries} tabeller är markerade summary; ramen jämförs med var och en"),
            )
            .about("summaries"),
        );
    }
    let finance = &plan.budget.finance;
    check_amount_rows(
        plan,
        &finance.summary_title,
        RowsOf::FinanceSummary,
        &finance.summary,
        out,
    );
}

pub fn check_investment(plan: &Plan, out: &mut TableChecks) {
    let investment = &plan.budget.investment;
    let lines = |year: Option<Year>| -> Vec<Cell> {
        investment
            .rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == RowKind::Line)
            .map(|(row, _)| Cell::Investment { row, year })
            .filter(|cell| cell.get(plan).is_some())
            .collect()
    };
    for (index, row) in investment.rows.iter().enumerate() {
        if row.kind != RowKind::Total {
            continue;
        }
        for &year in row.amounts.keys() {
            out.equation(
                &row.at,
                "total",
                format!("{}:{year}", row.id),
                format!("{}: {} {year} stämmer inte", investment.title, row.name),
                Linear::cell(Cell::Investment {
                    row: index,
                    year: Some(year),
                }),
                Linear::cells(lines(Some(year))),
            );
        }
        if row.until.is_some() {
            out.equation(
                &row.at,
                "total",
                format!("{}:tom", row.id),
                format!("{}: {} budget tom stämmer inte", investment.title, row.name),
                Linear::cell(Cell::Investment {
                    row: index,
                    year: None,
                }),
                Linear::cells(lines(None)),
            );
        }
    }
}

pub fn check_exploitation(plan: &Plan, out: &mut TableChecks) {
    let exploitation = &plan.budget.exploitation;
    for (index, row) in exploitation.rows.iter().enumerate() {
        let cell = |measure| Cell::Exploitation {
            row: index,
            measure,
        };
        if let (Some(_), Some(_), Some(_)) = (row.income, row.cost, row.net) {
            out.equation(
                &row.at,
                "row",
                row.id.to_string(),
                format!(
                    "{}: {} {}: intäkt + kostnad = netto stämmer inte",
                    exploitation.title, row.project, row.name
                ),
                Linear::cell(cell(Measure::Net)),
                Linear::cells([cell(Measure::Income), cell(Measure::Cost)]),
            );
        }
        if row.kind == RowKind::Total {
            for measure in Measure::ALL {
                if row.get(measure).is_none() {
                    continue;
                }
                let lines = exploitation
                    .rows
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.kind == RowKind::Line && r.get(measure).is_some())
                    .map(|(row, _)| Cell::Exploitation { row, measure });
                out.equation(
                    &row.at,
                    "total",
                    format!("{}:{}", row.id, measure.code()),
                    format!(
                        "{}: {} {} stämmer inte",
                        exploitation.title,
                        row.name,
                        measure.label_sv().to_lowercase()
                    ),
                    Linear::cell(cell(measure)),
                    Linear::cells(lines),
                );
            }
        }
    }
}

pub fn check_finance(plan: &Plan, out: &mut TableChecks) {
    let finance = &plan.budget.finance;
    for (index, row) in finance.rows.iter().enumerate() {
        for &year in &finance.years {
            let cell = |measure| finance_cell(plan, index, measure, year);
            let present = |measure| cell(measure).filter(|c| c.get(plan).is_some());
            if let (Some(income), Some(cost), Some(net)) = (
                present(Measure::Income),
                present(Measure::Cost),
                present(Measure::Net),
            ) {
                let at = row
                    .line(Measure::Net)
                    .map_or(Location::default(), |l| l.at.clone());
                out.equation(
                    &at,
                    "row",
                    format!("{}:{year}", row.id),
                    format!(
                        "{}: {} {year}: intäkter + kostnader = netto stämmer inte",
                        finance.title, row.name
                    ),
                    Linear::cell(net),
                    Linear::cells([income, cost]),
                );
            }
        }
        if row.kind == RowKind::Total {
            let Some(group) = &row.group else {
                let at = &row.lines[0].at;
                out.findings.push(
                    Finding::new(
                        Severity::Error,
                        at,
                        "total",
                        format!(
                            "{}: summan {} anger ingen grupp att summera",
                            finance.title, row.name
                        ),
                    )
                    .about(row.id.as_str()),
                );
                continue;
            };
            for (line_index, line) in row.lines.iter().enumerate() {
                for &year in line.amounts.keys() {
                    out.equation(
                        &line.at,
                        "total",
                        format!("{}:{}:{year}", row.id, line.measure.code()),
                        format!(
                            "{}: {} {} {year} stämmer inte",
                            finance.title,
                            row.name,
                            line.measure.label_sv().to_lowercase()
                        ),
                        Linear::cell(Cell::Finance {
                            row: index,
                            line: line_index,
                            year,
                        }),
                        Linear::cells(finance_group_cells(plan, group, line.measure, year)),
                    );
                }
            }
        }
    }
}

pub fn check_frame_change(plan: &Plan, out: &mut TableChecks) {
    let Some(change) = &plan.budget.frame_change else {
        return;
    };
    if !change.components.is_empty() {
        out.equation(
            &change.at,
            "frame",
            format!("ramforandring:{}", change.to_year),
            format!(
                "ramförändringen {}: summan av delarna stämmer inte",
                change.to_year
            ),
            Linear::cell(Cell::FrameChangeStated),
            Linear::cells(
                (0..change.components.len())
                    .map(|component| Cell::FrameChangeComponent { component }),
            ),
        );
    }
    for (index, component) in change.components.iter().enumerate() {
        let Some(reference) = &component.reference else {
            continue;
        };
        let Formula::Value(expr) = &reference.formula else {
            continue;
        };
        let subject = format!("ramforandring:{}", component.id);
        let what = format!("ramförändringen: {}", component.label);
        // Measured from a base the plan does not hold ("justerad budget 2020"): the data cannot
        // say whether the printed part is wrong, only what the columns it has give. The same
        // severity as a claim on that base in the text: a warning, never an error.
        if let Some(base) = missing_base(&plan.budget.version, &change.from_label) {
            let outcome = match plan.evaluate(expr) {
                Ok(quantity) => {
                    format!("blir {} {}", figure_word(expr), figure(quantity.value, TKR))
                }
                Err(error) => format!("kan beloppet inte beräknas: {error}"),
            };
            let computed = plan.evaluate(expr).ok().map(|q| q.value);
            out.findings.push(
                Finding::new(
                    Severity::Warning,
                    &component.at,
                    "ref",
                    format!(
                        "{what} {}",
                        missing_base_note(base, &reference.formula, &outcome)
                    ),
                )
                .about(&subject)
                .figures(Some(tkr(component.amount)), computed, TKR),
            );
            continue;
        }
        compare_with_expr(
            plan,
            out,
            &component.at,
            subject,
            what,
            (
                Cell::FrameChangeComponent { component: index },
                component.amount,
            ),
            expr,
        );
    }
}
