//! Consistency checks over a plan: every printed total against the computed sum, every row
//! whose parts are all printed against itself, every reference and claim against the data —
//! and, for the arithmetic findings, the smallest corrections that would explain them.
//!
//! Checks never change the plan: a stated figure that disagrees with the computed one is
//! reported, not corrected; a correction is a suggestion beside the findings. The result is
//! plain data ([`Report`]); `render_report` prints it for people, and the CLI serialises it for
//! machines. No I/O here.

mod cells;
mod claims;
mod corrections;
mod figures;
mod finding;
mod frame_calculation;
pub mod geh;
pub mod municipality;
mod statements;
mod tables;

pub use cells::Cell;
pub use claims::claim_subject;
pub use corrections::{Change, Correction};
pub use finding::{Finding, Severity, changes_text, render_report, render_text};

use std::collections::HashMap;
use styr_domain::Plan;

/// What `check` finds: each finding once, and the smallest corrections behind the arithmetic
/// ones.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub corrections: Vec<Correction>,
}

/// Runs every check on the plan and searches the smallest corrections. Findings come in the
/// order of the document's files; a finding that occurs twice (the same claim written twice
/// on a line) is reported once, with its count.
pub fn check(plan: &Plan) -> Report {
    let table_checks = table_checks(plan);
    let mut findings = table_checks.findings;
    findings.extend(
        table_checks
            .equations
            .iter()
            .filter_map(|equation| equation.finding(plan)),
    );
    claims::check_claims(plan, &mut findings);
    claims::check_statuses(plan, &mut findings);
    figures::check_figures(plan, &mut findings);
    frame_calculation::check_frame_calculation(plan, &mut findings);
    statements::check_statements(plan, &mut findings);
    findings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let mut findings = once_each(findings);
    acknowledge(plan, &mut findings);
    findings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let mut corrections = corrections::smallest_corrections(plan, &table_checks.equations);
    let order: HashMap<&str, usize> = findings
        .iter()
        .enumerate()
        .map(|(position, f)| (f.id.as_str(), position))
        .collect();
    for correction in &mut corrections {
        correction
            .explains
            .sort_by_key(|id| order.get(id.as_str()).copied().unwrap_or(usize::MAX));
    }
    corrections.sort_by_key(|c| {
        c.explains
            .first()
            .and_then(|id| order.get(id.as_str()).copied())
    });
    Report {
        findings,
        corrections,
    }
}

fn table_checks(plan: &Plan) -> tables::TableChecks {
    let mut table_checks = tables::TableChecks::default();
    tables::check_operating(plan, &mut table_checks);
    tables::check_investment(plan, &mut table_checks);
    tables::check_exploitation(plan, &mut table_checks);
    tables::check_finance(plan, &mut table_checks);
    tables::check_frame_change(plan, &mut table_checks);
    table_checks
}

/// The smallest corrections alone, as [`check`] finds them (in table order): the tables'
/// equations and the search, without the claims. For measuring the search.
pub fn smallest_corrections(plan: &Plan) -> Vec<Correction> {
    corrections::smallest_corrections(plan, &table_checks(plan).equations)
}

/// Runs every check on the plan: the findings of [`check`].
pub fn check_plan(plan: &Plan) -> Vec<Finding> {
    check(plan).findings
}

/// Moves each acknowledged error or warning to `Acknowledged`, with who, when and why; an
/// acknowledgement that names no current error or warning is itself reported (the data or
/// the check changed since), so it never hides anything silently.
fn acknowledge(plan: &Plan, findings: &mut Vec<Finding>) {
    for acknowledgement in &plan.acknowledgements {
        let acknowledged = findings.iter_mut().find(|f| {
            f.id == acknowledgement.finding
                && matches!(f.severity, Severity::Error | Severity::Warning)
        });
        match acknowledged {
            Some(finding) => {
                finding.severity = Severity::Acknowledged;
                finding.acknowledgement = Some(acknowledgement.clone());
            }
            None => findings.push(
                Finding::new(
                    Severity::Warning,
                    &acknowledgement.location,
                    "ack",
                    format!(
                        "kvittensen av {} gäller inget fel eller varning längre",
                        acknowledgement.finding
                    ),
                )
                .about(&acknowledgement.finding),
            ),
        }
    }
}

/// Keeps the first finding of each id and counts the others.
fn once_each(findings: Vec<Finding>) -> Vec<Finding> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    for finding in findings {
        match seen.get(&finding.id) {
            Some(&position) => kept[position].occurrences += 1,
            None => {
                seen.insert(finding.id.clone(), kept.len());
                kept.push(finding);
            }
        }
    }
    kept
}

/// Whether any finding is an error: `styr check` then exits with status 1.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
