//! Personnel figures (issue 22, item 7): the seven sjukfrånvaro key figures that LKBR asks the
//! årsredovisning to state (lag 2018:597 om kommunal bokföring och redovisning, 11 kap. 5 §
//! förvaltningsberättelsen: sjukfrånvaro in percent of the employees' sammanlagda ordinarie
//! arbetstid; the share of it that is long-term, 60 days or more; per gender; per age group
//! −29, 30–49, 50−), computed from hours, never typed, plus antal anställda, årsarbetare and
//! personalomsättning from the headcount per month.
//!
//! Every ratio is exact (`Decimal`); rounding is the output's, once, for display.

use crate::{Id, Location, Month, Year, code_enum};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

code_enum!(
    /// Kön as the personnel statistics records it.
    Gender {
        Woman => "kvinna",
        Man => "man",
    }
);

code_enum!(
    /// The age groups of LKBR's sjukfrånvaro figures.
    AgeGroup {
        UpTo29 => "-29",
        From30To49 => "30-49",
        From50 => "50-",
    }
);

impl AgeGroup {
    /// "29 år eller yngre", as the årsredovisning prints it.
    pub fn label_sv(self) -> &'static str {
        match self {
            AgeGroup::UpTo29 => "29 år eller yngre",
            AgeGroup::From30To49 => "30–49 år",
            AgeGroup::From50 => "50 år eller äldre",
        }
    }
}

/// Hours of one unit, month, gender and age group (`personal/timmar.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct HoursRow {
    pub unit: Id,
    pub month: Month,
    pub gender: Gender,
    pub age: AgeGroup,
    /// Sammanlagd ordinarie arbetstid, hours.
    pub working: Decimal,
    /// Sjukfrånvarotimmar.
    pub sick: Decimal,
    /// Of `sick`: hours of absences of 60 days or more.
    pub long_term: Decimal,
    /// Made up (the example's hours are synthetic): every output that shows it says so.
    pub synthetic: bool,
    pub at: Location,
}

/// The headcount of one unit, month and gender at the month's end (`personal/anstallda.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct StaffRow {
    pub unit: Id,
    pub month: Month,
    pub gender: Gender,
    /// Tillsvidareanställda (månadsavlönade) at the month's last day.
    pub permanent: u32,
    /// Visstidsanställda (månadsavlönade) at the month's last day.
    pub temporary: u32,
    /// Årsarbetare: the sum of the employees' sysselsättningsgrad, exact.
    pub full_time_equivalents: Decimal,
    /// Tillsvidareanställda who left during the month (avgångar).
    pub leavers: u32,
    pub synthetic: bool,
    pub at: Location,
}

/// The personnel data of a plan; empty when the package has none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Personnel {
    pub hours: Vec<HoursRow>,
    pub staff: Vec<StaffRow>,
}

/// Which months a figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Month(Month),
    /// January up to and including the month (ackumulerat).
    YearToDate(Month),
    Year(Year),
}

impl Span {
    pub fn contains(self, month: Month) -> bool {
        match self {
            Span::Month(m) => month == m,
            Span::YearToDate(until) => month.year() == until.year() && month <= until,
            Span::Year(year) => month.year() == year,
        }
    }

    /// The span of a `personal.` reference: `@YEAR` (a year), `YYYY_MM` (a month) or
    /// `tom_YYYY_MM` (January to the month).
    pub fn of_ref(segment: Option<&str>, year: Option<Year>) -> Option<Span> {
        let month = |text: &str| Month::parse(&text.replacen('_', "-", 1));
        match (segment, year) {
            (None, Some(year)) => Some(Span::Year(year)),
            (Some(text), None) => match text.strip_prefix("tom_") {
                Some(rest) => month(rest).map(Span::YearToDate),
                None => month(text).map(Span::Month),
            },
            _ => None,
        }
    }

    /// The same span a year earlier (R17: the previous year's same period).
    pub fn previous_year(self) -> Span {
        let back = |m: Month| Month::new(m.year() - 1, m.month()).unwrap_or(m);
        match self {
            Span::Month(m) => Span::Month(back(m)),
            Span::YearToDate(m) => Span::YearToDate(back(m)),
            Span::Year(year) => Span::Year(year - 1),
        }
    }

    /// The last month of the span (the date a headcount is taken at).
    pub fn last_month(self) -> Month {
        match self {
            Span::Month(m) | Span::YearToDate(m) => m,
            Span::Year(year) => Month::new(year, 12).expect("a valid month"),
        }
    }

