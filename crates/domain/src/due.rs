//! What a period's report contains, once: the one rule every front end asks.
//!
//! A follow-up period asks for reports on subjects of the plan: an assignment's status, a
//! budget line's forecast, an indicator's outcome, a goal's assessment, a control's result and
//! an audit action's progress. [`due_items`] lists them for a period, each with who answers for
//! it ([`owners`]) and whether the period *requires* it (then an unreported one is missing,
//! and late once the deadline has passed) or only *accepts* it. [`control_due`] says when a
//! control is reported, [`accepts_reports`] whether a period takes reports, and
//! [`current_period`] which period the calendar says is being reported on a given day.
//!
//! The rules (where the issue text left them open, chosen here once):
//! - a status for every assignment not reported finished in an earlier period: required in
//!   every period, monthly closings included;
//! - a forecast for every operating line (non-summary tables) and every investment project:
//!   required at monthly closings and interim reports (the annual report has the year's
//!   outcome instead, so none is asked for);
//! - an outcome for every indicator: accepted in every period, required at the annual report;
//! - an assessment of every goal: interim and annual reports only, required there;
//! - a control's result: in the periods its plan names ([`control_due`]), required there;
//! - an audit action's progress while it is not closed: accepted in every period, required at
//!   interim and annual reports.

use crate::assignment::AssignmentStatus;
use crate::control::{ActionStatus, Control};
use crate::followup::{
    EntryKind, FollowUpPeriod, PeriodKind, PeriodState, ReportEntry, ReportedEntry,
};
use crate::ledger::{BudgetLineRef, Month};
use crate::{Id, Plan};

/// One thing a period asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    pub kind: EntryKind,
    /// As [`ReportEntry::subject`]: an id, or a budget line `op.TABLE.LINE` / `inv.PROJECT`.
    pub subject: String,
    /// What a reader calls it: the assignment's code and title, the line's or indicator's name.
    pub label: String,
    /// The bodies or units that answer for it (whose reporters may report it).
    pub owners: Vec<Id>,
    /// Whether the period requires it (unreported: missing); otherwise it only accepts it.
    pub required: bool,
}

impl DueItem {
    /// The budget line of a forecast item.
    pub fn line(&self) -> Option<BudgetLineRef> {
        (self.kind == EntryKind::Forecast)
            .then(|| BudgetLineRef::parse(&self.subject))
            .flatten()
    }

    /// `kind/subject`, the item's key in forms and lists.
    pub fn key(&self) -> String {
        format!("{}/{}", self.kind.code(), self.subject)
    }
}

/// Who answers for a subject of a kind: the bodies (or units) whose reporters may report it.
/// An indicator, control or audit action without a named owner, a goal and a budget line are
/// the document's body's.
pub fn owners(plan: &Plan, kind: EntryKind, subject: &str) -> Vec<Id> {
    let document_body = plan.document.body.clone();
    match kind {
        EntryKind::Status => plan
            .assignments
            .iter()
            .find(|a| a.id.as_str() == subject)
            .map(|a| a.responsible.clone())
            .unwrap_or_default(),
        EntryKind::Outcome => vec![
            plan.indicators
                .iter()
                .find(|i| i.id.as_str() == subject)
                .and_then(|i| i.responsible.clone())
                .unwrap_or(document_body),
        ],
        EntryKind::Assessment | EntryKind::Forecast => vec![document_body],
        EntryKind::Control => vec![
            plan.control
                .controls
                .iter()
                .find(|c| c.id.as_str() == subject)
                .and_then(|c| c.responsible.clone())
                .unwrap_or(document_body),
        ],
        EntryKind::AuditAction => vec![
            plan.control
                .actions()
                .find(|(_, _, a)| a.id.as_str() == subject)
                .and_then(|(_, _, a)| a.owner.clone())
                .unwrap_or(document_body),
        ],
    }
}

/// Who answers for what an entry is about.
pub fn entry_owners(plan: &Plan, entry: &ReportEntry) -> Vec<Id> {
    owners(plan, entry.kind(), &entry.subject())
}

