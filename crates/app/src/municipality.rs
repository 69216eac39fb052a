//! The whole municipality at once (issue 20): for a follow-up period, every body's frame, budget,
//! outcome to date, forecast and deviation, and its reporting progress; KF's goals with each
//! body's assessment of the goals that break them down and the rolled-up assessment. The web's
//! `/kommun` page and the municipal delårsrapport take it from here.
//!
//! Nothing is computed twice: a body's figures are its own budget vs actual (the operating
//! total of [`App::budget_vs_actual`]'s report), its progress is [`App::period_due`], the
//! totals are [`styr_reports::total_of`] over the rows shown, and the roll-up is the domain's
//! rule ([`styr_domain::assessment::roll_up`]).

use crate::{Actor, App, AppError, PlanSelector, Role};
use rust_decimal::Decimal;
use styr_domain::assessment::{RolledUp, roll_up};
use styr_domain::budget::VersionKind;
use styr_domain::followup::{GoalAssessment, PeriodState, ReportEntry, ReportedEntry};
use styr_domain::ledger::Month;
use styr_domain::org::BodyKind;
use styr_domain::{Id, Money, Plan};
use styr_reports::{ReportRow, RowKind, Section, total_of};
use styr_store::EntryFilter;

/// The municipality's follow-up of a period, body by body.
#[derive(Debug, Clone)]
pub struct MunicipalOverview {
    pub municipality: Id,
    pub municipality_name: String,
    pub period: Month,
    /// KF's plan, when the municipality holds it: its body and the decision of its budget.
    pub council: Option<CouncilPlan>,
    /// Every nämnd and styrelse: those KF gives a frame for the year and those with a plan of
    /// their own, in KF's order, then by id. Their figures make the driftredovisning.
    pub bodies: Vec<BodyOverview>,
    /// The companies (kommunala bolag): outside the driftredovisning and its totals.
    pub companies: Vec<CompanyOverview>,
    /// The sums of the rows of `bodies` (companies are not in them).
    pub totals: MunicipalTotals,
    /// KF's goals with every body's contribution and the rolled-up assessment; empty without
    /// KF's plan.
    pub goals: Vec<CouncilGoal>,
}

/// KF's plan in the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilPlan {
    pub body: Id,
    pub title: String,
    pub version: Id,
    /// The decision that sets KF's budget ("KF 2020-11-09 § 185"), if the plan names it.
    pub decision: Option<Id>,
}

/// A body's latest plan.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyPlan {
    pub version: Id,
    pub kind: VersionKind,
    pub title: String,
}

/// Where a body's frame comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameSource {
    /// KF's plan (`council.toml`).
    Council,
    /// The body's own plan (its `[[frame]]`), as KF's plan is not in the database.
    Own,
}

/// A body's frame (ram) for the period's year.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameFigure {
    pub amount: Money,
    pub source: FrameSource,
    /// The decision that sets it (KF's budget's when the frame names none).
    pub decision: Option<Id>,
}

/// A body's reporting in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The body has no plan in the database.
    NoPlan,
    /// The body's calendar has no such period.
    NoPeriod,
    /// The period is open and the reader is the public: not published.
    NotPublished,
    /// What the period asks of the body ([`App::period_due`]): the required items reported
    /// of those due, how many of the missing ones are late, and the period's state.
    Due {
        reported: usize,
        due: usize,
        late: usize,
        state: PeriodState,
    },
}

impl Progress {
    /// The required items reported and due; `None` when there is no period to report.
    pub fn counts(&self) -> Option<(usize, usize)> {
        match self {
            Progress::Due { reported, due, .. } => Some((*reported, *due)),
            _ => None,
        }
    }

    /// In Swedish, for a table cell: "12 av 40", "ingen plan", "perioden finns inte".
    pub fn label_sv(&self) -> String {
        match self {
            Progress::NoPlan => "ingen plan".to_owned(),
            Progress::NoPeriod => "perioden finns inte".to_owned(),
            Progress::NotPublished => "ej publicerad".to_owned(),
            Progress::Due { reported, due, .. } => format!("{reported} av {due}"),
        }
    }
}

/// A nämnd or styrelse in the overview.
#[derive(Debug, Clone)]
pub struct BodyOverview {
    pub body: Id,
    pub name: String,
    pub kind: BodyKind,
    /// Its latest plan; `None`: no plan in the database (KF gives it a frame only).
    pub plan: Option<BodyPlan>,
    /// KF's frame for the year, else the body's own plan's.
    pub frame: Option<FrameFigure>,
    /// The operating total ("Summa driftbudget") of the body's own budget vs actual for the
    /// period: annual budget, budget and outcome to date, deviation, forecast and its
    /// deviation, exactly as the body's report shows them. `None`: no plan, no operating
    /// budget, or not published.
    pub economy: Option<ReportRow>,
    pub progress: Progress,
}

