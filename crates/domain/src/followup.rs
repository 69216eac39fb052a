//! Follow-up: the calendar a plan is followed up by, what is reported per period, and the rules
//! a report must meet before it is accepted.
//!
//! The calendar is a list of [`FollowUpPeriod`]s per budget year: monthly closings, interim
//! reports (delårsrapport) and the annual report, each with a reporting deadline and a state.
//! A closed period's reports are immutable. What a person reports for a period is a
//! [`FollowUpReport`]: an assignment status, an indicator outcome, a goal assessment or a
//! forecast for a budget line. [`check_report`] holds the rules (which comments are required,
//! when a forecast needs an explanation or an action plan); it is pure, so the CLI, the web
//! forms and bulk imports cannot disagree about them. Storing, permissions and history are the
//! store's and the use-case layer's business, not this module's.

use crate::assignment::AssignmentStatus;
use crate::control::{ActionStatus, ControlResult, TrafficLight};
use crate::goal::{Direction, Indicator, ValueKind};
use crate::ledger::{BudgetLineRef, Month};
use crate::number::{Decimals, MoneyUnit, format_swedish};
use crate::{Id, Location, Money, Plan, Year, code_enum};
use rust_decimal::Decimal;
use std::fmt;

code_enum!(
    /// Monthly closing, interim report (delårsrapport) or annual report.
    PeriodKind { Monthly => "monthly", Interim => "interim", Annual => "annual" }
);

code_enum!(
    /// Whether reports for a period are still accepted.
    PeriodState { Open => "open", Closed => "closed" }
);

impl PeriodKind {
    pub fn label_sv(self) -> &'static str {
        match self {
            PeriodKind::Monthly => "månadsuppföljning",
            PeriodKind::Interim => "delårsrapport",
            PeriodKind::Annual => "årsredovisning",
        }
    }
}

impl PeriodState {
    pub fn label_sv(self) -> &'static str {
        match self {
            PeriodState::Open => "öppen",
            PeriodState::Closed => "stängd",
        }
    }
}

/// A follow-up period: the month it is made per, what kind of follow-up it is, when reports are
/// due and whether they are still accepted. Its end date is the last day of its month.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpPeriod {
    pub id: Id,
    pub month: Month,
    pub kind: PeriodKind,
    pub title: String,
    /// ISO date by which reports are due; `None` when the calendar does not say.
    pub deadline: Option<String>,
    pub state: PeriodState,
    /// The package marks this period's reports as synthetic example data (`synthetic = true` in
    /// its `[[period]]`), not the municipality's own: every output of the period's follow-up
    /// says so ([`SYNTHETIC_FOLLOWUP_NOTE`]).
    pub synthetic: bool,
    pub at: Location,
}

/// What every output says beside the follow-up of a period marked synthetic.
pub const SYNTHETIC_FOLLOWUP_NOTE: &str = "Syntetiska exempeldata: uppföljningen av den här perioden (statusar, målbedömningar, indikatorutfall, prognoser och bokfört utfall) är påhittad för exemplet och är inte kommunens egna uppgifter.";

impl FollowUpPeriod {
    /// The last day of the period, ISO.
    pub fn end_date(&self) -> String {
        self.month.last_day()
    }

    /// Whether goals are assessed in this period (interim and annual reports only).
    pub fn assesses_goals(&self) -> bool {
        self.kind != PeriodKind::Monthly
    }
}

const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// The Swedish name of a month, 1–12 ("augusti").
pub fn month_name(month: u8) -> &'static str {
    MONTH_NAMES[usize::from(month.clamp(1, 12)) - 1]
}

/// The default calendar of a budget year, as in the seed: monthly closings except January and
/// July, delårsrapport 1 per 30 April, delårsrapport 2 per 31 August and the annual report per
/// 31 December. Reports are due on the 10th of the following month; the annual report on
/// 15 February of the next year. Every period starts open.
pub fn default_calendar(year: Year) -> Vec<FollowUpPeriod> {
    (2..=12)
        .filter(|month| *month != 7)
        .map(|month: u8| {
            let (kind, title) = match month {
                4 => (
                    PeriodKind::Interim,
                    format!("Delårsrapport 1 per april {year}"),
                ),
                8 => (
                    PeriodKind::Interim,
                    format!("Delårsrapport 2 per augusti {year}"),
                ),
                12 => (PeriodKind::Annual, format!("Årsredovisning {year}")),
                _ => (
                    PeriodKind::Monthly,
                    format!("Månadsuppföljning {} {year}", month_name(month)),
                ),
            };
            let deadline = match month {
                12 => format!("{:04}-02-15", year + 1),
                _ => format!("{year:04}-{:02}-10", month + 1),
            };
            FollowUpPeriod {
                id: Id::parse(&format!("p{year}_{month:02}")).expect("a valid id"),
                month: Month::new(year, month).expect("a month of the year"),
                kind,
                title,
                deadline: Some(deadline),
                state: PeriodState::Open,
                synthetic: false,
                at: Location::default(),
            }
        })
        .collect()
}

