//! UTC timestamps as ISO text (`2026-11-05T09:14:03.123456Z`), the one form the store keeps
//! times in: it sorts as text and reads the same on every backend.
//!
//! Only formatting of the system clock; no parsing, no time zones, no calendar arithmetic.

use std::time::{SystemTime, UNIX_EPOCH};

/// Now, in UTC, with microseconds.
pub fn now_utc() -> String {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_utc(since_epoch.as_secs(), since_epoch.subsec_micros())
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today_utc() -> String {
    now_utc()[..10].to_owned()
}

/// Now plus (or minus) some seconds, in UTC, as `now_utc` writes it: for expiry times and
/// windows of time.
pub fn utc_offset(seconds: i64) -> String {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let shifted = since_epoch.as_secs().saturating_add_signed(seconds);
    format_utc(shifted, since_epoch.subsec_micros())
}

/// Formats seconds since the Unix epoch (and microseconds) as ISO 8601 UTC.
pub fn format_utc(seconds: u64, micros: u32) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{micros:06}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_utc(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(format_utc(951_782_400, 7), "2000-02-29T00:00:00.000007Z");
        assert_eq!(
            format_utc(1_604_880_000 + 3_723, 500_000),
            "2020-11-09T01:02:03.500000Z"
        );
        assert_eq!(
            format_utc(4_107_542_399, 999_999),
            "2100-02-28T23:59:59.999999Z"
        );
    }

    #[test]
    fn now_has_the_fixed_shape() {
        let now = now_utc();
        assert_eq!(now.len(), 27);
        assert_eq!((&now[10..11], &now[26..]), ("T", "Z"));
    }
}
