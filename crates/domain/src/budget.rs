//! Budgets: versions, frames (ram), the operating budget's tables, the investment and
//! exploitation budgets, the finance administration and the frame change.
//!
//! Printed totals are kept as rows of kind `Total`: stated figures that `checks` compares with
//! the computed sum. Nothing here ever replaces a stated figure with a computed one.

use crate::expr::Formula;
pub use crate::frame_calculation::{FrameCalculation, FrameLine, FrameLineKind};
use crate::{Id, Location, Money, Year, code_enum};
use std::collections::BTreeMap;

code_enum!(
    /// Where a budget is in its life: a decided version is never edited in place.
    VersionKind { Proposal => "proposal", Decided => "decided", Adjusted => "adjusted" }
);

impl VersionKind {
    /// As a Swedish reader says it: "förslag", "beslutad", "justerad".
    pub fn label_sv(self) -> &'static str {
        match self {
            VersionKind::Proposal => "förslag",
            VersionKind::Decided => "beslutad",
            VersionKind::Adjusted => "justerad",
        }
    }

    /// Whether the public may see a version of this kind: only a decided one. A proposal and
    /// an adjusted version (a change of a decided budget, not yet decided itself) are drafts.
    pub fn is_public(self) -> bool {
        self == VersionKind::Decided
    }

    /// [`VersionKind::is_public`] of a stored kind's code; an unknown code is not public.
    pub fn code_is_public(code: &str) -> bool {
        VersionKind::parse(code).is_some_and(VersionKind::is_public)
    }
}

/// A version of the budget.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetVersion {
    pub id: Id,
    pub kind: VersionKind,
    pub name: String,
    pub decision: Option<Id>,
    pub based_on: Option<Id>,
    pub at: Location,
}

/// The frame (ram) the council gave the body for a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub year: Year,
    pub amount: Money,
    pub decision: Option<Id>,
    pub at: Location,
}

code_enum!(
    /// The role of a row in a printed table.
    RowKind {
        /// A budget line: counted in the table's sum.
        Line => "line",
        /// A printed total: a stated figure, checked against the computed sum.
        Total => "total",
        /// A sub-allocation of another line: not counted, checked to add up to its parent.
        Part => "part",
    }
);

/// An expression with the text it was written as (kept so that files round-trip verbatim).
#[derive(Debug, Clone, PartialEq)]
pub struct FigureFormula {
    pub text: String,
    pub formula: Formula,
}

/// A row of amounts per year: an operating-budget line, a total or a part.
#[derive(Debug, Clone, PartialEq)]
pub struct AmountRow {
    pub id: Id,
    pub name: String,
    pub kind: RowKind,
    pub parent: Option<Id>,
    /// What this printed line should equal, e.g. `op.fortroende` on a summary line.
    pub reference: Option<FigureFormula>,
    /// Missing years are absent: missing is not zero.
    pub amounts: BTreeMap<Year, Money>,
    pub at: Location,
}

/// One printed table of the operating budget (driftbudget).
#[derive(Debug, Clone, PartialEq)]
pub struct OperatingTable {
    pub id: Id,
    pub title: String,
    /// The summary table (sammanställning) whose total is the body's whole budget.
    pub summary: bool,
    /// The year columns, in printed order.
    pub years: Vec<Year>,
    pub rows: Vec<AmountRow>,
    pub at: Location,
}

impl OperatingTable {
    /// The computed sum of the table's lines for a year; `None` if no line has that year.
    pub fn sum(&self, year: Year) -> Option<Money> {
        sum_lines(&self.rows, year)
    }

    pub fn row(&self, id: &str) -> Option<&AmountRow> {
        self.rows.iter().find(|row| row.id.as_str() == id)
    }
}

/// The sum of the `Line` rows' amounts for a year; `None` when none of them has one.
pub fn sum_lines(rows: &[AmountRow], year: Year) -> Option<Money> {
    let mut amounts = rows
        .iter()
        .filter(|row| row.kind == RowKind::Line)
        .filter_map(|row| row.amounts.get(&year).copied())
        .peekable();
    amounts.peek()?;
    Some(amounts.sum())
}

/// A row of the investment budget: a project or the printed total.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentRow {
    pub id: Id,
    pub name: String,
    pub kind: RowKind,
    /// "Budget tom": the budget accumulated before the budget year.
    pub until: Option<Money>,
    pub amounts: BTreeMap<Year, Money>,
    pub at: Location,
}

