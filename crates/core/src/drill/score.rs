//! A trainee's score in a drill, from their session's records alone.
//!
//! Four parts, each a fraction weighted by the scenario's `scoring`:
//! - **time**: each target step on the trainee's path scores 1 within its target, else
//!   target / taken (a step twice as slow scores 0.5); a target step on the path that was
//!   never reached scores 0. Steps off the path the trainee chose do not count here; the
//!   decision that led away is scored under decisions.
//! - **decisions**: each expected decision (a target's, or an inject's `expects.decision`)
//!   scores 1 when made; an inject's scores 0.5 when made later than `within`.
//! - **required items**: required items on the path done, over all of them; a skip is not
//!   done, whatever its reason (the reasons are listed for the debrief).
//! - **communications**: each inject expecting a speed code scores 1 when it was copied within
//!   `within` of delivery, 0.5 later, 0 never.
//!
//! A part with nothing to score is left out and the rest share its weight. Times are drill
//! time (the trainer's pauses left out), in milliseconds.

use super::clock::DrillClock;
use super::scenario::Scenario;
use crate::ids::{ItemId, StepId};
use crate::session::{Body, Delivery, Record, Session};
use crate::time::Timestamp;

/// Everything the debrief shows of one trainee.
#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    /// Steps in the order first entered, with every stretch spent on each.
    pub steps: Vec<StepTime>,
    pub injects: Vec<InjectResponse>,
    pub required_total: usize,
    pub required_done: usize,
    pub skipped: Vec<(StepId, ItemId, String)>,
    pub parts: Vec<Part>,
    /// Out of 100.
    pub total: u32,
    /// Drill time at the last record (completion, abandonment or the last action).
    pub ended_ms: i64,
    pub outcome: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepTime {
    pub step: StepId,
    pub title: String,
    /// (from, to) in drill milliseconds.
    pub stretches: Vec<(i64, i64)>,
    pub target_ms: Option<i64>,
    pub decision: Option<String>,
    pub expected_decision: Option<String>,
}

impl StepTime {
    pub fn taken_ms(&self) -> i64 {
        self.stretches.iter().map(|(a, b)| b - a).sum()
    }

