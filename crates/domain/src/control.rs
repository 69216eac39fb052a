//! Internal control: the risk register, the control plan, and audits with their
//! recommendations, each tracked to done.

use crate::org::CaseNumber;
use crate::{Id, Location, Year, code_enum};

/// A risk in the register. Likelihood and consequence are 1–4 when assessed.
#[derive(Debug, Clone, PartialEq)]
pub struct Risk {
    pub id: Id,
    pub title: String,
    pub description: Option<String>,
    pub likelihood: Option<u8>,
    pub consequence: Option<u8>,
    pub at: Location,
}

/// A control in the internal control plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    pub id: Id,
    pub risk: Option<Id>,
    pub title: String,
    pub method: Option<String>,
    pub frequency: Option<String>,
    pub responsible: Option<Id>,
    pub at: Location,
}

code_enum!(
    /// How far a recommendation has come.
    RecommendationStatus { Open => "open", InProgress => "in_progress", Done => "done" }
);

/// A recommendation of an audit report.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub id: Id,
    pub text: String,
    pub status: RecommendationStatus,
}

/// An audit report (granskning) by the auditors.
#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub id: Id,
    pub title: String,
    pub case: Option<CaseNumber>,
    pub year: Option<Year>,
    pub note: Option<String>,
    pub recommendations: Vec<Recommendation>,
    pub at: Location,
}

/// The internal control of the plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InternalControl {
    pub risks: Vec<Risk>,
    pub controls: Vec<Control>,
    pub audits: Vec<Audit>,
}