/// The investment budget: a budget year and plan years.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InvestmentBudget {
    pub title: String,
    pub budget_year: Year,
    pub decision: Option<Id>,
    pub years: Vec<Year>,
    pub rows: Vec<InvestmentRow>,
    /// The projects followed up over their whole life (`budget/investment_projects.csv`):
    /// beslutad totalutgift, earlier outcome, reported total forecast.
    pub projects: Vec<InvestmentProject>,
    pub at: Location,
}

/// An investment project spanning several years, followed up over its whole life (R14's
/// investeringsredovisning): what KF decided it may cost in total, what it cost up to a year
/// as stated (before the ledgers held), and the reported forecast of its total.
#[derive(Debug, Clone, PartialEq)]
pub struct InvestmentProject {
    /// The project: a line of the investment budget.
    pub project: Id,
    /// Beslutad totalutgift.
    pub decided_total: Money,
    /// The decision of the total.
    pub decision: Option<Id>,
    /// The last year the stated `outcome` covers (utfall t.o.m. that year); the years after it
    /// come from the ledgers held.
    pub outcome_until: Option<Year>,
    /// Utfall t.o.m. `outcome_until`, as stated.
    pub outcome: Option<Money>,
    /// Beräknad totalutgift as reported; `None`: computed.
    pub forecast_total: Option<Money>,
    pub at: Location,
}

impl InvestmentBudget {
    /// Whether `id` is a project (a `line` row) of the investment budget.
    pub fn project_line(&self, id: &Id) -> bool {
        self.lines().any(|row| &row.id == id)
    }

    /// A project's whole-life data, if given.
    pub fn project(&self, id: &Id) -> Option<&InvestmentProject> {
        self.projects.iter().find(|p| &p.project == id)
    }

    pub fn sum(&self, year: Year) -> Option<Money> {
        let mut amounts = self
            .lines()
            .filter_map(|row| row.amounts.get(&year).copied())
            .peekable();
        amounts.peek()?;
        Some(amounts.sum())
    }

    pub fn sum_until(&self) -> Option<Money> {
        let mut amounts = self.lines().filter_map(|row| row.until).peekable();
        amounts.peek()?;
        Some(amounts.sum())
    }

    pub fn lines(&self) -> impl Iterator<Item = &InvestmentRow> {
        self.rows.iter().filter(|row| row.kind == RowKind::Line)
    }

    /// Whether the plan has no investment budget (a package without `[investment]`): the
    /// empty default, which a package writes as nothing.
    pub fn is_absent(&self) -> bool {
        *self == InvestmentBudget::default()
    }
}

/// A row of the exploitation budget. Project numbers repeat; the id does not.
#[derive(Debug, Clone, PartialEq)]
pub struct ExploitationRow {
    pub id: Id,
    pub project: String,
    pub name: String,
    pub kind: RowKind,
    pub income: Option<Money>,
    pub cost: Option<Money>,
    /// The printed net (nettoresultat): a stated figure.
    pub net: Option<Money>,
    pub at: Location,
}

/// The exploitation budget of one year.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExploitationBudget {
    pub title: String,
    pub year: Year,
    pub rows: Vec<ExploitationRow>,
    pub at: Location,
}

/// Which column of an exploitation or finance row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Measure {
    Income,
    Cost,
    Net,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Income, Measure::Cost, Measure::Net];

    pub fn code(self) -> &'static str {
        match self {
            Measure::Income => "income",
            Measure::Cost => "cost",
            Measure::Net => "net",
        }
    }

    pub fn parse(code: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.code() == code)
    }

    pub fn label_sv(self) -> &'static str {
        match self {
            Measure::Income => "Intäkter",
            Measure::Cost => "Kostnader",
            Measure::Net => "Netto",
        }
    }
}

impl ExploitationBudget {
    /// Whether the plan has no exploitation budget (the empty default).
    pub fn is_absent(&self) -> bool {
        *self == ExploitationBudget::default()
    }

    fn lines(&self) -> impl Iterator<Item = &ExploitationRow> {
        self.rows.iter().filter(|row| row.kind == RowKind::Line)
    }