    /// "september 2020", "januari–augusti 2021", "2019".
    pub fn label_sv(self) -> String {
        const NAMES: [&str; 12] = [
            "januari",
            "februari",
            "mars",
            "april",
            "maj",
            "juni",
            "juli",
            "augusti",
            "september",
            "oktober",
            "november",
            "december",
        ];
        let name = |m: Month| NAMES[usize::from(m.month() - 1)];
        match self {
            Span::Month(m) => format!("{} {}", name(m), m.year()),
            Span::YearToDate(m) if m.month() == 1 => format!("januari {}", m.year()),
            Span::YearToDate(m) => format!("januari–{} {}", name(m), m.year()),
            Span::Year(year) => year.to_string(),
        }
    }
}

/// Sums of hours: the numerator and denominator of a ratio, kept so a total can be shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hours {
    pub working: Decimal,
    pub sick: Decimal,
    pub long_term: Decimal,
}

impl Hours {
    fn add(&mut self, row: &HoursRow) {
        self.working += row.working;
        self.sick += row.sick;
        self.long_term += row.long_term;
    }

    /// Sjukfrånvaro in percent of ordinarie arbetstid; `None` without working time.
    pub fn sick_percent(&self) -> Option<Decimal> {
        percent(self.sick, self.working)
    }

    /// The long-term share of the sick leave, in percent; `None` without sick leave.
    pub fn long_term_percent(&self) -> Option<Decimal> {
        percent(self.long_term, self.sick)
    }
}

fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)
}

/// The seven sjukfrånvaro figures of LKBR, exact, with the hours behind each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SickLeave {
    pub total: Hours,
    pub women: Hours,
    pub men: Hours,
    pub up_to_29: Hours,
    pub from_30_to_49: Hours,
    pub from_50: Hours,
}

/// One of the seven figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SickFigure {
    Total,
    LongTermShare,
    Women,
    Men,
    UpTo29,
    From30To49,
    From50,
}

impl SickFigure {
    pub const ALL: [SickFigure; 7] = [
        SickFigure::Total,
        SickFigure::LongTermShare,
        SickFigure::Women,
        SickFigure::Men,
        SickFigure::UpTo29,
        SickFigure::From30To49,
        SickFigure::From50,
    ];

    /// The name in a figure expression: `personal.<code>.<unit>…`.
    pub fn code(self) -> &'static str {
        match self {
            SickFigure::Total => "sjukfranvaro",
            SickFigure::LongTermShare => "langtid_andel",
            SickFigure::Women => "sjukfranvaro_kvinnor",
            SickFigure::Men => "sjukfranvaro_man",
            SickFigure::UpTo29 => "sjukfranvaro_29",
            SickFigure::From30To49 => "sjukfranvaro_30_49",
            SickFigure::From50 => "sjukfranvaro_50",
        }
    }

    pub fn parse(code: &str) -> Option<SickFigure> {
        SickFigure::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The row label as the årsredovisning prints it.
    pub fn label_sv(self) -> &'static str {
        match self {
            SickFigure::Total => "Total sjukfrånvaro i procent av sammanlagd ordinarie arbetstid",
            SickFigure::LongTermShare => {
                "Andel av total sjukfrånvaro som avser långtidssjukfrånvaro (60 dagar eller mer)"
            }
            SickFigure::Women => "Sjukfrånvaro för kvinnor",
            SickFigure::Men => "Sjukfrånvaro för män",
            SickFigure::UpTo29 => "Sjukfrånvaro för anställda 29 år eller yngre",
            SickFigure::From30To49 => "Sjukfrånvaro för anställda 30–49 år",
            SickFigure::From50 => "Sjukfrånvaro för anställda 50 år eller äldre",
        }
    }
}

impl SickLeave {
    /// The figure in percent, exact; `None` when its denominator is zero (no hours).
    pub fn figure(&self, figure: SickFigure) -> Option<Decimal> {
        match figure {
            SickFigure::Total => self.total.sick_percent(),
            SickFigure::LongTermShare => self.total.long_term_percent(),
            SickFigure::Women => self.women.sick_percent(),
            SickFigure::Men => self.men.sick_percent(),
            SickFigure::UpTo29 => self.up_to_29.sick_percent(),
            SickFigure::From30To49 => self.from_30_to_49.sick_percent(),
            SickFigure::From50 => self.from_50.sick_percent(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total.working.is_zero()
    }
}

/// The staff figures of a span.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StaffFigures {
    /// The headcount at the span's last month, per gender and in all.
    pub permanent: u32,
    pub temporary: u32,
    pub women: u32,
    pub men: u32,
    pub full_time_equivalents: Decimal,
    /// Avgångar of tillsvidareanställda during the span.
    pub leavers: u32,
    /// The average number of tillsvidareanställda over the span's months that have data.
    pub average_permanent: Decimal,
    /// Whether the span's last month has a headcount at all.
    pub has_headcount: bool,
}

impl StaffFigures {
    /// Anställda in all (tillsvidare + visstid).
    pub fn employees(&self) -> u32 {
        self.permanent + self.temporary
    }

