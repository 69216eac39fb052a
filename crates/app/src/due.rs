//! What a period's report contains for a unit or a person, with what is reported already: the
//! one use case the web's reporting page, the Excel report template and `styr followup due`
//! all call. The rule itself is the domain's (`styr_domain::due`); this adds the store (the
//! current reports), the actor's scope and the day.

use crate::{Actor, App, AppError, PlanSelector, Role, may_report_item};
use styr_domain::due::{self, DueItem, PeriodPhase};
use styr_domain::followup::{
    EntryKind, FollowUpPeriod, FollowUpReport, ReportEntry, ReportedEntry,
};
use styr_domain::ledger::Month;
use styr_domain::{Id, Plan};
use styr_store::{EntryFilter, StoreError};

/// One item a period asks for, with its current report.
#[derive(Debug, Clone, PartialEq)]
pub struct DueEntry {
    pub item: DueItem,
    /// The current report for the period; `None`: not reported.
    pub current: Option<ReportedEntry>,
    /// Whether the actor who asked may report it.
    pub may_report: bool,
    /// Required, unreported, and the open period's deadline has passed.
    pub late: bool,
}

impl DueEntry {
    /// Required and not reported.
    pub fn missing(&self) -> bool {
        self.item.required && self.current.is_none()
    }
}

/// A period's report for a unit (or for everyone), as due on a day.
#[derive(Debug, Clone)]
pub struct PeriodDue {
    pub plan: Plan,
    pub period: FollowUpPeriod,
    /// The calendar, for choosing another period.
    pub calendar: Vec<FollowUpPeriod>,
    pub phase: PeriodPhase,
    /// The day it was judged on (ISO).
    pub today: String,
    pub items: Vec<DueEntry>,
}

impl PeriodDue {
    pub fn missing(&self) -> impl Iterator<Item = &DueEntry> {
        self.items.iter().filter(|e| e.missing())
    }

    pub fn of_kind(&self, kind: EntryKind) -> impl Iterator<Item = &DueEntry> {
        self.items.iter().filter(move |e| e.item.kind == kind)
    }
}

/// The period the calendar says is being reported on `today`, or the one asked for.
pub fn choose_period(
    calendar: &[FollowUpPeriod],
    asked: Option<Month>,
    today: &str,
) -> Result<FollowUpPeriod, AppError> {
    if let Some(asked) = asked {
        return calendar
            .iter()
            .find(|p| p.month == asked)
            .cloned()
            .ok_or_else(|| AppError::NotFound(format!("perioden {asked} finns inte")));
    }
    due::current_period(calendar, today)
        .cloned()
        .ok_or_else(|| AppError::NotFound("kalendern har inga perioder".to_owned()))
}

impl App {
    /// The day the calendar is read by: the fixed reporting date this app was given
    /// ([`App::with_reporting_date`]), else today in UTC.
    pub fn today(&self) -> String {
        self.reporting_date
            .clone()
            .unwrap_or_else(styr_store::today_utc)
    }

    /// The same app reading the calendar as on `date` (ISO): the demo, whose data is of 2021,
    /// is reported as on a day of 2021; tests fix their day.
    pub fn with_reporting_date(mut self, date: Option<String>) -> App {
        self.reporting_date = date;
        self
    }

