//! Key figures from Kolada (the national database of municipal KPIs): the comparison group a
//! plan names, and the yearly values retrieved for the municipality itself and for that group.
//!
//! An indicator says which KPI it follows (`Indicator::kolada_kpi`); a value belongs to a KPI
//! and a municipality code, not to a plan version, so a new import of the plan keeps them. A
//! value Kolada reports without a number (not yet published, suppressed) is `None`, never zero.

use crate::{Location, Year, code_enum};
use rust_decimal::Decimal;

code_enum!(
    /// Kolada's gender split: total, women (kvinnor), men (män).
    Gender { Total => "T", Women => "K", Men => "M" }
);

/// A municipality the plan compares itself with (e.g. the other Södertörn municipalities).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComparisonMunicipality {
    /// SCB's four-digit municipality code, as Kolada spells it ("0127").
    pub code: String,
    pub name: String,
    pub at: Location,
}

/// What a plan says about Kolada: the group its indicators are compared with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KoladaSettings {
    /// The group's name as the charts print it ("Södertörnskommunerna"); `None` without a group.
    pub comparison_name: Option<String>,
    pub comparison: Vec<ComparisonMunicipality>,
}

/// One value of one KPI for one municipality, year and gender, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KoladaValue {
    pub kpi: String,
    /// The municipality's code ("0136").
    pub municipality: String,
    pub year: Year,
    pub gender: Gender,
    /// `None`: Kolada has the row but no value.
    pub value: Option<Decimal>,
    /// Kolada's status text (empty when none).
    pub status: String,
    /// Where it came from: the file or the URL.
    pub source: String,
    /// The date it was retrieved, ISO (YYYY-MM-DD).
    pub retrieved: String,
}

impl KoladaValue {
    /// The key a newer value replaces an older one under.
    pub fn key(&self) -> (&str, &str, Year, Gender) {
        (&self.kpi, &self.municipality, self.year, self.gender)
    }
}

/// The total (T) values of a KPI for one municipality, by year, without missing ones.
pub fn totals(values: &[KoladaValue], kpi: &str, municipality: &str) -> Vec<(Year, Decimal)> {
    let mut found: Vec<(Year, Decimal)> = values
        .iter()
        .filter(|v| v.kpi == kpi && v.municipality == municipality && v.gender == Gender::Total)
        .filter_map(|v| v.value.map(|value| (v.year, value)))
        .collect();
    found.sort_by_key(|(year, _)| *year);
    found
}

/// The comparison group's value of a KPI per year: the unweighted mean of the total values of
/// the `members` that have one that year, to one decimal (half away from zero). A year where
/// no member has a value is left out: missing, never zero.
pub fn group_mean(values: &[KoladaValue], kpi: &str, members: &[&str]) -> Vec<(Year, Decimal)> {
    let series: Vec<Vec<(Year, Decimal)>> = members
        .iter()
        .map(|code| totals(values, kpi, code))
        .collect();
    let mut years: Vec<Year> = series.iter().flatten().map(|(year, _)| *year).collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let found: Vec<Decimal> = series
                .iter()
                .filter_map(|s| s.iter().find(|(y, _)| *y == year).map(|(_, v)| *v))
                .collect();
            let sum: Decimal = found.iter().sum();
            let mean = (sum / Decimal::from(found.len()))
                .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
            (year, mean)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn value(municipality: &str, year: Year, value: Option<&str>) -> KoladaValue {
        KoladaValue {
            kpi: "N00914".to_owned(),
            municipality: municipality.to_owned(),
            year,
            gender: Gender::Total,
            value: value.map(|v| Decimal::from_str(v).unwrap()),
            status: String::new(),
            source: "test".to_owned(),
            retrieved: "2026-12-06".to_owned(),
        }
    }

    #[test]
    fn the_group_mean_counts_only_members_with_a_value_and_leaves_empty_years_out() {
        let values = [
            value("0127", 2018, Some("75.6")),
            value("0126", 2018, Some("82.45")),
            value("0127", 2019, Some("76.1")),
            value("0126", 2019, None),
            value("0140", 2020, None),
            // Not a member: not counted.
            value("0136", 2018, Some("10")),
        ];
        let mean = group_mean(&values, "N00914", &["0127", "0126", "0140"]);
        assert_eq!(
            mean,
            vec![
                // (75.6 + 82.45) / 2 = 79.025 → 79.0
                (2018, Decimal::from_str("79.0").unwrap()),
                // Only Botkyrka has a value: its own, not halved by a missing one.
                (2019, Decimal::from_str("76.1").unwrap()),
            ]
        );
    }
}
