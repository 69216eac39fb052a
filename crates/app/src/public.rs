//! The public site: what anyone may read without logging in, for one municipality. Only decided
//! content is public: each body's latest decided budget version (`VersionKind::is_public`), never
//! a draft (a proposal, or an adjusted version not yet decided) imported after it, and the follow-up of closed periods only (reports of an open period are
//! still drafts). Every value here is computed as the public ([`Actor::public`]) whoever asks,
//! and kept until the change counter moves ([`App::computed`]); the pages built from them are
//! therefore the same for every visitor.

use crate::{Actor, App, AppError, PlanSelector, StoreError};
use rust_decimal::Decimal;
use std::sync::Arc;
use styr_docgen::Document;
use styr_domain::assignment::AssignmentStatus;
use styr_domain::budget::VersionKind;
use styr_domain::followup::{FollowUpPeriod, GoalAssessment, PeriodState, TargetStatus};
use styr_domain::ledger::Month;
use styr_domain::{Id, Money, Plan, Year};
use styr_reports::{PeriodReport, ReportKind};

/// A body's decided plan, as the public sees it.
#[derive(Debug, Clone)]
pub struct PublicPlan {
    pub body: Id,
    pub body_name: String,
    pub plan: Arc<Plan>,
}

/// A closed period of a body whose report (delårsrapport, annual report) is public.
#[derive(Debug, Clone)]
pub struct PublicReport {
    pub body: Id,
    pub body_name: String,
    pub period: FollowUpPeriod,
    pub kind_name: &'static str,
}

/// What the public site holds for one municipality.
#[derive(Debug, Clone)]
pub struct PublicSite {
    pub municipality: String,
    pub municipality_name: String,
    /// One per body with a decided plan, in body id order (KF's first when it is `kf`).
    pub plans: Vec<PublicPlan>,
    /// Every closed period with a report kind, per body, newest first.
    pub reports: Vec<PublicReport>,
}

impl PublicSite {
    /// The years the decided plans cover, ascending.
    pub fn years(&self) -> Vec<Year> {
        let mut years: Vec<Year> = self
            .plans
            .iter()
            .flat_map(|p| p.plan.document.years.iter().copied())
            .collect();
        years.sort();
        years.dedup();
        years
    }

    pub fn plan(&self, body: &str) -> Option<&PublicPlan> {
        self.plans.iter().find(|p| p.body.as_str() == body)
    }

    pub fn report(&self, body: &str, month: Month) -> Option<&PublicReport> {
        self.reports
            .iter()
            .find(|r| r.body.as_str() == body && r.period.month == month)
    }
}

/// A closed period's report as a document, with the values it was made from.
#[derive(Debug, Clone)]
pub struct PublicReportPage {
    pub body_name: String,
    pub period: FollowUpPeriod,
    pub document: Document,
}

/// One body's money in a year: its frame.
#[derive(Debug, Clone, PartialEq)]
pub struct BodyMoney {
    pub body_name: String,
    pub amount: Money,
}

/// A goal with its latest public assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalLine {
    pub body_name: String,
    pub title: String,
    pub assessment: Option<GoalAssessment>,
    /// The closed period the assessment was made in.
    pub period: Option<String>,
}

/// A goal area (målområde) with its goals.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaSummary {
    pub name: String,
    pub goals: Vec<GoalLine>,
}

/// An assignment with its latest public status.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentLine {
    pub body_name: String,
    pub label: String,
    pub status: Option<AssignmentStatus>,
    pub period: Option<String>,
}

/// The citizen summary of a year: where the money goes, the goals with their latest
/// assessment, the assignments with their status.
#[derive(Debug, Clone, PartialEq)]
pub struct CitizenSummary {
    pub year: Year,
    /// Per body: KF's frame when KF's decided plan sets one, else the body's own frame.
    pub money: Vec<BodyMoney>,
    /// The sum of `money`'s rows.
    pub total: Money,
    /// Whose frames these are, in words.
    pub money_source: String,
    pub areas: Vec<AreaSummary>,
    pub assignments: Vec<AssignmentLine>,
    /// The closed periods the assessments and statuses come from.
    pub periods: Vec<String>,
}

