//! The year rollover: next year's plan as a proposal, made from this year's, in one command.
//!
//! The plan-year columns become the budget year and the plan years shift one year on; goals,
//! priorities and indicators carry over with their values; ongoing assignments continue (their
//! follow-up history is the municipality's and stays), finished ones are archived (left out of
//! the new plan, kept in the old one); next year gets the default follow-up calendar. The old
//! year stays readable, and its closed periods immutable. Refuses while the old year has open
//! periods unless forced with a reason, which the audit log keeps. Idempotent: when next year's
//! version exists, nothing is written.

use crate::{Actor, App, AppError, PlanSelector};
use std::collections::{BTreeMap, HashSet};
use styr_domain::assignment::AssignmentStatus;
use styr_domain::budget::{AmountRow, RowKind, VersionKind};
use styr_domain::followup::{PeriodState, ReportEntry, default_calendar};
use styr_domain::{Id, Money, Month, Plan, Year};
use styr_store::EntryFilter;

/// What a rollover did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolloverSummary {
    pub from_version: String,
    pub to_version: String,
    /// False when next year's version already existed: then nothing was written.
    pub created: bool,
    /// Assignments that continue into next year.
    pub continued: Vec<Id>,
    /// Assignments reported finished: archived.
    pub archived: Vec<Id>,
    /// Periods of the old year that were still open (only with `force`).
    pub open_periods: Vec<Month>,
}

/// Replaces the years of `years` in a text by the next year, latest first so that none shifts
/// twice ("Budget 2021–2022" → "Budget 2022–2023").
fn shift_text(text: &str, years: &[Year]) -> String {
    let mut years = years.to_vec();
    years.sort_unstable();
    years.dedup();
    let mut out = text.to_owned();
    for year in years.iter().rev() {
        out = out.replace(&year.to_string(), &(year + 1).to_string());
    }
    out
}

/// Amounts in shifted columns: a year the old plan has keeps its amount; the new last year takes
/// the amount of the year before (an unchanged frame as the starting point of the proposal).
fn carry(amounts: &BTreeMap<Year, Money>, years: &[Year]) -> BTreeMap<Year, Money> {
    years
        .iter()
        .filter_map(|year| {
            amounts
                .get(year)
                .or_else(|| amounts.get(&(year - 1)))
                .map(|amount| (*year, *amount))
        })
        .collect()
}

fn shift_rows(rows: &mut [AmountRow], years: &[Year]) {
    for row in rows {
        row.amounts = match row.kind {
            // A printed total is a stated figure of the old document: nobody has stated one
            // for the new year, so the sum is computed, never copied.
            RowKind::Total => row
                .amounts
                .iter()
                .filter(|(year, _)| years.contains(year))
                .map(|(y, a)| (*y, *a))
                .collect(),
            _ => carry(&row.amounts, years),
        };
    }
}

fn next_years(years: &[Year]) -> Vec<Year> {
    years.iter().map(|y| y + 1).collect()
}

impl App {
    /// Creates next year's plan (`to_year`) as a proposal from the selected plan; see the
    /// module documentation. `force_reason`: roll over although periods of the old year are
    /// open, for this reason.
    pub async fn rollover(
        &self,
        actor: &Actor,
        selector: &PlanSelector,
        to_year: Year,
        force_reason: Option<&str>,
    ) -> Result<RolloverSummary, AppError> {
        actor.require_controller("starta ett nytt budgetår")?;
        let (mut old, mut entries) = self
            .reports(actor, selector, &EntryFilter::default())
            .await?;
        let from_year = to_year - 1;
        // Run again without naming a version, the latest plan is the one the first run made:
        // start from the plan it was made from, so that twice gives one result.
        if selector.version.is_none()
            && old.budget.investment.budget_year == to_year
            && let Some(based_on) = old.budget.version.based_on.clone()
        {
            let source = PlanSelector {
                municipality: Some(old.municipality.id.to_string()),
                body: Some(old.document.body.to_string()),
                version: Some(based_on.to_string()),
            };
            (old, entries) = self
                .reports(actor, &source, &EntryFilter::default())
                .await?;
        }
        let budget_year = old.budget.investment.budget_year;
        if budget_year != from_year {
            return Err(AppError::Conflict(format!(
                "planen {} gäller budgetåret {budget_year}, inte {from_year}: välj planen för \
                 {from_year} (--version)",
                old.budget.version.id
            )));
        }
        let old_id = old.budget.version.id.to_string();
        let new_id = if old_id.contains(&from_year.to_string()) {
            old_id.replace(&from_year.to_string(), &to_year.to_string())
        } else {
            format!("{old_id}_{to_year}")
        };
        let open_periods: Vec<Month> = old
            .periods
            .iter()
            .filter(|p| p.state == PeriodState::Open && p.month.year() == from_year)
            .map(|p| p.month)
            .collect();
        // Finished: the latest report of the old year says Färdig.
        let mut latest_status: BTreeMap<&str, (String, AssignmentStatus)> = BTreeMap::new();
        for entry in &entries {
            if let ReportEntry::Status {
                assignment, status, ..
            } = &entry.report.entry
                && entry.report.period.year() == from_year
            {
                let month = entry.report.period.to_string();
                let slot = latest_status
                    .entry(assignment.as_str())
                    .or_insert((month.clone(), *status));
                if month >= slot.0 {
                    *slot = (month, *status);
                }
            }
        }
        let archived: Vec<Id> = old
            .assignments
            .iter()
            .filter(|a| {
                matches!(
                    latest_status.get(a.id.as_str()),
                    Some((_, AssignmentStatus::Done))
                )
            })
            .map(|a| a.id.clone())
            .collect();
        let continued: Vec<Id> = old
            .assignments
            .iter()
            .map(|a| a.id.clone())
            .filter(|id| !archived.contains(id))
            .collect();
        let summary = |created: bool| RolloverSummary {
            from_version: old_id.clone(),
            to_version: new_id.clone(),
            created,
            continued: continued.clone(),
            archived: archived.clone(),
            open_periods: open_periods.clone(),
        };
        let exists =
            self.plans(actor).await?.iter().any(|key| {
                key.municipality == old.municipality.id.as_str() && key.version == new_id
            });
        if exists {
            return Ok(summary(false));
        }
        let reason = force_reason.map(str::trim).filter(|r| !r.is_empty());
        if !open_periods.is_empty() && reason.is_none() {
            return Err(AppError::Conflict(format!(
                "{from_year} har öppna perioder ({}): stäng dem först, eller ange --force \
                 med --reason",
                styr_domain::month::list(&open_periods)
            )));
        }
        let new = next_plan(&old, &new_id, to_year, &archived)?;
        let mut note = format!("rollover from={old_id} to={new_id}");
        if let Some(reason) = reason.filter(|_| !open_periods.is_empty()) {
            note.push_str(&format!(
                " forced open_periods={} reason={reason}",
                open_periods
                    .iter()
                    .map(Month::to_string)
                    .collect::<Vec<_>>()
                    .join(";")
            ));
        }
        self.store
            .import_plan_with_note(&new, &actor.login, Some(&note))
            .await?;
        Ok(summary(true))
    }
}