    /// Personalomsättning: avgångar / medelantal tillsvidareanställda × 100, exact.
    pub fn turnover_percent(&self) -> Option<Decimal> {
        percent(Decimal::from(self.leavers), self.average_permanent)
    }
}

impl Personnel {
    /// The sjukfrånvaro of the units in `units` (all when `None`) over `span`.
    pub fn sick_leave(&self, units: Option<&BTreeSet<Id>>, span: Span) -> SickLeave {
        let mut out = SickLeave::default();
        for row in self
            .hours
            .iter()
            .filter(|r| span.contains(r.month) && units.is_none_or(|u| u.contains(&r.unit)))
        {
            out.total.add(row);
            match row.gender {
                Gender::Woman => out.women.add(row),
                Gender::Man => out.men.add(row),
            }
            match row.age {
                AgeGroup::UpTo29 => out.up_to_29.add(row),
                AgeGroup::From30To49 => out.from_30_to_49.add(row),
                AgeGroup::From50 => out.from_50.add(row),
            }
        }
        out
    }

    /// Antal anställda and årsarbetare at the span's last month, avgångar and the average
    /// number of tillsvidareanställda over the span, for `units` (all when `None`).
    pub fn staff(&self, units: Option<&BTreeSet<Id>>, span: Span) -> StaffFigures {
        let mut out = StaffFigures::default();
        let last = span.last_month();
        let mut per_month: std::collections::BTreeMap<Month, u32> = Default::default();
        for row in self
            .staff
            .iter()
            .filter(|r| span.contains(r.month) && units.is_none_or(|u| u.contains(&r.unit)))
        {
            out.leavers += row.leavers;
            *per_month.entry(row.month).or_default() += row.permanent;
            if row.month == last {
                out.has_headcount = true;
                out.permanent += row.permanent;
                out.temporary += row.temporary;
                out.full_time_equivalents += row.full_time_equivalents;
                match row.gender {
                    Gender::Woman => out.women += row.permanent + row.temporary,
                    Gender::Man => out.men += row.permanent + row.temporary,
                }
            }
        }
        if !per_month.is_empty() {
            let sum: u32 = per_month.values().sum();
            out.average_permanent = Decimal::from(sum) / Decimal::from(per_month.len() as u32);
        }
        out
    }

