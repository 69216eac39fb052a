//! The plan: everything one strategy-and-budget document holds, and the rules that tie its
//! parts together — which ids must exist, and what a figure expression evaluates to.

use crate::acknowledgement::Acknowledgement;
use crate::activity::{ActivityMeasures, BudgetPeriod};
use crate::assignment::{Assignment, AssignmentMention, AssignmentStatus, StatusReport};
use crate::budget::{Budget, Measure, RowKind};
use crate::control::InternalControl;
use crate::council::{CompanyBudget, CouncilBudget};
use crate::document::{Narrative, Section};
use crate::expr::{BinaryOp, Expr, FigureRef, Function, YearSelector};
use crate::followup::{FollowUpFigure, FollowUpPeriod, ForecastRules};
use crate::goal::{Goal, GoalArea, Indicator, IndicatorValue, Priority, StartingPoint, ValueKind};
use crate::kolada::{KoladaSettings, KoladaValue};
use crate::ledger::{BudgetLineRef, LedgerMapping, RuleTarget};
use crate::org::{Body, BodyKind, Decision, Municipality, OrgUnit};
use crate::personnel::{Personnel, SickFigure, Span};
use crate::{Id, Location, Money, Year};
use rust_decimal::Decimal;
use std::collections::{BTreeSet, HashSet};

/// What the document is: its title, the body it belongs to and the years it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentInfo {
    pub title: String,
    pub body: Id,
    pub years: Vec<Year>,
    pub source: Option<String>,
    pub at: Location,
}

/// A whole plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub municipality: Municipality,
    pub document: DocumentInfo,
    pub bodies: Vec<Body>,
    pub units: Vec<OrgUnit>,
    pub decisions: Vec<Decision>,
    pub starting_points: Vec<StartingPoint>,
    pub goal_areas: Vec<GoalArea>,
    pub goals: Vec<Goal>,
    pub priorities: Vec<Priority>,
    pub indicators: Vec<Indicator>,
    pub indicator_values: Vec<IndicatorValue>,
    pub assignments: Vec<Assignment>,
    pub mentions: Vec<AssignmentMention>,
    pub statuses: Vec<StatusReport>,
    pub budget: Budget,
    /// The follow-up calendar, by month.
    pub periods: Vec<FollowUpPeriod>,
    pub figures: Vec<FollowUpFigure>,
    /// When a forecast needs an explanation.
    pub forecast_rules: ForecastRules,
    pub control: InternalControl,
    pub sections: Vec<Section>,
    pub narratives: Vec<Narrative>,
    /// How the ledger maps onto the budget; empty when the package has none.
    pub ledger: LedgerMapping,
    /// Findings of `styr check` that a reviewer has acknowledged, in the order given.
    pub acknowledgements: Vec<Acknowledgement>,
    /// The Kolada comparison group (`[kolada]` in `styr.toml`).
    pub kolada: KoladaSettings,
    /// Kolada values retrieved for the municipality and its comparison group. They belong to
    /// the municipality, not to the package: a package never holds them, the store keeps them
    /// apart, and a use case attaches them where a document shows them.
    pub kolada_values: Vec<KoladaValue>,
    /// KF's budget: frames per body, tax and grants, finance net, central items and the stated
    /// result (`council.toml`); only in a council's plan.
    pub council: Option<CouncilBudget>,
    /// A company's own budget (`company.toml`); only in a company's plan.
    pub company: Option<CompanyBudget>,
    /// Hours and headcount behind the personnel figures (`personal/*.csv`); empty when none.
    pub personnel: Personnel,
    /// Verksamhetsmått and their budgeted volumes (`matt/*.csv`); empty when none.
    pub activity: ActivityMeasures,
    /// The Kommun-Bas mapping onto the financial statements' lines, with the lines' budget
    /// and the balanskravsutredning's data (`redovisning/`); empty unless KF's plan has one.
    pub statements: crate::statements::StatementMapping,
}

/// A broken link between parts of a plan: where, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceProblem {
    pub at: Location,
    pub field: String,
    pub message: String,
}

/// The unit of an evaluated figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuantityUnit {
    /// A plain number: fits any unit.
    Plain,
    Tkr,
    Percent,
    /// An indicator's own unit, as printed.
    Other(String),
}

/// An evaluated figure: an exact value with its unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: QuantityUnit,
}

impl Quantity {
    fn tkr(money: Money) -> Quantity {
        Quantity {
            value: money.tkr(),
            unit: QuantityUnit::Tkr,
        }
    }
}

/// Why an expression could not be evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    #[error("okänd referens {0}")]
    UnknownRef(String),
    #[error("{0} saknar värde")]
    Missing(String),
    #[error("olika enheter: {0}")]
    UnitMismatch(String),
    #[error("division med noll i {0}")]
    DivisionByZero(String),
    /// The data holds what the expression reads, but not enough to answer (statuses whose
    /// source did not show them): the claim cannot be checked, which is not an error.
    #[error("{0}")]
    Unanswerable(String),
}

