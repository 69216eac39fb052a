//! Internal control: the risk register with its yearly assessments on a configurable scale, the
//! internal control plan per year, and audit reports with their recommendations and the actions
//! that carry each recommendation to done.
//!
//! What is reported during the year — a control's result, an action's progress — is a follow-up
//! report (`followup::ReportEntry::Control` and `ReportEntry::AuditAction`), stored, dated,
//! kept with its history and locked with its period like an assignment's status. This module
//! holds the plan's side (what is planned and decided) and the pure computations over both: the
//! risk matrix and an action's current state. No I/O.

use crate::org::CaseNumber;
use crate::{Id, Location, Month, Year, code_enum};

code_enum!(
    /// What the board decided to do about a risk.
    RiskDecision { Accept => "accept", Control => "control", Action => "action" }
);

impl RiskDecision {
    pub fn label_sv(self) -> &'static str {
        match self {
            RiskDecision::Accept => "Acceptera",
            RiskDecision::Control => "Kontrollera",
            RiskDecision::Action => "Åtgärda",
        }
    }
}

/// One year's assessment of a risk: likelihood and consequence on the register's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RiskAssessment {
    pub year: Year,
    pub likelihood: u8,
    pub consequence: u8,
}

impl RiskAssessment {
    /// Likelihood × consequence.
    pub fn score(&self) -> u16 {
        u16::from(self.likelihood) * u16::from(self.consequence)
    }
}

/// A risk in the register.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub id: Id,
    pub title: String,
    pub description: Option<String>,
    /// The process the risk belongs to ("Ekonomi", "Exploatering").
    pub process: Option<String>,
    /// The unit that owns the risk.
    pub owner: Option<Id>,
    pub decision: Option<RiskDecision>,
    /// One assessment per year, oldest first: the history of the risk.
    pub assessments: Vec<RiskAssessment>,
    pub at: Location,
}

impl Risk {
    /// The assessment that holds in a year: that year's, or the latest one before it.
    pub fn assessment(&self, year: Year) -> Option<RiskAssessment> {
        self.assessments
            .iter()
            .filter(|a| a.year <= year)
            .max_by_key(|a| a.year)
            .copied()
    }
}

/// A colour band of the risk matrix: every cell whose score (likelihood × consequence) is at
/// least `min_score`, up to the next band.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskBand {
    pub min_score: u16,
    pub label: String,
    /// `#rrggbb`.
    pub colour: String,
}

impl RiskBand {
    /// What is wrong with the band's colour, if anything: it must be `#rrggbb`.
    pub fn colour_problem(&self) -> Option<String> {
        let hex = self.colour.strip_prefix('#').unwrap_or("");
        (hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| format!("{:?} är ingen färg (#rrggbb)", self.colour))
    }
}

/// The scale risks are assessed on and the matrix's colour bands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskScale {
    pub likelihood: u8,
    pub consequence: u8,
    /// By `min_score`, lowest first; the first starts at 1.
    pub bands: Vec<RiskBand>,
}

impl Default for RiskScale {
    /// 4 × 4 with four bands: låg (1–3), medel (4–6), hög (8–9), mycket hög (12–16).
    fn default() -> RiskScale {
        let band = |min_score, label: &str, colour: &str| RiskBand {
            min_score,
            label: label.to_owned(),
            colour: colour.to_owned(),
        };
        RiskScale {
            likelihood: 4,
            consequence: 4,
            bands: vec![
                band(1, "Låg", "#8fd18f"),
                band(4, "Medel", "#f5e17a"),
                band(8, "Hög", "#f4a259"),
                band(12, "Mycket hög", "#e4605e"),
            ],
        }
    }
}

impl RiskScale {
    /// The band a score falls in.
    pub fn band(&self, score: u16) -> Option<&RiskBand> {
        self.bands.iter().rev().find(|b| score >= b.min_score)
    }