    /// The computed sum of a measure over the lines; `None` when no line has it.
    pub fn sum(&self, measure: Measure) -> Option<Money> {
        let mut amounts = self.lines().filter_map(|row| row.get(measure)).peekable();
        amounts.peek()?;
        Some(amounts.sum())
    }
}

impl ExploitationRow {
    pub fn get(&self, measure: Measure) -> Option<Money> {
        match measure {
            Measure::Income => self.income,
            Measure::Cost => self.cost,
            Measure::Net => self.net,
        }
    }
}

/// One printed line of a finance row: a measure with its amounts per year.
#[derive(Debug, Clone, PartialEq)]
pub struct FinanceLine {
    pub measure: Measure,
    pub amounts: BTreeMap<Year, Money>,
    pub at: Location,
}

/// A row of the finance administration (finansförvaltning), printed as up to three lines.
#[derive(Debug, Clone, PartialEq)]
pub struct FinanceRow {
    pub id: Id,
    pub name: String,
    pub kind: RowKind,
    pub group: Option<Id>,
    pub lines: Vec<FinanceLine>,
}

impl FinanceRow {
    pub fn line(&self, measure: Measure) -> Option<&FinanceLine> {
        self.lines.iter().find(|line| line.measure == measure)
    }

    pub fn amount(&self, measure: Measure, year: Year) -> Option<Money> {
        self.line(measure)?.amounts.get(&year).copied()
    }
}

/// The finance administration and its summary.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FinanceBudget {
    pub title: String,
    pub summary_title: String,
    pub years: Vec<Year>,
    pub rows: Vec<FinanceRow>,
    pub summary_years: Vec<Year>,
    pub summary: Vec<AmountRow>,
    pub at: Location,
}

impl FinanceBudget {
    /// Whether the plan has no finance budget (the empty default).
    pub fn is_absent(&self) -> bool {
        *self == FinanceBudget::default()
    }

    pub fn row(&self, id: &str) -> Option<&FinanceRow> {
        self.rows.iter().find(|row| row.id.as_str() == id)
    }

    /// The computed sum of a measure over the lines of a group.
    pub fn group_sum(&self, group: &Id, measure: Measure, year: Year) -> Option<Money> {
        let mut amounts = self
            .rows
            .iter()
            .filter(|row| row.kind == RowKind::Line && row.group.as_ref() == Some(group))
            .filter_map(|row| row.amount(measure, year))
            .peekable();
        amounts.peek()?;
        Some(amounts.sum())
    }
}

/// One part of the explanation of a frame change.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameChangeComponent {
    pub id: Id,
    pub label: String,
    /// As printed: a stated figure.
    pub amount: Money,
    pub reference: Option<FigureFormula>,
    pub at: Location,
}

/// The ramförändring between two budgets and its breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameChange {
    pub from_label: String,
    pub to_year: Year,
    /// As printed: a stated figure.
    pub stated: Money,
    pub components: Vec<FrameChangeComponent>,
    pub at: Location,
}

/// Everything the budget holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Budget {
    pub version: BudgetVersion,
    pub frames: Vec<Frame>,
    pub operating: Vec<OperatingTable>,
    pub investment: InvestmentBudget,
    pub exploitation: ExploitationBudget,
    pub finance: FinanceBudget,
    pub frame_change: Option<FrameChange>,
    /// The ramberäkning: how the frame of a year is computed (`[frame_calculation]`).
    pub frame_calculation: Option<FrameCalculation>,
}

impl Budget {
    pub fn operating_table(&self, id: &str) -> Option<&OperatingTable> {
        self.operating.iter().find(|table| table.id.as_str() == id)
    }

    pub fn frame(&self, year: Year) -> Option<&Frame> {
        self.frames.iter().find(|frame| frame.year == year)
    }

    /// The body's allocation of a year as its own tables compute it: the computed sum of the
    /// summary table (sammanställning) when there is one, else the sum of every table's
    /// computed sum. `None` when no table has the year. Stated totals play no part.
    pub fn operating_total(&self, year: Year) -> Option<Money> {
        if let Some(summary) = self.operating.iter().find(|table| table.summary) {
            return summary.sum(year);
        }
        let mut sums = self
            .operating
            .iter()
            .filter_map(|table| table.sum(year))
            .peekable();
        sums.peek()?;
        Some(sums.sum())
    }
}
