//! The whole municipality at once (issue 20): the use case that loads every body's latest plan,
//! its budget vs actual, its reporting progress and its reports of a period, and hands them to
//! the pure roll-up [`styr_reports::municipal::overview`]. The web's `/kommun` page and the
//! municipal delårsrapport call [`App::municipal_overview`].
//!
//! Nothing is computed twice: a body's figures are its own budget vs actual (the operating
//! total of [`App::budget_vs_actual`]'s report), its progress is [`App::period_due`], the
//! totals and the roll-up are `styr_reports::municipal`'s.

use crate::{Actor, App, AppError, DocumentFormat, PlanSelector, RenderedReport, Role};
use std::collections::HashMap;
use std::sync::Arc;
use styr_domain::Plan;
use styr_domain::followup::{PeriodState, ReportedEntry};
use styr_domain::ledger::Month;
use styr_domain::number::MoneyUnit;
use styr_reports::municipal::{BodyData, MunicipalOverview, Progress, is_council};
use styr_reports::{ReportKind, RowKind};
use styr_store::EntryFilter;

/// (municipality as scoped, period, public, the day lateness is judged by).
type OverviewKey = (Option<String>, Month, bool, String);

/// Overviews computed at one value of the store's change counter: every write moves it, so the
/// `/kommun` page costs a lookup until the data changes. Permissions (the actor's municipality)
/// are checked on every call before the lookup; what else the overview shows depends only on
/// whether the reader is the public.
#[derive(Debug, Default)]
pub struct OverviewCache {
    generation: i64,
    overviews: HashMap<OverviewKey, Arc<MunicipalOverview>>,
}

impl App {
    /// The municipal roll-up of a period: every body's latest plan, its frame (KF's when KF's
    /// plan is there), its budget, outcome, forecast and deviation as its own budget vs actual
    /// computes them, its reporting progress, the totals of those rows, and KF's goals rolled
    /// up from the bodies' assessments (see [`styr_reports::municipal`] for the rules).
    /// `municipality`: `None` for the only one in the database. The public sees a body's
    /// figures and progress for a closed period only. Computed once per change of the data.
    pub async fn municipal_overview(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        period: Month,
    ) -> Result<MunicipalOverview, AppError> {
        let scoped = actor.scope(&PlanSelector {
            municipality: municipality.map(str::to_owned),
            ..PlanSelector::default()
        })?;
        // Read the counter before the data: an overview computed after a change is never kept
        // under the counter from before it.
        let generation = self.store.generation().await?;
        let key: OverviewKey = (
            scoped.municipality.clone(),
            period,
            actor.role == Role::Public,
            self.today(),
        );
        let cached = {
            let cache = self.overviews.lock().unwrap_or_else(|p| p.into_inner());
            (cache.generation == generation)
                .then(|| cache.overviews.get(&key).cloned())
                .flatten()
        };
        if let Some(overview) = cached {
            return Ok((*overview).clone());
        }
        let overview = self
            .compute_overview(actor, scoped.municipality.as_deref(), period)
            .await?;
        let mut cache = self.overviews.lock().unwrap_or_else(|p| p.into_inner());
        if cache.generation != generation {
            *cache = OverviewCache {
                generation,
                overviews: HashMap::new(),
            };
        }
        cache.overviews.insert(key, Arc::new(overview.clone()));
        Ok(overview)
    }

    async fn compute_overview(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        period: Month,
    ) -> Result<MunicipalOverview, AppError> {
        let plans = self.body_plans(actor, municipality).await?;
        let mut data = Vec::new();
        for plan in &plans {
            let (progress, published) = self.progress(actor, plan, period).await?;
            // The body's operating total as its own report prints it (whole tkr, the sum of
            // its printed lines), so that the bodies' rows and their sum add up as printed.
            let economy = if published {
                self.economy(plan, period)
                    .await?
                    .in_whole(MoneyUnit::Tkr)
                    .rows
                    .into_iter()
                    .find(|row| row.kind == RowKind::OperatingTotal)
            } else {
                None
            };
            let entries = self.period_entries(actor, plan, period).await?;
            let previous = if published {
                self.previous_operating_total(plan, period).await?
            } else {
                None
            };
            data.push(BodyData {
                plan,
                economy,
                progress,
                entries,
                previous,
            });
        }
        styr_reports::municipal::overview(&plans, &data, period)
            .ok_or_else(|| AppError::NotFound("det finns ingen plan i databasen".to_owned()))
    }

