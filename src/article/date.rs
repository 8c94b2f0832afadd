//! Publication dates: parsed once, when a file is read, into seconds since
//! the Unix epoch (UTC), so sorting and showing them needs no parsing.
//!
//! Accepted: RFC 3339 / ISO 8601 (`2015-11-24T10:30:00Z`, with an offset or
//! fractional seconds, or with a space for the `T`), RFC 2822 (the
//! `pubDate` of RSS: `Tue, 24 Nov 2015 10:30:00 GMT`), a bare date
//! (`2015-11-24`, `2015/11/24`), a date and time without a zone (taken as
//! UTC), and a number of seconds since the epoch. Anything else is no date.

use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// Seconds since the epoch for a date as found in front matter, a page's
/// metadata or a JSON record; `None` when it is not a date we can read.
pub fn parse(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Some(t.unix_timestamp());
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc2822) {
        return Some(t.unix_timestamp());
    }
    if let Some(t) = rfc2822_named_zone(s) {
        return Some(t);
    }
    if s.bytes().all(|b| b.is_ascii_digit()) && (9..=11).contains(&s.len()) {
        return s.parse().ok();
    }
    loose_iso(s)
}

/// RFC 2822 with a zone name `time` does not take (`UTC`, `Z`, `EST`...):
/// feeds write these often; the named US zones get their offsets, others
/// are taken as UTC.
fn rfc2822_named_zone(s: &str) -> Option<i64> {
    let (rest, zone) = s.rsplit_once(' ')?;
    let offset = match zone.to_ascii_uppercase().as_str() {
        "UTC" | "UT" | "GMT" | "Z" => "+0000",
        "EST" => "-0500",
        "EDT" => "-0400",
        "CST" => "-0600",
        "CDT" => "-0500",
        "MST" => "-0700",
        "MDT" => "-0600",
        "PST" => "-0800",
        "PDT" => "-0700",
        _ => return None,
    };
    OffsetDateTime::parse(&format!("{rest} {offset}"), &Rfc2822)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

/// `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by `T` or a space and
/// `HH:MM` or `HH:MM:SS` (anything after the seconds, such as fractions or
/// a zone `time` would not take, is ignored): UTC.
fn loose_iso(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 10 || !matches!(b[4], b'-' | b'/') || b[7] != b[4] {
        return None;
    }
    let year = i32::try_from(num(0..4)?).ok()?;
    let month = Month::try_from(u8::try_from(num(5..7)?).ok()?).ok()?;
    let day = u8::try_from(num(8..10)?).ok()?;
    let date = Date::from_calendar_date(year, month, day).ok()?;
    let mut time = Time::MIDNIGHT;
    if b.len() >= 16 && matches!(b[10], b'T' | b't' | b' ') && b[13] == b':' {
        let hour = u8::try_from(num(11..13)?).ok()?;
        let minute = u8::try_from(num(14..16)?).ok()?;
        let second = if b.len() >= 19 && b[16] == b':' {
            u8::try_from(num(17..19)?).ok()?
        } else {
            0
        };
        time = Time::from_hms(hour, minute, second).ok()?;
    } else if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    Some(
        PrimitiveDateTime::new(date, time)
            .assume_utc()
            .unix_timestamp(),
    )
}

/// The calendar day of a timestamp, `2015-11-24` (UTC).
pub fn day(ts: i64) -> String {
    match OffsetDateTime::from_unix_timestamp(ts) {
        Ok(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        Err(_) => String::from("?"),
    }
}

/// The timestamp in RFC 3339 (`2015-11-24T10:30:00Z`), for JSON output.
pub fn rfc3339(ts: i64) -> String {
    OffsetDateTime::from_unix_timestamp(ts)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// How a date reads in the meta line: relative when it is recent (`just
/// now`, `25m ago`, `3h ago`, `2d ago`, under a week), the day otherwise,
/// and the day too for a date in the future (a clock or a file that is off).
pub fn shown(ts: i64, now: i64) -> String {
    let age = now.saturating_sub(ts);
    match age {
        a if a < 0 => day(ts),
        0..60 => String::from("just now"),
        60..3600 => format!("{}m ago", age / 60),
        3600..86_400 => format!("{}h ago", age / 3600),
        86_400..604_800 => format!("{}d ago", age / 86_400),
        _ => day(ts),
    }
}

/// Now, in seconds since the epoch.
pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOV_24: i64 = 1_448_323_200; // 2015-11-24T00:00:00Z

    #[test]
    fn reads_the_date_styles_of_front_matter_pages_and_feeds() {
        for (s, want) in [
            ("2015-11-24", NOV_24),
            ("2015/11/24", NOV_24),
            ("2015-11-24T10:30:00Z", NOV_24 + 37_800),
            ("2015-11-24T10:30:00+01:00", NOV_24 + 34_200),
            ("2015-11-24T10:30:00.123Z", NOV_24 + 37_800),
            ("2015-11-24 10:30", NOV_24 + 37_800),
            ("2015-11-24 10:30:15", NOV_24 + 37_815),
            ("2015-11-24T10:30:00.000000", NOV_24 + 37_800),
            ("Tue, 24 Nov 2015 10:30:00 +0000", NOV_24 + 37_800),
            ("Tue, 24 Nov 2015 10:30:00 GMT", NOV_24 + 37_800),
            ("Tue, 24 Nov 2015 10:30:00 EST", NOV_24 + 37_800 + 5 * 3600),
            ("  1448323200 ", NOV_24),
        ] {
            assert_eq!(parse(s), Some(want), "{s}");
        }
    }

    #[test]
    fn anything_else_is_no_date() {
        for s in [
            "",
            "yesterday",
            "2015-13-01",
            "2015-02-30",
            "24/11/2015",
            "2015-11-24x",
            "2015-11-24T25:00",
            "12",
            &"9".repeat(100),
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn recent_dates_read_relative_older_ones_as_the_day() {
        let now = NOV_24 + 10 * 86_400;
        assert_eq!(shown(now - 5, now), "just now");
        assert_eq!(shown(now - 25 * 60, now), "25m ago");
        assert_eq!(shown(now - 3 * 3600 - 59, now), "3h ago");
        assert_eq!(shown(now - 2 * 86_400, now), "2d ago");
        assert_eq!(shown(NOV_24, now), "2015-11-24");
        assert_eq!(shown(now + 86_400, now), "2015-12-05");
        assert_eq!(rfc3339(NOV_24 + 37_800), "2015-11-24T10:30:00Z");
    }
}
