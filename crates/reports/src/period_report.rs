//! The follow-up of one period as a report value: what the delårsrapport and the annual report
//! show, and who has not reported.
//!
//! Built from the plan, the calendar, the current reports of every period (from the store) and
//! the period's budget vs actual. Nothing here is typed by a person and summed by hand: the
//! economy comes from [`budget_vs_actual`](crate::budget_vs_actual), the trends and the
//! suggested goal assessments from the domain's rules, and "kräver uppmärksamhet" from the
//! reports themselves.

use crate::budget_vs_actual::{BudgetVsActual, RowKind};
use crate::internal_control::{InternalControlReport, internal_control};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::followup::{
    EntryKind, FollowUpPeriod, GoalAssessment, PeriodKind, ReportEntry, ReportedEntry,
    TargetStatus, Trend, outcome_before, suggested_assessment, target_of, trend,
};
use styr_domain::ledger::{BudgetLineRef, Month};
use styr_domain::number::MoneyUnit;
use styr_domain::plausibility::{ForecastWarning, forecast_warnings};
use styr_domain::{Id, Money, Plan};

/// An assignment in the period: its status now and at the previous report.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentFollowUp {
    pub assignment: Id,
    pub code: Option<String>,
    pub title: String,
    /// The responsible bodies, the leading body first.
    pub responsible: Vec<Id>,
    /// The status reported for this period; `None`: not reported.
    pub status: Option<AssignmentStatus>,
    pub comment: Option<String>,
    /// The status of the previous interim or annual report, if any was reported.
    pub previous: Option<AssignmentStatus>,
    pub reported_by: Option<String>,
}

impl AssignmentFollowUp {
    /// Whether the status differs from the previous report's.
    pub fn changed(&self) -> bool {
        self.status.is_some() && self.previous.is_some() && self.status != self.previous
    }
}

/// An indicator in the period: the outcome reported, the earlier outcomes, the target.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorFollowUp {
    pub indicator: Id,
    pub goal: Id,
    pub name: String,
    pub unit: Option<String>,
    /// The outcome reported in this period or the latest earlier one in the year.
    pub outcome: Option<Decimal>,
    pub measured_on: Option<String>,
    pub source: Option<String>,
    pub comment: Option<String>,
    pub trend: Option<Trend>,
    /// Earlier outcomes: the plan's yearly outcomes, then the reports of the year, oldest first.
    pub history: Vec<(String, Decimal)>,
}

/// A goal in an interim or annual report: the person's assessment and styr's suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalFollowUp {
    pub goal: Id,
    pub title: String,
    pub assessment: Option<GoalAssessment>,
    pub motivation: Option<String>,
    /// Computed from the goal's indicators; shown beside the assessment, never in its place.
    pub suggestion: GoalAssessment,
}

/// A budget line's forecast with its explanation and action plan.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastNote {
    pub line: BudgetLineRef,
    pub label: String,
    pub budget: Option<Money>,
    pub forecast: Money,
    /// Budget − forecast: negative is a deficit.
    pub deviation: Option<Money>,
    pub comment: Option<String>,
    pub action_plan: Option<String>,
    /// What is booked on the line so far this year (the period's actual to date).
    pub booked: Option<Money>,
    /// Why the forecast looks wrong (`styr_domain::plausibility::forecast_warnings`).
    pub warnings: Vec<ForecastWarning>,
}

/// Something the board should look at first.
#[derive(Debug, Clone, PartialEq)]
pub enum Attention {
    /// An assignment with status Avvikelse or Dialog behövs.
    Assignment {
        assignment: Id,
        label: String,
        status: AssignmentStatus,
        comment: Option<String>,
    },
    /// A line forecast to end the year in deficit, with its action plan.
    Deficit(ForecastNote),
    /// Reports that are missing.
    Missing(MissingReport),
    /// A block whose forecast deviates notably from its budget, either way (an investment
    /// underspend too): `deviations::is_notable`.
    Deviation(crate::deviations::BlockDeviation),
    /// A line whose forecast is implausible: below what is already booked, or far from the
    /// budget (the same rule the reporting form asks a confirmation by).
    Implausible(ForecastNote),
}