    /// What a period's report contains (the period asked for, else the one the calendar says is
    /// being reported now): everything due for `unit` (a body or unit the actor may report
    /// for), or with no unit everything due, each with its current report and whether the actor
    /// may report it.
    pub async fn period_due(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        month: Option<Month>,
        unit: Option<&Id>,
    ) -> Result<PeriodDue, AppError> {
        let (plan, entries) = self
            .reports(actor, selector, &EntryFilter::default())
            .await?;
        let today = self.today();
        let period = choose_period(&plan.periods, month, &today)?;
        let scope = match unit {
            None => None,
            Some(unit) => {
                if !plan.units.iter().any(|u| &u.id == unit)
                    && !plan.bodies.iter().any(|b| &b.id == unit)
                {
                    return Err(AppError::invalid(
                        "enhet",
                        format!("{unit} är varken ett organ eller en enhet i planen"),
                    ));
                }
                if !actor.may_report_for(&plan, std::slice::from_ref(unit))
                    && !matches!(actor.role, Role::Auditor | Role::Reader)
                {
                    return Err(AppError::Forbidden(format!(
                        "{} får inte rapportera för {unit}",
                        actor.login
                    )));
                }
                Some(Actor {
                    login: String::new(),
                    role: Role::Reporter,
                    municipality: None,
                    units: vec![unit.clone()],
                    body: Some(plan.document.body.to_string()),
                })
            }
        };
        let month = period.month;
        let late_period = due::accepts_reports(&period) && due::deadline_passed(&period, &today);
        let items = due::due_items(&plan, &period, &entries)
            .into_iter()
            .filter(|item| {
                scope
                    .as_ref()
                    .is_none_or(|unit| may_report_item(unit, &plan, item.kind, &item.subject))
            })
            .map(|item| {
                let current = entries
                    .iter()
                    .rev()
                    .find(|e| {
                        e.report.period == month
                            && e.report.entry.kind() == item.kind
                            && e.report.entry.subject() == item.subject
                    })
                    .cloned();
                let may_report = may_report_item(actor, &plan, item.kind, &item.subject);
                let late = late_period && item.required && current.is_none();
                DueEntry {
                    item,
                    current,
                    may_report,
                    late,
                }
            })
            .collect();
        Ok(PeriodDue {
            phase: due::phase(&period, &today),
            calendar: plan.periods.clone(),
            period,
            today,
            items,
            plan,
        })
    }
}

/// One item of a period's report as a form submitted it: the entry and the version of the
/// current report its editor saw (0: none).
#[derive(Debug, Clone, PartialEq)]
pub struct Submitted {
    pub entry: ReportEntry,
    pub based_on: u64,
}

/// Why one submitted item was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// It breaks a rule: the field and what is wrong.
    Invalid {
        key: String,
        field: String,
        message: String,
    },
    /// It looks wrong (a forecast below what is booked, or far from its budget) and the save
    /// was not confirmed: the field and the warning.
    Unconfirmed {
        key: String,
        field: String,
        message: String,
    },
    /// Someone reported it since the editor loaded the page: their report (`None`: it is gone).
    Stale {
        key: String,
        current: Box<Option<ReportedEntry>>,
    },
}

impl Refusal {
    /// The item's `kind/subject`.
    pub fn key(&self) -> &str {
        match self {
            Refusal::Invalid { key, .. }
            | Refusal::Unconfirmed { key, .. }
            | Refusal::Stale { key, .. } => key,
        }
    }
}

/// What saving a period's report did: everything, or nothing and why per item.
#[derive(Debug, Clone, PartialEq)]
pub enum PeriodSave {
    Saved(crate::Reported),
    Refused(Vec<Refusal>),
}

fn key_of(entry: &ReportEntry) -> String {
    format!("{}/{}", entry.kind().code(), entry.subject())
}