    /// What is wrong with the scale, in Swedish: (field, message).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        for (field, size) in [
            ("likelihood", self.likelihood),
            ("consequence", self.consequence),
        ] {
            if !(2..=10).contains(&size) {
                problems.push((field, format!("skalan ska ha 2–10 steg, inte {size}")));
            }
        }
        if self.bands.first().is_none_or(|b| b.min_score != 1) {
            problems.push(("band", "det första färgfältet ska börja på 1".to_owned()));
        }
        if self
            .bands
            .windows(2)
            .any(|w| w[0].min_score >= w[1].min_score)
        {
            problems.push(("band", "färgfälten ska stå i stigande ordning".to_owned()));
        }
        for band in &self.bands {
            if let Some(problem) = band.colour_problem() {
                problems.push(("colour", problem));
            }
        }
        problems
    }
}

/// A control in the internal control plan of a year.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    pub id: Id,
    pub risk: Option<Id>,
    pub title: String,
    /// What is checked ("att attesträtter är aktuella").
    pub checks: Option<String>,
    pub method: Option<String>,
    pub frequency: Option<String>,
    pub responsible: Option<Id>,
    /// The year of the plan the control belongs to.
    pub year: Option<Year>,
    /// The follow-up periods (their months) the result is reported in.
    pub periods: Vec<Month>,
    /// The decision that adopted the plan.
    pub decision: Option<Id>,
    pub at: Location,
}

code_enum!(
    /// The result of a control in a period.
    ControlResult {
        NoRemarks => "no_remarks",
        WithDeficiencies => "deficiencies",
        NotPerformed => "not_performed",
    }
);

impl ControlResult {
    pub fn label_sv(self) -> &'static str {
        match self {
            ControlResult::NoRemarks => "Utan anmärkning",
            ControlResult::WithDeficiencies => "Med brister",
            ControlResult::NotPerformed => "Ej genomförd",
        }
    }

    /// The light a result gets unless the reporter sets one: green, yellow, red.
    pub fn default_light(self) -> TrafficLight {
        match self {
            ControlResult::NoRemarks => TrafficLight::Green,
            ControlResult::WithDeficiencies => TrafficLight::Yellow,
            ControlResult::NotPerformed => TrafficLight::Red,
        }
    }
}

code_enum!(
    /// A traffic light.
    TrafficLight { Green => "green", Yellow => "yellow", Red => "red" }
);

impl TrafficLight {
    pub fn label_sv(self) -> &'static str {
        match self {
            TrafficLight::Green => "grön",
            TrafficLight::Yellow => "gul",
            TrafficLight::Red => "röd",
        }
    }
}

code_enum!(
    /// How far an action on an audit recommendation has come.
    ActionStatus {
        NotStarted => "not_started",
        InProgress => "in_progress",
        Done => "done",
        ClosedWithoutAction => "closed_without_action",
    }
);

impl ActionStatus {
    pub fn label_sv(self) -> &'static str {
        match self {
            ActionStatus::NotStarted => "Ej påbörjad",
            ActionStatus::InProgress => "Pågår",
            ActionStatus::Done => "Genomförd",
            ActionStatus::ClosedWithoutAction => "Avslutad utan åtgärd",
        }
    }

    /// Whether nothing more is to be done (genomförd or avslutad utan åtgärd).
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::ClosedWithoutAction)
    }
}

/// Reads a code or a Swedish label, ignoring case.
macro_rules! parse_word {
    ($name:ident) => {
        impl $name {
            /// Reads the code or the Swedish label, ignoring case.
            pub fn parse_word(word: &str) -> Option<$name> {
                let word = word.trim().to_lowercase();
                $name::parse(&word).or_else(|| {
                    $name::ALL
                        .iter()
                        .copied()
                        .find(|v| v.label_sv().to_lowercase() == word)
                })
            }
        }
    };
}

parse_word!(ControlResult);
parse_word!(TrafficLight);
parse_word!(ActionStatus);
parse_word!(RiskDecision);

/// An action taken on a recommendation: who does it by when, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditAction {
    pub id: Id,
    pub text: String,
    pub owner: Option<Id>,
    /// ISO date.
    pub due: Option<String>,
    /// The state as the plan package states it; later progress is reported per period.
    pub status: ActionStatus,
    /// What shows it is done (a decision, a document).
    pub evidence: Option<String>,
    /// Why it was closed without action.
    pub reason: Option<String>,
}