/// A report that the period expects and nobody has made.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct MissingReport {
    /// The body that should report.
    pub body: Id,
    /// The unit (or body) that answers for the subject.
    pub owner: Id,
    pub what: MissingKind,
    /// As `ReportEntry::subject`: an id or a budget line.
    pub subject: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MissingKind {
    Status,
    Assessment,
    Outcome,
    /// A budget line's forecast.
    Forecast,
    /// A control of the internal control plan that names the period.
    Control,
    /// An audit action's progress.
    AuditAction,
}

impl MissingKind {
    pub fn label_sv(self) -> &'static str {
        match self {
            MissingKind::Status => "status för uppdrag",
            MissingKind::Assessment => "målbedömning",
            MissingKind::Outcome => "utfall för indikator",
            MissingKind::Forecast => "prognos för budgetrad",
            MissingKind::Control => "resultat för kontroll",
            MissingKind::AuditAction => "lägesrapport för åtgärd",
        }
    }
}

/// The follow-up of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodReport {
    pub period: FollowUpPeriod,
    /// The interim or annual report before this one, in the same year.
    pub previous: Option<FollowUpPeriod>,
    pub economy: BudgetVsActual,
    pub forecasts: Vec<ForecastNote>,
    pub assignments: Vec<AssignmentFollowUp>,
    pub indicators: Vec<IndicatorFollowUp>,
    pub goals: Vec<GoalFollowUp>,
    pub missing: Vec<MissingReport>,
    pub attention: Vec<Attention>,
    /// The internal control as of the period's end: reports of later periods left out,
    /// overdue judged on the period's last day.
    pub internal_control: InternalControlReport,
    /// Whether the period's data is complete; a report of incomplete data is preliminary.
    pub completeness: Completeness,
}

/// Whether a period's data is complete: the ledger has bookings in every month up to the
/// period's, and no report the period expects is missing. The one rule every output (the
/// documents' cover and tables, the CLI, the web) asks; a report whose data is not complete is
/// rendered as preliminary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completeness {
    /// The months of the report: 1 to the period's month.
    pub months: u8,
    /// The months of the year in which the ledger has bookings (1–12, ascending).
    pub booked_months: Vec<u8>,
    /// The months 1 to the period's month without any booking.
    pub uncovered_months: Vec<u8>,
    /// Reports the period expects that nobody has made.
    pub missing_reports: usize,
}

impl Completeness {
    /// Computed from the period's budget vs actual and its missing reports.
    pub fn of(economy: &BudgetVsActual, missing: &[MissingReport]) -> Completeness {
        Completeness {
            months: economy.months,
            booked_months: economy.booked_months.clone(),
            uncovered_months: economy.uncovered_months(),
            missing_reports: missing.len(),
        }
    }

    pub fn is_complete(&self) -> bool {
        self.uncovered_months.is_empty() && self.missing_reports == 0
    }

    /// The booked months up to the period's, as Swedish ranges: "januari–november".
    pub fn covered_sv(&self) -> String {
        let covered: Vec<u8> = self
            .booked_months
            .iter()
            .copied()
            .filter(|month| *month <= self.months)
            .collect();
        month_ranges_sv(&covered)
    }

    /// Why the report is preliminary, in Swedish ("Huvudboken har bokningar för
    /// januari–november men inte december. 27 rapporter saknas."); `None` when complete.
    pub fn reason_sv(&self) -> Option<String> {
        if self.is_complete() {
            return None;
        }
        let mut sentences = Vec::new();
        if !self.uncovered_months.is_empty() {
            let covered = self.covered_sv();
            let uncovered = month_ranges_sv(&self.uncovered_months);
            sentences.push(if covered.is_empty() {
                format!("Huvudboken har inga bokningar för {uncovered}.")
            } else {
                format!(
                    "Huvudboken har bokningar för {covered} men inte för {uncovered}, så {} av periodens {} månader.",
                    usize::from(self.months) - self.uncovered_months.len(),
                    self.months
                )
            });
        }
        if self.missing_reports > 0 {
            sentences.push(format!(
                "{} {} saknas.",
                self.missing_reports,
                if self.missing_reports == 1 {
                    "rapport som perioden kräver"
                } else {
                    "rapporter som perioden kräver"
                }
            ));
        }
        Some(sentences.join(" "))
    }
}

