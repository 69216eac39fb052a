//! Follow-up: the periods a plan is followed up per and the figures reported for them.

use crate::{Id, Location, code_enum};
use rust_decimal::Decimal;

code_enum!(
    /// Monthly closing, interim report (delårsrapport) or annual report.
    PeriodKind { Monthly => "monthly", Interim => "interim", Annual => "annual" }
);

/// A follow-up period: the month it is made per and what kind of follow-up it is.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpPeriod {
    pub id: Id,
    /// `YYYY-MM`.
    pub month: String,
    pub kind: PeriodKind,
    pub title: String,
    pub at: Location,
}

/// A figure reported in a follow-up, e.g. the accumulated outcome 217,0 mnkr per October.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpFigure {
    pub id: Id,
    pub period: Id,
    pub label: String,
    pub value: Decimal,
    pub unit: String,
    pub at: Location,
}

/// Checks that a month is written `YYYY-MM` with a real month.
pub fn is_valid_month(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 7
        && bytes[4] == b'-'
        && bytes[..4].iter().chain(&bytes[5..]).all(u8::is_ascii_digit)
        && matches!(text[5..].parse::<u8>(), Ok(1..=12))
}
