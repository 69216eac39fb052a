//! Excel both ways: a plan's tables out to a workbook and back, and a unit's report for a
//! period as a workbook a head of unit fills in offline.
//!
//! The workbook is a view of the plan package, not a second format: each table sheet is one of
//! the package's CSV files (`layout`), with Swedish headings and words, amounts as numbers in
//! tkr, sums as formulas and a stated figure that differs from its sum kept beside it. Reading
//! turns the sheets back into the package's CSV text, and the package reader validates it;
//! problems are then located by sheet and cell through [`Locations`]. A report workbook turns
//! into the follow-up file (`styr_package::FOLLOWUP_COLUMNS`) that the app's follow-up import
//! takes. This crate knows no database and no permissions: the use cases are `styr-app`'s.
//! rust_xlsxwriter writes, calamine reads.

mod document;
mod grid;
mod layout;
mod read;
mod sheet_csv;
mod template;
mod write;

pub use document::{CONTENTS_SHEET, HEADER_ROW, document_tables, write_document_workbook};
pub use layout::{INFO_SHEET, cell_name, heading as column_heading};
pub use read::{
    Book, CellProblem, Locations, PlanTables, WorkbookInfo, WorkbookKind, read_plan_tables,
};
pub use sheet_csv::sheet_as_csv;
pub use template::{
    ActionLine, AssignmentLine, ControlLine, ForecastLine, GoalLine, IndicatorLine, REPORT_FILE,
    ReportLines, ReportTemplate, read_report, write_report_template,
};
pub use write::{Reports, SYNTHETIC_COLUMN, TKR_FORMAT, write_plan_workbook};

/// Why a workbook could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ExcelError {
    #[error("arbetsboken kan inte skrivas: {0}")]
    Write(#[from] rust_xlsxwriter::XlsxError),
    #[error("filen kan inte läsas som en arbetsbok (xlsx): {0}")]
    NotAWorkbook(String),
    #[error(
        "arbetsboken har inget blad «{INFO_SHEET}»: den är inte skriven av styr excel export eller styr excel template"
    )]
    NotOurs,
    #[error("arbetsboken är inte {0}")]
    WrongKind(String),
    #[error("{file}: {message}")]
    Package { file: String, message: String },
    #[error("{0}")]
    Cell(CellProblem),
    #[error("{} fel i arbetsboken", .0.len())]
    Cells(Vec<CellProblem>),
}

impl ExcelError {
    /// Every located problem of the error (one for a single one).
    pub fn problems(&self) -> Vec<CellProblem> {
        match self {
            ExcelError::Cell(problem) => vec![problem.clone()],
            ExcelError::Cells(problems) => problems.clone(),
            _ => Vec::new(),
        }
    }
}