/// A figure reported in a follow-up, e.g. the accumulated outcome 217,0 mnkr per October.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpFigure {
    pub id: Id,
    pub period: Id,
    pub label: String,
    pub value: Decimal,
    pub unit: String,
    /// The expression that computes the figure from the plan's data (`personal.sjukfranvaro.
    /// ksf@2019`): the stated value is then checked against it, with its own decimals.
    pub computed: Option<crate::budget::FigureFormula>,
    pub at: Location,
}

/// Checks that a month is written `YYYY-MM` with a real month.
pub fn is_valid_month(text: &str) -> bool {
    Month::parse(text).is_some()
}

/// Checks that a date is written `YYYY-MM-DD` with a real day of a real month.
pub fn is_valid_date(text: &str) -> bool {
    let Some(month) = Month::of_date(text).filter(|_| text.len() == 10) else {
        return false;
    };
    let day_text = &text[8..];
    day_text.bytes().all(|b| b.is_ascii_digit())
        && matches!(day_text.parse::<u8>(), Ok(day) if day >= 1 && day <= month.days())
}

code_enum!(
    /// A goal assessment (målbedömning) at an interim or annual report.
    GoalAssessment {
        Met => "met",
        PartlyMet => "partly_met",
        NotMet => "not_met",
        CannotAssess => "cannot_assess",
    }
);

impl GoalAssessment {
    pub fn label_sv(self) -> &'static str {
        match self {
            GoalAssessment::Met => "Uppfyllt",
            GoalAssessment::PartlyMet => "Delvis uppfyllt",
            GoalAssessment::NotMet => "Ej uppfyllt",
            GoalAssessment::CannotAssess => "Kan inte bedömas",
        }
    }

    /// Reads the code or the Swedish label, ignoring case ("delvis uppfyllt", "partly_met").
    pub fn parse_word(word: &str) -> Option<GoalAssessment> {
        let word = word.trim().to_lowercase();
        GoalAssessment::parse(&word).or_else(|| {
            GoalAssessment::ALL
                .iter()
                .copied()
                .find(|a| a.label_sv().to_lowercase() == word)
        })
    }
}

impl AssignmentStatus {
    /// Reads the code or the Swedish label, ignoring case ("Påbörjad", "started").
    pub fn parse_word(word: &str) -> Option<AssignmentStatus> {
        let word = word.trim().to_lowercase();
        AssignmentStatus::parse(&word).or_else(|| {
            AssignmentStatus::ALL
                .iter()
                .copied()
                .find(|s| s.label_sv().to_lowercase() == word)
        })
    }
}

/// What is reported for one subject in one period.
#[derive(Debug, Clone, PartialEq)]
pub enum ReportEntry {
    /// The status of an assignment, with a comment.
    Status {
        assignment: Id,
        status: AssignmentStatus,
        comment: Option<String>,
    },
    /// An indicator's outcome.
    Outcome {
        indicator: Id,
        value: Decimal,
        /// ISO date the value was measured or published.
        measured_on: Option<String>,
        source: Option<String>,
        comment: Option<String>,
    },
    /// A goal assessment with its motivation.
    Assessment {
        goal: Id,
        assessment: GoalAssessment,
        motivation: String,
    },
    /// A full-year forecast for a budget line (tkr, net cost like the budget), with the
    /// explanation of its deviation and, for a deficit, the action plan (åtgärdsplan).
    Forecast {
        line: BudgetLineRef,
        amount: Money,
        comment: Option<String>,
        action_plan: Option<String>,
    },
    /// The result of a control of the internal control plan, with what was found, what is done
    /// about it and a traffic light.
    Control {
        control: Id,
        result: ControlResult,
        light: TrafficLight,
        finding: Option<String>,
        action: Option<String>,
    },
    /// The progress of an action on an audit recommendation.
    AuditAction {
        action: Id,
        status: ActionStatus,
        /// What shows it is done.
        evidence: Option<String>,
        /// A comment; the reason when closed without action.
        comment: Option<String>,
    },
}

