//! The wall clock, read once per action and handed to the core as a [`Timestamp`].

use stepwise_core::Timestamp;

/// Now, at millisecond precision. chrono's `wasmbind` reads `Date.now()` in the browser,
/// which is always within range; the epoch fallback keeps this total without a panic.
pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(chrono::Utc::now().timestamp_millis()).unwrap_or(Timestamp::EPOCH)
}