impl AuditAction {
    /// Overdue: not closed and its due date is before `today` (ISO dates compare as text).
    pub fn is_overdue(&self, status: ActionStatus, today: &str) -> bool {
        !status.is_closed() && self.due.as_deref().is_some_and(|due| due < today)
    }
}

/// A recommendation of an audit report.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub id: Id,
    pub text: String,
    pub actions: Vec<AuditAction>,
}

/// Whether a recommendation is still open given its actions' current states: open while it has
/// no action or any action is not closed.
pub fn recommendation_is_open(states: &[ActionStatus]) -> bool {
    states.is_empty() || states.iter().any(|s| !s.is_closed())
}

/// An audit report (granskning) by the auditors.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub id: Id,
    pub title: String,
    pub case: Option<CaseNumber>,
    pub year: Option<Year>,
    /// ISO date of the report.
    pub date: Option<String>,
    pub auditor: Option<String>,
    /// The decision by which the board received the report.
    pub received_by: Option<Id>,
    pub note: Option<String>,
    pub recommendations: Vec<Recommendation>,
    pub at: Location,
}

/// The internal control of the plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InternalControl {
    /// `None`: the default 4 × 4 scale ([`RiskScale::default`]).
    pub scale: Option<RiskScale>,
    pub risks: Vec<Risk>,
    pub controls: Vec<Control>,
    pub audits: Vec<Audit>,
    /// The package marks the register's assessments, the control plan and the audits'
    /// recommendations as synthetic example data (`synthetic = true` in control.toml), not the
    /// municipality's own: every output that shows them says so ([`SYNTHETIC_NOTE`]).
    pub synthetic: bool,
}

/// What every output says beside internal control marked synthetic.
pub const SYNTHETIC_NOTE: &str = "Syntetiska exempeldata: riskbedömningarna, den interna kontrollplanen, kontrollresultaten och revisionens rekommendationer här är påhittade för exemplet och är inte kommunens egna uppgifter eller beslut.";

impl InternalControl {
    /// The scale in force.
    pub fn scale(&self) -> RiskScale {
        self.scale.clone().unwrap_or_default()
    }

    /// Every action with its audit and recommendation.
    pub fn actions(&self) -> impl Iterator<Item = (&Audit, &Recommendation, &AuditAction)> {
        self.audits.iter().flat_map(|audit| {
            audit
                .recommendations
                .iter()
                .flat_map(move |recommendation| {
                    recommendation
                        .actions
                        .iter()
                        .map(move |action| (audit, recommendation, action))
                })
        })
    }

    /// The controls of a year's plan.
    pub fn controls_of(&self, year: Year) -> impl Iterator<Item = &Control> {
        self.controls.iter().filter(move |c| c.year == Some(year))
    }
}

/// One cell of the risk matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct MatrixCell {
    pub likelihood: u8,
    pub consequence: u8,
    pub band: Option<RiskBand>,
    /// The risks assessed here, in register order.
    pub risks: Vec<Id>,
}

/// The risk matrix of a year: a cell per likelihood × consequence, and the risks without an
/// assessment for that year (never placed in a cell).
#[derive(Debug, Clone, PartialEq)]
pub struct RiskMatrix {
    pub year: Year,
    pub scale: RiskScale,
    /// Row-major: likelihood from the highest down, consequence from 1 up (as printed).
    pub cells: Vec<MatrixCell>,
    pub unassessed: Vec<Id>,
}

impl RiskMatrix {
    pub fn cell(&self, likelihood: u8, consequence: u8) -> Option<&MatrixCell> {
        self.cells
            .iter()
            .find(|c| c.likelihood == likelihood && c.consequence == consequence)
    }
}

