//! The whole municipality at once (issue 20), as a plain value: for a follow-up period, every
//! body's frame, budget, outcome to date, forecast and deviation and its reporting progress; KF's
//! goals with each body's assessment of the goals that break them down and the rolled-up
//! assessment. `styr_app::App::municipal_overview` loads the data and calls [`overview`]; the
//! web's `/kommun` page and the municipal delårsrapport show the value.
//!
//! The rules, once:
//! - The bodies are those KF gives a frame for the period's year (in KF's order) and those with
//!   a plan of their own (then by id); companies are listed apart and are not in the totals.
//! - A body's frame is KF's (`council.toml`, with its decision, else KF's budget's decision);
//!   without KF's plan the body's own plan's frame, marked so ([`FrameSource::Own`]).
//! - A body's budget is its allocation for the year as its own tables compute it
//!   (`Budget::operating_total`); its outcome, forecast and deviation are the operating total
//!   ("Summa driftbudget") of its own budget vs actual: nothing is recomputed here.
//! - A body's progress is what its calendar's period asks of it (`App::period_due`): required
//!   items reported of those due; a body without a plan, without the period, or whose period
//!   the public may not see yet says so ([`Progress`]).
//! - The totals are the sums of the rows shown: the frames, the economy by [`total_of`] (the same
//!   rule as every total of one report), the reported and due counts.
//! - A KF goal's assessment is the domain's roll-up ([`styr_domain::assessment::roll_up`]) of
//!   the assessments of the bodies' goals whose `parent` is the KF goal.
//! - The driftredovisning per nämnd (RKR R14): a body's budget is KF's frame at the start of the
//!   year; its anslagsförändringar are KF's `[[appropriation_change]]` decisions of the year
//!   decided up to the period's last day; budget efter förändringar = ram + Σ förändringar;
//!   avvikelse = budget efter förändringar − helårsprognos (at December the prognos is the
//!   outcome); the previous year's same period (R17) is the outcome of the body's own budget
//!   vs actual for the same month a year earlier. Each total is the sum of the rows shown.

use crate::{ReportRow, RowKind, Section, total_of};
use rust_decimal::Decimal;
use styr_domain::assessment::{RolledUp, roll_up};
use styr_domain::budget::VersionKind;
use styr_domain::council::AppropriationChange;
use styr_domain::followup::{GoalAssessment, PeriodState, ReportEntry, ReportedEntry};
use styr_domain::ledger::Month;
use styr_domain::number::MoneyUnit;
use styr_domain::org::BodyKind;
use styr_domain::{Id, Money, Plan};

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
    /// Koncernens sammanställda budgeterade resultat for the year (KF's result, each company's
    /// result before tax by ägarandel, KF's stated eliminations): with KF's plan and at least
    /// one company. In whole tkr as printed (`Consolidated::in_whole`): its rows add up to its
    /// result.
    pub koncern: Option<styr_domain::koncern::Consolidated>,
}

/// KF's plan in the overview.
#[derive(Debug, Clone, PartialEq)]
pub struct CouncilPlan {
    pub body: Id,
    /// Its name ("Kommunfullmäktige").
    pub name: String,
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
    /// What the period asks of the body (`App::period_due`): the required items reported
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
    /// The body's budget for the year: its allocation as its own operating tables compute it
    /// (`Budget::operating_total`: the summary table's sum, else every table's).
    pub budget: Option<Money>,
    /// The operating total ("Summa driftbudget") of the body's own budget vs actual for the
    /// period: annual budget, budget and outcome to date, deviation, forecast and its
    /// deviation, exactly as the body's report shows them. `None`: no plan, no operating
    /// budget, or not published.
    pub economy: Option<ReportRow>,
    pub progress: Progress,
    /// KF's anslagsförändringar of the year for the body, decided up to the period's end.
    pub appropriations: Vec<AppropriationChange>,
    /// The operating total of the body's budget vs actual for the same period a year earlier
    /// (R17); `None` when no ledger of that year is held or it is not to be shown.
    pub previous: Option<ReportRow>,
}

