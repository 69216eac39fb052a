//! How much a report may hold and when a figure is implausible.
//!
//! Two kinds of rule, both pure so that the web form, the API, the CLI, file imports and the
//! period report cannot disagree:
//!
//! - **Limits** ([`limit_violations`]): every text field of a report has a maximum length and an
//!   amount a maximum size. A report over a limit is refused, naming the field in Swedish.
//! - **Plausibility** ([`forecast_warnings`]): a full-year forecast below what is already booked
//!   for the year, or far from the line's budget, is not refused; an interactive save asks for a
//!   confirmation, and the period report lists it under "Kräver uppmärksamhet".
//!
//! The figures are documented in `docs/web.md` ("Gränser och rimlighet").

use crate::Money;
use crate::followup::ReportEntry;
use crate::number::format_swedish;
use rust_decimal::Decimal;

/// The longest comment, motivation, finding, action plan or action (characters).
pub const MAX_TEXT_CHARS: usize = 4_000;
/// The longest source or evidence reference (characters).
pub const MAX_SOURCE_CHARS: usize = 500;
/// The largest forecast, in tkr either way: 100 000 000 tkr (100 miljarder kronor), well above
/// any Swedish municipality's whole budget.
pub const MAX_FORECAST_TKR: i64 = 100_000_000;
/// The largest indicator outcome either way.
pub const MAX_OUTCOME: i64 = 1_000_000_000_000;

/// A forecast is far from its budget when it differs from the year's budget by more than half
/// the budget's size and by more than this many tkr.
pub const FAR_MIN_TKR: i64 = 1_000;

/// A limit a report exceeds: the field (as the forms name it) and a Swedish sentence that names
/// it for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitViolation {
    pub field: &'static str,
    pub message: String,
}

/// The violation of a text longer than `max` characters: "Kommentaren är för lång: 4 001 tecken,
/// högst 4 000 tecken" (`name` says it of the field as a reader calls it: "Kommentaren är för
/// lång").
pub fn too_long(
    field: &'static str,
    name: &str,
    text: Option<&str>,
    max: usize,
) -> Option<LimitViolation> {
    let count = text?.chars().count();
    (count > max).then(|| LimitViolation {
        field,
        message: format!(
            "{name}: {} tecken, högst {} tecken",
            format_swedish(Decimal::from(count as u64), 0, ' '),
            format_swedish(Decimal::from(max as u64), 0, ' ')
        ),
    })
}

/// Every limit the report's fields exceed (empty: within limits).
pub fn limit_violations(entry: &ReportEntry) -> Vec<LimitViolation> {
    let text = |field, name, value: &Option<String>| {
        too_long(field, name, value.as_deref(), MAX_TEXT_CHARS)
    };
    let source = |field, name, value: &Option<String>| {
        too_long(field, name, value.as_deref(), MAX_SOURCE_CHARS)
    };
    let mut found: Vec<Option<LimitViolation>> = Vec::new();
    match entry {
        ReportEntry::Status { comment, .. } => {
            found.push(text("comment", "Kommentaren är för lång", comment))
        }
        ReportEntry::Outcome {
            value,
            source: from,
            comment,
            ..
        } => {
            if value.abs() > Decimal::from(MAX_OUTCOME) {
                found.push(Some(LimitViolation {
                    field: "value",
                    message: format!(
                        "Utfallet {} är större än gränsen {}",
                        format_swedish(*value, value.normalize().scale(), ' '),
                        format_swedish(Decimal::from(MAX_OUTCOME), 0, ' ')
                    ),
                }));
            }
            found.push(source("source", "Källan är för lång", from));
            found.push(text("comment", "Kommentaren är för lång", comment));
        }
        ReportEntry::Assessment { motivation, .. } => found.push(too_long(
            "comment",
            "Motiveringen är för lång",
            Some(motivation),
            MAX_TEXT_CHARS,
        )),
        ReportEntry::Forecast {
            amount,
            comment,
            action_plan,
            ..
        } => {
            let max = Money::from_tkr(MAX_FORECAST_TKR).unwrap_or(Money::from_ore(i64::MAX));
            if amount.abs() > max {
                found.push(Some(LimitViolation {
                    field: "value",
                    message: format!(
                        "Prognosen {} tkr är större än gränsen {} tkr (100 miljarder kronor); skriv beloppet i tkr",
                        format_swedish(amount.tkr(), 0, ' '),
                        format_swedish(Decimal::from(MAX_FORECAST_TKR), 0, ' ')
                    ),
                }));
            }
            found.push(text("comment", "Kommentaren är för lång", comment));
            found.push(text(
                "action_plan",
                "Åtgärdsplanen är för lång",
                action_plan,
            ));
        }
        ReportEntry::Control {
            finding, action, ..
        } => {
            found.push(text("comment", "Iakttagelsen är för lång", finding));
            found.push(text("action_plan", "Åtgärden är för lång", action));
        }
        ReportEntry::AuditAction {
            evidence, comment, ..
        } => {
            found.push(source("source", "Underlaget är för långt", evidence));
            found.push(text("comment", "Kommentaren är för lång", comment));
        }
    }
    found.into_iter().flatten().collect()
}

