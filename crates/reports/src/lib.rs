//! Follow-up reports computed as plain data: rows of explicitly typed cells, no I/O and no
//! rendering. A report value is built from a [`Plan`](styr_domain::Plan) and ledger amounts
//! the caller has loaded (from the store, or straight from a file); the CLI renders it as a
//! table, CSV or JSON, and the document generator can render the same value.
//!
//! This crate deliberately knows nothing of SIE, SQL, terminals or JSON: it depends on the
//! domain only.

pub mod budget_vs_actual;
pub mod fiscal_data;
pub mod monthly_budget;

pub use budget_vs_actual::{
    Actual, BalanceData, BudgetVsActual, Budgeted, Cell, Comparison, Excluded, ForecastMethod,
    LaterRows, LedgerData, ProfileSource, ReportRow, RowKind, Section, UnmappedRow,
    budget_vs_actual, budget_vs_actual_of_balances, total_of, whole_shares,
};
pub use fiscal_data::{FiscalData, FiscalDirection, FiscalRow, Phase, fiscal_data, with_executed};
pub use monthly_budget::{MonthlyBudget, MonthlyBudgetProblem, monthly_budget, sums_by_line};
pub mod period_report;

pub use period_report::{
    AssignmentFollowUp, Attention, Completeness, ForecastNote, GoalFollowUp, IndicatorFollowUp,
    MissingKind, MissingReport, PeriodReport, assignment_label, missing_reports, period_report,
};
pub mod deviations;
pub mod kinds;

pub use kinds::{REPORT_KINDS, ReportKind, ReportSection};
pub mod accounts;
pub mod accounts_ledger;
pub mod internal_control;
pub mod municipal;

pub use internal_control::{
    ActionState, ControlPeriodResult, InternalControlReport, RecommendationState, internal_control,
};
pub mod personnel;

pub use personnel::{
    MeasureFollowUp, MeasuresReport, PersonnelFigures, measures_report, personnel_figures,
};
pub mod statements;

pub use statements::{StatementsReport, statements, statements_compared};
