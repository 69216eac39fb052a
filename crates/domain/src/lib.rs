//! The domain of styr: the values a municipality's strategy-and-budget document is made of.
//!
//! Pure, synchronous types and rules — money, years, ids, bodies and decisions, goals and
//! indicators, political assignments, budget tables, follow-up figures, internal control, the
//! document outline, the figure expressions that narrative claims are made of, and the mapping
//! from the ledger's accounts and objects to the plan's budget lines. This crate
//! does no I/O, knows no file format and no database: readers build these values, checks and
//! reports consume them.

pub mod acknowledgement;
pub mod activity;
pub mod alternative;
pub mod assessment;
pub mod assignment;
pub mod budget;
pub mod claim;
pub mod control;
pub mod council;
pub mod describe;
pub mod document;
pub mod due;
pub mod expr;
pub mod followup;
pub mod frame_calculation;
pub mod geh;
pub mod goal;
pub mod id;
pub mod kolada;
pub mod koncern;
pub mod ledger;
pub mod localtime;
pub mod location;
pub mod money;
pub mod month;
pub mod number;
pub mod org;
pub mod personnel;
pub mod plan;
pub mod plausibility;
pub mod process;
pub mod rule_index;
pub mod statements;
pub mod statutory;
pub mod text;
pub mod year_balance;

pub use id::Id;
pub use location::Location;
pub use money::Money;
pub use month::{Month, MonthError};
pub use plan::Plan;

/// A calendar or fiscal year (Swedish municipalities use the calendar year).
pub type Year = i32;
