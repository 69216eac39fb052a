//! Times for readers: a stored UTC timestamp ("2026-12-05T23:50:34.547663Z") as Swedish local
//! time to the minute ("2026-12-06 00:50"), Europe/Stockholm: CET (UTC+1), and CEST (UTC+2) from
//! 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October (the EU rule,
//! in force since 1996).

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// An ISO date (`YYYY-MM-DD`) moved by `days` (negative: earlier); `None` when it is not one.
pub fn add_days(date: &str, days: i64) -> Option<String> {
    let mut parts = date.get(..10)?.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || date.len() < 10 {
        return None;
    }
    let (y, m, d) = civil_from_days(days_from_civil(year, month, day) + days);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// The day (since 1970-01-01) of the last Sunday of a month with 31 days.
fn last_sunday(year: i64, month: u32) -> i64 {
    let last = days_from_civil(year, month, 31);
    // 1970-01-01 was a Thursday: weekday 0 = Monday … 6 = Sunday.
    let weekday = (last + 3).rem_euclid(7);
    last - (weekday - 6).rem_euclid(7)
}

/// Seconds since the epoch of a UTC timestamp `YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z]`.
fn parse_utc(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('Z');
    let (date, time) = text.split_once(['T', ' '])?;
    let mut date_parts = date.split('-');
    let year: i64 = date_parts.next()?.parse().ok()?;
    let month: u32 = date_parts.next()?.parse().ok()?;
    let day: u32 = date_parts.next()?.parse().ok()?;
    let mut time_parts = time.split(':');
    let hour: i64 = time_parts.next()?.parse().ok()?;
    let minute: i64 = time_parts.next()?.parse().ok()?;
    let second: i64 = match time_parts.next() {
        Some(s) => s.split('.').next()?.parse().ok()?,
        None => 0,
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// A UTC timestamp (`YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z]`) moved by `seconds`, written to the
/// second as `YYYY-MM-DDTHH:MM:SSZ` (so that such timestamps compare as text); `None` when it
/// is not one.
pub fn utc_plus(utc: &str, seconds: i64) -> Option<String> {
    let at = parse_utc(utc)? + seconds;
    let (year, month, day) = civil_from_days(at.div_euclid(86_400));
    let in_day = at.rem_euclid(86_400);
    Some(format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        in_day / 3_600,
        in_day % 3_600 / 60,
        in_day % 60
    ))
}

/// Whether Swedish summer time is in force at this UTC instant.
fn is_summer_time(utc_seconds: i64) -> bool {
    let (year, _, _) = civil_from_days(utc_seconds.div_euclid(86_400));
    let start = last_sunday(year, 3) * 86_400 + 3_600;
    let end = last_sunday(year, 10) * 86_400 + 3_600;
    (start..end).contains(&utc_seconds)
}

/// A stored UTC timestamp as Swedish local time to the minute, "2026-12-06 00:50"; a text that
/// is no timestamp is returned as it stands.
pub fn stockholm_minute(utc: &str) -> String {
    let Some(seconds) = parse_utc(utc) else {
        return utc.to_owned();
    };
    let offset = if is_summer_time(seconds) {
        7_200
    } else {
        3_600
    };
    let local = seconds + offset;
    let (year, month, day) = civil_from_days(local.div_euclid(86_400));
    let in_day = local.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        in_day / 3_600,
        in_day % 3_600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::{add_days, stockholm_minute, utc_plus};

    #[test]
    fn winter_and_summer_time_and_the_changes() {
        assert_eq!(
            stockholm_minute("2026-12-05T23:50:34.547663Z"),
            "2026-12-06 00:50"
        );
        assert_eq!(stockholm_minute("2021-08-31T12:00:00Z"), "2021-08-31 14:00");
        // 2021: summer time from 28 March 01:00 UTC to 31 October 01:00 UTC.
        assert_eq!(stockholm_minute("2021-03-28T00:59:59Z"), "2021-03-28 01:59");
        assert_eq!(stockholm_minute("2021-03-28T01:00:00Z"), "2021-03-28 03:00");
        assert_eq!(stockholm_minute("2021-10-31T00:59:00Z"), "2021-10-31 02:59");
        assert_eq!(stockholm_minute("2021-10-31T01:00:00Z"), "2021-10-31 02:00");
        assert_eq!(stockholm_minute("2024-02-29T23:30:00Z"), "2024-03-01 00:30");
        assert_eq!(
            stockholm_minute("2021-12-31T23:00:00.1Z"),
            "2022-01-01 00:00"
        );
        assert_eq!(stockholm_minute("inte en tid"), "inte en tid");
    }

    #[test]
    fn dates_move_by_days_across_months_and_years() {
        assert_eq!(add_days("2021-09-10", -3).as_deref(), Some("2021-09-07"));
        assert_eq!(add_days("2021-03-01", -1).as_deref(), Some("2021-02-28"));
        assert_eq!(add_days("2020-12-30", 3).as_deref(), Some("2021-01-02"));
        assert_eq!(add_days("2021-13-01", 1), None);
        assert_eq!(add_days("inte", 1), None);
        assert_eq!(
            utc_plus("2021-05-10T08:00", 3_600).as_deref(),
            Some("2021-05-10T09:00:00Z")
        );
        assert_eq!(
            utc_plus("2021-12-31T23:59:30.25Z", 45).as_deref(),
            Some("2022-01-01T00:00:15Z")
        );
    }
}