/// Months (1–12, ascending) as Swedish ranges: "januari–mars, maj och december".
fn month_ranges_sv(months: &[u8]) -> String {
    use styr_domain::followup::month_name;
    let mut ranges: Vec<(u8, u8)> = Vec::new();
    for &month in months {
        match ranges.last_mut() {
            Some((_, last)) if *last + 1 == month => *last = month,
            _ => ranges.push((month, month)),
        }
    }
    let parts: Vec<String> = ranges
        .iter()
        .map(|&(first, last)| match last - first {
            0 => month_name(first).to_owned(),
            _ => format!("{}–{}", month_name(first), month_name(last)),
        })
        .collect();
    match parts.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

impl PeriodReport {
    /// The number of assignments per status (reported ones), in the order of the statuses.
    pub fn status_counts(&self) -> Vec<(AssignmentStatus, usize)> {
        AssignmentStatus::ALL
            .iter()
            .map(|status| {
                let count = self
                    .assignments
                    .iter()
                    .filter(|a| a.status == Some(*status))
                    .count();
                (*status, count)
            })
            .filter(|(_, count)| *count > 0)
            .collect()
    }
}

/// Current reports by (period, kind code, subject).
struct Reports<'a> {
    by_key: HashMap<(Month, &'static str, String), &'a ReportedEntry>,
}

impl<'a> Reports<'a> {
    fn new(entries: &'a [ReportedEntry]) -> Reports<'a> {
        let by_key = entries
            .iter()
            .map(|e| {
                (
                    (
                        e.report.period,
                        e.report.entry.kind().code(),
                        e.report.entry.subject(),
                    ),
                    e,
                )
            })
            .collect();
        Reports { by_key }
    }

    fn get(&self, period: Month, kind: &'static str, subject: &str) -> Option<&'a ReportEntry> {
        self.by_key
            .get(&(period, kind, subject.to_owned()))
            .map(|e| &e.report.entry)
    }

    fn reporter(&self, period: Month, kind: &'static str, subject: &str) -> Option<&'a str> {
        self.by_key
            .get(&(period, kind, subject.to_owned()))
            .map(|e| e.reported_by.as_str())
    }
}

fn status_of(entry: Option<&ReportEntry>) -> Option<(AssignmentStatus, Option<String>)> {
    match entry {
        Some(ReportEntry::Status {
            status, comment, ..
        }) => Some((*status, comment.clone())),
        _ => None,
    }
}

/// The periods of the calendar before `period` in its year, latest first.
fn earlier(calendar: &[FollowUpPeriod], period: Month) -> Vec<&FollowUpPeriod> {
    let mut earlier: Vec<&FollowUpPeriod> = calendar
        .iter()
        .filter(|p| p.month < period && p.month.year() == period.year())
        .collect();
    earlier.sort_by_key(|p| std::cmp::Reverse(p.month));
    earlier
}

/// The reports a period requires and nobody has made, by body: the required items of the
/// domain's one rule of what a period asks for ([`styr_domain::due::due_items`]) that have no
/// current report. The body is the one the item's first owner belongs to (a unit's body).
pub fn missing_reports(
    plan: &Plan,
    period: &FollowUpPeriod,
    entries: &[ReportedEntry],
) -> Vec<MissingReport> {
    let document_body = &plan.document.body;
    let mut missing: Vec<MissingReport> = styr_domain::due::unreported(plan, period, entries)
        .into_iter()
        .map(|item| {
            let owner = item.owners.first().unwrap_or(document_body);
            let body = plan
                .units
                .iter()
                .find(|u| &u.id == owner)
                .map_or(owner, |unit| &unit.body)
                .clone();
            let what = match item.kind {
                EntryKind::Status => MissingKind::Status,
                EntryKind::Assessment => MissingKind::Assessment,
                EntryKind::Outcome => MissingKind::Outcome,
                EntryKind::Forecast => MissingKind::Forecast,
                EntryKind::Control => MissingKind::Control,
                EntryKind::AuditAction => MissingKind::AuditAction,
            };
            let label = match item.kind {
                EntryKind::Status => plan
                    .assignments
                    .iter()
                    .find(|a| a.id.as_str() == item.subject)
                    .map_or(item.label.clone(), |a| {
                        assignment_label(a.code.as_deref(), &a.title)
                    }),
                EntryKind::Assessment => plan
                    .goals
                    .iter()
                    .find(|g| g.id.as_str() == item.subject)
                    .map_or(item.label.clone(), |g| g.title.clone()),
                _ => item.label.clone(),
            };
            MissingReport {
                body,
                owner: owner.clone(),
                what,
                subject: item.subject,
                label,
            }
        })
        .collect();
    missing.sort();
    missing
}

/// "2020 KS 3 Effektivisering …", or the title alone.
pub fn assignment_label(code: Option<&str>, title: &str) -> String {
    match code {
        Some(code) => format!("{code} {title}"),
        None => title.to_owned(),
    }
}

/// Builds the follow-up of `period`. `entries` are the current reports of the municipality
/// (every period: the previous report's statuses and the year's earlier outcomes come from
/// them); `economy` is the period's budget vs actual.
pub fn period_report(
    plan: &Plan,
    calendar: &[FollowUpPeriod],
    period: &FollowUpPeriod,
    entries: &[ReportedEntry],
    economy: BudgetVsActual,
) -> PeriodReport {
    let month = period.month;
    let reports = Reports::new(entries);
    let earlier_periods = earlier(calendar, month);
    let previous = earlier_periods
        .iter()
        .find(|p| p.kind != PeriodKind::Monthly)
        .map(|p| (*p).clone());

    // The assignments the period asks about (not finished before), and any reported anyway.
    let due_statuses: std::collections::HashSet<String> =
        styr_domain::due::due_items(plan, period, entries)
            .into_iter()
            .filter(|item| item.kind == EntryKind::Status)
            .map(|item| item.subject)
            .collect();
    let assignments: Vec<AssignmentFollowUp> = plan
        .assignments
        .iter()
        .filter(|a| {
            due_statuses.contains(a.id.as_str())
                || reports.get(month, "status", a.id.as_str()).is_some()
        })
        .map(|a| {
            let now = status_of(reports.get(month, "status", a.id.as_str()));
            let before = previous
                .as_ref()
                .and_then(|p| status_of(reports.get(p.month, "status", a.id.as_str())));
            AssignmentFollowUp {
                assignment: a.id.clone(),
                code: a.code.clone(),
                title: a.title.clone(),
                responsible: a.responsible.clone(),
                status: now.as_ref().map(|(s, _)| *s),
                comment: now.and_then(|(_, c)| c),
                previous: before.map(|(s, _)| s),
                reported_by: reports
                    .reporter(month, "status", a.id.as_str())
                    .map(str::to_owned),
            }
        })
        .collect();

    let mut target_statuses: BTreeMap<&Id, Vec<TargetStatus>> = BTreeMap::new();
    let indicators: Vec<IndicatorFollowUp> = plan
        .indicators
        .iter()
        .map(|indicator| {
            let mut history: Vec<(String, Decimal)> = plan
                .indicator_values
                .iter()
                .filter(|v| {
                    v.indicator == indicator.id
                        && v.kind == styr_domain::goal::ValueKind::Outcome
                        && v.year < month.year()
                })
                .map(|v| (v.year.to_string(), v.value))
                .collect();
            history.sort();
            let mut year_reports: Vec<(Month, &ReportEntry)> = calendar
                .iter()
                .map(|p| p.month)
                .filter(|m| m.year() == month.year() && *m <= month)
                .filter_map(|m| {
                    reports
                        .get(m, "outcome", indicator.id.as_str())
                        .map(|e| (m, e))
                })
                .collect();
            year_reports.sort_by_key(|(m, _)| *m);
            let latest = year_reports.last().copied();
            let previous_value = match year_reports.len() {
                0 | 1 => outcome_before(plan, &indicator.id, month.year()).map(|(_, v)| v),
                n => match year_reports[n - 2].1 {
                    ReportEntry::Outcome { value, .. } => Some(*value),
                    _ => None,
                },
            };
            for (m, entry) in &year_reports[..year_reports.len().saturating_sub(1)] {
                if let ReportEntry::Outcome { value, .. } = entry {
                    history.push((m.to_string(), *value));
                }
            }
            let target = target_of(plan, &indicator.id, month.year());
            let (outcome, measured_on, source, comment) = match latest {
                Some((
                    _,
                    ReportEntry::Outcome {
                        value,
                        measured_on,
                        source,
                        comment,
                        ..
                    },
                )) => (
                    Some(*value),
                    measured_on.clone(),
                    source.clone(),
                    comment.clone(),
                ),
                _ => (None, None, None, None),
            };
            let trend = outcome.map(|value| trend(indicator, value, previous_value, target));
            target_statuses
                .entry(&indicator.goal)
                .or_default()
                .push(trend.map_or(TargetStatus::NoTarget, |t| t.status));
            IndicatorFollowUp {
                indicator: indicator.id.clone(),
                goal: indicator.goal.clone(),
                name: indicator.name.clone(),
                unit: indicator.unit.clone(),
                outcome,
                measured_on,
                source,
                comment,
                trend,
                history,
            }
        })
        .collect();

    let goals: Vec<GoalFollowUp> = plan
        .goals
        .iter()
        .map(|goal| {
            let (assessment, motivation) = match reports.get(month, "assessment", goal.id.as_str())
            {
                Some(ReportEntry::Assessment {
                    assessment,
                    motivation,
                    ..
                }) => (Some(*assessment), Some(motivation.clone())),
                _ => (None, None),
            };
            GoalFollowUp {
                goal: goal.id.clone(),
                title: goal.title.clone(),
                assessment,
                motivation,
                suggestion: suggested_assessment(
                    target_statuses
                        .get(&goal.id)
                        .map_or(&[][..], |v| v.as_slice()),
                ),
            }
        })
        .collect();

    let forecasts: Vec<ForecastNote> = economy
        .rows
        .iter()
        .filter(|row| row.kind == RowKind::Line)
        .filter_map(|row| {
            let line = row.line.clone()?;
            let forecast = row.manual_forecast?;
            let (comment, action_plan) = match reports.get(month, "forecast", &line.to_string()) {
                Some(ReportEntry::Forecast {
                    comment,
                    action_plan,
                    ..
                }) => (comment.clone(), action_plan.clone()),
                _ => (None, None),
            };
            let budget = row.cell.budget().map(|b| b.annual);
            let booked = row.cell.actual().map(|a| a.to_date);
            Some(ForecastNote {
                line,
                label: row.label.clone(),
                budget,
                forecast,
                deviation: budget.map(|b| b - forecast),
                comment,
                action_plan,
                booked,
                warnings: forecast_warnings(forecast, budget, booked),
            })
        })
        .collect();

    let missing = missing_reports(plan, period, entries);
    let mut attention: Vec<Attention> = assignments
        .iter()
        .filter_map(|a| match a.status {
            Some(status @ (AssignmentStatus::Deviation | AssignmentStatus::Dialogue)) => {
                Some(Attention::Assignment {
                    assignment: a.assignment.clone(),
                    label: assignment_label(a.code.as_deref(), &a.title),
                    status,
                    comment: a.comment.clone(),
                })
            }
            _ => None,
        })
        .collect();
    attention.extend(
        forecasts
            .iter()
            .filter(|f| {
                matches!(f.line, BudgetLineRef::Operating { .. })
                    && f.deviation.is_some_and(|d| d < Money::ZERO)
            })
            .cloned()
            .map(Attention::Deficit),
    );
    attention.extend(
        // As the economy's tables print them (whole tkr), so the text's figures are the tables'.
        crate::deviations::block_deviations(&economy.in_whole(MoneyUnit::Tkr))
            .into_iter()
            .filter(|b| b.notable)
            .map(Attention::Deviation),
    );
    attention.extend(
        forecasts
            .iter()
            .filter(|f| !f.warnings.is_empty())
            .cloned()
            .map(Attention::Implausible),
    );
    attention.extend(missing.iter().cloned().map(Attention::Missing));

    let until_period: Vec<ReportedEntry> = entries
        .iter()
        .filter(|e| e.report.period <= month)
        .cloned()
        .collect();
    let internal_control = internal_control(plan, &until_period, month.year(), &period.end_date());
    let completeness = Completeness::of(&economy, &missing);

    PeriodReport {
        period: period.clone(),
        previous,
        economy,
        forecasts,
        assignments,
        indicators,
        goals,
        missing,
        attention,
        internal_control,
        completeness,
    }
}