    pub fn is_over_target(&self) -> bool {
        self.target_ms.is_some_and(|t| self.taken_ms() > t)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct InjectResponse {
    pub inject: String,
    pub title: String,
    pub delivered_ms: Option<i64>,
    pub by: Option<Delivery>,
    /// From delivery to the trainee's acknowledgement.
    pub acknowledged_after_ms: Option<i64>,
    /// What the trainee was expected to do, in words.
    pub expected: Option<String>,
    pub within_ms: Option<i64>,
    /// From delivery to the expected decision or speed code.
    pub responded_after_ms: Option<i64>,
    /// The credit earned: 1, 0.5 or 0; `None` when nothing was expected, or the inject never
    /// arrived.
    pub credit: Option<f64>,
}

/// One part of the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub name: &'static str,
    pub weight: u32,
    /// `None` when there was nothing to score in this part.
    pub fraction: Option<f64>,
}

impl Part {
    /// Points this part adds to the total, given the weights that applied.
    pub fn points(&self, applied_weight: u32) -> f64 {
        match self.fraction {
            Some(f) if applied_weight > 0 => {
                100.0 * f * f64::from(self.weight) / f64::from(applied_weight)
            }
            _ => 0.0,
        }
    }
}

impl Scorecard {
    /// The sum of the weights of the parts that had something to score.
    pub fn applied_weight(&self) -> u32 {
        self.parts
            .iter()
            .filter(|p| p.fraction.is_some())
            .map(|p| p.weight)
            .sum()
    }
}

/// Scores a drill session. A live session, or one of another scenario, gets a scorecard with
/// nothing in it and a total of 0; the debrief refuses those before it gets here.
pub fn score(scenario: &Scenario, session: &Session) -> Scorecard {
    let runbook = session.runbook();
    let state = session.state();
    let records: Vec<Record> = session
        .lines()
        .iter()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    let Some(clock) = DrillClock::of(state) else {
        return Scorecard {
            steps: Vec::new(),
            injects: Vec::new(),
            required_total: 0,
            required_done: 0,
            skipped: Vec::new(),
            parts: Vec::new(),
            total: 0,
            ended_ms: 0,
            outcome: "not started".to_owned(),
        };
    };
    let last_ts = records.last().map_or(clock.started, |r| r.ts);
    let mut steps = step_times(session, &records, &clock, last_ts);
    for step in &mut steps {
        if let Some(target) = scenario.target(&step.step) {
            step.target_ms = target.within.map(|d| d.millis());
            step.expected_decision.clone_from(&target.decision);
        }
        step.decision = state.decisions.get(&step.step).cloned();
    }
    let path = state.path(runbook);
    // Targets on the path that were never reached still count (as 0 for time).
    for target in &scenario.targets {
        let on_path = runbook
            .step_index(&target.step)
            .is_some_and(|i| path.contains(i));
        if on_path && !steps.iter().any(|s| s.step == target.step) {
            steps.push(StepTime {
                step: target.step.clone(),
                title: runbook
                    .step(&target.step)
                    .map(|s| s.title.clone())
                    .unwrap_or_default(),
                stretches: Vec::new(),
                target_ms: target.within.map(|d| d.millis()),
                decision: None,
                expected_decision: target.decision.clone(),
            });
        }
    }

    let time: Vec<f64> = steps
        .iter()
        .filter(|s| {
            runbook
                .step_index(&s.step)
                .is_some_and(|i| path.contains(i))
        })
        .filter_map(|s| {
            let target = s.target_ms?;
            let taken = s.taken_ms();
            Some(if s.stretches.is_empty() {
                0.0
            } else if taken <= target {
                1.0
            } else {
                target as f64 / taken as f64
            })
        })
        .collect();
    let mut decisions: Vec<f64> = scenario
        .targets
        .iter()
        .filter_map(|t| {
            let expected = t.decision.as_ref()?;
            Some(f64::from(u8::from(
                state.decisions.get(&t.step) == Some(expected),
            )))
        })
        .collect();
    let mut communications = Vec::new();
    let mut injects = Vec::new();
    let drill = state.drill.as_ref();
    for inject in &scenario.injects {
        let delivered = drill.and_then(|d| d.delivered.get(&inject.id));
        let acknowledged = drill.and_then(|d| d.acknowledged.get(&inject.id));
        let delivered_at = delivered.map(|d| d.at);
        let expects = inject.expects.as_ref();
        let responded_at = match (expects, delivered_at) {
            (Some(e), Some(at)) => response_time(&records, e, at),
            _ => None,
        };
        let within_ms = expects.map(|e| e.within.millis());
        let responded_after_ms = responded_at
            .zip(delivered_at)
            .map(|(r, d)| clock.between(d, r));
        // An inject that never arrived (the drill ended first) asks nothing of the trainee.
        let credit = expects.filter(|_| delivered_at.is_some()).map(|_| {
            match (responded_after_ms, within_ms) {
                (Some(after), Some(within)) if after <= within => 1.0,
                (Some(_), _) => 0.5,
                (None, _) => 0.0,
            }
        });
        if let (Some(e), Some(credit)) = (expects, credit) {
            if e.decision.is_some() {
                decisions.push(credit);
            } else {
                communications.push(credit);
            }
        }
        injects.push(InjectResponse {
            inject: inject.id.clone(),
            title: inject.title.clone(),
            delivered_ms: delivered_at.map(|at| clock.elapsed(at)),
            by: delivered.map(|d| d.by),
            acknowledged_after_ms: acknowledged
                .zip(delivered_at)
                .map(|(a, d)| clock.between(d, *a)),
            expected: expects.map(|e| match (&e.decision, &e.speed_code) {
                (Some(d), _) => format!("decide `{}` at `{}`", d.option, d.step),
                (None, Some(code)) => format!("send speed code `{code}`"),
                (None, None) => "nothing".to_owned(),
            }),
            within_ms,
            responded_after_ms,
            credit,
        });
    }

    let mut required_total = 0;
    let mut required_done = 0;
    let mut skipped = Vec::new();
    for &index in &path.steps {
        let step = &runbook.steps[index];
        for item in step.checklist.iter().filter(|i| i.required) {
            required_total += 1;
            if state.is_done(step, item) {
                required_done += 1;
            } else if let Some(reason) = state.skip_reason(&step.id, &item.id) {
                skipped.push((step.id.clone(), item.id.clone(), reason.to_owned()));
            }
        }
    }
    let required = (required_total > 0).then(|| required_done as f64 / required_total as f64);
    let w = scenario.scoring;
    let parts = vec![
        Part {
            name: "time",
            weight: w.time,
            fraction: mean(&time),
        },
        Part {
            name: "decisions",
            weight: w.decisions,
            fraction: mean(&decisions),
        },
        Part {
            name: "required items",
            weight: w.required_items,
            fraction: required,
        },
        Part {
            name: "communications",
            weight: w.communications,
            fraction: mean(&communications),
        },
    ];
    let mut card = Scorecard {
        steps,
        injects,
        required_total,
        required_done,
        skipped,
        parts,
        total: 0,
        ended_ms: clock.elapsed(last_ts),
        outcome: match &state.status {
            crate::session::Status::InProgress => "in progress".to_owned(),
            crate::session::Status::Completed { outcome, .. } => format!("completed: {outcome}"),
            crate::session::Status::Abandoned { reason } => format!("abandoned: {reason}"),
        },
    };
    let applied = card.applied_weight();
    let points: f64 = card.parts.iter().map(|p| p.points(applied)).sum();
    card.total = points.round().clamp(0.0, 100.0) as u32;
    card
}

/// Every stretch the trainee spent on each step, from the drill's start to the last record.
fn step_times(
    session: &Session,
    records: &[Record],
    clock: &DrillClock<'_>,
    last_ts: Timestamp,
) -> Vec<StepTime> {
    let runbook = session.runbook();
    let mut steps: Vec<StepTime> = Vec::new();
    let mut current: Option<(usize, Timestamp)> = None;
    let close = |steps: &mut Vec<StepTime>, index: usize, from: Timestamp, to: Timestamp| {
        let step = &runbook.steps[index];
        let stretch = (clock.elapsed(from), clock.elapsed(to));
        match steps.iter_mut().find(|s| s.step == step.id) {
            Some(s) => s.stretches.push(stretch),
            None => steps.push(StepTime {
                step: step.id.clone(),
                title: step.title.clone(),
                stretches: vec![stretch],
                target_ms: None,
                decision: None,
                expected_decision: None,
            }),
        }
    };
    let mut index = 0;
    for record in records {
        match &record.body {
            Body::DrillStarted {} => current = Some((index, record.ts)),
            Body::StepEntered { step } => {
                if let Some((at, from)) = current.take() {
                    close(&mut steps, at, from, record.ts);
                }
                index = runbook.step_index(step).unwrap_or(index);
                current = Some((index, record.ts));
            }
            Body::Completed { .. } | Body::Abandoned { .. } => {
                if let Some((at, from)) = current.take() {
                    close(&mut steps, at, from, record.ts);
                }
            }
            _ => {}
        }
    }
    if let Some((at, from)) = current {
        close(&mut steps, at, from, last_ts);
    }
    steps
}

/// When the trainee did what `expects` asks, at or after `delivered`: a decision made before
/// the inject arrived counts as answered on arrival.
fn response_time(
    records: &[Record],
    expects: &super::scenario::Expectation,
    delivered: Timestamp,
) -> Option<Timestamp> {
    records.iter().find_map(|r| {
        let matches = match (&r.body, &expects.decision, &expects.speed_code) {
            (Body::Decision { step, option }, Some(d), _) => *step == d.step && *option == d.option,
            (Body::SpeedCodeCopied { code }, None, Some(expected)) => {
                code == expected && r.ts >= delivered
            }
            _ => false,
        };
        matches.then_some(r.ts.max(delivered))
    })
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}