/// An indicator's latest public outcome against its target.
#[derive(Debug, Clone, PartialEq)]
pub struct BarometerIndicator {
    pub name: String,
    pub unit: Option<String>,
    pub outcome: Option<Decimal>,
    pub target: Option<Decimal>,
    /// `None`: no outcome reported.
    pub status: Option<TargetStatus>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BarometerGoal {
    pub title: String,
    pub assessment: Option<GoalAssessment>,
    pub indicators: Vec<BarometerIndicator>,
}

/// One body's goals as of its latest closed period with a report.
#[derive(Debug, Clone, PartialEq)]
pub struct BarometerBody {
    pub body_name: String,
    /// The closed period the figures are from; `None`: no period is closed yet.
    pub period: Option<String>,
    pub goals: Vec<BarometerGoal>,
}

impl App {
    /// The public's actor for `actor`'s municipality: whoever asks, the public site shows what
    /// the public may see.
    fn public_actor(actor: &Actor) -> Actor {
        Actor::public(actor.municipality.clone())
    }

    /// The municipality's public site: every body's latest decided plan and the closed
    /// periods' reports. Not found when no plan is decided; several municipalities without a
    /// chosen one is `AmbiguousMunicipality`.
    pub async fn public_site(&self, actor: &Actor) -> Result<Arc<PublicSite>, AppError> {
        let public = Self::public_actor(actor);
        let key = format!("public site {:?}", public.municipality);
        self.computed(key, async || self.compute_public_site(&public).await)
            .await
    }

    async fn compute_public_site(&self, public: &Actor) -> Result<PublicSite, AppError> {
        let keys = self.plans(public).await?;
        let mut municipalities: Vec<&str> = keys.iter().map(|k| k.municipality.as_str()).collect();
        municipalities.sort();
        municipalities.dedup();
        let municipality = match municipalities.as_slice() {
            [] => {
                return Err(AppError::NotFound(
                    "ingen beslutad plan är publicerad ännu".to_owned(),
                ));
            }
            [one] => (*one).to_owned(),
            several => {
                return Err(AppError::Store(StoreError::AmbiguousMunicipality(
                    several.iter().map(|m| (*m).to_owned()).collect(),
                )));
            }
        };
        // The latest decided version of each body (`plans` are in import order).
        let mut chosen: Vec<(String, String)> = Vec::new();
        for key in keys.iter().filter(|k| k.municipality == municipality) {
            if !VersionKind::code_is_public(&key.kind) {
                continue;
            }
            match chosen.iter_mut().find(|(body, _)| *body == key.body) {
                Some(entry) => entry.1 = key.version.clone(),
                None => chosen.push((key.body.clone(), key.version.clone())),
            }
        }
        chosen.sort();
        let mut plans = Vec::new();
        for (body, version) in chosen {
            let selector = PlanSelector {
                municipality: Some(municipality.clone()),
                body: Some(body),
                version: Some(version),
            };
            let plan = self.shared_plan(public, &selector).await?;
            let body = plan.document.body.clone();
            let body_name = plan
                .body(&body)
                .map_or_else(|| body.to_string(), |b| b.name.clone());
            plans.push(PublicPlan {
                body,
                body_name,
                plan,
            });
        }
        let Some(first) = plans.first() else {
            return Err(AppError::NotFound(
                "ingen beslutad plan är publicerad ännu".to_owned(),
            ));
        };
        let municipality_name = first.plan.municipality.name.clone();
        let mut reports: Vec<PublicReport> = plans
            .iter()
            .flat_map(|p| {
                p.plan
                    .periods
                    .iter()
                    .filter(|period| period.state == PeriodState::Closed)
                    .filter_map(|period| {
                        ReportKind::for_period(period.kind).map(|kind| PublicReport {
                            body: p.body.clone(),
                            body_name: p.body_name.clone(),
                            period: period.clone(),
                            kind_name: kind.name_sv,
                        })
                    })
            })
            .collect();
        reports.sort_by(|a, b| {
            b.period
                .month
                .cmp(&a.period.month)
                .then(a.body.cmp(&b.body))
        });
        Ok(PublicSite {
            municipality,
            municipality_name,
            plans,
            reports,
        })
    }

    /// The selector of a body's decided plan on the public site; not found for a body without
    /// one.
    fn public_selector(site: &PublicSite, body: &str) -> Result<PlanSelector, AppError> {
        let plan = site
            .plan(body)
            .ok_or_else(|| AppError::NotFound(format!("organet {body} har ingen beslutad plan")))?;
        Ok(PlanSelector {
            municipality: Some(site.municipality.clone()),
            body: Some(plan.body.to_string()),
            version: Some(plan.plan.budget.version.id.to_string()),
        })
    }