code_enum!(
    /// The kind of a report entry, as stored.
    EntryKind {
        Status => "status",
        Outcome => "outcome",
        Assessment => "assessment",
        Forecast => "forecast",
        Control => "control",
        AuditAction => "audit_action",
    }
);

impl EntryKind {
    pub fn label_sv(self) -> &'static str {
        match self {
            EntryKind::Status => "status",
            EntryKind::Outcome => "utfall",
            EntryKind::Assessment => "målbedömning",
            EntryKind::Forecast => "prognos",
            EntryKind::Control => "kontroll",
            EntryKind::AuditAction => "åtgärd",
        }
    }
}

impl ReportEntry {
    pub fn kind(&self) -> EntryKind {
        match self {
            ReportEntry::Status { .. } => EntryKind::Status,
            ReportEntry::Outcome { .. } => EntryKind::Outcome,
            ReportEntry::Assessment { .. } => EntryKind::Assessment,
            ReportEntry::Forecast { .. } => EntryKind::Forecast,
            ReportEntry::Control { .. } => EntryKind::Control,
            ReportEntry::AuditAction { .. } => EntryKind::AuditAction,
        }
    }

    /// What the entry is about: an assignment, indicator or goal id, or a budget line.
    pub fn subject(&self) -> String {
        match self {
            ReportEntry::Status { assignment, .. } => assignment.to_string(),
            ReportEntry::Outcome { indicator, .. } => indicator.to_string(),
            ReportEntry::Assessment { goal, .. } => goal.to_string(),
            ReportEntry::Forecast { line, .. } => line.to_string(),
            ReportEntry::Control { control, .. } => control.to_string(),
            ReportEntry::AuditAction { action, .. } => action.to_string(),
        }
    }
}

impl ReportEntry {
    /// The texts people write in the entry, with their fields.
    pub fn texts(&self) -> Vec<(&'static str, &str)> {
        let fields: Vec<(&'static str, Option<&str>)> = match self {
            ReportEntry::Status { comment, .. } => vec![("comment", comment.as_deref())],
            ReportEntry::Outcome {
                source, comment, ..
            } => vec![
                ("source", source.as_deref()),
                ("comment", comment.as_deref()),
            ],
            ReportEntry::Assessment { motivation, .. } => {
                vec![("motivation", Some(motivation.as_str()))]
            }
            ReportEntry::Forecast {
                comment,
                action_plan,
                ..
            } => vec![
                ("comment", comment.as_deref()),
                ("action_plan", action_plan.as_deref()),
            ],
            ReportEntry::Control {
                finding, action, ..
            } => vec![
                ("finding", finding.as_deref()),
                ("action", action.as_deref()),
            ],
            ReportEntry::AuditAction {
                evidence, comment, ..
            } => vec![
                ("evidence", evidence.as_deref()),
                ("comment", comment.as_deref()),
            ],
        };
        fields
            .into_iter()
            .filter_map(|(field, text)| text.map(|text| (field, text)))
            .collect()
    }
}

