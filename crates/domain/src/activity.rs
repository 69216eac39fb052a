//! Verksamhetsmått and volymer (issue 22, item 6): measures of a unit's activity that are not
//! goal indicators — antal ärenden, antal besök — defined with their unit of measure and a
//! budgeted volume in the plan package (`matt/matt.csv`, `matt/budget.csv`), their outcome per
//! month reported as follow-up data (imported or entered in the web, kept in the store).

use crate::{Id, Location, Month, Year};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// One measure of one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityMeasure {
    pub id: Id,
    /// The organisational unit (`[[unit]]`) it measures.
    pub unit: Id,
    pub name: String,
    /// What is counted, as printed: "ärenden", "besök".
    pub unit_of_measure: String,
    /// Made up (the example's measures are synthetic).
    pub synthetic: bool,
    pub at: Location,
}

/// Which period a budgeted volume is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BudgetPeriod {
    Month(Month),
    Year(Year),
}

impl BudgetPeriod {
    /// `2021-03` or `2021`.
    pub fn parse(text: &str) -> Option<BudgetPeriod> {
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            return text.parse().ok().map(BudgetPeriod::Year);
        }
        Month::parse(text).map(BudgetPeriod::Month)
    }

    pub fn year(self) -> Year {
        match self {
            BudgetPeriod::Month(m) => m.year(),
            BudgetPeriod::Year(y) => y,
        }
    }
}

impl std::fmt::Display for BudgetPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BudgetPeriod::Month(m) => write!(f, "{m}"),
            BudgetPeriod::Year(y) => write!(f, "{y}"),
        }
    }
}

/// A budgeted volume of a measure for a month or a whole year.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureBudget {
    pub measure: Id,
    pub period: BudgetPeriod,
    pub volume: Decimal,
    pub at: Location,
}

/// An outcome of a measure for a month (follow-up data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureValue {
    pub measure: Id,
    pub month: Month,
    pub value: Decimal,
}

/// The measures of a plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityMeasures {
    pub measures: Vec<ActivityMeasure>,
    pub budget: Vec<MeasureBudget>,
}

/// One month of a measure's series: budget (when budgeted per month) and outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeriesMonth {
    pub month: Month,
    pub budget: Option<Decimal>,
    pub actual: Option<Decimal>,
}

/// A measure over the months of a year up to a month: each month, and the totals, each the
/// sum of the months shown (the year's budget when it is budgeted per year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub months: Vec<SeriesMonth>,
    /// The budget of the months shown: the sum of their monthly budgets, or for a measure
    /// budgeted per year the year's volume pro rata (months shown / 12), exact.
    pub budget_to_date: Option<Decimal>,
    /// The budget of the whole year.
    pub budget_year: Option<Decimal>,
    /// The sum of the outcomes shown.
    pub actual_to_date: Option<Decimal>,
}

impl ActivityMeasures {
    pub fn find(&self, id: &Id) -> Option<&ActivityMeasure> {
        self.measures.iter().find(|m| &m.id == id)
    }

    /// The measure's series for January–`until` of `until`'s year.
    pub fn series(&self, measure: &Id, until: Month, values: &[MeasureValue]) -> Series {
        let year = until.year();
        let mine = |p: &&MeasureBudget| &p.measure == measure && p.period.year() == year;
        let monthly: BTreeMap<Month, Decimal> = self
            .budget
            .iter()
            .filter(mine)
            .filter_map(|b| match b.period {
                BudgetPeriod::Month(m) => Some((m, b.volume)),
                BudgetPeriod::Year(_) => None,
            })
            .collect();
        let yearly = self
            .budget
            .iter()
            .filter(mine)
            .find(|b| matches!(b.period, BudgetPeriod::Year(_)))
            .map(|b| b.volume);
        let months: Vec<SeriesMonth> = (1..=until.month())
            .filter_map(|m| Month::new(year, m))
            .map(|month| SeriesMonth {
                month,
                budget: monthly.get(&month).copied(),
                actual: values
                    .iter()
                    .find(|v| &v.measure == measure && v.month == month)
                    .map(|v| v.value),
            })
            .collect();
        let sum = |items: Vec<Decimal>| (!items.is_empty()).then(|| items.into_iter().sum());
        let budget_year = yearly.or_else(|| sum(monthly.values().copied().collect()));
        let budget_to_date = match yearly {
            Some(volume) => Some(volume * Decimal::from(until.month()) / Decimal::from(12)),
            None => sum(months.iter().filter_map(|m| m.budget).collect()),
        };
        let actual_to_date = sum(months.iter().filter_map(|m| m.actual).collect());
        Series {
            months,
            budget_to_date,
            budget_year,
            actual_to_date,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_totals_the_months_shown() {
        let id = Id::parse("arenden").unwrap();
        let month = |t: &str| Month::parse(t).unwrap();
        let measures = ActivityMeasures {
            measures: vec![],
            budget: vec![
                MeasureBudget {
                    measure: id.clone(),
                    period: BudgetPeriod::Month(month("2021-01")),
                    volume: Decimal::from(10),
                    at: Location::default(),
                },
                MeasureBudget {
                    measure: id.clone(),
                    period: BudgetPeriod::Month(month("2021-02")),
                    volume: Decimal::from(20),
                    at: Location::default(),
                },
            ],
        };
        let values = [MeasureValue {
            measure: id.clone(),
            month: month("2021-02"),
            value: Decimal::from(25),
        }];
        let series = measures.series(&id, month("2021-02"), &values);
        assert_eq!(series.budget_to_date, Some(Decimal::from(30)));
        assert_eq!(series.actual_to_date, Some(Decimal::from(25)));
        assert_eq!(series.months[0].actual, None);
        assert_eq!(BudgetPeriod::parse("2021"), Some(BudgetPeriod::Year(2021)));
    }
}