fn check_unique<'a>(
    problems: &mut Vec<ReferenceProblem>,
    kind: &str,
    items: impl Iterator<Item = (&'a Id, &'a Location)>,
) {
    let mut seen = HashSet::new();
    for (id, at) in items {
        if !seen.insert(id) {
            problems.push(ReferenceProblem {
                at: at.clone(),
                field: "id".into(),
                message: format!("{kind} {id} finns redan"),
            });
        }
    }
}

impl Plan {
    pub fn body(&self, id: &Id) -> Option<&Body> {
        self.bodies.iter().find(|body| &body.id == id)
    }

    pub fn decision(&self, id: &Id) -> Option<&Decision> {
        self.decisions.iter().find(|decision| &decision.id == id)
    }

    /// Every id that must be unique and every reference that must name something.
    pub fn reference_problems(&self) -> Vec<ReferenceProblem> {
        let mut problems = Vec::new();
        check_unique(
            &mut problems,
            "organet",
            self.bodies.iter().map(|b| (&b.id, &b.at)),
        );
        check_unique(
            &mut problems,
            "enheten",
            self.units.iter().map(|u| (&u.id, &u.at)),
        );
        check_unique(
            &mut problems,
            "beslutet",
            self.decisions.iter().map(|d| (&d.id, &d.at)),
        );
        check_unique(
            &mut problems,
            "utgångspunkten",
            self.starting_points.iter().map(|s| (&s.id, &s.at)),
        );
        check_unique(
            &mut problems,
            "målområdet",
            self.goal_areas.iter().map(|a| (&a.id, &a.at)),
        );
        check_unique(
            &mut problems,
            "målet",
            self.goals.iter().map(|g| (&g.id, &g.at)),
        );
        check_unique(
            &mut problems,
            "prioriteringen",
            self.priorities.iter().map(|p| (&p.id, &p.at)),
        );
        check_unique(
            &mut problems,
            "indikatorn",
            self.indicators.iter().map(|i| (&i.id, &i.at)),
        );
        check_unique(
            &mut problems,
            "uppdraget",
            self.assignments.iter().map(|a| (&a.id, &a.at)),
        );
        check_unique(
            &mut problems,
            "perioden",
            self.periods.iter().map(|p| (&p.id, &p.at)),
        );
        check_unique(
            &mut problems,
            "uppföljningstalet",
            self.figures.iter().map(|f| (&f.id, &f.at)),
        );
        check_unique(
            &mut problems,
            "risken",
            self.control.risks.iter().map(|r| (&r.id, &r.at)),
        );
        check_unique(
            &mut problems,
            "kontrollen",
            self.control.controls.iter().map(|c| (&c.id, &c.at)),
        );
        check_unique(
            &mut problems,
            "granskningen",
            self.control.audits.iter().map(|a| (&a.id, &a.at)),
        );
        check_unique(
            &mut problems,
            "åtgärden",
            self.control
                .actions()
                .map(|(audit, _, action)| (&action.id, &audit.at)),
        );
        check_unique(
            &mut problems,
            "avsnittet",
            self.sections.iter().map(|s| (&s.id, &s.at)),
        );
        check_unique(
            &mut problems,
            "tabellen",
            self.budget.operating.iter().map(|t| (&t.id, &t.at)),
        );
        for table in &self.budget.operating {
            check_unique(
                &mut problems,
                "raden",
                table.rows.iter().map(|r| (&r.id, &r.at)),
            );
        }
        check_unique(
            &mut problems,
            "raden",
            self.budget.investment.rows.iter().map(|r| (&r.id, &r.at)),
        );
        check_unique(
            &mut problems,
            "raden",
            self.budget.exploitation.rows.iter().map(|r| (&r.id, &r.at)),
        );
        check_unique(
            &mut problems,
            "raden",
            self.budget.finance.summary.iter().map(|r| (&r.id, &r.at)),
        );
        if let Some(calc) = &self.budget.frame_calculation {
            check_unique(
                &mut problems,
                "raden",
                calc.lines.iter().map(|r| (&r.id, &r.at)),
            );
        }

        let bodies: HashSet<&Id> = self.bodies.iter().map(|b| &b.id).collect();
        let units: HashSet<&Id> = self.units.iter().map(|u| &u.id).collect();
        let decisions: HashSet<&Id> = self.decisions.iter().map(|d| &d.id).collect();
        let areas: HashSet<&Id> = self.goal_areas.iter().map(|a| &a.id).collect();
        let goals: HashSet<&Id> = self.goals.iter().map(|g| &g.id).collect();
        let indicators: HashSet<&Id> = self.indicators.iter().map(|i| &i.id).collect();
        let assignments: HashSet<&Id> = self.assignments.iter().map(|a| &a.id).collect();
        let periods: HashSet<&Id> = self.periods.iter().map(|p| &p.id).collect();
        let sections: HashSet<&Id> = self.sections.iter().map(|s| &s.id).collect();
        let risks: HashSet<&Id> = self.control.risks.iter().map(|r| &r.id).collect();

        let mut need =
            |known: &HashSet<&Id>, id: Option<&Id>, what: &str, at: &Location, field: &str| {
                if let Some(id) = id
                    && !known.contains(id)
                {
                    problems.push(ReferenceProblem {
                        at: at.clone(),
                        field: field.into(),
                        message: format!("{what} {id} finns inte"),
                    });
                }
            };
        need(
            &bodies,
            Some(&self.document.body),
            "organet",
            &self.document.at,
            "body",
        );
        for body in &self.bodies {
            need(&bodies, body.parent.as_ref(), "organet", &body.at, "parent");
        }
        for unit in &self.units {
            need(&bodies, Some(&unit.body), "organet", &unit.at, "body");
            need(&units, unit.parent.as_ref(), "enheten", &unit.at, "parent");
        }
        for decision in &self.decisions {
            need(
                &bodies,
                Some(&decision.body),
                "organet",
                &decision.at,
                "body",
            );
        }
        for goal in &self.goals {
            need(&areas, Some(&goal.area), "målområdet", &goal.at, "area");
        }
        for priority in &self.priorities {
            need(&goals, Some(&priority.goal), "målet", &priority.at, "goal");
        }
        for indicator in &self.indicators {
            need(
                &goals,
                Some(&indicator.goal),
                "målet",
                &indicator.at,
                "goal",
            );
            need(
                &bodies,
                indicator.responsible.as_ref(),
                "organet",
                &indicator.at,
                "responsible",
            );
        }
        for value in &self.indicator_values {
            need(
                &indicators,
                Some(&value.indicator),
                "indikatorn",
                &value.at,
                "indicator",
            );
        }
        for assignment in &self.assignments {
            need(
                &decisions,
                assignment.given_by.as_ref(),
                "beslutet",
                &assignment.at,
                "given_by",
            );
            need(
                &goals,
                assignment.goal.as_ref(),
                "målet",
                &assignment.at,
                "goal",
            );
            for body in &assignment.responsible {
                need(
                    &bodies,
                    Some(body),
                    "organet",
                    &assignment.at,
                    "responsible",
                );
            }
        }
        for mention in &self.mentions {
            need(
                &assignments,
                Some(&mention.assignment),
                "uppdraget",
                &mention.at,
                "assignment",
            );
            need(
                &sections,
                Some(&mention.section),
                "avsnittet",
                &mention.at,
                "section",
            );
        }
        for status in &self.statuses {
            need(
                &assignments,
                Some(&status.assignment),
                "uppdraget",
                &status.at,
                "assignment",
            );
            need(
                &periods,
                Some(&status.period),
                "perioden",
                &status.at,
                "period",
            );
        }
        let version = &self.budget.version;
        need(
            &decisions,
            version.decision.as_ref(),
            "beslutet",
            &version.at,
            "decision",
        );
        for frame in &self.budget.frames {
            need(
                &decisions,
                frame.decision.as_ref(),
                "beslutet",
                &frame.at,
                "decision",
            );
        }
        if let Some(calc) = &self.budget.frame_calculation {
            need(
                &decisions,
                calc.decision.as_ref(),
                "beslutet",
                &calc.at,
                "decision",
            );
            for line in &calc.lines {
                need(
                    &decisions,
                    line.decision.as_ref(),
                    "beslutet",
                    &line.at,
                    "decision",
                );
            }
        }
        let investment = &self.budget.investment;
        need(
            &decisions,
            investment.decision.as_ref(),
            "beslutet",
            &investment.at,
            "decision",
        );
        for table in &self.budget.operating {
            let lines: HashSet<&Id> = table.rows.iter().map(|r| &r.id).collect();
            for row in table.rows.iter().filter(|r| r.kind == RowKind::Part) {
                need(&lines, row.parent.as_ref(), "raden", &row.at, "parent");
            }
        }
        for figure in &self.figures {
            need(
                &periods,
                Some(&figure.period),
                "perioden",
                &figure.at,
                "period",
            );
        }
        for risk in &self.control.risks {
            need(&units, risk.owner.as_ref(), "enheten", &risk.at, "owner");
        }
        for audit in &self.control.audits {
            need(
                &decisions,
                audit.received_by.as_ref(),
                "beslutet",
                &audit.at,
                "received_by",
            );
            for recommendation in &audit.recommendations {
                for action in &recommendation.actions {
                    need(&units, action.owner.as_ref(), "enheten", &audit.at, "owner");
                }
            }
        }
        for control in &self.control.controls {
            need(
                &decisions,
                control.decision.as_ref(),
                "beslutet",
                &control.at,
                "decision",
            );
            need(&risks, control.risk.as_ref(), "risken", &control.at, "risk");
            need(
                &units,
                control.responsible.as_ref(),
                "enheten",
                &control.at,
                "responsible",
            );
        }
        self.ledger_problems(&mut problems);
        self.personnel_problems(&mut problems);
        self.municipal_problems(&mut problems);
        problems
    }