/// A text with a control character (ESC, NUL, …) is refused: it would act on a terminal that
/// shows it and means nothing in a report.
fn control_characters(entry: &ReportEntry) -> Vec<RuleViolation> {
    let fields: Vec<(&'static str, Option<(usize, char)>)> = entry
        .texts()
        .into_iter()
        .map(|(field, text)| (field, crate::text::first_unsafe_control(text)))
        .collect();
    fields
        .into_iter()
        .filter_map(|(field, found)| {
            found.map(|(position, c)| {
                violation(
                    field,
                    format!(
                        "texten innehåller styrtecknet {} (tecken {position}), som inte kan \
                         visas; ta bort det",
                        crate::text::control_name(c)
                    ),
                )
            })
        })
        .collect()
}

/// A short human-readable form of an entry, for the audit log's before and after.
impl fmt::Display for ReportEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let note = |f: &mut fmt::Formatter<'_>, label: &str, text: &Option<String>| match text {
            Some(text) => write!(f, "; {label}: {text}"),
            None => Ok(()),
        };
        match self {
            ReportEntry::Status {
                status, comment, ..
            } => {
                write!(f, "status: {}", status.label_sv())?;
                note(f, "kommentar", comment)
            }
            ReportEntry::Outcome {
                value,
                measured_on,
                source,
                comment,
                ..
            } => {
                let decimals = value.normalize().scale();
                write!(f, "utfall: {}", format_swedish(*value, decimals, ' '))?;
                note(f, "datum", measured_on)?;
                note(f, "källa", source)?;
                note(f, "kommentar", comment)
            }
            ReportEntry::Assessment {
                assessment,
                motivation,
                ..
            } => write!(
                f,
                "bedömning: {}; motivering: {motivation}",
                assessment.label_sv()
            ),
            ReportEntry::Forecast {
                amount,
                comment,
                action_plan,
                ..
            } => {
                write!(f, "prognos: {} tkr", tkr_text(*amount))?;
                note(f, "förklaring", comment)?;
                note(f, "åtgärdsplan", action_plan)
            }
            ReportEntry::Control {
                result,
                light,
                finding,
                action,
                ..
            } => {
                write!(
                    f,
                    "resultat: {}; trafikljus: {}",
                    result.label_sv(),
                    light.label_sv()
                )?;
                note(f, "iakttagelse", finding)?;
                note(f, "åtgärd", action)
            }
            ReportEntry::AuditAction {
                status,
                evidence,
                comment,
                ..
            } => {
                write!(f, "åtgärdsstatus: {}", status.label_sv())?;
                note(f, "underlag", evidence)?;
                note(f, "kommentar", comment)
            }
        }
    }
}

/// An amount in tkr the Swedish way ("86 500", "−1 200,5").
fn tkr_text(amount: Money) -> String {
    crate::number::format_money(amount, MoneyUnit::Tkr, Decimals::AsHeld, ' ')
}

/// One report for one period.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpReport {
    pub period: Month,
    pub entry: ReportEntry,
}

/// A report as stored: who reported it and when.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedEntry {
    pub report: FollowUpReport,
    pub reported_by: String,
    /// UTC, `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    pub reported_at: String,
    /// The how-manieth report this is for its (period, kind, subject), from 1: the version an
    /// edit is based on, so that a stale edit is refused instead of overwriting (no lost update).
    pub version: u64,
}

/// When a forecast needs an explanation: its deviation from the line's annual budget exceeds
/// `percent` of the budget or `amount`, whichever is smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForecastRules {
    pub percent: Decimal,
    pub amount: Money,
}

impl Default for ForecastRules {
    /// 1 % of the line's budget or 500 tkr.
    fn default() -> ForecastRules {
        ForecastRules {
            percent: Decimal::ONE,
            amount: Money::from_ore(500 * 100_000),
        }
    }
}

impl ForecastRules {
    /// The largest deviation that needs no explanation for a line with this annual budget.
    pub fn threshold(&self, budget: Money) -> Money {
        let share = budget.abs().ore() as i128 * self.percent.mantissa()
            / (100 * 10_i128.pow(self.percent.scale()));
        Money::from_ore(i64::try_from(share).unwrap_or(i64::MAX)).min(self.amount)
    }
}

/// A rule a report does not meet: the field it is about and what is wrong, in Swedish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleViolation {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for RuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn violation(field: &'static str, message: impl Into<String>) -> RuleViolation {
    RuleViolation {
        field,
        message: message.into(),
    }
}

fn is_blank(text: &Option<String>) -> bool {
    text.as_deref().is_none_or(|t| t.trim().is_empty())
}

/// The annual budget of a budget line in a year: an operating line's amount, or an investment
/// project's amount.
pub fn line_budget(plan: &Plan, line: &BudgetLineRef, year: Year) -> Option<Money> {
    match line {
        BudgetLineRef::Operating { table, line } => plan
            .budget
            .operating_table(table.as_str())
            .and_then(|table| table.row(line.as_str()))
            .and_then(|row| row.amounts.get(&year).copied()),
        BudgetLineRef::Investment { project } => plan
            .budget
            .investment
            .lines()
            .find(|row| &row.id == project)
            .and_then(|row| row.amounts.get(&year).copied()),
    }
}