impl BodyOverview {
    /// The body's budget for the year: its operating total.
    pub fn budget(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.cell.budget()?.annual)
    }

    /// The outcome to date.
    pub fn actual(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.cell.actual()?.to_date)
    }

    /// The full-year forecast.
    pub fn forecast(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.forecast?.1)
    }

    /// Annual budget − forecast (positive: a surplus for the year).
    pub fn forecast_deviation(&self) -> Option<Money> {
        self.economy.as_ref()?.forecast_deviation
    }
}

/// A company in the overview.
#[derive(Debug, Clone)]
pub struct CompanyOverview {
    pub body: Id,
    pub name: String,
    /// The municipality's share (ägarandel), in percent.
    pub ownership_percent: Option<Decimal>,
    pub plan: Option<BodyPlan>,
    /// KF's requirement on its result (its frame in KF's plan).
    pub requirement: Option<FrameFigure>,
    /// Resultat före skatt of its own budget for the year.
    pub budgeted_result: Option<Money>,
    pub progress: Progress,
}

/// The sums of the bodies' rows.
#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalTotals {
    /// Σ the frames shown.
    pub frame: Money,
    /// Σ the bodies' operating totals, column by column ([`styr_reports::total_of`]);
    /// `None` when no body has figures.
    pub economy: Option<ReportRow>,
    /// Σ required items reported, Σ due, over the bodies with a period.
    pub reported: usize,
    pub due: usize,
}

impl MunicipalTotals {
    pub fn budget(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.cell.budget()?.annual)
    }

    pub fn actual(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.cell.actual()?.to_date)
    }

    pub fn forecast(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.forecast?.1)
    }

    pub fn forecast_deviation(&self) -> Option<Money> {
        self.economy.as_ref()?.forecast_deviation
    }
}

/// One body's goal under a KF goal, with its assessment for the period.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    pub body: Id,
    pub body_name: String,
    pub goal: Id,
    pub title: String,
    /// `None`: not assessed for the period.
    pub assessment: Option<GoalAssessment>,
    pub motivation: Option<String>,
}

/// A KF goal with the bodies' contributions and the rolled-up assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilGoal {
    pub goal: Id,
    pub number: u32,
    pub title: String,
    pub contributions: Vec<Contribution>,
    pub rolled_up: RolledUp,
}