/// Next year's plan from this year's.
fn next_plan(old: &Plan, new_id: &str, to_year: Year, archived: &[Id]) -> Result<Plan, AppError> {
    let from_year = to_year - 1;
    let mut plan = old.clone();
    let mut document_years = old.document.years.clone();
    document_years.extend(old.budget.investment.years.iter().copied());
    let version = &mut plan.budget.version;
    version.based_on = Some(old.budget.version.id.clone());
    version.id = Id::parse(new_id).map_err(|e| AppError::invalid("version", e.to_string()))?;
    version.kind = VersionKind::Proposal;
    version.name = shift_text(&old.budget.version.name, &[from_year]);
    version.decision = None;
    plan.document.title = shift_text(&old.document.title, &document_years);
    plan.document.years = next_years(&old.document.years);

    let budget = &mut plan.budget;
    budget.frames.retain(|frame| frame.year >= to_year);
    for table in &mut budget.operating {
        table.years = next_years(&table.years);
        table.title = shift_text(&table.title, &[from_year, from_year - 1]);
        shift_rows(&mut table.rows, &table.years);
    }
    let investment = &mut budget.investment;
    investment.budget_year = to_year;
    investment.title = shift_text(&investment.title, &[from_year]);
    investment.decision = None;
    investment.years = next_years(&investment.years);
    for row in &mut investment.rows {
        row.amounts.retain(|year, _| *year >= to_year);
    }
    budget.exploitation.year = to_year;
    budget.exploitation.title = shift_text(&budget.exploitation.title, &[from_year]);
    let finance = &mut budget.finance;
    finance.years = next_years(&finance.years);
    for row in &mut finance.rows {
        for line in &mut row.lines {
            line.amounts = if row.kind == RowKind::Total {
                BTreeMap::new()
            } else {
                carry(&line.amounts, &finance.years)
            };
        }
    }
    finance.summary_years = next_years(&finance.summary_years);
    shift_rows(&mut finance.summary, &finance.summary_years);
    // The frame change is measured between two printed years; the new proposal has none yet.
    budget.frame_change = None;
    // So is the frame calculation: its base and lines are the next year's budget work.
    budget.frame_calculation = None;

    let archived: HashSet<&Id> = archived.iter().collect();
    plan.assignments.retain(|a| !archived.contains(&a.id));
    plan.mentions.retain(|m| !archived.contains(&m.assignment));
    // Statuses and figures printed in the old document belong to its periods.
    plan.statuses.clear();
    plan.figures.clear();
    plan.periods = default_calendar(to_year);
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_shift_once() {
        assert_eq!(
            shift_text("Strategi och Budget 2021–2022", &[2021, 2022]),
            "Strategi och Budget 2022–2023"
        );
    }

    #[test]
    fn carrying_keeps_known_years_and_copies_the_last() {
        let amounts: BTreeMap<Year, Money> =
            [(2020, Money::from_ore(1)), (2021, Money::from_ore(2))]
                .into_iter()
                .collect();
        let carried = carry(&amounts, &[2021, 2022]);
        assert_eq!(carried.get(&2021), Some(&Money::from_ore(2)));
        assert_eq!(carried.get(&2022), Some(&Money::from_ore(2)));
        assert_eq!(carried.len(), 2);
    }
}