/// Checks a report against the plan and the period it is for: the subject exists, and the
/// report meets the follow-up rules. Returns every rule it breaks (empty when it may be stored).
/// Whether the period is open is not checked here: the store checks that in the transaction
/// that writes, so that a period closed in between cannot be written to.
pub fn check_report(
    plan: &Plan,
    period: &FollowUpPeriod,
    entry: &ReportEntry,
    rules: &ForecastRules,
) -> Vec<RuleViolation> {
    // The limits of every field first (docs/web.md, "Gränser och rimlighet").
    let mut problems: Vec<RuleViolation> = crate::plausibility::limit_violations(entry)
        .into_iter()
        .map(|limit| violation(limit.field, limit.message))
        .collect();
    match entry {
        ReportEntry::Status {
            assignment,
            status,
            comment,
        } => {
            if !plan.assignments.iter().any(|a| &a.id == assignment) {
                problems.push(violation(
                    "subject",
                    format!("uppdraget {assignment} finns inte i planen"),
                ));
            }
            match status {
                AssignmentStatus::Unknown => problems.push(violation(
                    "status",
                    format!(
                        "välj en status: {}",
                        reportable_statuses()
                            .iter()
                            .map(|s| s.label_sv())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )),
                AssignmentStatus::Deviation | AssignmentStatus::Dialogue if is_blank(comment) => {
                    problems.push(violation(
                        "comment",
                        format!("status {} kräver en kommentar", status.label_sv()),
                    ))
                }
                AssignmentStatus::Done if period.assesses_goals() && is_blank(comment) => problems
                    .push(violation(
                        "comment",
                        format!(
                            "status Färdig i en {} kräver en kommentar om resultatet",
                            period.kind.label_sv()
                        ),
                    )),
                _ => {}
            }
        }
        ReportEntry::Outcome {
            indicator,
            measured_on,
            ..
        } => {
            if !plan.indicators.iter().any(|i| &i.id == indicator) {
                problems.push(violation(
                    "subject",
                    format!("indikatorn {indicator} finns inte i planen"),
                ));
            }
            if let Some(date) = measured_on
                && !is_valid_date(date)
            {
                problems.push(violation(
                    "date",
                    format!("{date:?} är inte ett datum (ÅÅÅÅ-MM-DD)"),
                ));
            }
        }
        ReportEntry::Assessment {
            goal, motivation, ..
        } => {
            if !plan.goals.iter().any(|g| &g.id == goal) {
                problems.push(violation(
                    "subject",
                    format!("målet {goal} finns inte i planen"),
                ));
            }
            if !period.assesses_goals() {
                problems.push(violation(
                    "period",
                    format!(
                        "mål bedöms i delårsrapporter och årsredovisningen, inte i {}",
                        period.title
                    ),
                ));
            }
            if motivation.trim().is_empty() {
                problems.push(violation("comment", "en målbedömning kräver en motivering"));
            }
        }
        ReportEntry::Forecast {
            line,
            amount,
            comment,
            action_plan,
        } => {
            if !plan.has_budget_line(line) {
                problems.push(violation(
                    "subject",
                    format!("budgetraden {line} finns inte i planen"),
                ));
                return problems;
            }
            let year = period.month.year();
            let budget = line_budget(plan, line, year).unwrap_or(Money::ZERO);
            let deviation = *amount - budget;
            let threshold = rules.threshold(budget);
            if deviation.abs() > threshold && is_blank(comment) {
                problems.push(violation(
                    "comment",
                    format!(
                        "prognosen avviker {} tkr från budget {} tkr (mer än {} tkr): förklara avvikelsen",
                        tkr_text(deviation),
                        tkr_text(budget),
                        tkr_text(threshold)
                    ),
                ));
            }
            if matches!(line, BudgetLineRef::Operating { .. })
                && deviation > Money::ZERO
                && is_blank(action_plan)
            {
                problems.push(violation(
                    "action_plan",
                    format!(
                        "prognosen visar underskott på {} tkr mot budget: en åtgärdsplan krävs",
                        tkr_text(deviation)
                    ),
                ));
            }
        }
        ReportEntry::Control {
            control,
            result,
            light,
            finding,
            action,
        } => {
            match plan.control.controls.iter().find(|c| &c.id == control) {
                None => problems.push(violation(
                    "subject",
                    format!("kontrollen {control} finns inte i planen"),
                )),
                Some(planned) if !crate::due::control_due(planned, period) => {
                    let when = if planned.periods.is_empty() {
                        "årsredovisningen".to_owned()
                    } else {
                        crate::month::list(&planned.periods)
                    };
                    problems.push(violation(
                        "period",
                        format!(
                            "kontrollen {control} rapporteras i {when}, inte i {}",
                            period.title
                        ),
                    ))
                }
                Some(_) => {}
            }
            if *result != ControlResult::NoRemarks && is_blank(finding) {
                problems.push(violation(
                    "comment",
                    format!(
                        "resultatet {} kräver en iakttagelse (vad som brast eller varför kontrollen inte gjordes)",
                        result.label_sv()
                    ),
                ));
            }
            if *result == ControlResult::WithDeficiencies && is_blank(action) {
                problems.push(violation(
                    "action_plan",
                    "resultatet Med brister kräver en åtgärd",
                ));
            }
            if *result == ControlResult::NoRemarks && *light != TrafficLight::Green {
                problems.push(violation(
                    "light",
                    format!(
                        "resultatet Utan anmärkning kan inte ha trafikljuset {}",
                        light.label_sv()
                    ),
                ));
            }
        }
        ReportEntry::AuditAction {
            action,
            status,
            evidence,
            comment,
        } => {
            if !plan.control.actions().any(|(_, _, a)| &a.id == action) {
                problems.push(violation(
                    "subject",
                    format!("åtgärden {action} finns inte i planen"),
                ));
            }
            if *status == ActionStatus::ClosedWithoutAction && is_blank(comment) {
                problems.push(violation("comment", "Avslutad utan åtgärd kräver ett skäl"));
            }
            if *status == ActionStatus::Done && is_blank(evidence) {
                problems.push(violation(
                    "source",
                    "Genomförd kräver ett underlag (beslut, dokument) som visar det",
                ));
            }
        }
    }
    problems.extend(control_characters(entry));
    problems
}

/// The statuses a person can report (every status but "unknown").
pub fn reportable_statuses() -> Vec<AssignmentStatus> {
    AssignmentStatus::ALL
        .iter()
        .copied()
        .filter(|s| *s != AssignmentStatus::Unknown)
        .collect()
}

code_enum!(
    /// An indicator outcome against its target, judged by the indicator's direction.
    TargetStatus { OnTrack => "on_track", OffTrack => "off_track", NoTarget => "no_target" }
);

impl TargetStatus {
    pub fn label_sv(self) -> &'static str {
        match self {
            TargetStatus::OnTrack => "når målvärdet",
            TargetStatus::OffTrack => "når inte målvärdet",
            TargetStatus::NoTarget => "inget målvärde",
        }
    }
}