    /// The council's budget, the company's budget and the companies' ägarandel: a frame names
    /// a body and a decision of the plan, once per body and year; a year's figures once; a
    /// central item once per year; a company budget only in a company's plan; a company body
    /// has an ägarandel of 0–100 % and no other body has one.
    fn municipal_problems(&self, problems: &mut Vec<ReferenceProblem>) {
        let mut problem = |at: &Location, field: &str, message: String| {
            problems.push(ReferenceProblem {
                at: at.clone(),
                field: field.into(),
                message,
            })
        };
        for body in &self.bodies {
            match (body.kind, body.ownership_percent) {
                (BodyKind::Company, None) => problem(
                    &body.at,
                    "ownership_percent",
                    format!(
                        "bolaget {} saknar ägarandel (ownership_percent, t.ex. \"100\")",
                        body.id
                    ),
                ),
                (BodyKind::Company, Some(percent))
                    if percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED =>
                {
                    problem(
                        &body.at,
                        "ownership_percent",
                        format!("ägarandelen {percent} % ska vara över 0 och högst 100"),
                    )
                }
                (kind, Some(_)) if kind != BodyKind::Company => problem(
                    &body.at,
                    "ownership_percent",
                    format!(
                        "{} är inget bolag ({}); bara ett bolag har en ägarandel",
                        body.id,
                        kind.label_sv()
                    ),
                ),
                _ => {}
            }
        }
        let decisions: HashSet<&Id> = self.decisions.iter().map(|d| &d.id).collect();
        if let Some(council) = &self.council {
            if let Some(decision) = &council.decision
                && !decisions.contains(decision)
            {
                problem(
                    &council.at,
                    "decision",
                    format!("beslutet {decision} finns inte"),
                );
            }
            let mut years = HashSet::new();
            for year in &council.years {
                if !years.insert(year.year) {
                    problem(&year.at, "year", format!("året {} finns redan", year.year));
                }
            }
            let mut frames = HashSet::new();
            for frame in &council.frames {
                if self.body(&frame.body).is_none() {
                    problem(
                        &frame.at,
                        "body",
                        format!("organet {} finns inte", frame.body),
                    );
                }
                if let Some(decision) = &frame.decision
                    && !decisions.contains(decision)
                {
                    problem(
                        &frame.at,
                        "decision",
                        format!("beslutet {decision} finns inte"),
                    );
                }
                if !frames.insert((&frame.body, frame.year)) {
                    problem(
                        &frame.at,
                        "year",
                        format!("ramen för {} {} finns redan", frame.body, frame.year),
                    );
                }
            }
            let mut eliminations = HashSet::new();
            for elimination in &council.eliminations {
                if !eliminations.insert((&elimination.id, elimination.year)) {
                    problem(
                        &elimination.at,
                        "id",
                        format!(
                            "elimineringen {} {} finns redan",
                            elimination.id, elimination.year
                        ),
                    );
                }
            }
            let mut items = HashSet::new();
            for item in &council.central_items {
                if !items.insert((&item.id, item.year)) {
                    problem(
                        &item.at,
                        "id",
                        format!("posten {} {} finns redan", item.id, item.year),
                    );
                }
            }
        }
        if let Some(company) = &self.company {
            let kind = self.body(&self.document.body).map(|body| body.kind);
            if kind.is_some_and(|kind| kind != BodyKind::Company) {
                problem(
                    &company.at,
                    "",
                    format!(
                        "bolagets budget hör till ett bolags plan; {} är inget bolag",
                        self.document.body
                    ),
                );
            }
            if let Some(decision) = &company.decision
                && !decisions.contains(decision)
            {
                problem(
                    &company.at,
                    "decision",
                    format!("beslutet {decision} finns inte"),
                );
            }
            let mut years = HashSet::new();
            for year in &company.years {
                if !years.insert(year.year) {
                    problem(&year.at, "year", format!("året {} finns redan", year.year));
                }
            }
        }
    }

