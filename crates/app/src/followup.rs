//! The follow-up use cases: reporting a status, an outcome, a goal assessment, a forecast, a
//! control's result or an audit action's progress for a period (one at a time or a unit's whole report from a file), the calendar with who has not
//! reported, and closing and reopening periods.

use crate::{Actor, App, AppError, PlanSelector, Problem};
use styr_domain::due;
use styr_domain::followup::{
    EntryKind, FollowUpPeriod, FollowUpReport, PeriodState, ReportEntry, ReportedEntry,
    check_report,
};
use styr_domain::ledger::Month;
use styr_domain::{Id, Plan, Year};
use styr_reports::{MissingReport, missing_reports};
use styr_store::{EntryFilter, RecordSummary};

/// What a report wrote: the changes (with what was current before) and how many reports were
/// equal to the current ones.
pub type Reported = RecordSummary;

/// What importing a follow-up file wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpImported {
    pub rows: usize,
    pub recorded: RecordSummary,
}

/// A period of the calendar with what is still missing.
#[derive(Debug, Clone, PartialEq)]
pub struct PeriodOverview {
    pub period: FollowUpPeriod,
    /// Reports made for the period (current ones).
    pub reported: usize,
    /// Reports the period requires that nobody has made ("ej rapporterat").
    pub missing: Vec<MissingReport>,
    /// Where the period stands today (`App::today`): upcoming, being reported, late, closed.
    pub phase: due::PeriodPhase,
}

impl PeriodOverview {
    /// The missing reports once the open period's deadline has passed ("sent").
    pub fn late(&self) -> usize {
        if self.phase == due::PeriodPhase::Late {
            self.missing.len()
        } else {
            0
        }
    }
}

/// Whether the actor may report this entry: administrators and controllers for everything,
/// reporters for what their units answer for (the domain's [`due::owners`]).
pub fn may_report(actor: &Actor, plan: &Plan, entry: &ReportEntry) -> bool {
    may_report_item(actor, plan, entry.kind(), &entry.subject())
}

/// Whether the actor may report a subject of a kind (no entry needed to ask).
pub fn may_report_item(actor: &Actor, plan: &Plan, kind: EntryKind, subject: &str) -> bool {
    actor.may_report_for(plan, &due::owners(plan, kind, subject))
}

fn owners(plan: &Plan, entry: &ReportEntry) -> Vec<Id> {
    due::entry_owners(plan, entry)
}

/// Why a report is outside the actor's units, with names: "Du får inte rapportera för
/// uppdraget «2020 KS 3 …»: det rapporteras av Kommunstyrelsen, och du rapporterar för
/// Äldrenämnden."
fn not_yours(plan: &Plan, actor: &Actor, entry: &ReportEntry) -> String {
    let names = |ids: Vec<String>| match ids.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} och {last}", rest.join(", ")),
    };
    let owners = names(
        owners(plan, entry)
            .iter()
            .map(|id| crate::unit_name(plan, id.as_str()))
            .collect(),
    );
    let units = names(
        actor
            .units
            .iter()
            .map(|id| crate::unit_name(plan, id.as_str()))
            .collect(),
    );
    let mine = if units.is_empty() {
        "du rapporterar inte för någon enhet".to_owned()
    } else {
        format!("du rapporterar för {units}")
    };
    format!(
        "Du får inte rapportera för {}: det rapporteras av {owners}, och {mine}.",
        crate::subject_name(plan, entry.kind(), &entry.subject())
    )
}

/// Every problem with one report, as (field, message): the period, the actor's scope and the
/// domain's rules.
pub(crate) fn problems(
    plan: &Plan,
    calendar: &[FollowUpPeriod],
    actor: &Actor,
    report: &FollowUpReport,
) -> Vec<(String, String)> {
    let Some(period) = calendar.iter().find(|p| p.month == report.period) else {
        return vec![(
            "period".to_owned(),
            format!(
                "perioden {} finns inte i uppföljningskalendern",
                report.period
            ),
        )];
    };
    let mut found = Vec::new();
    if period.state == PeriodState::Closed {
        found.push((
            "period".to_owned(),
            format!(
                "perioden {} är stängd: det som rapporterats för den ändras inte",
                period.month
            ),
        ));
    }
    if !actor.may_report_for(plan, &owners(plan, &report.entry)) {
        found.push(("subject".to_owned(), not_yours(plan, actor, &report.entry)));
    }
    found.extend(
        check_report(plan, period, &report.entry, &plan.forecast_rules)
            .into_iter()
            .map(|v| (v.field.to_owned(), v.message)),
    );
    found
}

