//! The drill clock and the inject schedule, as pure functions of the records and `now`.
//!
//! The drill clock starts when the briefing ends (`drill_started`) and stands still while
//! the trainer pauses it. A timed inject (`at: 5m`) falls due when the drill clock reaches
//! its offset; a step-triggered one (`after_step`) once the trainee has left that step.
//! Nothing falls due while the clock is paused or once the session is closed. The app
//! records what falls due (`inject_delivered`); this module only says what that is.

use super::scenario::{Inject, Scenario};
use crate::priority::Pause;
use crate::session::State;
use crate::time::Timestamp;

/// A drill's clock: its start and the trainer's pauses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrillClock<'a> {
    pub started: Timestamp,
    pauses: &'a [Pause],
}

impl<'a> DrillClock<'a> {
    pub fn new(started: Timestamp, pauses: &'a [Pause]) -> DrillClock<'a> {
        DrillClock { started, pauses }
    }

    /// The clock of a drill session once its briefing is over; `None` before, and for live
    /// sessions.
    pub fn of(state: &'a State) -> Option<DrillClock<'a>> {
        let drill = state.drill.as_ref()?;
        Some(DrillClock::new(drill.started?, &drill.pauses))
    }

    /// Drill milliseconds at wall time `at`: time since the start, less the pauses.
    pub fn elapsed(&self, at: Timestamp) -> i64 {
        let (start, at) = (self.started.unix_millis(), at.unix_millis());
        if at <= start {
            return 0;
        }
        let paused: i64 = self
            .pauses
            .iter()
            .map(|p| {
                let from = p.from.unix_millis().max(start);
                let until = p.until.map_or(at, |u| u.unix_millis()).min(at);
                (until - from).max(0)
            })
            .sum();
        (at - start - paused).max(0)
    }

    /// Drill milliseconds between two wall times.
    pub fn between(&self, from: Timestamp, to: Timestamp) -> i64 {
        (self.elapsed(to) - self.elapsed(from)).max(0)
    }

    pub fn is_paused(&self) -> bool {
        self.pauses.last().is_some_and(|p| p.until.is_none())
    }
}

/// The injects of `scenario` that are due at `now` and not yet delivered, in scenario order.
pub fn due_injects<'a>(scenario: &'a Scenario, state: &State, now: Timestamp) -> Vec<&'a Inject> {
    let (Some(drill), Some(clock)) = (state.drill.as_ref(), DrillClock::of(state)) else {
        return Vec::new();
    };
    if state.is_closed() || clock.is_paused() {
        return Vec::new();
    }
    let elapsed = clock.elapsed(now);
    scenario
        .injects
        .iter()
        .filter(|inject| !drill.delivered.contains_key(&inject.id))
        .filter(|inject| match (&inject.at, &inject.after_step) {
            (Some(at), _) => elapsed >= at.millis(),
            (None, Some(step)) => drill.left.contains(step),
            (None, None) => false,
        })
        .collect()
}

/// `12:05` (minutes and seconds of drill time), or `1:02:05` past an hour.
pub fn format_drill_time(millis: i64) -> String {
    let secs = millis.max(0) / 1000;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(seconds: i64) -> Timestamp {
        Timestamp::from_unix_millis(1_800_000_000_000 + seconds * 1000).expect("valid")
    }

    #[test]
    fn elapsed_leaves_out_pauses_closed_and_open() {
        let pauses = [
            Pause {
                from: t(60),
                until: Some(t(120)),
            },
            Pause {
                from: t(300),
                until: None,
            },
        ];
        let clock = DrillClock::new(t(0), &pauses);
        let table = [
            (-5, 0),
            (0, 0),
            (59, 59),
            (90, 60),
            (120, 60),
            (200, 140),
            (300, 240),
            (900, 240),
        ];
        for (at, drill_seconds) in table {
            assert_eq!(clock.elapsed(t(at)), drill_seconds * 1000, "at {at}s");
        }
        assert!(clock.is_paused());
        assert_eq!(clock.between(t(30), t(200)), 110_000);
    }

    #[test]
    fn drill_time_reads_like_a_stopwatch() {
        assert_eq!(format_drill_time(0), "0:00");
        assert_eq!(format_drill_time(65_000), "1:05");
        assert_eq!(format_drill_time(3_725_000), "1:02:05");
    }
}