    /// Whether a budget line exists: a `line` row of a non-summary operating table, or a
    /// `line` row of the investment budget.
    pub fn has_budget_line(&self, line: &BudgetLineRef) -> bool {
        match line {
            BudgetLineRef::Operating { table, line } => self
                .budget
                .operating_table(table.as_str())
                .filter(|table| !table.summary)
                .and_then(|table| table.row(line.as_str()))
                .is_some_and(|row| row.kind == RowKind::Line),
            BudgetLineRef::Investment { project } => {
                self.budget.investment.lines().any(|row| &row.id == project)
            }
        }
    }

    /// Personnel rows and measures name a unit of the plan; a budgeted volume names a measure;
    /// hours add up.
    fn personnel_problems(&self, problems: &mut Vec<ReferenceProblem>) {
        let units: HashSet<&Id> = self.units.iter().map(|u| &u.id).collect();
        let mut unknown_unit = |at: &Location, unit: &Id| {
            if !units.contains(unit) {
                problems.push(ReferenceProblem {
                    at: at.clone(),
                    field: "unit".into(),
                    message: format!("enheten {unit} finns inte (en [[unit]] i styr.toml)"),
                });
            }
        };
        for row in &self.personnel.hours {
            unknown_unit(&row.at, &row.unit);
        }
        for row in &self.personnel.staff {
            unknown_unit(&row.at, &row.unit);
        }
        for measure in &self.activity.measures {
            unknown_unit(&measure.at, &measure.unit);
        }
        for (at, field, message) in self.personnel.problems() {
            problems.push(ReferenceProblem {
                at,
                field: field.into(),
                message,
            });
        }
        check_unique(
            problems,
            "måttet",
            self.activity.measures.iter().map(|m| (&m.id, &m.at)),
        );
        let mut seen = HashSet::new();
        for budget in &self.activity.budget {
            if self.activity.find(&budget.measure).is_none() {
                problems.push(ReferenceProblem {
                    at: budget.at.clone(),
                    field: "measure".into(),
                    message: format!("måttet {} finns inte i matt/matt.csv", budget.measure),
                });
            }
            if !seen.insert((&budget.measure, budget.period)) {
                problems.push(ReferenceProblem {
                    at: budget.at.clone(),
                    field: "period".into(),
                    message: format!("{} {} har redan en budget", budget.measure, budget.period),
                });
            }
            let year = budget.period.year();
            let mixed = self.activity.budget.iter().any(|other| {
                other.measure == budget.measure
                    && other.period.year() == year
                    && matches!(other.period, BudgetPeriod::Year(_))
                    && matches!(budget.period, BudgetPeriod::Month(_))
            });
            if mixed {
                problems.push(ReferenceProblem {
                    at: budget.at.clone(),
                    field: "period".into(),
                    message: format!(
                        "{} har både en årsbudget och månadsbudgetar för {year}",
                        budget.measure
                    ),
                });
            }
        }
    }

