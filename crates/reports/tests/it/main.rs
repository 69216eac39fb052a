//! Tests of the reports: small hand-made ledgers with exact figures, and the bundled example.

mod budget_out;
mod budget_vs_actual;
mod due;
mod statements_whole;
mod totals;
mod whole_units;
