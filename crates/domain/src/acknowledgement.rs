//! Acknowledgements of findings: a reviewer has looked at a finding of `styr check` and says
//! why it stands (the printed document is kept as printed). The finding is then reported as
//! acknowledged, with who, when and why, instead of as an error.

use crate::Location;

/// A finding, by its stable id, acknowledged with a reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acknowledgement {
    /// The id of the finding (`row:budget/finance.csv:personalomkostnader:2020`).
    pub finding: String,
    pub reason: String,
    /// The login of who acknowledged it.
    pub by: String,
    /// When, as an ISO 8601 UTC timestamp.
    pub at: String,
    pub location: Location,
}
