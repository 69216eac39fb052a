//! Political assignments (uppdrag): what the council or the board asked for, who answers for
//! it, where the document mentions it, and its status per follow-up period with a comment.

use crate::{Id, Location, Year, code_enum};

/// An uppdrag, e.g. "2020 KS 3".
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub id: Id,
    /// The printed code ("2020 KS 3"); `None` for assignments printed without one.
    pub code: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub given_by: Option<Id>,
    pub given_year: Option<Year>,
    /// Responsible bodies, the leading body first.
    pub responsible: Vec<Id>,
    /// The goal of the same plan the assignment serves (in a nämnd's plan, a nämnd goal, which
    /// itself breaks down a KF goal); `None` when the plan does not say.
    pub goal: Option<Id>,
    pub at: Location,
}

/// A place in the document where an assignment appears, with the text printed there.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentMention {
    pub assignment: Id,
    pub section: Id,
    pub label: String,
    pub at: Location,
}

code_enum!(
    /// The status of an assignment at a follow-up.
    AssignmentStatus {
        NotStarted => "not_started",
        Started => "started",
        Done => "done",
        Waiting => "waiting",
        Deviation => "deviation",
        Dialogue => "dialogue",
        /// The source does not show the status (the seed lost its icons): never guessed.
        Unknown => "unknown",
    }
);

impl AssignmentStatus {
    /// The Swedish label used in documents.
    pub fn label_sv(self) -> &'static str {
        match self {
            AssignmentStatus::NotStarted => "Ej påbörjad",
            AssignmentStatus::Started => "Påbörjad",
            AssignmentStatus::Done => "Färdig",
            AssignmentStatus::Waiting => "Väntar",
            AssignmentStatus::Deviation => "Avvikelse",
            AssignmentStatus::Dialogue => "Dialog behövs",
            AssignmentStatus::Unknown => "Okänd",
        }
    }
}

/// The status of an assignment reported for one follow-up period.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusReport {
    pub assignment: Id,
    pub period: Id,
    pub status: AssignmentStatus,
    pub comment: Option<String>,
    pub at: Location,
}
