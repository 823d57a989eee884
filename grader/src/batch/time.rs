//! Times of submissions: the `--deadline` (RFC 3339) and the times recorded in
//! the gradebook, as [`Instant`]s (Unix seconds) and RFC 3339 text in UTC.
use std::time::SystemTime;

use chrono::{DateTime, SecondsFormat, Utc};

/// A moment, in seconds since the Unix epoch.
pub type Instant = i64;

/// Parses an RFC 3339 time such as `2025-03-01T23:59:00+01:00`.
pub fn parse_rfc3339(text: &str) -> Result<Instant, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.timestamp())
        .map_err(|e| {
            format!("`{text}` is not an RFC 3339 time such as 2025-03-01T23:59:00+01:00 ({e})")
        })
}

/// The moment as RFC 3339 text in UTC, such as `2025-03-01T22:59:00Z`.
pub fn format_rfc3339(t: Instant) -> String {
    DateTime::<Utc>::from_timestamp(t, 0)
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
        .unwrap_or_default()
}

/// A file time in Unix seconds (times before the epoch count as 0).
pub fn of_system_time(t: SystemTime) -> Instant {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as Instant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_taken_into_account() {
        let a = parse_rfc3339("2025-03-01T23:59:00+01:00").unwrap();
        let b = parse_rfc3339("2025-03-01T22:59:00Z").unwrap();
        assert_eq!(a, b);
        assert_eq!(format_rfc3339(a), "2025-03-01T22:59:00Z");
    }

    #[test]
    fn a_date_alone_is_refused_with_an_example() {
        let e = parse_rfc3339("2025-03-01").unwrap_err();
        assert!(e.contains("2025-03-01T23:59:00+01:00"), "{e}");
    }
}