    /// Rows that do not add up: sick hours above the working time, long-term above sick,
    /// negative hours, two rows for the same key. `(location, field, message)`.
    pub fn problems(&self) -> Vec<(Location, &'static str, String)> {
        let mut out = Vec::new();
        let mut seen = BTreeSet::new();
        for row in &self.hours {
            for (field, value) in [
                ("ordinarie_timmar", row.working),
                ("sjuk_timmar", row.sick),
                ("langtid_timmar", row.long_term),
            ] {
                if value.is_sign_negative() && !value.is_zero() {
                    out.push((row.at.clone(), field, format!("{value} timmar är negativt")));
                }
            }
            if row.sick > row.working {
                out.push((
                    row.at.clone(),
                    "sjuk_timmar",
                    format!(
                        "sjukfrånvaron {} timmar är större än ordinarie arbetstid {} timmar",
                        row.sick, row.working
                    ),
                ));
            }
            if row.long_term > row.sick {
                out.push((
                    row.at.clone(),
                    "langtid_timmar",
                    format!(
                        "långtidssjukfrånvaron {} timmar är större än sjukfrånvaron {} timmar",
                        row.long_term, row.sick
                    ),
                ));
            }
            if !seen.insert((row.unit.clone(), row.month, row.gender, row.age)) {
                out.push((
                    row.at.clone(),
                    "unit",
                    format!(
                        "{} {} {} {} finns redan",
                        row.unit,
                        row.month,
                        row.gender.code(),
                        row.age.code()
                    ),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for row in &self.staff {
            if row.full_time_equivalents.is_sign_negative() && !row.full_time_equivalents.is_zero()
            {
                out.push((
                    row.at.clone(),
                    "arsarbetare",
                    "årsarbetare är negativt".into(),
                ));
            }
            let people = Decimal::from(row.permanent + row.temporary);
            if row.full_time_equivalents > people {
                out.push((
                    row.at.clone(),
                    "arsarbetare",
                    format!(
                        "{} årsarbetare är fler än {} anställda",
                        row.full_time_equivalents, people
                    ),
                ));
            }
            if !seen.insert((row.unit.clone(), row.month, row.gender)) {
                out.push((
                    row.at.clone(),
                    "unit",
                    format!(
                        "{} {} {} finns redan",
                        row.unit,
                        row.month,
                        row.gender.code()
                    ),
                ));
            }
        }
        out
    }

    /// Whether any row behind the figures of `span` is synthetic.
    pub fn is_synthetic(&self, span: Span) -> bool {
        self.hours
            .iter()
            .any(|r| r.synthetic && span.contains(r.month))
            || self
                .staff
                .iter()
                .any(|r| r.synthetic && span.contains(r.month))
    }

    pub fn is_empty(&self) -> bool {
        self.hours.is_empty() && self.staff.is_empty()
    }

    /// The latest month with hours, if any.
    pub fn last_month(&self) -> Option<Month> {
        self.hours.iter().map(|r| r.month).max()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(unit: &str, month: &str, gender: Gender, age: AgeGroup, h: [i64; 3]) -> HoursRow {
        HoursRow {
            unit: Id::parse(unit).unwrap(),
            month: Month::parse(month).unwrap(),
            gender,
            age,
            working: Decimal::from(h[0]),
            sick: Decimal::from(h[1]),
            long_term: Decimal::from(h[2]),
            synthetic: false,
            at: Location::default(),
        }
    }

    #[test]
    fn the_seven_figures_against_a_hand_computation() {
        use AgeGroup::*;
        use Gender::*;
        let personnel = Personnel {
            hours: vec![
                row("a", "2021-01", Woman, UpTo29, [1000, 50, 0]),
                row("a", "2021-01", Man, From30To49, [2000, 40, 20]),
                row("b", "2021-02", Woman, From50, [1000, 110, 80]),
                row("b", "2022-01", Man, From50, [1000, 999, 0]),
            ],
            ..Personnel::default()
        };
        let sick = personnel.sick_leave(None, Span::Year(2021));
        // Total: (50 + 40 + 110) / (1000 + 2000 + 1000) = 200 / 4000 = 5 %.
        assert_eq!(sick.figure(SickFigure::Total), Some(Decimal::from(5)));
        // Long-term share: (0 + 20 + 80) / 200 = 50 %.
        assert_eq!(
            sick.figure(SickFigure::LongTermShare),
            Some(Decimal::from(50))
        );
        // Women: (50 + 110) / 2000 = 8 %; men: 40 / 2000 = 2 %.
        assert_eq!(sick.figure(SickFigure::Women), Some(Decimal::from(8)));
        assert_eq!(sick.figure(SickFigure::Men), Some(Decimal::from(2)));
        // −29: 50 / 1000 = 5 %; 30–49: 40 / 2000 = 2 %; 50−: 110 / 1000 = 11 %.
        assert_eq!(sick.figure(SickFigure::UpTo29), Some(Decimal::from(5)));
        assert_eq!(sick.figure(SickFigure::From30To49), Some(Decimal::from(2)));
        assert_eq!(sick.figure(SickFigure::From50), Some(Decimal::from(11)));
        // One unit, one month: 90 / 3000 = 3 %.
        let units: BTreeSet<Id> = [Id::parse("a").unwrap()].into();
        let january =
            personnel.sick_leave(Some(&units), Span::Month(Month::parse("2021-01").unwrap()));
        assert_eq!(january.figure(SickFigure::Total), Some(Decimal::from(3)));
        // A group without hours has no figure rather than 0.
        let none = personnel.sick_leave(Some(&units), Span::Year(2020));
        assert_eq!(none.figure(SickFigure::Total), None);
    }

    #[test]
    fn hours_that_do_not_add_up_are_problems() {
        let personnel = Personnel {
            hours: vec![
                row("a", "2021-01", Gender::Woman, AgeGroup::UpTo29, [10, 11, 0]),
                row("a", "2021-02", Gender::Woman, AgeGroup::UpTo29, [10, 5, 6]),
            ],
            ..Personnel::default()
        };
        let fields: Vec<&str> = personnel.problems().iter().map(|p| p.1).collect();
        assert_eq!(fields, ["sjuk_timmar", "langtid_timmar"]);
    }

    #[test]
    fn turnover_is_leavers_over_the_average_headcount() {
        let staff = |month: &str, permanent: u32, leavers: u32| StaffRow {
            unit: Id::parse("a").unwrap(),
            month: Month::parse(month).unwrap(),
            gender: Gender::Woman,
            permanent,
            temporary: 1,
            full_time_equivalents: Decimal::new(95, 1),
            leavers,
            synthetic: false,
            at: Location::default(),
        };
        let personnel = Personnel {
            staff: vec![staff("2021-01", 10, 1), staff("2021-02", 30, 3)],
            ..Personnel::default()
        };
        let figures = personnel.staff(None, Span::Year(2021));
        // Average (10 + 30) / 2 = 20; 4 leavers → 20 %. Headcount at the last month with data
        // in the span: December has none.
        assert_eq!(figures.turnover_percent(), Some(Decimal::from(20)));
        assert!(!figures.has_headcount);
        let february = personnel.staff(None, Span::YearToDate(Month::parse("2021-02").unwrap()));
        assert_eq!((february.employees(), february.women), (31, 31));
    }
}