/// Whether a control's result is reported in a period: in the periods its plan names; a
/// control that names none is reported at the annual report of its year (of any year when it
/// has none).
pub fn control_due(control: &Control, period: &FollowUpPeriod) -> bool {
    if control.periods.is_empty() {
        period.kind == PeriodKind::Annual
            && control.year.is_none_or(|year| period.month.year() == year)
    } else {
        control.periods.contains(&period.month)
    }
}

/// Whether a period takes reports: while it is open (a closed period's reports are immutable).
pub fn accepts_reports(period: &FollowUpPeriod) -> bool {
    period.state == PeriodState::Open
}

/// Where a period stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodPhase {
    /// Its month has not ended.
    Upcoming,
    /// Its month has ended and its deadline has not passed (or it has none).
    Reporting,
    /// Open after its deadline.
    Late,
    Closed,
}

impl PeriodPhase {
    pub fn label_sv(self) -> &'static str {
        match self {
            PeriodPhase::Upcoming => "kommande",
            PeriodPhase::Reporting => "rapporteras nu",
            PeriodPhase::Late => "sen (sista dag passerad)",
            PeriodPhase::Closed => "stängd",
        }
    }
}

/// Whether a period's deadline has passed on `today` (ISO date; dates compare as text).
pub fn deadline_passed(period: &FollowUpPeriod, today: &str) -> bool {
    period.deadline.as_deref().is_some_and(|d| d < today)
}

/// Where a period stands on `today` (ISO date).
pub fn phase(period: &FollowUpPeriod, today: &str) -> PeriodPhase {
    if !accepts_reports(period) {
        PeriodPhase::Closed
    } else if deadline_passed(period, today) {
        PeriodPhase::Late
    } else if period.end_date().as_str() >= today {
        PeriodPhase::Upcoming
    } else {
        PeriodPhase::Reporting
    }
}

/// The period the calendar says is being reported on `today`: the earliest open period whose
/// deadline has not passed; when every open period is past its deadline, the latest open one;
/// when none is open, the latest period.
pub fn current_period<'a>(
    calendar: &'a [FollowUpPeriod],
    today: &str,
) -> Option<&'a FollowUpPeriod> {
    let mut open: Vec<&FollowUpPeriod> = calendar.iter().filter(|p| accepts_reports(p)).collect();
    open.sort_by_key(|a| a.month);
    open.iter()
        .find(|p| p.deadline.as_deref().is_some_and(|d| d >= today))
        .or_else(|| open.last())
        .copied()
        .or_else(|| calendar.iter().max_by_key(|p| p.month))
}

/// The current report of a subject in a month, from the current entries.
fn reported<'a>(
    entries: &'a [ReportedEntry],
    month: Month,
    kind: EntryKind,
    subject: &str,
) -> Option<&'a ReportEntry> {
    entries
        .iter()
        .rev()
        .find(|e| {
            e.report.period == month
                && e.report.entry.kind() == kind
                && e.report.entry.subject() == subject
        })
        .map(|e| &e.report.entry)
}

/// Whether an assignment was reported finished in a period before `month`: then it is
/// archived and no longer asked for.
fn finished_before(entries: &[ReportedEntry], assignment: &Id, month: Month) -> bool {
    entries.iter().any(|e| {
        e.report.period < month
            && matches!(
                &e.report.entry,
                ReportEntry::Status { assignment: a, status: AssignmentStatus::Done, .. } if a == assignment
            )
    })
}

/// An audit action's state before `month`: its latest report in an earlier period, else the
/// plan's.
fn action_state_before(
    entries: &[ReportedEntry],
    action: &Id,
    planned: ActionStatus,
    month: Month,
) -> ActionStatus {
    entries
        .iter()
        .filter(|e| e.report.period < month)
        .filter_map(|e| match &e.report.entry {
            ReportEntry::AuditAction {
                action: a, status, ..
            } if a == action => Some((e.report.period, *status)),
            _ => None,
        })
        .max_by_key(|(period, _)| *period)
        .map_or(planned, |(_, status)| status)
}