/// An outcome against the previous outcome and the year's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trend {
    /// The change since the previous outcome, when there is one.
    pub change: Option<Decimal>,
    /// Whether the change goes the indicator's way; `None` without a previous outcome, a
    /// direction or a change.
    pub improving: Option<bool>,
    pub target: Option<Decimal>,
    pub status: TargetStatus,
}

/// Judges an outcome. Without a target, or without a direction to read it by, the status is
/// [`TargetStatus::NoTarget`].
pub fn trend(
    indicator: &Indicator,
    value: Decimal,
    previous: Option<Decimal>,
    target: Option<Decimal>,
) -> Trend {
    let change = previous.map(|previous| value - previous);
    let better = |a: Decimal, b: Decimal| match indicator.direction {
        Some(Direction::Higher) => Some(a > b),
        Some(Direction::Lower) => Some(a < b),
        None => None,
    };
    let improving = match previous {
        Some(previous) if previous != value => better(value, previous),
        _ => None,
    };
    let status = match (target, indicator.direction) {
        (Some(target), Some(Direction::Higher)) if value >= target => TargetStatus::OnTrack,
        (Some(target), Some(Direction::Lower)) if value <= target => TargetStatus::OnTrack,
        (Some(_), Some(_)) => TargetStatus::OffTrack,
        _ => TargetStatus::NoTarget,
    };
    Trend {
        change,
        improving,
        target,
        status,
    }
}

/// The target of an indicator for a year, from the plan.
pub fn target_of(plan: &Plan, indicator: &Id, year: Year) -> Option<Decimal> {
    plan.indicator_values
        .iter()
        .find(|v| &v.indicator == indicator && v.year == year && v.kind == ValueKind::Target)
        .map(|v| v.value)
}

