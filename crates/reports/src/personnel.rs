//! Personnel figures and verksamhetsmått of a period as report values (issue 22, items 6–7):
//! what the årsredovisning's "Väsentliga personalförhållanden" and a measures section show,
//! computed once here from the domain's rules and rendered by docgen, the CLI and the web.

use std::collections::BTreeSet;
use styr_domain::activity::{ActivityMeasure, ActivityMeasures, MeasureValue, Series};
use styr_domain::personnel::{Personnel, SickFigure, SickLeave, Span, StaffFigures};
use styr_domain::{Id, Month};

/// The personnel figures of one scope (a unit with its sub-units, a body, the municipality)
/// over a span, beside the same span a year earlier.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonnelFigures {
    /// Whose figures: "Kommunstyrelseförvaltningen", "Haninge kommun".
    pub scope: String,
    pub span: Span,
    pub sick: SickLeave,
    pub previous_sick: SickLeave,
    pub staff: StaffFigures,
    pub previous_staff: StaffFigures,
    /// Sjukfrånvaro (total, in percent) per month of the span, exact.
    pub months: Vec<(Month, Option<rust_decimal::Decimal>)>,
    /// Any row behind the figures is synthetic.
    pub synthetic: bool,
}

impl PersonnelFigures {
    /// The seven figures in LKBR's order: (figure, this span, the previous year's).
    pub fn rows(
        &self,
    ) -> Vec<(
        SickFigure,
        Option<rust_decimal::Decimal>,
        Option<rust_decimal::Decimal>,
    )> {
        SickFigure::ALL
            .into_iter()
            .map(|f| (f, self.sick.figure(f), self.previous_sick.figure(f)))
            .collect()
    }

    /// Whether there is anything to show.
    pub fn is_empty(&self) -> bool {
        self.sick.is_empty() && !self.staff.has_headcount && self.previous_sick.is_empty()
    }
}

/// The personnel figures of `units` (every unit when `None`) over `span`.
pub fn personnel_figures(
    personnel: &Personnel,
    units: Option<&BTreeSet<Id>>,
    span: Span,
    scope: impl Into<String>,
) -> PersonnelFigures {
    let months = months_of(span)
        .into_iter()
        .map(|month| {
            let sick = personnel.sick_leave(units, Span::Month(month));
            (month, sick.figure(SickFigure::Total))
        })
        .collect();
    let previous = span.previous_year();
    PersonnelFigures {
        scope: scope.into(),
        span,
        sick: personnel.sick_leave(units, span),
        previous_sick: personnel.sick_leave(units, previous),
        staff: personnel.staff(units, span),
        previous_staff: personnel.staff(units, previous),
        months,
        synthetic: personnel.is_synthetic(span) || personnel.is_synthetic(previous),
    }
}

fn months_of(span: Span) -> Vec<Month> {
    match span {
        Span::Month(m) => vec![m],
        Span::YearToDate(until) => (1..=until.month())
            .filter_map(|m| Month::new(until.year(), m))
            .collect(),
        Span::Year(year) => (1..=12).filter_map(|m| Month::new(year, m)).collect(),
    }
}

/// One measure over the months of a year up to a month.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasureFollowUp {
    pub measure: ActivityMeasure,
    /// The unit's name as the plan gives it.
    pub unit_name: String,
    pub series: Series,
}

/// The measures of a plan for January up to `until`.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasuresReport {
    pub until: Month,
    pub measures: Vec<MeasureFollowUp>,
    pub synthetic: bool,
}

/// Every measure of the plan (of `units` when given), with its outcomes from `values`.
pub fn measures_report(
    plan: &styr_domain::Plan,
    activity: &ActivityMeasures,
    units: Option<&BTreeSet<Id>>,
    until: Month,
    values: &[MeasureValue],
) -> MeasuresReport {
    let measures: Vec<MeasureFollowUp> = activity
        .measures
        .iter()
        .filter(|m| units.is_none_or(|u| u.contains(&m.unit)))
        .map(|measure| MeasureFollowUp {
            unit_name: plan
                .units
                .iter()
                .find(|u| u.id == measure.unit)
                .map_or_else(|| measure.unit.to_string(), |u| u.name.clone()),
            series: activity.series(&measure.id, until, values),
            measure: measure.clone(),
        })
        .collect();
    MeasuresReport {
        until,
        synthetic: measures.iter().any(|m| m.measure.synthetic),
        measures,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use styr_domain::Location;
    use styr_domain::personnel::{AgeGroup, Gender, HoursRow};

    #[test]
    fn figures_come_with_the_previous_years_same_span() {
        let row = |month: &str, sick: i64| HoursRow {
            unit: Id::parse("a").unwrap(),
            month: Month::parse(month).unwrap(),
            gender: Gender::Man,
            age: AgeGroup::From50,
            working: Decimal::from(1000),
            sick: Decimal::from(sick),
            long_term: Decimal::ZERO,
            synthetic: true,
            at: Location::default(),
        };
        let personnel = Personnel {
            hours: vec![row("2020-08", 20), row("2021-08", 30), row("2021-09", 90)],
            staff: vec![],
        };
        let span = Span::YearToDate(Month::parse("2021-08").unwrap());
        let figures = personnel_figures(&personnel, None, span, "A");
        let total = figures.rows()[0];
        assert_eq!(
            total,
            (
                SickFigure::Total,
                Some(Decimal::from(3)),
                Some(Decimal::from(2))
            )
        );
        assert_eq!(figures.months.len(), 8);
        assert!(figures.synthetic);
    }
}