    /// A body's decided plan as the strategy-and-budget document (the document's model: the
    /// web draws its sections in the site's frame).
    pub async fn public_plan_document(
        &self,
        actor: &Actor,
        body: &str,
    ) -> Result<Arc<Document>, AppError> {
        let public = Self::public_actor(actor);
        let key = format!("public plan {:?} {body}", public.municipality);
        // The site is read inside: a value is never computed from a site older than the
        // counter it is kept under.
        self.computed(key, async || {
            let site = self.public_site(&public).await?;
            let selector = Self::public_selector(&site, body)?;
            let plan = self.document_plan(&public, &selector).await?;
            // With each figure's trace (`/spar/…`); the page links them.
            Ok(styr_docgen::compose_traced(&plan))
        })
        .await
    }

    /// A closed period's report of a body's decided plan, as a document. An open period, a
    /// period without a report kind or a month the calendar does not hold is not found.
    pub async fn public_report(
        &self,
        actor: &Actor,
        body: &str,
        month: Month,
    ) -> Result<Arc<PublicReportPage>, AppError> {
        let public = Self::public_actor(actor);
        let key = format!("public report {:?} {body} {month}", public.municipality);
        self.computed(key, async || {
            let site = self.public_site(&public).await?;
            let selector = Self::public_selector(&site, body)?;
            let listed = site.report(body, month).cloned().ok_or_else(|| {
                AppError::NotFound(format!(
                    "ingen publicerad rapport för {body} {month}: perioden finns inte eller är inte stängd"
                ))
            })?;
            let (plan, report) = self
                .period_report_named(&public, &selector, month, true)
                .await?;
            Ok(PublicReportPage {
                body_name: listed.body_name.clone(),
                period: listed.period.clone(),
                document: styr_docgen::compose_period_report_traced(&plan, &report),
            })
        })
        .await
    }

    /// The latest closed period's report of each public body (of `year` when given), with the
    /// plan it is of.
    async fn latest_public_reports(
        &self,
        public: &Actor,
        site: &PublicSite,
        year: Option<Year>,
    ) -> Result<Vec<(PublicPlan, Option<PeriodReport>)>, AppError> {
        let mut out = Vec::new();
        for plan in &site.plans {
            let latest = site
                .reports
                .iter()
                .filter(|r| r.body == plan.body)
                .find(|r| year.is_none_or(|y| r.period.month.year() == y));
            let report = match latest {
                Some(listed) => {
                    let selector = Self::public_selector(site, plan.body.as_str())?;
                    let (_, report) = self
                        .period_report_named(public, &selector, listed.period.month, true)
                        .await?;
                    Some(report)
                }
                None => None,
            };
            out.push((plan.clone(), report));
        }
        Ok(out)
    }

    /// The citizen summary of a year the decided plans cover; another year is not found.
    pub async fn public_summary(
        &self,
        actor: &Actor,
        year: Year,
    ) -> Result<Arc<CitizenSummary>, AppError> {
        let public = Self::public_actor(actor);
        let key = format!("public summary {:?} {year}", public.municipality);
        self.computed(key, async || {
            let site = self.public_site(&public).await?;
            if !site.years().contains(&year) {
                return Err(AppError::NotFound(format!(
                    "ingen beslutad plan gäller år {year}"
                )));
            }
            let reports = self
                .latest_public_reports(&public, &site, Some(year))
                .await?;
            Ok(citizen_summary(&site, &reports, year))
        })
        .await
    }