    /// A unit and every unit below it; `None` for `alla` (every unit of the plan), an error for
    /// an unknown unit.
    pub fn unit_scope(&self, unit: &str) -> Result<Option<BTreeSet<Id>>, EvalError> {
        if unit == "alla" {
            return Ok(None);
        }
        let root = self
            .units
            .iter()
            .find(|u| u.id.as_str() == unit)
            .ok_or_else(|| EvalError::UnknownRef(format!("enheten {unit}")))?;
        let mut scope: BTreeSet<Id> = [root.id.clone()].into();
        loop {
            let before = scope.len();
            for unit in &self.units {
                if unit.parent.as_ref().is_some_and(|p| scope.contains(p)) {
                    scope.insert(unit.id.clone());
                }
            }
            if scope.len() == before {
                return Ok(Some(scope));
            }
        }
    }

    /// `personal.FIGURE.UNIT@YEAR` (a whole year), `personal.FIGURE.UNIT.YYYY_MM` (a month),
    /// `personal.FIGURE.UNIT.tom_YYYY_MM` (January to the month); UNIT `alla` is every unit.
    /// FIGURE is one of the seven sjukfrånvaro figures ([`SickFigure::code`]), in percent, or
    /// `anstallda`, `tillsvidare`, `visstid`, `arsarbetare`, `personalomsattning`.
    fn resolve_personnel(
        &self,
        figure: &str,
        unit: &str,
        span: Option<&str>,
        year: Option<Year>,
    ) -> Result<Option<Quantity>, EvalError> {
        let span = Span::of_ref(span, year).ok_or_else(|| {
            EvalError::UnknownRef(
                "personal.FIGUR.ENHET behöver @ÅR, .ÅÅÅÅ_MM eller .tom_ÅÅÅÅ_MM".into(),
            )
        })?;
        let scope = self.unit_scope(unit)?;
        let percent = |value: Option<Decimal>| {
            value.map(|value| Quantity {
                value,
                unit: QuantityUnit::Percent,
            })
        };
        let plain = |value: Decimal| {
            Some(Quantity {
                value,
                unit: QuantityUnit::Plain,
            })
        };
        if let Some(figure) = SickFigure::parse(figure) {
            let sick = self.personnel.sick_leave(scope.as_ref(), span);
            return Ok(percent(sick.figure(figure)));
        }
        let staff = self.personnel.staff(scope.as_ref(), span);
        let headcount = |n: u32| staff.has_headcount.then(|| Decimal::from(n));
        Ok(match figure {
            "anstallda" => headcount(staff.employees()).and_then(plain),
            "tillsvidare" => headcount(staff.permanent).and_then(plain),
            "visstid" => headcount(staff.temporary).and_then(plain),
            "arsarbetare" => staff
                .has_headcount
                .then_some(staff.full_time_equivalents)
                .and_then(plain),
            "personalomsattning" => percent(staff.turnover_percent()),
            _ => return Err(EvalError::UnknownRef(format!("personal.{figure}"))),
        })
    }

