//! The whole municipality at once (issue 20): the use case that loads every body's latest plan,
//! its budget vs actual, its reporting progress and its reports of a period, and hands them to
//! the pure roll-up [`styr_reports::municipal::overview`]. The web's `/kommun` page and the
//! municipal delårsrapport call [`App::municipal_overview`].
//!
//! Nothing is computed twice: a body's figures are its own budget vs actual (the operating
//! total of [`App::budget_vs_actual`]'s report), its progress is [`App::period_due`], the
//! totals and the roll-up are `styr_reports::municipal`'s.

use crate::{Actor, App, AppError, PlanSelector, Role};
use styr_domain::Plan;
use styr_domain::followup::{PeriodState, ReportedEntry};
use styr_domain::ledger::Month;
use styr_reports::RowKind;
use styr_reports::municipal::{BodyData, MunicipalOverview, Progress, is_council};
use styr_store::EntryFilter;

impl App {
    /// The municipal roll-up of a period: every body's latest plan, its frame (KF's when KF's
    /// plan is there), its budget, outcome, forecast and deviation as its own budget vs actual
    /// computes them, its reporting progress, the totals of those rows, and KF's goals rolled
    /// up from the bodies' assessments (see [`styr_reports::municipal`] for the rules).
    /// `municipality`: `None` for the only one in the database. The public sees a body's
    /// figures and progress for a closed period only.
    pub async fn municipal_overview(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        period: Month,
    ) -> Result<MunicipalOverview, AppError> {
        let plans = self.body_plans(actor, municipality).await?;
        let mut data = Vec::new();
        for plan in plans.iter().filter(|plan| !is_council(plan)) {
            let (progress, published) = self.progress(actor, plan, period).await?;
            let economy = if published {
                self.economy(plan, period)
                    .await?
                    .rows
                    .into_iter()
                    .find(|row| row.kind == RowKind::OperatingTotal)
            } else {
                None
            };
            let entries = self.period_entries(actor, plan, period).await?;
            data.push(BodyData {
                plan,
                economy,
                progress,
                entries,
            });
        }
        styr_reports::municipal::overview(&plans, &data, period)
            .ok_or_else(|| AppError::NotFound("det finns ingen plan i databasen".to_owned()))
    }

    /// A body's progress in the period by [`App::period_due`], and whether its follow-up of the
    /// period may be shown to the actor (the public sees closed periods only).
    async fn progress(
        &self,
        actor: &Actor,
        plan: &Plan,
        period: Month,
    ) -> Result<(Progress, bool), AppError> {
        let Some(calendar) = plan.periods.iter().find(|p| p.month == period) else {
            return Ok((Progress::NoPeriod, actor.role != Role::Public));
        };
        if actor.role == Role::Public && calendar.state != PeriodState::Closed {
            return Ok((Progress::NotPublished, false));
        }
        let due = self
            .period_due(actor, &selector_of(plan), Some(period), None)
            .await?;
        let required = due.items.iter().filter(|e| e.item.required);
        let (reported, all, late) = required.fold((0, 0, 0), |(r, a, l), e| {
            (
                r + usize::from(e.current.is_some()),
                a + 1,
                l + usize::from(e.late),
            )
        });
        Ok((
            Progress::Due {
                reported,
                due: all,
                late,
                state: due.period.state,
            },
            true,
        ))
    }

    /// The current reports of a body's plan for the period (as the actor may see them).
    async fn period_entries(
        &self,
        actor: &Actor,
        plan: &Plan,
        period: Month,
    ) -> Result<Vec<ReportedEntry>, AppError> {
        let filter = EntryFilter {
            period: Some(period),
            ..EntryFilter::default()
        };
        Ok(self.reports(actor, &selector_of(plan), &filter).await?.1)
    }
}

/// The selector of a body's plan as loaded.
fn selector_of(plan: &Plan) -> PlanSelector {
    PlanSelector {
        municipality: Some(plan.municipality.id.as_str().to_owned()),
        body: Some(plan.document.body.as_str().to_owned()),
        version: Some(plan.budget.version.id.as_str().to_owned()),
    }
}