/// Why a full-year forecast looks wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForecastWarning {
    /// The forecast for the whole year is smaller than what is already booked: the rest of the
    /// year would have to bring money back.
    BelowBooked { forecast: Money, booked: Money },
    /// The forecast differs from the year's budget by more than half the budget and more than
    /// [`FAR_MIN_TKR`].
    FarFromBudget { forecast: Money, budget: Money },
}

fn tkr(amount: Money) -> String {
    format_swedish(amount.tkr(), 0, ' ')
}

impl ForecastWarning {
    /// The warning in Swedish, amounts in whole tkr as the tables show them.
    pub fn message_sv(&self) -> String {
        match *self {
            ForecastWarning::BelowBooked { forecast, booked } => format!(
                "prognosen för helåret ({} tkr) är lägre än det som redan är bokfört i år ({} tkr)",
                tkr(forecast),
                tkr(booked)
            ),
            ForecastWarning::FarFromBudget { forecast, budget } => format!(
                "prognosen ({} tkr) ligger långt från årets budget ({} tkr): mer än hälften av budgeten och mer än {} tkr ifrån",
                tkr(forecast),
                tkr(budget),
                tkr(Money::from_ore(FAR_MIN_TKR * 100_000))
            ),
        }
    }
}

/// Whether `forecast` is far from `budget`: it differs by more than half the budget's size and by
/// more than [`FAR_MIN_TKR`].
pub fn is_far_from_budget(forecast: Money, budget: Money) -> bool {
    let difference = (i128::from(forecast.ore()) - i128::from(budget.ore())).abs();
    let half = i128::from(budget.ore()).abs() / 2;
    let minimum = i128::from(FAR_MIN_TKR) * 100_000;
    difference > half.max(minimum)
}

/// The plausibility of a line's full-year forecast against the year's budget and what is booked
/// so far this year: the one rule the form's confirmation and the period report both use.
pub fn forecast_warnings(
    forecast: Money,
    budget: Option<Money>,
    booked: Option<Money>,
) -> Vec<ForecastWarning> {
    let mut warnings = Vec::new();
    if let Some(booked) = booked {
        // Costs (a positive net) cannot end the year below what is booked; income (a negative
        // net) cannot end the year with less than what has come in.
        let below = (booked > Money::ZERO && forecast < booked)
            || (booked < Money::ZERO && forecast > booked);
        if below {
            warnings.push(ForecastWarning::BelowBooked { forecast, booked });
        }
    }
    let budget = budget.unwrap_or(Money::ZERO);
    if is_far_from_budget(forecast, budget) {
        warnings.push(ForecastWarning::FarFromBudget { forecast, budget });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::BudgetLineRef;

    fn tkr(value: i64) -> Money {
        Money::from_tkr(value).unwrap()
    }

    fn forecast(amount: Money, comment: Option<String>) -> ReportEntry {
        ReportEntry::Forecast {
            line: BudgetLineRef::parse("op.ksf.ksf").unwrap(),
            amount,
            comment,
            action_plan: None,
        }
    }

    #[test]
    fn a_forecast_below_what_is_booked_is_a_warning() {
        // Delårsrapport 2021-08, Försäkringar: forecast 2 900, booked 3 273.
        let warnings = forecast_warnings(tkr(2_900), Some(tkr(3_000)), Some(tkr(3_273)));
        assert_eq!(
            warnings,
            vec![ForecastWarning::BelowBooked {
                forecast: tkr(2_900),
                booked: tkr(3_273)
            }]
        );
        assert!(
            warnings[0]
                .message_sv()
                .contains("lägre än det som redan är bokfört")
        );
        // October, Partistöd: 3 548 against 3 598.
        assert_eq!(
            forecast_warnings(tkr(3_548), Some(tkr(3_598)), Some(tkr(3_598))).len(),
            1
        );
        // Income: less than has already come in.
        assert_eq!(
            forecast_warnings(tkr(-400), Some(tkr(-500)), Some(tkr(-450))).len(),
            1
        );
        assert!(forecast_warnings(tkr(3_300), Some(tkr(3_000)), Some(tkr(3_273))).is_empty());
    }

    #[test]
    fn far_from_budget_is_half_the_budget_and_at_least_a_million() {
        let budget = Some(tkr(84_198));
        assert!(forecast_warnings(tkr(84_198 + 42_099), budget, None).is_empty());
        assert_eq!(
            forecast_warnings(tkr(84_198 + 42_100), budget, None).len(),
            1
        );
        assert_eq!(forecast_warnings(tkr(-5_000), budget, None).len(), 1);
        // A small line: 1 000 tkr either way is not far.
        assert!(forecast_warnings(tkr(1_300), Some(tkr(300)), None).is_empty());
        assert_eq!(forecast_warnings(tkr(1_301), Some(tkr(300)), None).len(), 1);
    }

    #[test]
    fn limits_name_the_field() {
        let long = "a".repeat(MAX_TEXT_CHARS + 1);
        let found = limit_violations(&forecast(tkr(100), Some(long)));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].field, "comment");
        assert!(
            found[0]
                .message
                .starts_with("Kommentaren är för lång: 4 001 tecken")
        );
        let huge = Money::from_tkr(1_000_000_000_000).unwrap();
        let found = limit_violations(&forecast(huge, None));
        assert_eq!(found[0].field, "value");
        assert!(found[0].message.contains("Prognosen 1 000 000 000 000 tkr"));
        assert!(limit_violations(&forecast(tkr(MAX_FORECAST_TKR), Some("ok".into()))).is_empty());
    }
}