impl App {
    /// Reports one thing for one period: a status, an outcome, a goal assessment or a forecast.
    /// Checks the actor's scope and the follow-up rules (a required comment is asked for by
    /// name); writes it with its audit row. A report equal to the current one changes nothing.
    pub async fn report(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        report: FollowUpReport,
    ) -> Result<Reported, AppError> {
        self.report_based_on(actor, selector, report, None).await
    }

    /// Reports as `report` does, based on the version of the current report the editor saw
    /// (0: none). When someone else reported in between, nothing is written and the error is
    /// `StoreError::StaleVersion` with their report: no lost update.
    pub async fn report_based_on(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        report: FollowUpReport,
        based_on: Option<u64>,
    ) -> Result<Reported, AppError> {
        self.report_checked(actor, selector, report, based_on, true)
            .await
    }

    /// Reports as `report_based_on` does, except that a report `report_warnings` finds
    /// implausible (a forecast below what is booked, far from its budget) is written only when
    /// `confirmed`; otherwise the error is `AppError::Unconfirmed` with every warning, and
    /// nothing is written. The rules and limits are checked first.
    pub async fn report_confirmed(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        report: FollowUpReport,
        based_on: Option<u64>,
        confirmed: bool,
    ) -> Result<Reported, AppError> {
        self.report_checked(actor, selector, report, based_on, confirmed)
            .await
    }

    async fn report_checked(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        report: FollowUpReport,
        based_on: Option<u64>,
        confirmed: bool,
    ) -> Result<Reported, AppError> {
        let plan = self.shared_plan(actor, selector).await?;
        if !actor.may_report_for(&plan, &owners(&plan, &report.entry)) {
            return Err(AppError::Forbidden(not_yours(&plan, actor, &report.entry)));
        }
        let found = problems(&plan, &plan.periods, actor, &report);
        if !found.is_empty() {
            return Err(AppError::Invalid(
                found
                    .into_iter()
                    .map(|(field, message)| Problem::new(field, message))
                    .collect(),
            ));
        }
        let unconfirmed = self
            .unconfirmed(actor, selector, &report, confirmed)
            .await?;
        if !unconfirmed.is_empty() {
            return Err(AppError::Unconfirmed(
                unconfirmed
                    .into_iter()
                    .map(|(field, message)| Problem::new(field, message))
                    .collect(),
            ));
        }
        let action = format!(
            "report {} {}/{}/{}",
            report.entry.kind().code(),
            styr_store::Owner::of(&plan),
            report.period,
            report.entry.subject()
        );
        Ok(self
            .store
            .record_reports_based_on(
                styr_store::Owner::of(&plan),
                std::slice::from_ref(&report),
                &[based_on],
                &actor.login,
                &action,
            )
            .await?)
    }

