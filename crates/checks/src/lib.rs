//! Consistency checks over a plan: every printed total against the computed sum, every row
//! whose parts are all printed against itself, every reference and claim against the data.
//!
//! Checks never change the plan: a stated figure that disagrees with the computed one is
//! reported, not corrected. The result is plain data ([`Finding`]s); `render_text` prints them
//! for people, and the CLI serialises them for machines. No I/O here.

mod claims;
mod finding;
mod tables;

pub use finding::{Finding, Severity, render_text};

use styr_domain::Plan;

/// Runs every check on the plan. Findings come in the order of the document's files.
pub fn check_plan(plan: &Plan) -> Vec<Finding> {
    let mut findings = Vec::new();
    tables::check_operating(plan, &mut findings);
    tables::check_investment(plan, &mut findings);
    tables::check_exploitation(plan, &mut findings);
    tables::check_finance(plan, &mut findings);
    tables::check_frame_change(plan, &mut findings);
    claims::check_claims(plan, &mut findings);
    claims::check_statuses(plan, &mut findings);
    findings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    findings
}

/// Whether any finding is an error: `styr check` then exits with status 1.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
