//! Timestamps as the log writes them: RFC 3339, UTC, milliseconds.
//!
//! The core never reads a clock; every timestamp is handed in by the adapter that has one
//! (the browser's `Date.now()`, a test's fixed instant).

use std::fmt;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An instant with millisecond precision, always UTC.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// 1970-01-01T00:00:00.000Z.
    pub const EPOCH: Timestamp = Timestamp(DateTime::<Utc>::UNIX_EPOCH);

    /// From milliseconds since the Unix epoch (what `Date.now()` returns); `None` when out of
    /// chrono's range.
    pub fn from_unix_millis(millis: i64) -> Option<Timestamp> {
        Utc.timestamp_millis_opt(millis).single().map(Timestamp)
    }

    pub fn unix_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    /// Parses the log's spelling (any RFC 3339 instant is accepted and kept at milliseconds).
    pub fn parse(text: &str) -> Option<Timestamp> {
        let parsed = DateTime::parse_from_rfc3339(text).ok()?.with_timezone(&Utc);
        Timestamp::from_unix_millis(parsed.timestamp_millis())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom("expected an RFC 3339 timestamp"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_utc_with_milliseconds() {
        let ts = Timestamp::from_unix_millis(1_764_790_000_123).expect("in range");
        assert_eq!(ts.to_string(), "2025-12-03T19:26:40.123Z");
        assert_eq!(Timestamp::parse(&ts.to_string()), Some(ts));
    }

    #[test]
    fn offsets_are_normalised_to_utc() {
        let ts = Timestamp::parse("2026-01-01T01:00:00.5+01:00").expect("valid");
        assert_eq!(ts.to_string(), "2026-01-01T00:00:00.500Z");
        assert_eq!(Timestamp::parse("yesterday"), None);
    }
}
