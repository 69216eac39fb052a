//! The internal control of a year as one report value: the risk matrix, every control of the
//! year's plan with its result per reporting period, and every audit recommendation with its
//! actions' current states, overdue ones flagged. Built from the plan and the follow-up reports
//! (`ReportEntry::Control`, `ReportEntry::AuditAction`) the caller loaded; the CLI, the web
//! pages and the period documents render the same value.

use styr_domain::Plan;
use styr_domain::Year;
use styr_domain::control::{
    ActionStatus, Audit, AuditAction, Control, ControlResult, Recommendation, RiskMatrix,
    TrafficLight, recommendation_is_open, risk_matrix,
};
use styr_domain::followup::{ReportEntry, ReportedEntry};
use styr_domain::ledger::Month;

/// A control of the year's plan in one of its reporting periods, with the current result.
#[derive(Debug, Clone, PartialEq)]
pub struct ControlPeriodResult {
    pub control: Control,
    pub period: Month,
    /// The current report; `None`: not reported ("ej rapporterat").
    pub result: Option<ReportedEntry>,
}

/// A control's reported result, unpacked once for the document, the web and the CLI.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportedControl<'a> {
    pub result: ControlResult,
    pub light: TrafficLight,
    pub finding: Option<&'a str>,
    pub action: Option<&'a str>,
    pub reported_by: &'a str,
    /// The day it was reported, `YYYY-MM-DD`.
    pub reported_on: &'a str,
}

impl ControlPeriodResult {
    /// The current result; `None` when the period is not reported ("ej rapporterat").
    pub fn reported(&self) -> Option<ReportedControl<'_>> {
        let entry = self.result.as_ref()?;
        match &entry.report.entry {
            ReportEntry::Control {
                result,
                light,
                finding,
                action,
                ..
            } => Some(ReportedControl {
                result: *result,
                light: *light,
                finding: finding.as_deref(),
                action: action.as_deref(),
                reported_by: &entry.reported_by,
                reported_on: entry.reported_at.get(..10).unwrap_or(""),
            }),
            _ => None,
        }
    }
}

/// An action with where it stands now.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionState {
    pub action: AuditAction,
    pub status: ActionStatus,
    pub evidence: Option<String>,
    pub comment: Option<String>,
    /// The report that set the state; `None` when the plan package's state holds.
    pub reported: Option<ReportedEntry>,
    pub overdue: bool,
}

/// A recommendation with its actions' states.
#[derive(Debug, Clone, PartialEq)]
pub struct RecommendationState {
    pub audit: Audit,
    pub recommendation: Recommendation,
    pub actions: Vec<ActionState>,
    pub open: bool,
    pub overdue: bool,
}

/// The internal control of a year.
#[derive(Debug, Clone, PartialEq)]
pub struct InternalControlReport {
    pub year: Year,
    /// ISO date the states are judged on (overdue is a due date before it).
    pub today: String,
    pub matrix: RiskMatrix,
    /// By control (plan order), then period.
    pub controls: Vec<ControlPeriodResult>,
    /// Every recommendation, oldest audit first (by date, else year); open and closed alike.
    pub recommendations: Vec<RecommendationState>,
    /// The package marks its internal control as synthetic example data
    /// (`InternalControl::synthetic`): every output of this report says so.
    pub synthetic: bool,
}

impl InternalControlReport {
    /// The open recommendations, oldest first.
    pub fn open_recommendations(&self) -> impl Iterator<Item = &RecommendationState> {
        self.recommendations.iter().filter(|r| r.open)
    }

    /// The control results of periods up to and including `month`.
    pub fn controls_until(&self, month: Month) -> impl Iterator<Item = &ControlPeriodResult> {
        self.controls.iter().filter(move |c| c.period <= month)
    }
}

/// The current report of a subject and kind in a period: the latest of `entries`.
fn current(
    entries: &[ReportedEntry],
    period: Option<Month>,
    matches: impl Fn(&ReportEntry) -> bool,
) -> Option<&ReportedEntry> {
    entries
        .iter()
        .filter(|e| period.is_none_or(|p| e.report.period == p))
        .filter(|e| matches(&e.report.entry))
        .max_by(|a, b| {
            (a.report.period, a.reported_at.as_str(), a.version).cmp(&(
                b.report.period,
                b.reported_at.as_str(),
                b.version,
            ))
        })
}

/// Builds the report. `entries` are follow-up reports of the municipality (current ones or
/// the whole history: the latest per subject counts); an action's state is its latest report
/// in any period, or the plan package's when it has none.
pub fn internal_control(
    plan: &Plan,
    entries: &[ReportedEntry],
    year: Year,
    today: &str,
) -> InternalControlReport {
    let mut controls = Vec::new();
    for control in plan.control.controls_of(year) {
        for period in &control.periods {
            let result = current(
                entries,
                Some(*period),
                |entry| matches!(entry, ReportEntry::Control { control: c, .. } if *c == control.id),
            );
            controls.push(ControlPeriodResult {
                control: control.clone(),
                period: *period,
                result: result.cloned(),
            });
        }
    }
    let mut recommendations = Vec::new();
    for audit in &plan.control.audits {
        for recommendation in &audit.recommendations {
            let actions: Vec<ActionState> = recommendation
                .actions
                .iter()
                .map(|action| {
                    let reported = current(entries, None, |entry| {
                        matches!(entry, ReportEntry::AuditAction { action: a, .. } if *a == action.id)
                    });
                    let (status, evidence, comment) = match reported.map(|r| &r.report.entry) {
                        Some(ReportEntry::AuditAction {
                            status,
                            evidence,
                            comment,
                            ..
                        }) => (*status, evidence.clone(), comment.clone()),
                        _ => (
                            action.status,
                            action.evidence.clone(),
                            action.reason.clone(),
                        ),
                    };
                    ActionState {
                        action: action.clone(),
                        status,
                        evidence,
                        comment,
                        reported: reported.cloned(),
                        overdue: action.is_overdue(status, today),
                    }
                })
                .collect();
            let states: Vec<ActionStatus> = actions.iter().map(|a| a.status).collect();
            recommendations.push(RecommendationState {
                audit: audit.clone(),
                recommendation: recommendation.clone(),
                open: recommendation_is_open(&states),
                overdue: actions.iter().any(|a| a.overdue),
                actions,
            });
        }
    }
    recommendations.sort_by_key(|r| {
        (r.audit
            .date
            .clone()
            .or_else(|| r.audit.year.map(|y| format!("{y:04}")))
            .unwrap_or_default(),)
    });
    InternalControlReport {
        year,
        today: today.to_owned(),
        matrix: risk_matrix(&plan.control, year),
        controls,
        recommendations,
        synthetic: plan.control.synthetic,
    }
}