impl App {
    /// The municipal roll-up of a period: every body's latest plan, its frame (KF's when KF's
    /// plan is there), its budget, outcome, forecast and deviation as its own budget vs actual
    /// computes them, its reporting progress, the totals of those rows, and KF's goals rolled
    /// up from the bodies' assessments. `municipality`: `None` for the only one in the
    /// database.
    pub async fn municipal_overview(
        &self,
        actor: &Actor,
        municipality: Option<&str>,
        period: Month,
    ) -> Result<MunicipalOverview, AppError> {
        let plans = self.body_plans(actor, municipality).await?;
        let Some(first) = plans.first() else {
            return Err(AppError::NotFound(
                "det finns ingen plan i databasen".to_owned(),
            ));
        };
        let municipality = first.municipality.id.clone();
        let municipality_name = first.municipality.name.clone();
        let council_plan = plans.iter().find(|plan| is_council(plan));
        let year = period.year();

        // The bodies: KF's frames first (in KF's order), then every other plan's body.
        let mut order: Vec<Id> = Vec::new();
        if let Some(council) = council_plan.and_then(|p| p.council.as_ref()) {
            for frame in council.frames.iter().filter(|f| f.year == year) {
                if !order.contains(&frame.body) {
                    order.push(frame.body.clone());
                }
            }
        }
        for plan in &plans {
            if !is_council(plan) && !order.contains(&plan.document.body) {
                order.push(plan.document.body.clone());
            }
        }

        let mut bodies = Vec::new();
        let mut companies = Vec::new();
        let mut entries_by_body: Vec<(&Plan, Vec<ReportedEntry>)> = Vec::new();
        for body in order {
            let plan = plans
                .iter()
                .find(|p| p.document.body == body && !is_council(p));
            let described = describe_body(&body, plan, council_plan, &plans);
            let kf_frame = council_plan.and_then(|council| {
                let budget = council.council.as_ref()?;
                let frame = budget.frame(&body, year)?;
                Some(FrameFigure {
                    amount: frame.amount,
                    source: FrameSource::Council,
                    decision: budget.frame_decision(frame).cloned(),
                })
            });
            let plan_ref = plan.map(|plan| BodyPlan {
                version: plan.budget.version.id.clone(),
                kind: plan.budget.version.kind,
                title: plan.document.title.clone(),
            });
            let (progress, published) = match plan {
                Some(plan) => self.progress(actor, plan, period).await?,
                None => (Progress::NoPlan, false),
            };
            if let Some(plan) = plan {
                let entries = self.period_entries(actor, plan, period).await?;
                entries_by_body.push((plan, entries));
            }
            if described.kind == BodyKind::Company {
                companies.push(CompanyOverview {
                    body: body.clone(),
                    name: described.name,
                    ownership_percent: described.ownership_percent,
                    plan: plan_ref,
                    requirement: kf_frame,
                    budgeted_result: plan
                        .and_then(|p| p.company.as_ref())
                        .and_then(|c| c.year(year))
                        .map(|y| y.result_before_tax),
                    progress,
                });
                continue;
            }
            let frame = kf_frame.or_else(|| {
                let plan = plan?;
                let frame = plan.budget.frame(year)?;
                Some(FrameFigure {
                    amount: frame.amount,
                    source: FrameSource::Own,
                    decision: frame.decision.clone(),
                })
            });
            let economy = match plan {
                Some(plan) if published => self
                    .economy(plan, period)
                    .await?
                    .rows
                    .into_iter()
                    .find(|row| row.kind == RowKind::OperatingTotal),
                _ => None,
            };
            bodies.push(BodyOverview {
                body,
                name: described.name,
                kind: described.kind,
                plan: plan_ref,
                frame,
                economy,
                progress,
            });
        }

        let totals = MunicipalTotals {
            frame: bodies
                .iter()
                .filter_map(|b| b.frame.as_ref().map(|f| f.amount))
                .sum(),
            economy: total_of(
                RowKind::OperatingTotal,
                Section::Operating,
                "Summa nämnder och styrelser",
                bodies.iter().filter_map(|b| b.economy.as_ref()),
            ),
            reported: bodies
                .iter()
                .filter_map(|b| b.progress.counts())
                .map(|(r, _)| r)
                .sum(),
            due: bodies
                .iter()
                .filter_map(|b| b.progress.counts())
                .map(|(_, d)| d)
                .sum(),
        };

        let goals = match council_plan {
            Some(council) => council_goals(council, &entries_by_body, &plans),
            None => Vec::new(),
        };

        Ok(MunicipalOverview {
            municipality,
            municipality_name,
            period,
            council: council_plan.map(|plan| CouncilPlan {
                body: plan.document.body.clone(),
                title: plan.document.title.clone(),
                version: plan.budget.version.id.clone(),
                decision: plan.council.as_ref().and_then(|c| c.decision.clone()),
            }),
            bodies,
            companies,
            totals,
            goals,
        })
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

/// KF's plan: it holds KF's budget, or it is the council's own plan.
pub(crate) fn is_council(plan: &Plan) -> bool {
    plan.council.is_some()
        || plan
            .body(&plan.document.body)
            .is_some_and(|body| body.kind == BodyKind::Council)
}

struct Described {
    name: String,
    kind: BodyKind,
    ownership_percent: Option<Decimal>,
}

/// A body's name and kind: as its own plan says, else KF's, else any plan's.
fn describe_body(id: &Id, own: Option<&Plan>, council: Option<&Plan>, all: &[Plan]) -> Described {
    own.into_iter()
        .chain(council)
        .chain(all)
        .find_map(|plan| plan.body(id))
        .map_or_else(
            || Described {
                name: id.to_string(),
                kind: BodyKind::Board,
                ownership_percent: None,
            },
            |body| Described {
                name: body.name.clone(),
                kind: body.kind,
                ownership_percent: body.ownership_percent,
            },
        )
}

/// KF's goals, each with the goals of the bodies' plans that name it as parent, their
/// assessments for the period and the rolled-up assessment.
fn council_goals(
    council: &Plan,
    entries: &[(&Plan, Vec<ReportedEntry>)],
    all: &[Plan],
) -> Vec<CouncilGoal> {
    council
        .goals
        .iter()
        .map(|kf_goal| {
            let mut contributions = Vec::new();
            for (plan, entries) in entries {
                for goal in plan
                    .goals
                    .iter()
                    .filter(|g| g.parent.as_ref() == Some(&kf_goal.id))
                {
                    let assessed = entries.iter().rev().find_map(|e| match &e.report.entry {
                        ReportEntry::Assessment {
                            goal: assessed,
                            assessment,
                            motivation,
                        } if assessed == &goal.id => Some((*assessment, motivation.clone())),
                        _ => None,
                    });
                    let body = &plan.document.body;
                    contributions.push(Contribution {
                        body: body.clone(),
                        body_name: describe_body(body, Some(plan), Some(council), all).name,
                        goal: goal.id.clone(),
                        title: goal.title.clone(),
                        assessment: assessed.as_ref().map(|(a, _)| *a),
                        motivation: assessed.map(|(_, m)| m),
                    });
                }
            }
            let given: Vec<(Id, Option<GoalAssessment>)> = contributions
                .iter()
                .map(|c| (c.body.clone(), c.assessment))
                .collect();
            CouncilGoal {
                goal: kf_goal.id.clone(),
                number: kf_goal.number,
                title: kf_goal.title.clone(),
                rolled_up: roll_up(&given),
                contributions,
            }
        })
        .collect()
}