/// The latest outcome of an indicator in the plan before a year.
pub fn outcome_before(plan: &Plan, indicator: &Id, year: Year) -> Option<(Year, Decimal)> {
    plan.indicator_values
        .iter()
        .filter(|v| &v.indicator == indicator && v.year < year && v.kind == ValueKind::Outcome)
        .max_by_key(|v| v.year)
        .map(|v| (v.year, v.value))
}

/// The assessment the indicators of a goal suggest: met when every judged indicator is on
/// track, partly met when some are, not met when none is, and "cannot be assessed" when no
/// indicator can be judged. Only ever shown beside the person's own assessment.
pub fn suggested_assessment(statuses: &[TargetStatus]) -> GoalAssessment {
    let judged: Vec<_> = statuses
        .iter()
        .filter(|s| **s != TargetStatus::NoTarget)
        .collect();
    let on_track = judged
        .iter()
        .filter(|s| ***s == TargetStatus::OnTrack)
        .count();
    match (judged.len(), on_track) {
        (0, _) => GoalAssessment::CannotAssess,
        (n, k) if k == n => GoalAssessment::Met,
        (_, 0) => GoalAssessment::NotMet,
        _ => GoalAssessment::PartlyMet,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_calendar_has_ten_closings() {
        let calendar = default_calendar(2021);
        let months: Vec<String> = calendar.iter().map(|p| p.month.to_string()).collect();
        assert_eq!(
            months,
            [
                "2021-02", "2021-03", "2021-04", "2021-05", "2021-06", "2021-08", "2021-09",
                "2021-10", "2021-11", "2021-12"
            ]
        );
        let kinds: Vec<PeriodKind> = calendar.iter().map(|p| p.kind).collect();
        assert_eq!(kinds[2], PeriodKind::Interim);
        assert_eq!(kinds[5], PeriodKind::Interim);
        assert_eq!(kinds[9], PeriodKind::Annual);
        assert_eq!(calendar[2].end_date(), "2021-04-30");
        assert_eq!(calendar[5].end_date(), "2021-08-31");
        assert_eq!(calendar[9].deadline.as_deref(), Some("2022-02-15"));
        assert_eq!(calendar[0].end_date(), "2021-02-28");
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_valid_date("2024-02-29"));
        assert!(!is_valid_date("2021-02-29"));
        assert!(!is_valid_date("2021-13-01"));
        assert!(!is_valid_date("20211231"));
    }

    #[test]
    fn the_threshold_is_the_smaller_of_one_percent_and_500_tkr() {
        let rules = ForecastRules::default();
        assert_eq!(
            rules.threshold(Money::from_ore(20_000 * 100_000)),
            Money::from_ore(200 * 100_000)
        );
        assert_eq!(
            rules.threshold(Money::from_ore(86_500 * 100_000)),
            Money::from_ore(500 * 100_000)
        );
        assert_eq!(
            rules.threshold(Money::from_ore(-30_000 * 100_000)),
            Money::from_ore(300 * 100_000)
        );
    }

    #[test]
    fn words_are_read_in_swedish_and_as_codes() {
        assert_eq!(
            AssignmentStatus::parse_word("påbörjad"),
            Some(AssignmentStatus::Started)
        );
        assert_eq!(
            AssignmentStatus::parse_word("Dialog behövs"),
            Some(AssignmentStatus::Dialogue)
        );
        assert_eq!(AssignmentStatus::parse_word("klar"), None);
        assert_eq!(
            GoalAssessment::parse_word("Delvis uppfyllt"),
            Some(GoalAssessment::PartlyMet)
        );
    }

    #[test]
    fn suggestions_follow_the_indicators() {
        use TargetStatus::*;
        assert_eq!(
            suggested_assessment(&[OnTrack, OnTrack]),
            GoalAssessment::Met
        );
        assert_eq!(
            suggested_assessment(&[OnTrack, OffTrack, NoTarget]),
            GoalAssessment::PartlyMet
        );
        assert_eq!(suggested_assessment(&[OffTrack]), GoalAssessment::NotMet);
        assert_eq!(
            suggested_assessment(&[NoTarget]),
            GoalAssessment::CannotAssess
        );
    }
}