impl BodyOverview {
    /// Σ the anslagsförändringar shown.
    pub fn appropriation_sum(&self) -> Money {
        self.appropriations.iter().map(|c| c.amount).sum()
    }

    /// Budget efter förändringar: the frame + Σ anslagsförändringar; `None` without a frame.
    pub fn budget_after_changes(&self) -> Option<Money> {
        Some(self.frame.as_ref()?.amount + self.appropriation_sum())
    }

    /// Avvikelse (R14) = budget efter förändringar − helårsprognos (positive: a surplus).
    pub fn deviation_after_changes(&self) -> Option<Money> {
        Some(self.budget_after_changes()? - self.forecast()?)
    }

    /// The outcome of the same period a year earlier.
    pub fn previous_actual(&self) -> Option<Money> {
        Some(self.previous.as_ref()?.cell.actual()?.to_date)
    }

    /// The outcome to date.
    pub fn actual(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.cell.actual()?.to_date)
    }

    /// The full-year forecast.
    pub fn forecast(&self) -> Option<Money> {
        Some(self.economy.as_ref()?.forecast?.1)
    }

    /// The budget of its budget vs actual − its forecast (positive: a surplus for the year).
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
    /// Σ the budgets shown (the bodies' allocations).
    pub budget: Money,
    /// Σ the bodies' operating totals, column by column ([`total_of`]);
    /// `None` when no body has figures.
    pub economy: Option<ReportRow>,
    /// Σ required items reported, Σ due, over the bodies with a period.
    pub reported: usize,
    pub due: usize,
    /// Σ the bodies' anslagsförändringar.
    pub appropriations: Money,
    /// Σ the bodies' budgets after changes (of those with a frame).
    pub budget_after_changes: Money,
    /// Σ the bodies' deviations after changes, of those that have one; `None` when none has.
    pub deviation_after_changes: Option<Money>,
    /// Σ the bodies' outcomes of the same period a year earlier; `None` when none has one.
    pub previous_actual: Option<Money>,
}

impl MunicipalTotals {
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

/// What the app loaded for one body's plan (KF's included).
#[derive(Debug, Clone)]
pub struct BodyData<'a> {
    pub plan: &'a Plan,
    /// The operating total of the body's budget vs actual for the period; `None`: none, or not
    /// to be shown to the reader.
    pub economy: Option<ReportRow>,
    pub progress: Progress,
    /// The body's current reports of the period (as the reader may see them).
    pub entries: Vec<ReportedEntry>,
    /// The operating total of the body's budget vs actual for the same month a year earlier.
    pub previous: Option<ReportRow>,
}