    /// The ledger mapping's references: budget lines, units and projects must exist, and an
    /// object maps to one unit and one project at most.
    fn ledger_problems(&self, problems: &mut Vec<ReferenceProblem>) {
        let ledger = &self.ledger;
        let mut problem = |at: &Location, field: &str, message: String| {
            problems.push(ReferenceProblem {
                at: at.clone(),
                field: field.into(),
                message,
            })
        };
        let line_message = |line: &BudgetLineRef| match line {
            BudgetLineRef::Operating { .. } => format!(
                "budgetraden {line} finns inte (en rad av kind line i en driftbudgettabell \
                 som inte är sammanställningen)"
            ),
            BudgetLineRef::Investment { .. } => {
                format!("investeringsprojektet {line} finns inte i budget/investment.csv")
            }
        };
        for rule in &ledger.rules {
            if let RuleTarget::Operating { table, line } = &rule.target {
                let line = BudgetLineRef::Operating {
                    table: table.clone(),
                    line: line.clone(),
                };
                if !self.has_budget_line(&line) {
                    problem(&rule.at, "target", line_message(&line));
                }
            }
            if let RuleTarget::Finance { row } = &rule.target
                && !self
                    .budget
                    .finance
                    .rows
                    .iter()
                    .any(|r| &r.id == row && r.kind == RowKind::Line)
            {
                problem(
                    &rule.at,
                    "target",
                    format!("finansförvaltningens rad {row} finns inte i budget/finance.csv"),
                );
            }
        }
        let units: HashSet<&Id> = self.units.iter().map(|u| &u.id).collect();
        let mut seen = HashSet::new();
        for mapping in &ledger.units {
            if !units.contains(&mapping.unit) {
                problem(
                    &mapping.at,
                    "unit",
                    format!("enheten {} finns inte", mapping.unit),
                );
            }
            if !seen.insert(&mapping.object) {
                problem(
                    &mapping.at,
                    "object",
                    format!("objektet {:?} har redan en enhet", mapping.object),
                );
            }
        }
        let mut seen = HashSet::new();
        for mapping in &ledger.projects {
            let line = BudgetLineRef::Investment {
                project: mapping.project.clone(),
            };
            // A project of the list is an investment project, or an exploitation row (for the
            // `expl` rules).
            let exploitation = self
                .budget
                .exploitation
                .rows
                .iter()
                .any(|row| row.id == mapping.project && row.kind == RowKind::Line);
            if !exploitation && !self.has_budget_line(&line) {
                problem(&mapping.at, "project", line_message(&line));
            }
            if !seen.insert(&mapping.object) {
                problem(
                    &mapping.at,
                    "object",
                    format!("objektet {:?} har redan ett projekt", mapping.object),
                );
            }
        }
        let mut seen = HashSet::new();
        for profile in &ledger.profiles {
            if !self.has_budget_line(&profile.line) {
                problem(&profile.at, "line", line_message(&profile.line));
            }
            if !seen.insert(&profile.line) {
                problem(
                    &profile.at,
                    "line",
                    format!("{} har redan en profil", profile.line),
                );
            }
        }
    }

    /// Evaluates an expression exactly.
    pub fn evaluate(&self, expr: &Expr) -> Result<Quantity, EvalError> {
        match expr {
            Expr::Number(value) => Ok(Quantity {
                value: *value,
                unit: QuantityUnit::Plain,
            }),
            Expr::Ref(figure) => self.resolve(figure),
            Expr::Negate(inner) => {
                let quantity = self.evaluate(inner)?;
                Ok(Quantity {
                    value: -quantity.value,
                    unit: quantity.unit,
                })
            }
            Expr::Binary(left, op, right) => {
                let (left, right) = (self.evaluate(left)?, self.evaluate(right)?);
                let unit = common_unit(&left.unit, &right.unit)?;
                let value = match op {
                    BinaryOp::Add => left.value + right.value,
                    BinaryOp::Sub => left.value - right.value,
                };
                Ok(Quantity { value, unit })
            }
            Expr::Call(function, first, second) => {
                let (a, b) = (self.evaluate(first)?, self.evaluate(second)?);
                common_unit(&a.unit, &b.unit)?;
                let hundred = Decimal::ONE_HUNDRED;
                let value = match function {
                    Function::PctChange => (b.value - a.value)
                        .checked_mul(hundred)
                        .and_then(|v| v.checked_div(a.value)),
                    Function::SharePct => a
                        .value
                        .checked_mul(hundred)
                        .and_then(|v| v.checked_div(b.value)),
                };
                let value = value.ok_or_else(|| EvalError::DivisionByZero(format!("{expr:?}")))?;
                Ok(Quantity {
                    value,
                    unit: QuantityUnit::Percent,
                })
            }
        }
    }

