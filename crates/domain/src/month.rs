//! A calendar month, `YYYY-MM`: the one type every follow-up period, report, control plan and
//! ledger amount is made per. Text becomes a [`Month`] once, at the edge (a package file, a CLI
//! argument, a web form, a database row), through [`str::parse`]; a refusal is always the one
//! [`MonthError`] message. Inside, months are compared, ordered and printed, never sliced.

use crate::Year;
use std::fmt;
use std::str::FromStr;

/// A calendar month, `YYYY-MM` (years 1000–9999, months 1–12). Ordered by time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: Year,
    month: u8,
}

/// Text that is not a month. Its message, in Swedish, is the only one any front end shows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} är inte en månad (ÅÅÅÅ-MM)")]
pub struct MonthError {
    /// The text as given.
    pub text: String,
}

impl Month {
    pub fn new(year: Year, month: u8) -> Option<Month> {
        ((1..=12).contains(&month) && (1000..=9999).contains(&year))
            .then_some(Month { year, month })
    }

    /// Reads `YYYY-MM` (exactly: four digits, a hyphen, two digits; no spaces); `None` when
    /// it is not a month. [`str::parse`] gives the reason instead.
    pub fn parse(text: &str) -> Option<Month> {
        text.parse().ok()
    }

    pub fn year(self) -> Year {
        self.year
    }

    /// 1–12.
    pub fn month(self) -> u8 {
        self.month
    }

    /// The number of days in the month (Gregorian leap years).
    pub fn days(self) -> u8 {
        match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    }

    /// The last day of the month, ISO `YYYY-MM-DD`.
    pub fn last_day(self) -> String {
        format!("{self}-{:02}", self.days())
    }

    /// The month before.
    pub fn previous(self) -> Month {
        match self.month {
            1 => Month {
                year: self.year - 1,
                month: 12,
            },
            month => Month {
                year: self.year,
                month: month - 1,
            },
        }
    }

    /// The month of an ISO date or date-time (`YYYY-MM-DD…`); `None` when it does not start
    /// with a month and a day separator.
    pub fn of_date(date: &str) -> Option<Month> {
        let (month, rest) = (date.get(..7)?, date.get(7..)?);
        rest.starts_with('-').then(|| Month::parse(month))?
    }
}

/// Months as a reader sees a list of them: "2021-04, 2021-08, 2021-12".
pub fn list(months: &[Month]) -> String {
    let texts: Vec<String> = months.iter().map(Month::to_string).collect();
    texts.join(", ")
}

impl FromStr for Month {
    type Err = MonthError;

    fn from_str(text: &str) -> Result<Month, MonthError> {
        let error = || MonthError {
            text: text.to_owned(),
        };
        let bytes = text.as_bytes();
        if bytes.len() != 7
            || bytes[4] != b'-'
            || !bytes[..4].iter().chain(&bytes[5..]).all(u8::is_ascii_digit)
        {
            return Err(error());
        }
        let year = text[..4].parse().map_err(|_| error())?;
        let month = text[5..].parse().map_err(|_| error())?;
        Month::new(year, month).ok_or_else(error)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// A month is its text `YYYY-MM` in JSON and forms; reading refuses with the one message.
#[cfg(feature = "serde")]
impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "serde")]
impl<'de> serde::Deserialize<'de> for Month {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Month, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_months_read_and_print_as_written() {
        for (text, year, month) in [
            ("2021-10", 2021, 10),
            ("2021-01", 2021, 1),
            ("2021-12", 2021, 12),
            ("1000-06", 1000, 6),
            ("9999-12", 9999, 12),
        ] {
            let parsed: Month = text.parse().unwrap();
            assert_eq!((parsed.year(), parsed.month()), (year, month), "{text}");
            assert_eq!(parsed.to_string(), text);
        }
    }

    #[test]
    fn refused_months_say_what_a_month_is() {
        for text in [
            "",
            "2021",
            "2021-13",
            "2021-00",
            "2021-1",
            "20211",
            "2021-010",
            "2021/10",
            " 2021-10",
            "2021-10 ",
            "21-10",
            "0999-12",
            "2021-+1",
            "+021-10",
            "2021-1a",
            "2021-10-01",
            "okt 2021",
            "2021–10",
        ] {
            let error = text.parse::<Month>().unwrap_err();
            assert_eq!(
                error.to_string(),
                format!("{text:?} är inte en månad (ÅÅÅÅ-MM)"),
                "{text}"
            );
            assert_eq!(Month::parse(text), None, "{text}");
        }
    }

    #[test]
    fn months_order_by_time_and_step_back_over_the_year() {
        let m = |text: &str| text.parse::<Month>().unwrap();
        assert!(m("2020-12") < m("2021-01"));
        assert!(m("2021-02") < m("2021-10"));
        assert_eq!(m("2021-01").previous(), m("2020-12"));
        assert_eq!(m("2021-03").previous(), m("2021-02"));
        assert_eq!(m("2024-02").last_day(), "2024-02-29");
        assert_eq!(m("2100-02").last_day(), "2100-02-28");
        assert_eq!(m("2021-04").last_day(), "2021-04-30");
    }

    #[cfg(feature = "serde")]
    #[test]
    fn months_are_their_text_in_json() {
        let month: Month = serde_json::from_str("\"2021-10\"").unwrap();
        assert_eq!(month, Month::new(2021, 10).unwrap());
        assert_eq!(serde_json::to_string(&month).unwrap(), "\"2021-10\"");
        let error = serde_json::from_str::<Month>("\"2021-13\"").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("\"2021-13\" är inte en månad (ÅÅÅÅ-MM)"),
            "{error}"
        );
    }

    #[test]
    fn the_month_of_a_date() {
        assert_eq!(Month::of_date("2021-10-05"), Month::parse("2021-10"));
        assert_eq!(
            Month::of_date("2021-10-05T12:00:00Z"),
            Month::parse("2021-10")
        );
        assert_eq!(Month::of_date("2021-10"), None);
        assert_eq!(Month::of_date("2021-13-01"), None);
        assert_eq!(Month::of_date("2021-1"), None);
        assert_eq!(Month::of_date("ååå"), None);
    }
}
