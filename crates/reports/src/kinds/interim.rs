//! The delårsrapport of an interim period (April, August).

use super::{ALL_SECTIONS, ReportKind};
use styr_domain::Year;
use styr_domain::followup::{FollowUpPeriod, PeriodKind};

pub const KIND: ReportKind = ReportKind {
    slug: "delarsrapport",
    name_sv: "delårsrapport",
    help_sv: "delårsrapporten för en delårsperiod (april, augusti)",
    period: PeriodKind::Interim,
    title,
    sections: ALL_SECTIONS,
};

/// "Delårsrapport 2 2021" when the period's title numbers it, else the period's title.
fn title(period: &FollowUpPeriod, year: Year) -> (String, Option<String>) {
    match interim_number(&period.title) {
        Some(number) => (format!("Delårsrapport {number} {year}"), None),
        None => (period.title.clone(), None),
    }
}

/// The number in a period title "Delårsrapport 2 per augusti 2021".
fn interim_number(title: &str) -> Option<&str> {
    let mut words = title.split_whitespace();
    words.find(|word| word.to_lowercase() == "delårsrapport")?;
    words
        .next()
        .filter(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interim_number_is_read_from_the_period_title() {
        assert_eq!(
            interim_number("Delårsrapport 2 per augusti 2021"),
            Some("2")
        );
        assert_eq!(interim_number("delårsrapport 1"), Some("1"));
        assert_eq!(interim_number("Årsredovisning 2021"), None);
        assert_eq!(interim_number("Delårsrapport per augusti"), None);
    }
}