    /// The value of one reference, e.g. `op.ksf.trygghet@2021`.
    pub fn resolve(&self, figure: &FigureRef) -> Result<Quantity, EvalError> {
        let name = figure.to_string();
        let unknown = || EvalError::UnknownRef(name.clone());
        let missing = || EvalError::Missing(name.clone());
        let path: Vec<&str> = figure.path.iter().map(String::as_str).collect();
        let year = match figure.year {
            Some(YearSelector::Year(year)) => Some(year),
            _ => None,
        };
        let until = figure.year == Some(YearSelector::Until);
        let need_year = || year.ok_or_else(unknown);
        let budget = &self.budget;
        match path.as_slice() {
            ["frame"] => {
                let frame = budget.frame(need_year()?).ok_or_else(missing)?;
                Ok(Quantity::tkr(frame.amount))
            }
            ["op", table] => {
                let table = budget.operating_table(table).ok_or_else(unknown)?;
                table
                    .sum(need_year()?)
                    .map(Quantity::tkr)
                    .ok_or_else(missing)
            }
            ["op", table, line] => {
                let table = budget.operating_table(table).ok_or_else(unknown)?;
                let row = table.row(line).ok_or_else(unknown)?;
                row.amounts
                    .get(&need_year()?)
                    .copied()
                    .map(Quantity::tkr)
                    .ok_or_else(missing)
            }
            ["inv"] if until => budget
                .investment
                .sum_until()
                .map(Quantity::tkr)
                .ok_or_else(missing),
            ["inv"] => budget
                .investment
                .sum(need_year()?)
                .map(Quantity::tkr)
                .ok_or_else(missing),
            ["inv", project] => {
                let row = budget
                    .investment
                    .rows
                    .iter()
                    .find(|row| row.id.as_str() == *project)
                    .ok_or_else(unknown)?;
                let amount = if until {
                    row.until
                } else {
                    row.amounts.get(&need_year()?).copied()
                };
                amount.map(Quantity::tkr).ok_or_else(missing)
            }
            ["exp", measure] => {
                let measure = Measure::parse(measure).ok_or_else(unknown)?;
                budget
                    .exploitation
                    .sum(measure)
                    .map(Quantity::tkr)
                    .ok_or_else(missing)
            }
            ["exp", row, measure] => {
                let measure = Measure::parse(measure).ok_or_else(unknown)?;
                let row = budget
                    .exploitation
                    .rows
                    .iter()
                    .find(|r| r.id.as_str() == *row)
                    .ok_or_else(unknown)?;
                row.get(measure).map(Quantity::tkr).ok_or_else(missing)
            }
            ["fin", row, measure] => {
                let measure = Measure::parse(measure).ok_or_else(unknown)?;
                let row = budget.finance.row(row).ok_or_else(unknown)?;
                let year = need_year()?;
                let amount = match (&row.kind, &row.group) {
                    (RowKind::Total, Some(group)) => budget.finance.group_sum(group, measure, year),
                    _ => row.amount(measure, year),
                };
                amount.map(Quantity::tkr).ok_or_else(missing)
            }
            ["ind", indicator, kind] => {
                let indicator = self
                    .indicators
                    .iter()
                    .find(|i| i.id.as_str() == *indicator)
                    .ok_or_else(unknown)?;
                let kind = ValueKind::parse(kind).ok_or_else(unknown)?;
                let year = need_year()?;
                let value = self
                    .indicator_values
                    .iter()
                    .find(|v| v.indicator == indicator.id && v.kind == kind && v.year == year)
                    .ok_or_else(missing)?;
                Ok(Quantity {
                    value: value.value,
                    unit: unit_of(indicator.unit.as_deref().unwrap_or("")),
                })
            }
            ["count", what @ ..] => self
                .count(what, year)
                .map(|count| Quantity {
                    value: Decimal::from(count),
                    unit: QuantityUnit::Plain,
                })
                .map_err(|error| error.unwrap_or_else(unknown)),
            ["personal", figure, unit, span @ ..] if span.len() <= 1 => self
                .resolve_personnel(figure, unit, span.first().copied(), year)?
                .ok_or_else(missing),
            ["fu", figure_id] => {
                let figure = self
                    .figures
                    .iter()
                    .find(|f| f.id.as_str() == *figure_id)
                    .ok_or_else(unknown)?;
                let (value, unit) = match figure.unit.as_str() {
                    "mnkr" => (figure.value * Decimal::ONE_THOUSAND, QuantityUnit::Tkr),
                    unit => (figure.value, unit_of(unit)),
                };
                Ok(Quantity { value, unit })
            }
            // KF's budget (`council.toml`): `kf.resultat@2021` (the stated result),
            // `kf.skatteintakter`, `kf.statsbidrag`, `kf.finansnetto`, `kf.ram.BODY`.
            ["kf", what @ ..] => {
                let council = self.council.as_ref().ok_or_else(unknown)?;
                let year = need_year()?;
                let figures = || council.year(year).ok_or_else(missing);
                let amount = match what {
                    ["resultat"] => figures()?.result,
                    ["skatteintakter"] => figures()?.tax_revenue,
                    ["statsbidrag"] => figures()?.grants,
                    ["finansnetto"] => figures()?.financial_net,
                    ["ram", body] => {
                        let body = self
                            .bodies
                            .iter()
                            .find(|b| b.id.as_str() == *body)
                            .ok_or_else(unknown)?;
                        council.frame(&body.id, year).ok_or_else(missing)?.amount
                    }
                    _ => return Err(unknown()),
                };
                Ok(Quantity::tkr(amount))
            }
            _ => Err(unknown()),
        }
    }
}

