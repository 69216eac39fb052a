//! Document generation: a [`Plan`] → the strategy-and-budget document, and a plan with a
//! [`PeriodReport`] → the interim or annual report, each as one self-contained HTML file or as
//! an A4 PDF, with SVG charts drawn in Rust.
//!
//! The pipeline is pure: [`compose`] turns the plan into a document model (headings, paragraphs
//! with live figures, tables whose sums are computed, charts, footnotes), and two renderers turn
//! that one model into HTML ([`render_html`]) and into typst markup ([`render_typst`]), which the
//! `pdf` feature compiles in process with bundled fonts ([`render_pdf`]). This crate reads no
//! files, touches no database and fetches nothing; the typst stack lives only here, behind the
//! default `pdf` feature, so that other crates never build it.

pub mod accounts;
pub mod alternatives;
pub mod chart;
pub mod compose;
pub mod format;
pub mod html;
pub mod measures;
pub mod model;
pub mod municipal;
pub mod narrative;
pub mod orgchart;
#[cfg(feature = "pdf")]
mod pdf;
pub mod period_report;
pub mod personnel;
pub mod reconciliation;
pub mod statements;
pub mod statutory;
pub mod trace;
pub mod typst_markup;

pub use alternatives::{compose_alternative, compose_comparison};
pub use compose::{budget_blocks, budget_blocks_traced, compose, compose_traced, unknown_blocks};
pub use measures::measures_section;
pub use model::{Document, DocumentKind};
pub use municipal::compose_municipal_report;
pub use period_report::{compose_period_report, compose_period_report_traced};
pub use personnel::personnel_section;
pub use statutory::{StatutoryParts, StatutoryReport, compose_statutory_report};

use styr_domain::Plan;
use styr_reports::PeriodReport;

/// Why a document could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum DocgenError {
    /// The generated typst markup did not compile (a bug in this crate: please report it).
    #[error("typst kunde inte sätta dokumentet: {0}")]
    Typst(String),
    /// Writing the PDF failed.
    #[error("PDF kunde inte skrivas: {0}")]
    Pdf(String),
}

/// Any composed document as one self-contained HTML page.
pub fn render_document_html(document: &Document) -> String {
    html::render(document)
}

/// The whole document as one self-contained HTML page.
pub fn render_html(plan: &Plan) -> String {
    html::render(&compose(plan))
}

/// The whole document as typst markup (what [`render_pdf`] compiles).
pub fn render_typst(plan: &Plan) -> String {
    typst_markup::render(&compose(plan))
}

/// The whole document as an A4 PDF: tagged, with bookmarks, page numbers and a table of
/// contents; fonts bundled; the same plan gives byte-identical bytes.
#[cfg(feature = "pdf")]
pub fn render_pdf(plan: &Plan) -> Result<Vec<u8>, DocgenError> {
    render_document_pdf(&compose(plan))
}

/// Any composed document as an A4 PDF (the one path of [`render_pdf`] and
/// [`render_period_report_pdf`]).
#[cfg(feature = "pdf")]
pub fn render_document_pdf(document: &Document) -> Result<Vec<u8>, DocgenError> {
    pdf::compile(&typst_markup::render(document))
}

/// The interim or annual report of a period as one self-contained HTML page.
pub fn render_period_report_html(plan: &Plan, report: &PeriodReport) -> String {
    html::render(&compose_period_report(plan, report))
}

/// The interim or annual report as typst markup (what [`render_period_report_pdf`] compiles).
pub fn render_period_report_typst(plan: &Plan, report: &PeriodReport) -> String {
    typst_markup::render(&compose_period_report(plan, report))
}

/// The interim or annual report as an A4 PDF, tagged PDF/UA-1 like the plan's document; the
/// same data gives byte-identical bytes.
#[cfg(feature = "pdf")]
pub fn render_period_report_pdf(
    plan: &Plan,
    report: &PeriodReport,
) -> Result<Vec<u8>, DocgenError> {
    render_document_pdf(&compose_period_report(plan, report))
}

/// The whole municipality's report of a period ([`municipal::compose_municipal_report`]) as one
/// self-contained HTML page.
pub fn render_municipal_report_html(
    overview: &styr_reports::municipal::MunicipalOverview,
    parts: &[(Plan, PeriodReport)],
) -> String {
    html::render(&municipal::compose_municipal_report(overview, parts))
}

/// The whole municipality's report of a period as an A4 PDF, tagged like every other document.
#[cfg(feature = "pdf")]
pub fn render_municipal_report_pdf(
    overview: &styr_reports::municipal::MunicipalOverview,
    parts: &[(Plan, PeriodReport)],
) -> Result<Vec<u8>, DocgenError> {
    render_document_pdf(&municipal::compose_municipal_report(overview, parts))
}

/// The plan's document as HTML with every traced figure a link to `BASE/spar/…`
/// ([`trace::link_traces`]); without a base, exactly [`render_html`].
pub fn render_html_traced(plan: &Plan, base: Option<&str>) -> String {
    let mut document = compose_traced(plan);
    trace::link_traces(&mut document, base);
    html::render(&document)
}

/// The plan's document as a PDF with every traced figure a link to `BASE/spar/…`; without a
/// base, exactly [`render_pdf`] (a PDF never gets a relative link).
#[cfg(feature = "pdf")]
pub fn render_pdf_traced(plan: &Plan, base: Option<&str>) -> Result<Vec<u8>, DocgenError> {
    let mut document = compose_traced(plan);
    trace::link_traces(&mut document, base.filter(|b| is_absolute(b)));
    render_document_pdf(&document)
}

/// A period's report as HTML with its traced figures linked ([`render_html_traced`]).
pub fn render_period_report_html_traced(
    plan: &Plan,
    report: &PeriodReport,
    base: Option<&str>,
) -> String {
    let mut document = compose_period_report_traced(plan, report);
    trace::link_traces(&mut document, base);
    html::render(&document)
}

/// A period's report as a PDF with its traced figures linked ([`render_pdf_traced`]).
#[cfg(feature = "pdf")]
pub fn render_period_report_pdf_traced(
    plan: &Plan,
    report: &PeriodReport,
    base: Option<&str>,
) -> Result<Vec<u8>, DocgenError> {
    let mut document = compose_period_report_traced(plan, report);
    trace::link_traces(&mut document, base.filter(|b| is_absolute(b)));
    render_document_pdf(&document)
}

/// An absolute http(s) URL: the only base a PDF's links may have.
pub fn is_absolute(base: &str) -> bool {
    let lower = base.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}
