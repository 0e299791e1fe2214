//! Drills: trainers run the same runbooks with a scenario, timed injects and targets, and
//! compare trainees in a debrief.
//!
//! This module owns the scenario format ([`scenario`]), the drill clock and when injects fall
//! due ([`clock`]), a trainee's score from their records ([`score`]) and the debrief of
//! several trainees with its charts ([`debrief`]). The records themselves (`drill_started`,
//! `inject_delivered` …) and the rules of recording them are the session's. Time is always
//! an argument, so drills are tested at any speed.

pub mod clock;
pub mod debrief;
pub mod scenario;
pub mod score;

pub use clock::{due_injects, DrillClock};
pub use debrief::{Debrief, Trainee};
pub use scenario::{
    lint_scenario, lint_scenario_priority, parse_scenario, DrillDuration, Expectation,
    ExpectedDecision, Inject, RunbookPin, Scenario, ScenarioReport, Target, Weights,
};
pub use score::{score, Scorecard};