impl App {
    /// Saves a period's report in one action, all or nothing: every item is checked (the
    /// actor's scope, the period, the follow-up rules, and that nobody reported it since the
    /// version its editor saw); if any item is refused nothing is written and every refusal is
    /// returned, else all are written in one transaction with one audit row. An item that
    /// looks wrong by the same plausibility rule as the single form is refused as
    /// [`Refusal::Unconfirmed`] unless the save is `confirmed`.
    pub async fn report_period(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        month: Month,
        items: Vec<Submitted>,
        confirmed: bool,
    ) -> Result<PeriodSave, AppError> {
        let filter = EntryFilter {
            period: Some(month),
            ..EntryFilter::default()
        };
        let (plan, current) = self.reports(actor, selector, &filter).await?;
        let mut refused = Vec::new();
        let mut reports = Vec::new();
        let mut based_on = Vec::new();
        for item in items {
            let key = key_of(&item.entry);
            let report = FollowUpReport {
                period: month,
                entry: item.entry,
            };
            let found = crate::followup::problems(&plan, &plan.periods, actor, &report);
            if !found.is_empty() {
                refused.extend(found.into_iter().map(|(field, message)| Refusal::Invalid {
                    key: key.clone(),
                    field,
                    message,
                }));
                continue;
            }
            let now = current.iter().rev().find(|e| {
                e.report.entry.kind() == report.entry.kind()
                    && e.report.entry.subject() == report.entry.subject()
            });
            if now.map_or(0, |e| e.version) != item.based_on {
                refused.push(Refusal::Stale {
                    key,
                    current: Box::new(now.cloned()),
                });
                continue;
            }
            let unconfirmed = self
                .unconfirmed(actor, selector, &report, confirmed)
                .await?;
            if !unconfirmed.is_empty() {
                refused.extend(unconfirmed.into_iter().map(|(field, message)| {
                    Refusal::Unconfirmed {
                        key: key.clone(),
                        field,
                        message,
                    }
                }));
                continue;
            }
            reports.push(report);
            based_on.push(Some(item.based_on));
        }
        if !refused.is_empty() {
            return Ok(PeriodSave::Refused(refused));
        }
        let action = format!(
            "report period {}/{month} items={}",
            styr_store::Owner::of(&plan),
            reports.len()
        );
        match self
            .store
            .record_reports_based_on(
                styr_store::Owner::of(&plan),
                &reports,
                &based_on,
                &actor.login,
                &action,
            )
            .await
        {
            Ok(recorded) => Ok(PeriodSave::Saved(recorded)),
            // Someone wrote in between the check above and the transaction.
            Err(StoreError::StaleVersion {
                subject, current, ..
            }) => {
                let key = reports
                    .iter()
                    .find(|r| r.entry.subject() == subject)
                    .map_or(subject, |r| key_of(&r.entry));
                Ok(PeriodSave::Refused(vec![Refusal::Stale { key, current }]))
            }
            Err(other) => Err(other.into()),
        }
    }
}

/// What one person still has to report in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMissing {
    pub login: String,
    /// The units the person reports for.
    pub units: Vec<String>,
    /// Required items of the person's units nobody has reported.
    pub missing: usize,
    /// Of those, the ones past the open period's deadline.
    pub late: usize,
}

impl App {
    /// Who still has to report in a period (the one asked for, else the calendar's current):
    /// every reporter of the municipality with the required items of their units nobody has
    /// reported, and how many of them are late. Everyone logged in may see it (the reports
    /// name their reporters too); the public sees nobody.
    pub async fn missing_by_person(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        month: Option<Month>,
    ) -> Result<Vec<PersonMissing>, AppError> {
        if actor.role == Role::Public {
            return Ok(Vec::new());
        }
        let selector = actor.scope(selector)?;
        self.cached_missing_by_person(&selector, month, async || {
            self.compute_missing_by_person(actor, &selector, month)
                .await
        })
        .await
    }

    async fn compute_missing_by_person(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        month: Option<Month>,
    ) -> Result<Vec<PersonMissing>, AppError> {
        let due = self.period_due(actor, selector, month, None).await?;
        let mut people = Vec::new();
        for record in self.store.users().await? {
            if record.municipality != due.plan.municipality.id.as_str() {
                continue;
            }
            let person = crate::users::actor_of(&record)?;
            if person.role != Role::Reporter {
                continue;
            }
            let theirs = due.items.iter().filter(|e| {
                e.missing() && may_report_item(&person, &due.plan, e.item.kind, &e.item.subject)
            });
            let (missing, late) = theirs.fold((0, 0), |(m, l), e| (m + 1, l + usize::from(e.late)));
            people.push(PersonMissing {
                login: record.login.clone(),
                units: record.units.clone(),
                missing,
                late,
            });
        }
        Ok(people)
    }
}