/// Places every risk in the matrix of a year by the assessment that holds then.
pub fn risk_matrix(control: &InternalControl, year: Year) -> RiskMatrix {
    let scale = control.scale();
    let mut cells = Vec::new();
    for likelihood in (1..=scale.likelihood).rev() {
        for consequence in 1..=scale.consequence {
            let score = u16::from(likelihood) * u16::from(consequence);
            cells.push(MatrixCell {
                likelihood,
                consequence,
                band: scale.band(score).cloned(),
                risks: Vec::new(),
            });
        }
    }
    let mut unassessed = Vec::new();
    for risk in &control.risks {
        let cell = risk.assessment(year).and_then(|a| {
            cells
                .iter_mut()
                .find(|c| c.likelihood == a.likelihood && c.consequence == a.consequence)
        });
        match cell {
            Some(cell) => cell.risks.push(risk.id.clone()),
            None => unassessed.push(risk.id.clone()),
        }
    }
    RiskMatrix {
        year,
        scale,
        cells,
        unassessed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(id: &str, assessments: &[(Year, u8, u8)]) -> Risk {
        Risk {
            id: Id::parse(id).unwrap(),
            title: id.to_owned(),
            description: None,
            process: None,
            owner: None,
            decision: None,
            assessments: assessments
                .iter()
                .map(|&(year, likelihood, consequence)| RiskAssessment {
                    year,
                    likelihood,
                    consequence,
                })
                .collect(),
            at: Location::default(),
        }
    }

    #[test]
    fn the_matrix_places_risks_by_the_assessment_that_holds() {
        let control = InternalControl {
            risks: vec![
                risk("a", &[(2020, 2, 3), (2021, 4, 4)]),
                risk("b", &[(2020, 2, 3)]),
                risk("c", &[(2022, 1, 1)]),
                risk("d", &[(2021, 4, 4)]),
            ],
            ..InternalControl::default()
        };
        let matrix = risk_matrix(&control, 2021);
        assert_eq!(matrix.cells.len(), 16);
        assert_eq!(matrix.cells[0].likelihood, 4);
        assert_eq!(matrix.cells[0].consequence, 1);
        let top = matrix.cell(4, 4).unwrap();
        assert_eq!(top.risks.len(), 2);
        assert_eq!(top.band.as_ref().unwrap().label, "Mycket hög");
        assert_eq!(
            matrix.cell(2, 3).unwrap().risks,
            vec![Id::parse("b").unwrap()]
        );
        assert_eq!(
            matrix.cell(2, 3).unwrap().band.as_ref().unwrap().label,
            "Medel"
        );
        assert_eq!(matrix.unassessed, vec![Id::parse("c").unwrap()]);
        let earlier = risk_matrix(&control, 2020);
        assert_eq!(earlier.cell(2, 3).unwrap().risks.len(), 2);
        assert_eq!(earlier.unassessed.len(), 2);
    }

    #[test]
    fn bands_follow_the_score() {
        let scale = RiskScale::default();
        assert_eq!(scale.band(3).unwrap().label, "Låg");
        assert_eq!(scale.band(9).unwrap().label, "Hög");
        assert_eq!(scale.band(16).unwrap().label, "Mycket hög");
        assert!(scale.problems().is_empty());
        let bad = RiskScale {
            likelihood: 1,
            bands: vec![RiskBand {
                min_score: 2,
                label: "x".into(),
                colour: "red".into(),
            }],
            ..RiskScale::default()
        };
        let fields: Vec<&str> = bad.problems().iter().map(|p| p.0).collect();
        assert_eq!(fields, ["likelihood", "band", "colour"]);
    }

    #[test]
    fn an_action_is_overdue_until_it_is_closed() {
        let action = AuditAction {
            id: Id::parse("x").unwrap(),
            text: String::new(),
            owner: None,
            due: Some("2021-06-30".into()),
            status: ActionStatus::InProgress,
            evidence: None,
            reason: None,
        };
        assert!(action.is_overdue(ActionStatus::InProgress, "2021-07-01"));
        assert!(!action.is_overdue(ActionStatus::InProgress, "2021-06-30"));
        assert!(!action.is_overdue(ActionStatus::Done, "2022-01-01"));
        assert!(recommendation_is_open(&[]));
        assert!(recommendation_is_open(&[
            ActionStatus::Done,
            ActionStatus::NotStarted
        ]));
        assert!(!recommendation_is_open(&[
            ActionStatus::Done,
            ActionStatus::ClosedWithoutAction
        ]));
    }
}