    /// Whether a body's follow-up of the period may be shown to the actor (the public sees
    /// closed periods only).
    pub(crate) async fn period_visible(
        &self,
        actor: &Actor,
        plan: &Plan,
        period: Month,
    ) -> Result<bool, AppError> {
        Ok(self.progress(actor, plan, period).await?.1)
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
pub(crate) fn selector_of(plan: &Plan) -> PlanSelector {
    PlanSelector {
        municipality: Some(plan.municipality.id.as_str().to_owned()),
        body: Some(plan.document.body.as_str().to_owned()),
        version: Some(plan.budget.version.id.as_str().to_owned()),
    }
}

impl App {
    /// The whole municipality's report of a period, of one of the kinds of
    /// [`styr_reports::kinds`]: KF's goals rolled up, the driftredovisning per nämnd with its
    /// totals ([`App::municipal_overview`]) and each body's own report of the period as a part,
    /// as [`App::render_period_report`] renders it for the body alone. A body whose calendar
    /// has no such period (or, for the public, has not closed it) is in the tables but has no
    /// part. A period that is of another kind for every body is refused.
    pub async fn render_municipal_report(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        kind: &ReportKind,
        period: Month,
        format: DocumentFormat,
    ) -> Result<RenderedReport, AppError> {
        self.render_municipal_report_traced(actor, municipality, kind, period, format, None)
            .await
    }

    /// [`App::render_municipal_report`] with each traced figure a link to `BASE/spar/…`
    /// (`styr_docgen::trace`); without a base (or, for a PDF, an absolute one) plain text.
    pub async fn render_municipal_report_traced(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        kind: &ReportKind,
        period: Month,
        format: DocumentFormat,
        base: Option<&str>,
    ) -> Result<RenderedReport, AppError> {
        let overview = self.municipal_overview(actor, municipality, period).await?;
        let parts = self.report_parts(actor, &overview, kind, period).await?;
        let reasons: Vec<String> = parts
            .iter()
            .filter_map(|(plan, report)| {
                let reason = report.completeness.reason_sv()?;
                let name = plan
                    .body(&plan.document.body)
                    .map_or_else(|| plan.document.body.to_string(), |b| b.name.clone());
                Some(format!("{name}: {reason}"))
            })
            .collect();
        let mut document = styr_docgen::compose_municipal_report(&overview, &parts);
        let bytes = match format {
            DocumentFormat::Html => {
                styr_docgen::trace::link_traces(&mut document, base);
                styr_docgen::render_document_html(&document).into_bytes()
            }
            DocumentFormat::Pdf => {
                let base = base.filter(|b| styr_docgen::is_absolute(b));
                styr_docgen::trace::link_traces(&mut document, base);
                styr_docgen::render_document_pdf(&document)?
            }
        };
        Ok(RenderedReport {
            bytes,
            preliminary: (!reasons.is_empty()).then(|| reasons.join(" ")),
        })
    }

    /// Each body's own report of the period, in the overview's order, as the actor may see
    /// them: a body whose calendar has no such period (or, for the public, has not closed it)
    /// has none. A period that is of another kind for every body is refused.
    pub(crate) async fn report_parts(
        &self,
        actor: &Actor,
        overview: &MunicipalOverview,
        kind: &ReportKind,
        period: Month,
    ) -> Result<Vec<(Plan, styr_reports::PeriodReport)>, AppError> {
        let plans = self
            .body_plans(actor, Some(overview.municipality.as_str()))
            .await?;
        let order = overview
            .bodies
            .iter()
            .map(|b| &b.body)
            .chain(overview.companies.iter().map(|c| &c.body));
        let mut parts = Vec::new();
        let mut other_kind = None;
        for body in order {
            let Some(plan) = plans
                .iter()
                .find(|p| &p.document.body == body && !is_council(p))
            else {
                continue;
            };
            let Some(calendar) = plan.periods.iter().find(|p| p.month == period) else {
                continue;
            };
            if calendar.kind != kind.period {
                other_kind = Some(calendar.clone());
                continue;
            }
            if actor.role == Role::Public && calendar.state != PeriodState::Closed {
                continue;
            }
            parts.push(
                self.period_report_named(actor, &selector_of(plan), period, true)
                    .await?,
            );
        }
        if parts.is_empty()
            && let Some(calendar) = other_kind
        {
            return Err(AppError::invalid(
                "period",
                format!(
                    "{} är en {}, inte en {}",
                    calendar.title,
                    calendar.kind.label_sv(),
                    kind.name_sv
                ),
            ));
        }
        Ok(parts)
    }
}