    /// Imports a unit's report from a follow-up file (`styr_package::read_followup_csv`), all
    /// or nothing: every problem of every row is returned with file, line and field, and then
    /// nothing is written.
    pub async fn import_followup(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<FollowUpImported, AppError> {
        let rows = styr_package::read_followup_csv(file_name, bytes).map_err(|diagnostics| {
            AppError::Invalid(
                diagnostics
                    .into_iter()
                    .map(|d| Problem::at(&d.file, d.line, d.field, d.message))
                    .collect(),
            )
        })?;
        let plan = self.load_plan(actor, selector).await?;
        let mut found = Vec::new();
        for row in &rows {
            if row.municipality != plan.municipality.id {
                found.push(Problem::at(
                    file_name,
                    row.line,
                    "municipality",
                    format!(
                        "raden gäller kommunen {} men planen är {}",
                        row.municipality, plan.municipality.id
                    ),
                ));
                continue;
            }
            for (field, message) in problems(&plan, &plan.periods, actor, &row.report) {
                found.push(Problem::at(file_name, row.line, field, message));
            }
        }
        if !found.is_empty() {
            return Err(AppError::Invalid(found));
        }
        let reports: Vec<FollowUpReport> = rows.iter().map(|r| r.report.clone()).collect();
        let action = format!(
            "import followup {}/{file_name}",
            styr_store::Owner::of(&plan)
        );
        let recorded = self
            .store
            .record_reports(
                styr_store::Owner::of(&plan),
                &reports,
                &actor.login,
                &action,
            )
            .await?;
        Ok(FollowUpImported {
            rows: rows.len(),
            recorded,
        })
    }

    /// Reports of the selected plan's municipality: the current ones, or with `history` every
    /// one, oldest first.
    pub async fn reports(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        filter: &EntryFilter,
    ) -> Result<(Plan, Vec<ReportedEntry>), AppError> {
        let plan = self.load_plan(actor, selector).await?;
        let entries = self.entries_for(actor, &plan, filter).await?;
        Ok((plan, entries))
    }

    /// The current reports of `plan` the actor may see.
    async fn visible_entries(
        &self,
        actor: &Actor,
        plan: &Plan,
    ) -> Result<Vec<ReportedEntry>, AppError> {
        self.entries_for(actor, plan, &EntryFilter::default()).await
    }

    async fn entries_for(
        &self,
        actor: &Actor,
        plan: &Plan,
        filter: &EntryFilter,
    ) -> Result<Vec<ReportedEntry>, AppError> {
        let mut entries = self
            .store
            .reports(styr_store::Owner::of(plan), filter)
            .await?;
        if actor.role == crate::Role::Public {
            // The public sees what was reported for closed periods only.
            entries.retain(|entry| {
                plan.periods
                    .iter()
                    .any(|p| p.month == entry.report.period && p.state == PeriodState::Closed)
            });
        }
        Ok(entries)
    }

    /// The calendar (of one year, or all) with what each period still lacks.
    pub async fn periods(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        year: Option<Year>,
    ) -> Result<Vec<PeriodOverview>, AppError> {
        // Computed once per change of the data (every page with a period picker asks); the
        // plan is looked up, and its visibility checked, on every call.
        let selector = actor.scope(selector)?;
        let today = self.today();
        let public = actor.role == crate::Role::Public;
        let plan = self.load_plan(actor, &selector).await?;
        // The plan as chosen for this actor (a reporter's own body by default), not as asked.
        let key = format!(
            "periods {} {} {} {year:?} {public} {today}",
            plan.municipality.id, plan.document.body, plan.budget.version.id
        );
        let computed = self
            .computed(key, async || {
                let entries = self.visible_entries(actor, &plan).await?;
                Ok(plan
                    .periods
                    .iter()
                    .filter(|p| year.is_none_or(|y| p.month.year() == y))
                    .map(|period| PeriodOverview {
                        period: period.clone(),
                        reported: entries
                            .iter()
                            .filter(|e| e.report.period == period.month)
                            .count(),
                        missing: missing_reports(&plan, period, &entries),
                        phase: due::phase(period, &today),
                    })
                    .collect::<Vec<PeriodOverview>>())
            })
            .await?;
        Ok((*computed).clone())
    }

    /// Closes a period: what was reported for it becomes immutable (controllers and
    /// administrators).
    pub async fn close_period(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        month: Month,
    ) -> Result<FollowUpPeriod, AppError> {
        actor.require_controller("stänga en period")?;
        let plan = self.load_plan(actor, selector).await?;
        Ok(self
            .store
            .set_period_state(
                styr_store::Owner::of(&plan),
                month,
                PeriodState::Closed,
                &actor.login,
                None,
            )
            .await?)
    }

    /// Closes a month's period for the whole municipality: every body's period that is open,
    /// in one change (controllers and administrators). Returns (body, period) per closed body.
    pub async fn close_period_everywhere(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        month: Month,
    ) -> Result<Vec<(String, FollowUpPeriod)>, AppError> {
        actor.require_controller("stänga en period")?;
        let plans = self.body_plans(actor, municipality).await?;
        let Some(plan) = plans.first() else {
            return Err(AppError::NotFound(
                "databasen har inga planer: importera en plan först".to_owned(),
            ));
        };
        Ok(self
            .store
            .close_period_everywhere(plan.municipality.id.as_str(), month, &actor.login)
            .await?)
    }

    /// Reopens a closed period: administrators only, with a reason, which the audit log keeps.
    pub async fn reopen_period(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        month: Month,
        reason: &str,
    ) -> Result<FollowUpPeriod, AppError> {
        actor.require_admin("öppna en stängd period")?;
        if reason.trim().is_empty() {
            return Err(AppError::invalid(
                "reason",
                "att öppna en stängd period kräver ett skäl",
            ));
        }
        if let Some(limit) = styr_domain::plausibility::too_long(
            "reason",
            "Skälet är för långt",
            Some(reason),
            styr_domain::plausibility::MAX_TEXT_CHARS,
        ) {
            return Err(AppError::invalid(limit.field, limit.message));
        }
        let plan = self.load_plan(actor, selector).await?;
        Ok(self
            .store
            .set_period_state(
                styr_store::Owner::of(&plan),
                month,
                PeriodState::Open,
                &actor.login,
                Some(reason.trim()),
            )
            .await?)
    }
}