/// The overview of a period from every body's latest plan (`plans`, KF's included) and what
/// was loaded for each of them (`data`). `None` when there is no plan.
pub fn overview(plans: &[Plan], data: &[BodyData<'_>], period: Month) -> Option<MunicipalOverview> {
    let first = plans.first()?;
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
    for loaded in data.iter().filter(|d| !is_council(d.plan)) {
        if !order.contains(&loaded.plan.document.body) {
            order.push(loaded.plan.document.body.clone());
        }
    }

    let mut bodies = Vec::new();
    let mut companies = Vec::new();
    for body in order {
        let loaded = data.iter().find(|d| d.plan.document.body == body);
        // KF's own row (when KF gives itself a frame) is its plan's.
        let plan = loaded.map(|d| d.plan);
        let described = describe_body(&body, plan, council_plan, plans);
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
        let progress = loaded.map_or(Progress::NoPlan, |d| d.progress);
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
            let frame = plan?.budget.frame(year)?;
            Some(FrameFigure {
                amount: frame.amount,
                source: FrameSource::Own,
                decision: frame.decision.clone(),
            })
        });
        let appropriations = council_plan
            .and_then(|p| p.council.as_ref())
            .map(|council| {
                council
                    .appropriation_changes_until(&body, year, &period_end(period))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        bodies.push(BodyOverview {
            body,
            name: described.name,
            kind: described.kind,
            plan: plan_ref,
            frame,
            budget: plan.and_then(|p| p.budget.operating_total(year)),
            economy: loaded.and_then(|d| d.economy.clone()),
            progress,
            appropriations,
            previous: loaded.and_then(|d| d.previous.clone()),
        });
    }

    let counts = || bodies.iter().filter_map(|b| b.progress.counts());
    let totals = MunicipalTotals {
        frame: bodies
            .iter()
            .filter_map(|b| b.frame.as_ref().map(|f| f.amount))
            .sum(),
        budget: bodies.iter().filter_map(|b| b.budget).sum(),
        economy: total_of(
            RowKind::OperatingTotal,
            Section::Operating,
            TOTAL_LABEL,
            bodies.iter().filter_map(|b| b.economy.as_ref()),
        ),
        reported: counts().map(|(r, _)| r).sum(),
        due: counts().map(|(_, d)| d).sum(),
        appropriations: bodies.iter().map(BodyOverview::appropriation_sum).sum(),
        budget_after_changes: bodies
            .iter()
            .filter_map(BodyOverview::budget_after_changes)
            .sum(),
        deviation_after_changes: sum_some(bodies.iter().map(BodyOverview::deviation_after_changes)),
        previous_actual: sum_some(bodies.iter().map(BodyOverview::previous_actual)),
    };

    // The bodies' goals in the order the bodies are shown.
    let shown: Vec<&BodyData<'_>> = bodies
        .iter()
        .map(|b| &b.body)
        .chain(companies.iter().map(|c| &c.body))
        .filter_map(|body| {
            data.iter()
                .find(|d| &d.plan.document.body == body && !is_council(d.plan))
        })
        .collect();
    let goals = match council_plan {
        Some(council) => council_goals(council, &shown, plans),
        None => Vec::new(),
    };

    Some(MunicipalOverview {
        municipality: first.municipality.id.clone(),
        municipality_name: first.municipality.name.clone(),
        period,
        council: council_plan.map(|plan| CouncilPlan {
            body: plan.document.body.clone(),
            name: describe_body(&plan.document.body, Some(plan), None, plans).name,
            title: plan.document.title.clone(),
            version: plan.budget.version.id.clone(),
            decision: plan.council.as_ref().and_then(|c| c.decision.clone()),
        }),
        // As the overview's tables print it (whole tkr that add up), as the bodies' rows are.
        koncern: council_plan
            .filter(|_| !companies.is_empty())
            .map(|council| {
                styr_domain::koncern::consolidate(council, plans, year).in_whole(MoneyUnit::Tkr)
            }),
        bodies,
        companies,
        totals,
        goals,
    })
}

/// The sum of the amounts that are there; `None` when none is.
pub fn sum_some(amounts: impl IntoIterator<Item = Option<Money>>) -> Option<Money> {
    amounts.into_iter().flatten().fold(None, |sum, amount| {
        Some(sum.unwrap_or(Money::ZERO) + amount)
    })
}

/// The last day of a period's month, `YYYY-MM-DD`: decisions dated up to it count.
pub fn period_end(period: Month) -> String {
    format!(
        "{}-{:02}-{:02}",
        period.year(),
        period.month(),
        period.days()
    )
}

/// The label of the totals' row.
pub const TOTAL_LABEL: &str = "Summa nämnder och styrelser";

/// KF's plan: it holds KF's budget, or it is the council's own plan.
pub fn is_council(plan: &Plan) -> bool {
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
fn council_goals(council: &Plan, data: &[&BodyData<'_>], all: &[Plan]) -> Vec<CouncilGoal> {
    council
        .goals
        .iter()
        .map(|kf_goal| {
            let mut contributions = Vec::new();
            for BodyData { plan, entries, .. } in data {
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