    /// The målbarometer: each body's goals and indicators as of its latest closed period.
    pub async fn public_barometer(
        &self,
        actor: &Actor,
    ) -> Result<Arc<Vec<BarometerBody>>, AppError> {
        let public = Self::public_actor(actor);
        let key = format!("public barometer {:?}", public.municipality);
        self.computed(key, async || {
            let site = self.public_site(&public).await?;
            let reports = self.latest_public_reports(&public, &site, None).await?;
            Ok(barometer(&reports))
        })
        .await
    }
}

fn citizen_summary(
    site: &PublicSite,
    reports: &[(PublicPlan, Option<PeriodReport>)],
    year: Year,
) -> CitizenSummary {
    // KF's decided plan sets the frames of the bodies when it has them for the year.
    let council = site
        .plans
        .iter()
        .find_map(|p| p.plan.council.as_ref().map(|c| (p, c)))
        .filter(|(_, c)| c.frames.iter().any(|f| f.year == year));
    let (money, money_source) = match council {
        Some((kf, council)) => (
            council
                .frames
                .iter()
                .filter(|f| f.year == year)
                .map(|f| BodyMoney {
                    body_name: kf
                        .plan
                        .body(&f.body)
                        .map_or_else(|| f.body.to_string(), |b| b.name.clone()),
                    amount: f.amount,
                })
                .collect::<Vec<_>>(),
            format!("{}s ramar för {year}", kf.body_name.to_lowercase()),
        ),
        None => (
            site.plans
                .iter()
                .filter_map(|p| {
                    p.plan.budget.frame(year).map(|f| BodyMoney {
                        body_name: p.body_name.clone(),
                        amount: f.amount,
                    })
                })
                .collect(),
            format!("nämndernas och styrelsernas egna ramar för {year}"),
        ),
    };
    let total = money.iter().fold(Money::ZERO, |sum, m| sum + m.amount);
    let mut areas: Vec<AreaSummary> = Vec::new();
    let mut assignments = Vec::new();
    let mut periods = Vec::new();
    for (plan, report) in reports {
        let period = report.as_ref().map(|r| r.period.title.clone());
        if let Some(title) = &period {
            periods.push(format!("{}: {title}", plan.body_name));
        }
        for area in &plan.plan.goal_areas {
            let goals: Vec<GoalLine> = plan
                .plan
                .goals
                .iter()
                .filter(|g| g.area == area.id)
                .map(|goal| GoalLine {
                    body_name: plan.body_name.clone(),
                    title: goal.title.clone(),
                    assessment: report.as_ref().and_then(|r| {
                        r.goals
                            .iter()
                            .find(|g| g.goal == goal.id)
                            .and_then(|g| g.assessment)
                    }),
                    period: period.clone(),
                })
                .collect();
            match areas.iter_mut().find(|a| a.name == area.name) {
                Some(existing) => existing.goals.extend(goals),
                None => areas.push(AreaSummary {
                    name: area.name.clone(),
                    goals,
                }),
            }
        }
        for assignment in &plan.plan.assignments {
            let status = report.as_ref().and_then(|r| {
                r.assignments
                    .iter()
                    .find(|a| a.assignment == assignment.id)
                    .and_then(|a| a.status)
            });
            assignments.push(AssignmentLine {
                body_name: plan.body_name.clone(),
                label: styr_reports::assignment_label(
                    assignment.code.as_deref(),
                    &assignment.title,
                ),
                status,
                period: period.clone(),
            });
        }
    }
    CitizenSummary {
        year,
        money,
        total,
        money_source,
        areas,
        assignments,
        periods,
    }
}

fn barometer(reports: &[(PublicPlan, Option<PeriodReport>)]) -> Vec<BarometerBody> {
    reports
        .iter()
        .map(|(plan, report)| {
            let goals = plan
                .plan
                .goals
                .iter()
                .map(|goal| {
                    let followed = report
                        .as_ref()
                        .and_then(|r| r.goals.iter().find(|g| g.goal == goal.id));
                    let indicators = match report {
                        Some(report) => report
                            .indicators
                            .iter()
                            .filter(|i| i.goal == goal.id)
                            .map(|i| BarometerIndicator {
                                name: i.name.clone(),
                                unit: i.unit.clone(),
                                outcome: i.outcome,
                                target: i.trend.and_then(|t| t.target),
                                status: i.outcome.and(i.trend.map(|t| t.status)),
                            })
                            .collect(),
                        None => plan
                            .plan
                            .indicators
                            .iter()
                            .filter(|i| i.goal == goal.id)
                            .map(|i| BarometerIndicator {
                                name: i.name.clone(),
                                unit: i.unit.clone(),
                                outcome: None,
                                target: None,
                                status: None,
                            })
                            .collect(),
                    };
                    BarometerGoal {
                        title: goal.title.clone(),
                        assessment: followed.and_then(|g| g.assessment),
                        indicators,
                    }
                })
                .collect();
            BarometerBody {
                body_name: plan.body_name.clone(),
                period: report.as_ref().map(|r| r.period.title.clone()),
                goals,
            }
        })
        .collect()
}