/// Everything a period asks for, in the order a report shows it: statuses, forecasts,
/// indicators, goals, controls, audit actions. `entries`: the current reports (of every
/// period: earlier ones say which assignments are finished and which actions closed).
pub fn due_items(plan: &Plan, period: &FollowUpPeriod, entries: &[ReportedEntry]) -> Vec<DueItem> {
    let month = period.month;
    let interim_or_annual = period.kind != PeriodKind::Monthly;
    let mut items = Vec::new();
    let mut push = |kind: EntryKind, subject: String, label: String, required: bool| {
        let owners = owners(plan, kind, &subject);
        items.push(DueItem {
            kind,
            subject,
            label,
            owners,
            required,
        });
    };
    for assignment in &plan.assignments {
        if finished_before(entries, &assignment.id, month) {
            continue;
        }
        let label = match &assignment.code {
            Some(code) => format!("{code}: {}", assignment.title),
            None => assignment.title.clone(),
        };
        push(EntryKind::Status, assignment.id.to_string(), label, true);
    }
    let forecast_required = period.kind != PeriodKind::Annual;
    for table in plan.budget.operating.iter().filter(|t| !t.summary) {
        for row in table
            .rows
            .iter()
            .filter(|r| r.kind == crate::budget::RowKind::Line)
        {
            let line = BudgetLineRef::Operating {
                table: table.id.clone(),
                line: row.id.clone(),
            };
            push(
                EntryKind::Forecast,
                line.to_string(),
                row.name.clone(),
                forecast_required,
            );
        }
    }
    for project in plan.budget.investment.lines() {
        let line = BudgetLineRef::Investment {
            project: project.id.clone(),
        };
        push(
            EntryKind::Forecast,
            line.to_string(),
            project.name.clone(),
            forecast_required,
        );
    }
    for indicator in &plan.indicators {
        push(
            EntryKind::Outcome,
            indicator.id.to_string(),
            indicator.name.clone(),
            period.kind == PeriodKind::Annual,
        );
    }
    if interim_or_annual {
        for goal in &plan.goals {
            push(
                EntryKind::Assessment,
                goal.id.to_string(),
                format!("{}. {}", goal.number, goal.title),
                true,
            );
        }
    }
    for control in plan
        .control
        .controls
        .iter()
        .filter(|c| control_due(c, period))
    {
        push(
            EntryKind::Control,
            control.id.to_string(),
            control.title.clone(),
            true,
        );
    }
    for (_, _, action) in plan.control.actions() {
        if action_state_before(entries, &action.id, action.status, month).is_closed() {
            continue;
        }
        push(
            EntryKind::AuditAction,
            action.id.to_string(),
            action.text.clone(),
            interim_or_annual,
        );
    }
    items
}

/// A required item nobody has reported, and whether its deadline has passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outstanding {
    pub item: DueItem,
    pub late: bool,
}

/// The required items of a period that have no current report, each late when the period is
/// still open and its deadline has passed on `today` (ISO date).
pub fn outstanding(
    plan: &Plan,
    period: &FollowUpPeriod,
    entries: &[ReportedEntry],
    today: &str,
) -> Vec<Outstanding> {
    let month = period.month;
    let late = accepts_reports(period) && deadline_passed(period, today);
    due_items(plan, period, entries)
        .into_iter()
        .filter(|item| {
            item.required && reported(entries, month, item.kind, &item.subject).is_none()
        })
        .map(|item| Outstanding { item, late })
        .collect()
}

/// The items of a period without a report, required ones only (as [`outstanding`], without a
/// day): what a period's report lists as "ej rapporterat".
pub fn unreported(plan: &Plan, period: &FollowUpPeriod, entries: &[ReportedEntry]) -> Vec<DueItem> {
    outstanding(plan, period, entries, "")
        .into_iter()
        .map(|o| o.item)
        .collect()
}
