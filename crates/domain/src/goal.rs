//! The political platform and goals: målområden → mål → prioriteringar, and indicators with
//! yearly outcomes and targets. A missing indicator value is absent, never zero.

use crate::{Id, Location, Year, code_enum};
use rust_decimal::Decimal;

/// One of the political platform's starting points (utgångspunkter).
#[derive(Debug, Clone, PartialEq)]
pub struct StartingPoint {
    pub id: Id,
    pub title: String,
    pub at: Location,
}

/// A målområde.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalArea {
    pub id: Id,
    pub name: String,
    pub description: Option<String>,
    pub at: Location,
}

/// A mål: set by the council in KF's plan, or a body's own goal in its plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    pub id: Id,
    pub area: Id,
    pub number: u32,
    pub title: String,
    pub description: Option<String>,
    /// The KF goal (an id of a goal in the council's plan) that this body's goal breaks down;
    /// `None` in KF's own plan. Checked across plans (`styr_checks::municipality`), not within.
    pub parent: Option<Id>,
    pub at: Location,
}

/// A prioritering (strategy) for reaching a goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Priority {
    pub id: Id,
    pub goal: Id,
    pub text: String,
    pub at: Location,
}

code_enum!(
    /// Which level set the indicator.
    IndicatorLevel { Council => "KF", Board => "board" }
);

code_enum!(
    /// Which way is better.
    Direction { Higher => "higher", Lower => "lower" }
);

code_enum!(
    /// How often the indicator is measured.
    Cadence { Yearly => "yearly", EverySecondYear => "every_second_year" }
);

code_enum!(
    /// Where the indicator's values come from.
    IndicatorSource {
        /// A local measurement of the municipality's own.
        Local => "local",
        /// Öppna jämförelser.
        OpenComparisons => "open_comparisons",
        /// Kolada (with a KPI id).
        Kolada => "kolada",
    }
);

code_enum!(
    /// Utfall or mål.
    ValueKind { Outcome => "outcome", Target => "target" }
);

/// An indicator (indikator) of a goal.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub id: Id,
    pub goal: Id,
    pub level: IndicatorLevel,
    pub name: String,
    /// As printed; `None` when the document does not say.
    pub unit: Option<String>,
    pub direction: Option<Direction>,
    pub cadence: Option<Cadence>,
    pub source: Option<IndicatorSource>,
    pub kolada_kpi: Option<String>,
    pub footnote: Option<String>,
    /// The body that answers for the indicator ("Kommunstyrelsen ansvarar för denna indikator").
    pub responsible: Option<Id>,
    pub at: Location,
}

/// One yearly outcome or target of an indicator.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub indicator: Id,
    pub year: Year,
    pub kind: ValueKind,
    pub value: Decimal,
    pub at: Location,
}