impl Plan {
    /// How many of something the plan holds, for claims that count ("18 uppdrag", "tre mål"):
    /// `count.assignments[.BODY]`, `count.goals[.AREA]`, `count.priorities.GOAL`,
    /// `count.statuses.PERIOD[.STATUS]`, `count.indicators.on_target[.GOAL]@YEAR`.
    /// `Err(None)` is an unknown path. A count of statuses of one kind in a period where some
    /// statuses are unknown cannot be answered.
    fn count(&self, path: &[&str], year: Option<Year>) -> Result<usize, Option<EvalError>> {
        let id = |text: &str| Id::parse(text).map_err(|_| None);
        match path {
            ["assignments"] => Ok(self.assignments.len()),
            ["assignments", body] => {
                let body = id(body)?;
                Ok(self
                    .assignments
                    .iter()
                    .filter(|a| a.responsible.contains(&body))
                    .count())
            }
            ["goals"] => Ok(self.goals.len()),
            ["goals", area] => {
                let area = id(area)?;
                Ok(self.goals.iter().filter(|g| g.area == area).count())
            }
            ["priorities", goal] => {
                let goal = id(goal)?;
                Ok(self.priorities.iter().filter(|p| p.goal == goal).count())
            }
            ["statuses", period, kind @ ..] => {
                let period = id(period)?;
                let in_period: Vec<&StatusReport> = self
                    .statuses
                    .iter()
                    .filter(|s| s.period == period)
                    .collect();
                if in_period.is_empty() {
                    return Err(Some(EvalError::Missing(format!(
                        "statusar i perioden {period}"
                    ))));
                }
                let kind = match kind {
                    [] => return Ok(in_period.len()),
                    [code] => AssignmentStatus::parse(code).ok_or(None)?,
                    _ => return Err(None),
                };
                let unknown = in_period
                    .iter()
                    .filter(|s| s.status == AssignmentStatus::Unknown)
                    .count();
                if unknown > 0 && kind != AssignmentStatus::Unknown {
                    let period = self
                        .periods
                        .iter()
                        .find(|p| p.id == period)
                        .map_or_else(|| format!("perioden {period}"), |p| p.title.clone());
                    return Err(Some(EvalError::Unanswerable(format!(
                        "{unknown} av {} statusar i {period} är okända (källan visar dem inte)",
                        in_period.len()
                    ))));
                }
                Ok(in_period.iter().filter(|s| s.status == kind).count())
            }
            ["indicators", "on_target", goal @ ..] => {
                let year = year.ok_or(None)?;
                let goal = match goal {
                    [] => None,
                    [goal] => Some(id(goal)?),
                    _ => return Err(None),
                };
                let outcome = |indicator: &Id, kind: ValueKind| {
                    self.indicator_values
                        .iter()
                        .find(|v| &v.indicator == indicator && v.kind == kind && v.year == year)
                        .map(|v| v.value)
                };
                Ok(self
                    .indicators
                    .iter()
                    .filter(|i| goal.as_ref().is_none_or(|g| &i.goal == g))
                    .filter(|i| {
                        outcome(&i.id, ValueKind::Outcome).is_some_and(|value| {
                            let target = outcome(&i.id, ValueKind::Target);
                            crate::followup::trend(i, value, None, target).status
                                == crate::followup::TargetStatus::OnTrack
                        })
                    })
                    .count())
            }
            _ => Err(None),
        }
    }
}

fn unit_of(printed: &str) -> QuantityUnit {
    match printed {
        "%" => QuantityUnit::Percent,
        "tkr" => QuantityUnit::Tkr,
        "" => QuantityUnit::Plain,
        other => QuantityUnit::Other(other.to_owned()),
    }
}

fn common_unit(a: &QuantityUnit, b: &QuantityUnit) -> Result<QuantityUnit, EvalError> {
    match (a, b) {
        (QuantityUnit::Plain, other) | (other, QuantityUnit::Plain) => Ok(other.clone()),
        (a, b) if a == b => Ok(a.clone()),
        (a, b) => Err(EvalError::UnitMismatch(format!("{a:?} och {b:?}"))),
    }
}

/// A plan with nothing in it, for the domain's own tests.
#[cfg(test)]
pub(crate) mod tests_support {
    use super::*;
    use crate::budget::{BudgetVersion, VersionKind};

    pub fn empty_plan() -> Plan {
        let id = |text: &str| Id::parse(text).unwrap();
        Plan {
            municipality: Municipality {
                id: id("kommun"),
                name: "Kommunen".into(),
                code: "0000".into(),
            },
            document: DocumentInfo {
                title: String::new(),
                body: id("kf"),
                years: vec![2021],
                source: None,
                at: Location::default(),
            },
            bodies: Vec::new(),
            units: Vec::new(),
            decisions: Vec::new(),
            starting_points: Vec::new(),
            goal_areas: Vec::new(),
            goals: Vec::new(),
            priorities: Vec::new(),
            indicators: Vec::new(),
            indicator_values: Vec::new(),
            assignments: Vec::new(),
            mentions: Vec::new(),
            statuses: Vec::new(),
            budget: Budget {
                version: BudgetVersion {
                    id: id("v"),
                    kind: VersionKind::Proposal,
                    name: String::new(),
                    decision: None,
                    based_on: None,
                    at: Location::default(),
                },
                frames: Vec::new(),
                operating: Vec::new(),
                investment: Default::default(),
                exploitation: Default::default(),
                finance: Default::default(),
                frame_change: None,
                frame_calculation: None,
            },
            periods: Vec::new(),
            figures: Vec::new(),
            forecast_rules: ForecastRules::default(),
            control: InternalControl::default(),
            sections: Vec::new(),
            narratives: Vec::new(),
            ledger: LedgerMapping::default(),
            acknowledgements: Vec::new(),
            kolada: KoladaSettings::default(),
            kolada_values: Vec::new(),
            council: None,
            company: None,
            personnel: Personnel::default(),
            activity: ActivityMeasures::default(),
            statements: Default::default(),
        }
    }
}
